//! Inputs found while fuzzing (fuzz/) and by the security review (docs/SECURITY.md),
//! kept as regression tests: each must give a typed result, never a panic, and never
//! show a secret.

use cldkit::config::{parse_url_settings, UrlKind};
use cldkit::sign::Algorithm;
use cldkit::{Client, Config, ErrorKind, Map, Value};

const TOKEN: &str = "Zq9XsEcReTw7Kp";

fn client() -> Client {
    Client::from_url(&format!("cloudinary://1234:{TOKEN}@demo?analytics=false"))
        .unwrap()
        .with_clock(|| 1_700_000_000)
}

/// Found by fuzz/config_url: URLs with a valid-looking password and a broken query.
#[test]
fn config_parse_errors_never_echo_the_password() {
    for url in [
        format!("cloudinary://k:{TOKEN}@c?a[c]=1&a[c]/x=2"),
        format!("cloudinary://k:{TOKEN}@c?a=1&a[b]=2"),
        format!("account://k:{TOKEN}@acc?a[b=1"),
        format!("http://k:{TOKEN}@c"),
        format!("cloudinary://k:{TOKEN}@[::1"),
        format!("cloudinary://k:{TOKEN}@c:99999999999"),
    ] {
        for kind in [UrlKind::Cloudinary, UrlKind::Account] {
            match parse_url_settings(&url, kind) {
                Err(e) => {
                    let text = format!("{e} {e:?}");
                    assert!(!text.contains(TOKEN), "{url}: {text}");
                }
                Ok(settings) => {
                    let config = Config::from_map(settings);
                    let shown = format!("{config:?} {:?}", Client::new(config.clone()));
                    assert!(!shown.contains(TOKEN), "{url}: {shown}");
                }
            }
        }
    }
}

/// Deep nesting is refused with `invalid_option`, whatever the depth.
#[test]
fn deeply_nested_transformations_are_refused() {
    for depth in [65usize, 200, 5000] {
        let mut t = Map::new();
        t.insert("width", 1);
        for _ in 0..depth {
            let mut outer = Map::new();
            outer.insert("transformation", Value::Map(t));
            t = outer;
        }
        let e = client().url("s", &t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidOption, "depth {depth}");
    }
    let mut t = Map::new();
    t.insert("width", 1);
    for _ in 0..3 {
        let mut outer = Map::new();
        outer.insert("transformation", Value::Map(t));
        t = outer;
    }
    assert_eq!(
        client().url("s", &t).unwrap(),
        "https://res.cloudinary.com/demo/image/upload/w_1/s"
    );
}

/// Extreme numbers give a URL or a typed error.
#[test]
fn extreme_numbers_do_not_panic() {
    let values = [
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(f64::MAX),
        Value::Float(f64::MIN_POSITIVE),
        Value::Float(f64::NAN),
        Value::Float(f64::INFINITY),
        Value::Float(-0.0),
        Value::Str("9".repeat(400)),
    ];
    for key in [
        "width",
        "height",
        "angle",
        "x",
        "y",
        "radius",
        "dpr",
        "start_offset",
        "end_offset",
        "duration",
        "version",
        "quality",
        "zoom",
        "aspect_ratio",
        "page",
        "opacity",
    ] {
        for v in &values {
            let mut o = Map::new();
            o.insert(key, v.clone());
            o.insert("sign_url", true);
            if let Ok(url) = client().url("sample", &o) {
                assert!(url.starts_with("https://res.cloudinary.com/demo/"), "{url}");
                assert!(!url.contains(TOKEN));
            }
        }
    }
}

/// Webhook verification: a non-UTF-8 body is an error even with the right digest;
/// NaN and infinite `valid_for` disable the age check, as in pycloudinary.
#[test]
fn webhook_edge_cases() {
    let c = client();
    let body = b"{\"a\":1}\xff";
    let sig = cldkit::verify::notification_signature(body, 1_600_000_000, TOKEN, Algorithm::Sha1);
    assert!(c
        .verify_notification(body, 1_600_000_000, &sig, Some(f64::NAN))
        .is_err());

    let body = b"{\"a\":1}";
    let sig = cldkit::verify::notification_signature(body, 1_600_000_000, TOKEN, Algorithm::Sha1);
    assert!(!c
        .verify_notification(body, 1_600_000_000, &sig, None)
        .unwrap());
    assert!(c
        .verify_notification(body, 1_600_000_000, &sig, Some(f64::NAN))
        .unwrap());
    assert!(c
        .verify_notification(body, 1_600_000_000, &sig, Some(f64::INFINITY))
        .unwrap());
    // Upper case, truncated or empty digests are refused.
    for bad in [sig.to_uppercase(), sig[..39].to_owned(), String::new()] {
        assert!(!c
            .verify_notification(body, 1_600_000_000, &bad, Some(f64::INFINITY))
            .unwrap());
    }
    // Timestamps that are not integers are errors, never `true`.
    for ts in ["", " ", "1e9", "0x10", "1_", "_1", "1__0"] {
        assert!(
            c.verify_notification(body, ts, &sig, None).is_err(),
            "{ts:?}"
        );
    }
}
