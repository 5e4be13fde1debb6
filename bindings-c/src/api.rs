//! Uploads and the Admin API over HTTP: blocking calls with an optional progress
//! callback, results and errors as JSON text.
//!
//! Every function here reports a failure through `error_json` as a JSON object
//! `{"code", "status", "message", "http_status", "request_id", "reset_at"}` (see
//! the header's introduction); results are the API's JSON answer with the SDK
//! additions (`request_id`, `rate_limit_allowed`, `rate_limit_remaining`,
//! `rate_limit_reset_at`).

use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cldkit::api::{ApiError, ApiResponse, Pages, Source, UploadSettings};
use cldkit::{Client, Map};

use crate::abi::{json_map, text, to_json, with_out};
use crate::client::CldkitClient;
use crate::status::{guard, put_string, CldkitStatus, Failure, Report};

/// A progress callback: `done` bytes sent of `total` (`UINT64_MAX` when the total is
/// not known), and the `user` pointer given with it. It is called on the thread that
/// made the call, before the call returns, never concurrently with itself; the
/// figure may go down when a failed attempt is retried. It returns 0 to let the
/// upload go on, anything else to stop it: no further call follows, the transfer is
/// abandoned within about 100 ms and the upload call fails with `CLDKIT_IO`.
pub type CldkitProgressFn =
    Option<unsafe extern "C" fn(done: u64, total: u64, user: *mut c_void) -> c_int>;

/// The pages of an Admin list call (from [`cldkit_admin_pages`]); release with
/// [`cldkit_pages_free`]. Use from one thread at a time.
pub struct CldkitPages {
    inner: Pages,
}

/// Stores an answer as JSON text in `*out`.
///
/// # Safety
/// `out` was checked by [`out`].
unsafe fn put_response(out: *mut *mut c_char, r: ApiResponse) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    unsafe { put_string(out, to_json(&r.into_value())?) }
}

/// What the thread running an upload tells the thread following it.
enum Event {
    Progress(u64, u64),
    Done(Result<ApiResponse, Failure>),
}

/// What waiting on a running upload found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Nothing new before the timeout.
    Running,
    /// The latest progress figures, `(done, total)`.
    Progress(u64, u64),
    /// The upload has ended: its outcome is ready.
    Done,
}

/// The outcome of a running upload.
enum Outcome {
    Pending,
    Ready(Result<ApiResponse, Failure>),
    Taken,
}

/// The state of a running upload that the waiting thread changes.
struct State {
    events: mpsc::Receiver<Event>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// The latest progress not yet reported.
    progress: Option<(u64, u64)>,
    outcome: Outcome,
}

impl State {
    fn absorb(&mut self, event: Event) {
        match event {
            Event::Progress(done, total) if matches!(self.outcome, Outcome::Pending) => {
                self.progress = Some((done, total));
            }
            Event::Progress(..) => {}
            Event::Done(r) => {
                if matches!(self.outcome, Outcome::Pending) {
                    self.outcome = Outcome::Ready(r);
                }
            }
        }
    }
}

/// An upload running on a thread of its own. The thread owns everything it uses — a
/// clone of the client (configuration, connection pool) with a stop hook, the
/// options and the source — so nothing the caller passed in (the client handle, the
/// option text, the data) is read after the start: a host may release or replace
/// its client while the upload runs, and stopping never leaves a thread that reads
/// freed memory.
struct Running {
    stop: Arc<AtomicBool>,
    state: Mutex<State>,
}

impl Running {
    /// Starts uploading `source` on a new thread.
    fn start(client: &Client, source: Source, options: Map) -> Result<Running, Failure> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        // The core asks the hook about every 100 ms and drops the transfer on `true`.
        let client = client
            .clone()
            .with_interrupt(move || flag.load(Ordering::Relaxed));
        let (tx, events) = mpsc::channel::<Event>();
        let report = tx.clone();
        let settings = UploadSettings {
            progress: Some(Arc::new(move |done, total: Option<u64>| {
                let _ = report.send(Event::Progress(done, total.unwrap_or(u64::MAX)));
            })),
            ..Default::default()
        };
        let worker = std::thread::Builder::new()
            .name("cldkit-upload".into())
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    client
                        .upload_blocking(source, &options, &settings)
                        .map_err(Failure::from)
                }))
                .unwrap_or_else(|_| Err(Failure::internal("internal error in cldkit: upload")));
                drop(settings);
                let _ = tx.send(Event::Done(result));
            })
            .map_err(|e| Failure::internal(format!("cannot start the upload thread: {e}")))?;
        Ok(Running {
            stop,
            state: Mutex::new(State {
                events,
                worker: Some(worker),
                progress: None,
                outcome: Outcome::Pending,
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Asks the upload to stop; it ends within about 100 ms (the core's interrupt
    /// poll). No progress is reported after this.
    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Waits for news at most `timeout` (`None`: until there is some): the latest
    /// progress first, then the end.
    fn wait(&self, timeout: Option<Duration>) -> Wait {
        let mut st = self.state();
        if matches!(st.outcome, Outcome::Pending) {
            let first = match timeout {
                None => st.events.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(t) => st.events.recv_timeout(t),
            };
            match first {
                Ok(event) => {
                    st.absorb(event);
                    while let Ok(event) = st.events.try_recv() {
                        st.absorb(event);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                // The worker always sends `Done` before it ends.
                Err(RecvTimeoutError::Disconnected) => {
                    st.outcome =
                        Outcome::Ready(Err(Failure::internal("the upload thread ended early")))
                }
            }
        }
        let progress = st.progress.take();
        match progress {
            Some((done, total)) if !self.stopped() => Wait::Progress(done, total),
            _ if matches!(st.outcome, Outcome::Pending) => Wait::Running,
            _ => Wait::Done,
        }
    }

    /// Waits for the end and takes the outcome (once). A stopped upload fails with
    /// `CLDKIT_IO`, whatever the last request did.
    fn finish(&self) -> Result<ApiResponse, Failure> {
        while self.wait(None) != Wait::Done {}
        let mut st = self.state();
        if let Some(worker) = st.worker.take() {
            let _ = worker.join();
        }
        match std::mem::replace(&mut st.outcome, Outcome::Taken) {
            Outcome::Taken => Err(Failure::argument(
                "the result of this upload was already taken",
            )),
            _ if self.stopped() => Err(Failure::new(
                CldkitStatus::CLDKIT_IO,
                "the upload was stopped before it completed".into(),
            )),
            Outcome::Ready(r) => r,
            Outcome::Pending => Err(Failure::internal("no upload result")),
        }
    }
}

impl Drop for Running {
    /// Stops the upload if it still runs and waits for its thread to end.
    fn drop(&mut self) {
        let mut st = self.state();
        if let Some(worker) = st.worker.take() {
            if !worker.is_finished() {
                self.stop.store(true, Ordering::Relaxed);
            }
            let _ = worker.join();
        }
    }
}

/// Runs a started upload to its end, calling `callback` with its progress on this
/// thread until the callback asks to stop.
///
/// # Safety
/// `callback` is safe to call with `user`.
unsafe fn follow(
    running: Running,
    callback: unsafe extern "C" fn(u64, u64, *mut c_void) -> c_int,
    user: *mut c_void,
) -> Result<ApiResponse, Failure> {
    loop {
        match running.wait(None) {
            Wait::Done => break,
            Wait::Running => {}
            Wait::Progress(done, total) => {
                // SAFETY: the caller's callback with the caller's pointer.
                if unsafe { callback(done, total, user) } != 0 {
                    running.stop();
                }
            }
        }
    }
    running.finish()
}

/// Uploads `source`: without a callback on this thread; with one, on a helper
/// thread while this thread delivers progress, so the callback always runs on the
/// caller's thread (PHP and other single-threaded hosts can only be called back
/// there). The client is not used after the upload started.
///
/// # Safety
/// `client` is a live handle; `progress` NULL or safe to call with `user`.
unsafe fn upload(
    client: *const CldkitClient,
    source: Source,
    options: Map,
    progress: CldkitProgressFn,
    user: *mut c_void,
) -> Result<ApiResponse, Failure> {
    // SAFETY: forwarded contract.
    let c = unsafe { crate::abi::client(client) }?;
    let Some(callback) = progress else {
        return Ok(c.upload_blocking(source, &options, &UploadSettings::default())?);
    };
    let running = Running::start(c, source, options)?;
    // SAFETY: forwarded contract.
    unsafe { follow(running, callback, user) }
}

/// The source and options of [`cldkit_upload_bytes`]: `len` bytes at `data`
/// (copied), under `filename`.
///
/// # Safety
/// `data` is valid for reading `len` bytes (or NULL with `len` 0); `filename` and
/// `options_json` NULL or NUL-terminated.
unsafe fn bytes_args(
    data: *const u8,
    len: usize,
    filename: *const c_char,
    options_json: *const c_char,
) -> Result<(Source, Map), Failure> {
    let bytes: &[u8] = if len == 0 {
        &[]
    } else if data.is_null() {
        return Err(Failure::argument("`data` is NULL"));
    } else {
        // SAFETY: `len` readable bytes by the caller's contract.
        unsafe { std::slice::from_raw_parts(data, len) }
    };
    let filename = if filename.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { text(filename, "filename") }?.to_owned())
    };
    let source = Source::bytes(bytes.to_vec(), filename);
    // SAFETY: forwarded contract.
    Ok((source, unsafe { json_map(options_json, "options_json") }?))
}

/// The source and options of an upload of `file` (a path, URL or data URI).
///
/// # Safety
/// `file` and `options_json` NULL or NUL-terminated.
unsafe fn file_args(
    file: *const c_char,
    options_json: *const c_char,
) -> Result<(Source, Map), Failure> {
    // SAFETY: forwarded contract.
    unsafe {
        let file = text(file, "file")?;
        Ok((
            Source::from_str_arg(file),
            json_map(options_json, "options_json")?,
        ))
    }
}

/// The plumbing of a function answering with an API response: checks and clears
/// `*out_json`, runs `f` with the panic guard and stores its answer as JSON; a
/// failure goes to `*error_json` as JSON.
///
/// # Safety
/// `out_json` NULL or writable; `error_json` NULL or writable; `f` holds the
/// contracts of the pointers it reads.
unsafe fn respond(
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
    f: impl FnOnce() -> Result<ApiResponse, Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        with_out(Report::Json, out_json, error_json, |out| {
            put_response(out, f()?)
        })
    }
}

/// The plumbing of the functions starting an upload: checks and clears `*out`,
/// reads the source and options with `args`, starts the upload on the client and
/// stores its handle in `*out`; a failure goes to `*error_json` as JSON.
///
/// # Safety
/// `client` NULL or a live handle; `out` NULL or writable; `error_json` NULL or
/// writable; `args` holds the contracts of the pointers it reads.
unsafe fn start(
    client: *const CldkitClient,
    out: *mut *mut CldkitUpload,
    error_json: *mut *mut c_char,
    args: impl FnOnce() -> Result<(Source, Map), Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        with_out(Report::Json, out, error_json, |out| {
            let (source, options) = args()?;
            put_upload(out, client, source, options)
        })
    }
}

/// Uploads `file` — a local path (streamed from disk, sent in chunks above the
/// chunk size), or a remote `http(s)`/`ftp`/`s3`/`gs` URL or base64 data URI that
/// Cloudinary fetches — with the upload options (`public_id`, `tags`, `folder`, ...
/// as in the SDKs; also `resource_type`, `timeout`, `max_retries`, `chunk_size`,
/// `parallel_chunks`, and `resume_file`: a path where a chunked upload keeps its
/// resume token, so that the same call made again after a failure or a crash sends
/// only the missing chunks). Blocks until the upload is done. `progress` may be NULL;
/// `user` is passed to it unchanged. `*out_json` receives the upload result.
///
/// With a `progress` callback the transfer runs on a helper thread that owns copies
/// of everything it uses, so the callback may release `client`. When the callback
/// returns non-zero the upload stops and this call fails with `CLDKIT_IO`.
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `progress` NULL or a function
/// safe to call with `user`; `out_json` writable; `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload(
    client: *const CldkitClient,
    file: *const c_char,
    options_json: *const c_char,
    progress: CldkitProgressFn,
    user: *mut c_void,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        respond(out_json, error_json, || {
            let (source, options) = file_args(file, options_json)?;
            upload(client, source, options, progress, user)
        })
    }
}

/// Uploads `len` bytes from memory at `data` (copied before sending; NULL is allowed
/// when `len` is 0) under the file name `filename` (may be NULL: the `filename`
/// option, else `"file"`), with the upload options; sent in chunks above the chunk
/// size. Otherwise as [`cldkit_upload`].
///
/// # Safety
/// `data` is valid for reading `len` bytes (or NULL with `len` 0); `filename` NULL
/// or NUL-terminated; otherwise as for [`cldkit_upload`].
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cldkit_upload_bytes(
    client: *const CldkitClient,
    data: *const u8,
    len: usize,
    filename: *const c_char,
    options_json: *const c_char,
    progress: CldkitProgressFn,
    user: *mut c_void,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        respond(out_json, error_json, || {
            let (source, options) = bytes_args(data, len, filename, options_json)?;
            upload(client, source, options, progress, user)
        })
    }
}

/// An upload running in the background, from [`cldkit_upload_start`] or
/// [`cldkit_upload_bytes_start`]: follow it with [`cldkit_upload_wait`], stop it
/// with [`cldkit_upload_stop`], take its result with [`cldkit_upload_finish`] and
/// release it with [`cldkit_upload_free`]. Its thread owns copies of everything it
/// uses: the client handle, the options and the data may be released once it has
/// started.
///
/// This is the form for hosts whose code must not run inside a C callback (PHP
/// FFI: a fatal error there would jump across the library's frames): the host's own
/// loop waits for progress and runs its callback between the calls.
pub struct CldkitUpload {
    inner: Running,
}

/// What [`cldkit_upload_wait`] found.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CldkitUploadEvent {
    /// Nothing new before the timeout: the upload is still running.
    CLDKIT_UPLOAD_RUNNING = 0,
    /// Progress: `*done` and `*total` hold the latest figures (`total` is
    /// `UINT64_MAX` when unknown; `done` may go down when an attempt is retried).
    CLDKIT_UPLOAD_PROGRESS = 1,
    /// The upload has ended (done, failed or stopped): [`cldkit_upload_finish`]
    /// returns at once.
    CLDKIT_UPLOAD_DONE = 2,
}

/// Stores a started upload in `*out`.
///
/// # Safety
/// `out` was checked by [`out`]; `client` is a live handle.
unsafe fn put_upload(
    out: *mut *mut CldkitUpload,
    client: *const CldkitClient,
    source: Source,
    options: Map,
) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    let c = unsafe { crate::abi::client(client) }?;
    let inner = Running::start(c, source, options)?;
    // SAFETY: see the function contract.
    unsafe { *out = Box::into_raw(Box::new(CldkitUpload { inner })) };
    Ok(())
}

/// Starts uploading `file` (as [`cldkit_upload`]) on a thread of the library and
/// returns at once: `*out` receives the running upload, released with
/// [`cldkit_upload_free`]. Bad arguments and options that cannot be read fail here;
/// everything else is reported by [`cldkit_upload_finish`].
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out` writable; `error_json`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_start(
    client: *const CldkitClient,
    file: *const c_char,
    options_json: *const c_char,
    out: *mut *mut CldkitUpload,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe { start(client, out, error_json, || file_args(file, options_json)) }
}

/// Starts uploading `len` bytes at `data` (copied before this returns) as
/// [`cldkit_upload_bytes`] does, on a thread of the library; otherwise as
/// [`cldkit_upload_start`].
///
/// # Safety
/// `data` is valid for reading `len` bytes (or NULL with `len` 0); `filename` NULL
/// or NUL-terminated; otherwise as for [`cldkit_upload_start`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_bytes_start(
    client: *const CldkitClient,
    data: *const u8,
    len: usize,
    filename: *const c_char,
    options_json: *const c_char,
    out: *mut *mut CldkitUpload,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        start(client, out, error_json, || {
            bytes_args(data, len, filename, options_json)
        })
    }
}

/// The upload behind a handle.
///
/// # Safety
/// `p` is NULL or a live upload handle.
unsafe fn running<'a>(p: *const CldkitUpload) -> Result<&'a Running, Failure> {
    if p.is_null() {
        return Err(Failure::argument("`upload` is NULL"));
    }
    // SAFETY: a live handle by the caller's contract.
    Ok(unsafe { &(*p).inner })
}

/// Waits at most `timeout_ms` milliseconds for news of `upload`: `*event` receives
/// `CLDKIT_UPLOAD_PROGRESS` with the latest figures in `*done` and `*total` (several
/// reports in between are merged), `CLDKIT_UPLOAD_DONE` once it has ended (after
/// its last progress), or `CLDKIT_UPLOAD_RUNNING` when the time ran out. `*done`
/// and `*total` are left unchanged unless there is progress. No progress is
/// reported after [`cldkit_upload_stop`].
///
/// # Safety
/// `upload` is a live handle; `event`, `done` and `total` writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_wait(
    upload: *mut CldkitUpload,
    timeout_ms: u32,
    event: *mut CldkitUploadEvent,
    done: *mut u64,
    total: *mut u64,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(std::ptr::null_mut(), || {
            if event.is_null() || done.is_null() || total.is_null() {
                return Err(Failure::argument("`event`, `done` or `total` is NULL"));
            }
            let found = running(upload)?.wait(Some(Duration::from_millis(timeout_ms.into())));
            *event = match found {
                Wait::Running => CldkitUploadEvent::CLDKIT_UPLOAD_RUNNING,
                Wait::Progress(d, t) => {
                    *done = d;
                    *total = t;
                    CldkitUploadEvent::CLDKIT_UPLOAD_PROGRESS
                }
                Wait::Done => CldkitUploadEvent::CLDKIT_UPLOAD_DONE,
            };
            Ok(())
        })
    }
}

/// Asks `upload` to stop and returns at once: the transfer in flight is abandoned
/// within about 100 ms, no progress is reported any more, and
/// [`cldkit_upload_finish`] fails with `CLDKIT_IO` (the asset may nonetheless exist
/// when the last request had already reached the server). May be called from any
/// thread, also while another one waits.
///
/// # Safety
/// `upload` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_stop(upload: *mut CldkitUpload) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(std::ptr::null_mut(), || {
            running(upload)?.stop();
            Ok(())
        })
    }
}

/// Waits for `upload` to end and gives its outcome as [`cldkit_upload`] does:
/// `*out_json` receives the upload result, or `*error_json` the error JSON. The
/// outcome can be taken once (a second call is `CLDKIT_INVALID_ARGUMENT`). The
/// handle stays to be released with [`cldkit_upload_free`].
///
/// # Safety
/// `upload` is a live handle; `out_json` writable; `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_finish(
    upload: *mut CldkitUpload,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe { respond(out_json, error_json, || running(upload)?.finish()) }
}

/// Releases an upload handle: an upload still running is stopped first, and this
/// returns once its thread has ended (about 100 ms at most after the stop), so no
/// work of it outlives the call. NULL is accepted and ignored.
///
/// # Safety
/// `upload` is NULL or a live handle not yet freed, not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_free(upload: *mut CldkitUpload) {
    if !upload.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in this library.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(upload) })));
    }
}

/// The client, the call's name and its argument and option maps: what every call by
/// SDK name decodes first (`what` names the name argument in errors).
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated (JSON may be NULL).
unsafe fn named_call<'a>(
    client: *const CldkitClient,
    name: *const c_char,
    what: &str,
    args_json: *const c_char,
    options_json: *const c_char,
) -> Result<(&'a Client, &'a str, Map, Map), Failure> {
    // SAFETY: forwarded contract.
    unsafe {
        Ok((
            crate::abi::client(client)?,
            text(name, what)?,
            json_map(args_json, "args_json")?,
            json_map(options_json, "options_json")?,
        ))
    }
}

/// Sends any Upload API call by its SDK name (`explicit`, `destroy`, `rename`,
/// `add_tag`, `remove_tag`, `replace_tag`, `remove_all_tags`, `add_context`,
/// `remove_all_context`, `update_metadata`, `text`, `explode`, `generate_sprite`,
/// `multi`, `create_archive`, `create_zip`, `create_slideshow`, `upload`,
/// `unsigned_upload`) with its positional arguments by name in `args_json`
/// (`{"public_id": ...}`, `{"from_public_id": ..., "to_public_id": ...}`,
/// `{"tag": ..., "public_ids": [...]}`) and the options. `*out_json` receives the
/// answer.
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out_json` writable;
/// `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_call_upload_api(
    client: *const CldkitClient,
    method: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        crate::call::by_name(
            || crate::abi::client(client),
            method,
            "method",
            args_json,
            options_json,
            out_json,
            error_json,
            |c, method, args, options| {
                Ok(c.call_upload_api_blocking(method, args, options)?
                    .into_value())
            },
        )
    }
}

/// Calls the Admin API `name` by its SDK name (`ping`, `usage`, `config`,
/// `resources`, `resources_by_tag`, `resource`, `update`, `delete_resources`, `tags`,
/// `root_folders`, `subfolders`, `upload_presets`, `upload_preset`, `search`, ...:
/// the core's `ADMIN_CALLS`) with its positional arguments by name in `args_json`
/// (`{"public_id": ...}`, `{"public_ids": [...]}`, `{"path": ...}`, `{"query":
/// {...}}`) and keyword options (`max_results`, `next_cursor`, `timeout`, ...).
/// `*out_json` receives the answer.
///
/// # Safety
/// As for [`cldkit_call_upload_api`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_admin(
    client: *const CldkitClient,
    name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        crate::call::by_name(
            || crate::abi::client(client),
            name,
            "name",
            args_json,
            options_json,
            out_json,
            error_json,
            |c, name, args, options| Ok(c.admin_blocking(name, args, options)?.into_value()),
        )
    }
}

/// Starts paging through the Admin list call `name` (arguments as for
/// [`cldkit_admin`]), following `next_cursor`. Nothing is sent until
/// [`cldkit_pages_next`]. `*out` receives a handle released with
/// [`cldkit_pages_free`].
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out` writable; `error_json`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_admin_pages(
    client: *const CldkitClient,
    name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out: *mut *mut CldkitPages,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Json, out, error_json, |out| {
            let (c, name, args, options) =
                named_call(client, name, "name", args_json, options_json)?;
            let inner = c.pages(name, &args, &options);
            *out = Box::into_raw(Box::new(CldkitPages { inner }));
            Ok(())
        })
    }
}

/// Fetches the next page: `*out_json` receives the answer, or NULL (with
/// `CLDKIT_OK`) after the last page. After a failure the pages end.
///
/// # Safety
/// `pages` is a live handle not used by another thread; `out_json` writable;
/// `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_pages_next(
    pages: *mut CldkitPages,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Json, out_json, error_json, |out_json| {
            if pages.is_null() {
                return Err(Failure::argument("`pages` is NULL"));
            }
            match (*pages).inner.next() {
                None => Ok(()),
                Some(r) => put_response(out_json, r.map_err(|e: ApiError| Failure::from(e))?),
            }
        })
    }
}

/// Releases a pages handle. NULL is accepted and ignored.
///
/// # Safety
/// `pages` is NULL or a live handle not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cldkit_pages_free(pages: *mut CldkitPages) {
    if !pages.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in this library.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(pages) })));
    }
}
