//! Request signing: the string-to-sign rules of the Upload API and the signature over it.
//!
//! Every signed Upload API call, download URL and widget parameter set is signed the
//! same way (pycloudinary's `api_sign_request`):
//!
//! 1. keep the parameters whose value is *truthy* (Python rules: `None`, `""`, `0`,
//!    `False`, `[]` and `{}` are left out);
//! 2. write each as `key=value`: a list is its items joined with `,` (every item must be
//!    a string), `True` is `true`, anything else is Python's `str()` of it;
//! 3. from signature version 2 on, replace every `&` inside each `key=value` by `%26`;
//! 4. sort the strings by code point and join them with `&`;
//! 5. append the API secret and hash with SHA-1 (default) or SHA-256, in lowercase hex.
//!
//! ```
//! use cldkit::sign::{api_sign_request, Algorithm};
//! use cldkit::Map;
//! let params: Map = serde_json::from_str(
//!     r#"{"eager": "w_400,h_300,c_pad|w_260,h_200,c_crop", "public_id": "sample_image",
//!         "timestamp": "1315060510"}"#,
//! ).unwrap();
//! let signature = api_sign_request(&params, "abcd", Algorithm::Sha1, 2).unwrap();
//! assert_eq!(signature, "bfd09f95f331f558cbd1320e67aa8d488770583e");
//! ```

use std::convert::Infallible;
use std::fmt;

use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::{Client, Error, Map, Profile, Result, Value};

/// The hash function of a signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// SHA-1 (the SDKs' default), 40 hex characters.
    #[default]
    Sha1,
    /// SHA-256, 64 hex characters.
    Sha256,
}

impl Algorithm {
    /// Parses an algorithm name as the SDKs accept it: exactly `sha1` or `sha256`.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "sha1" => Ok(Algorithm::Sha1),
            "sha256" => Ok(Algorithm::Sha256),
            other => Err(Error::signature(format!(
                "Unsupported hash algorithm: {other}"
            ))),
        }
    }

    /// The algorithm named by an option or setting value (a string).
    pub fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Str(s) => Algorithm::from_name(s),
            other => Err(Error::signature(format!(
                "Unsupported hash algorithm: {}",
                other.py_str()
            ))),
        }
    }

    /// The algorithm's SDK name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
        }
    }

    /// Lowercase hex digest of the concatenation of `parts`.
    pub fn hex_digest(self, parts: &[&[u8]]) -> String {
        let mut hasher = Hasher::new(self);
        for p in parts {
            hasher.update(p);
        }
        hasher.hex()
    }
}

/// A running SHA-1 or SHA-256.
enum Hasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl Hasher {
    fn new(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha1 => Hasher::Sha1(Sha1::new()),
            Algorithm::Sha256 => Hasher::Sha256(Sha256::new()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    /// The digest in lowercase hex.
    fn hex(self) -> String {
        let mut out = [0u8; 64];
        let written = match self {
            Hasher::Sha1(h) => to_hex(&h.finalize(), &mut out),
            Hasher::Sha256(h) => to_hex(&h.finalize(), &mut out),
        };
        written.to_owned()
    }
}

/// `digest` (at most 32 bytes) in lowercase hex, written into `out`.
fn to_hex<'a>(digest: &[u8], out: &'a mut [u8; 64]) -> &'a str {
    let out = &mut out[..digest.len() * 2];
    match hex::encode_to_slice(digest, out) {
        // Hex digits are ASCII.
        Ok(()) => std::str::from_utf8(out).unwrap_or_default(),
        Err(_) => "",
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Signature version 2 and later escape `&` inside each `key=value` pair.
pub const DEFAULT_SIGNATURE_VERSION: u32 = 2;

/// The string that is hashed (without the secret) for `params`.
///
/// ```
/// use cldkit::Map;
/// let params: Map = serde_json::from_str(r#"{"public_id": "a&b", "folder": "x y",
///     "overwrite": true, "invalidate": false, "timestamp": 1700000000}"#).unwrap();
/// assert_eq!(
///     cldkit::sign::string_to_sign(&params, 2).unwrap(),
///     "folder=x y&overwrite=true&public_id=a%26b&timestamp=1700000000"
/// );
/// ```
pub fn string_to_sign(params: &Map, signature_version: u32) -> Result<String> {
    Ok(Pairs::of(params, signature_version, &[])?.joined())
}

/// Signs `params` with `api_secret` (pycloudinary's `api_sign_request`).
///
/// Fails when the secret is empty or a list value holds something other than strings.
pub fn api_sign_request(
    params: &Map,
    api_secret: &str,
    algorithm: Algorithm,
    signature_version: u32,
) -> Result<String> {
    sign_excluding(params, api_secret, algorithm, signature_version, &[])
}

/// Signs `params` leaving out the keys in `excluded`.
pub(crate) fn sign_excluding(
    params: &Map,
    api_secret: &str,
    algorithm: Algorithm,
    signature_version: u32,
    excluded: &[&str],
) -> Result<String> {
    // The secret is checked before the values (the order of pycloudinary's errors).
    let signer = ParamSigner::with_pairs(api_secret, algorithm, || {
        Pairs::of(params, signature_version, excluded)
    })?;
    Ok(signer.sign())
}

/// A signature built one parameter at a time: [`api_sign_request`] for callers that
/// hold their parameters in their own structures (a binding decoding its language's
/// objects, a form library), with no [`Map`] in between.
///
/// The rules are [`api_sign_request`]'s (module docs); each key must be added once, as
/// in a map. The secret stays out of `Debug` output.
///
/// ```
/// use cldkit::sign::{api_sign_request, Algorithm, ParamSigner};
/// use cldkit::{Map, Value};
///
/// let mut signer = ParamSigner::new("abcd", Algorithm::Sha1, 2)?;
/// signer.add_text("public_id", "sample_image");
/// signer.add("timestamp", &Value::Int(1315060510))?;
/// signer.add("overwrite", &Value::Bool(false))?; // falsy: left out
///
/// let params: Map = [("public_id", Value::from("sample_image")),
///                    ("timestamp", Value::Int(1315060510))].into_iter().collect();
/// assert_eq!(signer.sign(), api_sign_request(&params, "abcd", Algorithm::Sha1, 2)?);
/// # Ok::<(), cldkit::Error>(())
/// ```
pub struct ParamSigner<'s> {
    api_secret: &'s str,
    algorithm: Algorithm,
    pairs: Pairs,
}

impl<'s> ParamSigner<'s> {
    /// A signer with no parameters yet; fails when `api_secret` is empty.
    pub fn new(api_secret: &'s str, algorithm: Algorithm, signature_version: u32) -> Result<Self> {
        Self::with_pairs(api_secret, algorithm, || {
            Ok(Pairs::new(signature_version, 12))
        })
    }

    /// A signer over the pairs `pairs` makes, once the secret is known to be there.
    fn with_pairs(
        api_secret: &'s str,
        algorithm: Algorithm,
        pairs: impl FnOnce() -> Result<Pairs>,
    ) -> Result<Self> {
        if api_secret.is_empty() {
            return Err(Error::signature("Must supply api_secret"));
        }
        Ok(ParamSigner {
            api_secret,
            algorithm,
            pairs: pairs()?,
        })
    }

    /// Adds a parameter (left out when `value` is falsy). Fails when a list holds
    /// something other than strings.
    pub fn add(&mut self, key: &str, value: &Value) -> Result<()> {
        self.pairs.add(key, value)
    }

    /// Adds a text parameter (left out when empty): `add(key, &Value::Str(..))`
    /// without the allocation.
    pub fn add_text(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            let Ok(()) = self.pairs.add_with::<Infallible>(key, |buf| {
                buf.push_str(value);
                Ok(())
            });
        }
    }

    /// The signature over the parameters added, in lowercase hex.
    pub fn sign(mut self) -> String {
        let mut hasher = Hasher::new(self.algorithm);
        for (i, pair) in self.pairs.sorted().enumerate() {
            if i > 0 {
                hasher.update(b"&");
            }
            hasher.update(pair.as_bytes());
        }
        hasher.update(self.api_secret.as_bytes());
        hasher.hex()
    }
}

impl fmt::Debug for ParamSigner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParamSigner")
            .field("algorithm", &self.algorithm)
            .field("params", &self.pairs.spans.len())
            .finish_non_exhaustive()
    }
}

/// `key=value` strings written into one buffer, with their spans.
struct Pairs {
    buf: String,
    spans: Vec<(usize, usize)>,
    /// Signature version 2 and later: `&` becomes `%26` inside each pair.
    escape: bool,
}

impl Pairs {
    fn new(signature_version: u32, capacity: usize) -> Self {
        Pairs {
            buf: String::with_capacity(capacity * 24),
            spans: Vec::with_capacity(capacity),
            escape: signature_version >= 2,
        }
    }

    /// The pairs of `params`, leaving out the keys in `excluded`.
    fn of(params: &Map, signature_version: u32, excluded: &[&str]) -> Result<Self> {
        let mut pairs = Pairs::new(signature_version, params.len());
        for (key, value) in params.iter() {
            if !excluded.contains(&key.as_str()) {
                pairs.add(key, value)?;
            }
        }
        Ok(pairs)
    }

    fn add(&mut self, key: &str, value: &Value) -> Result<()> {
        if value.truthy() {
            self.add_with(key, |buf| write_sign_value(buf, value))?;
        }
        Ok(())
    }

    /// Appends `key=` and the value `write` writes, escaped; nothing when `write` fails.
    fn add_with<E>(
        &mut self,
        key: &str,
        write: impl FnOnce(&mut String) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let start = self.buf.len();
        self.buf.push_str(key);
        self.buf.push('=');
        if let Err(e) = write(&mut self.buf) {
            self.buf.truncate(start);
            return Err(e);
        }
        if self.escape && self.buf[start..].contains('&') {
            let escaped = self.buf[start..].replace('&', "%26");
            self.buf.truncate(start);
            self.buf.push_str(&escaped);
        }
        self.spans.push((start, self.buf.len()));
        Ok(())
    }

    /// The pairs in code-point order.
    fn sorted(&mut self) -> impl Iterator<Item = &str> {
        let buf = &self.buf;
        self.spans
            .sort_unstable_by(|a, b| buf[a.0..a.1].cmp(&buf[b.0..b.1]));
        self.spans.iter().map(move |&(a, b)| &buf[a..b])
    }

    /// The sorted pairs joined with `&`: the string to sign.
    fn joined(mut self) -> String {
        let mut out = String::with_capacity(self.buf.len() + self.spans.len());
        for (i, pair) in self.sorted().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(pair);
        }
        out
    }
}

/// Appends the signed text of one (truthy) value.
fn write_sign_value(out: &mut String, value: &Value) -> Result<()> {
    match value {
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Str(s) => {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(s);
                    }
                    other => return Err(join_type_error(i, other)),
                }
            }
        }
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        other => other.push_py_str(out),
    }
    Ok(())
}

/// The error Python's `",".join(list)` raises for a non-string item.
pub(crate) fn join_type_error(index: usize, item: &Value) -> Error {
    Error::invalid_option(
        "params",
        format!(
            "sequence item {index}: expected str instance, {} found",
            py_type_name(item)
        ),
    )
}

/// Python's type name of a value, for messages that mirror the SDK's.
pub(crate) fn py_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::List(_) => "list",
        Value::Map(_) => "dict",
    }
}

/// The signature version named by an option or setting value (Python compares it with
/// `>= 2`; a string or `None` cannot be compared).
pub fn version_from_value(value: &Value) -> Result<u32> {
    let v2 = match value {
        Value::Int(i) => *i >= 2,
        Value::Float(f) => *f >= 2.0,
        Value::Bool(_) => false,
        other => {
            return Err(Error::invalid_option(
                "signature_version",
                format!("expected a number, found {}", other.type_name()),
            ))
        }
    };
    Ok(if v2 { 2 } else { 1 })
}

/// A signature and the exact text it was computed over, for comparing with the
/// server's "Invalid Signature" message. The API secret is not part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureExplanation {
    /// The string that was hashed, without the appended secret.
    pub string_to_sign: String,
    /// The hash function used.
    pub algorithm: Algorithm,
    /// The signature version used (1: no `&` escaping).
    pub signature_version: u32,
    /// The resulting lowercase hex signature.
    pub signature: String,
}

/// The npm SDK's `api_string_to_sign` (the `node` profile): `false` and `0` are
/// signed (only null and `""` are left out, lists joined with `,`), values print as
/// JavaScript prints them, keys are sorted with `localeCompare` (case-blind first:
/// `a`, `A`, `a_b`, `ab`), and version 2 escapes `&`.
///
/// ```
/// use cldkit::Map;
/// let params: Map = serde_json::from_str(
///     r#"{"b": false, "a_b": 0, "B": "x", "ab": [1, 2.0], "c": "", "d": null}"#).unwrap();
/// assert_eq!(cldkit::sign::string_to_sign_node(&params, 2), "a_b=0&ab=1,2&b=false&B=x");
/// ```
pub fn string_to_sign_node(params: &Map, signature_version: u32) -> String {
    use crate::transform::js;
    use std::borrow::Cow;
    let pairs: Vec<(&str, Cow<'_, str>)> = params
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::Null => return None,
                Value::List(items) => Cow::Owned(js::join(items, ",")),
                other => js::string(other),
            };
            (!(text.is_empty() && matches!(v, Value::Str(_) | Value::List(_))))
                .then_some((k.as_str(), text))
        })
        .collect();
    join_node(pairs, signature_version)
}

/// A parameter value as JavaScript already printed it (`String(v)`): what a binding
/// that reads JavaScript values as text gives [`api_sign_request_node_printed`].
#[derive(Clone, Copy, Debug)]
pub enum Printed<'a> {
    /// `null` or `undefined`: left out.
    Null,
    /// A string (left out when empty).
    Str(&'a str),
    /// A number or boolean, printed by JavaScript's `String()`.
    Other(&'a str),
}

/// [`api_sign_request_node`] of parameters whose values JavaScript has printed (each
/// the text [`string_to_sign_node`] would print for it): the same signature without
/// building a [`Map`].
///
/// ```
/// use cldkit::sign::{api_sign_request_node, api_sign_request_node_printed, Printed};
/// let params: cldkit::Map = serde_json::from_str(
///     r#"{"timestamp": 1700000000, "overwrite": false, "tags": "", "public_id": "a&b"}"#).unwrap();
/// let printed = [
///     ("timestamp", Printed::Other("1700000000")),
///     ("overwrite", Printed::Other("false")),
///     ("tags", Printed::Str("")),
///     ("public_id", Printed::Str("a&b")),
/// ];
/// let secret = cldkit::Value::from("abcd");
/// assert_eq!(
///     api_sign_request_node_printed(&printed, Some(&secret), None, None).unwrap(),
///     api_sign_request_node(&params, Some(&secret), None, None).unwrap(),
/// );
/// ```
pub fn api_sign_request_node_printed(
    params: &[(&str, Printed<'_>)],
    api_secret: Option<&Value>,
    algorithm: Option<&Value>,
    signature_version: Option<&Value>,
) -> Result<String> {
    use std::borrow::Cow;
    let (algorithm, version) = node_signing_settings(algorithm, signature_version)?;
    let pairs: Vec<(&str, Cow<'_, str>)> = params
        .iter()
        .filter_map(|&(k, v)| match v {
            Printed::Null | Printed::Str("") => None,
            Printed::Str(t) | Printed::Other(t) => Some((k, Cow::Borrowed(t))),
        })
        .collect();
    Ok(digest_node(
        algorithm,
        &join_node(pairs, version),
        api_secret,
    ))
}

/// The npm SDK's digest of `to_sign` followed by the secret as JavaScript prints it
/// (a missing one as `undefined`).
fn digest_node(algorithm: Algorithm, to_sign: &str, api_secret: Option<&Value>) -> String {
    let secret = crate::transform::js::string_opt(api_secret);
    algorithm.hex_digest(&[to_sign.as_bytes(), secret.as_bytes()])
}

/// The npm SDK's string to sign from the printed `key`, `value` pairs it keeps:
/// sorted with `localeCompare`, joined as `key=value` with `&`.
fn join_node(mut pairs: Vec<(&str, std::borrow::Cow<'_, str>)>, signature_version: u32) -> String {
    use crate::transform::js;
    // `Array.prototype.sort` is stable: keys that compare equal keep their order (as
    // `sort_by_cached_key` keeps them); each key's collation key is made once.
    if pairs.iter().all(|(k, _)| is_plain_key(k)) {
        // Keys of `a`-`z` and `_` only (every upload parameter name): their
        // `localeCompare` order is their byte order, so no collation keys are built.
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    } else {
        pairs.sort_by_cached_key(|p| js::locale_key(p.0));
    }
    let size: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(size + 16);
    // Version 2 escapes `&` in each `key=value` pair.
    let push = |out: &mut String, text: &str| {
        if signature_version >= 2 && text.contains('&') {
            out.push_str(&text.replace('&', "%26"));
        } else {
            out.push_str(text);
        }
    };
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push(&mut out, k);
        out.push('=');
        push(&mut out, v);
    }
    out
}

/// A key of lowercase ASCII letters and `_` only, whose `localeCompare` order is its
/// byte order (`_` sorts before the letters in both).
fn is_plain_key(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// The npm SDK's `api_sign_request(params, api_secret, algorithm, version)`: the
/// secret is appended as JavaScript prints it (a missing one as `undefined`, an npm
/// SDK bug kept for byte equality), the algorithm defaults to SHA-1 and must be
/// `sha1` or `sha256`, a version below 2 (or not a number) skips the `&` escaping;
/// a null version is 2 (the caller reads the configuration's first, as the SDK does).
pub fn api_sign_request_node(
    params: &Map,
    api_secret: Option<&Value>,
    algorithm: Option<&Value>,
    signature_version: Option<&Value>,
) -> Result<String> {
    let (algorithm, version) = node_signing_settings(algorithm, signature_version)?;
    Ok(digest_node(
        algorithm,
        &string_to_sign_node(params, version),
        api_secret,
    ))
}

/// The npm SDK's reading of a signature algorithm (default SHA-1) and version (a
/// null one is 2; below 2 or not a number is 1).
fn node_signing_settings(
    algorithm: Option<&Value>,
    signature_version: Option<&Value>,
) -> Result<(Algorithm, u32)> {
    use crate::transform::js;
    let version = match signature_version.filter(|v| !v.is_null()) {
        None => 2,
        Some(v) => {
            let n = match v {
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                Value::Bool(b) => f64::from(u8::from(*b)),
                Value::Str(s) => s.trim().parse::<f64>().unwrap_or(f64::NAN),
                _ => f64::NAN,
            };
            if n >= 2.0 {
                2
            } else {
                1
            }
        }
    };
    let algorithm = node_signature_algorithm(algorithm.filter(|v| js::truthy(Some(v))))?;
    Ok((algorithm, version))
}

/// The signing settings of a client or call: secret, algorithm and version.
pub(crate) struct SigningKeys {
    pub(crate) secret: String,
    pub(crate) algorithm: Algorithm,
    pub(crate) version: u32,
}

impl fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys")
            .field("secret", &"***")
            .field("algorithm", &self.algorithm)
            .field("version", &self.version)
            .finish()
    }
}

/// Reads `key` from `options`, falling back to the client's setting (Python's
/// `options.get(key, config.key)`: a key present with `None` stays `None`).
pub(crate) fn option_or_config<'a>(
    client: &'a Client,
    options: &'a Map,
    key: &str,
) -> Option<&'a Value> {
    match options.get(key) {
        Some(v) => Some(v),
        None => client.config().get(key),
    }
}

impl SigningKeys {
    /// The keys for a call with `options`: `api_secret`, `signature_algorithm` and
    /// `signature_version` from the options, else the configuration, else the defaults.
    pub(crate) fn resolve(client: &Client, options: &Map) -> Result<Self> {
        let secret = match option_or_config(client, options, "api_secret") {
            // Python appends the secret to the string to sign: anything but text raises.
            Some(v) if v.truthy() => v.str_for("api_secret")?.to_owned(),
            _ => return Err(Error::config_option("api_secret", "Must supply api_secret")),
        };
        let algorithm = match option_or_config(client, options, "signature_algorithm") {
            Some(v) => Algorithm::from_value(v)?,
            None => Algorithm::Sha1,
        };
        let version = match option_or_config(client, options, "signature_version") {
            Some(v) => version_from_value(v)?,
            None => DEFAULT_SIGNATURE_VERSION,
        };
        Ok(SigningKeys {
            secret,
            algorithm,
            version,
        })
    }
}

/// Parameters the server never includes in the signature; left out of
/// [`Client::sign_request`] in the default profile (pycloudinary signs what it is given).
pub const UNSIGNED_PARAMS: &[&str] = &["file", "cloud_name", "resource_type", "api_key"];

impl Client {
    /// Signs `params` with this client's `api_secret`, `signature_algorithm` (default
    /// SHA-1) and `signature_version` (default 2), e.g. for an Upload widget or a
    /// browser form that posts the parameters itself.
    ///
    /// In the default profile `file`, `cloud_name`, `resource_type` and `api_key` are
    /// left out, as the server does; the `python` profile signs every key given.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://key:abcd@demo").unwrap();
    /// let params: cldkit::Map = serde_json::from_str(
    ///     r#"{"public_id": "sample", "timestamp": 1315060510, "value": "sample"}"#).unwrap();
    /// assert_eq!(client.sign_request(&params).unwrap(), "e918a796ec67230979a69dfec53a3b5b5be68604");
    /// ```
    pub fn sign_request(&self, params: &Map) -> Result<String> {
        match self.profile() {
            Profile::Node => return self.sign_request_node(params),
            Profile::Php => return self.sign_request_php(params),
            Profile::Python | Profile::Default => {}
        }
        let keys = SigningKeys::resolve(self, &Map::new())?;
        sign_excluding(
            params,
            &keys.secret,
            keys.algorithm,
            keys.version,
            self.unsigned_params(),
        )
    }

    /// The `node` profile's `sign_request`: `config().signature_version || 2`, the
    /// npm SDK's algorithm reading (kept out of line: the python path's frame does not
    /// grow with it).
    #[inline(never)]
    fn sign_request_node(&self, params: &Map) -> Result<String> {
        let config = self.config();
        let version = config
            .get("signature_version")
            .filter(|v| crate::transform::js::truthy(Some(v)));
        api_sign_request_node(
            params,
            config.get("api_secret"),
            config.get("signature_algorithm"),
            version,
        )
    }

    /// Like [`Client::sign_request`], and also returns the exact string that was signed
    /// (without the secret), to compare with the server's "Invalid Signature" message.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://key:abcd@demo").unwrap();
    /// let params: cldkit::Map = serde_json::from_str(
    ///     r#"{"public_id": "a&b", "timestamp": 1700000000}"#).unwrap();
    /// let e = client.explain_signature(&params).unwrap();
    /// assert_eq!(e.string_to_sign, "public_id=a%26b&timestamp=1700000000");
    /// assert_eq!(e.signature, client.sign_request(&params).unwrap());
    /// ```
    pub fn explain_signature(&self, params: &Map) -> Result<SignatureExplanation> {
        let keys = SigningKeys::resolve(self, &Map::new())?;
        let excluded = self.unsigned_params();
        let string_to_sign = Pairs::of(params, keys.version, excluded)?.joined();
        let signature = keys
            .algorithm
            .hex_digest(&[string_to_sign.as_bytes(), keys.secret.as_bytes()]);
        Ok(SignatureExplanation {
            string_to_sign,
            algorithm: keys.algorithm,
            signature_version: keys.version,
            signature,
        })
    }

    /// cloudinary_php's `ApiUtils::signParameters($params, $apiSecret,
    /// $signatureAlgorithm, $signatureVersion)` with this client's settings (its
    /// `signRequest`): the secret as PHP's string (a missing one is an error), the
    /// algorithm's name (default `sha1`), the version (default 2).
    #[inline(never)]
    fn sign_request_php(&self, params: &Map) -> Result<String> {
        let config = self.config();
        let secret = match config.get("api_secret").filter(|v| !v.is_null()) {
            Some(v) => crate::php::string(v)
                .ok_or_else(|| Error::config_option("api_secret", "api_secret must be a string"))?,
            None => return Err(Error::config_option("api_secret", "Must supply api_secret")),
        };
        let algorithm = match config.get("signature_algorithm").filter(|v| !v.is_null()) {
            Some(v) => crate::php::string(v).unwrap_or_default(),
            None => "sha1".to_owned(),
        };
        let version = match config.get("signature_version").filter(|v| !v.is_null()) {
            Some(Value::Int(v)) => u32::try_from(*v).unwrap_or(0),
            Some(other) => version_from_value(other)?,
            None => 2,
        };
        api_sign_request_php(params, &secret, &algorithm, version)
    }

    fn unsigned_params(&self) -> &'static [&'static str] {
        match self.profile() {
            Profile::Python => &[],
            _ => UNSIGNED_PARAMS,
        }
    }
}

/// The string cloudinary_php 3.1.2's `ApiUtils::signParameters` signs (before the
/// secret): each value through `serializeSimpleApiParam` (so `true` is `1`, `false`,
/// null and empty values are left out, `0` is kept, lists are joined with `,` after
/// escaping their commas), keys in PHP's `ksort` order, `&` in values escaped as `%26`
/// from signature version 2, pairs `key=value` joined with `&`.
pub(crate) fn string_to_sign_php(params: &Map, signature_version: u32) -> Result<String> {
    let mut pairs: Vec<(&str, String)> = Vec::with_capacity(params.len());
    for (k, v) in params.iter() {
        let text = crate::php::simple_api_param(v)?.unwrap_or_default();
        let text = if signature_version >= 2 {
            text.replace('&', "%26")
        } else {
            text
        };
        pairs.push((k.as_str(), text));
    }
    pairs.sort_by(|a, b| crate::php::key_cmp(a.0, b.0));
    let mut out = String::with_capacity(pairs.len() * 24);
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        if !k.is_empty() {
            out.push_str(k);
            out.push('=');
        }
        out.push_str(v);
    }
    Ok(out)
}

/// `ApiUtils::signParameters($params, $secret, $algorithm, $version)` of
/// cloudinary_php 3.1.2: [`string_to_sign_php`] followed by the secret, hashed with
/// PHP's `hash($algorithm)` (`sha1` or `sha256` here; other names are errors).
pub(crate) fn api_sign_request_php(
    params: &Map,
    secret: &str,
    algorithm: &str,
    signature_version: u32,
) -> Result<String> {
    let text = string_to_sign_php(params, signature_version)?;
    let algorithm = match algorithm {
        "sha1" => Algorithm::Sha1,
        "sha256" => Algorithm::Sha256,
        "md5" => {
            let mut data = Vec::with_capacity(text.len() + secret.len());
            data.extend_from_slice(text.as_bytes());
            data.extend_from_slice(secret.as_bytes());
            return Ok(hex::encode(md5(&data)));
        }
        other => {
            return Err(Error::invalid_option(
                "signature_algorithm",
                format!("hash(): Argument #1 ($algo) must be a valid hashing algorithm ({other:?} is not supported here)"),
            ))
        }
    };
    Ok(algorithm.hex_digest(&[text.as_bytes(), secret.as_bytes()]))
}

/// MD5, which PHP's `hash('md5')` gives (only the `php` profile's `sign_request` with
/// that algorithm name uses it).
fn md5(data: &[u8]) -> [u8; 16] {
    use md5::Digest as _;
    md5::Md5::digest(data).into()
}

/// The npm SDK's reading of `signature_algorithm`: unset is SHA-1, `sha1` and `sha256`
/// are themselves, anything else is its "not supported" error.
pub(crate) fn node_signature_algorithm(value: Option<&Value>) -> Result<Algorithm> {
    match value {
        None => Ok(Algorithm::Sha1),
        Some(Value::Str(name)) if name == "sha1" => Ok(Algorithm::Sha1),
        Some(Value::Str(name)) if name == "sha256" => Ok(Algorithm::Sha256),
        Some(other) => Err(Error::invalid_option(
            "signature_algorithm",
            format!(
                "Signature algorithm {} is not supported. Supported algorithms: sha1, sha256",
                crate::transform::js::string(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> Map {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn plain_keys_sort_by_bytes_as_locale_compare_does() {
        // The node signing fast path sorts plain keys by bytes; the collation keys
        // (the `localeCompare` model) must agree on every pair of such keys.
        let alphabet: Vec<char> = std::iter::once('_').chain('a'..='z').collect();
        let mut keys: Vec<String> = alphabet.iter().map(|c| c.to_string()).collect();
        for a in &alphabet {
            for b in &alphabet {
                keys.push(format!("{a}{b}"));
                keys.push(format!("x{a}{b}y"));
            }
        }
        keys.extend(
            [
                "public_id",
                "publicid",
                "public",
                "tag",
                "tags",
                "a_b",
                "ab",
            ]
            .map(String::from),
        );
        for a in &keys {
            assert!(is_plain_key(a));
            for b in &keys {
                let by_locale =
                    crate::transform::js::locale_key(a).cmp(&crate::transform::js::locale_key(b));
                assert_eq!(a.cmp(b), by_locale, "{a} vs {b}");
            }
        }
        assert!(!is_plain_key("B") && !is_plain_key("a1"));
    }

    /// The php profile's `sign_request` is cloudinary_php's `ApiUtils::signParameters`
    /// with the client's secret (a `0` value is signed, unlike pycloudinary: corpus
    /// case sign_request-000031's `expected_php`).
    #[test]
    fn md5_matches_rfc_1321() {
        assert_eq!(
            hex::encode(super::md5(b"")),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            hex::encode(super::md5(b"The quick brown fox jumps over the lazy dog")),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(
            hex::encode(super::md5(&long)),
            "cabe45dcc9ae5b66ba86600cca6b8ba8"
        );
    }

    #[test]
    fn php_profile_signs_as_cloudinary_php() {
        let params = map(r#"{"public_id": "sample", "timestamp": 1315060510, "value": 0}"#);
        let client = Client::from_url("cloudinary://1234567890:abcd@demo")
            .unwrap()
            .with_profile(Profile::Php);
        assert_eq!(
            client.sign_request(&params).unwrap(),
            "646655e0a532e99d3c9e049e0f0717ef08f7b3ef"
        );
        let python = client.with_profile(Profile::Python);
        assert_eq!(
            python.sign_request(&params).unwrap(),
            "c3470533147774275dd37996cc4d0e68fd03cd4f"
        );
    }

    #[test]
    fn param_signer_errors_and_debug() {
        assert!(ParamSigner::new("", Algorithm::Sha1, 2).is_err());
        let mut s = ParamSigner::new("topsecret", Algorithm::Sha1, 2).unwrap();
        s.add_text("a", "1");
        let bad = Value::List(vec![Value::from("x"), Value::Int(1)]);
        let e = s.add("tags", &bad).unwrap_err();
        assert!(e.to_string().contains("sequence item 1"), "{e}");
        // The failed parameter left nothing behind.
        assert_eq!(
            s.sign(),
            api_sign_request(&map(r#"{"a": "1"}"#), "topsecret", Algorithm::Sha1, 2).unwrap()
        );
        let s = ParamSigner::new("topsecret", Algorithm::Sha256, 2).unwrap();
        let debug = format!("{s:?}");
        assert!(
            !debug.contains("topsecret") && debug.contains("Sha256"),
            "{debug}"
        );
    }

    #[test]
    fn documented_vector() {
        let p = map(
            r#"{"eager": "w_400,h_300,c_pad|w_260,h_200,c_crop", "public_id": "sample_image", "timestamp": "1315060510"}"#,
        );
        assert_eq!(
            api_sign_request(&p, "abcd", Algorithm::Sha256, 2).unwrap(),
            "cc927e1290f9e3ae4c1a741eda21a4630b4ce80f9ce0bc0296337d25cf40f91e"
        );
    }

    #[test]
    fn w3_bench_parameters_match_pycloudinary() {
        let p = map(
            r#"{"timestamp": 1700000000, "public_id": "folder/sample", "folder": "folder",
            "tags": "a,b,c", "context": "caption=Hello|alt=World",
            "eager": "c_fill,h_200,w_300|e_sepia", "overwrite": true, "invalidate": true,
            "notification_url": "https://example.com/notify", "upload_preset": "preset1"}"#,
        );
        assert_eq!(
            api_sign_request(&p, "abcd", Algorithm::Sha1, 2).unwrap(),
            "a6a50c66035c9c4e5a9510c805399ca405d06484"
        );
    }

    #[test]
    fn falsy_values_are_skipped_and_lists_joined() {
        let p = map(
            r#"{"a": 0, "b": false, "c": "", "d": [], "e": null, "f": ["x", "y"], "g": 1.0, "h": {"k": "v"}}"#,
        );
        assert_eq!(string_to_sign(&p, 2).unwrap(), "f=x,y&g=1.0&h={'k': 'v'}");
    }

    #[test]
    fn non_string_list_items_are_rejected() {
        let p = map(r#"{"a": [1, 2]}"#);
        assert!(string_to_sign(&p, 2).is_err());
    }

    #[test]
    fn version_one_keeps_ampersands_and_sort_is_by_code_point() {
        let p = map(r#"{"a": "x&y", "A": "1", "a1": "2"}"#);
        assert_eq!(string_to_sign(&p, 1).unwrap(), "A=1&a1=2&a=x&y");
    }

    #[test]
    fn empty_secret_and_unknown_algorithm_fail() {
        assert!(api_sign_request(&Map::new(), "", Algorithm::Sha1, 2).is_err());
        assert!(Algorithm::from_name("md5").is_err());
    }

    #[test]
    fn default_profile_leaves_out_server_side_exclusions() {
        let client = Client::from_url("cloudinary://k:abcd@demo").unwrap();
        let p = map(r#"{"file": "f", "api_key": "k", "public_id": "x"}"#);
        let e = client.explain_signature(&p).unwrap();
        assert_eq!(e.string_to_sign, "public_id=x");
        let py = client.with_profile(Profile::Python);
        let e = py.explain_signature(&p).unwrap();
        assert_eq!(e.string_to_sign, "api_key=k&file=f&public_id=x");
    }

    #[test]
    fn secrets_stay_out_of_debug_and_errors() {
        let client = Client::from_url("cloudinary://k:topsecret@demo").unwrap();
        let keys = SigningKeys::resolve(&client, &Map::new()).unwrap();
        assert!(!format!("{keys:?}").contains("topsecret"));
        let e = client.explain_signature(&map(r#"{"a": "b"}"#)).unwrap();
        assert!(!format!("{e:?}").contains("topsecret"));
        let err = client.sign_request(&map(r#"{"a": [1]}"#)).unwrap_err();
        assert!(!format!("{err:?} {err}").contains("topsecret"));
    }
}
