//! OAuth token refresh: `client.withOAuthRefresh(callback)`.
//!
//! The core calls its refresh hook on a tokio blocking thread when the server refuses
//! an OAuth token (HTTP 401). Here the hook queues the refused token to the JavaScript
//! thread through a threadsafe function and waits on that blocking thread (never on
//! the event loop) for the answer. On the JavaScript thread, [`call_js`] calls the
//! wrapper made by `api.js` with `(refusedToken, reply)`: the wrapper calls the user's
//! callback, awaits a Promise it returns, and calls `reply(token)` once (`null` to give
//! up: a `null`/`undefined` result, an exception, a rejection, or a value that is not a
//! string; `api.js` reports the failures with `process.emitWarning`).
//!
//! Lifetime: the threadsafe function is unref'd (it never keeps the process alive) and
//! released when the last core client holding the hook is dropped (the JavaScript
//! `Client` was garbage-collected and no call is running). If the environment shuts
//! down first, Node finalizes the function: [`finalize`] empties the slot (so nothing
//! touches the freed function afterwards) and marks the hook closed, which ends every
//! wait at once. A wait is bounded by [`WAIT`] in any case (a Promise that never
//! settles): the refresh then gives up and the call fails with the 401.
//!
//! A refresh pending when its worker is terminated ends at once (see above), so its
//! call settles during the worker's teardown: [`crate::promise`] drops such a late
//! settlement instead of making it in the dead environment.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cldkit::Error;
use napi::{sys, Env, JsUnknown, NapiRaw};
use napi_derive::napi;

use crate::client::Client;
use crate::convert::{raw_string, read_string};
use crate::errors::{guard, Failure, Outcome};

/// The longest a refresh waits for the callback (and its Promise) to answer.
pub(crate) const WAIT: Duration = Duration::from_secs(60);

/// How often a waiting refresh checks that the environment is still there.
const POLL: Duration = Duration::from_millis(100);

/// A threadsafe function handle, movable between threads (Node-API allows calling and
/// releasing it from any thread while it is alive: see [`Shared::tsfn`]).
struct Tsfn(sys::napi_threadsafe_function);
// SAFETY: only used through thread-safe Node-API calls, under `Shared::tsfn`'s lock.
unsafe impl Send for Tsfn {}

/// The state shared by the hook (any thread) and the function's finalizer (the
/// JavaScript thread).
struct Shared {
    /// The threadsafe function; `None` once released by the hook or finalized by Node
    /// (taken under the lock, so no call can race with either).
    tsfn: Mutex<Option<Tsfn>>,
    /// Set when Node finalized the function (environment teardown).
    closed: AtomicBool,
}

/// One refresh queued to the JavaScript thread: the refused token and where the
/// answer goes (dropping the sender unanswered makes the waiter give up at once).
struct Request {
    refused: String,
    reply: Sender<Option<String>>,
}

/// The core's refresh hook for one JavaScript callback.
pub(crate) struct OAuthRefresh {
    shared: Arc<Shared>,
}

fn fail() -> Failure {
    Failure::Core(Error::invalid_option(
        "callback",
        "cannot set up the OAuth refresh callback",
    ))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl OAuthRefresh {
    /// Wraps `func` (the `api.js` wrapper, on its thread) in an unref'd threadsafe
    /// function.
    fn new(env: sys::napi_env, func: sys::napi_value) -> Outcome<OAuthRefresh> {
        let shared = Arc::new(Shared {
            tsfn: Mutex::new(None),
            closed: AtomicBool::new(false),
        });
        let data = Arc::into_raw(shared.clone()) as *mut c_void;
        // SAFETY: `func` is a live function of `env`; `data` is a leaked
        // `Arc<Shared>`, taken back by `finalize`.
        let created = unsafe {
            crate::tsfn::create(
                env,
                func,
                "cldkit OAuth refresh",
                ptr::null_mut(),
                call_js,
                data,
                finalize,
            )
        };
        let Some(tsfn) = created else {
            // SAFETY: the function was not created: take the leaked count back.
            unsafe { drop(Arc::from_raw(data as *const Shared)) };
            return Err(fail());
        };
        // SAFETY: on the JavaScript thread, with a function just created there. The
        // hook must never keep the process alive (a running call does, on its own).
        unsafe { sys::napi_unref_threadsafe_function(env, tsfn) };
        *lock(&shared.tsfn) = Some(Tsfn(tsfn));
        Ok(OAuthRefresh { shared })
    }

    /// The new token for `refused`, or `None` to give up (on the core's blocking
    /// thread): queues the request to the JavaScript thread and waits for the reply,
    /// at most [`WAIT`], and no longer than the environment lives.
    fn refresh(&self, refused: &str) -> Option<String> {
        let (tx, rx) = mpsc::channel();
        let request = Box::into_raw(Box::new(Request {
            refused: refused.to_owned(),
            reply: tx,
        }));
        let queued = lock(&self.shared.tsfn).as_ref().is_some_and(|t| {
            // SAFETY: the function is live while it is in the slot (released or
            // finalized only after taking it out, under this lock); a non-blocking
            // call never waits.
            let status = unsafe {
                sys::napi_call_threadsafe_function(
                    t.0,
                    request.cast(),
                    sys::ThreadsafeFunctionCallMode::nonblocking,
                )
            };
            status == sys::Status::napi_ok
        });
        if !queued {
            // SAFETY: not queued, so still ours.
            drop(unsafe { Box::from_raw(request) });
            return None;
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            match rx.recv_timeout(left.min(POLL)) {
                Ok(token) => return token,
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) => {
                    if self.shared.closed.load(Ordering::Acquire) {
                        return None;
                    }
                }
            }
        }
    }
}

impl Drop for OAuthRefresh {
    /// Releases the threadsafe function (from any thread), unless Node finalized it.
    fn drop(&mut self) {
        if let Some(t) = lock(&self.shared.tsfn).take() {
            // SAFETY: taken out of the slot, so this is its last use.
            unsafe {
                sys::napi_release_threadsafe_function(
                    t.0,
                    sys::ThreadsafeFunctionReleaseMode::release,
                )
            };
        }
    }
}

/// Runs a queued refresh on the JavaScript thread: `func(refused, reply)`. `env` is
/// null when Node drops the queue (teardown): the request is dropped, which makes the
/// waiter give up.
unsafe extern "C" fn call_js(
    env: sys::napi_env,
    func: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the `Box<Request>` queued by `refresh`, delivered once.
    let request = unsafe { Box::from_raw(data as *mut Request) };
    if env.is_null() || func.is_null() {
        return;
    }
    // A panic drops the request (the waiter gives up); it never unwinds into Node.
    let _ = catch_unwind(AssertUnwindSafe(|| ask(env, func, *request)));
}

/// Calls the wrapper with the refused token and a one-use `reply` function; answers
/// `None` at once if that cannot be done.
fn ask(env: sys::napi_env, func: sys::napi_value, request: Request) {
    let Request { refused, reply } = request;
    let fallback = reply.clone();
    let called = (|| {
        let token = raw_string(env, &refused)?;
        let replier = reply_function(env, reply)?;
        let args = [token, replier];
        let mut undefined = ptr::null_mut();
        let mut out = ptr::null_mut();
        // SAFETY: `env` is the live environment of the JavaScript thread; the
        // arguments were created in it.
        let status = unsafe {
            sys::napi_get_undefined(env, &mut undefined);
            sys::napi_call_function(env, undefined, func, 2, args.as_ptr(), &mut out)
        };
        (status == sys::Status::napi_ok).then_some(())
    })();
    if called.is_none() {
        // The wrapper catches the callback's exceptions: clear anything else rather
        // than leave it pending, and give up.
        let mut ignored = ptr::null_mut();
        // SAFETY: as above.
        unsafe { sys::napi_get_and_clear_last_exception(env, &mut ignored) };
        let _ = fallback.send(None);
    }
}

/// A JavaScript function `reply(token)` sending `token` (a string) or `None`
/// (anything else) to the waiting refresh; its sender is freed with the function.
fn reply_function(env: sys::napi_env, reply: Sender<Option<String>>) -> Option<sys::napi_value> {
    let data = Box::into_raw(Box::new(reply));
    let mut f = ptr::null_mut();
    let name = "reply";
    // SAFETY: `data` lives until `drop_reply` (the function's finalizer) frees it.
    let created = unsafe {
        sys::napi_create_function(
            env,
            name.as_ptr().cast(),
            name.len() as _,
            Some(reply_js),
            data.cast(),
            &mut f,
        ) == sys::Status::napi_ok
            && sys::napi_add_finalizer(
                env,
                f,
                data.cast(),
                Some(drop_reply),
                ptr::null_mut(),
                ptr::null_mut(),
            ) == sys::Status::napi_ok
    };
    if created {
        Some(f)
    } else {
        // SAFETY: no finalizer was attached, so the box is still ours (a function
        // created without one never calls back with it after this call returns).
        drop(unsafe { Box::from_raw(data) });
        None
    }
}

/// `reply(token)`: sends a string token, or `None` for anything else.
unsafe extern "C" fn reply_js(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mut argc = 1usize;
        let mut argv = [ptr::null_mut(); 1];
        let mut data = ptr::null_mut();
        // SAFETY: called by Node with this callback's `info`.
        let status = unsafe {
            sys::napi_get_cb_info(
                env,
                info,
                &mut argc,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                &mut data,
            )
        };
        if status != sys::Status::napi_ok || data.is_null() {
            return;
        }
        // SAFETY: `data` is the sender boxed by `reply_function`, alive while the
        // function is.
        let reply = unsafe { &*(data as *const Sender<Option<String>>) };
        let token = (argc >= 1 && is_string(env, argv[0]))
            .then(|| read_string(env, argv[0], "token").ok())
            .flatten();
        let _ = reply.send(token);
    }));
    ptr::null_mut()
}

fn is_string(env: sys::napi_env, v: sys::napi_value) -> bool {
    let mut t = -1;
    // SAFETY: `v` is a live handle of `env`.
    unsafe { sys::napi_typeof(env, v, &mut t) };
    t == sys::ValueType::napi_string
}

/// Frees `reply`'s sender when the function is garbage-collected.
unsafe extern "C" fn drop_reply(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: the box leaked by `reply_function`, freed once.
        drop(unsafe { Box::from_raw(data as *mut Sender<Option<String>>) });
    }
}

/// Node finalized the threadsafe function (released, or the environment is going
/// away): empty the slot, end the waits, free the shared count.
unsafe extern "C" fn finalize(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the pointer `Arc::into_raw` returned in `OAuthRefresh::new`.
    let shared = unsafe { Arc::from_raw(data as *const Shared) };
    shared.closed.store(true, Ordering::Release);
    lock(&shared.tsfn).take();
}

type Arg = Option<JsUnknown>;

#[napi]
impl Client {
    /// The same client calling `refresher(refusedToken, reply)` when the server
    /// refuses its OAuth token (internal: `api.js` wraps the public callback).
    #[napi(js_name = "_withOAuthRefresh")]
    pub fn with_oauth_refresh_native(&self, env: Env, refresher: Arg) -> napi::Result<Client> {
        guard(&env, || {
            let e = env.raw();
            // SAFETY: the handle is live for the current call.
            let func = refresher.as_ref().map(|v| unsafe { v.raw() });
            let func = match func {
                Some(f) if is_function(e, f) => f,
                _ => {
                    return Err(Failure::Core(Error::invalid_option(
                        "callback",
                        "expected a function",
                    )))
                }
            };
            let hook = OAuthRefresh::new(e, func)?;
            Ok(Client {
                inner: self
                    .inner
                    .clone()
                    .with_oauth_refresh(move |refused| hook.refresh(refused)),
            })
        })
    }
}

fn is_function(env: sys::napi_env, v: sys::napi_value) -> bool {
    let mut t = -1;
    // SAFETY: `v` is a live handle of `env`.
    unsafe { sys::napi_typeof(env, v, &mut t) };
    t == sys::ValueType::napi_function
}
