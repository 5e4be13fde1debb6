//! JavaScript's value rules, for the `node` profile: how the npm SDK turns an option
//! value into text (`String(v)`, template strings, `Array.prototype.join`), what it
//! counts as set (truthiness, its `present()`, lodash's `isEmpty`), and the URI
//! functions it escapes with (`encodeURIComponent`, `decodeURIComponent`,
//! `encodeURI`, `decodeURI`) and its `smart_escape`.
//!
//! JSON decoded by JavaScript has one number type: `2.0` is `2`. A [`Value::Float`]
//! therefore prints as JavaScript prints the number (`2`, `0.5`, `1e+21`), and an
//! integer beyond 2^53 as the nearest double.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::value::{Map, Value};

/// `String(n)` of a JavaScript number.
#[cfg(test)]
pub(crate) fn number(f: f64) -> String {
    let mut out = String::new();
    push_number(&mut out, f);
    out
}

/// Appends `String(n)`: the shortest text that round-trips, without exponent from
/// 1e-7 up to 1e21, as ECMAScript's Number::toString specifies.
pub(crate) fn push_number(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if f == 0.0 {
        out.push('0');
        return;
    }
    let (neg, digits, exp) = crate::value::shortest_digits(f);
    let k = digits.len() as i32;
    let n = exp + 1;
    if neg {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        for _ in 0..(n - k) {
            out.push('0');
        }
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        for _ in 0..(-n) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        let _ = write!(out, "{}", (n - 1).abs());
    }
}

/// JavaScript's object spread / lodash `extend` of one value into `target`: a map's
/// entries, a list's items or a string's characters under their indexes; other values
/// add nothing.
pub(crate) fn spread_into(target: &mut Map, source: &Value) {
    match source {
        Value::Map(m) => target.update(m),
        Value::List(l) => {
            for (i, item) in l.iter().enumerate() {
                target.insert(i.to_string(), item.clone());
            }
        }
        Value::Str(s) => {
            for (i, c) in s.chars().enumerate() {
                target.insert(i.to_string(), c.to_string());
            }
        }
        _ => {}
    }
}

/// An integer as a JavaScript number prints: exact up to 2^53, else the nearest double.
fn push_int(out: &mut String, i: i64) {
    if i.unsigned_abs() <= 1 << 53 {
        out.push_str(itoa::Buffer::new().format(i));
    } else {
        push_number(out, i as f64);
    }
}

/// `String(v)`. `Null` prints `null` (the SDK never sees `undefined` in a map: an
/// absent key is `None` at the call sites).
pub(crate) fn string(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Str(s) => Cow::Borrowed(s),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        Value::Null => Cow::Borrowed("null"),
        Value::Map(_) => Cow::Borrowed("[object Object]"),
        other => {
            let mut out = String::new();
            push_string(&mut out, other);
            Cow::Owned(out)
        }
    }
}

/// Appends `String(v)` to `out`.
pub(crate) fn push_string(out: &mut String, v: &Value) {
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::Int(i) => push_int(out, *i),
        Value::Float(f) => push_number(out, *f),
        Value::Map(_) => out.push_str("[object Object]"),
        Value::List(items) => push_join(out, items, ","),
    }
}

/// `String(v)` of an optional value: `undefined` when absent.
pub(crate) fn string_opt(v: Option<&Value>) -> Cow<'_, str> {
    v.map_or(Cow::Borrowed("undefined"), string)
}

/// `Array.prototype.join(sep)`: `null` items print as nothing.
pub(crate) fn join(items: &[Value], sep: &str) -> String {
    let mut out = String::new();
    push_join(&mut out, items, sep);
    out
}

fn push_join(out: &mut String, items: &[Value], sep: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        if !item.is_null() {
            push_string(out, item);
        }
    }
}

/// JavaScript truthiness (lists and maps are always true).
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(i)) => *i != 0,
        Some(Value::Float(f)) => *f != 0.0 && !f.is_nan(),
        Some(Value::Str(s)) => !s.is_empty(),
        Some(Value::List(_) | Value::Map(_)) => true,
    }
}

/// The SDK's `present(v)`: not null and a non-empty `String(v)`.
pub(crate) fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Str(s)) => !s.is_empty(),
        Some(Value::List(items)) => !items.is_empty() && !join(items, ",").is_empty(),
        Some(_) => true,
    }
}

/// lodash `isEmpty(v)`: true for null, numbers and booleans, empty strings, lists
/// and maps.
pub(crate) fn is_empty(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Str(s)) => s.is_empty(),
        Some(Value::List(l)) => l.is_empty(),
        Some(Value::Map(m)) => m.is_empty(),
        _ => true,
    }
}

/// lodash `isObject(v)`: a list or a map.
pub(crate) fn is_object(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::List(_) | Value::Map(_)))
}

/// The SDK's `toArray(v)`: a list as it is, null as empty, anything else as one item.
pub(crate) fn to_array(v: Option<Value>) -> Vec<Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::List(l)) => l,
        Some(other) => vec![other],
    }
}

/// The SDK's `consumeOption(options, name)`: removes the key and returns its value
/// unless it is null.
pub(crate) fn consume(options: &mut Map, name: &str) -> Option<Value> {
    options.remove(name).filter(|v| !v.is_null())
}

/// `(v != null)`.
pub(crate) fn not_null(v: Option<&Value>) -> bool {
    v.is_some_and(|v| !v.is_null())
}

/// The `TypeError` JavaScript throws when a method is called on a value without it
/// (`x.replace is not a function`).
pub(crate) fn type_error(option: &str, what: &str, v: &Value) -> crate::Error {
    crate::Error::invalid_option(
        option,
        format!("TypeError: {what} of {} (the npm SDK fails)", v.type_name()),
    )
}

/// `parseFloat(String(v))`: the longest leading decimal literal after whitespace,
/// `NaN` when there is none.
pub(crate) fn parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if t[i..].starts_with("Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > frac_start || digits > 0 {
            digits += j - frac_start;
            i = j;
        }
    }
    if digits == 0 {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    t[..i].parse().unwrap_or(f64::NAN)
}

/// `parseInt(s)` (base 10): the leading integer after whitespace, `None` for `NaN`.
pub(crate) fn parse_int(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(is_js_space);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    let v: f64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// `Number(v)`.
pub(crate) fn to_number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(Value::Map(_)) => f64::NAN,
        Some(Value::List(l)) => string_to_number(&join(l, ",")),
        Some(Value::Str(s)) => string_to_number(s),
    }
}

fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return u64::from_str_radix(digits, radix).map_or(f64::NAN, |n| n as f64);
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let literal = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !literal || t.contains("inf") {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}

/// `n.toString(2)` of an integral number (as `parseInt` returns them).
pub(crate) fn binary(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    let neg = n < 0.0;
    let mut v = n.abs();
    let mut bits = Vec::new();
    if v == 0.0 {
        bits.push(b'0');
    }
    while v >= 1.0 {
        let r = v % 2.0;
        bits.push(if r >= 1.0 { b'1' } else { b'0' });
        v = ((v - r) / 2.0).floor();
    }
    if neg {
        bits.push(b'-');
    }
    bits.reverse();
    String::from_utf8(bits).unwrap_or_default()
}

/// Characters `encodeURIComponent` keeps.
fn uri_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
        )
}

/// Characters `encodeURI` keeps besides the unreserved ones (and `decodeURI` never
/// decodes).
fn uri_reserved(c: u8) -> bool {
    matches!(
        c,
        b';' | b',' | b'/' | b'?' | b':' | b'@' | b'&' | b'=' | b'+' | b'$' | b'#'
    )
}

fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 15) as usize] as char);
}

/// `encodeURIComponent(s)`.
pub(crate) fn encode_uri_component(s: &str) -> String {
    encode(s, false)
}

/// `encodeURI(s)`.
pub(crate) fn encode_uri(s: &str) -> String {
    encode(s, true)
}

fn encode(s: &str, keep_reserved: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if uri_unreserved(b) || (keep_reserved && uri_reserved(b)) {
            out.push(b as char);
        } else {
            push_percent(&mut out, b);
        }
    }
    out
}

/// `decodeURIComponent(s)`; `None` where JavaScript throws `URIError` (a `%` not
/// followed by two hex digits, or bytes that are not UTF-8).
pub(crate) fn decode_uri_component(s: &str) -> Option<String> {
    decode(s, false)
}

/// `decodeURI(s)`: as [`decode_uri_component`], but escapes of `;/?:@&=+$,#` stay.
pub(crate) fn decode_uri(s: &str) -> Option<String> {
    decode(s, true)
}

fn decode(s: &str, keep_reserved: bool) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let b = s.as_bytes();
    let hex = |i: usize| -> Option<u8> {
        let h = (*b.get(i + 1)? as char).to_digit(16)?;
        let l = (*b.get(i + 2)? as char).to_digit(16)?;
        (b[i] == b'%').then_some((h * 16 + l) as u8)
    };
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let first = hex(i)?;
        if first < 0x80 {
            if keep_reserved && uri_reserved(first) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(first);
            }
            i += 3;
            continue;
        }
        let n = match first {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf7 => 4,
            _ => return None,
        };
        let mut seq = vec![first];
        let mut j = i + 3;
        for _ in 1..n {
            let c = hex(j)?;
            if c & 0xc0 != 0x80 {
                return None;
            }
            seq.push(c);
            j += 3;
        }
        // Overlong forms, surrogates and values past U+10FFFF are errors too.
        std::str::from_utf8(&seq).ok()?;
        out.extend_from_slice(&seq);
        i = j;
    }
    String::from_utf8(out).ok()
}

/// The SDK's `smart_escape(s, unsafe)`: every UTF-16 code unit of a run of unsafe
/// characters as `%` and its uppercase hex code, without padding (`\n` is `%A`, `é`
/// is `%E9`, `中` is `%4E2D`).
pub(crate) fn smart_escape(s: &str, is_unsafe: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut units = [0u16; 2];
    for c in s.chars() {
        if is_unsafe(c) {
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "%{:X}", u);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The unsafe set of the SDK's default `smart_escape`: anything but
/// `[a-zA-Z0-9_.\-/:]`.
pub(crate) fn default_unsafe(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ':'))
}

/// The bytes the SDK's `utf8_encode` (used by its CRC-32) makes of a string: each
/// UTF-16 code unit in one to three bytes (a surrogate pair as two 3-byte units).
pub(crate) fn utf8_encode_units(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut units = [0u16; 2];
    for c in s.chars() {
        for &u in c.encode_utf16(&mut units).iter() {
            let u = u32::from(u);
            if u < 0x80 {
                out.push(u as u8);
            } else if u < 0x800 {
                out.push(((u >> 6) | 0xc0) as u8);
                out.push(((u & 63) | 0x80) as u8);
            } else {
                out.push(((u >> 12) | 0xe0) as u8);
                out.push((((u >> 6) & 63) | 0x80) as u8);
                out.push(((u & 63) | 0x80) as u8);
            }
        }
    }
    out
}

/// `Buffer.from(hex, "hex")`: pairs of hex digits up to the first pair that is not
/// one (an odd last digit is dropped).
pub(crate) fn hex_prefix_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 2);
    for pair in b.chunks_exact(2) {
        match (
            (pair[0] as char).to_digit(16),
            (pair[1] as char).to_digit(16),
        ) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => break,
        }
    }
    out
}

/// ASCII punctuation and symbols in the root collation's order (after whitespace,
/// before digits).
const PUNCTUATION_ORDER: &str = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/// One character's collation elements: `(primary, secondary, tertiary)` of the base
/// and, for an accented Latin-1 letter, the accent's secondary weight.
fn collation_elements(c: char) -> Option<((u32, u8, u8), Option<u8>)> {
    const COMMON: u8 = 5;
    let letter = |base: char, upper: bool, accent: Option<u8>| {
        let p = 1000 + 4 * (base as u32 - 'a' as u32);
        Some(((p, COMMON, u8::from(upper)), accent))
    };
    match c {
        '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => None,
        '\t' => Some(((1, COMMON, 0), None)),
        '\n' => Some(((2, COMMON, 0), None)),
        '\u{b}' => Some(((3, COMMON, 0), None)),
        '\u{c}' => Some(((4, COMMON, 0), None)),
        '\r' => Some(((5, COMMON, 0), None)),
        ' ' => Some(((6, COMMON, 0), None)),
        '\u{a0}' => Some(((6, COMMON, 1), None)),
        '0'..='9' => Some(((500 + (c as u32 - '0' as u32), COMMON, 0), None)),
        'a'..='z' => letter(c, false, None),
        'A'..='Z' => letter(c.to_ascii_lowercase(), true, None),
        c if c.is_ascii() => {
            let i = PUNCTUATION_ORDER.find(c).map_or(90, |i| i as u32);
            Some(((10 + i, COMMON, 0), None))
        }
        _ => {
            // Latin-1 letters: a base letter and an accent (secondary), or a letter of
            // its own right after its neighbour.
            let lower: Vec<char> = c.to_lowercase().collect();
            let upper = lower.len() == 1 && lower[0] != c;
            let l = lower.first().copied().unwrap_or(c);
            let (base, accent) = match l {
                'á' => ('a', 1),
                'à' => ('a', 2),
                'â' => ('a', 3),
                'å' => ('a', 4),
                'ä' => ('a', 5),
                'ã' => ('a', 6),
                'ç' => ('c', 7),
                'é' => ('e', 1),
                'è' => ('e', 2),
                'ê' => ('e', 3),
                'ë' => ('e', 5),
                'í' => ('i', 1),
                'ì' => ('i', 2),
                'î' => ('i', 3),
                'ï' => ('i', 5),
                'ñ' => ('n', 6),
                'ó' => ('o', 1),
                'ò' => ('o', 2),
                'ô' => ('o', 3),
                'ö' => ('o', 5),
                'õ' => ('o', 6),
                'ú' => ('u', 1),
                'ù' => ('u', 2),
                'û' => ('u', 3),
                'ü' => ('u', 5),
                'ý' => ('y', 1),
                'ÿ' => ('y', 5),
                'æ' => return Some(((1000 + 1, COMMON, u8::from(upper)), None)),
                'ð' => return Some(((1000 + 4 * 3 + 1, COMMON, u8::from(upper)), None)),
                'ø' => return Some(((1000 + 4 * 14 + 1, COMMON, u8::from(upper)), None)),
                'þ' => return Some(((1000 + 4 * 25 + 1, COMMON, u8::from(upper)), None)),
                // Anything else: after the Latin letters, in code point order.
                _ => return Some(((100_000 + c as u32, COMMON, 0), None)),
            };
            letter(base, upper, Some(COMMON + accent))
        }
    }
}

/// The sort key of `a.localeCompare(b)` as Node.js (full ICU, `en-US`) compares the
/// keys the npm SDK signs: `locale_key(a).cmp(&locale_key(b))` is the root collation's
/// primary (letters case- and accent-blind, punctuation before digits before letters),
/// then secondary (accents), then tertiary (lower case first) differences. Exact for
/// ASCII and the Latin-1 letters; other characters sort after the Latin letters by
/// code point (an approximation).
///
/// The three levels are one vector, `primary.. 0 secondary.. 0 tertiary..` with every
/// weight raised by one: comparing it compares the levels in turn (a level that is a
/// prefix of the other's meets the `0` first and sorts first, as a shorter level does).
pub(crate) fn locale_key(s: &str) -> Vec<u32> {
    // One pass per level: one allocation per key.
    let mut key = Vec::with_capacity(4 * s.len() + 2);
    let elements = || s.chars().filter_map(collation_elements);
    key.extend(elements().map(|((p, _, _), _)| p + 1));
    key.push(0);
    for ((_, sw, _), accent) in elements() {
        key.push(u32::from(sw) + 1);
        if let Some(a) = accent {
            key.push(u32::from(a) + 1);
        }
    }
    key.push(0);
    key.extend(elements().map(|((_, _, t), _)| u32::from(t) + 1));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale_compare(a: &str, b: &str) -> std::cmp::Ordering {
        locale_key(a).cmp(&locale_key(b))
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        for (f, s) in [
            (2.0, "2"),
            (0.5, "0.5"),
            (-1.25, "-1.25"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "0"),
        ] {
            assert_eq!(number(f), s, "{f}");
        }
        assert_eq!(
            string(&Value::Int(9_007_199_254_740_993)),
            "9007199254740992"
        );
    }

    #[test]
    fn strings_of_values() {
        let v: Value = serde_json::from_str(r#"[1, null, [2, 3], {"a": 1}, true, 2.0]"#).unwrap();
        assert_eq!(string(&v), "1,,2,3,[object Object],true,2");
        assert!(!present(Some(&Value::List(vec![]))));
        assert!(!present(Some(&Value::List(vec![Value::Null]))));
        assert!(present(Some(&Value::Bool(false))));
        assert!(is_empty(Some(&Value::Int(5))));
    }

    #[test]
    fn uri_functions() {
        assert_eq!(encode_uri_component("a b/é!*"), "a%20b%2F%C3%A9!*");
        assert_eq!(encode_uri("a b/?#%"), "a%20b/?#%25");
        assert_eq!(decode_uri_component("%E4%B8%AD%2F").as_deref(), Some("中/"));
        assert_eq!(decode_uri("%2F%41").as_deref(), Some("%2FA"));
        assert_eq!(decode_uri_component("100%"), None);
        assert_eq!(decode_uri_component("%C3"), None);
        assert_eq!(decode_uri_component("%ED%A0%80"), None);
        assert_eq!(
            smart_escape("a\né中😀", default_unsafe),
            "a%A%E9%4E2D%D83D%DE00"
        );
    }

    #[test]
    fn locale_compare_sorts_as_node() {
        // Orders printed by Node.js v20.20.2: `list.sort((a, b) => a.localeCompare(b))`.
        let mut ascii: Vec<String> = (0x20u8..0x7f).map(|b| (b as char).to_string()).collect();
        ascii.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(
            ascii.concat(),
            " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ"
        );
        let mut keys = vec![
            "a_b",
            "ab",
            "aB",
            "a=b",
            "a1",
            "A",
            "a",
            "Alpha",
            "alpha",
            "ünï_key",
            "unz",
            "uni",
            "x10",
            "x2",
            "x1",
            "_lead",
        ];
        keys.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(
            keys,
            [
                "_lead",
                "a",
                "A",
                "a_b",
                "a=b",
                "a1",
                "ab",
                "aB",
                "alpha",
                "Alpha",
                "uni",
                "ünï_key",
                "unz",
                "x1",
                "x10",
                "x2"
            ]
        );
        let mut accents: Vec<String> = "aàáâãäåAÀÁÂÃÄÅ".chars().map(String::from).collect();
        accents.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(accents.concat(), "aAáÁàÀâÂåÅäÄãÃ");
        let mut words = vec!["äb", "ab", "aB", "Ab", "ac", "àa", "aa", "áb"];
        words.sort_by(|a, b| locale_compare(a, b));
        assert_eq!(words, ["aa", "àa", "ab", "aB", "Ab", "áb", "äb", "ac"]);
    }

    #[test]
    fn parsing_numbers() {
        assert_eq!(parse_float(" 0.5px"), 0.5);
        assert!(parse_float("auto").is_nan());
        assert_eq!(parse_float(".5"), 0.5);
        assert_eq!(parse_float("1e3x"), 1000.0);
        assert_eq!(parse_int("010-rc"), Some(10.0));
        assert_eq!(parse_int("x"), None);
        assert_eq!(binary(10.0), "1010");
        assert_eq!(binary(-5.0), "-101");
        assert_eq!(hex_prefix_bytes("00112g33"), vec![0x00, 0x11]);
        assert_eq!(hex_prefix_bytes("abc"), vec![0xab]);
    }
}
