//! One error type for the whole engine.
//!
//! Every failure is data: a [`ErrorKind`] the bindings map to their own exception
//! classes (with a stable [`Error::code`] string), and a message for people. Messages
//! name the offending option but never contain a secret.

use std::fmt;

/// What went wrong, as a stable category the bindings map to exception types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An option has a value the SDK rules reject.
    InvalidOption,
    /// The configuration is missing something or cannot be parsed.
    Config,
    /// A signature could not be computed (missing secret, unknown algorithm, bad key).
    Signature,
    /// HTTP 400: the API rejected the request.
    BadRequest,
    /// HTTP 401: missing or wrong credentials, invalid signature.
    Authorization,
    /// HTTP 403: valid credentials without permission.
    NotAllowed,
    /// HTTP 404: no such resource.
    NotFound,
    /// HTTP 409: the resource already exists.
    AlreadyExists,
    /// HTTP 420 or 429: rate limited; see [`Error::reset_at`].
    RateLimited,
    /// HTTP 5xx: the server failed.
    Server,
    /// A connect, read or total timeout fired.
    Timeout,
    /// The connection failed or was reset, or the proxy refused.
    Network,
    /// Another status, or a body that is not the JSON the API returns.
    Response,
    /// A local file or stream could not be read.
    Io,
}

impl ErrorKind {
    /// A stable, machine-readable code: `invalid_option`, `config`, `signature`, and
    /// for API calls `bad_request`, `authorization`, `not_allowed`, `not_found`,
    /// `already_exists`, `rate_limited`, `server_error`, `timeout`, `network`,
    /// `response`, `io`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidOption => "invalid_option",
            ErrorKind::Config => "config",
            ErrorKind::Signature => "signature",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Authorization => "authorization",
            ErrorKind::NotAllowed => "not_allowed",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::Response => "response",
            ErrorKind::Io => "io",
        }
    }

    /// Every kind, in the order of the table above: the one list the bindings
    /// generate their exception classes, status codes and docs from.
    ///
    /// ```
    /// let codes: Vec<_> = cldkit::ErrorKind::ALL.iter().map(|k| k.code()).collect();
    /// assert_eq!(codes[0], "invalid_option");
    /// assert_eq!(cldkit::ErrorKind::ALL.len(), 14);
    /// ```
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::InvalidOption,
        ErrorKind::Config,
        ErrorKind::Signature,
        ErrorKind::BadRequest,
        ErrorKind::Authorization,
        ErrorKind::NotAllowed,
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Response,
        ErrorKind::Io,
    ];

    /// The exception class name the bindings give this kind (`InvalidOptionError`,
    /// `NotFoundError`, ...). A binding whose language already has a class of that
    /// name (Python's `TimeoutError`) may prefix it, and says so in its docs.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::InvalidOption => "InvalidOptionError",
            ErrorKind::Config => "ConfigError",
            ErrorKind::Signature => "SignatureError",
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Authorization => "AuthorizationError",
            ErrorKind::NotAllowed => "NotAllowedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::AlreadyExists => "AlreadyExistsError",
            ErrorKind::RateLimited => "RateLimitedError",
            ErrorKind::Server => "ServerError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Network => "NetworkError",
            ErrorKind::Response => "ResponseError",
            ErrorKind::Io => "IoError",
        }
    }

    /// One line for people: what the kind means (used in generated docs).
    pub fn doc(self) -> &'static str {
        match self {
            ErrorKind::InvalidOption => "An option has a value the SDK rules reject.",
            ErrorKind::Config => "The configuration is missing something or cannot be parsed.",
            ErrorKind::Signature => {
                "A signature could not be computed (missing secret, unknown algorithm, bad key)."
            }
            ErrorKind::BadRequest => "HTTP 400: the API rejected the request.",
            ErrorKind::Authorization => {
                "HTTP 401: missing or wrong credentials, or an invalid signature."
            }
            ErrorKind::NotAllowed => "HTTP 403: valid credentials without permission.",
            ErrorKind::NotFound => "HTTP 404: no such resource.",
            ErrorKind::AlreadyExists => "HTTP 409: the resource already exists.",
            ErrorKind::RateLimited => "HTTP 420 or 429: rate limited until the reset time.",
            ErrorKind::Server => "HTTP 5xx: the server failed.",
            ErrorKind::Timeout => "A connect, read or total timeout fired.",
            ErrorKind::Network => "The connection failed or was reset, or the proxy refused.",
            ErrorKind::Response => {
                "Another HTTP status, or a body that is not the JSON the API returns."
            }
            ErrorKind::Io => "A local file or stream could not be read.",
        }
    }

    /// The HTTP status that produces this kind, where one status does (`None` for
    /// local kinds, rate limits (420 or 429), server errors (any 5xx) and transport
    /// failures).
    pub fn http_status(self) -> Option<u16> {
        match self {
            ErrorKind::BadRequest => Some(400),
            ErrorKind::Authorization => Some(401),
            ErrorKind::NotAllowed => Some(403),
            ErrorKind::NotFound => Some(404),
            ErrorKind::AlreadyExists => Some(409),
            _ => None,
        }
    }

    /// Whether this is an error of an HTTP API call (rather than of local input).
    pub fn is_api(self) -> bool {
        !matches!(
            self,
            ErrorKind::InvalidOption | ErrorKind::Config | ErrorKind::Signature
        )
    }
}

/// The error returned by every fallible cldkit function.
///
/// ```
/// let client = cldkit::Client::from_url("cloudinary://key:secret@demo").unwrap();
/// let opts = cldkit::Options::from_iter([("radius", vec![1, 2, 3, 4, 5])]);
/// let err = client.url("sample", &opts).unwrap_err();
/// assert_eq!(err.kind(), cldkit::ErrorKind::InvalidOption);
/// assert_eq!(err.option(), Some("radius"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    option: Option<String>,
    message: String,
    api: Option<Box<ApiDetails>>,
}

/// What an API error adds: the HTTP status, the request id and the rate-limit reset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ApiDetails {
    status: Option<u16>,
    request_id: Option<String>,
    reset_at: Option<i64>,
}

/// `Result` with cldkit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error about one option.
    pub fn invalid_option(option: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::InvalidOption,
            option: Some(option.into()),
            message: message.into(),
            api: None,
        }
    }

    /// An error of an HTTP API call, with Cloudinary's message, the status, the
    /// request id and (when rate limited) the Unix time the limit resets.
    pub fn api(
        kind: ErrorKind,
        message: impl Into<String>,
        status: Option<u16>,
        request_id: Option<String>,
        reset_at: Option<i64>,
    ) -> Self {
        Error {
            kind,
            option: None,
            message: message.into(),
            api: Some(Box::new(ApiDetails {
                status,
                request_id,
                reset_at,
            })),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Config,
            option: None,
            message: message.into(),
            api: None,
        }
    }

    /// A configuration error about one setting.
    pub fn config_option(option: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Config,
            option: Some(option.into()),
            message: message.into(),
            api: None,
        }
    }

    /// A signing error.
    pub fn signature(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Signature,
            option: None,
            message: message.into(),
            api: None,
        }
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code of the category (see [`ErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The option or setting the error is about, when there is one.
    pub fn option(&self) -> Option<&str> {
        self.option.as_deref()
    }

    /// The human-readable message, without the option prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        self.api.as_ref().and_then(|a| a.status)
    }

    /// The `X-Request-Id` of an API error, for Cloudinary support.
    pub fn request_id(&self) -> Option<&str> {
        self.api.as_ref().and_then(|a| a.request_id.as_deref())
    }

    /// When rate limited: the Unix time the limit resets, if the server said.
    pub fn reset_at(&self) -> Option<i64> {
        self.api.as_ref().and_then(|a| a.reset_at)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.option {
            Some(o) => write!(f, "invalid `{o}`: {}", self.message)?,
            None => f.write_str(&self.message)?,
        }
        if let Some(status) = self.status() {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("option", &self.option)
            .field("message", &self.message)
            .field("status", &self.status())
            .field("request_id", &self.request_id())
            .field("reset_at", &self.reset_at())
            .finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    /// A new variant must join [`ErrorKind::ALL`]: this match has no wildcard, so it
    /// stops compiling when a variant is added, and the count below then fails until
    /// the table holds it too.
    fn position(kind: ErrorKind) -> usize {
        match kind {
            ErrorKind::InvalidOption => 0,
            ErrorKind::Config => 1,
            ErrorKind::Signature => 2,
            ErrorKind::BadRequest => 3,
            ErrorKind::Authorization => 4,
            ErrorKind::NotAllowed => 5,
            ErrorKind::NotFound => 6,
            ErrorKind::AlreadyExists => 7,
            ErrorKind::RateLimited => 8,
            ErrorKind::Server => 9,
            ErrorKind::Timeout => 10,
            ErrorKind::Network => 11,
            ErrorKind::Response => 12,
            ErrorKind::Io => 13,
        }
    }

    #[test]
    fn the_table_lists_every_kind_once_with_distinct_names() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(position(*kind), i, "{kind:?} out of place in ALL");
        }
        let mut codes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        let mut classes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.class_name()).collect();
        codes.dedup();
        classes.sort();
        classes.dedup();
        assert_eq!((codes.len(), classes.len()), (14, 14));
        assert!(ErrorKind::ALL.iter().all(|k| k.doc().ends_with('.')));
        assert_eq!(ErrorKind::NotFound.http_status(), Some(404));
        assert!(!ErrorKind::Timeout.is_api() || ErrorKind::Timeout.http_status().is_none());
    }
}
