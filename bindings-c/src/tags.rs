//! HTML tags: `<img>`, `<video>` and `<picture>`.

use std::ffi::c_char;

use cldkit::Client;

use crate::abi::{client_text, json_map, text};
use crate::client::CldkitClient;
use crate::status::CldkitStatus;

/// Which tag to render.
type Render = fn(&Client, &str, &cldkit::Map) -> cldkit::Result<String>;

/// Shared body of the tag functions.
///
/// # Safety
/// As for [`cldkit_image_tag`].
unsafe fn tag(
    client: *const CldkitClient,
    public_id: *const c_char,
    options_json: *const c_char,
    out_html: *mut *mut c_char,
    error: *mut *mut c_char,
    render: Render,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out_html, error, |c| {
            let public_id = text(public_id, "public_id")?;
            Ok(render(
                c,
                public_id,
                &json_map(options_json, "options_json")?,
            )?)
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
            client,
            public_id,
            options_json,
            out_html,
            error,
            Client::image_tag,
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
            client,
            public_id,
            options_json,
            out_html,
            error,
            Client::video_tag,
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
            client,
            public_id,
            options_json,
            out_html,
            error,
            Client::picture_tag,
        )
    }
}
