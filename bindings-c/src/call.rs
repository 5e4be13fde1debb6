//! Any call of the core's catalogue by its SDK name ([`cldkit_call`]), the
//! Provisioning API's account client ([`cldkit_account_new`], [`cldkit_account_call`])
//! and the catalogue itself as JSON ([`cldkit_calls_json`]).
//!
//! Arguments and options cross as JSON objects; results come back as JSON text (a
//! JSON string for URL, HTML and text rows, `true`/`false` for boolean rows, an object
//! otherwise); failures as the error JSON of the API functions.

use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use cldkit::api::AccountClient;
use cldkit::{Map, Value};

use crate::abi::{json_map, text, to_json, with_out};
use crate::client::CldkitClient;
use crate::status::{put_string, CldkitStatus, Failure, Report};

/// An opaque, immutable client of the Provisioning (account) API, from
/// [`cldkit_account_new`]; release with [`cldkit_account_free`]. Safe to share across
/// threads.
pub struct CldkitAccount {
    inner: AccountClient,
}

/// What every function that runs a call by its SDK name does: resolves the handle,
/// decodes the name (`what` names it in errors) and the JSON arguments and options,
/// runs the call and stores its result as JSON text in `*out_json`, reporting any
/// failure (a panic too) through `error_json`.
///
/// # Safety
/// Strings NUL-terminated; `out_json` writable; `error_json` NULL or writable; `handle`
/// only dereferences live handles.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn by_name<'a, T: 'a>(
    handle: impl FnOnce() -> Result<&'a T, Failure>,
    name: *const c_char,
    what: &str,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
    run: impl FnOnce(&T, &str, &Map, &Map) -> Result<Value, Failure>,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Json, out_json, error_json, |out_json| {
            let target = handle()?;
            let name = text(name, what)?;
            let args = json_map(args_json, "args_json")?;
            let options = json_map(options_json, "options_json")?;
            let value = run(target, name, &args, &options)?;
            put_string(out_json, to_json(&value)?)
        })
    }
}

/// Runs the catalogue row `name` (`cldkit calls --json` lists them: `url`,
/// `image_tag`, `sign_request`, `upload`, `resources_by_tag`, `create_folder`,
/// `search`, ...) with its positional arguments by name in `args_json`
/// (`{"tag": "kitten"}`) and its keyword options in `options_json` (both JSON objects;
/// `null` and `[]` count as empty). Local rows (URLs, tags, signatures, download URLs)
/// run on the calling thread without a network; network rows block until the answer.
///
/// `*out_json` receives the result as JSON text: a JSON string for URL, HTML and text
/// rows, `true` or `false` for boolean rows, an object for maps and API answers (with
/// `request_id` and the rate-limit fields). An unknown name is
/// `CLDKIT_INVALID_OPTION`; `error_json` receives the error JSON of the API functions.
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out_json` writable;
/// `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_call(
    client: *const CldkitClient,
    name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        by_name(
            || crate::abi::client(client),
            name,
            "name",
            args_json,
            options_json,
            out_json,
            error_json,
            |c, name, args, options| Ok(c.call_blocking(name, args, options)?),
        )
    }
}

/// Creates a Provisioning API client from a `CLOUDINARY_ACCOUNT_URL`
/// (`account://provisioning_key:provisioning_secret@account_id[?setting=value...]`),
/// or, when `account_url` is NULL, from the environment (`CLOUDINARY_ACCOUNT_URL`,
/// with the `upload_prefix` of `CLOUDINARY_URL` when the account URL has none).
///
/// On success `*out` holds a handle the caller releases with [`cldkit_account_free`].
///
/// # Safety
/// `account_url` NULL or NUL-terminated; `out` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_account_new(
    account_url: *const c_char,
    out: *mut *mut CldkitAccount,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Message, out, error, |out| {
            let inner = if account_url.is_null() {
                AccountClient::from_env()?
            } else {
                AccountClient::from_url(text(account_url, "account_url")?)?
            };
            *out = Box::into_raw(Box::new(CldkitAccount { inner }));
            Ok(())
        })
    }
}

/// Releases an account client. NULL is accepted and ignored. The handle must not be
/// in use by another thread.
///
/// # Safety
/// `account` is NULL or a live handle not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cldkit_account_free(account: *mut CldkitAccount) {
    if !account.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in this library.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(account) })));
    }
}

/// Runs the Provisioning API row `name` (`sub_accounts`, `create_user`,
/// `user_groups`, `access_keys`, ...) as [`cldkit_call`] runs a row; any other row is
/// `CLDKIT_INVALID_OPTION`. Blocks until the answer.
///
/// # Safety
/// `account` is a live handle; strings NUL-terminated; `out_json` writable;
/// `error_json` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_account_call(
    account: *const CldkitAccount,
    name: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        by_name(
            || match account.as_ref() {
                Some(a) => Ok(&a.inner),
                None => Err(Failure::argument("`account` is NULL")),
            },
            name,
            "name",
            args_json,
            options_json,
            out_json,
            error_json,
            |a, name, args, options| Ok(a.call_blocking(name, args, options)?),
        )
    }
}

/// The call catalogue as JSON text, `{"version": 1, "calls": [...]}`: each row's
/// `name`, `family`, `params` (`name`, `type`, `required`), `returns`, `http` and
/// `doc`, as `cldkit calls --json` prints it. `*out_json` is released with
/// `cldkit_string_free()`.
///
/// # Safety
/// `out_json` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_calls_json(
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Message, out_json, error, |out| {
            put_string(out, cldkit::calls::catalogue_json().to_string())
        })
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

    fn demo() -> *mut CldkitClient {
        let mut c = std::ptr::null_mut();
        let url = CString::new("cloudinary://k:s@demo?analytics=false").unwrap();
        let st = unsafe {
            crate::client::cldkit_client_from_url(url.as_ptr(), &mut c, std::ptr::null_mut())
        };
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        c
    }

    fn call(c: *const CldkitClient, name: &str, args: &str, opts: &str) -> (CldkitStatus, String) {
        let (n, a, o) = (
            CString::new(name).unwrap(),
            CString::new(args).unwrap(),
            CString::new(opts).unwrap(),
        );
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let st = unsafe { cldkit_call(c, n.as_ptr(), a.as_ptr(), o.as_ptr(), &mut out, &mut err) };
        if st == CldkitStatus::CLDKIT_OK {
            assert!(err.is_null());
            (st, take(out))
        } else {
            assert!(out.is_null());
            (st, take(err))
        }
    }

    #[test]
    fn local_rows_answer_json() {
        let c = demo();
        let (st, out) = call(c, "url", r#"{"source":"sample.jpg"}"#, r#"{"width":100}"#);
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        assert_eq!(
            out,
            r#""https://res.cloudinary.com/demo/image/upload/w_100/sample.jpg""#
        );
        let (st, out) = call(c, "no_such_call", "{}", "null");
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_OPTION);
        assert!(out.contains(r#""code":"invalid_option""#), "{out}");
        let (st, _) = call(c, "url", "[1]", "{}");
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_ARGUMENT);
        unsafe { crate::client::cldkit_client_free(c) };
    }

    #[test]
    fn account_clients_take_provisioning_rows_only() {
        let url = CString::new("account://key:secret@acct-1").unwrap();
        let mut a = std::ptr::null_mut();
        let st = unsafe { cldkit_account_new(url.as_ptr(), &mut a, std::ptr::null_mut()) };
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        let (n, args) = (CString::new("ping").unwrap(), CString::new("{}").unwrap());
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        let st = unsafe {
            cldkit_account_call(
                a,
                n.as_ptr(),
                args.as_ptr(),
                args.as_ptr(),
                &mut out,
                &mut err,
            )
        };
        assert_eq!(st, CldkitStatus::CLDKIT_INVALID_OPTION);
        assert!(take(err).contains("not a Provisioning API call"));
        unsafe { cldkit_account_free(a) };
        let bad = CString::new("cloudinary://k:s@demo").unwrap();
        let mut err = std::ptr::null_mut();
        let st = unsafe { cldkit_account_new(bad.as_ptr(), &mut a, &mut err) };
        assert_ne!(st, CldkitStatus::CLDKIT_OK);
        assert!(a.is_null());
        assert!(!take(err).contains("s@demo"));
    }

    #[test]
    fn the_catalogue_lists_every_row() {
        let mut out = std::ptr::null_mut();
        let st = unsafe { cldkit_calls_json(&mut out, std::ptr::null_mut()) };
        assert_eq!(st, CldkitStatus::CLDKIT_OK);
        let v: serde_json::Value = serde_json::from_str(&take(out)).unwrap();
        assert_eq!(
            v["calls"].as_array().unwrap().len(),
            cldkit::calls::CALLS.len()
        );
    }
}
