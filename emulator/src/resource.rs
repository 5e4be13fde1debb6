//! Resource objects as the APIs return them, and the value encodings they accept
//! (`context` / `metadata` strings).

use cldkit::sign::api_sign_request;
use cldkit::{Map, Value};
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::{Account, FolderMode};
use crate::store::Asset;

/// Parses `key=value|key2=value2` with `\=` and `\|` escapes (the SDKs' encoding of
/// `context` and `metadata`). A JSON object string is accepted too.
pub fn parse_pairs(text: &str) -> JsonMap<String, Json> {
    let mut out = JsonMap::new();
    if text.trim_start().starts_with('{') {
        if let Ok(Json::Object(m)) = serde_json::from_str::<Json>(text) {
            return m;
        }
    }
    let mut items: Vec<String> = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ ('=' | '|')) => {
                    let last = items.last_mut().expect("non-empty");
                    last.push('\\');
                    last.push(n);
                }
                Some(n) => {
                    let last = items.last_mut().expect("non-empty");
                    last.push('\\');
                    last.push(n);
                }
                None => items.last_mut().expect("non-empty").push('\\'),
            },
            '|' => items.push(String::new()),
            c => items.last_mut().expect("non-empty").push(c),
        }
    }
    for item in items {
        if item.is_empty() {
            continue;
        }
        // Split at the first unescaped '='.
        let bytes: Vec<char> = item.chars().collect();
        let mut split = None;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == '\\' {
                i += 2;
                continue;
            }
            if bytes[i] == '=' {
                split = Some(i);
                break;
            }
            i += 1;
        }
        let unescape = |s: &[char]| -> String {
            let s: String = s.iter().collect();
            s.replace("\\=", "=").replace("\\|", "|")
        };
        match split {
            Some(i) => {
                let key = unescape(&bytes[..i]);
                let raw = unescape(&bytes[i + 1..]);
                let value = if raw.starts_with('[') {
                    serde_json::from_str::<Json>(&raw).unwrap_or(Json::String(raw))
                } else {
                    Json::String(raw)
                };
                out.insert(key, value);
            }
            None => {
                out.insert(unescape(&bytes), Json::String(String::new()));
            }
        }
    }
    out
}

/// The access modes an asset can have.
pub const ACCESS_MODES: &[&str] = &["public", "authenticated"];

/// Checks an `access_mode` value: `public` or `authenticated`, else a 400 naming it.
pub fn access_mode(value: &str) -> crate::error::ApiResult<String> {
    if ACCESS_MODES.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(crate::error::ApiError::bad_request(format!(
            "Invalid value {value} for parameter access_mode (public or authenticated)"
        )))
    }
}

/// The response `signature` of an upload result: signature version 1 over
/// `public_id` and `version` (computed by the core).
pub fn response_signature(account: &Account, public_id: &str, version: i64) -> String {
    let mut m = Map::new();
    m.insert("public_id", public_id);
    m.insert("version", Value::Str(version.to_string()));
    api_sign_request(&m, &account.api_secret, account.algorithm, 1).unwrap_or_default()
}

/// Whether a URL the emulator announces as `secure` (a `secure_url`) is built with
/// https: not when the account's delivery host is the emulator, which serves plain
/// http only, so that a stored `secure_url` is fetchable.
pub fn secure_scheme(account: &Account, secure: bool) -> bool {
    secure && account.delivery_host.is_none()
}

/// The delivery URL of an asset (built by the core), `secure` or not (see
/// [`secure_scheme`]).
pub fn delivery_url(account: &Account, a: &Asset, secure: bool) -> String {
    delivery_url_with(account, a, secure, &Map::new())
}

/// [`delivery_url`] with more URL options (`raw_transformation`, `format`, …), which
/// win over the asset's own.
pub fn delivery_url_with(account: &Account, a: &Asset, secure: bool, extra: &Map) -> String {
    let mut o = Map::new();
    o.insert("resource_type", a.resource_type.as_str());
    o.insert("type", a.delivery_type.as_str());
    o.insert("version", Value::Int(a.version));
    if !a.format.is_empty() && a.resource_type != "raw" {
        o.insert("format", a.format.as_str());
    }
    for (k, v) in extra.iter() {
        o.insert(k, v.clone());
    }
    o.insert("secure", secure_scheme(account, secure));
    account.client().url(&a.public_id, &o).unwrap_or_default()
}

/// Adds the fields of a video's upload answer to `body` (an [`asset_json`] object):
/// `pages: 0`, `playback_url` (the adaptive-streaming URL the real service announces,
/// `sp_auto/…/<public_id>.m3u8`; the emulator does not serve it) and, when the file
/// could be read, what [`crate::video::VideoInfo::answer_fields`] gives.
pub fn add_video_fields(
    account: &Account,
    a: &Asset,
    info: Option<&crate::video::VideoInfo>,
    body: &mut Json,
) {
    let Json::Object(o) = body else {
        return;
    };
    o.insert("pages".into(), json!(0));
    let mut extra = Map::new();
    extra.insert("raw_transformation", "sp_auto");
    extra.insert("format", "m3u8");
    o.insert(
        "playback_url".into(),
        json!(delivery_url_with(account, a, true, &extra)),
    );
    if let Some(info) = info {
        for (k, v) in info.answer_fields(a.bytes) {
            o.insert(k, v);
        }
    }
}

/// What a resource object includes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shape {
    /// Upload-style result (signature, api_key, original_filename).
    pub upload: bool,
    /// Include tags even when empty.
    pub tags: bool,
    /// Include context.
    pub context: bool,
    /// Include metadata.
    pub metadata: bool,
}

/// The JSON object of an asset.
pub fn asset_json(account: &Account, a: &Asset, shape: Shape) -> Json {
    let mut o = JsonMap::new();
    o.insert("asset_id".into(), json!(a.asset_id));
    o.insert("public_id".into(), json!(a.public_id));
    if shape.upload {
        o.insert("version".into(), json!(a.version));
        o.insert("version_id".into(), json!(a.version_id));
        o.insert(
            "signature".into(),
            json!(response_signature(account, &a.public_id, a.version)),
        );
    }
    if !a.format.is_empty() && a.resource_type != "raw" {
        o.insert("format".into(), json!(a.format));
    }
    if !shape.upload {
        o.insert("version".into(), json!(a.version));
    }
    o.insert("resource_type".into(), json!(a.resource_type));
    o.insert("type".into(), json!(a.delivery_type));
    o.insert("created_at".into(), json!(a.created_at));
    o.insert("bytes".into(), json!(a.bytes));
    if let (Some(w), Some(h)) = (a.width, a.height) {
        o.insert("width".into(), json!(w));
        o.insert("height".into(), json!(h));
        if a.resource_type == "image" {
            o.insert("pages".into(), json!(1));
        }
    }
    if shape.upload || shape.tags || !a.tags.is_empty() {
        o.insert("tags".into(), json!(a.tags));
    }
    o.insert("etag".into(), json!(a.etag));
    o.insert("placeholder".into(), json!(false));
    o.insert("url".into(), json!(delivery_url(account, a, false)));
    o.insert("secure_url".into(), json!(delivery_url(account, a, true)));
    match account.folder_mode {
        FolderMode::Dynamic => {
            o.insert("asset_folder".into(), json!(a.asset_folder));
            o.insert("display_name".into(), json!(a.display_name));
        }
        FolderMode::Fixed => {
            let folder = a.public_id.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
            o.insert("folder".into(), json!(folder));
        }
    }
    if (shape.upload || shape.context) && !a.context.is_empty() {
        o.insert("context".into(), json!({"custom": a.context}));
    }
    if (shape.upload || shape.metadata) && !a.metadata.is_empty() {
        o.insert("metadata".into(), Json::Object(a.metadata.clone()));
    }
    if shape.upload {
        o.insert("original_filename".into(), json!(a.original_filename));
        o.insert("api_key".into(), json!(account.api_key));
        if a.access_mode != "public" {
            o.insert("access_mode".into(), json!(a.access_mode));
        }
    } else {
        o.insert("access_mode".into(), json!(a.access_mode));
        o.insert("status".into(), json!("active"));
        o.insert("uploaded_at".into(), json!(a.created_at));
        o.insert(
            "filename".into(),
            json!(a.public_id.rsplit('/').next().unwrap_or("")),
        );
        if let (Some(w), Some(h)) = (a.width, a.height) {
            if h > 0 {
                o.insert("aspect_ratio".into(), json!(f64::from(w) / f64::from(h)));
            }
            o.insert("pixels".into(), json!(u64::from(w) * u64::from(h)));
        }
    }
    Json::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_with_escapes() {
        let m = parse_pairs(r#"alt=a\=b\|c|caption=x|colors=["red","blue"]"#);
        assert_eq!(m["alt"], "a=b|c");
        assert_eq!(m["caption"], "x");
        assert_eq!(m["colors"], json!(["red", "blue"]));
    }

    #[test]
    fn response_signature_matches_spec() {
        let a = Account::new("c", "k", "abcd1234SECRETxyz");
        assert_eq!(
            response_signature(&a, "sample", 1312461204),
            "2a6cfbccc5db392ce7ebec9338facf577eb67c5c"
        );
    }
}
