//! Client handles: creation from a JSON configuration, a `CLOUDINARY_URL` or the
//! environment; derived handles with another profile or a fixed clock; release.

use std::ffi::c_char;

use cldkit::config::UrlKind;
use cldkit::{Client, Config, Map, Profile};

use crate::abi::{json_map, text, to_json, with_out};
use crate::status::{put_string, CldkitStatus, Failure, Report};

/// An opaque, immutable client: one product environment's configuration, a profile
/// and a clock. Safe to share across threads; release with [`cldkit_client_free`].
pub struct CldkitClient {
    pub(crate) inner: Client,
}

/// Stores a new handle in `*out`.
///
/// # Safety
/// `out` was checked by [`out`].
unsafe fn put_client(out: *mut *mut CldkitClient, inner: Client) {
    // SAFETY: see the function contract.
    unsafe { *out = Box::into_raw(Box::new(CldkitClient { inner })) };
}

/// The plumbing of a function that makes a client: checks and clears `*out`, runs
/// `f` with the panic guard and stores the client it makes in `*out`.
///
/// # Safety
/// `out` NULL or writable; `error` NULL or writable; `f` holds the contracts of the
/// pointers it reads.
unsafe fn make_client(
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
    f: impl FnOnce() -> Result<Client, Failure>,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        with_out(Report::Message, out, error, |out| {
            put_client(out, f()?);
            Ok(())
        })
    }
}

/// The plumbing of the functions that parse a settings URL: checks and clears
/// `*out_json`, reads `url`, runs `f` with the panic guard and stores its settings
/// as JSON.
///
/// # Safety
/// `url` NULL or NUL-terminated; `out_json` NULL or writable; `error` NULL or
/// writable; `f` holds the contracts of the pointers it reads.
unsafe fn url_settings(
    url: *const c_char,
    account: bool,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
    f: impl FnOnce(&str, UrlKind) -> Result<Map, Failure>,
) -> CldkitStatus {
    let kind = if account {
        UrlKind::Account
    } else {
        UrlKind::Cloudinary
    };
    // SAFETY: forwarded contract.
    unsafe {
        with_out(Report::Message, out_json, error, |out| {
            let url = text(url, "url")?;
            put_string(out, to_json(&f(url, kind)?)?)
        })
    }
}

/// Creates a client from a JSON object of configuration settings (`cloud_name`,
/// `api_key`, `api_secret`, `secure`, ... as the SDKs name them). The optional key
/// `"profile"` (`"default"`, `"python"` or `"node"`) selects the compatibility
/// profile and is not stored as a setting.
///
/// On success `*out` holds a handle the caller releases with [`cldkit_client_free`].
///
/// # Safety
/// `config_json` is a NUL-terminated string; `out` is writable; `error` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_new(
    config_json: *const c_char,
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        make_client(out, error, || {
            let mut settings = json_map(config_json, "config_json")?;
            let profile = match settings.remove("profile") {
                None | Some(cldkit::Value::Null) => Profile::Default,
                Some(cldkit::Value::Str(name)) => Profile::parse(&name)?,
                Some(other) => {
                    return Err(Failure::argument(format!(
                        "`profile` must be a string, found {}",
                        other.type_name()
                    )))
                }
            };
            Ok(Client::new(
                Config::from_map(settings).with_profile(profile),
            ))
        })
    }
}

/// Creates a client from a `CLOUDINARY_URL`
/// (`cloudinary://api_key:api_secret@cloud_name[?setting=value...]`).
///
/// # Safety
/// As for [`cldkit_client_new`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_from_url(
    cloudinary_url: *const c_char,
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        make_client(out, error, || {
            Ok(Client::from_url(text(cloudinary_url, "cloudinary_url")?)?)
        })
    }
}

/// Creates a client from the process environment as the SDKs read it
/// (`CLOUDINARY_CLOUD_NAME` and other `CLOUDINARY_*` variables, else `CLOUDINARY_URL`).
///
/// # Safety
/// `out` is writable; `error` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_from_env(
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe { make_client(out, error, || Ok(Client::from_env()?)) }
}

/// Creates a new handle: `client` in another compatibility profile (`"default"`,
/// `"python"` or `"node"`). `client` stays valid and unchanged.
///
/// # Safety
/// `client` is a live handle; `profile` a NUL-terminated string; `out` writable;
/// `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_with_profile(
    client: *const CldkitClient,
    profile: *const c_char,
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        make_client(out, error, || {
            let c = crate::abi::client(client)?;
            let profile = Profile::parse(text(profile, "profile")?)?;
            Ok(c.clone().with_profile(profile))
        })
    }
}

/// Creates a new handle: `client` with its clock fixed at `unix_seconds` (for
/// reproducible timestamps, auth tokens and webhook checks). `client` stays valid
/// and unchanged.
///
/// # Safety
/// `client` is a live handle; `out` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_with_fixed_time(
    client: *const CldkitClient,
    unix_seconds: i64,
    out: *mut *mut CldkitClient,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        make_client(out, error, || {
            let c = crate::abi::client(client)?;
            Ok(c.clone().with_clock(move || unix_seconds))
        })
    }
}

/// Releases a client handle. NULL is accepted and ignored. Other handles derived
/// from it stay valid. The handle must not be in use by another thread.
///
/// # Safety
/// `client` is NULL or a live handle not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cldkit_client_free(client: *mut CldkitClient) {
    if !client.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in this library.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            drop(unsafe { Box::from_raw(client) })
        }));
    }
}

/// Parses a `CLOUDINARY_URL` (or, with `account` true, a `CLOUDINARY_ACCOUNT_URL`)
/// into the settings it holds, as the SDK's parser does, without creating a client.
/// `*out_json` receives a JSON object (secrets included: handle with care).
///
/// # Safety
/// `url` is a NUL-terminated string; `out_json` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_parse_cloudinary_url(
    url: *const c_char,
    account: bool,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        url_settings(url, account, out_json, error, |url, kind| {
            Ok(cldkit::config::parse_url_settings(url, kind)?)
        })
    }
}

/// [`cldkit_parse_cloudinary_url`] in a compatibility profile: the URL is parsed as
/// the SDK of `profile` (`"default"`, `"python"` or `"node"`; NULL is `"default"`)
/// parses it. `*out_json` receives a JSON object (secrets included: handle with care).
///
/// # Safety
/// `url` is a NUL-terminated string; `profile` NULL or a NUL-terminated string;
/// `out_json` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_parse_settings_url(
    url: *const c_char,
    account: bool,
    profile: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        url_settings(url, account, out_json, error, |url, kind| {
            let profile = if profile.is_null() {
                Profile::Default
            } else {
                Profile::parse(text(profile, "profile")?)?
            };
            Ok(cldkit::url::parse_settings_url(url, kind, profile)?)
        })
    }
}
