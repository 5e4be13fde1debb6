//! Property tests of delivery URLs: every URL parses as a URL, public ids round-trip,
//! and no escaped option value (public id, text-layer text, fetch URL) can add a path
//! segment, a query or a fragment.
//!
//! Verbatim parts (raw_transformation, named transformations, variables) are left out
//! on purpose: the SDK rules put them in the URL as given.

use cldkit::{Client, Map, Value};
use proptest::prelude::*;
use url::Url;

fn client() -> Client {
    Client::from_url("cloudinary://1234:abcd@demo?analytics=false&secure=true").unwrap()
}

/// Percent-decodes `s` (bytes), as a server would before routing.
fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// One path segment of a public id: any characters except `/` and `%` (a `%` is
/// percent-decoded first by the SDK rules), never `.` or `..` (which a browser
/// resolves away, as it would for any URL).
fn segment() -> impl Strategy<Value = String> {
    "[^/%]{1,12}".prop_filter("dot segments", |s| s != "." && s != "..")
}

/// A public id of one to four segments, not a remote URL.
fn public_id() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..4)
        .prop_map(|v| v.join("/"))
        .prop_filter("remote", |s| {
            !s.starts_with("http:/") && !s.starts_with("https:/")
        })
}

/// Parses `url` and checks it has no query and no fragment.
fn parse_plain(url: &str) -> Url {
    let parsed = Url::parse(url).unwrap_or_else(|e| panic!("{url:?} does not parse: {e}"));
    assert_eq!(parsed.query(), None, "{url:?} grew a query");
    assert_eq!(parsed.fragment(), None, "{url:?} grew a fragment");
    assert_eq!(parsed.host_str(), Some("res.cloudinary.com"), "{url:?}");
    parsed
}

fn starts_with_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.first() == Some(&b'v') && b.get(1).is_some_and(u8::is_ascii_digit)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn public_ids_round_trip(pid in public_id(), signed in any::<bool>()) {
        let mut options = Map::new();
        if signed {
            options.insert("sign_url", true);
        }
        let url = client().url(&pid, &options).unwrap();
        let parsed = parse_plain(&url);
        let prefix = if signed { 5 } else { 4 };
        let path = parsed.path();
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        prop_assert_eq!(&segments[..3], &["demo", "image", "upload"][..]);
        if signed {
            prop_assert!(segments[3].starts_with("s--") && segments[3].ends_with("--"));
        }
        let mut rest: Vec<&str> = segments[prefix - 1..].to_vec();
        if pid.contains('/') && !starts_with_version(&pid) {
            prop_assert_eq!(rest[0], "v1");
            rest.remove(0);
        }
        prop_assert_eq!(rest.len(), pid.split('/').count(), "segments of {}", url);
        prop_assert_eq!(decode(&rest.join("/")), pid.as_bytes().to_vec(), "{}", url);
    }

    #[test]
    fn public_ids_with_transformations_keep_their_place(
        pid in public_id(),
        width in 1u32..5000,
        format in "[a-z0-9]{1,4}",
    ) {
        let mut options = Map::new();
        options.insert("width", width as i64);
        options.insert("crop", "scale");
        options.insert("format", format.as_str());
        let url = client().url(&pid, &options).unwrap();
        let parsed = parse_plain(&url);
        let expected_tail = format!(".{format}");
        prop_assert!(parsed.path().ends_with(&expected_tail), "{}", url);
        let segments: Vec<&str> = parsed.path().split('/').skip(1).collect();
        let expected_transformation = format!("c_scale,w_{width}");
        prop_assert_eq!(segments[3], expected_transformation.as_str());
    }

    #[test]
    fn text_layers_stay_in_one_component(text in "\\PC{1,24}", font_size in 1u32..200) {
        let mut layer = Map::new();
        layer.insert("text", text.as_str());
        layer.insert("font_family", "Arial");
        layer.insert("font_size", font_size as i64);
        let mut options = Map::new();
        options.insert("overlay", Value::Map(layer));
        let url = match client().url("sample", &options) {
            Ok(u) => u,
            // Text that is only a variable reference etc. may be refused; never a panic.
            Err(_) => return Ok(()),
        };
        let parsed = parse_plain(&url);
        let segments: Vec<&str> = parsed.path().split('/').skip(1).collect();
        prop_assert_eq!(segments.len(), 5, "{}", url);
        prop_assert_eq!(segments[4], "sample");
        let prefix = format!("l_text:Arial_{font_size}:");
        prop_assert!(segments[3].starts_with(&prefix), "{}", url);
        let encoded = &segments[3][prefix.len()..];
        prop_assert!(!encoded.contains(','), "a comma would split the component: {}", url);
        if !text.contains('%') && !text.contains("$(") {
            let once = String::from_utf8(decode(encoded)).unwrap();
            let original = once.replace("%2C", ",").replace("%2F", "/");
            prop_assert_eq!(original, text);
        }
    }

    #[test]
    fn fetch_urls_stay_in_the_source(
        host in "[a-z]{1,10}\\.(com|org)",
        path in "[^/]{0,20}(/[^/]{1,10}){0,2}",
        query in proptest::option::of("\\PC{0,16}"),
        fragment in proptest::option::of("\\PC{0,8}"),
    ) {
        let mut remote = format!("https://{host}/{path}");
        if let Some(q) = &query {
            remote.push('?');
            remote.push_str(q);
        }
        if let Some(f) = &fragment {
            remote.push('#');
            remote.push_str(f);
        }
        prop_assume!(!remote[8..].contains("//"));
        // Dot segments are kept as pycloudinary keeps them; a URL parser resolves them.
        prop_assume!(!remote[8..].split('/').any(|s| s == "." || s == ".."));
        let mut options = Map::new();
        options.insert("type", "fetch");
        options.insert("width", 100);
        let url = client().url(&remote, &options).unwrap();
        let parsed = parse_plain(&url);
        let head = "/demo/image/fetch/w_100/";
        prop_assert!(parsed.path().starts_with(head), "{}", url);
        let decoded = decode(&parsed.path()[head.len()..]);
        prop_assert_eq!(decoded, remote.as_bytes().to_vec(), "{}", url);
    }

    #[test]
    fn any_option_value_gives_a_url_or_an_error(
        key in prop::sample::select(vec![
            "width", "height", "crop", "gravity", "effect", "overlay", "underlay", "angle",
            "radius", "border", "color", "background", "quality", "fetch_format", "dpr",
            "opacity", "x", "y", "zoom", "aspect_ratio", "start_offset", "end_offset",
            "version", "format", "type", "resource_type", "url_suffix", "density", "page",
            "flags", "default_image", "prefix", "delay", "color_space", "audio_codec",
            "video_codec", "if", "variables", "transformation", "responsive_width",
        ]),
        value in prop_oneof![
            "\\PC{0,16}".prop_map(Value::Str),
            any::<i64>().prop_map(Value::Int),
            any::<f64>().prop_map(Value::Float),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
            prop::collection::vec("\\PC{0,6}".prop_map(Value::Str), 0..3).prop_map(Value::List),
        ],
    ) {
        let mut options = Map::new();
        options.insert(key, value);
        // Never a panic; when a URL comes out, it parses.
        if let Ok(url) = client().url("sample", &options) {
            Url::parse(&url).unwrap_or_else(|e| panic!("{url:?}: {e}"));
        }
    }
}
