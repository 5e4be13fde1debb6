//! cloudinary_php's qualifiers read from parameters (`QualifiersAction` and the
//! typed qualifier constructors): the transformation options of a delivery URL, a
//! multi/sprite call or any other place the PHP SDK builds a transformation from an
//! array, as the shared renderer then writes them in the `php` profile.

use std::borrow::Cow;

use crate::{Error, Map, Result, Value};

/// The transformation options of `options` as cloudinary_php's typed qualifiers take
/// them (the rules are listed at `url::php::prepare_options`); copied only when a rule
/// changes them.
pub(crate) fn qualifiers(options: &Map) -> Result<Cow<'_, Map>> {
    let mut out = typed_qualifiers(options, true)?;
    // `QualifiersAction` takes the top-level options through
    // `ArrayUtils::mergeNonEmpty`: qualifiers whose value is null, `""`, `false` or an
    // array with nothing kept in it are dropped (nested transformations are not).
    for key in QUALIFIERS {
        if options.get(key).is_some_and(|v| !crate::php::safe_keep(v)) {
            out.to_mut().remove(key);
        }
    }
    // Values the PHP SDK takes where pycloudinary raises: a number as the raw
    // transformation, nulls inside a radius list, a size without `x` as the width.
    if let Some(v @ (Value::Int(_) | Value::Float(_))) = options.get("raw_transformation") {
        out.to_mut().insert(
            "raw_transformation",
            crate::php::string(v).unwrap_or_default(),
        );
    }
    if let Some(Value::Str(size)) = options.get("size") {
        // `[$width, $height] = explode('x', $size)`: without an `x` the size is the
        // width and the height is unset.
        if !size.contains('x') && !size.is_empty() && size != "0" {
            out.to_mut().remove("size");
            out.to_mut().remove("height");
            out.to_mut().insert("width", size.clone());
        }
    }
    if let Some(Value::List(items)) = options.get("transformation") {
        // A list of names alone is a chain of named transformations; mixed with maps,
        // each text is a TypeError.
        let mixed = items.iter().any(|i| matches!(i, Value::Map(_)));
        let mut list = Vec::with_capacity(items.len());
        let mut changed = false;
        for item in items {
            match item {
                Value::Map(m) => {
                    let typed = typed_qualifiers(m, false)?;
                    changed |= matches!(typed, Cow::Owned(_));
                    list.push(Value::Map(typed.into_owned()));
                }
                Value::Str(_) if mixed => {
                    return Err(type_error(
                        "QualifiersAction::generateTransformationAction(): Argument #1 ($transformationAction) must be of type Cloudinary\\Transformation\\BaseComponent|array",
                        item,
                    ))
                }
                other => list.push(other.clone()),
            }
        }
        if changed {
            out.to_mut().insert("transformation", Value::List(list));
        }
    }
    Ok(out)
}

pub(crate) fn type_error(what: &str, given: &Value) -> Error {
    Error::invalid_option(
        "options",
        format!("TypeError: {what}, {} given", given.type_name()),
    )
}

/// The option names `QualifiersAction` reads (its simple and complex qualifiers, the
/// condition and the raw transformation).
const QUALIFIERS: &[&str] = &[
    "aspect_ratio",
    "background",
    "crop",
    "color",
    "dpr",
    "duration",
    "end_offset",
    "keyframe_interval",
    "height",
    "if",
    "opacity",
    "quality",
    "radius",
    "start_offset",
    "width",
    "x",
    "y",
    "zoom",
    "audio_codec",
    "audio_frequency",
    "bit_rate",
    "color_space",
    "default_image",
    "delay",
    "density",
    "fetch_format",
    "gravity",
    "prefix",
    "page",
    "streaming_profile",
    "video_sampling",
    "angle",
    "border",
    "custom_function",
    "custom_pre_function",
    "effect",
    "flags",
    "fps",
    "offset",
    "overlay",
    "size",
    "transformation",
    "underlay",
    "video_codec",
    "raw_transformation",
];

/// `Range`: a list of two values, or a text `start..end` whose ends are digits with
/// an optional fraction and an optional `%`/`p`; anything else is an error.
fn check_range(range: &Value) -> Result<()> {
    let ok = match range {
        Value::List(items) => items.len() == 2,
        Value::Map(m) => m.len() == 2,
        Value::Null => true,
        other => {
            let text = crate::php::string(other).unwrap_or_default();
            match text.split_once("..") {
                Some((a, b)) => range_end(a) && range_end(b),
                None => false,
            }
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_option(
            "offset",
            "UnexpectedValueException: A valid Range is expected",
        ))
    }
}

/// `(\d+\.)?\d+[%pP]?`.
fn range_end(s: &str) -> bool {
    let s = s.strip_suffix(['%', 'p', 'P']).unwrap_or(s);
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(s),
    }
}

/// `ColorValue`: a leading `#` becomes `rgb:` (only the first one).
fn php_color(v: &Value) -> String {
    let s = crate::php::string(v).unwrap_or_default();
    match s.strip_prefix('#') {
        Some(rest) => format!("rgb:{rest}"),
        None => s,
    }
}

/// `BorderQualifier::fromParams`: a map is `width` (default 2; `px` added only to a
/// truthy numeric width), `solid` and `color` (default black); a text is the colour.
fn php_border(v: &Value) -> Result<Option<Value>> {
    match v {
        Value::Map(m) => {
            let width = match m.get("width") {
                None => Some("2px".to_owned()),
                Some(Value::Null) => None,
                Some(w @ (Value::List(_) | Value::Map(_))) => {
                    return Err(type_error(
                        "BorderValue::__construct(): Argument #2 ($width) must be of type string|int|null",
                        w,
                    ))
                }
                Some(w) => {
                    let text = crate::php::string(w).unwrap_or_default();
                    let numeric = crate::php::is_numeric_str(&text);
                    Some(if crate::php::is_empty(w) || !numeric {
                        text
                    } else {
                        format!("{text}px")
                    })
                }
            };
            let color = match m.get("color") {
                None => Some("black".to_owned()),
                Some(Value::Null) => None,
                Some(c @ (Value::List(_) | Value::Map(_))) => {
                    return Err(type_error(
                        "ColorValue::color(): Argument #1 ($color) must be of type Cloudinary\\Transformation\\ColorValue|Cloudinary\\Transformation\\QualifierMultiValue|Cloudinary\\Transformation\\Qualifier\\BaseQualifier|string",
                        c,
                    ))
                }
                Some(c) => Some(php_color(c)),
            };
            let parts: Vec<String> = [width, Some("solid".to_owned()), color]
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect();
            Ok(Some(Value::Str(parts.join("_"))))
        }
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Ok(Some(Value::Str(php_color(v)))),
        _ => Ok(None),
    }
}

/// One qualifier map with PHP's typed-argument conversions applied.
/// (copied only when a conversion changes it).
fn typed_qualifiers(options: &Map, top_level: bool) -> Result<Cow<'_, Map>> {
    let mut out = Cow::Borrowed(options);
    // `variables` is a list of `[name, value]` pairs in pycloudinary; the PHP SDK
    // reads each item as an expression text.
    if let Some(Value::List(vars)) = options.get("variables") {
        if vars.iter().any(|v| matches!(v, Value::List(_))) {
            return Err(type_error(
                "Expression::expression(): Argument #1 ($expression) must be of type string",
                &Value::List(Vec::new()),
            ));
        }
    }
    // Nulls inside a radius list are left out (pycloudinary raises).
    if let Some(Value::List(items)) = options.get("radius") {
        if items.iter().any(Value::is_null) {
            let kept: Vec<Value> = items.iter().filter(|v| !v.is_null()).cloned().collect();
            out.to_mut().insert("radius", Value::List(kept));
        }
    }
    // A responsive width is a URL setting: inside a chained transformation it is not
    // read.
    if !top_level && options.contains_key("responsive_width") {
        out.to_mut().remove("responsive_width");
    }
    if let Some(range) = options.get("offset") {
        if !top_level || crate::php::safe_keep(range) {
            check_range(range)?;
        }
    }
    match options.get("effect") {
        Some(Value::Map(m)) if !m.is_empty() => {
            // An associative array as a text (PHP's array-to-string conversion).
            out.to_mut().insert("effect", "Array");
        }
        _ => {}
    }
    if let Some(Value::List(items)) = out.get("radius") {
        if items
            .iter()
            .any(|i| matches!(i, Value::Int(_) | Value::Float(_)))
        {
            let texts: Vec<Value> = items
                .iter()
                .map(|i| match i {
                    Value::Int(_) | Value::Float(_) => {
                        Value::Str(crate::php::string(i).unwrap_or_default())
                    }
                    other => other.clone(),
                })
                .collect();
            out.to_mut().insert("radius", Value::List(texts));
        }
    }
    // `ColorValue` and the flags take numbers as their text; a number is a raw
    // transformation's text too.
    for key in ["background", "color", "raw_transformation"] {
        if let Some(v @ (Value::Int(_) | Value::Float(_))) = options.get(key) {
            out.to_mut()
                .insert(key, crate::php::string(v).unwrap_or_default());
        }
    }
    if let Some(Value::List(flags)) = options.get("flags") {
        if flags
            .iter()
            .any(|f| matches!(f, Value::Int(_) | Value::Float(_)))
        {
            let texts = flags
                .iter()
                .map(|f| match f {
                    Value::Int(_) | Value::Float(_) => {
                        Value::Str(crate::php::string(f).unwrap_or_default())
                    }
                    other => other.clone(),
                })
                .collect();
            out.to_mut().insert("flags", Value::List(texts));
        }
    }
    if let Some(Value::Map(codec)) = options.get("video_codec") {
        // `VideoCodec::fromParams`: codec, profile and level (as text); no b-frames.
        let mut kept = Map::new();
        for key in ["codec", "profile", "level"] {
            if let Some(v) = codec.get(key).filter(|v| !v.is_null()) {
                kept.insert(key, crate::php::string(v).unwrap_or_default());
            }
        }
        out.to_mut().insert("video_codec", Value::Map(kept));
    }
    if let Some(v @ (Value::Int(_) | Value::Float(_))) = options.get("keyframe_interval") {
        // A `float` qualifier: always written with a fraction.
        let f = crate::php::number(v, "keyframe_interval")?;
        if f < 0.0 {
            return Err(Error::invalid_option(
                "keyframe_interval",
                "Keyframe interval should be greater than zero",
            ));
        }
        let text = crate::php::float_string(f);
        let text = if text.contains(['.', 'E', 'N', 'I']) {
            text
        } else {
            format!("{text}.0")
        };
        out.to_mut().insert("keyframe_interval", text);
    }
    for key in ["overlay", "underlay"] {
        if let Some(layer) = options.get(key) {
            if top_level && !crate::php::safe_keep(layer) {
                continue;
            }
            if let Some(rendered) = crate::php::layer::render(layer, key)? {
                out.to_mut().insert(key, Value::Str(rendered));
            }
        }
    }
    if let Some(b) = options.get("border") {
        if let Some(rendered) = php_border(b)? {
            out.to_mut().insert("border", rendered);
        }
    }
    for key in ["x", "y", "opacity", "delay"] {
        if let Some(v) = options.get(key) {
            let converted = match v {
                Value::Null | Value::Int(_) => continue,
                Value::Float(f) if f.is_finite() => Value::Int(f.trunc() as i64),
                Value::Bool(b) => Value::Int(i64::from(*b)),
                Value::Str(s) if crate::php::is_numeric_str(s) => {
                    let n = crate::php::number(v, key)?;
                    Value::Int(n.trunc() as i64)
                }
                other => {
                    return Err(type_error(
                        &format!("Qualifier::{key}(): Argument #1 must be of type int"),
                        other,
                    ))
                }
            };
            out.to_mut().insert(key, converted);
        }
    }
    if let Some(v) = options.get("zoom") {
        let converted = match v {
            Value::Int(i) => Some(Value::Float(*i as f64)),
            Value::Str(s) if crate::php::is_numeric_str(s) => {
                Some(Value::Float(crate::php::number(v, "zoom")?))
            }
            Value::Str(_) | Value::List(_) | Value::Map(_) => {
                return Err(type_error(
                    "Qualifier::zoom(): Argument #1 ($zoom) must be of type float",
                    v,
                ))
            }
            _ => None,
        };
        if let Some(c) = converted {
            out.to_mut().insert("zoom", c);
        }
    }
    if let Some(w @ (Value::List(_) | Value::Map(_))) = options.get("width") {
        return Err(type_error(
            "Qualifier::width(): Argument #1 ($width) must be of type string|int|float",
            w,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borders_follow_border_qualifier() {
        let b = |json: &str| php_border(&serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(b(r#"{}"#), Some(Value::from("2px_solid_black")));
        assert_eq!(
            b(r#"{"width": 0, "color": "red"}"#),
            Some(Value::from("0_solid_red"))
        );
        assert_eq!(
            b(r##"{"width": "$bw", "color": "#00f"}"##),
            Some(Value::from("$bw_solid_rgb:00f"))
        );
        assert_eq!(b(r##""#a#b""##), Some(Value::from("rgb:a#b")));
    }

    #[test]
    fn ranges_follow_range() {
        for ok in [r#""2..5""#, r#""2.5..10p""#, r#"[1, 2]"#] {
            assert!(
                check_range(&serde_json::from_str(ok).unwrap()).is_ok(),
                "{ok}"
            );
        }
        for bad in [r#""auto..5""#, r#""2..""#, r#""5""#, "5", r#"[1, 2, 3]"#] {
            assert!(
                check_range(&serde_json::from_str(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
    }
}
