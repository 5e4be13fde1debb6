//! Promises: a network call runs as a future on napi's tokio runtime (never on the
//! JavaScript thread, never on the libuv pool) and settles a Promise on the JavaScript
//! thread.
//!
//! Panics are caught on both sides: a panicking future, or a panic while building the
//! result, rejects the Promise with an `InternalError` instead of crossing the FFI
//! boundary. API failures reject with the package's `ApiError` subclasses (see
//! [`api_error`]).

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};

use cldkit::api::ApiError;
use cldkit::{Map, Value};
use futures_util::FutureExt;
use napi::{sys, Env, JsObject, JsUnknown, NapiValue};

use crate::convert::from_map;
use crate::errors::{error_object, Failure};

/// How a call settles: `Ok` resolves with the value, `Err` rejects with it.
pub(crate) type Settle = std::result::Result<sys::napi_value, sys::napi_value>;

const INTERNAL: &str =
    "internal error in cldkit (a bug: please report it with the input that caused it)";

/// Runs `fut` on the runtime and returns its Promise; `settle` turns the outcome
/// (`None` when the future panicked) into the resolution on the JavaScript thread.
pub(crate) fn spawn<T, F, S>(env: &Env, fut: F, settle: S) -> napi::Result<JsObject>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
    S: FnOnce(sys::napi_env, Option<T>) -> Settle + 'static,
{
    let guarded = async move { Ok(AssertUnwindSafe(fut).catch_unwind().await.ok()) };
    env.execute_tokio_future(guarded, move |env: &mut Env, out: Option<T>| {
        let raw = env.raw();
        let settled = catch_unwind(AssertUnwindSafe(|| settle(raw, out)))
            .unwrap_or_else(|_| Err(plain_error(raw, "internal", INTERNAL, None)));
        match settled {
            // SAFETY: `v` was created in this environment during this callback.
            Ok(v) => Ok(unsafe { JsUnknown::from_raw_unchecked(raw, v) }),
            // SAFETY: as above; napi-rs keeps a reference and rejects with the object.
            Err(e) => Err(napi::Error::from(unsafe {
                JsUnknown::from_raw_unchecked(raw, e)
            })),
        }
    })
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
