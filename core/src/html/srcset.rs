//! `srcset` and `sizes`: breakpoint computation, the scaled URL of each breakpoint, and
//! srcsets built from an upload response's `responsive_breakpoints`.
//!
//! Breakpoints come either from an explicit `breakpoints` list or from `min_width`,
//! `max_width` and `max_images`: `step = ceil((max − min) / max(max_images − 1, 1))`,
//! then `min, min + step, …` while below `max`, then `max` itself.
//!
//! ```
//! use cldkit::{html::breakpoints, Map, Value};
//! let data: Map = serde_json::from_str(r#"{"min_width": 100, "max_width": 399, "max_images": 3}"#).unwrap();
//! assert_eq!(breakpoints(&data).unwrap(), Some(vec![Value::Int(100), Value::Int(250), Value::Int(399)]));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use super::tag_options::{self, setting};
use crate::{Client, Error, Map, Result, Value};

/// The most breakpoints a computed srcset may have (a guard against runaway input).
pub const MAX_BREAKPOINTS: usize = 10_000;

/// A number as Python arithmetic sees it (`bool` is an `int`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn of(v: &Value) -> Option<Num> {
        match v {
            Value::Bool(b) => Some(Num::Int(*b as i64)),
            Value::Int(i) => Some(Num::Int(*i)),
            Value::Float(f) => Some(Num::Float(*f)),
            _ => None,
        }
    }
    fn f(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
    fn sub(self, o: Num) -> Option<Num> {
        match (self, o) {
            (Num::Int(a), Num::Int(b)) => a.checked_sub(b).map(Num::Int),
            (a, b) => Some(Num::Float(a.f() - b.f())),
        }
    }
    fn add(self, o: Num) -> Option<Num> {
        match (self, o) {
            (Num::Int(a), Num::Int(b)) => a.checked_add(b).map(Num::Int),
            (a, b) => Some(Num::Float(a.f() + b.f())),
        }
    }
    fn lt(self, o: Num) -> bool {
        match (self, o) {
            (Num::Int(a), Num::Int(b)) => a < b,
            (a, b) => a.f() < b.f(),
        }
    }
    fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            Num::Float(f) => Value::Float(f),
        }
    }
}

/// The breakpoints of `srcset` data, as pycloudinary computes them: the `breakpoints`
/// value when it is truthy, else the widths derived from `min_width`, `max_width` and
/// `max_images`; `Ok(None)` when those are missing or inconsistent (pycloudinary only
/// logs a warning then, and renders no srcset).
pub fn breakpoints(srcset: &Map) -> Result<Option<Vec<Value>>> {
    let given = srcset.get("breakpoints");
    if let Some(bp) = given {
        if bp.truthy() {
            return tag_options::iterate(bp, "srcset.breakpoints").map(Some);
        }
    }
    let (Some(min_v), Some(max_v), Some(count_v)) = (
        srcset.get("min_width"),
        srcset.get("max_width"),
        srcset.get("max_images"),
    ) else {
        return Ok(None);
    };
    let (Some(mut min), Some(max), Some(count)) =
        (Num::of(min_v), Num::of(max_v), Num::of(count_v))
    else {
        return Ok(None);
    };
    if max.lt(min) || !Num::Int(0).lt(count) {
        return Ok(None);
    }
    // A falsy, non-list `breakpoints` value is appended to in Python, which raises.
    if let Some(bp) = given {
        if !matches!(bp, Value::List(_)) {
            return Err(Error::invalid_option(
                "srcset",
                format!("'{}' object has no attribute 'append'", bp.type_name()),
            ));
        }
    }
    let mut first = min_v.clone();
    if count.f() == 1.0 {
        min = max;
        first = max_v.clone();
    }
    let overflow = || Error::invalid_option("srcset", "breakpoint arithmetic overflows");
    let divisor = if Num::Int(1).lt(count) {
        count.sub(Num::Int(1)).ok_or_else(overflow)?.f()
    } else {
        1.0
    };
    let step = (max.sub(min).ok_or_else(overflow)?.f() / divisor).ceil();
    if !step.is_finite() || step.abs() > 9.0e15 {
        return Err(overflow());
    }
    let step = Num::Int(step as i64);
    let mut out = Vec::new();
    let mut current = min;
    let mut current_value = first;
    while current.lt(max) {
        if out.len() >= MAX_BREAKPOINTS {
            return Err(Error::invalid_option(
                "srcset",
                format!("more than {MAX_BREAKPOINTS} breakpoints"),
            ));
        }
        out.push(current_value);
        current = current.add(step).ok_or_else(overflow)?;
        current_value = current.value();
    }
    out.push(max_v.clone());
    Ok(Some(out))
}

/// The `sizes` value for `breakpoints`: `(max-width: Wpx) Wpx` joined with `, `.
///
/// ```
/// use cldkit::Value;
/// assert_eq!(cldkit::html::sizes_attribute(&[Value::Int(100), Value::Int(200)]),
///     "(max-width: 100px) 100px, (max-width: 200px) 200px");
/// ```
pub fn sizes_attribute(breakpoints: &[Value]) -> String {
    let mut out = String::with_capacity(breakpoints.len() * 40);
    for (i, bp) in breakpoints.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("(max-width: ");
        bp.push_py_str(&mut out);
        out.push_str("px) ");
        bp.push_py_str(&mut out);
        out.push_str("px");
    }
    out
}

/// Builds the URL of one resource scaled to a width, the way every srcset entry is
/// built: the resource's URL-level options, a first transformation component (either
/// the srcset's own `transformation`, which replaces the resource's, or the resource's
/// transformation options), then `c_scale,w_<width>`.
///
/// The option map is prepared once; [`ScaledUrls::url`] only changes the width. For
/// unsigned URLs and integer widths the URL is built once around a sentinel width and
/// each entry is the same text with the sentinel replaced (the width only appears as
/// `w_<width>` there); anything else takes the full path.
pub(crate) struct ScaledUrls<'a> {
    client: &'a Client,
    source: &'a Value,
    options: Map,
    /// The URL split around the sentinel width: `None` before the first integer width,
    /// `Some(None)` when the shortcut does not apply.
    template: Option<Option<(String, String)>>,
}

/// A width no real srcset uses; the shortcut is only taken when it occurs exactly once
/// in the URL built with it.
const SENTINEL_WIDTH: i64 = 7_357_029_384_615_173;
/// [`SENTINEL_WIDTH`] as text.
const SENTINEL_DIGITS: &str = "7357029384615173";

impl<'a> ScaledUrls<'a> {
    pub(crate) fn new(
        client: &'a Client,
        source: &'a Value,
        transformation: &Value,
        options: Map,
    ) -> Result<Self> {
        let mut base = if transformation.truthy() {
            let mut base = tag_options::url_options_of(&options);
            match transformation {
                Value::Str(s) => {
                    base.insert("raw_transformation", s.as_str());
                }
                other => tag_options::update(&mut base, other, "srcset.transformation")?,
            }
            base
        } else {
            options
        };
        tag_options::patch_fetch_format(client, &mut base);
        let mut scale = Map::with_capacity(2);
        scale.insert("crop", "scale");
        scale.insert("width", Value::Null);
        let options = tag_options::chain_transformations(base, Value::Map(scale));
        Ok(ScaledUrls {
            client,
            source,
            options,
            template: None,
        })
    }

    fn set_width(&mut self, width: &Value) {
        if let Some(Value::List(chain)) = self.options.get_mut("transformation") {
            if let Some(Value::Map(scale)) = chain.last_mut() {
                scale.insert("width", width.clone());
            }
        }
    }

    /// Appends the URL at `width` (a string, or the source untouched as the URL builder
    /// returns it, in Python's `str()` form) to `out`.
    pub(crate) fn push_url(&mut self, width: &Value, out: &mut String) -> Result<()> {
        if let Value::Int(w) = width {
            if self.template.is_none() {
                self.template = Some(self.make_template());
            }
            if let Some(Some((head, tail))) = &self.template {
                out.push_str(head);
                out.push_str(itoa::Buffer::new().format(*w));
                out.push_str(tail);
                return Ok(());
            }
        }
        self.set_width(width);
        tag_options::cloudinary_url(self.client, self.source, &self.options)?
            .url
            .push_py_str(out);
        Ok(())
    }

    /// The URL around [`SENTINEL_WIDTH`], when the width cannot affect anything but its
    /// own `w_` text: no URL signature or token (those hash the path), and a URL that
    /// was built (not a source returned untouched).
    fn make_template(&mut self) -> Option<(String, String)> {
        let signed = match self.options.get("sign_url") {
            Some(v) => v.truthy(),
            None => setting(self.client, "sign_url").truthy(),
        };
        // `cloudinary_url` rejects a `source` option: the full path reports that.
        if signed || self.options.contains_key("source") {
            return None;
        }
        let Value::Str(source) = self.source else {
            return None;
        };
        self.set_width(&Value::Int(SENTINEL_WIDTH));
        // The URL only: the leftover options are not needed here.
        let url = crate::url::built_url(self.client, source, &self.options).ok()??;
        static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new(SENTINEL_DIGITS));
        let digits = SENTINEL_DIGITS.as_bytes();
        let mut hits = FINDER.find_iter(url.as_bytes());
        let at = hits.next()?;
        let end = at + digits.len();
        if !url[..at].ends_with("w_") || hits.next().is_some() {
            return None;
        }
        Some((url[..at].to_owned(), url[end..].to_owned()))
    }
}

/// The srcset value for `breakpoints`: `"<url> <w>w"` joined with `, `.
pub(crate) fn srcset_attribute(
    client: &Client,
    source: &Value,
    breakpoints: &[Value],
    transformation: &Value,
    options: Map,
) -> Result<String> {
    let mut urls = ScaledUrls::new(client, source, transformation, options)?;
    let mut out = String::new();
    for (i, w) in breakpoints.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        urls.push_url(w, &mut out)?;
        if i == 0 {
            // Every entry is about as long as the first: one allocation for all.
            out.reserve((out.len() + 16) * (breakpoints.len() - 1));
        }
        out.push(' ');
        w.push_py_str(&mut out);
        out.push('w');
    }
    Ok(out)
}

/// The `srcset` data of a tag: the configuration's `srcset` setting with the option
/// merged over it.
///
/// Borrows the option when the configuration has no `srcset` setting (the usual case):
/// merging a map into an empty one copies it unchanged.
pub(crate) fn srcset_data<'a>(client: &Client, option: &'a Value) -> Result<Cow<'a, Map>> {
    let configured = client.config().get("srcset");
    if let (None | Some(Value::Null), Value::Map(m)) = (configured, option) {
        return Ok(Cow::Borrowed(m));
    }
    let mut data = tag_options::dict_or_empty(&setting(client, "srcset"), "srcset")?;
    tag_options::update(&mut data, option, "srcset")?;
    Ok(Cow::Owned(data))
}

fn breakpoints_for(srcset: &Map, options: &Map) -> Result<Option<Vec<Value>>> {
    tag_options::reject_keywords(
        options,
        &["self", "srcset_data"],
        "_get_or_generate_breakpoints",
    )?;
    // `use_cache` would look the breakpoints up over the network; without a cache
    // pycloudinary falls back to the static computation, which is what happens here.
    breakpoints(srcset)
}

/// The generated `srcset` / `sizes` attributes of an `<img>` or `<source>` tag, unless
/// `attributes` already holds them. Takes the tag's options by value: the srcset URLs
/// are built from them.
pub(crate) fn responsive_attributes(
    client: &Client,
    source: &Value,
    attributes: &Value,
    srcset: &Map,
    options: Cow<'_, Map>,
) -> Result<Map> {
    tag_options::reject_keywords(
        &options,
        &["self", "attributes", "srcset_data"],
        "_generate_image_responsive_attributes",
    )?;
    let mut out = Map::new();
    if srcset.is_empty() {
        return Ok(out);
    }
    let want_sizes = srcset.get("sizes") == Some(&Value::Bool(true));
    let mut bps: Option<Vec<Value>> = None;
    if !tag_options::contains(attributes, "srcset", "attributes")? {
        bps = breakpoints_for(srcset, &options)?;
        tag_options::reject_keywords(
            &options,
            &["self", "breakpoints", "transformation"],
            "_generate_srcset_attribute",
        )?;
        if let Some(list) = bps.as_deref().filter(|l| !l.is_empty()) {
            let transformation = srcset.get("transformation").unwrap_or(&Value::Null);
            let value =
                srcset_attribute(client, source, list, transformation, options.into_owned())?;
            if !value.is_empty() {
                out.insert("srcset", value);
            }
            if want_sizes && !tag_options::contains(attributes, "sizes", "attributes")? {
                out.insert("sizes", sizes_attribute(list));
            }
            return Ok(out);
        }
    }
    if want_sizes && !tag_options::contains(attributes, "sizes", "attributes")? {
        if bps.is_none() {
            bps = breakpoints_for(srcset, &options)?;
        }
        if let Some(list) = bps.as_deref().filter(|l| !l.is_empty()) {
            out.insert("sizes", sizes_attribute(list));
        }
    }
    Ok(out)
}

/// One width of an upload response's `responsive_breakpoints` and its delivery URLs.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakpoint {
    /// The image width in pixels.
    pub width: i64,
    /// The `secure_url` (https) of that width, when the response has one.
    pub secure_url: Option<String>,
    /// The `url` (http) of that width, when the response has one.
    pub url: Option<String>,
}

/// Reads the breakpoints of one `responsive_breakpoints` entry of an upload (or
/// explicit) response, `{"transformation": …, "breakpoints": [{"width", "url",
/// "secure_url", …}, …]}`, sorted by ascending width.
///
/// Pass the whole `responsive_breakpoints` list to read its first entry.
pub fn responsive_breakpoints(entry: &Value) -> Result<Vec<Breakpoint>> {
    let entry = match entry {
        Value::List(items) => items
            .first()
            .ok_or_else(|| Error::invalid_option("responsive_breakpoints", "the list is empty"))?,
        other => other,
    };
    let list = entry
        .as_map()
        .and_then(|m| m.get("breakpoints"))
        .and_then(Value::as_list)
        .ok_or_else(|| {
            Error::invalid_option(
                "responsive_breakpoints",
                "expected {\"breakpoints\": [...]}",
            )
        })?;
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let m = item.as_map().ok_or_else(|| {
            Error::invalid_option("responsive_breakpoints", "each breakpoint must be a map")
        })?;
        let width = match m.get("width") {
            Some(Value::Int(w)) if *w > 0 => *w,
            Some(Value::Float(w)) if *w > 0.0 && w.fract() == 0.0 && *w < 1e15 => *w as i64,
            _ => {
                return Err(Error::invalid_option(
                    "responsive_breakpoints",
                    "each breakpoint needs a positive integer width",
                ))
            }
        };
        let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        out.push(Breakpoint {
            width,
            secure_url: text("secure_url"),
            url: text("url"),
        });
    }
    out.sort_by_key(|b| b.width);
    out.dedup_by_key(|b| b.width);
    Ok(out)
}

/// A srcset value straight from an upload response's `responsive_breakpoints`: the
/// server's own URL of each width (`secure_url`, or `url` when `secure` is false),
/// ascending, `"<url> <w>w"` joined with `, `.
///
/// ```
/// let response: cldkit::Value = serde_json::from_str::<serde_json::Value>(r#"[{
///   "transformation": "c_scale,w_auto",
///   "breakpoints": [
///     {"width": 1000, "height": 667, "bytes": 79821, "url": "http://x/w1000.jpg", "secure_url": "https://x/w1000.jpg"},
///     {"width": 400, "height": 267, "bytes": 19011, "url": "http://x/w400.jpg", "secure_url": "https://x/w400.jpg"}
///   ]}]"#).unwrap().into();
/// assert_eq!(cldkit::html::srcset_from_responsive_breakpoints(&response, true).unwrap(),
///     "https://x/w400.jpg 400w, https://x/w1000.jpg 1000w");
/// ```
pub fn srcset_from_responsive_breakpoints(response: &Value, secure: bool) -> Result<String> {
    let mut out = String::new();
    for (i, bp) in responsive_breakpoints(response)?.iter().enumerate() {
        let url = if secure { &bp.secure_url } else { &bp.url };
        let url = url.as_deref().ok_or_else(|| {
            Error::invalid_option(
                "responsive_breakpoints",
                format!(
                    "breakpoint {} has no {}",
                    bp.width,
                    if secure { "secure_url" } else { "url" }
                ),
            )
        })?;
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{url} {}w", bp.width);
    }
    Ok(out)
}

/// The widths of an upload response's `responsive_breakpoints`, ascending: ready to be
/// passed as `{"srcset": {"breakpoints": widths}}` to [`Client::image_tag`] so the tag
/// uses the server's breakpoints with its own transformation and URL settings.
pub fn responsive_breakpoint_widths(response: &Value) -> Result<Vec<i64>> {
    Ok(responsive_breakpoints(response)?
        .into_iter()
        .map(|b| b.width)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bp(json: &str) -> Option<Vec<Value>> {
        breakpoints(&serde_json::from_str(json).unwrap()).unwrap()
    }

    fn ints(v: &[i64]) -> Option<Vec<Value>> {
        Some(v.iter().map(|i| Value::Int(*i)).collect())
    }

    #[test]
    fn computed_breakpoints() {
        assert_eq!(
            bp(r#"{"min_width":100,"max_width":399,"max_images":3}"#),
            ints(&[100, 250, 399])
        );
        assert_eq!(
            bp(r#"{"min_width":100,"max_width":400,"max_images":4}"#),
            ints(&[100, 200, 300, 400])
        );
        assert_eq!(
            bp(r#"{"min_width":100,"max_width":400,"max_images":1}"#),
            ints(&[400])
        );
        assert_eq!(
            bp(r#"{"min_width":100,"max_width":400,"max_images":8}"#),
            ints(&[100, 143, 186, 229, 272, 315, 358, 400])
        );
        assert_eq!(
            bp(r#"{"min_width":50,"max_width":1000,"max_images":2}"#),
            ints(&[50, 1000])
        );
    }

    #[test]
    fn invalid_data_gives_none() {
        assert_eq!(
            bp(r#"{"min_width":500,"max_width":100,"max_images":3}"#),
            None
        );
        assert_eq!(
            bp(r#"{"min_width":100,"max_width":500,"max_images":0}"#),
            None
        );
        assert_eq!(
            bp(r#"{"min_width":"100","max_width":500,"max_images":2}"#),
            None
        );
        assert_eq!(bp(r#"{"max_width":500,"max_images":2}"#), None);
    }

    #[test]
    fn python_number_types() {
        assert_eq!(
            bp(r#"{"min_width":100.0,"max_width":300,"max_images":3}"#),
            Some(vec![
                Value::Float(100.0),
                Value::Float(200.0),
                Value::Int(300)
            ])
        );
        let r = bp(r#"{"min_width":true,"max_width":3,"max_images":3}"#).unwrap();
        assert_eq!(r, vec![Value::Bool(true), Value::Int(2), Value::Int(3)]);
    }

    #[test]
    fn explicit_breakpoints_win() {
        assert_eq!(bp(r#"{"breakpoints":[5, 7],"min_width":1}"#), ints(&[5, 7]));
        assert!(breakpoints(
            &serde_json::from_str(
                r#"{"breakpoints":null,"min_width":1,"max_width":2,"max_images":2}"#
            )
            .unwrap()
        )
        .is_err());
        assert_eq!(
            bp(r#"{"breakpoints":[],"min_width":1,"max_width":2,"max_images":2}"#),
            ints(&[1, 2])
        );
    }

    #[test]
    fn runaway_is_an_error() {
        let m: Map =
            serde_json::from_str(r#"{"min_width":0,"max_width":100000000,"max_images":100000000}"#)
                .unwrap();
        assert!(breakpoints(&m).is_err());
    }

    #[test]
    fn sentinel_text() {
        assert_eq!(SENTINEL_WIDTH.to_string(), SENTINEL_DIGITS);
    }

    #[test]
    fn sizes() {
        assert_eq!(sizes_attribute(&[Value::Int(1)]), "(max-width: 1px) 1px");
    }

    #[test]
    fn upload_response_breakpoints() {
        let v: Value = serde_json::from_str::<serde_json::Value>(
            r#"{"breakpoints":[{"width":800,"url":"http://a/8","secure_url":"https://a/8"},{"width":200,"url":"http://a/2","secure_url":"https://a/2"}]}"#,
        ).unwrap().into();
        assert_eq!(
            srcset_from_responsive_breakpoints(&v, false).unwrap(),
            "http://a/2 200w, http://a/8 800w"
        );
        assert_eq!(responsive_breakpoint_widths(&v).unwrap(), vec![200, 800]);
        assert!(srcset_from_responsive_breakpoints(&Value::Null, true).is_err());
    }
}
