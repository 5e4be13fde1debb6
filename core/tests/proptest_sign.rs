//! Property tests of signing: what `sign_request` and `upload_form` sign is accepted by
//! the emulator's server-side check, equals an independent recomputation, and stops
//! verifying when any signed value changes.

use cldkit::{Client, Map, Value};
use cldkit_emulator::account::Account;
use cldkit_emulator::auth::{check_upload, UploadAuth};
use cldkit_emulator::params::Params;
use proptest::prelude::*;
use sha1::Digest as _;

const NOW: i64 = 1_700_000_000;

fn account() -> Account {
    Account::new("demo", "123456789012345", "abcd1234SECRETxyz")
}

fn client(sha256: bool) -> Client {
    let mut url = "cloudinary://123456789012345:abcd1234SECRETxyz@demo".to_owned();
    if sha256 {
        url.push_str("?signature_algorithm=sha256");
    }
    Client::from_url(&url).unwrap().with_clock(|| NOW)
}

/// Parameter names a caller might sign (never the ones the server leaves out).
fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,11}".prop_filter("excluded by the server", |k| {
        !matches!(
            k.as_str(),
            "file" | "cloud_name" | "resource_type" | "api_key" | "signature" | "timestamp"
        )
    })
}

/// Non-empty text values: any characters, `&` and `=` included.
fn text() -> impl Strategy<Value = String> {
    "\\PC{1,20}"
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(key(), text(), 1..6).prop_map(|m| m.into_iter().collect())
}

fn emulator_accepts(fields: &[(String, String)]) -> bool {
    let mut p = Params::new();
    for (k, v) in fields {
        p.push_text(k, v.clone());
    }
    matches!(
        check_upload(&account(), "upload", &p, None, NOW + 10, false, |_| Ok(
            None
        )),
        Ok(UploadAuth::Signed)
    )
}

fn independent(pairs: &[(String, String)], sha256: bool) -> String {
    let mut items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}").replace('&', "%26"))
        .collect();
    items.sort();
    let text = items.join("&") + "abcd1234SECRETxyz";
    if sha256 {
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    } else {
        hex::encode(sha1::Sha1::digest(text.as_bytes()))
    }
}

/// Signable values of every kind, falsy ones included.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "\\PC{0,12}".prop_map(Value::Str),
        any::<i64>().prop_map(Value::Int),
        prop_oneof![Just(0.0), Just(2.0), any::<f64>()].prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        prop::collection::vec("[^,\\pC]{0,6}".prop_map(Value::Str), 0..3).prop_map(Value::List),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The streaming signer, fed text through `add_text` where it can, signs exactly as
    /// `api_sign_request` does over the same map.
    #[test]
    fn param_signer_equals_api_sign_request(
        entries in prop::collection::btree_map("[a-z_&=]{1,8}", value(), 0..8),
        version in 1u32..3,
        sha256 in any::<bool>(),
    ) {
        use cldkit::sign::{api_sign_request, Algorithm, ParamSigner};
        let algorithm = if sha256 { Algorithm::Sha256 } else { Algorithm::Sha1 };
        let map: Map = entries.clone().into_iter().collect();
        let mut signer = ParamSigner::new("s3cr3t", algorithm, version).unwrap();
        for (k, v) in &entries {
            match v {
                Value::Str(s) => signer.add_text(k, s),
                other => signer.add(k, other).unwrap(),
            }
        }
        prop_assert_eq!(signer.sign(), api_sign_request(&map, "s3cr3t", algorithm, version).unwrap());
    }

    #[test]
    fn sign_request_verifies_in_the_emulator(pairs in params(), sha256 in any::<bool>()) {
        let c = client(sha256);
        let mut map = Map::new();
        for (k, v) in &pairs {
            map.insert(k.clone(), v.as_str());
        }
        map.insert("timestamp", NOW);
        let signature = c.sign_request(&map).unwrap();
        let mut all = pairs.clone();
        all.push(("timestamp".into(), NOW.to_string()));
        prop_assert_eq!(&signature, &independent(&all, sha256));

        let mut fields = all.clone();
        fields.push(("api_key".into(), "123456789012345".into()));
        fields.push(("signature".into(), signature.clone()));
        prop_assert!(emulator_accepts(&fields), "{:?}", fields);
    }

    #[test]
    fn a_changed_value_no_longer_verifies(
        pairs in params(),
        which in any::<prop::sample::Index>(),
        extra in "\\PC{1,4}",
    ) {
        let c = client(false);
        let mut map = Map::new();
        for (k, v) in &pairs {
            map.insert(k.clone(), v.as_str());
        }
        map.insert("timestamp", NOW);
        let signature = c.sign_request(&map).unwrap();
        let mut fields: Vec<(String, String)> = pairs.clone();
        let i = which.index(fields.len());
        fields[i].1.push_str(&extra);
        fields.push(("timestamp".into(), NOW.to_string()));
        fields.push(("api_key".into(), "123456789012345".into()));
        fields.push(("signature".into(), signature));
        prop_assert!(!emulator_accepts(&fields), "{:?}", fields);
    }

    #[test]
    fn upload_forms_verify_in_the_emulator(
        public_id in "\\PC{1,20}",
        tags in prop::collection::vec("[^,\\pC]{1,8}", 0..3),
        context in prop::collection::btree_map("[a-z]{1,6}", "[^\\\\\\pC]{1,10}", 0..3),
        sha256 in any::<bool>(),
    ) {
        let c = client(sha256);
        let mut options = Map::new();
        options.insert("public_id", public_id.as_str());
        if !tags.is_empty() {
            options.insert("tags", Value::List(tags.iter().map(|t| Value::Str(t.clone())).collect()));
        }
        if !context.is_empty() {
            let mut m = Map::new();
            for (k, v) in &context {
                m.insert(k.clone(), v.as_str());
            }
            options.insert("context", Value::Map(m));
        }
        let form = c.upload_form("https://example.com/a.jpg", &options).unwrap();
        prop_assert!(emulator_accepts(&form.fields), "{:?}", form.fields);

        // The context survives as pairs: `|` and `=` inside values are escaped.
        if let Some(encoded) = form.field("context") {
            prop_assert_eq!(parse_context(encoded), context);
        }
    }
}

/// Splits `k=v|k=v` on unescaped `|` and the first unescaped `=`, unescaping `\|`
/// and `\=` (the server's reading of the context field).
fn parse_context(s: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut pairs = vec![String::new()];
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap_or('\\');
                if next != '|' {
                    pairs.last_mut().unwrap().push('\\');
                }
                pairs.last_mut().unwrap().push(next);
            }
            '|' => pairs.push(String::new()),
            c => pairs.last_mut().unwrap().push(c),
        }
    }
    for pair in pairs {
        let mut key = String::new();
        let mut value = String::new();
        let mut in_value = false;
        let mut chars = pair.chars().peekable();
        while let Some(c) = chars.next() {
            if !in_value {
                if c == '=' {
                    in_value = true;
                } else {
                    key.push(c);
                }
            } else if c == '\\' && chars.peek() == Some(&'=') {
                value.push('=');
                chars.next();
            } else {
                value.push(c);
            }
        }
        out.insert(key, value);
    }
    out
}
