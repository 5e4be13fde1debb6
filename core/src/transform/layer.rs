//! Layers: the values of `overlay` (`l_`) and `underlay` (`u_`).
//!
//! A string is used as it is, except `fetch:<url>` and `<resource_type>:fetch:<url>`,
//! which become fetch layers. A map names the layer's parts: `resource_type`, `type`,
//! `public_id`, `format`, `text` (with font options) or `url`.
//!
//! ```
//! use cldkit::{Map, Value};
//! use cldkit::transform::layer::layer_value;
//! let layer: Value = serde_json::from_str(
//!     r#"{"text": "Hello, World", "font_family": "Arial", "font_size": 20}"#).unwrap();
//! assert_eq!(layer_value(&layer, "overlay").unwrap().unwrap(), "text:Arial_20:Hello%252C%20World");
//! ```

use std::borrow::Cow;

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::url::escape::{escape_comma_slash, push_smart_escaped};
use crate::value::{Map, Value};

/// Keyword style options, with the value that means "leave it out".
const KEYWORDS: &[(&str, Option<&str>)] = &[
    ("font_weight", Some("normal")),
    ("font_style", Some("normal")),
    ("text_decoration", Some("none")),
    ("text_align", None),
    ("stroke", Some("none")),
];

/// Renders a layer value (without the `l_`/`u_` key). `Ok(None)` means "not emitted";
/// `param` (`overlay` or `underlay`) names the option in errors.
pub fn layer_value<'a>(layer: &'a Value, param: &str) -> Result<Option<Cow<'a, str>>> {
    match layer {
        Value::Str(s) => {
            if let Some(url) = s.strip_prefix("fetch:") {
                return fetch_layer(None, &Value::Str(url.to_owned()), param).map(Some);
            }
            if s.len() >= 7 && find_within(s, ":fetch:", 12) {
                // Split at the first two colons, as the SDK does.
                let mut parts = s.splitn(3, ':');
                let resource_type = parts.next().unwrap_or("");
                let _ = parts.next();
                let url = parts.next().unwrap_or("");
                let rt = (!resource_type.is_empty()).then_some(resource_type);
                return fetch_layer(rt, &Value::Str(url.to_owned()), param).map(Some);
            }
            Ok((!s.is_empty()).then_some(Cow::Borrowed(s.as_str())))
        }
        Value::Map(m) => map_layer(m, param).map(|s| Some(Cow::Owned(s))),
        other => Ok(raw_emit(other)),
    }
}

/// A non-string, non-map value is used as it is (Python `str()`), when emitted.
fn raw_emit(v: &Value) -> Option<Cow<'_, str>> {
    (v.truthy() || v.eq_zero()).then(|| v.py_str())
}

/// Python's `s.find(needle, 0, end) != -1`: the needle lies entirely in the first
/// `end` characters.
fn find_within(s: &str, needle: &str, end: usize) -> bool {
    let prefix: String = s.chars().take(end).collect();
    prefix.contains(needle)
}

fn fetch_layer(resource_type: Option<&str>, url: &Value, param: &str) -> Result<Cow<'static, str>> {
    let mut m = Map::with_capacity(3);
    m.insert("url", url.clone());
    m.insert("type", "fetch");
    if let Some(rt) = resource_type {
        m.insert("resource_type", rt);
    }
    map_layer(&m, param).map(Cow::Owned)
}

fn type_error(param: &str, what: &str) -> Error {
    Error::invalid_option(param, format!("{what} must be a string"))
}

fn as_text<'a>(v: &'a Value, param: &str, what: &str) -> Result<&'a str> {
    v.as_str().ok_or_else(|| type_error(param, what))
}

/// The layer map's entries the renderer reads, found in one pass over the map.
#[derive(Default)]
struct Fields<'a> {
    /// By field index (see [`field`]), the value as given (null included).
    values: [Option<&'a Value>; FIELD_COUNT],
}

const TEXT: usize = 0;
const URL: usize = 1;
const RESOURCE_TYPE: usize = 2;
const TYPE: usize = 3;
const PUBLIC_ID: usize = 4;
const FORMAT: usize = 5;
const TEXT_STYLE: usize = 6;
const FONT_FAMILY: usize = 7;
const FONT_SIZE: usize = 8;
/// The [`KEYWORDS`] start here, in their order.
const KEYWORD_FIELDS: usize = 9;
/// Then `letter_spacing`, `line_spacing`, `font_antialiasing`, `font_hinting`.
const SPACING_FIELDS: usize = KEYWORD_FIELDS + KEYWORDS.len();
const FIELD_COUNT: usize = SPACING_FIELDS + SPACING.len();

/// Spacing and hinting options, with the text that precedes their value.
const SPACING: &[(&str, &str)] = &[
    ("letter_spacing", "letter_spacing_"),
    ("line_spacing", "line_spacing_"),
    ("font_antialiasing", "antialias_"),
    ("font_hinting", "hinting_"),
];

/// The field index of a layer option name.
fn field(name: &str) -> Option<usize> {
    Some(match name {
        "text" => TEXT,
        "url" => URL,
        "resource_type" => RESOURCE_TYPE,
        "type" => TYPE,
        "public_id" => PUBLIC_ID,
        "format" => FORMAT,
        "text_style" => TEXT_STYLE,
        "font_family" => FONT_FAMILY,
        "font_size" => FONT_SIZE,
        other => {
            if let Some(i) = KEYWORDS.iter().position(|(k, _)| *k == other) {
                KEYWORD_FIELDS + i
            } else {
                SPACING_FIELDS + SPACING.iter().position(|(k, _)| *k == other)?
            }
        }
    })
}

impl<'a> Fields<'a> {
    fn of(layer: &'a Map) -> Self {
        let mut f = Fields::default();
        for (k, v) in layer.iter() {
            if let Some(i) = field(k) {
                f.values[i] = Some(v);
            }
        }
        f
    }

    /// The value of a field, `None` when absent or null.
    fn get(&self, i: usize) -> Option<&'a Value> {
        self.values[i].filter(|v| !v.is_null())
    }
}

/// `resource_type` / `type` of a layer: given, or implied (`text`, `fetch`).
#[derive(Clone, Copy)]
enum Part<'a> {
    Implied(&'static str),
    Given(&'a Value),
}

impl<'a> Part<'a> {
    fn is(self, name: &str) -> bool {
        match self {
            Part::Implied(s) => s == name,
            Part::Given(v) => v.as_str() == Some(name),
        }
    }
    fn text(self, param: &str, what: &str) -> Result<&'a str> {
        match self {
            Part::Implied(s) => Ok(s),
            Part::Given(v) => as_text(v, param, what),
        }
    }
}

/// Appends `s` with every `/` replaced by `:`.
fn push_colon_path(out: &mut String, s: &str) {
    for (i, piece) in s.split('/').enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(piece);
    }
}

/// Parts joined with `:`: the separator goes before every part but the first.
struct Parts<'o> {
    out: &'o mut String,
    count: usize,
}

impl Parts<'_> {
    fn next(&mut self) -> &mut String {
        if self.count > 0 {
            self.out.push(':');
        }
        self.count += 1;
        self.out
    }
}

fn map_layer(layer: &Map, param: &str) -> Result<String> {
    let mut out = String::with_capacity(48);
    push_map_layer(&mut out, layer, param)?;
    Ok(out)
}

/// Appends the rendering of a layer map (see [`layer_value`]) to `out`.
pub(crate) fn push_map_layer(out: &mut String, layer: &Map, param: &str) -> Result<()> {
    let f = Fields::of(layer);
    let text = f.get(TEXT);
    let fetch_url = f.get(URL);
    let resource_type = f
        .get(RESOURCE_TYPE)
        .map(Part::Given)
        .or_else(|| text.is_some().then_some(Part::Implied("text")));
    let kind = f.get(TYPE).map(Part::Given).or_else(|| {
        fetch_url
            .is_some_and(Value::truthy)
            .then_some(Part::Implied("fetch"))
    });
    let rt_is = |name: &str| resource_type.is_some_and(|p| p.is(name));
    let kind_is = |name: &str| kind.is_some_and(|p| p.is(name));
    let public_id = f.get(PUBLIC_ID);
    let format = f.get(FORMAT);
    if let (Some(p), Some(f)) = (public_id, format) {
        // Joined as text up front, as the reference SDK does.
        as_text(p, param, "public_id")?;
        as_text(f, param, "format")?;
    }
    if public_id.is_none() && !rt_is("text") && !kind_is("fetch") {
        return Err(Error::invalid_option(
            param,
            format!("Must supply public_id for non-text {param}"),
        ));
    }
    let mut parts = Parts { out, count: 0 };
    // The public id (with its format), `/` as `:`; a non-string fails only when used.
    let push_public_id = |out: &mut String, p: &Value| -> Result<()> {
        push_colon_path(out, as_text(p, param, "public_id")?);
        if let Some(f) = format {
            out.push('.');
            push_colon_path(out, as_text(f, param, "format")?);
        }
        Ok(())
    };
    if let Some(rt) = resource_type.filter(|_| !rt_is("image")) {
        let t = rt.text(param, "resource_type")?;
        parts.next().push_str(t);
    }
    if let Some(k) = kind.filter(|_| !kind_is("upload")) {
        let t = k.text(param, "type")?;
        parts.next().push_str(t);
    }
    if rt_is("text") || rt_is("subtitles") {
        if public_id.is_none() && text.is_none() {
            return Err(Error::invalid_option(
                param,
                format!("Must supply either text or public_id in {param}"),
            ));
        }
        // The style is written in place and taken back when there is none.
        let mark = parts.out.len();
        let count = parts.count;
        if !push_text_style(parts.next(), &f, param)? {
            parts.out.truncate(mark);
            parts.count = count;
        }
        if let Some(p) = public_id {
            push_public_id(parts.next(), p)?;
        }
        if let Some(t) = text {
            let t = as_text(t, param, "text")?;
            push_escaped_text(parts.next(), t);
        }
    } else if kind_is("fetch") {
        let url = match fetch_url {
            Some(Value::Str(u)) => u,
            _ => return Err(type_error(param, "url of a fetch layer")),
        };
        base64::engine::general_purpose::URL_SAFE.encode_string(url.as_bytes(), parts.next());
    } else if let Some(p) = public_id {
        push_public_id(parts.next(), p)?;
    }
    Ok(())
}

/// URL-safe base64 of the UTF-8 bytes, `=` padding kept (as the reference SDK does).
pub fn base64_url(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE.encode(s.as_bytes())
}

/// Appends the text style component: `text_style` verbatim, or family, size and
/// keywords. Returns whether there is one (nothing is appended when not).
fn push_text_style(out: &mut String, f: &Fields<'_>, param: &str) -> Result<bool> {
    if let Some(style) = f.values[TEXT_STYLE] {
        // An explicit null is the text "None" in the reference SDK.
        let s = style.py_str();
        if !s.is_empty() && !s.chars().all(char::is_whitespace) {
            out.push_str(&s);
            return Ok(true);
        }
    }
    let family = f.get(FONT_FAMILY);
    let size = f.get(FONT_SIZE);
    let has_keywords = (KEYWORD_FIELDS..FIELD_COUNT).any(|i| match f.get(i) {
        None => false,
        Some(v) => i >= SPACING_FIELDS || !is_default_keyword(v, i),
    });
    if family.is_none() && size.is_none() && !has_keywords {
        return Ok(false);
    }
    let family = family.ok_or_else(|| {
        Error::invalid_option(
            param,
            format!("Must supply font_family for text in {param}"),
        )
    })?;
    let size = size.ok_or_else(|| {
        Error::invalid_option(param, format!("Must supply font_size for text in {param}"))
    })?;
    family.push_py_str(out);
    out.push('_');
    size.push_py_str(out);
    for i in KEYWORD_FIELDS..SPACING_FIELDS {
        if let Some(v) = f.get(i) {
            if !is_default_keyword(v, i) {
                out.push('_');
                v.push_py_str(out);
            }
        }
    }
    for (i, (_, prefix)) in SPACING.iter().enumerate() {
        if let Some(v) = f.get(SPACING_FIELDS + i) {
            out.push('_');
            out.push_str(prefix);
            v.push_py_str(out);
        }
    }
    Ok(true)
}

/// Whether a keyword field holds the value that means "leave it out".
fn is_default_keyword(v: &Value, field: usize) -> bool {
    let default = KEYWORDS[field - KEYWORD_FIELDS].1;
    matches!((v, default), (Value::Str(s), Some(d)) if s == d)
}

/// Length of a variable reference `$(` + ASCII letter + word characters (1+) + `)`
/// at the start of `s`.
fn var_ref_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("$(")?;
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    for (word, (i, c)) in chars.enumerate() {
        if c == ')' {
            return (word > 0).then_some(2 + i + 1);
        }
        if !(c.is_alphanumeric() || c == '_') {
            return None;
        }
    }
    None
}

/// Escapes layer text: variable references `$(name)` are kept; everything else gets
/// `,`/`/` escaped and then smart-escaped (so `,` ends up as `%252C`).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped_text(&mut out, text);
    out
}

/// Appends the escaped form of layer text (see [`escape_text`]).
pub fn push_escaped_text(out: &mut String, text: &str) {
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i] == b'$' {
            if let Some(len) = var_ref_len(&text[i..]) {
                push_smart_escaped(out, &escape_comma_slash(&text[plain_start..i]));
                out.push_str(&text[i..i + len]);
                i += len;
                plain_start = i;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    push_smart_escaped(out, &escape_comma_slash(&text[plain_start..]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escaping() {
        assert_eq!(
            escape_text("Hi $(name), $(age)!"),
            "Hi%20$(name)%252C%20$(age)%21"
        );
        assert_eq!(
            escape_text("$5 $(a_b1) $(1x)"),
            "%245%20$(a_b1)%20%24%281x%29"
        );
        assert_eq!(escape_text("$(a) $(ab)"), "%24%28a%29%20$(ab)");
        assert_eq!(escape_text("100% a%20b"), "100%25%20a%2520b");
    }

    fn layer(json: &str) -> String {
        let v: Value = serde_json::from_str(json).unwrap();
        layer_value(&v, "overlay").unwrap().unwrap().into_owned()
    }

    #[test]
    fn layers() {
        assert_eq!(layer(r#"{"public_id":"a/b/c"}"#), "a:b:c");
        assert_eq!(
            layer(
                r#"{"public_id":"a/b","type":"authenticated","resource_type":"raw","format":"txt"}"#
            ),
            "raw:authenticated:a:b.txt"
        );
        assert_eq!(
            layer(r#""video:fetch:https://example.com/v.mp4""#),
            "video:fetch:aHR0cHM6Ly9leGFtcGxlLmNvbS92Lm1wNA=="
        );
        assert_eq!(
            layer(r#""image:upload:fetch:http://a.com/b.png""#),
            "image:upload:fetch:http://a.com/b.png"
        );
        assert_eq!(layer(r#"{"text":"Hi","text_style":null}"#), "text:None:Hi");
        assert_eq!(
            layer(
                r#"{"resource_type":"subtitles","public_id":"subs/s.srt","font_family":"Arial","font_size":40}"#
            ),
            "subtitles:Arial_40:subs:s.srt"
        );
    }
}
