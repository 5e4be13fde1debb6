//! Fault injection: fail the Nth matching request with a status, delay it, stall it,
//! reset the connection mid-body, truncate the response, or answer HTML. Rules are set
//! through `POST /_emulator/faults` (a JSON array), `Emulator::set_faults` or
//! `cldkit serve --fault JSON`; random choices (`probability`) use a seeded generator,
//! so a run is reproducible.
//!
//! A rule: `{"method": "POST", "path": "/upload", "nth": 2, "count": 1,
//! "action": "status", "status": 503, "message": "...", "delay_ms": 0, "bytes": 10,
//! "probability": 0.5}`. `action` is one of `status`, `html`, `delay`, `stall`, `reset`,
//! `truncate`. Without `nth` and `probability` a rule fires on every match.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::server::error_response;

/// One fault rule.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRule {
    /// HTTP method to match (any when absent).
    pub method: Option<String>,
    /// Substring of the path to match (any when absent).
    pub path: Option<String>,
    /// Fire on the Nth matching request (1-based).
    pub nth: Option<u64>,
    /// How many consecutive matches fire from `nth` on (default 1).
    pub count: Option<u64>,
    /// Fire with this probability instead (seeded).
    pub probability: Option<f64>,
    /// `status` (default), `html`, `delay`, `stall`, `reset`, `truncate`.
    pub action: Option<String>,
    /// Status for `status`/`html` (default 503).
    pub status: Option<u16>,
    /// Error message for `status`.
    pub message: Option<String>,
    /// Delay for `delay` (and before the others), milliseconds.
    pub delay_ms: Option<u64>,
    /// Bytes kept by `truncate` / `reset` (default 0 for reset, half for truncate).
    pub bytes: Option<usize>,
}

/// Parses rules from a JSON array (or a single object).
pub fn parse_rules(body: &[u8]) -> Result<Vec<FaultRule>, String> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("Invalid fault rules: {e}"))?;
    let rules: Vec<FaultRule> = match v {
        serde_json::Value::Array(_) => serde_json::from_value(v),
        other => serde_json::from_value(other).map(|r| vec![r]),
    }
    .map_err(|e| format!("Invalid fault rules: {e}"))?;
    for r in &rules {
        let a = r.action.as_deref().unwrap_or("status");
        if !matches!(
            a,
            "status" | "html" | "delay" | "stall" | "reset" | "truncate"
        ) {
            return Err(format!("Invalid fault rules: unknown action {a}"));
        }
    }
    Ok(rules)
}

struct Inner {
    rules: Vec<(FaultRule, u64)>,
    rng: StdRng,
    fired: u64,
}

/// The active rules.
pub struct Faults {
    inner: Mutex<Inner>,
    seed: u64,
}

/// A fault chosen for one request.
#[derive(Debug, Clone)]
pub struct Fault {
    rule: FaultRule,
}

impl Faults {
    /// Rules with a seed.
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Self {
        Faults {
            inner: Mutex::new(Inner {
                rules: rules.into_iter().map(|r| (r, 0)).collect(),
                rng: StdRng::seed_from_u64(seed),
                fired: 0,
            }),
            seed,
        }
    }

    /// Replaces the rules (counters and generator restart).
    pub fn set(&self, rules: Vec<FaultRule>) {
        let mut i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        i.rules = rules.into_iter().map(|r| (r, 0)).collect();
        i.rng = StdRng::seed_from_u64(self.seed);
        i.fired = 0;
    }

    /// The rules and counters as JSON.
    pub fn describe(&self) -> serde_json::Value {
        let i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        serde_json::json!({
            "faults": i.rules.iter().map(|(r, n)| serde_json::json!({"rule": r, "matched": n})).collect::<Vec<_>>(),
            "fired": i.fired,
        })
    }

    /// The fault to apply to this request, if any (control paths are never faulted).
    pub fn check(&self, method: &str, path: &str) -> Option<Fault> {
        if path.starts_with("/_emulator") {
            return None;
        }
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let inner = &mut *guard;
        let mut chosen = None;
        for (rule, matched) in inner.rules.iter_mut() {
            if rule
                .method
                .as_deref()
                .is_some_and(|m| !m.eq_ignore_ascii_case(method))
            {
                continue;
            }
            if rule.path.as_deref().is_some_and(|p| !path.contains(p)) {
                continue;
            }
            *matched += 1;
            let fire = if let Some(p) = rule.probability {
                inner.rng.gen_bool(p.clamp(0.0, 1.0))
            } else if let Some(n) = rule.nth {
                *matched >= n && *matched < n + rule.count.unwrap_or(1)
            } else {
                true
            };
            if fire && chosen.is_none() {
                chosen = Some(Fault { rule: rule.clone() });
            }
        }
        if chosen.is_some() {
            inner.fired += 1;
        }
        chosen
    }
}

impl Fault {
    fn action(&self) -> &str {
        self.rule.action.as_deref().unwrap_or("status")
    }

    /// Whether [`Fault::before`] answers in place of the handler (so the request body
    /// should be read first, as a real server would before answering).
    pub fn answers_early(&self) -> bool {
        matches!(self.action(), "status" | "html")
    }

    /// Runs before the handler; a response short-circuits it.
    pub async fn before(&self) -> Option<Response> {
        if let Some(ms) = self.rule.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        match self.action() {
            "status" => {
                let status = self.rule.status.unwrap_or(503);
                let msg = self
                    .rule
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("Injected fault {status}"));
                let mut r = error_response(&ApiError::new(status, msg));
                if status == 420 || status == 429 {
                    // As Cloudinary does: when the limit resets (one second from now).
                    let reset = std::time::SystemTime::now() + Duration::from_secs(1);
                    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(reset)) {
                        r.headers_mut().insert("x-featureratelimit-reset", v);
                    }
                    r.headers_mut()
                        .insert("retry-after", HeaderValue::from_static("1"));
                }
                Some(r)
            }
            "html" => {
                let mut r = Response::new(Body::from(
                    "<html><body><h1>Service Unavailable</h1></body></html>",
                ));
                *r.status_mut() = StatusCode::from_u16(self.rule.status.unwrap_or(503))
                    .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                r.headers_mut()
                    .insert("content-type", HeaderValue::from_static("text/html"));
                Some(r)
            }
            "stall" => {
                // Never answer; the client's timeout (or a shutdown) ends it.
                tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
                None
            }
            _ => None,
        }
    }

    /// Runs on the handler's response (`reset`, `truncate`).
    pub fn after(&self, resp: Response) -> Response {
        let action = self.action();
        if action != "reset" && action != "truncate" {
            return resp;
        }
        let (parts, body) = resp.into_parts();
        let keep = self.rule.bytes;
        let reset = action == "reset";
        let stream = async_stream(body, keep, reset);
        let mut r = Response::from_parts(parts, Body::from_stream(stream));
        r.headers_mut().remove("content-length");
        r
    }
}

/// The body cut after `keep` bytes, then an error that aborts the connection.
fn async_stream(
    body: Body,
    keep: Option<usize>,
    reset: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::once(async move {
        let full = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let n = keep
            .unwrap_or(if reset { 0 } else { full.len() / 2 })
            .min(full.len());
        full.slice(..n)
    })
    .map(Ok)
    .chain(futures_util::stream::once(async {
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected fault",
        ))
    }))
}

use futures_util::StreamExt as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_and_seeded_probability() {
        let rules = parse_rules(br#"[{"path": "/upload", "nth": 2, "status": 500}]"#).unwrap();
        let f = Faults::new(rules, 7);
        assert!(f.check("POST", "/v1_1/c/image/upload").is_none());
        assert!(f.check("POST", "/v1_1/c/image/upload").is_some());
        assert!(f.check("POST", "/v1_1/c/image/upload").is_none());
        assert!(f.check("GET", "/other").is_none());
        let p = parse_rules(br#"{"probability": 0.5}"#).unwrap();
        let run = |seed| {
            let f = Faults::new(p.clone(), seed);
            (0..32)
                .map(|_| f.check("GET", "/x").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert!(parse_rules(br#"{"action": "explode"}"#).is_err());
    }
}
