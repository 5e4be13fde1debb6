//! Upload progress: the core reports `(done, total)` from runtime threads; the
//! JavaScript callback runs on its own thread through a threadsafe function.
//!
//! Reports are coalesced: at most one call is queued at a time and it reads the latest
//! figures when it runs, so a fast upload cannot flood the event loop. When the upload
//! settles, [`ProgressHub::finish`] (on the JavaScript thread, before the Promise
//! settles) makes a last call with the final figures if they were not delivered yet,
//! and closes the channel: no progress call ever follows the settlement.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cldkit::api::ProgressFn;
use cldkit::Error;
use napi::sys;

use crate::errors::{Failure, Outcome};

/// `total` when the size is not known yet (a stream before its end).
const UNKNOWN: u64 = u64::MAX;

/// A Node-API handle that may be moved between threads: only used on the JavaScript
/// thread (references) or through thread-safe calls (the threadsafe function).
struct Handle<T>(T);
// SAFETY: see the type's documentation; every use is guarded as described.
unsafe impl<T> Send for Handle<T> {}

/// The state shared by the core's progress callback and the JavaScript thread.
pub(crate) struct ProgressHub {
    done: AtomicU64,
    total: AtomicU64,
    reported: AtomicBool,
    queued: AtomicBool,
    /// The threadsafe function; `None` once closed (taken under the lock, so no call
    /// can race with its release).
    tsfn: Mutex<Option<Handle<sys::napi_threadsafe_function>>>,
    /// The callback, for the final call made directly on the JavaScript thread.
    callback: Mutex<Option<Handle<sys::napi_ref>>>,
    /// The figures of the last call made, on the JavaScript thread.
    delivered: Mutex<Option<(u64, u64)>>,
}

fn fail() -> Failure {
    Failure::Core(Error::invalid_option(
        "onProgress",
        "cannot set up the progress callback",
    ))
}

impl ProgressHub {
    /// Wraps the JavaScript function `func` (on its thread).
    pub(crate) fn new(env: sys::napi_env, func: sys::napi_value) -> Outcome<Arc<ProgressHub>> {
        let hub = Arc::new(ProgressHub {
            done: AtomicU64::new(0),
            total: AtomicU64::new(UNKNOWN),
            reported: AtomicBool::new(false),
            queued: AtomicBool::new(false),
            tsfn: Mutex::new(None),
            callback: Mutex::new(None),
            delivered: Mutex::new(None),
        });
        let mut reference = ptr::null_mut();
        // SAFETY: `func` is a live value of `env`.
        if unsafe { sys::napi_create_reference(env, func, 1, &mut reference) }
            != sys::Status::napi_ok
        {
            return Err(fail());
        }
        *lock(&hub.callback) = Some(Handle(reference));
        let context = Arc::into_raw(hub.clone()) as *mut c_void;
        // SAFETY: `func` is a live function of `env`; `context` is a leaked
        // `Arc<ProgressHub>`, released by `finalize`.
        let created = unsafe {
            crate::tsfn::create(
                env,
                func,
                "cldkit progress",
                context,
                call_js,
                context,
                finalize,
            )
        };
        let Some(tsfn) = created else {
            // SAFETY: the function was not created: take the leaked count back.
            unsafe { drop(Arc::from_raw(context as *const ProgressHub)) };
            hub.delete_reference(env);
            return Err(fail());
        };
        *lock(&hub.tsfn) = Some(Handle(tsfn));
        Ok(hub)
    }

    /// The core's callback, reporting into this hub.
    pub(crate) fn callback(self: &Arc<Self>) -> ProgressFn {
        let hub = self.clone();
        Arc::new(move |done, total| hub.report(done, total))
    }

    /// Records the latest figures and queues a call unless one is queued already.
    fn report(&self, done: u64, total: Option<u64>) {
        self.done.store(done, Ordering::Relaxed);
        self.total
            .store(total.unwrap_or(UNKNOWN), Ordering::Relaxed);
        self.reported.store(true, Ordering::Release);
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let guard = lock(&self.tsfn);
        let ok = guard.as_ref().is_some_and(|t| {
            // SAFETY: the function is live while it is in the slot (released under
            // this lock); non-blocking calls never wait.
            let status = unsafe {
                sys::napi_call_threadsafe_function(
                    t.0,
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
            status == sys::Status::napi_ok
        });
        if !ok {
            self.queued.store(false, Ordering::Release);
        }
    }

    /// Calls `func(done, total)` with the latest figures unless they were delivered.
    fn deliver(&self, env: sys::napi_env, func: sys::napi_value) {
        if !self.reported.load(Ordering::Acquire) {
            return;
        }
        let done = self.done.load(Ordering::Relaxed);
        let total = self.total.load(Ordering::Relaxed);
        {
            let mut last = lock(&self.delivered);
            if *last == Some((done, total)) {
                return;
            }
            *last = Some((done, total));
        }
        // SAFETY: `env` is the live environment of the JavaScript thread.
        unsafe {
            let mut args = [ptr::null_mut(); 2];
            if sys::napi_create_double(env, done as f64, &mut args[0]) != sys::Status::napi_ok {
                return;
            }
            let status = if total == UNKNOWN {
                sys::napi_get_null(env, &mut args[1])
            } else {
                sys::napi_create_double(env, total as f64, &mut args[1])
            };
            if status != sys::Status::napi_ok {
                return;
            }
            let mut undefined = ptr::null_mut();
            sys::napi_get_undefined(env, &mut undefined);
            let mut out = ptr::null_mut();
            if sys::napi_call_function(env, undefined, func, 2, args.as_ptr(), &mut out)
                != sys::Status::napi_ok
            {
                // The wrapper in `api.js` catches the callback's exceptions; clear
                // anything else rather than leave it pending.
                let mut ignored = ptr::null_mut();
                sys::napi_get_and_clear_last_exception(env, &mut ignored);
            }
        }
    }

    /// On the JavaScript thread, before the Promise settles: the final call, then no
    /// more calls.
    pub(crate) fn finish(&self, env: sys::napi_env) {
        let tsfn = lock(&self.tsfn).take();
        let callback = lock(&self.callback).as_ref().map(|r| r.0);
        if let Some(reference) = callback {
            let mut func = ptr::null_mut();
            // SAFETY: the reference was created in `env` and is still alive.
            if unsafe { sys::napi_get_reference_value(env, reference, &mut func) }
                == sys::Status::napi_ok
                && !func.is_null()
            {
                self.deliver(env, func);
            }
        }
        self.delete_reference(env);
        if let Some(t) = tsfn {
            // SAFETY: taken out of the slot above, so no other thread can call it now.
            unsafe {
                sys::napi_release_threadsafe_function(
                    t.0,
                    sys::ThreadsafeFunctionReleaseMode::release,
                )
            };
        }
    }

    fn delete_reference(&self, env: sys::napi_env) {
        if let Some(r) = lock(&self.callback).take() {
            // SAFETY: created in `env` by `new`; deleted once.
            unsafe { sys::napi_delete_reference(env, r.0) };
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs a queued report on the JavaScript thread.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    func: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() || context.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `context` is the `Arc<ProgressHub>` leaked by `new`, alive until
        // `finalize`.
        let hub = unsafe { &*(context as *const ProgressHub) };
        hub.queued.store(false, Ordering::Release);
        if lock(&hub.tsfn).is_none() {
            return; // finished: the final figures were delivered by `finish`
        }
        hub.deliver(env, func);
    }));
}

/// Frees the hub's count held by the threadsafe function.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: `data` is the pointer `Arc::into_raw` returned in `new`.
        drop(unsafe { Arc::from_raw(data as *const ProgressHub) });
    }
}
