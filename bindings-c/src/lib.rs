//! # cldkit C ABI
//!
//! The `extern "C"` face of the cldkit engine, installed as `libcldkit.so` /
//! `libcldkit.a` with the header `include/cldkit.h` (generated from this crate by
//! cbindgen). This crate only converts types and errors; every behaviour lives in the
//! `cldkit` core crate.
//!
//! Conventions shared by every function (repeated in the header):
//!
//! * Every function returns a [`CldkitStatus`]; `CLDKIT_OK` (0) means success.
//! * Results come back through `out` parameters. Strings are NUL-terminated UTF-8,
//!   allocated by the library, owned by the caller and released with
//!   [`cldkit_string_free`](status::cldkit_string_free). On failure `*out` is set to NULL.
//! * `error` (may be NULL) receives a message the caller frees with
//!   [`cldkit_string_free`](status::cldkit_string_free); it is set to NULL on success.
//! * Every pointer argument other than `error` is required: NULL is
//!   `CLDKIT_INVALID_ARGUMENT`, as are text that is not UTF-8 and malformed JSON.
//! * Options are JSON objects of the SDKs' snake_case options; JSON integers and
//!   floats stay distinct (`2.0` renders `2.0`) and key order is kept.
//! * A panic inside the library never unwinds into the caller: it becomes
//!   `CLDKIT_INTERNAL`.
//! * Client handles are immutable and safe to share across threads.

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod abi;
pub mod api;
pub mod call;
pub mod client;
pub mod download;
pub mod sign;
pub mod status;
pub mod sync;
pub mod tags;
pub mod upload;
pub mod url;

pub use api::{CldkitPages, CldkitProgressFn, CldkitUpload, CldkitUploadEvent};
pub use call::CldkitAccount;
pub use client::CldkitClient;
pub use status::CldkitStatus;
pub use sync::{CldkitSync, CldkitSyncEvent, CldkitSyncProgressFn};
