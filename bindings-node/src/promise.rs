//! Promises: a network call runs as a future on napi's tokio runtime (never on the
//! JavaScript thread, never on the libuv pool) and settles a Promise on the JavaScript
//! thread.
//!
//! The Promise is settled through a threadsafe function of its own, not napi-rs's
//! `execute_tokio_future`: when Node tears an environment down (a worker thread is
//! terminated, the process exits) with a call still running, the pending settlement
//! arrives without an environment, and is then dropped here instead of being made in
//! a dead environment (which aborts the process in napi-rs 2.16).
//!
//! Panics are caught on both sides: a panicking future, or a panic while building the
//! result, rejects the Promise with an `InternalError` instead of crossing the FFI
//! boundary. API failures reject with the package's `ApiError` subclasses (see
//! [`api_error`]).

use std::ffi::c_void;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use cldkit::api::ApiError;
use cldkit::{Map, Value};
use futures_util::FutureExt;
use napi::{sys, Env, JsObject, NapiValue};

use crate::convert::from_map;
use crate::errors::{error_object, Failure};

/// How a call settles: `Ok` resolves with the value, `Err` rejects with it.
pub(crate) type Settle = std::result::Result<sys::napi_value, sys::napi_value>;

const INTERNAL: &str =
    "internal error in cldkit (a bug: please report it with the input that caused it)";

/// What the JavaScript thread needs to settle one Promise: its deferred and the
/// function that turns the outcome into the resolution.
struct Pending<S> {
    deferred: sys::napi_deferred,
    settle: Option<S>,
}

/// A threadsafe function handle moved to the runtime thread that calls it.
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: Node-API threadsafe functions are made to be called and released from any
// thread.
unsafe impl Send for Tsfn {}

fn napi_failed(what: &str) -> napi::Error {
    napi::Error::new(napi::Status::GenericFailure, format!("cannot {what}"))
}

/// Runs `fut` on the runtime and returns its Promise; `settle` turns the outcome
/// (`None` when the future panicked) into the resolution on the JavaScript thread.
pub(crate) fn spawn<T, F, S>(env: &Env, fut: F, settle: S) -> napi::Result<JsObject>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
    S: FnOnce(sys::napi_env, Option<T>) -> Settle + 'static,
{
    let raw = env.raw();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: called on the JavaScript thread of `raw` (a native method's env).
    if unsafe { sys::napi_create_promise(raw, &mut deferred, &mut promise) } != sys::Status::napi_ok
    {
        return Err(napi_failed("create a Promise"));
    }
    let pending = Box::into_raw(Box::new(Pending {
        deferred,
        settle: Some(settle),
    }));
    // SAFETY: no JavaScript function (the call_js callback does the work); `pending` is
    // owned by the threadsafe function once created and freed by `finalize::<S>`. A
    // threadsafe function keeps the event loop alive while the call runs.
    let created = unsafe {
        crate::tsfn::create(
            raw,
            ptr::null_mut(),
            "cldkit call",
            pending.cast(),
            call_js::<T, S>,
            pending.cast(),
            finalize::<S>,
        )
    };
    let Some(tsfn) = created else {
        // SAFETY: the threadsafe function was not created: `pending` is still ours.
        unsafe { drop(Box::from_raw(pending)) };
        return Err(napi_failed("create the call's threadsafe function"));
    };
    let tsfn_raw = tsfn;
    let tsfn = Tsfn(tsfn);
    let run = async move {
        let tsfn = tsfn;
        let out: Option<T> = AssertUnwindSafe(fut).catch_unwind().await.ok();
        let data = Box::into_raw(Box::new(out));
        // SAFETY: the threadsafe function is live until released below; `data` is
        // handed over (freed by `call_js`) unless the call is refused.
        unsafe {
            let status = sys::napi_call_threadsafe_function(
                tsfn.0,
                data.cast(),
                sys::ThreadsafeFunctionCallMode::blocking,
            );
            if status != sys::Status::napi_ok {
                // Closing (the environment is going away): nothing will settle.
                drop(Box::from_raw(data));
            }
            sys::napi_release_threadsafe_function(
                tsfn.0,
                sys::ThreadsafeFunctionReleaseMode::release,
            );
        }
    };
    // `spawn` panics when the runtime is gone (the last environment is closing): the
    // threadsafe function, never to be called, is then released at once, so that it
    // neither keeps the event loop alive nor leaks `pending`.
    let spawned = catch_unwind(AssertUnwindSafe(|| napi::bindgen_prelude::spawn(run)));
    if spawned.is_err() {
        // SAFETY: the function is live and this is its only release (the future that
        // would have released it was dropped unstarted).
        unsafe {
            sys::napi_release_threadsafe_function(
                tsfn_raw,
                sys::ThreadsafeFunctionReleaseMode::abort,
            )
        };
        return Err(napi_failed("start the call (the runtime is shutting down)"));
    }
    // SAFETY: `promise` was created in `raw` just above.
    Ok(unsafe { JsObject::from_raw_unchecked(raw, promise) })
}

/// Settles the Promise with the outcome in `data`, on the JavaScript thread; drops it
/// when there is no environment any more (teardown).
unsafe extern "C" fn call_js<T, S>(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    context: *mut c_void,
    data: *mut c_void,
) where
    S: FnOnce(sys::napi_env, Option<T>) -> Settle,
{
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the boxed outcome `spawn` handed over, received once.
    let out = unsafe { Box::from_raw(data.cast::<Option<T>>()) };
    if env.is_null() || context.is_null() {
        return;
    }
    // SAFETY: `context` is the `Pending` this threadsafe function owns; it is freed by
    // `finalize` only after the last call.
    let pending = unsafe { &mut *context.cast::<Pending<S>>() };
    let Some(settle) = pending.settle.take() else {
        return;
    };
    let settled = catch_unwind(AssertUnwindSafe(|| settle(env, *out)))
        .unwrap_or_else(|_| Err(plain_error(env, "internal", INTERNAL, None)));
    // SAFETY: the deferred belongs to this environment and is settled once.
    unsafe {
        match settled {
            Ok(v) => sys::napi_resolve_deferred(env, pending.deferred, v),
            Err(e) => sys::napi_reject_deferred(env, pending.deferred, e),
        };
    }
}

/// Frees the `Pending` of a threadsafe function that is being released.
unsafe extern "C" fn finalize<S>(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: `data` is the `Pending` leaked by `spawn`, finalized once.
        unsafe { drop(Box::from_raw(data.cast::<Pending<S>>())) };
    }
}

/// The usual settlement of an API call: the response (or `Null` for none) as a
/// JavaScript value, an [`ApiError`] as a rejection.
pub(crate) fn settle_value(env: sys::napi_env, out: Option<Result<Value, ApiError>>) -> Settle {
    match out {
        None => Err(plain_error(env, "internal", INTERNAL, None)),
        Some(Ok(v)) => crate::convert::from_value(env, &v).map_err(|f| failure(env, f)),
        Some(Err(e)) => Err(api_error(env, &e)),
    }
}

/// A binding failure as a rejection value.
pub(crate) fn failure(env: sys::napi_env, f: Failure) -> sys::napi_value {
    match f {
        Failure::Core(e) => plain_error(env, e.code(), &e.to_string(), e.option()),
        Failure::Napi(e) => plain_error(env, "internal", &e.reason, None),
    }
}

/// The JavaScript error of an API failure: its class follows the code (`not_found`,
/// `rate_limited`, ... or `invalid_option`/`config` for calls refused before sending);
/// `status`, `requestId`, `resetAt`, `attempts` and `resumeToken` (a chunked upload's
/// JSON token) are set when known. The message never contains a secret (the core's
/// messages do not).
pub(crate) fn api_error(env: sys::napi_env, e: &ApiError) -> sys::napi_value {
    let attempts = i64::from(e.attempts());
    let resume = e.resume_token().map(|t| t.to_json());
    let core = cldkit::Error::from(e.clone());
    let mut d = Map::with_capacity(5);
    d.insert("status", core.status().map(i64::from));
    d.insert("requestId", core.request_id());
    d.insert("resetAt", core.reset_at());
    d.insert("attempts", attempts);
    d.insert("resumeToken", resume);
    let details = from_map(env, &d).ok();
    error_object(env, core.code(), &core.to_string(), core.option(), details)
        .unwrap_or_else(|| fallback_error(env, core.code(), &core.to_string()))
}

/// A `CldkitError` without API details.
fn plain_error(
    env: sys::napi_env,
    code: &str,
    message: &str,
    option: Option<&str>,
) -> sys::napi_value {
    error_object(env, code, message, option, None)
        .unwrap_or_else(|| fallback_error(env, code, message))
}

/// A plain `Error` with `code` set (no factory registered, or it failed).
fn fallback_error(env: sys::napi_env, code: &str, message: &str) -> sys::napi_value {
    let mut out = std::ptr::null_mut();
    let c = crate::convert::raw_string(env, code);
    let m = crate::convert::raw_string(env, &format!("{code}: {message}"));
    if let (Some(c), Some(m)) = (c, m) {
        // SAFETY: `c` and `m` are strings of `env`.
        unsafe { sys::napi_create_error(env, c, m, &mut out) };
    }
    out
}
