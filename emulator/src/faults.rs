//! Fault injection: fail the Nth matching request with a status, delay it, stall it,
//! reset the connection mid-body, truncate the response, answer HTML, answer an endless
//! (or huge) JSON body, trickle the answer a few bytes at a time, or make a list answer
//! repeat a `next_cursor`. Rules are set
//! through `POST /_emulator/faults` (a JSON array), `Emulator::set_faults` or
//! `cldkit serve --fault JSON`; random choices (`probability`) use a seeded generator,
//! so a run is reproducible.
//!
//! A rule: `{"method": "POST", "path": "/upload", "nth": 2, "count": 1,
//! "action": "status", "status": 503, "message": "...", "delay_ms": 0, "bytes": 10,
//! "probability": 0.5}`. `action` is one of `status`, `html`, `delay`, `stall`, `reset`,
//! `truncate`, `endless`, `trickle`, `cursor`. Without `nth` and `probability` a rule
//! fires on every match.
//!
//! * `endless`: a 200 JSON answer that never ends (`{"resources":[` then
//!   `{"public_id":"endless"},` forever), sent in pieces of `bytes` bytes (default
//!   64 KiB) every `interval_ms` (default 0); with `length`, a `Content-Length` of that
//!   many bytes is declared and the body stops there (a huge answer, not an endless one).
//! * `trickle`: the handler's answer, `bytes` bytes (default 1) every `interval_ms`
//!   (default 1000).
//! * `cursor`: the handler's JSON answer with `next_cursor` set to `cursor` (default
//!   `"repeated-cursor"`).

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::error_response;
use crate::error::ApiError;

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
    /// `status` (default), `html`, `delay`, `stall`, `reset`, `truncate`, `endless`,
    /// `trickle`, `cursor`.
    pub action: Option<String>,
    /// Status for `status`/`html` (default 503).
    pub status: Option<u16>,
    /// Error message for `status`.
    pub message: Option<String>,
    /// Delay for `delay` (and before the others), milliseconds.
    pub delay_ms: Option<u64>,
    /// Bytes kept by `truncate` / `reset` (default 0 for reset, half for truncate);
    /// bytes per piece for `endless` (default 64 KiB) and `trickle` (default 1).
    pub bytes: Option<usize>,
    /// Pause between the pieces of `endless` (default 0) and `trickle` (default 1000),
    /// milliseconds.
    pub interval_ms: Option<u64>,
    /// For `endless`: the declared `Content-Length`, where the body stops.
    pub length: Option<u64>,
    /// For `cursor`: the `next_cursor` every matching answer carries.
    pub cursor: Option<String>,
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
            "status"
                | "html"
                | "delay"
                | "stall"
                | "reset"
                | "truncate"
                | "endless"
                | "trickle"
                | "cursor"
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
        matches!(self.action(), "status" | "html" | "endless")
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
            "endless" => Some(endless_response(
                self.rule.bytes.unwrap_or(64 * 1024).max(1),
                Duration::from_millis(self.rule.interval_ms.unwrap_or(0)),
                self.rule.length,
            )),
            "stall" => {
                // Never answer; the client's timeout (or a shutdown) ends it.
                tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
                None
            }
            _ => None,
        }
    }

    /// Runs on the handler's response (`reset`, `truncate`, `trickle`, `cursor`).
    pub fn after(&self, resp: Response) -> Response {
        let action = self.action();
        if action == "trickle" {
            let (parts, body) = resp.into_parts();
            let stream = trickle_stream(
                body,
                self.rule.bytes.unwrap_or(1).max(1),
                Duration::from_millis(self.rule.interval_ms.unwrap_or(1000)),
            );
            return Response::from_parts(parts, Body::from_stream(stream));
        }
        if action == "cursor" {
            let (parts, body) = resp.into_parts();
            let cursor = self
                .rule
                .cursor
                .clone()
                .unwrap_or_else(|| "repeated-cursor".to_owned());
            let mut r = Response::from_parts(parts, Body::from_stream(cursor_stream(body, cursor)));
            r.headers_mut().remove("content-length");
            return r;
        }
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

/// A 200 JSON answer whose body never ends (or stops at `length`, which is declared as
/// its `Content-Length`): `piece` bytes every `interval`.
fn endless_response(piece: usize, interval: Duration, length: Option<u64>) -> Response {
    const HEAD: &[u8] = b"{\"resources\":[";
    const ITEM: &[u8] = b"{\"public_id\":\"endless\"},";
    let chunk: Bytes = ITEM.iter().copied().cycle().take(piece).collect();
    // (bytes still to send, or None when endless; whether the head was sent)
    let state = (length, false);
    let stream = futures_util::stream::unfold(state, move |(left, started)| {
        let chunk = chunk.clone();
        async move {
            if left == Some(0) {
                return None;
            }
            let mut out = if started {
                if !interval.is_zero() {
                    tokio::time::sleep(interval).await;
                }
                chunk
            } else {
                Bytes::from_static(HEAD)
            };
            if let Some(l) = left {
                out.truncate(l.min(out.len() as u64) as usize);
            }
            let left = left.map(|l| l - out.len() as u64);
            Some((Ok::<_, std::io::Error>(out), (left, true)))
        }
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    if let Some(l) = length {
        if let Ok(v) = HeaderValue::from_str(&l.to_string()) {
            r.headers_mut().insert("content-length", v);
        }
    }
    r
}

/// The body sent `piece` bytes at a time, `interval` apart.
fn trickle_stream(
    body: Body,
    piece: usize,
    interval: Duration,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::once(async move {
        axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default()
    })
    .flat_map(move |full| {
        futures_util::stream::unfold((full, true), move |(mut rest, first)| async move {
            if rest.is_empty() {
                return None;
            }
            if !first {
                tokio::time::sleep(interval).await;
            }
            let out = rest.split_to(piece.min(rest.len()));
            Some((Ok(out), (rest, false)))
        })
    })
}

/// The JSON body with `next_cursor` set to `cursor` (other bodies pass unchanged).
fn cursor_stream(
    body: Body,
    cursor: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::once(async move {
        let full = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        match serde_json::from_slice::<serde_json::Value>(&full) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.insert("next_cursor".into(), serde_json::Value::String(cursor));
                Ok(Bytes::from(
                    serde_json::to_vec(&serde_json::Value::Object(m)).unwrap_or_default(),
                ))
            }
            _ => Ok(full),
        }
    })
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
        let r = parse_rules(br#"{"action": "endless", "bytes": 8, "interval_ms": 0}"#).unwrap();
        assert_eq!(r[0].bytes, Some(8));
    }

    async fn body_of(resp: Response, limit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut frames = resp.into_body().into_data_stream();
        while let Some(Ok(b)) = frames.next().await {
            out.extend_from_slice(&b);
            if out.len() >= limit {
                break;
            }
        }
        out
    }

    #[tokio::test]
    async fn endless_trickle_and_cursor_bodies() {
        let rule = |j: &str| Fault {
            rule: parse_rules(j.as_bytes()).unwrap().remove(0),
        };
        // Endless: keeps producing past any limit the reader sets.
        let f = rule(r#"{"action": "endless", "bytes": 1000}"#);
        assert!(f.answers_early());
        let body = body_of(f.before().await.unwrap(), 100_000).await;
        assert!(body.len() >= 100_000 && body.starts_with(b"{\"resources\":[{\"public_id\""));
        // With a length: declared and honoured.
        let f = rule(r#"{"action": "endless", "length": 2500, "bytes": 1000}"#);
        let resp = f.before().await.unwrap();
        assert_eq!(resp.headers()["content-length"], "2500");
        assert_eq!(body_of(resp, usize::MAX).await.len(), 2500);
        // Trickle: the same bytes, in pieces, paced.
        let f = rule(r#"{"action": "trickle", "bytes": 2, "interval_ms": 20}"#);
        let t = std::time::Instant::now();
        let out = f.after(Response::new(Body::from("{\"status\":\"ok\"}")));
        assert_eq!(body_of(out, usize::MAX).await, b"{\"status\":\"ok\"}");
        assert!(t.elapsed() >= Duration::from_millis(7 * 20));
        // Cursor: set on JSON objects.
        let f = rule(r#"{"action": "cursor", "cursor": "again"}"#);
        let out = f.after(Response::new(Body::from("{\"resources\":[]}")));
        let v: serde_json::Value = serde_json::from_slice(&body_of(out, usize::MAX).await).unwrap();
        assert_eq!(v["next_cursor"], "again");
    }
}
