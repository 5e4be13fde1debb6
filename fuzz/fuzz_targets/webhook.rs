//! Webhook and upload-response verification on arbitrary bodies, headers and
//! timestamps.
//!
//! Checked against an independent SHA-1/SHA-256 computation: `verify_notification`
//! never panics, never accepts a signature other than the digest of body + timestamp
//! text + secret, never accepts a non-UTF-8 body or an expired timestamp, and accepts
//! the correct signature of a fresh integer timestamp. The emulator's signer agrees
//! with the core's.
#![no_main]

use arbitrary::Arbitrary;
use cldkit::sign::Algorithm;
use cldkit::{Client, Config, Map, Value};
use libfuzzer_sys::fuzz_target;
use sha1::Digest as _;

#[derive(Arbitrary, Debug)]
enum Timestamp {
    Int(i64),
    Text(String),
    Float(f64),
    Bool(bool),
}

#[derive(Arbitrary, Debug)]
enum Signature {
    /// The right digest.
    Correct,
    /// The right digest with one character changed.
    Flipped(u8, u8),
    /// The right digest, upper-cased.
    Upper,
    /// A prefix of the right digest.
    Prefix(u8),
    /// Anything.
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    secret: String,
    sha256: bool,
    now: i32,
    timestamp: Timestamp,
    signature: Signature,
    valid_for: Option<f64>,
    public_id: String,
    version: Timestamp,
    body: Vec<u8>,
}

fn digest(sha256: bool, parts: &[&[u8]]) -> String {
    if sha256 {
        let mut h = sha2::Sha256::new();
        parts.iter().for_each(|p| h.update(p));
        hex::encode(h.finalize())
    } else {
        let mut h = sha1::Sha1::new();
        parts.iter().for_each(|p| h.update(p));
        hex::encode(h.finalize())
    }
}

fn to_value(t: &Timestamp) -> Value {
    match t {
        Timestamp::Int(i) => Value::Int(*i),
        Timestamp::Text(s) => Value::Str(s.clone()),
        Timestamp::Float(f) => Value::Float(*f),
        Timestamp::Bool(b) => Value::Bool(*b),
    }
}

fn signature_for(mode: &Signature, correct: &str) -> String {
    match mode {
        Signature::Correct => correct.to_owned(),
        Signature::Flipped(at, to) => {
            let mut b = correct.as_bytes().to_vec();
            let i = *at as usize % b.len();
            b[i] = if b[i] == *to { to.wrapping_add(1) } else { *to };
            String::from_utf8_lossy(&b).into_owned()
        }
        Signature::Upper => correct.to_ascii_uppercase(),
        Signature::Prefix(n) => correct[..(*n as usize % correct.len())].to_owned(),
        Signature::Raw(s) => s.clone(),
    }
}

fuzz_target!(|input: Input| {
    let mut config = Config::new();
    config.set("cloud_name", "demo").set("api_key", "1234");
    config.set("api_secret", input.secret.clone());
    if input.sha256 {
        config.set("signature_algorithm", "sha256");
    }
    let now = i64::from(input.now);
    let client = Client::new(config).with_clock(move || now);
    let ts = to_value(&input.timestamp);
    let ts_text = ts.py_str().into_owned();
    let correct = digest(
        input.sha256,
        &[&input.body, ts_text.as_bytes(), input.secret.as_bytes()],
    );
    let signature = signature_for(&input.signature, &correct);
    let result = client.verify_notification(&input.body, ts.clone(), &signature, input.valid_for);
    if input.secret.is_empty() {
        assert!(result.is_err(), "an empty secret must be refused");
    }
    if let Ok(true) = result {
        assert_eq!(signature, correct, "accepted a wrong webhook signature");
        assert!(std::str::from_utf8(&input.body).is_ok());
    }
    // The default profile refuses a NaN or infinite `valid_for` (a typed error; a
    // timestamp text with surrounding whitespace, also refused, may be named first).
    let finite = input.valid_for.map_or(true, f64::is_finite);
    if !finite && !input.secret.is_empty() {
        assert!(
            matches!(&result, Err(e) if matches!(e.option(), Some("valid_for" | "timestamp"))),
            "non-finite valid_for: {result:?}"
        );
    }
    if let Timestamp::Int(t) = input.timestamp {
        let valid_for = input.valid_for.unwrap_or(7200.0);
        let fresh = !((t as f64) < now as f64 - valid_for);
        let utf8 = std::str::from_utf8(&input.body).is_ok();
        if !input.secret.is_empty() && utf8 && finite {
            assert_eq!(
                result.as_ref().ok().copied(),
                Some(fresh && signature == correct),
                "verify_notification({input:?})"
            );
        }
        if !fresh && !input.secret.is_empty() && finite {
            assert_eq!(result.as_ref().ok().copied(), Some(false), "expired");
        }
        let algorithm = if input.sha256 {
            Algorithm::Sha256
        } else {
            Algorithm::Sha1
        };
        let core = cldkit::verify::notification_signature(&input.body, t, &input.secret, algorithm);
        assert_eq!(
            core,
            digest(
                input.sha256,
                &[
                    &input.body,
                    t.to_string().as_bytes(),
                    input.secret.as_bytes()
                ]
            )
        );
    }

    // Upload responses: only the digest of the signed public_id/version is accepted.
    let version = to_value(&input.version);
    let mut params = Map::new();
    params.insert("public_id", Value::Str(input.public_id.clone()));
    params.insert("version", version.clone());
    let algorithm = if input.sha256 {
        Algorithm::Sha256
    } else {
        Algorithm::Sha1
    };
    let expected = cldkit::sign::api_sign_request(&params, &input.secret, algorithm, 1);
    let candidate = match (&expected, &input.signature) {
        (Ok(e), mode) => signature_for(mode, e),
        (Err(_), _) => signature.clone(),
    };
    let verdict = client.verify_api_response(input.public_id.as_str(), version, &candidate);
    if let Ok(true) = verdict {
        assert_eq!(
            Some(&candidate),
            expected.as_ref().ok(),
            "accepted a wrong response signature"
        );
    }
});
