//! The `php` profile's HTML tags: cloudinary_php 3.1.2's `ImageTag` serialization.
//!
//! Done so far: the attributes are pycloudinary's, with the PHP SDK's differences
//! applied where known (a `class` option replaces the `cld-responsive`/`cld-hidpi`
//! class instead of joining it; `responsive_placeholder` stays as an attribute beside
//! the placeholder `src`, a PHP SDK quirk kept), serialized as `BaseTag` does:
//! keys in PHP `ksort` order with `src` moved first, values single-quoted through
//! `htmlspecialchars(ENT_QUOTES)`, a PHP-empty value (`""`, `"0"`, `0`) and `true` as
//! the bare name, `false` left out.

use crate::{Client, Map, Result, Value};

/// `htmlspecialchars($value, ENT_QUOTES)`.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// `BaseTag::serializeAttributes`.
fn serialize_attributes(attrs: &Map) -> String {
    let mut pairs: Vec<(&String, &Value)> = attrs.iter().collect();
    pairs.sort_by(|a, b| crate::php::key_cmp(a.0, b.0));
    if let Some(i) = pairs.iter().position(|(k, _)| k.as_str() == "src") {
        let src = pairs.remove(i);
        pairs.insert(0, src);
    }
    let mut out = String::with_capacity(pairs.len() * 40);
    for (name, value) in pairs {
        let text = match value {
            Value::Bool(false) => continue,
            Value::Bool(true) => None,
            v if crate::php::is_empty(v) => None,
            v => Some(crate::php::string(v).unwrap_or_else(|| "Array".to_owned())),
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(name);
        if let Some(text) = text {
            out.push_str("='");
            push_escaped(&mut out, &text);
            out.push('\'');
        }
    }
    out
}

/// `<img .../>` in the `php` profile.
pub(crate) fn image(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    let mut attrs = client.image_attributes(public_id, options)?;
    if let Some(user_class) = options.get("class").filter(|c| c.truthy()) {
        if attrs.contains_key("data-src") {
            attrs.insert("class", user_class.clone());
        }
    }
    if let Some(ph) = options.get("responsive_placeholder").filter(|p| p.truthy()) {
        if attrs.contains_key("data-src") {
            attrs.insert("responsive_placeholder", ph.clone());
        }
    }
    let body = serialize_attributes(&attrs);
    Ok(if body.is_empty() {
        "<img/>".to_owned()
    } else {
        format!("<img {body}/>")
    })
}
