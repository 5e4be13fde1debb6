//! Delivery URLs in the `node` profile: the npm SDK 2.11.0's `utils.url()`.
//!
//! The steps and their order are pycloudinary's, with the npm SDK's rules: `format`
//! becomes `fetch_format` for type `fetch` only (`use_fetch_format` is not read),
//! `image/upload/v1/x`-like public ids are split into their parts, a remote URL is
//! returned untouched only when no `type` is given, public ids are
//! `encodeURIComponent(decodeURIComponent(id))` (a malformed `%` escape fails),
//! `url_suffix` also serves private, authenticated and video uploads, `version: 0`
//! is written, the host is https unless the *option* `secure` is falsy (the
//! configuration's `secure` is not read), a signature is computed even without an
//! `api_secret` (over the text `undefined`, an npm SDK bug kept for byte equality),
//! the auth token signs the WHATWG-parsed path, and the `_a` analytics parameter is
//! appended unless `urlAnalytics` / `analytics` is not exactly `true`.
//!
//! Like the npm SDK, [`url`] consumes the options it reads: what is left is what the
//! tag helpers turn into HTML attributes.

use std::borrow::Cow;

use base64::Engine as _;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::analytics;
use crate::error::{Error, Result};
use crate::transform::js;
use crate::transform::node as transform;
use crate::transform::node::KeyBits;
use crate::value::{Map, Value};
use crate::Client;

const SHARED_CDN: &str = "res.cloudinary.com";
const OLD_AKAMAI_SHARED_CDN: &str = "cloudinary-a.akamaihd.net";

/// The npm SDK's identity in `_a` tokens: product, SDK code and version.
pub(crate) const NODE_SDK_CODE: &str = "M";
/// The npm SDK version this profile reproduces.
pub(crate) const NODE_SDK_VERSION: &str = "2.11.0";

/// The npm SDK's `utils.url(public_id, options)`, consuming `options`. Returns the
/// URL, or the source itself when the SDK returns it untouched (null, or a remote
/// URL without a `type`).
pub(crate) fn url(client: &Client, public_id: &Value, options: &mut Map) -> Result<Value> {
    let config = client.config();
    // Settings are read where they are, not copied: `Cow::Borrowed` from the
    // configuration (its fields of the known settings, not a search by name),
    // `Cow::Owned` for what was consumed from the options.
    let known = &config.known;

    // patchFetchFormat: type fetch only.
    if matches!(options.get("type"), Some(Value::Str(t)) if t == "fetch")
        && !js::not_null(options.get("fetch_format"))
    {
        match js::consume(options, "format") {
            Some(f) => {
                options.insert("fetch_format", f);
            }
            None => {
                options.remove("fetch_format");
            }
        }
    }
    let mut kind = js::consume(options, "type").map(Segment::Value);
    let transformation = transform::generate(config, options, 0)?;
    let keys = KeyBits::of(options);
    let mut resource_type = keys
        .consume(options, "resource_type")
        .map_or(Segment::Text("image"), Segment::Value);
    let mut version = keys.consume(options, "version");
    let force_version = match consume_or(options, keys, "force_version", &known.force_version) {
        None => true,
        v => js::truthy(v.as_deref()),
    };
    let long_url_signature = js::truthy(
        consume_or(
            options,
            keys,
            "long_url_signature",
            &known.long_url_signature,
        )
        .as_deref(),
    );
    let format = keys.consume(options, "format");
    let shorten = consume_or(options, keys, "shorten", &known.shorten);
    let sign_url = js::truthy(consume_or(options, keys, "sign_url", &known.sign_url).as_deref());
    let api_secret = consume_or(options, keys, "api_secret", &known.api_secret);
    let url_suffix = keys.consume(options, "url_suffix");
    let use_root_path = consume_or(options, keys, "use_root_path", &known.use_root_path);
    // `None`: the default, sha1.
    let signature_algorithm: Option<Cow<'_, Value>> =
        match keys.consume(options, "signature_algorithm") {
            Some(v) => Some(Cow::Owned(v)),
            None => setting(&known.signature_algorithm)
                .filter(|v| js::truthy(Some(v)))
                .map(Cow::Borrowed),
        };
    let auth_token = match options.remove("auth_token") {
        Some(Value::Bool(false)) => None,
        option => Some(spread_merge(known.auth_token.as_ref(), option.as_ref())),
    };
    let auth_token = auth_token.filter(|m| !m.is_empty());

    let mut public_id = Cow::Borrowed(public_id);
    if let Some((rt, t, v, rest)) = preloaded(&public_id) {
        resource_type = Segment::Value(Value::Str(rt));
        kind = Some(Segment::Value(Value::Str(t)));
        version = Some(Value::Str(v));
        public_id = Cow::Owned(Value::Str(rest));
    }
    if public_id.is_null() {
        return Ok(Value::Null);
    }
    let source_text = js::string(&public_id);
    if kind.is_none() && is_http(&source_text, true) {
        return Ok(public_id.into_owned());
    }
    let (rt_seg, type_seg) = finalize_resource_type(
        resource_type,
        kind.unwrap_or(Segment::Text("upload")),
        url_suffix.as_ref(),
        js::truthy(use_root_path.as_deref()),
        js::truthy(shorten.as_deref()),
    )?;
    let (source, source_to_sign) =
        finalize_source(&source_text, format.as_ref(), url_suffix.as_ref())?;

    if version.is_none()
        && force_version
        && source_to_sign.contains('/')
        && !starts_with_version(&source_to_sign)
        && !is_http(&source_to_sign, false)
    {
        version = Some(Value::Int(1));
    }
    let transformation = if has_double_slash(&transformation) {
        collapse_slashes(&transformation)
    } else {
        transformation
    };

    let mut signature = None;
    if sign_url && auth_token.is_none() {
        let mut to_sign = String::with_capacity(transformation.len() + source_to_sign.len() + 48);
        for part in [transformation.as_str(), source_to_sign.as_str()] {
            if !part.is_empty() {
                if !to_sign.is_empty() {
                    to_sign.push('/');
                }
                to_sign.push_str(part);
            }
        }
        // `to_sign + api_secret`: a missing secret signs the text "undefined".
        to_sign.push_str(&js::string_opt(api_secret.as_deref()));
        let len = if long_url_signature { 32 } else { 8 };
        let algorithm = if long_url_signature {
            Cow::Borrowed("sha256")
        } else {
            signature_algorithm
                .as_deref()
                .map_or(Cow::Borrowed("sha1"), js::string)
        };
        let b64 = base64_digest(&algorithm, to_sign.as_bytes())?;
        let cut: String = b64.chars().take(len).collect();
        signature = Some(format!("s--{}--", cut.replace('/', "_").replace('+', "-")));
    }

    let mut url = distribution_prefix(
        client,
        &source,
        options,
        transformation.len() + source.len() + 48,
    )?;
    let mut push = |part: &str| {
        if part.is_empty() {
            return;
        }
        if !url.is_empty() {
            url.push('/');
        }
        url.push_str(part);
    };
    if let Some(rt) = &rt_seg {
        push(&rt.text());
    }
    if let Some(t) = &type_seg {
        push(&t.text());
    }
    if let Some(s) = &signature {
        push(s);
    }
    push(&transformation);
    if let Some(v) = &version {
        let mut text = String::with_capacity(12);
        text.push('v');
        js::push_string(&mut text, v);
        push(&text);
    }
    push(&source);
    let mut url = if url.as_bytes().contains(&b' ') {
        url.replace(' ', "%20")
    } else {
        url
    };
    if sign_url {
        if let Some(mut token) = auth_token {
            token.insert("url", path_and_query(&url)?);
            let t = crate::auth_token::generate_node(&token, client.now())?;
            url.push('?');
            url.push_str(&t);
        }
    }
    if let Some(a) = analytics_token(client, options) {
        url.push(if url.as_bytes().contains(&b'?') {
            '&'
        } else {
            '?'
        });
        url.push_str("_a=");
        url.push_str(&a);
    }
    Ok(Value::Str(url))
}

/// A resource type or type segment: a value from the options, or a fixed text.
enum Segment {
    Value(Value),
    Text(&'static str),
}

impl Segment {
    /// Whether it is the string `s`.
    fn is(&self, s: &str) -> bool {
        match self {
            Segment::Value(Value::Str(t)) => t == s,
            Segment::Value(_) => false,
            Segment::Text(t) => *t == s,
        }
    }

    /// `String(segment)`.
    fn text(&self) -> Cow<'_, str> {
        match self {
            Segment::Value(v) => js::string(v),
            Segment::Text(t) => Cow::Borrowed(t),
        }
    }
}

/// The SDK's `consumeOption(options, name, config[name])` with a null setting counting
/// as absent: the option's value (removed from `options`), else the setting (the
/// configuration's field for `name`), borrowed.
fn consume_or<'c>(
    options: &mut Map,
    keys: KeyBits,
    name: &str,
    configured: &'c Option<Value>,
) -> Option<Cow<'c, Value>> {
    match keys.consume(options, name) {
        Some(v) => Some(Cow::Owned(v)),
        None => setting(configured).map(Cow::Borrowed),
    }
}

/// A configured setting, a null counting as absent.
fn setting(value: &Option<Value>) -> Option<&Value> {
    value.as_ref().filter(|v| !v.is_null())
}

/// The npm SDK's `api_url(action, options)`: `upload_prefix` and `cloud_name` from
/// the options or else the configuration (a null counts as given and prints as
/// nothing), the path parts `encodeURIComponent`-ed (and a first `'` as `%27`).
pub(crate) fn api_url(client: &Client, path: &[Value], options: &Map) -> Result<String> {
    let config = client.config();
    let ensure = |name: &str| options.get(name).or_else(|| config.get(name));
    let prefix = ensure("upload_prefix")
        .cloned()
        .unwrap_or_else(|| "https://api.cloudinary.com".into());
    let cloud_name = ensure("cloud_name")
        .cloned()
        .ok_or_else(|| Error::config_option("cloud_name", "Must supply cloud_name"))?;
    let mut parts = vec![prefix, Value::from("v1_1"), cloud_name];
    for p in path {
        let encoded = js::encode_uri_component(&js::string_opt(Some(p))).replacen('\'', "%27", 1);
        parts.push(Value::Str(encoded));
    }
    Ok(js::join(&parts, "/"))
}

/// The npm SDK's `CLOUDINARY_URL` / `CLOUDINARY_ACCOUNT_URL` parser: a WHATWG URL
/// (the cloud name keeps its case, userinfo stays percent-encoded), `api_key` null
/// when the user name is empty, no `api_secret` without a password, query values as
/// `URLSearchParams` gives them (the last of repeated keys, blanks kept), keys split
/// on brackets (`a[]=1` sets `a`, an empty key sets `undefined`, an npm SDK quirk).
pub(crate) fn parse_env_url(url: &str, kind: crate::config::UrlKind) -> Result<Map> {
    use crate::config::UrlKind;
    let (scheme, env) = match kind {
        UrlKind::Cloudinary => ("cloudinary://", "CLOUDINARY_URL"),
        UrlKind::Account => ("account://", "CLOUDINARY_ACCOUNT_URL"),
    };
    if !url.to_lowercase().starts_with(scheme) {
        return Err(Error::config(format!(
            "Invalid {env} protocol. URL should begin with '{scheme}'"
        )));
    }
    let parsed = ::url::Url::parse(url)
        .map_err(|e| Error::config(format!("TypeError: Invalid URL in {env} ({e})")))?;
    let username = parsed.username();
    let password = parsed.password().unwrap_or_default();
    let auth: Option<String> = if !username.is_empty() && !password.is_empty() {
        Some(format!("{username}:{password}"))
    } else if !username.is_empty() {
        Some(username.to_owned())
    } else {
        None
    };
    // `uri.username || (auth && auth.split(":")[0])`, and `[1]` for the secret.
    let part = |own: &str, i: usize| -> Option<Value> {
        if !own.is_empty() {
            return Some(Value::from(own));
        }
        match &auth {
            None => Some(Value::Null),
            Some(a) => a.split(':').nth(i).map(Value::from),
        }
    };
    let hostname = parsed.host_str().unwrap_or_default().to_owned();
    let mut out = Map::new();
    match kind {
        UrlKind::Cloudinary => {
            let path = parsed.path();
            let private = !path.is_empty() && path != "/";
            out.insert("cloud_name", hostname);
            if let Some(k) = part(username, 0) {
                out.insert("api_key", k);
            }
            if let Some(s) = part(password, 1) {
                out.insert("api_secret", s);
            }
            out.insert("private_cdn", private);
            if private {
                out.insert("secure_distribution", &path[1..]);
            }
        }
        UrlKind::Account => {
            out.insert("account_id", hostname);
            if let Some(k) = part(username, 0) {
                out.insert("provisioning_api_key", k);
            }
            if let Some(s) = part(password, 1) {
                out.insert("provisioning_api_secret", s);
            }
        }
    }
    if parsed.query().is_some_and(|q| !q.is_empty()) {
        // `query[key] = value`: the last value wins, in the first key's place.
        let mut query = Map::new();
        for (k, v) in parsed.query_pairs() {
            query.insert(k.into_owned(), v.into_owned());
        }
        for (key, value) in crate::upload::node::js_ordered(&query) {
            put_nested(&mut out, key, value.clone());
        }
    }
    Ok(out)
}

/// `putNestedValue(params, key, value)`: `key.split(/[\[\]]+/)` without empty parts; a
/// part naming a text or boolean swallows the write.
fn put_nested(out: &mut Map, key: &str, value: Value) {
    let mut chain: Vec<&str> = key.split(['[', ']']).filter(|p| !p.is_empty()).collect();
    let last = chain.pop().unwrap_or("undefined").to_owned();
    let mut outer = out;
    for k in chain {
        let missing = !matches!(outer.get(k), Some(v) if !v.is_null());
        if missing {
            outer.insert(k, Map::new());
        }
        outer = match outer.get_mut(k) {
            Some(Value::Map(m)) => m,
            // Assigning a property of a primitive does nothing.
            _ => return,
        };
    }
    outer.insert(last, value);
}

/// `{...a, ...b}` of the configured and given `auth_token` (a string spreads its
/// characters by index, a list its items; other values add nothing).
fn spread_merge(a: Option<&Value>, b: Option<&Value>) -> Map {
    let mut out = Map::new();
    for v in [a, b].into_iter().flatten() {
        js::spread_into(&mut out, v);
    }
    out
}

/// `/^(image|raw)\/([a-z0-9_]+)\/v(\d+)\/([^#]+)$/` on `String(public_id)`.
fn preloaded(public_id: &Value) -> Option<(String, String, String, String)> {
    let text = match public_id {
        Value::Null => return None,
        v => js::string(v),
    };
    let (rt, rest) = text.split_once('/')?;
    if rt != "image" && rt != "raw" {
        return None;
    }
    let (kind, rest) = rest.split_once('/')?;
    if kind.is_empty()
        || !kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let rest = rest.strip_prefix('v')?;
    let (version, id) = rest.split_once('/')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if id.is_empty() || id.contains('#') || id.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
        return None;
    }
    Some((rt.into(), kind.into(), version.into(), id.into()))
}

/// `/^https?:\//` (case-insensitive when `ignore_case`).
fn is_http(s: &str, ignore_case: bool) -> bool {
    let b = s.as_bytes();
    let starts = |p: &[u8]| {
        b.len() >= p.len()
            && if ignore_case {
                b[..p.len()].eq_ignore_ascii_case(p)
            } else {
                &b[..p.len()] == p
            }
    };
    starts(b"http:/") || starts(b"https:/")
}

/// `/^v[0-9]+/`.
fn starts_with_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'v' && b[1].is_ascii_digit()
}

/// Whether `s` contains `//` (a byte scan: the texts are short).
fn has_double_slash(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"//")
}

/// `s.replace(/([^:])\/\//g, '$1/')`: one pass, matches do not overlap.
fn collapse_slashes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut last, mut i) = (0, 0);
    while i + 2 < b.len() {
        if b[i] != b':' && b[i + 1] == b'/' && b[i + 2] == b'/' {
            // i + 1 is an ASCII '/', so a char boundary.
            out.push_str(&s[last..i + 1]);
            out.push('/');
            i += 3;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

fn finalize_resource_type(
    resource_type: Segment,
    kind: Segment,
    url_suffix: Option<&Value>,
    use_root_path: bool,
    shorten: bool,
) -> Result<(Option<Segment>, Option<Segment>)> {
    let is = |v: &Option<Segment>, s: &str| v.as_ref().is_some_and(|v| v.is(s));
    let mut rt = Some(resource_type);
    let mut kind = Some(kind);
    if url_suffix.is_some() {
        let new_rt = if is(&rt, "image") && is(&kind, "upload") {
            "images"
        } else if is(&rt, "image") && is(&kind, "private") {
            "private_images"
        } else if is(&rt, "image") && is(&kind, "authenticated") {
            "authenticated_images"
        } else if is(&rt, "raw") && is(&kind, "upload") {
            "files"
        } else if is(&rt, "video") && is(&kind, "upload") {
            "videos"
        } else {
            return Err(Error::invalid_option(
                "url_suffix",
                "URL Suffix only supported for image/upload, image/private, image/authenticated, \
                 video/upload and raw/upload",
            ));
        };
        rt = Some(Segment::Text(new_rt));
        kind = None;
    }
    if use_root_path {
        if (is(&rt, "image") && is(&kind, "upload")) || (is(&rt, "images") && kind.is_none()) {
            rt = None;
            kind = None;
        } else {
            return Err(Error::invalid_option(
                "use_root_path",
                "Root path only supported for image/upload",
            ));
        }
    }
    if shorten && is(&rt, "image") && is(&kind, "upload") {
        rt = Some(Segment::Text("iu"));
        kind = None;
    }
    Ok((rt, kind))
}

/// The escaped public id (with suffix and format) and the part that is signed.
fn finalize_source(
    source: &str,
    format: Option<&Value>,
    url_suffix: Option<&Value>,
) -> Result<(String, String)> {
    let source: Cow<'_, str> = if has_double_slash(source) {
        Cow::Owned(collapse_slashes(source))
    } else {
        Cow::Borrowed(source)
    };
    if is_http(&source, true) {
        let escaped = js::smart_escape(&source, js::default_unsafe);
        return Ok((escaped.clone(), escaped));
    }
    let escaped: Cow<'_, str> = if source.bytes().all(plain_id_byte) {
        // No `%` to decode, nothing `encodeURIComponent` changes but `/` and `:`, which
        // are put back: the id as it is.
        source
    } else {
        let decoded = js::decode_uri_component(&source).ok_or_else(|| {
            Error::invalid_option("public_id", "URIError: URI malformed (the npm SDK fails)")
        })?;
        Cow::Owned(
            js::encode_uri_component(&decoded)
                .replace("%3A", ":")
                .replace("%2F", "/"),
        )
    };
    let extra = format.map_or(0, |_| 16) + url_suffix.map_or(0, |_| 16);
    let mut out = String::with_capacity(escaped.len() + extra);
    out.push_str(&escaped);
    let mut to_sign = String::with_capacity(escaped.len() + extra);
    to_sign.push_str(&escaped);
    if let Some(suffix) = url_suffix.filter(|s| js::truthy(Some(s))) {
        let Value::Str(suffix) = suffix else {
            return Err(js::type_error(
                "url_suffix",
                "url_suffix.match is not a function",
                suffix,
            ));
        };
        if suffix.contains(['.', '/']) {
            return Err(Error::invalid_option(
                "url_suffix",
                "url_suffix should not include . or /",
            ));
        }
        out.push('/');
        out.push_str(suffix);
    }
    if let Some(f) = format {
        let f = js::string(f);
        out.push('.');
        out.push_str(&f);
        to_sign.push('.');
        to_sign.push_str(&f);
    }
    Ok((out, to_sign))
}

/// A byte `encodeURIComponent(decodeURIComponent(..))` plus the SDK's `%3A`/`%2F`
/// restoring leave as it is: unreserved characters, `/` and `:`.
fn plain_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')' | b'/' | b':'
        )
}

fn base64_digest(algorithm: &str, data: &[u8]) -> Result<String> {
    let std = &base64::engine::general_purpose::STANDARD;
    Ok(match algorithm {
        "sha1" => std.encode(Sha1::digest(data)),
        "sha256" => std.encode(Sha256::digest(data)),
        other => {
            return Err(Error::invalid_option(
                "signature_algorithm",
                format!(
                "Signature algorithm {other} is not supported. Supported algorithms: sha1, sha256"
            ),
            ))
        }
    })
}

/// `build_distribution_domain` + `unsigned_url_prefix`, consuming the host options;
/// `room`: what the caller appends afterwards (one allocation for the whole URL).
fn distribution_prefix<'c>(
    client: &'c Client,
    source: &str,
    options: &mut Map,
    room: usize,
) -> Result<String> {
    let config = client.config();
    // `consumeOption(options, 'secure', true)`: the configuration is not read.
    let secure = options.remove("secure").filter(|v| !v.is_null());
    let secure = secure.map_or(true, |v| js::truthy(Some(&v)));
    let keys = KeyBits::of(options);
    let known = &config.known;
    let mut take =
        |name: &str, setting: &'c Option<Value>| consume_or(options, keys, name, setting);
    let cloud_name = take("cloud_name", &known.cloud_name)
        .filter(|v| js::truthy(Some(v)))
        .ok_or_else(|| {
            Error::config_option(
                "cloud_name",
                "Must supply cloud_name in tag or in configuration",
            )
        })?;
    let _ssl_detected = take("ssl_detected", &known.ssl_detected);
    let private_cdn = take("private_cdn", &known.private_cdn);
    let cname = take("cname", &known.cname);
    let secure_distribution = take("secure_distribution", &known.secure_distribution);
    let cdn_subdomain = take("cdn_subdomain", &known.cdn_subdomain);
    let secure_cdn_subdomain = take("secure_cdn_subdomain", &known.secure_cdn_subdomain);

    let Value::Str(cloud) = &*cloud_name else {
        return Err(js::type_error(
            "cloud_name",
            "cloud_name.indexOf is not a function",
            &cloud_name,
        ));
    };
    if cloud.starts_with('/') {
        return Ok(format!("/res{cloud}"));
    }
    let private = js::truthy(private_cdn.as_deref());
    let shared_domain = !private;
    let shard = || crc32fast::hash(&js::utf8_encode_units(source)) % 5 + 1;
    let mut prefix = String::with_capacity(64 + room);
    if secure {
        let given = match secure_distribution.as_deref() {
            None => None,
            Some(Value::Str(d)) if d == OLD_AKAMAI_SHARED_CDN => None,
            Some(d) => Some(d),
        };
        let secure_cdn = match secure_cdn_subdomain {
            None if shared_domain => cdn_subdomain,
            other => other,
        };
        prefix.push_str("https://");
        if js::truthy(secure_cdn.as_deref()) {
            let default;
            let dist = match given {
                Some(d) => d,
                None => {
                    default = Value::Str(default_distribution(cloud, private));
                    &default
                }
            };
            let Value::Str(d) = dist else {
                return Err(js::type_error(
                    "secure_distribution",
                    "secure_distribution.replace is not a function",
                    dist,
                ));
            };
            prefix.push_str(&d.replacen(SHARED_CDN, &format!("res-{}.cloudinary.com", shard()), 1));
        } else {
            match given {
                Some(d) => js::push_string(&mut prefix, d),
                None if private => {
                    prefix.push_str(cloud);
                    prefix.push_str("-res.cloudinary.com");
                }
                None => prefix.push_str(SHARED_CDN),
            }
        }
    } else if js::truthy(cname.as_deref()) {
        prefix.push_str("http://");
        if js::truthy(cdn_subdomain.as_deref()) {
            prefix.push_str(&format!("a{}.", shard()));
        }
        prefix.push_str(&js::string_opt(cname.as_deref()));
    } else {
        prefix.push_str("http://");
        if private {
            prefix.push_str(cloud);
            prefix.push('-');
        }
        prefix.push_str("res");
        if js::truthy(cdn_subdomain.as_deref()) {
            prefix.push_str(&format!("-{}", shard()));
        }
        prefix.push_str(".cloudinary.com");
    }
    if shared_domain {
        prefix.push('/');
        prefix.push_str(cloud);
    }
    Ok(prefix)
}

/// The secure host when no `secure_distribution` is given: the shared CDN, or
/// `<cloud>-res.cloudinary.com` for a private CDN.
fn default_distribution(cloud: &str, private: bool) -> String {
    if private {
        format!("{cloud}-res.cloudinary.com")
    } else {
        SHARED_CDN.to_owned()
    }
}

/// `new URL(url, 'http://dummy')`: its `pathname + search`.
fn path_and_query(url: &str) -> Result<String> {
    let base = ::url::Url::parse("http://dummy")
        .map_err(|e| Error::invalid_option("url", e.to_string()))?;
    let parsed = base
        .join(url)
        .map_err(|e| Error::invalid_option("url", format!("TypeError: Invalid URL ({e})")))?;
    let mut out = parsed.path().to_owned();
    if let Some(q) = parsed.query().filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}

/// The `_a` value the npm SDK appends, or `None` when `urlAnalytics` (else
/// `analytics`; option before configuration, a null counting as set) is not exactly
/// `true`.
fn analytics_token(client: &Client, options: &Map) -> Option<String> {
    let known = &client.config().known;
    let keys = KeyBits::of(options);
    let enabled = keys
        .get(options, "urlAnalytics")
        .or(known.urlAnalytics.as_ref())
        .or_else(|| keys.get(options, "analytics"))
        .or(known.analytics.as_ref())
        .map_or(true, |v| *v == Value::Bool(true));
    if !enabled {
        return None;
    }
    let config = client.config().values();
    let ensure = |name: &str| options.get(name).or_else(|| config.get(name));
    const OVERRIDES: [&str; 7] = [
        "sdkCode",
        "sdk_code",
        "sdkSemver",
        "sdk_semver",
        "techVersion",
        "tech_version",
        "product",
    ];
    let feature = analytics_feature(options);
    if OVERRIDES.iter().all(|n| ensure(n).is_none()) {
        // The common case: every part is the default, so the token is a fixed
        // prefix (computed once) and the feature letter.
        static DEFAULT_PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let prefix = DEFAULT_PREFIX.get_or_init(|| {
            let mut token = analytics::node_signature(
                &"A".into(),
                &NODE_SDK_CODE.into(),
                &NODE_SDK_VERSION.into(),
                &analytics::DEFAULT_TECH_VERSION.into(),
                '0',
            );
            token.pop();
            token
        });
        let mut token = String::with_capacity(prefix.len() + 1);
        token.push_str(prefix);
        token.push(feature);
        return Some(token);
    }
    let pick = |names: &[&str], default: Value| -> Value {
        names
            .iter()
            .find_map(|n| ensure(n).cloned())
            .unwrap_or(default)
    };
    let sdk_code = pick(&["sdkCode", "sdk_code"], NODE_SDK_CODE.into());
    let sdk_semver = pick(&["sdkSemver", "sdk_semver"], NODE_SDK_VERSION.into());
    let tech_version = pick(
        &["techVersion", "tech_version"],
        analytics::DEFAULT_TECH_VERSION.into(),
    );
    let product = pick(&["product"], "A".into());
    Some(analytics::node_signature(
        &product,
        &sdk_code,
        &sdk_semver,
        &tech_version,
        feature,
    ))
}

/// The feature letter of the `_a` token: the tag options in use.
fn analytics_feature(options: &Map) -> char {
    let t = |k: &str| js::truthy(options.get(k));
    let mut feature = '0';
    if t("accessibility") {
        feature = 'D';
    }
    if matches!(options.get("loading"), Some(Value::Str(l)) if l == "lazy") {
        feature = 'C';
    }
    if t("responsive") {
        feature = 'A';
    }
    if t("placeholder") {
        feature = 'B';
    }
    feature
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_left_as_the_escaping_would_leave_them() {
        for id in [
            "sample",
            "a/b:c.jpg",
            "x-_.!~*'()y",
            "folder/sub/v1x",
            "a%20b",
            "é/ü",
            "a b",
        ] {
            let (out, _) = finalize_source(id, None, None).unwrap();
            let slow = js::encode_uri_component(&js::decode_uri_component(id).unwrap())
                .replace("%3A", ":")
                .replace("%2F", "/");
            assert_eq!(out, slow, "{id}");
        }
    }

    #[test]
    fn collapse_is_one_pass() {
        assert_eq!(collapse_slashes("a///b"), "a//b");
        assert_eq!(collapse_slashes("a//b//c"), "a/b/c");
        assert_eq!(collapse_slashes("http://x//y"), "http://x/y");
        assert_eq!(collapse_slashes("//x"), "//x");
    }

    #[test]
    fn preloaded_paths() {
        assert_eq!(
            preloaded(&Value::from("image/upload/v12/a/b.jpg")),
            Some((
                "image".into(),
                "upload".into(),
                "12".into(),
                "a/b.jpg".into()
            ))
        );
        assert_eq!(preloaded(&Value::from("video/upload/v12/a")), None);
        assert_eq!(preloaded(&Value::from("image/upload/v12/a#x")), None);
    }
}
