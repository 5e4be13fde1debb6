//! Delivery URL assembly.
//!
//! `<prefix>/<resource_type>/<type>/<signature>/<transformation>/<version>/<public_id>[/<suffix>][.<format>][?<token>]`
//!
//! The steps run in the reference SDK's order, because later steps use earlier
//! results (the CDN shard is computed from the escaped public id with its extension):
//! fetch-format patch, transformation, URL options, early returns, resource/type
//! rewriting (`url_suffix`, `use_root_path`, `shorten`), public id escaping, version,
//! signature, host, token, analytics.
//!
//! ```
//! use cldkit::{Client, Options};
//! let client = Client::from_url("cloudinary://key:b@demo?analytics=false").unwrap();
//! let opts: Options = serde_json::from_str(r#"{"sign_url": true, "version": 123, "format": "jpg"}"#).unwrap();
//! assert_eq!(client.url("folder/x", &opts).unwrap(),
//!            "https://res.cloudinary.com/demo/image/upload/s--XXjGHys5--/v123/folder/x.jpg");
//! ```

pub mod escape;
pub mod host;
pub(crate) mod node;
mod php;

use std::borrow::Cow;
use std::ops::Range;

use base64::Engine as _;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::config::{Config, Profile};
use crate::error::{Error, Result};
use crate::transform;
use crate::value::{Map, Value};
use crate::Client;
use escape::{collapse_slashes, push_smart_escaped};
use host::HostOptions;

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
    /// Builds the delivery URL of `source` with `options` (the SDKs' snake_case
    /// option map).
    ///
    /// Returns the remote URL itself for an `http(s):` source with type `upload`, as the
    /// SDKs do.
    pub fn url(&self, source: &str, options: &Map) -> Result<String> {
        if self.profile() == Profile::Node {
            let url = node::url(self, &Value::from(source), &mut options.clone())?;
            return Ok(node_text(url));
        }
        if self.profile() == Profile::Php {
            return match self.url_output(&Value::from(source), options, false)?.url {
                Value::Str(s) => Ok(s),
                _ => Ok(String::new()),
            };
        }
        if source.is_empty() {
            return Ok(String::new());
        }
        match build(self, source, options, false)? {
            Built::Url(u, _) | Built::Untouched(u, _) => Ok(u),
        }
    }

    /// [`Client::url`] for a caller that owns its option map and has no further use
    /// for it: the `node` profile consumes the map in place instead of copying it
    /// (the binding's fast path). Same output as [`Client::url`] in every profile.
    pub fn url_owned(&self, source: &str, mut options: Map) -> Result<String> {
        if self.profile() == Profile::Node {
            let url = node::url(self, &Value::from(source), &mut options)?;
            return Ok(node_text(url));
        }
        self.url(source, &options)
    }

    /// Builds the delivery URL like pycloudinary's `cloudinary_url(source, **options)`
    /// and also returns the leftover options (for HTML attributes).
    pub fn url_with_leftovers(&self, source: &Value, options: &Map) -> Result<UrlOutput> {
        self.url_output(source, options, true)
    }

    /// [`Client::url_with_leftovers`], with the leftover map left empty (not built)
    /// unless `want_leftovers`.
    fn url_output(&self, source: &Value, options: &Map, want_leftovers: bool) -> Result<UrlOutput> {
        if self.profile() == Profile::Node {
            let mut leftovers = options.clone();
            let url = node::url(self, source, &mut leftovers)?;
            return Ok(UrlOutput { url, leftovers });
        }
        let prepared;
        let mut php_source = None;
        let options = if self.profile() == Profile::Php {
            let empty = Value::Map(Map::new());
            let config_token = match self.config().get("auth_token") {
                Some(t @ Value::Map(_)) => Some(t),
                _ if matches!(options.get("auth_token"), Some(Value::Map(_))) => Some(&empty),
                _ => None,
            };
            prepared = php::prepare_options(source, options, config_token)?;
            if let Value::Int(_) | Value::Float(_) = source {
                // `fromParams(string $source)`: weak typing turns a number into text.
                php_source = crate::php::string(source);
            }
            &*prepared
        } else {
            options
        };
        let text = match source {
            Value::Str(s) if !s.is_empty() => php_source.as_deref().unwrap_or(s.as_str()),
            Value::Int(_) | Value::Float(_) if php_source.is_some() => {
                php_source.as_deref().unwrap_or_default()
            }
            Value::Str(_) if self.profile() == Profile::Php => {
                // cloudinary_php builds the URL of an empty public id.
                if let Some(url) = php::empty_source_url(self, options)? {
                    return Ok(UrlOutput {
                        url: Value::Str(url),
                        leftovers: Map::new(),
                    });
                }
                ""
            }
            v if !v.truthy() => {
                // A falsy source is returned as it is, after the options are consumed.
                let leftovers = consumed_before_return(self, options)?;
                return Ok(UrlOutput {
                    url: v.clone(),
                    leftovers,
                });
            }
            other => {
                return Err(Error::invalid_option(
                    "source",
                    format!("a public id must be a string, found {}", other.type_name()),
                ))
            }
        };
        match build(self, text, options, want_leftovers)? {
            Built::Url(u, left) => Ok(UrlOutput {
                url: Value::Str(if self.profile() == Profile::Php {
                    php::finish_url(self, text, options, u)?
                } else {
                    u
                }),
                leftovers: left.unwrap_or_default(),
            }),
            Built::Untouched(_, left) => Ok(UrlOutput {
                url: source.clone(),
                leftovers: left.unwrap_or_default(),
            }),
        }
    }

    /// The Upload/Admin API endpoint URL for `action` (`cloudinary_api_url`):
    /// `{upload_prefix}/v1_1/{cloud_name}/{resource_type}/{action}`.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://k:s@demo").unwrap();
    /// assert_eq!(client.api_url("upload", &Default::default()).unwrap(),
    ///            "https://api.cloudinary.com/v1_1/demo/image/upload");
    /// ```
    pub fn api_url(&self, action: &str, options: &Map) -> Result<String> {
        if self.profile() == Profile::Node {
            // `options.resource_type || "image"`.
            let resource_type = options
                .get("resource_type")
                .filter(|v| crate::transform::js::truthy(Some(v)))
                .cloned()
                .unwrap_or_else(|| Value::from("image"));
            return node::api_url(self, &[resource_type, Value::from(action)], options);
        }
        let resource_type = options
            .get("resource_type")
            .cloned()
            .unwrap_or_else(|| Value::from("image"));
        self.api_url_path(&[resource_type, Value::from(action)], options)
    }

    /// `{upload_prefix}/v1_1/{cloud_name}/` followed by `path` joined with `/`.
    pub fn api_url_path(&self, path: &[Value], options: &Map) -> Result<String> {
        let config = self.config();
        let prefix = match options
            .get("upload_prefix")
            .or(config.known.upload_prefix.as_ref())
        {
            Some(v) if v.truthy() => v.str_for("upload_prefix")?.to_owned(),
            _ => "https://api.cloudinary.com".to_owned(),
        };
        let cloud_name = options
            .get("cloud_name")
            .or(config.known.cloud_name.as_ref())
            .filter(|v| v.truthy());
        let cloud_name = match cloud_name {
            Some(c) => c.str_for("cloud_name")?,
            // cloudinary_php builds the URL with an empty cloud name.
            None if self.profile() == Profile::Php => "",
            None => return Err(Error::config_option("cloud_name", "Must supply cloud_name")),
        };
        let mut out = format!("{prefix}/v1_1/{cloud_name}");
        for p in path {
            out.push('/');
            out.push_str(p.str_for("resource_type")?);
        }
        Ok(out)
    }

    /// The URL of a video's poster image (`CloudinaryVideo(id).video_thumbnail(**options)`):
    /// resource type `video`, format `jpg` unless `format` is given.
    pub fn video_thumbnail_url(&self, public_id: &str, options: &Map) -> Result<String> {
        if self.profile() == Profile::Node {
            // `extend({}, DEFAULT_POSTER_OPTIONS, options)`.
            let mut combined = Map::with_capacity(options.len() + 2);
            combined.insert("format", "jpg");
            combined.insert("resource_type", "video");
            combined.update(options);
            let url = node::url(self, &Value::from(public_id), &mut combined)?;
            return Ok(node_text(url));
        }
        let mut combined = Map::with_capacity(options.len() + 4);
        combined.insert("format", Value::Null);
        combined.insert("version", Value::Null);
        combined.insert("type", "upload");
        combined.insert("resource_type", "video");
        combined.update(options);
        if !options.contains_key("format") || self.profile() == Profile::Php {
            php::thumbnail_format(&mut combined, self.profile())?;
        }
        let source = match combined.get("public_id") {
            Some(v) if v.truthy() => v.clone(),
            _ => Value::from(public_id),
        };
        match self.url_with_leftovers(&source, &combined)?.url {
            Value::Str(s) => Ok(s),
            Value::Null => Ok(String::new()),
            other => Ok(other.py_str().into_owned()),
        }
    }
}

/// The settings a `CLOUDINARY_URL` (or `CLOUDINARY_ACCOUNT_URL`) holds, as the
/// profile's SDK parses it: pycloudinary's parser ([`crate::config::parse_url_settings`])
/// in the default and python profiles, the npm SDK's in the node profile (the cloud
/// name keeps its case, the last of repeated query keys wins, blank values are kept),
/// cloudinary_php's in the php profile (`true`/`false` typed, `secure_cname` for a
/// path, no `private_cdn: false` default).
///
/// ```
/// use cldkit::{config::UrlKind, Profile};
/// let url = "cloudinary://k:s@MyCloud?a=1&a=2&b=";
/// let py = cldkit::url::parse_settings_url(url, UrlKind::Cloudinary, Profile::Python).unwrap();
/// let node = cldkit::url::parse_settings_url(url, UrlKind::Cloudinary, Profile::Node).unwrap();
/// assert_eq!(py.get("cloud_name").unwrap().as_str(), Some("mycloud"));
/// assert_eq!(node.get("cloud_name").unwrap().as_str(), Some("MyCloud"));
/// assert_eq!((py.get("a").unwrap().as_str(), node.get("a").unwrap().as_str()), (Some("1"), Some("2")));
/// assert_eq!((py.get("b"), node.get("b").unwrap().as_str()), (None, Some("")));
/// ```
pub fn parse_settings_url(
    url: &str,
    kind: crate::config::UrlKind,
    profile: Profile,
) -> Result<Map> {
    match profile {
        Profile::Node => node::parse_env_url(url, kind),
        Profile::Php => php::parse_env_url(url, kind),
        Profile::Python | Profile::Default => crate::config::parse_url_settings(url, kind),
    }
}

/// A node-profile URL result as text: a returned source as it is, null as `""`.
fn node_text(url: Value) -> String {
    match url {
        Value::Str(s) => s,
        Value::Null => String::new(),
        other => crate::transform::js::string(&other).into_owned(),
    }
}

enum Built {
    Url(String, Option<Map>),
    Untouched(String, Option<Map>),
}

/// The URL `cloudinary_url(source, **options)` builds for a non-empty `source`,
/// without the leftover options; `None` when the source is returned untouched.
pub(crate) fn built_url(client: &Client, source: &str, options: &Map) -> Result<Option<String>> {
    if source.is_empty() {
        return Ok(None);
    }
    Ok(match build(client, source, options, false)? {
        Built::Url(u, _) => Some(u),
        Built::Untouched(..) => None,
    })
}

/// URL-level options read in one pass.
#[derive(Default)]
struct UrlOpts<'a> {
    kind: Option<Option<&'a Value>>,
    resource_type: Option<Option<&'a Value>>,
    version: Option<&'a Value>,
    format: Option<&'a Value>,
    has_fetch_format: bool,
    use_fetch_format: Option<Option<&'a Value>>,
    force_version: Option<Option<&'a Value>>,
    shorten: Option<Option<&'a Value>>,
    sign_url: Option<Option<&'a Value>>,
    api_secret: Option<Option<&'a Value>>,
    url_suffix: Option<&'a Value>,
    use_root_path: Option<Option<&'a Value>>,
    auth_token: Option<&'a Value>,
    long_url_signature: Option<Option<&'a Value>>,
    signature_algorithm: Option<Option<&'a Value>>,
    cloud_name: Option<Option<&'a Value>>,
    secure: Option<Option<&'a Value>>,
    private_cdn: Option<Option<&'a Value>>,
    cname: Option<Option<&'a Value>>,
    secure_distribution: Option<Option<&'a Value>>,
    cdn_subdomain: Option<Option<&'a Value>>,
    secure_cdn_subdomain: Option<Option<&'a Value>>,
}

/// Option names the URL builder consumes before its early return (not the tag
/// helpers' `URL_KEYS`, pycloudinary's list of the options a URL reads).
const CONSUMED_KEYS: &[&str] = &[
    "type",
    "resource_type",
    "version",
    "format",
    "use_fetch_format",
    "force_version",
    "shorten",
    "sign_url",
    "api_secret",
    "url_suffix",
    "use_root_path",
    "auth_token",
    "long_url_signature",
    "signature_algorithm",
];

/// Option names consumed by the host step (after the early return).
const HOST_KEYS: &[&str] = &[
    "cloud_name",
    "secure",
    "private_cdn",
    "cname",
    "secure_distribution",
    "cdn_subdomain",
    "secure_cdn_subdomain",
];

impl<'a> UrlOpts<'a> {
    fn read(options: &'a Map) -> Self {
        let mut o = UrlOpts::default();
        for (k, v) in options.iter() {
            let some = Some(v);
            // Grouped by first byte: a name is compared with the few that share it.
            match k.as_bytes().first() {
                Some(b'a') => match k.as_str() {
                    "api_secret" => o.api_secret = Some(some),
                    "auth_token" => o.auth_token = some,
                    _ => {}
                },
                Some(b'c') => match k.as_str() {
                    "cloud_name" => o.cloud_name = Some(some),
                    "cname" => o.cname = Some(some),
                    "cdn_subdomain" => o.cdn_subdomain = Some(some),
                    _ => {}
                },
                Some(b'f') => match k.as_str() {
                    "format" => o.format = some,
                    "fetch_format" => o.has_fetch_format = true,
                    "force_version" => o.force_version = Some(some),
                    _ => {}
                },
                Some(b'l') if k == "long_url_signature" => o.long_url_signature = Some(some),
                Some(b'p') if k == "private_cdn" => o.private_cdn = Some(some),
                Some(b'r') if k == "resource_type" => o.resource_type = Some(some),
                Some(b's') => match k.as_str() {
                    "shorten" => o.shorten = Some(some),
                    "sign_url" => o.sign_url = Some(some),
                    "signature_algorithm" => o.signature_algorithm = Some(some),
                    "secure" => o.secure = Some(some),
                    "secure_distribution" => o.secure_distribution = Some(some),
                    "secure_cdn_subdomain" => o.secure_cdn_subdomain = Some(some),
                    _ => {}
                },
                Some(b't') if k == "type" => o.kind = Some(some),
                Some(b'u') => match k.as_str() {
                    "use_fetch_format" => o.use_fetch_format = Some(some),
                    "url_suffix" => o.url_suffix = some,
                    "use_root_path" => o.use_root_path = Some(some),
                    _ => {}
                },
                Some(b'v') if k == "version" => o.version = some,
                _ => {}
            }
        }
        o
    }
}

/// The option value if the option was given (even as null), else the config value.
fn pick<'a>(opt: Option<Option<&'a Value>>, config: &'a Option<Value>) -> Option<&'a Value> {
    match opt {
        Some(v) => v,
        None => config.as_ref(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    v.is_some_and(Value::truthy)
}

fn str_is(v: Option<&Value>, s: &str) -> bool {
    v.and_then(Value::as_str) == Some(s)
}

/// The fetch-format patch: for type `fetch` (or with `use_fetch_format`), `format`
/// is consumed (no extension) and becomes `fetch_format` unless that option is given.
/// Returns `None` when the patch does not apply, else the `fetch_format` override
/// (`Some(None)`: keep the given `fetch_format`).
#[allow(clippy::option_option)]
fn fetch_patch<'a>(o: &UrlOpts<'a>, config: &'a Config) -> Option<Option<Option<&'a Value>>> {
    let use_ff = truthy(pick(o.use_fetch_format, &config.known.use_fetch_format));
    let kind_is_fetch = o.kind.is_some_and(|k| str_is(k, "fetch"));
    if !kind_is_fetch && !use_ff {
        return None;
    }
    Some(if o.has_fetch_format {
        None
    } else {
        Some(o.format)
    })
}

/// What the URL builder consumes when it returns early (a falsy source).
fn consumed_before_return(client: &Client, options: &Map) -> Result<Map> {
    let config = client.config();
    let o = UrlOpts::read(options);
    let ff = fetch_patch(&o, config).flatten();
    let mut sink = String::new();
    let flags = transform::generate(config, options, ff, 0, &mut sink)?;
    if o.auth_token != Some(&Value::Bool(false)) {
        merge_auth_token(config.known.auth_token.as_ref(), o.auth_token)?;
    }
    Ok(url_leftovers(options, &flags, false))
}

fn url_leftovers(options: &Map, flags: &transform::Flags, host_consumed: bool) -> Map {
    let size = if flags.size_used {
        transform::size_parts(options)
    } else {
        None
    };
    let mut left = transform::leftovers(options, flags, size.as_ref().map(|(w, h)| (w, h)));
    left.retain(|k, _| !(CONSUMED_KEYS.contains(&k) || (host_consumed && HOST_KEYS.contains(&k))));
    left
}

/// The `s--…--` segment: the first `len` characters of the URL-safe base64 of the
/// digest of `data`.
fn url_signature(algorithm: &str, data: &[&str], len: usize) -> Result<String> {
    fn digest<D: Digest>(data: &[&str]) -> sha2::digest::Output<D> {
        let mut h = D::new();
        for d in data {
            h.update(d.as_bytes());
        }
        h.finalize()
    }
    let mut b64 = [0u8; 64];
    let written =
        match algorithm {
            "sha1" => base64::engine::general_purpose::URL_SAFE
                .encode_slice(digest::<Sha1>(data), &mut b64),
            "sha256" => base64::engine::general_purpose::URL_SAFE
                .encode_slice(digest::<Sha256>(data), &mut b64),
            other => {
                return Err(Error::invalid_option(
                    "signature_algorithm",
                    format!("Unsupported signature algorithm '{other}'"),
                ))
            }
        }
        .map_err(|_| Error::signature("signature encoding failed"))?;
    let chars = std::str::from_utf8(&b64[..written.min(len)])
        .map_err(|_| Error::signature("signature encoding failed"))?;
    let mut out = String::with_capacity(chars.len() + 5);
    out.push_str("s--");
    out.push_str(chars);
    out.push_str("--");
    Ok(out)
}

/// Python's `urlparse(url).path` for the URLs built here (tabs and newlines are
/// removed first, as Python does).
fn url_path(url: &str) -> String {
    let cleaned: Cow<'_, str> = if url.contains(['\t', '\r', '\n']) {
        Cow::Owned(
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(url)
    };
    let url = cleaned.as_ref();
    let after_scheme = match url.find("://") {
        Some(i) if url[..i].bytes().all(|b| b.is_ascii_alphabetic()) => &url[i + 3..],
        _ => url,
    };
    let start = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let rest = &after_scheme[start..];
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let path = &rest[..end];
    // `;params` after the last slash are not part of the path.
    let last_slash = path.rfind('/').unwrap_or(0);
    match path[last_slash..].find(';') {
        Some(i) => path[..last_slash + i].to_owned(),
        None => path.to_owned(),
    }
}

fn build(client: &Client, source: &str, options: &Map, want_leftovers: bool) -> Result<Built> {
    let config = client.config();
    let o = UrlOpts::read(options);

    // 1. Fetch-format patch, 2. type.
    let patch = fetch_patch(&o, config);
    let format = match patch {
        Some(_) => None,
        None => o.format.filter(|v| !v.is_null()),
    };
    let ff_override = patch.flatten();
    let kind_is_upload = o.kind.map_or(true, |k| str_is(k, "upload"));
    let kind: Option<Seg<'_>> = match o.kind {
        Some(k) => seg(k),
        None => Some(Seg::Text("upload")),
    };

    // 3. Transformation, at the start of a buffer that later also holds the escaped
    // source.
    let mut buf = String::with_capacity(128 + 2 * source.len());
    let flags = transform::generate(config, options, ff_override, 0, &mut buf)?;
    let transformation_end = buf.len();

    // 4. URL-level options.
    let resource_type: Option<Seg<'_>> = match o.resource_type {
        Some(r) => seg(r),
        None => Some(Seg::Text("image")),
    };
    let force_version = match pick(o.force_version, &config.known.force_version) {
        None | Some(Value::Null) => true,
        Some(v) => v.truthy(),
    };
    let shorten = truthy(pick(o.shorten, &config.known.shorten));
    let sign_url = truthy(pick(o.sign_url, &config.known.sign_url));
    let api_secret = pick(o.api_secret, &config.known.api_secret);
    let url_suffix = o.url_suffix.filter(|v| !v.is_null());
    let use_root_path = truthy(pick(o.use_root_path, &config.known.use_root_path));
    let long_url_signature = truthy(pick(o.long_url_signature, &config.known.long_url_signature));
    let signature_algorithm: Cow<'_, str> = match o.signature_algorithm {
        Some(v) => v.map_or(Cow::Borrowed("None"), Value::py_str),
        None => config
            .known
            .signature_algorithm
            .as_ref()
            .map_or(Cow::Borrowed("sha1"), Value::py_str),
    };
    let auth_token = match o.auth_token {
        Some(Value::Bool(false)) => TokenOptions::None,
        opt => merge_auth_token(config.known.auth_token.as_ref(), opt)?,
    };

    // 5. Early return: a remote http(s) URL with type upload.
    if kind_is_upload
        && (source.starts_with("http:") || source.starts_with("https:"))
        && client.profile() != Profile::Php
    {
        let left = want_leftovers.then(|| url_leftovers(options, &flags, false));
        return Ok(Built::Untouched(source.to_owned(), left));
    }

    // 6. resource_type / type segments.
    let (rt_seg, type_seg) = if client.profile() == Profile::Php {
        php::asset_type_segments(resource_type, kind, url_suffix, use_root_path, shorten)?
    } else {
        finalize_resource_type(resource_type, kind, url_suffix, use_root_path, shorten)?
    };

    // 7. Public id, suffix and format.
    let finalized = if client.profile() == Profile::Php {
        php::finalize_source(&mut buf, source, format, url_suffix)?
    } else {
        finalize_source(&mut buf, source, format, url_suffix)?
    };
    let final_source: &str = &buf[finalized.source];
    let source_to_sign: &str = &buf[finalized.to_sign];

    // 8. Version.
    let version: Option<Cow<'_, str>> = match o.version.filter(|v| v.truthy()) {
        Some(v) => Some(v.py_str()),
        None if force_version
            && source_to_sign.contains('/')
            && !starts_with_http_slash(source_to_sign)
            && !starts_with_version(source_to_sign) =>
        {
            Some(Cow::Borrowed("1"))
        }
        None => None,
    };

    // 9. Slash collapse inside the transformation.
    // (cloudinary_php keeps them: `w_100/` in a chain gives `w_100//`.)
    let transformation = if client.profile() == Profile::Php {
        Cow::Borrowed(&buf[..transformation_end])
    } else {
        collapse_slashes(&buf[..transformation_end])
    };

    // 10. Signature.
    let mut signature: Option<String> = None;
    let token_active = match &auth_token {
        TokenOptions::None => false,
        TokenOptions::Map(m) => !m.is_empty(),
        TokenOptions::List(n) => *n > 0,
    };
    let set_url_signature = match &auth_token {
        TokenOptions::Map(m) => m.get("set_url_signature").is_some_and(Value::truthy),
        TokenOptions::List(_) if sign_url && token_active => {
            return Err(Error::invalid_option(
                "auth_token",
                "expected a map of token options, found list",
            ))
        }
        _ => false,
    };
    if sign_url && (!token_active || set_url_signature) {
        let secret = match api_secret {
            Some(v) if v.truthy() => v.str_for("api_secret")?,
            _ => return Err(Error::signature("Must supply api_secret")),
        };
        let (algorithm, len) = if long_url_signature {
            ("sha256", 32)
        } else if client.profile() == Profile::Php {
            // `getSignatureAlgorithm()`: anything but SHA-256 signs with SHA-1.
            let sha256 = signature_algorithm.eq_ignore_ascii_case("sha256");
            (if sha256 { "sha256" } else { "sha1" }, 8)
        } else {
            (signature_algorithm.as_ref(), 8)
        };
        // cloudinary_php signs the transformation without the responsive-width
        // component (`finalizeSimpleSignature` reads `$this->transformation`).
        let php_main;
        let transformation: &str = match options.get("responsive_width") {
            _ if client.profile() != Profile::Php => &transformation,
            Some(v) if !v.truthy() => &transformation,
            None if !truthy(config.known.responsive_width.as_ref()) => &transformation,
            _ => {
                let mut without = options.clone();
                without.insert("responsive_width", false);
                let mut main = String::with_capacity(transformation.len());
                transform::generate(config, &without, ff_override, 0, &mut main)?;
                php_main = main;
                &php_main
            }
        };
        let data: &[&str] = if transformation.is_empty() {
            &[source_to_sign, secret]
        } else if source_to_sign.is_empty() {
            &[transformation, secret]
        } else {
            &[transformation, "/", source_to_sign, secret]
        };
        signature = Some(url_signature(algorithm, data, len)?);
    }

    // 11. Host.
    let secure = match pick(o.secure, &config.known.secure) {
        Some(v) if !v.is_null() => v.truthy(),
        _ => config.profile() == Profile::Default,
    };
    let host = HostOptions {
        cloud_name: match o.cloud_name {
            Some(v) => v,
            None => config.known.cloud_name.as_ref().filter(|v| v.truthy()),
        },
        secure,
        private_cdn: pick(o.private_cdn, &config.known.private_cdn),
        secure_distribution: pick(o.secure_distribution, &config.known.secure_distribution),
        cname: pick(o.cname, &config.known.cname),
        cdn_subdomain: pick(o.cdn_subdomain, &config.known.cdn_subdomain),
        secure_cdn_subdomain: pick(o.secure_cdn_subdomain, &config.known.secure_cdn_subdomain),
    };

    // 12. Join.
    let mut url = String::with_capacity(
        48 + transformation.len() + final_source.len() + signature.as_ref().map_or(0, String::len),
    );
    host::push_prefix(&mut url, final_source, &host)?;
    let push = |url: &mut String, part: &str| {
        if !part.is_empty() {
            if !url.is_empty() {
                url.push('/');
            }
            url.push_str(part);
        }
    };
    for seg in [rt_seg, type_seg].into_iter().flatten() {
        push(&mut url, seg.text()?);
    }
    if let Some(sig) = &signature {
        push(&mut url, sig);
    }
    push(&mut url, &transformation);
    if let Some(v) = &version {
        url.push_str("/v");
        url.push_str(v);
    }
    push(&mut url, final_source);

    // 13. Token.
    let mut has_query = false;
    if sign_url {
        if let TokenOptions::Map(token) = auth_token.filter_nonempty() {
            let mut opts = token;
            opts.insert("url", url_path(&url));
            let t = crate::auth_token::generate(&opts, client.now())?;
            url.push('?');
            url.push_str(&t);
            has_query = true;
        }
    }

    // 14. Analytics (never in the python profile).
    if let Some(a) = crate::analytics::url_token(client, options) {
        url.push(if has_query { '&' } else { '?' });
        url.push_str("_a=");
        url.push_str(&a);
    }

    let left = want_leftovers.then(|| url_leftovers(options, &flags, true));
    Ok(Built::Url(url, left))
}

/// A resource-type or type path segment: text, or a value that is not text (an error
/// once it has to be written).
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Text(&'a str),
    Bad(&'a Value),
}

impl<'a> Seg<'a> {
    fn is(self, s: &str) -> bool {
        matches!(self, Seg::Text(t) if t == s)
    }
    fn text(self) -> Result<&'a str> {
        match self {
            Seg::Text(t) => Ok(t),
            Seg::Bad(v) => v.str_for("resource_type"),
        }
    }
}

/// A segment from an option value; `None` for a falsy value.
fn seg(v: Option<&Value>) -> Option<Seg<'_>> {
    match v {
        Some(Value::Str(s)) if !s.is_empty() => Some(Seg::Text(s)),
        Some(v) if v.truthy() => Some(Seg::Bad(v)),
        _ => None,
    }
}

fn seg_is(s: Option<Seg<'_>>, text: &str) -> bool {
    s.is_some_and(|s| s.is(text))
}

fn starts_with_http_slash(s: &str) -> bool {
    s.starts_with("http:/") || s.starts_with("https:/")
}

/// `^v[0-9]+`.
fn starts_with_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'v' && b[1].is_ascii_digit()
}

/// The merged token options: the configured `auth_token` map updated with the call's
/// `auth_token` option (a `false` option disables tokens before this is called).
#[derive(Debug)]
enum TokenOptions {
    None,
    Map(Map),
    /// A list given as the option with no configured map: only its emptiness matters.
    List(usize),
}

fn merge_auth_token(config: Option<&Value>, option: Option<&Value>) -> Result<TokenOptions> {
    let bad = |v: &Value| {
        Error::invalid_option(
            "auth_token",
            format!("expected a map of token options, found {}", v.type_name()),
        )
    };
    let mut result = TokenOptions::None;
    for v in [config, option].into_iter().flatten() {
        if v.is_null() {
            continue;
        }
        result = match (result, v) {
            (TokenOptions::None, Value::Map(m)) => TokenOptions::Map(m.clone()),
            (TokenOptions::None, Value::List(l)) => TokenOptions::List(l.len()),
            (TokenOptions::Map(mut r), Value::Map(m)) => {
                r.update(m);
                TokenOptions::Map(r)
            }
            // `dict.update("")` iterates nothing: the configured token stays as it is.
            (TokenOptions::Map(r), Value::Str(s)) if s.is_empty() => TokenOptions::Map(r),
            (TokenOptions::Map(mut r), Value::List(pairs)) => {
                for pair in pairs {
                    let (k, val) = match pair {
                        Value::List(p) if p.len() == 2 => {
                            (p[0].py_str().into_owned(), p[1].clone())
                        }
                        Value::Str(s) if s.chars().count() == 2 => {
                            let mut c = s.chars();
                            let k = c.next().map(String::from).unwrap_or_default();
                            (
                                k,
                                Value::from(c.next().map(String::from).unwrap_or_default()),
                            )
                        }
                        other => return Err(bad(other)),
                    };
                    r.insert(k, val);
                }
                TokenOptions::Map(r)
            }
            (_, other) => return Err(bad(other)),
        };
    }
    Ok(result)
}

impl TokenOptions {
    fn filter_nonempty(self) -> TokenOptions {
        match self {
            TokenOptions::Map(m) if m.is_empty() => TokenOptions::None,
            other => other,
        }
    }
}

/// The resource-type and type segments after `url_suffix`, `use_root_path` and
/// `shorten`.
fn finalize_resource_type<'a>(
    resource_type: Option<Seg<'a>>,
    kind: Option<Seg<'a>>,
    url_suffix: Option<&Value>,
    use_root_path: bool,
    shorten: bool,
) -> Result<(Option<Seg<'a>>, Option<Seg<'a>>)> {
    let mut rt = resource_type;
    let mut ut = kind.or(Some(Seg::Text("upload")));
    if url_suffix.is_some() {
        if seg_is(rt, "image") && seg_is(ut, "upload") {
            rt = Some(Seg::Text("images"));
            ut = None;
        } else if seg_is(rt, "raw") && seg_is(ut, "upload") {
            rt = Some(Seg::Text("files"));
            ut = None;
        } else {
            return Err(Error::invalid_option(
                "url_suffix",
                "URL Suffix only supported for image/upload and raw/upload",
            ));
        }
    }
    if use_root_path {
        if (seg_is(rt, "image") && seg_is(ut, "upload")) || (seg_is(rt, "images") && ut.is_none()) {
            rt = None;
            ut = None;
        } else {
            return Err(Error::invalid_option(
                "use_root_path",
                "Root path only supported for image/upload",
            ));
        }
    }
    if shorten && seg_is(rt, "image") && seg_is(ut, "upload") {
        rt = Some(Seg::Text("iu"));
        ut = None;
    }
    Ok((rt, ut))
}

/// Where [`finalize_source`] wrote the escaped source (with `/suffix` and `.format`)
/// and the part that is signed (with `.format`, without the suffix) in the buffer.
struct Finalized {
    source: Range<usize>,
    to_sign: Range<usize>,
}

/// Appends the escaped source to `buf` (after the transformation text already there,
/// so one buffer serves both) and says where it and the signed part are.
fn finalize_source(
    buf: &mut String,
    source: &str,
    format: Option<&Value>,
    url_suffix: Option<&Value>,
) -> Result<Finalized> {
    let start = buf.len();
    let collapsed = collapse_slashes(source);
    if starts_with_http_slash(&collapsed) {
        push_smart_escaped(buf, &collapsed);
        return Ok(Finalized {
            source: start..buf.len(),
            to_sign: start..buf.len(),
        });
    }
    if collapsed.bytes().any(|b| b == b'%') {
        push_smart_escaped(buf, &crate::config::percent_decode_lossy(&collapsed));
    } else {
        push_smart_escaped(buf, &collapsed);
    }
    let escaped_end = buf.len();
    let suffix = match url_suffix {
        Some(suffix) => {
            let suffix = suffix.str_for("url_suffix")?;
            if suffix.contains(['.', '/']) {
                return Err(Error::invalid_option(
                    "url_suffix",
                    "url_suffix should not include . or /",
                ));
            }
            Some(suffix)
        }
        None => None,
    };
    let format = format.map(|f| f.str_for("format")).transpose()?;
    let Some(suffix) = suffix else {
        // The signed part equals the source.
        if let Some(format) = format {
            buf.push('.');
            buf.push_str(format);
        }
        return Ok(Finalized {
            source: start..buf.len(),
            to_sign: start..buf.len(),
        });
    };
    buf.push('/');
    buf.push_str(suffix);
    if let Some(format) = format {
        buf.push('.');
        buf.push_str(format);
    }
    let source_end = buf.len();
    let escaped = buf[start..escaped_end].to_owned();
    buf.push_str(&escaped);
    if let Some(format) = format {
        buf.push('.');
        buf.push_str(format);
    }
    Ok(Finalized {
        source: start..source_end,
        to_sign: source_end..buf.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_owned_equals_url_in_every_profile() {
        let options: Map = serde_json::from_str(
            r#"{"width": 300, "height": 200, "crop": "fill", "secure": false, "alt": "x"}"#,
        )
        .unwrap();
        for profile in [
            Profile::Python,
            Profile::Node,
            Profile::Php,
            Profile::Default,
        ] {
            let config = crate::Config::new()
                .with("cloud_name", "demo")
                .with("analytics", false);
            let client = Client::new(config).with_profile(profile);
            let by_ref = client.url("sample.jpg", &options).unwrap();
            let owned = client.url_owned("sample.jpg", options.clone()).unwrap();
            assert_eq!(owned, by_ref, "{profile:?}");
            assert!(
                by_ref.contains("c_fill,h_200,w_300"),
                "{profile:?}: {by_ref}"
            );
        }
    }

    #[test]
    fn width_and_height_given_as_none_stay_options() {
        // pycloudinary: cloudinary_url("dog", height=None, width=None, crop="fit")
        // == (".../c_fit/dog", {"height": None, "width": None}).
        let config = crate::Config::new()
            .with("cloud_name", "demo")
            .with("analytics", false);
        let client = Client::new(config);
        let options: Map =
            serde_json::from_str(r#"{"height": null, "width": null, "crop": "fit"}"#).unwrap();
        let out = client
            .url_with_leftovers(&Value::from("dog"), &options)
            .unwrap();
        assert_eq!(
            out.url,
            Value::from("https://res.cloudinary.com/demo/image/upload/c_fit/dog")
        );
        let expected: Map = serde_json::from_str(r#"{"height": null, "width": null}"#).unwrap();
        assert_eq!(out.leftovers, expected);
    }

    #[test]
    fn size_overwrites_width_and_height_in_place() {
        // pycloudinary: cloudinary_url("x", height="oh", size="100x200", crop="fill",
        // alt="a") leaves {"height": "200", "alt": "a", "width": "100"}; with an overlay
        // both are deleted (an "oh" given beside `size` never survives).
        let config = crate::Config::new()
            .with("cloud_name", "demo")
            .with("analytics", false);
        let client = Client::new(config);
        let left = |json: &str| {
            let options: Map = serde_json::from_str(json).unwrap();
            client
                .url_with_leftovers(&Value::from("x"), &options)
                .unwrap()
                .leftovers
        };
        let expected: Map =
            serde_json::from_str(r#"{"height": "200", "alt": "a", "width": "100"}"#).unwrap();
        assert_eq!(
            left(r#"{"height": "oh", "size": "100x200", "crop": "fill", "alt": "a"}"#),
            expected
        );
        let expected: Map = serde_json::from_str(r#"{"alt": "a"}"#).unwrap();
        assert_eq!(
            left(r#"{"height": "oh", "size": "100x200", "overlay": "logo", "alt": "a"}"#),
            expected
        );
    }

    #[test]
    fn an_empty_auth_token_option_keeps_the_configured_token() {
        // pycloudinary merges with dict.update: "" and [] add nothing, "ab" and 0 raise.
        let config: crate::Config = crate::Config::from_map(
            serde_json::from_str(
                r#"{"cloud_name": "demo", "analytics": false, "auth_token":
                    {"key": "00112233FF99", "duration": 300, "start_time": 1111111111}}"#,
            )
            .unwrap(),
        );
        let client = Client::new(config);
        let url = |token: &str| {
            let options: Map = serde_json::from_str(&format!(
                r#"{{"type": "authenticated", "sign_url": true, "auth_token": {token}}}"#
            ))
            .unwrap();
            client.url("x", &options)
        };
        let plain = url("null").unwrap();
        assert!(plain.contains("__cld_token__="), "{plain}");
        assert_eq!(url(r#""""#).unwrap(), plain);
        assert_eq!(url("[]").unwrap(), plain);
        assert!(url(r#""ab""#).is_err());
        assert!(url("0").is_err());
    }

    #[test]
    fn url_options_are_read_by_name() {
        let mut names: Vec<&str> = CONSUMED_KEYS.iter().chain(HOST_KEYS).copied().collect();
        names.push("fetch_format");
        let options: Map = names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, Value::Int(i as i64 + 1)))
            .chain([("other", Value::Int(0)), ("", Value::Int(0))])
            .collect();
        let o = UrlOpts::read(&options);
        let n = |name: &str| Value::Int(names.iter().position(|x| *x == name).unwrap() as i64 + 1);
        let twice = |v: Option<Option<&Value>>| v.flatten().cloned();
        assert_eq!(twice(o.kind), Some(n("type")));
        assert_eq!(twice(o.resource_type), Some(n("resource_type")));
        assert_eq!(o.version.cloned(), Some(n("version")));
        assert_eq!(o.format.cloned(), Some(n("format")));
        assert!(o.has_fetch_format);
        assert_eq!(twice(o.use_fetch_format), Some(n("use_fetch_format")));
        assert_eq!(twice(o.force_version), Some(n("force_version")));
        assert_eq!(twice(o.shorten), Some(n("shorten")));
        assert_eq!(twice(o.sign_url), Some(n("sign_url")));
        assert_eq!(twice(o.api_secret), Some(n("api_secret")));
        assert_eq!(o.url_suffix.cloned(), Some(n("url_suffix")));
        assert_eq!(twice(o.use_root_path), Some(n("use_root_path")));
        assert_eq!(o.auth_token.cloned(), Some(n("auth_token")));
        assert_eq!(twice(o.long_url_signature), Some(n("long_url_signature")));
        assert_eq!(twice(o.signature_algorithm), Some(n("signature_algorithm")));
        assert_eq!(twice(o.cloud_name), Some(n("cloud_name")));
        assert_eq!(twice(o.secure), Some(n("secure")));
        assert_eq!(twice(o.private_cdn), Some(n("private_cdn")));
        assert_eq!(twice(o.cname), Some(n("cname")));
        assert_eq!(twice(o.secure_distribution), Some(n("secure_distribution")));
        assert_eq!(twice(o.cdn_subdomain), Some(n("cdn_subdomain")));
        assert_eq!(
            twice(o.secure_cdn_subdomain),
            Some(n("secure_cdn_subdomain"))
        );
        let near_misses = Map::from_iter([("types", 1), ("secure_", 1)]);
        let none = UrlOpts::read(&near_misses);
        assert!(none.kind.is_none() && none.secure.is_none());
    }
}
