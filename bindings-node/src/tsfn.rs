//! Creating Node-API threadsafe functions, the one way this crate calls into
//! JavaScript from the engine's threads (progress, OAuth refresh, Promise settlement).

use std::ffi::c_void;
use std::ptr;

use napi::sys;

/// What a threadsafe function calls on the JavaScript thread (`env` is null during
/// teardown: the callback must then only free `data`).
pub(crate) type CallJs =
    unsafe extern "C" fn(sys::napi_env, sys::napi_value, *mut c_void, *mut c_void);

/// What frees a threadsafe function's data once it is released or torn down.
pub(crate) type Finalize = unsafe extern "C" fn(sys::napi_env, *mut c_void, *mut c_void);

/// A threadsafe function named `name` (unbounded queue, one owning thread) that runs
/// `call_js(env, func, context, data)` for every call and `finalize(env,
/// finalize_data, null)` once, when it is released or torn down. `None` when Node
/// refuses to create it: `finalize` is then not called, the data is still the
/// caller's.
///
/// # Safety
/// Called on the JavaScript thread of `env`; `func` is null or a live function of
/// `env`; `context` and `finalize_data` are what `call_js` and `finalize` expect.
pub(crate) unsafe fn create(
    env: sys::napi_env,
    func: sys::napi_value,
    name: &str,
    context: *mut c_void,
    call_js: CallJs,
    finalize_data: *mut c_void,
    finalize: Finalize,
) -> Option<sys::napi_threadsafe_function> {
    let name = crate::convert::raw_string(env, name)?;
    let mut tsfn = ptr::null_mut();
    // SAFETY: the caller's contract; no async resource object.
    let status = unsafe {
        sys::napi_create_threadsafe_function(
            env,
            func,
            ptr::null_mut(),
            name,
            0,
            1,
            finalize_data,
            Some(finalize),
            context,
            Some(call_js),
            &mut tsfn,
        )
    };
    (status == sys::Status::napi_ok).then_some(tsfn)
}
