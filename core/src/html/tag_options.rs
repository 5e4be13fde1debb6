//! Operations on the tag helpers' option maps: the handful of Python data-model
//! operations they depend on, and the URL keys an option map keeps.
//!
//! pycloudinary's tag code leans on `in`, `dict.update`, `dict.get` and keyword-argument
//! passing; the exact outcome (including the cases where Python raises) follows from
//! the types of the values involved. These helpers reproduce those outcomes on
//! [`Value`]s, so the tag modules read like the rules they implement.

use crate::url::UrlOutput;
use crate::{Client, Error, Map, Result, Value};

/// Declares [`URL_KEYS`] and [`is_url_key`] from one list.
macro_rules! url_keys {
    ($($key:literal),* $(,)?) => {
        /// The options `cloudinary_url` reads itself (pycloudinary's URL key list, in its
        /// order): what survives when a transformation is replaced or chained.
        pub(crate) const URL_KEYS: &[&str] = &[$($key),*];

        /// Whether `key` is one of [`URL_KEYS`] (a `match`: no scan of the list).
        pub(crate) fn is_url_key(key: &str) -> bool {
            matches!(key, $($key)|*)
        }
    };
}

url_keys![
    "api_secret",
    "auth_token",
    "cdn_subdomain",
    "cloud_name",
    "cname",
    "format",
    "private_cdn",
    "resource_type",
    "secure",
    "secure_cdn_subdomain",
    "secure_distribution",
    "shorten",
    "sign_url",
    "ssl_detected",
    "type",
    "url_suffix",
    "use_root_path",
    "version",
    "long_url_signature",
    "signature_algorithm",
];

/// A setting from the client's configuration, `Null` when unset (Python's config
/// object answers `None` for unknown attributes).
pub(crate) fn setting(client: &Client, key: &str) -> Value {
    client.config().get(key).cloned().unwrap_or(Value::Null)
}

/// Python's `key in container` for a string key.
pub(crate) fn contains(container: &Value, key: &str, what: &str) -> Result<bool> {
    match container {
        Value::Map(m) => Ok(m.contains_key(key)),
        Value::Str(s) => Ok(s.contains(key)),
        Value::List(items) => Ok(items.iter().any(|v| v.as_str() == Some(key))),
        other => Err(Error::invalid_option(
            what,
            format!("argument of type '{}' is not iterable", other.type_name()),
        )),
    }
}

/// Python's `container[key]` for a string key on a mapping.
pub(crate) fn get_item(container: &Value, key: &str, what: &str) -> Result<Value> {
    match container {
        Value::Map(m) => m
            .get(key)
            .cloned()
            .ok_or_else(|| Error::invalid_option(what, format!("missing key {key:?}"))),
        other => Err(Error::invalid_option(
            what,
            format!("{} indices must be integers", other.type_name()),
        )),
    }
}

/// Python's `container[key] = value` where `container` must be a dict.
pub(crate) fn set_item(container: &mut Value, key: &str, value: Value, what: &str) -> Result<()> {
    match container {
        Value::Map(m) => {
            m.insert(key, value);
            Ok(())
        }
        other => Err(Error::invalid_option(
            what,
            format!(
                "'{}' object does not support item assignment",
                other.type_name()
            ),
        )),
    }
}

/// Python's `target.update(other)`: a mapping, an empty sequence, or a sequence of
/// `[key, value]` pairs; anything else raises.
pub(crate) fn update(target: &mut Map, other: &Value, what: &str) -> Result<()> {
    match other {
        Value::Map(m) => {
            for (k, v) in m.iter() {
                target.insert(k.as_str(), v.clone());
            }
            Ok(())
        }
        Value::Str(s) if s.is_empty() => Ok(()),
        Value::List(items) => {
            for item in items {
                match item.as_list() {
                    Some([Value::Str(k), v]) => {
                        target.insert(k.as_str(), v.clone());
                    }
                    _ => {
                        return Err(Error::invalid_option(
                            what,
                            "dictionary update sequence element is not a key/value pair",
                        ))
                    }
                }
            }
            Ok(())
        }
        other => Err(Error::invalid_option(
            what,
            format!("'{}' object is not a mapping", other.type_name()),
        )),
    }
}

/// A dict copy of `value` as Python's `value or {}` followed by `.copy()` sees it:
/// falsy values give an empty map, a mapping is copied, anything else raises.
pub(crate) fn dict_or_empty(value: &Value, what: &str) -> Result<Map> {
    if !value.truthy() {
        return Ok(Map::new());
    }
    match value {
        Value::Map(m) => Ok(m.clone()),
        other => Err(Error::invalid_option(
            what,
            format!("expected a mapping, found {}", other.type_name()),
        )),
    }
}

/// Rejects options that would clash with a named parameter when Python passes them as
/// `**options` (`f() got multiple values for argument ...`).
pub(crate) fn reject_keywords(options: &Map, names: &[&str], func: &str) -> Result<()> {
    for name in names {
        if options.contains_key(name) {
            return Err(Error::invalid_option(
                *name,
                format!("{func}() got multiple values for argument '{name}'"),
            ));
        }
    }
    Ok(())
}

/// Python's `build_array`: a list as is, `None` as `[]`, anything else wrapped.
pub(crate) fn build_array(value: Value) -> Vec<Value> {
    match value {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// The items Python's `for x in value` visits: list items, string characters, map keys.
pub(crate) fn iterate(value: &Value, what: &str) -> Result<Vec<Value>> {
    match value {
        Value::List(items) => Ok(items.clone()),
        Value::Str(s) => Ok(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        Value::Map(m) => Ok(m.keys().map(|k| Value::Str(k.to_owned())).collect()),
        other => Err(Error::invalid_option(
            what,
            format!("'{}' object is not iterable", other.type_name()),
        )),
    }
}

/// The URL-level options of `options`, in [`URL_KEYS`] order.
pub(crate) fn url_options_of(options: &Map) -> Map {
    // Most option sets hold none: one pass over the options says so.
    if !options.keys().any(is_url_key) {
        return Map::new();
    }
    let mut out = Map::with_capacity(4);
    for key in URL_KEYS {
        if let Some(v) = options.get(key) {
            out.insert(*key, v.clone());
        }
    }
    out
}

/// pycloudinary's `chain_transformations`: the URL-level options of `options`, with a
/// `transformation` list made of all of `options` followed by `transformations`.
pub(crate) fn chain_transformations(options: Map, transformations: Value) -> Map {
    let mut out = url_options_of(&options);
    let mut chain = Vec::with_capacity(3);
    chain.push(Value::Map(options));
    chain.extend(build_array(transformations));
    out.insert("transformation", Value::List(chain));
    out
}

/// pycloudinary's `patch_fetch_format`: for fetch URLs (or with `use_fetch_format`) the
/// `format` option moves to `fetch_format`.
pub(crate) fn patch_fetch_format(client: &Client, options: &mut Map) {
    let use_fetch_format = options
        .remove("use_fetch_format")
        .unwrap_or_else(|| setting(client, "use_fetch_format"));
    let is_fetch = match options.get("type") {
        Some(v) => v.as_str() == Some("fetch"),
        None => false,
    };
    if !is_fetch && !use_fetch_format.truthy() {
        return;
    }
    let format = options.remove("format").unwrap_or(Value::Null);
    if !options.contains_key("fetch_format") {
        options.insert("fetch_format", format);
    }
}

/// `cloudinary_url(source, **options)`, with Python's clash on a `source` option.
pub(crate) fn cloudinary_url(client: &Client, source: &Value, options: &Map) -> Result<UrlOutput> {
    reject_keywords(options, &["source"], "cloudinary_url")?;
    client.url_with_leftovers(source, options)
}

/// The public id a resource object builds its URL from: a truthy `public_id` option,
/// else the resource's own id (`None` when that is falsy).
pub(crate) fn resource_source<'a>(options: &'a Map, own: &'a Value) -> &'a Value {
    match options.get("public_id") {
        Some(v) if v.truthy() => v,
        _ => own,
    }
}

/// Python's `a + b` on two strings (anything else raises).
pub(crate) fn concat(a: &Value, b: &str, c: &Value, what: &str) -> Result<Value> {
    match (a, c) {
        (Value::Str(a), Value::Str(c)) => {
            let mut s = String::with_capacity(a.len() + b.len() + c.len());
            s.push_str(a);
            s.push_str(b);
            s.push_str(c);
            Ok(Value::Str(s))
        }
        _ => Err(Error::invalid_option(
            what,
            format!(
                "can only concatenate str (not \"{}\") to str",
                if a.as_str().is_none() {
                    a.type_name()
                } else {
                    c.type_name()
                }
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_follows_python() {
        assert!(contains(&Value::Str("my srcset".into()), "srcset", "a").unwrap());
        assert!(!contains(&Value::List(vec![1.into()]), "srcset", "a").unwrap());
        assert!(contains(&Value::Null, "srcset", "a").is_err());
    }

    #[test]
    fn update_accepts_pairs_and_empty() {
        let mut m = Map::new();
        update(&mut m, &Value::Str(String::new()), "a").unwrap();
        update(
            &mut m,
            &Value::List(vec![Value::List(vec!["k".into(), 1.into()])]),
            "a",
        )
        .unwrap();
        assert_eq!(m.get("k"), Some(&Value::Int(1)));
        assert!(update(&mut m, &Value::Int(3), "a").is_err());
        assert!(update(&mut m, &Value::Null, "a").is_err());
    }

    #[test]
    fn chain_keeps_url_keys() {
        let opts: Map =
            serde_json::from_str(r#"{"width": 10, "type": "fetch", "format": "png"}"#).unwrap();
        let chained = chain_transformations(opts.clone(), Value::Map(Map::new()));
        assert_eq!(
            chained.keys().collect::<Vec<_>>(),
            ["format", "type", "transformation"]
        );
        let list = chained.get("transformation").unwrap().as_list().unwrap();
        assert_eq!(list[0], Value::Map(opts));
    }
}
