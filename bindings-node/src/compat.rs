//! `client._urlLeftovers(source, options)`: the delivery URL and the options the URL did
//! not consume, for `cldkit/compat`'s `utils.url` (the npm SDK deletes the consumed keys
//! from the caller's options; what is left becomes HTML attributes).

use napi::{Env, JsUnknown, NapiRaw, NapiValue};
use napi_derive::napi;

use crate::client::Client;
use crate::convert::{from_map, from_value, new_object, set, to_map, to_value_opt};
use crate::errors::guard;

type Arg = Option<JsUnknown>;

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
            // SAFETY: the handles are live for the current call.
            let source = to_value_opt(e, source.as_ref().map(|v| unsafe { v.raw() }), "source")?;
            let options = to_map(e, options.as_ref().map(|v| unsafe { v.raw() }), "options")?;
            let out = self.inner.url_with_leftovers(&source, &options)?;
            let obj = new_object(e)?;
            set(e, obj, "url", from_value(e, &out.url)?)?;
            set(e, obj, "leftovers", from_map(e, &out.leftovers)?)?;
            // SAFETY: `obj` was just created in `env`.
            Ok(unsafe { JsUnknown::from_raw_unchecked(e, obj) })
        })
    }
}
