//! [`Client::call`]: any row of the [`crate::calls`] catalogue by name, local or over
//! HTTP, async and blocking; [`Client::call_request`] shows the request a network row
//! would send without sending it.

use super::errors::ApiError;
use super::response::ApiResponse;
use super::transport::transport;
use crate::calls::exec::Exec;
use crate::calls::Encoding;
use crate::{Client, Map, Value};

/// The request a network call would send, as [`Client::call_request`] shows it: no
/// credentials (the `Authorization` header is left out), the signature of an Upload API
/// form included.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRequest {
    /// The HTTP verb.
    pub method: String,
    /// The URL, with the query string of a `GET`.
    pub url: String,
    /// How the parameters travel.
    pub encoding: Encoding,
    /// The JSON body (a map), or the form fields as `[name, value]` pairs (a file part
    /// as `[name, {"file": filename}]`), or `null` for a query.
    pub body: Value,
}

impl CallRequest {
    /// As JSON: `{"method", "url", "encoding", "body"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "method": self.method,
            "url": self.url,
            "encoding": self.encoding.name(),
            "body": serde_json::to_value(&self.body).unwrap_or(serde_json::Value::Null),
        })
    }
}

fn local_only(name: &str) -> ApiError {
    ApiError::from(crate::Error::invalid_option(
        "call",
        format!("{name} is a local call: it sends no request"),
    ))
}

fn not_one_request(name: &str) -> ApiError {
    ApiError::from(crate::Error::invalid_option(
        "call",
        format!("{name} sends many requests (use Client::call)"),
    ))
}

impl Client {
    /// The pooled HTTP client of this client (its proxy, timeouts and user agent),
    /// for the sync's downloads.
    #[cfg(feature = "sync")]
    pub(crate) fn http_client(&self) -> Result<reqwest::Client, ApiError> {
        transport(self)?.http()
    }

    /// Runs any call of the [`crate::calls`] catalogue by name, with its positional
    /// arguments by name in `args` and keyword `options` (the SDK's): local rows
    /// return their URL, HTML, signature or map; network rows return the decoded
    /// answer with `request_id` and the rate-limit fields merged in
    /// ([`ApiResponse::into_value`]).
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), cldkit::api::ApiError> {
    /// let client = cldkit::Client::from_env()?;
    /// let args = cldkit::Map::from_iter([("tag", "kitten")]);
    /// let page = client.call("resources_by_tag", &args, &cldkit::Map::new()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        let row = crate::calls::lookup(name)?;
        match row.exec {
            Exec::Local(run) => return Ok(run(self, args, options)?),
            #[cfg(feature = "sync")]
            Exec::Sync => return crate::sync::run_call(self, args, options).await,
            #[cfg(not(feature = "sync"))]
            Exec::Sync => {
                return Err(ApiError::from(crate::Error::invalid_option(
                    "call",
                    "sync needs cldkit built with the `sync` feature",
                )))
            }
            _ => {}
        }
        Ok(self.call_response(name, args, options).await?.into_value())
    }

    /// [`Client::call`] for synchronous callers: local rows run on the calling thread
    /// without a runtime; network rows run on the client's runtime (see
    /// [`Client::upload_blocking`]).
    pub fn call_blocking(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        let row = crate::calls::lookup(name)?;
        if let Exec::Local(run) = row.exec {
            return Ok(run(self, args, options)?);
        }
        transport(self)?
            .runtime
            .block_on(self.call(name, args, options), self.interrupt.as_ref())?
    }

    /// [`crate::sync::sync_call`] for synchronous callers (C, PHP): the sync runs on
    /// the client's runtime and `progress` is called from its threads.
    #[cfg(feature = "sync")]
    pub fn sync_blocking(
        &self,
        args: &Map,
        options: &Map,
        progress: Option<crate::sync::ProgressFn>,
    ) -> Result<Value, ApiError> {
        transport(self)?.runtime.block_on(
            crate::sync::sync_call(self, args, options, progress),
            self.interrupt.as_ref(),
        )?
    }

    /// Sends a network row of the catalogue and returns the answer with its status,
    /// request id and rate-limit information. Upload API rows go through
    /// [`Client::call_upload_api`] (a local file is streamed, chunked when large).
    pub async fn call_response(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let row = crate::calls::lookup(name)?;
        match row.exec {
            Exec::Local(_) => Err(local_only(name)),
            Exec::Sync => Err(not_one_request(name)),
            Exec::Upload(method) => self.call_upload_api(method, args, options).await,
            Exec::Request(_) | Exec::Raw => {
                let req = self.admin_request(name, args, options)?;
                self.send_admin(&req, options).await
            }
        }
    }

    /// [`Client::call_response`] for synchronous callers.
    pub fn call_response_blocking(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        transport(self)?.runtime.block_on(
            self.call_response(name, args, options),
            self.interrupt.as_ref(),
        )?
    }

    /// The request a network row would send (method, URL with query, body), built
    /// exactly as [`Client::call`] builds it but not sent: for tests and debugging.
    /// Credentials are left out.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://k:s@demo").unwrap();
    /// let args = cldkit::Map::from_iter([("from_path", "a/old"), ("to_path", "a/new")]);
    /// let r = client.call_request("rename_folder", &args, &cldkit::Map::new()).unwrap();
    /// assert_eq!((r.method.as_str(), r.url.as_str()),
    ///            ("PUT", "https://api.cloudinary.com/v1_1/demo/folders/a/old"));
    /// assert_eq!(serde_json::to_string(&r.body).unwrap(), r#"{"to_folder":"a/new"}"#);
    /// ```
    pub fn call_request(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<CallRequest, ApiError> {
        let row = crate::calls::lookup(name)?;
        match row.exec {
            Exec::Local(_) => Err(local_only(name)),
            Exec::Sync => Err(not_one_request(name)),
            Exec::Upload(method) => {
                let form = self.upload_api_call(method, args, options)?;
                let mut body: Vec<Value> = form
                    .fields
                    .iter()
                    .map(|(k, v)| Value::List(vec![k.as_str().into(), v.as_str().into()]))
                    .collect();
                if let Some(part) = &form.file {
                    body.push(Value::List(vec![
                        "file".into(),
                        Value::Map(Map::from_iter([(
                            "file",
                            super::upload::base_name(&part.filename),
                        )])),
                    ]));
                }
                Ok(CallRequest {
                    method: "POST".into(),
                    url: form.url,
                    encoding: Encoding::Multipart,
                    body: Value::List(body),
                })
            }
            Exec::Request(_) | Exec::Raw => {
                let req = self.admin_request(name, args, options)?;
                let ready = self.ready_admin(&req, options)?;
                Ok(CallRequest {
                    method: req.method.to_string(),
                    url: ready.url,
                    encoding: req.encoding,
                    body: ready.shown,
                })
            }
        }
    }
}
