//! The `php` profile's Upload API requests: cloudinary_php 3.1.2's `UploadApi` calls.
//!
//! Done so far: the request is pycloudinary's, plus the `Authorization` header the
//! PHP SDK's HTTP client sends on every Upload API call: HTTP Basic with the
//! configuration's `api_key` and `api_secret` (Guzzle's `auth` option, set in
//! `ApiClient::buildHttpClientConfig`), or `Bearer <oauth_token>` when the
//! configuration has an `oauth_token`. The Basic header is sent even on signed and
//! unsigned calls, which carry their own credentials (a PHP SDK quirk kept).
//!
//! The upload parameters are pycloudinary's with `UploadTrait::buildUploadParams`'s
//! differences applied ([`adjust_upload_params`]).

use base64::Engine as _;

use crate::value::Value;
use crate::{Client, Map, Result};

use super::UploadRequest;

/// `Client::upload_api_call` in the `php` profile.
pub(crate) fn upload_api_call(
    client: &Client,
    method: &str,
    args: &Map,
    options: &Map,
) -> Result<UploadRequest> {
    // Options cloudinary_php's tag, context, metadata, destroy and rename calls do
    // not send.
    let dropped: &[&str] = match method {
        "destroy" | "rename" | "add_tag" | "remove_tag" | "replace_tag" | "remove_all_tags"
        | "add_context" | "remove_all_context" => &["notification_url", "batch_id"],
        "update_metadata" => &["notification_url", "batch_id", "clear_invalid"],
        _ => &[],
    };
    // The API client takes the cloud and credentials from the configuration only.
    const CONFIG_ONLY: &[&str] = &["api_key", "api_secret", "cloud_name", "oauth_token"];
    let trimmed;
    let options = if dropped
        .iter()
        .chain(CONFIG_ONLY)
        .any(|k| options.contains_key(k))
    {
        trimmed = options.filtered(|k| !dropped.contains(&k) && !CONFIG_ONLY.contains(&k));
        &trimmed
    } else {
        options
    };
    // `encode_context` escapes each value with a typed `string` argument: null is a
    // TypeError in the PHP SDK.
    if let Some(Value::Map(context)) = options.get("context") {
        if context.iter().any(|(_, v)| v.is_null()) {
            return Err(crate::Error::invalid_option(
                "context",
                "TypeError: StringUtils::escapeUnsafeChars(): Argument #1 ($string) must be of type string, null given",
            ));
        }
    }
    // Typed arguments: `headers` is `?array` on uploads, a tag is a `string`.
    if method == "upload" && matches!(options.get("headers"), Some(Value::Str(_))) {
        return Err(crate::Error::invalid_option(
            "headers",
            "TypeError: ApiClient::postMultiPartAsync(): Argument #3 ($headers) must be of type ?array, string given",
        ));
    }
    if matches!(method, "add_tag" | "remove_tag" | "replace_tag")
        && matches!(args.get("tag"), Some(Value::List(_) | Value::Map(_)))
    {
        return Err(crate::Error::invalid_option(
            "tag",
            "TypeError: UploadApi::addTag(): Argument #1 ($tag) must be of type string, array given",
        ));
    }
    // The API client needs a configured cloud (`api_url` alone builds `v1_1//`).
    if !client.config().get("cloud_name").is_some_and(Value::truthy) {
        return Err(crate::Error::config_option(
            "cloud_name",
            "Must supply cloud_name",
        ));
    }
    let mut req = client.python_upload_api_call(method, args, options)?;
    if php_fields(client, method, options, &mut req.fields)? {
        resign(client, &mut req.fields)?;
    }
    req.authorization = Some(authorization(client));
    for (name, value) in req.fields.iter_mut() {
        if name == "file" && (value.starts_with("http://") || value.starts_with("https://")) {
            *value = encode_remote_url(value);
        }
    }
    Ok(req)
}

/// The fields cloudinary_php's `generateSprite`, `multi`, `explode` and archive calls
/// send where they differ from pycloudinary's: a `format` field beside a transformation
/// that ends with its own `f_<format>` component (sprite, multi), no `public_id` on
/// sprites, the explode transformation with `/<format>` appended, no `batch_id` on
/// archives or sprites, `add` for every `add_tag`. Returns whether a field changed.
fn php_fields(
    client: &Client,
    method: &str,
    options: &Map,
    fields: &mut Vec<(String, String)>,
) -> Result<bool> {
    let format = options
        .get("format")
        .and_then(crate::php::string)
        .filter(|f| !f.is_empty());
    let before = fields.clone();
    let set = |fields: &mut Vec<(String, String)>, name: &str, value: String| match fields
        .iter_mut()
        .find(|(k, _)| k == name)
    {
        Some(field) => field.1 = value,
        None => fields.push((name.to_owned(), value)),
    };
    match method {
        "generate_sprite" | "multi" => {
            let mut t_opts = options.clone();
            t_opts.remove("format");
            // The qualifiers are read as a delivery URL's are (typed, empty ones dropped).
            let t_opts = crate::php::qualifiers::qualifiers(&t_opts)?;
            let mut transformation = crate::transform::transformation_string(client, &t_opts)?;
            if let Some(f) = &format {
                if !transformation.is_empty() {
                    transformation.push('/');
                }
                transformation.push_str("f_");
                transformation.push_str(f);
                set(fields, "format", f.clone());
            }
            if transformation.is_empty() {
                fields.retain(|(k, _)| k != "transformation");
            } else {
                set(fields, "transformation", transformation);
            }
            fields.retain(|(k, _)| k != "batch_id");
            if method == "generate_sprite" {
                fields.retain(|(k, _)| k != "public_id");
            }
        }
        "explode" => {
            if let Some(f) = &format {
                let current = fields
                    .iter()
                    .find(|(k, _)| k == "transformation")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                set(fields, "transformation", format!("{current}/{f}"));
            }
        }
        "create_archive" | "create_zip" => fields.retain(|(k, _)| k != "batch_id"),
        // `UploadApi::addTag` has no `exclusive` option.
        "add_tag" => {
            for (k, v) in fields.iter_mut() {
                if k == "command" && v == "set_exclusive" {
                    *v = "add".to_owned();
                }
            }
        }
        _ => {}
    }
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(*fields != before)
}

/// Signs the fields again (after [`php_fields`] changed them), when they are signed.
fn resign(client: &Client, fields: &mut [(String, String)]) -> Result<()> {
    if !fields.iter().any(|(k, _)| k == "signature") {
        return Ok(());
    }
    let mut params = Map::new();
    for (k, v) in fields.iter() {
        if matches!(
            k.as_str(),
            "signature" | "api_key" | "file" | "resource_type"
        ) {
            continue;
        }
        match k.strip_suffix("[]") {
            Some(name) => {
                let mut list = match params.get(name) {
                    Some(Value::List(l)) => l.clone(),
                    _ => Vec::new(),
                };
                list.push(Value::from(v.as_str()));
                params.insert(name, Value::List(list));
            }
            None => {
                params.insert(k.as_str(), v.as_str());
            }
        }
    }
    let signature = client.sign_request(&params)?;
    for (k, v) in fields.iter_mut() {
        if k == "signature" {
            *v = signature.clone();
        }
    }
    Ok(())
}

/// The `Authorization` header cloudinary_php's API client sends.
fn authorization(client: &Client) -> String {
    let config = client.config();
    let text = |name: &str| match config.get(name) {
        Some(Value::Null) | None => String::new(),
        Some(v) => v.py_str().into_owned(),
    };
    let oauth = text("oauth_token");
    if !oauth.is_empty() {
        return format!("Bearer {oauth}");
    }
    let pair = format!("{}:{}", text("api_key"), text("api_secret"));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// `buildUploadParams`'s simple parameters (sent as they are).
const SIMPLE_PARAMS: &[&str] = &[
    "accessibility_analysis",
    "asset_folder",
    "async",
    "auto_tagging",
    "background_removal",
    "backup",
    "callback",
    "categorization",
    "cinemagraph_analysis",
    "colors",
    "detection",
    "discard_original_filename",
    "display_name",
    "eager_async",
    "eager_notification_url",
    "eval",
    "on_success",
    "exif",
    "faces",
    "filename_override",
    "folder",
    "format",
    "image_metadata",
    "media_metadata",
    "invalidate",
    "moderation",
    "notification_url",
    "ocr",
    "overwrite",
    "phash",
    "proxy",
    "public_id",
    "public_id_prefix",
    "quality_analysis",
    "quality_override",
    "raw_convert",
    "return_delete_token",
    "similarity_search",
    "visual_search",
    "type",
    "unique_filename",
    "upload_preset",
    "use_asset_folder_as_public_id_prefix",
    "use_filename",
    "use_filename_as_display_name",
];

/// Parameters cloudinary_php 3.1.2 does not send.
const NOT_SENT: &[&str] = &[
    "auto_chaptering",
    "auto_transcription",
    "batch_id",
    "regions",
    "unique_display_name",
];

/// pycloudinary's upload parameters turned into cloudinary_php's: the parameters it
/// does not know dropped, JSON without spaces (`json_encode`), a single
/// `access_control` map not wrapped in a list, commas inside tags escaped with a
/// backslash (`escapeUnsafeChars`), empty lists dropped, floats as PHP prints them
/// (`0.0` is `0`).
pub(crate) fn adjust_upload_params(params: &mut Map, options: &Map) -> Result<()> {
    // `encode_context` escapes each value with a typed `string` argument.
    if let Some(Value::Map(context)) = options.get("context") {
        if context.iter().any(|(_, v)| v.is_null()) {
            return Err(crate::Error::invalid_option(
                "context",
                "TypeError: StringUtils::escapeUnsafeChars(): Argument #1 ($string) must be of type string, null given",
            ));
        }
    }
    for key in NOT_SENT {
        params.remove(key);
    }
    // `finalizeUploadApiParams` keeps a zero (`safeFilter`), which pycloudinary drops.
    for key in SIMPLE_PARAMS {
        if let Some(v @ (Value::Int(0) | Value::Float(_) | Value::Str(_))) = options.get(key) {
            // pycloudinary keeps a zero number in its parameters but leaves it out of
            // the form (falsy), so the text is set whatever was kept.
            if params.get(key).map_or(true, |p| !p.truthy())
                && crate::php::string(v).as_deref() == Some("0")
            {
                params.insert(*key, "0");
            }
        }
    }
    serialize_like_php(params, options);
    let keys: Vec<String> = params.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        let Some(value) = params.get(&key).cloned() else {
            continue;
        };
        let adjusted = match (key.as_str(), value) {
            (_, Value::Float(f)) => Value::Str(crate::php::float_string(f)),
            (_, Value::List(l)) if l.is_empty() => Value::Null,
            ("responsive_breakpoints", Value::Str(s)) => Value::Str(compact_json(&s)),
            // `serializeJson`: a text is sent as it is, a map as its own JSON.
            ("access_control", Value::Str(_))
                if matches!(options.get("access_control"), Some(Value::Str(_))) =>
            {
                options.get("access_control").cloned().unwrap_or_default()
            }
            ("access_control", Value::Str(s))
                if matches!(options.get("access_control"), Some(Value::Map(_)))
                    && s.starts_with('[')
                    && s.ends_with(']') =>
            {
                Value::Str(s[1..s.len() - 1].to_owned())
            }
            // `serializeContext`: each value through `serializeJson` (`true`/`false`).
            ("context", Value::Str(s))
                if matches!(options.get("context"), Some(Value::Map(m))
                    if m.iter().any(|(_, v)| matches!(v, Value::Bool(_)))) =>
            {
                Value::Str(json_booleans(&s))
            }
            ("tags", Value::Str(_)) => match options.get("tags") {
                Some(Value::List(items)) => Value::Str(
                    items
                        .iter()
                        .map(|i| i.py_str().replace(',', "\\,"))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                _ => continue,
            },
            _ => continue,
        };
        params.insert(key, adjusted);
    }
    Ok(())
}

/// pycloudinary's `k=True`/`k=False` context values as `serializeJson` writes them
/// (an escaped `\\=` inside a key or value is left alone).
fn json_booleans(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('=') {
        let escaped = rest[..i].ends_with('\\');
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        if escaped {
            continue;
        }
        for (py, php) in [("True", "true"), ("False", "false")] {
            if let Some(after) = rest.strip_prefix(py) {
                if after.is_empty() || after.starts_with('|') {
                    out.push_str(php);
                    rest = after;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON text without the spaces after `,` and `:` outside strings.
fn compact_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut in_str, mut escaped, mut prev) = (false, false, ' ');
    for c in s.chars() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == ' ' && (prev == ',' || prev == ':') {
            continue;
        } else {
            if c == '"' {
                in_str = true;
            }
            out.push(c);
        }
        prev = c;
    }
    out
}

/// `UploadApi::buildUploadParams` as the `upload_params` call returns it (the form an
/// upload sends keeps pycloudinary's text for these): headers as `name:value`, commas
/// inside list coordinates escaped.
pub(crate) fn adjust_upload_params_view(_params: &mut Map, _options: &Map) {
    // The form an upload sends carries the same text ([`adjust_upload_params`]).
}

/// `buildUploadParams`'s serializers where they differ from pycloudinary's: headers
/// as `name:value`, coordinate texts escaped, no upload preset from the
/// configuration, an eager map of only a format as `/<format>`.
fn serialize_like_php(params: &mut Map, options: &Map) {
    let keys: Vec<String> = params.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        let Some(value) = params.get(&key).cloned() else {
            continue;
        };
        let adjusted = match (key.as_str(), value) {
            ("headers", Value::Str(s)) if matches!(options.get("headers"), Some(Value::Map(_))) => {
                Value::Str(
                    s.split('\n')
                        .map(|line| line.replacen(": ", ":", 1))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }
            // `serializeArrayOfArrays`: a text, or a list of texts, is one coordinate
            // set whose items are escaped (`serializeSimpleApiParam`).
            ("custom_coordinates" | "face_coordinates", Value::Str(s))
                if matches!(options.get(key.as_str()), Some(Value::Str(_)))
                    || matches!(options.get(key.as_str()), Some(Value::List(items))
                    if items.iter().all(|i| matches!(i, Value::Str(_)))) =>
            {
                Value::Str(s.replace(',', "\\,"))
            }
            // `buildUploadParams` reads the options only, not the configuration.
            ("upload_preset", _) if !options.contains_key("upload_preset") => Value::Null,
            _ => continue,
        };
        if adjusted.is_null() {
            params.remove(&key);
        } else {
            params.insert(key, adjusted);
        }
    }
    // `AssetTransformation` of a map with only a format: `/<format>`.
    if let Some(Value::Map(eager)) = options.get("eager") {
        if let (1, Some(format)) = (eager.len(), eager.get("format")) {
            if let Some(f) = crate::php::string(format).filter(|f| !f.is_empty()) {
                params.insert("eager", format!("/{f}"));
            }
        }
    }
}

/// A remote `file` URL as the PHP SDK's HTTP client sends it: bytes outside ASCII
/// and spaces percent-encoded.
fn encode_remote_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for &b in url.as_bytes() {
        if b >= 0x80 || b == b' ' {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_booleans_are_json() {
        assert_eq!(
            json_booleans("a=True|b=False|c=x\\=True"),
            "a=true|b=false|c=x\\=True"
        );
    }

    #[test]
    fn upload_params_follow_build_upload_params() {
        let options: Map = serde_json::from_str(
            r#"{"face_coordinates": "1,2,3,4", "headers": {"A": "1"}, "unique_filename": 0, "eager": {"format": "png"}}"#,
        )
        .unwrap();
        let mut params: Map = serde_json::from_str(
            r#"{"face_coordinates": "1,2,3,4", "headers": "A: 1", "upload_preset": "cfg"}"#,
        )
        .unwrap();
        adjust_upload_params(&mut params, &options).unwrap();
        assert_eq!(
            params.get("face_coordinates"),
            Some(&Value::from("1\\,2\\,3\\,4"))
        );
        assert_eq!(params.get("headers"), Some(&Value::from("A:1")));
        assert_eq!(params.get("unique_filename"), Some(&Value::from("0")));
        assert_eq!(params.get("eager"), Some(&Value::from("/png")));
        assert_eq!(params.get("upload_preset"), None);
    }
}
