//! The Admin, search and provisioning calls of the [`crate::calls`] catalogue over
//! HTTP: Basic, OAuth or provisioning authentication, pycloudinary's encoding (query
//! string for `GET`, JSON otherwise, multipart for `visual_search`), pagination and
//! rate-limit information on every answer.

use std::collections::HashSet;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use super::errors::{ApiError, ApiErrorKind};
use super::response::ApiResponse;
use super::retry::RetryPolicy;
use super::transport::{
    call_max_response_bytes, call_timeout, guess_mime, transport, Body, FileData, FilePayload,
    MultipartBody, Request,
};
use crate::calls::{Auth, Encoding, Prepared, Root};
use crate::{Client, Map, Value};

/// The Admin API and search calls [`Client::admin`] sends, by SDK name: every
/// network row of the [`crate::calls`] catalogue outside the Upload API and the
/// Provisioning API (the catalogue test keeps this list equal to it).
pub const ADMIN_CALLS: &[&str] = &[
    "ping",
    "usage",
    "config",
    "resource_types",
    "resources",
    "resources_by_tag",
    "resources_by_context",
    "resources_by_moderation",
    "resources_by_ids",
    "resources_by_asset_ids",
    "resources_by_asset_folder",
    "resource",
    "resource_by_asset_id",
    "update",
    "restore",
    "restore_by_asset_ids",
    "delete_resources",
    "delete_resources_by_prefix",
    "delete_all_resources",
    "delete_resources_by_tag",
    "delete_resources_by_asset_ids",
    "delete_derived_resources",
    "delete_derived_by_transformation",
    "delete_backed_up_assets",
    "add_related_assets",
    "add_related_assets_by_asset_ids",
    "delete_related_assets",
    "delete_related_assets_by_asset_ids",
    "publish_by_ids",
    "publish_by_prefix",
    "publish_by_tag",
    "update_resources_access_mode_by_ids",
    "update_resources_access_mode_by_tag",
    "update_resources_access_mode_by_prefix",
    "tags",
    "root_folders",
    "subfolders",
    "create_folder",
    "rename_folder",
    "delete_folder",
    "upload_presets",
    "upload_preset",
    "create_upload_preset",
    "update_upload_preset",
    "delete_upload_preset",
    "upload_mappings",
    "upload_mapping",
    "create_upload_mapping",
    "update_upload_mapping",
    "delete_upload_mapping",
    "transformations",
    "transformation",
    "create_transformation",
    "update_transformation",
    "delete_transformation",
    "list_streaming_profiles",
    "get_streaming_profile",
    "create_streaming_profile",
    "update_streaming_profile",
    "delete_streaming_profile",
    "list_metadata_fields",
    "metadata_field_by_field_id",
    "add_metadata_field",
    "update_metadata_field",
    "delete_metadata_field",
    "update_metadata_field_datasource",
    "delete_datasource_entries",
    "restore_metadata_field_datasource",
    "reorder_metadata_field_datasource",
    "reorder_metadata_fields",
    "list_metadata_rules",
    "add_metadata_rule",
    "update_metadata_rule",
    "delete_metadata_rule",
    "triggers",
    "create_trigger",
    "update_trigger",
    "delete_trigger",
    "test_trigger",
    "notifications",
    "ack_notifications",
    "analyze",
    "call_api",
    "search",
    "search_folders",
    "visual_search",
];

/// An API request before sending: verb, where the path starts, path segments after
/// that root, parameters and how they travel.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminRequest {
    /// The HTTP verb.
    pub method: Method,
    /// Where the path starts (`v1_1/{cloud_name}`, `v2/...`, provisioning).
    pub root: Root,
    /// Path segments after the root (unescaped; a `/` inside one stays a separator,
    /// as in Python).
    pub path: Vec<String>,
    /// Parameters: the query string of a `GET`, the body otherwise.
    pub params: Map,
    /// How the parameters travel.
    pub encoding: Encoding,
    /// How the request authenticates.
    pub auth: Auth,
}

impl AdminRequest {
    fn from_prepared(p: Prepared) -> Result<Self, ApiError> {
        let method = Method::from_bytes(p.method.as_bytes()).map_err(|_| {
            ApiError::from(crate::Error::invalid_option(
                "method",
                format!("not an HTTP method: {:?}", p.method),
            ))
        })?;
        Ok(AdminRequest {
            method,
            root: p.root,
            path: p.path,
            params: p.params,
            encoding: p.encoding,
            auth: p.auth,
        })
    }
}

/// The request of the network call `name` of the [`crate::calls`] catalogue (an Admin
/// API, search or provisioning row), with positional arguments by name in `args`
/// (`public_id`, `tag`, `path`, ...) and keyword options. Transformations in the
/// arguments are rendered with an empty configuration; [`Client::admin_request`] uses
/// the client's.
pub fn admin_request(name: &str, args: &Map, options: &Map) -> Result<AdminRequest, ApiError> {
    Client::new(crate::Config::new().with("analytics", false)).admin_request(name, args, options)
}

/// The API host and version root of a request: `{upload_prefix}/v1_1/{cloud_name}`,
/// `.../v2/...` or `.../v1_1/provisioning[/accounts/{account_id}]`.
fn root_url(client: &Client, root: Root, options: &Map) -> Result<String, ApiError> {
    let config = client.config();
    let get = |k: &str| {
        options
            .get(k)
            .or_else(|| config.get(k))
            .filter(|v| v.truthy())
    };
    let prefix = match get("upload_prefix") {
        Some(v) => v.str_for("upload_prefix")?.to_owned(),
        None => "https://api.cloudinary.com".to_owned(),
    };
    let named = |key: &str| -> Result<String, ApiError> {
        match get(key) {
            Some(v) => Ok(escape_path(&unquote(v.str_for(key)?))),
            None => Err(crate::Error::config_option(key, format!("Must supply {key}")).into()),
        }
    };
    Ok(match root {
        Root::Cloud => format!("{prefix}/v1_1/{}", named("cloud_name")?),
        Root::CloudV2 => format!("{prefix}/v2/{}", named("cloud_name")?),
        Root::Module(m) => format!("{prefix}/v2/{m}/{}", named("cloud_name")?),
        Root::Account => format!(
            "{prefix}/v1_1/provisioning/accounts/{}",
            named("account_id")?
        ),
        Root::Provisioning => format!("{prefix}/v1_1/provisioning"),
    })
}

/// Python's `urllib.parse.unquote`: `%XX` sequences decoded (invalid ones kept), the
/// bytes read as UTF-8 with replacement characters.
fn unquote(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn text(v: &Value) -> String {
    v.py_str().into_owned()
}

/// A path value as it goes into the URL: unquoted then escaped as pycloudinary does, and
/// a `.` or `..` component (a public id such as `../x`) with its dots escaped, so URL
/// normalisation cannot turn it into another endpoint.
fn path_segment(value: &str) -> String {
    let escaped = escape_path(&unquote(value));
    escaped
        .split('/')
        .map(|c| match c {
            "." => "%2E",
            ".." => "%2E%2E",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Escapes a path as pycloudinary does: everything but `A-Za-z0-9_.-/:`.
fn escape_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'/' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Form-encodes a query component as Python's `quote_plus` does: space as `+`, only
/// `A-Za-z0-9_.-~` kept.
fn form_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
}

fn query_value(v: &Value) -> String {
    match v {
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        v => text(v),
    }
}

/// The query string of a `GET`: lists as repeated `name[]` (`fields` comma-joined),
/// booleans as `true`/`false`, empty values dropped.
pub fn query_string(params: &Map) -> String {
    let mut out = String::new();
    let mut push = |k: &str, v: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        form_encode(k, &mut out);
        out.push('=');
        form_encode(v, &mut out);
    };
    for (k, v) in params.iter() {
        match v {
            Value::Null => {}
            Value::Str(s) if s.is_empty() => {}
            Value::List(items) if k == "fields" => {
                let joined: Vec<String> = items.iter().map(text).collect();
                push(k, &joined.join(","));
            }
            Value::List(items) => {
                let name = if k.ends_with("[]") {
                    k.clone()
                } else {
                    format!("{k}[]")
                };
                for i in items {
                    push(&name, &query_value(i));
                }
            }
            Value::Map(_) => push(k, &serde_json::to_string(v).unwrap_or_default()),
            v => push(k, &query_value(v)),
        }
    }
    out
}

/// The `Authorization` header of a request: `Bearer <oauth_token>` or Basic
/// `api_key:api_secret` for the product environment's APIs, Basic
/// `provisioning_api_key:provisioning_api_secret` for the Provisioning API, none for
/// public endpoints. Marked sensitive (never logged).
fn authorization(
    client: &Client,
    auth: Auth,
    options: &Map,
) -> Result<Option<HeaderValue>, ApiError> {
    let get = |k: &str| {
        options
            .get(k)
            .or_else(|| client.config().get(k))
            .filter(|v| v.truthy())
    };
    let need = |k: &str| {
        get(k).ok_or_else(|| {
            ApiError::from(crate::Error::config_option(k, format!("Must supply {k}")))
        })
    };
    let basic = |key: &Value, secret: &Value| {
        let raw = format!("{}:{}", text(key), text(secret));
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    };
    let value = match auth {
        Auth::None => return Ok(None),
        Auth::Provisioning => basic(
            need("provisioning_api_key")?,
            need("provisioning_api_secret")?,
        ),
        Auth::Basic | Auth::Signature => match get("oauth_token") {
            Some(token) => format!("Bearer {}", text(token)),
            None => basic(need("api_key")?, need("api_secret")?),
        },
    };
    let mut v = HeaderValue::from_str(&value).map_err(|_| {
        ApiError::from(crate::Error::config(
            "the credentials contain characters not allowed in a header",
        ))
    })?;
    v.set_sensitive(true);
    Ok(Some(v))
}

/// The multipart fields of a `visual_search`-style form (pycloudinary's
/// `normalize_params` then `process_params`: `None` and `""` dropped, booleans
/// `true`/`false`, lists as `name[0]`, `name[1]`, ...), and the local file named by
/// `file_key`, if its value is a path rather than a remote URL.
fn multipart_fields(params: &Map, file_key: &str) -> (Vec<(String, String)>, Option<String>) {
    let mut fields = Vec::new();
    let mut file = None;
    for (k, v) in crate::calls::normalize_params(params.clone()) {
        match v {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    fields.push((format!("{k}[{i}]"), text(item)));
                }
            }
            Value::Str(s) if k == file_key && !crate::upload::is_remote_url(&s) => file = Some(s),
            Value::Map(_) => fields.push((k, crate::calls::python_json(&v, false, false))),
            other => fields.push((k, text(&other))),
        }
    }
    (fields, file)
}

/// The field of a multipart Admin API form that names a local file to attach.
const FORM_FILE: &str = "image_file";

/// A request ready to send (or record): URL with its query, headers, body.
pub(crate) struct Ready {
    pub(crate) url: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Body,
    /// The JSON body or the form fields, as recorded by [`Client::call_request`].
    pub(crate) shown: Value,
}

impl Client {
    /// The request of the network call `name` of the [`crate::calls`] catalogue (see
    /// [`admin_request`]), with transformations rendered by this client.
    pub fn admin_request(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<AdminRequest, ApiError> {
        let row = crate::calls::lookup(name)?;
        let prepared = crate::calls::build_request(self, row, args, options)?;
        AdminRequest::from_prepared(prepared)
    }

    /// The URL, headers and body of an [`AdminRequest`] (a local file to attach is
    /// only measured here, and streamed when sent).
    pub(crate) fn ready_admin(&self, req: &AdminRequest, options: &Map) -> Result<Ready, ApiError> {
        let mut url = root_url(self, req.root, options)?;
        for seg in &req.path {
            url.push('/');
            url.push_str(&path_segment(seg));
        }
        let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
        if let Some(auth) = authorization(self, req.auth, options)? {
            headers.push((reqwest::header::AUTHORIZATION, auth));
        }
        let (body, shown) = match req.encoding {
            Encoding::Query => {
                let q = query_string(&req.params);
                if !q.is_empty() {
                    url.push('?');
                    url.push_str(&q);
                }
                (Body::Empty, Value::Null)
            }
            Encoding::Json => {
                let json = serde_json::to_vec(&Value::Map(req.params.clone()))
                    .map_err(|e| ApiError::new(ApiErrorKind::Invalid, e.to_string()))?;
                (
                    Body::Json(Bytes::from(json)),
                    Value::Map(req.params.clone()),
                )
            }
            Encoding::Multipart => {
                let (fields, file) = multipart_fields(&req.params, FORM_FILE);
                let mut shown: Vec<Value> = fields
                    .iter()
                    .map(|(k, v)| Value::List(vec![k.as_str().into(), v.as_str().into()]))
                    .collect();
                let payload = match file {
                    None => None,
                    Some(path) => {
                        let len = std::fs::metadata(&path)
                            .map_err(|e| ApiError::io(&format!("cannot read {path}"), &e))?
                            .len();
                        // pycloudinary names the part's file `file`.
                        let filename = "file".to_owned();
                        shown.push(Value::List(vec![
                            FORM_FILE.into(),
                            Value::Map(Map::from_iter([("file", filename.as_str())])),
                        ]));
                        Some(FilePayload {
                            mime: guess_mime(&path),
                            filename,
                            data: FileData::Range {
                                path: Arc::new(std::path::PathBuf::from(path)),
                                start: 0,
                                len,
                            },
                        })
                    }
                };
                let body = Body::Multipart(Arc::new(MultipartBody {
                    fields,
                    file: payload,
                    file_field: FORM_FILE,
                }));
                (body, Value::List(shown))
            }
        };
        if let Some(Value::Map(extra)) = options
            .get("extra_headers")
            .or_else(|| self.config().get("extra_headers"))
        {
            for (k, v) in extra.iter() {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::from_bytes(k.as_bytes()),
                    HeaderValue::from_str(&text(v)),
                ) {
                    headers.push((n, v));
                }
            }
        }
        Ok(Ready {
            url,
            headers,
            body,
            shown,
        })
    }

    /// Sends an [`AdminRequest`] (auth, encoding, retries on transient failures,
    /// timeouts of `options`).
    pub async fn send_admin(
        &self,
        req: &AdminRequest,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let ready = self.ready_admin(req, options)?;
        let request = Request {
            method: req.method.clone(),
            url: ready.url,
            headers: ready.headers,
            body: ready.body,
            timeout: call_timeout(options)?,
            max_response_bytes: call_max_response_bytes(options)?,
        };
        let policy = RetryPolicy::from_options(self, options)?;
        transport(self)?.send(&request, &policy, None).await
    }

    /// Calls the network call `name` of the [`crate::calls`] catalogue (see
    /// [`ADMIN_CALLS`]; Upload API and provisioning rows work too) with positional
    /// arguments by name in `args` and keyword `options`.
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), cldkit::api::ApiError> {
    /// let client = cldkit::Client::from_env()?;
    /// let args = cldkit::Map::from_iter([("public_id", "sample")]);
    /// let r = client.admin("resource", &args, &cldkit::Map::new()).await?;
    /// println!("{:?} {:?}", r.body, r.rate_limit);
    /// # Ok(()) }
    /// ```
    pub async fn admin(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        self.call_response(name, args, options).await
    }

    /// [`Client::admin`] for synchronous callers.
    pub fn admin_blocking(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        transport(self)?
            .runtime
            .block_on(self.admin(name, args, options), self.interrupt.as_ref())?
    }

    /// The pages of a list call, following `next_cursor`. Paging stops with an
    /// [`ApiErrorKind::Response`] error, in place of the request that would repeat
    /// one, when the server answers with a `next_cursor` it gave before (or the one
    /// paging started from): a misbehaving server cannot keep it looping.
    pub fn pages(&self, name: &str, args: &Map, options: &Map) -> Pages {
        let start = [
            options.get("next_cursor"),
            options
                .get("query")
                .and_then(Value::as_map)
                .and_then(|q| q.get("next_cursor")),
        ];
        let seen = start
            .into_iter()
            .flatten()
            .filter(|v| v.truthy())
            .map(text)
            .collect();
        Pages {
            client: self.clone(),
            name: name.into(),
            args: args.clone(),
            options: Arc::new(options.clone()),
            cursor: None,
            done: false,
            seen,
            repeated: None,
            fetched: 0,
        }
    }
}

/// Pages of an Admin list call: [`Pages::next_page`] for async code, or iterate
/// (blocking) from synchronous code.
#[derive(Debug)]
pub struct Pages {
    client: Client,
    name: String,
    args: Map,
    options: Arc<Map>,
    cursor: Option<String>,
    done: bool,
    /// Every `next_cursor` met so far (and the starting one).
    seen: HashSet<String>,
    /// The error to give in place of the request that would repeat a cursor.
    repeated: Option<ApiError>,
    /// Pages answered so far.
    fetched: u64,
}

impl Pages {
    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Option<Result<ApiResponse, ApiError>> {
        if self.done {
            return None;
        }
        if let Some(e) = self.repeated.take() {
            self.done = true;
            return Some(Err(e));
        }
        let mut opts = (*self.options).clone();
        if let Some(c) = &self.cursor {
            opts.insert("next_cursor", c.clone());
            if let Some(Value::Map(q)) = opts.get_mut("query") {
                q.insert("next_cursor", c.clone());
            }
        }
        let r = self.client.admin(&self.name, &self.args, &opts).await;
        match &r {
            Ok(resp) => {
                self.fetched += 1;
                self.cursor = resp.next_cursor().map(str::to_owned);
                self.done = self.cursor.is_none();
                if let Some(c) = &self.cursor {
                    if !self.seen.insert(c.clone()) {
                        self.cursor = None;
                        self.repeated = Some(
                            ApiError::new(
                                ApiErrorKind::Response,
                                format!(
                                    "the server answered page {} of `{}` with a `next_cursor` \
                                     it had already given; paging stopped to avoid an endless \
                                     loop",
                                    self.fetched, self.name
                                ),
                            )
                            .with_request_id(resp.request_id.clone()),
                        );
                    }
                }
            }
            Err(_) => self.done = true,
        }
        Some(r)
    }
}

impl Iterator for Pages {
    type Item = Result<ApiResponse, ApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        let t = match transport(&self.client) {
            Ok(t) => t,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let interrupt = self.client.interrupt.clone();
        match t.runtime.block_on(self.next_page(), interrupt.as_ref()) {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// A search query builder (`Search()` / `SearchFolders()` in the SDKs).
///
/// ```
/// let q = cldkit::api::Search::new()
///     .expression("resource_type:image AND tags=kitten")
///     .sort_by("public_id", "desc")
///     .max_results(30)
///     .with_field("context");
/// assert_eq!(
///     serde_json::to_string(&q.to_map()).unwrap(),
///     r#"{"expression":"resource_type:image AND tags=kitten","sort_by":[{"public_id":"desc"}],"max_results":30,"with_field":["context"]}"#
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    query: Map,
    folders: bool,
    ttl: Option<i64>,
}

impl Search {
    /// An empty resource search.
    pub fn new() -> Self {
        Search::default()
    }

    /// An empty folder search (`/folders/search`).
    pub fn folders() -> Self {
        Search {
            folders: true,
            ..Search::default()
        }
    }

    /// Sets the expression.
    pub fn expression(mut self, e: &str) -> Self {
        self.query.insert("expression", e);
        self
    }

    /// Adds a sort field with its direction (`asc` or `desc`).
    pub fn sort_by(self, field: &str, direction: &str) -> Self {
        let item = Value::Map(Map::from_iter([(field, direction)]));
        self.push("sort_by", item)
    }

    /// Sets the page size.
    pub fn max_results(mut self, n: i64) -> Self {
        self.query.insert("max_results", n);
        self
    }

    /// Sets the cursor of the page to fetch.
    pub fn next_cursor(mut self, c: &str) -> Self {
        self.query.insert("next_cursor", c);
        self
    }

    /// Adds an aggregation.
    pub fn aggregate(self, a: &str) -> Self {
        self.push("aggregate", a.into())
    }

    /// Adds a `with_field` (`context`, `tags`, `metadata`, ...).
    pub fn with_field(self, f: &str) -> Self {
        self.push("with_field", f.into())
    }

    /// Adds a returned field.
    pub fn fields(self, f: &str) -> Self {
        self.push("fields", f.into())
    }

    /// Sets the time to live of [`Search::to_url`] URLs, in seconds (default 300).
    pub fn ttl(mut self, seconds: i64) -> Self {
        self.ttl = Some(seconds);
        self
    }

    fn push(mut self, key: &str, item: Value) -> Self {
        match self.query.get_mut(key) {
            Some(Value::List(l)) => l.push(item),
            _ => {
                self.query.insert(key, Value::List(vec![item]));
            }
        }
        self
    }

    /// The JSON body, as pycloudinary's `as_dict()`: a field sorted twice keeps its
    /// first place and its last direction; repeated aggregations (by `type`),
    /// `with_field` and `fields` entries are folded.
    pub fn to_map(&self) -> Map {
        crate::calls::search_query(&self.query)
    }

    /// The signed, cacheable URL of this search on the delivery host (pycloudinary's
    /// `to_url`): `<prefix>/search/<signature>/<ttl>/<base64url query>[/<cursor>]`,
    /// the query's compact JSON with sorted keys and without `next_cursor` (which moves
    /// to the path: `next_cursor` here, else the query's), signed with SHA-256 over
    /// `ttl`, the encoded query and the `api_secret`. `ttl` defaults to
    /// [`Search::ttl`], else 300 s; `options` may override the URL settings
    /// (`secure`, `cname`, `private_cdn`, `secure_distribution`, `cloud_name`,
    /// `api_secret`, ...).
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://k:s@demo").unwrap();
    /// let url = cldkit::api::Search::new()
    ///     .expression("resource_type:image")
    ///     .max_results(10)
    ///     .to_url(&client, Some(1000), None, &cldkit::Map::new())
    ///     .unwrap();
    /// assert!(url.starts_with("https://res.cloudinary.com/demo/search/"));
    /// assert!(url.ends_with("/1000/eyJleHByZXNzaW9uIjoicmVzb3VyY2VfdHlwZTppbWFnZSIsIm1heF9yZXN1bHRzIjoxMH0="));
    /// ```
    pub fn to_url(
        &self,
        client: &Client,
        ttl: Option<i64>,
        next_cursor: Option<&str>,
        options: &Map,
    ) -> crate::Result<String> {
        let ttl = ttl.or(self.ttl).map(Value::Int);
        let cursor = next_cursor.map(Value::from);
        crate::calls::search_url(client, &self.query, ttl.as_ref(), cursor.as_ref(), options)
    }

    fn call(&self) -> &'static str {
        if self.folders {
            "search_folders"
        } else {
            "search"
        }
    }

    /// Runs the search.
    pub async fn execute(&self, client: &Client, options: &Map) -> Result<ApiResponse, ApiError> {
        let args = Map::from_iter([("query", Value::Map(self.to_map()))]);
        client.admin(self.call(), &args, options).await
    }

    /// Every page of the search, following `next_cursor`.
    pub fn pages(&self, client: &Client, options: &Map) -> Pages {
        let mut opts = options.clone();
        opts.insert("query", Value::Map(self.to_map()));
        client.pages(self.call(), &Map::new(), &opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_query_encoding() {
        let p: Map = serde_json::from_str(
            r#"{"tags": true, "fields": ["public_id", "tags"], "prefix": "fo/", "public_ids": ["a b", "c"], "x": null}"#,
        )
        .unwrap();
        assert_eq!(
            query_string(&p),
            "tags=true&fields=public_id%2Ctags&prefix=fo%2F&public_ids%5B%5D=a+b&public_ids%5B%5D=c"
        );
        assert_eq!(escape_path("folder/sample one"), "folder/sample%20one");
        // pycloudinary's urlencode keeps `~` and escapes `*` (found by the request
        // differential: `prefix=a~b*c` was sent as `a%7Eb*c`).
        let p = Map::from_iter([("prefix", "a~b*c d+e")]);
        assert_eq!(query_string(&p), "prefix=a~b%2Ac+d%2Be");
    }

    #[test]
    fn requests_by_name() {
        let args = Map::from_iter([("public_id", "folder/pid")]);
        let opts: Map =
            serde_json::from_str(r#"{"tags": ["a", "b"], "context": {"k": "v"}, "timeout": 3}"#)
                .unwrap();
        let r = admin_request("update", &args, &opts).unwrap();
        assert_eq!(r.method, Method::POST);
        assert_eq!(r.path, ["resources", "image", "upload", "folder/pid"]);
        assert_eq!(
            serde_json::to_string(&r.params).unwrap(),
            r#"{"tags":"a,b","context":"k=v"}"#
        );
        for name in ADMIN_CALLS {
            // Every call either builds or names its missing argument.
            match admin_request(name, &Map::new(), &Map::new()) {
                Ok(_) => {}
                Err(e) => assert_eq!(e.kind(), ApiErrorKind::Invalid, "{name}"),
            }
        }
        assert!(admin_request("nope", &Map::new(), &Map::new()).is_err());
    }

    #[test]
    fn admin_calls_are_the_catalogue_rows() {
        use crate::calls::Family;
        let mut rows: Vec<&str> = crate::calls::CALLS
            .iter()
            .filter(|c| c.is_network() && matches!(c.family, Family::AdminApi | Family::Search))
            .map(|c| c.name)
            .collect();
        let mut listed = ADMIN_CALLS.to_vec();
        rows.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, rows);
    }

    #[test]
    fn python_unquote() {
        assert_eq!(unquote("a%20b%2Fc%zz%4"), "a b/c%zz%4");
        assert_eq!(unquote("50%"), "50%");
        assert_eq!(escape_path(&unquote("a%41 b")), "aA%20b");
    }

    #[test]
    fn dot_segments_cannot_leave_the_path() {
        assert_eq!(path_segment("../../x/./y"), "%2E%2E/%2E%2E/x/%2E/y");
        assert_eq!(path_segment("%2E%2E/a.b/..c"), "%2E%2E/a.b/..c");
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        let args = Map::from_iter([("public_id", "../../other/resources")]);
        let r = client.call_request("resource", &args, &Map::new()).unwrap();
        assert_eq!(
            r.url,
            "https://api.cloudinary.com/v1_1/demo/resources/image/upload/%2E%2E/%2E%2E/other/resources"
        );
    }
}
