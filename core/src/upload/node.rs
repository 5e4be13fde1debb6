//! Upload API requests in the `node` profile: the npm SDK 2.11.0's
//! `build_upload_params`, its Upload API calls (`uploader.*`) and `call_api` up to the
//! point of sending.
//!
//! What differs from pycloudinary: booleans go through `as_safe_bool` only where the
//! npm SDK calls it (elsewhere `true` is sent as `true`), the parameter sets
//! (`access_mode`, `clear_invalid`, `font_hinting`, `font_antialiasing` sent; no
//! `batch_id`, `phash` in archives, `notification_url` on the tag and context calls),
//! `timestamp` is taken from the options when given, `headers` maps become `k:v`
//! lines, `responsive_breakpoints` is compact JSON, `context` / `metadata` values that
//! are not texts, integers or lists lose their key (an npm SDK bug), empty values and
//! falsy list items are dropped (`clear_blank`), unsigned uploads send no
//! `timestamp`, and `add_tag` never sends `set_exclusive` (an npm SDK bug: its
//! `exclusive` option is read from the wrong argument). `create_slideshow` does not
//! exist in the npm SDK.

use super::form::{FilePart, UploadRequest};
use crate::transform::js;
use crate::transform::node as transform;
use crate::{Client, Error, Map, Result, Value};

/// `as_safe_bool(v)`: `true`/`"true"`/`"1"` → 1, `false`/`"false"`/`"0"` → 0, null →
/// absent, anything else as it is.
fn as_safe_bool(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Null => None,
        Value::Bool(true) => Some(Value::Int(1)),
        Value::Bool(false) => Some(Value::Int(0)),
        Value::Str(s) if s == "true" || s == "1" => Some(Value::Int(1)),
        Value::Str(s) if s == "false" || s == "0" => Some(Value::Int(0)),
        other => Some(other.clone()),
    }
}

/// A parameter list in the npm SDK's order; `None` is JavaScript's `undefined`.
#[derive(Default)]
struct Params(Vec<(String, Option<Value>)>);

impl Params {
    /// `params.key = value` (a key already there keeps its place).
    fn set(&mut self, key: &str, value: Option<Value>) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }

    /// `clear_blank(params)`: present values only, lists without their falsy items.
    fn clear_blank(self) -> Map {
        let mut out = Map::new();
        for (k, v) in self.0 {
            let Some(v) = v.filter(|v| js::present(Some(v))) else {
                continue;
            };
            let v = match v {
                Value::List(items) => {
                    Value::List(items.into_iter().filter(|i| js::truthy(Some(i))).collect())
                }
                other => other,
            };
            out.insert(k, v);
        }
        out
    }
}

fn get<'a>(options: &'a Map, key: &str) -> Option<&'a Value> {
    options.get(key)
}

fn now(client: &Client) -> Value {
    Value::Int(client.now())
}

/// `options.timestamp || utils.timestamp()`.
fn timestamp(client: &Client, options: &Map) -> Value {
    get(options, "timestamp")
        .filter(|v| js::truthy(Some(v)))
        .cloned()
        .unwrap_or_else(|| now(client))
}

/// `JSON.stringify(v)`: compact, JavaScript's number text, integer-like keys first.
pub(crate) fn json_stringify(v: &Value) -> String {
    let mut out = String::new();
    push_json(&mut out, v);
    out
}

fn push_json(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(_) => js::push_string(out, v),
        Value::Float(f) if !f.is_finite() => out.push_str("null"),
        Value::Float(_) => js::push_string(out, v),
        Value::Str(s) => push_json_str(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json(out, item);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in js_ordered(m).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_str(out, k);
                out.push(':');
                push_json(out, item);
            }
            out.push('}');
        }
    }
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A map's entries in JavaScript's property order: array-index keys first, ascending.
pub(crate) fn js_ordered(m: &Map) -> Vec<(&String, &Value)> {
    let index = |k: &str| -> Option<u32> {
        if k.is_empty() || (k.len() > 1 && k.starts_with('0')) {
            return None;
        }
        k.parse::<u32>().ok().filter(|n| *n != u32::MAX)
    };
    let mut entries: Vec<(&String, &Value)> = m.iter().collect();
    entries.sort_by_key(|(k, _)| match index(k) {
        Some(n) => (0, n),
        None => (1, 0),
    });
    entries
}

/// Iterates an object's entries as `Object.entries` does (lists by index).
fn entries(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Map(m) => js_ordered(m)
            .into_iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        Value::List(l) => l
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// `escapeMetadataValue(v)`: `v.toString()` with `=` and `|` backslash-escaped.
fn escape_metadata(v: &Value, option: &str) -> Result<String> {
    if v.is_null() {
        return Err(js::type_error(
            option,
            "Cannot read properties of null (reading 'toString')",
            v,
        ));
    }
    Ok(js::string(v).replace('=', "\\=").replace('|', "\\|"))
}

/// `encode_context(v)`.
fn encode_context(v: &Value, option: &str) -> Result<Value> {
    if !js::is_object(Some(v)) {
        return Ok(v.clone());
    }
    let mut parts = Vec::new();
    for (key, value) in entries(v) {
        let part = match &value {
            Value::Str(_) => format!("{key}={}", escape_metadata(&value, option)?),
            Value::List(items) => {
                let mut inner = Vec::with_capacity(items.len());
                for i in items {
                    inner.push(format!("\"{}\"", escape_metadata(i, option)?));
                }
                format!("{key}=[{}]", inner.join(","))
            }
            Value::Int(_) => format!("{key}={}", escape_metadata(&value, option)?),
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => {
                format!("{key}={}", escape_metadata(&value, option)?)
            }
            Value::Null => {
                return Err(js::type_error(
                    option,
                    "Cannot read properties of null (reading 'toString')",
                    &value,
                ))
            }
            // Anything else loses its key (an npm SDK bug).
            other => js::string(other).into_owned(),
        };
        parts.push(part);
    }
    Ok(Value::Str(parts.join("|")))
}

/// `encodeDoubleArray(v)`.
fn encode_double_array(v: &Value) -> Value {
    let mut items = js::to_array(Some(v.clone()));
    if !matches!(items.first(), Some(Value::List(_))) {
        items = vec![Value::List(items)];
    }
    let rows: Vec<String> = items
        .into_iter()
        .map(|row| js::join(&js::to_array(Some(row)), ","))
        .collect();
    Value::Str(rows.join("|"))
}

/// `build_eager(v)`.
fn build_eager(client: &Client, v: Option<&Value>) -> Result<Value> {
    let mut parts = Vec::new();
    for t in js::to_array(v.cloned()) {
        if t.is_null() {
            return Err(js::type_error(
                "eager",
                "Cannot read properties of null",
                &t,
            ));
        }
        let text = transform::generate_value(client.config(), &t, 0)?;
        let format = match &t {
            Value::Map(m) => m.get("format").filter(|f| !f.is_null()),
            _ => None,
        };
        parts.push(match format {
            Some(f) => format!("{text}/{}", js::string(f)),
            None => text,
        });
    }
    Ok(Value::Str(parts.join("|")))
}

/// `generate_responsive_breakpoints_string(v)`.
fn responsive_breakpoints(client: &Client, v: Option<&Value>) -> Result<Option<Value>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let mut items = match v {
        Value::List(l) => l.clone(),
        other => vec![other.clone()],
    };
    for item in &mut items {
        if let Value::Map(m) = item {
            if let Some(t) = m
                .get("transformation")
                .filter(|t| js::truthy(Some(t)))
                .cloned()
            {
                let text = transform::generate_value(client.config(), &t, 0)?;
                m.insert("transformation", text);
            }
        }
    }
    Ok(Some(Value::Str(json_stringify(&Value::List(items)))))
}

/// `jsonArrayParam(v)`.
fn json_array_param(v: &Value, option: &str) -> Result<Option<Value>> {
    if !js::truthy(Some(v)) {
        return Ok(None);
    }
    let data = match v {
        Value::Str(s) => serde_json::from_str::<serde_json::Value>(s)
            .map(Value::from)
            .map_err(|e| Error::invalid_option(option, format!("SyntaxError: {e}")))?,
        other => other.clone(),
    };
    let list = match data {
        l @ Value::List(_) => l,
        other => Value::List(vec![other]),
    };
    Ok(Some(Value::Str(json_stringify(&list))))
}

/// The npm SDK's `build_upload_params(options)` (with `updateable_resource_params`).
fn build_upload_params(client: &Client, options: &Map) -> Result<Params> {
    let o = |k: &str| get(options, k).cloned();
    let b = |k: &str| as_safe_bool(get(options, k));
    let mut p = Params::default();
    p.set("access_mode", o("access_mode"));
    p.set(
        "allowed_formats",
        match get(options, "allowed_formats") {
            Some(v) if js::truthy(Some(v)) => {
                Some(Value::Str(js::join(&js::to_array(Some(v.clone())), ",")))
            }
            other => other.cloned(),
        },
    );
    p.set("asset_folder", o("asset_folder"));
    p.set("async", b("async"));
    p.set("backup", b("backup"));
    p.set("callback", o("callback"));
    p.set("cinemagraph_analysis", b("cinemagraph_analysis"));
    p.set("colors", b("colors"));
    p.set("display_name", o("display_name"));
    p.set("discard_original_filename", b("discard_original_filename"));
    p.set("eager", Some(build_eager(client, get(options, "eager"))?));
    p.set("eager_async", b("eager_async"));
    p.set("eager_notification_url", o("eager_notification_url"));
    p.set("eval", o("eval"));
    p.set("exif", b("exif"));
    p.set("faces", b("faces"));
    p.set("folder", o("folder"));
    p.set("format", o("format"));
    p.set("filename_override", o("filename_override"));
    p.set("image_metadata", b("image_metadata"));
    p.set("media_metadata", b("media_metadata"));
    p.set("invalidate", b("invalidate"));
    p.set("clear_invalid", b("clear_invalid"));
    p.set("moderation", o("moderation"));
    p.set("notification_url", o("notification_url"));
    p.set("overwrite", b("overwrite"));
    p.set("phash", b("phash"));
    p.set("proxy", o("proxy"));
    p.set("public_id", o("public_id"));
    p.set("public_id_prefix", o("public_id_prefix"));
    p.set("quality_analysis", b("quality_analysis"));
    p.set(
        "responsive_breakpoints",
        responsive_breakpoints(client, get(options, "responsive_breakpoints"))?,
    );
    p.set("return_delete_token", b("return_delete_token"));
    p.set("timestamp", Some(timestamp(client, options)));
    let transformation = transform::generate(client.config(), &mut options.clone(), 0)?;
    let decoded = js::decode_uri_component(&transformation).ok_or_else(|| {
        Error::invalid_option(
            "transformation",
            "URIError: URI malformed (the npm SDK fails)",
        )
    })?;
    p.set("transformation", Some(Value::Str(decoded)));
    p.set("type", o("type"));
    p.set("unique_filename", b("unique_filename"));
    p.set("upload_preset", o("upload_preset"));
    p.set("use_filename", b("use_filename"));
    p.set(
        "use_filename_as_display_name",
        b("use_filename_as_display_name"),
    );
    p.set("quality_override", o("quality_override"));
    p.set("accessibility_analysis", b("accessibility_analysis"));
    p.set(
        "use_asset_folder_as_public_id_prefix",
        b("use_asset_folder_as_public_id_prefix"),
    );
    p.set("visual_search", b("visual_search"));
    p.set("on_success", o("on_success"));
    p.set("auto_transcription", o("auto_transcription"));
    p.set("auto_chaptering", b("auto_chaptering"));
    updateable_resource_params(options, &mut p)?;
    Ok(p)
}

/// `updateable_resource_params(options, params)`.
fn updateable_resource_params(options: &Map, p: &mut Params) -> Result<()> {
    let set = |k: &str| get(options, k).filter(|v| !v.is_null());
    if let Some(v) = set("access_control") {
        p.set("access_control", json_array_param(v, "access_control")?);
    }
    for k in ["auto_tagging", "background_removal", "categorization"] {
        if let Some(v) = set(k) {
            p.set(k, Some(v.clone()));
        }
    }
    for k in ["context", "metadata"] {
        if let Some(v) = set(k) {
            p.set(k, Some(encode_context(v, k)?));
        }
    }
    if let Some(v) = set("custom_coordinates") {
        p.set("custom_coordinates", Some(encode_double_array(v)));
    }
    if let Some(v) = set("detection") {
        p.set("detection", Some(v.clone()));
    }
    if let Some(v) = set("face_coordinates") {
        p.set("face_coordinates", Some(encode_double_array(v)));
    }
    if let Some(v) = set("headers") {
        let text = match v {
            Value::List(l) => Value::Str(js::join(l, "\n")),
            m @ Value::Map(_) => Value::Str(
                entries(m)
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", js::string(v)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            other => other.clone(),
        };
        p.set("headers", Some(text));
    }
    for k in [
        "notification_url",
        "ocr",
        "raw_convert",
        "similarity_search",
    ] {
        if let Some(v) = set(k) {
            p.set(k, Some(v.clone()));
        }
    }
    if let Some(v) = set("tags") {
        p.set(
            "tags",
            Some(Value::Str(js::join(&js::to_array(Some(v.clone())), ","))),
        );
    }
    for k in [
        "quality_override",
        "asset_folder",
        "display_name",
        "unique_display_name",
        "visual_search",
    ] {
        if let Some(v) = set(k) {
            p.set(k, Some(v.clone()));
        }
    }
    if let Some(v) = set("regions") {
        p.set("regions", Some(Value::Str(json_stringify(v))));
    }
    if let Some(v) = set("auto_transcription") {
        match v {
            Value::Bool(_) => p.set("auto_transcription", as_safe_bool(Some(v))),
            Value::Map(m) if m.contains_key("translate") => {
                p.set("auto_transcription", Some(Value::Str(json_stringify(v))));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `archive_params(options)`.
fn archive_params(client: &Client, options: &Map) -> Result<Params> {
    let o = |k: &str| get(options, k).cloned();
    let b = |k: &str| as_safe_bool(get(options, k));
    let list = |k: &str| match get(options, k) {
        Some(v) if js::truthy(Some(v)) => Some(Value::List(js::to_array(Some(v.clone())))),
        other => other.cloned(),
    };
    let mut p = Params::default();
    p.set("allow_missing", b("allow_missing"));
    p.set("async", b("async"));
    p.set("expires_at", o("expires_at"));
    p.set("flatten_folders", b("flatten_folders"));
    p.set("flatten_transformations", b("flatten_transformations"));
    p.set("keep_derived", b("keep_derived"));
    p.set("mode", o("mode"));
    p.set("notification_url", o("notification_url"));
    p.set("prefixes", list("prefixes"));
    p.set(
        "fully_qualified_public_ids",
        list("fully_qualified_public_ids"),
    );
    p.set("public_ids", list("public_ids"));
    p.set("skip_transformation_name", b("skip_transformation_name"));
    p.set("tags", list("tags"));
    p.set("target_format", o("target_format"));
    p.set("target_public_id", o("target_public_id"));
    p.set("target_asset_folder", o("target_asset_folder"));
    p.set("target_tags", list("target_tags"));
    p.set("timestamp", Some(timestamp(client, options)));
    p.set(
        "transformations",
        Some(build_eager(client, get(options, "transformations"))?),
    );
    p.set("type", o("type"));
    p.set("use_original_filename", b("use_original_filename"));
    Ok(p)
}

/// `build_multi_and_sprite_params(tag_or_options, options)`, and the options that
/// apply to the call.
fn multi_and_sprite_params(
    client: &Client,
    tag_or_options: &Value,
    options: &Map,
) -> Result<Params> {
    let (tag, opts) = match tag_or_options {
        Value::Str(_) => (Some(tag_or_options.clone()), options.clone()),
        other => {
            if !options.is_empty() {
                return Err(Error::invalid_option(
                    "tag",
                    "First argument must be a tag when additional options are passed",
                ));
            }
            match other {
                Value::Map(m) => (None, m.clone()),
                Value::Null => {
                    return Err(Error::invalid_option(
                        "tag",
                        "Either tag or urls are required",
                    ))
                }
                _ => (None, Map::new()),
            }
        }
    };
    let mut t = opts.clone();
    match get(&opts, "format") {
        Some(f) => t.insert("fetch_format", f.clone()),
        None => t.remove("fetch_format"),
    };
    let transformation = transform::generate(client.config(), &mut t, 0)?;
    let mut p = Params::default();
    p.set("tag", tag);
    p.set("transformation", Some(Value::Str(transformation)));
    p.set("urls", get(&opts, "urls").cloned());
    p.set("timestamp", Some(now(client)));
    p.set("async", get(&opts, "async").cloned());
    p.set("notification_url", get(&opts, "notification_url").cloned());
    Ok(p)
}

/// The npm SDK's arguments for a multi/sprite call given pycloudinary's `tag` and
/// `urls`: `({urls, ...options}, {})` when there are `urls` (a `tag` beside them is
/// not sent), else `(tag, options)`.
pub(crate) fn multi_sprite_args(tag: &Value, urls: &Value, options: &Map) -> (Value, Map) {
    if urls.is_null() {
        return (tag.clone(), options.clone());
    }
    let mut first = Map::from_iter([("urls", urls.clone())]);
    first.update(options);
    (Value::Map(first), Map::new())
}

/// The parameters of a multi/sprite download URL (`download_generated_sprite`,
/// `download_multi`).
pub(crate) fn multi_and_sprite_list(
    client: &Client,
    tag_or_options: &Value,
    options: &Map,
) -> Result<Vec<(String, Option<Value>)>> {
    Ok(multi_and_sprite_params(client, tag_or_options, options)?.0)
}

/// The archive parameters of a download URL.
pub(crate) fn archive_list(client: &Client, options: &Map) -> Result<Vec<(String, Option<Value>)>> {
    Ok(archive_params(client, options)?.0)
}

/// `clear_blank(build_upload_params(options))` with every value as its text (lists
/// as lists of texts): the `upload_params` a caller sees.
pub(crate) fn upload_params(client: &Client, options: &Map) -> Result<Map> {
    let params = build_upload_params(client, options)?.clear_blank();
    Ok(params
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::List(items) => Value::List(
                    items
                        .iter()
                        .map(|i| Value::Str(js::string(i).into_owned()))
                        .collect(),
                ),
                other => Value::Str(js::string(&other).into_owned()),
            };
            (k, v)
        })
        .collect())
}

/// `ensureOption(options, name)`: the option (null included), else the setting, else
/// an error.
fn ensure(client: &Client, options: &Map, name: &str) -> Result<Value> {
    get(options, name)
        .or_else(|| client.config().get(name))
        .cloned()
        .ok_or_else(|| Error::config_option(name, format!("Must supply {name}")))
}

/// The npm SDK's `sign_request(params, options)`: `api_key` and `api_secret` from the
/// options or else the configuration (required), `clear_blank`, the signature
/// (`signature_algorithm` / `signature_version` from the options, else the
/// configuration), then `signature` and `api_key` appended.
pub(crate) fn sign_request(
    client: &Client,
    params: Vec<(String, Option<Value>)>,
    options: &Map,
) -> Result<Map> {
    let config = client.config();
    let api_key = ensure(client, options, "api_key")?;
    let api_secret = ensure(client, options, "api_secret")?;
    let mut m = Params(params).clear_blank();
    let algorithm = get(options, "signature_algorithm")
        .filter(|v| js::truthy(Some(v)))
        .or_else(|| config.get("signature_algorithm"));
    let version = match get(options, "signature_version").filter(|v| !v.is_null()) {
        Some(v) => Some(v),
        None => config
            .get("signature_version")
            .filter(|v| js::truthy(Some(v))),
    };
    let signature = crate::sign::api_sign_request_node(&m, Some(&api_secret), algorithm, version)?;
    m.insert("signature", signature);
    m.insert("api_key", api_key);
    Ok(m)
}

/// `call_api(action, options, get_params)` up to the point of sending.
fn call_api(
    client: &Client,
    action: &str,
    params: Params,
    file: Option<&Value>,
    options: &Map,
) -> Result<UploadRequest> {
    let config = client.config();
    let opt_or_config = |k: &str| get(options, k).or_else(|| config.get(k));
    let mut params = if js::truthy(get(options, "unsigned")) {
        let mut m = params.clear_blank();
        m.remove("timestamp");
        m
    } else if js::truthy(get(options, "oauth_token")) || js::truthy(config.get("oauth_token")) {
        params.clear_blank()
    } else if js::truthy(get(options, "signature")) {
        let mut p = Params::default();
        for (k, v) in options.iter() {
            p.set(k, Some(v.clone()));
        }
        p.clear_blank()
    } else {
        sign_request(client, params.0, options)?
    };
    let mut file_part = None;
    if let Some(f) = file {
        match f {
            Value::Str(s) if is_remote_url(s) => {
                params.insert("file", s.clone());
            }
            Value::Str(s) => {
                let name = s.rsplit(['/', '\\']).next().unwrap_or(s).to_owned();
                file_part = Some(FilePart {
                    path: s.clone(),
                    filename: name,
                });
            }
            Value::Null => {}
            other => {
                return Err(js::type_error("file", "path must be a string", other));
            }
        }
    }
    let mut fields = Vec::with_capacity(params.len() + 2);
    for (k, v) in params.iter() {
        match v {
            Value::List(items) => {
                let name = if k.ends_with("[]") {
                    k.clone()
                } else {
                    format!("{k}[]")
                };
                for item in items.iter().filter(|i| !i.is_null()) {
                    fields.push((name.clone(), js::string(item).into_owned()));
                }
            }
            Value::Null => {}
            other => fields.push((k.clone(), js::string(other).into_owned())),
        }
    }
    let authorization = opt_or_config("oauth_token")
        .filter(|v| !v.is_null())
        .map(|t| format!("Bearer {}", js::string(t)));
    // `options.resource_type || "image"`.
    let url = client.api_url(action, options)?;
    Ok(UploadRequest {
        url,
        fields,
        file: file_part,
        authorization,
    })
}

/// The npm SDK's `isRemoteUrl(file)`: `ftp:`, `http(s):`, `gs:`, `s3:`, or a base64
/// `data:` URI, judged on the first 120 characters.
pub(crate) fn is_remote_url(file: &str) -> bool {
    let head: String = file.chars().take(120).collect();
    if ["ftp:", "http:", "https:", "gs:", "s3:"]
        .iter()
        .any(|p| head.starts_with(p))
    {
        return true;
    }
    let Some(rest) = head.strip_prefix("data:") else {
        return false;
    };
    let Some((meta, data)) = rest.split_once(";base64,") else {
        return false;
    };
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    };
    let mut parts = meta.split(';');
    let mime = parts.next().unwrap_or_default();
    let mime_ok = mime.is_empty()
        || mime.split_once('/').is_some_and(|(t, s)| {
            word(t)
                && match s.split_once('+') {
                    Some((a, b)) => word(a) && word(b),
                    None => word(s),
                }
        });
    let params_ok = parts.all(|p| p.split_once('=').is_some_and(|(a, b)| word(a) && word(b)));
    let data_ok = !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'\n' | b'='));
    mime_ok && params_ok && data_ok
}

/// Any Upload API call of the npm SDK's `uploader`, by pycloudinary's function name
/// and positional arguments (as [`Client::upload_api_call`] takes them).
pub(crate) fn upload_api_call(
    client: &Client,
    method: &str,
    args: &Map,
    options: &Map,
) -> Result<UploadRequest> {
    let arg = |name: &str| get(args, name).cloned().unwrap_or(Value::Null);
    let now_params = |pairs: Vec<(&str, Option<Value>)>| {
        let mut p = Params::default();
        p.set("timestamp", Some(now(client)));
        for (k, v) in pairs {
            p.set(k, v);
        }
        p
    };
    let o = |k: &str| get(options, k).cloned();
    match method {
        "upload" => {
            let params = build_upload_params(client, options)?;
            call_api(client, "upload", params, Some(&arg("file")), options)
        }
        "unsigned_upload" => {
            let mut opts = options.clone();
            opts.insert("unsigned", true);
            opts.insert("upload_preset", arg("upload_preset"));
            let params = build_upload_params(client, &opts)?;
            call_api(client, "upload", params, Some(&arg("file")), &opts)
        }
        "explicit" => {
            let mut merged = Map::from_iter([("public_id", arg("public_id"))]);
            merged.update(options);
            let params = build_upload_params(client, &merged)?;
            call_api(client, "explicit", params, None, options)
        }
        "destroy" => {
            let p = now_params(vec![
                ("type", o("type")),
                ("invalidate", o("invalidate")),
                ("public_id", Some(arg("public_id"))),
                ("notification_url", o("notification_url")),
            ]);
            call_api(client, "destroy", p, None, options)
        }
        "rename" => {
            let p = now_params(vec![
                ("type", o("type")),
                ("from_public_id", Some(arg("from_public_id"))),
                ("to_public_id", Some(arg("to_public_id"))),
                ("overwrite", o("overwrite")),
                ("invalidate", o("invalidate")),
                ("to_type", o("to_type")),
                ("context", o("context")),
                ("metadata", o("metadata")),
                ("notification_url", o("notification_url")),
            ]);
            call_api(client, "rename", p, None, options)
        }
        "add_tag" | "remove_tag" | "replace_tag" | "remove_all_tags" => {
            let command = match method {
                // `exclusive` is never read (an npm SDK bug): always `add`.
                "add_tag" => "add",
                "remove_tag" => "remove",
                "replace_tag" => "replace",
                _ => "remove_all",
            };
            let tag = if method == "remove_all_tags" {
                Value::Null
            } else {
                arg("tag")
            };
            let mut p = now_params(vec![
                (
                    "public_ids",
                    Some(Value::List(js::to_array(Some(arg("public_ids"))))),
                ),
                ("command", Some(Value::from(command))),
                ("type", o("type")),
            ]);
            if !tag.is_null() {
                p.set("tag", Some(tag));
            }
            call_api(client, "tags", p, None, options)
        }
        "add_context" | "remove_all_context" => {
            let command = if method == "add_context" {
                "add"
            } else {
                "remove_all"
            };
            let context = if method == "add_context" {
                arg("context")
            } else {
                Value::Null
            };
            let mut p = now_params(vec![
                (
                    "public_ids",
                    Some(Value::List(js::to_array(Some(arg("public_ids"))))),
                ),
                ("command", Some(Value::from(command))),
                ("type", o("type")),
            ]);
            if !context.is_null() {
                p.set("context", Some(encode_context(&context, "context")?));
            }
            call_api(client, "context", p, None, options)
        }
        "update_metadata" => {
            let mut p = Params::default();
            p.set(
                "metadata",
                Some(encode_context(&arg("metadata"), "metadata")?),
            );
            p.set(
                "public_ids",
                Some(Value::List(js::to_array(Some(arg("public_ids"))))),
            );
            p.set("timestamp", Some(now(client)));
            p.set("type", o("type"));
            p.set("clear_invalid", o("clear_invalid"));
            call_api(client, "metadata", p, None, options)
        }
        "text" => {
            const TEXT_PARAMS: &[&str] = &[
                "public_id",
                "font_family",
                "font_size",
                "font_color",
                "text_align",
                "font_weight",
                "font_style",
                "background",
                "opacity",
                "text_decoration",
                "font_hinting",
                "font_antialiasing",
            ];
            let mut p = now_params(vec![("text", Some(arg("text")))]);
            for k in TEXT_PARAMS {
                if let Some(v) = get(options, k).filter(|v| !v.is_null()) {
                    p.set(k, Some(v.clone()));
                }
            }
            call_api(client, "text", p, None, options)
        }
        "explode" => {
            let transformation = transform::generate(client.config(), &mut options.clone(), 0)?;
            let p = now_params(vec![
                ("public_id", Some(arg("public_id"))),
                ("transformation", Some(Value::Str(transformation))),
                ("format", o("format")),
                ("type", o("type")),
                ("notification_url", o("notification_url")),
            ]);
            call_api(client, "explode", p, None, options)
        }
        "generate_sprite" | "multi" => {
            let (first, call_options) = multi_sprite_args(&arg("tag"), &arg("urls"), options);
            let p = multi_and_sprite_params(client, &first, &call_options)?;
            let action = if method == "multi" { "multi" } else { "sprite" };
            call_api(client, action, p, None, &call_options)
        }
        "create_archive" | "create_zip" => {
            let mut p = archive_params(client, options)?;
            if method == "create_zip" {
                p.set("target_format", Some(Value::from("zip")));
            }
            call_api(client, "generate_archive", p, None, options)
        }
        other => Err(Error::invalid_option(
            "method",
            format!("the npm SDK has no Upload API call {other:?}"),
        )),
    }
}
