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

use std::cell::RefCell;
use std::ops::Range;
use std::ptr;

use cldkit::sign::{ParamSigner, Printed};
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

/// Units of the reusable read buffer kept per thread.
const BUFFER_UNITS: usize = 1024;

thread_local! {
    /// The buffer encoded strings are read into, reused across calls (a 2 KiB
    /// allocation per call cost more than decoding the options).
    static BUFFER: RefCell<Vec<u16>> = RefCell::new(Vec::with_capacity(BUFFER_UNITS));
}

/// Reads a JavaScript string as UTF-16 code units and runs `f` on them (one read
/// when it fits the thread's buffer, as option objects usually do).
pub(crate) fn with_utf16<T>(
    env: sys::napi_env,
    v: sys::napi_value,
    f: impl FnOnce(&[u16]) -> Outcome<T>,
) -> Outcome<T> {
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            read_utf16_into(env, v, &mut buf)?;
            let out = f(&buf);
            if buf.capacity() > 16 * BUFFER_UNITS {
                // Do not keep a huge one-off buffer alive.
                *buf = Vec::with_capacity(BUFFER_UNITS);
            }
            out
        }
        // Only if `f` itself read a string: use a buffer of its own.
        Err(_) => {
            let mut buf = Vec::new();
            read_utf16_into(env, v, &mut buf)?;
            f(&buf)
        }
    })
}

fn read_utf16_into(env: sys::napi_env, v: sys::napi_value, buf: &mut Vec<u16>) -> Outcome<()> {
    buf.clear();
    if buf.capacity() < BUFFER_UNITS {
        buf.reserve(BUFFER_UNITS);
    }
    let mut written = 0usize;
    // SAFETY: `buf` has room for `capacity` units; `v` is a live handle.
    let status = unsafe {
        sys::napi_get_value_string_utf16(env, v, buf.as_mut_ptr(), buf.capacity(), &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    if written + 1 < buf.capacity() {
        // SAFETY: Node-API wrote `written` units.
        unsafe { buf.set_len(written) };
        return Ok(());
    }
    let mut len = 0usize;
    // SAFETY: a null buffer asks for the length only.
    let status = unsafe { sys::napi_get_value_string_utf16(env, v, ptr::null_mut(), 0, &mut len) };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    buf.reserve(len + 1);
    // SAFETY: `buf` has room for `capacity >= len + 1` units.
    let status = unsafe {
        sys::napi_get_value_string_utf16(env, v, buf.as_mut_ptr(), buf.capacity(), &mut written)
    };
    if status != sys::Status::napi_ok {
        return Err(malformed());
    }
    // SAFETY: Node-API wrote `written` units.
    unsafe { buf.set_len(written) };
    Ok(())
}

/// Decodes an encoded option object.
pub(crate) fn decode_map(units: &[u16]) -> Outcome<Map> {
    let mut p = Parser { s: units, i: 0 };
    match p.value(0)? {
        Value::Map(m) if p.i == units.len() => Ok(m),
        _ => Err(malformed()),
    }
}

/// Feeds the entries of an encoded object to `signer`, as [`decode_map`] would
/// produce them, without building the map: keys and text values go through two
/// reused strings; other values are decoded one at a time.
pub(crate) fn sign_entries(units: &[u16], signer: &mut ParamSigner<'_>) -> Outcome<()> {
    let mut p = Parser { s: units, i: 0 };
    if p.next()? != u16::from(b'o') {
        return Err(malformed());
    }
    let n = p.count()?;
    let mut key = Scratch::default();
    let mut text = Scratch::default();
    for _ in 0..n {
        let len = p.count()?;
        let key = p.chars_into(len, &mut key)?;
        let tag = p.next()?;
        if tag == u16::from(b's') {
            let len = p.count()?;
            signer.add_text(key, p.chars_into(len, &mut text)?);
        } else {
            let value = p.tagged(tag, 1)?;
            signer.add(key, &value)?;
        }
    }
    if p.i == units.len() {
        Ok(())
    } else {
        Err(malformed())
    }
}

thread_local! {
    /// The ASCII copy of an encoded object read by [`with_printed`], reused.
    static ASCII: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the entries of an encoded object as JavaScript printed them (keys,
/// strings, and the `String()` of numbers and booleans, borrowed from one ASCII copy
/// of the encoding; no map is built), for the `node` profile's signature. `None`
/// when the encoding is not all ASCII or holds a value other than a string, number,
/// boolean or null (arrays, objects, `cldkit.float`): the caller decodes the map.
pub(crate) fn with_printed<T>(
    units: &[u16],
    f: impl FnOnce(&[(&str, Printed<'_>)]) -> Outcome<T>,
) -> Option<Outcome<T>> {
    ASCII.with(|cell| {
        let mut bytes = cell.try_borrow_mut().ok()?;
        bytes.clear();
        for &u in units {
            bytes.push(u8::try_from(u).ok().filter(u8::is_ascii)?);
        }
        let text = std::str::from_utf8(&bytes).ok()?;
        let entries = printed_entries(text)?;
        let out = f(&entries);
        if bytes.capacity() > 16 * BUFFER_UNITS {
            *bytes = Vec::new();
        }
        Some(out)
    })
}

/// The entries of the encoded object `s` (ASCII) as [`with_printed`] gives them,
/// read by the same [`Parser`] as [`decode_map`], over its bytes.
fn printed_entries(s: &str) -> Option<Vec<(&str, Printed<'_>)>> {
    let mut p = Parser {
        s: s.as_bytes(),
        i: 0,
    };
    if p.next().ok()? != u16::from(b'o') {
        return None;
    }
    let n = p.count().ok()?;
    let mut out = Vec::with_capacity(n.min(256));
    for _ in 0..n {
        let len = p.count().ok()?;
        let key = s.get(p.span(len).ok()?)?;
        let value = match u8::try_from(p.next().ok()?).ok()? {
            b'n' => Printed::Null,
            b't' => Printed::Other("true"),
            b'f' => Printed::Other("false"),
            b's' => {
                let len = p.count().ok()?;
                Printed::Str(s.get(p.span(len).ok()?)?)
            }
            b'i' => {
                let number = s.get(p.until(b';').ok()?)?;
                if number.is_empty() {
                    return None;
                }
                Printed::Other(number)
            }
            _ => return None,
        };
        out.push((key, value));
    }
    (p.i == s.len()).then_some(out)
}

/// A reused text buffer: bytes for ASCII text, a string otherwise.
#[derive(Default)]
struct Scratch {
    bytes: Vec<u8>,
    text: String,
}

/// The bytes of `units` when they are all ASCII.
fn ascii_bytes(units: &[u16]) -> Option<impl Iterator<Item = u8> + '_> {
    units
        .iter()
        .all(|&u| u < 0x80)
        .then(|| units.iter().map(|&u| u as u8))
}

/// A reader of the grammar over UTF-16 units ([`decode_map`], [`sign_entries`]) or
/// over the bytes of an ASCII copy ([`with_printed`]).
struct Parser<'a, U = u16> {
    s: &'a [U],
    i: usize,
}

impl<'a, U: Copy + Into<u16>> Parser<'a, U> {
    fn next(&mut self) -> Outcome<u16> {
        let c = *self.s.get(self.i).ok_or_else(malformed)?;
        self.i += 1;
        Ok(c.into())
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

    /// Where the next `len` units are, skipping them.
    fn span(&mut self, len: usize) -> Outcome<Range<usize>> {
        let end = self.i.checked_add(len).ok_or_else(malformed)?;
        if end > self.s.len() {
            return Err(malformed());
        }
        let span = self.i..end;
        self.i = end;
        Ok(span)
    }

    /// The next `len` units.
    fn take(&mut self, len: usize) -> Outcome<&'a [U]> {
        let span = self.span(len)?;
        Ok(&self.s[span])
    }

    /// Where the units before the next `end` are, skipping them and `end`.
    fn until(&mut self, end: u8) -> Outcome<Range<usize>> {
        let start = self.i;
        while self.next()? != u16::from(end) {}
        Ok(start..self.i - 1)
    }
}

impl Parser<'_> {
    /// `len` UTF-16 units as a Rust string (lone surrogates become U+FFFD, as the
    /// ordinary path's UTF-8 read does).
    fn chars(&mut self, len: usize) -> Outcome<String> {
        let units = self.take(len)?;
        if let Some(ascii) = ascii_bytes(units) {
            return String::from_utf8(ascii.collect()).map_err(|_| malformed());
        }
        Ok(String::from_utf16_lossy(units))
    }

    /// [`Parser::chars`] into a reused buffer.
    fn chars_into<'s>(&mut self, len: usize, out: &'s mut Scratch) -> Outcome<&'s str> {
        let units = self.take(len)?;
        match ascii_bytes(units) {
            Some(ascii) => {
                out.bytes.clear();
                out.bytes.extend(ascii);
                std::str::from_utf8(&out.bytes).map_err(|_| malformed())
            }
            None => {
                out.text = String::from_utf16_lossy(units);
                Ok(&out.text)
            }
        }
    }

    /// A JavaScript number's text ended by `;` (ASCII, at most 24 characters), as the
    /// ordinary path reads numbers: integral and safe → `Int`, else `Float`.
    fn number(&mut self) -> Outcome<Value> {
        // Plain decimal integers (most numbers in options) are read directly.
        let start = self.i;
        let negative = self.s.get(start) == Some(&u16::from(b'-'));
        let digits_from = start + usize::from(negative);
        let mut n: i64 = 0;
        let mut i = digits_from;
        while let Some(&c) = self.s.get(i) {
            let d = c.wrapping_sub(u16::from(b'0'));
            if d > 9 || i - digits_from == 15 {
                break;
            }
            n = n * 10 + i64::from(d);
            i += 1;
        }
        if i > digits_from && self.s.get(i) == Some(&u16::from(b';')) {
            self.i = i + 1;
            return Ok(Value::Int(if negative { -n } else { n }));
        }
        Ok(number(self.float()?))
    }

    /// A number's text ended by `;`, as an `f64`.
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
        let tag = self.next()?;
        self.tagged(tag, depth)
    }

    /// The value whose tag (first unit) was just read.
    fn tagged(&mut self, tag: u16, depth: usize) -> Outcome<Value> {
        let Ok(tag) = u8::try_from(tag) else {
            return Err(malformed());
        };
        match tag {
            b'n' => Ok(Value::Null),
            b't' => Ok(Value::Bool(true)),
            b'f' => Ok(Value::Bool(false)),
            b'i' => self.number(),
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
    fn integers_take_the_direct_path_with_the_same_result() {
        for (text, expected) in [
            ("0", Value::Int(0)),
            ("-12", Value::Int(-12)),
            ("999999999999999", Value::Int(999_999_999_999_999)),
            ("9007199254740991", Value::Int(9_007_199_254_740_991)),
            ("9007199254740993", Value::Float(9_007_199_254_740_993.0)),
            ("1.5", Value::Float(1.5)),
            ("1e+21", Value::Float(1e21)),
        ] {
            let m = decode_map(&units(&format!("o1:1:ki{text};"))).unwrap();
            assert_eq!(m.get("k"), Some(&expected), "{text}");
        }
        assert!(decode_map(&units("o1:1:ki-;")).is_err());
        assert!(decode_map(&units("o1:1:ki12")).is_err());
    }

    #[test]
    fn signing_entries_equals_signing_the_decoded_map() {
        use cldkit::sign::{api_sign_request, Algorithm};
        let mut text = units(
            "o7:9:timestampi1700000000;9:public_ids13:folder/sample\
             4:tagsa2:s1:as1:b9:overwritet5:emptys0:5:floati2.5;1:&s5:a&b",
        );
        text.extend([0xD83D, 0xDE00]);
        let map = decode_map(&text).unwrap();
        for version in [1, 2] {
            let mut signer = ParamSigner::new("secret", Algorithm::Sha256, version).unwrap();
            sign_entries(&text, &mut signer).unwrap();
            assert_eq!(
                signer.sign(),
                api_sign_request(&map, "secret", Algorithm::Sha256, version).unwrap()
            );
        }
        let mut signer = ParamSigner::new("secret", Algorithm::Sha1, 2).unwrap();
        assert!(sign_entries(&units("o1:1:ka1:i1;"), &mut signer).is_err());
        let mut signer = ParamSigner::new("secret", Algorithm::Sha1, 2).unwrap();
        assert!(sign_entries(&units("o2:1:ki1;"), &mut signer).is_err());
        assert!(sign_entries(&units("a0:"), &mut signer).is_err());
    }

    #[test]
    fn printed_signing_equals_signing_the_decoded_map() {
        use cldkit::sign::{api_sign_request_node, api_sign_request_node_printed};
        let secret = Value::from("abcd");
        // Texts as JavaScript prints them; keys that sort by bytes and ones that
        // need `localeCompare`; `&` escaped in version 2 only; nulls and empty
        // strings left out, `false` and `0` kept.
        for text in [
            "o0:",
            "o5:9:timestampi1700000000;9:public_ids7:a&b c/d4:tagss0:9:overwritef1:xi0;",
            "o4:1:Bs1:x2:abi-1.5;3:a_bt1:an",
            "o3:5:largei1e+21;4:tinyi5e-7;3:nani0;",
            "o2:1:ks0:2:kkn",
        ] {
            let u = units(text);
            let map = decode_map(&u).unwrap();
            for (algorithm, version) in [
                (None, None),
                (Some(Value::from("sha256")), Some(Value::Int(1))),
            ] {
                let printed = with_printed(&u, |p| {
                    Ok(api_sign_request_node_printed(
                        p,
                        Some(&secret),
                        algorithm.as_ref(),
                        version.as_ref(),
                    )?)
                })
                .unwrap_or_else(|| panic!("{text}: not printed"))
                .unwrap();
                let expected = api_sign_request_node(
                    &map,
                    Some(&secret),
                    algorithm.as_ref(),
                    version.as_ref(),
                )
                .unwrap();
                assert_eq!(printed, expected, "{text}");
            }
        }
        // Lists, maps, `cldkit.float`s, non-ASCII text and malformed input are left
        // to the decoded map.
        let mut non_ascii = units("o1:1:ks1:");
        non_ascii.push(0xE9);
        for u in [
            units("o1:1:ka1:i1;"),
            units("o1:1:ko0:"),
            units("o1:1:kd2;"),
            non_ascii,
            units("o2:1:ki1;"),
            units("o1:1:ki;"),
            units("o1:1:ki1;junk"),
        ] {
            assert!(with_printed(&u, |_| Ok(())).is_none(), "{u:?}");
        }
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
