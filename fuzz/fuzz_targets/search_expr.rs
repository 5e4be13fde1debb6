//! The emulator's search expression language (Search API `expression`, resources and
//! folders): parsing and matching.
//!
//! Input: the expression text. Checked: no panic and no stack overflow on any text
//! (the parser bounds nesting and terms, matching uses an explicit stack); a refused
//! expression is a `Query Error`; and negation means negation: wrapped as
//! `NOT (<text>)`, an accepted expression matches exactly the assets and folders it
//! did not match before.
#![no_main]

use std::sync::OnceLock;

use cldkit_emulator::search::{self, matches, matches_folder};
use cldkit_emulator::store::Asset;
use libfuzzer_sys::fuzz_target;

fn asset(public_id: &str, tags: &[&str], width: u32, context: &str) -> Asset {
    let (folder, name) = public_id.rsplit_once('/').unwrap_or(("", public_id));
    Asset {
        cloud: "emulator".into(),
        resource_type: "image".into(),
        delivery_type: "upload".into(),
        public_id: public_id.into(),
        asset_id: format!("{:032x}", public_id.len()),
        version: 1_700_000_000,
        version_id: "0".repeat(32),
        format: "png".into(),
        width: Some(width),
        height: Some(width / 2),
        bytes: u64::from(width) * 100,
        etag: "e".repeat(32),
        created_at: "2024-01-02T03:04:05Z".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        context: serde_json::from_str(context).unwrap_or_default(),
        metadata: serde_json::from_str(r#"{"sku": "a-1", "colors": ["red", "blue"], "n": 3}"#)
            .unwrap_or_default(),
        asset_folder: folder.into(),
        display_name: name.into(),
        original_filename: name.into(),
        blob: "b".repeat(32),
        seq: 1,
        access_mode: "public".into(),
    }
}

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        vec![
            asset("kitten", &["cat", "animal"], 640, r#"{"alt": "a cat"}"#),
            asset("top/sub/dog-2", &["dog"], 5, "{}"),
            asset("Ünïcode/ß", &[], 1, r#"{"k": "v"}"#),
        ]
    })
}

const FOLDERS: &[(&str, &str, &str)] = &[
    ("sub", "top/sub", "abc"),
    ("top", "top", "def"),
    ("x y", "a/x y", ""),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let expr = match search::parse(text) {
        Ok(e) => e,
        Err(e) => {
            assert!(e.starts_with("Query Error"), "{e}");
            return;
        }
    };
    let negated = search::parse(&format!("NOT ({text})")).ok();
    for a in assets() {
        let m = matches(&expr, a);
        if let Some(n) = &negated {
            assert_eq!(matches(n, a), !m, "{text:?} on {}", a.public_id);
        }
    }
    for (name, path, id) in FOLDERS {
        let m = matches_folder(&expr, name, path, id);
        if let Some(n) = &negated {
            assert_eq!(matches_folder(n, name, path, id), !m, "{text:?} on {path}");
        }
    }
});
