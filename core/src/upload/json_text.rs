//! JSON text exactly as Python's `json.dumps` writes it (ASCII-only output, `repr` of
//! floats), in its compact (`,`/`:`) and default (`, `/`: `) spacing.

use std::fmt::Write as _;

use crate::value::push_py_float;
use crate::{Error, Result, Value};

/// Separator style of `json.dumps`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spacing {
    /// `separators=(',', ':')`.
    Compact,
    /// The default `(', ', ': ')`.
    Spaced,
}

/// `json.dumps(value)` with the given spacing.
pub(crate) fn dumps(value: &Value, spacing: Spacing) -> Result<String> {
    Ok(dumps_with(value, spacing, false))
}

/// `json.dumps(value, sort_keys=sort_keys)` with the given spacing.
pub(crate) fn dumps_with(value: &Value, spacing: Spacing, sort_keys: bool) -> String {
    let mut out = String::new();
    write_value(&mut out, value, spacing, sort_keys);
    out
}

fn write_value(out: &mut String, value: &Value, spacing: Spacing, sort_keys: bool) {
    let (item_sep, key_sep) = match spacing {
        Spacing::Compact => (",", ":"),
        Spacing::Spaced => (", ", ": "),
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            if f.is_nan() {
                out.push_str("NaN");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" });
            } else {
                push_py_float(out, *f);
            }
        }
        Value::Str(s) => write_str(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_value(out, item, spacing, sort_keys);
            }
            out.push(']');
        }
        Value::Map(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            if sort_keys {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                write_str(out, k);
                out.push_str(key_sep);
                write_value(out, v, spacing, sort_keys);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal with every non-ASCII character as `\uXXXX`.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04x}", u);
                }
            }
        }
    }
    out.push('"');
}

/// `json.loads(text)` into an order-preserving [`Value`].
pub(crate) fn loads(text: &str, option: &str) -> Result<Value> {
    serde_json::from_str::<Value>(text)
        .map_err(|e| Error::invalid_option(option, format!("invalid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_json_dumps() {
        let v: Value =
            serde_json::from_str(r#"{"a": [1, 2.0, "ünï", null, true], "b\"": {"c": 1e20}}"#)
                .unwrap();
        assert_eq!(
            dumps(&v, Spacing::Spaced).unwrap(),
            r#"{"a": [1, 2.0, "\u00fcn\u00ef", null, true], "b\"": {"c": 1e+20}}"#
        );
        assert_eq!(
            dumps(&v, Spacing::Compact).unwrap(),
            r#"{"a":[1,2.0,"\u00fcn\u00ef",null,true],"b\"":{"c":1e+20}}"#
        );
    }
}
