//! Signed download URLs built locally (no network): private assets, archives, folders,
//! backed-up versions, sprites and multi images.
//!
//! Each helper signs its parameters like an Upload API call (see [`crate::sign`]) and
//! returns `<API endpoint>?<form-encoded signed parameters>`; list parameters of the
//! archive helpers travel as `name[]`. The rules, parameter order and encoding are
//! pycloudinary 1.46.3's.
//!
//! ```
//! let client = cldkit::Client::from_url("cloudinary://123456789012345:abcd1234SECRETxyz@mycloud")
//!     .unwrap()
//!     .with_clock(|| 1_700_000_000);
//! # let _ = || -> cldkit::Result<()> {
//! let url = client.private_download_url("sample", "png", &cldkit::Options::new())?;
//! assert_eq!(url, "https://api.cloudinary.com/v1_1/mycloud/image/download?timestamp=1700000000\
//!     &public_id=sample&format=png&signature=a90186024096ad35d65d7e636ddb5b8f6e6681dc\
//!     &api_key=123456789012345");
//! # Ok(()) };
//! ```

use crate::sign::option_or_config;
use crate::upload::{
    archive_params, get, multi_and_sprite_params, now_text, reject_duplicates, sign_params,
};
use crate::{Client, Error, Map, Result, Value};

/// Appends Python's `quote_plus(text)`: unreserved characters kept, space as `+`,
/// everything else as `%XX` of its UTF-8 bytes.
fn push_quote_plus(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

/// Python's `urlencode(params, doseq)`: with `doseq` a list (or any sized value)
/// repeats its key per item; without, every value is its `str()`.
fn urlencode(params: &Map, doseq: bool) -> String {
    let mut out = String::with_capacity(params.len() * 32);
    let mut first = true;
    let mut pair = |out: &mut String, k: &str, v: &str| {
        if !first {
            out.push('&');
        }
        first = false;
        push_quote_plus(out, k);
        out.push('=');
        push_quote_plus(out, v);
    };
    for (k, v) in params.iter() {
        match v {
            Value::List(items) if doseq => {
                for item in items {
                    pair(&mut out, k, &item.py_str());
                }
            }
            Value::Map(m) if doseq => {
                for key in m.keys() {
                    pair(&mut out, k, key);
                }
            }
            other => pair(&mut out, k, &other.py_str()),
        }
    }
    out
}

/// `bracketize_seq`: list-valued keys get a `[]` suffix.
fn bracketize(params: Map) -> Map {
    params
        .into_iter()
        .map(|(k, v)| match v {
            Value::List(_) => (format!("{k}[]"), v),
            other => (k, other),
        })
        .collect()
}

/// `{prefix}/v1_1/{cloud_name}/{path}` (pycloudinary's `base_api_url`).
fn base_api_url(client: &Client, path: &str, options: &Map) -> Result<String> {
    let prefix = match option_or_config(client, options, "upload_prefix") {
        // Joined with "/" in Python: anything but text raises.
        Some(v) if v.truthy() => v.str_for("upload_prefix")?.to_owned(),
        _ => "https://api.cloudinary.com".to_owned(),
    };
    let cloud = match option_or_config(client, options, "cloud_name") {
        Some(Value::Str(s)) if !s.is_empty() => s.clone(),
        Some(v) if v.truthy() => {
            return Err(Error::config_option(
                "cloud_name",
                format!("expected a string, found {}", v.type_name()),
            ))
        }
        _ => return Err(Error::config_option("cloud_name", "Must supply cloud_name")),
    };
    Ok(format!("{prefix}/v1_1/{cloud}/{path}"))
}

impl Client {
    /// `cloudinary_api_download_url`: `mode=download`, signed, `name[]` lists.
    fn api_download_url(&self, action: &str, mut params: Map, options: &Map) -> Result<String> {
        reject_duplicates(options, &[])?;
        params.insert("mode", "download");
        let signed = sign_params(self, params, options, None)?;
        let url = self.api_url(action, options)?;
        Ok(format!("{url}?{}", urlencode(&bracketize(signed), true)))
    }

    /// The signed URL that downloads a private or authenticated asset
    /// (options: `type`, `attachment`, `expires_at`, `resource_type`).
    pub fn private_download_url(
        &self,
        public_id: impl Into<Value>,
        format: impl Into<Value>,
        options: &Map,
    ) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => {
                return node::private_download_url(self, public_id.into(), format.into(), options)
            }
            crate::Profile::Php => {
                return php::private_download_url(self, &public_id.into(), &format.into(), options)
            }
            crate::Profile::Python | crate::Profile::Default => {}
        }
        reject_duplicates(options, &["public_id", "format"])?;
        let mut p = Map::with_capacity(6);
        p.insert("timestamp", now_text(self));
        p.insert("public_id", public_id.into());
        p.insert("format", format.into());
        for key in ["type", "attachment", "expires_at"] {
            p.insert(key, get(options, key).clone());
        }
        let signed = sign_params(self, p, options, None)?;
        let url = self.api_url("download", options)?;
        Ok(format!("{url}?{}", urlencode(&signed, false)))
    }

    /// The legacy signed URL that downloads every asset with `tag` as a ZIP (the
    /// options' transformation is applied to each).
    pub fn zip_download_url(&self, tag: impl Into<Value>, options: &Map) -> Result<String> {
        if self.profile() == crate::Profile::Node {
            return node::zip_download_url(self, tag.into(), options);
        }
        reject_duplicates(options, &["tag"])?;
        let mut p = Map::with_capacity(3);
        p.insert("timestamp", now_text(self));
        p.insert("tag", tag.into());
        p.insert(
            "transformation",
            crate::transform::transformation_string(self, options)?,
        );
        let signed = sign_params(self, p, options, None)?;
        let url = self.api_url("download_tag.zip", options)?;
        Ok(format!("{url}?{}", urlencode(&signed, false)))
    }

    /// The signed URL that generates and downloads an archive (archive options:
    /// `public_ids`, `tags`, `prefixes`, `target_format`, `flatten_folders`, ...).
    pub fn download_archive_url(&self, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => return node::download_archive_url(self, options),
            crate::Profile::Php => return php::download_archive_url(self, options),
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let params = archive_params(self, options)?;
        self.api_download_url("generate_archive", params, options)
    }

    /// [`Client::download_archive_url`] with `target_format: "zip"`.
    pub fn download_zip_url(&self, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => return node::download_zip_url(self, options),
            crate::Profile::Php => return php::download_zip_url(self, options),
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let mut opts = options.clone();
        opts.insert("target_format", "zip");
        self.download_archive_url(&opts)
    }

    /// The signed URL that downloads a folder as an archive (resource type `all`
    /// unless given).
    pub fn download_folder(&self, folder_path: impl Into<Value>, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => {
                return node::download_folder(self, folder_path.into(), options)
            }
            crate::Profile::Php => return php::download_folder(self, &folder_path.into(), options),
            crate::Profile::Python | crate::Profile::Default => {}
        }
        reject_duplicates(options, &["folder_path"])?;
        let mut opts = options.clone();
        opts.insert("prefixes", folder_path.into());
        if !opts.contains_key("resource_type") {
            opts.insert("resource_type", "all");
        }
        self.download_archive_url(&opts)
    }

    /// The signed URL that downloads a backed-up version of an asset (ids from the
    /// Admin API's `resource(..., versions=True)`).
    pub fn download_backedup_asset(
        &self,
        asset_id: impl Into<Value>,
        version_id: impl Into<Value>,
        options: &Map,
    ) -> Result<String> {
        if self.profile() == crate::Profile::Php {
            return php::download_backedup_asset(self, &asset_id.into(), &version_id.into());
        }
        if self.profile() == crate::Profile::Node {
            return node::download_backedup_asset(
                self,
                asset_id.into(),
                version_id.into(),
                options,
            );
        }
        reject_duplicates(options, &["asset_id", "version_id", "path"])?;
        let mut p = Map::with_capacity(3);
        let timestamp = match options.get("timestamp") {
            Some(v) => v.clone(),
            None => now_text(self),
        };
        p.insert("timestamp", timestamp);
        p.insert("asset_id", asset_id.into());
        p.insert("version_id", version_id.into());
        let signed = sign_params(self, p, options, None)?;
        let url = base_api_url(self, "download_backup", options)?;
        Ok(format!("{url}?{}", urlencode(&bracketize(signed), true)))
    }

    /// The signed URL that generates and downloads a sprite from a `tag` or `urls`.
    pub fn download_generated_sprite(
        &self,
        tag: impl Into<Value>,
        urls: impl Into<Value>,
        options: &Map,
    ) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => {
                return node::multi_or_sprite(self, "sprite", tag.into(), urls.into(), options)
            }
            crate::Profile::Php => {
                return php::multi_or_sprite(self, "sprite", &tag.into(), &urls.into(), options)
            }
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let params = multi_and_sprite_params(self, &tag.into(), &urls.into(), options)?;
        self.api_download_url("sprite", params, options)
    }

    /// The signed URL that generates and downloads a multi-page/animated file from a
    /// `tag` or `urls`.
    pub fn download_multi(
        &self,
        tag: impl Into<Value>,
        urls: impl Into<Value>,
        options: &Map,
    ) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => {
                return node::multi_or_sprite(self, "multi", tag.into(), urls.into(), options)
            }
            crate::Profile::Php => {
                return php::multi_or_sprite(self, "multi", &tag.into(), &urls.into(), options)
            }
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let params = multi_and_sprite_params(self, &tag.into(), &urls.into(), options)?;
        self.api_download_url("multi", params, options)
    }
}

/// Download URLs in the `node` profile: the npm SDK 2.11.0's `private_download_url`,
/// `zip_download_url`, `download_archive_url`, `download_zip_url`, `download_folder`,
/// `download_backedup_asset`, `download_generated_sprite` and `download_multi`.
///
/// Its rules: `timestamp` from the options when given, `false`/`0` sent (only empty
/// values are dropped), archive parameters without `batch_id`/`phash`, query strings in
/// the SDK's parameter order with `%20` for spaces (`querystring.stringify` for
/// `private_download_url`, `name[]` lists for the others), and `zip_download_url`
/// builds its transformation from (and so consumes) the call's options before reading
/// the URL settings from what is left.
mod node {
    use crate::transform::js;
    use crate::upload::node::{
        archive_list, multi_and_sprite_list, multi_sprite_args, sign_request,
    };
    use crate::{Client, Map, Result, Value};

    /// `querystring.escape(String(v))`.
    fn escape(v: &Value) -> String {
        js::encode_uri_component(&js::string(v))
    }

    /// `querystring.stringify(params)`: lists repeat the key; values that are not
    /// texts, finite numbers or booleans print as nothing.
    fn stringify(params: &Map) -> String {
        let prim = |v: &Value| match v {
            Value::Str(_) | Value::Int(_) | Value::Bool(_) => escape(v),
            Value::Float(f) if f.is_finite() => escape(v),
            _ => String::new(),
        };
        let mut parts = Vec::new();
        for (k, v) in params.iter() {
            let key = js::encode_uri_component(k);
            match v {
                Value::List(items) => {
                    for item in items {
                        parts.push(format!("{key}={}", prim(item)));
                    }
                }
                other => parts.push(format!("{key}={}", prim(other))),
            }
        }
        parts.join("&")
    }

    /// `hashToQuery(params)`: lists as `name[]`, every value as `String(v)`.
    fn hash_to_query(params: &Map) -> String {
        let mut parts = Vec::new();
        for (k, v) in params.iter() {
            match v {
                Value::List(items) => {
                    let key = if k.ends_with("[]") {
                        k.clone()
                    } else {
                        format!("{k}[]")
                    };
                    for item in items {
                        parts.push(format!(
                            "{}={}",
                            js::encode_uri_component(&key),
                            escape(item)
                        ));
                    }
                }
                other => parts.push(format!("{}={}", js::encode_uri_component(k), escape(other))),
            }
        }
        parts.join("&")
    }

    fn timestamp(client: &Client, options: &Map) -> Value {
        options
            .get("timestamp")
            .filter(|v| js::truthy(Some(v)))
            .cloned()
            .unwrap_or(Value::Int(client.now()))
    }

    fn opt(options: &Map, k: &str) -> Option<Value> {
        options.get(k).cloned()
    }

    pub(super) fn private_download_url(
        client: &Client,
        public_id: Value,
        format: Value,
        options: &Map,
    ) -> Result<String> {
        let params = vec![
            ("timestamp".to_owned(), Some(timestamp(client, options))),
            ("public_id".to_owned(), Some(public_id)),
            ("format".to_owned(), Some(format)),
            ("type".to_owned(), opt(options, "type")),
            ("attachment".to_owned(), opt(options, "attachment")),
            ("expires_at".to_owned(), opt(options, "expires_at")),
        ];
        let signed = sign_request(client, params, options)?;
        let url = client.api_url("download", options)?;
        Ok(format!("{url}?{}", stringify(&signed)))
    }

    pub(super) fn zip_download_url(client: &Client, tag: Value, options: &Map) -> Result<String> {
        let ts = timestamp(client, options);
        // The transformation consumes the options the rest of the call reads.
        let mut options = options.clone();
        let transformation = crate::transform::node::generate(client.config(), &mut options, 0)?;
        let params = vec![
            ("timestamp".to_owned(), Some(ts)),
            ("tag".to_owned(), Some(tag)),
            (
                "transformation".to_owned(),
                Some(Value::Str(transformation)),
            ),
        ];
        let signed = sign_request(client, params, &options)?;
        let url = client.api_url("download_tag.zip", &options)?;
        Ok(format!("{url}?{}", hash_to_query(&signed)))
    }

    /// `api_download_url(action, params, options)`.
    fn api_download_url(
        client: &Client,
        action: &str,
        mut params: Vec<(String, Option<Value>)>,
        options: &Map,
    ) -> Result<String> {
        match params.iter_mut().find(|(k, _)| k == "mode") {
            Some(slot) => slot.1 = Some(Value::from("download")),
            None => params.push(("mode".to_owned(), Some(Value::from("download")))),
        }
        let signed = sign_request(client, params, options)?;
        let url = client.api_url(action, options)?;
        Ok(format!("{url}?{}", hash_to_query(&signed)))
    }

    pub(super) fn download_archive_url(client: &Client, options: &Map) -> Result<String> {
        let mut merged = options.clone();
        merged.insert("mode", "download");
        let params = archive_list(client, &merged)?;
        api_download_url(client, "generate_archive", params, options)
    }

    pub(super) fn download_zip_url(client: &Client, options: &Map) -> Result<String> {
        let mut merged = options.clone();
        merged.insert("target_format", "zip");
        download_archive_url(client, &merged)
    }

    pub(super) fn download_folder(
        client: &Client,
        folder_path: Value,
        options: &Map,
    ) -> Result<String> {
        let mut options = options.clone();
        // `options.resource_type = options.resource_type || "all"`.
        let rt = options
            .get("resource_type")
            .filter(|v| js::truthy(Some(v)))
            .cloned()
            .unwrap_or_else(|| Value::from("all"));
        options.insert("resource_type", rt);
        options.insert("prefixes", folder_path);
        let mut merged = options.clone();
        merged.insert("mode", "download");
        let params = archive_list(client, &merged)?;
        let signed = sign_request(client, params, &options)?;
        let url = client.api_url("generate_archive", &options)?;
        Ok(format!("{url}?{}", hash_to_query(&signed)))
    }

    pub(super) fn download_backedup_asset(
        client: &Client,
        asset_id: Value,
        version_id: Value,
        options: &Map,
    ) -> Result<String> {
        let params = vec![
            ("timestamp".to_owned(), Some(timestamp(client, options))),
            ("asset_id".to_owned(), Some(asset_id)),
            ("version_id".to_owned(), Some(version_id)),
        ];
        let signed = sign_request(client, params, options)?;
        let url = crate::url::node::api_url(client, &[Value::from("download_backup")], options)?;
        Ok(format!("{url}?{}", hash_to_query(&signed)))
    }

    pub(super) fn multi_or_sprite(
        client: &Client,
        action: &str,
        tag: Value,
        urls: Value,
        options: &Map,
    ) -> Result<String> {
        let (first, call_options) = multi_sprite_args(&tag, &urls, options);
        let params = multi_and_sprite_list(client, &first, &call_options)?;
        api_download_url(client, action, params, &call_options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_plus_like_python() {
        let mut s = String::new();
        push_quote_plus(&mut s, "a b/c:d~é&");
        assert_eq!(s, "a+b%2Fc%3Ad~%C3%A9%26");
    }

    #[test]
    fn a_secret_or_prefix_that_is_not_text_is_an_error() {
        // Python concatenates them with strings, which raises for anything else.
        let client = Client::from_url("cloudinary://key:secret@demo").unwrap();
        let opts = |json: &str| -> Map { serde_json::from_str(json).unwrap() };
        for bad in [
            r#"{"api_secret": [0, 1]}"#,
            r#"{"api_secret": 7}"#,
            r#"{"upload_prefix": [1]}"#,
        ] {
            let e = client
                .private_download_url("id", "png", &opts(bad))
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidOption, "{bad}: {e}");
        }
        assert!(client
            .private_download_url("id", "png", &opts("{}"))
            .is_ok());
        let e = client
            .download_backedup_asset("a", "v", &opts(r#"{"upload_prefix": {"x": 1}}"#))
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidOption, "{e}");
    }

    #[test]
    fn urlencode_lists() {
        let m: Map = serde_json::from_str(r#"{"a[]": ["x", "y"], "b": 1, "c": ["z"]}"#).unwrap();
        assert_eq!(urlencode(&m, true), "a%5B%5D=x&a%5B%5D=y&b=1&c=z");
        assert_eq!(
            urlencode(&m, false),
            "a%5B%5D=%5B%27x%27%2C+%27y%27%5D&b=1&c=%5B%27z%27%5D"
        );
    }
}

/// Download URLs in the `php` profile: cloudinary_php 3.1.2's `UploadApi`
/// `privateDownloadUrl`, `downloadArchiveUrl`, `downloadZipUrl`, `downloadFolder` and
/// `downloadBackedupAsset` (its `ArchiveTrait`).
///
/// Its rules: parameters in the SDK's order (the call's options in their own order,
/// then the list parameters, then `timestamp`, `signature`, `api_key`), a `timestamp`
/// option ignored (its value replaced by the clock's, its position kept), booleans
/// as `1`/`0`, empty values dropped, `http_build_query` encoding (`+` for spaces,
/// `%5B%5D` for list brackets, and any `[digits]` in a value rewritten to `[]` too: a
/// PHP SDK bug kept), the endpoint from the configuration only (`upload_prefix`,
/// `cloud_name`: an empty cloud name gives `v1_1//`), the signature per
/// `ApiUtils::signParameters`, and the PHP SDK's typed `string` arguments (null or an
/// array is a `TypeError`). `downloadBackedupAsset` takes no options.
mod php {
    use crate::php;
    use crate::{Client, Error, Map, Result, Value};

    /// `buildArchiveParams`'s simple parameters.
    const SIMPLE: &[&str] = &[
        "allow_missing",
        "asset_id",
        "async",
        "expires_at",
        "flatten_folders",
        "flatten_transformations",
        "keep_derived",
        "mode",
        "notification_url",
        "phash",
        "skip_transformation_name",
        "target_format",
        "target_public_id",
        "target_tags",
        "timestamp",
        "type",
        "use_original_filename",
        "version_id",
    ];

    /// `buildArchiveParams`'s list parameters.
    const LISTS: &[&str] = &[
        "prefixes",
        "public_ids",
        "fully_qualified_public_ids",
        "tags",
        "target_tags",
    ];

    /// A typed `string` argument of the SDK's public API (weak typing).
    fn string_arg(method: &str, name: &str, v: &Value) -> Result<String> {
        match v {
            Value::Null | Value::List(_) | Value::Map(_) => Err(Error::invalid_option(
                name,
                format!(
                    "TypeError: UploadApi::{method}(): Argument (${name}) must be of type string, {} given",
                    v.type_name()
                ),
            )),
            other => Ok(php::string(other).unwrap_or_default()),
        }
    }

    /// `ApiUtils::finalizeUploadApiParams`: `timestamp` set to now, booleans as
    /// `1`/`0`, empty values dropped.
    fn finalize(client: &Client, mut params: Map) -> Map {
        params.insert("timestamp", Value::Int(client.now()));
        params
            .into_iter()
            .filter_map(|(k, v)| {
                let v = match v {
                    Value::Bool(b) => Value::from(if b { "1" } else { "0" }),
                    other => other,
                };
                php::safe_keep(&v).then_some((k, v))
            })
            .collect()
    }

    /// `ArrayUtils::build`: null is empty, a list stays, anything else is wrapped.
    fn build(v: Option<&Value>) -> Value {
        match v {
            None | Some(Value::Null) => Value::List(Vec::new()),
            Some(l @ Value::List(_)) => l.clone(),
            Some(other) => Value::List(vec![other.clone()]),
        }
    }

    fn archive_params(client: &Client, options: &Map) -> Result<Map> {
        let mut params: Map = options
            .iter()
            .filter(|(k, _)| SIMPLE.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for key in LISTS {
            params.insert(*key, build(options.get(key)));
        }
        let mut parts = Vec::new();
        if let Value::List(items) = build(options.get("transformations")) {
            for item in &items {
                let text = asset_transformation(client, item)?;
                if !text.is_empty() {
                    parts.push(text);
                }
            }
        }
        let transformations = Value::from(parts.join("|"));
        params.insert("transformations", transformations);
        Ok(finalize(client, params))
    }

    /// One item of `ApiUtils::serializeAssetTransformations`: a text as it is, a map
    /// as its transformation with `format` as a `/<format>` suffix. (Approximation:
    /// the map's qualifiers are rendered by the python rules, which agree with the PHP
    /// SDK for the qualifiers the corpus's archive cases use.)
    fn asset_transformation(client: &Client, item: &Value) -> Result<String> {
        match item {
            Value::Map(m) => {
                let mut m = m.clone();
                let format = m.remove("format");
                let mut text = crate::transform::transformation_string(client, &m)?;
                if let Some(f) = format
                    .as_ref()
                    .and_then(php::string)
                    .filter(|f| !f.is_empty())
                {
                    text.push('/');
                    text.push_str(&f);
                }
                Ok(text)
            }
            Value::Null => Ok(String::new()),
            Value::List(_) => Err(Error::invalid_option(
                "transformations",
                "TypeError: a transformation must be a text or a map",
            )),
            other => Ok(php::string(other).unwrap_or_default()),
        }
    }

    /// `ApiUtils::signRequest`: `signature` and `api_key` appended.
    fn sign(client: &Client, mut params: Map) -> Result<Map> {
        let config = client.config();
        let secret = match config.get("api_secret") {
            Some(v @ (Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_))) => {
                php::string(v).unwrap_or_default()
            }
            _ => {
                return Err(Error::config_option(
                    "api_secret",
                    "TypeError: ApiUtils::signParameters(): Argument #2 ($secret) must be of type string, null given",
                ))
            }
        };
        let algorithm = match config.get("signature_algorithm") {
            None | Some(Value::Null) => "sha1".to_owned(),
            Some(v) => php::string(v).unwrap_or_default(),
        };
        let version = match config.get("signature_version") {
            None | Some(Value::Null) => 2,
            Some(v) => php::number(v, "signature_version")? as u32,
        };
        let signature = crate::sign::api_sign_request_php(&params, &secret, &algorithm, version)?;
        params.insert("signature", signature);
        params.insert(
            "api_key",
            config.get("api_key").cloned().unwrap_or(Value::Null),
        );
        Ok(params)
    }

    /// `UploadApi::getUploadUrl($assetType, $endPoint, $params)`.
    fn upload_url(
        client: &Client,
        asset_type: Option<&Value>,
        action: &str,
        params: &Map,
    ) -> String {
        let config = client.config();
        let setting = |name: &str, default: &str| match config.get(name) {
            None | Some(Value::Null) => default.to_owned(),
            Some(v) => php::string(v).unwrap_or_default(),
        };
        let mut url = format!(
            "{}/v1_1/{}/",
            setting("upload_prefix", "https://api.cloudinary.com"),
            setting("cloud_name", "")
        );
        if let Some(t) = asset_type.and_then(php::string).filter(|t| !t.is_empty()) {
            url.push_str(&t);
            url.push('/');
        }
        url.push_str(action);
        let query = http_build_query(params);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }

    /// PHP's `urlencode`: alphanumerics and `-_.` kept, space as `+`.
    fn urlencode(out: &mut String, text: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in text.as_bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' => out.push(b as char),
                b' ' => out.push('+'),
                _ => {
                    out.push('%');
                    out.push(HEX[(b >> 4) as usize] as char);
                    out.push(HEX[(b & 0xf) as usize] as char);
                }
            }
        }
    }

    fn push_pairs(out: &mut String, key: &str, v: &Value) {
        match v {
            Value::Null => {}
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    push_pairs(out, &format!("{key}%5B{i}%5D"), item);
                }
            }
            Value::Map(m) => {
                for (k, item) in m.iter() {
                    let mut sub = format!("{key}%5B");
                    urlencode(&mut sub, k);
                    sub.push_str("%5D");
                    push_pairs(out, &sub, item);
                }
            }
            other => {
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(key);
                out.push('=');
                let text = match other {
                    Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
                    o => php::string(o).unwrap_or_default(),
                };
                urlencode(out, &text);
            }
        }
    }

    /// `Utils::buildHttpQuery`: `http_build_query`, then every `%5B<digits>%5D` in the
    /// whole query (values included) rewritten as `%5B%5D`.
    fn http_build_query(params: &Map) -> String {
        let mut out = String::with_capacity(params.len() * 32);
        for (k, v) in params.iter() {
            let mut key = String::with_capacity(k.len());
            urlencode(&mut key, k);
            push_pairs(&mut out, &key, v);
        }
        collapse_indexes(&out)
    }

    fn collapse_indexes(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find("%5B") {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 3..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && after[digits..].starts_with("%5D") {
                out.push_str("%5B%5D");
                rest = &after[digits + 3..];
            } else {
                out.push_str("%5B");
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    pub(super) fn private_download_url(
        client: &Client,
        public_id: &Value,
        format: &Value,
        options: &Map,
    ) -> Result<String> {
        let public_id = string_arg("privateDownloadUrl", "publicId", public_id)?;
        let format = string_arg("privateDownloadUrl", "format", format)?;
        let mut p = Map::with_capacity(7);
        p.insert("public_id", public_id);
        p.insert("format", format);
        for key in ["type", "attachment", "expires_at"] {
            p.insert(key, options.get(key).cloned().unwrap_or(Value::Null));
        }
        let p = sign(client, finalize(client, p))?;
        let asset_type = options
            .get("resource_type")
            .cloned()
            .unwrap_or(Value::from("image"));
        Ok(upload_url(client, Some(&asset_type), "download", &p))
    }

    pub(super) fn download_archive_url(client: &Client, options: &Map) -> Result<String> {
        let mut options = options.clone();
        options.insert("mode", "download");
        let p = sign(client, archive_params(client, &options)?)?;
        let asset_type = options
            .get("resource_type")
            .cloned()
            .unwrap_or(Value::from("image"));
        Ok(upload_url(
            client,
            Some(&asset_type),
            "generate_archive",
            &p,
        ))
    }

    pub(super) fn download_zip_url(client: &Client, options: &Map) -> Result<String> {
        let mut options = options.clone();
        options.insert("target_format", "zip");
        download_archive_url(client, &options)
    }

    pub(super) fn download_folder(
        client: &Client,
        folder: &Value,
        options: &Map,
    ) -> Result<String> {
        let folder = string_arg("downloadFolder", "folderPath", folder)?;
        let mut options = options.clone();
        options.insert("prefixes", folder);
        let rt = options
            .get("resource_type")
            .cloned()
            .unwrap_or(Value::from("all"));
        options.insert("resource_type", rt);
        download_archive_url(client, &options)
    }

    /// `downloadGeneratedSprite` / `downloadMulti` (`buildSpriteAndMultiParams`): the
    /// options' `format`, `async`, `notification_url` and `transformation` (built from
    /// all the options, `format` as a last `f_<format>` component), then `urls` (when
    /// given) or `tag`,
    /// `mode=download`; endpoint `image/<action>`.
    pub(super) fn multi_or_sprite(
        client: &Client,
        action: &str,
        tag: &Value,
        urls: &Value,
        options: &Map,
    ) -> Result<String> {
        let mut options = options.clone();
        if !urls.is_null() {
            options.insert("urls", urls.clone());
        }
        let urls = options.get("urls").cloned().unwrap_or(Value::Null);
        if php::is_empty(tag) && php::is_empty(&urls) {
            return Err(Error::invalid_option(
                "tag",
                "Either tag or urls are required",
            ));
        }
        let mut t_opts = options.clone();
        let format = t_opts
            .remove("format")
            .and_then(|f| php::string(&f))
            .filter(|f| !f.is_empty());
        // The qualifiers are read as a delivery URL's are (typed, empty ones dropped).
        let t_opts = crate::php::qualifiers::qualifiers(&t_opts)?;
        let mut transformation = crate::transform::transformation_string(client, &t_opts)?;
        if let Some(format) = format {
            // `Transformation::format()` adds its own component.
            if !transformation.is_empty() {
                transformation.push('/');
            }
            transformation.push_str("f_");
            transformation.push_str(&format);
        }
        options.insert("transformation", transformation);
        let mut params: Map = options
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "format" | "async" | "notification_url" | "transformation"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !urls.is_null() {
            params.insert("urls", urls);
        } else {
            params.insert("tag", tag.clone());
        }
        params.insert("mode", "download");
        let p = sign(client, finalize(client, params))?;
        Ok(upload_url(client, Some(&Value::from("image")), action, &p))
    }

    pub(super) fn download_backedup_asset(
        client: &Client,
        asset_id: &Value,
        version_id: &Value,
    ) -> Result<String> {
        let mut options = Map::with_capacity(2);
        options.insert(
            "asset_id",
            string_arg("downloadBackedupAsset", "assetId", asset_id)?,
        );
        options.insert(
            "version_id",
            string_arg("downloadBackedupAsset", "versionId", version_id)?,
        );
        let p = sign(client, archive_params(client, &options)?)?;
        Ok(upload_url(client, None, "download_backup", &p))
    }
}
