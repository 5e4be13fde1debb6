//! The generic entry points over the core's call catalogue (`cldkit::calls`):
//! `client.callLocal(name, args, options)` runs a local row synchronously,
//! `client._call(name, args, options, cancel)` any row as a Promise, and the
//! `AccountClient` class the Provisioning rows. `calls.js` (generated from the
//! catalogue) adds one camelCase method per row on top of these; `api.js` wraps
//! `_call` into the public `call(name, args, options, signal)`.

use cldkit::{Error, Map, Value};
use napi::{sys, Env, JsObject, JsUnknown, NapiRaw, NapiValue};
use napi_derive::napi;

use crate::cancel::Cancel;
use crate::client::Client;
use crate::convert::{from_value, to_map, to_string};
use crate::errors::{guard, Failure, Outcome};
use crate::promise::{settle_value, spawn};

type Arg = Option<JsUnknown>;

fn raw(v: &Arg) -> Option<sys::napi_value> {
    // SAFETY: the handle is live for the current call.
    v.as_ref().map(|v| unsafe { v.raw() })
}

/// A value just created in `env` as a `JsUnknown`.
fn js_value(env: &Env, v: sys::napi_value) -> Outcome<JsUnknown> {
    // SAFETY: `v` was just created in `env`, the environment of the current call.
    Ok(unsafe { JsUnknown::from_raw_unchecked(env.raw(), v) })
}

/// The row name, the arguments (an omitted one, `undefined` or `null`, is left out, as
/// the core's `Call::bind` leaves it out) and the options of a call.
fn call_parts(
    env: sys::napi_env,
    name: &Arg,
    args: &Arg,
    options: &Arg,
) -> Outcome<(String, Map, Map)> {
    let name = match raw(name) {
        Some(v) => to_string(env, v, "name")?,
        None => return Err(Failure::Core(Error::invalid_option("name", "is required"))),
    };
    let mut args = to_map(env, raw(args), "args")?;
    args.retain(|_, v| !v.is_null());
    let options = to_map(env, raw(options), "options")?;
    Ok((name, args, options))
}

/// What runs a call: a client, or an account client (Provisioning rows only).
enum Target {
    Client(cldkit::Client),
    Account(cldkit::api::AccountClient),
}

/// Starts the call `name` on `target` and returns its Promise (rejected at once for a
/// name, arguments or options that cannot be converted).
fn start(
    env: &Env,
    target: Target,
    name: &Arg,
    args: &Arg,
    options: &Arg,
    cancel: &Cancel,
) -> napi::Result<JsObject> {
    let (name, args, options) = guard(env, || call_parts(env.raw(), name, args, options))?;
    spawn(
        env,
        cancel.wrap(async move {
            match target {
                Target::Client(c) => c.call(&name, &args, &options).await,
                Target::Account(a) => a.call(&name, &args, &options).await,
            }
        }),
        settle_value,
    )
}

#[napi]
impl Client {
    /// Runs a local row of the catalogue (a URL, tag, signature or download URL) by
    /// its SDK name, arguments by name in `args`, keyword `options`; returns its value.
    #[napi(js_name = "callLocal", ts_return_type = "unknown")]
    pub fn call_local(
        &self,
        env: Env,
        name: Arg,
        args: Arg,
        options: Arg,
    ) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let (name, args, options) = call_parts(e, &name, &args, &options)?;
            let out: Value = self.inner.call_local(&name, &args, &options)?;
            js_value(&env, from_value(e, &out)?)
        })
    }
}

/// A Provisioning (account) API client: product environments, users, user groups and
/// access keys. `new AccountClient(url?)` reads `CLOUDINARY_ACCOUNT_URL` when `url` is
/// omitted (`account://provisioning_key:provisioning_secret@account_id`).
#[napi(js_name = "AccountClient")]
pub struct AccountClient {
    inner: cldkit::api::AccountClient,
}

#[napi]
impl AccountClient {
    /// `new AccountClient(url?)`: from the account URL, else `CLOUDINARY_ACCOUNT_URL`.
    #[napi(constructor)]
    pub fn new(env: Env, url: Arg) -> napi::Result<Self> {
        guard(&env, || {
            let url = match raw(&url) {
                Some(v) => match crate::convert::to_value(env.raw(), v, "url")? {
                    Value::Null => None,
                    Value::Str(s) => Some(s),
                    other => {
                        return Err(Failure::Core(Error::config_option(
                            "account_url",
                            format!("expected a string, found {}", other.type_name()),
                        )))
                    }
                },
                None => None,
            };
            let inner = match url {
                Some(u) => cldkit::api::AccountClient::from_url(&u)?,
                None => cldkit::api::AccountClient::from_env()?,
            };
            Ok(AccountClient { inner })
        })
    }

    /// The settings for display: the provisioning secret is `"***"` (what
    /// `util.inspect(accountClient)` shows).
    #[napi]
    pub fn settings(&self, env: Env) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let shown = self.inner.client().config().printable_values();
            js_value(&env, crate::convert::from_map(env.raw(), &shown)?)
        })
    }
}

/// The native `_call(name, args, options, cancel)` of a class whose `target()` runs
/// the calls: resolves with the decoded answer (`api.js` adds the public `call`).
macro_rules! native_call {
    ($class:ident) => {
        #[napi]
        impl $class {
            /// Runs a row of the catalogue by name; resolves with the decoded answer.
            #[napi(js_name = "_call", ts_return_type = "Promise<unknown>")]
            pub fn call_native(
                &self,
                env: Env,
                name: Arg,
                args: Arg,
                options: Arg,
                cancel: &Cancel,
            ) -> napi::Result<JsObject> {
                start(&env, self.target(), &name, &args, &options, cancel)
            }
        }
    };
}

native_call!(Client);
native_call!(AccountClient);

impl Client {
    fn target(&self) -> Target {
        Target::Client(self.inner.clone())
    }
}

impl AccountClient {
    fn target(&self) -> Target {
        Target::Account(self.inner.clone())
    }
}
