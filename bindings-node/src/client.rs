//! The `Client` class: one product environment's configuration, with every core
//! capability as a camelCase method taking the SDKs' snake_case option objects.

use cldkit::upload::UploadRequest;
use cldkit::{Config, Error, Map, Profile, Value};
use napi::{Env, JsUnknown, NapiRaw};
use napi_derive::napi;

use crate::convert::{
    buffer_bytes, from_map, from_value, new_object, raw, raw_string, read_string, required, set,
    string_arg, to_map, to_value, to_value_opt, Arg,
};
use crate::encoded::{decode_map, with_utf16};
use crate::errors::{guard, Failure, Outcome};

/// A cldkit client: configuration, compatibility profile and clock.
#[napi(js_name = "Client")]
pub struct Client {
    pub(crate) inner: cldkit::Client,
}

fn unknown(env: &Env, v: napi::sys::napi_value) -> JsUnknown {
    crate::convert::unknown(env.raw(), v)
}

fn js_string(env: &Env, s: &str) -> Outcome<JsUnknown> {
    let v = raw_string(env.raw(), s)
        .ok_or_else(|| Failure::Core(Error::invalid_option("result", "cannot create a string")))?;
    Ok(unknown(env, v))
}

/// The running Node.js version (`process.versions.node`, `major.minor.patch`).
fn node_version(env: &Env) -> Outcome<String> {
    let v = env.get_node_version()?;
    Ok(format!("{}.{}.{}", v.major, v.minor, v.patch))
}

/// A client reports the running Node.js as its runtime (`tech_version`, the `_a`
/// token's version; in the node profile as the npm SDK does) unless its settings name
/// one. Set on every client this binding creates, whatever its profile, so a client
/// switched to the node profile later (`withProfile`) reports it too; the python
/// profile adds no `_a`. Only for a client being created: it is rebuilt from its
/// settings.
fn with_runtime(env: &Env, client: cldkit::Client) -> Outcome<cldkit::Client> {
    if client.config().get("tech_version").is_some() {
        return Ok(client);
    }
    let mut config = client.config().clone();
    config.set("tech_version", node_version(env)?);
    Ok(cldkit::Client::new(config))
}

/// Applies the `profile` option (or config key) and builds the core client.
fn build_client(config: Map, options: &Map) -> Outcome<cldkit::Client> {
    let mut config = config;
    let from_config = config.remove("profile");
    let profile = match options.get("profile").or(from_config.as_ref()) {
        None | Some(Value::Null) => None,
        Some(Value::Str(s)) => Some(Profile::parse(s)?),
        Some(other) => {
            return Err(Failure::Core(Error::config_option(
                "profile",
                format!("expected a string, found {}", other.type_name()),
            )))
        }
    };
    let mut client = cldkit::Client::new(Config::from_map(config));
    if let Some(p) = profile {
        client = client.with_profile(p);
    }
    Ok(client)
}

fn with_options(client: cldkit::Client, options: &Map) -> Outcome<cldkit::Client> {
    match options.get("profile") {
        None | Some(Value::Null) => Ok(client),
        Some(Value::Str(s)) => Ok(client.with_profile(Profile::parse(s)?)),
        Some(other) => Err(Failure::Core(Error::config_option(
            "profile",
            format!("expected a string, found {}", other.type_name()),
        ))),
    }
}

/// `{url, fields: [[name, value], ...], file?: {path, filename}, authorization?}`.
fn request_to_js(env: &Env, req: &UploadRequest) -> Outcome<JsUnknown> {
    let e = env.raw();
    let obj = new_object(e)?;
    set(
        e,
        obj,
        "url",
        from_value(e, &Value::from(req.url.as_str()))?,
    )?;
    let fields: Vec<Value> = req
        .fields
        .iter()
        .map(|(k, v)| Value::List(vec![Value::from(k.as_str()), Value::from(v.as_str())]))
        .collect();
    set(e, obj, "fields", from_value(e, &Value::List(fields))?)?;
    if let Some(f) = &req.file {
        let mut m = Map::with_capacity(2);
        m.insert("path", f.path.as_str());
        m.insert("filename", f.filename.as_str());
        set(e, obj, "file", from_map(e, &m)?)?;
    }
    if let Some(a) = &req.authorization {
        set(
            e,
            obj,
            "authorization",
            from_value(e, &Value::from(a.as_str()))?,
        )?;
    }
    Ok(unknown(env, obj))
}

fn number_opt(v: Value, what: &str) -> Outcome<Option<f64>> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(i as f64)),
        Value::Float(f) => Ok(Some(f)),
        other => Err(Failure::Core(Error::invalid_option(
            what,
            format!("expected a number, found {}", other.type_name()),
        ))),
    }
}

#[napi]
impl Client {
    /// `new Client(config?, options?)`: `config` holds the SDK settings
    /// (`cloud_name`, `api_key`, ...) and may hold `profile`; `options.profile` wins.
    #[napi(constructor)]
    pub fn new(env: Env, config: Arg, options: Arg) -> napi::Result<Self> {
        guard(&env, || {
            let config = to_map(env.raw(), raw(&config), "config")?;
            let options = to_map(env.raw(), raw(&options), "options")?;
            Ok(Client {
                inner: with_runtime(&env, build_client(config, &options)?)?,
            })
        })
    }

    /// A client from a `cloudinary://key:secret@cloud` URL.
    #[napi(factory)]
    pub fn from_url(env: Env, url: Arg, options: Arg) -> napi::Result<Self> {
        guard(&env, || {
            let url = string_arg(env.raw(), &url, "url")?;
            let options = to_map(env.raw(), raw(&options), "options")?;
            let client = cldkit::Client::from_url(&url)?;
            Ok(Client {
                inner: with_runtime(&env, with_options(client, &options)?)?,
            })
        })
    }

    /// A client from `CLOUDINARY_URL` or the `CLOUDINARY_*` variables.
    #[napi(factory)]
    pub fn from_env(env: Env, options: Arg) -> napi::Result<Self> {
        guard(&env, || {
            let options = to_map(env.raw(), raw(&options), "options")?;
            let client = cldkit::Client::from_env()?;
            Ok(Client {
                inner: with_runtime(&env, with_options(client, &options)?)?,
            })
        })
    }

    /// The same client with a fixed clock (Unix seconds), for reproducible signatures.
    #[napi]
    pub fn with_clock(&self, env: Env, unix_seconds: Arg) -> napi::Result<Client> {
        guard(&env, || {
            let now = match to_value_opt(env.raw(), raw(&unix_seconds), "unix_seconds")? {
                Value::Int(i) => i,
                Value::Float(f) if f.is_finite() => f.floor() as i64,
                other => {
                    return Err(Failure::Core(Error::invalid_option(
                        "unix_seconds",
                        format!("expected a number, found {}", other.type_name()),
                    )))
                }
            };
            Ok(Client {
                inner: self.inner.clone().with_clock(move || now),
            })
        })
    }

    /// The same client in another profile (`"default"`, `"python"` or `"node"`); its
    /// settings are kept as they are (`tech_version` included).
    #[napi]
    pub fn with_profile(&self, env: Env, profile: Arg) -> napi::Result<Client> {
        guard(&env, || {
            let name = string_arg(env.raw(), &profile, "profile")?;
            Ok(Client {
                inner: self.inner.clone().with_profile(Profile::parse(&name)?),
            })
        })
    }

    /// The compatibility profile: `"default"`, `"python"` or `"node"`.
    #[napi(getter)]
    pub fn profile(&self) -> String {
        self.inner.profile().name().to_owned()
    }

    /// The settings for display (what `util.inspect(client)` shows): secrets
    /// (`api_secret`, `auth_token`, any `*secret*`, `*token*`, `*password*`, `*key` but
    /// `api_key`, at any depth) are `"***"` and URLs lose their credentials
    /// (`http://***@proxy:3128`), by the core's rule (`cldkit::redact`).
    #[napi]
    pub fn settings(&self, env: Env) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let shown = self.inner.config().printable_values();
            Ok(unknown(&env, from_map(env.raw(), &shown)?))
        })
    }

    /// The delivery URL of `source` (`cloudinary_url`). A falsy source, or a remote
    /// URL with type `upload`, comes back as it is.
    #[napi]
    pub fn url(&self, env: Env, source: Arg, options: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let source = to_value_opt(e, raw(&source), "source")?;
            let options = to_map(e, raw(&options), "options")?;
            self.url_of(&env, &source, options)
        })
    }

    /// `url` with `options` encoded by `fastpath.js` (see [`crate::encoded`]).
    #[napi(js_name = "_urlEncoded")]
    pub fn url_encoded(&self, env: Env, source: Arg, encoded: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let source = to_value_opt(e, raw(&source), "source")?;
            let options = with_utf16(e, required(&encoded, "options")?, decode_map)?;
            self.url_of(&env, &source, options)
        })
    }

    /// `url` with a plain option object of at most six string or number entries
    /// given as arguments (`fastpath.js`): `count`, then each key and its value. No
    /// encoding and no property reads: the keys and values are read directly.
    #[napi(js_name = "_urlFlat")]
    #[allow(clippy::too_many_arguments)]
    pub fn url_flat(
        &self,
        env: Env,
        source: Arg,
        count: u32,
        k0: JsUnknown,
        v0: JsUnknown,
        k1: JsUnknown,
        v1: JsUnknown,
        k2: JsUnknown,
        v2: JsUnknown,
        k3: JsUnknown,
        v3: JsUnknown,
        k4: JsUnknown,
        v4: JsUnknown,
        k5: JsUnknown,
        v5: JsUnknown,
    ) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let source = to_value_opt(e, raw(&source), "source")?;
            let pairs = [(k0, v0), (k1, v1), (k2, v2), (k3, v3), (k4, v4), (k5, v5)];
            let given = pairs.get(..count as usize).ok_or_else(|| {
                Failure::Core(Error::invalid_option(
                    "options",
                    "too many entries (internal)",
                ))
            })?;
            let mut options = Map::with_capacity(given.len());
            for (k, v) in given {
                // SAFETY: both are live handles of this call.
                let (k, v) = unsafe { (k.raw(), v.raw()) };
                options.insert(read_string(e, k, "options")?, to_value(e, v, "options")?);
            }
            self.url_of(&env, &source, options)
        })
    }

    /// Like `signRequest`, also returning the exact string that was signed:
    /// `{stringToSign, algorithm, signatureVersion, signature}`.
    #[napi(js_name = "_explainSignature")]
    pub fn explain_signature(&self, env: Env, params: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let params = to_map(e, raw(&params), "params")?;
            let x = self.inner.explain_signature(&params)?;
            let mut m = Map::with_capacity(4);
            m.insert("stringToSign", x.string_to_sign);
            m.insert("algorithm", x.algorithm.name());
            m.insert("signatureVersion", i64::from(x.signature_version));
            m.insert("signature", x.signature);
            Ok(unknown(&env, from_map(e, &m)?))
        })
    }

    /// Verifies a webhook notification: the raw body (Buffer or string), the
    /// `X-Cld-Timestamp` and `X-Cld-Signature` headers, and how long it stays valid
    /// (seconds, default 7200).
    #[napi(js_name = "_verifyNotification")]
    pub fn verify_notification(
        &self,
        env: Env,
        body: Arg,
        timestamp: Arg,
        signature: Arg,
        valid_for: Arg,
    ) -> napi::Result<bool> {
        guard(&env, || {
            let e = env.raw();
            let body_raw = required(&body, "body")?;
            let bytes = match buffer_bytes(e, body_raw) {
                Some(b) => b,
                None => match to_value(e, body_raw, "body")? {
                    Value::Str(s) => s.into_bytes(),
                    other => {
                        return Err(Failure::Core(Error::invalid_option(
                            "body",
                            format!("expected a Buffer or a string, found {}", other.type_name()),
                        )))
                    }
                },
            };
            let timestamp = to_value_opt(e, raw(&timestamp), "timestamp")?;
            let signature = string_arg(e, &signature, "signature")?;
            let valid_for =
                number_opt(to_value_opt(e, raw(&valid_for), "valid_for")?, "valid_for")?;
            Ok(self
                .inner
                .verify_notification(&bytes, timestamp, &signature, valid_for)?)
        })
    }

    /// The upload parameters as sent on the wire (`build_upload_params` + cleanup):
    /// each value is the text that goes in the form field (a list stays a list of
    /// texts, sent as `name[]`).
    #[napi(js_name = "_uploadParams")]
    pub fn upload_params(&self, env: Env, options: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let options = to_map(env.raw(), raw(&options), "options")?;
            let params = self.inner.upload_params(&options)?;
            let wire: Map = params
                .iter()
                .map(|(k, v)| (k.clone(), wire_text(v)))
                .collect();
            Ok(unknown(&env, from_map(env.raw(), &wire)?))
        })
    }

    /// The signed `upload` request for `file` (a remote URL, data URI or local path):
    /// `{url, fields, file?, authorization?}`.
    #[napi]
    pub fn upload_form(&self, env: Env, file: Arg, options: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let file = string_arg(env.raw(), &file, "file")?;
            let options = to_map(env.raw(), raw(&options), "options")?;
            request_to_js(&env, &self.inner.upload_form(&file, &options)?)
        })
    }

    /// The unsigned `upload` request with an unsigned upload preset.
    #[napi]
    pub fn unsigned_upload_form(
        &self,
        env: Env,
        file: Arg,
        upload_preset: Arg,
        options: Arg,
    ) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let file = string_arg(e, &file, "file")?;
            let preset = string_arg(e, &upload_preset, "upload_preset")?;
            let options = to_map(e, raw(&options), "options")?;
            request_to_js(
                &env,
                &self.inner.unsigned_upload_form(&file, &preset, &options)?,
            )
        })
    }

    /// Any Upload API request by SDK method name (`upload`, `explicit`, `destroy`,
    /// `rename`, `add_tag`, ...) with positional arguments by name in `args`.
    #[napi]
    pub fn upload_api_call(
        &self,
        env: Env,
        method: Arg,
        args: Arg,
        options: Arg,
    ) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let e = env.raw();
            let method = string_arg(e, &method, "method")?;
            let args = to_map(e, raw(&args), "args")?;
            let options = to_map(e, raw(&options), "options")?;
            request_to_js(&env, &self.inner.upload_api_call(&method, &args, &options)?)
        })
    }

    /// Signs the Upload widget's parameters: `{timestamp, signature, apiKey}`.
    #[napi(js_name = "_signUploadWidget")]
    pub fn sign_upload_widget(&self, env: Env, params: Arg) -> napi::Result<JsUnknown> {
        guard(&env, || {
            let params = to_map(env.raw(), raw(&params), "params")?;
            let s = self.inner.sign_upload_widget(&params)?;
            let mut m = Map::with_capacity(3);
            m.insert("timestamp", s.timestamp);
            m.insert("signature", s.signature);
            m.insert("apiKey", s.api_key);
            Ok(unknown(&env, from_map(env.raw(), &m)?))
        })
    }

    /// The `User-Agent` for API requests (`user_platform` setting + cldkit's token).
    #[napi]
    pub fn user_agent(&self) -> String {
        self.inner.user_agent()
    }
}

impl Client {
    /// The delivery URL of a converted source and options (see `url`).
    /// The URL of `source`; the decoded `options` are given up to the engine, which in the
    /// node profile consumes them in place instead of copying them.
    fn url_of(&self, env: &Env, source: &Value, options: Map) -> Outcome<JsUnknown> {
        match source {
            Value::Str(s) if !s.is_empty() => js_string(env, &self.inner.url_owned(s, options)?),
            _ => {
                let out = self.inner.url_with_leftovers(source, &options)?;
                Ok(unknown(env, from_value(env.raw(), &out.url)?))
            }
        }
    }
}

/// A parameter value as form text: Python's `str()` of it (lists item by item).
fn wire_text(v: &Value) -> Value {
    match v {
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|i| Value::Str(i.py_str().into_owned()))
                .collect(),
        ),
        other => Value::Str(other.py_str().into_owned()),
    }
}
