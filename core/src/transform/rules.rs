//! The value rules of the parameter table: one function per rule, called with the
//! component being built and the row (its option and key).
//!
//! A rule reads its option from [`Component::s`] and stores its URL value with
//! [`Component::set`]; the shared rules ([`raw`], [`expression`], [`color`]) serve
//! every row whose value needs nothing else. A rule runs only when its option is
//! present with a non-null value (or, for the rows in
//! [`CONFIG_FALLBACK`](super::params::CONFIG_FALLBACK), when the configuration gives
//! a fallback).

use std::borrow::Cow;

use base64::Engine as _;

use super::component::{Component, Piece};
use super::expression::{normalize, normalize_value};
use super::layer;
use super::params::{Key, Opt, Param};
use crate::error::{Error, Result};
use crate::value::{Map, Value};
use crate::Profile;

/// A row's value rule: one variant per rule function of this module.
///
/// A small enum rather than a function pointer, so that [`Rule::run`]'s `match` inlines
/// the shared rules (raw values, expressions, dimensions) into the builder's loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// [`raw`].
    Raw,
    /// [`expression`].
    Expression,
    /// [`color`].
    Color,
    /// [`dimension`].
    Dimension,
    /// [`size`].
    Size,
    /// [`after_component`].
    AfterComponent,
    /// [`transformation`].
    Transformation,
    /// [`effect`].
    Effect,
    /// [`border`].
    Border,
    /// [`flags`].
    Flags,
    /// [`dpr`].
    Dpr,
    /// [`duration`].
    Duration,
    /// [`offsets`].
    Offsets,
    /// [`video_codec`].
    VideoCodec,
    /// [`layer()`].
    Layer,
    /// [`condition`].
    Condition,
    /// [`custom_function`].
    CustomFunction,
    /// [`fps`].
    Fps,
    /// [`keyframe_interval`].
    KeyframeInterval,
    /// [`radius`].
    Radius,
    /// [`angle`].
    Angle,
    /// [`variables`].
    Variables,
    /// [`raw_transformation`].
    RawTransformation,
}

impl Rule {
    /// Runs this rule for row `p` of the component `c`.
    #[inline(always)]
    pub(crate) fn run(self, c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
        match self {
            Rule::Raw => raw(c, p),
            Rule::Expression => expression(c, p),
            Rule::Color => color(c, p),
            Rule::Dimension => dimension(c, p),
            Rule::Size => size(c, p),
            Rule::AfterComponent => after_component(c, p),
            Rule::Transformation => transformation(c, p),
            Rule::Effect => effect(c, p),
            Rule::Border => border(c, p),
            Rule::Flags => flags(c, p),
            Rule::Dpr => dpr(c, p),
            Rule::Duration => duration(c, p),
            Rule::Offsets => offsets(c, p),
            Rule::VideoCodec => video_codec(c, p),
            Rule::Layer => layer(c, p),
            Rule::Condition => condition(c, p),
            Rule::CustomFunction => custom_function(c, p),
            Rule::Fps => fps(c, p),
            Rule::KeyframeInterval => keyframe_interval(c, p),
            Rule::Radius => radius(c, p),
            Rule::Angle => angle(c, p),
            Rule::Variables => variables(c, p),
            Rule::RawTransformation => raw_transformation(c, p),
        }
    }
}

/// The value as it is (`crop`, `gravity`, `fetch_format`, …).
#[inline(always)]
pub(crate) fn raw(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), raw_piece(v));
    Ok(())
}

/// The value normalised as an expression (`quality`, `x`, `opacity`, …).
#[inline(always)]
pub(crate) fn expression(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), expr_piece(v));
    Ok(())
}

/// A colour: `#` → `rgb:` (`background`, `color`).
pub(crate) fn color(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    let piece = match v {
        // cloudinary_php's colour value replaces a leading `#` only (`#a#b` -> `rgb:a#b`).
        Some(Value::Str(s)) if c.config.profile() == Profile::Php && !s.is_empty() => {
            Some(Piece::Text(match s.strip_prefix('#') {
                Some(rest) => Cow::Owned(format!("rgb:{rest}")),
                None => Cow::Borrowed(s.as_str()),
            }))
        }
        _ => color_piece(v, p.name)?,
    };
    c.set(p.key(), piece);
    Ok(())
}

/// `width` / `height`: an expression, unless `size` gives both.
#[inline(always)]
pub(crate) fn dimension(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    if c.size.is_none() {
        let v = c.s.get(p.opt);
        c.set(p.key(), expr_piece(v));
    }
    Ok(())
}

/// `size`: its width and height texts (split and checked before the rules run).
pub(crate) fn size(c: &mut Component<'_, '_>, _: &Param) -> Result<()> {
    if let Some((w, h)) = c.size {
        c.set(Key::H as usize, (!h.is_empty()).then(|| normalize(h)));
        c.set(Key::W as usize, (!w.is_empty()).then(|| normalize(w)));
    }
    Ok(())
}

/// `responsive_width`: its component is appended after this one by the builder.
pub(crate) fn after_component(_: &mut Component<'_, '_>, _: &Param) -> Result<()> {
    Ok(())
}

/// `transformation`: names (`t_a.b`), or chained components written before this one.
pub(crate) fn transformation(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let base = as_list(c.s.get(p.opt));
    if base.is_empty() {
        // Nothing to name or chain.
    } else if base.iter().any(|b| matches!(b, Value::Map(_))) {
        for item in base.iter() {
            let before = c.out.len();
            if c.out.len() > c.start_len {
                c.out.push('/');
            }
            let mark = c.out.len();
            match item {
                Value::Map(m) => {
                    super::generate(c.config, m, None, c.depth + 1, c.out)?;
                }
                other => {
                    let mut m = Map::with_capacity(1);
                    m.insert("transformation", other.clone());
                    super::generate(c.config, &m, None, c.depth + 1, c.out)?;
                }
            }
            if c.out.len() == mark {
                c.out.truncate(before);
            }
        }
    } else {
        let named = join_strings(base, ".", p.name)?;
        c.set(p.key(), (!named.is_empty()).then_some(Cow::Owned(named)));
    }
    Ok(())
}

/// `effect`: a list joined with `:`, a map's first entry, then an expression.
pub(crate) fn effect(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), effect_value(v)?);
    Ok(())
}

/// `border`: a `{width, color}` map, else raw.
pub(crate) fn border(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), border_value(v)?);
    Ok(())
}

/// `flags`: a list joined with `.`.
pub(crate) fn flags(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    match as_list(c.s.get(p.opt)) {
        [] => {}
        [Value::Str(one)] => c.set(
            p.key(),
            (!one.is_empty()).then_some(Piece::Text(Cow::Borrowed(one.as_str()))),
        ),
        items => {
            let fl = join_strings(items, ".", p.name)?;
            c.set(p.key(), (!fl.is_empty()).then_some(Cow::Owned(fl)));
        }
    }
    Ok(())
}

/// `dpr`: an expression, falling back to the configuration's `dpr` when absent.
pub(crate) fn dpr(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let dpr = if c.s.present(p.opt) {
        c.s.get(p.opt)
    } else {
        c.config.known.dpr.as_ref().filter(|v| !v.is_null())
    };
    c.flags.hidpi = dpr.and_then(Value::as_str) == Some("auto");
    c.set(p.key(), expr_piece(dpr));
    Ok(())
}

/// `duration`: a range value, dropped when not one.
pub(crate) fn duration(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let raw = c.s.get(p.opt);
    let v = match norm_range(raw) {
        Some(d) => Some(Cow::Owned(normalize(&d).into_owned())),
        // cloudinary_php's duration qualifier takes any expression: a text that is not a
        // range (`auto`, `$du`) is written as it is.
        None if c.config.profile() == Profile::Php => match raw {
            Some(Value::Str(s)) if !s.is_empty() => Some(Cow::Borrowed(s.as_str())),
            _ => None,
        },
        None => None,
    };
    c.set(p.key(), v);
    Ok(())
}

/// `start_offset`, `end_offset` and `offset` together (`offset` wins).
pub(crate) fn offsets(c: &mut Component<'_, '_>, _: &Param) -> Result<()> {
    c.pending &= !(1u64 << Opt::StartOffset as u32
        | 1u64 << Opt::EndOffset as u32
        | 1u64 << Opt::Offset as u32);
    let so_raw = c.s.get(Opt::StartOffset);
    let eo_raw = c.s.get(Opt::EndOffset);
    let mut start_offset: Option<Value> = norm_auto_range(so_raw)
        .map(Value::Str)
        .or_else(|| so_raw.cloned());
    let mut end_offset: Option<Value> = norm_range(eo_raw)
        .map(Value::Str)
        .or_else(|| eo_raw.cloned());
    if let Some((a, b)) = split_range(c.s.get(Opt::Offset)) {
        start_offset = norm_auto_range(Some(&a)).map(Value::Str);
        end_offset = norm_range(Some(&b)).map(Value::Str);
    }
    let so = start_offset
        .as_ref()
        .and_then(normalize_value)
        .map(|t| Cow::Owned(t.into_owned()));
    c.set(Key::So as usize, so);
    let eo = end_offset
        .as_ref()
        .and_then(normalize_value)
        .map(|t| Cow::Owned(t.into_owned()));
    c.set(Key::Eo as usize, eo);
    Ok(())
}

/// `video_codec`: a `{codec, profile, level, b_frames}` map, else raw.
pub(crate) fn video_codec(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), video_codec_value(v)?);
    Ok(())
}

/// `overlay` / `underlay`: a layer (a map is rendered straight into the component).
pub(crate) fn layer(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    match c.s.get(p.opt) {
        None => {}
        Some(Value::Map(m)) => c.set_with(p.key(), |out| layer::push_map_layer(out, m, p.name))?,
        Some(v) => c.set(p.key(), layer::layer_value(v, p.name)?),
    }
    Ok(())
}

/// `if`: an expression, written first in the component.
pub(crate) fn condition(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    c.condition =
        c.s.get(p.opt)
            .map(|v| normalize_value(v).unwrap_or_else(|| v.py_str()));
    Ok(())
}

/// `custom_function` and `custom_pre_function` together (the first wins).
pub(crate) fn custom_function(c: &mut Component<'_, '_>, _: &Param) -> Result<()> {
    c.pending &= !(1u64 << Opt::CustomFunction as u32 | 1u64 << Opt::CustomPreFunction as u32);
    let cf = custom_function_value(c.s.get(Opt::CustomFunction), "custom_function")?;
    let cpf = custom_function_value(c.s.get(Opt::CustomPreFunction), "custom_pre_function")?
        .filter(Value::truthy)
        .map(|v| Value::Str(format!("pre:{}", v.py_str())));
    let fn_value = match cf {
        Some(v) if v.truthy() => Some(v),
        _ => cpf,
    };
    let text = fn_value
        .as_ref()
        .and_then(|v| raw_piece(Some(v)))
        .map(|p| match p {
            Piece::Text(t) => Cow::Owned(t.into_owned()),
            Piece::Py(v) => Cow::Owned(v.py_str().into_owned()),
        });
    c.set(Key::Fn as usize, text);
    Ok(())
}

/// `fps`: a list of expressions joined with `-`, else raw.
pub(crate) fn fps(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), fps_value(v)?);
    Ok(())
}

/// `keyframe_interval`: a text as it is, a number > 0 printed as a float.
pub(crate) fn keyframe_interval(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), keyframe_interval_value(v)?);
    Ok(())
}

/// `radius`: a list of one to four expressions joined with `:`, else an expression.
pub(crate) fn radius(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let v = c.s.get(p.opt);
    c.set(p.key(), radius_value(v)?);
    Ok(())
}

/// `angle`: a list joined with `.`, then an expression.
pub(crate) fn angle(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let items = as_list(c.s.get(p.opt));
    if !items.is_empty() {
        let parts: Vec<Cow<'_, str>> = items.iter().map(Value::py_str).collect();
        let angle = parts.join(".");
        if !angle.is_empty() {
            c.set(p.key(), Some(Cow::Owned(normalize(&angle).into_owned())));
        }
    }
    Ok(())
}

/// `variables` and the `$name` options: `$name` options sorted by their rendered text,
/// then `variables` pairs in order.
pub(crate) fn variables(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    let mut var_params: Vec<String> =
        c.s.vars
            .iter()
            .map(|(k, v)| format!("{k}_{}", normalize(&v.py_str())))
            .collect();
    var_params.sort_unstable();
    if let Some(vars) = c.s.get(p.opt).filter(|v| v.truthy()) {
        for (name, value) in variable_pairs(vars)? {
            var_params.push(format!("{name}_{}", normalize(&value)));
        }
    }
    c.variables = var_params;
    Ok(())
}

/// `raw_transformation`: appended verbatim (and consumed only when used).
pub(crate) fn raw_transformation(c: &mut Component<'_, '_>, p: &Param) -> Result<()> {
    if let Some(v) = c.s.get(p.opt).filter(|v| emitted(v)) {
        c.flags.raw_used = true;
        c.raw = Some(v.str_for(p.name)?);
    }
    Ok(())
}

// ---- value helpers -------------------------------------------------------------

/// Whether a raw (already processed) value is emitted: truthy, or equal to zero.
fn emitted(v: &Value) -> bool {
    v.truthy() || v.eq_zero()
}

fn raw_piece(v: Option<&Value>) -> Option<Piece<'_>> {
    match v {
        Some(Value::Str(s)) => (!s.is_empty()).then_some(Piece::Text(Cow::Borrowed(s))),
        Some(v) if emitted(v) => Some(Piece::Py(v)),
        _ => None,
    }
}

/// [`normalize_value`] without allocating for numbers and booleans, whose text is
/// never changed by normalisation.
fn expr_piece(v: Option<&Value>) -> Option<Piece<'_>> {
    match v? {
        v @ (Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            emitted(v).then_some(Piece::Py(v))
        }
        other => normalize_value(other).map(Piece::Text),
    }
}

/// `build_array(v)`: a list as it is, null as empty, anything else as one element.
pub(super) fn as_list(v: Option<&Value>) -> &[Value] {
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
fn color_piece<'a>(v: Option<&'a Value>, option: &str) -> Result<Option<Piece<'a>>> {
    match v {
        Some(Value::Str(s)) if !s.is_empty() => Ok(Some(Piece::Text(if s.contains('#') {
            Cow::Owned(s.replace('#', "rgb:"))
        } else {
            Cow::Borrowed(s.as_str())
        }))),
        Some(v) if v.truthy() => Err(v.not_a_string(option)),
        other => Ok(raw_piece(other)),
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

fn video_codec_value(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    let Some(Value::Map(m)) = v else {
        return Ok(raw_piece(v));
    };
    let codec = m
        .get("codec")
        .ok_or_else(|| Error::invalid_option("video_codec", "a video_codec map needs `codec`"))?;
    let Some(profile) = m.get("profile") else {
        return Ok(raw_piece(Some(codec)));
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

fn custom_function_value(v: Option<&Value>, option: &str) -> Result<Option<Value>> {
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

fn keyframe_interval_value(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
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

fn radius_value(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
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

fn fps_value(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    match v {
        Some(Value::List(l)) => {
            let mut parts = Vec::with_capacity(l.len());
            for item in l {
                parts.push(expression_element(item, "fps")?);
            }
            let joined = parts.join("-");
            Ok((!joined.is_empty()).then_some(Piece::Text(Cow::Owned(joined))))
        }
        other => Ok(raw_piece(other)),
    }
}

fn effect_value(v: Option<&Value>) -> Result<Option<Cow<'_, str>>> {
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

fn border_value(v: Option<&Value>) -> Result<Option<Piece<'_>>> {
    let Some(Value::Map(m)) = v else {
        return Ok(raw_piece(v));
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
