//! The `php` profile's URL-level rules: cloudinary_php 3.1.2's `CLOUDINARY_URL`
//! parser (`ConfigUtils::parseCloudinaryUrl`).

use crate::config::percent_decode_lossy;
use crate::php::qualifiers::type_error;
use crate::{Error, Map, Result, Value};
use std::borrow::Cow;

/// `ConfigUtils::parseCloudinaryUrl` with its sections flattened as the PHP SDK's
/// configuration reads them: the query's parameters (`parse_str`: the last repeated
/// key wins, `a[b]=` nests, `true`/`false` in any case become booleans, `[]` an empty
/// list), then `cloud_name` (the host, lower-cased), `api_key` and `api_secret` (left
/// out when empty by PHP's `empty()`, still percent-encoded), then a path as
/// `secure_cname` with `private_cdn: true`. There is no `private_cdn: false` default
/// and no `secure_distribution` (the PHP SDK's names). Only `cloudinary:` URLs
/// parse; the optional `CLOUDINARY_URL=` prefix is dropped.
///
/// `CLOUDINARY_ACCOUNT_URL` (`ProvisioningConfigUtils::parseAccountUrl`): `account:`
/// URLs only, `account_id`, `provisioning_api_key` and `provisioning_api_secret`; the
/// query and path are ignored.
pub(crate) fn parse_env_url(url: &str, kind: crate::config::UrlKind) -> Result<Map> {
    let account = kind == crate::config::UrlKind::Account;
    let invalid = || {
        Error::config("Invalid CLOUDINARY_URL, \"cloudinary://[<key>:<secret>@]<cloud>\" expected")
    };
    if url.is_empty() || url == "0" {
        return Err(Error::config("CLOUDINARY_URL cannot be empty"));
    }
    let url = if account {
        url
    } else {
        url.strip_prefix("CLOUDINARY_URL=").unwrap_or(url)
    };
    let (scheme, rest) = url.split_once(':').ok_or_else(invalid)?;
    if !scheme.eq_ignore_ascii_case(if account { "account" } else { "cloudinary" }) {
        return Err(invalid());
    }
    let (rest, _fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => match after.find('/') {
            Some(i) => (Some(&after[..i]), &after[i..]),
            None => (Some(after), ""),
        },
        None => (None, rest),
    };
    let (mut user, mut pass, mut host) = (None, None, String::new());
    if let Some(auth) = authority {
        let (userinfo, hostport) = match auth.rfind('@') {
            Some(i) => (Some(&auth[..i]), &auth[i + 1..]),
            None => (None, auth),
        };
        let hostname = match hostport.rfind(':') {
            Some(i) if !hostport.starts_with('[') || hostport[..i].ends_with(']') => {
                let port = &hostport[i + 1..];
                if !port.is_empty()
                    && (!port.bytes().all(|b| b.is_ascii_digit())
                        || port.parse::<u32>().map_or(true, |p| p > 65535))
                {
                    return Err(invalid());
                }
                &hostport[..i]
            }
            _ => hostport,
        };
        host = hostname.to_ascii_lowercase();
        if let Some(ui) = userinfo {
            let (u, p) = match ui.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (ui, None),
            };
            user = Some(u.to_owned());
            pass = p.map(str::to_owned);
        }
    }
    if authority.is_none() && path.is_empty() && query.is_none() {
        return Err(invalid());
    }
    let mut config = Map::new();
    if account {
        config.insert("account_id", host);
        for (key, v) in [
            ("provisioning_api_key", user),
            ("provisioning_api_secret", pass),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty() && v != "0") {
                config.insert(key, v);
            }
        }
        return Ok(config);
    }
    if let Some(q) = query.filter(|q| !q.is_empty() && *q != "0") {
        parse_str(q, &mut config);
    }
    config.insert("cloud_name", host);
    for (key, v) in [("api_key", user), ("api_secret", pass)] {
        if let Some(v) = v.filter(|v| !v.is_empty() && v != "0") {
            config.insert(key, v);
        }
    }
    if !path.is_empty() && path != "/" {
        config.insert("secure_cname", path[1..].to_owned());
        config.insert("private_cdn", true);
    }
    Ok(config)
}

/// A `parse_str` value after `Utils::tryParseValues`.
fn typed(value: String) -> Value {
    if value == "[]" {
        return Value::List(Vec::new());
    }
    if value.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if value.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    Value::Str(value)
}

/// PHP's `parse_str` into `out` (values typed by `tryParseValues`).
fn parse_str(query: &str, out: &mut Map) {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode_lossy(&k.replace('+', " ")).into_owned();
        let value = typed(percent_decode_lossy(&v.replace('+', " ")).into_owned());
        let key = key.trim_start_matches(' ');
        // The top-level name ends at the first `[` that has a closing `]`.
        let (name, subs) = match key.find('[') {
            Some(i) if key[i..].contains(']') => (&key[..i], Some(&key[i..])),
            _ => (key, None),
        };
        if name.is_empty() {
            continue;
        }
        let name: String = name
            .chars()
            .map(|c| {
                if c == ' ' || c == '.' || c == '[' {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let mut path = Vec::new();
        if let Some(mut s) = subs {
            while let Some(rest) = s.strip_prefix('[') {
                match rest.find(']') {
                    Some(j) => {
                        path.push(rest[..j].to_owned());
                        s = &rest[j + 1..];
                    }
                    None => break,
                }
            }
        }
        put(out, &name, &path, value);
    }
}

fn put(map: &mut Map, key: &str, path: &[String], value: Value) {
    if path.is_empty() {
        map.insert(key, value);
        return;
    }
    let mut inner = match map.get(key) {
        Some(Value::Map(m)) => m.clone(),
        Some(Value::List(l)) => l
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => Map::new(),
    };
    let sub = if path[0].is_empty() {
        // `a[]=`: the next integer key.
        let next = inner
            .iter()
            .filter_map(|(k, _)| k.parse::<i64>().ok())
            .max()
            .map_or(0, |m| m + 1);
        next.to_string()
    } else {
        path[0].clone()
    };
    put(&mut inner, &sub, &path[1..], value);
    // A PHP array whose keys are 0..n in order is a list.
    let is_list = inner
        .iter()
        .enumerate()
        .all(|(i, (k, _))| *k == i.to_string());
    let v = if is_list && !inner.is_empty() {
        Value::List(inner.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Map(inner)
    };
    map.insert(key, v);
}

/// The options of a delivery URL as cloudinary_php's typed qualifiers take them
/// (`Media::fromParams`): PHP weak typing on `int` qualifiers (`x`, `y`, `opacity`,
/// `delay`: floats truncated toward zero, numeric texts converted, other texts a
/// `TypeError`) and on `float` ones (`zoom`: integers become floats, so `z_2.0`), a
/// text inside a `transformation` list a `TypeError`, a list `width` a `TypeError`, a
/// non-numeric `duration` a `TypeError` when no auth token is set (it also types the
/// auth token's duration) and an `auth_token` that is neither a map nor null a
/// `TypeError`. With an auth token (`config_token`: the configuration's, or an empty
/// one when only the options carry it), the options' token is merged over it.
///
/// The options are copied only when one of these rules changes them.
pub(crate) fn prepare_options<'a>(
    source: &Value,
    options: &'a Map,
    config_token: Option<&Value>,
) -> Result<Cow<'a, Map>> {
    let has_token = config_token.is_some();
    if matches!(source, Value::Null | Value::List(_) | Value::Map(_)) {
        return Err(type_error(
            "BaseMediaAsset::fromParams(): Argument #1 ($source) must be of type string",
            source,
        ));
    }
    if config_token.is_none() && untouched(options) {
        return Ok(Cow::Borrowed(options));
    }
    let mut out = crate::php::qualifiers::qualifiers(options)?;
    // A URL suffix is checked against the asset and delivery types given (before the
    // root path drops them); an empty one is none.
    if let Some(suffix) = options.get("url_suffix") {
        if has_suffix(Some(suffix)) {
            let text = |k: &str| {
                options
                    .get(k)
                    .filter(|v| !v.is_null())
                    .and_then(crate::php::string)
            };
            let rt = text("resource_type").unwrap_or_else(|| "image".to_owned());
            let ut = text("type").unwrap_or_else(|| "upload".to_owned());
            if suffix_segment(&rt, &ut).is_none() {
                return Err(Error::invalid_option(
                    "url_suffix",
                    format!("URL Suffix is only supported in {rt}"),
                ));
            }
        } else {
            out.to_mut().remove("url_suffix");
        }
    }
    // `getSignatureAlgorithm()`: an unsupported algorithm signs with SHA-1.
    if let Some(alg) = options.get("signature_algorithm").filter(|v| !v.is_null()) {
        let text = crate::php::string(alg)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let alg = if text == "sha256" { "sha256" } else { "sha1" };
        out.to_mut().insert("signature_algorithm", alg);
    }
    // `use_root_path` applies whatever the asset and delivery types are.
    if options.get("use_root_path").is_some_and(Value::truthy) {
        out.to_mut().remove("resource_type");
        out.to_mut().remove("type");
    }
    // A version is typed `int`: floats are truncated.
    if let Some(Value::Float(v)) = options.get("version") {
        if v.is_finite() {
            out.to_mut().insert("version", Value::Int(v.trunc() as i64));
        }
    }
    // An empty format adds no extension (pycloudinary writes a trailing dot).
    if matches!(options.get("format"), Some(Value::Str(f)) if f.is_empty()) {
        out.to_mut().remove("format");
    }
    match options.get("duration") {
        Some(Value::Str(s)) if !has_token && !crate::php::is_numeric_str(s) => {
            return Err(type_error(
                "Cannot assign string to property AuthTokenConfig::$duration of type ?int",
                &Value::Null,
            ))
        }
        _ => {}
    }
    match options.get("auth_token") {
        None | Some(Value::Null) | Some(Value::Map(_)) => {}
        Some(other) => return Err(type_error(
            "BaseConfigSection::importParams(): Argument #1 ($parameters) must be of type array",
            other,
        )),
    }
    if let Some(config_token) = config_token {
        // The PHP SDK imports the URL's parameters into its configuration sections:
        // top-level `key`, `ip`, `acl`, `start_time`, `expiration` and `duration` set
        // the auth token's, and it has no `token_name` (always `__cld_token__`).
        let mut token = match config_token {
            Value::Map(m) => m.clone(),
            _ => Map::new(),
        };
        for key in ["key", "ip", "acl", "start_time", "expiration", "duration"] {
            if let Some(v) = options.get(key).filter(|v| !v.is_null()) {
                token.insert(key, v.clone());
            }
        }
        // The `auth_token` option is imported after them.
        if let Some(Value::Map(m)) = options.get("auth_token") {
            token.update(m);
        }
        token.remove("token_name");
        // With an auth token the URL is never signed (`finalizeSimpleSignature`).
        token.remove("set_url_signature");
        out.to_mut().insert("auth_token", Value::Map(token));
    }
    Ok(out)
}

/// The options that [`prepare_options`] reads even as an integer or a non-empty text.
const TYPED_KEYS: &[&str] = &[
    "acl",
    "auth_token",
    "background",
    "border",
    "color",
    "delay",
    "duration",
    "expiration",
    "ip",
    "key",
    "keyframe_interval",
    "offset",
    "opacity",
    "overlay",
    "raw_transformation",
    "signature_algorithm",
    "size",
    "start_time",
    "underlay",
    "url_suffix",
    "use_root_path",
    "x",
    "y",
    "zoom",
];

/// Whether no rule of [`prepare_options`] changes or refuses `options`: every value
/// an integer or a non-empty text (kept by `mergeNonEmpty`, never retyped) under a
/// name outside [`TYPED_KEYS`].
fn untouched(options: &Map) -> bool {
    options.iter().all(|(k, v)| {
        let simple = match v {
            Value::Int(_) => true,
            Value::Str(s) => !s.is_empty(),
            _ => false,
        };
        simple && !TYPED_KEYS.contains(&k.as_str())
    })
}

/// A built delivery URL as cloudinary_php returns it: its own host
/// (`AssetFinalizerTrait::finalizeDistribution`: any `secure_distribution`, the legacy
/// Akamai host included, is used as it is; shards are the CRC-32 of the raw public id,
/// not of the escaped path; PHP's `str_replace` of the shared host), and the `acl` of
/// an auth token in the query shown percent-decoded (the token is signed over the
/// escaped text, as in the other SDKs); no `_a` analytics parameter beside a token;
/// an empty host (which PHP's `parse_url` refuses) is an error.
pub(crate) fn finish_url(
    client: &crate::Client,
    source: &str,
    options: &Map,
    url: String,
) -> Result<String> {
    let mut url = rehost(client, source, options, url);
    // `parse_url` fails on an empty host (`https:///…`, from a cloud name starting
    // with `/`), and `finalizeUrlWithAuthToken` is then given `false`.
    if scheme_end(&url).is_some_and(|i| url[i..].starts_with('/')) {
        return Err(type_error(
            "BaseAsset::finalizeUrlWithAuthToken(): Argument #1 ($urlParts) must be of type array",
            &Value::Bool(false),
        ));
    }
    // `finalizeUrlWithAuthToken`: a URL with a token has no analytics parameter.
    if let Some(a) = url.find("&_a=") {
        if url.contains("?__cld_token__=") {
            url.truncate(a);
        }
    }
    if let Some(fixed) = token_before_fragment(client, options, &url) {
        url = fixed;
    }
    if is_plain(&url) {
        // One pass: no escape to touch, no token and nothing Guzzle's filter changes.
        return Ok(url);
    }
    // PHP's `rawurlencode` leaves `~` as it is.
    let path_end = url.find('?').unwrap_or(url.len());
    if url[..path_end].contains("%7E") {
        url = format!(
            "{}{}",
            url[..path_end].replace("%7E", "~"),
            &url[path_end..]
        );
    }
    if let Some(start) = url
        .find("__cld_token__=")
        .and_then(|t| url[t..].find("~acl=").map(|a| t + a + "~acl=".len()))
    {
        let end = url[start..].find('~').map_or(url.len(), |e| start + e);
        let acl = percent_decode_lossy(&url[start..end]).into_owned();
        url = format!("{}{}{}", &url[..start], acl, &url[end..]);
    }
    Ok(guzzle_filter(url))
}

/// `finalizeUrlWithAuthToken` on a URL whose transformation holds a `#` (a colour's
/// inner `#`): `parse_url` makes the rest a fragment, so the token is generated for
/// the path before the `#` and its query goes there, the fragment after it.
fn token_before_fragment(client: &crate::Client, options: &Map, url: &str) -> Option<String> {
    let query = url.find("?__cld_token__=")?;
    let hash = url[..query].find('#')?;
    let Some(Value::Map(token)) = options.get("auth_token") else {
        return None;
    };
    let path_start = scheme_end(url).and_then(|i| url[i..].find('/').map(|j| i + j))?;
    if path_start > hash {
        return None;
    }
    let mut token = token.clone();
    token.insert("url", &url[path_start..hash]);
    let generated = crate::auth_token::generate(&token, client.now()).ok()?;
    let after_query = url[query..]
        .find(['&', '#'])
        .map_or("", |i| &url[query + i..]);
    Some(format!(
        "{}?{}{}{}",
        &url[..hash],
        generated,
        &url[hash..query],
        after_query
    ))
}

/// Whether every byte of `url`'s path, query and fragment is one that
/// [`finish_url`]'s rewrites leave as it is: no `%` (an escape), no `~` (an auth
/// token) and only bytes Guzzle's filter keeps anywhere.
fn is_plain(url: &str) -> bool {
    let Some(path_start) = scheme_end(url).and_then(|i| url[i..].find('/').map(|j| i + j)) else {
        return false;
    };
    url.as_bytes()[path_start..].iter().all(|&b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
                    | b'?'
                    | b'#'
            )
    })
}

/// Where the text after the first `://` of `url` starts (`strpos($url, '://') + 3`),
/// found without a substring searcher's set-up.
fn scheme_end(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b':') {
        let colon = from + i;
        if bytes[colon + 1..].starts_with(b"//") {
            return Some(colon + 3);
        }
        from = colon + 1;
    }
    None
}

/// `Uri::fromParts(parse_url($url))` (Guzzle): in the path, every byte that is not
/// unreserved, a sub-delimiter, `:`, `@`, `/` or a `%` starting an escape is
/// percent-encoded; the query and fragment also keep `?`.
fn guzzle_filter(url: String) -> String {
    let Some(path_start) = url
        .find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| i + 3 + j))
    else {
        return url;
    };
    let keep = |b: u8, i: usize, bytes: &[u8], in_path: bool| -> bool {
        b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=:@/".contains(&b)
            || (!in_path && b == b'?')
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    };
    let bytes = url.as_bytes();
    let mut in_path = true;
    let mut clean = true;
    for (i, &b) in bytes.iter().enumerate().skip(path_start) {
        if b == b'?' && in_path || b == b'#' {
            in_path = false;
            continue;
        }
        if !keep(b, i, bytes, in_path) {
            clean = false;
            break;
        }
    }
    if clean {
        return url;
    }
    let mut out = String::with_capacity(url.len() + 16);
    out.push_str(&url[..path_start]);
    let mut in_path = true;
    let mut fragment = false;
    for (i, &b) in bytes.iter().enumerate().skip(path_start) {
        if (b == b'?' && in_path) || (b == b'#' && !fragment) {
            fragment |= b == b'#';
            in_path = false;
            out.push(b as char);
            continue;
        }
        if keep(b, i, bytes, in_path) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Replaces pycloudinary's distribution prefix of `url` by cloudinary_php's.
fn rehost(client: &crate::Client, source: &str, options: &Map, url: String) -> String {
    let config = client.config();
    let get = |name: &str| -> Option<&Value> {
        options
            .get(name)
            .filter(|v| !v.is_null())
            .or_else(|| config.get(name).filter(|v| !v.is_null()))
    };
    let truthy = |name: &str| get(name).is_some_and(Value::truthy);
    let text = |v: &Value| crate::php::string(v).unwrap_or_default();
    let cloud: Cow<'_, str> = match get("cloud_name") {
        Some(Value::Str(s)) => Cow::Borrowed(s),
        Some(v) => Cow::Owned(text(v)),
        None => return url,
    };
    let secure = url.starts_with("https://");
    let Some(after_scheme) = scheme_end(&url) else {
        return url;
    };
    let Some(path_start) = url[after_scheme..].find('/').map(|i| after_scheme + i) else {
        return url;
    };
    let private_cdn = truthy("private_cdn");
    let dist = get("secure_distribution")
        .map(text)
        .filter(|d| !d.is_empty());
    // pycloudinary's shared-domain decision, to find where its prefix ends.
    // (With a private CDN its own host is never the shared one.)
    let py_dist_shared = match dist.as_deref() {
        Some(d) if d != super::host::OLD_AKAMAI_SHARED_CDN => d == super::host::SHARED_CDN,
        _ => !private_cdn,
    };
    let py_shared = !private_cdn || (secure && py_dist_shared);
    let mut rest = &url[path_start..];
    if py_shared {
        match rest.strip_prefix('/').and_then(|r| r.strip_prefix(&*cloud)) {
            Some(r) if r.is_empty() || r.starts_with('/') => rest = r,
            _ => return url,
        }
    }
    // The shard: the CRC-32 of `AssetDescriptor::publicId()`: location, file name and extension (a format
    // replaces the extension).
    let shard = || {
        // An empty public id is built with a stand-in (its CRC-32 is that of "").
        let source = if source == EMPTY_MARK { "" } else { source };
        let (location, filename, own_ext) = split_path(source);
        let ext = match get("format").map(text).filter(|f| !f.is_empty()) {
            Some(f) => Some(f),
            None => own_ext.map(str::to_owned),
        };
        let mut id = String::with_capacity(source.len() + 8);
        for part in [location.unwrap_or(""), filename] {
            if !part.is_empty() {
                if !id.is_empty() {
                    id.push('/');
                }
                id.push_str(part);
            }
        }
        if let Some(e) = ext.filter(|e| !e.is_empty()) {
            if !id.is_empty() {
                id.push('.');
            }
            id.push_str(&e);
        }
        (crc32fast::hash(id.as_bytes()) % 5 + 1).to_string()
    };
    let mut shared = !private_cdn;
    let host = if secure {
        let mut host = match dist {
            Some(d) => d,
            None if private_cdn => format!("{cloud}-res.cloudinary.com"),
            None => {
                shared = true;
                super::host::SHARED_CDN.to_owned()
            }
        };
        let sub = match get("secure_cdn_subdomain") {
            None if shared => truthy("cdn_subdomain"),
            other => other.is_some_and(Value::truthy),
        };
        if sub {
            host = host.replace(
                super::host::SHARED_CDN,
                &format!("res-{}.cloudinary.com", shard()),
            );
        }
        host
    } else if let Some(cname) = get("cname").filter(|v| v.truthy()).map(text) {
        if truthy("cdn_subdomain") {
            format!("a{}.{cname}", shard())
        } else {
            cname
        }
    } else {
        let mut host = String::new();
        if private_cdn {
            host.push_str(&cloud);
            host.push('-');
        }
        host.push_str("res");
        if truthy("cdn_subdomain") {
            host.push('-');
            host.push_str(&shard());
        }
        host.push_str(".cloudinary.com");
        host
    };
    if shared == py_shared && host == url[after_scheme..path_start] {
        return url;
    }
    let mut out = String::with_capacity(url.len() + 16);
    out.push_str(&url[..after_scheme]);
    out.push_str(&host);
    if shared {
        out.push('/');
        out.push_str(&cloud);
    }
    out.push_str(rest);
    out
}

/// The delivery URL of an empty public id (`.../image/upload` with the transformation,
/// no trailing slash), built like any other and then cut before the id; `None` when
/// the options sign, suffix or format the id (left to the python answer).
pub(crate) fn empty_source_url(client: &crate::Client, options: &Map) -> Result<Option<String>> {
    const MARK: &str = EMPTY_MARK;
    for key in ["sign_url", "url_suffix", "format", "auth_token"] {
        if options.get(key).is_some_and(Value::truthy)
            || client.config().get(key).is_some_and(Value::truthy)
        {
            return Ok(None);
        }
    }
    let built = client.url_with_leftovers(&Value::from(MARK), options)?;
    Ok(match built.url {
        Value::Str(u) => u.strip_suffix(&format!("/{MARK}")).map(str::to_owned),
        _ => None,
    })
}

/// The public id [`empty_source_url`] builds in place of an empty one.
const EMPTY_MARK: &str = "cldkitphpempty";

/// PHP's `pathinfo()` parts of a path: `(dirname, basename)`, with `dirname` as
/// `FileUtils::dirName` gives it (`None` for `.` or an empty path).
fn php_dir_base(path: &str) -> (Option<&str>, &str) {
    if path.is_empty() {
        return (None, "");
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        // Only slashes.
        return (Some("/"), "");
    }
    let base_start = trimmed.rfind('/').map_or(0, |i| i + 1);
    let base = &trimmed[base_start..];
    let dir = if base_start == 0 {
        None
    } else {
        let d = trimmed[..base_start].trim_end_matches('/');
        Some(if d.is_empty() { "/" } else { d })
    };
    (dir, base)
}

/// `FileUtils::splitPathFilenameExtension`: `(location, filename, extension)`; an
/// extension longer than 5 bytes stays in the file name.
fn split_path(source: &str) -> (Option<&str>, &str, Option<&str>) {
    let (dir, base) = php_dir_base(source);
    match base.rfind('.') {
        Some(dot) if base.len() - dot - 1 <= 5 => (dir, &base[..dot], Some(&base[dot + 1..])),
        _ => (dir, base, None),
    }
}

/// `AssetDescriptor::fromParams` + `finalizeSource`: the delivery path of the source
/// (its location and file name, percent-decoded unless it is an http(s) URL, then
/// smart-escaped; the suffix; the extension, which a `format` replaces) appended to
/// `buf`, and the part that is signed (`publicId()`: the raw location, file name and
/// extension). Python collapses repeated slashes; PHP only loses those before the
/// file name (`dirname`).
pub(super) fn finalize_source(
    buf: &mut String,
    source: &str,
    format: Option<&Value>,
    url_suffix: Option<&Value>,
) -> Result<super::Finalized> {
    let (location, filename, own_ext) = split_path(source);
    let format_text = format.and_then(|f| match f {
        Value::Null => None,
        Value::Str(s) if s.is_empty() => None,
        other => Some(crate::php::string(other).unwrap_or_default()),
    });
    let extension: Option<String> = match format_text {
        Some(f) => Some(f),
        None => own_ext.map(str::to_owned),
    };
    let mut no_ext = String::with_capacity(source.len());
    if let Some(l) = location.filter(|l| !l.is_empty()) {
        no_ext.push_str(l);
        if !filename.is_empty() {
            no_ext.push('/');
        }
    }
    no_ext.push_str(filename);
    let start = buf.len();
    let head = no_ext.get(..7).unwrap_or(&no_ext).to_ascii_lowercase();
    let decoded = if head.starts_with("http:/") || head.starts_with("https:/") {
        std::borrow::Cow::Borrowed(no_ext.as_str())
    } else {
        percent_decode_lossy(&no_ext)
    };
    for &b in decoded.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':' | b'/') {
            buf.push(b as char);
        } else {
            buf.push_str(&format!("%{b:02X}"));
        }
    }
    if let Some(suffix) = url_suffix.and_then(crate::php::string) {
        if suffix.contains(['.', '/']) {
            return Err(Error::invalid_option(
                "url_suffix",
                "UnexpectedValueException: Cloudinary\\Asset\\AssetDescriptor::$suffix must not include . or /",
            ));
        }
        if !suffix.is_empty() && suffix != "0" {
            buf.push('/');
            buf.push_str(&suffix);
        }
    }
    let ext = extension.filter(|e| !e.is_empty());
    if let Some(e) = ext.as_deref().filter(|e| *e != "0") {
        buf.push('.');
        buf.push_str(e);
    }
    let source_end = buf.len();
    buf.push_str(&no_ext);
    if let Some(e) = &ext {
        buf.push('.');
        buf.push_str(e);
    }
    Ok(super::Finalized {
        source: start..source_end,
        to_sign: source_end..buf.len(),
    })
}

/// The URL-suffix delivery types of cloudinary_php (`Media::getSuffixSupportedDeliveryTypes`).
fn suffix_segment(asset_type: &str, delivery_type: &str) -> Option<&'static str> {
    Some(match (asset_type, delivery_type) {
        ("image", "upload") => "images",
        ("image", "private") => "private_images",
        ("image", "authenticated") => "authenticated_images",
        ("video", "upload") => "videos",
        ("raw", "upload") => "files",
        _ => return None,
    })
}

/// Whether a URL suffix takes part (`!empty($suffix)`).
fn has_suffix(url_suffix: Option<&Value>) -> bool {
    url_suffix.is_some_and(|s| !crate::php::is_empty(s))
}

/// `finalizeAssetType` + `finalizeShorten`: the asset type and delivery type path
/// segments (the suffix's combined segment, `iu` for shortened image uploads, none
/// for the root path).
pub(super) fn asset_type_segments<'a>(
    resource_type: Option<super::Seg<'a>>,
    kind: Option<super::Seg<'a>>,
    url_suffix: Option<&Value>,
    use_root_path: bool,
    shorten: bool,
) -> Result<(Option<super::Seg<'a>>, Option<super::Seg<'a>>)> {
    let rt = resource_type.unwrap_or(super::Seg::Text("image"));
    let ut = kind.unwrap_or(super::Seg::Text("upload"));
    let mut segs = (Some(rt), Some(ut));
    if has_suffix(url_suffix) {
        let combined = suffix_segment(rt.text()?, ut.text()?).ok_or_else(|| {
            Error::invalid_option(
                "url_suffix",
                "URL Suffix only supported for image/upload and raw/upload",
            )
        })?;
        segs = (Some(super::Seg::Text(combined)), None);
    }
    if shorten && rt.is("image") && ut.is("upload") {
        segs = (Some(super::Seg::Text("iu")), None);
    }
    if use_root_path {
        segs = (None, None);
    }
    Ok(segs)
}

/// The poster format of a video thumbnail: `jpg`. In the `php` profile
/// (`VideoThumbnailTag`) it replaces any `format`, and a URL suffix is an error; for
/// a fetch or with `use_fetch_format` the transformation ends with one more `f_jpg`.
pub(super) fn thumbnail_format(options: &mut Map, profile: crate::Profile) -> Result<()> {
    if profile == crate::Profile::Php && has_suffix(options.get("url_suffix")) {
        return Err(Error::invalid_option(
            "url_suffix",
            "URL Suffix only supported for image/upload and raw/upload",
        ));
    }
    options.insert("format", "jpg");
    // For a fetch or with `use_fetch_format`, `fromParams` makes the format the
    // transformation's `f_jpg`, and `setFormat` adds one more `f_jpg` component.
    let fetch = options.get("type").and_then(crate::php::string).as_deref() == Some("fetch")
        || options.get("use_fetch_format").is_some_and(Value::truthy);
    if profile == crate::Profile::Php && fetch && !options.keys().any(|k| k.starts_with('$')) {
        let mut main = Map::new();
        let keys: Vec<String> = options
            .keys()
            .filter(|k| crate::transform::param(k).is_some())
            .map(str::to_owned)
            .collect();
        for k in keys {
            if let Some(v) = options.remove(&k) {
                main.insert(k.as_str(), v);
            }
        }
        if !main.contains_key("fetch_format") {
            main.insert("fetch_format", "jpg");
        }
        options.insert("transformation", Value::List(vec![Value::Map(main)]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn scheme_end_is_strpos_of_the_separator() {
        for url in ["https://a/b", "a:b://c", "x:y", "", "s:/", "s:", "::://"] {
            assert_eq!(
                super::scheme_end(url),
                url.find("://").map(|i| i + 3),
                "{url}"
            );
        }
        assert!(super::is_plain(
            "https://res.cloudinary.com/d/image/upload/a.jpg?_a=B"
        ));
        for url in [
            "https://h/a%20b",
            "https://h/a~b",
            "https://h/a b",
            "https://h/é",
            "h/a",
        ] {
            assert!(!super::is_plain(url), "{url}");
        }
    }

    #[test]
    fn plain_options_are_not_copied() {
        use super::{prepare_options, Cow};
        let plain: crate::Map =
            serde_json::from_str(r#"{"width": 300, "height": 200, "crop": "fill"}"#).unwrap();
        let source = crate::Value::from("sample.jpg");
        let prepared = prepare_options(&source, &plain, None).unwrap();
        assert!(matches!(prepared, Cow::Borrowed(_)));
        // A float `x` is typed `int`; an empty format is dropped.
        for typed in [r#"{"width": 300, "x": 1.5}"#, r#"{"format": ""}"#] {
            let options: crate::Map = serde_json::from_str(typed).unwrap();
            let prepared = prepare_options(&source, &options, None).unwrap();
            assert!(matches!(prepared, Cow::Owned(_)), "{typed}");
        }
    }

    use super::*;

    #[test]
    fn paths_split_as_file_utils_does() {
        assert_eq!(
            split_path("folder/sample.jpg"),
            (Some("folder"), "sample", Some("jpg"))
        );
        assert_eq!(split_path("trailing/"), (None, "trailing", None));
        assert_eq!(split_path("/leading"), (Some("/"), "leading", None));
        assert_eq!(
            split_path("https://x.com//a//b.png"),
            (Some("https://x.com//a"), "b", Some("png"))
        );
        assert_eq!(split_path("a.toolong"), (None, "a.toolong", None));
    }

    #[test]
    fn suffix_and_extension() {
        let mut buf = String::new();
        let f = finalize_source(&mut buf, "sample.jpg", None, Some(&Value::from("seo"))).unwrap();
        assert_eq!(&buf[f.source.clone()], "sample/seo.jpg");
        assert_eq!(&buf[f.to_sign.clone()], "sample.jpg");
        let mut buf = String::new();
        let f = finalize_source(&mut buf, "a%20b", None, None).unwrap();
        assert_eq!(&buf[f.source.clone()], "a%20b");
        assert_eq!(&buf[f.to_sign.clone()], "a%20b");
    }

    #[test]
    fn guzzle_encodes_what_a_uri_path_cannot_hold() {
        assert_eq!(
            guzzle_filter("https://h/a/l_text:Times New Roman_12:x%20y/ü?q=a b".to_owned()),
            "https://h/a/l_text:Times%20New%20Roman_12:x%20y/%C3%BC?q=a%20b"
        );
        assert_eq!(
            guzzle_filter("https://h/a%zz".to_owned()),
            "https://h/a%25zz"
        );
    }
}
