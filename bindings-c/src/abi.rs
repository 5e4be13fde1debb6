//! Reading C arguments (required pointers, UTF-8 text and JSON values) and the
//! plumbing the functions computing a value from a client share.

use std::ffi::{c_char, CStr};

use cldkit::{Map, Value};

use crate::client::CldkitClient;
use crate::status::{guard, guard_as, put_string, CldkitStatus, Failure, Report};

/// The text behind a required C string argument.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for the duration of the call.
pub(crate) unsafe fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::argument(format!("`{name}` is NULL")));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Failure::argument(format!("`{name}` is not valid UTF-8")))
}

/// A required JSON argument as an option [`Value`].
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn json_value(p: *const c_char, name: &str) -> Result<Value, Failure> {
    // SAFETY: forwarded contract.
    let s = unsafe { text(p, name) }?;
    serde_json::from_str::<Value>(s)
        .map_err(|e| Failure::argument(format!("`{name}` is not valid JSON: {e}")))
}

/// A required JSON argument that must be an object (an option map). `null` and an
/// empty list (an empty PHP array) count as an empty map.
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn json_map(p: *const c_char, name: &str) -> Result<Map, Failure> {
    // SAFETY: forwarded contract.
    match unsafe { json_value(p, name) }? {
        Value::Map(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        Value::List(l) if l.is_empty() => Ok(Map::new()),
        other => Err(Failure::argument(format!(
            "`{name}` must be a JSON object, found {}",
            other.type_name()
        ))),
    }
}

/// The client behind a required handle.
///
/// # Safety
/// `p` is NULL or a live handle from this library.
pub(crate) unsafe fn client<'a>(p: *const CldkitClient) -> Result<&'a cldkit::Client, Failure> {
    if p.is_null() {
        return Err(Failure::argument("`client` is NULL"));
    }
    // SAFETY: a live handle by the caller's contract.
    Ok(unsafe { &(*p).inner })
}

/// Checks that a required out-pointer is not NULL and clears what it points to.
///
/// # Safety
/// `p` is NULL or valid for writing one `T`.
pub(crate) unsafe fn out<T>(p: *mut *mut T) -> Result<*mut *mut T, Failure> {
    if p.is_null() {
        return Err(Failure::argument("`out` is NULL"));
    }
    // SAFETY: non-NULL and writable by the caller's contract.
    unsafe { *p = std::ptr::null_mut() };
    Ok(p)
}

/// Serializes a result as JSON text.
pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string(value)
        .map_err(|e| Failure::internal(format!("cannot encode result: {e}")))
}

/// The plumbing of a function with one out-pointer: runs `f` with the panic guard
/// ([`guard_as`], failures reported `how` says) after checking that `out` is not
/// NULL and clearing `*out`; `f` stores the result through the pointer it gets.
///
/// # Safety
/// `out` NULL or valid for writing one pointer; `error` NULL or writable; `f` holds
/// the contracts of the pointers it reads.
pub(crate) unsafe fn with_out<T>(
    how: Report,
    out: *mut *mut T,
    error: *mut *mut c_char,
    f: impl FnOnce(*mut *mut T) -> Result<(), Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe { guard_as(how, error, || f(self::out(out)?)) }
}

/// The plumbing of a function that computes a string from a client: runs `f` with
/// the panic guard ([`guard`]), after checking and clearing `*out` and reading the
/// client handle (in that order), and stores what `f` returns in `*out` (caller
/// frees). A failure goes to `*error` as a message.
///
/// # Safety
/// `client` is NULL or a live handle; `out` NULL or writable; `error` NULL or
/// writable; `f` holds the contracts of the pointers it reads.
pub(crate) unsafe fn client_text(
    client: *const CldkitClient,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
    f: impl FnOnce(&cldkit::Client) -> Result<String, Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        with_out(Report::Message, out, error, |out| {
            put_string(out, f(self::client(client)?)?)
        })
    }
}

/// [`client_text`] for a JSON result: `f`'s value is stored as JSON text.
///
/// # Safety
/// As for [`client_text`].
pub(crate) unsafe fn client_json<T: serde::Serialize>(
    client: *const CldkitClient,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
    f: impl FnOnce(&cldkit::Client) -> Result<T, Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe { client_text(client, out, error, |c| to_json(&f(c)?)) }
}

/// [`client_text`] for a yes/no answer: `*out` is set to `false` first, then to
/// what `f` returns.
///
/// # Safety
/// As for [`client_text`], with `out` NULL or valid for writing one `bool`.
pub(crate) unsafe fn client_flag(
    client: *const CldkitClient,
    out: *mut bool,
    error: *mut *mut c_char,
    f: impl FnOnce(&cldkit::Client) -> Result<bool, Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        guard(error, || {
            if out.is_null() {
                return Err(Failure::argument("`out_valid` is NULL"));
            }
            *out = false;
            let c = self::client(client)?;
            *out = f(c)?;
            Ok(())
        })
    }
}
