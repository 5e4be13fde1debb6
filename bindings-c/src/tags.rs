//! HTML tags: `<img>`, `<video>` and `<picture>`.

use std::ffi::c_char;

use crate::abi::{client, json_map, out, text};
use crate::client::CldkitClient;
use crate::status::{guard, put_string, CldkitStatus};

/// Which tag to render.
type Render = fn(&cldkit::Client, &str, &cldkit::Map) -> cldkit::Result<String>;

/// Shared body of the tag functions.
///
/// # Safety
/// As for [`cldkit_image_tag`].
unsafe fn tag(
    render: Render,
    client_ptr: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        guard(error, || {
            let out_html = out(out_html)?;
            let c = client(client_ptr)?;
            let public_id = text(public_id, "public_id")?;
            let options = json_map(options_json, "options_json")?;
            put_string(out_html, render(c, public_id, &options)?)
        })
    }
}

/// The `<img>` tag of `public_id` (URL options plus HTML attributes, `srcset`,
/// `sizes`, `responsive`, `client_hints`, ...).
///
/// # Safety
/// `client` is a live handle; `public_id` and `options_json` NUL-terminated strings;
/// `out_html` writable; `error` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_image_tag(
    client: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        tag(
            cldkit::Client::image_tag,
            client,
            public_id,
            options_json,
            out_html,
            error,
        )
    }
}

/// The `<video>` tag of `public_id` with its `<source>` elements and poster.
///
/// # Safety
/// As for [`cldkit_image_tag`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_video_tag(
    client: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        tag(
            cldkit::Client::video_tag,
            client,
            public_id,
            options_json,
            out_html,
            error,
        )
    }
}

/// The `<picture>` tag of `public_id` (`sources` option: media queries and
/// transformations).
///
/// # Safety
/// As for [`cldkit_image_tag`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_picture_tag(
    client: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        tag(
            cldkit::Client::picture_tag,
            client,
            public_id,
            options_json,
            out_html,
            error,
        )
    }
}
