//! Upload API requests: parameters, signed forms and every other Upload API call.

use std::ffi::c_char;

use cldkit::upload::UploadRequest;
use cldkit::{Map, Value};

use crate::abi::{client_json, json_map, text};
use crate::client::CldkitClient;
use crate::status::CldkitStatus;

/// The JSON form of a request: `{"url", "fields": [[name, value], ...], "file":
/// {"path", "filename"} or null, "authorization": header or null}`; fields are in
/// sending order (`name[]` repeats for lists).
fn request_json(req: &UploadRequest) -> serde_json::Value {
    serde_json::json!({
        "url": req.url,
        "fields": req.fields.iter().map(|(k, v)| [k, v]).collect::<Vec<_>>(),
        "file": req.file.as_ref().map(|f| serde_json::json!({"path": f.path, "filename": f.filename})),
        "authorization": req.authorization,
    })
}

/// Parameters as the text the form sends: each value's `py_str`, lists item by item.
fn wire_text(params: &Map) -> serde_json::Map<String, serde_json::Value> {
    let text = |v: &Value| serde_json::Value::from(v.py_str().into_owned());
    params
        .iter()
        .map(|(k, v)| {
            let j = match v {
                Value::List(items) => serde_json::Value::Array(items.iter().map(text).collect()),
                other => text(other),
            };
            (k.clone(), j)
        })
        .collect()
}

/// The upload parameters `options_json` produce after cleanup (what an upload sends
/// besides `file`, `signature` and `api_key`): `*out_json` receives a JSON object
/// whose values are the text each parameter is sent as (lists: a list of texts).
///
/// # Safety
/// `client` is a live handle; `options_json` NUL-terminated; `out_json` writable;
/// `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_params(
    client: *const CldkitClient,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            Ok(wire_text(
                &c.upload_params(&json_map(options_json, "options_json")?)?,
            ))
        })
    }
}

/// The signed `upload` request for `file` (a remote URL, a data URI or a local
/// path) with the upload options: `*out_json` receives the request object described
/// in the header's introduction (`url`, `fields`, `file`, `authorization`).
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out_json` writable; `error`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_form(
    client: *const CldkitClient,
    file: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            let file = text(file, "file")?;
            let options = json_map(options_json, "options_json")?;
            Ok(request_json(&c.upload_form(file, &options)?))
        })
    }
}

/// Any Upload API call by its SDK name (`upload`, `unsigned_upload`, `explicit`,
/// `destroy`, `rename`, `add_tag`, `remove_tag`, `replace_tag`, `remove_all_tags`,
/// `add_context`, `remove_all_context`, `update_metadata`, `text`, `explode`,
/// `generate_sprite`, `multi`, `create_archive`, `create_zip`, `create_slideshow`),
/// with its positional arguments by name in `args_json` (`{"public_id": ...}`,
/// `{"tag": ..., "public_ids": [...]}`): `*out_json` receives the request object.
///
/// # Safety
/// As for [`cldkit_upload_form`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_upload_api_call(
    client: *const CldkitClient,
    method: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            let method = text(method, "method")?;
            let args = json_map(args_json, "args_json")?;
            let options = json_map(options_json, "options_json")?;
            Ok(request_json(&c.upload_api_call(method, &args, &options)?))
        })
    }
}

/// Signs the Upload widget's parameters (a JSON object; a missing `timestamp` is
/// taken from the client's clock): `*out_json` receives
/// `{"timestamp", "signature", "api_key"}`.
///
/// # Safety
/// `client` is a live handle; `params_json` NUL-terminated; `out_json` writable;
/// `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_sign_upload_widget(
    client: *const CldkitClient,
    params_json: *const c_char,
    out_json: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_json(client, out_json, error, |c| {
            let w = c.sign_upload_widget(&json_map(params_json, "params_json")?)?;
            Ok(serde_json::json!({
                "timestamp": w.timestamp,
                "signature": w.signature,
                "api_key": w.api_key,
            }))
        })
    }
}
