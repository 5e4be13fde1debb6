//! Status codes, error messages, string ownership and the panic guard.

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The result of every cldkit function.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CldkitStatus {
    /// Success.
    CLDKIT_OK = 0,
    /// An option has a value the SDK rules reject.
    /// Code `invalid_option`.
    CLDKIT_INVALID_OPTION = 1,
    /// The configuration is missing something or cannot be parsed.
    /// Code `config`.
    CLDKIT_CONFIG = 2,
    /// A signature could not be computed (missing secret, unknown algorithm, bad key).
    /// Code `signature`.
    CLDKIT_SIGNATURE = 3,
    /// A bad call: a NULL pointer, text that is not UTF-8, malformed JSON or JSON of
    /// the wrong shape (code `invalid_argument`; the C ABI's own).
    CLDKIT_INVALID_ARGUMENT = 4,
    /// A bug inside cldkit (a caught panic, or output that cannot be a C string)
    /// (code `internal`; the C ABI's own).
    CLDKIT_INTERNAL = 5,
    /// HTTP 400: the API rejected the request.
    /// Code `bad_request`.
    CLDKIT_BAD_REQUEST = 6,
    /// HTTP 401: missing or wrong credentials, or an invalid signature.
    /// Code `authorization`.
    CLDKIT_AUTHORIZATION = 7,
    /// HTTP 403: valid credentials without permission.
    /// Code `not_allowed`.
    CLDKIT_NOT_ALLOWED = 8,
    /// HTTP 404: no such resource.
    /// Code `not_found`.
    CLDKIT_NOT_FOUND = 9,
    /// HTTP 409: the resource already exists.
    /// Code `already_exists`.
    CLDKIT_ALREADY_EXISTS = 10,
    /// HTTP 420 or 429: rate limited until the reset time.
    /// Code `rate_limited`.
    CLDKIT_RATE_LIMITED = 11,
    /// HTTP 5xx: the server failed.
    /// Code `server_error`.
    CLDKIT_SERVER_ERROR = 12,
    /// A connect, read or total timeout fired.
    /// Code `timeout`.
    CLDKIT_TIMEOUT = 13,
    /// The connection failed or was reset, or the proxy refused.
    /// Code `network`.
    CLDKIT_NETWORK = 14,
    /// Another HTTP status, or a body that is not the JSON the API returns.
    /// Code `response`.
    CLDKIT_RESPONSE = 15,
    /// A local file or stream could not be read.
    /// Code `io`.
    CLDKIT_IO = 16,
}

/// Every status with its stable code name, in numeric order.
const NAMES: [(CldkitStatus, &CStr); 17] = [
    (CldkitStatus::CLDKIT_OK, c"ok"),
    (CldkitStatus::CLDKIT_INVALID_OPTION, c"invalid_option"),
    (CldkitStatus::CLDKIT_CONFIG, c"config"),
    (CldkitStatus::CLDKIT_SIGNATURE, c"signature"),
    (CldkitStatus::CLDKIT_INVALID_ARGUMENT, c"invalid_argument"),
    (CldkitStatus::CLDKIT_INTERNAL, c"internal"),
    (CldkitStatus::CLDKIT_BAD_REQUEST, c"bad_request"),
    (CldkitStatus::CLDKIT_AUTHORIZATION, c"authorization"),
    (CldkitStatus::CLDKIT_NOT_ALLOWED, c"not_allowed"),
    (CldkitStatus::CLDKIT_NOT_FOUND, c"not_found"),
    (CldkitStatus::CLDKIT_ALREADY_EXISTS, c"already_exists"),
    (CldkitStatus::CLDKIT_RATE_LIMITED, c"rate_limited"),
    (CldkitStatus::CLDKIT_SERVER_ERROR, c"server_error"),
    (CldkitStatus::CLDKIT_TIMEOUT, c"timeout"),
    (CldkitStatus::CLDKIT_NETWORK, c"network"),
    (CldkitStatus::CLDKIT_RESPONSE, c"response"),
    (CldkitStatus::CLDKIT_IO, c"io"),
];

impl CldkitStatus {
    /// The stable code name of the status (the core's error codes for 1 to 3 and 6
    /// to 16).
    pub fn code_name(self) -> &'static str {
        NAMES[self as usize].1.to_str().unwrap_or("unknown")
    }
}

/// A failure on its way to the caller: a status, a message and, for API calls, the
/// HTTP details.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: CldkitStatus,
    pub(crate) message: String,
    /// The HTTP status of a failed API call.
    pub(crate) http_status: Option<u16>,
    /// The `X-Request-Id` of a failed API call.
    pub(crate) request_id: Option<String>,
    /// When rate limited: the Unix time the limit resets.
    pub(crate) reset_at: Option<i64>,
}

impl Failure {
    pub(crate) fn new(status: CldkitStatus, message: String) -> Self {
        Failure {
            status,
            message,
            http_status: None,
            request_id: None,
            reset_at: None,
        }
    }

    /// A `CLDKIT_INVALID_ARGUMENT` failure.
    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Failure::new(CldkitStatus::CLDKIT_INVALID_ARGUMENT, message.into())
    }

    /// A `CLDKIT_INTERNAL` failure.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Failure::new(CldkitStatus::CLDKIT_INTERNAL, message.into())
    }

    /// The failure as the error JSON of the API functions.
    fn to_json(&self) -> String {
        serde_json::json!({
            "code": self.status.code_name(),
            "status": self.status as i32,
            "message": self.message,
            "http_status": self.http_status,
            "request_id": self.request_id,
            "reset_at": self.reset_at,
        })
        .to_string()
    }
}

impl From<cldkit::Error> for Failure {
    fn from(e: cldkit::Error) -> Self {
        // The status whose code name is the kind's code (the core's ErrorKind::ALL;
        // the test below fails when the enum and the core's table drift apart).
        let code = e.kind().code();
        let status = NAMES
            .iter()
            .find(|(_, name)| name.to_bytes() == code.as_bytes())
            .map_or(CldkitStatus::CLDKIT_INTERNAL, |(status, _)| *status);
        Failure {
            status,
            message: e.to_string(),
            http_status: e.status(),
            request_id: e.request_id().map(str::to_owned),
            reset_at: e.reset_at(),
        }
    }
}

impl From<cldkit::api::ApiError> for Failure {
    fn from(e: cldkit::api::ApiError) -> Self {
        Failure::from(cldkit::Error::from(e))
    }
}

/// Runs `body` with panics caught.
fn catch(body: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Failure::internal(format!(
            "internal error in cldkit: {what}"
        )))
    })
}

/// Stores `text` in `*error` (when `error` is not NULL) as a caller-owned C string.
///
/// # Safety
/// `error` is NULL or valid for writing one pointer.
unsafe fn report(error: *mut *mut c_char, text: &str) {
    if !error.is_null() {
        let message =
            CString::new(text.replace('\0', "\\0")).unwrap_or_else(|_| CString::from(c"error"));
        // SAFETY: checked non-NULL above.
        unsafe { *error = message.into_raw() };
    }
}

/// How a function reports its failure through `error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Report {
    /// As the message.
    Message,
    /// As JSON text: `{"code", "status", "message", "http_status", "request_id",
    /// "reset_at"}`.
    Json,
}

/// Runs `body` with panics caught, and reports its failure through `error` as
/// `how` says.
///
/// # Safety
/// `error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard_as(
    how: Report,
    error: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Failure>,
) -> CldkitStatus {
    if !error.is_null() {
        // SAFETY: the caller passes NULL or a writable pointer.
        unsafe { *error = std::ptr::null_mut() };
    }
    match catch(body) {
        Ok(()) => CldkitStatus::CLDKIT_OK,
        Err(f) => {
            let text = match how {
                Report::Message => std::borrow::Cow::Borrowed(f.message.as_str()),
                Report::Json => std::borrow::Cow::Owned(f.to_json()),
            };
            // SAFETY: forwarded contract.
            unsafe { report(error, &text) };
            f.status
        }
    }
}

/// Runs `body` with panics caught, and reports its failure through `error` as JSON
/// text ([`Report::Json`]).
///
/// # Safety
/// `error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard_json(
    error: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe { guard_as(Report::Json, error, body) }
}

/// Runs `body` with panics caught, and reports its failure through `error` as a
/// message.
///
/// # Safety
/// `error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard(
    error: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe { guard_as(Report::Message, error, body) }
}

/// Stores `text` in `*out` as a caller-owned C string.
///
/// # Safety
/// `out` is valid for writing one pointer (checked non-NULL by the caller).
pub(crate) unsafe fn put_string(out: *mut *mut c_char, text: String) -> Result<(), Failure> {
    let c = CString::new(text).map_err(|_| Failure::internal("the result contains a NUL byte"))?;
    // SAFETY: see the function contract.
    unsafe { *out = c.into_raw() };
    Ok(())
}

/// Releases a string returned by cldkit (a result or an error message). NULL is
/// accepted and ignored. Passing any other pointer, or the same string twice, is
/// undefined behaviour.
///
/// # Safety
/// `s` is NULL or a string returned by cldkit and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cldkit_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The stable code name of a status: `"ok"`, `"invalid_option"`, `"config"`,
/// `"signature"`, `"invalid_argument"`, `"internal"`, the API codes `"bad_request"`,
/// `"authorization"`, `"not_allowed"`, `"not_found"`, `"already_exists"`,
/// `"rate_limited"`, `"server_error"`, `"timeout"`, `"network"`, `"response"`, `"io"`,
/// or `"unknown"` for a value that is not a status. The string is static: never free
/// it.
#[no_mangle]
pub extern "C" fn cldkit_status_name(status: i32) -> *const c_char {
    let name: &'static CStr = usize::try_from(status)
        .ok()
        .and_then(|i| NAMES.get(i))
        .map_or(c"unknown", |(_, n)| *n);
    name.as_ptr()
}

/// The library version (`"0.1.0"`). The string is static: never free it.
#[no_mangle]
pub extern "C" fn cldkit_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(p: *mut c_char) -> String {
        assert!(!p.is_null());
        let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { cldkit_string_free(p) };
        s
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let mut err: *mut c_char = std::ptr::null_mut();
        let status = unsafe { guard(&mut err, || panic!("boom")) };
        assert_eq!(status, CldkitStatus::CLDKIT_INTERNAL);
        assert_eq!(take(err), "internal error in cldkit: boom");
    }

    #[test]
    fn core_errors_keep_their_kind() {
        let mut err: *mut c_char = std::ptr::null_mut();
        let status = unsafe {
            guard(&mut err, || {
                Err(cldkit::Error::signature("no secret").into())
            })
        };
        assert_eq!(status, CldkitStatus::CLDKIT_SIGNATURE);
        assert_eq!(take(err), "no secret");
        assert_eq!(status.code_name(), "signature");
    }

    #[test]
    fn every_status_has_its_name_at_its_value() {
        for (i, (status, name)) in NAMES.iter().enumerate() {
            assert_eq!(*status as usize, i);
            let got = unsafe { CStr::from_ptr(cldkit_status_name(i as i32)) };
            assert_eq!(got, *name);
            assert_eq!(status.code_name(), name.to_str().unwrap());
        }
    }

    #[test]
    fn api_errors_become_error_json() {
        let mut err: *mut c_char = std::ptr::null_mut();
        let status = unsafe {
            guard_json(&mut err, || {
                Err(cldkit::Error::api(
                    cldkit::ErrorKind::RateLimited,
                    "Rate Limit Exceeded",
                    Some(420),
                    Some("abc".into()),
                    Some(1700000000),
                )
                .into())
            })
        };
        assert_eq!(status, CldkitStatus::CLDKIT_RATE_LIMITED);
        assert_eq!(
            take(err),
            r#"{"code":"rate_limited","status":11,"message":"Rate Limit Exceeded (HTTP 420) [request id abc]","http_status":420,"request_id":"abc","reset_at":1700000000}"#
        );
        let status = unsafe { guard_json(&mut err, || panic!("boom")) };
        assert_eq!(status, CldkitStatus::CLDKIT_INTERNAL);
        assert_eq!(
            take(err),
            r#"{"code":"internal","status":5,"message":"internal error in cldkit: boom","http_status":null,"request_id":null,"reset_at":null}"#
        );
    }

    /// The enum follows the core's error table: every kind has the status of its code,
    /// documented with the kind's doc line, and every status but the C ABI's own three
    /// (ok, invalid_argument, internal) is a kind.
    #[test]
    fn statuses_follow_the_core_error_table() {
        let source = include_str!("status.rs");
        let own = ["ok", "invalid_argument", "internal"];
        let mut kinds = 0;
        for (status, name) in NAMES.iter() {
            let name = name.to_str().unwrap();
            if own.contains(&name) {
                continue;
            }
            let kind = cldkit::ErrorKind::ALL
                .iter()
                .find(|k| k.code() == name)
                .unwrap_or_else(|| panic!("{status:?} ({name}) is not in ErrorKind::ALL"));
            let doc = format!(
                "    /// {}\n    /// Code `{}`.\n    {:?} = {},",
                kind.doc(),
                name,
                status,
                *status as i32
            );
            assert!(
                source.contains(&doc),
                "{status:?}: its doc must read\n{doc}"
            );
            kinds += 1;
        }
        assert_eq!(kinds, cldkit::ErrorKind::ALL.len());
        for kind in cldkit::ErrorKind::ALL {
            let failure = Failure::from(cldkit::Error::api(kind, "x", None, None, None));
            assert_eq!(failure.status.code_name(), kind.code());
        }
    }

    #[test]
    fn status_names_are_static() {
        let name = unsafe { CStr::from_ptr(cldkit_status_name(3)) };
        assert_eq!(name.to_str().unwrap(), "signature");
        let name = unsafe { CStr::from_ptr(cldkit_status_name(99)) };
        assert_eq!(name.to_str().unwrap(), "unknown");
    }
}
