//! Routing, shared state, JSON responses, request ids and rate limits.
//!
//! One handler dispatches on percent-decoded path segments (a decoded `/` splits too),
//! so `resources%2Fsearch` and `folder%2Fpid` route like their unescaped forms.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value as Json;

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::faults::Faults;
use crate::store::Store;
use crate::webhook::Webhooks;
use crate::{ids, EmulatorConfig};

/// Per-cloud Admin API budget window.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    used: u64,
}

/// Everything the handlers share.
pub struct State {
    /// Accounts by cloud name.
    pub accounts: HashMap<String, Account>,
    /// Durable storage.
    pub store: Store,
    /// State of the other Admin API and provisioning entities (see [`crate::extras`]).
    pub extras: crate::extras::Extras,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// Admin requests per hour.
    pub hourly_budget: u64,
    /// The budget window in seconds (3600 unless a test shortens it).
    budget_window: i64,
    /// Accept SHA-256 signatures only.
    pub strict_sha256: bool,
    /// Fault injection.
    pub faults: Faults,
    /// Webhook delivery.
    pub webhooks: Webhooks,
    /// In-memory MD5 progress of in-order chunked uploads.
    pub chunk_hashers: Mutex<HashMap<(String, String), (md5::Md5, u64)>>,
    /// Serialises chunk-session bookkeeping.
    pub chunk_lock: tokio::sync::Mutex<()>,
    /// The HTTP client of remote `file` URLs (see [`crate::upload::fetch_client`]);
    /// `None` when it could not be built.
    pub fetcher: Option<reqwest::Client>,
    /// Whether the emulator listens on a non-loopback address (`--listen`, which needs
    /// explicit credentials): the control endpoints then accept any `Host` (a service
    /// name in a container network, say), the credentials being the guard.
    pub public_bind: bool,
    windows: Mutex<HashMap<String, Window>>,
}

impl State {
    /// State for a configuration.
    pub fn new(config: &EmulatorConfig, store: Store, base_url: String) -> State {
        State {
            accounts: config
                .accounts
                .iter()
                .map(|a| (a.cloud_name.clone(), a.clone()))
                .collect(),
            extras: crate::extras::Extras::open(store.root()),
            store,
            base_url,
            hourly_budget: config.hourly_budget,
            budget_window: i64::from(config.budget_window_secs.max(1)),
            strict_sha256: config.strict_sha256,
            faults: Faults::new(config.faults.clone(), config.seed),
            webhooks: Webhooks::new(config.webhook_attempts, config.webhook_retry_ms),
            chunk_hashers: Mutex::new(HashMap::new()),
            chunk_lock: tokio::sync::Mutex::new(()),
            fetcher: crate::upload::fetch_client(config.remote_fetch_timeout).ok(),
            public_bind: !config.bind.ip().is_loopback(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// The account of `cloud`.
    pub fn account(&self, cloud: &str) -> ApiResult<&Account> {
        self.accounts
            .get(cloud)
            .ok_or_else(|| ApiError::unauthorized(format!("Invalid cloud_name {cloud}")))
    }

    /// Spends one Admin request; returns (limit, remaining, reset) or a 420.
    fn spend(&self, cloud: &str) -> (u64, u64, i64, bool) {
        let now = ids::now();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let span = self.budget_window;
        let win = w.entry(cloud.to_owned()).or_insert(Window {
            start: now - now % span,
            used: 0,
        });
        if now - win.start >= span {
            *win = Window {
                start: now - now % span,
                used: 0,
            };
        }
        let ok = win.used < self.hourly_budget;
        if ok {
            win.used += 1;
        }
        (
            self.hourly_budget,
            self.hourly_budget - win.used,
            win.start + span,
            ok,
        )
    }
}

/// The application router.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .fallback(dispatch)
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

/// A JSON response with Cloudinary's headers.
pub fn json_response(status: StatusCode, body: &Json) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// An error response.
pub fn error_response(e: &ApiError) -> Response {
    json_response(e.status, &e.body())
}

/// Splits a raw path into percent-decoded segments, splitting decoded `/` too.
pub fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .flat_map(|s| {
            let decoded = percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned();
            decoded
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `Authorization` header.
pub fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn dispatch(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let request_id = ids::hex32();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let segs = segments(&path);
    let fault = state.faults.check(method.as_str(), &path);
    let mut req = req;
    if let Some(f) = &fault {
        if f.answers_early() {
            // Read (and discard) the body first, so the client sees the injected answer
            // rather than a connection closed under its upload.
            let (parts, body) = req.into_parts();
            let mut frames = body.into_data_stream();
            while let Some(frame) = futures_util::StreamExt::next(&mut frames).await {
                if frame.is_err() {
                    break;
                }
            }
            req = Request::from_parts(parts, axum::body::Body::empty());
        }
        if let Some(resp) = f.before().await {
            return resp;
        }
    }
    // The handlers may stop reading before the body ends (multipart parsing stops at the
    // closing delimiter; an early error stops anywhere). What is left unread is drained
    // after the handler, so the connection stays usable for the client's next request.
    let (parts, body) = req.into_parts();
    let body = SharedBody::new(body);
    let req = Request::from_parts(parts, Body::from_stream(body.clone()));
    let mut resp = match segs.first().map(String::as_str) {
        Some("_emulator") => control(&state, req, &segs[1..]).await,
        Some("v1_1") if segs.get(1).map(String::as_str) == Some("provisioning") => {
            match crate::provisioning::handle(&state, req, &segs[2..]).await {
                Ok(body) => json_response(StatusCode::OK, &body),
                Err(e) => error_response(&e),
            }
        }
        // v2: `/v2/{cloud}/...` and module-first `/v2/notifications/{cloud}/...`, as
        // Admin API requests under a leading `v2` segment.
        Some("v2") if segs.len() >= 3 => {
            let (cloud, rest) = if segs[1] == "notifications" {
                (segs[2].clone(), [&segs[..2], &segs[3..]].concat())
            } else {
                (segs[1].clone(), [&segs[..1], &segs[2..]].concat())
            };
            api(&state, req, &cloud, &rest).await
        }
        Some("v1_1") if segs.len() >= 2 => {
            let cloud = segs[1].clone();
            api(&state, req, &cloud, &segs[2..]).await
        }
        Some(_) if method == Method::GET || method == Method::HEAD => {
            crate::delivery::handle(&state, req, &segs).await
        }
        _ => error_response(&ApiError::not_found(format!("Not found - {path}"))),
    };
    if !body.drain(DRAIN_LIMIT, DRAIN_WAIT).await {
        // Too much left (or the client stalls): say so, rather than let the connection
        // close under a client that would reuse it.
        resp.headers_mut()
            .insert("connection", HeaderValue::from_static("close"));
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    match fault {
        Some(f) => f.after(resp),
        None => resp,
    }
}

/// At most this much of a body left unread by a handler is drained after it.
const DRAIN_LIMIT: usize = 1 << 20;
/// How long the drain waits for the rest of a body (e.g. the last chunk of a
/// `Transfer-Encoding: chunked` body sent after the multipart closing delimiter).
const DRAIN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A request body that the handler reads as a stream while the dispatcher keeps a handle
/// on it, to drain what the handler left unread.
#[derive(Clone)]
struct SharedBody(Arc<Mutex<Option<axum::body::BodyDataStream>>>);

impl SharedBody {
    fn new(body: Body) -> SharedBody {
        SharedBody(Arc::new(Mutex::new(Some(body.into_data_stream()))))
    }

    /// Reads the rest of the body; false when it was longer than `limit`, took longer
    /// than `wait` or failed (the connection should then be closed).
    async fn drain(&self, limit: usize, wait: std::time::Duration) -> bool {
        let mut left = limit;
        let work = async {
            loop {
                let next = futures_util::future::poll_fn(|cx| {
                    let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
                    match g.as_mut() {
                        None => std::task::Poll::Ready(None),
                        Some(s) => futures_util::Stream::poll_next(std::pin::Pin::new(s), cx),
                    }
                })
                .await;
                match next {
                    None => return true,
                    Some(Ok(b)) if b.len() <= left => left -= b.len(),
                    Some(_) => return false,
                }
            }
        };
        let done = tokio::time::timeout(wait, work).await.unwrap_or(false);
        // Dropped either way: nothing reads it any more.
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
        done
    }
}

impl futures_util::Stream for SharedBody {
    type Item = Result<bytes::Bytes, axum::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match g.as_mut() {
            None => std::task::Poll::Ready(None),
            Some(s) => futures_util::Stream::poll_next(std::pin::Pin::new(s), cx),
        }
    }
}

const UPLOAD_ACTIONS: &[&str] = &[
    "upload", "explicit", "destroy", "rename", "tags", "context", "metadata", "text",
];

async fn api(state: &Arc<State>, req: Request, cloud: &str, rest: &[String]) -> Response {
    let account = match state.account(cloud) {
        Ok(a) => a.clone(),
        Err(e) => return error_response(&e),
    };
    // Upload API calls that generate assets (sprite, multi, explode, archives,
    // slideshows).
    if let [rt, action] = rest {
        if req.method() == Method::POST
            && crate::upload_more::ACTIONS.contains(&action.as_str())
            && matches!(rt.as_str(), "image" | "video" | "raw" | "auto" | "all")
        {
            return match crate::upload_more::handle(state, &account, rt, action, req).await {
                Ok(body) => json_response(StatusCode::OK, &body),
                Err(e) => error_response(&e),
            };
        }
    }
    let is_upload = req.method() == Method::POST
        && match rest {
            [rt, action] => {
                matches!(rt.as_str(), "image" | "video" | "raw" | "auto")
                    && UPLOAD_ACTIONS.contains(&action.as_str())
            }
            [action] => action == "upload",
            _ => false,
        };
    if is_upload {
        let (rt, action) = match rest {
            [rt, action] => (rt.clone(), action.clone()),
            _ => ("auto".to_owned(), "upload".to_owned()),
        };
        return match crate::upload::handle(state, &account, &rt, &action, req).await {
            Ok(body) => json_response(StatusCode::OK, &body),
            Err(e) => error_response(&e),
        };
    }
    // Admin API: authenticate, then spend the budget.
    let auth = authorization(req.headers());
    if let Err(e) = crate::auth::check_admin(&account, auth.as_deref()) {
        return error_response(&e);
    }
    let (limit, remaining, reset, ok) = state.spend(cloud);
    let mut resp = if ok {
        match crate::admin::handle(state, &account, req, rest).await {
            Ok(body) => json_response(StatusCode::OK, &body),
            Err(e) => error_response(&e),
        }
    } else {
        error_response(&ApiError::new(420, "Rate limit exceeded"))
    };
    let h = resp.headers_mut();
    h.insert("x-featureratelimit-limit", HeaderValue::from(limit));
    h.insert("x-featureratelimit-remaining", HeaderValue::from(remaining));
    let reset = httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(reset.max(0) as u64),
    );
    if let Ok(v) = HeaderValue::from_str(&reset) {
        h.insert("x-featureratelimit-reset", v);
    }
    resp
}

/// `/_emulator/...`: fault rules, the notification delivery record, health.
///
/// `GET /_emulator/health` answers anyone. Everything else needs, in this order:
/// a loopback `Host` (`localhost`, `127.x.y.z`, `[::1]`, with any port) so that a
/// DNS-rebound name is refused (403) — unless the emulator listens on a non-loopback
/// address (`--listen`, only with explicit credentials), where any `Host` is accepted;
/// the credentials of one of the served accounts, as for the Admin API
/// (`Authorization: Basic base64(api_key:api_secret)`, or `Bearer` with the account's
/// `oauth_token`) (401); and for `POST`/`PUT` a `Content-Type: application/json` body,
/// which a page of another site cannot send without a CORS preflight that is never
/// granted (415).
async fn control(state: &Arc<State>, req: Request, rest: &[String]) -> Response {
    let method = req.method().clone();
    let what = rest.first().map(String::as_str);
    if method == Method::GET && what == Some("health") && rest.len() == 1 {
        return json_response(StatusCode::OK, &serde_json::json!({"status": "ok"}));
    }
    if let Err(e) = control_allowed(state, &req) {
        return error_response(&e);
    }
    match (method.as_str(), what) {
        ("GET", Some("faults")) => json_response(StatusCode::OK, &state.faults.describe()),
        ("GET", Some("notifications")) => json_response(StatusCode::OK, &state.webhooks.describe()),
        ("DELETE", Some("faults")) => {
            state.faults.set(Vec::new());
            json_response(StatusCode::OK, &serde_json::json!({"faults": []}))
        }
        ("POST" | "PUT", Some("faults")) => {
            if !is_json(req.headers()) {
                return error_response(&ApiError::new(
                    415,
                    "Control requests need Content-Type: application/json",
                ));
            }
            let body = match read_body(req, CONTROL_BODY).await {
                Ok(b) => b,
                Err(e) => return error_response(&e),
            };
            match crate::faults::parse_rules(&body) {
                Ok(rules) => {
                    state.faults.set(rules);
                    json_response(StatusCode::OK, &state.faults.describe())
                }
                Err(e) => error_response(&ApiError::bad_request(e)),
            }
        }
        _ => error_response(&ApiError::not_found("Unknown control endpoint")),
    }
}

/// The largest control request body (fault rules).
const CONTROL_BODY: usize = 1 << 20;

/// The `Host` and credential checks of the control endpoints.
fn control_allowed(state: &State, req: &Request) -> ApiResult<()> {
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if !state.public_bind && !host_allowed(host) {
        return Err(ApiError::new(
            403,
            "Control requests need a loopback Host (localhost, 127.0.0.1 or [::1])",
        ));
    }
    let auth = authorization(req.headers());
    if auth.is_none() {
        return Err(ApiError::unauthorized(
            "Control requests need the credentials of a served account (Basic api_key:api_secret)",
        ));
    }
    if state
        .accounts
        .values()
        .any(|a| crate::auth::header_auth(a, auth.as_deref()) == Some(true))
    {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "Invalid credentials (api_key, api_secret or oauth_token)",
        ))
    }
}

/// Whether a `Host` header names this machine's loopback interface: `localhost` (a
/// trailing dot allowed), a loopback IPv4 or IPv6 literal (IPv4-mapped too), any port.
pub fn host_allowed(host: Option<&str>) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, "")) => inside,
            Some((inside, port)) if port.strip_prefix(':').is_some_and(is_port) => inside,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    name.parse::<std::net::IpAddr>().is_ok_and(is_loopback)
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
}

/// Loopback, IPv4-mapped IPv6 loopback (`::ffff:127.0.0.1`) included.
pub fn is_loopback(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Whether the request says `Content-Type: application/json` (parameters allowed).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Reads a whole request body of at most `limit` bytes: a larger `Content-Length` is
/// refused before anything is read, a longer body as soon as it passes the limit (413).
pub async fn read_body(req: Request, limit: usize) -> ApiResult<bytes::Bytes> {
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(crate::params::too_large(format!(
            "the body is larger than {limit} bytes"
        )));
    }
    let mut stream = req.into_body().into_data_stream();
    let mut out = bytes::BytesMut::with_capacity(declared.unwrap_or(0) as usize);
    while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}")))?;
        if out.len() + chunk.len() > limit {
            return Err(crate::params::too_large(format!(
                "the body is larger than {limit} bytes"
            )));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

/// Reads a non-multipart request body (JSON or form) plus the query into params, within
/// the limits of [`crate::params`]: a body of at most `limit` bytes and at most
/// [`crate::params::MAX_FIELDS`] fields or JSON values.
pub async fn read_params(req: Request, limit: usize) -> ApiResult<crate::params::Params> {
    let mut params = crate::params::Params::new();
    if let Some(q) = req.uri().query() {
        params.push_urlencoded(q.as_bytes())?;
    }
    let ctype = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ctype.starts_with("multipart/") {
        let (text, _) = crate::upload::read_multipart_text(req).await?;
        if params.entries().len() + text.entries().len() > crate::params::MAX_FIELDS {
            return Err(crate::params::too_large(format!(
                "more than {} fields",
                crate::params::MAX_FIELDS
            )));
        }
        for (k, v) in text.entries() {
            params.push_text(k, v.as_str().unwrap_or_default().to_owned());
        }
        return Ok(params);
    }
    let body = read_body(req, limit).await?;
    let trimmed = body.iter().position(|b| !b.is_ascii_whitespace());
    if ctype.contains("json") || (trimmed.is_some() && body[trimmed.unwrap_or(0)] == b'{') {
        params.push_json(&body)?;
    } else {
        params.push_urlencoded(&body)?;
    }
    Ok(params)
}

/// An empty body (HEAD answers).
pub fn empty(status: StatusCode) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn control_hosts() {
        for h in [
            "localhost",
            "LOCALHOST:8080",
            "localhost.:1",
            "127.0.0.1",
            "127.9.8.7:65535",
            "[::1]",
            "[::1]:80",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(host_allowed(Some(h)), "{h}");
        }
        for h in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io:80",
            "10.0.0.1:80",
            "[::2]:80",
            "0.0.0.0",
            "localhost:http",
            "[::1]x",
            "::1",
        ] {
            assert!(!host_allowed(Some(h)), "{h}");
        }
        assert!(!host_allowed(None));
    }

    #[test]
    fn a_public_address_accepts_any_host_with_credentials() {
        let check = |bind: &str, host: &str, auth: Option<&str>| {
            let dir = tempfile::tempdir().unwrap();
            let config = crate::EmulatorConfig {
                accounts: vec![crate::Account::new("c", "k", "s")],
                bind: bind.parse().unwrap(),
                ..crate::EmulatorConfig::default()
            };
            let state = super::State::new(
                &config,
                crate::store::Store::open(dir.path()).unwrap(),
                "http://127.0.0.1:9".into(),
            );
            let mut req = axum::http::Request::builder()
                .uri("/_emulator/faults")
                .header("host", host);
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            let req = req.body(axum::body::Body::empty()).unwrap();
            super::control_allowed(&state, &req).map_err(|e| e.status.as_u16())
        };
        // "Basic azpz" = k:s.
        assert_eq!(
            check("0.0.0.0:0", "emulator:8080", Some("Basic azpz")),
            Ok(())
        );
        assert_eq!(check("0.0.0.0:0", "emulator:8080", None), Err(401));
        assert_eq!(
            check("0.0.0.0:0", "emulator:8080", Some("Basic eDp5")),
            Err(401)
        );
        assert_eq!(
            check("127.0.0.1:0", "emulator:8080", Some("Basic azpz")),
            Err(403)
        );
        assert_eq!(
            check("127.0.0.1:0", "localhost:1", Some("Basic azpz")),
            Ok(())
        );
    }
}
