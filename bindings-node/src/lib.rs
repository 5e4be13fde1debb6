//! Node.js bindings for cldkit, built with napi-rs.
//!
//! This crate only converts types and errors: JavaScript values become the core's
//! [`cldkit::Value`] / [`cldkit::Map`] directly (no JSON round trip, key order kept),
//! results come back as JavaScript strings, booleans and objects, and every
//! [`cldkit::Error`] becomes an instance of the package's `CldkitError` classes with a
//! stable `code`. No Rust panic crosses into JavaScript: each entry point runs under
//! [`errors::guard`], which turns a panic into a `CldkitError` with code `internal`.
//!
//! The JavaScript side (`index.js`, `compat.js`) wraps this module; the native module
//! itself is not a public interface.

// napi-derive registers the exports only outside `cargo test` builds.
#![cfg_attr(test, allow(dead_code))]

mod client;
mod convert;
mod errors;
mod functions;
