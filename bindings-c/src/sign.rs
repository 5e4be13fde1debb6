//! Signatures and their verification: API request signatures, webhook
//! notifications and upload results.

use std::ffi::c_char;

use cldkit::sign::{api_sign_request, Algorithm};

use crate::abi::{client_flag, client_json, client_text, json_map, json_value, text, with_out};
use crate::client::CldkitClient;
use crate::status::{put_string, CldkitStatus, Failure, Report};

/// Signs a parameter set (a JSON object) with `api_secret` using `algorithm`
/// (`"sha1"` or `"sha256"`) and `signature_version` (1, or 2 which escapes `&` in
/// values): pycloudinary's `api_sign_request`. `*out` receives the lowercase hex
/// signature.
///
/// # Safety
/// String arguments are NUL-terminated; `out` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_api_sign_request(
    params_json: *const c_char,
    api_secret: *const c_char,
    algorithm: *const c_char,
    signature_version: u32,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        with_out(Report::Message, out, error, |out| {
            let params = json_map(params_json, "params_json")?;
            let secret = text(api_secret, "api_secret")?;
            let algorithm = Algorithm::from_name(text(algorithm, "algorithm")?)?;
            put_string(
                out,
                api_sign_request(&params, secret, algorithm, signature_version)?,
            )
        })
    }
}

/// Signs a parameter set (a JSON object) with the client's `api_secret`,
/// `signature_algorithm` and `signature_version`, e.g. for a browser form that posts
/// the parameters itself. `*out` receives the lowercase hex signature.
///
/// # Safety
/// `client` is a live handle; `params_json` NUL-terminated; `out` writable; `error`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sign_request(
    client: *const CldkitClient,
    params_json: *const c_char,
    out: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out, error, |c| {
            Ok(c.sign_request(&json_map(params_json, "params_json")?)?)
        })
    }
}

/// Like [`cldkit_sign_request`], returning a JSON object
/// `{"string_to_sign", "algorithm", "signature_version", "signature"}` (the secret is
/// not in it) to compare with a server's "Invalid Signature" message.
///
/// # Safety
/// As for [`cldkit_sign_request`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_explain_signature(
    client: *const CldkitClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            let e = c.explain_signature(&json_map(params_json, "params_json")?)?;
            Ok(serde_json::json!({
                "string_to_sign": e.string_to_sign,
                "algorithm": e.algorithm.name(),
                "signature_version": e.signature_version,
                "signature": e.signature,
            }))
        })
    }
}

/// Verifies a webhook notification: `body`/`body_len` is the raw request body,
/// `timestamp_json` the `X-Cld-Timestamp` header as a JSON value (an integer or a
/// string), `signature` the `X-Cld-Signature` header. When `has_valid_for` is false
/// the SDK default of 7200 seconds applies. `*out_valid` receives the verdict; a
/// stale timestamp is `false`, not an error.
///
/// # Safety
/// `client` is a live handle; `body` points to `body_len` readable bytes (it may be
/// NULL when `body_len` is 0); strings are NUL-terminated; `out_valid` writable;
/// `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_verify_notification(
    client: *const CldkitClient,
    body: *const u8,
    body_len: usize,
    timestamp_json: *const c_char,
    signature: *const c_char,
    has_valid_for: bool,
    valid_for: f64,
    out_valid: *mut bool,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_flag(client, out_valid, error, |c| {
            let body: &[u8] = match (body.is_null(), body_len) {
                (_, 0) => &[],
                (true, _) => return Err(Failure::argument("`body` is NULL")),
                (false, n) => std::slice::from_raw_parts(body, n),
            };
            let timestamp = json_value(timestamp_json, "timestamp_json")?;
            let signature = text(signature, "signature")?;
            let valid_for = has_valid_for.then_some(valid_for);
            Ok(c.verify_notification(body, timestamp, signature, valid_for)?)
        })
    }
}

/// Verifies the `signature` of an upload result against its `public_id` and
/// `version` (both JSON values, as the API returned them). `*out_valid` receives the
/// verdict.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated; `out_valid` writable;
/// `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_verify_api_response(
    client: *const CldkitClient,
    public_id_json: *const c_char,
    version_json: *const c_char,
    signature: *const c_char,
    out_valid: *mut bool,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_flag(client, out_valid, error, |c| {
            let public_id = json_value(public_id_json, "public_id_json")?;
            let version = json_value(version_json, "version_json")?;
            Ok(c.verify_api_response(public_id, version, text(signature, "signature")?)?)
        })
    }
}
