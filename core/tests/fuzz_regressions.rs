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
/// NaN and infinite `valid_for` disable the age check in the python profile (as in
/// pycloudinary) and are `invalid_option` errors in the default one (review finding 8).
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
    let py = client().with_profile(cldkit::Profile::Python);
    assert!(py
        .verify_notification(body, 1_600_000_000, &sig, Some(f64::NAN))
        .unwrap());
    assert!(py
        .verify_notification(body, 1_600_000_000, &sig, Some(f64::INFINITY))
        .unwrap());
    for vf in [f64::NAN, f64::INFINITY] {
        let e = c
            .verify_notification(body, 1_600_000_000, &sig, Some(vf))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidOption);
    }
    // Upper case, truncated or empty digests are refused.
    for bad in [sig.to_uppercase(), sig[..39].to_owned(), String::new()] {
        assert!(!c
            .verify_notification(body, 1_600_000_000, &bad, Some(1e12))
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

/// Found by the emulator_upload fuzz target's review inputs
/// (fuzz/corpus/emulator_upload/regression-*): Content-Range positions that overflowed
/// `end - start + 1` or seeked past the largest possible file are a 400, not a panic
/// or a 500.
#[test]
fn emulator_refuses_unbounded_content_ranges() {
    use std::io::{Read, Write};
    let emu = cldkit_emulator::Emulator::start(cldkit_emulator::EmulatorConfig::default()).unwrap();
    let account = cldkit_emulator::Account::default_test();
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", account.api_key, account.api_secret),
    );
    for range in [
        "bytes 0-18446744073709551615/*",
        "bytes 18446744073709551610-18446744073709551614/*",
        "bytes 9223372036854775807-9223372036854775808/9223372036854775809",
    ] {
        let body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nab\r\n--B--\r\n";
        let request = format!(
            "POST /v1_1/{}/image/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             Authorization: Basic {basic}\r\nX-Unique-Upload-Id: u1\r\nContent-Range: {range}\r\n\
             Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {}\r\n\r\n{body}",
            account.cloud_name,
            body.len()
        );
        let mut s = std::net::TcpStream::connect(emu.addr()).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 400"), "{range}: {answer}");
        assert!(
            answer.contains("Invalid Content-Range"),
            "{range}: {answer}"
        );
    }
    emu.shutdown();
}
