//! Signed download URLs: private assets, archives, folders, backups, sprites and
//! multi-page files.
//!
//! Arguments the SDKs accept as any value (ids, tags, URL lists) are JSON values
//! (`"\"sample\""`, `"null"`, `"[\"a\",\"b\"]"`); options are a JSON object.

use std::ffi::c_char;

use cldkit::{Client, Map, Result, Value};

use crate::abi::{client_text, json_map, json_value};
use crate::client::CldkitClient;
use crate::status::CldkitStatus;

/// Shared body: reads the client, the JSON arguments and the options, then calls
/// `f`.
///
/// # Safety
/// `client` is a live handle; every pointer in `args` and `options_json` is a
/// NUL-terminated string; `out_url` writable; `error` NULL or writable.
unsafe fn download(
    client: *const CldkitClient,
    args: &[(*const c_char, &str)],
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
    f: impl FnOnce(&Client, &mut Args, &Map) -> Result<String>,
) -> CldkitStatus {
    // SAFETY: pointer contracts are forwarded from the caller.
    unsafe {
        client_text(client, out_url, error, |c| {
            let mut values = Vec::with_capacity(args.len());
            for (p, name) in args {
                values.push(json_value(*p, name)?);
            }
            let options = json_map(options_json, "options_json")?;
            Ok(f(c, &mut Args(values.into_iter()), &options)?)
        })
    }
}

/// The JSON arguments of a download function, in order.
struct Args(std::vec::IntoIter<Value>);

impl Args {
    /// Takes the next argument.
    fn take(&mut self) -> Value {
        self.0.next().unwrap_or_default()
    }
}

/// The signed URL that downloads a private or authenticated asset (options `type`,
/// `attachment`, `expires_at`, `resource_type`).
///
/// # Safety
/// `client` is a live handle; strings NUL-terminated; `out_url` writable; `error`
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cldkit_private_download_url(
    client: *const CldkitClient,
    public_id_json: *const c_char,
    format_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [
        (public_id_json, "public_id_json"),
        (format_json, "format_json"),
    ];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.private_download_url(a.take(), a.take(), o)
        })
    }
}

/// The signed URL that generates and downloads an archive (options `public_ids`,
/// `tags`, `prefixes`, `target_format`, `flatten_folders`, ...).
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_archive_url(
    client: *const CldkitClient,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &[], options_json, out_url, error, |c, _, o| {
            c.download_archive_url(o)
        })
    }
}

/// [`cldkit_download_archive_url`] with `target_format` `zip`.
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_zip_url(
    client: *const CldkitClient,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &[], options_json, out_url, error, |c, _, o| {
            c.download_zip_url(o)
        })
    }
}

/// The signed URL that downloads a folder as an archive.
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_folder(
    client: *const CldkitClient,
    folder_path_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [(folder_path_json, "folder_path_json")];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.download_folder(a.take(), o)
        })
    }
}

/// The signed URL that downloads a backed-up version of an asset.
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_backedup_asset(
    client: *const CldkitClient,
    asset_id_json: *const c_char,
    version_id_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [
        (asset_id_json, "asset_id_json"),
        (version_id_json, "version_id_json"),
    ];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.download_backedup_asset(a.take(), a.take(), o)
        })
    }
}

/// The legacy signed URL that downloads every asset with a tag as a ZIP.
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_zip_download_url(
    client: *const CldkitClient,
    tag_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [(tag_json, "tag_json")];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.zip_download_url(a.take(), o)
        })
    }
}

/// The signed URL that generates and downloads a sprite from a tag or a list of
/// URLs (pass `null` for the one not used).
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_generated_sprite(
    client: *const CldkitClient,
    tag_json: *const c_char,
    urls_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [(tag_json, "tag_json"), (urls_json, "urls_json")];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.download_generated_sprite(a.take(), a.take(), o)
        })
    }
}

/// The signed URL that generates and downloads a multi-page or animated file from a
/// tag or a list of URLs (pass `null` for the one not used).
///
/// # Safety
/// As for [`cldkit_private_download_url`].
#[no_mangle]
pub unsafe extern "C" fn cldkit_download_multi(
    client: *const CldkitClient,
    tag_json: *const c_char,
    urls_json: *const c_char,
    options_json: *const c_char,
    out_url: *mut *mut c_char,
    error: *mut *mut c_char,
) -> CldkitStatus {
    let args = [(tag_json, "tag_json"), (urls_json, "urls_json")];
    // SAFETY: forwarded contract.
    unsafe {
        download(client, &args, options_json, out_url, error, |c, a, o| {
            c.download_multi(a.take(), a.take(), o)
        })
    }
}
