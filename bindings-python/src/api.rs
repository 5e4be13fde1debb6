//! Uploads and Upload/Admin API calls: Python arguments to the core's blocking calls
//! (run with the GIL released) and their answers back to `dict`s.
//!
//! Callbacks (`progress`, `checkpoint`) are called from the thread driving the
//! upload with the GIL taken for the call; an exception they raise is reported
//! through `sys.unraisablehook` and does not stop the upload.
//!
//! Ctrl-C: every client carries an interrupt hook ([`interruptible`]) that the
//! engine calls about every 100 ms while a blocking call waits. It runs Python's
//! signal handlers; when one raises (`KeyboardInterrupt`), the call stops and that
//! exception is raised in its place.

use std::cell::RefCell;
use std::sync::Arc;

use cldkit::api::{AccountClient, ApiError, ApiResponse, ResumeToken, UploadSettings};
use cldkit::{Client, Map, Value};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{text, to_py};
use crate::errors::{check, http_error, invalid_option};
use crate::source::{to_source, ReadFailure};

/// The keyword arguments of `Client.upload` that steer the transfer (everything else
/// is an upload option).
pub struct TransferArgs<'a, 'py> {
    /// Chunk size in bytes.
    pub chunk_size: Option<u64>,
    /// Chunks in flight at once (files only).
    pub parallel: Option<usize>,
    /// `progress(bytes_done, total_or_None)`.
    pub progress: Option<&'a Bound<'py, PyAny>>,
    /// A resume token (its JSON text) continuing an interrupted chunked upload.
    pub resume: Option<&'a str>,
    /// `checkpoint(token_json)` after every confirmed chunk.
    pub checkpoint: Option<&'a Bound<'py, PyAny>>,
    /// A file the resume token is kept in (`str` or `os.PathLike`).
    pub resume_file: Option<&'a Bound<'py, PyAny>>,
}

/// Reports an exception raised by a callback through `sys.unraisablehook`.
fn report(py: Python<'_>, f: &Py<PyAny>, r: PyResult<Bound<'_, PyAny>>) {
    if let Err(e) = r {
        e.write_unraisable(py, Some(f.bind(py)));
    }
}

fn callable(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<Py<PyAny>>> {
    if obj.is_none() {
        return Ok(None);
    }
    if !obj.is_callable() {
        return Err(invalid_option(obj.py(), name, "expected a callable"));
    }
    Ok(Some(obj.clone().unbind()))
}

/// The core's [`UploadSettings`] for these arguments.
fn settings(py: Python<'_>, t: &TransferArgs<'_, '_>) -> PyResult<UploadSettings> {
    let mut s = UploadSettings {
        chunk_size: t.chunk_size,
        parallel: t.parallel.unwrap_or(0),
        ..UploadSettings::default()
    };
    if let Some(cb) = t
        .progress
        .map(|p| callable(p, "progress"))
        .transpose()?
        .flatten()
    {
        s.progress = Some(Arc::new(move |done: u64, total: Option<u64>| {
            Python::attach(|py| report(py, &cb, cb.bind(py).call1((done, total))));
        }));
    }
    if let Some(cb) = t
        .checkpoint
        .map(|p| callable(p, "checkpoint"))
        .transpose()?
        .flatten()
    {
        s.checkpoint = Some(Arc::new(move |token: &ResumeToken| {
            let json = token.to_json();
            Python::attach(|py| report(py, &cb, cb.bind(py).call1((json,))));
        }));
    }
    if let Some(r) = t.resume {
        s.resume = Some(ResumeToken::from_json(r).map_err(|e| http_error(py, &e))?);
    }
    if let Some(f) = t.resume_file.filter(|f| !f.is_none()) {
        let path = py.import("os")?.call_method1("fspath", (f,))?;
        match path.cast::<PyString>() {
            Ok(p) => s.resume_file = Some(text(p)?.into()),
            Err(_) => return Err(invalid_option(py, "resume_file", "expected a str path")),
        }
    }
    Ok(s)
}

thread_local! {
    /// The exception a signal handler raised while this thread was blocked in a call.
    static PENDING_SIGNAL: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// `client` with the hook that lets Ctrl-C (any signal handler that raises) stop its
/// blocking calls. Signal handlers only run on the main thread; elsewhere the hook
/// never stops anything.
pub fn interruptible(client: Client) -> Client {
    client.with_interrupt(|| {
        Python::attach(|py| match py.check_signals() {
            Ok(()) => false,
            Err(e) => {
                PENDING_SIGNAL.with(|p| *p.borrow_mut() = Some(e));
                true
            }
        })
    })
}

/// `client` calling the Python `callback(refused_token)` for a new OAuth token.
pub fn with_oauth_refresh(client: Client, callback: Arc<Py<PyAny>>) -> Client {
    client.with_oauth_refresh(move |refused| {
        Python::attach(|py| {
            let cb = callback.bind(py);
            match cb.call1((refused,)) {
                Ok(v) if v.is_none() => None,
                Ok(v) => match v.extract::<String>() {
                    Ok(token) => Some(token),
                    Err(e) => {
                        e.write_unraisable(py, Some(cb));
                        None
                    }
                },
                Err(e) => {
                    e.write_unraisable(py, Some(cb));
                    None
                }
            }
        })
    })
}

/// The result of a blocking call as Python (a signal handler's exception first).
pub fn finish<'py>(
    py: Python<'py>,
    r: Result<ApiResponse, ApiError>,
) -> PyResult<Bound<'py, PyAny>> {
    finish_value(py, r.map(ApiResponse::into_value))
}

/// The result of a blocking catalogue call as Python (a signal handler's exception
/// first).
fn finish_value<'py>(py: Python<'py>, r: Result<Value, ApiError>) -> PyResult<Bound<'py, PyAny>> {
    if let Some(e) = PENDING_SIGNAL.with(|p| p.borrow_mut().take()) {
        return Err(e);
    }
    match r {
        Ok(v) => to_py(py, &v),
        Err(e) => Err(http_error(py, &e)),
    }
}

/// What `call` runs a catalogue row on: a product environment's [`Client`] or the
/// Provisioning API's [`AccountClient`].
pub trait CallTarget: Sync {
    /// Runs the row `name` here when it is local (URLs, tags, signatures: its errors
    /// keep their own kind); `None` for a network row.
    fn call_local(&self, name: &str, args: &Map, options: &Map) -> Option<cldkit::Result<Value>>;

    /// Runs the network row `name`, blocking.
    fn call_blocking(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError>;
}

impl CallTarget for Client {
    fn call_local(&self, name: &str, args: &Map, options: &Map) -> Option<cldkit::Result<Value>> {
        cldkit::calls::find(name)
            .is_some_and(|row| !row.is_network())
            .then(|| Client::call_local(self, name, args, options))
    }

    fn call_blocking(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        Client::call_blocking(self, name, args, options)
    }
}

impl CallTarget for AccountClient {
    fn call_local(&self, _: &str, _: &Map, _: &Map) -> Option<cldkit::Result<Value>> {
        None
    }

    fn call_blocking(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        AccountClient::call_blocking(self, name, args, options)
    }
}

/// `Client.call` and `AccountClient.call`: a row of the catalogue by name. Local rows
/// run here; network rows block with the GIL released.
pub fn call<'py>(
    py: Python<'py>,
    target: &impl CallTarget,
    name: &str,
    args: &Map,
    options: &Map,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(r) = target.call_local(name, args, options) {
        return to_py(py, &check(py, r)?);
    }
    let r = py.detach(|| target.call_blocking(name, args, options));
    finish_value(py, r)
}

/// `Client.upload`: converts, uploads with the GIL released, converts back.
pub fn upload<'py>(
    client: &Client,
    file: &Bound<'py, PyAny>,
    transfer: &TransferArgs<'_, 'py>,
    options: Map,
) -> PyResult<Bound<'py, PyAny>> {
    let py = file.py();
    let failure = ReadFailure::default();
    let source = to_source(file, &failure)?;
    let settings = settings(py, transfer)?;
    let r = py.detach(|| client.upload_blocking(source, &options, &settings));
    let out = finish(py, r);
    match (out, failure.take()) {
        (Err(e), Some(cause)) => {
            e.set_cause(py, Some(cause));
            Err(e)
        }
        (out, _) => out,
    }
}

/// `Client.call_upload_api` and `Client.admin`: runs `call` (an Upload or Admin API
/// call) with the GIL released and converts its answer.
pub fn blocking<'py>(
    py: Python<'py>,
    call: impl FnOnce() -> Result<ApiResponse, ApiError> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    finish(py, py.detach(call))
}

/// A chunk size given in Python (a positive int).
pub fn chunk_size(py: Python<'_>, v: Option<i64>) -> PyResult<Option<u64>> {
    match v {
        None => Ok(None),
        Some(n) if n > 0 => Ok(Some(n as u64)),
        Some(_) => Err(invalid_option(
            py,
            "chunk_size",
            "expected a positive number of bytes",
        )),
    }
}

/// A parallelism given in Python (a positive int).
pub fn parallel(py: Python<'_>, v: Option<i64>) -> PyResult<Option<usize>> {
    match v {
        None => Ok(None),
        Some(n) if n > 0 => Ok(Some(n as usize)),
        Some(_) => Err(invalid_option(py, "parallel", "expected a positive number")),
    }
}

/// `Client.sync_call`: the catalogue's `sync` row with a progress callable, which gets
/// a `dict` (`done`, `total`, `public_id`, `action`, `ok`) after each finished action.
/// It is called from the engine's threads with the GIL taken for the call, one call at
/// a time (a lock keeps them apart); an exception it raises is reported through
/// `sys.unraisablehook` and does not stop the sync.
pub fn sync_call<'py>(
    py: Python<'py>,
    client: &Client,
    args: &Map,
    options: &Map,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let cb = progress
        .map(|p| callable(p, "progress"))
        .transpose()?
        .flatten();
    let progress = cb.map(|cb| {
        let one_at_a_time = std::sync::Mutex::new(());
        let f: cldkit::sync::ProgressFn = Arc::new(move |p: &cldkit::sync::Progress| {
            let _turn = one_at_a_time.lock().unwrap_or_else(|e| e.into_inner());
            Python::attach(|py| {
                let event = progress_dict(py, p);
                report(py, &cb, event.and_then(|d| cb.bind(py).call1((d,))));
            });
        });
        f
    });
    let r = py.detach(|| client.sync_blocking(args, options, progress));
    finish_value(py, r)
}

/// A progress event as a `dict`.
fn progress_dict<'py>(
    py: Python<'py>,
    p: &cldkit::sync::Progress,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let d = pyo3::types::PyDict::new(py);
    d.set_item("done", p.done)?;
    d.set_item("total", p.total)?;
    d.set_item("public_id", &p.public_id)?;
    d.set_item("action", action_name(p.action))?;
    d.set_item("ok", p.ok)?;
    Ok(d)
}

/// The action's name (`ActionKind`'s serde name).
fn action_name(a: cldkit::sync::ActionKind) -> &'static str {
    use cldkit::sync::ActionKind;
    match a {
        ActionKind::Upload => "upload",
        ActionKind::Replace => "replace",
        ActionKind::Delete => "delete",
        ActionKind::Download => "download",
        ActionKind::Unchanged => "unchanged",
    }
}
