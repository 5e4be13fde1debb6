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
mod component;
pub mod expression;
pub(crate) mod js;
pub mod layer;
pub(crate) mod node;
pub(crate) mod params;
mod rules;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::value::{Map, Value};
use component::{Component, Slots};
use params::{classify, Opt, CONFIG_FALLBACK};
use rules::as_list;

pub use params::{list_params, param, Kind, Param, Place, ValueType, PARAMS};

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

/// Whether `v` prints as a fraction below one (`0.5`): integers, booleans and null never
/// do, and are decided here without a call.
#[inline(always)]
fn is_fraction(v: &Value) -> bool {
    !matches!(v, Value::Int(_) | Value::Bool(_) | Value::Null) && is_fraction_text(v)
}

fn is_fraction_text(v: &Value) -> bool {
    let s = v.py_str();
    let Some((int, frac)) = s.split_once('.') else {
        return false;
    };
    let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.bytes().all(|b| b.is_ascii_digit());
    int_ok && frac_ok && s.parse::<f64>().is_ok_and(|f| f < 1.0)
}

/// Appends the transformation of `options` to `out` (joining components with `/`) and
/// returns what the tag helpers need to know.
///
/// `fetch_format` overrides the `fetch_format` option (the URL builder's fetch patch).
/// Each option present runs its row's rule ([`params::PARAMS`], in row order); the
/// component is then written in key order.
pub(crate) fn generate<'o>(
    config: &'o Config,
    options: &'o Map,
    fetch_format: Option<Option<&'o Value>>,
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
    let s = Slots::new(options, fetch_format);
    let responsive_width = if s.present(Opt::ResponsiveWidth) {
        s.get(Opt::ResponsiveWidth).is_some_and(Value::truthy)
    } else {
        config
            .known
            .responsive_width
            .as_ref()
            .is_some_and(Value::truthy)
    };
    let (flags, size) = html_sizes(&s, responsive_width)?;

    let mut pending = s.set_bits();
    if config.known.dpr.as_ref().is_some_and(|v| !v.is_null()) {
        pending |= CONFIG_FALLBACK;
    }
    if !s.vars.is_empty() {
        pending |= 1 << Opt::Variables as u32;
    }
    let mut c = Component::new(&s, config, out, depth, flags, size);
    c.pending = pending;
    while c.pending != 0 {
        let i = c.pending.trailing_zeros() as usize;
        c.pending &= c.pending - 1;
        let row = &PARAMS[i];
        row.apply.run(&mut c, row)?;
    }
    c.write();
    let mut flags = c.flags;
    let start_len = c.start_len;
    drop(c);

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
    flags.responsive |= responsive_width;
    Ok(flags)
}

/// Splits `size` and decides which of `width` / `height` stay for the HTML attributes
/// (the reference SDK's rule, which looks at several options at once).
fn html_sizes<'o>(
    s: &Slots<'o>,
    responsive_width: bool,
) -> Result<(Flags, Option<(&'o str, &'o str)>)> {
    let mut flags = Flags::default();
    let mut size: Option<(&'o str, &'o str)> = None;
    if let Some(v) = s.get(Opt::Size).filter(|v| v.truthy()) {
        let text = v.str_for("size")?;
        let mut parts = text.split('x');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(w), Some(h), None) => size = Some((w, h)),
            _ => {
                return Err(Error::invalid_option(
                    "size",
                    format!("expected \"<width>x<height>\", found {text:?}"),
                ))
            }
        }
        flags.size_used = true;
    }
    let size_values = size.map(|(w, h)| (Value::Str(w.to_owned()), Value::Str(h.to_owned())));
    let (width, height) = match &size_values {
        Some((w, h)) => (Some(w), Some(h)),
        None => (s.get(Opt::Width), s.get(Opt::Height)),
    };

    let has_layer = s.present(Opt::Overlay) || s.present(Opt::Underlay);
    let crop = s.get(Opt::Crop);
    // The `angle` text is empty only for no angle or one empty text.
    let has_angle = match as_list(s.get(Opt::Angle)) {
        [] => false,
        [Value::Str(one)] => !one.is_empty(),
        _ => true,
    };
    let crop_is = |name: &str| crop.and_then(Value::as_str) == Some(name);
    let no_html_sizes =
        has_layer || has_angle || crop_is("fit") || crop_is("limit") || responsive_width;

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
    if size.is_none() {
        flags.keep_width |= s.present(Opt::Width) && width.is_none();
        flags.keep_height |= s.present(Opt::Height) && height.is_none();
    }
    flags.responsive = width_text.is_some_and(|t| t.starts_with("auto"));
    Ok((flags, size))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: &Config, json: &str) -> (String, Flags) {
        let options: Map = serde_json::from_str(json).unwrap();
        let mut out = String::new();
        let flags = generate(config, &options, None, 0, &mut out).unwrap();
        (out, flags)
    }

    /// The `dpr` row runs without its option only when the configuration gives a
    /// fallback; an explicit null still suppresses that fallback.
    #[test]
    fn dpr_falls_back_to_the_configuration_only() {
        let plain = Config::new();
        assert_eq!(run(&plain, r#"{"width": 10}"#).0, "w_10");
        let (text, flags) = run(&plain, r#"{"width": 10, "dpr": "auto"}"#);
        assert_eq!(text, "dpr_auto,w_10");
        assert!(flags.hidpi);

        let with_dpr = Config::new().with("dpr", "auto");
        let (text, flags) = run(&with_dpr, r#"{"width": 10}"#);
        assert_eq!(text, "dpr_auto,w_10");
        assert!(flags.hidpi);
        let (text, flags) = run(&with_dpr, r#"{"width": 10, "dpr": null}"#);
        assert_eq!(text, "w_10");
        assert!(!flags.hidpi);
        assert_eq!(run(&with_dpr, r#"{"dpr": 2.0}"#).0, "dpr_2.0");
        assert_eq!(run(&Config::new().with("dpr", Value::Null), "{}").0, "");
    }

    /// The php profile's colour and duration rules: only a leading `#` becomes `rgb:`,
    /// and a duration that is not a range is written as it is; other profiles unchanged.
    #[test]
    fn php_colours_and_durations() {
        let php = Config::new().with_profile(crate::Profile::Php);
        let python = Config::new().with_profile(crate::Profile::Python);
        let colour = r##"{"color": "#a#b", "background": "red"}"##;
        assert_eq!(run(&php, colour).0, "b_red,co_rgb:a#b");
        assert_eq!(run(&python, colour).0, "b_red,co_rgb:argb:b");
        assert_eq!(run(&php, r#"{"duration": "auto"}"#).0, "du_auto");
        assert_eq!(run(&python, r#"{"duration": "auto"}"#).0, "");
        assert_eq!(run(&php, r#"{"duration": "2.5"}"#).0, "du_2.5");
    }
}
