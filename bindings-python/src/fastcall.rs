//! `Client.url`, the hottest call, as a raw vectorcall (`METH_FASTCALL |
//! METH_KEYWORDS`) method.
//!
//! On the 3.9 stable ABI, PyO3 cannot use the vectorcall convention for a method with
//! `**options`: Python first packs the keywords into a dict, then PyO3 encodes each
//! keyword name to a new `bytes` object and copies every pair into a second dict.
//! For a three-option URL that bookkeeping cost more than building the URL.
//! CPython has called C methods with a vector of arguments and a tuple of keyword
//! names since 3.7 (PEP 590 made the convention public in 3.10; the flag's value and
//! the call signature are the same in 3.9), so this module defines `url` that way and
//! reads each keyword straight from the call. Conversion, errors and the engine call
//! are the same functions every other method uses.

use std::ffi::{c_int, CStr};
use std::panic::AssertUnwindSafe;
use std::ptr;

use cldkit::Map;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

use crate::client::PyClient;
use crate::convert::{str_of, to_value};
use crate::errors::{check, guard};

/// `METH_FASTCALL`: not exposed by the 3.9 limited-API headers, understood by every
/// CPython from 3.7 (the same value as in 3.10's stable ABI).
const METH_FASTCALL: c_int = 0x0080;

/// The signature `inspect.signature` reads (`__text_signature__`), then the docstring.
const URL_DOC: &CStr = c"url($self, source, **options)\n--\n\n\
The delivery URL of `source` (a public id or a remote URL) with `options`.";

/// The C signature of a `METH_FASTCALL | METH_KEYWORDS` function.
type FastWithKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// Installs the vectorcall `url` on the `Client` type.
pub fn install(client_type: &Bound<'_, PyType>) -> PyResult<()> {
    let py = client_type.py();
    let fast: FastWithKeywords = url_trampoline;
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"url".as_ptr(),
        // SAFETY: the runtime calls `ml_meth` with the signature its flags name
        // (`METH_FASTCALL | METH_KEYWORDS`: `FastWithKeywords`); the union field's
        // declared type is only storage for the pointer.
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunction: unsafe { std::mem::transmute::<FastWithKeywords, ffi::PyCFunction>(fast) },
        },
        ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: URL_DOC.as_ptr(),
    }));
    // SAFETY: `client_type` is a live type object and `def` lives for the rest of
    // the process (leaked once per interpreter that imports the module).
    let descr = unsafe {
        let raw = ffi::PyDescr_NewMethod(client_type.as_type_ptr(), def);
        Bound::from_owned_ptr_or_err(py, raw)?
    };
    client_type.setattr("url", descr)
}

/// The C entry point: runs [`url`] with panics caught and errors raised.
unsafe extern "C" fn url_trampoline(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: Python calls methods with the GIL held (attached thread).
    let py = unsafe { Python::assume_attached() };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        guard(py, || {
            // SAFETY: the vectorcall convention: `slf` is the instance, `args` holds
            // `nargs` positional values followed by one value per name in `kwnames`
            // (a tuple of `str`, or NULL), all borrowed for the call.
            let call = unsafe { Call::new(py, slf, args, nargs, kwnames) };
            url(py, &call)
        })
    }));
    match outcome {
        Ok(Ok(s)) => s.into_ptr(),
        Ok(Err(e)) => {
            e.restore(py);
            ptr::null_mut()
        }
        // `guard` turns panics into `cldkit.Error`; this only catches one raised
        // while converting that error.
        Err(_) => {
            PyErr::new::<pyo3::exceptions::PySystemError, _>("cldkit: internal error").restore(py);
            ptr::null_mut()
        }
    }
}

/// One vectorcall's arguments, borrowed.
struct Call<'a, 'py> {
    slf: Borrowed<'a, 'py, PyAny>,
    positional: &'a [*mut ffi::PyObject],
    keyword_values: &'a [*mut ffi::PyObject],
    names: Option<Borrowed<'a, 'py, PyTuple>>,
}

impl<'a, 'py> Call<'a, 'py> {
    /// # Safety
    /// The arguments of a `METH_FASTCALL | METH_KEYWORDS` call, GIL held.
    unsafe fn new(
        py: Python<'py>,
        slf: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargs: ffi::Py_ssize_t,
        kwnames: *mut ffi::PyObject,
    ) -> Self {
        unsafe {
            let names = Borrowed::from_ptr_or_opt(py, kwnames).map(|n| n.cast_unchecked());
            let nkw = names
                .as_ref()
                .map_or(0, |n: &Borrowed<'_, '_, PyTuple>| n.len());
            let nargs = nargs.max(0) as usize;
            let all: &[*mut ffi::PyObject] = if args.is_null() {
                &[]
            } else {
                std::slice::from_raw_parts(args, nargs + nkw)
            };
            Call {
                slf: Borrowed::from_ptr(py, slf),
                positional: &all[..nargs],
                keyword_values: &all[nargs..],
                names,
            }
        }
    }

    fn arg(&self, py: Python<'py>, p: *mut ffi::PyObject) -> Borrowed<'a, 'py, PyAny> {
        // SAFETY: every pointer in the call's vector is a live borrowed object.
        unsafe { Borrowed::from_ptr(py, p) }
    }
}

/// `Client.url(source, **options)`.
fn url(py: Python<'_>, call: &Call<'_, '_>) -> PyResult<Py<PyAny>> {
    let client = call.slf.cast::<PyClient>()?;
    let mut source = match call.positional {
        [] => None,
        [one] => Some(call.arg(py, *one)),
        more => {
            return Err(PyTypeError::new_err(format!(
                "url() takes 1 positional argument but {} were given",
                more.len()
            )))
        }
    };
    let mut opts = Map::with_capacity(call.keyword_values.len());
    if let Some(names) = &call.names {
        for (name, value) in names.iter_borrowed().zip(call.keyword_values) {
            // SAFETY: keyword names of a call are always `str`.
            let name = unsafe { name.cast_unchecked::<PyString>() };
            let key = str_of(&name)?;
            let value = call.arg(py, *value);
            if key == "source" {
                if source.replace(value).is_some() {
                    return Err(PyTypeError::new_err(
                        "url() got multiple values for argument 'source'",
                    ));
                }
                continue;
            }
            let value = to_value(&value, &key)?;
            opts.insert(key.into_owned(), value);
        }
    }
    let Some(source) = source else {
        return Err(PyTypeError::new_err(
            "url() missing 1 required positional argument: 'source'",
        ));
    };
    let source = source.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "url() argument 'source' must be str, not {}",
            type_name(&source)
        ))
    })?;
    let url = check(py, client.get().engine().url(&str_of(&source)?, &opts))?;
    Ok(PyString::new(py, &url).into_any().unbind())
}

fn type_name(obj: &Borrowed<'_, '_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}
