//! Transformation strings in the `node` profile: the npm SDK 2.11.0's
//! `generate_transformation_string`, which differs from pycloudinary's in how values
//! print (JavaScript's `String()`: `2.0` is `2`, lists join with `,`), in what counts as
//! set (JavaScript truthiness, the SDK's `present()`), and in a few rules: `#` becomes
//! `rgb:` only at the start of a colour, a digit-only `border` is an HTML attribute,
//! an `effect` map gives all its entries, `duration` keeps a non-numeric value,
//! predefined variables are replaced without word boundaries, layers follow the npm
//! SDK's `process_layer` (fetch URLs re-encoded, unpadded base64) and video codec maps
//! know no `b_frames`.
//!
//! Like the npm SDK, the builder consumes the option map it is given: what is left
//! afterwards (plus `responsive` / `hidpi`) is what the tag helpers turn into HTML
//! attributes.

use std::borrow::Cow;

use base64::Engine as _;

use super::js;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::value::{Map, Value};

mod plain;

/// How deep `transformation` chains may nest (the npm SDK overflows its stack).
const MAX_DEPTH: usize = 64;

/// The parameters read as they are, by option name and key (the npm SDK's
/// `SIMPLE_PARAMS`).
const SIMPLE_PARAMS: &[(&str, &str)] = &[
    ("audio_codec", "ac"),
    ("audio_frequency", "af"),
    ("bit_rate", "br"),
    ("color_space", "cs"),
    ("default_image", "d"),
    ("delay", "dl"),
    ("density", "dn"),
    ("duration", "du"),
    ("end_offset", "eo"),
    ("fetch_format", "f"),
    ("gravity", "g"),
    ("page", "pg"),
    ("prefix", "p"),
    ("start_offset", "so"),
    ("streaming_profile", "sp"),
    ("video_codec", "vc"),
    ("video_sampling", "vs"),
];

/// Operators an expression's words become, in the order the npm SDK tries them.
const OPERATORS: &[(&str, &str)] = &[
    ("||", "or"),
    (">=", "gte"),
    ("<=", "lte"),
    ("&&", "and"),
    ("!=", "ne"),
    (">", "gt"),
    ("=", "eq"),
    ("<", "lt"),
    ("/", "div"),
    ("-", "sub"),
    ("^", "pow"),
    ("+", "add"),
    ("*", "mul"),
];

/// Predefined variables, in the npm SDK's order (the first that matches at a
/// position wins; there are no word boundaries).
const PREDEFINED_VARS: &[(&str, &str)] = &[
    ("aspect_ratio", "ar"),
    ("aspectRatio", "ar"),
    ("current_page", "cp"),
    ("currentPage", "cp"),
    ("duration", "du"),
    ("face_count", "fc"),
    ("faceCount", "fc"),
    ("height", "h"),
    ("initial_aspect_ratio", "iar"),
    ("initial_height", "ih"),
    ("initial_width", "iw"),
    ("initialAspectRatio", "iar"),
    ("initialHeight", "ih"),
    ("initialWidth", "iw"),
    ("initial_duration", "idu"),
    ("initialDuration", "idu"),
    ("page_count", "pc"),
    ("page_x", "px"),
    ("page_y", "py"),
    ("pageCount", "pc"),
    ("pageX", "px"),
    ("pageY", "py"),
    ("tags", "tags"),
    ("width", "w"),
];

/// Text-layer style keywords and their defaults (`LAYER_KEYWORD_PARAMS`).
const LAYER_KEYWORDS: &[(&str, Option<&str>)] = &[
    ("font_weight", Some("normal")),
    ("font_style", Some("normal")),
    ("text_decoration", Some("none")),
    ("text_align", None),
    ("stroke", Some("none")),
];

/// The option names of a transformation (`TRANSFORMATION_PARAMS`; `$` variables too).
pub(crate) const TRANSFORMATION_PARAMS: &[&str] = &[
    "angle",
    "aspect_ratio",
    "audio_codec",
    "audio_frequency",
    "background",
    "bit_rate",
    "border",
    "color",
    "color_space",
    "crop",
    "default_image",
    "delay",
    "density",
    "dpr",
    "duration",
    "effect",
    "end_offset",
    "fetch_format",
    "flags",
    "fps",
    "gravity",
    "height",
    "if",
    "keyframe_interval",
    "offset",
    "opacity",
    "overlay",
    "page",
    "prefix",
    "quality",
    "radius",
    "raw_transformation",
    "responsive_width",
    "size",
    "start_offset",
    "streaming_profile",
    "transformation",
    "underlay",
    "variables",
    "video_codec",
    "video_sampling",
    "width",
    "x",
    "y",
    "zoom",
];

/// The npm SDK's `generate_transformation_string(value)`: a string is returned as it
/// is, a list gives its items' transformations joined with `/`, a map is consumed.
pub(crate) fn generate_value(config: &Config, value: &Value, depth: usize) -> Result<String> {
    match value {
        Value::Str(s) => Ok(s.clone()),
        Value::List(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                let part = generate_value(config, item, depth + 1)?;
                if !part.is_empty() {
                    parts.push(part);
                }
            }
            Ok(parts.join("/"))
        }
        Value::Map(m) => generate(config, &mut m.clone(), depth),
        _ => generate_owned(config, value.clone(), depth),
    }
}

/// [`generate_value`] of a value the caller gives up: maps are consumed in place
/// instead of being copied first.
fn generate_owned(config: &Config, value: Value, depth: usize) -> Result<String> {
    match value {
        Value::Str(s) => Ok(s),
        Value::List(items) => {
            let mut out = String::new();
            for item in items {
                let part = generate_owned(config, item, depth + 1)?;
                push_component(&mut out, &part);
            }
            Ok(out)
        }
        Value::Map(mut m) => generate(config, &mut m, depth),
        Value::Null => Err(Error::invalid_option(
            "transformation",
            "TypeError: Cannot read properties of null (the npm SDK fails)",
        )),
        // A number or boolean has no options: an empty transformation.
        _ => Ok(String::new()),
    }
}

/// The transformation of one option map, consuming what it reads from `options`
/// (and setting `responsive` / `hidpi` there), as the npm SDK does.
pub(crate) fn generate(config: &Config, options: &mut Map, depth: usize) -> Result<String> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid_option(
            "transformation",
            "transformations nest too deeply (the npm SDK overflows its stack)",
        ));
    }
    if let Some(out) = plain::generate(config, options) {
        return Ok(out);
    }
    general(config, options, depth)
}

/// [`generate`] for any option map.
fn general(config: &Config, options: &mut Map, depth: usize) -> Result<String> {
    // Most option names read below are absent: they are ruled out by a summary of
    // the keys instead of a search (the `offset` option adds the offsets it sets).
    let mut keys = KeyBits::of(options);
    let responsive_width = keys
        .consume(options, "responsive_width")
        .or_else(|| config_value(&config.known.responsive_width));
    let mut width = options.get("width").cloned();
    let mut height = options.get("height").cloned();
    if let Some(size) = keys
        .consume(options, "size")
        .filter(|v| js::truthy(Some(v)))
    {
        let Value::Str(text) = &size else {
            return Err(js::type_error(
                "size",
                "size.split is not a function",
                &size,
            ));
        };
        let mut parts = text.split('x');
        width = parts.next().map(Value::from);
        height = parts.next().map(Value::from);
        set_or_remove(options, "width", width.clone());
        set_or_remove(options, "height", height.clone());
    }
    let has_layer =
        js::truthy(keys.get(options, "overlay")) || js::truthy(keys.get(options, "underlay"));
    let crop = keys.consume(options, "crop");
    let angle = js::join(&js::to_array(keys.consume(options, "angle")), ".");
    let crop_is = |name: &str| matches!(&crop, Some(Value::Str(c)) if c == name);
    let no_html_sizes = has_layer
        || !angle.is_empty()
        || crop_is("fit")
        || crop_is("limit")
        || js::truthy(responsive_width.as_ref());
    if let Some(w) = width.as_ref().filter(|w| js::truthy(Some(w))) {
        if no_html_sizes || below_one(w, true) {
            options.remove("width");
        }
    }
    if let Some(h) = height.as_ref().filter(|h| js::truthy(Some(h))) {
        if no_html_sizes || below_one(h, false) {
            options.remove("height");
        }
    }
    let background = color(keys.consume(options, "background"), "background")?;
    let color_value = color(keys.consume(options, "color"), "color")?;

    let base = js::to_array(keys.consume(options, "transformation"));
    let mut components: Vec<String> = Vec::new();
    let mut named: Option<String> = None;
    if base.iter().any(|b| js::is_object(Some(b))) {
        for item in base {
            let part = match item {
                Value::Map(_) | Value::List(_) => generate_owned(config, item, depth + 1)?,
                other => {
                    let mut m = Map::with_capacity(1);
                    m.insert("transformation", other);
                    generate(config, &mut m, depth + 1)?
                }
            };
            components.push(part);
        }
    } else {
        named = Some(js::join(&base, "."));
    }

    let effect = match keys.consume(options, "effect") {
        Some(Value::List(items)) => Some(Value::Str(js::join(&items, ":"))),
        // A map gives every entry, as a list that prints joined with commas.
        Some(Value::Map(m)) => Some(Value::List(
            m.iter()
                .map(|(k, v)| Value::Str(format!("{k}:{}", js::string(v))))
                .collect(),
        )),
        other => other,
    };
    let border = match keys.consume(options, "border") {
        Some(Value::Map(m)) => Some(Value::Str(border_text(m.get("width"), m.get("color"))?)),
        Some(Value::List(_)) => Some(Value::Str(border_text(None, None)?)),
        Some(b) if is_digits(&js::string(&b)) => {
            // Digits only: the HTML border attribute, not a transformation.
            options.insert("border", b);
            None
        }
        other => other,
    };
    let flags = js::join(&js::to_array(keys.consume(options, "flags")), ".");
    let dpr = keys
        .consume(options, "dpr")
        .or_else(|| config_value(&config.known.dpr));
    if js::not_null(keys.get(options, "offset")) {
        let (start, end) = split_range(keys.consume(options, "offset"));
        set_or_remove(options, "start_offset", start);
        set_or_remove(options, "end_offset", end);
        keys.add("start_offset");
        keys.add("end_offset");
    }
    for name in ["start_offset", "end_offset"] {
        if let Some(v) = keys.get(options, name).filter(|v| js::truthy(Some(v))) {
            let v = normalize(v).into_owned();
            options.insert(name, v);
        }
    }
    let overlay = layer(keys.consume(options, "overlay"))?;
    let radius = radius(keys.consume(options, "radius"))?;
    let underlay = layer(keys.consume(options, "underlay"))?;
    let if_value = match keys.consume(options, "if") {
        Some(v) if js::truthy(Some(&v)) => {
            Some(Value::Str(format!("if_{}", js::string(&normalize(&v)))))
        }
        other => other,
    };
    let custom_function = custom_function(keys.consume(options, "custom_function"))?;
    let custom_pre_function =
        match custom_function_value(keys.consume(options, "custom_pre_function"))? {
            Some(Value::Str(s)) => Some(Value::Str(format!("pre:{s}"))),
            _ => None,
        };
    let fps = match keys.consume(options, "fps") {
        Some(Value::List(items)) => Some(Value::Str(js::join(&items, "-"))),
        other => other,
    };

    let mut params = Present::new();
    if !angle.is_empty() {
        params.push(("a", Some(normalize(&Value::Str(angle)).into_owned())));
    }
    params.push((
        "ar",
        keys.consume(options, "aspect_ratio")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push(("b", background));
    params.push(("bo", border));
    params.push(("c", crop));
    params.push(("co", color_value));
    let hidpi = matches!(&dpr, Some(Value::Str(d)) if d == "auto");
    params.push(("dpr", dpr.map(|v| normalize(&v).into_owned())));
    params.push(("e", effect.map(|v| normalize(&v).into_owned())));
    if !flags.is_empty() {
        params.push(("fl", Some(Value::Str(flags))));
    }
    let fn_value = if js::truthy(custom_function.as_ref()) {
        custom_function
    } else {
        custom_pre_function
    };
    params.push(("fn", fn_value));
    params.push(("fps", fps));
    params.push(("h", height.map(|v| normalize(&v).into_owned())));
    params.push((
        "ki",
        keys.consume(options, "keyframe_interval")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push(("l", overlay));
    params.push((
        "o",
        keys.consume(options, "opacity")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push((
        "q",
        keys.consume(options, "quality")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push(("r", radius));
    params.push(("t", named.map(Value::Str)));
    params.push(("u", underlay));
    params.push(("w", width.clone().map(|v| normalize(&v).into_owned())));
    params.push((
        "x",
        keys.consume(options, "x")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push((
        "y",
        keys.consume(options, "y")
            .map(|v| normalize(&v).into_owned()),
    ));
    params.push((
        "z",
        keys.consume(options, "zoom")
            .map(|v| normalize(&v).into_owned()),
    ));
    for &(name, key) in SIMPLE_PARAMS {
        if let Some(mut v) = keys.consume(options, name) {
            match key {
                "vc" => v = video_codec(v),
                "so" | "eo" | "du" => v = norm_range_value(v),
                _ => {}
            }
            params.push((key, Some(v)));
        }
    }

    let variables_param = keys.consume(options, "variables");
    let mut variables: Vec<String> = Vec::new();
    let dollar_keys: Vec<String> = options
        .keys()
        .filter(|k| k.starts_with('$'))
        .map(str::to_owned)
        .collect();
    for key in dollar_keys {
        let value = options.remove(&key).unwrap_or_default();
        variables.push(format!("{key}_{}", js::string(&normalize(&value))));
    }
    variables.sort_by(|a, b| utf16_cmp(a, b));
    if let Some(vars) = variables_param {
        let Value::List(items) = &vars else {
            return Err(js::type_error(
                "variables",
                "variables.map is not a function",
                &vars,
            ));
        };
        for item in items {
            let (name, value) = pair(item, "variables")?;
            variables.push(format!(
                "{}_{}",
                js::string_opt(name.as_ref()),
                js::string_opt(value.as_ref().map(|v| normalize(v)).as_deref())
            ));
        }
    }
    let variables = variables.join(",");

    // Each parameter renders as `key_value`; the SDK sorts those texts. The keys are
    // distinct ASCII letters, so the order is that of `key_` alone: the values never
    // decide it, and the few present parameters are sorted by key without rendering.
    let mut params = params.0;
    params.sort_unstable_by(|a, b| param_key_cmp(a.0, b.0));

    let raw = keys.consume(options, "raw_transformation");
    // The components joined with `/` (empty ones left out), written into one string.
    let mut out = String::with_capacity(64);
    for c in &components {
        push_component(&mut out, c);
    }
    // This map's own component: `if`, variables, parameters and raw transformation,
    // the truthy ones joined with `,`.
    let mark = out.len();
    if !out.is_empty() {
        out.push('/');
    }
    let start = out.len();
    // Pieces written so far (a piece may print as nothing: `raw_transformation: []`).
    let mut pieces = 0usize;
    let mut sep = |out: &mut String| {
        if pieces > 0 {
            out.push(',');
        }
        pieces += 1;
    };
    if let Some(v) = if_value.as_ref().filter(|v| js::truthy(Some(v))) {
        sep(&mut out);
        js::push_string(&mut out, v);
    }
    if !variables.is_empty() {
        sep(&mut out);
        out.push_str(&variables);
    }
    for (k, v) in &params {
        sep(&mut out);
        out.push_str(k);
        out.push('_');
        js::push_string(&mut out, v);
    }
    if let Some(v) = raw.as_ref().filter(|v| js::truthy(Some(v))) {
        sep(&mut out);
        js::push_string(&mut out, v);
    }
    if out.len() == start {
        // Nothing printed: no component (and no `/` before it).
        out.truncate(mark);
    }

    let responsive = js::truthy(responsive_width.as_ref());
    if responsive {
        let rwt = config
            .known
            .responsive_width_transformation
            .as_ref()
            .filter(|v| js::truthy(Some(v)))
            .cloned()
            .unwrap_or_else(|| Value::Map(Map::from_iter([("width", "auto"), ("crop", "limit")])));
        push_component(&mut out, &generate_value(config, &rwt, depth + 1)?);
    }
    if starts_with_auto(width.as_ref()) || responsive {
        options.insert("responsive", true);
    }
    if hidpi {
        options.insert("hidpi", true);
    }
    Ok(out)
}

/// A 64-bit summary of the keys of an option map: a key can only be in the map when
/// its bit is set (false positives only, which the search then rules out). Keys added
/// to the map later must be [`KeyBits::add`]ed.
#[derive(Clone, Copy)]
pub(crate) struct KeyBits(u64);

impl KeyBits {
    /// A const fn, so that with a literal name (the usual call, inlined) the bit is
    /// computed at compile time.
    #[inline(always)]
    const fn bit(name: &str) -> u64 {
        let b = name.as_bytes();
        if b.is_empty() {
            return 1;
        }
        let last = b[b.len() - 1];
        let x = (b.len() as u32).wrapping_mul(0x9E37_79B1)
            ^ (b[0] as u32).wrapping_mul(0x85EB_CA77)
            ^ (last as u32).wrapping_mul(0xC2B2_AE3D)
            ^ (b[b.len() / 2] as u32).wrapping_mul(0x27D4_EB2F);
        1 << (x.wrapping_mul(0x9E37_79B1) >> 26)
    }

    /// The summary of `options`' keys.
    pub(crate) fn of(options: &Map) -> Self {
        KeyBits(options.keys().fold(0, |acc, k| acc | Self::bit(k)))
    }

    /// Lets `name` through from now on.
    pub(crate) fn add(&mut self, name: &str) {
        self.0 |= Self::bit(name);
    }

    /// `options.get(name)`, skipping the search when `name` cannot be in `options`.
    #[inline(always)]
    pub(crate) fn get<'m>(self, options: &'m Map, name: &str) -> Option<&'m Value> {
        if self.0 & Self::bit(name) == 0 {
            None
        } else {
            options.get(name)
        }
    }

    /// [`js::consume`], skipping the search when `name` cannot be in `options`.
    #[inline(always)]
    pub(crate) fn consume(self, options: &mut Map, name: &str) -> Option<Value> {
        if self.0 & Self::bit(name) == 0 {
            None
        } else {
            js::consume(options, name)
        }
    }
}

/// The parameters of a transformation that print (the SDK's `present`), by key, in
/// the order they are given (the few that are set: a small allocation).
struct Present(Vec<(&'static str, Value)>);

impl Present {
    /// Room for the usual few parameters (one allocation).
    fn new() -> Self {
        Present(Vec::with_capacity(8))
    }

    /// Keeps `value` under `key` when it is present.
    #[inline(always)]
    fn push(&mut self, (key, value): (&'static str, Option<Value>)) {
        if let Some(v) = value {
            if js::present(Some(&v)) {
                self.0.push((key, v));
            }
        }
    }
}

/// Appends a non-empty transformation component, after a `/` unless it is the first.
fn push_component(out: &mut String, component: &str) {
    if component.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('/');
    }
    out.push_str(component);
}

/// The order of rendered parameters `key_value` by their keys: `key_` compared byte by
/// byte (the keys are ASCII, so this is also JavaScript's UTF-16 order, and since they
/// differ within `key_`, the values never take part).
fn param_key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let end = std::iter::once(b'_');
    a.bytes().chain(end.clone()).cmp(b.bytes().chain(end))
}

/// A configuration setting, unless absent or null.
/// `parseFloat(String(v)) < 1` (or, with `auto`, `String(v)` starting with `auto`):
/// a size the SDK does not keep as an HTML attribute. Numbers are compared as they
/// are (`String` of a number parses back to the same number).
fn below_one(v: &Value, auto: bool) -> bool {
    match v {
        Value::Int(i) => *i < 1,
        Value::Float(f) => *f < 1.0,
        other => {
            let text = js::string(other);
            (auto && text.starts_with("auto")) || js::parse_float(&text) < 1.0
        }
    }
}

/// `String(v).startsWith('auto')` (`undefined` for `None`); numbers, booleans, null
/// and maps never print so, and are not printed to find out.
fn starts_with_auto(v: Option<&Value>) -> bool {
    match v {
        None
        | Some(Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null | Value::Map(_)) => {
            false
        }
        Some(other) => js::string(other).starts_with("auto"),
    }
}

/// A configured setting (a field of the configuration's known settings), a null
/// counting as absent.
fn config_value(setting: &Option<Value>) -> Option<Value> {
    setting.as_ref().filter(|v| !v.is_null()).cloned()
}

/// Sets `key`, or removes it for JavaScript's `undefined` (which no later step
/// tells apart from an absent key).
fn set_or_remove(options: &mut Map, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            options.insert(key, v);
        }
        None => {
            options.remove(key);
        }
    }
}

/// JavaScript's string order (UTF-16 code units).
pub(crate) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn is_digits(s: &str) -> bool {
    // `/^\d+$/` (JavaScript's `$` does not match before a final newline).
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `value && value.replace(/^#/, "rgb:")`.
fn color(v: Option<Value>, option: &str) -> Result<Option<Value>> {
    match v {
        Some(Value::Str(s)) => Ok(Some(Value::Str(match s.strip_prefix('#') {
            Some(rest) => format!("rgb:{rest}"),
            None => s,
        }))),
        Some(v) if js::truthy(Some(&v)) => {
            Err(js::type_error(option, "replace is not a function", &v))
        }
        other => Ok(other),
    }
}

fn border_text(width: Option<&Value>, color: Option<&Value>) -> Result<String> {
    let width = match width.filter(|w| !w.is_null()) {
        Some(w) => js::string(w).into_owned(),
        None => "2".to_owned(),
    };
    let color = match color.filter(|c| !c.is_null()) {
        None => "black".to_owned(),
        Some(Value::Str(c)) => match c.strip_prefix('#') {
            Some(rest) => format!("rgb:{rest}"),
            None => c.clone(),
        },
        Some(other) => {
            return Err(js::type_error(
                "border",
                "color.replace is not a function",
                other,
            ))
        }
    };
    Ok(format!("{width}px_solid_{color}"))
}

/// Destructuring `[name, value]` of an item: a list's first two items, a string's
/// first two characters; anything else is not iterable.
fn pair(item: &Value, option: &str) -> Result<(Option<Value>, Option<Value>)> {
    match item {
        Value::List(l) => Ok((l.first().cloned(), l.get(1).cloned())),
        Value::Str(s) => {
            let mut units = s.chars();
            Ok((
                units.next().map(|c| Value::Str(c.to_string())),
                units.next().map(|c| Value::Str(c.to_string())),
            ))
        }
        other => Err(js::type_error(option, "item is not iterable", other)),
    }
}

/// The npm SDK's `normalize_expression`: strings only (other values are returned as
/// they are); operators followed by a space or `_` become their names, predefined
/// variables their short names (no word boundaries), runs of spaces and `_` one `_`.
pub(crate) fn normalize(v: &Value) -> Cow<'_, Value> {
    let Value::Str(s) = v else {
        return Cow::Borrowed(v);
    };
    if s.is_empty() || is_bang_quoted(s) {
        return Cow::Borrowed(v);
    }
    Cow::Owned(Value::Str(normalize_str(s)))
}

/// `/^!.+!$/` (`.` does not match line terminators).
fn is_bang_quoted(s: &str) -> bool {
    s.len() >= 3
        && s.starts_with('!')
        && s.ends_with('!')
        && !s[1..s.len() - 1].contains(['\n', '\r', '\u{2028}', '\u{2029}'])
}

fn normalize_str(s: &str) -> String {
    // Operators followed by a space or an underscore.
    let b = s.as_bytes();
    let mut step1 = String::with_capacity(s.len() + 8);
    let mut i = 0;
    'outer: while i < b.len() {
        for (op, name) in OPERATORS {
            let end = i + op.len();
            if s.as_bytes()[i..].starts_with(op.as_bytes())
                && matches!(b.get(end), Some(b' ' | b'_'))
            {
                step1.push_str(name);
                i = end;
                continue 'outer;
            }
        }
        let len = utf8_len(b[i]);
        step1.push_str(&s[i..i + len]);
        i += len;
    }
    // User variables (kept) or predefined variables (replaced; `:name` kept).
    let s = step1;
    let b = s.as_bytes();
    let mut step2 = String::with_capacity(s.len());
    let mut i = 0;
    'vars: while i < b.len() {
        if b[i] == b'$' {
            let mut j = i + 1;
            while j < b.len() && b[j] == b'_' {
                j += 1;
            }
            let start = j;
            while j < b.len() && b[j] != b'_' && b[j] != b' ' {
                j += utf8_len(b[j]);
            }
            if j > start {
                step2.push_str(&s[i..j]);
                i = j;
                continue;
            }
        }
        for (name, short) in PREDEFINED_VARS {
            if b[i] == b':' && s[i + 1..].starts_with(name) {
                step2.push_str(&s[i..i + 1 + name.len()]);
                i += 1 + name.len();
                continue 'vars;
            }
            if s[i..].starts_with(name) {
                step2.push_str(short);
                i += name.len();
                continue 'vars;
            }
        }
        let len = utf8_len(b[i]);
        step2.push_str(&s[i..i + len]);
        i += len;
    }
    // Runs of spaces and underscores.
    super::expression::collapse_separators(&step2)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// `^(([0-9]*)\.([0-9]+)|([0-9]+))([%pP])?$` on `String(v)`: the number with `p`
/// when a modifier is given; any other value as it is.
fn norm_range_value(v: Value) -> Value {
    let text = js::string(&v);
    let (num, modifier) = match text.strip_suffix(['%', 'p', 'P']) {
        Some(n) => (n, true),
        None => (text.as_ref(), false),
    };
    let is_number = match num.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()),
    };
    if !is_number {
        return v;
    }
    Value::Str(format!("{num}{}", if modifier { "p" } else { "" }))
}

/// Whether `(\d*\.\d+|\d+)[%pP]?\.\.(\d*\.\d+|\d+)[%pP]?` occurs in `s`.
fn has_range(s: &str) -> bool {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(pos) = s[from..].find("..") {
        let at = from + pos;
        // Before the dots: digits (optionally with a fraction) and a modifier.
        let mut i = at;
        if i > 0 && matches!(b[i - 1], b'%' | b'p' | b'P') {
            i -= 1;
        }
        let before_ok = i > 0 && b[i - 1].is_ascii_digit();
        let mut j = at + 2;
        if j < b.len() && b[j] == b'.' {
            j += 1;
        }
        let after_ok = j < b.len() && b[j].is_ascii_digit();
        if before_ok && after_ok {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The npm SDK's `split_range(offset)`, destructured into `[start, end]`.
fn split_range(v: Option<Value>) -> (Option<Value>, Option<Value>) {
    match v {
        Some(Value::Str(s)) => {
            if !has_range(&s) {
                // The string itself is destructured: its first two characters.
                let mut c = s.chars();
                return (
                    c.next().map(|c| Value::Str(c.to_string())),
                    c.next().map(|c| Value::Str(c.to_string())),
                );
            }
            let mut parts = s.split("..");
            (parts.next().map(Value::from), parts.next().map(Value::from))
        }
        Some(Value::List(l)) => (l.first().cloned(), l.last().cloned()),
        _ => (Some(Value::Null), Some(Value::Null)),
    }
}

/// `process_video_params`: a map's `codec[:profile[:level]]` (its `codec` as it is
/// without a `profile`, `""` without a `codec`), a string as it is, anything else null.
fn video_codec(v: Value) -> Value {
    match v {
        Value::Map(m) => {
            let Some(codec) = m.get("codec") else {
                return Value::Str(String::new());
            };
            let Some(profile) = m.get("profile") else {
                return codec.clone();
            };
            let mut out = js::string(codec).into_owned();
            out.push(':');
            js::push_string(&mut out, profile);
            if let Some(level) = m.get("level") {
                out.push(':');
                js::push_string(&mut out, level);
            }
            Value::Str(out)
        }
        s @ Value::Str(_) => s,
        _ => Value::Null,
    }
}

/// `process_radius`.
fn radius(v: Option<Value>) -> Result<Option<Value>> {
    let v = match v {
        Some(v) if js::truthy(Some(&v)) => v,
        other => return Ok(other),
    };
    let items = match v {
        Value::List(l) => l,
        other => vec![other],
    };
    if items.is_empty() || items.len() > 4 {
        return Err(Error::invalid_option(
            "radius",
            "Radius array should contain between 1 and 4 values",
        ));
    }
    if items.iter().any(Value::is_null) {
        return Err(Error::invalid_option("radius", "Corner: Cannot be null"));
    }
    let parts: Vec<Value> = items.iter().map(|i| normalize(i).into_owned()).collect();
    Ok(Some(Value::Str(js::join(&parts, ":"))))
}

/// `process_custom_function`: a map becomes `type:source` (a remote source in
/// base64url); anything else stays as it is.
fn custom_function(v: Option<Value>) -> Result<Option<Value>> {
    custom_function_value(v)
}

fn custom_function_value(v: Option<Value>) -> Result<Option<Value>> {
    let Some(v) = v else { return Ok(None) };
    let m = match v {
        Value::Map(m) => m,
        Value::List(l) => {
            // A list has neither `function_type` nor `source`.
            let _ = l;
            return Ok(Some(Value::Str(":".into())));
        }
        other => return Ok(Some(other)),
    };
    let function_type = m.get("function_type");
    let source = m.get("source");
    let ft = function_type
        .filter(|v| !v.is_null())
        .map(js::string)
        .unwrap_or_default();
    let src = if matches!(function_type, Some(Value::Str(t)) if t == "remote") {
        Cow::Owned(base64_encode_url(&js::string_opt(source)))
    } else {
        source
            .filter(|v| !v.is_null())
            .map(js::string)
            .unwrap_or_default()
    };
    Ok(Some(Value::Str(format!("{ft}:{src}"))))
}

/// The npm SDK's `base64EncodeURL`: the URL `decodeURI`-d (when it can be) and
/// `encodeURI`-d, in base64url without padding.
pub(crate) fn base64_encode_url(url: &str) -> String {
    let decoded = js::decode_uri(url).unwrap_or_else(|| url.to_owned());
    let encoded = js::encode_uri(&decoded);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(encoded.as_bytes())
}

/// `process_layer`.
fn layer(v: Option<Value>) -> Result<Option<Value>> {
    let m = match v {
        Some(Value::Str(s)) => {
            let (resource_type, url) = if let Some(rest) = s.strip_prefix("fetch:") {
                (None, rest.to_owned())
            } else if s.contains(":fetch:") {
                // `split(':', 3)`: the URL stops at its own first colon (an npm SDK bug).
                let mut parts = s.split(':');
                let rt = parts.next().unwrap_or_default().to_owned();
                let _ = parts.next();
                (Some(rt), parts.next().unwrap_or_default().to_owned())
            } else {
                return Ok(Some(Value::Str(s)));
            };
            let mut m = Map::with_capacity(3);
            m.insert("url", url);
            m.insert("type", "fetch");
            if let Some(rt) = resource_type.filter(|r| !r.is_empty()) {
                m.insert("resource_type", rt);
            }
            m
        }
        Some(Value::Map(m)) => m,
        // Lists are objects too, with none of the layer's fields.
        Some(Value::List(_)) => Map::new(),
        other => return Ok(other),
    };
    let mut resource_type = m.get("resource_type").cloned();
    let text = m.get("text");
    let mut kind = m.get("type").cloned();
    let mut public_id = m.get("public_id").cloned();
    let format = m.get("format");
    let fetch_url = m.get("url");
    let is = |v: &Option<Value>, s: &str| matches!(v, Some(Value::Str(t)) if t == s);
    if !js::is_empty(text) && js::is_empty(resource_type.as_ref()) {
        resource_type = Some(Value::from("text"));
    }
    if !js::is_empty(fetch_url) && js::is_empty(kind.as_ref()) {
        kind = Some(Value::from("fetch"));
    }
    if !js::is_empty(public_id.as_ref()) && !js::is_empty(format) {
        public_id = Some(Value::Str(format!(
            "{}.{}",
            js::string_opt(public_id.as_ref()),
            js::string_opt(format)
        )));
    }
    if js::is_empty(public_id.as_ref()) && !is(&resource_type, "text") && !is(&kind, "fetch") {
        return Err(Error::invalid_option(
            "overlay",
            "Must supply public_id for non-text overlay",
        ));
    }
    let mut components: Vec<String> = Vec::new();
    if !js::is_empty(resource_type.as_ref()) && !is(&resource_type, "image") {
        components.push(js::string_opt(resource_type.as_ref()).into_owned());
    }
    if !js::is_empty(kind.as_ref()) && !is(&kind, "upload") {
        components.push(js::string_opt(kind.as_ref()).into_owned());
    }
    let replace_first_slash = |v: &Value| -> Result<String> {
        match v {
            Value::Str(s) => Ok(s.replacen('/', ":", 1)),
            other => Err(js::type_error(
                "overlay",
                "public_id.replace is not a function",
                other,
            )),
        }
    };
    if is(&resource_type, "text") || is(&resource_type, "subtitles") {
        if js::is_empty(public_id.as_ref()) && js::is_empty(text) {
            return Err(Error::invalid_option(
                "overlay",
                "Must supply either text or public_in in overlay",
            ));
        }
        let style = text_style(&m)?;
        if !js::is_empty(style.as_ref()) {
            components.push(js::string_opt(style.as_ref()).into_owned());
        }
        if let Some(p) = public_id.as_ref().filter(|p| !js::is_empty(Some(p))) {
            components.push(replace_first_slash(p)?);
        }
        if let Some(t) = text.filter(|t| !js::is_empty(Some(t))) {
            let Value::Str(t) = t else {
                return Err(js::type_error("overlay", "text.split is not a function", t));
            };
            components.push(encode_text(t));
        }
    } else if is(&kind, "fetch") {
        components.push(base64_encode_url(&js::string_opt(fetch_url)));
    } else if let Some(p) = public_id.as_ref() {
        components.push(replace_first_slash(p)?);
    }
    Ok(Some(Value::Str(components.join(":"))))
}

/// The text of a text layer: `$(name)` variables kept, the rest with `,` and `/`
/// smart-escaped, then `encodeURIComponent`-ed, with `(` and `)` escaped too.
fn encode_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        let (plain, var, after) = match find_text_variable(rest) {
            Some((start, end)) => (&rest[..start], &rest[start..end], &rest[end..]),
            None => (rest, "", ""),
        };
        if !plain.is_empty() {
            let escaped = js::smart_escape(plain, |c| c == ',' || c == '/');
            let encoded = js::encode_uri_component(&escaped);
            out.push_str(&encoded.replace('(', "%28").replace(')', "%29"));
        }
        out.push_str(var);
        rest = after;
    }
    out
}

/// The first `\$\([a-zA-Z]\w+\)` in `s`, as a byte range.
fn find_text_variable(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(pos) = s[from..].find("$(") {
        let start = from + pos;
        let mut j = start + 2;
        if j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
            let word_start = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > word_start && j < b.len() && b[j] == b')' {
                return Some((start, j + 1));
            }
        }
        from = start + 1;
    }
    None
}

/// `textStyle(layer)`.
fn text_style(layer: &Map) -> Result<Option<Value>> {
    if let Some(style) = layer.get("text_style").filter(|s| !js::is_empty(Some(s))) {
        return Ok(Some(style.clone()));
    }
    let mut keywords: Vec<Value> = Vec::new();
    for &(attr, default) in LAYER_KEYWORDS {
        let value = layer.get(attr).filter(|v| js::truthy(Some(v)));
        let is_default = match (value, default) {
            (None, _) => true,
            (Some(Value::Str(v)), Some(d)) => v == d,
            (Some(_), _) => false,
        };
        if !is_default {
            keywords.push(value.cloned().unwrap_or_default());
        }
    }
    for (attr, value) in layer.iter() {
        match attr.as_str() {
            "letter_spacing" | "line_spacing" => {
                keywords.push(Value::Str(format!("{attr}_{}", js::string(value))));
            }
            "font_hinting" => keywords.push(Value::Str(format!("hinting_{}", js::string(value)))),
            "font_antialiasing" => {
                keywords.push(Value::Str(format!("antialias_{}", js::string(value))));
            }
            _ => {}
        }
    }
    if !layer.contains_key("font_size") && keywords.is_empty() {
        return Ok(Some(Value::Str(String::new())));
    }
    let font_size = layer.get("font_size");
    let font_family = layer.get("font_family");
    if !js::truthy(font_size) {
        return Err(Error::invalid_option(
            "overlay",
            "Must supply font_size for text in overlay/underlay",
        ));
    }
    if !js::truthy(font_family) {
        return Err(Error::invalid_option(
            "overlay",
            "Must supply font_family for text in overlay/underlay",
        ));
    }
    let mut all = vec![
        font_family.cloned().unwrap_or_default(),
        font_size.cloned().unwrap_or_default(),
    ];
    all.extend(keywords);
    let kept: Vec<Value> = all.into_iter().filter(|v| js::truthy(Some(v))).collect();
    Ok(Some(Value::Str(js::join(&kept, "_"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_checks_without_printing_agree_with_printing() {
        let values = [
            Value::Int(0),
            Value::Int(1),
            Value::Int(-5),
            Value::Int(300),
            Value::Float(0.5),
            Value::Float(1.0),
            Value::Float(-0.0),
            Value::Float(f64::INFINITY),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(f64::NAN),
            Value::Bool(true),
            Value::Null,
            Value::from("auto"),
            Value::from("0.5"),
            Value::from("300"),
            Value::List(vec![Value::from("auto:50")]),
            Value::Map(Map::new()),
        ];
        for v in &values {
            let text = js::string(v);
            let slow_width = text.starts_with("auto") || js::parse_float(&text) < 1.0;
            let slow_height = js::parse_float(&text) < 1.0;
            assert_eq!(below_one(v, true), slow_width, "{v:?}");
            assert_eq!(below_one(v, false), slow_height, "{v:?}");
            assert_eq!(starts_with_auto(Some(v)), text.starts_with("auto"), "{v:?}");
        }
        assert!(!starts_with_auto(None));
    }

    #[test]
    fn parameter_key_order_is_the_rendered_text_order() {
        // Every key the builder renders, with values that would sort differently.
        let mut keys: Vec<&str> = vec![
            "a", "ar", "b", "bo", "c", "co", "dpr", "e", "fl", "fn", "fps", "h", "ki", "l", "o",
            "q", "r", "t", "u", "w", "x", "y", "z",
        ];
        keys.extend(SIMPLE_PARAMS.iter().map(|(_, k)| *k));
        for a in &keys {
            for b in &keys {
                for (va, vb) in [("0", "z"), ("z", "0"), ("", "~")] {
                    let (ta, tb) = (format!("{a}_{va}"), format!("{b}_{vb}"));
                    if a != b {
                        assert_eq!(param_key_cmp(a, b), utf16_cmp(&ta, &tb), "{ta} vs {tb}");
                    }
                }
            }
        }
    }

    #[test]
    fn key_bits_never_rule_out_a_present_key() {
        let mut m = Map::new();
        for k in TRANSFORMATION_PARAMS {
            m.insert(*k, 1);
        }
        let bits = KeyBits::of(&m);
        for k in TRANSFORMATION_PARAMS {
            assert_eq!(bits.consume(&mut m.clone(), k), Some(Value::Int(1)), "{k}");
        }
        let mut one = Map::new();
        one.insert("width", 1);
        let bits = KeyBits::of(&one);
        assert_eq!(bits.consume(&mut one.clone(), "crop"), None);
        assert_eq!(bits.consume(&mut one, "width"), Some(Value::Int(1)));
    }

    fn gen(json: &str) -> String {
        let mut m: Map = serde_json::from_str(json).unwrap();
        generate(&Config::new(), &mut m, 0).unwrap()
    }

    #[test]
    fn values_print_as_javascript() {
        assert_eq!(gen(r#"{"width": 1.0, "dpr": 2.0}"#), "dpr_2,w_1");
        assert_eq!(gen(r#"{"effect": {"a": 1, "b": 2}}"#), "e_a:1,b:2");
        assert_eq!(gen(r##"{"background": "#f00#"}"##), "b_rgb:f00#");
        assert_eq!(gen(r#"{"border": 5}"#), "");
        assert_eq!(
            gen(r#"{"if": "width > 0", "crop": "fill"}"#),
            "if_w_gt_0,c_fill"
        );
    }

    #[test]
    fn expressions() {
        let n = |s: &str| js::string(&normalize(&Value::from(s))).into_owned();
        assert_eq!(n("width > 100 && height < 2"), "w_gt_100_and_h_lt_2");
        assert_eq!(n("$width_x"), "$width_x");
        assert_eq!(n("heights"), "hs");
        assert_eq!(n("!x y!"), "!x y!");
    }

    #[test]
    fn layers() {
        assert_eq!(
            gen(r#"{"overlay": "fetch:http://a/b.png"}"#),
            "l_fetch:aHR0cDovL2EvYi5wbmc"
        );
        assert_eq!(
            gen(
                r#"{"overlay": {"text": "Hi, (there)/x", "font_family": "Arial", "font_size": 12}}"#
            ),
            "l_text:Arial_12:Hi%252C%20%28there%29%252Fx"
        );
        assert_eq!(gen(r#"{"overlay": {"public_id": "a/b/c"}}"#), "l_a:b/c");
    }
}
