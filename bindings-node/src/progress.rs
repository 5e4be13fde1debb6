//! Upload progress: the core reports `(done, total)` from runtime threads; the
//! JavaScript callback runs on its own thread through an [`EventChannel`].
//!
//! Reports are coalesced: at most one call is queued at a time and it reads the latest
//! figures when it runs, so a fast upload cannot flood the event loop. When the upload
//! settles, [`EventChannel::finish`] (on the JavaScript thread, before the Promise
//! settles) makes a last call with the final figures if they were not delivered yet,
//! and closes the channel: no progress call ever follows the settlement.

use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cldkit::api::ProgressFn;
use napi::sys;

use crate::errors::Outcome;
use crate::events::{call_function, lock, EventChannel, Events};

/// `total` when the size is not known yet (a stream before its end).
const UNKNOWN: u64 = u64::MAX;

/// The latest figures, shared by the core's progress callback and the JavaScript
/// thread.
pub(crate) struct Figures {
    done: AtomicU64,
    total: AtomicU64,
    reported: AtomicBool,
    queued: AtomicBool,
    /// The figures of the last call made, on the JavaScript thread.
    delivered: Mutex<Option<(u64, u64)>>,
}

/// An upload's progress channel.
pub(crate) type ProgressHub = EventChannel<Figures>;

/// Wraps the JavaScript function `func` (on its thread).
pub(crate) fn progress_hub(env: sys::napi_env, func: sys::napi_value) -> Outcome<Arc<ProgressHub>> {
    let figures = Figures {
        done: AtomicU64::new(0),
        total: AtomicU64::new(UNKNOWN),
        reported: AtomicBool::new(false),
        queued: AtomicBool::new(false),
        delivered: Mutex::new(None),
    };
    EventChannel::new(env, func, "cldkit progress", figures)
}

/// The core's callback, reporting into `hub`: records the latest figures and queues a
/// call unless one is queued already.
pub(crate) fn progress_callback(hub: &Arc<ProgressHub>) -> ProgressFn {
    let hub = hub.clone();
    Arc::new(move |done, total| {
        let f = &hub.events;
        f.done.store(done, Ordering::Relaxed);
        f.total.store(total.unwrap_or(UNKNOWN), Ordering::Relaxed);
        f.reported.store(true, Ordering::Release);
        if f.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        if !hub.signal() {
            f.queued.store(false, Ordering::Release);
        }
    })
}

impl Events for Figures {
    fn woken(&self) {
        self.queued.store(false, Ordering::Release);
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
            call_function(env, func, &args);
        }
    }
}
