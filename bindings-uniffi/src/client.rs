//! [`Client`]: one product environment's configuration, with the whole call catalogue
//! behind `call_local`, `call_blocking` and `call`, and typed methods for the hot paths.

use std::sync::Arc;

use crate::error::Result;
use crate::value::{from_core, to_map, Entries, Value};

/// A client for one product environment (cloud name, credentials, URL settings) in
/// one compatibility profile. Cheap to share across threads.
#[derive(uniffi::Object)]
pub struct Client {
    inner: cldkit::Client,
}

/// A signed Upload API form (what an upload or another Upload API call would send).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct UploadForm {
    /// The endpoint.
    pub url: String,
    /// The text fields in sending order (`name[]` repeated for list values).
    pub fields: Vec<FormField>,
    /// The `Authorization` header (`Bearer <oauth_token>`) when OAuth replaces the
    /// signature.
    pub authorization: Option<String>,
    /// The local file's path when the file is sent as a file part (not a URL).
    pub file_path: Option<String>,
}

/// One text field of an [`UploadForm`].
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct FormField {
    /// The field name.
    pub name: String,
    /// The field value.
    pub value: String,
}

pub(crate) fn profile(name: Option<String>) -> Result<cldkit::Profile> {
    match name {
        None => Ok(cldkit::Profile::Default),
        Some(n) => Ok(cldkit::Profile::parse(&n)?),
    }
}

impl Client {
    fn wrap(inner: cldkit::Client) -> Arc<Self> {
        Arc::new(Client { inner })
    }
}

#[uniffi::export]
impl Client {
    /// A client configured from a `CLOUDINARY_URL`
    /// (`cloudinary://key:secret@cloud_name?secure=true`), in `profile` (`default`,
    /// `python`, `node`, `php`; `default` when absent).
    #[uniffi::constructor(default(profile = None))]
    pub fn from_url(cloudinary_url: String, profile: Option<String>) -> Result<Arc<Self>> {
        let client = cldkit::Client::from_url(&cloudinary_url)?;
        Ok(Self::wrap(client.with_profile(self::profile(profile)?)))
    }

    /// A client configured from settings by their SDK names (`cloud_name`, `api_key`,
    /// `api_secret`, `secure`, ...), in `profile`.
    #[uniffi::constructor(default(profile = None))]
    pub fn from_config(settings: Entries, profile: Option<String>) -> Result<Arc<Self>> {
        let config =
            cldkit::Config::from_map(to_map(settings)).with_profile(self::profile(profile)?);
        Ok(Self::wrap(cldkit::Client::new(config)))
    }

    /// A client configured from the environment (`CLOUDINARY_URL` and
    /// `CLOUDINARY_*` variables), in `profile`.
    #[uniffi::constructor(default(profile = None))]
    pub fn from_env(profile: Option<String>) -> Result<Arc<Self>> {
        let client = cldkit::Client::from_env()?;
        Ok(Self::wrap(client.with_profile(self::profile(profile)?)))
    }

    /// The same client with its clock fixed at `now` (Unix seconds): signatures and
    /// expirations become reproducible.
    pub fn with_clock(&self, now: i64) -> Arc<Self> {
        Self::wrap(self.inner.clone().with_clock(move || now))
    }

    /// The compatibility profile's name (`default`, `python`, `node`, `php`).
    pub fn profile(&self) -> String {
        self.inner.profile().name().to_owned()
    }

    /// The delivery URL of `source` (a public id or remote URL) with transformation
    /// and URL `options` (`width`, `crop`, `secure`, ...).
    pub fn url(&self, source: String, options: Entries) -> Result<String> {
        Ok(self.inner.url(&source, &to_map(options))?)
    }

    /// An `<img>` tag for `public_id` (responsive `srcset`/`sizes` when asked for).
    pub fn image_tag(&self, public_id: String, options: Entries) -> Result<String> {
        Ok(self.inner.image_tag(&public_id, &to_map(options))?)
    }

    /// The signature of request `params` with the configured secret, algorithm and
    /// signature version.
    pub fn sign_request(&self, params: Entries) -> Result<String> {
        Ok(self.inner.sign_request(&to_map(params))?)
    }

    /// The signed form an Upload API call (`upload`, `explicit`, `add_tag`, ...)
    /// would send, without sending it: the fields of a signed browser upload form.
    pub fn upload_form(
        &self,
        method: String,
        args: Entries,
        options: Entries,
    ) -> Result<UploadForm> {
        let req = self
            .inner
            .upload_api_call(&method, &to_map(args), &to_map(options))?;
        Ok(UploadForm {
            url: req.url,
            fields: req
                .fields
                .into_iter()
                .map(|(name, value)| FormField { name, value })
                .collect(),
            authorization: req.authorization,
            file_path: req.file.map(|f| f.path),
        })
    }

    /// Runs a local row of the call catalogue (a URL, tag, signature or download
    /// URL) by name, with its arguments by name and keyword options. A network row is
    /// an `InvalidOptionError` (use `call_blocking` or `call`).
    pub fn call_local(&self, name: String, args: Entries, options: Entries) -> Result<Value> {
        let out = self
            .inner
            .call_local(&name, &to_map(args), &to_map(options))?;
        Ok(from_core(out))
    }

    /// Runs any row of the call catalogue, waiting on the calling thread for a network
    /// row (an upload, an Admin API call, a search): the decoded JSON answer.
    pub fn call_blocking(&self, name: String, args: Entries, options: Entries) -> Result<Value> {
        let out = self
            .inner
            .call_blocking(&name, &to_map(args), &to_map(options))?;
        Ok(from_core(out))
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// Runs any row of the call catalogue asynchronously (a Kotlin `suspend fun`, a
    /// Swift `async` method): the decoded JSON answer of a network row.
    pub async fn call(&self, name: String, args: Entries, options: Entries) -> Result<Value> {
        let out = self
            .inner
            .call(&name, &to_map(args), &to_map(options))
            .await?;
        Ok(from_core(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the catalogue is reachable by name: local rows run through
    /// `call_local` (an argument error at most), network rows are sent to `call`.
    #[test]
    fn every_catalogue_row_is_reachable() {
        let client = Client::from_url("cloudinary://k:s@demo".into(), None).unwrap();
        let rows = crate::calls();
        assert_eq!(rows.len(), cldkit::calls::CALLS.len());
        for row in rows {
            let out = client.call_local(row.name.clone(), vec![], vec![]);
            if let Err(e) = out {
                let detail = &e.info().detail;
                assert!(!detail.contains("unknown call"), "{}: {detail}", row.name);
                assert_eq!(
                    detail.contains("is a network call"),
                    row.network,
                    "{}: {detail}",
                    row.name
                );
            } else {
                assert!(!row.network, "{} ran locally", row.name);
            }
        }
    }

    #[test]
    fn typed_methods_match_the_generic_call() {
        let client =
            Client::from_url("cloudinary://k:s@demo?analytics=false".into(), None).unwrap();
        let opts = || {
            vec![
                crate::Entry {
                    key: "width".into(),
                    value: Value::Int { v: 300 },
                },
                crate::Entry {
                    key: "crop".into(),
                    value: Value::Str { v: "fill".into() },
                },
            ]
        };
        let typed = client.url("sample.jpg".into(), opts()).unwrap();
        let source = vec![crate::Entry {
            key: "source".into(),
            value: Value::Str {
                v: "sample.jpg".into(),
            },
        }];
        let generic = client.call_local("url".into(), source, opts()).unwrap();
        assert_eq!(generic, Value::Str { v: typed.clone() });
        assert_eq!(
            typed,
            "https://res.cloudinary.com/demo/image/upload/c_fill,w_300/sample.jpg"
        );
    }
}
