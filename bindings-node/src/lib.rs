//! Node.js bindings for cldkit, built with napi-rs.
//!
//! This crate only converts types and errors: JavaScript values become the core's
//! [`cldkit::Value`] / [`cldkit::Map`] directly (no JSON round trip, key order kept),
//! results come back as JavaScript strings, booleans and objects, and every
//! [`cldkit::Error`] becomes an instance of the package's `CldkitError` classes with a
//! stable `code`. No Rust panic crosses into JavaScript: each entry point runs under
//! [`errors::guard`], which turns a panic into a `CldkitError` with code `internal`.
//!
//! Network calls (uploads, the Upload and Admin APIs) return Promises: they run on
//! napi's tokio runtime through the core's async API ([`promise`]), with progress
//! callbacks through one event channel ([`events`]), JavaScript streams fed
//! through a bounded channel ([`stream`]) and `AbortSignal`s through [`cancel`].
//!
//! The JavaScript side (`index.js`, `compat.js`) wraps this module; the native module
//! itself is not a public interface.

// The crate docs are for maintainers: they point at the (private) modules.
#![allow(rustdoc::private_intra_doc_links)]
// napi-derive registers the exports only outside `cargo test` builds.
#![cfg_attr(test, allow(dead_code))]

mod api;
mod calls;
mod cancel;
mod client;
mod compat;
mod convert;
mod encoded;
mod errors;
mod events;
mod functions;
mod oauth;
mod progress;
mod promise;
mod stream;
mod sync;
mod tsfn;
