//! Uploads and the Admin API over HTTP: blocking calls with an optional progress
//! callback, results and errors as JSON text.
//!
//! Every function here reports a failure through `error_json` as a JSON object
//! `{"code", "status", "message", "http_status", "request_id", "reset_at"}` (see
//! the header's introduction); results are the API's JSON answer with the SDK
//! additions (`request_id`, `rate_limit_allowed`, `rate_limit_remaining`,
//! `rate_limit_reset_at`).

use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use cldkit::api::{ApiError, ApiResponse, Pages, Source, UploadSettings};
use cldkit::{Client, Map};

use crate::abi::{json_map, out, text, to_json};
use crate::client::CldkitClient;
use crate::status::{guard_json, put_string, CldkitStatus, Failure};

/// A progress callback: `done` bytes sent of `total` (`UINT64_MAX` when the total is
/// not known), and the `user` pointer given with it. It is called on the thread that
/// made the call, before the call returns, never concurrently with itself; the
/// figure may go down when a failed attempt is retried.
pub type CldkitProgressFn = Option<unsafe extern "C" fn(done: u64, total: u64, user: *mut c_void)>;

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

/// What the thread running an upload tells the calling thread.
enum Event {
    Progress(u64, u64),
    Done(Result<ApiResponse, Failure>),
}

/// Uploads `source`; with a callback, the upload runs on a helper thread while the
/// calling thread delivers progress, so the callback always runs on the caller's
/// thread (PHP and other single-threaded hosts can only be called back there).
fn upload(
    client: &Client,
    source: Source,
    options: &Map,
    progress: CldkitProgressFn,
    user: *mut c_void,
) -> Result<ApiResponse, Failure> {
    let Some(callback) = progress else {
        return Ok(client.upload_blocking(source, options, &UploadSettings::default())?);
    };
    let (tx, rx) = mpsc::channel::<Event>();
    let report = tx.clone();
    let settings = UploadSettings {
        progress: Some(Arc::new(move |done, total: Option<u64>| {
            let _ = report.send(Event::Progress(done, total.unwrap_or(u64::MAX)));
        })),
        ..Default::default()
    };
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("cldkit-upload".into())
            .spawn_scoped(scope, move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    client
                        .upload_blocking(source, options, &settings)
                        .map_err(Failure::from)
                }))
                .unwrap_or_else(|_| Err(Failure::internal("internal error in cldkit: upload")));
                drop(settings);
                let _ = tx.send(Event::Done(result));
            })
            .map_err(|e| Failure::internal(format!("cannot start the upload thread: {e}")))?;
        let mut result = None;
        while result.is_none() {
            // A timeout only re-checks that the worker is alive; a finished worker has
            // always queued `Done`, so its absence after the drain below is a bug.
            let first = rx.recv_timeout(std::time::Duration::from_millis(250));
            let finished = first.is_err() && worker.is_finished();
            // Several progress events may be queued: report only the latest.
            let mut latest = None;
            for event in first.into_iter().chain(rx.try_iter()) {
                match event {
                    Event::Progress(done, total) => latest = Some((done, total)),
                    Event::Done(r) => result = Some(r),
                }
            }
            if let Some((done, total)) = latest {
                // SAFETY: the caller's callback with the caller's pointer.
                unsafe { callback(done, total, user) };
            }
            if finished && result.is_none() {
                result = Some(Err(Failure::internal("the upload thread ended early")));
            }
        }
        let _ = worker.join();
        result.unwrap_or_else(|| Err(Failure::internal("no upload result")))
    })
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
        guard_json(error_json, || {
            let out_json = out(out_json)?;
            let c = crate::abi::client(client)?;
            let file = text(file, "file")?;
            let options = json_map(options_json, "options_json")?;
            let r = upload(c, Source::from_str_arg(file), &options, progress, user)?;
            put_response(out_json, r)
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
        guard_json(error_json, || {
            let out_json = out(out_json)?;
            let c = crate::abi::client(client)?;
            let bytes: &[u8] = if len == 0 {
                &[]
            } else if data.is_null() {
                return Err(Failure::argument("`data` is NULL"));
            } else {
                // SAFETY: `len` readable bytes by the caller's contract.
                std::slice::from_raw_parts(data, len)
            };
            let filename = if filename.is_null() {
                None
            } else {
                Some(text(filename, "filename")?.to_owned())
            };
            let options = json_map(options_json, "options_json")?;
            let source = Source::bytes(bytes.to_vec(), filename);
            put_response(out_json, upload(c, source, &options, progress, user)?)
        })
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
        guard_json(error_json, || {
            let out_json = out(out_json)?;
            let (c, method, args, options) =
                named_call(client, method, "method", args_json, options_json)?;
            put_response(
                out_json,
                c.call_upload_api_blocking(method, &args, &options)?,
            )
        })
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
        guard_json(error_json, || {
            let out_json = out(out_json)?;
            let (c, name, args, options) =
                named_call(client, name, "name", args_json, options_json)?;
            put_response(out_json, c.admin_blocking(name, &args, &options)?)
        })
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
        guard_json(error_json, || {
            let out = crate::abi::out(out)?;
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
        guard_json(error_json, || {
            let out_json = out(out_json)?;
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
