//! Option objects pre-encoded in JavaScript: the fast path of the hot calls (`url`,
//! `apiSignRequest`).
//!
//! Reading an option object through Node-API costs several calls per key (names,
//! property reads, type checks, UTF-8 string reads). `fastpath.js` instead walks plain
//! option objects in JavaScript (same key order, same values: `for...in`, `typeof`) and
//! writes them as one string that is read here with a single UTF-16 read. Anything it
//! does not handle exactly (BigInts, Buffers, class instances, functions, possible float
//! markers, deep nesting) makes it return `null`, and the call takes the ordinary path
//! ([`crate::convert`]), so results and errors are the same either way.
//!
//! Grammar (lengths and counts in decimal, string lengths in UTF-16 units):
//! `n` null · `t`/`f` booleans · `i<number>;` a JavaScript number (integral and safe →
//! `Int`, else `Float`, as [`crate::convert`]) · `d<number>;` a `cldkit.float` ·
//! `s<len>:<chars>` · `a<count>:<value>...` · `o<count>:(<len>:<key><value>)...`.

use std::ptr;

use cldkit::{Error, Map, Value};
use napi::sys;

use crate::convert::number;
use crate::errors::{Failure, Outcome};

/// Same limit as the ordinary path (the encoder never goes deeper).
const MAX_DEPTH: usize = 64;

fn malformed() -> Failure {
    Failure::Core(Error::invalid_option(
        "options",
        "malformed encoded options (internal)",
    ))
}

/// Reads a JavaScript string as UTF-16 code units (one call when it fits the first
/// buffer, as option objects usually do).
pub(crate) fn read_utf16(env: sys::napi_env, v: sys::napi_value) -> Outcome<Vec<u16>> {
    const FIRST: usize = 1024;
    let mut buf: Vec<u16> = Vec::with_capacity(FIRST);
    let mut written = 0usize;
    // SAFETY: `buf` has room for `FIRST` units; `v` is a live handle.
    let status =
        unsafe { sys::napi_get_value_string_utf16(env, v, buf.as_mut_ptr(), FIRST, &mut written) };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    if written + 1 < FIRST {
        // SAFETY: Node-API wrote `written` units.
        unsafe { buf.set_len(written) };
        return Ok(buf);
    }
    let mut len = 0usize;
    // SAFETY: a null buffer asks for the length only.
    let status = unsafe { sys::napi_get_value_string_utf16(env, v, ptr::null_mut(), 0, &mut len) };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    let mut buf: Vec<u16> = vec![0; len + 1];
    // SAFETY: `buf` holds `len + 1` units.
    let status = unsafe {
        sys::napi_get_value_string_utf16(env, v, buf.as_mut_ptr(), buf.len(), &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    buf.truncate(written);
    Ok(buf)
}

/// Decodes an encoded option object.
pub(crate) fn decode_map(units: &[u16]) -> Outcome<Map> {
    let mut p = Parser { s: units, i: 0 };
    match p.value(0)? {
        Value::Map(m) if p.i == units.len() => Ok(m),
        _ => Err(malformed()),
    }
}

struct Parser<'a> {
    s: &'a [u16],
    i: usize,
}

impl Parser<'_> {
    fn next(&mut self) -> Outcome<u16> {
        let c = *self.s.get(self.i).ok_or_else(malformed)?;
        self.i += 1;
        Ok(c)
    }

    /// A decimal count ended by `:`.
    fn count(&mut self) -> Outcome<usize> {
        let mut n = 0usize;
        loop {
            let c = self.next()?;
            if c == u16::from(b':') {
                return Ok(n);
            }
            let d = c.wrapping_sub(u16::from(b'0'));
            if d > 9 {
                return Err(malformed());
            }
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(usize::from(d)))
                .ok_or_else(malformed)?;
        }
    }

    /// `len` UTF-16 units as a Rust string (lone surrogates become U+FFFD, as the
    /// ordinary path's UTF-8 read does).
    fn chars(&mut self, len: usize) -> Outcome<String> {
        let end = self.i.checked_add(len).ok_or_else(malformed)?;
        let units = self.s.get(self.i..end).ok_or_else(malformed)?;
        self.i = end;
        if units.iter().all(|&u| u < 0x80) {
            let bytes: Vec<u8> = units.iter().map(|&u| u as u8).collect();
            // ASCII is UTF-8.
            Ok(String::from_utf8(bytes).map_err(|_| malformed())?)
        } else {
            Ok(String::from_utf16_lossy(units))
        }
    }

    /// A JavaScript number's text ended by `;` (ASCII, at most 24 characters).
    fn float(&mut self) -> Outcome<f64> {
        let mut text = [0u8; 32];
        let mut n = 0;
        loop {
            let c = self.next()?;
            if c == u16::from(b';') {
                break;
            }
            if c >= 0x80 || n == text.len() {
                return Err(malformed());
            }
            text[n] = c as u8;
            n += 1;
        }
        std::str::from_utf8(&text[..n])
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .ok_or_else(malformed)
    }

    fn value(&mut self, depth: usize) -> Outcome<Value> {
        match self.next()? as u8 {
            b'n' => Ok(Value::Null),
            b't' => Ok(Value::Bool(true)),
            b'f' => Ok(Value::Bool(false)),
            b'i' => Ok(number(self.float()?)),
            b'd' => Ok(Value::Float(self.float()?)),
            b's' => {
                let len = self.count()?;
                Ok(Value::Str(self.chars(len)?))
            }
            b'a' if depth < MAX_DEPTH => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Ok(Value::List(items))
            }
            b'o' if depth < MAX_DEPTH => {
                let n = self.count()?;
                let mut map = Map::with_capacity(n.min(1024));
                for _ in 0..n {
                    let len = self.count()?;
                    let key = self.chars(len)?;
                    let v = self.value(depth + 1)?;
                    map.insert(key, v);
                }
                Ok(Value::Map(map))
            }
            _ => Err(malformed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn decodes_every_kind() {
        let m = decode_map(&units(
            "o6:5:widthi300;3:dprd2;4:crops4:fill1:xa3:ntf1:yo1:1:zi1.5;1:ui1e+21;",
        ))
        .unwrap();
        assert_eq!(m.get("width"), Some(&Value::Int(300)));
        assert_eq!(m.get("dpr"), Some(&Value::Float(2.0)));
        assert_eq!(m.get("crop"), Some(&Value::from("fill")));
        assert_eq!(
            m.get("x"),
            Some(&Value::List(vec![
                Value::Null,
                Value::Bool(true),
                Value::Bool(false)
            ]))
        );
        let y = m.get("y").and_then(Value::as_map).unwrap();
        assert_eq!(y.get("z"), Some(&Value::Float(1.5)));
        assert_eq!(m.get("u"), Some(&Value::Float(1e21)));
    }

    #[test]
    fn strings_count_utf16_units_and_replace_lone_surrogates() {
        let mut u = units("o1:1:ks3:");
        u.extend([0xD83D, 0xDE00, 0xD800]);
        let m = decode_map(&u).unwrap();
        assert_eq!(m.get("k"), Some(&Value::from("\u{1F600}\u{FFFD}")));
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "o1:",
            "o1:5:width",
            "o1:1:ki3",
            "x",
            "o0:junk",
            "o1:9:k",
        ] {
            assert!(decode_map(&units(bad)).is_err(), "{bad}");
        }
        let deep = "a1:".repeat(70) + "n";
        assert!(decode_map(&units(&format!("o1:1:k{deep}"))).is_err());
    }
}
