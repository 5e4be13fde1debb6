//! What a setting looks like when it is printed: the one place that decides it.
//!
//! Every printing path of a configuration goes through [`printable`] (or
//! [`printable_map`]): `Debug` of [`Config`](crate::Config) and
//! [`Client`](crate::Client), the Python binding's `repr` and `settings()`, the Node
//! binding's `settings()` and `util.inspect`, and the C/PHP bindings' dumps. Secrets are
//! recognised by rule, not by a list of names, so a setting added later (or an unknown
//! one a user passes) is covered too:
//!
//! * a setting (or a key of a nested map) whose name contains `secret`, `token`,
//!   `password`, `passwd` or `credential`, or ends with `key` — except `api_key` and
//!   `provisioning_api_key`, which are public identifiers — prints as `"***"`
//!   (an unset `None` stays `None`); case, `_` and `-` do not matter;
//! * a URL-valued string (`scheme://…`, or any string under a name ending in `url`/`uri`
//!   or containing `proxy`) prints with its userinfo (`user:password@`) replaced by
//!   `***@` and the values of query parameters with secret names by `***`;
//! * maps and lists are walked, so `auth_token` (a map) and `foo[api_secret]` from a
//!   `CLOUDINARY_URL` query are covered at any depth.
//!
//! ```
//! use cldkit::redact::{is_secret_name, printable};
//! use cldkit::Value;
//! assert!(is_secret_name("api_secret") && is_secret_name("oauth_token"));
//! assert!(!is_secret_name("api_key") && !is_secret_name("cloud_name"));
//! let proxy = Value::from("http://user:pa55@proxy.local:3128");
//! assert_eq!(printable("api_proxy", &proxy).as_str(), Some("http://***@proxy.local:3128"));
//! ```

use std::borrow::Cow;

use crate::value::{Map, Value};

/// The text that stands for a hidden value.
pub const REDACTED: &str = "***";

/// Nesting deeper than this is not walked: the whole value prints as [`REDACTED`].
const MAX_DEPTH: usize = 64;

/// Parts of a name that mark its value as secret.
const SECRET_PARTS: &[&str] = &["secret", "token", "password", "passwd", "credential"];

/// Names ending in `key` that are public identifiers (after normalisation).
const PUBLIC_KEYS: &[&str] = &["apikey"];

/// Whether a setting (or a key of a nested map) named `name` holds a secret.
///
/// The rule: lowercased, with `_` and `-` removed, the name contains `secret`,
/// `token`, `password`, `passwd` or `credential`, or ends with `key` without ending
/// with `apikey` (`api_key` and `provisioning_api_key` are public).
pub fn is_secret_name(name: &str) -> bool {
    let norm: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_PARTS.iter().any(|p| norm.contains(p))
        || (norm.ends_with("key") && !PUBLIC_KEYS.iter().any(|p| norm.ends_with(p)))
}

/// Whether a string under `name` is read as a URL even without a `scheme://`.
fn is_url_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with("url") || n.ends_with("uri") || n.contains("proxy")
}

/// The value of setting `name` as it may be printed: secrets replaced by `"***"`,
/// credentials cut out of URLs, nested maps and lists walked. Borrowed when nothing
/// had to change.
pub fn printable<'a>(name: &str, value: &'a Value) -> Cow<'a, Value> {
    printable_at(name, value, 0)
}

fn printable_at<'a>(name: &str, value: &'a Value, depth: usize) -> Cow<'a, Value> {
    if matches!(value, Value::Null) {
        return Cow::Borrowed(value);
    }
    if depth > MAX_DEPTH || is_secret_name(name) {
        return Cow::Owned(Value::from(REDACTED));
    }
    match value {
        Value::Str(s) => match redact_url_in(name, s) {
            Cow::Borrowed(_) => Cow::Borrowed(value),
            Cow::Owned(t) => Cow::Owned(Value::Str(t)),
        },
        Value::Map(m) => match printable_map_at(m, depth + 1) {
            Some(out) => Cow::Owned(Value::Map(out)),
            None => Cow::Borrowed(value),
        },
        Value::List(items) => {
            let shown: Vec<Cow<'_, Value>> = items
                .iter()
                .map(|v| printable_at(name, v, depth + 1))
                .collect();
            if shown.iter().all(|v| matches!(v, Cow::Borrowed(_))) {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(Value::List(
                    shown.into_iter().map(Cow::into_owned).collect(),
                ))
            }
        }
        _ => Cow::Borrowed(value),
    }
}

/// [`printable`] for a text setting: the text of setting `name` as it may be printed
/// (for settings held outside a [`Config`](crate::Config), such as a proxy URL).
///
/// ```
/// use cldkit::redact::printable_str;
/// assert_eq!(printable_str("api_proxy", "u:pw@proxy:3128"), "***@proxy:3128");
/// assert_eq!(printable_str("api_secret", "abcd"), "***");
/// ```
pub fn printable_str<'a>(name: &str, text: &'a str) -> Cow<'a, str> {
    if is_secret_name(name) {
        Cow::Borrowed(REDACTED)
    } else {
        redact_url_in(name, text)
    }
}

/// A map of settings as it may be printed (see [`printable`]).
pub fn printable_map(map: &Map) -> Map {
    printable_map_at(map, 0).unwrap_or_else(|| map.clone())
}

/// `None` when nothing had to change.
fn printable_map_at(map: &Map, depth: usize) -> Option<Map> {
    let shown: Vec<(&String, Cow<'_, Value>)> = map
        .iter()
        .map(|(k, v)| (k, printable_at(k, v, depth)))
        .collect();
    if shown.iter().all(|(_, v)| matches!(v, Cow::Borrowed(_))) {
        return None;
    }
    Some(
        shown
            .into_iter()
            .map(|(k, v)| (k.clone(), v.into_owned()))
            .collect(),
    )
}

/// A URL with its credentials replaced: the userinfo (`user:password@`) becomes
/// `***@` and the values of query parameters with secret names (see
/// [`is_secret_name`]) become `***`. Text without `scheme://` is returned unchanged.
///
/// ```
/// use cldkit::redact::redact_url;
/// assert_eq!(redact_url("account://key:s3cr3t@acct?x=1"), "account://***@acct?x=1");
/// assert_eq!(redact_url("https://h/p?api_secret=s3cr3t&a=b"), "https://h/p?api_secret=***&a=b");
/// assert_eq!(redact_url("https://h/p@q"), "https://h/p@q");
/// ```
pub fn redact_url(text: &str) -> Cow<'_, str> {
    redact_url_in("", text)
}

/// [`redact_url`] for the value of setting `name`: under a URL-ish name (ending in
/// `url`/`uri`, or containing `proxy`), text without a scheme (`user:pw@host:3128`)
/// is read as an authority too.
fn redact_url_in<'a>(name: &str, text: &'a str) -> Cow<'a, str> {
    let authority_start = match scheme_end(text) {
        Some(i) => Some(i + 3),
        None if is_url_name(name) => Some(0),
        None => None,
    };
    let Some(start) = authority_start else {
        return Cow::Borrowed(text);
    };
    let rest = &text[start..];
    let end = start + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut out = String::new();
    let mut from = 0;
    if let Some(at) = text[start..end].rfind('@') {
        out.push_str(&text[..start]);
        out.push_str(REDACTED);
        from = start + at;
    }
    // Query parameters with secret names (up to a fragment).
    if let Some(q) = text[end..].find('?').map(|i| end + i + 1) {
        let q_end = text[q..].find('#').map_or(text.len(), |i| q + i);
        let mut pos = q;
        for pair in text[q..q_end].split(['&', ';']) {
            if let Some((k, v)) = pair.split_once('=') {
                let key = crate::config::percent_decode_lossy(&k.replace('+', " ")).into_owned();
                if !v.is_empty() && is_secret_name(&key) {
                    let value_start = pos + k.len() + 1;
                    out.push_str(&text[from..value_start]);
                    out.push_str(REDACTED);
                    from = value_start + v.len();
                }
            }
            pos += pair.len() + 1;
        }
    }
    if from == 0 && out.is_empty() {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// The index of `://` when `text` starts with `scheme://` (RFC 3986 scheme).
fn scheme_end(text: &str) -> Option<usize> {
    let i = text.find("://")?;
    let scheme = &text[..i];
    let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_by_rule() {
        let secret = [
            "api_secret",
            "API_SECRET",
            "provisioning_api_secret",
            "apiSecret",
            "client-secret",
            "oauth_token",
            "auth_token",
            "refresh_token",
            "token",
            "password",
            "proxy_password",
            "db_passwd",
            "credentials",
            "key",
            "private_key",
            "signing_key",
            "KEY",
        ];
        let public = [
            "api_key",
            "API_KEY",
            "apiKey",
            "provisioning_api_key",
            "cloud_name",
            "account_id",
            "secure",
            "secure_distribution",
            "private_cdn",
            "api_proxy",
            "account_url",
            "upload_prefix",
            "keyframe_interval",
            "signature_algorithm",
            "upload_preset",
            "",
        ];
        for n in secret {
            assert!(is_secret_name(n), "{n} should be secret");
        }
        for n in public {
            assert!(!is_secret_name(n), "{n} should be public");
        }
        for n in crate::config::SECRET_KEYS {
            assert!(is_secret_name(n), "SECRET_KEYS entry {n} escapes the rule");
        }
    }

    #[test]
    fn printable_table() {
        let s = |t: &str| Value::from(t);
        let map = |pairs: &[(&str, Value)]| {
            Value::Map(pairs.iter().map(|(k, v)| (*k, v.clone())).collect())
        };
        let cases: Vec<(&str, Value, Value)> = vec![
            ("api_secret", s("abcd"), s(REDACTED)),
            ("api_secret", Value::Null, Value::Null),
            ("api_secret", Value::Int(5), s(REDACTED)),
            ("oauth_token", s("tok"), s(REDACTED)),
            ("api_key", s("1234"), s("1234")),
            ("cloud_name", s("demo"), s("demo")),
            ("secure", Value::Bool(true), Value::Bool(true)),
            (
                "api_proxy",
                s("http://user:pw@proxy.local:3128"),
                s("http://***@proxy.local:3128"),
            ),
            (
                "api_proxy",
                s("user:pw@proxy.local:3128"),
                s("***@proxy.local:3128"),
            ),
            (
                "api_proxy",
                s("http://proxy.local:3128"),
                s("http://proxy.local:3128"),
            ),
            (
                "account_url",
                s("account://pkey:psecret@acct-id"),
                s("account://***@acct-id"),
            ),
            (
                "notification_url",
                s("https://hooks.example/p?token=abc&x=1#f"),
                s("https://hooks.example/p?token=***&x=1#f"),
            ),
            (
                "anything",
                s("ftp://u:p@h/a@b?c=d"),
                s("ftp://***@h/a@b?c=d"),
            ),
            // Not a URL and not a URL-ish name: kept (an e-mail address, say).
            ("contact", s("me@example.com"), s("me@example.com")),
            (
                "upload_prefix",
                s("https://api.example"),
                s("https://api.example"),
            ),
            (
                "auth_token",
                map(&[("key", s("00ff")), ("duration", Value::Int(300))]),
                s(REDACTED),
            ),
            (
                "foo",
                map(&[("api_secret", s("x")), ("bar", s("y"))]),
                map(&[("api_secret", s(REDACTED)), ("bar", s("y"))]),
            ),
            (
                "nested",
                map(&[(
                    "inner",
                    map(&[("key", s("x")), ("url", s("https://a:b@h"))]),
                )]),
                map(&[(
                    "inner",
                    map(&[("key", s(REDACTED)), ("url", s("https://***@h"))]),
                )]),
            ),
            (
                "urls",
                Value::List(vec![s("https://a:b@h/x"), s("plain")]),
                Value::List(vec![s("https://***@h/x"), s("plain")]),
            ),
        ];
        for (name, value, want) in cases {
            assert_eq!(
                printable(name, &value).into_owned(),
                want,
                "{name}: {value:?}"
            );
        }
    }

    #[test]
    fn unchanged_values_are_borrowed() {
        let v = Value::from("https://res.cloudinary.com/demo");
        assert!(matches!(printable("url", &v), Cow::Borrowed(_)));
        let m: Map = [("a", Value::from(1)), ("b", Value::from("x"))]
            .into_iter()
            .collect();
        assert!(printable_map_at(&m, 0).is_none());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut v = Value::from("x");
        for _ in 0..(MAX_DEPTH + 10) {
            v = Value::List(vec![v]);
        }
        // Walks at most MAX_DEPTH levels and hides what lies below.
        let shown = printable("deep", &v).into_owned();
        let mut cur = &shown;
        let mut levels = 0;
        while let Value::List(items) = cur {
            cur = &items[0];
            levels += 1;
        }
        assert_eq!(cur, &Value::from(REDACTED));
        assert!(levels <= MAX_DEPTH + 1);
    }

    #[test]
    fn query_values_with_secret_names() {
        assert_eq!(
            redact_url("cloudinary://k:s@c?oauth_token=t&api%5Fsecret=u&x=&key=v"),
            "cloudinary://***@c?oauth_token=***&api%5Fsecret=***&x=&key=***"
        );
        assert_eq!(redact_url("not a url user:pw@h"), "not a url user:pw@h");
    }
}
