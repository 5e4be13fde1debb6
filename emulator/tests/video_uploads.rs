//! Video uploads (MP4, MOV, WebM samples written by `tests/emulator/media/make_samples.py`
//! and checked against FFmpeg when they were made: 0.5 s, 10 fps, 5 frames) and their
//! delivery as images.
mod common;

use cldkit_emulator::video;
use cldkit_emulator::EmulatorConfig;
use common::*;
use serde_json::Value as Json;

const MP4: &[u8] = include_bytes!("../../tests/emulator/media/sample.mp4");
const MOV: &[u8] = include_bytes!("../../tests/emulator/media/sample.mov");
const WEBM: &[u8] = include_bytes!("../../tests/emulator/media/sample.webm");

fn get(url: &str) -> reqwest::blocking::Response {
    reqwest::blocking::get(url).expect("delivery request")
}

#[test]
fn mp4_uploads_report_size_duration_codec_and_frame_rate() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, r) = upload(
        &client,
        MP4.to_vec(),
        "clip.mp4",
        &opts(r#"{"public_id": "v/clip", "resource_type": "video"}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "video");
    assert_eq!(r["format"], "mp4");
    assert_eq!(
        (r["width"].as_u64(), r["height"].as_u64()),
        (Some(32), Some(32))
    );
    assert_eq!(r["duration"].as_f64(), Some(0.5), "{r}");
    assert_eq!(r["frame_rate"].as_f64(), Some(10.0), "{r}");
    assert_eq!(r["nb_frames"], 5);
    assert_eq!(r["pages"], 0);
    assert_eq!(r["is_audio"], false);
    assert_eq!(r["rotation"], 0);
    assert_eq!(r["audio"], serde_json::json!({}));
    assert_eq!(r["video"]["codec"], "h264");
    assert_eq!(r["video"]["profile"], "Constrained Baseline");
    assert_eq!(r["video"]["level"], 12);
    assert_eq!(r["video"]["time_base"], "1/1000");
    assert!(r["video"]["bit_rate"].is_string(), "{r}");
    let bytes = MP4.len() as f64;
    assert_eq!(
        r["bit_rate"].as_u64(),
        Some((bytes * 8.0 / 0.5).round() as u64)
    );
    let v = r["version"].as_i64().unwrap();
    assert_eq!(
        r["playback_url"],
        format!(
            "{}/emulator/video/upload/sp_auto/v{v}/v/clip.m3u8",
            emu.base_url()
        )
    );
    // The original is served at the answer's URL.
    let resp = get(r["secure_url"].as_str().unwrap());
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "video/mp4");
    assert_eq!(resp.bytes().unwrap().as_ref(), MP4);
    // The Admin API shows the stored size.
    let res: Json = admin_get(&emu, "resources/video/upload/v/clip")
        .json()
        .unwrap();
    assert_eq!(
        (res["width"].as_u64(), res["height"].as_u64()),
        (Some(32), Some(32))
    );
}

#[test]
fn auto_detects_a_mov_without_a_file_name_and_a_webm() {
    let (emu, client) = start(EmulatorConfig::default());
    // A data URI has no file name: the content says it is a QuickTime movie.
    use base64::Engine as _;
    let uri = format!(
        "data:video/quicktime;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(MOV)
    );
    let req = client
        .upload_form(
            &uri,
            &opts(r#"{"public_id": "mov", "resource_type": "auto"}"#),
        )
        .unwrap();
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "video");
    assert_eq!(r["format"], "mov");
    assert_eq!(r["duration"].as_f64(), Some(0.5));
    let (status, r) = upload(
        &client,
        WEBM.to_vec(),
        "w.webm",
        &opts(r#"{"public_id": "w", "resource_type": "auto"}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "video");
    assert_eq!(r["format"], "webm");
    assert_eq!(
        (r["width"].as_u64(), r["height"].as_u64()),
        (Some(64), Some(48))
    );
    assert_eq!(r["duration"].as_f64(), Some(0.5));
    assert_eq!(r["frame_rate"].as_f64(), Some(10.0));
    assert_eq!(r["nb_frames"], 5);
    assert_eq!(r["video"]["codec"], "vp8");
    drop(emu);
}

#[test]
fn videos_are_delivered_as_images() {
    let (emu, client) = start(EmulatorConfig::default());
    for (bytes, name) in [(MP4, "t.mp4"), (WEBM, "t.webm")] {
        let pid = name.replace('.', "_");
        let (status, r) = upload(
            &client,
            bytes.to_vec(),
            name,
            &opts(&format!(
                r#"{{"public_id": "{pid}", "resource_type": "video"}}"#
            )),
        );
        assert_eq!(status, 200, "{r}");
    }
    let base = format!("{}/emulator/video/upload", emu.base_url());
    // H.264 frames are not decoded: a placeholder of the video's size.
    let resp = get(&format!("{base}/t_mp4.jpg"));
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&resp.bytes().unwrap())
        .unwrap()
        .to_rgb8();
    assert_eq!(img.dimensions(), (32, 32));
    let corner = img.get_pixel(0, 0).0;
    assert!(corner.iter().all(|c| c.abs_diff(0x30) < 12), "{corner:?}");
    // Transformations apply to the image, video-only ones (so_) are dropped.
    let resp = get(&format!("{base}/so_2,w_16,c_scale/t_mp4.png"));
    assert_eq!(resp.status().as_u16(), 200);
    let img = image::load_from_memory(&resp.bytes().unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (16, 16));
    // A VP8 key frame is decoded: the first frame of the sample, whose pixel (x, y)
    // was drawn as (4x, 5y, 128) before lossy encoding.
    let resp = get(&format!("{base}/t_webm.png"));
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let img = image::load_from_memory(&resp.bytes().unwrap())
        .unwrap()
        .to_rgb8();
    assert_eq!(img.dimensions(), (64, 48));
    for (x, y) in [(32u32, 24u32), (63, 47), (10, 40), (50, 10)] {
        let got = img.get_pixel(x, y).0;
        let want = [(x * 4) as u8, (y * 5) as u8, 128];
        for (g, w) in got.iter().zip(want) {
            assert!(g.abs_diff(w) <= 24, "({x}, {y}): {got:?} vs {want:?}");
        }
    }
    // The video itself is still served as a video; HEAD of a still has no body.
    let resp = get(&format!("{base}/t_webm.webm"));
    assert_eq!(resp.headers()["content-type"], "video/webm");
    let head = reqwest::blocking::Client::new()
        .head(format!("{base}/t_webm.jpg"))
        .send()
        .unwrap();
    assert_eq!(head.status().as_u16(), 200);
    assert!(head.headers()["content-length"].to_str().unwrap() != "0");
    // A bad image parameter is still a 400.
    let resp = get(&format!("{base}/w_abc/t_mp4.jpg"));
    assert_eq!(resp.status().as_u16(), 400);
}

#[test]
fn damaged_videos_are_errors_not_panics() {
    // Every prefix and many single-byte changes of the samples: typed errors or
    // partial facts, never a panic.
    for sample in [MP4, MOV, WEBM] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v");
        for cut in (0..sample.len()).step_by(13) {
            std::fs::write(&path, &sample[..cut]).unwrap();
            let _ = video::probe(&path);
        }
        for i in (0..sample.len()).step_by(7) {
            let mut bad = sample.to_vec();
            bad[i] ^= 0xFF;
            std::fs::write(&path, &bad).unwrap();
            let _ = video::probe(&path);
            bad[i] = 0xFF;
            std::fs::write(&path, &bad).unwrap();
            let _ = video::probe(&path);
        }
    }
    // A box claiming more than the file holds, and an EBML header and nothing else.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    std::fs::write(&path, b"\xff\xff\xff\xffmoov").unwrap();
    assert!(matches!(
        video::probe(&path),
        Err(video::VideoError::Malformed(_))
    ));
    std::fs::write(&path, [0x1A, 0x45, 0xDF, 0xA3, 0x80]).unwrap();
    assert!(video::probe(&path).is_err());
    std::fs::write(&path, b"not a video at all").unwrap();
    assert_eq!(video::probe(&path), Err(video::VideoError::NotAVideo));
    // A damaged upload (cut inside its moov box) is still stored as a video, without
    // the facts it lacks.
    let (_emu, client) = start(EmulatorConfig::default());
    let (status, r) = upload(
        &client,
        MP4[..100].to_vec(),
        "cut.mp4",
        &opts(r#"{"public_id": "cut", "resource_type": "video"}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "video");
    assert!(r.get("duration").is_none(), "{r}");
}
