//! cldkit for Ruby, Kotlin and Swift: the engine exposed through uniffi.
//!
//! The shared library (`libcldkit_uniffi.so`) and the sources uniffi-bindgen
//! generates from it (`kotlin/`, `swift/`, `ruby/`, committed and checked by `ci.sh`)
//! make one API in every language:
//!
//! * [`Client`]: built `from_url`, `from_config` or `from_env` in a compatibility
//!   profile; the whole call catalogue ([`calls`]) runs through `call_local` (URLs,
//!   tags, signatures, download URLs), `call_blocking` and the async `call` (uploads,
//!   the Admin API, search), with typed methods for the hot paths (`url`,
//!   `image_tag`, `sign_request`, `upload_form`);
//! * options as ordered lists of [`Entry`]s of [`Value`]s, which keep integers and
//!   floats apart;
//! * errors as [`CldkitError`], one variant per kind of the engine's error table.
//!
//! The engine owns every behaviour; this crate only converts types and errors.

mod client;
mod error;
mod functions;
mod value;

pub use client::{Client, FormField, UploadForm};
pub use error::{CldkitError, ErrorInfo, Result};
pub use functions::{
    api_sign_request, calls, error_kinds, parse_account_url, parse_cloudinary_url, version,
    CallInfo, ErrorKindInfo,
};
pub use value::{Entries, Entry, Value};

uniffi::setup_scaffolding!("cldkit");
