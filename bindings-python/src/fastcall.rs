//! The hottest `Client` methods, `url` and `cloudinary_url`, as raw vectorcall
//! (`METH_FASTCALL | METH_KEYWORDS`) methods.
//!
//! On the 3.9 stable ABI, PyO3 cannot use the vectorcall convention for a method with
//! `**options`: Python first packs the keywords into a dict, then PyO3 encodes each
//! keyword name to a new `bytes` object and copies every pair into a second dict.
//! For a three-option URL that bookkeeping cost more than building the URL.
//! CPython has called C methods with a vector of arguments and a tuple of keyword
//! names since 3.7 (PEP 590 made the convention public in 3.10; the flag's value and
//! the call signature are the same in 3.9), so this module defines those methods that
//! way and reads each keyword straight from the call. Conversion, errors and the
//! engine calls are the same functions every other method uses.

use std::ffi::{c_int, CStr};
use std::panic::AssertUnwindSafe;
use std::ptr;

use cldkit::Map;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

use crate::client::PyClient;
use crate::convert::{map_to_py, str_of, to_py, to_value};
use crate::errors::{check, guard};

/// `METH_FASTCALL`: not exposed by the 3.9 limited-API headers, understood by every
/// CPython from 3.7 (the same value as in 3.10's stable ABI).
const METH_FASTCALL: c_int = 0x0080;

/// The C signature of a `METH_FASTCALL | METH_KEYWORDS` function.
type FastWithKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// Defines the C entry point `$trampoline` of the method body `$body`: the call's
/// arguments borrowed, panics caught, errors raised.
macro_rules! trampoline {
    ($trampoline:ident => $body:ident) => {
        unsafe extern "C" fn $trampoline(
            slf: *mut ffi::PyObject,
            args: *const *mut ffi::PyObject,
            nargs: ffi::Py_ssize_t,
            kwnames: *mut ffi::PyObject,
        ) -> *mut ffi::PyObject {
            // SAFETY: Python calls methods with the GIL held (attached thread), with
            // the vectorcall arguments `Call::new` documents.
            unsafe { run(slf, args, nargs, kwnames, $body) }
        }
    };
}

trampoline!(url_trampoline => url);
trampoline!(cloudinary_url_trampoline => cloudinary_url);

/// The methods installed, with the signatures `inspect.signature` reads
/// (`__text_signature__`) and their docstrings.
const METHODS: &[(&CStr, FastWithKeywords, &CStr)] = &[
    (
        c"url",
        url_trampoline,
        c"url($self, source, **options)\n--\n\n\
The delivery URL of `source` (a public id or a remote URL) with `options`.",
    ),
    (
        c"cloudinary_url",
        cloudinary_url_trampoline,
        c"cloudinary_url($self, source, **options)\n--\n\n\
pycloudinary's `cloudinary_url(source, **options)`: `(url, leftover_options)`. `url` is \
`None`/the source itself when the SDK returns it untouched; the leftovers are the options \
the URL did not consume (the HTML attributes).",
    ),
];

/// Installs the vectorcall methods on the `Client` type.
pub fn install(client_type: &Bound<'_, PyType>) -> PyResult<()> {
    let py = client_type.py();
    for &(name, fast, doc) in METHODS {
        let def = Box::leak(Box::new(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            // SAFETY: the runtime calls `ml_meth` with the signature its flags name
            // (`METH_FASTCALL | METH_KEYWORDS`: `FastWithKeywords`); the union field's
            // declared type is only storage for the pointer.
            ml_meth: ffi::PyMethodDefPointer {
                PyCFunction: unsafe {
                    std::mem::transmute::<FastWithKeywords, ffi::PyCFunction>(fast)
                },
            },
            ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: doc.as_ptr(),
        }));
        // SAFETY: `client_type` is a live type object and `def` lives for the rest of
        // the process (leaked once per interpreter that imports the module).
        let descr = unsafe {
            let raw = ffi::PyDescr_NewMethod(client_type.as_type_ptr(), def);
            Bound::from_owned_ptr_or_err(py, raw)?
        };
        client_type.setattr(name.to_str().unwrap_or_default(), descr)?;
    }
    Ok(())
}

/// Runs a method body with panics caught and its error raised.
///
/// # Safety
/// The arguments of a `METH_FASTCALL | METH_KEYWORDS` call, GIL held.
unsafe fn run(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    body: fn(Python<'_>, &Call<'_, '_>) -> PyResult<Py<PyAny>>,
) -> *mut ffi::PyObject {
    // SAFETY: Python calls methods with the GIL held (attached thread).
    let py = unsafe { Python::assume_attached() };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        guard(py, || {
            // SAFETY: the caller's contract (the vectorcall convention).
            let call = unsafe { Call::new(py, slf, args, nargs, kwnames) };
            body(py, &call)
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
    /// `slf` is the instance, `args` holds `nargs` positional values followed by one
    /// value per name in `kwnames` (a tuple of `str`, or NULL), all borrowed for the
    /// call; the GIL is held.
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

    /// The client, and the arguments of `name(source, **options)` as a Python
    /// method with that signature takes them: `source` by position or keyword.
    fn source_and_options(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<(Borrowed<'a, 'py, PyClient>, Borrowed<'a, 'py, PyAny>, Map)> {
        let client = self.slf.cast::<PyClient>()?;
        let mut source = match self.positional {
            [] => None,
            [one] => Some(self.arg(py, *one)),
            more => {
                return Err(PyTypeError::new_err(format!(
                    "{name}() takes 1 positional argument but {} were given",
                    more.len()
                )))
            }
        };
        let mut options = Map::with_capacity(self.keyword_values.len());
        if let Some(names) = &self.names {
            for (key, value) in names.iter_borrowed().zip(self.keyword_values) {
                // SAFETY: keyword names of a call are always `str`.
                let key = unsafe { key.cast_unchecked::<PyString>() };
                let key = str_of(&key)?;
                let value = self.arg(py, *value);
                if key == "source" {
                    if source.replace(value).is_some() {
                        return Err(PyTypeError::new_err(format!(
                            "{name}() got multiple values for argument 'source'"
                        )));
                    }
                    continue;
                }
                let value = to_value(&value, &key)?;
                options.insert(key.into_owned(), value);
            }
        }
        let source = source.ok_or_else(|| {
            PyTypeError::new_err(format!(
                "{name}() missing 1 required positional argument: 'source'"
            ))
        })?;
        Ok((client, source, options))
    }
}

/// `Client.url(source, **options)`: `source` must be a `str`.
fn url(py: Python<'_>, call: &Call<'_, '_>) -> PyResult<Py<PyAny>> {
    let (client, source, options) = call.source_and_options(py, "url")?;
    let source = source.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "url() argument 'source' must be str, not {}",
            type_name(&source)
        ))
    })?;
    let url = check(py, client.get().engine().url(&str_of(&source)?, &options))?;
    Ok(PyString::new(py, &url).into_any().unbind())
}

/// `Client.cloudinary_url(source, **options)`: `(url, leftover_options)`; `source`
/// is any value, as pycloudinary takes it.
fn cloudinary_url(py: Python<'_>, call: &Call<'_, '_>) -> PyResult<Py<PyAny>> {
    let (client, source, options) = call.source_and_options(py, "cloudinary_url")?;
    let source = to_value(&source, "source")?;
    let out = check(
        py,
        client.get().engine().url_with_leftovers(&source, &options),
    )?;
    let pair = PyTuple::new(
        py,
        [
            to_py(py, &out.url)?,
            map_to_py(py, &out.leftovers)?.into_any(),
        ],
    )?;
    Ok(pair.into_any().unbind())
}

fn type_name(obj: &Borrowed<'_, '_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}
