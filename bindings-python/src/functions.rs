//! Module-level functions that need no client: request signing with an explicit
//! secret and `CLOUDINARY_URL` parsing.

use cldkit::config::UrlKind;
use cldkit::sign::{self, Algorithm};
use cldkit::url::parse_settings_url;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::parse_profile;
use crate::convert::{map_arg, map_to_py};
use crate::errors::{check, guard};

/// Signs `params` with `api_secret` exactly as pycloudinary's `api_sign_request`:
/// falsy values skipped, `k=v` pairs sorted, `&` escaped from signature version 2.
/// `algorithm` is `"sha1"` or `"sha256"`.
#[pyfunction]
#[pyo3(signature = (params, api_secret, algorithm = "sha1", signature_version = 2))]
pub fn api_sign_request(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    api_secret: &str,
    algorithm: &str,
    signature_version: u32,
) -> PyResult<String> {
    guard(py, || {
        let p = map_arg(Some(params), "params")?;
        let alg = check(py, Algorithm::from_name(algorithm))?;
        check(
            py,
            sign::api_sign_request(&p, api_secret, alg, signature_version),
        )
    })
}

/// The string `api_sign_request` hashes (before the secret is appended).
#[pyfunction]
#[pyo3(signature = (params, signature_version = 2))]
pub fn string_to_sign(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
    signature_version: u32,
) -> PyResult<String> {
    guard(py, || {
        let p = map_arg(Some(params), "params")?;
        check(py, sign::string_to_sign(&p, signature_version))
    })
}

/// The settings a `CLOUDINARY_URL` holds, as the profile's SDK parses it
/// (`profile` `"default"`, `"python"` or `"node"`; `None` is `"default"`): in
/// pycloudinary's way query values stay strings and `a[b]=c` nests; the npm SDK's
/// way is the node profile's.
#[pyfunction]
#[pyo3(signature = (url, profile = None))]
pub fn parse_cloudinary_url<'py>(
    py: Python<'py>,
    url: &str,
    profile: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    parse_url(py, url, UrlKind::Cloudinary, profile)
}

/// The settings a `CLOUDINARY_ACCOUNT_URL` (`account://key:secret@account_id`) holds,
/// as the profile's SDK parses it (`profile` as for `parse_cloudinary_url`).
#[pyfunction]
#[pyo3(signature = (url, profile = None))]
pub fn parse_account_url<'py>(
    py: Python<'py>,
    url: &str,
    profile: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    parse_url(py, url, UrlKind::Account, profile)
}

/// `url` of `kind` parsed in the named profile.
fn parse_url<'py>(
    py: Python<'py>,
    url: &str,
    kind: UrlKind,
    profile: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(py, || {
        let profile = parse_profile(py, profile)?;
        let m = check(py, parse_settings_url(url, kind, profile))?;
        map_to_py(py, &m)
    })
}

/// Registers the functions on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(api_sign_request, m)?)?;
    m.add_function(wrap_pyfunction!(string_to_sign, m)?)?;
    m.add_function(wrap_pyfunction!(parse_cloudinary_url, m)?)?;
    m.add_function(wrap_pyfunction!(parse_account_url, m)?)?;
    Ok(())
}
