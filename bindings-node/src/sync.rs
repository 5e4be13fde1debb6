//! The media sync with progress events: `client._sync(args, options, onProgress,
//! cancel)` runs the core's `sync_call` as a Promise and delivers every progress event
//! to `onProgress({done, total, public_id, action, ok})` on the JavaScript thread.
//!
//! Unlike upload progress (coalesced figures), every sync event is kept: the core's
//! callback pushes it on a queue and signals a threadsafe function without blocking;
//! the JavaScript thread drains the queue. When the sync settles, [`EventHub::finish`]
//! (on the JavaScript thread, before the Promise settles) delivers what is still queued
//! and closes the channel: every event arrives before the report, none after it.
//! Exceptions thrown by the callback are caught by the wrapper in `api.js`.

use std::collections::VecDeque;
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard};

use cldkit::sync::{ActionKind, Progress, ProgressFn};
use cldkit::{Error, Map, Value};
use napi::{sys, Env, JsObject, JsUnknown, NapiRaw};
use napi_derive::napi;

use crate::cancel::Cancel;
use crate::client::Client;
use crate::convert::{from_map, to_map};
use crate::errors::{guard, Failure, Outcome};
use crate::promise::{settle_value, spawn, Settle};

type Arg = Option<JsUnknown>;

fn raw(v: &Arg) -> Option<sys::napi_value> {
    // SAFETY: the handle is live for the current call.
    v.as_ref().map(|v| unsafe { v.raw() })
}

/// A Node-API handle moved between threads: only used on the JavaScript thread
/// (references) or through thread-safe calls (the threadsafe function).
struct Handle<T>(T);
// SAFETY: see the type's documentation; every use is guarded as described.
unsafe impl<T> Send for Handle<T> {}

/// The events queued by the engine's threads for the JavaScript thread.
struct EventHub {
    queue: Mutex<VecDeque<Progress>>,
    /// The threadsafe function; `None` once closed (taken under the lock).
    tsfn: Mutex<Option<Handle<sys::napi_threadsafe_function>>>,
    /// The callback, for the last events delivered directly by `finish`.
    callback: Mutex<Option<Handle<sys::napi_ref>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn fail() -> Failure {
    Failure::Core(Error::invalid_option(
        "onProgress",
        "cannot set up the progress callback",
    ))
}

/// The JSON name of an action (the core's serde names).
fn action_name(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Upload => "upload",
        ActionKind::Replace => "replace",
        ActionKind::Delete => "delete",
        ActionKind::Download => "download",
        ActionKind::Unchanged => "unchanged",
    }
}

/// `{done, total, public_id, action, ok}`.
fn event_map(p: &Progress) -> Map {
    let mut m = Map::new();
    m.insert("done", Value::Int(p.done as i64));
    m.insert("total", Value::Int(p.total as i64));
    m.insert("public_id", Value::Str(p.public_id.clone()));
    m.insert("action", Value::Str(action_name(p.action).to_owned()));
    m.insert("ok", Value::Bool(p.ok));
    m
}

impl EventHub {
    /// Wraps the JavaScript function `func` (on its thread).
    fn new(env: sys::napi_env, func: sys::napi_value) -> Outcome<Arc<EventHub>> {
        let hub = Arc::new(EventHub {
            queue: Mutex::new(VecDeque::new()),
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
        *lock(&hub.callback) = Some(Handle(reference));
        let context = Arc::into_raw(hub.clone()) as *mut c_void;
        // SAFETY: `func` is a live function of `env`; `context` is a leaked
        // `Arc<EventHub>`, released by `finalize`.
        let created = unsafe {
            crate::tsfn::create(
                env,
                func,
                "cldkit sync progress",
                context,
                call_js,
                context,
                finalize,
            )
        };
        let Some(tsfn) = created else {
            // SAFETY: the function was not created: take the leaked count back.
            unsafe { drop(Arc::from_raw(context as *const EventHub)) };
            hub.delete_reference(env);
            return Err(fail());
        };
        *lock(&hub.tsfn) = Some(Handle(tsfn));
        Ok(hub)
    }

    /// The core's callback, queueing into this hub.
    fn callback(self: &Arc<Self>) -> ProgressFn {
        let hub = self.clone();
        Arc::new(move |p: &Progress| hub.report(p))
    }

    /// Queues `p` and signals the JavaScript thread (never blocks: the threadsafe
    /// function's queue is unbounded).
    fn report(&self, p: &Progress) {
        lock(&self.queue).push_back(p.clone());
        let guard = lock(&self.tsfn);
        if let Some(t) = guard.as_ref() {
            // SAFETY: the function is live while it is in the slot (released under
            // this lock); non-blocking calls never wait.
            unsafe {
                sys::napi_call_threadsafe_function(
                    t.0,
                    ptr::null_mut(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
        }
    }

    /// Calls `func(event)` for every queued event, in order.
    fn drain(&self, env: sys::napi_env, func: sys::napi_value) {
        loop {
            let Some(p) = lock(&self.queue).pop_front() else {
                return;
            };
            let Ok(arg) = from_map(env, &event_map(&p)) else {
                continue;
            };
            // SAFETY: `env` is the live environment of the JavaScript thread.
            unsafe {
                let mut undefined = ptr::null_mut();
                sys::napi_get_undefined(env, &mut undefined);
                let mut out = ptr::null_mut();
                if sys::napi_call_function(env, undefined, func, 1, &arg, &mut out)
                    != sys::Status::napi_ok
                {
                    // The wrapper in `api.js` catches the callback's exceptions; clear
                    // anything else rather than leave it pending.
                    let mut ignored = ptr::null_mut();
                    sys::napi_get_and_clear_last_exception(env, &mut ignored);
                }
            }
        }
    }

    /// On the JavaScript thread, before the Promise settles: the queued events, then
    /// no more calls.
    fn finish(&self, env: sys::napi_env) {
        let tsfn = lock(&self.tsfn).take();
        let callback = lock(&self.callback).as_ref().map(|r| r.0);
        if let Some(reference) = callback {
            let mut func = ptr::null_mut();
            // SAFETY: the reference was created in `env` and is still alive.
            if unsafe { sys::napi_get_reference_value(env, reference, &mut func) }
                == sys::Status::napi_ok
                && !func.is_null()
            {
                self.drain(env, func);
            }
        }
        lock(&self.queue).clear();
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

/// Runs queued events on the JavaScript thread.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    func: sys::napi_value,
    context: *mut c_void,
    _data: *mut c_void,
) {
    if env.is_null() || context.is_null() || func.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `context` is the `Arc<EventHub>` leaked by `new`, alive until
        // `finalize`.
        let hub = unsafe { &*(context as *const EventHub) };
        if lock(&hub.tsfn).is_none() {
            return; // finished: the last events were delivered by `finish`
        }
        hub.drain(env, func);
    }));
}

/// Frees the hub's count held by the threadsafe function.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: `data` is the pointer `Arc::into_raw` returned in `new`.
        drop(unsafe { Arc::from_raw(data as *const EventHub) });
    }
}

/// The progress argument: a function, or `undefined`/`null` for none.
fn progress_function(env: sys::napi_env, v: &Arg) -> Outcome<Option<sys::napi_value>> {
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

#[napi]
impl Client {
    /// Runs the catalogue's `sync` row (`args` holds `inventory`) with progress events
    /// to `onProgress`; resolves with the report (`api.js` adds the public method).
    #[napi(js_name = "_sync", ts_return_type = "Promise<unknown>")]
    pub fn sync_native(
        &self,
        env: Env,
        args: Arg,
        options: Arg,
        on_progress: Arg,
        cancel: &Cancel,
    ) -> napi::Result<JsObject> {
        let prepared = guard(&env, || {
            let e = env.raw();
            let mut args = to_map(e, raw(&args), "args")?;
            args.retain(|_, v| !v.is_null());
            let options = to_map(e, raw(&options), "options")?;
            let func = progress_function(e, &on_progress)?;
            // Made last: its threadsafe function keeps the event loop alive.
            let hub = func.map(|f| EventHub::new(e, f)).transpose()?;
            Ok((args, options, hub))
        })?;
        let (args, options, hub) = prepared;
        let client = self.inner.clone();
        let progress = hub.as_ref().map(EventHub::callback);
        let finisher = hub.clone();
        let started = spawn(
            &env,
            cancel.wrap(async move {
                cldkit::sync::sync_call(&client, &args, &options, progress).await
            }),
            move |env: sys::napi_env,
                  out: Option<Result<Value, cldkit::api::ApiError>>|
                  -> Settle {
                if let Some(h) = &hub {
                    h.finish(env);
                }
                settle_value(env, out)
            },
        );
        if started.is_err() {
            if let Some(h) = finisher {
                h.finish(env.raw());
            }
        }
        started
    }
}
