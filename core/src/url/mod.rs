//! Delivery URL assembly (in progress).

use crate::{Client, Map, Result, Value};

/// What [`Client::url_with_leftovers`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlOutput {
    /// The URL (a string), or the source itself when the SDK returns it untouched
    /// (`None`, `""`, a remote `http(s):` URL with type `upload`).
    pub url: Value,
    /// The options the URL builder did not consume, plus the `responsive` / `hidpi`
    /// flags: what the tag helpers turn into HTML attributes.
    pub leftovers: Map,
}

impl Client {
    /// Builds the delivery URL of `source` with `options`.
    pub fn url(&self, source: &str, options: &Map) -> Result<String> {
        let _ = (source, options);
        todo!()
    }

    /// Builds the delivery URL like `cloudinary_url(source, **options)` and also returns
    /// the leftover options.
    pub fn url_with_leftovers(&self, source: &Value, options: &Map) -> Result<UrlOutput> {
        let _ = (source, options);
        todo!()
    }

    /// The Upload/Admin API endpoint URL for `action` (`cloudinary_api_url`):
    /// `{upload_prefix}/v1_1/{cloud_name}/{resource_type}/{action}`.
    pub fn api_url(&self, action: &str, options: &Map) -> Result<String> {
        let _ = (action, options);
        todo!()
    }
}
