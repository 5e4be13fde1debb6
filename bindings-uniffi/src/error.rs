//! [`CldkitError`]: the engine's error kinds as one uniffi error enum.
//!
//! One variant per [`cldkit::ErrorKind`], named by its
//! [`class_name`](cldkit::ErrorKind::class_name) (`InvalidOptionError`, ...): Kotlin
//! sees `CldkitException.InvalidOptionException`, Swift `CldkitError.InvalidOptionError`,
//! Ruby `Cldkit::CldkitError::InvalidOptionError`. Every variant carries the stable
//! `code`, the message (`detail`, never a secret), the offending option, the HTTP
//! status and the request id where there is one.

use cldkit::ErrorKind;

/// An error of the engine: the kind is the variant, the data its fields.
#[derive(Clone, Debug, PartialEq, uniffi::Error)]
#[allow(missing_docs)] // Each variant documents itself through ErrorKind::doc.
pub enum CldkitError {
    InvalidOptionError { info: ErrorInfo },
    ConfigError { info: ErrorInfo },
    SignatureError { info: ErrorInfo },
    BadRequestError { info: ErrorInfo },
    AuthorizationError { info: ErrorInfo },
    NotAllowedError { info: ErrorInfo },
    NotFoundError { info: ErrorInfo },
    AlreadyExistsError { info: ErrorInfo },
    RateLimitedError { info: ErrorInfo },
    ServerError { info: ErrorInfo },
    TimeoutError { info: ErrorInfo },
    NetworkError { info: ErrorInfo },
    ResponseError { info: ErrorInfo },
    IoError { info: ErrorInfo },
}

/// What every [`CldkitError`] variant carries.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ErrorInfo {
    /// The stable machine-readable code (`invalid_option`, `not_found`, ...).
    pub code: String,
    /// The message for people, naming the option, HTTP status and request id when
    /// known (the engine's `Display`; never a secret).
    pub detail: String,
    /// The option the error is about, if any.
    pub option: Option<String>,
    /// The HTTP status of an API error.
    pub status: Option<u16>,
    /// The request id of an API error (`X-Request-Id`).
    pub request_id: Option<String>,
}

impl CldkitError {
    /// The data of the error, whatever its kind.
    pub fn info(&self) -> &ErrorInfo {
        use CldkitError::*;
        match self {
            InvalidOptionError { info }
            | ConfigError { info }
            | SignatureError { info }
            | BadRequestError { info }
            | AuthorizationError { info }
            | NotAllowedError { info }
            | NotFoundError { info }
            | AlreadyExistsError { info }
            | RateLimitedError { info }
            | ServerError { info }
            | TimeoutError { info }
            | NetworkError { info }
            | ResponseError { info }
            | IoError { info } => info,
        }
    }

    /// The variant of `kind` carrying `info`.
    fn of_kind(kind: ErrorKind, info: ErrorInfo) -> Self {
        use CldkitError::*;
        match kind {
            ErrorKind::InvalidOption => InvalidOptionError { info },
            ErrorKind::Config => ConfigError { info },
            ErrorKind::Signature => SignatureError { info },
            ErrorKind::BadRequest => BadRequestError { info },
            ErrorKind::Authorization => AuthorizationError { info },
            ErrorKind::NotAllowed => NotAllowedError { info },
            ErrorKind::NotFound => NotFoundError { info },
            ErrorKind::AlreadyExists => AlreadyExistsError { info },
            ErrorKind::RateLimited => RateLimitedError { info },
            ErrorKind::Server => ServerError { info },
            ErrorKind::Timeout => TimeoutError { info },
            ErrorKind::Network => NetworkError { info },
            ErrorKind::Io => IoError { info },
            // Response, and any kind a newer engine adds (the test below fails then).
            _ => ResponseError { info },
        }
    }
}

impl std::fmt::Display for CldkitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let info = self.info();
        write!(f, "{}: {}", info.code, info.detail)
    }
}

impl std::error::Error for CldkitError {}

impl From<cldkit::Error> for CldkitError {
    fn from(e: cldkit::Error) -> Self {
        let info = ErrorInfo {
            code: e.code().to_owned(),
            detail: e.to_string(),
            option: e.option().map(str::to_owned),
            status: e.status(),
            request_id: e.request_id().map(str::to_owned),
        };
        CldkitError::of_kind(e.kind(), info)
    }
}

impl From<cldkit::api::ApiError> for CldkitError {
    fn from(e: cldkit::api::ApiError) -> Self {
        cldkit::Error::from(e).into()
    }
}

/// `Result` with a [`CldkitError`].
pub type Result<T> = std::result::Result<T, CldkitError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of the engine's table has its own variant, named by its class name.
    #[test]
    fn one_variant_per_error_kind() {
        for kind in ErrorKind::ALL {
            let info = ErrorInfo {
                code: kind.code().into(),
                detail: "x".into(),
                option: None,
                status: None,
                request_id: None,
            };
            let e = CldkitError::of_kind(kind, info);
            let debug = format!("{e:?}");
            let variant = debug.split_once(' ').map_or(debug.as_str(), |(v, _)| v);
            assert_eq!(variant, kind.class_name(), "{kind:?}");
            assert_eq!(e.info().code, kind.code());
        }
    }

    #[test]
    fn engine_errors_keep_code_option_and_message() {
        let e: CldkitError = cldkit::Error::invalid_option("width", "bad width").into();
        assert!(matches!(e, CldkitError::InvalidOptionError { .. }));
        assert_eq!(e.info().option.as_deref(), Some("width"));
        assert_eq!(e.to_string(), "invalid_option: invalid `width`: bad width");
    }
}
