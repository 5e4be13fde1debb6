//! [`py_methods!`]: the `#[pymethods]` block of a client class, with the methods that
//! only convert written as one line each.
//!
//! Most methods of `Client` (and `AccountClient.call`) do the same four things: take
//! their Python arguments, convert each (to a [`Value`], a [`Map`], a placeholder
//! mode, ...), call the engine with the panic guard around it, and convert the
//! result back. The macro writes that plumbing once; each method states only its
//! Python signature, how each argument converts and the engine call. `#[pymethods]`
//! sees ordinary methods, so the Python-visible names, signatures and docstrings are
//! those written here.

use cldkit::html::PlaceholderMode;
use cldkit::upload::{Integration, UploadRequest};
use cldkit::{Map, Value};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{body_bytes, map_arg, map_to_py, seconds, to_value};
use crate::errors::{check, invalid_option};

/// Any Python object, as methods take their arguments.
pub(crate) type Obj<'py> = Bound<'py, PyAny>;

/// A Python `dict`, as methods return them.
pub(crate) type Dict<'py> = Bound<'py, PyDict>;

/// Defines `#[pymethods] impl $class` (the caller writes `#[pymethods]`: PyO3 names
/// the variables it writes after that attribute, and `*args`/`**options` parameters
/// must be named in the same place) from three parts, in this order:
///
/// - `convert { ... }`: methods as
///   `fn name<'py>(arg: conv(Type), ..., **options) -> Out => |py, engine| expr;`
///   (a comma after every argument; `**options` last, if any),
///   each argument received as `Type` and passed through `conv(py, arg, "arg")`
///   (the functions of [`crate::methods`]), `**options` (optional) converted to a
///   [`Map`] named `options`, `engine` bound to the class's `inner` engine, and
///   `expr` (a `PyResult<Out>`) run inside [`crate::errors::guard`];
/// - `to_thread { ... }`: asyncio twins as
///   `fn name_async(*args, **kwargs) = "name", "($self, ...)";`,
///   which run method `"name"` in a worker thread ([`crate::client::aio`]) and show
///   the given text signature;
/// - the rest: methods written out in full.
///
/// Attributes (doc comments, `#[pyo3(signature = ...)]`) go on before `fn`.
macro_rules! py_methods {
    (
        $hash:tt $pymethods:tt
        impl $class:ident {
            convert {
                $(
                    $(#[$($attr:tt)*])*
                    fn $name:ident<$lt:lifetime>(
                        $($arg:ident: $conv:ident($($argty:tt)*),)* $(**$opts:ident)?
                    ) -> $out:ty => |$py:ident, $engine:ident| $body:expr;
                )*
            }
            to_thread {
                $(
                    $(#[$($adoc:tt)*])*
                    fn $aname:ident(*$args:ident, **$kwargs:ident) = $target:tt, $sig:tt;
                )*
            }
            $($rest:tt)*
        }
    ) => {
        $hash $pymethods
        impl $class {
            $(
                $(#[$($attr)*])*
                fn $name<$lt>(
                    &self,
                    $py: Python<$lt>,
                    $($arg: $($argty)*,)*
                    $($opts: Option<&Bound<$lt, pyo3::types::PyDict>>,)?
                ) -> PyResult<$out> {
                    crate::errors::guard($py, || {
                        $(let $arg = crate::methods::$conv($py, $arg, stringify!($arg))?;)*
                        $(let $opts = crate::convert::options($opts)?;)?
                        let $engine = &self.inner;
                        $body
                    })
                }
            )*
            $(
                $(#[$($adoc)*])*
                #[pyo3(signature = (*$args, **$kwargs), text_signature = $sig)]
                fn $aname<'py>(
                    slf: &Bound<'py, Self>,
                    $args: &Bound<'py, pyo3::types::PyTuple>,
                    $kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
                ) -> PyResult<Bound<'py, PyAny>> {
                    crate::client::aio(slf.as_any(), $target, $args, $kwargs)
                }
            )*
            $($rest)*
        }
    };
}
pub(crate) use py_methods;

/// An argument taken as it is.
pub(crate) fn keep<T>(_py: Python<'_>, arg: T, _name: &str) -> PyResult<T> {
    Ok(arg)
}

/// A required argument as a [`Value`].
pub(crate) fn value(_py: Python<'_>, arg: &Bound<'_, PyAny>, name: &str) -> PyResult<Value> {
    to_value(arg, name)
}

/// An optional argument as a [`Value`] (missing: null).
pub(crate) fn opt_value(
    _py: Python<'_>,
    arg: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Value> {
    match arg {
        Some(o) => to_value(o, name),
        None => Ok(Value::Null),
    }
}

/// A request body (`bytes`, or `str` as UTF-8).
pub(crate) fn bytes(_py: Python<'_>, arg: &Bound<'_, PyAny>, _name: &str) -> PyResult<Vec<u8>> {
    body_bytes(arg)
}

/// An optional duration in seconds (a number or a `timedelta`; missing or `None`:
/// none).
pub(crate) fn opt_seconds(
    _py: Python<'_>,
    arg: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<f64>> {
    match arg {
        Some(v) if !v.is_none() => Ok(Some(seconds(v, name)?)),
        _ => Ok(None),
    }
}

/// An optional integration identity,
/// `{"name", "version", "platform"?, "platform_version"?}` (missing or `None`: none).
pub(crate) fn integration(
    py: Python<'_>,
    arg: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<Integration>> {
    let m = match arg {
        Some(o) if !o.is_none() => map_arg(Some(o), name)?,
        _ => return Ok(None),
    };
    let field = |k: &str| -> Option<String> {
        m.get(k)
            .filter(|v| !v.is_null())
            .map(|v| v.py_str().into_owned())
    };
    let required =
        |k: &str| field(k).ok_or_else(|| invalid_option(py, name, &format!("missing `{k}`")));
    Ok(Some(Integration {
        name: required("name")?,
        version: required("version")?,
        platform: field("platform"),
        platform_version: field("platform_version"),
    }))
}

/// A required `dict` argument as a [`Map`].
pub(crate) fn dict(_py: Python<'_>, arg: &Bound<'_, PyAny>, name: &str) -> PyResult<Map> {
    map_arg(Some(arg), name)
}

/// An optional `dict` argument as a [`Map`] (missing or `None`: empty).
pub(crate) fn opt_dict(
    _py: Python<'_>,
    arg: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Map> {
    map_arg(arg, name)
}

/// A placeholder mode by name (`"blur"`, `"pixelate"`, `"vectorize"`,
/// `"predominant_color"`).
pub(crate) fn mode(py: Python<'_>, arg: &str, _name: &str) -> PyResult<PlaceholderMode> {
    PlaceholderMode::parse(arg).ok_or_else(|| {
        invalid_option(
            py,
            "placeholder",
            &format!(
                "unknown placeholder mode {arg:?} (blur, pixelate, vectorize, predominant_color)"
            ),
        )
    })
}

/// An optional placeholder mode by name.
pub(crate) fn opt_mode(
    py: Python<'_>,
    arg: Option<&str>,
    name: &str,
) -> PyResult<Option<PlaceholderMode>> {
    arg.map(|m| mode(py, m, name)).transpose()
}

/// An engine result that is a [`Map`], as a `dict`.
pub(crate) fn dict_out<'py>(
    py: Python<'py>,
    r: cldkit::Result<Map>,
) -> PyResult<Bound<'py, PyDict>> {
    map_to_py(py, &check(py, r)?)
}

/// An Upload API request as a `dict`: `url`, `fields` (a list of `(name, value)`
/// pairs in sending order), `file` (`None`, or `{"path", "filename"}` for a local file
/// to attach) and `authorization` (the `Authorization` header, or `None`).
pub(crate) fn request_out<'py>(
    py: Python<'py>,
    r: cldkit::Result<UploadRequest>,
) -> PyResult<Bound<'py, PyDict>> {
    let req = check(py, r)?;
    let d = PyDict::new(py);
    d.set_item("url", &req.url)?;
    let fields = pyo3::types::PyList::empty(py);
    for (k, v) in &req.fields {
        fields.append(pyo3::types::PyTuple::new(py, [k, v])?)?;
    }
    d.set_item("fields", fields)?;
    match &req.file {
        Some(f) => {
            let file = PyDict::new(py);
            file.set_item("path", &f.path)?;
            file.set_item("filename", &f.filename)?;
            d.set_item("file", file)?;
        }
        None => d.set_item("file", py.None())?,
    }
    d.set_item("authorization", req.authorization.as_deref())?;
    Ok(d)
}
