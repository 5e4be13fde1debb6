//! Request parameters from query strings, form bodies, JSON bodies and multipart
//! fields, in arrival order, with the SDKs' array spellings (`k[]`, repeated `k`,
//! JSON arrays) folded together.

use serde_json::Value as Json;

use crate::error::{ApiError, ApiResult};

/// At most this many fields per request: query pairs, form pairs, multipart parts and
/// JSON values (every value of a JSON body counts, nested ones included). The SDKs send
/// a few dozen; the largest legitimate lists (1 000 `public_ids` of a `tags` call) fit.
pub const MAX_FIELDS: usize = 10_000;

/// At most this many bytes of text fields (names and values) per multipart request,
/// all fields together except an upload's `file` given as text (see
/// [`crate::multipart::MAX_DATA_URI`]). `context`, `metadata`, `eager` and tag lists are
/// far smaller.
pub const MAX_TEXT_BYTES: usize = 8 << 20;

/// The largest url-encoded or JSON request body (a data URI `file` in such a body
/// included; multipart bodies are limited per part instead).
pub const MAX_FORM_BODY: usize = 16 << 20;

/// A 413 answer for a request over one of the limits.
pub fn too_large(what: impl std::fmt::Display) -> ApiError {
    ApiError::new(413, format!("Request too large: {what}"))
}

/// The number of `&`-separated pairs of a url-encoded string (an upper bound of what
/// `form_urlencoded` yields), counted without allocating.
pub fn count_urlencoded(data: &[u8]) -> usize {
    data.split(|b| *b == b'&').filter(|p| !p.is_empty()).count()
}

/// An upper bound of the number of values in a JSON text (every value, nested ones and
/// object keys included), counted without parsing: one, plus one per `,`, `[` and `{`
/// outside strings.
pub fn count_json_values(data: &[u8]) -> usize {
    let mut n = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in data {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' | b'[' | b'{' => n += 1,
            _ => {}
        }
    }
    n
}

/// Ordered request parameters. Names are stored without a trailing `[]`.
#[derive(Clone, Debug, Default)]
pub struct Params {
    entries: Vec<(String, Json)>,
}

/// Strips the `[]` array marker (and `[0]`-style indices) from a field name.
fn base_name(name: &str) -> &str {
    match name.find('[') {
        Some(i) if name.ends_with(']') => &name[..i],
        _ => name,
    }
}

/// The text of a scalar JSON value as a form would carry it.
fn scalar_text(v: &Json) -> Option<String> {
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params::default()
    }

    /// Adds a text field as received (`name[]` is folded into `name`).
    pub fn push_text(&mut self, name: &str, value: String) {
        self.entries
            .push((base_name(name).to_owned(), Json::String(value)));
    }

    /// Adds the fields of a URL-encoded string (query string or form body); 413 when
    /// the request would carry more than [`MAX_FIELDS`] fields.
    pub fn push_urlencoded(&mut self, data: &[u8]) -> ApiResult<()> {
        if self.entries.len() + count_urlencoded(data) > MAX_FIELDS {
            return Err(too_large(format!("more than {MAX_FIELDS} fields")));
        }
        for (k, v) in form_urlencoded::parse(data) {
            self.push_text(&k, v.into_owned());
        }
        Ok(())
    }

    /// Adds the members of a JSON object body (`null` members are ignored); 413 when
    /// it holds more than [`MAX_FIELDS`] values (checked before parsing, so a body of
    /// many tiny values cannot expand in memory), 400 when it is not a JSON object.
    pub fn push_json(&mut self, body: &[u8]) -> ApiResult<()> {
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(());
        }
        if self.entries.len() + count_json_values(body) > MAX_FIELDS {
            return Err(too_large(format!("more than {MAX_FIELDS} JSON values")));
        }
        self.push_json_value(body).map_err(ApiError::bad_request)
    }

    fn push_json_value(&mut self, body: &[u8]) -> Result<(), String> {
        let v: Json =
            serde_json::from_slice(body).map_err(|e| format!("Invalid JSON body: {e}"))?;
        match v {
            Json::Object(map) => {
                for (k, v) in map {
                    if !v.is_null() {
                        self.entries.push((base_name(&k).to_owned(), v));
                    }
                }
                Ok(())
            }
            _ => Err("Invalid JSON body: expected an object".into()),
        }
    }

    /// All entries in arrival order.
    pub fn entries(&self) -> &[(String, Json)] {
        &self.entries
    }

    /// Whether `name` was sent.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == name)
    }

    /// Removes every value of `name`.
    pub fn remove(&mut self, name: &str) {
        self.entries.retain(|(k, _)| k != name);
    }

    /// The raw JSON value of the first `name`.
    pub fn json(&self, name: &str) -> Option<&Json> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// All values of `name` as text, flattening JSON arrays.
    pub fn all(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.entries {
            if k != name {
                continue;
            }
            match v {
                Json::Array(items) => out.extend(items.iter().filter_map(scalar_text)),
                other => out.extend(scalar_text(other)),
            }
        }
        out
    }

    /// The value of `name` as the signature sees it: every value joined with `,`.
    pub fn text(&self, name: &str) -> Option<String> {
        let all = self.all(name);
        if all.is_empty() && !self.has(name) {
            None
        } else {
            Some(all.join(","))
        }
    }

    /// Like [`Params::text`], but `None` for an empty value.
    pub fn nonempty(&self, name: &str) -> Option<String> {
        self.text(name).filter(|s| !s.is_empty())
    }

    /// A list parameter: repeated values, arrays, or one comma-separated string.
    pub fn list(&self, name: &str) -> Vec<String> {
        let all = self.all(name);
        if all.len() == 1 {
            all[0]
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            all.into_iter().filter(|s| !s.is_empty()).collect()
        }
    }

    /// A list parameter whose items may contain commas (public ids): repeated values or
    /// arrays are kept whole; a single string is split on commas.
    pub fn ids(&self, name: &str) -> Vec<String> {
        self.list(name)
    }

    /// A boolean: `1`, `true` (any case) or JSON `true`.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.json(name)? {
            Json::Bool(b) => Some(*b),
            Json::Number(n) => Some(n.as_f64().unwrap_or(0.0) != 0.0),
            Json::String(s) => match s.to_ascii_lowercase().as_str() {
                "1" | "true" => Some(true),
                "0" | "false" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.json(name)? {
            Json::Number(n) => n.as_i64(),
            Json::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_counts_are_upper_bounds() {
        assert_eq!(count_json_values(b"{}"), 2);
        assert_eq!(
            count_json_values(br#"{"a": [1, 2, {"b": "x,[{"}], "c\\\"": 3}"#),
            7
        );
        assert_eq!(count_urlencoded(b"a=1&&b&"), 2);
        let many = format!("[0{}]", ",0".repeat(MAX_FIELDS));
        let e = Params::new().push_json(many.as_bytes()).unwrap_err();
        assert_eq!(e.status.as_u16(), 413);
        let form = "a&".repeat(MAX_FIELDS + 1);
        assert_eq!(
            Params::new()
                .push_urlencoded(form.as_bytes())
                .unwrap_err()
                .status
                .as_u16(),
            413
        );
        let mut ok = Params::new();
        ok.push_urlencoded("a&".repeat(MAX_FIELDS).as_bytes())
            .unwrap();
        assert_eq!(ok.entries().len(), MAX_FIELDS);
    }

    #[test]
    fn arrays_in_every_spelling() {
        let mut p = Params::new();
        p.push_urlencoded(b"public_ids%5B%5D=a&public_ids%5B%5D=b&fields=x&fields=y&tags=t1,t2")
            .unwrap();
        assert_eq!(p.ids("public_ids"), ["a", "b"]);
        assert_eq!(p.list("fields"), ["x", "y"]);
        assert_eq!(p.list("tags"), ["t1", "t2"]);
        assert_eq!(p.text("public_ids").unwrap(), "a,b");
        let mut j = Params::new();
        j.push_json(br#"{"public_ids": ["a", "b"], "transformations": null, "invalidate": true}"#)
            .unwrap();
        assert_eq!(j.ids("public_ids"), ["a", "b"]);
        assert!(!j.has("transformations"));
        assert_eq!(j.flag("invalidate"), Some(true));
    }
}
