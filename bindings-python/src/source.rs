//! What to upload: a Python value as the core's [`Source`].
//!
//! * `str`: a local path, or a remote URL / data URI (the SDKs' rule, decided by the
//!   core's [`Source::from_str_arg`]);
//! * an `os.PathLike` (`pathlib.Path`, ...): a local path, streamed from disk by the
//!   core;
//! * `bytes`, `bytearray`, `memoryview`: the bytes themselves;
//! * a binary file-like object (anything with `read(n)`): read on demand, one block at
//!   a time, from the thread driving the upload (with the GIL taken for each read),
//!   so memory stays bounded by the chunk size. Its `name`, when a `str`, gives the
//!   file name.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cldkit::api::Source;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

use crate::convert::text;
use crate::errors::invalid_option;

/// Bytes asked for by each `read(n)` of a file-like object.
const READ_BLOCK: usize = 1 << 20;

/// The first Python exception raised by a file-like object's `read`, kept so it can
/// become the `__cause__` of the `SourceError` the failed upload raises.
#[derive(Clone, Default)]
pub struct ReadFailure(Arc<Mutex<Option<PyErr>>>);

impl ReadFailure {
    fn record(&self, e: PyErr) {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    /// The recorded exception, if any (taken: a second call gives `None`).
    pub fn take(&self) -> Option<PyErr> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Converts the `file` argument of an upload. `failure` receives the exception of a
/// file-like object's `read`.
pub fn to_source(obj: &Bound<'_, PyAny>, failure: &ReadFailure) -> PyResult<Source> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Source::from_str_arg(&text(s)?));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Source::bytes(b.as_bytes().to_vec(), None));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Source::bytes(b.to_vec(), None));
    }
    if obj.is_instance_of::<PyMemoryView>() {
        let b = obj.call_method0("tobytes")?;
        let b = b.cast::<PyBytes>()?;
        return Ok(Source::bytes(b.as_bytes().to_vec(), None));
    }
    if obj.hasattr("__fspath__")? {
        let path = py.import("os")?.call_method1("fspath", (obj,))?;
        return path_source(&path);
    }
    if obj.hasattr("read")? {
        let filename = obj
            .getattr("name")
            .ok()
            .and_then(|n| n.cast::<PyString>().ok().and_then(|s| text(s).ok()));
        let reader = PyReader {
            file: obj.clone().unbind(),
            failure: failure.clone(),
            done: false,
        };
        return Ok(Source::Stream {
            stream: Box::pin(futures_util::stream::iter(reader)),
            filename,
        });
    }
    let type_name = obj
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    Err(invalid_option(
        py,
        "file",
        &format!(
            "cannot upload a {type_name}: expected a path (str or os.PathLike), a URL, bytes or a binary file-like object"
        ),
    ))
}

/// The result of `os.fspath`: a `str` path, or on Unix a `bytes` one.
fn path_source(path: &Bound<'_, PyAny>) -> PyResult<Source> {
    if let Ok(s) = path.cast::<PyString>() {
        return Ok(Source::Path(text(s)?.into()));
    }
    #[cfg(unix)]
    if let Ok(b) = path.cast::<PyBytes>() {
        use std::os::unix::ffi::OsStrExt;
        let p = std::ffi::OsStr::from_bytes(b.as_bytes());
        return Ok(Source::Path(p.into()));
    }
    Err(invalid_option(
        path.py(),
        "file",
        "os.fspath() returned neither str nor bytes",
    ))
}

/// A file-like object read block by block (an iterator of byte blocks the core pulls
/// as a stream).
struct PyReader {
    file: Py<PyAny>,
    failure: ReadFailure,
    done: bool,
}

impl PyReader {
    fn read(&self, py: Python<'_>) -> PyResult<Option<Bytes>> {
        let block = self.file.bind(py).call_method1("read", (READ_BLOCK,))?;
        if block.is_none() {
            // A non-blocking stream with nothing ready: treated as the end.
            return Ok(None);
        }
        let data: Vec<u8> = if let Ok(b) = block.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(b) = block.cast::<PyByteArray>() {
            b.to_vec()
        } else if let Ok(s) = block.cast::<PyString>() {
            // A text-mode file: its text, encoded as UTF-8.
            text(s)?.into_bytes()
        } else {
            return Err(invalid_option(
                py,
                "file",
                "read() returned neither bytes nor str",
            ));
        };
        Ok((!data.is_empty()).then(|| Bytes::from(data)))
    }
}

impl Iterator for PyReader {
    type Item = std::io::Result<Bytes>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = Python::attach(|py| match self.read(py) {
            Ok(block) => Ok(block),
            Err(e) => {
                let msg = e.to_string();
                self.failure.record(e);
                Err(std::io::Error::other(msg))
            }
        });
        match r {
            Ok(Some(block)) => Some(Ok(block)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
