//! Conversions between JavaScript values and the core's [`Value`] / [`Map`].
//!
//! JavaScript → core, directly through Node-API calls (no JSON):
//! `undefined`/`null` → `Null`; booleans; a number that is a whole number in the
//! safe-integer range → `Int` (rendered `2`, as the Node SDK does), any other number →
//! `Float`; a `cldkit.float(x)` marker (an object whose only own key is
//! [`FLOAT_MARKER_KEY`]) → `Float` (rendered `2.0`, as Python does); a BigInt that fits
//! in 64 bits → `Int`; strings; a Buffer → its UTF-8 text; arrays → `List`; other
//! objects → `Map` with their enumerable string keys (as `for...in` sees them) in
//! JavaScript's key order.
//! Functions, symbols, cyclic or absurdly deep structures are rejected with an
//! `invalid_option` error.
//!
//! Core → JavaScript: `Null` → `null`, `Int`/`Float` → number, `List` → array,
//! `Map` → plain object.

use std::ptr;

use cldkit::{Error, Map, Value};
use napi::{sys, JsUnknown, NapiRaw, NapiValue};

use crate::errors::{Failure, Outcome};

/// A native method's argument: absent when the caller left it out.
pub(crate) type Arg = Option<JsUnknown>;

/// The raw handle of an argument, if given.
pub(crate) fn raw(v: &Arg) -> Option<sys::napi_value> {
    // SAFETY: the handle is live for the current call.
    v.as_ref().map(|v| unsafe { v.raw() })
}

/// The raw handle of a required argument, named `what` in the error.
pub(crate) fn required(v: &Arg, what: &str) -> Outcome<sys::napi_value> {
    raw(v).ok_or_else(|| Failure::Core(Error::invalid_option(what, "is required")))
}

/// A required string argument, named `what` in errors.
pub(crate) fn string_arg(env: sys::napi_env, v: &Arg, what: &str) -> Outcome<String> {
    to_string(env, required(v, what)?, what)
}

/// An argument given as a value (`None` when absent; `undefined`/`null` → `Null`).
pub(crate) fn arg_value(env: sys::napi_env, v: &Arg, what: &str) -> Outcome<Option<Value>> {
    raw(v).map(|v| to_value(env, v, what)).transpose()
}

/// A value just created in `env`, as a `JsUnknown` to return.
pub(crate) fn unknown(env: sys::napi_env, v: sys::napi_value) -> JsUnknown {
    // SAFETY: `v` was just created in `env`, the environment of the current call.
    unsafe { JsUnknown::from_raw_unchecked(env, v) }
}

/// The own key of the object `cldkit.float(x)` returns; its value is the number.
pub(crate) const FLOAT_MARKER_KEY: &str = "__cldkit_float__";

/// How deep nested arrays/objects may go (a cycle fails here instead of overflowing
/// the stack).
const MAX_DEPTH: usize = 64;

/// Largest integer a double holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn check(status: sys::napi_status, what: &str) -> Outcome<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Failure::Core(Error::invalid_option(
            what,
            "cannot read this JavaScript value",
        )))
    }
}

/// Converts the JavaScript value `v` to a core [`Value`]; `what` names the argument in
/// error messages.
pub(crate) fn to_value(env: sys::napi_env, v: sys::napi_value, what: &str) -> Outcome<Value> {
    to_value_depth(env, v, what, 0)
}

/// Converts an optional options argument: `undefined`/`null` (or absent) → empty map.
pub(crate) fn to_map(env: sys::napi_env, v: Option<sys::napi_value>, what: &str) -> Outcome<Map> {
    let Some(v) = v else {
        return Ok(Map::new());
    };
    match to_value(env, v, what)? {
        Value::Map(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(Failure::Core(Error::invalid_option(
            what,
            format!("expected an object, found {}", other.type_name()),
        ))),
    }
}

/// Converts an optional argument: absent → `Null`.
pub(crate) fn to_value_opt(
    env: sys::napi_env,
    v: Option<sys::napi_value>,
    what: &str,
) -> Outcome<Value> {
    match v {
        Some(v) => to_value(env, v, what),
        None => Ok(Value::Null),
    }
}

/// Converts a string argument; any other type is an `invalid_option` error.
pub(crate) fn to_string(env: sys::napi_env, v: sys::napi_value, what: &str) -> Outcome<String> {
    match to_value(env, v, what)? {
        Value::Str(s) => Ok(s),
        other => Err(Failure::Core(Error::invalid_option(
            what,
            format!("expected a string, found {}", other.type_name()),
        ))),
    }
}

fn type_of(env: sys::napi_env, v: sys::napi_value, what: &str) -> Outcome<i32> {
    let mut t = 0;
    // SAFETY: `v` is a live handle of `env`.
    check(unsafe { sys::napi_typeof(env, v, &mut t) }, what)?;
    Ok(t)
}

fn to_value_depth(
    env: sys::napi_env,
    v: sys::napi_value,
    what: &str,
    depth: usize,
) -> Outcome<Value> {
    use sys::ValueType as T;
    let t = type_of(env, v, what)?;
    match t {
        T::napi_undefined | T::napi_null => Ok(Value::Null),
        T::napi_boolean => {
            let mut b = false;
            // SAFETY: `v` is a boolean of `env`.
            check(unsafe { sys::napi_get_value_bool(env, v, &mut b) }, what)?;
            Ok(Value::Bool(b))
        }
        T::napi_number => Ok(number(read_f64(env, v, what)?)),
        T::napi_string => Ok(Value::Str(read_string(env, v, what)?)),
        T::napi_bigint => {
            let mut n = 0i64;
            let mut lossless = false;
            // SAFETY: `v` is a BigInt of `env`.
            check(
                unsafe { sys::napi_get_value_bigint_int64(env, v, &mut n, &mut lossless) },
                what,
            )?;
            if lossless {
                Ok(Value::Int(n))
            } else {
                Err(Failure::Core(Error::invalid_option(
                    what,
                    "a BigInt outside the 64-bit range",
                )))
            }
        }
        T::napi_object => {
            if depth >= MAX_DEPTH {
                return Err(Failure::Core(Error::invalid_option(
                    what,
                    "nested too deeply (or cyclic)",
                )));
            }
            object(env, v, what, depth)
        }
        _ => Err(Failure::Core(Error::invalid_option(
            what,
            format!("unsupported JavaScript value ({})", type_name(t)),
        ))),
    }
}

fn type_name(t: i32) -> &'static str {
    use sys::ValueType as T;
    match t {
        T::napi_function => "function",
        T::napi_symbol => "symbol",
        T::napi_external => "external",
        _ => "unknown",
    }
}

/// A JavaScript number: whole numbers in the safe range are integers.
pub(crate) fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER {
        Value::Int(f as i64)
    } else {
        Value::Float(f)
    }
}

fn read_f64(env: sys::napi_env, v: sys::napi_value, what: &str) -> Outcome<f64> {
    let mut f = 0.0;
    // SAFETY: `v` is a number of `env`.
    check(unsafe { sys::napi_get_value_double(env, v, &mut f) }, what)?;
    Ok(f)
}

/// Reads a JavaScript string as UTF-8 (lone surrogates become U+FFFD).
pub(crate) fn read_string(env: sys::napi_env, v: sys::napi_value, what: &str) -> Outcome<String> {
    // Copies the string into `buf` (NUL-terminated, cut to fit); the bytes written.
    let copy = |buf: &mut [u8]| -> Outcome<usize> {
        let mut written = 0usize;
        // SAFETY: `buf` is valid for `buf.len()` bytes; `v` is a string of `env`.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                env,
                v,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut written,
            )
        };
        check(status, what)?;
        Ok(written)
    };
    // Most option strings are short: try a stack buffer first.
    let mut stack = [0u8; 128];
    let mut len = copy(&mut stack)?;
    if len + 1 < stack.len() {
        let bytes = &stack[..len];
        return Ok(match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        });
    }
    // SAFETY: a null buffer asks for the length only.
    check(
        unsafe { sys::napi_get_value_string_utf8(env, v, ptr::null_mut(), 0, &mut len) },
        what,
    )?;
    let mut buf = vec![0u8; len + 1];
    let written = copy(&mut buf)?;
    buf.truncate(written);
    Ok(String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// The bytes of a Buffer, or `None` when `v` is not one.
pub(crate) fn buffer_bytes(env: sys::napi_env, v: sys::napi_value) -> Option<Vec<u8>> {
    let mut is_buffer = false;
    // SAFETY: `v` is a live handle of `env`.
    if unsafe { sys::napi_is_buffer(env, v, &mut is_buffer) } != sys::Status::napi_ok || !is_buffer
    {
        return None;
    }
    let mut data = ptr::null_mut();
    let mut len = 0usize;
    // SAFETY: `v` is a Buffer; its memory stays valid during this call.
    unsafe {
        if sys::napi_get_buffer_info(env, v, &mut data, &mut len) != sys::Status::napi_ok {
            return None;
        }
        if len == 0 || data.is_null() {
            return Some(Vec::new());
        }
        Some(std::slice::from_raw_parts(data as *const u8, len).to_vec())
    }
}

fn object(env: sys::napi_env, v: sys::napi_value, what: &str, depth: usize) -> Outcome<Value> {
    let mut is_array = false;
    // SAFETY: `v` is an object of `env`.
    check(unsafe { sys::napi_is_array(env, v, &mut is_array) }, what)?;
    if is_array {
        let mut len = 0u32;
        // SAFETY: `v` is an array.
        check(
            unsafe { sys::napi_get_array_length(env, v, &mut len) },
            what,
        )?;
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len {
            let mut item = ptr::null_mut();
            // SAFETY: `i` is within the array.
            check(unsafe { sys::napi_get_element(env, v, i, &mut item) }, what)?;
            items.push(to_value_depth(env, item, what, depth + 1)?);
        }
        return Ok(Value::List(items));
    }
    if let Some(bytes) = buffer_bytes(env, v) {
        return Ok(Value::Str(String::from_utf8_lossy(&bytes).into_owned()));
    }
    let mut keys = ptr::null_mut();
    // SAFETY: `v` is an object of `env`.
    check(
        unsafe { sys::napi_get_property_names(env, v, &mut keys) },
        what,
    )?;
    let mut len = 0u32;
    // SAFETY: `keys` is an array.
    check(
        unsafe { sys::napi_get_array_length(env, keys, &mut len) },
        what,
    )?;
    let mut map = Map::with_capacity(len as usize);
    for i in 0..len {
        let mut key = ptr::null_mut();
        let mut item = ptr::null_mut();
        // SAFETY: `i` is within `keys`; `key` is a property name of `v`.
        unsafe {
            check(sys::napi_get_element(env, keys, i, &mut key), what)?;
            check(sys::napi_get_property(env, v, key, &mut item), what)?;
        }
        let name = read_string(env, key, what)?;
        if len == 1 && name == FLOAT_MARKER_KEY {
            return float_marker(env, item, what);
        }
        let value = to_value_depth(env, item, &name, depth + 1)?;
        map.insert(name, value);
    }
    Ok(Value::Map(map))
}

fn float_marker(env: sys::napi_env, item: sys::napi_value, what: &str) -> Outcome<Value> {
    if type_of(env, item, what)? != sys::ValueType::napi_number {
        return Err(Failure::Core(Error::invalid_option(
            what,
            "cldkit.float() needs a number",
        )));
    }
    Ok(Value::Float(read_f64(env, item, what)?))
}

/// A JavaScript string; `None` when Node-API refuses.
pub(crate) fn raw_string(env: sys::napi_env, s: &str) -> Option<sys::napi_value> {
    let mut out = ptr::null_mut();
    // SAFETY: `s` is valid UTF-8 of the given length; ASCII text is also Latin-1 text
    // (the same JavaScript string, made without UTF-8 decoding).
    let status = unsafe {
        if s.is_ascii() {
            sys::napi_create_string_latin1(env, s.as_ptr().cast(), s.len(), &mut out)
        } else {
            sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len(), &mut out)
        }
    };
    (status == sys::Status::napi_ok).then_some(out)
}

/// JavaScript `null`.
pub(crate) fn raw_null(env: sys::napi_env) -> Option<sys::napi_value> {
    let mut out = ptr::null_mut();
    // SAFETY: `env` is live.
    let status = unsafe { sys::napi_get_null(env, &mut out) };
    (status == sys::Status::napi_ok).then_some(out)
}

fn fail(what: &str) -> Failure {
    Failure::Core(Error::invalid_option(
        what,
        "cannot create a JavaScript value",
    ))
}

/// Converts a core [`Value`] to a JavaScript value.
pub(crate) fn from_value(env: sys::napi_env, v: &Value) -> Outcome<sys::napi_value> {
    let mut out = ptr::null_mut();
    // SAFETY: every call creates a new value in the live `env`.
    let status = unsafe {
        match v {
            Value::Null => sys::napi_get_null(env, &mut out),
            Value::Bool(b) => sys::napi_get_boolean(env, *b, &mut out),
            Value::Int(i) => sys::napi_create_int64(env, *i, &mut out),
            Value::Float(f) => sys::napi_create_double(env, *f, &mut out),
            Value::Str(s) => return raw_string(env, s).ok_or_else(|| fail("result")),
            Value::List(items) => {
                let status = sys::napi_create_array_with_length(env, items.len(), &mut out);
                if status != sys::Status::napi_ok {
                    return Err(fail("result"));
                }
                for (i, item) in items.iter().enumerate() {
                    let js = from_value(env, item)?;
                    if sys::napi_set_element(env, out, i as u32, js) != sys::Status::napi_ok {
                        return Err(fail("result"));
                    }
                }
                sys::Status::napi_ok
            }
            Value::Map(m) => return from_map(env, m),
        }
    };
    if status == sys::Status::napi_ok {
        Ok(out)
    } else {
        Err(fail("result"))
    }
}

/// Converts a core [`Map`] to a plain JavaScript object (keys in order).
pub(crate) fn from_map(env: sys::napi_env, m: &Map) -> Outcome<sys::napi_value> {
    let mut out = ptr::null_mut();
    // SAFETY: `env` is live; keys and values are created in it.
    unsafe {
        if sys::napi_create_object(env, &mut out) != sys::Status::napi_ok {
            return Err(fail("result"));
        }
        for (k, v) in m.iter() {
            let key = raw_string(env, k).ok_or_else(|| fail("result"))?;
            let js = from_value(env, v)?;
            if sys::napi_set_property(env, out, key, js) != sys::Status::napi_ok {
                return Err(fail("result"));
            }
        }
    }
    Ok(out)
}

/// Sets `obj[key] = value` on a JavaScript object.
pub(crate) fn set(
    env: sys::napi_env,
    obj: sys::napi_value,
    key: &str,
    value: sys::napi_value,
) -> Outcome<()> {
    let k = raw_string(env, key).ok_or_else(|| fail("result"))?;
    // SAFETY: all handles are live in `env`.
    if unsafe { sys::napi_set_property(env, obj, k, value) } == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(fail("result"))
    }
}

/// A new empty JavaScript object.
pub(crate) fn new_object(env: sys::napi_env) -> Outcome<sys::napi_value> {
    let mut out = ptr::null_mut();
    // SAFETY: `env` is live.
    if unsafe { sys::napi_create_object(env, &mut out) } == sys::Status::napi_ok {
        Ok(out)
    } else {
        Err(fail("result"))
    }
}

/// The bytes of a Buffer, any TypedArray or DataView (its viewed bytes), an
/// ArrayBuffer, or a string (UTF-8); `None` for anything else.
pub(crate) fn bytes_of(env: sys::napi_env, v: sys::napi_value) -> Option<Vec<u8>> {
    if let Some(b) = buffer_bytes(env, v) {
        return Some(b);
    }
    let mut t = 0;
    // SAFETY: `v` is a live handle of `env`; each query matches the type checked.
    unsafe {
        if sys::napi_typeof(env, v, &mut t) != sys::Status::napi_ok {
            return None;
        }
        if t == sys::ValueType::napi_string {
            return read_string(env, v, "data").ok().map(String::into_bytes);
        }
        if t != sys::ValueType::napi_object {
            return None;
        }
        let mut data: *mut std::ffi::c_void = ptr::null_mut();
        let mut len = 0usize;
        let mut yes = false;
        if sys::napi_is_typedarray(env, v, &mut yes) == sys::Status::napi_ok && yes {
            let mut kind = 0;
            let mut count = 0usize;
            let mut ab = ptr::null_mut();
            let mut offset = 0usize;
            if sys::napi_get_typedarray_info(
                env,
                v,
                &mut kind,
                &mut count,
                &mut data,
                &mut ab,
                &mut offset,
            ) != sys::Status::napi_ok
            {
                return None;
            }
            len = count * typed_array_item_size(kind);
        } else if sys::napi_is_dataview(env, v, &mut yes) == sys::Status::napi_ok && yes {
            let mut ab = ptr::null_mut();
            let mut offset = 0usize;
            if sys::napi_get_dataview_info(env, v, &mut len, &mut data, &mut ab, &mut offset)
                != sys::Status::napi_ok
            {
                return None;
            }
        } else if sys::napi_is_arraybuffer(env, v, &mut yes) == sys::Status::napi_ok && yes {
            if sys::napi_get_arraybuffer_info(env, v, &mut data, &mut len) != sys::Status::napi_ok {
                return None;
            }
        } else {
            return None;
        }
        if len == 0 || data.is_null() {
            return Some(Vec::new());
        }
        Some(std::slice::from_raw_parts(data as *const u8, len).to_vec())
    }
}

/// Bytes per item of a TypedArray kind.
fn typed_array_item_size(kind: i32) -> usize {
    use sys::TypedarrayType as K;
    match kind {
        K::int16_array | K::uint16_array => 2,
        K::int32_array | K::uint32_array | K::float32_array => 4,
        K::float64_array | K::bigint64_array | K::biguint64_array => 8,
        _ => 1,
    }
}
