//! # cldkit
//!
//! One exact, fast engine for everything a Cloudinary integration computes locally:
//! delivery URLs with the full Transformation URL API, signatures, signed upload forms,
//! download URLs, webhook verification and HTML tags. Output is byte-identical to the
//! official Python SDK (pycloudinary 1.46.3) in the [`Profile::Python`] profile.
//!
//! ```
//! use cldkit::{Client, Options, Value};
//!
//! let client = Client::from_url("cloudinary://1234:secret@demo").unwrap();
//! let options: Options = serde_json::from_str(
//!     r#"{"width": 300, "height": 200, "crop": "fill", "sign_url": true}"#,
//! ).unwrap();
//! let url = client.url("sample.jpg", &options).unwrap();
//! assert!(url.starts_with("https://res.cloudinary.com/demo/image/upload/s--"));
//! // The default profile tags delivery URLs with the SDK analytics parameter `_a`;
//! // `analytics: false` (in the config or the options) turns it off.
//! assert!(url.contains("/c_fill,h_200,w_300/sample.jpg?_a="));
//! ```
//!
//! Options are the snake_case maps every official SDK takes ([`Options`]); the typed
//! [`Transformation`] builder covers the common parameters for Rust callers.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analytics;
#[cfg(feature = "http")]
pub mod api;
pub mod auth_token;
pub mod calls;
mod client;
pub mod config;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod download;
mod error;
pub mod html;
mod php;
pub mod redact;
pub mod sign;
#[cfg(feature = "sync")]
pub mod sync;
pub mod transform;
pub mod upload;
pub mod url;
mod value;
pub mod verify;

pub use client::{Client, Clock};
pub use config::{Config, Profile};
pub use error::{Error, ErrorKind, Result};
pub use transform::builder::Transformation;
pub use value::{Map, Options, Value};
