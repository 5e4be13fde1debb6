//! Python values to the core's [`Value`]/[`Map`] and back, directly (no JSON).
//!
//! Exact built-in types take a fast path; subclasses follow (`bool` before `int`,
//! since `bool` is a subclass of `int`). `dict` order is kept. A `datetime` becomes
//! its Unix time in whole seconds (naive datetimes are local time, as
//! `datetime.timestamp()` reads them); a `timedelta` its seconds. Anything else is an
//! `InvalidOptionError` naming the option.

use std::borrow::Cow;

use cldkit::{Map, Value};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

use crate::errors::invalid_option;

/// Python's `datetime.datetime`, `datetime.date` and `datetime.timedelta`, imported on
/// first need.
static DATETIME_TYPES: PyOnceLock<(Py<PyType>, Py<PyType>)> = PyOnceLock::new();

fn datetime_types(py: Python<'_>) -> PyResult<&(Py<PyType>, Py<PyType>)> {
    DATETIME_TYPES.get_or_try_init(py, || {
        let m = py.import("datetime")?;
        let dt = m.getattr("datetime")?.cast_into::<PyType>()?.unbind();
        let td = m.getattr("timedelta")?.cast_into::<PyType>()?.unbind();
        Ok((dt, td))
    })
}

/// A Python string as Rust text.
pub fn text(s: &Bound<'_, PyString>) -> PyResult<String> {
    Ok(str_of(s)?.into_owned())
}

/// A Python string's text, borrowed where the platform allows.
///
/// On CPython outside Windows this is the string's cached UTF-8 buffer
/// (`PyUnicode_AsUTF8AndSize`, exported by every CPython 3.x though only part of the
/// limited API from 3.10): no copy. Elsewhere it goes through the limited API's
/// encoder.
pub fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    #[cfg(not(windows))]
    {
        fast_text::str_of(s).map(Cow::Borrowed)
    }
    #[cfg(windows)]
    {
        Ok(Cow::Owned(s.to_cow()?.into_owned()))
    }
}

#[cfg(not(windows))]
mod fast_text {
    use std::os::raw::c_char;

    use pyo3::ffi::{PyObject, Py_ssize_t};
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    extern "C" {
        fn PyUnicode_AsUTF8AndSize(unicode: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char;
    }

    pub(super) fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
        let mut size: Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (checked by its type) and the GIL is held; the
        // returned buffer is owned by the string object (strings are immutable), stays
        // valid while `s` lives (the borrow `'a`), and holds `size` bytes of valid UTF-8.
        unsafe {
            let data = PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size);
            if data.is_null() {
                // Lone surrogates cannot be encoded: the Python error is set.
                return Err(PyErr::fetch(s.py()));
            }
            let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
            Ok(std::str::from_utf8_unchecked(bytes))
        }
    }
}

/// How deeply lists and dicts may nest in an option value (a self-referential dict
/// would otherwise recurse until the stack overflows).
const MAX_DEPTH: u32 = 64;

thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts one level of nesting while alive.
struct DepthGuard;

impl DepthGuard {
    fn enter(py: Python<'_>, option: &str) -> PyResult<DepthGuard> {
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let guard = DepthGuard;
        if depth > MAX_DEPTH {
            return Err(invalid_option(
                py,
                option,
                &format!("lists and dicts nest more than {MAX_DEPTH} levels deep (a value that contains itself?)"),
            ));
        }
        Ok(guard)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Converts one Python value; `option` names it in errors.
pub fn to_value(obj: &Bound<'_, PyAny>, option: &str) -> PyResult<Value> {
    // Fast path: exact built-in types, most common first.
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::Str(text(s)?));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return int_value(obj, option);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        return Ok(Value::Map(dict_to_map(d, option)?));
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        let _depth = DepthGuard::enter(obj.py(), option)?;
        let mut out = Vec::with_capacity(l.len());
        for item in l.iter() {
            out.push(to_value(&item, option)?);
        }
        return Ok(Value::List(out));
    }
    if let Ok(t) = obj.cast_exact::<PyTuple>() {
        let _depth = DepthGuard::enter(obj.py(), option)?;
        let mut out = Vec::with_capacity(t.len());
        for item in t.iter() {
            out.push(to_value(&item, option)?);
        }
        return Ok(Value::List(out));
    }
    slow_value(obj, option)
}

fn int_value(obj: &Bound<'_, PyAny>, option: &str) -> PyResult<Value> {
    match obj.extract::<i64>() {
        Ok(i) => Ok(Value::Int(i)),
        Err(_) => Err(invalid_option(
            obj.py(),
            option,
            "integer out of range (must fit in 64 bits)",
        )),
    }
}

/// Subclasses of the built-in types, datetimes, and the error for the rest.
fn slow_value(obj: &Bound<'_, PyAny>, option: &str) -> PyResult<Value> {
    let py = obj.py();
    // `bool` cannot be subclassed, but it is an `int`: checked before `int`.
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.is_truthy()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::Str(text(s)?));
    }
    if obj.is_instance_of::<PyInt>() {
        return int_value(obj, option);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return Ok(Value::Map(dict_to_map(d, option)?));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let _depth = DepthGuard::enter(py, option)?;
        let mut out = Vec::new();
        for item in obj.try_iter()? {
            out.push(to_value(&item?, option)?);
        }
        return Ok(Value::List(out));
    }
    let (dt, td) = datetime_types(py)?;
    if obj.is_instance(dt.bind(py))? {
        let ts: f64 = obj.call_method0("timestamp")?.extract()?;
        return Ok(Value::Int(ts.floor() as i64));
    }
    if obj.is_instance(td.bind(py))? {
        let secs: f64 = obj.call_method0("total_seconds")?.extract()?;
        return Ok(Value::Int(secs.trunc() as i64));
    }
    let type_name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    Err(invalid_option(
        py,
        option,
        &format!("unsupported value type {type_name} (expected str, int, float, bool, None, list, tuple, dict or datetime)"),
    ))
}

/// Converts a `dict` with string keys, keeping its order.
pub fn dict_to_map(d: &Bound<'_, PyDict>, option: &str) -> PyResult<Map> {
    let _depth = DepthGuard::enter(d.py(), option)?;
    let mut m = Map::with_capacity(d.len());
    for (k, v) in d.iter() {
        let key = match k.cast::<PyString>() {
            Ok(s) => text(s)?,
            Err(_) => return Err(invalid_option(d.py(), option, "map keys must be strings")),
        };
        let value = to_value(&v, &key)?;
        m.insert(key, value);
    }
    Ok(m)
}

/// `**options` (or a missing one) as a [`Map`].
pub fn options(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Map> {
    match kwargs {
        Some(d) => dict_to_map(d, "options"),
        None => Ok(Map::new()),
    }
}

/// A `dict` argument (or `None`) as a [`Map`]; `name` is the argument's name.
pub fn map_arg(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Map> {
    match obj {
        None => Ok(Map::new()),
        Some(o) if o.is_none() => Ok(Map::new()),
        Some(o) => match o.cast::<PyDict>() {
            Ok(d) => dict_to_map(d, name),
            Err(_) => Err(invalid_option(o.py(), name, "expected a dict")),
        },
    }
}

/// A request body: `bytes`, `bytearray`-like buffers are not accepted; `str` is
/// encoded as UTF-8.
pub fn body_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(text(s)?.into_bytes());
    }
    Err(invalid_option(obj.py(), "body", "expected bytes or str"))
}

/// A number of seconds: `int`, `float` or `timedelta`.
pub fn seconds(obj: &Bound<'_, PyAny>, option: &str) -> PyResult<f64> {
    match to_value(obj, option)? {
        Value::Int(i) => Ok(i as f64),
        Value::Float(f) => Ok(f),
        other => Err(invalid_option(
            obj.py(),
            option,
            &format!("expected a number of seconds, found {}", other.type_name()),
        )),
    }
}

/// Converts a core value to a Python object.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::List(items) => {
            let l = PyList::empty(py);
            for item in items {
                l.append(to_py(py, item)?)?;
            }
            l.into_any()
        }
        Value::Map(m) => map_to_py(py, m)?.into_any(),
    })
}

/// Converts a core map to a `dict`, keeping its order.
pub fn map_to_py<'py>(py: Python<'py>, m: &Map) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in m.iter() {
        d.set_item(k, to_py(py, v)?)?;
    }
    Ok(d)
}
