//! Media sync with a progress callback ([`cldkit_sync`]): the catalogue's `sync` row
//! (also reachable through `cldkit_call(client, "sync", ...)`, without progress); and
//! the same sync run in the background and followed by polling ([`cldkit_sync_start`],
//! [`cldkit_sync_wait`], [`cldkit_sync_stop`], [`cldkit_sync_finish`],
//! [`cldkit_sync_free`]) for hosts that cannot be called back from other threads.

use std::collections::VecDeque;
use std::ffi::{c_char, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use cldkit::sync::{Progress, ProgressFn};
use cldkit::Map;

use crate::abi::{json_map, out, to_json};
use crate::call::by_name;
use crate::client::CldkitClient;
use crate::status::{guard, guard_json, put_string, CldkitStatus, Failure};

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

// ---- the polling form: cldkit_sync_start / _wait / _stop / _finish / _free ---------

/// The most progress events a running sync keeps for [`cldkit_sync_wait`]: when
/// that many are waiting, the engine's next event waits for room (the sync pauses
/// until the host takes one, or stops it), so a host that never waits holds at most
/// this many events in memory.
pub const CLDKIT_SYNC_QUEUE: usize = 64;

/// A sync running in the background, from [`cldkit_sync_start`]: take its progress
/// events with [`cldkit_sync_wait`], stop it with [`cldkit_sync_stop`], take its
/// report with [`cldkit_sync_finish`] and release it with [`cldkit_sync_free`]. Its
/// thread owns copies of everything it uses: the client handle and the argument
/// texts may be released once it has started.
///
/// This is the form for hosts whose code must run on their own thread (PHP): no
/// callback of the host is ever called; the host's loop waits for events and acts
/// on them between the calls.
pub struct CldkitSync {
    inner: SyncRun,
}

/// What [`cldkit_sync_wait`] found.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CldkitSyncEvent {
    /// Nothing new before the timeout: the sync is still running.
    CLDKIT_SYNC_RUNNING = 0,
    /// A progress event: `*event_json` holds it (see [`CldkitSyncProgressFn`] for its
    /// fields), released with `cldkit_string_free()`.
    CLDKIT_SYNC_PROGRESS = 1,
    /// The sync has ended (done, failed or stopped) and every event was taken:
    /// [`cldkit_sync_finish`] returns at once.
    CLDKIT_SYNC_FINISHED = 2,
}

/// The outcome of a running sync.
enum Outcome {
    Pending,
    Ready(Result<cldkit::Value, Failure>),
    Taken,
}

/// What the sync's thread and the host's waiting thread share.
struct Queue {
    /// Progress events (JSON text) not yet taken, oldest first; at most
    /// [`CLDKIT_SYNC_QUEUE`].
    events: VecDeque<String>,
    outcome: Outcome,
    /// Set by a stop: events are dropped and no more are queued.
    stopped: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when an event is queued or the outcome is set.
    news: Condvar,
    /// Signalled when an event is taken or the sync is stopped.
    room: Condvar,
    /// Read by the client's interrupt hook (about every 100 ms).
    stop: AtomicBool,
}

impl Shared {
    /// An empty queue, no outcome yet, not stopped.
    fn new() -> Arc<Shared> {
        Arc::new(Shared {
            queue: Mutex::new(Queue {
                events: VecDeque::new(),
                outcome: Outcome::Pending,
                stopped: false,
            }),
            news: Condvar::new(),
            room: Condvar::new(),
            stop: AtomicBool::new(false),
        })
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues one event, waiting for room while the queue is full; dropped once the
    /// sync is stopped.
    fn push(&self, event: String) {
        let mut q = self.queue();
        while q.events.len() >= CLDKIT_SYNC_QUEUE && !q.stopped {
            q = self.room.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        if !q.stopped {
            q.events.push_back(event);
            self.news.notify_all();
        }
    }

    /// Sets the outcome (the first one set stays).
    fn end(&self, outcome: Result<cldkit::Value, Failure>) {
        let mut q = self.queue();
        if matches!(q.outcome, Outcome::Pending) {
            q.outcome = Outcome::Ready(outcome);
        }
        self.news.notify_all();
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let mut q = self.queue();
        q.stopped = true;
        q.events.clear();
        self.room.notify_all();
        self.news.notify_all();
    }
}

/// Sets an outcome if the sync's thread ends without one (it cannot: the sync runs
/// under `catch_unwind`), so a waiting host is never left waiting.
struct EndGuard(Arc<Shared>);

impl Drop for EndGuard {
    fn drop(&mut self) {
        self.0
            .end(Err(Failure::internal("the sync thread ended early")));
    }
}

/// What waiting on a running sync found.
#[derive(Debug, PartialEq, Eq)]
enum SyncWait {
    Running,
    Event(String),
    Finished,
}

/// A sync running on a thread of its own, with a clone of the client (configuration,
/// connection pool) carrying a stop hook, and its own copies of the arguments.
struct SyncRun {
    shared: Arc<Shared>,
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl SyncRun {
    /// Starts `sync_blocking` (the engine entry of [`cldkit_sync`]) on a new thread.
    fn start(client: &cldkit::Client, args: Map, options: Map) -> Result<SyncRun, Failure> {
        let shared = Shared::new();
        let hook = shared.clone();
        // The core asks the hook about every 100 ms and drops the sync on `true`.
        let client = client
            .clone()
            .with_interrupt(move || hook.stop.load(Ordering::Relaxed));
        let events = shared.clone();
        let progress: ProgressFn = Arc::new(move |p: &Progress| {
            if let Ok(json) = serde_json::to_string(p) {
                events.push(json);
            }
        });
        let guard = EndGuard(shared.clone());
        let worker = std::thread::Builder::new()
            .name("cldkit-sync".into())
            .spawn(move || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    client
                        .sync_blocking(&args, &options, Some(progress))
                        .map_err(Failure::from)
                }))
                .unwrap_or_else(|_| Err(Failure::internal("internal error in cldkit: sync")));
                guard.0.end(result);
            })
            .map_err(|e| Failure::internal(format!("cannot start the sync thread: {e}")))?;
        Ok(SyncRun {
            shared,
            worker: Mutex::new(Some(worker)),
        })
    }

    /// Waits for news at most `timeout` (`None`: until there is some): the oldest
    /// event not yet taken, then, once all are taken, the end.
    fn wait(&self, timeout: Option<Duration>) -> SyncWait {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut q = self.shared.queue();
        loop {
            if let Some(event) = q.events.pop_front() {
                self.shared.room.notify_all();
                return SyncWait::Event(event);
            }
            if !matches!(q.outcome, Outcome::Pending) {
                return SyncWait::Finished;
            }
            q = match deadline {
                None => self.shared.news.wait(q).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return SyncWait::Running;
                    }
                    self.shared
                        .news
                        .wait_timeout(q, d - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
    }

    /// Waits for the end (dropping the events not taken) and takes the outcome, once.
    /// A stopped sync fails with `CLDKIT_IO`, whatever it had done.
    fn finish(&self) -> Result<cldkit::Value, Failure> {
        while self.wait(None) != SyncWait::Finished {}
        self.join();
        let mut q = self.shared.queue();
        match std::mem::replace(&mut q.outcome, Outcome::Taken) {
            Outcome::Taken => Err(Failure::argument(
                "the report of this sync was already taken",
            )),
            _ if q.stopped => Err(Failure::new(
                CldkitStatus::CLDKIT_IO,
                "the sync was stopped before it completed".into(),
            )),
            Outcome::Ready(r) => r,
            Outcome::Pending => Err(Failure::internal("no sync report")),
        }
    }

    fn join(&self) {
        let worker = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(worker) = worker {
            let _ = worker.join();
        }
    }
}

impl Drop for SyncRun {
    /// Stops the sync if it still runs and waits for its thread to end.
    fn drop(&mut self) {
        let running = matches!(self.shared.queue().outcome, Outcome::Pending);
        if running {
            self.shared.stop();
        }
        self.join();
    }
}

/// The sync behind a handle.
///
/// # Safety
/// `p` is NULL or a live sync handle.
unsafe fn sync_run<'a>(p: *const CldkitSync) -> Result<&'a SyncRun, Failure> {
    if p.is_null() {
        return Err(Failure::argument("`sync` is NULL"));
    }
    // SAFETY: a live handle by the caller's contract.
    Ok(unsafe { &(*p).inner })
}

/// Starts a sync (as [`cldkit_sync`]: same arguments, options and engine) on a
/// thread of the library and returns at once: `*out` receives the running sync,
/// released with [`cldkit_sync_free`]. A NULL handle, text that is not UTF-8 and JSON
/// that cannot be read fail here (`CLDKIT_INVALID_ARGUMENT`); everything else (bad
/// options, a missing directory, API failures) is reported by
/// [`cldkit_sync_finish`] with the errors of [`cldkit_sync`].
///
/// Progress events queue up for [`cldkit_sync_wait`], at most
/// [`CLDKIT_SYNC_QUEUE`] of them: with a full queue the sync pauses until one is
/// taken, so a host that does not wait uses bounded memory.
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out` writable; `error_json`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync_start(
    client: *const CldkitClient,
    args_json: *const c_char,
    options_json: *const c_char,
    out: *mut *mut CldkitSync,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard_json(error_json, || {
            let out = crate::abi::out(out)?;
            let c = crate::abi::client(client)?;
            let args = json_map(args_json, "args_json")?;
            let options = json_map(options_json, "options_json")?;
            let inner = SyncRun::start(c, args, options)?;
            *out = Box::into_raw(Box::new(CldkitSync { inner }));
            Ok(())
        })
    }
}

/// Waits at most `timeout_ms` milliseconds for news of `sync`: `*event` receives
/// `CLDKIT_SYNC_PROGRESS` with the oldest event not yet taken in `*event_json` (a
/// JSON object `{"done", "total", "public_id", "action", "ok"}`, released with
/// `cldkit_string_free()`; events come one per call, in the engine's order),
/// `CLDKIT_SYNC_FINISHED` once the sync has ended and every event was taken, or
/// `CLDKIT_SYNC_RUNNING` when the time ran out. `*event_json` is NULL unless there
/// is an event. No event is reported after [`cldkit_sync_stop`].
///
/// # Safety
/// `sync` is a live handle; `event` and `event_json` writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync_wait(
    sync: *mut CldkitSync,
    timeout_ms: u32,
    event: *mut CldkitSyncEvent,
    event_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(std::ptr::null_mut(), || {
            let event_json = out(event_json)?;
            if event.is_null() {
                return Err(Failure::argument("`event` is NULL"));
            }
            let found = sync_run(sync)?.wait(Some(Duration::from_millis(timeout_ms.into())));
            *event = match found {
                SyncWait::Running => CldkitSyncEvent::CLDKIT_SYNC_RUNNING,
                SyncWait::Event(json) => {
                    put_string(event_json, json)?;
                    CldkitSyncEvent::CLDKIT_SYNC_PROGRESS
                }
                SyncWait::Finished => CldkitSyncEvent::CLDKIT_SYNC_FINISHED,
            };
            Ok(())
        })
    }
}

/// Asks `sync` to stop and returns at once: events not yet taken are dropped and no
/// more are reported, the action in flight is abandoned within about 100 ms, and
/// [`cldkit_sync_finish`] fails with `CLDKIT_IO` (the actions already done stay
/// done, and are in the journal when there is one). May be called from any thread,
/// also while another one waits.
///
/// # Safety
/// `sync` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync_stop(sync: *mut CldkitSync) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(std::ptr::null_mut(), || {
            sync_run(sync)?.shared.stop();
            Ok(())
        })
    }
}

/// Waits for `sync` to end (dropping the events not taken) and gives its outcome as
/// [`cldkit_sync`] does: `*out_json` receives the report, or `*error_json` the error
/// JSON. The outcome can be taken once (a second call is
/// `CLDKIT_INVALID_ARGUMENT`). The handle stays to be released with
/// [`cldkit_sync_free`].
///
/// # Safety
/// `sync` is a live handle; `out_json` writable; `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync_finish(
    sync: *mut CldkitSync,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard_json(error_json, || {
            let out_json = out(out_json)?;
            let report = sync_run(sync)?.finish()?;
            put_string(out_json, to_json(&report)?)
        })
    }
}

/// Releases a sync handle: a sync still running is stopped first, and this returns
/// once its thread has ended (about 100 ms after the stop, or once the action in
/// flight ends), so no work of it outlives the call. NULL is accepted and ignored.
///
/// # Safety
/// `sync` is NULL or a live handle not yet freed, not in use by another thread.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sync_free(sync: *mut CldkitSync) {
    if !sync.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in this library.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(sync) })));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};

    fn take(p: *mut c_char) -> String {
        assert!(!p.is_null());
        let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { crate::status::cldkit_string_free(p) };
        s
    }

    fn shared() -> Arc<Shared> {
        Shared::new()
    }

    #[test]
    fn a_full_queue_holds_the_engine_until_an_event_is_taken_or_the_sync_stops() {
        let s = shared();
        for i in 0..CLDKIT_SYNC_QUEUE {
            s.push(format!("{i}"));
        }
        let pusher = {
            let s = s.clone();
            std::thread::spawn(move || s.push("last".into()))
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(!pusher.is_finished(), "the queue grew past its bound");
        assert_eq!(s.queue().events.len(), CLDKIT_SYNC_QUEUE);
        let run = SyncRun {
            shared: s.clone(),
            worker: Mutex::new(None),
        };
        assert_eq!(run.wait(Some(Duration::ZERO)), SyncWait::Event("0".into()));
        pusher.join().unwrap();
        assert_eq!(s.queue().events.back().map(String::as_str), Some("last"));
        // Full again: a stop releases the waiting engine and drops the events.
        let pusher = {
            let s = s.clone();
            std::thread::spawn(move || s.push("dropped".into()))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!pusher.is_finished());
        s.stop();
        pusher.join().unwrap();
        assert!(s.queue().events.is_empty());
        assert_eq!(run.wait(Some(Duration::from_millis(10))), SyncWait::Running);
        s.end(Ok(cldkit::Value::Null));
        assert_eq!(run.wait(None), SyncWait::Finished);
        let e = run.finish().unwrap_err();
        assert_eq!(e.status, CldkitStatus::CLDKIT_IO);
    }

    #[test]
    fn events_come_in_order_then_the_end() {
        let s = shared();
        s.push("a".into());
        s.push("b".into());
        s.end(Ok(cldkit::Value::Int(1)));
        let run = SyncRun {
            shared: s,
            worker: Mutex::new(None),
        };
        assert_eq!(run.wait(None), SyncWait::Event("a".into()));
        assert_eq!(run.wait(None), SyncWait::Event("b".into()));
        assert_eq!(run.wait(None), SyncWait::Finished);
        assert_eq!(run.finish().unwrap(), cldkit::Value::Int(1));
        assert_eq!(
            run.finish().unwrap_err().status,
            CldkitStatus::CLDKIT_INVALID_ARGUMENT
        );
    }

    #[test]
    fn bad_options_fail_at_finish_and_bad_arguments_at_start() {
        let url = CString::new("cloudinary://k:s@demo?upload_prefix=http://127.0.0.1:9").unwrap();
        let mut c = std::ptr::null_mut();
        let st = unsafe {
            crate::client::cldkit_client_from_url(url.as_ptr(), &mut c, std::ptr::null_mut())
        };
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        let args = CString::new(r#"{"inventory": []}"#).unwrap();
        let bad = CString::new(r#"{"mode": "both"}"#).unwrap();
        let (mut run, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let st = unsafe { cldkit_sync_start(c, args.as_ptr(), bad.as_ptr(), &mut run, &mut err) };
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        assert!(err.is_null() && !run.is_null());
        // The client may go: the sync owns a clone.
        unsafe { crate::client::cldkit_client_free(c) };
        let mut event = CldkitSyncEvent::CLDKIT_SYNC_RUNNING;
        let mut json = std::ptr::null_mut();
        loop {
            let st = unsafe { cldkit_sync_wait(run, 1000, &mut event, &mut json) };
            assert_eq!(st, CldkitStatus::CLDKIT_OK);
            assert!(json.is_null());
            if event == CldkitSyncEvent::CLDKIT_SYNC_FINISHED {
                break;
            }
        }
        let mut out = std::ptr::null_mut();
        let st = unsafe { cldkit_sync_finish(run, &mut out, &mut err) };
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_OPTION);
        assert!(out.is_null());
        assert!(take(err).contains("mode"));
        unsafe { cldkit_sync_free(run) };

        let st = unsafe {
            cldkit_sync_start(
                std::ptr::null(),
                args.as_ptr(),
                bad.as_ptr(),
                &mut run,
                &mut err,
            )
        };
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_ARGUMENT);
        assert!(run.is_null());
        assert!(take(err).contains("client"));
        let st = unsafe { cldkit_sync_wait(std::ptr::null_mut(), 0, &mut event, &mut json) };
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_ARGUMENT);
        let st = unsafe { cldkit_sync_stop(std::ptr::null_mut()) };
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_ARGUMENT);
        unsafe { cldkit_sync_free(std::ptr::null_mut()) };
    }
}
