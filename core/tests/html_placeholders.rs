//! Placeholder transformations checked against what `@cloudinary/html` emits.
//!
//! `fixtures/html/placeholders.json` was recorded from `@cloudinary/html` 1.13.5 and
//! `@cloudinary/url-gen` 1.22.0 (see `fixtures/html/record.mjs`), so this test runs
//! without network.

use cldkit::html::PlaceholderMode;
use cldkit::{Client, Config, Map};

fn fixture() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/html/placeholders.json"
    );
    let text = std::fs::read_to_string(path).expect("placeholder fixture");
    serde_json::from_str(&text).expect("valid fixture JSON")
}

/// A client for the fixtures' cloud, without the analytics query parameter (which the
/// JavaScript packages were recorded without).
fn client() -> Client {
    Client::new(
        Config::new()
            .with("cloud_name", "demo")
            .with("secure", true)
            .with("analytics", false),
    )
}

fn options_for(transformation: &str) -> Map {
    match transformation {
        "" => Map::new(),
        "c_fill,h_300,w_400" => {
            serde_json::from_str(r#"{"crop": "fill", "height": 300, "width": 400}"#).unwrap()
        }
        other => panic!("no options for fixture transformation {other}"),
    }
}

#[test]
fn placeholders_match_cloudinary_html() {
    let fx = fixture();
    assert_eq!(fx["packages"]["@cloudinary/html"], "1.13.5");
    let client = client();
    let mut checked = 0;
    for case in fx["cases"].as_array().expect("cases") {
        let public_id = case["public_id"].as_str().unwrap();
        let options = options_for(case["transformation"].as_str().unwrap());
        let final_url = case["final_url"].as_str().unwrap();
        let expected = case["placeholder_url"].as_str().unwrap();
        let mode = match case["mode"].as_str() {
            Some("lazyload") => {
                // The lazyload plugin leaves the URL alone on the server side.
                assert_eq!(expected, final_url);
                assert_eq!(client.url(public_id, &options).unwrap(), final_url);
                continue;
            }
            Some(name) => PlaceholderMode::parse_or_default(name),
            None => PlaceholderMode::default(),
        };
        let urls = client.placeholder_urls(public_id, mode, &options).unwrap();
        assert_eq!(urls.url, final_url, "final URL of {case}");
        assert_eq!(urls.placeholder, expected, "placeholder URL of {case}");
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixture cases checked");
}

#[test]
fn lazy_tag_swaps_srcset_and_keeps_attributes() {
    let client = client();
    let opts: Map = serde_json::from_str(
        r#"{"width": 300, "crop": "scale", "loading": "eager", "srcset": {"breakpoints": [100, 200]}}"#,
    )
    .unwrap();
    let html = client
        .lazy_image_tag("dog", &opts, Some(PlaceholderMode::PredominantColor))
        .unwrap();
    assert!(html.contains(r#"loading="eager""#), "{html}");
    assert!(html.contains(r#"data-srcset="https://res.cloudinary.com/demo/image/upload/c_scale,w_300/c_scale,w_100/dog 100w, "#), "{html}");
    assert!(html.contains(r#"src="https://res.cloudinary.com/demo/image/upload/c_scale,w_300/ar_1.0,b_auto,c_pad,w_iw_div_2/c_crop,g_north_east,h_1,w_1/c_fill,h_ih,w_iw/q_auto/f_auto/dog""#), "{html}");
    assert!(!html.contains(" srcset="), "{html}");
    let plain = client.lazy_image_tag("dog", &Map::new(), None).unwrap();
    assert_eq!(
        plain,
        r#"<img loading="lazy" src="https://res.cloudinary.com/demo/image/upload/dog"/>"#
    );
}

#[test]
fn default_profile_escapes_attribute_values() {
    let client = client();
    let opts: Map = serde_json::from_str(r#"{"alt": "A \"q\" & <b>", "title": null}"#).unwrap();
    assert_eq!(
        client.image_tag("dog", &opts).unwrap(),
        r#"<img alt="A &quot;q&quot; &amp; &lt;b&gt;" src="https://res.cloudinary.com/demo/image/upload/dog"/>"#
    );
    let py = client.clone().with_profile(cldkit::Profile::Python);
    assert!(
        py.image_tag("dog", &opts).is_err(),
        "pycloudinary raises on a None attribute"
    );
}
