//! Media sync with a progress callback ([`cldkit_sync`]): the catalogue's `sync` row
//! (also reachable through `cldkit_call(client, "sync", ...)`, without progress).

use std::ffi::{c_char, c_void, CString};
use std::sync::{Arc, Mutex};

use cldkit::sync::{Progress, ProgressFn};

use crate::call::by_name;
use crate::client::CldkitClient;
use crate::status::CldkitStatus;

/// A sync's progress callback: `event_json` is a JSON object
/// `{"done": 1, "total": 3, "public_id": "media/a", "action": "upload", "ok": true}`
/// (`action`: `upload`, `replace`, `delete`, `download` or `unchanged`), valid only
/// during the call; `user` is the pointer given to [`cldkit_sync`].
///
/// It is called from the engine's worker threads, not from the thread that called
/// [`cldkit_sync`], and always before `cldkit_sync` returns. The calls are made one at
/// a time (never concurrently with each other), but successive calls may come from
/// different threads: whatever it touches must be safe to use from any thread.
pub type CldkitSyncProgressFn =
    Option<unsafe extern "C" fn(event_json: *const c_char, user: *mut c_void)>;

/// The callback and its user pointer, handed to the engine's threads.
struct Callback {
    f: unsafe extern "C" fn(*const c_char, *mut c_void),
    user: *mut c_void,
}

// SAFETY: `cldkit_sync`'s contract makes the callback and its user pointer safe to
// use from any thread; the mutex around it keeps the calls one at a time.
unsafe impl Send for Callback {}

/// The engine's progress function calling `f` with `user`, one call at a time.
fn progress_fn(
    f: unsafe extern "C" fn(*const c_char, *mut c_void),
    user: *mut c_void,
) -> ProgressFn {
    let cb = Mutex::new(Callback { f, user });
    Arc::new(move |p: &Progress| {
        let Ok(json) = serde_json::to_string(p) else {
            return;
        };
        // A JSON text has no NUL byte (it would be escaped).
        let Ok(json) = CString::new(json) else {
            return;
        };
        let cb = cb.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: `cldkit_sync`'s contract: `f` is safe to call with `user` from any
        // thread; `json` outlives the call.
        unsafe { (cb.f)(json.as_ptr(), cb.user) };
    })
}

/// Syncs an inventory with a Cloudinary folder and blocks until it is done (see the
/// `sync` row of `cldkit calls --json` and docs/sync.md). `args_json` is
/// `{"inventory": ...}`: a directory path, or an array of items (`id`, `public_id`,
/// `path` | `url` | `data`, `hash`, `size`, `mtime`); `options_json` holds the sync
/// options (`folder`, `tag`, `mode`, `delete`, `dry_run`, `concurrency`, `journal`,
/// `partition`, ...). `*out_json` receives the report (`uploaded`, `updated`,
/// `deleted`, `downloaded`, `unchanged`, `failed`, `skipped`, `admin_calls`,
/// `budget_waits`); a failed item is in `failed`, not an error of the call.
///
/// `progress` may be NULL; otherwise it is called after each finished action, from the
/// engine's threads, one call at a time (see [`CldkitSyncProgressFn`]).
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `progress` NULL or a function
/// safe to call with `user` from any thread until this call returns; `out_json`
/// writable; `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync(
    client: *const CldkitClient,
    args_json: *const c_char,
    options_json: *const c_char,
    progress: CldkitSyncProgressFn,
    user: *mut c_void,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    let progress = progress.map(|f| progress_fn(f, user));
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        by_name(
            || crate::abi::client(client),
            c"sync".as_ptr(),
            "name",
            args_json,
            options_json,
            out_json,
            error_json,
            |c, _, args, options| Ok(c.sync_blocking(args, options, progress)?),
        )
    }
}
