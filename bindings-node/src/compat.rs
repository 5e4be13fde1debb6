//! Native entry points of `cldkit/compat` (the npm SDK drop-in) that the generic
//! `call`/`callLocal` cannot serve:
//!
//! - `client._urlLeftovers(source, options)`: the delivery URL and the options the URL
//!   did not consume (the npm SDK's `utils.url` deletes the consumed keys from the
//!   caller's options; what is left becomes HTML attributes);
//! - `apiSignRequestNodeEncoded(encoded, secret, algorithm, version)`: the npm SDK's
//!   `api_sign_request` (`cldkit::sign::api_sign_request_node`) over parameters encoded
//!   by `fastpath.js`, the hot path of `utils.api_sign_request`.

use cldkit::sign;
use napi::{Env, JsUnknown};
use napi_derive::napi;

use crate::client::Client;
use crate::convert::{
    arg_value, from_map, from_value, new_object, raw, required, set, to_map, to_value_opt, unknown,
    Arg,
};
use crate::encoded::{decode_map, with_printed, with_utf16};
use crate::errors::guard;

#[napi]
impl Client {
    /// `{ url, leftovers }`: the URL of `source` and the options it left unconsumed
    /// (`Client::url_with_leftovers` in the core).
    #[napi(
        js_name = "_urlLeftovers",
        ts_return_type = "{ url: unknown; leftovers: Record<string, unknown> }"
    )]
    pub fn url_leftovers(&self, env: Env, source: Arg, options: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let source = to_value_opt(e, raw(&source), "source")?;
            let options = to_map(e, raw(&options), "options")?;
            let out = self.inner.url_with_leftovers(&source, &options)?;
            let obj = new_object(e)?;
            set(e, obj, "url", from_value(e, &out.url)?)?;
            set(e, obj, "leftovers", from_map(e, &out.leftovers)?)?;
            Ok(unknown(e, obj))
        })
    }
}

/// The npm SDK's `api_sign_request(params, api_secret, signature_algorithm,
/// signature_version)` with `params` encoded by `fastpath.js`: the secret printed as
/// JavaScript prints it, `false` and `0` signed, keys in `localeCompare` order.
#[napi]
pub fn api_sign_request_node_encoded(
    env: Env,
    encoded: Arg,
    api_secret: Arg,
    algorithm: Arg,
    signature_version: Arg,
) -> napi::Result<String> {
    guard(&env, || {
        let e = env.raw();
        let secret = arg_value(e, &api_secret, "api_secret")?;
        let algorithm = arg_value(e, &algorithm, "signature_algorithm")?;
        let version = arg_value(e, &signature_version, "signature_version")?;
        let (secret, algorithm, version) = (secret.as_ref(), algorithm.as_ref(), version.as_ref());
        with_utf16(e, required(&encoded, "params")?, |units| {
            // Strings, numbers and booleans: signed from their printed texts.
            let printed = with_printed(units, |params| {
                Ok(sign::api_sign_request_node_printed(
                    params, secret, algorithm, version,
                )?)
            });
            if let Some(signature) = printed {
                return signature;
            }
            let params = decode_map(units)?;
            Ok(sign::api_sign_request_node(
                &params, secret, algorithm, version,
            )?)
        })
    })
}
