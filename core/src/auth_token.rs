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
    pub fn auth_token(&self, options: &Map) -> Result<String> {
        let mut merged = match self.config().get("auth_token") {
            Some(Value::Map(m)) => m.clone(),
            _ => Map::new(),
        };
        merged.update(options);
        generate(&merged, self.now())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
