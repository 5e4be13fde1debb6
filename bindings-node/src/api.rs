//! Network calls: uploads, every Upload API call, the Admin API by name, pages and
//! search. Each returns a Promise; the work runs on napi's tokio runtime through the
//! core's async API, so the event loop never blocks and the libuv pool stays free.
//!
//! These are the native halves; `api.js` adds the public methods (`upload`, `pages`,
//! `search`, ...) on `Client.prototype`; the catalogue's rows go through `_call`
//! (`calls.rs`).

use std::sync::Arc;

use cldkit::api::{ApiResponse, Pages as CorePages, ResumeToken, Search, Source, UploadSettings};
use cldkit::{Error, Map, Value};
use napi::{sys, Env, JsObject, JsUnknown};
use napi_derive::napi;

use crate::cancel::Cancel;
use crate::client::Client;
use crate::convert::{
    bytes_of, from_map, raw, read_string, required, string_arg, to_map, to_value_opt, unknown, Arg,
};
use crate::errors::{guard, Failure, Outcome};
use crate::events::{progress_function, spawn_reporting};
use crate::progress::progress_callback;
use crate::promise::{settle_value, spawn};
use crate::stream::ByteSink;

/// The Admin calls `admin(name, ...)` knows, by SDK name.
#[napi]
pub fn admin_calls() -> Vec<&'static str> {
    cldkit::api::ADMIN_CALLS.to_vec()
}

/// What to upload, from a JavaScript value: a string is a local path, or a remote
/// URL / data URI (the SDKs' rule); a Buffer, TypedArray, DataView or ArrayBuffer is
/// the content.
fn source(env: sys::napi_env, v: sys::napi_value) -> Outcome<Source> {
    if type_of(env, v) == sys::ValueType::napi_string {
        return Ok(Source::from_str_arg(&read_string(env, v, "file")?));
    }
    match bytes_of(env, v) {
        Some(b) => Ok(Source::bytes(b, None)),
        None => Err(Failure::Core(Error::invalid_option(
            "file",
            "expected a path, a URL, a data URI, a Buffer, a Uint8Array, an ArrayBuffer or a stream",
        ))),
    }
}

fn whole(v: Option<&Value>, what: &str) -> Outcome<Option<u64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int(n)) if *n > 0 => Ok(Some(*n as u64)),
        Some(_) => Err(Failure::Core(Error::invalid_option(
            what,
            "expected a positive whole number",
        ))),
    }
}

fn text(v: Option<&Value>, what: &str) -> Outcome<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Failure::Core(Error::invalid_option(
            what,
            format!("expected a string, found {}", other.type_name()),
        ))),
    }
}

/// The upload settings from `{chunkSize, parallel, resume, resumeFile}` (the progress
/// callback is added by `Client::start_upload`, last, once nothing else can fail).
fn settings(env: sys::napi_env, settings: &Arg) -> Outcome<UploadSettings> {
    let m = to_map(env, raw(settings), "settings")?;
    let resume = match text(m.get("resume"), "resume")? {
        Some(json) => Some(ResumeToken::from_json(&json).map_err(cldkit::Error::from)?),
        None => None,
    };
    Ok(UploadSettings {
        chunk_size: whole(m.get("chunkSize"), "chunkSize")?,
        parallel: whole(m.get("parallel"), "parallel")?.unwrap_or(0) as usize,
        progress: None,
        resume,
        checkpoint: None,
        resume_file: text(m.get("resumeFile"), "resumeFile")?.map(Into::into),
    })
}

fn type_of(env: sys::napi_env, v: sys::napi_value) -> i32 {
    let mut t = -1;
    // SAFETY: `v` is a live handle of `env`.
    unsafe { sys::napi_typeof(env, v, &mut t) };
    t
}

/// An upload's options, settings and checked progress callback.
struct UploadParts {
    options: Map,
    settings: UploadSettings,
    progress: Option<sys::napi_value>,
}

fn upload_parts(
    env: sys::napi_env,
    options: &Arg,
    upload_settings: &Arg,
    on_progress: &Arg,
) -> Outcome<UploadParts> {
    Ok(UploadParts {
        options: to_map(env, raw(options), "options")?,
        settings: settings(env, upload_settings)?,
        progress: progress_function(env, on_progress)?,
    })
}

/// Throws synchronously (the `api.js` wrappers are `async`, so callers see a
/// rejection) or returns the Promise of `start`.
fn promise_call(
    env: &Env,
    prepare: impl FnOnce() -> Outcome<napi::Result<JsObject>>,
) -> napi::Result<JsObject> {
    guard(env, prepare)?
}

impl Client {
    /// Starts an upload and returns its Promise. The progress hub of the checked
    /// callback keeps the event loop alive until it is finished (on the JavaScript
    /// thread, before the Promise settles), so it is made last, right before the
    /// upload starts.
    fn start_upload(
        &self,
        env: &Env,
        source: Source,
        parts: UploadParts,
        cancel: &Cancel,
    ) -> Outcome<napi::Result<JsObject>> {
        let UploadParts {
            options,
            mut settings,
            progress,
        } = parts;
        let hub = match progress {
            Some(f) => {
                let hub = crate::progress::progress_hub(env.raw(), f)?;
                settings.progress = Some(progress_callback(&hub));
                Some(hub)
            }
            None => None,
        };
        let client = self.inner.clone();
        Ok(spawn_reporting(
            env,
            hub,
            cancel.wrap(async move {
                client
                    .upload(source, &options, &settings)
                    .await
                    .map(ApiResponse::into_value)
            }),
        ))
    }
}

#[napi]
impl Client {
    /// Uploads a path, remote URL, data URI or bytes: `(file, options, settings,
    /// onProgress)`; resolves with the response (the SDK's result object).
    #[napi(js_name = "_upload", ts_return_type = "Promise<unknown>")]
    pub fn upload_native(
        &self,
        env: Env,
        file: Arg,
        options: Arg,
        upload_settings: Arg,
        on_progress: Arg,
        cancel: &Cancel,
    ) -> napi::Result<JsObject> {
        promise_call(&env, || {
            let e = env.raw();
            let source = source(e, required(&file, "file")?)?;
            let parts = upload_parts(e, &options, &upload_settings, &on_progress)?;
            self.start_upload(&env, source, parts, cancel)
        })
    }

    /// Uploads what is written to `sink` (a stream pumped by `api.js`).
    #[napi(js_name = "_uploadStream", ts_return_type = "Promise<unknown>")]
    pub fn upload_stream_native(
        &self,
        env: Env,
        sink: &ByteSink,
        options: Arg,
        upload_settings: Arg,
        on_progress: Arg,
        cancel: &Cancel,
    ) -> napi::Result<JsObject> {
        promise_call(&env, || {
            let parts = upload_parts(env.raw(), &options, &upload_settings, &on_progress)?;
            let source = Source::Stream {
                stream: sink.take_stream()?,
                filename: None,
            };
            self.start_upload(&env, source, parts, cancel)
        })
    }

    /// The pages of an Admin list call, following `next_cursor`.
    #[napi(js_name = "_pages")]
    pub fn pages_native(
        &self,
        env: Env,
        name: Arg,
        args: Arg,
        options: Arg,
    ) -> napi::Result<Pages> {
        guard(&env, || {
            let e = env.raw();
            let name = string_arg(e, &name, "name")?;
            let args = to_map(e, raw(&args), "args")?;
            let options = to_map(e, raw(&options), "options")?;
            Ok(Pages::new(self.inner.pages(&name, &args, &options)))
        })
    }
}

/// Pages of an Admin list call (internal: `api.js` turns it into an async iterator).
#[napi(js_name = "Pages")]
pub struct Pages {
    inner: Arc<tokio::sync::Mutex<CorePages>>,
}

impl Pages {
    fn new(pages: CorePages) -> Self {
        Pages {
            inner: Arc::new(tokio::sync::Mutex::new(pages)),
        }
    }
}

#[napi]
impl Pages {
    /// The next page, or `null` after the last one.
    #[napi(ts_return_type = "Promise<unknown>")]
    pub fn next(&self, env: Env) -> napi::Result<JsObject> {
        let pages = self.inner.clone();
        spawn(
            &env,
            async move {
                match pages.lock().await.next_page().await {
                    None => Ok(Value::Null),
                    Some(r) => r.map(ApiResponse::into_value),
                }
            },
            settle_value,
        )
    }
}

/// A search query (`Search` / `SearchFolders` in the SDKs); internal: `api.js`
/// wraps it in the chainable `Search` class.
#[napi(js_name = "SearchQuery")]
pub struct SearchQuery {
    inner: Search,
}

impl SearchQuery {
    /// Applies a builder method that takes one text argument, named `what` in errors.
    fn set_text(
        &mut self,
        env: &Env,
        v: &Arg,
        what: &str,
        set: fn(Search, &str) -> Search,
    ) -> napi::Result<()> {
        guard(env, || {
            let text = string_arg(env.raw(), v, what)?;
            self.inner = set(std::mem::take(&mut self.inner), &text);
            Ok(())
        })
    }
}

#[napi]
impl SearchQuery {
    /// A resource search (`folders` true: a folder search).
    #[napi(constructor)]
    pub fn new(folders: Option<bool>) -> Self {
        SearchQuery {
            inner: if folders.unwrap_or(false) {
                Search::folders()
            } else {
                Search::new()
            },
        }
    }

    /// Sets the expression.
    #[napi]
    pub fn expression(&mut self, env: Env, expression: Arg) -> napi::Result<()> {
        self.set_text(&env, &expression, "expression", Search::expression)
    }

    /// Adds a sort field and direction (`asc` or `desc`, default `desc`).
    #[napi]
    pub fn sort_by(&mut self, env: Env, field: Arg, direction: Arg) -> napi::Result<()> {
        guard(&env, || {
            let f = string_arg(env.raw(), &field, "sort_by")?;
            let d = match to_value_opt(env.raw(), raw(&direction), "direction")? {
                Value::Null => "desc".to_owned(),
                Value::Str(s) => s,
                other => {
                    return Err(Failure::Core(Error::invalid_option(
                        "direction",
                        format!("expected a string, found {}", other.type_name()),
                    )))
                }
            };
            self.inner = std::mem::take(&mut self.inner).sort_by(&f, &d);
            Ok(())
        })
    }

    /// Sets the page size.
    #[napi]
    pub fn max_results(&mut self, env: Env, n: Arg) -> napi::Result<()> {
        guard(&env, || {
            let n = match to_value_opt(env.raw(), raw(&n), "max_results")? {
                Value::Int(n) => n,
                other => {
                    return Err(Failure::Core(Error::invalid_option(
                        "max_results",
                        format!("expected a whole number, found {}", other.type_name()),
                    )))
                }
            };
            self.inner = std::mem::take(&mut self.inner).max_results(n);
            Ok(())
        })
    }

    /// Sets the cursor of the page to fetch.
    #[napi]
    pub fn next_cursor(&mut self, env: Env, cursor: Arg) -> napi::Result<()> {
        self.set_text(&env, &cursor, "next_cursor", Search::next_cursor)
    }

    /// Adds an aggregation.
    #[napi]
    pub fn aggregate(&mut self, env: Env, field: Arg) -> napi::Result<()> {
        self.set_text(&env, &field, "aggregate", Search::aggregate)
    }

    /// Adds a `with_field` (`context`, `tags`, `metadata`, ...).
    #[napi]
    pub fn with_field(&mut self, env: Env, field: Arg) -> napi::Result<()> {
        self.set_text(&env, &field, "with_field", Search::with_field)
    }

    /// Adds a returned field.
    #[napi]
    pub fn fields(&mut self, env: Env, field: Arg) -> napi::Result<()> {
        self.set_text(&env, &field, "fields", Search::fields)
    }

    /// The JSON body of the query.
    #[napi(js_name = "toQuery", ts_return_type = "Record<string, unknown>")]
    pub fn to_query(&self, env: Env) -> napi::Result<JsUnknown> {
        guard(&env, || {
            Ok(unknown(
                env.raw(),
                from_map(env.raw(), &self.inner.to_map())?,
            ))
        })
    }

    /// Runs the search with `client`.
    #[napi(js_name = "_execute", ts_return_type = "Promise<unknown>")]
    pub fn execute(
        &self,
        env: Env,
        client: &Client,
        options: Arg,
        cancel: &Cancel,
    ) -> napi::Result<JsObject> {
        promise_call(&env, || {
            let options = to_map(env.raw(), raw(&options), "options")?;
            let search = self.inner.clone();
            let client = client.inner.clone();
            Ok(spawn(
                &env,
                cancel.wrap(async move {
                    search
                        .execute(&client, &options)
                        .await
                        .map(ApiResponse::into_value)
                }),
                settle_value,
            ))
        })
    }

    /// Every page of the search, following `next_cursor`.
    #[napi(js_name = "_pages")]
    pub fn pages(&self, env: Env, client: &Client, options: Arg) -> napi::Result<Pages> {
        guard(&env, || {
            let options = to_map(env.raw(), raw(&options), "options")?;
            Ok(Pages::new(self.inner.pages(&client.inner, &options)))
        })
    }
}
