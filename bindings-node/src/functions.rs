//! Module-level functions: signing with an explicit secret, and parsing environment
//! URLs.

use cldkit::config::UrlKind;
use cldkit::sign::{api_sign_request, Algorithm, ParamSigner};
use cldkit::url::parse_settings_url;
use cldkit::Profile;
use cldkit::{Error, Value};
use napi::{Env, JsUnknown};
use napi_derive::napi;

use crate::convert::{arg_value, from_map, raw, required, to_map, to_string, unknown, Arg};
use crate::encoded::{sign_entries, with_utf16};
use crate::errors::{guard, Failure, Outcome};

/// `api_sign_request(params, api_secret, algorithm = "sha1", signature_version = 2)`.
#[napi]
pub fn api_sign_request_native(
    env: Env,
    params: Arg,
    api_secret: Arg,
    algorithm: Arg,
    signature_version: Arg,
) -> napi::Result<String> {
    guard(&env, || {
        let params = to_map(env.raw(), raw(&params), "params")?;
        let (secret, algorithm, version) =
            sign_settings(&env, &api_secret, &algorithm, &signature_version)?;
        Ok(api_sign_request(&params, &secret, algorithm, version)?)
    })
}

/// `apiSignRequestNative` with `params` encoded by `fastpath.js` (see
/// [`crate::encoded`]): the entries go straight into the signer, no map is built.
#[napi]
pub fn api_sign_request_encoded(
    env: Env,
    encoded: Arg,
    api_secret: Arg,
    algorithm: Arg,
    signature_version: Arg,
) -> napi::Result<String> {
    guard(&env, || {
        let (secret, algorithm, version) =
            sign_settings(&env, &api_secret, &algorithm, &signature_version)?;
        let mut signer = ParamSigner::new(&secret, algorithm, version)?;
        with_utf16(env.raw(), required(&encoded, "params")?, |units| {
            sign_entries(units, &mut signer)
        })?;
        Ok(signer.sign())
    })
}

/// The secret, algorithm and signature version arguments of `apiSignRequest`.
fn sign_settings(
    env: &Env,
    api_secret: &Arg,
    algorithm: &Arg,
    signature_version: &Arg,
) -> Outcome<(String, Algorithm, u32)> {
    let e = env.raw();
    let secret = match arg_value(e, api_secret, "api_secret")? {
        Some(Value::Str(s)) => s,
        None | Some(Value::Null) => String::new(),
        Some(other) => other.py_str().into_owned(),
    };
    let algorithm = match arg_value(e, algorithm, "algorithm")? {
        None | Some(Value::Null) => Algorithm::Sha1,
        Some(Value::Str(s)) => Algorithm::from_name(&s)?,
        Some(other) => {
            return Err(Failure::Core(Error::signature(format!(
                "Unsupported hash algorithm: {}",
                other.py_str()
            ))))
        }
    };
    let version = match arg_value(e, signature_version, "signature_version")? {
        None | Some(Value::Null) => cldkit::sign::DEFAULT_SIGNATURE_VERSION,
        Some(Value::Int(i)) => u32::try_from(i).unwrap_or(0),
        Some(other) => {
            return Err(Failure::Core(Error::invalid_option(
                "signature_version",
                format!("expected a whole number, found {}", other.type_name()),
            )))
        }
    };
    Ok((secret, algorithm, version))
}

/// Parses a `CLOUDINARY_URL` (`kind` "cloudinary", the default) or a
/// `CLOUDINARY_ACCOUNT_URL` (`kind` "account") into its settings, without defaults,
/// as the SDK of `profile` does (`"default"`, `"python"` or `"node"`; absent or null is
/// `"default"`).
#[napi]
pub fn parse_config_url(env: Env, url: Arg, kind: Arg, profile: Arg) -> napi::Result<JsUnknown> {
    guard(&env, || {
        let e = env.raw();
        let url = match raw(&url) {
            Some(v) => to_string(e, v, "url")?,
            None => return Err(Failure::Core(Error::config("the URL must be a string"))),
        };
        let kind = match arg_value(e, &kind, "kind")? {
            None | Some(Value::Null) => UrlKind::Cloudinary,
            Some(Value::Str(s)) if s == "cloudinary" || s == "CLOUDINARY_URL" => {
                UrlKind::Cloudinary
            }
            Some(Value::Str(s)) if s == "account" || s == "CLOUDINARY_ACCOUNT_URL" => {
                UrlKind::Account
            }
            Some(other) => {
                return Err(Failure::Core(Error::invalid_option(
                    "kind",
                    format!(
                        "expected \"cloudinary\" or \"account\", found {}",
                        other.py_str()
                    ),
                )))
            }
        };
        let profile = match arg_value(e, &profile, "profile")? {
            None | Some(Value::Null) => Profile::Default,
            Some(Value::Str(s)) => Profile::parse(&s)?,
            Some(other) => {
                return Err(Failure::Core(Error::config_option(
                    "profile",
                    format!("expected a string, found {}", other.type_name()),
                )))
            }
        };
        let settings = parse_settings_url(&url, kind, profile)?;
        Ok(unknown(e, from_map(e, &settings)?))
    })
}

/// The version of the cldkit engine.
#[napi]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The settings `Client.fromEnv()` would use (`CLOUDINARY_URL` or `CLOUDINARY_*`), as a
/// plain object (secrets included: this is the SDK's `config()` object).
#[napi]
pub fn env_config(env: Env) -> napi::Result<JsUnknown> {
    guard(&env, || {
        let config = cldkit::Config::from_env()?;
        Ok(unknown(env.raw(), from_map(env.raw(), config.values())?))
    })
}
