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
    let sorted = SortedAttributes::of(attrs, profile)?;
    let mut out = String::with_capacity(sorted.len_hint());
    sorted.write(&mut out);
    Ok(out)
}

/// One attribute to render: a bare key (`value` is `None`) or `key="value"`.
struct Attribute<'a> {
    key: &'a str,
    value: Option<Cow<'a, str>>,
}

/// The attributes of a tag in rendering order: sorted by their rendered text, compared
/// byte by byte without rendering them (a few bytes of the key usually decide).
struct SortedAttributes<'a> {
    items: Vec<Attribute<'a>>,
    escape: bool,
}

impl<'a> SortedAttributes<'a> {
    fn of(attrs: &'a Map, profile: Profile) -> Result<Self> {
        let mut items = Vec::with_capacity(attrs.len());
        for (key, value) in attrs.iter() {
            let value = match value {
                Value::Null => {
                    if profile == Profile::Python {
                        return Err(unrenderable(key, "None"));
                    }
                    continue;
                }
                Value::Str(s) if s.is_empty() => {
                    if profile == Profile::Python {
                        return Err(unrenderable(key, "an empty string"));
                    }
                    continue;
                }
                Value::Bool(true) => None,
                Value::Str(s) => Some(Cow::Borrowed(s.as_str())),
                other => Some(other.py_str()),
            };
            items.push(Attribute { key, value });
        }
        let escape = profile == Profile::Default;
        items.sort_unstable_by(|a, b| rendered(a, escape).cmp(rendered(b, escape)));
        Ok(SortedAttributes { items, escape })
    }

    /// About the rendered length (exact unless values need escaping).
    fn len_hint(&self) -> usize {
        self.items
            .iter()
            .map(|a| a.key.len() + 1 + a.value.as_ref().map_or(0, |v| v.len() + 3))
            .sum()
    }

    fn write(&self, out: &mut String) {
        for (i, a) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(a.key);
            if let Some(value) = &a.value {
                out.push_str("=\"");
                if self.escape {
                    push_escaped(out, value);
                } else {
                    out.push_str(value);
                }
                out.push('"');
            }
        }
    }
}

/// The bytes an attribute renders to, produced lazily for comparisons.
fn rendered<'b>(a: &'b Attribute<'_>, escape: bool) -> impl Iterator<Item = u8> + 'b {
    let value = a.value.as_deref().into_iter().flat_map(move |v| {
        let body = v.as_bytes().iter().flat_map(move |b| -> &[u8] {
            match entity(*b) {
                Some(e) if escape => e.as_bytes(),
                _ => std::slice::from_ref(b),
            }
        });
        b"=\"".iter().chain(body).chain(b"\"".iter())
    });
    a.key.bytes().chain(value.copied())
}

fn unrenderable(key: &str, what: &str) -> Error {
    Error::invalid_option(
        key,
        format!("the attribute value is {what}, which the SDK cannot render (TypeError)"),
    )
}

/// Escapes text for a double-quoted HTML attribute value: `&` `<` `>` `"` `'`.
///
/// ```
/// assert_eq!(cldkit::html::escape_attribute("a&b<'\">"), "a&amp;b&lt;&#x27;&quot;&gt;");
/// assert_eq!(cldkit::html::escape_attribute("plain"), "plain");
/// ```
pub fn escape_attribute(value: &str) -> Cow<'_, str> {
    if next_special(value.as_bytes()).is_none() {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    push_escaped(&mut out, value);
    Cow::Owned(out)
}

/// The position of the next byte [`escape_attribute`] replaces (SIMD searches: URLs,
/// the longest attribute values, rarely hold one).
fn next_special(bytes: &[u8]) -> Option<usize> {
    let a = memchr::memchr3(b'&', b'<', b'>', bytes);
    let limit = a.unwrap_or(bytes.len());
    let b = memchr::memchr2(b'"', b'\'', &bytes[..limit]);
    b.or(a)
}

/// Appends `value` escaped for a double-quoted attribute.
fn push_escaped(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(offset) = next_special(&bytes[start..]) {
        let at = start + offset;
        out.push_str(&value[start..at]);
        out.push_str(entity(bytes[at]).unwrap_or_default());
        start = at + 1;
    }
    out.push_str(&value[start..]);
}

/// The entity a byte is escaped as in an attribute value, if it is escaped.
fn entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        _ => None,
    }
}

/// Renders `<tag attrs…>` with the given ending (`"/>"` or `">"`), keeping pycloudinary's
/// spacing (`<img />` when there are no attributes).
pub(crate) fn open_tag(tag: &str, attrs: &Map, end: &str, profile: Profile) -> Result<String> {
    let sorted = SortedAttributes::of(attrs, profile)?;
    let mut s = String::with_capacity(tag.len() + end.len() + 2 + sorted.len_hint());
    s.push('<');
    s.push_str(tag);
    s.push(' ');
    sorted.write(&mut s);
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
    fn escaping_matches_a_char_by_char_reference() {
        fn reference(v: &str) -> String {
            v.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#x27;".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        }
        for v in [
            "",
            "plain",
            "&",
            "a'b\"c",
            "é<ü>ß&'\"",
            "x&&y''z",
            "'lead",
            "trail>",
        ] {
            assert_eq!(escape_attribute(v), reference(v), "{v}");
        }
    }

    /// Renders every pair as text, sorts the texts: the definition the lazy comparison
    /// must agree with.
    fn reference_render(attrs: &Map, escape: bool) -> String {
        let mut pairs: Vec<String> = attrs
            .iter()
            .filter_map(|(k, v)| match v {
                Value::Null => None,
                Value::Str(s) if s.is_empty() => None,
                Value::Bool(true) => Some(k.clone()),
                other => {
                    let text = other.py_str();
                    let text = if escape {
                        escape_attribute(&text).into_owned()
                    } else {
                        text.into_owned()
                    };
                    Some(format!("{k}=\"{text}\""))
                }
            })
            .collect();
        pairs.sort();
        pairs.join(" ")
    }

    #[test]
    fn sorting_agrees_with_sorting_the_rendered_pairs() {
        // Keys that are prefixes of each other and hold `=`, `"`, `&`, `'`: the cases
        // where the comparison reaches past the key into the rendered value.
        let alphabet = ["a", "=", "\"", "&", "'", "<", "b"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let mut attrs = Map::new();
            for _ in 0..next(5) + 1 {
                let key: String = (0..next(3) + 1)
                    .map(|_| alphabet[next(alphabet.len())])
                    .collect();
                let value = match next(4) {
                    0 => Value::Bool(true),
                    1 => Value::Int(next(100) as i64),
                    _ => Value::Str(
                        (0..next(4))
                            .map(|_| alphabet[next(alphabet.len())])
                            .collect(),
                    ),
                };
                attrs.insert(key, value);
            }
            let default = render_attributes(&attrs, Profile::Default).unwrap();
            assert_eq!(default, reference_render(&attrs, true), "{attrs:?}");
            if let Ok(python) = render_attributes(&attrs, Profile::Python) {
                assert_eq!(python, reference_render(&attrs, false), "{attrs:?}");
            }
        }
    }

    #[test]
    fn empty_tag_spacing() {
        assert_eq!(
            open_tag("img", &Map::new(), "/>", Profile::Python).unwrap(),
            "<img />"
        );
    }
}
