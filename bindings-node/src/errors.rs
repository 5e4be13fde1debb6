//! Errors: core errors and panics become JavaScript `CldkitError` instances.
//!
//! `index.js` registers one factory, `(code, message, option, details) => Error`, when it loads
//! the native module ([`register_error_factory`]). Each failure calls it and throws what
//! it returns, so JavaScript sees its own error subclasses with a stable `code`
//! (`invalid_option`, `config`, `signature`, `internal`). Without a factory (the native
//! module loaded directly) a plain `Error` with the same `code` is thrown.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::*;
use napi::sys;
use napi::{Env, JsFunction, NapiRaw};
use napi_derive::napi;

/// Why a binding call failed, before it is turned into a JavaScript exception.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error reported by the core (or a value the binding could not convert).
    Core(cldkit::Error),
    /// An error already expressed in napi terms (e.g. a pending exception).
    Napi(napi::Error),
}

impl From<cldkit::Error> for Failure {
    fn from(e: cldkit::Error) -> Self {
        Failure::Core(e)
    }
}

impl From<napi::Error> for Failure {
    fn from(e: napi::Error) -> Self {
        Failure::Napi(e)
    }
}

/// Result of the binding's internal steps.
pub(crate) type Outcome<T> = std::result::Result<T, Failure>;

thread_local! {
    /// The registered error factory of this thread's JavaScript environment.
    static FACTORY: Cell<sys::napi_ref> = const { Cell::new(ptr::null_mut()) };
}

/// Registers the JavaScript function that builds error objects:
/// `(code: string, message: string, option: string | null, details: object | null) => Error`
/// (`details` carries an API error's `status`, `requestId`, `resetAt`, `attempts` and
/// `resumeToken`).
#[napi]
pub fn register_error_factory(env: Env, factory: JsFunction) -> napi::Result<()> {
    let mut reference = ptr::null_mut();
    // SAFETY: `env` and `factory` are live handles of the current call.
    let status = unsafe { sys::napi_create_reference(env.raw(), factory.raw(), 1, &mut reference) };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::from_reason("cannot keep the error factory"));
    }
    FACTORY.with(|f| {
        let old = f.replace(reference);
        if !old.is_null() {
            // SAFETY: `old` was created by this function on this thread's environment.
            unsafe { sys::napi_delete_reference(env.raw(), old) };
        }
    });
    Ok(())
}

/// Runs one binding call: returns its value, or throws its failure (a core error, a
/// conversion error or a panic) as a JavaScript exception.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> Outcome<T>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(Failure::Core(e))) => Err(throw(env, e.code(), &e.to_string(), e.option())),
        Ok(Err(Failure::Napi(e))) => Err(e),
        Err(_) => Err(throw(
            env,
            "internal",
            "internal error in cldkit (a bug: please report it with the input that caused it)",
            None,
        )),
    }
}

/// Throws a `CldkitError` with `code`, `message` and `option`, and returns the napi
/// error that tells napi-rs an exception is pending.
fn throw(env: &Env, code: &str, message: &str, option: Option<&str>) -> napi::Error {
    let pending = napi::Error::from_status(Status::PendingException);
    let raw = env.raw();
    if let Some(err) = error_object(raw, code, message, option, None) {
        // SAFETY: `err` is a live value of this environment.
        if unsafe { sys::napi_throw(raw, err) } == sys::Status::napi_ok {
            return pending;
        }
    }
    // No factory, or it failed: a plain Error with the same code.
    napi::Error::new(Status::GenericFailure, format!("{code}: {message}"))
}

/// A `CldkitError` object (not thrown) for `code`, `message`, `option` and the API
/// `details` object (`{status, requestId, resetAt, attempts, resumeToken}`), built by
/// the registered factory; `None` when there is no factory or it failed.
pub(crate) fn error_object(
    env: sys::napi_env,
    code: &str,
    message: &str,
    option: Option<&str>,
    details: Option<sys::napi_value>,
) -> Option<sys::napi_value> {
    let factory = FACTORY.with(Cell::get);
    if factory.is_null() {
        return None;
    }
    // SAFETY: all handles belong to `env` and live for the current call.
    unsafe {
        let mut func = ptr::null_mut();
        if sys::napi_get_reference_value(env, factory, &mut func) != sys::Status::napi_ok
            || func.is_null()
        {
            return None;
        }
        let args = [
            crate::convert::raw_string(env, code)?,
            crate::convert::raw_string(env, message)?,
            match option {
                Some(o) => crate::convert::raw_string(env, o)?,
                None => crate::convert::raw_null(env)?,
            },
            match details {
                Some(d) => d,
                None => crate::convert::raw_null(env)?,
            },
        ];
        let mut undefined = ptr::null_mut();
        sys::napi_get_undefined(env, &mut undefined);
        let mut out = ptr::null_mut();
        let status =
            sys::napi_call_function(env, undefined, func, args.len(), args.as_ptr(), &mut out);
        if status != sys::Status::napi_ok {
            // The factory threw: clear that exception and fall back.
            let mut ignored = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut ignored);
            return None;
        }
        Some(out)
    }
}

/// Panics on purpose, to prove that a panic becomes a JavaScript exception
/// (used by the test suite only; not exported by `index.js`).
#[napi]
pub fn debug_panic(env: Env) -> napi::Result<()> {
    guard(&env, || -> Outcome<()> {
        panic!("deliberate panic for the test suite")
    })
}
