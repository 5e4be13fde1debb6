//! Issue 18, part 1: every transformation parameter of the core's parameter table
//! (`core/src/transform/params.rs`) and every effect the URL spec and the issue name,
//! put in a URL by the core's own builder, delivered by the emulator: a 200 with the
//! size Cloudinary delivers for the geometry parameters, and a 400 with `X-Cld-Error`
//! only for invalid syntax.

mod common;

use cldkit::Client;
use cldkit_emulator::render::color;
use cldkit_emulator::store::Store;
use cldkit_emulator::{Emulator, EmulatorConfig};
use common::{opts, png, upload};
use image::GenericImageView;

struct Fixture {
    emu: Emulator,
    client: Client,
    data: tempfile::TempDir,
}

/// An emulator with `sample` (400 x 200), `logos/badge` (40 x 20, red), `avatar`
/// (50 x 50) and the named transformation `square50` (created with the Admin API).
fn fixture() -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let emu = Emulator::start(EmulatorConfig {
        data_dir: Some(data.path().to_owned()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = Client::from_url(&emu.cloudinary_url()).unwrap();
    for (bytes, id) in [
        (png(400, 200), "sample"),
        (
            cldkit_emulator::render::solid_png(40, 20, image::Rgba([255, 0, 0, 255])).unwrap(),
            "logos/badge",
        ),
        (png(50, 50), "avatar"),
    ] {
        let (status, body) = upload(
            &client,
            bytes,
            "f.png",
            &opts(&format!(r#"{{"public_id": "{id}"}}"#)),
        );
        assert_eq!(status, 200, "{body}");
    }
    // The named transformation is created through the Admin API.
    let a = &emu.accounts()[0];
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1_1/{}/transformations",
            emu.base_url(),
            a.cloud_name
        ))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .form(&[("name", "square50"), ("transformation", "c_fill,w_50,h_50")])
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{}", resp.text().unwrap());
    Fixture { emu, client, data }
}

struct Got {
    url: String,
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Got {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    fn size(&self) -> (u32, u32) {
        image::load_from_memory(&self.bytes)
            .unwrap_or_else(|e| panic!("{}: not an image: {e}", self.url))
            .dimensions()
    }
}

impl Fixture {
    /// Builds the URL of `public_id` with `options` through the core and fetches it.
    fn get_with(&self, public_id: &str, options: &str, accept: Option<&str>) -> Got {
        let mut o = opts(options);
        o.insert("analytics", false);
        let url = self.client.url(public_id, &o).unwrap();
        // Whatever host the configuration gives, the path goes to the emulator.
        let path = &url[url.find("/emulator/").unwrap_or_else(|| panic!("{url}"))..];
        let mut req =
            reqwest::blocking::Client::new().get(format!("{}{path}", self.emu.base_url()));
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let resp = req.send().unwrap();
        Got {
            url,
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            bytes: resp.bytes().unwrap().to_vec(),
        }
    }

    fn get(&self, options: &str) -> Got {
        self.get_with("sample", options, None)
    }
}

/// One URL per parameter of the core's table (with a typical value), and the size
/// Cloudinary delivers for it (the original is 400 x 200).
const PARAMETERS: &[(&str, (u32, u32))] = &[
    (r#"{"angle": 90}"#, (200, 400)),
    (r#"{"angle": -30}"#, (447, 374)),
    (r#"{"angle": ["auto_right", "hflip"]}"#, (400, 200)),
    (r#"{"audio_codec": "aac"}"#, (400, 200)),
    (r#"{"audio_frequency": 44100}"#, (400, 200)),
    (r#"{"aspect_ratio": "1:1", "crop": "fill"}"#, (200, 200)),
    (
        r#"{"aspect_ratio": "16:9", "crop": "fill", "width": 160}"#,
        (160, 90),
    ),
    (r##"{"background": "#ff0000"}"##, (400, 200)),
    (
        r##"{"border": {"width": 5, "color": "#ffaabb"}}"##,
        (410, 210),
    ),
    (r#"{"bit_rate": "2m"}"#, (400, 200)),
    (
        r#"{"crop": "scale", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (r#"{"crop": "fit", "width": 100, "height": 100}"#, (100, 50)),
    (
        r#"{"crop": "limit", "width": 1000, "height": 1000}"#,
        (400, 200),
    ),
    (
        r#"{"crop": "mfit", "width": 800, "height": 800}"#,
        (800, 400),
    ),
    (
        r#"{"crop": "fill", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (
        r#"{"crop": "lfill", "width": 800, "height": 100}"#,
        (400, 100),
    ),
    (
        r#"{"crop": "fill_pad", "width": 100, "height": 100, "gravity": "auto"}"#,
        (100, 100),
    ),
    (r#"{"crop": "crop", "width": 50, "height": 60}"#, (50, 60)),
    (
        r#"{"crop": "thumb", "width": 80, "height": 80, "gravity": "face"}"#,
        (80, 80),
    ),
    (
        r#"{"crop": "pad", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (
        r#"{"crop": "lpad", "width": 800, "height": 800}"#,
        (800, 800),
    ),
    (
        r#"{"crop": "mpad", "width": 800, "height": 800}"#,
        (800, 800),
    ),
    (
        r#"{"crop": "auto", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (
        r#"{"crop": "auto_pad", "width": 100, "height": 100, "gravity": "auto"}"#,
        (100, 100),
    ),
    (
        r#"{"crop": "imagga_crop", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (
        r#"{"crop": "imagga_scale", "width": 100, "height": 100}"#,
        (100, 100),
    ),
    (r#"{"color": "red", "effect": "colorize:50"}"#, (400, 200)),
    (r#"{"color_space": "srgb"}"#, (400, 200)),
    (r#"{"delay": 20}"#, (400, 200)),
    (r#"{"density": 150}"#, (400, 200)),
    (r#"{"dpr": 2.0, "width": 100, "crop": "scale"}"#, (200, 100)),
    (
        r#"{"dpr": "auto", "width": 100, "crop": "scale"}"#,
        (100, 50),
    ),
    (r#"{"duration": "30p"}"#, (400, 200)),
    (r#"{"effect": "sepia:50"}"#, (400, 200)),
    (r#"{"end_offset": "10p"}"#, (400, 200)),
    (r#"{"fetch_format": "png"}"#, (400, 200)),
    (r#"{"flags": ["progressive", "lossy"]}"#, (400, 200)),
    (
        r#"{"custom_function": {"function_type": "wasm", "source": "blur.wasm"}}"#,
        (400, 200),
    ),
    (
        r#"{"custom_pre_function": {"function_type": "remote", "source": "https://example.com/f"}}"#,
        (400, 200),
    ),
    (r#"{"fps": [24, 29.97]}"#, (400, 200)),
    (
        r#"{"gravity": "north_east", "crop": "crop", "width": 50, "height": 50}"#,
        (50, 50),
    ),
    (r#"{"height": 100}"#, (200, 100)),
    (r#"{"height": 0.25}"#, (100, 50)),
    (r#"{"keyframe_interval": 10}"#, (400, 200)),
    (
        r#"{"overlay": {"public_id": "logos/badge"}, "gravity": "south_east", "x": 10, "y": 10}"#,
        (400, 200),
    ),
    (
        r#"{"overlay": {"public_id": "logos/badge"}, "gravity": "north_west", "x": -20, "y": -10}"#,
        (420, 210),
    ),
    (
        r#"{"overlay": {"text": "Hello World", "font_family": "Arial", "font_size": 20}}"#,
        (400, 200),
    ),
    (r#"{"opacity": 50}"#, (400, 200)),
    (r#"{"prefix": "abc"}"#, (400, 200)),
    (r#"{"page": 2}"#, (400, 200)),
    (r#"{"quality": "auto:good"}"#, (400, 200)),
    (r#"{"quality": 70}"#, (400, 200)),
    (r#"{"radius": 20}"#, (400, 200)),
    (r#"{"radius": "max"}"#, (400, 200)),
    (r#"{"radius": [10, 20, 30, 40]}"#, (400, 200)),
    (r#"{"start_offset": "2.5"}"#, (400, 200)),
    (r#"{"streaming_profile": "hd"}"#, (400, 200)),
    (
        r#"{"transformation": [{"width": 100, "crop": "scale"}, {"angle": 90}]}"#,
        (50, 100),
    ),
    (r#"{"transformation": "square50"}"#, (50, 50)),
    (r#"{"transformation": "square50", "angle": 90}"#, (50, 50)),
    (r#"{"underlay": {"public_id": "logos/badge"}}"#, (400, 200)),
    (
        r#"{"video_codec": {"codec": "h264", "profile": "basic", "level": "3.1"}}"#,
        (400, 200),
    ),
    (r#"{"video_sampling": "2s"}"#, (400, 200)),
    (r#"{"width": 100}"#, (100, 50)),
    (r#"{"width": 0.5}"#, (200, 100)),
    (r#"{"width": "iw_div_4", "crop": "scale"}"#, (100, 50)),
    (r#"{"width": "auto:100:300", "crop": "scale"}"#, (300, 150)),
    (
        r#"{"x": 10, "y": 20, "crop": "crop", "width": 50, "height": 50, "gravity": "north_west"}"#,
        (50, 50),
    ),
    (
        r#"{"zoom": 2, "crop": "thumb", "width": 50, "height": 50, "gravity": "face"}"#,
        (50, 50),
    ),
    (
        r#"{"zoom": 2, "crop": "crop", "width": 50, "height": 50}"#,
        (50, 50),
    ),
    (r#"{"offset": "1..3"}"#, (400, 200)),
    (r#"{"size": "60x30", "crop": "scale"}"#, (60, 30)),
    (
        r#"{"if": "w_gt_100", "width": 50, "crop": "scale"}"#,
        (50, 25),
    ),
    (
        r#"{"if": "w_lt_100", "width": 50, "crop": "scale"}"#,
        (400, 200),
    ),
    (
        r#"{"transformation": [{"if": "ar_gt_1"}, {"width": 80, "crop": "scale"}, {"if": "else"}, {"width": 10, "crop": "scale"}, {"if": "end"}]}"#,
        (80, 40),
    ),
    (
        r#"{"variables": [["$w", "100"]], "width": "$w", "crop": "scale"}"#,
        (100, 50),
    ),
    (
        r#"{"$half": "iw_div_2", "width": "$half", "crop": "scale"}"#,
        (200, 100),
    ),
    (
        r#"{"raw_transformation": "w_100,c_fill,h_100/e_blur"}"#,
        (100, 100),
    ),
    (
        r#"{"responsive_width": true, "width": 100, "crop": "fill"}"#,
        (100, 50),
    ),
];

#[test]
fn every_parameter_of_the_table_is_delivered_at_cloudinarys_size() {
    let f = fixture();
    for (options, size) in PARAMETERS {
        let got = f.get(options);
        assert_eq!(
            got.status,
            200,
            "{options} -> {}: {:?}",
            got.url,
            got.header("x-cld-error")
        );
        assert_eq!(got.size(), *size, "{options} -> {}", got.url);
    }
}

/// Every effect of the URL spec (`sepia`, `blur`, `brightness` with a variable) and of
/// the issue, rendered or passed through; the size never changes.
const EFFECTS: &[&str] = &[
    "sepia",
    "sepia:50",
    "blur",
    "blur:2000",
    "blur_region:500",
    "blur_faces",
    "pixelate",
    "pixelate:20",
    "pixelate_region:10",
    "pixelate_faces",
    "grayscale",
    "blackwhite",
    "negate",
    "brightness",
    "brightness:-40",
    "brightness_hsb:30",
    "contrast:50",
    "saturation:-70",
    "vibrance:30",
    "hue:40",
    "red:50",
    "green:-20",
    "blue:10",
    "gamma:50",
    "sharpen",
    "sharpen:400",
    "unsharp_mask:300",
    "colorize:40",
    "tint:60:blue",
    "tint:80:red:blue:yellow",
    "vignette",
    "vignette:60",
    "make_transparent:20",
    "auto_brightness",
    "auto_contrast",
    "auto_color",
    "improve",
    "oil_paint:30",
    "cartoonify",
    "art:zorro",
    "shadow",
    "outline",
    "gradient_fade",
    "vectorize",
    "trim",
    "background_removal",
    "upscale",
];

#[test]
fn every_effect_is_delivered_and_the_ones_not_drawn_say_so() {
    let f = fixture();
    for e in EFFECTS {
        let got = f.get(&format!(r#"{{"effect": "{e}"}}"#));
        assert_eq!(got.status, 200, "{e}: {:?}", got.header("x-cld-error"));
        assert_eq!(got.size(), (400, 200), "{e}");
        let name = e.split(':').next().unwrap();
        let approximate = got.header("x-cld-emulator-approximate");
        if cldkit_emulator::render::effects::is_rendered(name) {
            assert_eq!(approximate, None, "{e}");
        } else {
            assert!(approximate.is_some_and(|a| a.contains(name)), "{e}");
        }
    }
    // The spec's expression example: `e_brightness:$b_mul_2` with `$b` defined.
    let got = f.get(r#"{"$b": 10, "effect": "brightness:$b * 2"}"#);
    assert!(got.url.contains("e_brightness:$b_mul_2"), "{}", got.url);
    assert_eq!(got.status, 200, "{:?}", got.header("x-cld-error"));
}

#[test]
fn invalid_syntax_answers_400_with_x_cld_error() {
    let f = fixture();
    for options in [
        r#"{"width": "abc"}"#,
        r#"{"crop": "bogus", "width": 10}"#,
        r#"{"effect": "Blur"}"#,
        r#"{"radius": "1:2:3:4:5"}"#,
        r#"{"fetch_format": "mp3"}"#,
        r#"{"quality": "high"}"#,
        r#"{"border": "5px_dotted_red"}"#,
        r#"{"background": "nocolour"}"#,
        r#"{"opacity": 150}"#,
        r#"{"dpr": 0}"#,
        r#"{"angle": "sideways"}"#,
        r#"{"width": "$nope", "crop": "scale"}"#,
        r#"{"if": "w_gt", "width": 10}"#,
        r#"{"transformation": "no_such_named"}"#,
    ] {
        let got = f.get(options);
        assert_eq!(got.status, 400, "{options} -> {}", got.url);
        assert!(
            got.header("x-cld-error").is_some_and(|e| !e.is_empty()),
            "{options}"
        );
    }
    // A missing overlay asset is a 404, as a missing original is.
    let got = f.get(r#"{"overlay": "nothere"}"#);
    assert_eq!(got.status, 404);
}

fn pixel(got: &Got, x: u32, y: u32) -> [u8; 4] {
    image::load_from_memory(&got.bytes)
        .unwrap()
        .to_rgba8()
        .get_pixel(x, y)
        .0
}

#[test]
fn layers_placeholders_formats_and_attachments() {
    let f = fixture();
    // The red badge at the south-east corner, 10 px in.
    let got = f.get(r#"{"overlay": {"public_id": "logos/badge"}, "gravity": "south_east", "x": 10, "y": 10, "format": "png"}"#);
    assert_eq!(pixel(&got, 400 - 10 - 20, 200 - 10 - 10), [255, 0, 0, 255]);
    assert_ne!(pixel(&got, 5, 5), [255, 0, 0, 255]);
    // An overlay with its own transformation, applied with fl_layer_apply.
    let got = f.get(r#"{"transformation": [{"overlay": {"public_id": "logos/badge"}, "width": 80, "height": 80, "crop": "scale"}, {"flags": "layer_apply", "gravity": "north_west"}], "format": "png"}"#);
    assert_eq!(got.size(), (400, 200));
    assert_eq!(pixel(&got, 70, 70), [255, 0, 0, 255]);
    // Text is drawn with a real font: dark ink in the middle of the image.
    let white = cldkit_emulator::render::solid_png(300, 60, color::WHITE).unwrap();
    upload(
        &f.client,
        white,
        "w.png",
        &opts(r#"{"public_id": "white"}"#),
    );
    let got = f.get_with(
        "white",
        r#"{"overlay": {"text": "Hello", "font_family": "Arial", "font_size": 40, "font_weight": "bold"}, "format": "png"}"#,
        None,
    );
    let img = image::load_from_memory(&got.bytes).unwrap().to_rgba8();
    let ink = img.pixels().filter(|p| p.0[0] < 60).count();
    assert!(ink > 300, "{ink} dark pixels");
    assert_eq!(img.get_pixel(2, 2).0, [255, 255, 255, 255]);
    // The lazy-loading placeholder: a heavy blur leaves no sharp edge.
    let got = f.get(r#"{"effect": "blur:2000", "quality": 1, "format": "png"}"#);
    let img = image::load_from_memory(&got.bytes).unwrap().to_rgba8();
    let jump = (1..400)
        .map(|x| {
            (i32::from(img.get_pixel(x, 100).0[0]) - i32::from(img.get_pixel(x - 1, 100).0[0]))
                .abs()
        })
        .max()
        .unwrap();
    assert!(jump <= 3, "largest step {jump}");
    // d_: a missing asset delivers the default image with the transformation.
    let got = f.get_with(
        "missing",
        r#"{"default_image": "avatar.png", "width": 25, "crop": "scale"}"#,
        None,
    );
    assert_eq!(
        (got.status, got.size()),
        (200, (25, 25)),
        "{:?}",
        got.header("x-cld-error")
    );
    // f_auto / q_auto from Accept: webp when accepted, else the original's format.
    let got = f.get_with(
        "sample",
        r#"{"fetch_format": "auto", "quality": "auto", "width": 10}"#,
        Some("image/avif,image/webp,*/*"),
    );
    assert_eq!(got.header("content-type").as_deref(), Some("image/webp"));
    assert_eq!(got.header("vary").as_deref(), Some("Accept"));
    assert_eq!(got.size(), (10, 5));
    let got = f.get_with(
        "sample",
        r#"{"fetch_format": "auto", "quality": "auto", "width": 10}"#,
        Some("image/png"),
    );
    assert_eq!(got.header("content-type").as_deref(), Some("image/png"));
    // A format the emulator cannot encode comes as PNG, and says so.
    let got = f.get(r#"{"fetch_format": "avif", "width": 10}"#);
    assert_eq!(got.header("content-type").as_deref(), Some("image/png"));
    assert!(got
        .header("x-cld-emulator-approximate")
        .is_some_and(|a| a.contains("f_avif")));
    // fl_attachment, with and without a name.
    let got = f.get(r#"{"flags": "attachment", "width": 10, "format": "jpg"}"#);
    assert_eq!(
        got.header("content-disposition").as_deref(),
        Some("attachment; filename=\"sample.jpg\"")
    );
    let got = f.get(r#"{"flags": "attachment:pretty"}"#);
    assert_eq!(got.status, 200);
    assert_eq!(
        got.header("content-disposition").as_deref(),
        Some("attachment; filename=\"pretty.png\"")
    );
}

#[test]
fn renderings_are_cached_and_listed_as_derived() {
    let f = fixture();
    let first = f.get(r#"{"width": 120, "crop": "scale", "effect": "sepia"}"#);
    let again = f.get(r#"{"width": 120, "crop": "scale", "effect": "sepia"}"#);
    assert_eq!(first.bytes, again.bytes);
    // The Admin API lists the rendering as the asset's derived resource, with a URL
    // that delivers the same bytes.
    let details: serde_json::Value = common::admin_get(&f.emu, "resources/image/upload/sample")
        .json()
        .unwrap();
    let derived = details["derived"].as_array().unwrap();
    assert_eq!(derived.len(), 1, "{details}");
    assert_eq!(derived[0]["transformation"], "c_scale,e_sepia,w_120");
    assert_eq!(derived[0]["format"], "png");
    assert_eq!(derived[0]["bytes"], first.bytes.len() as u64);
    assert_eq!(derived[0]["id"].as_str().unwrap().len(), 32);
    let url = derived[0]["secure_url"].as_str().unwrap();
    let path = &url[url.find("/emulator/").unwrap()..];
    let served = reqwest::blocking::get(format!("{}{path}", f.emu.base_url())).unwrap();
    assert_eq!(
        served.bytes().unwrap().as_ref(),
        first.bytes.as_slice(),
        "{url}"
    );
    // Evicted renderings leave the list.
    let store = Store::open(f.data.path()).unwrap();
    let asset = store
        .get("emulator", "image", "upload", "sample")
        .unwrap()
        .unwrap();
    let id = derived[0]["id"].as_str().unwrap();
    std::fs::remove_file(store.derived_path(id)).unwrap();
    assert!(store.derived_of(&asset.blob).unwrap().is_empty());
    // A replaced overlay asset is rendered anew (its blob is part of the cache key).
    let with_badge = r#"{"overlay": {"public_id": "logos/badge"}, "format": "png"}"#;
    let before = f.get(with_badge);
    let blue = cldkit_emulator::render::solid_png(40, 20, image::Rgba([0, 0, 255, 255])).unwrap();
    upload(
        &f.client,
        blue,
        "b.png",
        &opts(r#"{"public_id": "logos/badge", "overwrite": true}"#),
    );
    let after = f.get(with_badge);
    assert_eq!(pixel(&before, 200, 100), [255, 0, 0, 255]);
    assert_eq!(pixel(&after, 200, 100), [0, 0, 255, 255]);
}
