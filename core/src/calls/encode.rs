//! Parameter encoders of the network rows, with pycloudinary's rules (`build_array`,
//! `encode_list`, `encode_double_array`, `json_encode`, `build_list_of_dicts`,
//! `build_eager`), and Python's `json.dumps` text.

use crate::upload::json_text::{self, Spacing};
use crate::{Client, Error, Map, Result, Value};

/// Python's `json.dumps(value)`: ASCII-only output (`\uXXXX` escapes, surrogate pairs
/// above U+FFFF), floats as `repr` (`NaN`, `Infinity`), keys in map order unless
/// `sort_keys`, and the compact (`,`/`:`) or default (`, `/`: `) separators.
///
/// ```
/// use cldkit::{calls::python_json, Value};
/// let v: Value = serde_json::from_str(r#"{"b": [1, 2.0], "a": "é"}"#).unwrap();
/// assert_eq!(python_json(&v, true, true), r#"{"a":"\u00e9","b":[1,2.0]}"#);
/// assert_eq!(python_json(&v, false, false), r#"{"b": [1, 2.0], "a": "\u00e9"}"#);
/// ```
pub fn python_json(value: &Value, compact: bool, sort_keys: bool) -> String {
    let spacing = if compact {
        Spacing::Compact
    } else {
        Spacing::Spaced
    };
    json_text::dumps_with(value, spacing, sort_keys)
}

/// `build_array`: a list as it is, `None` as `[]`, anything else wrapped.
pub(crate) fn build_array(v: &Value) -> Vec<Value> {
    match v {
        Value::List(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// Python's `sep.join(items)`: every item must be a string.
pub(crate) fn join_strings(items: &[Value], sep: &str, option: &str) -> Result<String> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Str(s) = item else {
            return Err(Error::invalid_option(
                option,
                format!(
                    "sequence item {i}: expected str instance, {} found",
                    py_type(item)
                ),
            ));
        };
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(s);
    }
    Ok(out)
}

/// The Python type name of a value, for messages.
pub(crate) fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::List(_) => "list",
        Value::Map(_) => "dict",
    }
}

/// `encode_list`: a list comma-joined, anything else as it is.
pub(crate) fn encode_list(v: &Value, option: &str) -> Result<Value> {
    match v {
        Value::List(items) => Ok(Value::Str(join_strings(items, ",", option)?)),
        other => Ok(other.clone()),
    }
}

/// `encode_double_array`: `[[1,2],[3,4]]` as `1,2|3,4`, `[1,2]` as `1,2`.
pub(crate) fn encode_double_array(v: &Value) -> Value {
    let array = build_array(v);
    if matches!(array.first(), Some(Value::List(_))) {
        let rows: Vec<String> = array
            .iter()
            .map(|inner| {
                build_array(inner)
                    .iter()
                    .map(|i| i.py_str().into_owned())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        return Value::Str(rows.join("|"));
    }
    Value::Str(
        array
            .iter()
            .map(|i| i.py_str().into_owned())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// `json_encode`: strings and `None` as they are, anything else compact JSON.
pub(crate) fn json_encode(v: &Value) -> Value {
    match v {
        Value::Str(_) | Value::Null => v.clone(),
        other => Value::Str(python_json(other, true, false)),
    }
}

fn parse_json(text: &str, option: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid_option(option, format!("expected JSON text: {e}")))
}

/// `build_list_of_dicts`: a map, a JSON text or a list of either, as a list of maps.
pub(crate) fn build_list_of_dicts(v: &Value, option: &str) -> Result<Vec<Value>> {
    let v = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Str(s) => parse_json(s, option)?,
        other => other.clone(),
    };
    let items = match v {
        Value::Map(_) => vec![v],
        Value::List(items) => items,
        other => {
            return Err(Error::invalid_option(
                option,
                format!("'{}' object is not iterable", py_type(&other)),
            ))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let item = match item {
            Value::Str(s) => parse_json(&s, option)?,
            other => other,
        };
        if !matches!(item, Value::Map(_)) {
            return Err(Error::invalid_option(option, "Expected a list of dicts"));
        }
        out.push(item);
    }
    Ok(out)
}

/// `transformation_string`: a string as it is, a map as its transformation text.
pub(crate) fn transformation_string(client: &Client, v: &Value, option: &str) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        Value::Map(m) => crate::transform::transformation_string(client, m),
        other => Err(Error::invalid_option(
            option,
            format!(
                "expected a transformation string or map, found {}",
                py_type(other)
            ),
        )),
    }
}

/// `build_single_eager`: a string as it is; a map as its transformation, with
/// `/format` when the map has a `format` that is not `None`.
pub(crate) fn build_single_eager(client: &Client, v: &Value, option: &str) -> Result<String> {
    let Value::Map(m) = v else {
        return transformation_string(client, v, option);
    };
    let t = crate::transform::transformation_string(client, m)?;
    if t.is_empty() {
        return Ok(t);
    }
    match m.get("format") {
        None | Some(Value::Null) => Ok(t),
        Some(Value::Str(f)) => Ok(format!("{t}/{f}")),
        Some(other) => Err(Error::invalid_option(
            "format",
            format!(
                "can only concatenate str (not \"{}\") to str",
                py_type(other)
            ),
        )),
    }
}

/// `build_eager`: `None` as it is, else the entries' transformations joined by `|`.
pub(crate) fn build_eager(client: &Client, v: &Value, option: &str) -> Result<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    let parts = build_array(v)
        .iter()
        .map(|e| build_single_eager(client, e, option))
        .collect::<Result<Vec<_>>>()?;
    Ok(Value::Str(parts.join("|")))
}

/// `only(source, *keys)`: the keys of `source` that are present.
pub(crate) fn only(source: &Map, keys: &[&str]) -> Map {
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = source.get(k) {
            out.insert(*k, v.clone());
        }
    }
    out
}

/// `normalize_params`: `None` and `""` dropped, booleans as `"true"`/`"false"` (the
/// provisioning calls send this in their JSON bodies too).
pub(crate) fn normalize(params: Map) -> Map {
    crate::upload::drop_empty(params, ("true", "false"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn python_json_escapes_like_python() {
        assert_eq!(
            python_json(&v(r#"["a\"b\\c\n\u0001", "\u007f", "😀"]"#), true, false),
            r#"["a\"b\\c\n\u0001","\u007f","\ud83d\ude00"]"#
        );
        assert_eq!(python_json(&Value::Float(1e16), true, false), "1e+16");
        assert_eq!(python_json(&Value::Float(f64::NAN), true, false), "NaN");
    }

    #[test]
    fn list_encoders() {
        assert_eq!(
            encode_double_array(&v("[[1, 2], [3, 4.5]]")).as_str(),
            Some("1,2|3,4.5")
        );
        assert_eq!(encode_double_array(&v("[1, 2]")).as_str(), Some("1,2"));
        assert_eq!(encode_double_array(&v(r#""1,2""#)).as_str(), Some("1,2"));
        assert_eq!(
            encode_list(&v(r#"["a", "b"]"#), "x").unwrap().as_str(),
            Some("a,b")
        );
        let e = encode_list(&v(r#"["a", 1]"#), "ids").unwrap_err();
        assert_eq!(e.option(), Some("ids"));
        assert_eq!(
            build_list_of_dicts(&v(r#"["{\"a\": 1}", {"b": 2}]"#), "ac").unwrap(),
            vec![v(r#"{"a": 1}"#), v(r#"{"b": 2}"#)]
        );
        assert!(build_list_of_dicts(&v(r#"["x"]"#), "ac").is_err());
        assert!(build_list_of_dicts(&v("[1]"), "ac").is_err());
    }

    #[test]
    fn eager_like_pycloudinary() {
        let c = Client::new(crate::Config::new());
        assert_eq!(
            build_eager(&c, &v(r#"[{"width": 10, "format": "png"}, "c_fill"]"#), "t")
                .unwrap()
                .as_str(),
            Some("w_10/png|c_fill")
        );
        assert_eq!(build_eager(&c, &Value::Null, "t").unwrap(), Value::Null);
        assert!(build_single_eager(&c, &v(r#"{"width": 1, "format": 3}"#), "t").is_err());
        assert_eq!(
            normalize(
                v(r#"{"a": null, "b": "", "c": true, "d": 0, "e": false}"#)
                    .as_map()
                    .unwrap()
                    .clone()
            ),
            v(r#"{"c": "true", "d": 0, "e": "false"}"#)
                .as_map()
                .unwrap()
                .clone()
        );
    }
}
