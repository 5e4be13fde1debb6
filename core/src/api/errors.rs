//! Typed API errors: the category, Cloudinary's message, the HTTP status and the
//! request id. Messages never contain the `api_secret` or an OAuth token.

use std::fmt;

use super::resume::ResumeToken;

/// What went wrong with an API call, as a stable category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// HTTP 400: the request was rejected (bad parameter, file too large, ...).
    BadRequest,
    /// HTTP 401: missing or wrong credentials, invalid signature.
    Authorization,
    /// HTTP 403: valid credentials without permission.
    NotAllowed,
    /// HTTP 404: no such resource (or route).
    NotFound,
    /// HTTP 409: the resource already exists.
    AlreadyExists,
    /// HTTP 420 or 429: rate limited; see [`ApiError::reset_at`].
    RateLimited,
    /// HTTP 5xx: the server failed.
    Server,
    /// A connect, read or total timeout fired.
    Timeout,
    /// The connection failed or was reset, or the proxy refused.
    Network,
    /// Any other status, or a body that is not the JSON the API returns.
    Response,
    /// A local file or stream could not be read.
    Io,
    /// The call was refused before sending: a bad option or configuration.
    Invalid,
}

impl ApiErrorKind {
    /// A stable, machine-readable code (`bad_request`, `authorization`, `not_allowed`,
    /// `not_found`, `already_exists`, `rate_limited`, `server_error`, `timeout`,
    /// `network`, `response`, `io`, `invalid`).
    pub fn code(self) -> &'static str {
        match self {
            ApiErrorKind::BadRequest => "bad_request",
            ApiErrorKind::Authorization => "authorization",
            ApiErrorKind::NotAllowed => "not_allowed",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::AlreadyExists => "already_exists",
            ApiErrorKind::RateLimited => "rate_limited",
            ApiErrorKind::Server => "server_error",
            ApiErrorKind::Timeout => "timeout",
            ApiErrorKind::Network => "network",
            ApiErrorKind::Response => "response",
            ApiErrorKind::Io => "io",
            ApiErrorKind::Invalid => "invalid",
        }
    }

    /// The category of an HTTP error status.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Authorization,
            403 => ApiErrorKind::NotAllowed,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::AlreadyExists,
            420 | 429 => ApiErrorKind::RateLimited,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Response,
        }
    }

    /// Whether a new attempt may succeed (5xx, 420/429, timeouts, network errors).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ApiErrorKind::RateLimited
                | ApiErrorKind::Server
                | ApiErrorKind::Timeout
                | ApiErrorKind::Network
        )
    }
}

/// The error of every HTTP call.
///
/// ```
/// use cldkit::api::{ApiError, ApiErrorKind};
/// let e = ApiError::http(404, "Resource not found - x", Some("req-1".into()));
/// assert_eq!(e.kind(), ApiErrorKind::NotFound);
/// assert_eq!(e.status(), Some(404));
/// assert_eq!(e.request_id(), Some("req-1"));
/// assert_eq!(e.message(), "Resource not found - x");
/// ```
#[derive(Clone)]
pub struct ApiError {
    kind: ApiErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    reset_at: Option<i64>,
    option: Option<String>,
    attempts: u32,
    resume: Option<Box<ResumeToken>>,
}

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(kind: ApiErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            message: message.into(),
            status: None,
            request_id: None,
            reset_at: None,
            option: None,
            attempts: 1,
            resume: None,
        }
    }

    /// The error for an HTTP error answer: the category from the status, the
    /// server's message and the `X-Request-Id`.
    pub fn http(status: u16, message: impl Into<String>, request_id: Option<String>) -> Self {
        let mut e = ApiError::new(ApiErrorKind::from_status(status), message);
        e.status = Some(status);
        e.request_id = request_id;
        e
    }

    /// A local I/O error (reading the file or stream to upload).
    pub fn io(context: &str, err: &std::io::Error) -> Self {
        ApiError::new(ApiErrorKind::Io, format!("{context}: {err}"))
    }

    /// The same error with the rate-limit reset time (Unix seconds).
    pub(crate) fn with_reset_at(mut self, reset_at: Option<i64>) -> Self {
        self.reset_at = reset_at;
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    pub(crate) fn with_resume(mut self, token: ResumeToken) -> Self {
        self.resume = Some(Box::new(token));
        self
    }

    /// The category.
    pub fn kind(&self) -> ApiErrorKind {
        self.kind
    }

    /// The stable code of the category.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Cloudinary's message (or a description of the local failure).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The `X-Request-Id` of the failing answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// For [`ApiErrorKind::RateLimited`]: when the limit resets (Unix seconds), from
    /// `X-FeatureRateLimit-Reset` or `Retry-After`.
    pub fn reset_at(&self) -> Option<i64> {
        self.reset_at
    }

    /// For [`ApiErrorKind::Invalid`]: the option or setting at fault, if known.
    pub fn option(&self) -> Option<&str> {
        self.option.as_deref()
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// For a failed chunked upload: the token that continues it
    /// ([`super::UploadSettings::resume`]).
    pub fn resume_token(&self) -> Option<&ResumeToken> {
        self.resume.as_deref()
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> Self {
        let mut out = ApiError::new(ApiErrorKind::Invalid, e.message());
        out.option = e.option().map(str::to_owned);
        out
    }
}

/// An API error as an engine error: the same category (an `Invalid` error becomes an
/// option or configuration error), message, status, request id and reset time.
impl From<ApiError> for crate::Error {
    fn from(e: ApiError) -> Self {
        use crate::ErrorKind as K;
        let kind = match e.kind {
            ApiErrorKind::Invalid => {
                return match e.option {
                    Some(o) => crate::Error::invalid_option(o, e.message),
                    None => crate::Error::config(e.message),
                }
            }
            ApiErrorKind::BadRequest => K::BadRequest,
            ApiErrorKind::Authorization => K::Authorization,
            ApiErrorKind::NotAllowed => K::NotAllowed,
            ApiErrorKind::NotFound => K::NotFound,
            ApiErrorKind::AlreadyExists => K::AlreadyExists,
            ApiErrorKind::RateLimited => K::RateLimited,
            ApiErrorKind::Server => K::Server,
            ApiErrorKind::Timeout => K::Timeout,
            ApiErrorKind::Network => K::Network,
            ApiErrorKind::Response => K::Response,
            ApiErrorKind::Io => K::Io,
        };
        crate::Error::api(kind, e.message, e.status, e.request_id, e.reset_at)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind.code())?;
        if let Some(s) = self.status {
            write!(f, " (HTTP {s})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(r) = &self.request_id {
            write!(f, " [request id {r}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("reset_at", &self.reset_at)
            .field("attempts", &self.attempts)
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// The message of a transport error, without its URL (never secret-bearing, but
/// kept short) and with the cause chain.
pub(crate) fn transport_error(e: &reqwest::Error) -> ApiError {
    let kind = if e.is_timeout() {
        ApiErrorKind::Timeout
    } else {
        ApiErrorKind::Network
    };
    let mut msg = String::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    let mut first = true;
    while let Some(err) = cur {
        let text = err.to_string();
        if !msg.contains(&text) {
            if !first {
                msg.push_str(": ");
            }
            msg.push_str(&text);
            first = false;
        }
        cur = err.source();
    }
    // A timeout may surface through a hyper/io error only: classify by text too.
    let kind = if kind == ApiErrorKind::Network && msg.to_ascii_lowercase().contains("timed out") {
        ApiErrorKind::Timeout
    } else {
        kind
    };
    ApiError::new(kind, strip_urls(&msg))
}

/// Removes `for url (...)` fragments from a reqwest message.
fn strip_urls(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" for url (") {
        out.push_str(&rest[..i]);
        match rest[i..].find(')') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl ResumeToken {
    /// A token from its JSON form (here, beside the error it fails with, so that the
    /// token stays below the errors in the module layers).
    pub fn from_json(text: &str) -> Result<Self, ApiError> {
        serde_json::from_str(text).map_err(|e| {
            crate::Error::invalid_option("resume", format!("not a resume token: {e}")).into()
        })
    }
}
