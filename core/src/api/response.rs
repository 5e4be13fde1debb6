//! A decoded API answer with its request id and rate-limit information.

use reqwest::header::HeaderMap;

use crate::Value;

/// The `X-FeatureRateLimit-*` headers of an answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-FeatureRateLimit-Limit`: requests allowed per period.
    pub limit: Option<u64>,
    /// `X-FeatureRateLimit-Remaining`: requests left in the period.
    pub remaining: Option<u64>,
    /// `X-FeatureRateLimit-Reset` as Unix seconds.
    pub reset_at: Option<i64>,
}

impl RateLimit {
    /// The rate-limit headers of an answer, if any is present.
    pub fn from_headers(h: &HeaderMap) -> Option<RateLimit> {
        let num = |n: &str| header_str(h, n).and_then(|v| v.parse::<u64>().ok());
        let r = RateLimit {
            limit: num("x-featureratelimit-limit"),
            remaining: num("x-featureratelimit-remaining"),
            reset_at: header_str(h, "x-featureratelimit-reset").and_then(|v| parse_reset(&v)),
        };
        (r != RateLimit::default()).then_some(r)
    }
}

/// A reset time: an HTTP date (`Wed, 26 Jun 2024 10:00:00 GMT`) or Unix seconds.
pub(crate) fn parse_reset(v: &str) -> Option<i64> {
    if let Ok(n) = v.trim().parse::<i64>() {
        return Some(n);
    }
    let t = httpdate::parse_http_date(v.trim()).ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

/// A successful answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse {
    /// The HTTP status (2xx, or a 3xx/4xx whose JSON body had no `error`).
    pub status: u16,
    /// The decoded JSON body, keys in the server's order.
    pub body: Value,
    /// The `X-Request-Id` header.
    pub request_id: Option<String>,
    /// The Admin API rate-limit headers, when present.
    pub rate_limit: Option<RateLimit>,
}

impl ApiResponse {
    /// A member of the body (`None` when absent or when the body is not an object).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.body.as_map().and_then(|m| m.get(key))
    }

    /// A string member of the body.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// The `next_cursor` of a list answer, when there are more pages.
    pub fn next_cursor(&self) -> Option<&str> {
        self.str("next_cursor").filter(|s| !s.is_empty())
    }

    /// The body with the SDK additions merged in, as pycloudinary and the Node SDK
    /// expose them: `request_id`, `rate_limit_allowed`, `rate_limit_remaining`,
    /// `rate_limit_reset_at` (Unix seconds).
    pub fn into_value(self) -> Value {
        let mut body = self.body;
        if let Value::Map(m) = &mut body {
            if let Some(r) = &self.rate_limit {
                if let Some(l) = r.limit {
                    m.insert("rate_limit_allowed", l as i64);
                }
                if let Some(l) = r.remaining {
                    m.insert("rate_limit_remaining", l as i64);
                }
                if let Some(t) = r.reset_at {
                    m.insert("rate_limit_reset_at", t);
                }
            }
            if let Some(id) = self.request_id {
                if !m.contains_key("request_id") {
                    m.insert("request_id", id);
                }
            }
        }
        body
    }
}

/// The trimmed, non-empty text of header `name`.
pub(crate) fn header_str(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
