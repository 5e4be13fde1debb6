//! Delivery URLs, API endpoint URLs, video thumbnails and auth tokens.

use std::ffi::c_char;

use crate::abi::{self, client_json, client_text, json_map, json_value, text, with_out};
use crate::client::CldkitClient;
use crate::status::{put_string, CldkitStatus, Report};

/// Builds the delivery URL of `source` (a public id or a remote URL) with
/// `options_json` (a JSON object of the SDKs' URL and transformation options, e.g.
/// `{"width":300,"crop":"fill","sign_url":true}`).
///
/// `*out` receives the URL (caller frees with `cldkit_string_free`). An empty source
/// gives an empty string.
///
/// # Safety
/// `client` is a live handle; `source` and `options_json` NUL-terminated strings;
/// `out` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_url(
    client: *const CldkitClient,
    source: *const c_char,
    options_json: *const c_char,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out, error, |c| {
            let source = text(source, "source")?;
            Ok(c.url(source, &json_map(options_json, "options_json")?)?)
        })
    }
}

/// Like [`cldkit_url`] with the source given as any JSON value, as the SDKs accept
/// it: `*out_json` receives a JSON value, the URL string, or the source itself when
/// the SDK returns it untouched (`null`, `""`). A non-string source is an error.
///
/// # Safety
/// As for [`cldkit_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_url_value(
    client: *const CldkitClient,
    source_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            let source = json_value(source_json, "source_json")?;
            let options = json_map(options_json, "options_json")?;
            Ok(c.url_with_leftovers(&source, &options)?.url)
        })
    }
}

/// The URL of a video's poster image (resource type `video`, format `jpg` unless
/// `format` is given).
///
/// # Safety
/// As for [`cldkit_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_video_thumbnail_url(
    client: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out, error, |c| {
            let public_id = text(public_id, "public_id")?;
            Ok(c.video_thumbnail_url(public_id, &json_map(options_json, "options_json")?)?)
        })
    }
}

/// The Upload/Admin API endpoint for `action`
/// (`{upload_prefix}/v1_1/{cloud_name}/{resource_type}/{action}`).
///
/// # Safety
/// As for [`cldkit_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_api_url(
    client: *const CldkitClient,
    action: *const c_char,
    options_json: *const c_char,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out, error, |c| {
            let action = text(action, "action")?;
            Ok(c.api_url(action, &json_map(options_json, "options_json")?)?)
        })
    }
}

/// An Akamai auth token (`__cld_token__=...`) from `options_json` (`key`,
/// `start_time`, `duration`, `expiration`, `acl`, `url`, `ip`, `token_name`) merged
/// over the configured `auth_token`. In the `php` profile with no `key` set,
/// `CLDKIT_OK` with `*out` left NULL: cloudinary_php's `AuthToken::generate` returns
/// null.
///
/// # Safety
/// `client` is a live handle; `options_json` a NUL-terminated string; `out`
/// writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_auth_token(
    client: *const CldkitClient,
    options_json: *const c_char,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Message, out, error, |out| {
            let c = abi::client(client)?;
            match c.auth_token_opt(&json_map(options_json, "options_json")?)? {
                Some(token) => put_string(out, token),
                None => Ok(()),
            }
        })
    }
}
