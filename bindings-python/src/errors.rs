//! The exception hierarchy and the mapping from core errors (and panics) to it.
//!
//! Every failure the core reports becomes a `cldkit.Error` subclass chosen by its
//! [`ErrorKind`], carrying `kind`, `code`, `option` and `message` attributes. A panic
//! inside the engine is caught at the boundary ([`guard`]) and raised as a plain
//! `cldkit.Error` with code `internal`, never as PyO3's `PanicException`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use cldkit::ErrorKind;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    cldkit,
    Error,
    PyException,
    "Base class of every cldkit error.\n\nAttributes: `kind` (e.g. \"InvalidOption\"), `code` (stable: \"invalid_option\", \"config\", \"signature\", \"internal\"), `option` (the option or setting concerned, or None) and `message`."
);
create_exception!(
    cldkit,
    InvalidOptionError,
    Error,
    "An option has a value the SDK rules reject (or a type cldkit cannot convert)."
);
create_exception!(
    cldkit,
    ConfigError,
    Error,
    "The configuration is missing something or cannot be parsed."
);
create_exception!(
    cldkit,
    SignatureError,
    Error,
    "A signature could not be computed (missing secret, unknown algorithm)."
);
create_exception!(
    cldkit,
    HttpError,
    Error,
    "An HTTP call failed (reserved: the engine makes no HTTP calls yet)."
);

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
        _ => build::<Error>(py, "Other", e.code(), option, message, display),
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

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("InvalidOptionError", py.get_type::<InvalidOptionError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("SignatureError", py.get_type::<SignatureError>())?;
    m.add("HttpError", py.get_type::<HttpError>())?;
    Ok(())
}
