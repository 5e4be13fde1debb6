//! Rendering a map of HTML attributes.
//!
//! Each attribute becomes `key="value"` (or the bare `key` for `true`); the rendered
//! pairs are sorted by code point and joined with spaces, as pycloudinary does.
//!
//! Values are written with Python's `str()` (`False` renders `False`, `2.0` renders
//! `2.0`). The two profiles differ on purpose:
//! * [`Profile::Default`] HTML-escapes values (`&`, `<`, `>`, `"`, `'`) and leaves out
//!   attributes whose value is `null` or `""`;
//! * [`Profile::Python`] writes values raw, exactly as pycloudinary does, and fails on
//!   a `null` or `""` value, where pycloudinary raises a `TypeError`.
//!
//! ```
//! use cldkit::{html::render_attributes, Map, Profile};
//! let attrs: Map = serde_json::from_str(r#"{"width": 100, "alt": "A \"q\"", "hidden": true}"#).unwrap();
//! assert_eq!(render_attributes(&attrs, Profile::Default).unwrap(), r#"alt="A &quot;q&quot;" hidden width="100""#);
//! assert_eq!(render_attributes(&attrs, Profile::Python).unwrap(), r#"alt="A "q"" hidden width="100""#);
//! ```

use std::borrow::Cow;

use crate::{Error, Map, Profile, Result, Value};

/// Renders `attrs` as the inside of a tag (`a="1" b="2"`), sorted, for `profile`.
pub fn render_attributes(attrs: &Map, profile: Profile) -> Result<String> {
    let mut pairs: Vec<String> = Vec::with_capacity(attrs.len());
    for (key, value) in attrs.iter() {
        match value {
            Value::Null => {
                if profile == Profile::Python {
                    return Err(unrenderable(key, "None"));
                }
            }
            Value::Str(s) if s.is_empty() => {
                if profile == Profile::Python {
                    return Err(unrenderable(key, "an empty string"));
                }
            }
            Value::Bool(true) => pairs.push(key.clone()),
            Value::Str(s) => pairs.push(pair(key, s, profile)),
            other => pairs.push(pair(key, &other.py_str(), profile)),
        }
    }
    pairs.sort_unstable();
    Ok(pairs.join(" "))
}

fn unrenderable(key: &str, what: &str) -> Error {
    Error::invalid_option(
        key,
        format!("the attribute value is {what}, which the SDK cannot render (TypeError)"),
    )
}

fn pair(key: &str, value: &str, profile: Profile) -> String {
    let value = match profile {
        Profile::Python => Cow::Borrowed(value),
        Profile::Default => escape_attribute(value),
    };
    let mut s = String::with_capacity(key.len() + value.len() + 3);
    s.push_str(key);
    s.push_str("=\"");
    s.push_str(&value);
    s.push('"');
    s
}

/// Escapes text for a double-quoted HTML attribute value: `&` `<` `>` `"` `'`.
///
/// ```
/// assert_eq!(cldkit::html::escape_attribute("a&b<'\">"), "a&amp;b&lt;&#x27;&quot;&gt;");
/// assert_eq!(cldkit::html::escape_attribute("plain"), "plain");
/// ```
pub fn escape_attribute(value: &str) -> Cow<'_, str> {
    if !value.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Renders `<tag attrs…>` with the given ending (`"/>"` or `">"`), keeping pycloudinary's
/// spacing (`<img />` when there are no attributes).
pub(crate) fn open_tag(tag: &str, attrs: &Map, end: &str, profile: Profile) -> Result<String> {
    let inner = render_attributes(attrs, profile)?;
    let mut s = String::with_capacity(tag.len() + inner.len() + 4);
    s.push('<');
    s.push_str(tag);
    s.push(' ');
    s.push_str(&inner);
    s.push_str(end);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(json: &str) -> Map {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn python_values() {
        let a = m(r#"{"nope": false, "z": 0, "f": 2.0, "hidden": true}"#);
        assert_eq!(
            render_attributes(&a, Profile::Python).unwrap(),
            r#"f="2.0" hidden nope="False" z="0""#
        );
    }

    #[test]
    fn null_and_empty() {
        let a = m(r#"{"a": null, "b": "x"}"#);
        assert!(render_attributes(&a, Profile::Python).is_err());
        assert_eq!(render_attributes(&a, Profile::Default).unwrap(), r#"b="x""#);
        let a = m(r#"{"a": ""}"#);
        assert!(render_attributes(&a, Profile::Python).is_err());
        assert_eq!(render_attributes(&a, Profile::Default).unwrap(), "");
    }

    #[test]
    fn sorted_by_rendered_text() {
        // "data-src=…" sorts before "data=…" because '-' < '='.
        let a = m(r#"{"data": "1", "data-src": "2", "class": "c"}"#);
        assert_eq!(
            render_attributes(&a, Profile::Python).unwrap(),
            r#"class="c" data-src="2" data="1""#
        );
    }

    #[test]
    fn empty_tag_spacing() {
        assert_eq!(
            open_tag("img", &Map::new(), "/>", Profile::Python).unwrap(),
            "<img />"
        );
    }
}
