//! The call catalogue: one declarative row per SDK call, and `Client::call` that runs
//! any of them by name.
//!
//! Every call the bindings expose is a [`Call`] in [`CALLS`]: its SDK name
//! (pycloudinary's snake_case), its [`Family`], its positional parameters with their
//! [`ParamType`]s, what it [`Returns`], the HTTP method and path template of network
//! calls ([`Http`]) and a one-line doc. A binding generator iterates over the rows; a
//! program can read them as JSON with [`catalogue_json`] (`cldkit calls --json`).
//!
//! ```
//! let row = cldkit::calls::find("resources_by_tag").unwrap();
//! assert_eq!(row.family, cldkit::calls::Family::AdminApi);
//! assert_eq!(row.params[0].name, "tag");
//! let http = row.http.as_ref().unwrap();
//! assert_eq!((http.method, http.template().as_str()),
//!            ("GET", "v1_1/{cloud_name}/resources/{resource_type=image}/tags/{tag}"));
//! ```
//!
//! Arguments are passed by name in a [`Map`] (`{"tag": "kitten"}`), keyword options in
//! another, exactly as the SDK functions take them; [`Call::bind`] turns a positional
//! list into the argument map. Local rows (URLs, tags, signatures, download URLs) run
//! without a network or a runtime ([`Client::call_local`]); network rows build their
//! request from the row (path template and wire fields) and send it through the
//! client's connection pool (`Client::call`, feature `http`).

// Without the `http` feature only the local rows run: the request builders are unused.
#[cfg_attr(not(feature = "http"), allow(dead_code))]
mod encode;
#[cfg_attr(not(feature = "http"), allow(dead_code))]
pub(crate) mod exec;
mod table;

use crate::{Client, Error, Map, Result, Value};

pub use encode::python_json;
pub use table::CALLS;

/// The part of the SDK surface a call belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// Delivery URLs and URL helpers.
    Delivery,
    /// HTML tags (`<img>`, `<video>`, `<picture>`, `<source>`).
    Tag,
    /// Signatures, their verification and signed parameter sets.
    Signing,
    /// Signed URLs that download assets or generated archives.
    DownloadUrl,
    /// The Upload API (signed multipart requests).
    UploadApi,
    /// The Admin API (Basic or OAuth authentication).
    AdminApi,
    /// Search, folder search, signed search URLs and visual search.
    Search,
    /// The Provisioning (account) API.
    Provisioning,
    /// Media sync: many requests (listing, uploads, deletions) run as one call.
    Sync,
}

impl Family {
    /// Every family, in catalogue order.
    pub const ALL: [Family; 9] = [
        Family::Delivery,
        Family::Tag,
        Family::Signing,
        Family::DownloadUrl,
        Family::UploadApi,
        Family::AdminApi,
        Family::Search,
        Family::Provisioning,
        Family::Sync,
    ];

    /// The family's name in the JSON catalogue (`delivery`, `tag`, `signing`,
    /// `download_url`, `upload_api`, `admin_api`, `search`, `provisioning`, `sync`).
    pub fn name(self) -> &'static str {
        match self {
            Family::Delivery => "delivery",
            Family::Tag => "tag",
            Family::Signing => "signing",
            Family::DownloadUrl => "download_url",
            Family::UploadApi => "upload_api",
            Family::AdminApi => "admin_api",
            Family::Search => "search",
            Family::Provisioning => "provisioning",
            Family::Sync => "sync",
        }
    }
}

/// The type of a parameter, for generated signatures and stubs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A boolean.
    Boolean,
    /// A string or a list of strings.
    Strings,
    /// A list of values.
    List,
    /// A map (an option dictionary, a metadata field definition, ...).
    Map,
    /// A transformation: a string or an option map.
    Transformation,
    /// A file: a local path, a remote URL or a data URI (bytes in the bindings).
    File,
    /// Any value.
    Any,
}

impl ParamType {
    /// The type's name in the JSON catalogue (`string`, `integer`, `boolean`,
    /// `strings`, `list`, `map`, `transformation`, `file`, `any`).
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Boolean => "boolean",
            ParamType::Strings => "strings",
            ParamType::List => "list",
            ParamType::Map => "map",
            ParamType::Transformation => "transformation",
            ParamType::File => "file",
            ParamType::Any => "any",
        }
    }
}

/// One positional parameter of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name (pycloudinary's), also the key in the argument map.
    pub name: &'static str,
    /// The type.
    pub ty: ParamType,
    /// Whether the SDK function requires it (no default).
    pub required: bool,
}

/// What a call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Returns {
    /// A URL string.
    Url,
    /// An HTML string.
    Html,
    /// Another string (a signature, a token).
    Text,
    /// A string, or null where the profile's SDK returns none (the `php` profile's
    /// `auth_token` without a key).
    OptionalText,
    /// A boolean.
    Bool,
    /// A map computed locally (attributes, a signature with its details).
    Map,
    /// The decoded JSON answer of the API, with `request_id` and the rate-limit fields.
    Response,
}

impl Returns {
    /// The name in the JSON catalogue (`url`, `html`, `text`, `text_or_null`, `bool`,
    /// `map`, `response`).
    pub fn name(self) -> &'static str {
        match self {
            Returns::Url => "url",
            Returns::Html => "html",
            Returns::Text => "text",
            Returns::OptionalText => "text_or_null",
            Returns::Bool => "bool",
            Returns::Map => "map",
            Returns::Response => "response",
        }
    }
}

/// Where a network call's path starts (after the `upload_prefix`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// `v1_1/{cloud_name}`: the Upload and Admin APIs.
    Cloud,
    /// `v2/{cloud_name}`: context-first v2 endpoints (`analyze`).
    CloudV2,
    /// `v2/{module}/{cloud_name}`: module-first v2 endpoints (`notifications`).
    Module(&'static str),
    /// `v1_1/provisioning/accounts/{account_id}`: the Provisioning API.
    Account,
    /// `v1_1/provisioning`: the public, unauthenticated provisioning endpoints.
    Provisioning,
}

impl Root {
    /// The root as a path template.
    pub fn template(self) -> String {
        match self {
            Root::Cloud => "v1_1/{cloud_name}".into(),
            Root::CloudV2 => "v2/{cloud_name}".into(),
            Root::Module(m) => format!("v2/{m}/{{cloud_name}}"),
            Root::Account => "v1_1/provisioning/accounts/{account_id}".into(),
            Root::Provisioning => "v1_1/provisioning".into(),
        }
    }
}

/// How a network call's parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// In the query string (`GET`): lists as `name[]`, booleans `true`/`false`.
    Query,
    /// As a JSON body.
    Json,
    /// As a multipart form (the Upload API, `visual_search`).
    Multipart,
}

impl Encoding {
    /// `query`, `json` or `multipart`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Query => "query",
            Encoding::Json => "json",
            Encoding::Multipart => "multipart",
        }
    }
}

/// How a network call authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// `Authorization: Basic api_key:api_secret`, or `Bearer` with an `oauth_token`.
    Basic,
    /// A signature over the form (or `Bearer` with an `oauth_token`).
    Signature,
    /// `Authorization: Basic provisioning_api_key:provisioning_api_secret`.
    Provisioning,
    /// None (public endpoints).
    None,
}

impl Auth {
    /// `basic`, `signature`, `provisioning` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Auth::Basic => "basic",
            Auth::Signature => "signature",
            Auth::Provisioning => "provisioning",
            Auth::None => "none",
        }
    }
}

/// The HTTP side of a network call.
///
/// Path templates name their placeholders: `{name}` is a required argument,
/// `{name=default}` an argument or option with a default, `{name?}` an optional segment
/// left out when unset. A value containing `/` stays a path separator, as in the SDKs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Http {
    /// The verb (`GET`, `POST`, `PUT`, `DELETE`; `ANY` for `call_api`).
    pub method: &'static str,
    /// Where the path starts.
    pub root: Root,
    /// The path template after the root.
    pub path: &'static str,
    /// How the parameters travel.
    pub encoding: Encoding,
    /// How the request authenticates.
    pub auth: Auth,
}

impl Http {
    /// The whole path template after the `upload_prefix`, e.g.
    /// `v1_1/{cloud_name}/resources/{resource_type=image}/tags/{tag}`.
    pub fn template(&self) -> String {
        if self.path.is_empty() {
            self.root.template()
        } else {
            format!("{}/{}", self.root.template(), self.path)
        }
    }
}

/// One row of the catalogue.
#[derive(Clone, Copy)]
pub struct Call {
    /// The SDK name (pycloudinary's snake_case; unique in the catalogue).
    pub name: &'static str,
    /// The family.
    pub family: Family,
    /// The official Python SDK's equivalent (`api.resources`, `uploader.upload`,
    /// `account.users`, `utils.cloudinary_url`, `Search.to_url`), or `""` when it has
    /// none (calls only the Node SDK or cldkit have).
    pub python: &'static str,
    /// Positional parameters, in order.
    pub params: &'static [Param],
    /// What the call returns.
    pub returns: Returns,
    /// The HTTP method and path of a network call (`None` for local calls).
    pub http: Option<Http>,
    /// One line of documentation.
    pub doc: &'static str,
    pub(crate) exec: exec::Exec,
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("name", &self.name)
            .field("family", &self.family)
            .field("params", &self.params)
            .field("returns", &self.returns)
            .field("http", &self.http)
            .finish()
    }
}

impl Call {
    /// Whether the call goes over the network (an HTTP row, or a sync, which sends
    /// many requests): bindings run these asynchronously.
    pub fn is_network(&self) -> bool {
        self.http.is_some() || matches!(self.exec, exec::Exec::Sync)
    }

    /// The argument map of positional `values`, in the order of [`Call::params`]
    /// (`Null` values are left out, as an omitted optional argument).
    ///
    /// ```
    /// let row = cldkit::calls::find("rename_folder").unwrap();
    /// let args = row.bind(&["a/old".into(), "a/new".into()]).unwrap();
    /// assert_eq!(args.get("to_path").unwrap().as_str(), Some("a/new"));
    /// assert!(row.bind(&["x".into(), "y".into(), "z".into()]).is_err());
    /// ```
    pub fn bind(&self, values: &[Value]) -> Result<Map> {
        if values.len() > self.params.len() {
            return Err(Error::invalid_option(
                "args",
                format!(
                    "{}() takes {} positional arguments but {} were given",
                    self.name,
                    self.params.len(),
                    values.len()
                ),
            ));
        }
        let mut out = Map::with_capacity(values.len());
        for (p, v) in self.params.iter().zip(values) {
            if !v.is_null() {
                out.insert(p.name, v.clone());
            }
        }
        Ok(out)
    }

    /// The row as JSON: `name`, `family`, `python`, `params` (`name`, `type`,
    /// `required`), `returns`, `network` (see [`Call::is_network`]), `http` (`method`,
    /// `path`, `encoding`, `auth`, or `null`) and `doc`.
    pub fn to_json(&self) -> serde_json::Value {
        let params: Vec<serde_json::Value> = self
            .params
            .iter()
            .map(|p| serde_json::json!({"name": p.name, "type": p.ty.name(), "required": p.required}))
            .collect();
        let http = self.http.map(|h| {
            serde_json::json!({
                "method": h.method,
                "path": h.template(),
                "encoding": h.encoding.name(),
                "auth": h.auth.name(),
            })
        });
        serde_json::json!({
            "name": self.name,
            "family": self.family.name(),
            "python": self.python,
            "params": params,
            "returns": self.returns.name(),
            "network": self.is_network(),
            "http": http,
            "doc": self.doc,
        })
    }
}

/// The row called `name`, if any.
///
/// A scan of the static table: it allocates nothing (a process-wide index would be a
/// heap block that leak checkers report in every host of the C library), and a few
/// hundred string comparisons cost nothing beside the HTTP request a row sends.
pub fn find(name: &str) -> Option<&'static Call> {
    CALLS.iter().find(|c| c.name == name)
}

/// The row called `name`, or an [`InvalidOption`](crate::ErrorKind::InvalidOption)
/// error naming it.
pub fn lookup(name: &str) -> Result<&'static Call> {
    find(name).ok_or_else(|| Error::invalid_option("call", format!("unknown call {name:?}")))
}

/// The whole catalogue as JSON: `{"version": 1, "calls": [row, ...]}` (see
/// [`Call::to_json`]), what `cldkit calls --json` prints.
pub fn catalogue_json() -> serde_json::Value {
    serde_json::json!({
        "version": 1,
        "calls": CALLS.iter().map(Call::to_json).collect::<Vec<_>>(),
    })
}

impl Client {
    /// Runs a local row (a URL, tag, signature or download URL) by name, with its
    /// arguments by name in `args` and keyword `options`; no network, no runtime.
    /// A network row is an [`InvalidOption`](crate::ErrorKind::InvalidOption) error
    /// (use `Client::call`, feature `http`).
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://k:s@demo?analytics=false").unwrap();
    /// let args = cldkit::Map::from_iter([("source", "sample.jpg")]);
    /// let opts = cldkit::Map::from_iter([("width", 100)]);
    /// let url = client.call_local("url", &args, &opts).unwrap();
    /// assert_eq!(url.as_str(), Some("https://res.cloudinary.com/demo/image/upload/w_100/sample.jpg"));
    /// ```
    pub fn call_local(&self, name: &str, args: &Map, options: &Map) -> Result<Value> {
        let row = lookup(name)?;
        match row.exec {
            exec::Exec::Local(f) => f(self, args, options),
            _ => Err(Error::invalid_option(
                "call",
                format!("{name} is a network call (use Client::call)"),
            )),
        }
    }
}

#[cfg(feature = "http")]
pub(crate) use encode::normalize as normalize_params;
#[cfg(feature = "http")]
pub(crate) use exec::{build_request, search_query, search_url, Prepared};
