//! Expressions: conditions (`if`), user-variable values and the expression-valued
//! parameters (`width`, `opacity`, ...).
//!
//! Normalisation rewrites operators followed by a space or underscore (`>` → `gt`),
//! predefined variable names (`initial_width` → `iw`), leaves user variables (`$name`)
//! alone and folds runs of spaces and underscores into one `_`.
//!
//! ```
//! use cldkit::transform::expression::normalize;
//! assert_eq!(normalize("width > 100 && aspect_ratio <= 1.5"), "w_gt_100_and_ar_lte_1.5");
//! assert_eq!(normalize("$width > 100"), "$width_gt_100");
//! assert_eq!(normalize("!width > 100!"), "!width > 100!");
//! ```

use std::borrow::Cow;

use crate::value::Value;

/// Operators in the order they are tried at one position (longer before shorter): the
/// reference table; [`operator_at`] matches on bytes and a test keeps the two in step.
#[cfg_attr(not(test), allow(dead_code))]
const OPERATORS: &[(&str, &str)] = &[
    ("||", "or"),
    (">=", "gte"),
    ("<=", "lte"),
    ("&&", "and"),
    ("!=", "ne"),
    (">", "gt"),
    ("=", "eq"),
    ("<", "lt"),
    ("/", "div"),
    ("-", "sub"),
    ("+", "add"),
    ("*", "mul"),
    ("^", "pow"),
];

/// Predefined variables (the reference table; [`predefined_group`] indexes it by the
/// first two bytes, and a test keeps the two in step).
#[cfg_attr(not(test), allow(dead_code))]
const PREDEFINED: &[(&str, &str)] = &[
    ("aspect_ratio", "ar"),
    ("aspectRatio", "ar"),
    ("current_page", "cp"),
    ("currentPage", "cp"),
    ("face_count", "fc"),
    ("faceCount", "fc"),
    ("height", "h"),
    ("initial_aspect_ratio", "iar"),
    ("initialAspectRatio", "iar"),
    ("trimmed_aspect_ratio", "tar"),
    ("trimmedAspectRatio", "tar"),
    ("initial_height", "ih"),
    ("initialHeight", "ih"),
    ("initial_width", "iw"),
    ("initialWidth", "iw"),
    ("page_count", "pc"),
    ("pageCount", "pc"),
    ("page_x", "px"),
    ("pageX", "px"),
    ("page_y", "py"),
    ("pageY", "py"),
    ("tags", "tags"),
    ("width", "w"),
    ("duration", "du"),
    ("initial_duration", "idu"),
    ("initialDuration", "idu"),
    ("illustration_score", "ils"),
    ("illustrationScore", "ils"),
    ("context", "ctx"),
];

/// Whether `s` is a quoted literal (`!...!`): returned unchanged by normalisation.
/// Mirrors `^!.+!$` (no newline inside; `$` also matches before one final newline).
fn is_quoted(s: &str) -> bool {
    let t = s.strip_suffix('\n').unwrap_or(s);
    t.len() >= 3 && t.starts_with('!') && t.ends_with('!') && !t.as_bytes().contains(&b'\n')
}

/// Normalises an expression given as text.
pub fn normalize(s: &str) -> Cow<'_, str> {
    if s.is_empty() || is_quoted(s) || !changes(s) {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < b.len() {
        if let Some((len, name)) = operator_at(b, i) {
            out.push_str(name);
            i += len;
            continue;
        }
        if b[i] == b'$' {
            if let Some(end) = user_variable_end(b, i) {
                out.push_str(&s[i..end]);
                i = end;
                continue;
            }
        }
        let after_guard = i == 0 || !matches!(b[i - 1], b'$' | b':');
        if after_guard {
            if let Some((len, code)) = predefined_at(b, i) {
                out.push_str(code);
                i += len;
                continue;
            }
        }
        // Copy one whole character.
        let ch_len = utf8_len(b[i]);
        out.push_str(&s[i..i + ch_len]);
        i += ch_len;
    }
    Cow::Owned(collapse_separators(&out))
}

/// Byte classes for [`changes`]: bytes that can start something normalisation
/// rewrites. Every other byte is skipped with one table look-up.
const SEPARATOR: u8 = 1;
const OPERATOR: u8 = 2;
const DOLLAR: u8 = 4;
const NAME: u8 = 8;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = SEPARATOR;
    t[b'_' as usize] = SEPARATOR;
    let ops = b"|><&!=/-+*^";
    let mut i = 0;
    while i < ops.len() {
        t[ops[i] as usize] = OPERATOR;
        i += 1;
    }
    t[b'$' as usize] = DOLLAR;
    let names = b"acdfhiptw";
    let mut i = 0;
    while i < names.len() {
        t[names[i] as usize] = NAME;
        i += 1;
    }
    t
};

/// Whether normalising `s` changes it: a space, a run of underscores, an operator
/// followed by a separator, or a predefined name outside a user variable. One pass
/// over the bytes, no allocation.
fn changes(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let class = CLASS[c as usize];
        if class == 0 {
            i += 1;
            continue;
        }
        if c == b' ' || (c == b'_' && b.get(i + 1) == Some(&b'_')) {
            return true;
        }
        if class == OPERATOR && operator_at(b, i).is_some() {
            return true;
        }
        if c == b'$' {
            if let Some(end) = user_variable_end(b, i) {
                if b[i + 1..end].starts_with(b"__") {
                    return true;
                }
                i = end;
                continue;
            }
        }
        let after_guard = i == 0 || !matches!(b[i - 1], b'$' | b':');
        if class == NAME && after_guard && predefined_at(b, i).is_some() {
            return true;
        }
        i += 1;
    }
    false
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// The operator at `i` when a space or underscore follows it: `(length, name)`.
/// Two-character operators are tried before one-character ones (the table order of
/// [`OPERATORS`]).
fn operator_at(b: &[u8], i: usize) -> Option<(usize, &'static str)> {
    let sep = |at: usize| matches!(b.get(at), Some(b' ' | b'_'));
    let second = b.get(i + 1).copied();
    let (len, name) = match (b[i], second) {
        (b'|', Some(b'|')) => (2, "or"),
        (b'>', Some(b'=')) => (2, "gte"),
        (b'<', Some(b'=')) => (2, "lte"),
        (b'&', Some(b'&')) => (2, "and"),
        (b'!', Some(b'=')) => (2, "ne"),
        (b'>', _) => (1, "gt"),
        (b'=', _) => (1, "eq"),
        (b'<', _) => (1, "lt"),
        (b'/', _) => (1, "div"),
        (b'-', _) => (1, "sub"),
        (b'+', _) => (1, "add"),
        (b'*', _) => (1, "mul"),
        (b'^', _) => (1, "pow"),
        _ => return None,
    };
    // A one-character operator followed by `=` is never followed by a separator, so
    // trying `>` after a failed `>=` cannot match either.
    sep(i + len).then_some((len, name))
}

/// The predefined names that start with the bytes `first`, `second`, in the order
/// they are tried.
fn predefined_group(first: u8, second: u8) -> &'static [(&'static str, &'static str)] {
    match (first, second) {
        (b'a', b's') => &[("aspect_ratio", "ar"), ("aspectRatio", "ar")],
        (b'c', b'u') => &[("current_page", "cp"), ("currentPage", "cp")],
        (b'c', b'o') => &[("context", "ctx")],
        (b'd', b'u') => &[("duration", "du")],
        (b'f', b'a') => &[("face_count", "fc"), ("faceCount", "fc")],
        (b'h', b'e') => &[("height", "h")],
        (b'i', b'n') => &[
            ("initial_aspect_ratio", "iar"),
            ("initialAspectRatio", "iar"),
            ("initial_height", "ih"),
            ("initialHeight", "ih"),
            ("initial_width", "iw"),
            ("initialWidth", "iw"),
            ("initial_duration", "idu"),
            ("initialDuration", "idu"),
        ],
        (b'i', b'l') => &[("illustration_score", "ils"), ("illustrationScore", "ils")],
        (b'p', b'a') => &[
            ("page_count", "pc"),
            ("pageCount", "pc"),
            ("page_x", "px"),
            ("pageX", "px"),
            ("page_y", "py"),
            ("pageY", "py"),
        ],
        (b't', b'r') => &[
            ("trimmed_aspect_ratio", "tar"),
            ("trimmedAspectRatio", "tar"),
        ],
        (b't', b'a') => &[("tags", "tags")],
        (b'w', b'i') => &[("width", "w")],
        _ => &[],
    }
}

/// The predefined variable starting at `i`, if any: `(length, code)`.
fn predefined_at(b: &[u8], i: usize) -> Option<(usize, &'static str)> {
    let rest = &b[i..];
    let second = *rest.get(1)?;
    predefined_group(rest[0], second)
        .iter()
        .find(|(name, _)| rest.starts_with(name.as_bytes()))
        .map(|(name, code)| (name.len(), *code))
}

/// `\$_*[^_ ]+` starting at `i`: returns the end of the match.
fn user_variable_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() && b[j] == b'_' {
        j += 1;
    }
    let mut k = j;
    while k < b.len() && b[k] != b'_' && b[k] != b' ' {
        k += 1;
    }
    (k > j).then_some(k)
}

/// Replaces every run of spaces and underscores by one `_`.
pub(crate) fn collapse_separators(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        if c == ' ' || c == '_' {
            if !in_run {
                out.push('_');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// Normalises an option value the way the reference SDK does and decides whether it is
/// emitted: a quoted literal or a truthy value is emitted as its (normalised) text;
/// a falsy value only when it equals zero (`0`, `0.0`, `False`).
pub fn normalize_value(v: &Value) -> Option<Cow<'_, str>> {
    if v.truthy() {
        return Some(match v.py_str() {
            Cow::Borrowed(s) => normalize(s),
            Cow::Owned(s) => Cow::Owned(normalize(&s).into_owned()),
        });
    }
    v.eq_zero().then(|| v.py_str())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn predefined_index_matches_the_table() {
        let mut indexed = 0;
        for (name, code) in super::PREDEFINED {
            let b = name.as_bytes();
            let group = super::predefined_group(b[0], b[1]);
            assert!(
                group.contains(&(name, code)),
                "{name} missing from its group"
            );
            // Within a group the table's order is kept.
            let in_table = |n: &str| super::PREDEFINED.iter().position(|(t, _)| *t == n);
            let order: Vec<_> = group.iter().map(|(n, _)| in_table(n)).collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{name}: group order");
            assert_eq!(
                super::CLASS[b[0] as usize],
                super::NAME,
                "{name}: first byte"
            );
            indexed += 1;
        }
        let total: usize = (0u8..=255)
            .flat_map(|a| (0u8..=255).map(move |b| super::predefined_group(a, b).len()))
            .sum();
        assert_eq!(indexed, total);
    }

    #[test]
    fn operator_matching_follows_the_table() {
        let reference = |b: &[u8], i: usize| {
            super::OPERATORS.iter().find_map(|(sym, name)| {
                let sym = sym.as_bytes();
                let next = b.get(i + sym.len());
                (b[i..].starts_with(sym) && matches!(next, Some(b' ' | b'_')))
                    .then_some((sym.len(), *name))
            })
        };
        let alphabet = b"|><&!=/-+*^ _a$";
        for &x in alphabet {
            for &y in alphabet {
                for &z in alphabet {
                    for b in [&[x][..], &[x, y], &[x, y, z]] {
                        assert_eq!(super::operator_at(b, 0), reference(b, 0), "{b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn table() {
        let cases = [
            ("width > 100", "w_gt_100"),
            ("width>100", "w>100"),
            ("w_gt_100", "w_gt_100"),
            ("initial_width / 2", "iw_div_2"),
            ("initialWidth * 2", "iw_mul_2"),
            (
                "aspect_ratio >= 1.5 && page_count != 3",
                "ar_gte_1.5_and_pc_ne_3",
            ),
            (
                "face_count = 0 || tags != \"x\"",
                "fc_eq_0_or_tags_ne_\"x\"",
            ),
            ("$foo_bar * 2", "$foo_bar_mul_2"),
            ("$a+1", "$a+1"),
            ("$a + 1", "$a_add_1"),
            ("width - 10", "w_sub_10"),
            ("height ^ 2", "h_pow_2"),
            ("page_x + page_y", "px_add_py"),
            (" width   >  100", "_w_gt_100"),
            ("$(width)", "$(width)"),
            ("mywidth > 1", "myw_gt_1"),
            (":width > 1", ":width_gt_1"),
            ("__width__", "_w_"),
            ("1 + 2 * 3", "1_add_2_mul_3"),
            ("trimmed_aspect_ratio < 1", "tar_lt_1"),
            ("context:productType = shoes", "ctx:productType_eq_shoes"),
            ("$a> 5", "$a>_5"),
            ("width> 5", "wgt_5"),
            ("initial_aspect_ratio", "iar"),
            ("héllo width", "héllo_w"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
        }
    }
}
