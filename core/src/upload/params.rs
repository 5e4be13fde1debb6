//! The parameter sets of the Upload API calls, built from option maps with the SDK's
//! value encodings (context/metadata, eager, headers, coordinates, JSON values).
//!
//! Every builder returns the parameters in the order pycloudinary builds them; values
//! that the SDK leaves as they are (numbers, booleans, lists) stay [`Value`]s here and
//! are turned into wire text by [`cleanup`] and the form builder.

use super::json_text::{self, Spacing};
use crate::sign::{join_type_error, py_type_name};
use crate::transform::transformation_string;
use crate::{Client, Error, Map, Result, Value};

static NULL: Value = Value::Null;

/// The upload parameters copied as they are when present (pycloudinary 1.46.3 order).
pub const SIMPLE_UPLOAD_PARAMS: &[&str] = &[
    "public_id",
    "public_id_prefix",
    "callback",
    "format",
    "type",
    "backup",
    "faces",
    "image_metadata",
    "media_metadata",
    "exif",
    "colors",
    "use_filename",
    "unique_filename",
    "display_name",
    "use_filename_as_display_name",
    "discard_original_filename",
    "filename_override",
    "invalidate",
    "notification_url",
    "eager_notification_url",
    "eager_async",
    "eval",
    "on_success",
    "proxy",
    "folder",
    "asset_folder",
    "use_asset_folder_as_public_id_prefix",
    "unique_display_name",
    "overwrite",
    "moderation",
    "raw_convert",
    "quality_override",
    "quality_analysis",
    "ocr",
    "categorization",
    "detection",
    "similarity_search",
    "visual_search",
    "background_removal",
    "upload_preset",
    "phash",
    "return_delete_token",
    "auto_tagging",
    "async",
    "cinemagraph_analysis",
    "accessibility_analysis",
    "auto_chaptering",
    "batch_id",
];

/// `options.get(key)`: the value, or `Null` when absent.
pub(crate) fn get<'a>(options: &'a Map, key: &str) -> &'a Value {
    options.get(key).unwrap_or(&NULL)
}

/// Python's `value and f(value)`: a falsy value is kept as it is.
fn and_then(value: &Value, f: impl FnOnce(&Value) -> Result<Value>) -> Result<Value> {
    if value.truthy() {
        f(value)
    } else {
        Ok(value.clone())
    }
}

/// `build_array`: a list as is, `None` as `[]`, anything else wrapped.
pub(crate) fn build_array(value: &Value) -> Vec<Value> {
    match value {
        Value::List(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// `",".join(items)`: every item must be a string.
pub(crate) fn join_strings(items: &[Value], sep: &str) -> Result<String> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Str(s) => {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(s);
            }
            other => return Err(join_type_error(i, other)),
        }
    }
    Ok(out)
}

/// `tags`-style lists: `value and ",".join(build_array(value))`.
fn encode_list_option(value: &Value) -> Result<Value> {
    and_then(value, |v| {
        Ok(Value::Str(join_strings(&build_array(v), ",")?))
    })
}

/// Context and metadata maps: `key=value` pairs joined by `|`, with `=` and `|` in
/// values escaped by a backslash and lists JSON-encoded first. Other values pass.
pub fn encode_context(value: &Value) -> Result<Value> {
    let Value::Map(m) = value else {
        return Ok(value.clone());
    };
    let mut out = String::new();
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(k);
        out.push('=');
        let text = match v {
            Value::List(_) => json_text::dumps(v, Spacing::Compact)?,
            other => other.py_str().into_owned(),
        };
        for c in text.chars() {
            if c == '=' || c == '|' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    Ok(Value::Str(out))
}

/// `face_coordinates` / `custom_coordinates`: a list of lists as `a,b,c,d|e,f,g,h`.
fn encode_double_array(value: &Value) -> Result<Value> {
    let array = build_array(value);
    let nested = matches!(array.first(), Some(Value::List(_)));
    let mut out = String::new();
    for (i, item) in array.iter().enumerate() {
        if i > 0 {
            out.push(if nested { '|' } else { ',' });
        }
        if nested {
            for (j, inner) in build_array(item).iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                inner.push_py_str(&mut out);
            }
        } else {
            item.push_py_str(&mut out);
        }
    }
    Ok(Value::Str(out))
}

/// `headers`: a map as `Name: value` lines, a list joined by newlines.
fn build_custom_headers(value: &Value) -> Result<Value> {
    match value {
        Value::List(items) => Ok(Value::Str(join_strings(items, "\n")?)),
        Value::Map(m) => {
            let mut lines = Vec::with_capacity(m.len());
            for (k, v) in m.iter() {
                match v {
                    Value::Str(s) => lines.push(format!("{k}: {s}")),
                    other => {
                        return Err(Error::invalid_option(
                            "headers",
                            format!(
                                "can only concatenate str (not \"{}\") to str",
                                py_type_name(other)
                            ),
                        ))
                    }
                }
            }
            Ok(Value::Str(lines.join("\n")))
        }
        other => Ok(other.clone()),
    }
}

/// The options of one transformation given as a value (`**value` in Python).
fn as_kwargs<'a>(value: &'a Value, option: &str) -> Result<&'a Map> {
    value.as_map().ok_or_else(|| {
        Error::invalid_option(
            option,
            format!(
                "argument after ** must be a mapping, not {}",
                py_type_name(value)
            ),
        )
    })
}

/// One eager entry: a string as is, else its transformation plus `/<format>`.
fn build_single_eager(client: &Client, entry: &Value, option: &str) -> Result<String> {
    if let Value::Str(s) = entry {
        return Ok(s.clone());
    }
    let opts = as_kwargs(entry, option)?;
    let trans = transformation_string(client, opts)?;
    if trans.is_empty() {
        return Ok(String::new());
    }
    match get(opts, "format") {
        Value::Null => Ok(trans),
        Value::Str(f) => Ok(format!("{trans}/{f}")),
        other => Err(Error::invalid_option(
            option,
            format!(
                "can only concatenate str (not \"{}\") to str",
                py_type_name(other)
            ),
        )),
    }
}

/// `build_eager`: entries joined by `|` (`None` stays `None`).
pub(crate) fn build_eager(client: &Client, value: &Value, option: &str) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let mut parts = Vec::new();
    for entry in build_array(value) {
        parts.push(build_single_eager(client, &entry, option)?);
    }
    Ok(Value::Str(parts.join("|")))
}

/// `json_encode`: strings and `None` pass, anything else becomes compact JSON.
fn json_encode(value: &Value) -> Result<Value> {
    match value {
        Value::Str(_) | Value::Null => Ok(value.clone()),
        other => Ok(Value::Str(json_text::dumps(other, Spacing::Compact)?)),
    }
}

/// `responsive_breakpoints`: a list of settings maps as spaced JSON, each nested
/// `transformation` map replaced by its transformation string.
fn responsive_breakpoints(client: &Client, value: &Value) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let mut out = Vec::new();
    for item in build_array(value) {
        let Value::Map(mut settings) = item else {
            return Err(Error::invalid_option(
                "responsive_breakpoints",
                format!("'{}' object has no attribute 'get'", py_type_name(&item)),
            ));
        };
        let trans = get(&settings, "transformation").clone();
        if !trans.is_null() {
            let opts = as_kwargs(&trans, "responsive_breakpoints")?;
            let s = transformation_string(client, opts)?;
            settings.insert("transformation", s);
        }
        out.push(Value::Map(settings));
    }
    Ok(Value::Str(json_text::dumps(
        &Value::List(out),
        Spacing::Spaced,
    )?))
}

/// `access_control`: a map, JSON text or list of either, as a compact JSON list.
fn access_control(value: &Value) -> Result<Value> {
    and_then(value, |v| {
        let parsed;
        let v = match v {
            Value::Str(s) => {
                parsed = json_text::loads(s, "access_control")?;
                &parsed
            }
            other => other,
        };
        let items = match v {
            Value::Map(_) => vec![v.clone()],
            Value::List(items) => items.clone(),
            other => {
                return Err(Error::invalid_option(
                    "access_control",
                    format!("'{}' object is not iterable", py_type_name(other)),
                ))
            }
        };
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            let item = match item {
                Value::Str(s) => json_text::loads(&s, "access_control")?,
                other => other,
            };
            if !matches!(item, Value::Map(_)) {
                return Err(Error::invalid_option(
                    "access_control",
                    "Expected a list of dicts",
                ));
            }
            list.push(item);
        }
        json_encode(&Value::List(list))
    })
}

/// The current time as the SDK sends it (decimal seconds).
pub(crate) fn now_text(client: &Client) -> Value {
    Value::Str(client.now().to_string())
}

/// The full upload parameter set built from `options` (`build_upload_params`), before
/// cleanup: used by `upload` and `explicit`.
pub fn build_upload_params(client: &Client, options: &Map) -> Result<Map> {
    let mut params = Map::with_capacity(16);
    for name in SIMPLE_UPLOAD_PARAMS {
        if let Some(v) = options.get(name) {
            params.insert(*name, v.clone());
        }
    }
    let preset = params.remove("upload_preset").unwrap_or_else(|| {
        client
            .config()
            .get("upload_preset")
            .cloned()
            .unwrap_or_default()
    });
    params.insert("upload_preset", preset);

    params.insert("timestamp", now_text(client));
    params.insert("transformation", transformation_string(client, options)?);
    params.insert("headers", build_custom_headers(get(options, "headers"))?);
    params.insert(
        "eager",
        build_eager(client, get(options, "eager"), "eager")?,
    );
    params.insert("tags", encode_list_option(get(options, "tags"))?);
    params.insert(
        "allowed_formats",
        encode_list_option(get(options, "allowed_formats"))?,
    );
    params.insert(
        "face_coordinates",
        encode_double_array(get(options, "face_coordinates"))?,
    );
    params.insert(
        "custom_coordinates",
        encode_double_array(get(options, "custom_coordinates"))?,
    );
    params.insert("regions", json_encode(get(options, "regions"))?);
    params.insert("context", encode_context(get(options, "context"))?);
    params.insert(
        "auto_tagging",
        and_then(get(options, "auto_tagging"), |v| {
            Ok(Value::Str(v.py_str().into_owned()))
        })?,
    );
    params.insert(
        "responsive_breakpoints",
        responsive_breakpoints(client, get(options, "responsive_breakpoints"))?,
    );
    params.insert(
        "access_control",
        access_control(get(options, "access_control"))?,
    );
    params.insert("metadata", encode_context(get(options, "metadata"))?);
    params.insert(
        "auto_transcription",
        json_encode(get(options, "auto_transcription"))?,
    );
    if client.profile() == crate::Profile::Php {
        super::php::adjust_upload_params(&mut params, options)?;
    }
    Ok(params)
}

/// `cleanup_params`: drops `None` and `""`, turns booleans into `"1"`/`"0"`.
pub fn cleanup(params: Map) -> Map {
    drop_empty(params, ("1", "0"))
}

/// Drops `None` and `""` values and writes booleans as `bools.0` (true) or `bools.1`.
pub(crate) fn drop_empty(params: Map, bools: (&'static str, &'static str)) -> Map {
    let mut out = Map::with_capacity(params.len());
    for (k, v) in params {
        match v {
            Value::Null => {}
            Value::Str(ref s) if s.is_empty() => {}
            Value::Bool(b) => {
                out.insert(k, if b { bools.0 } else { bools.1 });
            }
            other => {
                out.insert(k, other);
            }
        }
    }
    out
}

/// The archive parameters of `generate_archive` (`archive_params`).
pub fn archive_params(client: &Client, options: &Map) -> Result<Map> {
    let timestamp = match get(options, "timestamp") {
        Value::Null => now_text(client),
        v => v.clone(),
    };
    let listed = |key: &str| and_then(get(options, key), |v| Ok(Value::List(build_array(v))));
    let plain = |key: &str| get(options, key).clone();
    let mut p = Map::with_capacity(24);
    for key in [
        "allow_missing",
        "async",
        "batch_id",
        "expires_at",
        "flatten_folders",
        "flatten_transformations",
        "keep_derived",
        "mode",
        "notification_url",
        "phash",
    ] {
        p.insert(key, plain(key));
    }
    p.insert("prefixes", listed("prefixes")?);
    p.insert("public_ids", listed("public_ids")?);
    p.insert(
        "fully_qualified_public_ids",
        listed("fully_qualified_public_ids")?,
    );
    p.insert(
        "skip_transformation_name",
        plain("skip_transformation_name"),
    );
    p.insert("tags", listed("tags")?);
    p.insert("target_format", plain("target_format"));
    p.insert("target_asset_folder", plain("target_asset_folder"));
    p.insert("target_public_id", plain("target_public_id"));
    p.insert("target_tags", listed("target_tags")?);
    p.insert("timestamp", timestamp);
    p.insert(
        "transformations",
        build_eager(client, get(options, "transformations"), "transformations")?,
    );
    p.insert("type", plain("type"));
    p.insert("use_original_filename", plain("use_original_filename"));
    Ok(p)
}

/// The parameters of `sprite` and `multi` (and their download URLs). Exactly one of
/// `tag` and `urls` must be set; `format` becomes the transformation's `fetch_format`.
pub fn multi_and_sprite_params(
    client: &Client,
    tag: &Value,
    urls: &Value,
    options: &Map,
) -> Result<Map> {
    if tag.truthy() == urls.truthy() {
        return Err(Error::invalid_option(
            "tag",
            "Either 'tag' or 'urls' parameter has to be set but not both",
        ));
    }
    if options.contains_key("fetch_format") {
        return Err(Error::invalid_option(
            "fetch_format",
            "got multiple values for keyword argument 'fetch_format' (use `format`)",
        ));
    }
    let mut trans_opts = Map::with_capacity(options.len() + 1);
    trans_opts.insert("fetch_format", get(options, "format").clone());
    trans_opts.update(options);
    let mut p = Map::with_capacity(9);
    p.insert("mode", get(options, "mode").clone());
    p.insert("timestamp", now_text(client));
    p.insert("async", get(options, "async").clone());
    p.insert("batch_id", get(options, "batch_id").clone());
    p.insert("notification_url", get(options, "notification_url").clone());
    p.insert("tag", tag.clone());
    p.insert("urls", urls.clone());
    p.insert("public_id", get(options, "public_id").clone());
    p.insert(
        "transformation",
        transformation_string(client, &trans_opts)?,
    );
    Ok(p)
}

/// The parameters of `create_slideshow`.
pub fn slideshow_params(client: &Client, options: &Map) -> Result<Map> {
    let mut p = Map::with_capacity(9);
    for key in [
        "notification_url",
        "batch_id",
        "public_id",
        "overwrite",
        "upload_preset",
    ] {
        p.insert(key, get(options, key).clone());
    }
    p.insert("timestamp", now_text(client));
    p.insert(
        "transformation",
        build_eager(client, get(options, "transformation"), "transformation")?,
    );
    p.insert(
        "manifest_transformation",
        build_eager(
            client,
            get(options, "manifest_transformation"),
            "manifest_transformation",
        )?,
    );
    p.insert(
        "manifest_json",
        and_then(get(options, "manifest_json"), json_encode)?,
    );
    p.insert("tags", encode_list_option(get(options, "tags"))?);
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn context_encoding() {
        assert_eq!(
            encode_context(&v(
                r#"{"alt": "a=b|c", "caption": "x", "n": 5, "l": ["a=b", "ü"]}"#
            ))
            .unwrap(),
            Value::from(r#"alt=a\=b\|c|caption=x|n=5|l=["a\=b","\u00fc"]"#)
        );
        assert_eq!(encode_context(&v(r#""k=v""#)).unwrap(), v(r#""k=v""#));
    }

    #[test]
    fn coordinates_and_headers() {
        assert_eq!(
            encode_double_array(&v("[[10,20,30,40],[50,60,70,80]]")).unwrap(),
            Value::from("10,20,30,40|50,60,70,80")
        );
        assert_eq!(
            encode_double_array(&v("[1,2]")).unwrap(),
            Value::from("1,2")
        );
        assert_eq!(
            build_custom_headers(&v(r#"{"X-A": "b", "Link": "<x>"}"#)).unwrap(),
            Value::from("X-A: b\nLink: <x>")
        );
        assert!(build_custom_headers(&v(r#"{"X-A": 1}"#)).is_err());
    }

    #[test]
    fn access_control_accepts_json_text() {
        assert_eq!(
            access_control(&v(r#""{\"access_type\":\"anonymous\"}""#)).unwrap(),
            Value::from(r#"[{"access_type":"anonymous"}]"#)
        );
        assert!(access_control(&v(r#"["x"]"#)).is_err());
        assert_eq!(access_control(&v("false")).unwrap(), Value::Bool(false));
    }

    #[test]
    fn cleanup_rules() {
        let m: Map =
            serde_json::from_str(r#"{"a": null, "b": "", "c": true, "d": 0, "e": []}"#).unwrap();
        let c = cleanup(m);
        assert_eq!(c.keys().collect::<Vec<_>>(), ["c", "d", "e"]);
        assert_eq!(c.get("c"), Some(&Value::from("1")));
    }
}
