//! SDK analytics and integration identity.
//!
//! **The `_a` delivery-URL parameter.** The Node SDK appends `_a=<token>` to every
//! delivery URL; pycloudinary 1.46.3 adds nothing, so the `python` profile never does.
//! In the default profile cldkit appends its own token, unless the `analytics` (or
//! `urlAnalytics`) setting or option is not exactly `true`. The token is
//! `B` (algorithm) + product (`A`) + SDK code + the SDK version in 3 characters + the
//! runtime's `major.minor` in 2 characters + a feature letter (`0` none, `A`
//! responsive, `B` placeholder, `C` lazy loading, `D` accessibility), or the single
//! letter `E` when a version cannot be encoded. Settings or options `sdk_code`,
//! `sdk_semver`, `tech_version` and `product` override the parts; each binding sets
//! `tech_version` to its own runtime's version.
//!
//! ```
//! use cldkit::analytics::{token, SdkInfo};
//! let node = SdkInfo { product: "A".into(), sdk_code: "M".into(),
//!                      sdk_semver: "2.11.0".into(), tech_version: "20.20.2".into() };
//! assert_eq!(token(&node, '0'), "BAMAROfk0");
//! ```
//!
//! **Integration identity.** Cloudinary's partner program asks integrations to prefix
//! the SDK's RFC 7231 User-Agent with their own product token and the platform they
//! run in. Set `user_platform` (e.g. `PluginName/1.2 (WordPress 6.5)`) and
//! [`Client::user_agent`] returns `PluginName/1.2 (WordPress 6.5) cldkit/<version>`;
//! the Media Library widget configuration carries the same identity
//! ([`Client::media_library_config`]).

use crate::{Client, Map, Profile, Value};

/// The SDK code cldkit reports in its own token (provisional: Cloudinary has not
/// assigned cldkit a code; override it with the `sdk_code` setting).
pub const CLDKIT_SDK_CODE: &str = "Z";

/// The runtime version reported when no binding sets `tech_version` ("unknown"): the
/// 2-character encoding holds minor versions up to 40 only, so Rust's own version
/// (1.75 and later) cannot be reported.
pub const DEFAULT_TECH_VERSION: &str = "0.0";

/// The parts of an analytics token that identify the SDK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkInfo {
    /// Product letter (`A`).
    pub product: String,
    /// SDK code letter (`M` for Node).
    pub sdk_code: String,
    /// SDK version, `x.y.z`.
    pub sdk_semver: String,
    /// Runtime version; only `major.minor` is encoded.
    pub tech_version: String,
}

impl SdkInfo {
    /// cldkit's own identity (SDK code [`CLDKIT_SDK_CODE`], the crate version, runtime
    /// [`DEFAULT_TECH_VERSION`], product `A`).
    pub fn cldkit() -> Self {
        SdkInfo {
            product: "A".into(),
            sdk_code: CLDKIT_SDK_CODE.into(),
            sdk_semver: env!("CARGO_PKG_VERSION").into(),
            tech_version: DEFAULT_TECH_VERSION.into(),
        }
    }

    /// These parts overridden by `options`, then `config`: `product`,
    /// `sdkCode`/`sdk_code`, `sdkSemver`/`sdk_semver`, `techVersion`/`tech_version`
    /// (the first non-null value wins, in that order).
    pub fn with_overrides(&self, config: &Map, options: &Map) -> Self {
        let pick = |keys: &[&str], default: &str| -> String {
            for key in keys {
                for source in [options, config] {
                    if let Some(v) = source.get(key) {
                        if !v.is_null() {
                            return v.py_str().into_owned();
                        }
                    }
                }
            }
            default.to_owned()
        };
        SdkInfo {
            product: pick(&["product"], &self.product),
            sdk_code: pick(&["sdkCode", "sdk_code"], &self.sdk_code),
            sdk_semver: pick(&["sdkSemver", "sdk_semver"], &self.sdk_semver),
            tech_version: pick(&["techVersion", "tech_version"], &self.tech_version),
        }
    }
}

/// Encodes a dotted version: segments reversed, each padded to 2 digits, read as a
/// number and written 6 bits per character. `None` when it cannot be encoded.
pub fn encode_version(version: &str) -> Option<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let segments: Vec<&str> = version.split('.').collect();
    if segments.len() < 2 {
        return None;
    }
    let mut joined = String::new();
    for seg in segments.iter().rev() {
        for _ in seg.len()..2 {
            joined.push('0');
        }
        joined.push_str(seg);
    }
    // Leading digits only, as JavaScript's parseInt reads them.
    let digits: String = joined.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let number: u128 = digits.parse().ok()?;
    let bits = 128 - number.leading_zeros() as usize;
    let width = bits.max(6 * segments.len());
    if width % 6 != 0 {
        return None;
    }
    let mut out = String::with_capacity(width / 6);
    for i in (0..width / 6).rev() {
        let chunk = if i * 6 >= 128 {
            0
        } else {
            (number >> (i * 6)) & 0x3f
        };
        out.push(ALPHABET[chunk as usize] as char);
    }
    Some(out)
}

/// The full token for `sdk` and feature letter `feature`, or `E` on failure.
pub fn token(sdk: &SdkInfo, feature: char) -> String {
    let tech: Vec<&str> = sdk.tech_version.split('.').take(2).collect();
    let sdk_part = encode_version(&sdk.sdk_semver);
    let tech_part = encode_version(&tech.join("."));
    match (sdk_part, tech_part) {
        (Some(s), Some(t)) => format!("B{}{}{s}{t}{feature}", sdk.product, sdk.sdk_code),
        _ => "E".to_owned(),
    }
}

/// The feature letter of a URL's options (the Node SDK's priority: placeholder, then
/// responsive, then lazy loading, then accessibility).
pub fn feature_letter(options: &Map) -> char {
    let truthy = |k: &str| options.get(k).is_some_and(Value::truthy);
    let responsive = truthy("responsive")
        || truthy("responsive_width")
        || matches!(options.get("width"), Some(Value::Str(w)) if w.starts_with("auto"));
    if truthy("placeholder") {
        'B'
    } else if responsive {
        'A'
    } else if matches!(options.get("loading"), Some(Value::Str(l)) if l == "lazy") {
        'C'
    } else if truthy("accessibility") {
        'D'
    } else {
        '0'
    }
}

/// Whether analytics is on (the default): the first value found among the options'
/// and then the configuration's `urlAnalytics`, then `analytics`, decides; `false`,
/// `0`, null and the texts `"false"`, `"0"` and `""` (as a `CLOUDINARY_URL` query
/// gives them) turn it off.
///
/// ```
/// use cldkit::{analytics::enabled, Map};
/// let off: Map = serde_json::from_str(r#"{"analytics": "false"}"#).unwrap();
/// let on: Map = serde_json::from_str(r#"{"analytics": "true"}"#).unwrap();
/// assert!(!enabled(&off, &Map::new()));
/// assert!(enabled(&on, &Map::new()));
/// assert!(enabled(&Map::new(), &Map::new()));
/// ```
pub fn enabled(config: &Map, options: &Map) -> bool {
    for key in ["urlAnalytics", "analytics"] {
        for source in [options, config] {
            if let Some(v) = source.get(key) {
                // `false`, or the text a CLOUDINARY_URL query gives (`analytics=false`).
                return match v {
                    Value::Str(t) => !matches!(t.to_ascii_lowercase().as_str(), "false" | "0" | ""),
                    other => other.truthy(),
                };
            }
        }
    }
    true
}

/// The value of the `_a` query parameter to append to a delivery URL built with
/// `options`, or `None` when analytics is off (always off in the `python` profile).
pub(crate) fn url_token(client: &Client, options: &Map) -> Option<String> {
    if client.profile() == Profile::Python {
        return None;
    }
    if client.profile() == Profile::Php {
        return php_url_token(client, options);
    }
    let config = client.config().values();
    if !enabled(config, options) {
        return None;
    }
    let feature = feature_letter(options);
    const OVERRIDES: &[&str] = &[
        "product",
        "sdkCode",
        "sdk_code",
        "sdkSemver",
        "sdk_semver",
        "techVersion",
        "tech_version",
    ];
    let mut base = if OVERRIDES.iter().any(|k| options.contains_key(k)) {
        // The call overrides the SDK identity: computed for this call.
        token(&SdkInfo::cldkit().with_overrides(config, options), feature)
    } else {
        // Otherwise the token depends on the client's configuration only: computed
        // once per client (a binding's runtime version is a configuration setting).
        client
            .analytics_base
            .get_or_init(|| token(&SdkInfo::cldkit().with_overrides(config, &Map::new()), '0'))
            .clone()
    };
    if base.len() > 1 {
        base.pop();
        base.push(feature);
    }
    Some(base)
}

/// cloudinary_php 3.1.2's `_a` value, `Analytics::sdkAnalyticsSignature()`: algorithm
/// `B`, product `A`, SDK code `A`, its version 3.1.2 and the corpus's PHP 8.2, with
/// no feature letter.
pub const PHP_SIGNATURE: &str = "BAAE6HDQ";

/// The `php` profile's `_a`: `Media::fromParams` turns analytics off unless
/// `analytics` is set explicitly (in the options, else the configuration) to a true
/// value.
fn php_url_token(client: &Client, options: &Map) -> Option<String> {
    let setting = options
        .get("analytics")
        .or_else(|| client.config().get("analytics"))?;
    let on = match setting {
        Value::Str(t) => !matches!(t.to_ascii_lowercase().as_str(), "false" | "0" | ""),
        other => other.truthy(),
    };
    on.then(|| PHP_SIGNATURE.to_owned())
}

/// The npm SDK's `getSDKAnalyticsSignature` (the `node` profile's `_a` value), with
/// its quirks: values print as JavaScript prints them, a version that is not a text
/// gives `E`, a runtime version without a minor part encodes `x.undefined`, and a
/// 6-bit chunk that is not binary (from a version that does not parse as a number)
/// encodes as the text `undefined`.
///
/// ```
/// use cldkit::{analytics::node_signature, Value};
/// let v = |s: &str| Value::from(s);
/// assert_eq!(node_signature(&v("A"), &v("M"), &v("2.11.0"), &v("20.20.2"), '0'), "BAMAROfk0");
/// assert_eq!(node_signature(&v("A"), &v("M"), &v("2.11.0"), &Value::Int(20), '0'), "E");
/// ```
pub fn node_signature(
    product: &Value,
    sdk_code: &Value,
    sdk_semver: &Value,
    tech_version: &Value,
    feature: char,
) -> String {
    let (Value::Str(tech), Value::Str(semver)) = (tech_version, sdk_semver) else {
        return "E".to_owned();
    };
    let mut parts = tech.split('.');
    let major = parts.next().unwrap_or_default();
    let minor = parts.next().unwrap_or("undefined");
    let two_part = format!("{major}.{minor}");
    let (Some(sdk), Some(tech)) = (encode_version_js(semver), encode_version_js(&two_part)) else {
        return "E".to_owned();
    };
    let text = crate::transform::js::string;
    format!("B{}{}{sdk}{tech}{feature}", text(product), text(sdk_code))
}

/// The npm SDK's `encodeVersion`, quirks included (see [`node_signature`]); `None`
/// where it throws.
fn encode_version_js(semver: &str) -> Option<String> {
    use crate::transform::js;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let segments: Vec<&str> = semver.split('.').collect();
    if segments.len() < 2 {
        return None;
    }
    let pad = |s: &str, len: usize| -> String {
        let n = s.encode_utf16().count();
        if n >= len {
            s.to_owned()
        } else {
            format!("{}{s}", "0".repeat(len - n))
        }
    };
    let joined: String = segments.iter().rev().map(|s| pad(s, 2)).collect();
    let number = js::parse_int(&joined).unwrap_or(f64::NAN);
    let bits = pad(&js::binary(number), segments.len() * 6);
    if bits.encode_utf16().count() % 6 != 0 {
        return None;
    }
    let chars: Vec<char> = bits.chars().collect();
    let mut out = String::new();
    for chunk in chars.chunks(6) {
        let mut value = 0usize;
        let mut binary = chunk.len() == 6;
        for c in chunk {
            match c {
                '0' => value <<= 1,
                '1' => value = (value << 1) | 1,
                _ => binary = false,
            }
        }
        if binary {
            out.push(ALPHABET[value] as char);
        } else {
            out.push_str("undefined");
        }
    }
    Some(out)
}

/// cldkit's own RFC 7231 product token.
pub const USER_AGENT: &str = concat!("cldkit/", env!("CARGO_PKG_VERSION"));

/// The `user_platform` setting, without control characters, if set and non-empty.
pub(crate) fn user_platform(client: &Client) -> Option<String> {
    let v = client.config().get("user_platform")?;
    let s: String = v.py_str().chars().filter(|c| !c.is_control()).collect();
    let s = s.trim().to_owned();
    (!s.is_empty() && v.truthy()).then_some(s)
}

impl Client {
    /// The `User-Agent` for API requests: the `user_platform` setting (the
    /// integration identity, e.g. `PluginName/1.2 (WordPress 6.5)`), a space, and
    /// cldkit's own product token.
    ///
    /// ```
    /// let client = cldkit::Client::new(
    ///     cldkit::Config::new().with("user_platform", "PluginName/1.2 (WordPress 6.5)"));
    /// assert!(client.user_agent().starts_with("PluginName/1.2 (WordPress 6.5) cldkit/"));
    /// ```
    pub fn user_agent(&self) -> String {
        match user_platform(self) {
            Some(p) => format!("{p} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_encoding_vectors() {
        for (v, e) in [
            ("2.11.0", Some("ARO")),
            ("1.24.0", Some("Alh")),
            ("20.20", Some("fk")),
            ("12.0", Some("AM")),
            ("1.0.0", Some("AAB")),
            ("1.2.3", Some("HX5")),
            ("43.21.26", Some("///")),
            ("43.21.27", None),
            ("7", None),
            ("1.2.100", None),
            ("1.2", Some("DJ")),
            ("1.2.3.4", Some("PX75")),
            ("2.0.0-rc.1", Some("AAAK")),
            ("abc.def", None),
        ] {
            assert_eq!(encode_version(v).as_deref(), e, "{v}");
        }
    }

    #[test]
    fn python_profile_never_tags_urls() {
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        assert!(url_token(&client, &Map::new()).is_some());
        let py = client.with_profile(Profile::Python);
        assert_eq!(url_token(&py, &Map::new()), None);
    }

    #[test]
    fn switch_and_features() {
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        let off: Map = serde_json::from_str(r#"{"analytics": false}"#).unwrap();
        assert_eq!(url_token(&client, &off), None);
        let lazy: Map = serde_json::from_str(r#"{"loading": "lazy"}"#).unwrap();
        assert!(url_token(&client, &lazy).unwrap().ends_with('C'));
        let pinned: Map = serde_json::from_str(
            r#"{"sdk_code": "X", "sdk_semver": "1.24.0", "tech_version": "12.0.0"}"#,
        )
        .unwrap();
        assert_eq!(url_token(&client, &pinned).unwrap(), "BAXAlhAM0");
    }

    #[test]
    fn user_agent_prefix() {
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        assert_eq!(client.user_agent(), USER_AGENT);
    }
}
