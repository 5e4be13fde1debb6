//! The exception hierarchy and the mapping from core errors (and panics) to it.
//!
//! Every failure the core reports becomes a `cldkit.Error` subclass chosen by its
//! [`ErrorKind`], carrying `kind`, `code`, `option` and `message` attributes; errors
//! of HTTP calls are `cldkit.HttpError` subclasses, one per code, which add
//! `status`, `request_id`, `reset_at`, `attempts` and `resume_token`. A panic
//! inside the engine is caught at the boundary ([`guard`]) and raised as a plain
//! `cldkit.Error` with code `internal`, never as PyO3's `PanicException`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use cldkit::api::ApiError;
use cldkit::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    cldkit,
    Error,
    PyException,
    "Base class of every cldkit error.\n\nAttributes: `kind` (e.g. \"InvalidOption\"), `code` (stable: \"invalid_option\", \"config\", \"signature\", \"internal\"), `option` (the option or setting concerned, or None) and `message`."
);
create_exception!(cldkit, InvalidOptionError, Error);
create_exception!(cldkit, ConfigError, Error);
create_exception!(cldkit, SignatureError, Error);
create_exception!(
    cldkit,
    HttpError,
    Error,
    "An Upload or Admin API call failed.\n\nBesides `kind`, `code`, `option` and `message`: `status` (the HTTP status, or None when the server never answered), `request_id` (the `X-Request-Id`, for Cloudinary support), `reset_at` (when rate limited: Unix seconds the limit resets, if known), `attempts` (how many attempts were made) and `resume_token` (a failed chunked upload: the JSON token that continues it, else None). Each `code` has its own subclass."
);
create_exception!(cldkit, BadRequestError, HttpError);
create_exception!(cldkit, AuthorizationError, HttpError);
create_exception!(cldkit, NotAllowedError, HttpError);
create_exception!(cldkit, NotFoundError, HttpError);
create_exception!(cldkit, AlreadyExistsError, HttpError);
create_exception!(cldkit, RateLimitedError, HttpError);
create_exception!(cldkit, ServerError, HttpError);
create_exception!(cldkit, RequestTimeoutError, HttpError);
create_exception!(cldkit, NetworkError, HttpError);
create_exception!(cldkit, ResponseError, HttpError);
create_exception!(cldkit, SourceError, HttpError);

/// Builds an exception of class `E` with the cldkit attributes set.
fn build<E: pyo3::PyTypeInfo>(
    py: Python<'_>,
    kind: &str,
    code: &str,
    option: Option<&str>,
    message: &str,
    display: String,
) -> PyErr {
    let err = PyErr::new::<E, _>(display);
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; if it
    // did, the exception is still raised with its message.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("code", code);
    let _ = value.setattr("option", option);
    let _ = value.setattr("message", message);
    err
}

/// The Python exception for a core error.
pub fn core_error(py: Python<'_>, e: &cldkit::Error) -> PyErr {
    let (kind, option, message, display) = (e.kind(), e.option(), e.message(), e.to_string());
    match kind {
        ErrorKind::InvalidOption => {
            build::<InvalidOptionError>(py, "InvalidOption", e.code(), option, message, display)
        }
        ErrorKind::Config => build::<ConfigError>(py, "Config", e.code(), option, message, display),
        ErrorKind::Signature => {
            build::<SignatureError>(py, "Signature", e.code(), option, message, display)
        }
        k if k.is_api() => api_error(py, e, None),
        _ => build::<Error>(py, "Other", e.code(), option, message, display),
    }
}

/// The `kind` attribute of an API error: the core's category name.
fn api_kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::BadRequest => "BadRequest",
        ErrorKind::Authorization => "Authorization",
        ErrorKind::NotAllowed => "NotAllowed",
        ErrorKind::NotFound => "NotFound",
        ErrorKind::AlreadyExists => "AlreadyExists",
        ErrorKind::RateLimited => "RateLimited",
        ErrorKind::Server => "Server",
        ErrorKind::Timeout => "Timeout",
        ErrorKind::Network => "Network",
        ErrorKind::Response => "Response",
        ErrorKind::Io => "Io",
        _ => "Other",
    }
}

/// An `HttpError` subclass for an API error of the core, with `status`,
/// `request_id`, `reset_at`, `attempts` and `resume_token` set from `api` when the
/// call's own error is at hand.
fn api_error(py: Python<'_>, e: &cldkit::Error, api: Option<&ApiError>) -> PyErr {
    let kind = e.kind();
    let name = api_kind_name(kind);
    let (code, option, message, display) = (e.code(), e.option(), e.message(), e.to_string());
    let err = match kind {
        ErrorKind::BadRequest => build::<BadRequestError>(py, name, code, option, message, display),
        ErrorKind::Authorization => {
            build::<AuthorizationError>(py, name, code, option, message, display)
        }
        ErrorKind::NotAllowed => build::<NotAllowedError>(py, name, code, option, message, display),
        ErrorKind::NotFound => build::<NotFoundError>(py, name, code, option, message, display),
        ErrorKind::AlreadyExists => {
            build::<AlreadyExistsError>(py, name, code, option, message, display)
        }
        ErrorKind::RateLimited => {
            build::<RateLimitedError>(py, name, code, option, message, display)
        }
        ErrorKind::Server => build::<ServerError>(py, name, code, option, message, display),
        ErrorKind::Timeout => {
            build::<RequestTimeoutError>(py, name, code, option, message, display)
        }
        ErrorKind::Network => build::<NetworkError>(py, name, code, option, message, display),
        ErrorKind::Response => build::<ResponseError>(py, name, code, option, message, display),
        ErrorKind::Io => build::<SourceError>(py, name, code, option, message, display),
        _ => build::<HttpError>(py, name, code, option, message, display),
    };
    let value = err.value(py);
    let _ = value.setattr("status", e.status());
    let _ = value.setattr("request_id", e.request_id());
    let _ = value.setattr("reset_at", e.reset_at());
    let _ = value.setattr("attempts", api.map_or(1, ApiError::attempts));
    let _ = value.setattr(
        "resume_token",
        api.and_then(ApiError::resume_token).map(|t| t.to_json()),
    );
    err
}

/// The Python exception for the error of an HTTP call: an `HttpError` subclass for
/// API failures, an `InvalidOptionError`/`ConfigError` for a call refused before
/// sending.
pub fn http_error(py: Python<'_>, e: &ApiError) -> PyErr {
    let core = cldkit::Error::from(e.clone());
    if core.kind().is_api() {
        api_error(py, &core, Some(e))
    } else {
        core_error(py, &core)
    }
}

/// An `InvalidOptionError` raised by the binding itself (a Python value of a type
/// the engine has no counterpart for).
pub fn invalid_option(py: Python<'_>, option: &str, message: &str) -> PyErr {
    let display = format!("invalid `{option}`: {message}");
    build::<InvalidOptionError>(
        py,
        "InvalidOption",
        "invalid_option",
        Some(option),
        message,
        display,
    )
}

/// Converts a core result, raising the matching exception on error.
pub fn check<T>(py: Python<'_>, r: cldkit::Result<T>) -> PyResult<T> {
    r.map_err(|e| core_error(py, &e))
}

/// Runs `f`, turning a panic into a `cldkit.Error` with code `internal`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            let message = format!("internal error in the cldkit engine: {detail}");
            Err(build::<Error>(
                py,
                "Internal",
                "internal",
                None,
                &message,
                message.clone(),
            ))
        }
    }
}

/// The class of an error kind of the core's table.
fn kind_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::InvalidOption => py.get_type::<InvalidOptionError>(),
        ErrorKind::Config => py.get_type::<ConfigError>(),
        ErrorKind::Signature => py.get_type::<SignatureError>(),
        ErrorKind::BadRequest => py.get_type::<BadRequestError>(),
        ErrorKind::Authorization => py.get_type::<AuthorizationError>(),
        ErrorKind::NotAllowed => py.get_type::<NotAllowedError>(),
        ErrorKind::NotFound => py.get_type::<NotFoundError>(),
        ErrorKind::AlreadyExists => py.get_type::<AlreadyExistsError>(),
        ErrorKind::RateLimited => py.get_type::<RateLimitedError>(),
        ErrorKind::Server => py.get_type::<ServerError>(),
        ErrorKind::Timeout => py.get_type::<RequestTimeoutError>(),
        ErrorKind::Network => py.get_type::<NetworkError>(),
        ErrorKind::Response => py.get_type::<ResponseError>(),
        ErrorKind::Io => py.get_type::<SourceError>(),
        _ => py.get_type::<Error>(),
    }
}

/// The name Python gives a kind's class: the table's `class_name`, except
/// `RequestTimeoutError` (`TimeoutError` is a Python builtin) and `SourceError` (the
/// name of `io` errors before the table; `IoError` is registered as an alias).
pub fn python_class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Timeout => "RequestTimeoutError",
        ErrorKind::Io => "SourceError",
        k => k.class_name(),
    }
}

/// Registers the exception classes on the module: one per kind of
/// `ErrorKind::ALL`, named and documented from the table.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("HttpError", py.get_type::<HttpError>())?;
    for kind in ErrorKind::ALL {
        let ty = kind_type(py, kind);
        let doc = format!(
            "{} (`code` \"{}\").",
            kind.doc().trim_end_matches('.'),
            kind.code()
        );
        ty.setattr("__doc__", doc)?;
        let name = python_class_name(kind);
        m.add(name, &ty)?;
        // The table's own name too, unless it would shadow a Python builtin.
        if name != kind.class_name() && kind != ErrorKind::Timeout {
            m.add(kind.class_name(), &ty)?;
        }
    }
    Ok(())
}
