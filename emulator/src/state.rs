//! The bottom of the request handlers: the state they share, reading request
//! parameters, and authorization (the `Authorization` header, the control endpoints'
//! checks). Error and JSON answers are [`crate::error::error_response`] and
//! [`crate::error::json_response`].

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
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
    /// The HTTP client of remote `file` URLs (see [`crate::remote::fetch_client`]);
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
            fetcher: crate::remote::fetch_client(config.remote_fetch_timeout).ok(),
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

    /// Sends a notification of `event_type` about `account` to its targets (the
    /// per-call URL, else the account's notification URL, and the matching webhook
    /// triggers): [`Webhooks::notify`].
    pub fn notify(
        &self,
        account: &Account,
        event_type: &str,
        payload: Json,
        per_call_url: Option<String>,
    ) {
        self.webhooks
            .notify(&self.extras, account, event_type, payload, per_call_url);
    }

    /// Spends one Admin request; returns (limit, remaining, reset) or a 420.
    pub(crate) fn spend(&self, cloud: &str) -> (u64, u64, i64, bool) {
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

/// The `Host` and credential checks of the control endpoints (see [`crate::router`]).
pub fn control_allowed(state: &State, req: &Request) -> ApiResult<()> {
    let host = req
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if !state.public_bind && !crate::loopback::host_allowed(host) {
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

/// Whether the request says `Content-Type: application/json` (parameters allowed).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
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
        let (text, _) = crate::multipart::read_multipart_text(req).await?;
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
