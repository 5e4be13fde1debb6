//! The escaping rules of delivery URLs.
//!
//! *Smart escape* keeps `A–Z a–z 0–9 _ . - / :` and percent-encodes every other UTF-8
//! byte as `%XX` (upper-case hex). It is used for public ids (after percent-decoding),
//! remote URLs (without decoding) and, as a second pass, text-layer text.
//!
//! ```
//! use cldkit::url::escape::smart_escape;
//! assert_eq!(smart_escape("a b/ü?x"), "a%20b/%C3%BC%3Fx");
//! ```

use std::borrow::Cow;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The bytes smart escaping keeps, by byte value.
static SAFE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'/' | b':');
        b += 1;
    }
    t
};

#[inline]
fn is_safe(b: u8) -> bool {
    SAFE[b as usize]
}

/// Appends the smart-escaped form of `s` to `out`: runs of kept bytes are copied
/// whole, every other byte (each byte of a multi-byte character) becomes `%XX`.
pub fn push_smart_escaped(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if is_safe(c) {
            continue;
        }
        // Kept bytes are ASCII: a non-empty run lies on character boundaries.
        if run < i {
            out.push_str(&s[run..i]);
        }
        out.push('%');
        out.push(HEX[(c >> 4) as usize] as char);
        out.push(HEX[(c & 15) as usize] as char);
        run = i + 1;
    }
    out.push_str(&s[run..]);
}

/// Smart-escapes `s`, borrowing when nothing needs escaping.
pub fn smart_escape(s: &str) -> Cow<'_, str> {
    if s.bytes().all(is_safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_smart_escaped(&mut out, s);
    Cow::Owned(out)
}

/// Escapes only `,` and `/` (`%2C`, `%2F`): the first pass for text layers.
pub fn escape_comma_slash(s: &str) -> Cow<'_, str> {
    if !s.contains([',', '/']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace(',', "%2C").replace('/', "%2F"))
}

/// Python's `re.sub(r'([^:])/+', r'\1/', s)`: a run of slashes preceded by any
/// character other than `:` (a slash included) becomes one slash.
pub fn collapse_slashes(s: &str) -> Cow<'_, str> {
    if !has_double_slash(s.as_bytes()) {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut seg_start, mut i) = (0, 0);
    while i + 1 < b.len() {
        if b[i] != b':' && b[i + 1] == b'/' {
            let mut j = i + 2;
            while j < b.len() && b[j] == b'/' {
                j += 1;
            }
            // i + 2 and j follow an ASCII '/', so both are char boundaries.
            out.push_str(&s[seg_start..i + 2]);
            seg_start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[seg_start..]);
    Cow::Owned(out)
}

/// Whether `b` contains `//`, eight bytes at a time.
fn has_double_slash(b: &[u8]) -> bool {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const SLASHES: u64 = 0x2f2f_2f2f_2f2f_2f2f;
    let mut chunks = b.chunks_exact(8);
    // Whether the previous byte was a slash.
    let mut prev = false;
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ SLASHES;
        // 0x80 in exactly the bytes that were `/`.
        let slash = !(((x & LOW) + LOW) | x | LOW);
        if slash & (slash >> 8) != 0 || (prev && slash & 0x80 != 0) {
            return true;
        }
        prev = slash >> 63 != 0;
    }
    for &c in chunks.remainder() {
        let is = c == b'/';
        if is && prev {
            return true;
        }
        prev = is;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart() {
        assert_eq!(
            smart_escape("a b+c&d?e#f%g=h;i,j~k!l*m'n(o)p[q]r@s$t:u"),
            "a%20b%2Bc%26d%3Fe%23f%25g%3Dh%3Bi%2Cj%7Ek%21l%2Am%27n%28o%29p%5Bq%5Dr%40s%24t:u"
        );
        assert_eq!(smart_escape("a😀b"), "a%F0%9F%98%80b");
    }

    #[test]
    fn double_slash_detection() {
        let alphabet = [b'/', b'a', 0xaf, 0x2e];
        // Every string up to 9 bytes over a small alphabet, at every offset in a word.
        for len in 0..=9u32 {
            for n in 0..4usize.pow(len) {
                let mut v: Vec<u8> = (0..len).map(|i| alphabet[n / 4usize.pow(i) % 4]).collect();
                let want = v.windows(2).any(|w| w == b"//");
                assert_eq!(has_double_slash(&v), want, "{v:?}");
                v.insert(0, b'x');
                assert_eq!(has_double_slash(&v), want, "{v:?}");
            }
        }
    }

    #[test]
    fn slashes() {
        assert_eq!(collapse_slashes("folder//sub///x"), "folder/sub/x");
        assert_eq!(collapse_slashes("/a/b"), "/a/b");
        assert_eq!(collapse_slashes("//a"), "//a");
        assert_eq!(collapse_slashes("///a"), "//a");
        assert_eq!(collapse_slashes("é//x"), "é/x");
        assert_eq!(collapse_slashes("http://x.com//a//b"), "http://x.com/a/b");
        assert_eq!(collapse_slashes("s3://bucket//x"), "s3://bucket/x");
        assert_eq!(collapse_slashes("a:////b"), "a://b");
    }
}
