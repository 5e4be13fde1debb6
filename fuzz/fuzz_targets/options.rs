//! Option maps to URLs, HTML tags, signatures, upload forms and download URLs.
//!
//! Input: a conformance-case-shaped JSON object `{"kind", "config", "input"}` (the
//! seeds are the shared corpus cases). Every kind that takes option maps is run in
//! both profiles through `cldkit::conformance::run_case`, which calls the public API.
//! Checked: no panic, the result serialises, and the configured `api_secret` never
//! appears in a URL, a tag, a form or an error message.
#![no_main]

use cldkit::conformance::run_case;
use cldkit::Profile;
use cldkit_fuzz::{assert_not_leaked, TOKEN};
use libfuzzer_sys::fuzz_target;
use serde_json::Value as Json;

const KINDS: &[&str] = &[
    "url",
    "video_thumbnail_url",
    "api_url",
    "analytics",
    "image_tag",
    "video_tag",
    "picture_tag",
    "private_download_url",
    "zip_download_url",
    "download_archive_url",
    "download_zip_url",
    "download_folder",
    "download_backedup_asset",
    "download_generated_sprite",
    "download_multi",
    "sign_request",
    "signed_upload_form",
    "upload_params",
    "upload_api_call",
    "auth_token",
    "verify_api_response",
];

fuzz_target!(|data: &[u8]| {
    let Ok(mut case) = serde_json::from_slice::<Json>(data) else {
        return;
    };
    let Some(obj) = case.as_object_mut() else {
        return;
    };
    let given = obj.get("kind").and_then(Json::as_str).unwrap_or("");
    let kind = if KINDS.contains(&given) {
        given.to_owned()
    } else {
        KINDS[data.len() % KINDS.len()].to_owned()
    };
    obj.insert("kind".into(), Json::String(kind));
    // A non-empty string secret becomes the distinctive TOKEN, so that finding it in
    // an output is always a leak (a short secret could be a word of any URL).
    let mut secret = String::new();
    if let Some(config) = obj.get_mut("config").and_then(Json::as_object_mut) {
        if config
            .get("api_secret")
            .and_then(Json::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            config.insert("api_secret".into(), Json::String(TOKEN.into()));
            secret = TOKEN.into();
        }
    }
    // Everything except the secret itself: an output may echo these.
    let mut visible = case.clone();
    if let Some(c) = visible.get_mut("config").and_then(Json::as_object_mut) {
        c.remove("api_secret");
    }
    let source = visible.to_string();
    for profile in [Profile::Default, Profile::Python] {
        let result = run_case(&case, profile);
        let text = serde_json::to_string(&result).expect("results serialise");
        assert_not_leaked("a result", &text, &secret, &source);
    }
});
