//! The generic entry points over the core's call catalogue (`cldkit::calls`):
//! `client.callLocal(name, args, options)` runs a local row synchronously,
//! `client._call(name, args, options, cancel)` any row as a Promise, and the
//! `AccountClient` class the Provisioning rows. `calls.js` (generated from the
//! catalogue) adds one camelCase method per row on top of these; `api.js` wraps
//! `_call` into the public `call(name, args, options, signal)`.

use cldkit::{Error, Map, Value};
use napi::{sys, Env, JsObject, JsUnknown};
use napi_derive::napi;

use crate::cancel::Cancel;
use crate::client::Client;
use crate::convert::{arg_value, from_value, raw, string_arg, to_map, unknown, Arg};
use crate::errors::{guard, Failure, Outcome};
use crate::promise::{settle_value, spawn};

/// The row name, the arguments (an omitted one, `undefined` or `null`, is left out, as
/// the core's `Call::bind` leaves it out) and the options of a call.
fn call_parts(
    env: sys::napi_env,
    name: &Arg,
    args: &Arg,
    options: &Arg,
) -> Outcome<(String, Map, Map)> {
    let name = string_arg(env, name, "name")?;
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
            Ok(unknown(e, from_value(e, &out)?))
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
            let url = match arg_value(env.raw(), &url, "url")? {
                None | Some(Value::Null) => None,
                Some(Value::Str(s)) => Some(s),
                Some(other) => {
                    return Err(Failure::Core(Error::config_option(
                        "account_url",
                        format!("expected a string, found {}", other.type_name()),
                    )))
                }
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
            Ok(unknown(
                env.raw(),
                crate::convert::from_map(env.raw(), &shown)?,
            ))
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
