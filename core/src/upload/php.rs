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
    let trimmed;
    let options = if dropped.iter().any(|k| options.contains_key(k)) {
        trimmed = options.filtered(|k| !dropped.contains(&k));
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
    let mut req = client.python_upload_api_call(method, args, options)?;
    req.authorization = Some(authorization(client));
    for (name, value) in req.fields.iter_mut() {
        if name == "file" && (value.starts_with("http://") || value.starts_with("https://")) {
            *value = encode_remote_url(value);
        }
    }
    Ok(req)
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
pub(crate) fn adjust_upload_params(params: &mut Map, options: &Map) {
    for key in NOT_SENT {
        params.remove(key);
    }
    let keys: Vec<String> = params.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        let Some(value) = params.get(&key).cloned() else {
            continue;
        };
        let adjusted = match (key.as_str(), value) {
            (_, Value::Float(f)) => Value::Str(crate::php::float_string(f)),
            (_, Value::List(l)) if l.is_empty() => Value::Null,
            ("responsive_breakpoints", Value::Str(s)) => Value::Str(compact_json(&s)),
            ("access_control", Value::Str(s))
                if matches!(
                    options.get("access_control"),
                    Some(Value::Map(_) | Value::Str(_))
                ) && s.starts_with('[')
                    && s.ends_with(']') =>
            {
                Value::Str(s[1..s.len() - 1].to_owned())
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
pub(crate) fn adjust_upload_params_view(params: &mut Map, options: &Map) {
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
            ("custom_coordinates" | "face_coordinates", Value::Str(s))
                if matches!(options.get(key.as_str()), Some(Value::List(items))
                    if items.iter().all(|i| matches!(i, Value::Str(_)))) =>
            {
                Value::Str(s.replace(',', "\\,"))
            }
            _ => continue,
        };
        params.insert(key, adjusted);
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
