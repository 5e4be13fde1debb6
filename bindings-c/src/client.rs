//! Client handles: creation from a JSON configuration, a `CLOUDINARY_URL` or the
//! environment; derived handles with another profile or a fixed clock; release.

use std::ffi::c_char;

use cldkit::{Client, Config, Profile};

use crate::abi::{json_map, out, text};
use crate::status::{guard, CldkitStatus, Failure};

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
        guard(error, || {
            let out = crate::abi::out(out)?;
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
            put_client(
                out,
                Client::new(Config::from_map(settings).with_profile(profile)),
            );
            Ok(())
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
        guard(error, || {
            let out = crate::abi::out(out)?;
            let url = text(cloudinary_url, "cloudinary_url")?;
            put_client(out, Client::from_url(url)?);
            Ok(())
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
    unsafe {
        guard(error, || {
            let out = crate::abi::out(out)?;
            put_client(out, Client::from_env()?);
            Ok(())
        })
    }
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
        guard(error, || {
            let out = crate::abi::out(out)?;
            let c = crate::abi::client(client)?;
            let profile = Profile::parse(text(profile, "profile")?)?;
            put_client(out, c.clone().with_profile(profile));
            Ok(())
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
        guard(error, || {
            let out = crate::abi::out(out)?;
            let c = crate::abi::client(client)?;
            put_client(out, c.clone().with_clock(move || unix_seconds));
            Ok(())
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
    use cldkit::config::{parse_url_settings, UrlKind};
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(error, || {
            let out_json = out(out_json)?;
            let url = text(url, "url")?;
            let kind = if account {
                UrlKind::Account
            } else {
                UrlKind::Cloudinary
            };
            let settings = parse_url_settings(url, kind)?;
            crate::status::put_string(out_json, crate::abi::to_json(&settings)?)
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
    use cldkit::config::UrlKind;
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(error, || {
            let out_json = out(out_json)?;
            let url = text(url, "url")?;
            let profile = if profile.is_null() {
                Profile::Default
            } else {
                Profile::parse(text(profile, "profile")?)?
            };
            let kind = if account {
                UrlKind::Account
            } else {
                UrlKind::Cloudinary
            };
            let settings = cldkit::url::parse_settings_url(url, kind, profile)?;
            crate::status::put_string(out_json, crate::abi::to_json(&settings)?)
        })
    }
}
