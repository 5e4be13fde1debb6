//! `responsive_breakpoints` on upload and explicit: widths from the real image, the
//! answer's shape, and derived images served at the announced URLs.
mod common;

use cldkit_emulator::EmulatorConfig;
use common::*;
use serde_json::Value as Json;

/// A photo-like image (noise over gradients) whose JPEG size grows with its area.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let mut seed: u32 = 12345;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = (seed >> 16) as u8 % 64;
        image::Rgb([
            (x * 255 / w) as u8 / 2 + n,
            (y * 255 / h) as u8 / 2 + n,
            128u8.wrapping_add(n),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn fetch(url: &str) -> (u16, String, Vec<u8>) {
    let resp = reqwest::blocking::get(url).unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ctype, resp.bytes().unwrap().to_vec())
}

/// Checks one answer entry: widest first, served at the announced size and bytes.
fn check_served(entry: &Json, mime: &str) -> Vec<(u64, u64)> {
    let bps = entry["breakpoints"].as_array().expect("breakpoints");
    assert!(!bps.is_empty());
    let mut out = Vec::new();
    for bp in bps {
        let (w, h, bytes) = (
            bp["width"].as_u64().unwrap(),
            bp["height"].as_u64().unwrap(),
            bp["bytes"].as_u64().unwrap(),
        );
        assert_eq!(bp["url"], bp["secure_url"]);
        let (status, ctype, body) = fetch(bp["url"].as_str().unwrap());
        assert_eq!(status, 200, "{bp}");
        assert_eq!(ctype, mime, "{bp}");
        assert_eq!(body.len() as u64, bytes, "{bp}");
        let img = image::load_from_memory(&body).unwrap();
        assert_eq!((u64::from(img.width()), u64::from(img.height())), (w, h));
        out.push((w, bytes));
    }
    assert!(out.windows(2).all(|p| p[0].0 > p[1].0), "{out:?}");
    out
}

#[test]
fn upload_breakpoints_follow_bytes_step_and_are_served() {
    let (_emu, client) = start(EmulatorConfig::default());
    let (status, r) = upload(
        &client,
        photo(1200, 800),
        "photo.jpg",
        &opts(
            r#"{"public_id": "bp/photo", "responsive_breakpoints": [{"create_derived": true, "bytes_step": 20000, "min_width": 200, "max_width": 1000, "max_images": 8}]}"#,
        ),
    );
    assert_eq!(status, 200, "{r}");
    let list = r["responsive_breakpoints"].as_array().expect("answered");
    assert_eq!(list.len(), 1);
    assert!(list[0].get("transformation").is_none(), "{r}");
    let got = check_served(&list[0], "image/jpeg");
    assert_eq!(got[0].0, 1000, "{got:?}");
    assert!(got.len() >= 3 && got.len() <= 8, "{got:?}");
    assert_eq!(got.last().unwrap().0, 200, "{got:?}");
    // Consecutive images differ by about bytes_step or more (the step is chosen on a
    // measured curve; the real files may be a little off).
    for p in got.windows(2) {
        assert!(p[0].1 > p[1].1 && p[0].1 - p[1].1 >= 14_000, "{got:?}");
    }
    let url = list[0]["breakpoints"][0]["url"].as_str().unwrap();
    assert!(url.contains("/image/upload/c_scale,w_1000/v"), "{url}");
}

#[test]
fn base_transformation_format_max_images_and_a_small_original() {
    let (_emu, client) = start(EmulatorConfig::default());
    let (status, r) = upload(
        &client,
        photo(900, 600),
        "p.jpg",
        &opts(
            r#"{"public_id": "bp2", "responsive_breakpoints": [
                {"create_derived": true, "transformation": {"width": 600, "height": 600, "crop": "fill"}, "format": "png", "bytes_step": 1000, "max_images": 3},
                {"create_derived": false, "max_width": 5000, "bytes_step": 100000000}
            ]}"#,
        ),
    );
    assert_eq!(status, 200, "{r}");
    let list = r["responsive_breakpoints"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    // The base transformation is echoed and comes first in every URL; the format is
    // the URL's extension.
    assert_eq!(list[0]["transformation"], "c_fill,h_600,w_600");
    let first = check_served(&list[0], "image/png");
    assert!(first.len() <= 3, "{first:?}");
    assert_eq!(first[0].0, 600);
    for bp in list[0]["breakpoints"].as_array().unwrap() {
        let url = bp["url"].as_str().unwrap();
        assert!(url.contains("/c_fill,h_600,w_600/c_scale,w_"), "{url}");
        assert!(url.ends_with("/bp2.png"), "{url}");
        assert_eq!(bp["width"], bp["height"]);
    }
    // max_width past the original's width gives the original's width; a step larger
    // than the whole range keeps that one image.
    let second = list[1]["breakpoints"].as_array().unwrap();
    assert_eq!(second.len(), 1, "{}", list[1]);
    assert_eq!(second[0]["width"], 900);
    assert_eq!(second[0]["height"], 600);
}

#[test]
fn explicit_answers_one_entry_per_setting_and_bad_settings_are_400s() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, _) = upload(
        &client,
        photo(400, 300),
        "e.jpg",
        &opts(r#"{"public_id": "ex"}"#),
    );
    assert_eq!(status, 200);
    let explicit = |extra: &str| {
        let mut o = opts(extra);
        o.insert("type", "upload");
        let req = client.explicit_form("ex", &o).unwrap();
        post_form(&req, None, &[])
    };
    let (status, r) = explicit(
        r#"{"responsive_breakpoints": [{"create_derived": true, "transformation": {"width": 300, "crop": "scale"}, "max_images": 3}, {"create_derived": true, "max_images": 3}]}"#,
    );
    assert_eq!(status, 200, "{r}");
    let list = r["responsive_breakpoints"].as_array().expect("answered");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["transformation"], "c_scale,w_300");
    assert_eq!(list[0]["breakpoints"][0]["width"], 300);
    assert_eq!(list[1]["breakpoints"][0]["width"], 400);
    check_served(&list[0], "image/jpeg");
    for bad in [
        r#"{"responsive_breakpoints": [{"max_images": 500}]}"#,
        r#"{"responsive_breakpoints": [{"transformation": {"raw_transformation": "zz_1"}}]}"#,
        r#"{"responsive_breakpoints": [{"bytes_step": 0}]}"#,
    ] {
        let (status, r) = explicit(bad);
        assert_eq!(status, 400, "{bad}: {r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("responsive_breakpoints"),
            "{r}"
        );
    }
    // A bad setting on upload stores nothing.
    let (status, _) = upload(
        &client,
        photo(40, 30),
        "x.jpg",
        &opts(
            r#"{"public_id": "never", "responsive_breakpoints": [{"min_width": 90, "max_width": 10}]}"#,
        ),
    );
    assert_eq!(status, 400);
    assert_eq!(
        admin_get(&emu, "resources/image/upload/never")
            .status()
            .as_u16(),
        404
    );
}
