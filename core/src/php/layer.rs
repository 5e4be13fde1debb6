//! cloudinary_php's layers (`LayerQualifierFactory::fromParams`): the value of an
//! `overlay` (`l_`) or `underlay` (`u_`) as the PHP SDK writes it, for the `php`
//! profile. Fetch layers are left to the shared renderer (both SDKs write them alike);
//! every other layer is rendered here into the text the shared renderer then emits as
//! it is.

use crate::{Error, Map, Result, Value};

/// The rendered layer value (without `l_`/`u_`), or `None` for a fetch layer (left as
/// it is). `param` names the option in errors.
pub(crate) fn render(layer: &Value, param: &str) -> Result<Option<String>> {
    match layer {
        Value::Map(m) => render_map(m, param),
        Value::List(_) | Value::Null => Err(type_error(param, layer)),
        other => {
            // `array|string`: a scalar is its text; a text naming a fetch is left.
            let text = crate::php::string(other).unwrap_or_default();
            if text.contains("fetch:") {
                return Ok(None);
            }
            Ok(Some(source_value(&text)))
        }
    }
}

fn type_error(param: &str, v: &Value) -> Error {
    Error::invalid_option(
        param,
        format!(
            "TypeError: LayerQualifierFactory::fromParams(): Argument #1 ($layerQualifiers) must be of type array|string, {} given",
            v.type_name()
        ),
    )
}

/// `SourceValue`: `/` written as `:`.
fn source_value(s: &str) -> String {
    s.replace('/', ":")
}

/// A `?string` argument: scalars as their text, arrays a `TypeError`.
fn text_arg(v: Option<&Value>, param: &str, what: &str) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v @ (Value::List(_) | Value::Map(_))) => Err(Error::invalid_option(
            param,
            format!(
                "TypeError: {what}: Argument #1 must be of type ?string, {} given",
                v.type_name()
            ),
        )),
        Some(v) => Ok(crate::php::string(v)),
    }
}

fn render_map(m: &Map, param: &str) -> Result<Option<String>> {
    let resource_type = text_arg(m.get("resource_type"), param, "resource_type")?;
    let delivery_type = m.get("type");
    let fetch = m.get("fetch").or_else(|| m.get("url"));
    if fetch.is_some_and(|f| !crate::php::is_empty(f))
        || delivery_type.and_then(Value::as_str) == Some("fetch")
    {
        return Ok(None);
    }
    let text = m.get("text");
    let public_id = m.get("public_id").filter(|p| !p.is_null());
    let rt = resource_type.as_deref();
    if text.is_some_and(|t| !crate::php::is_empty(t)) || rt == Some("text") {
        let style = text_style(m, param)?;
        if public_id.is_some() != style.is_empty() {
            return Err(Error::invalid_option(
                param,
                "Must supply either style qualifiers or a public_id when providing text qualifier in a text layer",
            ));
        }
        let mut parts = Vec::with_capacity(3);
        parts.push(style);
        if let Some(p) = public_id {
            parts.push(source_value(
                &text_arg(Some(p), param, "styleFromPublicId()")?.unwrap_or_default(),
            ));
        }
        if let Some(t) = text_arg(text, param, "Text::__construct()")? {
            parts.push(escape_text(&t));
        }
        return Ok(Some(format!("text:{}", join_filtered(&parts, ":"))));
    }
    let Some(public_id) = public_id else {
        return Err(Error::invalid_option(
            param,
            format!("Must supply public_id for {} layer", rt.unwrap_or("")),
        ));
    };
    let mut id = crate::php::string(public_id).unwrap_or_default();
    if let Some(format) = m.get("format").filter(|f| !f.is_null()) {
        id.push('.');
        id.push_str(&crate::php::string(format).unwrap_or_default());
    }
    Ok(Some(match rt {
        Some("subtitles") => {
            let style = text_style(m, param)?;
            format!(
                "subtitles:{}",
                join_filtered(&[style, source_value(&id)], ":")
            )
        }
        Some("lut") => format!("lut:{}", source_value(&id)),
        Some("video") => format!("video:{}", source_value(&id)),
        _ => {
            let mut parts = Vec::with_capacity(3);
            if rt != Some("image") {
                parts.push(rt.unwrap_or("").to_owned());
            }
            match delivery_type {
                Some(Value::Str(t)) if t == "upload" => {}
                other => parts.push(other.and_then(crate::php::string).unwrap_or_default()),
            }
            parts.push(id);
            source_value(&join_filtered(&parts, ":"))
        }
    }))
}

fn join_filtered(parts: &[String], glue: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(glue)
}

/// `TextStyle::fromParams`: family, size, then the keywords unless at their default,
/// each left out when empty by PHP's `empty()` on its text; then the named spacing,
/// antialias and hinting values, by name.
fn text_style(m: &Map, param: &str) -> Result<String> {
    if let Some(size) = m.get("font_size") {
        let ok = match size {
            Value::Null | Value::Int(_) | Value::Float(_) | Value::Bool(_) => true,
            Value::Str(s) => crate::php::is_numeric_str(s),
            _ => false,
        };
        if !ok {
            return Err(Error::invalid_option(
                param,
                format!(
                    "TypeError: TextStyle::__construct(): Argument #2 ($fontSize) must be of type int|float|null, {} given",
                    size.type_name()
                ),
            ));
        }
    }
    const POSITIONAL: &[(&str, Option<&str>)] = &[
        ("font_family", None),
        ("font_size", None),
        ("font_weight", Some("normal")),
        ("font_style", Some("normal")),
        ("text_decoration", Some("none")),
        ("text_align", None),
        ("stroke", Some("none")),
    ];
    // Named values, in `ksort` order of their names.
    const NAMED: &[(&str, &str)] = &[
        ("font_antialiasing", "antialias"),
        ("font_hinting", "hinting"),
        ("letter_spacing", "letter_spacing"),
        ("line_spacing", "line_spacing"),
    ];
    let mut parts = Vec::new();
    for (key, default) in POSITIONAL {
        let mut v = text_arg(m.get(key), param, key)?;
        if *key == "font_size" {
            // `float|int`: a numeric text becomes its number.
            if let Some(Value::Str(s)) = m.get(key) {
                v = Some(crate::php::float_string(crate::php::number(
                    &Value::Str(s.clone()),
                    key,
                )?));
            }
        }
        let Some(v) = v else { continue };
        if default.is_some_and(|d| d == v) || v.is_empty() || v == "0" {
            continue;
        }
        parts.push(v);
    }
    for (key, name) in NAMED {
        let Some(v) = text_arg(m.get(key), param, key)? else {
            continue;
        };
        if v.is_empty() || v == "0" {
            continue;
        }
        parts.push(format!("{name}_{v}"));
    }
    Ok(parts.join("_"))
}

/// PHP's `rawurlencode`.
fn rawurlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `StringUtils::smartEscape`: `rawurlencode` with `:` and `/` kept.
fn smart_escape(s: &str) -> String {
    rawurlencode(s).replace("%3A", ":").replace("%2F", "/")
}

/// The text of a text layer (`Text::__toString`): smart-escaped, then `%2C` and `/`
/// escaped once more, with `$(name)` variable references kept as they are.
fn escape_text(text: &str) -> String {
    let mut escaped = smart_escape(text)
        .replace("%2C", "%252C")
        .replace('/', "%252F");
    for var in variable_refs(text) {
        escaped = escaped.replace(&smart_escape(var), var);
    }
    escaped
}

/// The `\$\([a-zA-Z]\w+\)` matches of `text`.
fn variable_refs(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'$' && b[i + 1] == b'(' && i + 2 < b.len() && b[i + 2].is_ascii_alphabetic() {
            let mut j = i + 3;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > i + 3 && j < b.len() && b[j] == b')' {
                out.push(&text[i..=j]);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(json: &str) -> Result<Option<String>> {
        render(&serde_json::from_str(json).unwrap(), "overlay")
    }

    #[test]
    fn text_layers_follow_cloudinary_php() {
        assert_eq!(
            layer(r#"{"text": "Hi, $(name)/x", "font_weight": "bold"}"#)
                .unwrap()
                .unwrap(),
            "text:bold:Hi%252C%20$(name)%252Fx"
        );
        assert_eq!(
            layer(r#"{"resource_type": "text", "font_family": "Arial", "font_size": 18}"#)
                .unwrap()
                .unwrap(),
            "text:Arial_18"
        );
        assert!(layer(r#"{"text": "Hi"}"#).is_err());
        assert!(layer(r#"{"text": "Hi", "text_style": "$s"}"#).is_err());
    }

    #[test]
    fn other_layers_follow_cloudinary_php() {
        assert_eq!(layer(r#""folder/logo""#).unwrap().unwrap(), "folder:logo");
        assert_eq!(layer(r#""fetch:https://x/y""#).unwrap(), None);
        assert_eq!(
            layer(r#"{"public_id": "a/b", "resource_type": "video"}"#)
                .unwrap()
                .unwrap(),
            "video:a:b"
        );
        assert!(layer("{}").is_err());
    }
}
