//! `cldkit._native`: the PyO3 face of the cldkit engine.
//!
//! This crate only converts: Python values to the core's [`cldkit::Value`] and back
//! ([`convert`]), core errors and panics to the `cldkit.Error` hierarchy
//! ([`errors`]), and each core capability to a `Client` method ([`client`]; the hot
//! `url` in [`fastcall`]) or a module function ([`functions`]); uploads and API calls
//! ([`api`], [`source`], [`pages`]) run with the GIL released. The pure-Python package
//! `cldkit` re-exports it.

// The crate docs are for maintainers: they point at the (private) modules.
#![allow(rustdoc::private_intra_doc_links)]

mod account;
mod api;
mod client;
mod convert;
mod errors;
mod fastcall;
mod functions;
mod methods;
mod pages;
mod source;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("USER_AGENT", cldkit::analytics::USER_AGENT)?;
    m.add_class::<client::PyClient>()?;
    fastcall::install(&m.py().get_type::<client::PyClient>())?;
    m.add_class::<account::PyAccountClient>()?;
    m.add_class::<pages::PyPages>()?;
    m.add(
        "ADMIN_CALLS",
        pyo3::types::PyTuple::new(m.py(), cldkit::api::ADMIN_CALLS)?,
    )?;
    errors::register(m)?;
    functions::register(m)?;
    Ok(())
}
