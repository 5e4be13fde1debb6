//! Reading C arguments: required pointers, UTF-8 text and JSON values.

use std::ffi::{c_char, CStr};

use cldkit::{Map, Value};

use crate::client::CldkitClient;
use crate::status::Failure;

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
