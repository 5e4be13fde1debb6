//! PHP value rules the `php` profile needs to reproduce cloudinary_php 3.1.2: what
//! `empty()` calls empty, how `(string)` renders a value, and how a value takes part
//! in arithmetic (numeric strings).

use crate::{Error, Result, Value};

pub(crate) mod layer;
pub(crate) mod qualifiers;

/// PHP's `empty()`: null, `false`, `0`, `0.0`, `""`, `"0"` and empty arrays.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty() || s == "0",
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
    }
}

/// PHP 8's `(string)` of a scalar: `true` is `"1"`, `false` and null `""`, floats in
/// their shortest round-trip form (`2.0` is `"2"`). Arrays have no string form here
/// (PHP prints `Array` with a warning; callers that need that handle it).
pub(crate) fn string(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => String::new(),
        Value::Bool(true) => "1".to_owned(),
        Value::Bool(false) => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_string(*f),
        Value::Str(s) => s.clone(),
        Value::List(_) | Value::Map(_) => return None,
    })
}

/// PHP 8's `(string)` of a float (`serialize_precision = -1`).
pub(crate) fn float_string(f: f64) -> String {
    if f.is_nan() {
        return "NAN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "INF" } else { "-INF" }.to_owned();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        if f == 0.0 && f.is_sign_negative() {
            return "-0".to_owned();
        }
        return format!("{}", f as i64);
    }
    let text = format!("{f}");
    if f.abs() >= 1e15 || (f != 0.0 && f.abs() < 1e-4) {
        // PHP switches to exponent form (`1.0E+25`, `1.0E-5`).
        let e = format!("{f:e}");
        if let Some((mantissa, exp)) = e.split_once('e') {
            let mantissa = if mantissa.contains('.') {
                mantissa.to_owned()
            } else {
                format!("{mantissa}.0")
            };
            let exp = if let Some(neg) = exp.strip_prefix('-') {
                format!("-{neg}")
            } else {
                format!("+{exp}")
            };
            return format!("{mantissa}E{exp}");
        }
    }
    text
}

/// The number a value stands for in PHP 8 arithmetic: numbers as they are, `true` 1,
/// null and `false` 0, numeric strings (surrounding whitespace allowed) as their
/// number, a leading-numeric string as its prefix (PHP warns); other strings and
/// arrays are PHP's `TypeError`.
pub(crate) fn number(v: &Value, name: &str) -> Result<f64> {
    match v {
        Value::Null | Value::Bool(false) => Ok(0.0),
        Value::Bool(true) => Ok(1.0),
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        Value::Str(s) => numeric_prefix(s).ok_or_else(|| {
            Error::invalid_option(
                name,
                "TypeError: Unsupported operand types (non-numeric string)",
            )
        }),
        Value::List(_) | Value::Map(_) => Err(Error::invalid_option(
            name,
            "TypeError: Unsupported operand types: array",
        )),
    }
}

/// The longest leading PHP numeric text of `s` (after leading whitespace), parsed.
fn numeric_prefix(s: &str) -> Option<f64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut mantissa_digits = i - digits_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        mantissa_digits += j - frac_start;
        if mantissa_digits > 0 {
            i = j;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    t[..i].parse().ok()
}

/// Whether `s` is a whole PHP numeric string (surrounding whitespace allowed).
pub(crate) fn is_numeric_str(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    !t.is_empty() && numeric_prefix(t).is_some() && {
        // The prefix must cover the whole text.
        let b = t.as_bytes();
        let mut i = usize::from(b[0] == b'+' || b[0] == b'-');
        let mut seen_e = false;
        let mut ok = true;
        while i < b.len() {
            match b[i] {
                b'0'..=b'9' | b'.' => {}
                b'e' | b'E' if !seen_e => {
                    seen_e = true;
                    if i + 1 < b.len() && (b[i + 1] == b'+' || b[i + 1] == b'-') {
                        i += 1;
                    }
                }
                _ => ok = false,
            }
            i += 1;
        }
        ok && t.parse::<f64>().is_ok()
    }
}

/// PHP 8's `ksort` order (`SORT_REGULAR`) of two array keys: numerically when both
/// are numeric strings, else byte by byte.
pub(crate) fn key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if is_numeric_str(a) && is_numeric_str(b) {
        let (x, y) = (
            numeric_prefix(a.trim()).unwrap_or(0.0),
            numeric_prefix(b.trim()).unwrap_or(0.0),
        );
        if let Some(o) = x.partial_cmp(&y) {
            return o;
        }
    }
    a.as_bytes().cmp(b.as_bytes())
}

/// `StringUtils::escapeUnsafeChars($value, $chars)`: a backslash before each of
/// `chars`; `$value` is a typed `string` argument (weak typing: numbers and booleans
/// are converted, null and arrays are a `TypeError`).
pub(crate) fn escape_unsafe(v: &Value, chars: &str) -> Result<String> {
    let s = match v {
        Value::Null | Value::List(_) | Value::Map(_) => {
            return Err(Error::invalid_option(
                "params",
                format!(
                    "TypeError: StringUtils::escapeUnsafeChars(): Argument #1 ($string) must be of type string, {} given",
                    v.type_name()
                ),
            ))
        }
        other => string(other).unwrap_or_default(),
    };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if chars.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

/// `ArrayUtils::safeFilterFunc`: null, `""` and values whose `(string)` is empty
/// (`false`) are dropped; arrays are kept when one item is kept.
pub(crate) fn safe_keep(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Str(s) => !s.is_empty(),
        Value::List(items) => items.iter().any(safe_keep),
        Value::Map(m) => m.iter().any(|(_, v)| safe_keep(v)),
        // `(string)` of a number is never empty; of a boolean, `"1"` or `""`.
        Value::Int(_) | Value::Float(_) => true,
        Value::Bool(b) => *b,
    }
}

/// `ApiUtils::serializeSimpleApiParam`: scalars as `(string)`, null as null, arrays
/// through `ArrayUtils::safeImplodeAssoc($array, ',')` (lists: the kept items
/// escaped and joined with `,`; maps: each `key,value` escaped, then joined and
/// escaped again; a PHP SDK quirk kept).
pub(crate) fn simple_api_param(v: &Value) -> Result<Option<String>> {
    Ok(match v {
        Value::Null => None,
        Value::List(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter().filter(|i| safe_keep(i)) {
                parts.push(escape_unsafe(item, ",")?);
            }
            Some(parts.join(","))
        }
        Value::Map(m) => {
            let mut pairs = Vec::with_capacity(m.len());
            for (k, v) in m.iter() {
                let pair = format!(
                    "{},{}",
                    escape_unsafe(&Value::from(k.as_str()), ",")?,
                    escape_unsafe(v, ",")?
                );
                pairs.push(Value::from(pair));
            }
            let mut parts = Vec::with_capacity(pairs.len());
            for p in pairs.iter().filter(|p| safe_keep(p)) {
                parts.push(escape_unsafe(p, ",")?);
            }
            Some(parts.join(","))
        }
        other => string(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_follows_php() {
        assert!(is_empty(&Value::from("0")));
        assert!(is_empty(&Value::Int(0)));
        assert!(!is_empty(&Value::from("0.0")));
        assert!(!is_empty(&Value::from(" ")));
    }

    #[test]
    fn strings_follow_php() {
        assert_eq!(float_string(2.0), "2");
        assert_eq!(float_string(0.25), "0.25");
        assert_eq!(float_string(1e25), "1.0E+25");
        assert_eq!(string(&Value::Bool(true)).unwrap(), "1");
    }

    #[test]
    fn numbers_follow_php() {
        assert_eq!(number(&Value::from(" 12 "), "x").unwrap(), 12.0);
        assert_eq!(number(&Value::from("12abc"), "x").unwrap(), 12.0);
        assert_eq!(number(&Value::from("1e3"), "x").unwrap(), 1000.0);
        assert!(number(&Value::from("abc"), "x").is_err());
        assert!(number(&Value::from("."), "x").is_err());
    }
}
