//! Configuration: the settings of one product environment, and how to read them from
//! `CLOUDINARY_URL`, `CLOUDINARY_ACCOUNT_URL` and `CLOUDINARY_*` variables.
//!
//! A [`Config`] is a plain value owned by a [`crate::Client`]; nothing is global, so one
//! process can serve many product environments from many threads.
//!
//! Settings keep the SDKs' snake_case names and loosely typed values, exactly as the
//! SDKs store them: `?secure=false` in a `CLOUDINARY_URL` is the *string* `"false"`,
//! which the SDKs treat as true. The `python` [`Profile`] keeps that; see
//! [`Profile`] for what the default profile changes.
//!
//! ```
//! use cldkit::Config;
//! let config = Config::from_cloudinary_url("cloudinary://key:secret@demo?secure=true").unwrap();
//! assert_eq!(config.get("cloud_name").and_then(|v| v.as_str()), Some("demo"));
//! // Secrets never show in Debug output.
//! assert!(!format!("{config:?}").contains("secret@"));
//! assert!(!format!("{config:?}").contains("\"secret\""));
//! ```

use std::fmt;

use crate::error::{Error, Result};
use crate::value::{Map, Value};

/// Which SDK's defaults to reproduce where they differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// cldkit's own defaults: pycloudinary's output, except that an unset `secure` means
    /// https and HTML attribute values are escaped.
    #[default]
    Default,
    /// pycloudinary 1.46.3 byte for byte, defaults included (an unset `secure` is http).
    Python,
    /// The npm SDK `cloudinary` 2.11.0 byte for byte, defaults included (https unless
    /// the option `secure: false` is given, the `_a` analytics parameter, its escaping,
    /// number rendering and HTML serialization). `docs/profiles.md` lists what differs
    /// from `python` and which npm SDK bugs are reproduced.
    Node,
    /// The PHP SDK `cloudinary/cloudinary_php` 3.1.2 byte for byte where cldkit
    /// reproduces it (`docs/profiles.md` lists what is done, what differs from `python`
    /// and which PHP SDK bugs are reproduced); elsewhere pycloudinary's output.
    Php,
}

impl Profile {
    /// Parses `default`, `python`, `node` or `php`.
    ///
    /// ```
    /// use cldkit::Profile;
    /// assert_eq!(Profile::parse("node").unwrap(), Profile::Node);
    /// assert_eq!(Profile::Node.name(), "node");
    /// assert!(Profile::parse("ruby").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Profile> {
        match name {
            "default" | "cldkit" => Ok(Profile::Default),
            "python" => Ok(Profile::Python),
            "node" => Ok(Profile::Node),
            "php" => Ok(Profile::Php),
            other => Err(Error::config_option(
                "profile",
                format!("unknown profile {other:?} (expected \"default\", \"python\", \"node\" or \"php\")"),
            )),
        }
    }

    /// The profile's name, as [`Profile::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::Python => "python",
            Profile::Node => "node",
            Profile::Php => "php",
        }
    }
}

/// The SDKs' setting names whose values are secret: never printed, logged or put in
/// errors. Printing does not use this list: it goes by rule through
/// [`crate::redact::printable`], which hides every name listed here and more
/// (`*secret*`, `*token*`, `*password*`, `*key` but `api_key`, credentials in URLs).
pub const SECRET_KEYS: &[&str] = &[
    "api_secret",
    "oauth_token",
    "provisioning_api_secret",
    "auth_token",
];

macro_rules! known_settings {
    ($($field:ident),* $(,)?) => {
        /// Fast access to the settings the URL builder reads on every call.
        #[derive(Clone, Default)]
        #[allow(non_snake_case)]
        pub(crate) struct Known {
            $(pub(crate) $field: Option<Value>,)*
        }

        impl Known {
            fn set(&mut self, key: &str, value: Option<&Value>) {
                match key {
                    $(stringify!($field) => self.$field = value.cloned(),)*
                    _ => {}
                }
            }
        }
    };
}

known_settings!(
    cloud_name,
    api_key,
    api_secret,
    secure,
    private_cdn,
    secure_distribution,
    cname,
    cdn_subdomain,
    secure_cdn_subdomain,
    use_root_path,
    shorten,
    sign_url,
    long_url_signature,
    signature_algorithm,
    signature_version,
    force_version,
    auth_token,
    upload_prefix,
    use_fetch_format,
    responsive_width,
    responsive_width_transformation,
    dpr,
    ssl_detected,
    analytics,
    // The npm SDK's name (the node profile reads it before `analytics`).
    urlAnalytics,
);

/// The settings of one product environment.
///
/// Build one with [`Config::new`] and [`Config::set`], from a map of settings, or
/// from a `CLOUDINARY_URL`. Unknown settings are kept (as the SDKs keep them) and can be
/// read back with [`Config::get`].
#[derive(Clone, Default)]
pub struct Config {
    values: Map,
    pub(crate) known: Known,
    profile: Profile,
}

impl Config {
    /// An empty configuration in the default profile.
    pub fn new() -> Self {
        Config::default()
    }

    /// A configuration holding the given settings.
    pub fn from_map(values: Map) -> Self {
        let mut c = Config::new();
        for (k, v) in values {
            c.set(k, v);
        }
        c
    }

    /// Parses a `CLOUDINARY_URL` (`cloudinary://key:secret@cloud[/secure_distribution][?k=v&a[b]=c]`).
    pub fn from_cloudinary_url(url: &str) -> Result<Self> {
        Ok(Config::from_map(parse_url_settings(
            url,
            UrlKind::Cloudinary,
        )?))
    }

    /// Reads the environment as the SDKs do: `CLOUDINARY_CLOUD_NAME` and the other
    /// `CLOUDINARY_*` variables when `CLOUDINARY_CLOUD_NAME` is set (`"true"`/`"false"`
    /// become booleans), else `CLOUDINARY_URL`.
    pub fn from_env() -> Result<Self> {
        Config::from_vars(std::env::vars())
    }

    /// Like [`Config::from_env`], from the given variables (for tests and embedding).
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Result<Self> {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let lookup = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let mut config = Config::new();
        if lookup("CLOUDINARY_CLOUD_NAME").is_some() {
            for (key, value) in &vars {
                let Some(name) = key.strip_prefix("CLOUDINARY_") else {
                    continue;
                };
                if key == "CLOUDINARY_URL" {
                    continue;
                }
                let value = match value.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    other => Value::Str(other.to_owned()),
                };
                config.set(name.to_lowercase(), value);
            }
        } else if let Some(url) = lookup("CLOUDINARY_URL") {
            config = Config::from_cloudinary_url(url)?;
        }
        Ok(config)
    }

    /// Sets one setting by its SDK name.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<Value>) -> &mut Self {
        let key = key.into();
        let value = value.into();
        self.known.set(&key, Some(&value));
        self.values.insert(key, value);
        self
    }

    /// Builder form of [`Config::set`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set(key, value);
        self
    }

    /// Removes a setting.
    pub fn unset(&mut self, key: &str) -> &mut Self {
        self.known.set(key, None);
        self.values.remove(key);
        self
    }

    /// The value of a setting, if set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// All settings (secrets included: handle with care).
    pub fn values(&self) -> &Map {
        &self.values
    }

    /// All settings as they may be printed: secrets replaced by `"***"` and credentials
    /// cut out of URLs, by the rule of [`crate::redact`]. What `Debug` shows, and what
    /// the bindings' `settings()` return.
    ///
    /// ```
    /// let config = cldkit::Config::new()
    ///     .with("api_secret", "s3cr3t")
    ///     .with("api_proxy", "http://user:pw@proxy.local:3128");
    /// let shown = config.printable_values();
    /// assert_eq!(shown.get("api_secret").unwrap().as_str(), Some("***"));
    /// assert_eq!(shown.get("api_proxy").unwrap().as_str(), Some("http://***@proxy.local:3128"));
    /// ```
    pub fn printable_values(&self) -> Map {
        crate::redact::printable_map(&self.values)
    }

    /// The compatibility profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Sets the compatibility profile.
    pub fn set_profile(&mut self, profile: Profile) -> &mut Self {
        self.profile = profile;
        self
    }

    /// Builder form of [`Config::set_profile`].
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }
}

impl fmt::Debug for Config {
    /// Prints every setting as [`crate::redact::printable`] shows it (secrets as
    /// `"***"`, no credentials in URLs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.values.iter() {
            m.entry(k, &crate::redact::printable(k, v).py_str());
        }
        m.finish()?;
        write!(f, " ({:?} profile)", self.profile)
    }
}

/// Which environment URL is being parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    /// `CLOUDINARY_URL`: `cloudinary://key:secret@cloud_name[/distribution]`.
    Cloudinary,
    /// `CLOUDINARY_ACCOUNT_URL`: `account://provisioning_key:provisioning_secret@account_id`.
    Account,
}

/// Parses a `CLOUDINARY_URL` or `CLOUDINARY_ACCOUNT_URL` into the settings it holds,
/// exactly as the SDK's parser does (query values stay strings; `a[b]=c` nests).
///
/// ```
/// use cldkit::config::{parse_url_settings, UrlKind};
/// let s = parse_url_settings("cloudinary://k:s@Cloud/cdn.example.com?foo[bar]=1", UrlKind::Cloudinary).unwrap();
/// assert_eq!(s.get("cloud_name").unwrap().as_str(), Some("cloud"));
/// assert_eq!(s.get("secure_distribution").unwrap().as_str(), Some("cdn.example.com"));
/// assert_eq!(s.get("foo").unwrap().as_map().unwrap().get("bar").unwrap().as_str(), Some("1"));
/// ```
pub fn parse_url_settings(url: &str, kind: UrlKind) -> Result<Map> {
    let parts = split_url(url)?;
    let mut out = Map::new();
    match kind {
        UrlKind::Cloudinary => {
            if parts.scheme != "cloudinary" {
                return Err(Error::config(
                    "Invalid CLOUDINARY_URL scheme. Expecting to start with 'cloudinary://'",
                ));
            }
            let private_cdn = !parts.path.is_empty();
            out.insert("cloud_name", opt_str(parts.hostname()));
            out.insert("api_key", opt_str(parts.username()));
            out.insert("api_secret", opt_str(parts.password()));
            out.insert("private_cdn", private_cdn);
            if private_cdn {
                let dist: String = parts.path.chars().skip(1).collect();
                out.insert("secure_distribution", dist);
            }
        }
        UrlKind::Account => {
            if parts.scheme != "account" {
                return Err(Error::config(
                    "Invalid CLOUDINARY_ACCOUNT_URL scheme. URL should begin with 'account://'",
                ));
            }
            out.insert("account_id", opt_str(parts.hostname()));
            out.insert("provisioning_api_key", opt_str(parts.username()));
            out.insert("provisioning_api_secret", opt_str(parts.password()));
        }
    }
    for (key, value) in parse_qs(&parts.query) {
        if is_nested_key(&key) {
            put_nested(&mut out, &key, value)?;
        } else {
            out.insert(key, value);
        }
    }
    Ok(out)
}

fn opt_str(s: Option<String>) -> Value {
    s.map_or(Value::Null, Value::Str)
}

/// The pieces of a URL as Python's `urllib.parse.urlparse` splits it.
struct UrlParts {
    scheme: String,
    netloc: String,
    path: String,
    query: String,
}

impl UrlParts {
    fn userinfo(&self) -> Option<&str> {
        self.netloc.rsplit_once('@').map(|(u, _)| u)
    }
    fn hostinfo(&self) -> &str {
        self.netloc
            .rsplit_once('@')
            .map_or(&self.netloc, |(_, h)| h)
    }
    fn username(&self) -> Option<String> {
        let u = self.userinfo()?;
        Some(u.split_once(':').map_or(u, |(n, _)| n).to_owned())
    }
    fn password(&self) -> Option<String> {
        let u = self.userinfo()?;
        u.split_once(':').map(|(_, p)| p.to_owned())
    }
    fn hostname(&self) -> Option<String> {
        let h = self.hostinfo();
        let host = if let Some((_, rest)) = h.split_once('[') {
            rest.split_once(']').map_or(rest, |(inner, _)| inner)
        } else {
            h.split_once(':').map_or(h, |(host, _)| host)
        };
        if host.is_empty() {
            return None;
        }
        let (name, zone) = match host.split_once('%') {
            Some((n, z)) => (n, Some(z)),
            None => (host, None),
        };
        let mut out = name.to_lowercase();
        if let Some(z) = zone {
            out.push('%');
            out.push_str(z);
        }
        Some(out)
    }
}

fn split_url(url: &str) -> Result<UrlParts> {
    // Python strips leading C0 controls and spaces, and removes tabs and newlines.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut rest = url.as_str();
    let mut scheme = String::new();
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        if i > 0
            && cand.starts_with(|c: char| c.is_ascii_alphabetic())
            && cand
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            scheme = cand.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = String::new();
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = after[..end].to_owned();
        rest = &after[end..];
        check_brackets(&netloc)?;
    }
    if let Some(i) = rest.find('#') {
        rest = &rest[..i];
    }
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, q),
        None => (rest, ""),
    };
    Ok(UrlParts {
        scheme,
        netloc,
        path: path.to_owned(),
        query: query.to_owned(),
    })
}

/// Python rejects a netloc with unbalanced brackets, and a bracketed host that is not
/// an IPv6 address (or an `IPvFuture` one).
fn check_brackets(netloc: &str) -> Result<()> {
    let invalid = || Error::config("Invalid IPv6 URL in CLOUDINARY_URL");
    let (open, close) = (netloc.contains('['), netloc.contains(']'));
    if open != close {
        return Err(invalid());
    }
    if !open {
        return Ok(());
    }
    let after = netloc.split_once('[').map_or("", |(_, a)| a);
    let host = after.split_once(']').map_or(after, |(h, _)| h);
    if let Some(rest) = host.strip_prefix('v') {
        let (hex, tail) = rest.split_once('.').unwrap_or((rest, ""));
        let ok = !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) && !tail.is_empty();
        return if ok { Ok(()) } else { Err(invalid()) };
    }
    let (addr, scope) = match host.split_once('%') {
        Some((a, s)) => (a, Some(s)),
        None => (host, None),
    };
    if scope.is_some_and(str::is_empty) || addr.parse::<std::net::Ipv6Addr>().is_err() {
        return Err(invalid());
    }
    Ok(())
}

/// Python's `parse_qs`: first value of each name, blank values dropped, `+` is a space.
fn parse_qs(query: &str) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for pair in query.split('&') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let name = percent_decode_lossy(&name.replace('+', " ")).into_owned();
        let value = percent_decode_lossy(&value.replace('+', " ")).into_owned();
        if !out.iter().any(|(k, _)| *k == name) {
            out.push((name, Value::Str(value)));
        }
    }
    out
}

/// Python's `unquote`: `%XX` sequences decoded as UTF-8 (invalid bytes become U+FFFD),
/// malformed ones kept as they are.
pub(crate) fn percent_decode_lossy(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return std::borrow::Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `re.match(r'\w+\[\w+\]', key)`.
fn is_nested_key(key: &str) -> bool {
    let Some(open) = key.find('[') else {
        return false;
    };
    let head = &key[..open];
    if head.is_empty() || !head.chars().all(is_word) {
        return false;
    }
    let tail = &key[open + 1..];
    let inner_len = tail.chars().take_while(|c| is_word(*c)).count();
    inner_len > 0 && tail.chars().nth(inner_len) == Some(']')
}

fn put_nested(out: &mut Map, key: &str, value: Value) -> Result<()> {
    let chain: Vec<&str> = key.split(['[', ']']).filter(|k| !k.is_empty()).collect();
    let (last, path) = chain
        .split_last()
        .ok_or_else(|| Error::config("empty key"))?;
    let mut outer = out;
    for k in path {
        if !outer.contains_key(k) {
            outer.insert(*k, Map::new());
        }
        outer = match outer.get_mut(k) {
            Some(Value::Map(m)) => m,
            _ => {
                return Err(Error::config(format!(
                    "CLOUDINARY_URL key {key:?} nests under a setting that is not a map"
                )))
            }
        };
    }
    outer.insert(*last, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudinary_url_basics() {
        let m = parse_url_settings("cloudinary://k:s@c", UrlKind::Cloudinary).unwrap();
        assert_eq!(m.get("private_cdn"), Some(&Value::Bool(false)));
        assert!(parse_url_settings("http://k:s@c", UrlKind::Cloudinary).is_err());
    }

    #[test]
    fn python_quirks() {
        let m = parse_url_settings("cloudinary:k:s@c", UrlKind::Cloudinary).unwrap();
        assert_eq!(m.get("cloud_name"), Some(&Value::Null));
        assert_eq!(m.get("secure_distribution").unwrap().as_str(), Some(":s@c"));
    }

    #[test]
    fn env_vars() {
        let c = Config::from_vars([
            ("CLOUDINARY_CLOUD_NAME".to_string(), "x".to_string()),
            ("CLOUDINARY_SECURE".to_string(), "true".to_string()),
        ])
        .unwrap();
        assert_eq!(c.get("secure"), Some(&Value::Bool(true)));
        assert_eq!(c.get("cloud_name").unwrap().as_str(), Some("x"));
    }

    /// Security review finding 7: `api_proxy` credentials and `account_url` (copied
    /// verbatim from `CLOUDINARY_ACCOUNT_URL`) were printed by `Debug`.
    #[test]
    fn debug_hides_url_credentials_and_secrets_by_rule() {
        let c = Config::new()
            .with("cloud_name", "demo")
            .with("api_proxy", "http://user:pr0xyPW@proxy.local:3128")
            .with("account_url", "account://pk:acc0untSECRET@acct")
            .with("my_custom_password", "hunter2")
            .with("refresh_token", "rEfReSh");
        let d = format!("{c:?}");
        for secret in ["pr0xyPW", "acc0untSECRET", "hunter2", "rEfReSh"] {
            assert!(!d.contains(secret), "{secret} in {d}");
        }
        assert!(d.contains("proxy.local:3128") && d.contains("@acct"), "{d}");
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Config::new()
            .with("api_secret", "topsecret")
            .with("cloud_name", "demo");
        let d = format!("{c:?}");
        assert!(!d.contains("topsecret"));
        assert!(d.contains("demo"));
    }
}
