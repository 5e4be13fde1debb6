//! How rows run: local rows call the engine's functions; network rows build their
//! request from the row (path template and wire fields, pycloudinary's encodings) and
//! send it through the client's transport.

use super::encode::{
    build_array, build_eager, build_list_of_dicts, build_single_eager, encode_double_array,
    encode_list, join_strings, json_encode, normalize, only, python_json, transformation_string,
};
use super::{Auth, Call, Encoding, Root};
use crate::html::PlaceholderMode;
use crate::{Client, Error, Map, Result, Value};

/// A local row: `(client, args, options)`.
pub(crate) type LocalFn = fn(&Client, &Map, &Map) -> Result<Value>;
/// A request body built by code instead of [`Field`]s: `(client, args and options)`.
pub(crate) type BuildFn = fn(&Client, &Map) -> Result<Map>;
/// A check of the arguments before anything is built.
pub(crate) type CheckFn = fn(&Map) -> Result<()>;

/// How a row runs.
#[derive(Clone, Copy)]
pub(crate) enum Exec {
    /// Computed locally.
    Local(LocalFn),
    /// An Upload API call, sent as a signed form by the upload layer under this name.
    Upload(&'static str),
    /// A request built from the row.
    Request(Req),
    /// `call_api(method, path, params)`.
    Raw,
    /// A media sync ([`crate::sync`]): listing, uploads and deletions as one call.
    Sync,
}

/// The request side of a network row.
#[derive(Clone, Copy)]
pub(crate) struct Req {
    /// The parameters, in order.
    pub fields: &'static [Field],
    /// Builds the parameters instead of `fields`.
    pub build: Option<BuildFn>,
    /// Runs first.
    pub check: Option<CheckFn>,
}

/// When a field is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    /// When the key is given (even as `None`): pycloudinary's `only(options, ...)`.
    Present,
    /// Always, `None` when not given: a key of the SDK's literal parameter dict.
    Always,
    /// When the value is truthy.
    Truthy,
    /// When given and not `None`.
    NotNull,
}

/// How a field's value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enc {
    /// As it is.
    Raw,
    /// `str(value)`.
    Str,
    /// `",".join(build_array(value))` (strings only).
    Join,
    /// `encode_list`: a list comma-joined.
    EncodeList,
    /// `encode_list(build_array(value))`, sent only when truthy (`fields`).
    Fields,
    /// `encode_double_array`.
    DoubleArray,
    /// `json_encode`.
    Json,
    /// `json_encode(build_list_of_dicts(value))`.
    ListOfDictsJson,
    /// `encode_context`.
    Context,
    /// `build_array`.
    Array,
    /// A list as it is, anything else wrapped in a list.
    Wrap,
    /// A string wrapped in a list, anything else as it is.
    WrapStr,
    /// `build_eager`.
    Eager,
    /// `build_single_eager`.
    SingleEager,
    /// `transformation_string`.
    Transformation,
    /// Streaming-profile representations: `json.dumps([{"transformation": t}, ...])`.
    Representations,
    /// Metadata datasource values: `only(item, "external_id", "value")` per item.
    DatasourceValues,
    /// The keys of a map argument merged into the body (`only(field, *keys)`).
    Spread(&'static [&'static str]),
    /// The constant `true`.
    True,
}

/// One wire parameter of a network row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// The parameter's name on the wire.
    pub wire: &'static str,
    /// The argument or option it comes from.
    pub src: &'static str,
    /// When it is sent.
    pub when: When,
    /// How it is encoded.
    pub enc: Enc,
}

/// A network request built from a row, before authentication and encoding.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Prepared {
    /// The verb (upper case).
    pub method: String,
    /// Where the path starts.
    pub root: Root,
    /// Path segments after the root (unescaped; a `/` inside one stays a separator).
    pub path: Vec<String>,
    /// Parameters: the query of a `GET`, the body otherwise.
    pub params: Map,
    /// How the parameters travel.
    pub encoding: Encoding,
    /// How the request authenticates.
    pub auth: Auth,
}

/// Arguments the existing bindings pass under another name than pycloudinary's.
const ALIASES: &[(&str, &str, &str)] = &[
    ("subfolders", "of_folder_path", "path"),
    (
        "update_metadata_field_datasource",
        "entries_external_id",
        "entries",
    ),
    ("create_transformation", "definition", "transformation"),
];

/// The arguments and options of a call in one map, arguments last (they win).
fn merged(row: &Call, args: &Map, options: &Map) -> Map {
    let mut all = options.clone();
    all.update(args);
    for (call, name, alias) in ALIASES {
        if *call == row.name && !all.contains_key(name) {
            if let Some(v) = all.get(alias).cloned() {
                all.insert(*name, v);
            }
        }
    }
    all
}

fn missing(name: &str) -> Error {
    Error::invalid_option(name, format!("{name} is required"))
}

/// Expands a path template (see [`super::Http`]) with the values of `all`.
pub(crate) fn expand(template: &str, all: &Map) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for seg in template.split('/').filter(|s| !s.is_empty()) {
        let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            out.push(seg.to_owned());
            continue;
        };
        let value = |name: &str| {
            all.get(name)
                .filter(|v| v.truthy())
                .map(|v| v.py_str().into_owned())
        };
        if let Some(name) = inner.strip_suffix('?') {
            if let Some(v) = value(name) {
                out.push(v);
            }
        } else if let Some((name, default)) = inner.split_once('=') {
            out.push(value(name).unwrap_or_else(|| default.to_owned()));
        } else {
            out.push(value(inner).ok_or_else(|| missing(inner))?);
        }
    }
    Ok(out)
}

fn encode(client: &Client, f: &Field, v: &Value, out: &mut Map) -> Result<()> {
    let option = f.src;
    let encoded = match f.enc {
        Enc::Raw => v.clone(),
        Enc::Str => Value::Str(v.py_str().into_owned()),
        Enc::Join => Value::Str(join_strings(&build_array(v), ",", option)?),
        Enc::EncodeList => encode_list(v, option)?,
        Enc::Fields => encode_list(&Value::List(build_array(v)), option)?,
        Enc::DoubleArray => encode_double_array(v),
        Enc::Json => json_encode(v),
        Enc::ListOfDictsJson => json_encode(&Value::List(build_list_of_dicts(v, option)?)),
        Enc::Context => crate::upload::encode_context(v)?,
        Enc::Array => Value::List(build_array(v)),
        Enc::Wrap => match v {
            Value::List(_) => v.clone(),
            other => Value::List(vec![other.clone()]),
        },
        Enc::WrapStr => match v {
            Value::Str(_) => Value::List(vec![v.clone()]),
            other => other.clone(),
        },
        Enc::Eager => build_eager(client, v, option)?,
        Enc::SingleEager => Value::Str(build_single_eager(client, v, option)?),
        Enc::Transformation => Value::Str(transformation_string(client, v, option)?),
        Enc::Representations => {
            let mut reps = Vec::new();
            for t in build_array(v) {
                let t = transformation_string(client, &t, option)?;
                reps.push(Value::Map(Map::from_iter([("transformation", t)])));
            }
            Value::Str(python_json(&Value::List(reps), false, false))
        }
        Enc::DatasourceValues => {
            let mut values = Vec::new();
            for item in build_array(v) {
                let Value::Map(m) = &item else {
                    return Err(Error::invalid_option(
                        option,
                        "expected a list of datasource entries (maps)",
                    ));
                };
                let entry = only(m, &["external_id", "value"]);
                if !entry.is_empty() {
                    values.push(Value::Map(entry));
                }
            }
            Value::List(values)
        }
        Enc::Spread(keys) => {
            let Value::Map(m) = v else {
                return Err(Error::invalid_option(option, "expected a map"));
            };
            out.update(&only(m, keys));
            return Ok(());
        }
        Enc::True => Value::Bool(true),
    };
    out.insert(f.wire, encoded);
    Ok(())
}

/// The parameters of `fields` from `all`.
pub(crate) fn fields(client: &Client, fields: &[Field], all: &Map) -> Result<Map> {
    let mut out = Map::with_capacity(fields.len());
    const NULL: Value = Value::Null;
    for f in fields {
        let v = all.get(f.src);
        let v = match f.when {
            When::Present => v,
            When::Always => Some(v.unwrap_or(&NULL)),
            When::Truthy => v.filter(|v| v.truthy()),
            When::NotNull => v.filter(|v| !v.is_null()),
        };
        if let Some(v) = v {
            encode(client, f, v, &mut out)?;
        }
    }
    Ok(out)
}

/// Builds the request of a network row (not an Upload API row: those are forms).
pub(crate) fn build_request(
    client: &Client,
    row: &Call,
    args: &Map,
    options: &Map,
) -> Result<Prepared> {
    let Some(http) = row.http else {
        return Err(Error::invalid_option(
            "call",
            format!("{} is a local call", row.name),
        ));
    };
    let all = merged(row, args, options);
    for p in row.params.iter().filter(|p| p.required) {
        if !all.contains_key(p.name) {
            return Err(Error::invalid_option(
                p.name,
                format!("{}() missing required argument: '{}'", row.name, p.name),
            ));
        }
    }
    match row.exec {
        Exec::Request(req) => {
            if let Some(check) = req.check {
                check(&all)?;
            }
            let path = expand(http.path, &all)?;
            let mut params = match req.build {
                Some(build) => build(client, &all)?,
                None => fields(client, req.fields, &all)?,
            };
            if matches!(http.root, Root::Account | Root::Provisioning) {
                params = normalize(params);
            }
            Ok(Prepared {
                method: http.method.to_owned(),
                root: http.root,
                path,
                params,
                encoding: http.encoding,
                auth: http.auth,
            })
        }
        Exec::Raw => raw_request(&all),
        Exec::Upload(_) | Exec::Local(_) | Exec::Sync => Err(Error::invalid_option(
            "call",
            format!("{} is not sent as an Admin API request", row.name),
        )),
    }
}

/// `call_api(method, path, params)`: any verb, a path string (split on `/`) or list of
/// segments after `v1_1/{cloud_name}`, parameters in the query (`GET`) or a JSON body.
fn raw_request(all: &Map) -> Result<Prepared> {
    let method = match all.get("method") {
        Some(Value::Str(m)) if !m.trim().is_empty() => m.trim().to_ascii_uppercase(),
        _ => return Err(missing("method")),
    };
    if !method.bytes().all(|b| b.is_ascii_uppercase()) || method.len() > 16 {
        return Err(Error::invalid_option(
            "method",
            format!("not an HTTP method: {method:?}"),
        ));
    }
    let path: Vec<String> = match all.get("path") {
        Some(Value::Str(p)) => p
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::List(items)) => items
            .iter()
            .map(|s| s.py_str().into_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => return Err(missing("path")),
    };
    if path.iter().any(|s| s == ".." || s == ".") {
        return Err(Error::invalid_option(
            "path",
            "path segments `.` and `..` are not allowed",
        ));
    }
    let params = match all.get("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Map(m)) => m.clone(),
        Some(other) => {
            return Err(Error::invalid_option(
                "params",
                format!("expected a map, found {}", other.type_name()),
            ))
        }
    };
    let encoding = if method == "GET" {
        Encoding::Query
    } else {
        Encoding::Json
    };
    Ok(Prepared {
        method,
        root: Root::Cloud,
        path,
        params,
        encoding,
        auth: Auth::Basic,
    })
}

// ---- request bodies built by code --------------------------------------------------

/// Upload presets: `cleanup_params(build_upload_params(**options))` plus the preset
/// flags (a `timestamp` comes along, as in pycloudinary).
pub(crate) fn preset_body(client: &Client, all: &Map, with_name: bool) -> Result<Map> {
    let mut params = client.upload_params(all)?;
    let keys: &[&str] = if with_name {
        &["unsigned", "disallow_public_id", "name", "live"]
    } else {
        &["unsigned", "disallow_public_id", "live"]
    };
    params.update(&only(all, keys));
    Ok(params)
}

pub(crate) fn create_preset_body(client: &Client, all: &Map) -> Result<Map> {
    preset_body(client, all, true)
}

pub(crate) fn update_preset_body(client: &Client, all: &Map) -> Result<Map> {
    let mut opts = all.clone();
    // The preset's name is the path; it is not an upload parameter here.
    opts.remove("name");
    preset_body(client, &opts, false)
}

/// The keys a search body takes, in the builder's order.
const SEARCH_KEYS: &[&str] = &[
    "expression",
    "sort_by",
    "aggregate",
    "with_field",
    "fields",
    "max_results",
    "next_cursor",
];
/// The search keys whose values are lists of unique entries.
const SEARCH_LISTS: &[&str] = &["sort_by", "aggregate", "with_field", "fields"];

/// pycloudinary's `unique(collection, key)`: the first position of each key, holding the
/// last entry with that key.
fn unique(items: Vec<Value>, key: impl Fn(&Value) -> Value) -> Vec<Value> {
    let mut out: Vec<(Value, Value)> = Vec::new();
    for item in items {
        let k = key(&item);
        match out.iter_mut().find(|(seen, _)| *seen == k) {
            Some(slot) => slot.1 = item,
            None => out.push((k, item)),
        }
    }
    out.into_iter().map(|(_, v)| v).collect()
}

/// `Search.as_dict()`: the query with duplicate `sort_by` fields, `aggregate` types,
/// `with_field` and `fields` entries folded.
pub(crate) fn search_query(query: &Map) -> Map {
    let mut out = Map::with_capacity(query.len());
    for (k, v) in query.iter() {
        let v = match k.as_str() {
            "sort_by" => Value::List(unique(build_array(v), |x| match x {
                Value::Map(m) => m
                    .keys()
                    .next()
                    .map_or(Value::Null, |k| Value::Str(k.to_owned())),
                Value::Str(s) => s
                    .chars()
                    .next()
                    .map_or(Value::Null, |c| Value::Str(c.to_string())),
                other => other.clone(),
            })),
            "aggregate" => Value::List(unique(build_array(v), |x| match x {
                Value::Map(m) if m.contains_key("type") => {
                    m.get("type").cloned().unwrap_or_default()
                }
                other => other.clone(),
            })),
            "with_field" | "fields" => Value::List(unique(build_array(v), Clone::clone)),
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    out
}

/// The body of `search` / `search_folders`: a `query` map (from the builder), else the
/// search keys of the arguments and options.
pub(crate) fn search_body(_client: &Client, all: &Map) -> Result<Map> {
    if let Some(Value::Map(q)) = all.get("query") {
        return Ok(search_query(q));
    }
    let mut q = Map::new();
    for (k, v) in all.iter() {
        if SEARCH_KEYS.contains(&k.as_str()) && !v.is_null() {
            let v = if SEARCH_LISTS.contains(&k.as_str()) {
                Value::List(build_array(v))
            } else {
                v.clone()
            };
            q.insert(k.clone(), v);
        }
    }
    Ok(search_query(&q))
}

/// `notifications`: exactly one of `channel` and `batch_id`.
pub(crate) fn one_channel(all: &Map) -> Result<()> {
    let set = |k: &str| all.get(k).is_some_and(Value::truthy);
    if set("channel") == set("batch_id") {
        return Err(Error::invalid_option(
            "channel",
            "Supply exactly one of 'channel' or 'batch_id'",
        ));
    }
    Ok(())
}

// ---- signed search URLs ------------------------------------------------------------

/// `Search.to_url(ttl, next_cursor, **options)`: the signed, cacheable search URL on
/// the delivery host, `<prefix>/search/<sha256 hex>/<ttl>/<base64url query>[/<cursor>]`.
///
/// The query is the compact JSON of `query` with sorted keys and without its
/// `next_cursor` (which moves to the path unless `next_cursor` is given); the
/// signature is SHA-256 of `ttl`, the encoded query and the `api_secret`; `ttl`
/// defaults to 300 seconds.
pub(crate) fn search_url(
    client: &Client,
    query: &Map,
    ttl: Option<&Value>,
    next_cursor: Option<&Value>,
    options: &Map,
) -> Result<String> {
    use base64::Engine as _;
    let config = client.config();
    let get = |k: &str| options.get(k).or_else(|| config.get(k));
    let secret = match get("api_secret").filter(|v| v.truthy()) {
        Some(v) => v.str_for("api_secret")?.to_owned(),
        None => return Err(Error::config_option("api_secret", "Must supply api_secret")),
    };
    let ttl = match ttl.filter(|v| !v.is_null()) {
        Some(v) => v.py_str().into_owned(),
        None => "300".to_owned(),
    };
    let mut query = search_query(query);
    let own_cursor = query.remove("next_cursor");
    let cursor = match next_cursor.filter(|v| !v.is_null()) {
        Some(v) => Some(v.clone()),
        None => own_cursor,
    };
    let json = python_json(&Value::Map(query), true, true);
    let b64 = base64::engine::general_purpose::URL_SAFE.encode(json.as_bytes());
    let signature = crate::sign::Algorithm::Sha256.hex_digest(&[
        ttl.as_bytes(),
        b64.as_bytes(),
        secret.as_bytes(),
    ]);
    let secure = match get("secure").filter(|v| !v.is_null()) {
        Some(v) => v.truthy(),
        None => client.profile() != crate::Profile::Python,
    };
    let host = crate::url::host::HostOptions {
        cloud_name: get("cloud_name").filter(|v| v.truthy()),
        secure,
        private_cdn: get("private_cdn"),
        secure_distribution: get("secure_distribution"),
        cname: get("cname"),
        cdn_subdomain: get("cdn_subdomain"),
        secure_cdn_subdomain: get("secure_cdn_subdomain"),
    };
    let mut out = String::new();
    crate::url::host::push_prefix(&mut out, "", &host)?;
    out.push_str("/search/");
    out.push_str(&signature);
    out.push('/');
    out.push_str(&ttl);
    out.push('/');
    out.push_str(&b64);
    if let Some(c) = cursor.filter(|c| c.truthy()) {
        out.push('/');
        out.push_str(&c.py_str());
    }
    Ok(out)
}

// ---- local rows --------------------------------------------------------------------

const NULL: Value = Value::Null;

fn arg<'a>(args: &'a Map, name: &str) -> &'a Value {
    args.get(name).unwrap_or(&NULL)
}

fn str_arg<'a>(args: &'a Map, name: &str) -> Result<&'a str> {
    match args.get(name) {
        Some(v) => v.str_for(name),
        None => Err(missing(name)),
    }
}

fn map_arg<'a>(args: &'a Map, name: &str) -> Result<&'a Map> {
    // An empty list is an empty map: PHP's `[]` (and JSON encoders of other languages
    // without a separate map type) cannot tell the two apart.
    static EMPTY: std::sync::OnceLock<Map> = std::sync::OnceLock::new();
    match args.get(name) {
        Some(Value::Map(m)) => Ok(m),
        Some(Value::List(l)) if l.is_empty() => Ok(EMPTY.get_or_init(Map::new)),
        Some(other) => Err(Error::invalid_option(
            name,
            format!("expected a map, found {}", other.type_name()),
        )),
        None => Err(missing(name)),
    }
}

fn text(r: Result<String>) -> Result<Value> {
    r.map(Value::Str)
}

pub(crate) fn url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    Ok(c.url_with_leftovers(arg(a, "source"), o)?.url)
}

pub(crate) fn video_thumbnail_url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.video_thumbnail_url(str_arg(a, "public_id")?, o))
}

pub(crate) fn api_url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.api_url(str_arg(a, "action")?, o))
}

fn placeholder_mode(a: &Map) -> Result<Option<PlaceholderMode>> {
    match arg(a, "placeholder") {
        Value::Null => Ok(None),
        Value::Str(s) => PlaceholderMode::parse(s).map(Some).ok_or_else(|| {
            Error::invalid_option(
                "placeholder",
                format!(
                    "unknown placeholder mode {s:?} (blur, pixelate, vectorize, predominant-color)"
                ),
            )
        }),
        other => Err(other.not_a_string("placeholder")),
    }
}

pub(crate) fn placeholder_url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    let mode = placeholder_mode(a)?.unwrap_or_default();
    text(c.placeholder_url(str_arg(a, "public_id")?, mode, o))
}

pub(crate) fn image_tag(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.image_tag_value(arg(a, "public_id"), o))
}

pub(crate) fn video_tag(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.video_tag_value(arg(a, "public_id"), o))
}

pub(crate) fn picture_tag(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.picture_tag_value(arg(a, "public_id"), o))
}

pub(crate) fn source_tag(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.source_tag(str_arg(a, "public_id")?, o))
}

pub(crate) fn lazy_image_tag(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.lazy_image_tag(str_arg(a, "public_id")?, o, placeholder_mode(a)?))
}

pub(crate) fn image_attributes(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    c.image_attributes(arg(a, "public_id"), o).map(Value::Map)
}

pub(crate) fn auth_token(c: &Client, _a: &Map, o: &Map) -> Result<Value> {
    Ok(c.auth_token_opt(o)?.map_or(Value::Null, Value::Str))
}

pub(crate) fn sign_request(c: &Client, a: &Map, _o: &Map) -> Result<Value> {
    text(c.sign_request(map_arg(a, "params")?))
}

pub(crate) fn explain_signature(c: &Client, a: &Map, _o: &Map) -> Result<Value> {
    let e = c.explain_signature(map_arg(a, "params")?)?;
    Ok(Value::Map(Map::from_iter([
        ("string_to_sign", Value::Str(e.string_to_sign)),
        ("signature", Value::Str(e.signature)),
        ("signature_algorithm", Value::from(e.algorithm.name())),
        (
            "signature_version",
            Value::Int(i64::from(e.signature_version)),
        ),
    ])))
}

pub(crate) fn verify_api_response(c: &Client, a: &Map, _o: &Map) -> Result<Value> {
    let ok = c.verify_api_response(
        arg(a, "public_id").clone(),
        arg(a, "version").clone(),
        str_arg(a, "signature")?,
    )?;
    Ok(Value::Bool(ok))
}

pub(crate) fn verify_notification(c: &Client, a: &Map, _o: &Map) -> Result<Value> {
    let valid_for = match arg(a, "valid_for") {
        Value::Null => None,
        Value::Int(n) => Some(*n as f64),
        Value::Float(f) => Some(*f),
        other => {
            return Err(Error::invalid_option(
                "valid_for",
                format!("expected a number of seconds, found {}", other.type_name()),
            ))
        }
    };
    let ok = c.verify_notification(
        str_arg(a, "body")?.as_bytes(),
        arg(a, "timestamp").clone(),
        str_arg(a, "signature")?,
        valid_for,
    )?;
    Ok(Value::Bool(ok))
}

pub(crate) fn sign_upload_widget(c: &Client, a: &Map, _o: &Map) -> Result<Value> {
    let s = c.sign_upload_widget(map_arg(a, "params")?)?;
    Ok(Value::Map(Map::from_iter([
        ("timestamp", Value::Int(s.timestamp)),
        ("signature", Value::Str(s.signature)),
        ("api_key", Value::Str(s.api_key)),
    ])))
}

pub(crate) fn upload_params(c: &Client, _a: &Map, o: &Map) -> Result<Value> {
    c.upload_params(o).map(Value::Map)
}

pub(crate) fn private_download_url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.private_download_url(arg(a, "public_id").clone(), arg(a, "format").clone(), o))
}

pub(crate) fn zip_download_url(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.zip_download_url(arg(a, "tag").clone(), o))
}

pub(crate) fn download_archive_url(c: &Client, _a: &Map, o: &Map) -> Result<Value> {
    text(c.download_archive_url(o))
}

pub(crate) fn download_zip_url(c: &Client, _a: &Map, o: &Map) -> Result<Value> {
    text(c.download_zip_url(o))
}

pub(crate) fn download_folder(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.download_folder(arg(a, "folder_path").clone(), o))
}

pub(crate) fn download_backedup_asset(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.download_backedup_asset(arg(a, "asset_id").clone(), arg(a, "version_id").clone(), o))
}

pub(crate) fn download_generated_sprite(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.download_generated_sprite(arg(a, "tag").clone(), arg(a, "urls").clone(), o))
}

pub(crate) fn download_multi(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    text(c.download_multi(arg(a, "tag").clone(), arg(a, "urls").clone(), o))
}

/// `search_url(expression=None, ttl=None, next_cursor=None, **options)`: the query
/// from a `query` map or the search options, the URL options from the rest.
pub(crate) fn search_url_row(c: &Client, a: &Map, o: &Map) -> Result<Value> {
    let mut all = o.clone();
    all.update(a);
    let query = match all.get("query") {
        Some(Value::Map(q)) => q.clone(),
        _ => {
            let mut q = Map::new();
            for (k, v) in all.iter() {
                if SEARCH_KEYS.contains(&k.as_str()) && !v.is_null() {
                    let v = if SEARCH_LISTS.contains(&k.as_str()) {
                        Value::List(build_array(v))
                    } else {
                        v.clone()
                    };
                    q.insert(k.clone(), v);
                }
            }
            q
        }
    };
    let next_cursor = a.get("next_cursor");
    let mut query = query;
    if next_cursor.is_some() {
        query.remove("next_cursor");
    }
    text(search_url(c, &query, a.get("ttl"), next_cursor, o))
}

#[cfg(test)]
mod tests {
    use crate::{Client, Map, Value};

    #[test]
    fn an_empty_list_is_an_empty_map_argument() {
        // PHP's `[]` reaches the engine as an empty JSON list.
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        let as_map = Map::from_iter([("params", Value::Map(Map::new()))]);
        let as_list = Map::from_iter([("params", Value::List(vec![]))]);
        let a = client
            .call_local("sign_request", &as_map, &Map::new())
            .unwrap();
        let b = client
            .call_local("sign_request", &as_list, &Map::new())
            .unwrap();
        assert_eq!(a, b);
        let one = Map::from_iter([("params", Value::List(vec![Value::Int(1)]))]);
        assert!(client
            .call_local("sign_request", &one, &Map::new())
            .is_err());
    }
}
