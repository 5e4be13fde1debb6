//! Routing: request ids, fault injection, rate limits and the dispatch of each request
//! to its handler.
//!
//! One handler dispatches on percent-decoded path segments (a decoded `/` splits too),
//! so `resources%2Fsearch` and `folder%2Fpid` route like their unescaped forms.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State as AxState};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;

use crate::error::{error_response, json_response, ApiError};
use crate::ids;
use crate::state::{authorization, control_allowed, is_json, read_body, segments, State};

/// The application router.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .fallback(dispatch)
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
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
