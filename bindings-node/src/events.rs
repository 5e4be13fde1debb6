//! One channel from the engine's threads to a JavaScript callback, shared by upload
//! progress ([`crate::progress`]) and sync progress events ([`crate::sync`]).
//!
//! The engine's threads record what happened in the channel's [`Events`] and signal a
//! threadsafe function without blocking; on the JavaScript thread the events deliver
//! what is pending to the callback. When the call settles, [`EventChannel::finish`]
//! (on the JavaScript thread, before the Promise settles) makes a last delivery and
//! closes the channel: nothing is delivered after the settlement.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard};

use cldkit::api::ApiError;
use cldkit::{Error, Value};
use napi::{sys, Env, JsObject};

use crate::convert::{raw, Arg};
use crate::errors::{Failure, Outcome};
use crate::promise::{settle_value, spawn, Settle};

/// What a channel carries: recorded on the engine's threads, delivered on the
/// JavaScript thread.
pub(crate) trait Events: Send + Sync + Sized + 'static {
    /// On the JavaScript thread, when a signal arrives (before anything is delivered).
    fn woken(&self) {}
    /// Calls `func` with what is pending (on the JavaScript thread).
    fn deliver(&self, env: sys::napi_env, func: sys::napi_value);
    /// After the last delivery, when the channel closes.
    fn closed(&self) {}
}

/// A Node-API handle that may be moved between threads: only used on the JavaScript
/// thread (references) or through thread-safe calls (the threadsafe function).
struct Handle<T>(T);
// SAFETY: see the type's documentation; every use is guarded as described.
unsafe impl<T> Send for Handle<T> {}

/// A callback's threadsafe function and reference, with the events it delivers.
pub(crate) struct EventChannel<E> {
    /// What is recorded and delivered.
    pub(crate) events: E,
    /// The threadsafe function; `None` once closed (taken under the lock, so no call
    /// can race with its release).
    tsfn: Mutex<Option<Handle<sys::napi_threadsafe_function>>>,
    /// The callback, for the last delivery made directly on the JavaScript thread.
    callback: Mutex<Option<Handle<sys::napi_ref>>>,
}

/// Locks `m`, ignoring poisoning (no lock here guards an invariant a panic breaks).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn fail() -> Failure {
    Failure::Core(Error::invalid_option(
        "onProgress",
        "cannot set up the progress callback",
    ))
}

impl<E: Events> EventChannel<E> {
    /// Wraps the JavaScript function `func` (on its thread) in a channel named `name`.
    pub(crate) fn new(
        env: sys::napi_env,
        func: sys::napi_value,
        name: &str,
        events: E,
    ) -> Outcome<Arc<Self>> {
        let channel = Arc::new(EventChannel {
            events,
            tsfn: Mutex::new(None),
            callback: Mutex::new(None),
        });
        let mut reference = ptr::null_mut();
        // SAFETY: `func` is a live value of `env`.
        if unsafe { sys::napi_create_reference(env, func, 1, &mut reference) }
            != sys::Status::napi_ok
        {
            return Err(fail());
        }
        *lock(&channel.callback) = Some(Handle(reference));
        let context = Arc::into_raw(channel.clone()) as *mut c_void;
        // SAFETY: `func` is a live function of `env`; `context` is a leaked
        // `Arc<EventChannel<E>>`, released by `finalize::<E>`.
        let created = unsafe {
            crate::tsfn::create(
                env,
                func,
                name,
                context,
                call_js::<E>,
                context,
                finalize::<E>,
            )
        };
        let Some(tsfn) = created else {
            // SAFETY: the function was not created: take the leaked count back.
            unsafe { drop(Arc::from_raw(context as *const Self)) };
            channel.delete_reference(env);
            return Err(fail());
        };
        *lock(&channel.tsfn) = Some(Handle(tsfn));
        Ok(channel)
    }

    /// Signals the JavaScript thread (never blocks: the threadsafe function's queue is
    /// unbounded); `false` when the channel is closed or Node refused the call.
    pub(crate) fn signal(&self) -> bool {
        let guard = lock(&self.tsfn);
        guard.as_ref().is_some_and(|t| {
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
        })
    }

    fn is_closed(&self) -> bool {
        lock(&self.tsfn).is_none()
    }

    /// On the JavaScript thread, before the Promise settles: the last delivery, then
    /// no more calls.
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
                self.events.deliver(env, func);
            }
        }
        self.events.closed();
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

/// Runs a signal on the JavaScript thread.
unsafe extern "C" fn call_js<E: Events>(
    env: sys::napi_env,
    func: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() || context.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `context` is the `Arc<EventChannel<E>>` leaked by `new`, alive until
        // `finalize`.
        let channel = unsafe { &*(context as *const EventChannel<E>) };
        channel.events.woken();
        if func.is_null() || channel.is_closed() {
            return; // finished: the last delivery was made by `finish`
        }
        channel.events.deliver(env, func);
    }));
}

/// Frees the channel's count held by the threadsafe function.
unsafe extern "C" fn finalize<E>(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: `data` is the pointer `Arc::into_raw` returned in `new`.
        drop(unsafe { Arc::from_raw(data as *const EventChannel<E>) });
    }
}

/// Calls `func(...args)` with `this` undefined; an exception is cleared (the wrappers
/// in `api.js` catch the callback's own exceptions; anything else must not stay
/// pending).
///
/// # Safety
/// On the JavaScript thread of `env`; `func` and `args` are live handles of `env`.
pub(crate) unsafe fn call_function(
    env: sys::napi_env,
    func: sys::napi_value,
    args: &[sys::napi_value],
) {
    // SAFETY: the caller's contract.
    unsafe {
        let mut undefined = ptr::null_mut();
        sys::napi_get_undefined(env, &mut undefined);
        let mut out = ptr::null_mut();
        if sys::napi_call_function(env, undefined, func, args.len(), args.as_ptr(), &mut out)
            != sys::Status::napi_ok
        {
            let mut ignored = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut ignored);
        }
    }
}

/// The progress argument: a function, or `undefined`/`null` (or absent) for none.
pub(crate) fn progress_function(env: sys::napi_env, v: &Arg) -> Outcome<Option<sys::napi_value>> {
    let Some(f) = raw(v) else {
        return Ok(None);
    };
    let mut t = -1;
    // SAFETY: `f` is a live handle of `env`.
    unsafe { sys::napi_typeof(env, f, &mut t) };
    match t {
        sys::ValueType::napi_function => Ok(Some(f)),
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        _ => Err(Failure::Core(Error::invalid_option(
            "onProgress",
            "expected a function",
        ))),
    }
}

/// Runs `fut` as a Promise; `channel`, if any, is finished on the JavaScript thread
/// before the Promise settles (or at once when the call cannot start).
pub(crate) fn spawn_reporting<E, F>(
    env: &Env,
    channel: Option<Arc<EventChannel<E>>>,
    fut: F,
) -> napi::Result<JsObject>
where
    E: Events,
    F: std::future::Future<Output = Result<Value, ApiError>> + Send + 'static,
{
    let finisher = channel.clone();
    let started = spawn(
        env,
        fut,
        move |env: sys::napi_env, out: Option<Result<Value, ApiError>>| -> Settle {
            if let Some(c) = &channel {
                c.finish(env);
            }
            settle_value(env, out)
        },
    );
    if started.is_err() {
        if let Some(c) = finisher {
            c.finish(env.raw());
        }
    }
    started
}
