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
    /// An option has a value the SDK rules reject (core code `invalid_option`).
    CLDKIT_INVALID_OPTION = 1,
    /// The configuration is missing something or cannot be parsed (core code `config`).
    CLDKIT_CONFIG = 2,
    /// A signature could not be computed (core code `signature`).
    CLDKIT_SIGNATURE = 3,
    /// A bad call: a NULL pointer, text that is not UTF-8, malformed JSON or JSON of
    /// the wrong shape (code `invalid_argument`).
    CLDKIT_INVALID_ARGUMENT = 4,
    /// A bug inside cldkit (a caught panic, or output that cannot be a C string);
    /// code `internal`.
    CLDKIT_INTERNAL = 5,
}

impl CldkitStatus {
    /// The stable code name of the status (the core's error codes for 1 to 3).
    pub fn code_name(self) -> &'static str {
        match self {
            CldkitStatus::CLDKIT_OK => "ok",
            CldkitStatus::CLDKIT_INVALID_OPTION => "invalid_option",
            CldkitStatus::CLDKIT_CONFIG => "config",
            CldkitStatus::CLDKIT_SIGNATURE => "signature",
            CldkitStatus::CLDKIT_INVALID_ARGUMENT => "invalid_argument",
            CldkitStatus::CLDKIT_INTERNAL => "internal",
        }
    }
}

/// A failure on its way to the caller: a status and a message.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: CldkitStatus,
    pub(crate) message: String,
}

impl Failure {
    /// A `CLDKIT_INVALID_ARGUMENT` failure.
    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Failure {
            status: CldkitStatus::CLDKIT_INVALID_ARGUMENT,
            message: message.into(),
        }
    }

    /// A `CLDKIT_INTERNAL` failure.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Failure {
            status: CldkitStatus::CLDKIT_INTERNAL,
            message: message.into(),
        }
    }
}

impl From<cldkit::Error> for Failure {
    fn from(e: cldkit::Error) -> Self {
        let status = match e.kind() {
            cldkit::ErrorKind::InvalidOption => CldkitStatus::CLDKIT_INVALID_OPTION,
            cldkit::ErrorKind::Config => CldkitStatus::CLDKIT_CONFIG,
            cldkit::ErrorKind::Signature => CldkitStatus::CLDKIT_SIGNATURE,
            _ => CldkitStatus::CLDKIT_INTERNAL,
        };
        Failure {
            status,
            message: e.to_string(),
        }
    }
}

/// Runs `body` with panics caught, and reports its failure through `error`.
///
/// # Safety
/// `error` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard(
    error: *mut *mut c_char,
    body: impl FnOnce() -> Result<(), Failure>,
) -> CldkitStatus {
    if !error.is_null() {
        // SAFETY: the caller passes NULL or a writable pointer.
        unsafe { *error = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Err(Failure::internal(format!(
            "internal error in cldkit: {what}"
        )))
    });
    match outcome {
        Ok(()) => CldkitStatus::CLDKIT_OK,
        Err(f) => {
            if !error.is_null() {
                let message = CString::new(f.message.replace('\0', "\\0"))
                    .unwrap_or_else(|_| CString::from(c"error"));
                // SAFETY: checked non-NULL above.
                unsafe { *error = message.into_raw() };
            }
            f.status
        }
    }
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
/// `"signature"`, `"invalid_argument"`, `"internal"`, or `"unknown"` for a value that is
/// not a status. The string is static: never free it.
#[no_mangle]
pub extern "C" fn cldkit_status_name(status: i32) -> *const c_char {
    let name: &'static CStr = match status {
        0 => c"ok",
        1 => c"invalid_option",
        2 => c"config",
        3 => c"signature",
        4 => c"invalid_argument",
        5 => c"internal",
        _ => c"unknown",
    };
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
    fn status_names_are_static() {
        let name = unsafe { CStr::from_ptr(cldkit_status_name(3)) };
        assert_eq!(name.to_str().unwrap(), "signature");
        let name = unsafe { CStr::from_ptr(cldkit_status_name(99)) };
        assert_eq!(name.to_str().unwrap(), "unknown");
    }
}
