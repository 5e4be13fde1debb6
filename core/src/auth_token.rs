//! Token-based authentication: `__cld_token__=...` values for delivery URLs and cookies.
//!
//! A token carries an expiry (`exp`), optionally a start time (`st`), an IP and an ACL,
//! and an HMAC-SHA256 over them (and over the URL when no ACL is given) keyed with the
//! hex-decoded token key.
//!
//! ```
//! use cldkit::{Client, Map};
//! let client = Client::from_url("cloudinary://k:s@demo").unwrap();
//! let opts: Map = serde_json::from_str(
//!     r#"{"key": "00112233FF99", "start_time": 1111111111, "duration": 300, "acl": "/image/*"}"#,
//! ).unwrap();
//! assert_eq!(
//!     client.auth_token(&opts).unwrap(),
//!     "__cld_token__=st=1111111111~exp=1111111411~acl=%2fimage%2f*~\
//!      hmac=1751370bcc6cfe9e03f30dd1a9722ba0f2cdca283fa3e6df3342a00a7528cc51"
//! );
//! ```

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::value::{Map, Value};
use crate::Client;

/// The default token name.
pub const DEFAULT_TOKEN_NAME: &str = "__cld_token__";

impl Client {
    /// Generates a token from `options` merged over the configuration's `auth_token`
    /// (`generate_auth_token`). Options: `key` (hex), `start_time`, `duration`,
    /// `expiration`, `acl` (string or list), `url`, `ip`, `token_name`.
    ///
    /// Without a `key` this is an error in every profile; see
    /// [`Client::auth_token_opt`] for the `php` profile's `null`.
    pub fn auth_token(&self, options: &Map) -> Result<String> {
        self.auth_token_opt(options)?.ok_or_else(|| {
            Error::invalid_option("key", "an auth token needs a key (hex), none is configured")
        })
    }

    /// [`Client::auth_token`] as the SDKs' `generate_auth_token` returns it: in the
    /// `php` profile no token (`None`) when no `key` is set (PHP `empty()`), as
    /// cloudinary_php's `AuthToken::generate` returns `null`; in the other profiles
    /// always a token or an error.
    pub fn auth_token_opt(&self, options: &Map) -> Result<Option<String>> {
        if self.profile() == crate::Profile::Node {
            // `Object.assign({}, config().auth_token, options)`.
            let mut merged = match self.config().get("auth_token") {
                Some(Value::Map(m)) => m.clone(),
                _ => Map::new(),
            };
            merged.update(options);
            return generate_node(&merged, self.now()).map(Some);
        }
        let mut merged = match self.config().get("auth_token") {
            Some(Value::Map(m)) => m.clone(),
            _ => Map::new(),
        };
        merged.update(options);
        if self.profile() == crate::Profile::Php {
            if merged.get("key").map_or(true, crate::php::is_empty) {
                return Ok(None);
            }
            // cloudinary_php's AuthToken has no token name: always `__cld_token__`.
            merged.remove("token_name");
            php_adjust(&mut merged)?;
        }
        generate(&merged, self.now()).map(Some)
    }
}

/// cloudinary_php's `AuthToken::generate` where it differs: an empty (PHP `empty()`)
/// `url` and `acl` are an error, and the key is read by `pack('H*', $key)`, which
/// takes an illegal hex digit as 0 (with a warning) and pads an odd length with 0.
fn php_adjust(options: &mut Map) -> Result<()> {
    let empty = |k: &str| options.get(k).map_or(true, crate::php::is_empty);
    if empty("url") && empty("acl") {
        return Err(err(
            "UnexpectedValueException: AuthToken must contain either acl or url property",
        ));
    }
    if let Some(Value::Str(key)) = options.get("key") {
        if hex::decode(key).is_err() {
            let mut packed: String = key
                .chars()
                .map(|c| if c.is_ascii_hexdigit() { c } else { '0' })
                .collect();
            if packed.len() % 2 == 1 {
                packed.push('0');
            }
            options.insert("key", packed);
        }
    }
    Ok(())
}

fn err(message: impl Into<String>) -> Error {
    Error::invalid_option("auth_token", message)
}

/// A timestamp option as an integer: numbers are truncated, numeric strings parsed,
/// falsy values kept as "absent or unusable".
fn ensure_int(name: &str, v: Option<&Value>) -> Result<Option<Value>> {
    Ok(match v {
        None | Some(Value::Null) => None,
        Some(v @ (Value::Int(_) | Value::Bool(_))) => Some(v.clone()),
        Some(v) if !v.truthy() => Some(v.clone()),
        Some(Value::Float(f)) if f.is_finite() => Some(Value::Int(f.trunc() as i64)),
        Some(Value::Str(s)) => {
            let t = s.trim();
            let cleaned: String = t.chars().filter(|c| *c != '_').collect();
            let ok = !t.starts_with('_') && !t.ends_with('_') && !t.contains("__");
            match cleaned.parse::<i64>() {
                Ok(n) if ok => Some(Value::Int(n)),
                _ => return Err(err(format!("Value '{s}' must be an integer ({name})"))),
            }
        }
        Some(other) => {
            return Err(err(format!(
                "Value '{}' must be an integer ({name})",
                other.py_str()
            )))
        }
    })
}

fn as_int(name: &str, v: &Value) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Float(f) if f.is_finite() => Ok(f.trunc() as i64),
        other => Err(err(format!(
            "{name} must be a number, found {}",
            other.type_name()
        ))),
    }
}

/// Escapes an ACL or URL for a token: the unsafe characters percent-encoded with
/// lower-case hex.
pub fn escape_to_lower(s: &str) -> String {
    const UNSAFE: &[u8] = b" \"#%&'/:;<=>?@[\\]^`{|}~";
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c.is_ascii() && UNSAFE.contains(&(c as u8)) {
            let b = c as u8;
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push(c);
        }
    }
    out
}

/// Generates a token from the complete option set, `now` being the current Unix time
/// (used when `duration` is given without `start_time`).
pub fn generate(options: &Map, now: i64) -> Result<String> {
    let start_time = ensure_int("start_time", options.get("start_time"))?;
    let duration = ensure_int("duration", options.get("duration"))?;
    let mut expiration = ensure_int("expiration", options.get("expiration"))?;
    if expiration.is_none() {
        let Some(duration) = duration else {
            return Err(err("Must provide either expiration or duration"));
        };
        let start = match &start_time {
            Some(s) => as_int("start_time", s)?,
            None => now,
        };
        let total = start
            .checked_add(as_int("duration", &duration)?)
            .ok_or_else(|| err("expiration overflows"))?;
        expiration = Some(Value::Int(total));
    }
    let url = options.get("url").filter(|v| !v.is_null());
    let acl = options.get("acl").filter(|v| !v.is_null());
    if url.is_none() && acl.is_none() {
        return Err(err("Must provide either acl or url"));
    }
    let mut parts = String::new();
    if let Some(ip) = options.get("ip").filter(|v| !v.is_null()) {
        let ip = ip.as_str().ok_or_else(|| err("ip must be a string"))?;
        let _ = write!(parts, "ip={ip}~");
    }
    if let Some(st) = &start_time {
        let _ = write!(parts, "st={}~", as_int("start_time", st)?);
    }
    let exp = expiration
        .as_ref()
        .map_or(Ok(0), |e| as_int("expiration", e))?;
    let _ = write!(parts, "exp={exp}");
    if let Some(acl) = acl {
        let list: Vec<&Value> = match acl {
            Value::List(l) => l.iter().collect(),
            other => vec![other],
        };
        let mut escaped = Vec::with_capacity(list.len());
        for a in list {
            escaped
                .push(escape_to_lower(a.as_str().ok_or_else(|| {
                    err("acl must be a string or a list of strings")
                })?));
        }
        let _ = write!(parts, "~acl={}", escaped.join("!"));
    }
    let mut to_sign = parts.clone();
    if let (Some(url), None) = (url, acl) {
        let url = url.as_str().ok_or_else(|| err("url must be a string"))?;
        let _ = write!(to_sign, "~url={}", escape_to_lower(url));
    }
    let key = match options.get("key") {
        Some(Value::Str(k)) => k,
        _ => return Err(Error::signature("auth_token needs a hex `key`")),
    };
    let key =
        hex::decode(key).map_err(|_| Error::signature("auth_token `key` is not valid hex"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .map_err(|_| Error::signature("auth_token `key` is unusable"))?;
    mac.update(to_sign.as_bytes());
    let digest = hex::encode(mac.finalize().into_bytes());
    let name = options
        .get("token_name")
        .map_or_else(|| DEFAULT_TOKEN_NAME.into(), Value::py_str);
    Ok(format!("{name}={parts}~hmac={digest}"))
}

/// The npm SDK's token generator (the `node` profile), with its JavaScript rules:
/// `expiration` is `start_time + duration` with JavaScript's `+` (texts concatenate,
/// `"1111" + 300` is `"1111300"`), times print as they are (`st=1.5`), the key is
/// hex-decoded up to its first non-hex pair (no error), a backslash is not escaped,
/// and an `acl` or `url` that is not a text fails.
pub fn generate_node(options: &Map, now: i64) -> Result<String> {
    use crate::transform::js;
    let set = |name: &str| options.get(name).filter(|v| !v.is_null());
    let expiration = match set("expiration") {
        Some(e) => e.clone(),
        None => {
            let Some(duration) = set("duration") else {
                return Err(err("Must provide either expiration or duration"));
            };
            let start = set("start_time").cloned().unwrap_or(Value::Int(now));
            js_add(&start, duration)
        }
    };
    let mut parts: Vec<String> = Vec::with_capacity(5);
    if let Some(ip) = set("ip") {
        parts.push(format!("ip={}", js::string(ip)));
    }
    if let Some(st) = set("start_time") {
        parts.push(format!("st={}", js::string(st)));
    }
    parts.push(format!("exp={}", js::string(&expiration)));
    let text_of = |v: &Value, name: &str| -> Result<String> {
        match v {
            Value::Str(s) => Ok(s.clone()),
            other => Err(js::type_error(name, "replace is not a function", other)),
        }
    };
    let acl = set("acl");
    if let Some(acl) = acl {
        let text = match acl {
            Value::List(items) => js::join(items, "!"),
            other => text_of(other, "acl")?,
        };
        parts.push(format!("acl={}", escape_to_lower_node(&text)));
    }
    let mut to_sign = parts.clone();
    let url = set("url");
    if let (Some(url), None) = (url, acl) {
        to_sign.push(format!(
            "url={}",
            escape_to_lower_node(&text_of(url, "url")?)
        ));
    }
    let key = match options.get("key") {
        Some(Value::Str(k)) => js::hex_prefix_bytes(k),
        _ => return Err(Error::signature("auth_token needs a hex `key`")),
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .map_err(|_| Error::signature("auth_token `key` is unusable"))?;
    mac.update(to_sign.join("~").as_bytes());
    let digest = hex::encode(mac.finalize().into_bytes());
    if !js::truthy(options.get("url")) && !js::truthy(options.get("acl")) {
        return Err(err(
            "authToken must contain either an acl or a url property",
        ));
    }
    parts.push(format!("hmac={digest}"));
    let name = match options.get("token_name") {
        Some(v) if js::truthy(Some(v)) => js::string(v).into_owned(),
        _ => DEFAULT_TOKEN_NAME.to_owned(),
    };
    Ok(format!("{name}={}", parts.join("~")))
}

/// JavaScript's `a + b`: text when either side is a text (or a list or map), else
/// the sum of the numbers (`true` is 1).
fn js_add(a: &Value, b: &Value) -> Value {
    use crate::transform::js;
    let num = |v: &Value| -> Option<f64> {
        match v {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Null => Some(0.0),
            _ => None,
        }
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => {
            let sum = x + y;
            if sum.fract() == 0.0 && sum.abs() < 9.0e15 {
                Value::Int(sum as i64)
            } else {
                Value::Float(sum)
            }
        }
        _ => Value::Str(format!("{}{}", js::string(a), js::string(b))),
    }
}

/// The npm SDK's `escapeToLower`: `smart_escape` with its unsafe set (no backslash,
/// unlike pycloudinary's), hex digits in lower case.
pub fn escape_to_lower_node(s: &str) -> String {
    const UNSAFE: &[u8] = b" \"#%&'/:;<=>?@[]^`{|}~";
    let escaped =
        crate::transform::js::smart_escape(s, |c| c.is_ascii() && UNSAFE.contains(&(c as u8)));
    // `replace(/%../g, m => m.toLowerCase())`: only escapes contain `%` by now, and
    // their hex digits are ASCII.
    let mut out = String::with_capacity(escaped.len());
    let mut pending = 0;
    for c in escaped.chars() {
        if pending > 0 {
            out.push(c.to_ascii_lowercase());
            pending -= 1;
        } else {
            out.push(c);
            if c == '%' {
                pending = 2;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// cloudinary_php's `AuthToken::generate` returns null without a key; the other
    /// profiles (and `auth_token` everywhere) give an error.
    #[test]
    fn php_profile_without_key_gives_no_token() {
        let opts: Map = serde_json::from_str(r#"{"expiration": 1800000000, "acl": "/*"}"#).unwrap();
        let client = |p| {
            Client::from_url("cloudinary://k:s@demo")
                .unwrap()
                .with_profile(p)
        };
        assert_eq!(
            client(crate::Profile::Php).auth_token_opt(&opts).unwrap(),
            None
        );
        assert!(client(crate::Profile::Php).auth_token(&opts).is_err());
        assert!(client(crate::Profile::Python)
            .auth_token_opt(&opts)
            .is_err());
        let mut keyed = opts.clone();
        keyed.insert("key", "00112233FF99");
        let token = client(crate::Profile::Php).auth_token_opt(&keyed).unwrap();
        assert!(token
            .unwrap()
            .starts_with("__cld_token__=exp=1800000000~acl=%2f*~hmac="));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_to_lower("/a b%dé*!$()+,"), "%2fa%20b%25dé*!$()+,");
    }

    #[test]
    fn url_token() {
        let opts: Map = serde_json::from_str(
            r#"{"key":"00112233FF99","start_time":1111111111,"duration":300,
                "url":"/image/authenticated/a b~c?x.jpg","ip":"192.168.0.1","token_name":"foobar"}"#,
        )
        .unwrap();
        assert_eq!(
            generate(&opts, 0).unwrap(),
            "foobar=ip=192.168.0.1~st=1111111111~exp=1111111411~hmac=fa8307f59450e0302ff889f9cf4804c62709532c13fb94fd9cfe54179d18c7ad"
        );
    }
}
