//! The `php` profile's Upload API requests: cloudinary_php 3.1.2's `UploadApi` calls.
//!
//! Done so far: the request is pycloudinary's, plus the `Authorization` header the
//! PHP SDK's HTTP client sends on every Upload API call: HTTP Basic with the
//! configuration's `api_key` and `api_secret` (Guzzle's `auth` option, set in
//! `ApiClient::buildHttpClientConfig`), or `Bearer <oauth_token>` when the
//! configuration has an `oauth_token`. The Basic header is sent even on signed and
//! unsigned calls, which carry their own credentials (a PHP SDK quirk kept).

use base64::Engine as _;

use crate::value::Value;
use crate::{Client, Map, Result};

use super::UploadRequest;

/// `Client::upload_api_call` in the `php` profile.
pub(crate) fn upload_api_call(
    client: &Client,
    method: &str,
    args: &Map,
    options: &Map,
) -> Result<UploadRequest> {
    let mut req = client.python_upload_api_call(method, args, options)?;
    req.authorization = Some(authorization(client));
    Ok(req)
}

/// The `Authorization` header cloudinary_php's API client sends.
fn authorization(client: &Client) -> String {
    let config = client.config();
    let text = |name: &str| match config.get(name) {
        Some(Value::Null) | None => String::new(),
        Some(v) => v.py_str().into_owned(),
    };
    let oauth = text("oauth_token");
    if !oauth.is_empty() {
        return format!("Bearer {oauth}");
    }
    let pair = format!("{}:{}", text("api_key"), text("api_secret"));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}
