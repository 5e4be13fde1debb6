//! Transformation strings: one option map becomes one or more `/`-separated
//! components of `key_value` parameters.
//!
//! The rules follow the reference SDK exactly (the parameter table is in
//! `transform/params.rs`): values keep Python's text forms (`2.0` stays `2.0`),
//! parameters are ordered by key, `if` and user variables come first,
//! `raw_transformation` last, and chained `transformation` maps become components of
//! their own.
//!
//! ```
//! use cldkit::{Client, Options};
//! let client = Client::from_url("cloudinary://k:s@demo").unwrap();
//! let opts: Options = serde_json::from_str(
//!     r#"{"transformation": [{"width": 100, "crop": "fill"}, {"angle": 12}], "effect": "sepia"}"#,
//! ).unwrap();
//! assert_eq!(cldkit::transform::transformation_string(&client, &opts).unwrap(),
//!            "c_fill,w_100/a_12/e_sepia");
//! ```

pub mod builder;
pub mod expression;
pub(crate) mod js;
pub mod layer;
pub(crate) mod node;
pub(crate) mod params;

use std::borrow::Cow;

use base64::Engine as _;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::value::{Map, Value};
use expression::{normalize, normalize_value};
use params::{classify, Key, Opt, EXPRESSION_PARAMS, KEY_COUNT, KEY_TEXT, OPT_COUNT, RAW_PARAMS};

/// How deep `transformation` chains (and responsive-width components) may nest.
const MAX_DEPTH: usize = 64;

/// Builds the transformation string of one option set, as the reference SDK's
/// `generate_transformation_string(**options)[0]`.
pub fn transformation_string(client: &crate::Client, options: &Map) -> Result<String> {
    let mut out = String::new();
    generate(client.config(), options, None, 0, &mut out)?;
    Ok(out)
}

/// What [`generate`] learned besides the text: which options stay for the tag helpers.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flags {
    /// `width` starts with `auto`, or responsive width is on.
    pub responsive: bool,
    /// `dpr` is `"auto"`.
    pub hidpi: bool,
    /// `width` / `height` stay as HTML attributes.
    pub keep_width: bool,
    pub keep_height: bool,
    /// `raw_transformation` was used (consumed).
    pub raw_used: bool,
    /// `size` was split into these width/height texts.
    pub size_used: bool,
}

/// Option slots filled by one pass over the map, with bit masks of the options that
/// are present (`present`) and present with a non-null value (`set`), so that absent
/// parameters cost one bit test.
struct Slots<'a> {
    slot: [Option<&'a Value>; OPT_COUNT],
    present: u64,
    set: u64,
    vars: Vec<(&'a str, &'a Value)>,
}

impl<'a> Slots<'a> {
    /// Fills the (empty) slots in place: the table is not moved after filling.
    #[inline(always)]
    fn fill(&mut self, options: &'a Map, fetch_format: Option<Option<&'a Value>>) {
        let s = self;
        for (k, v) in options.iter() {
            if let Some(opt) = classify(k) {
                s.put(opt, Some(v));
            } else if k.starts_with('$') {
                s.vars.push((k.as_str(), v));
            }
        }
        if let Some(ff) = fetch_format {
            s.put(Opt::FetchFormat, ff);
        }
    }

    fn put(&mut self, opt: Opt, v: Option<&'a Value>) {
        let bit = 1u64 << opt as u32;
        self.slot[opt as usize] = v;
        self.present |= bit;
        if v.is_some_and(|v| !v.is_null()) {
            self.set |= bit;
        } else {
            self.set &= !bit;
        }
    }

    /// The value of `opt`, `None` when absent or null.
    fn get(&self, opt: Opt) -> Option<&'a Value> {
        if self.has(opt) {
            self.slot[opt as usize]
        } else {
            None
        }
    }

    /// Whether `opt` is present with a non-null value.
    fn has(&self, opt: Opt) -> bool {
        self.set & (1u64 << opt as u32) != 0
    }

    /// Whether `opt` is present at all (even as null).
    fn present(&self, opt: Opt) -> bool {
        self.present & (1u64 << opt as u32) != 0
    }
}

/// Whether a raw (already processed) value is emitted: truthy, or equal to zero.
fn emitted(v: &Value) -> bool {
    v.truthy() || v.eq_zero()
}

/// One parameter value, written into the component without an intermediate string
/// when it is an option value printed as it is.
enum Piece<'a> {
    Text(Cow<'a, str>),
    /// Printed with Python's `str()`.
    Py(&'a Value),
}

impl<'a> From<Cow<'a, str>> for Piece<'a> {
    fn from(c: Cow<'a, str>) -> Self {
        Piece::Text(c)
    }
}

fn raw(v: Option<&Value>) -> Option<Piece<'_>> {
    match v {
        Some(Value::Str(s)) => (!s.is_empty()).then_some(Piece::Text(Cow::Borrowed(s))),
        Some(v) if emitted(v) => Some(Piece::Py(v)),
        _ => None,
    }
}

/// [`normalize_value`] without allocating for numbers and booleans, whose text is
/// never changed by normalisation.
fn expr(v: Option<&Value>) -> Option<Piece<'_>> {
    match v? {
        v @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            emitted(v).then_some(Piece::Py(v))
        }
        other => normalize_value(other).map(Piece::Text),
    }
}

/// `build_array(v)`: a list as it is, null as empty, anything else as one element.
fn as_list(v: Option<&Value>) -> &[Value] {
    match v {
        None | Some(Value::Null) => &[],
        Some(Value::List(l)) => l,
        Some(other) => std::slice::from_ref(other),
    }
}

/// Joins string elements with `sep`; any other element is an error (Python `str.join`).
fn join_strings(items: &[Value], sep: &str, option: &str) -> Result<String> {
    if items.is_empty() {
        return Ok(String::new());
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item.str_for(option)?);
    }
    Ok(out)
}

/// `#` → `rgb:` in a colour; a truthy non-string is an error, a falsy value stays.
fn color<'a>(v: Option<&'a Value>, option: &str) -> Result<Option<Piece<'a>>> {
    match v {
        Some(Value::Str(s)) if !s.is_empty() => Ok(Some(Piece::Text(if s.contains('#') {
            Cow::Owned(s.replace('#', "rgb:"))
        } else {
            Cow::Borrowed(s.as_str())
        }))),
        Some(v) if v.truthy() => Err(v.not_a_string(option)),
        other => Ok(raw(other)),
    }
}

/// Strips one final newline: Python's `$` also matches before it.
fn dollar(s: &str) -> [&str; 2] {
    [s, s.strip_suffix('\n').unwrap_or(s)]
}

/// `(\d+\.)?\d+` in full.
fn is_number(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(s),
    }
}

/// `^(?P<value>(\d+\.)?\d+)(?P<modifier>[%pP])?$`: a number, `p` appended when a
/// modifier was given.
fn range_value(s: &str) -> Option<String> {
    for s in dollar(s) {
        if is_number(s) {
            return Some(s.to_owned());
        }
        if let Some(num) = s.strip_suffix(['%', 'p', 'P']) {
            if is_number(num) {
                return Some(format!("{num}p"));
            }
        }
    }
    None
}

fn norm_range(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| range_value(&v.py_str()))
}

fn norm_auto_range(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Str(s)) if s == "auto" => Some("auto".to_owned()),
        other => norm_range(other),
    }
}

/// `offset` as `[start, end]`: a list of two or more (first and last), or `A..B`.
fn split_range(v: Option<&Value>) -> Option<(Value, Value)> {
    match v? {
        Value::List(l) if l.len() >= 2 => Some((l[0].clone(), l[l.len() - 1].clone())),
        Value::Str(s) => {
            let (a, b) = s.split_once("..")?;
            let ok = |t: &str| range_value(t).is_some() && !t.ends_with('\n');
            let b_ok = dollar(b)
                .iter()
                .any(|t| range_value(t).is_some() && !t.ends_with('\n'));
            (ok(a) && b_ok).then(|| (Value::Str(a.to_owned()), Value::Str(b.to_owned())))
        }
        _ => None,
    }
}

fn video_codec(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    let Some(Value::Map(m)) = v else {
        return Ok(raw(v));
    };
    let codec = m
        .get("codec")
        .ok_or_else(|| Error::invalid_option("video_codec", "a video_codec map needs `codec`"))?;
    let Some(profile) = m.get("profile") else {
        return Ok(raw(Some(codec)));
    };
    let text = |v: &Value| v.str_for("video_codec").map(str::to_owned);
    let mut out = format!("{}:{}", text(codec)?, text(profile)?);
    if let Some(level) = m.get("level") {
        out.push(':');
        out.push_str(&text(level)?);
        if m.get("b_frames") == Some(&Value::Bool(false)) {
            out.push_str(":bframes_no");
        }
    }
    Ok(Some(Piece::Text(Cow::Owned(out))))
}

fn custom_function(v: Option<&Value>, option: &str) -> Result<Option<Value>> {
    let Some(Value::Map(m)) = v else {
        return Ok(v.cloned());
    };
    let function_type = m.get("function_type").unwrap_or(&Value::Null);
    let source = m.get("source").unwrap_or(&Value::Null);
    let ft = function_type.str_for(option)?;
    let src = source.str_for(option)?;
    let src = if ft == "remote" {
        base64::engine::general_purpose::URL_SAFE.encode(src.as_bytes())
    } else {
        src.to_owned()
    };
    Ok(Some(Value::Str(format!("{ft}:{src}"))))
}

fn keyframe_interval(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
    let err = |m: &str| Error::invalid_option("keyframe_interval", m.to_owned());
    let n = match v {
        None => return Ok(None),
        Some(Value::Str(s)) => return Ok((!s.is_empty()).then_some(Cow::Borrowed(s.as_str()))),
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(_) => return Err(err("Keyframe interval should be a number or a string")),
    };
    if n.is_nan() || n <= 0.0 {
        return Err(err("Keyframe interval should be greater than zero"));
    }
    Ok(Some(Cow::Owned(Value::Float(n).py_str().into_owned())))
}

fn radius(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
    match v {
        None => Ok(None),
        Some(Value::List(l)) => {
            if l.is_empty() || l.len() > 4 {
                return Err(Error::invalid_option("radius", "Invalid radius param"));
            }
            let mut parts = Vec::with_capacity(l.len());
            for item in l {
                parts.push(expression_element(item, "radius")?);
            }
            Ok(Some(Cow::Owned(parts.join(":"))))
        }
        Some(other) => Ok(Some(Cow::Owned(normalize(&other.py_str()).into_owned()))),
    }
}

/// One element of a list that is normalised and then joined: a falsy non-string
/// element cannot be joined (a Python `TypeError`).
fn expression_element(item: &Value, option: &str) -> Result<String> {
    if item.truthy() || item.is_empty_str() {
        Ok(normalize(&item.py_str()).into_owned())
    } else {
        Err(Error::invalid_option(
            option,
            format!(
                "cannot use {} {} in a list",
                item.type_name(),
                item.py_str()
            ),
        ))
    }
}

fn fps(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    match v {
        Some(Value::List(l)) => {
            let mut parts = Vec::with_capacity(l.len());
            for item in l {
                parts.push(expression_element(item, "fps")?);
            }
            let joined = parts.join("-");
            Ok((!joined.is_empty()).then_some(Piece::Text(Cow::Owned(joined))))
        }
        other => Ok(raw(other)),
    }
}

fn effect(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
    match v {
        Some(Value::List(l)) => {
            let joined: Vec<String> = l.iter().map(|x| x.py_str().into_owned()).collect();
            let s = joined.join(":");
            Ok((!s.is_empty()).then(|| Cow::Owned(normalize(&s).into_owned())))
        }
        Some(Value::Map(m)) => {
            let (k, val) = m
                .iter()
                .next()
                .ok_or_else(|| Error::invalid_option("effect", "an effect map cannot be empty"))?;
            Ok(Some(Cow::Owned(
                normalize(&format!("{k}:{}", val.py_str())).into_owned(),
            )))
        }
        Some(other) => Ok(normalize_value(other)),
        None => Ok(None),
    }
}

fn border(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    let Some(Value::Map(m)) = v else {
        return Ok(raw(v));
    };
    let color = match m.get("color") {
        None => Cow::Borrowed("black"),
        Some(Value::Str(s)) => Cow::Owned(s.replace('#', "rgb:")),
        Some(other) => return Err(other.not_a_string("border")),
    };
    let width = m.get("width").map_or(Cow::Borrowed("2"), Value::py_str);
    Ok(Some(Piece::Text(Cow::Owned(format!(
        "{width}px_solid_{color}"
    )))))
}

fn is_fraction(v: &Value) -> bool {
    if matches!(v, Value::Int(_) | Value::Bool(_) | Value::Null) {
        return false;
    }
    let s = v.py_str();
    let Some((int, frac)) = s.split_once('.') else {
        return false;
    };
    let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.bytes().all(|b| b.is_ascii_digit());
    int_ok && frac_ok && s.parse::<f64>().is_ok_and(|f| f < 1.0)
}

/// A parameter value stored for assembly: borrowed from the options, an option value
/// printed with Python's `str()`, or a range of the per-call scratch buffer. `Copy`,
/// so the per-key table needs no drop glue.
#[derive(Clone, Copy)]
enum Slot<'a> {
    Str(&'a str),
    Py(&'a Value),
    Scratch(u32, u32),
}

/// Stores `v` as a [`Slot`], moving owned text into `scratch`.
#[inline(always)]
fn place<'a>(scratch: &mut String, v: Option<Piece<'a>>) -> Option<Slot<'a>> {
    Some(match v? {
        Piece::Text(Cow::Borrowed(s)) => Slot::Str(s),
        // The first owned text becomes the scratch buffer itself (no copy).
        Piece::Text(Cow::Owned(s)) if scratch.is_empty() => {
            *scratch = s;
            Slot::Scratch(0, scratch.len() as u32)
        }
        Piece::Text(Cow::Owned(s)) => {
            let start = scratch.len() as u32;
            scratch.push_str(&s);
            Slot::Scratch(start, scratch.len() as u32)
        }
        Piece::Py(v) => Slot::Py(v),
    })
}

/// Appends the transformation of `options` to `out` (joining components with `/`) and
/// returns what the tag helpers need to know.
///
/// `fetch_format` overrides the `fetch_format` option (the URL builder's fetch patch).
pub(crate) fn generate(
    config: &Config,
    options: &Map,
    fetch_format: Option<Option<&Value>>,
    depth: usize,
    out: &mut String,
) -> Result<Flags> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid_option(
            "transformation",
            "transformations nest too deeply (a responsive_width set in the configuration \
             recurses forever in the reference SDK)",
        ));
    }
    let mut s = Slots {
        slot: [None; OPT_COUNT],
        present: 0,
        set: 0,
        vars: Vec::new(),
    };
    s.fill(options, fetch_format);
    let s = s;
    let mut flags = Flags::default();
    let start_len = out.len();

    let responsive_width = if s.present(Opt::ResponsiveWidth) {
        s.get(Opt::ResponsiveWidth).is_some_and(Value::truthy)
    } else {
        config
            .known
            .responsive_width
            .as_ref()
            .is_some_and(Value::truthy)
    };

    let mut size_parts: Option<(Value, Value)> = None;
    if let Some(size) = s.get(Opt::Size).filter(|v| v.truthy()) {
        let text = size.str_for("size")?;
        let mut parts = text.split('x');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(w), Some(h), None) => {
                size_parts = Some((Value::Str(w.to_owned()), Value::Str(h.to_owned())));
            }
            _ => {
                return Err(Error::invalid_option(
                    "size",
                    format!("expected \"<width>x<height>\", found {text:?}"),
                ))
            }
        }
        flags.size_used = true;
    }
    let (width, height) = match &size_parts {
        Some((w, h)) => (Some(w), Some(h)),
        None => (s.get(Opt::Width), s.get(Opt::Height)),
    };

    let has_layer = s.present(Opt::Overlay) || s.present(Opt::Underlay);
    let crop = s.get(Opt::Crop);
    let angle_items = as_list(s.get(Opt::Angle));
    let angle: String = match angle_items {
        [] => String::new(),
        items => {
            let parts: Vec<Cow<'_, str>> = items.iter().map(Value::py_str).collect();
            parts.join(".")
        }
    };
    let crop_is = |name: &str| crop.and_then(Value::as_str) == Some(name);
    let no_html_sizes =
        has_layer || !angle.is_empty() || crop_is("fit") || crop_is("limit") || responsive_width;

    // Only a string can start with "auto" or be "ow" in its text form.
    let width_text = width.and_then(Value::as_str);
    flags.keep_width = width.is_some_and(Value::truthy)
        && !(width_text.is_some_and(|t| t.starts_with("auto") || t == "ow")
            || width.is_some_and(is_fraction)
            || no_html_sizes);
    flags.keep_width |= width.is_some_and(|w| !w.truthy());
    flags.keep_height = height.is_some_and(Value::truthy)
        && !(height.and_then(Value::as_str) == Some("oh")
            || height.is_some_and(is_fraction)
            || no_html_sizes);
    flags.keep_height |= height.is_some_and(|h| !h.truthy());
    // Given as None, they are not deleted either: they stay options (and so become
    // HTML attributes, which the reference SDK then fails to render).
    if size_parts.is_none() {
        flags.keep_width |= s.present(Opt::Width) && width.is_none();
        flags.keep_height |= s.present(Opt::Height) && height.is_none();
    }

    let mut scratch = String::new();
    // Values by key, with a bit per filled key: emission visits only those.
    let mut vals: [Slot<'_>; KEY_COUNT] = [Slot::Str(""); KEY_COUNT];
    let mut filled: u64 = 0;
    macro_rules! set {
        ($k:expr, $v:expr $(,)?) => {{
            let k = $k as usize;
            match place(&mut scratch, $v.map(Into::into)) {
                Some(slot) => {
                    vals[k] = slot;
                    filled |= 1u64 << k;
                }
                None => filled &= !(1u64 << k),
            }
        }};
    }

    if s.has(Opt::Background) {
        set!(Key::B, color(s.get(Opt::Background), "background")?);
    }
    if s.has(Opt::Color) {
        set!(Key::Co, color(s.get(Opt::Color), "color")?);
    }

    // `transformation`: names (t_a.b), or chained components written straight to `out`.
    let base = as_list(s.get(Opt::Transformation));
    if base.is_empty() {
        // No `transformation`: nothing to name or chain.
    } else if base.iter().any(|b| matches!(b, Value::Map(_))) {
        for item in base.iter() {
            let before = out.len();
            if out.len() > start_len {
                out.push('/');
            }
            let mark = out.len();
            match item {
                Value::Map(m) => {
                    generate(config, m, None, depth + 1, out)?;
                }
                other => {
                    let mut m = Map::with_capacity(1);
                    m.insert("transformation", other.clone());
                    generate(config, &m, None, depth + 1, out)?;
                }
            }
            if out.len() == mark {
                out.truncate(before);
            }
        }
    } else {
        let named = join_strings(base, ".", "transformation")?;
        set!(Key::T, (!named.is_empty()).then_some(Cow::Owned(named)));
    }

    if s.has(Opt::Effect) {
        set!(Key::E, effect(s.get(Opt::Effect))?);
    }
    if s.has(Opt::Border) {
        set!(Key::Bo, border(s.get(Opt::Border))?);
    }
    let flag_items = as_list(s.get(Opt::Flags));
    match flag_items {
        [] => {}
        [Value::Str(one)] => set!(
            Key::Fl,
            (!one.is_empty()).then_some(Piece::Text(Cow::Borrowed(one.as_str())))
        ),
        items => {
            let fl = join_strings(items, ".", "flags")?;
            set!(Key::Fl, (!fl.is_empty()).then_some(Cow::Owned(fl)));
        }
    }

    let dpr = if s.present(Opt::Dpr) {
        s.get(Opt::Dpr)
    } else {
        config.known.dpr.as_ref().filter(|v| !v.is_null())
    };
    set!(Key::Dpr, expr(dpr));
    if s.has(Opt::Duration) {
        set!(
            Key::Du,
            norm_range(s.get(Opt::Duration)).map(|d| Cow::Owned(normalize(&d).into_owned())),
        );
    }

    let so_raw = s.get(Opt::StartOffset);
    let eo_raw = s.get(Opt::EndOffset);
    if so_raw.is_some() || eo_raw.is_some() || s.get(Opt::Offset).is_some() {
        let mut start_offset: Option<Value> = norm_auto_range(so_raw)
            .map(Value::Str)
            .or_else(|| so_raw.cloned());
        let mut end_offset: Option<Value> = norm_range(eo_raw)
            .map(Value::Str)
            .or_else(|| eo_raw.cloned());
        if let Some((a, b)) = split_range(s.get(Opt::Offset)) {
            start_offset = norm_auto_range(Some(&a)).map(Value::Str);
            end_offset = norm_range(Some(&b)).map(Value::Str);
        }
        let so = start_offset
            .as_ref()
            .and_then(normalize_value)
            .map(|c| Cow::Owned(c.into_owned()));
        set!(Key::So, so);
        let eo = end_offset
            .as_ref()
            .and_then(normalize_value)
            .map(|c| Cow::Owned(c.into_owned()));
        set!(Key::Eo, eo);
    }

    if s.has(Opt::VideoCodec) {
        set!(Key::Vc, video_codec(s.get(Opt::VideoCodec))?);
    }
    for (opt, key, param) in [
        (Opt::Overlay, Key::L, "overlay"),
        (Opt::Underlay, Key::U, "underlay"),
    ] {
        match s.get(opt) {
            None => {}
            // A layer map is rendered straight into the scratch buffer.
            Some(Value::Map(m)) => {
                let start = scratch.len();
                layer::push_map_layer(&mut scratch, m, param)?;
                vals[key as usize] = Slot::Scratch(start as u32, scratch.len() as u32);
                filled |= 1u64 << key as usize;
            }
            Some(v) => set!(key, layer::layer_value(v, param)?),
        }
    }

    let if_value = s
        .get(Opt::If)
        .map(|v| normalize_value(v).unwrap_or_else(|| v.py_str()));

    if s.get(Opt::CustomFunction).is_some() || s.get(Opt::CustomPreFunction).is_some() {
        let cf = custom_function(s.get(Opt::CustomFunction), "custom_function")?;
        let cpf = custom_function(s.get(Opt::CustomPreFunction), "custom_pre_function")?
            .filter(Value::truthy)
            .map(|v| Value::Str(format!("pre:{}", v.py_str())));
        let fn_value = match cf {
            Some(v) if v.truthy() => Some(v),
            _ => cpf,
        };
        let text = fn_value
            .as_ref()
            .and_then(|v| raw(Some(v)))
            .map(|p| match p {
                Piece::Text(t) => Cow::Owned(t.into_owned()),
                Piece::Py(v) => Cow::Owned(v.py_str().into_owned()),
            });
        set!(Key::Fn, text);
    }
    if s.has(Opt::Fps) {
        set!(Key::Fps, fps(s.get(Opt::Fps))?);
    }
    if s.has(Opt::KeyframeInterval) {
        set!(Key::Ki, keyframe_interval(s.get(Opt::KeyframeInterval))?);
    }
    if s.has(Opt::Radius) {
        set!(Key::R, radius(s.get(Opt::Radius))?);
    }
    if !angle.is_empty() {
        set!(Key::A, Some(Cow::Owned(normalize(&angle).into_owned())));
    }
    if height.is_some() {
        set!(Key::H, expr(height));
    }
    if width.is_some() {
        set!(Key::W, expr(width));
    }
    for &(opt, key) in EXPRESSION_PARAMS {
        if s.has(opt) {
            set!(key, expr(s.get(opt)));
        }
    }
    for &(opt, key) in RAW_PARAMS {
        if s.has(opt) {
            set!(key, raw(s.get(opt)));
        }
    }

    // Variables: `$name` keys sorted by their rendered text, then `variables` in order.
    let mut var_params: Vec<String> = Vec::new();
    if !s.vars.is_empty() {
        var_params = s
            .vars
            .iter()
            .map(|(k, v)| format!("{k}_{}", normalize(&v.py_str())))
            .collect();
        var_params.sort_unstable();
    }
    if let Some(vars) = s.get(Opt::Variables).filter(|v| v.truthy()) {
        for (name, value) in variable_pairs(vars)? {
            var_params.push(format!("{name}_{}", normalize(&value)));
        }
    }

    let raw_tr = match s.get(Opt::RawTransformation) {
        Some(v) if emitted(v) => {
            flags.raw_used = true;
            Some(v.str_for("raw_transformation")?)
        }
        _ => None,
    };

    // This component is written in place after the chained ones; the separator is
    // removed again if it stays empty.
    let had_content = out.len() > start_len;
    if had_content {
        out.push('/');
    }
    let comp_start = out.len();
    let sep = |out: &mut String| {
        if out.len() > comp_start {
            out.push(',');
        }
    };
    if let Some(c) = &if_value {
        out.push_str("if_");
        out.push_str(c);
    }
    for v in &var_params {
        sep(out);
        out.push_str(v);
    }
    while filled != 0 {
        let i = filled.trailing_zeros() as usize;
        filled &= filled - 1;
        let text: &str = match vals[i] {
            Slot::Str(t) => t,
            Slot::Scratch(a, b) => &scratch[a as usize..b as usize],
            Slot::Py(v) => {
                sep(out);
                out.push_str(KEY_TEXT[i]);
                out.push('_');
                v.push_py_str(out);
                continue;
            }
        };
        // An empty text is never emitted (it is falsy and not zero).
        if !text.is_empty() {
            sep(out);
            out.push_str(KEY_TEXT[i]);
            out.push('_');
            out.push_str(text);
        }
    }
    if let Some(r) = raw_tr {
        sep(out);
        out.push_str(r);
    }
    if out.len() == comp_start && had_content {
        out.pop();
    }

    if responsive_width {
        let default_rw;
        let rw = match config.known.responsive_width_transformation.as_ref() {
            Some(Value::Map(m)) if !m.is_empty() => m,
            _ => {
                default_rw = Map::from_iter([("width", "auto"), ("crop", "limit")]);
                &default_rw
            }
        };
        let before = out.len();
        if out.len() > start_len {
            out.push('/');
        }
        let mark = out.len();
        generate(config, rw, None, depth + 1, out)?;
        if out.len() == mark {
            out.truncate(before);
        }
    }

    flags.responsive = width_text.is_some_and(|t| t.starts_with("auto")) || responsive_width;
    flags.hidpi = dpr.and_then(Value::as_str) == Some("auto");
    Ok(flags)
}

/// The `(name, value)` pairs of the `variables` option (a list of pairs).
fn variable_pairs(vars: &Value) -> Result<Vec<(String, String)>> {
    // Python iterates the value: a list's items, a string's characters, a map's keys.
    let items: Vec<Value> = match vars {
        Value::List(l) => l.clone(),
        Value::Map(m) => m.keys().map(Value::from).collect(),
        Value::Str(s) => s.chars().map(|c| Value::from(c.to_string())).collect(),
        other => {
            return Err(Error::invalid_option(
                "variables",
                format!(
                    "expected a list of [name, value] pairs, found {}",
                    other.type_name()
                ),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let pair = match &item {
            Value::List(p) if p.len() >= 2 => {
                (p[0].py_str().into_owned(), p[1].py_str().into_owned())
            }
            Value::Str(s) if s.chars().count() >= 2 => {
                let mut c = s.chars();
                let a = c.next().map(String::from).unwrap_or_default();
                let b = c.next().map(String::from).unwrap_or_default();
                (a, b)
            }
            other => {
                return Err(Error::invalid_option(
                    "variables",
                    format!("expected [name, value] pairs, found {}", other.py_str()),
                ))
            }
        };
        out.push(pair);
    }
    Ok(out)
}

/// Option names the transformation builder consumes (removes from the leftovers),
/// apart from `width`/`height` (kept per the HTML rule) and `raw_transformation`
/// (consumed only when used).
pub(crate) fn consumes(name: &str) -> bool {
    match classify(name) {
        Some(Opt::Width | Opt::Height | Opt::RawTransformation) => false,
        Some(_) => true,
        None => false,
    }
}

/// The leftover options after building a transformation from `options`.
pub(crate) fn leftovers(options: &Map, flags: &Flags, size: Option<(&Value, &Value)>) -> Map {
    let mut out = Map::with_capacity(options.len());
    // With `size`, Python assigns both parts to `width` and `height` (a key already
    // there keeps its place, a new one goes last) before deciding what to delete.
    for (k, v) in options.iter() {
        match k.as_str() {
            "width" => {
                if flags.keep_width {
                    out.insert(k.clone(), size.map_or(v, |(w, _)| w).clone());
                }
            }
            "height" => {
                if flags.keep_height {
                    out.insert(k.clone(), size.map_or(v, |(_, h)| h).clone());
                }
            }
            "raw_transformation" if flags.raw_used => {}
            name if consumes(name) => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some((w, h)) = size {
        if flags.keep_width && !options.contains_key("width") {
            out.insert("width", w.clone());
        }
        if flags.keep_height && !options.contains_key("height") {
            out.insert("height", h.clone());
        }
    }
    if flags.responsive {
        out.insert("responsive", true);
    }
    if flags.hidpi {
        out.insert("hidpi", true);
    }
    out
}

/// The `size` option split into width and height texts, if given.
pub(crate) fn size_parts(options: &Map) -> Option<(Value, Value)> {
    let size = options.get("size")?.as_str()?;
    let (w, h) = size.split_once('x')?;
    Some((Value::Str(w.to_owned()), Value::Str(h.to_owned())))
}
