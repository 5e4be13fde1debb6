//! The Admin API calls integrations use, by their SDK names, with Basic or OAuth
//! authentication, pycloudinary's encoding (query string for `GET`, JSON otherwise),
//! pagination and rate-limit information on every answer.

use std::collections::HashSet;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use super::errors::{ApiError, ApiErrorKind};
use super::response::ApiResponse;
use super::retry::RetryPolicy;
use super::transport::{call_max_response_bytes, call_timeout, transport, Body, Request};
use crate::{Client, Map, Value};

/// Query parameters every list call forwards.
const LIST: &[&str] = &[
    "next_cursor",
    "max_results",
    "prefix",
    "start_at",
    "direction",
    "tags",
    "context",
    "metadata",
    "moderations",
    "fields",
];
/// Parameters of `resources_by_ids` and friends.
const BY_IDS: &[&str] = &["tags", "context", "metadata", "moderations", "fields"];
/// Parameters of `resource`.
const RESOURCE: &[&str] = &[
    "exif",
    "faces",
    "colors",
    "image_metadata",
    "media_metadata",
    "cinemagraph_analysis",
    "pages",
    "phash",
    "coordinates",
    "max_results",
    "quality_analysis",
    "derived_next_cursor",
    "accessibility_analysis",
    "versions",
    "related",
    "related_next_cursor",
];
/// Parameters of `update`.
const UPDATE: &[&str] = &[
    "moderation_status",
    "raw_convert",
    "quality_override",
    "ocr",
    "categorization",
    "detection",
    "similarity_search",
    "background_removal",
    "notification_url",
    "tags",
    "face_coordinates",
    "custom_coordinates",
    "regions",
    "context",
    "metadata",
    "auto_tagging",
    "access_control",
    "asset_folder",
    "display_name",
    "unique_display_name",
    "clear_invalid",
    "batch_id",
];
/// Extra parameters of the deletion calls.
const DELETE: &[&str] = &[
    "keep_original",
    "invalidate",
    "next_cursor",
    "transformations",
    "batch_id",
    "notification_url",
];
const CURSOR: &[&str] = &["next_cursor", "max_results"];

/// The Admin API calls [`Client::admin`] knows, by SDK name.
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
    "delete_resources",
    "delete_resources_by_prefix",
    "delete_all_resources",
    "delete_resources_by_tag",
    "delete_resources_by_asset_ids",
    "delete_derived_resources",
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
    "list_metadata_fields",
    "metadata_field_by_field_id",
    "add_metadata_field",
    "update_metadata_field",
    "delete_metadata_field",
    "update_metadata_field_datasource",
    "delete_datasource_entries",
    "transformations",
    "transformation",
    "create_transformation",
    "update_transformation",
    "delete_transformation",
    "search",
    "search_folders",
];

/// An Admin API request before sending: verb, path segments after
/// `/v1_1/{cloud_name}/` and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct AdminRequest {
    /// The HTTP verb.
    pub method: Method,
    /// Path segments (unescaped; a `/` inside one stays a separator, as in Python).
    pub path: Vec<String>,
    /// Parameters: the query string of a `GET`, the JSON body otherwise.
    pub params: Map,
}

fn only(options: &Map, keys: &[&str]) -> Map {
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = options.get(k) {
            out.insert(*k, v.clone());
        }
    }
    out
}

fn text(v: &Value) -> String {
    v.py_str().into_owned()
}

fn required(args: &Map, name: &str) -> Result<String, ApiError> {
    match args.get(name) {
        Some(v) if v.truthy() => Ok(text(v)),
        _ => Err(crate::Error::invalid_option(name, format!("{name} is required")).into()),
    }
}

fn list_value(v: Option<&Value>) -> Value {
    match v {
        Some(Value::List(l)) => Value::List(l.clone()),
        Some(v) if v.truthy() => Value::List(vec![v.clone()]),
        _ => Value::List(Vec::new()),
    }
}

/// The request of the Admin call `name` (see [`ADMIN_CALLS`]), with positional
/// arguments by name in `args` (`public_id`, `tag`, `path`, ...) and keyword options.
pub fn admin_request(name: &str, args: &Map, options: &Map) -> Result<AdminRequest, ApiError> {
    let mut all = options.clone();
    all.update(args);
    let o = &all;
    let rt = o
        .get("resource_type")
        .filter(|v| v.truthy())
        .map(text)
        .unwrap_or_else(|| "image".into());
    let ty = o
        .get("type")
        .filter(|v| v.truthy())
        .map(text)
        .unwrap_or_else(|| "upload".into());
    let seg = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let (method, path, params) = match name {
        "ping" => (Method::GET, seg(&["ping"]), Map::new()),
        "usage" => {
            let mut p = seg(&["usage"]);
            if let Some(d) = o.get("date").filter(|v| v.truthy()) {
                p.push(text(d));
            }
            (Method::GET, p, Map::new())
        }
        "config" => (Method::GET, seg(&["config"]), only(o, &["settings"])),
        "resource_types" => (Method::GET, seg(&["resources"]), Map::new()),
        "resources" => {
            let mut p = vec!["resources".into(), rt];
            if let Some(t) = o.get("type").filter(|v| v.truthy()) {
                p.push(text(t));
            }
            (Method::GET, p, only(o, LIST))
        }
        "resources_by_tag" => {
            let tag = required(o, "tag")?;
            (
                Method::GET,
                vec!["resources".into(), rt, "tags".into(), tag],
                only(o, LIST),
            )
        }
        "resources_by_context" => {
            let mut params = only(o, LIST);
            params.insert("key", required(o, "key")?);
            if let Some(v) = o.get("value") {
                params.insert("value", v.clone());
            }
            (
                Method::GET,
                vec!["resources".into(), rt, "context".into()],
                params,
            )
        }
        "resources_by_moderation" => {
            let kind = required(o, "kind")?;
            let status = required(o, "status")?;
            (
                Method::GET,
                vec!["resources".into(), rt, "moderations".into(), kind, status],
                only(o, LIST),
            )
        }
        "resources_by_ids" => {
            let mut params = only(o, BY_IDS);
            params.insert("public_ids", list_value(o.get("public_ids")));
            (Method::GET, vec!["resources".into(), rt, ty], params)
        }
        "resources_by_asset_ids" => {
            let mut params = only(o, BY_IDS);
            params.insert("asset_ids", list_value(o.get("asset_ids")));
            (Method::GET, seg(&["resources", "by_asset_ids"]), params)
        }
        "resources_by_asset_folder" => {
            let mut params = only(o, LIST);
            params.insert("asset_folder", required(o, "asset_folder")?);
            (Method::GET, seg(&["resources", "by_asset_folder"]), params)
        }
        "resource" => {
            let id = required(o, "public_id")?;
            (
                Method::GET,
                vec!["resources".into(), rt, ty, id],
                only(o, RESOURCE),
            )
        }
        "resource_by_asset_id" => {
            let id = required(o, "asset_id")?;
            (Method::GET, vec!["resources".into(), id], only(o, RESOURCE))
        }
        "update" => {
            let id = required(o, "public_id")?;
            let mut params = only(o, UPDATE);
            for key in ["context", "metadata"] {
                if let Some(v) = params.get(key).cloned() {
                    params.insert(key, crate::upload::encode_context(&v)?);
                }
            }
            if let Some(Value::List(tags)) = params.get("tags").cloned() {
                let joined: Vec<String> = tags.iter().map(text).collect();
                params.insert("tags", joined.join(","));
            }
            (Method::POST, vec!["resources".into(), rt, ty, id], params)
        }
        "restore" => {
            let mut params = only(o, &["versions"]);
            params.insert("public_ids", list_value(o.get("public_ids")));
            (
                Method::POST,
                vec!["resources".into(), rt, ty, "restore".into()],
                params,
            )
        }
        "delete_resources" => {
            let mut params = only(o, DELETE);
            params.insert("public_ids", list_value(o.get("public_ids")));
            (Method::DELETE, vec!["resources".into(), rt, ty], params)
        }
        "delete_resources_by_prefix" => {
            let mut params = only(o, DELETE);
            params.insert("prefix", required(o, "prefix")?);
            (Method::DELETE, vec!["resources".into(), rt, ty], params)
        }
        "delete_all_resources" => {
            let mut params = only(o, DELETE);
            params.insert("all", true);
            (Method::DELETE, vec!["resources".into(), rt, ty], params)
        }
        "delete_resources_by_tag" => {
            let tag = required(o, "tag")?;
            (
                Method::DELETE,
                vec!["resources".into(), rt, "tags".into(), tag],
                only(o, DELETE),
            )
        }
        "delete_resources_by_asset_ids" => {
            let mut params = only(o, DELETE);
            params.insert("asset_ids", list_value(o.get("asset_ids")));
            (Method::DELETE, seg(&["resources"]), params)
        }
        "delete_derived_resources" => {
            let mut params = Map::new();
            params.insert(
                "derived_resource_ids",
                list_value(o.get("derived_resource_ids")),
            );
            (Method::DELETE, seg(&["derived_resources"]), params)
        }
        "tags" => (
            Method::GET,
            vec!["tags".into(), rt],
            only(o, &["next_cursor", "max_results", "prefix"]),
        ),
        "root_folders" => (Method::GET, seg(&["folders"]), only(o, CURSOR)),
        "subfolders" => (
            Method::GET,
            vec!["folders".into(), required(o, "path")?],
            only(o, CURSOR),
        ),
        "create_folder" => (
            Method::POST,
            vec!["folders".into(), required(o, "path")?],
            Map::new(),
        ),
        "rename_folder" => {
            let from = required(o, "from_path")?;
            let mut params = Map::new();
            params.insert("to_folder", required(o, "to_path")?);
            (Method::PUT, vec!["folders".into(), from], params)
        }
        "delete_folder" => (
            Method::DELETE,
            vec!["folders".into(), required(o, "path")?],
            only(o, &["skip_backup"]),
        ),
        "upload_presets" => (Method::GET, seg(&["upload_presets"]), only(o, CURSOR)),
        "upload_preset" => (
            Method::GET,
            vec!["upload_presets".into(), required(o, "name")?],
            only(o, &["max_results"]),
        ),
        "create_upload_preset" | "update_upload_preset" => {
            let mut params = Map::new();
            params.update(&preset_params(o)?);
            if name == "create_upload_preset" {
                if let Some(n) = o.get("name") {
                    params.insert("name", n.clone());
                }
                (Method::POST, seg(&["upload_presets"]), params)
            } else {
                (
                    Method::PUT,
                    vec!["upload_presets".into(), required(o, "name")?],
                    params,
                )
            }
        }
        "delete_upload_preset" => (
            Method::DELETE,
            vec!["upload_presets".into(), required(o, "name")?],
            Map::new(),
        ),
        "list_metadata_fields" => (Method::GET, seg(&["metadata_fields"]), Map::new()),
        "metadata_field_by_field_id" => (
            Method::GET,
            vec!["metadata_fields".into(), required(o, "field_external_id")?],
            Map::new(),
        ),
        "add_metadata_field" => (
            Method::POST,
            seg(&["metadata_fields"]),
            field_map(o.get("field"))?,
        ),
        "update_metadata_field" => (
            Method::PUT,
            vec!["metadata_fields".into(), required(o, "field_external_id")?],
            field_map(o.get("field"))?,
        ),
        "delete_metadata_field" => (
            Method::DELETE,
            vec!["metadata_fields".into(), required(o, "field_external_id")?],
            Map::new(),
        ),
        "update_metadata_field_datasource" => {
            let mut params = Map::new();
            params.insert("values", list_value(o.get("entries")));
            (
                Method::PUT,
                vec![
                    "metadata_fields".into(),
                    required(o, "field_external_id")?,
                    "datasource".into(),
                ],
                params,
            )
        }
        "delete_datasource_entries" => {
            let mut params = Map::new();
            params.insert("external_ids", list_value(o.get("entries_external_id")));
            (
                Method::DELETE,
                vec![
                    "metadata_fields".into(),
                    required(o, "field_external_id")?,
                    "datasource".into(),
                ],
                params,
            )
        }
        "transformations" => (
            Method::GET,
            seg(&["transformations"]),
            only(o, &["named", "next_cursor", "max_results"]),
        ),
        "transformation" | "delete_transformation" | "update_transformation" => {
            let t = o
                .get("transformation")
                .filter(|v| v.truthy())
                .ok_or_else(|| {
                    ApiError::from(crate::Error::invalid_option(
                        "transformation",
                        "transformation is required",
                    ))
                })?;
            let t = transformation_text(t)?;
            let (method, extra): (Method, &[&str]) = match name {
                "transformation" => (Method::GET, &["next_cursor", "max_results"]),
                "delete_transformation" => (Method::DELETE, &["invalidate"]),
                _ => (
                    Method::PUT,
                    &[
                        "allowed_for_strict",
                        "unsafe_update",
                        "unsafe_transformation",
                    ],
                ),
            };
            let mut params = only(o, extra);
            params.insert("transformation", t);
            (method, seg(&["transformations"]), params)
        }
        "create_transformation" => {
            let mut params = Map::new();
            params.insert("name", required(o, "name")?);
            let def = o.get("definition").or_else(|| o.get("transformation"));
            params.insert(
                "transformation",
                transformation_text(def.unwrap_or(&Value::Null))?,
            );
            (Method::POST, seg(&["transformations"]), params)
        }
        "search" | "search_folders" => {
            let body = match o.get("query") {
                Some(Value::Map(m)) => m.clone(),
                _ => only(
                    o,
                    &[
                        "expression",
                        "sort_by",
                        "max_results",
                        "next_cursor",
                        "aggregate",
                        "with_field",
                        "fields",
                    ],
                ),
            };
            let root = if name == "search" {
                "resources"
            } else {
                "folders"
            };
            (Method::POST, vec![root.into(), "search".into()], body)
        }
        other => {
            return Err(crate::Error::invalid_option(
                "call",
                format!("unknown Admin API call {other:?}"),
            )
            .into())
        }
    };
    Ok(AdminRequest {
        method,
        path,
        params,
    })
}

/// Upload-preset settings: the upload parameter set plus the preset flags.
fn preset_params(o: &Map) -> Result<Map, ApiError> {
    // Only options that are upload parameters survive the builder; no timestamp is
    // needed for Basic-authenticated calls.
    let mut params = Map::new();
    for (k, v) in o.iter() {
        let is_upload = crate::upload::SIMPLE_UPLOAD_PARAMS.contains(&k.as_str())
            || matches!(
                k.as_str(),
                "tags" | "context" | "metadata" | "allowed_formats" | "transformation" | "eager"
            );
        if is_upload && k != "name" {
            params.insert(k.clone(), v.clone());
        }
    }
    if let Some(Value::List(tags)) = params.get("tags").cloned() {
        params.insert("tags", tags.iter().map(text).collect::<Vec<_>>().join(","));
    }
    for key in ["unsigned", "disallow_public_id", "live"] {
        if let Some(v) = o.get(key) {
            params.insert(key, v.clone());
        }
    }
    Ok(params)
}

fn field_map(v: Option<&Value>) -> Result<Map, ApiError> {
    match v {
        Some(Value::Map(m)) => Ok(m.clone()),
        _ => Err(crate::Error::invalid_option("field", "expected a metadata field object").into()),
    }
}

fn transformation_text(v: &Value) -> Result<Value, ApiError> {
    Ok(match v {
        Value::Str(s) => Value::Str(s.clone()),
        Value::Map(m) => {
            let c = Client::new(crate::Config::new().with("analytics", false));
            Value::Str(crate::transform::transformation_string(&c, m)?)
        }
        Value::Null => {
            return Err(crate::Error::invalid_option(
                "transformation",
                "transformation is required",
            )
            .into())
        }
        other => Value::Str(text(other)),
    })
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

/// Form-encodes a query component (space as `+`).
fn form_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'*' => {
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

fn authorization(client: &Client, options: &Map) -> Result<HeaderValue, ApiError> {
    let get = |k: &str| {
        options
            .get(k)
            .or_else(|| client.config().get(k))
            .filter(|v| v.truthy())
    };
    let value = if let Some(token) = get("oauth_token") {
        format!("Bearer {}", text(token))
    } else {
        let key = get("api_key").ok_or_else(|| {
            ApiError::from(crate::Error::config_option(
                "api_key",
                "Must supply api_key",
            ))
        })?;
        let secret = get("api_secret").ok_or_else(|| {
            ApiError::from(crate::Error::config_option(
                "api_secret",
                "Must supply api_secret",
            ))
        })?;
        let raw = format!("{}:{}", text(key), text(secret));
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    };
    let mut v = HeaderValue::from_str(&value).map_err(|_| {
        ApiError::from(crate::Error::config(
            "the credentials contain characters not allowed in a header",
        ))
    })?;
    v.set_sensitive(true);
    Ok(v)
}

impl Client {
    /// Sends an [`AdminRequest`] (auth, encoding, retries on transient failures,
    /// timeouts of `options`).
    pub async fn send_admin(
        &self,
        req: &AdminRequest,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let path: Vec<Value> = req
            .path
            .iter()
            .map(|s| Value::Str(escape_path(s)))
            .collect();
        let mut url = self.api_url_path(&path, options)?;
        let mut headers: Vec<(HeaderName, HeaderValue)> = vec![(
            reqwest::header::AUTHORIZATION,
            authorization(self, options)?,
        )];
        let body = if req.method == Method::GET {
            let q = query_string(&req.params);
            if !q.is_empty() {
                url.push('?');
                url.push_str(&q);
            }
            Body::Empty
        } else {
            let json = serde_json::to_vec(&Value::Map(req.params.clone()))
                .map_err(|e| ApiError::new(ApiErrorKind::Invalid, e.to_string()))?;
            Body::Json(Bytes::from(json))
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
        let request = Request {
            method: req.method.clone(),
            url,
            headers,
            body,
            timeout: call_timeout(options)?,
            max_response_bytes: call_max_response_bytes(options)?,
        };
        let policy = RetryPolicy::from_options(self, options)?;
        transport(self)?.send(&request, &policy, None).await
    }

    /// Calls the Admin API `name` (see [`ADMIN_CALLS`]) with positional arguments by
    /// name in `args` and keyword `options`.
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
        let req = admin_request(name, args, options)?;
        self.send_admin(&req, options).await
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

    fn push(mut self, key: &str, item: Value) -> Self {
        match self.query.get_mut(key) {
            Some(Value::List(l)) => {
                if !l.contains(&item) {
                    l.push(item)
                }
            }
            _ => {
                self.query.insert(key, Value::List(vec![item]));
            }
        }
        self
    }

    /// The JSON body.
    pub fn to_map(&self) -> Map {
        self.query.clone()
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
        let args = Map::from_iter([("query", Value::Map(self.query.clone()))]);
        client.admin(self.call(), &args, options).await
    }

    /// Every page of the search, following `next_cursor`.
    pub fn pages(&self, client: &Client, options: &Map) -> Pages {
        let mut opts = options.clone();
        opts.insert("query", Value::Map(self.query.clone()));
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
}
