//! Free functions: signing with an explicit secret, settings URLs, the catalogue and
//! the error table.

use cldkit::config::UrlKind;
use cldkit::sign::{version_from_value, Algorithm};

use crate::client::profile;
use crate::error::Result;
use crate::value::{from_map, to_core, to_map, Entries, Value};

/// The signature of `params` with `api_secret` (pycloudinary's `api_sign_request`):
/// `algorithm` `sha1` or `sha256` (a string; `Null` is an error), `signature_version`
/// 1 or 2 (a number).
#[uniffi::export]
pub fn api_sign_request(
    params: Entries,
    api_secret: String,
    algorithm: Value,
    signature_version: Value,
) -> Result<String> {
    let params = to_map(params);
    let version = version_from_value(&to_core(signature_version))?;
    let algorithm = Algorithm::from_value(&to_core(algorithm))?;
    Ok(cldkit::sign::api_sign_request(
        &params,
        &api_secret,
        algorithm,
        version,
    )?)
}

/// The settings a `CLOUDINARY_URL` holds, as the `profile`'s SDK parses it.
#[uniffi::export(default(profile = None))]
pub fn parse_cloudinary_url(url: String, profile: Option<String>) -> Result<Entries> {
    parse(&url, UrlKind::Cloudinary, profile)
}

/// The settings a `CLOUDINARY_ACCOUNT_URL` (`account://key:secret@account_id`)
/// holds, as the `profile`'s SDK parses it.
#[uniffi::export(default(profile = None))]
pub fn parse_account_url(url: String, profile: Option<String>) -> Result<Entries> {
    parse(&url, UrlKind::Account, profile)
}

fn parse(url: &str, kind: UrlKind, name: Option<String>) -> Result<Entries> {
    let settings = cldkit::url::parse_settings_url(url, kind, profile(name)?)?;
    Ok(from_map(settings))
}

/// One row of the call catalogue, as `Client.call_local`/`call` run it.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CallInfo {
    /// The call's name (pycloudinary's snake_case).
    pub name: String,
    /// The family: `delivery`, `tag`, `signing`, `download_url`, `upload_api`,
    /// `admin_api`, `search`, `provisioning`.
    pub family: String,
    /// The positional parameters' names, in order (keys of the `args` map).
    pub params: Vec<String>,
    /// Whether it goes over the network (`call_blocking`/`call`), else it runs
    /// locally (`call_local` too).
    pub network: bool,
    /// One line of documentation.
    pub doc: String,
}

/// Every call of the catalogue, in catalogue order.
#[uniffi::export]
pub fn calls() -> Vec<CallInfo> {
    cldkit::calls::CALLS
        .iter()
        .map(|c| CallInfo {
            name: c.name.to_owned(),
            family: c.family.name().to_owned(),
            params: c.params.iter().map(|p| p.name.to_owned()).collect(),
            network: c.is_network(),
            doc: c.doc.to_owned(),
        })
        .collect()
}

/// One kind of error, as the `CldkitError` variants are named.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ErrorKindInfo {
    /// The stable code (`invalid_option`, ...).
    pub code: String,
    /// The variant's (exception class's) name (`InvalidOptionError`, ...).
    pub class_name: String,
    /// What it means.
    pub doc: String,
}

/// The engine's error table, in order.
#[uniffi::export]
pub fn error_kinds() -> Vec<ErrorKindInfo> {
    cldkit::ErrorKind::ALL
        .iter()
        .map(|k| ErrorKindInfo {
            code: k.code().to_owned(),
            class_name: k.class_name().to_owned(),
            doc: k.doc().to_owned(),
        })
        .collect()
}

/// The engine's version.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
