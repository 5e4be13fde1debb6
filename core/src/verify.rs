//! Verification of what Cloudinary sends back: webhook (notification) signatures and
//! the `signature` of upload results.
//!
//! * Notification: hex SHA-1 (or SHA-256, per `signature_algorithm`) of the raw body,
//!   immediately followed by the `X-Cld-Timestamp` text and the API secret; stale when
//!   the timestamp is more than `valid_for` seconds (default 7200) before now.
//! * API response: the request signature of `{public_id, version}` with signature
//!   version 1 (no `&` escaping).
//!
//! Digests are compared in constant time (the official SDKs use plain `==`). Outside
//! the `python` profile a timestamp text with surrounding whitespace and a NaN or
//! infinite `valid_for` are `invalid_option` errors (pycloudinary accepts both; a
//! non-finite `valid_for` switches its age check off).
//!
//! ```
//! let client = cldkit::Client::from_url("cloudinary://key:abcd@demo")
//!     .unwrap()
//!     .with_clock(|| 1_700_000_000);
//! let body = br#"{"public_id":"sample","version":1}"#;
//! let ok = client
//!     .verify_notification(body, 1_699_999_900, "d47ca1f665f25767592b7782be8a51659ee22764", None)
//!     .unwrap();
//! assert!(ok);
//! ```

use subtle::ConstantTimeEq;

use crate::sign::{api_sign_request, Algorithm};
use crate::{Client, Error, Map, Result, Value};

/// The validity window the SDKs use when none is given, in seconds.
pub const DEFAULT_VALID_FOR: i64 = 7200;

/// Constant-time equality of a received signature and the expected one.
pub fn signatures_equal(received: &str, expected: &str) -> bool {
    let (a, b) = (received.as_bytes(), expected.as_bytes());
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Python's `int(x)` for a timestamp: an integer, a float (truncated), a boolean or
/// a decimal string (surrounding whitespace, a sign and `_` separators allowed).
fn py_int(value: &Value) -> Result<i128> {
    let bad = || {
        Error::invalid_option(
            "timestamp",
            format!("invalid literal for int() with base 10: {}", value.py_str()),
        )
    };
    match value {
        Value::Int(i) => Ok(*i as i128),
        Value::Bool(b) => Ok(*b as i128),
        Value::Float(f) if f.is_finite() => Ok(f.trunc() as i128),
        Value::Str(s) => {
            let t = s.trim();
            let (neg, digits) = match t.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, t.strip_prefix('+').unwrap_or(t)),
            };
            let well_formed = !digits.is_empty()
                && !digits.starts_with('_')
                && !digits.ends_with('_')
                && !digits.contains("__")
                && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
            if !well_formed {
                return Err(bad());
            }
            let n: i128 = digits.replace('_', "").parse().map_err(|_| bad())?;
            Ok(if neg { -n } else { n })
        }
        _ => Err(bad()),
    }
}

/// The default profile's checks on top of pycloudinary's: the `X-Cld-Timestamp` text
/// has no surrounding whitespace (Cloudinary sends bare digits; the digest would
/// cover the whitespace that `int()` ignores), and `valid_for` is finite (NaN and
/// +inf would switch the age check off, -inf refuse everything).
fn check_strict(timestamp: &Value, valid_for: Option<f64>) -> Result<()> {
    if let Value::Str(s) = timestamp {
        if s.trim() != s {
            return Err(Error::invalid_option(
                "timestamp",
                "surrounding whitespace is not allowed",
            ));
        }
    }
    if valid_for.is_some_and(|v| !v.is_finite()) {
        return Err(Error::invalid_option(
            "valid_for",
            "expected a finite number of seconds",
        ));
    }
    Ok(())
}

/// The signature Cloudinary sends with a webhook (`X-Cld-Signature`): the hex digest of
/// the raw body, the `X-Cld-Timestamp` value and the API secret. Used by senders (the
/// local emulator) and by [`Client::verify_notification`].
///
/// ```
/// use cldkit::sign::Algorithm;
/// let sig = cldkit::verify::notification_signature(b"{}", 1700000000, "abcd", Algorithm::Sha1);
/// assert_eq!(sig.len(), 40);
/// ```
pub fn notification_signature(
    body: &[u8],
    timestamp: i64,
    secret: &str,
    algorithm: Algorithm,
) -> String {
    let ts = timestamp.to_string();
    algorithm.hex_digest(&[body, ts.as_bytes(), secret.as_bytes()])
}

impl Client {
    fn secret_for_verification(&self) -> Result<String> {
        match self.config().get("api_secret") {
            Some(v) if v.truthy() => Ok(v.py_str().into_owned()),
            _ => Err(Error::config_option(
                "api_secret",
                "Api secret key is empty",
            )),
        }
    }

    fn configured_algorithm(&self) -> Result<Algorithm> {
        match self.config().get("signature_algorithm") {
            Some(v) if v.truthy() => Algorithm::from_value(v),
            _ => Ok(Algorithm::Sha1),
        }
    }

    /// Verifies a webhook: `body` is the raw request body, `timestamp` the
    /// `X-Cld-Timestamp` header (an integer or its text), `signature` the
    /// `X-Cld-Signature` header. `valid_for` defaults to 7200 seconds; a timestamp
    /// older than that (by the client's clock) is rejected, future ones are accepted.
    ///
    /// # Errors
    ///
    /// `config` without an `api_secret`; `invalid_option` for a timestamp that is not
    /// an integer (Python's `int()` rules) or a non-UTF-8 body. Outside the
    /// [`Profile::Python`](crate::Profile::Python) profile also for a timestamp text
    /// with surrounding whitespace and a NaN or infinite `valid_for` (pycloudinary
    /// strips the one and lets the other switch the age check off).
    pub fn verify_notification(
        &self,
        body: &[u8],
        timestamp: impl Into<Value>,
        signature: &str,
        valid_for: Option<f64>,
    ) -> Result<bool> {
        let timestamp = timestamp.into();
        match self.profile() {
            crate::Profile::Node => {
                return self.verify_notification_node(body, &timestamp, signature, valid_for)
            }
            crate::Profile::Php => {
                return self.verify_notification_php(body, &timestamp, signature, valid_for)
            }
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let secret = self.secret_for_verification()?;
        if self.profile() != crate::Profile::Python {
            check_strict(&timestamp, valid_for)?;
        }
        let ts = py_int(&timestamp)?;
        let valid_for = valid_for.unwrap_or(DEFAULT_VALID_FOR as f64);
        if (ts as f64) < self.now() as f64 - valid_for {
            return Ok(false);
        }
        if std::str::from_utf8(body).is_err() {
            return Err(Error::invalid_option(
                "body",
                "Body should be type of string",
            ));
        }
        let algorithm = self.configured_algorithm()?;
        let ts_text = timestamp.py_str();
        let expected = algorithm.hex_digest(&[body, ts_text.as_bytes(), secret.as_bytes()]);
        Ok(signatures_equal(signature, &expected))
    }

    /// Verifies the `signature` of an upload result against its `public_id` and
    /// `version`, with the configured `signature_algorithm`.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://key:abcd@demo").unwrap();
    /// assert!(client
    ///     .verify_api_response("sample", 1234567890, "d67d8bab591ef75a5a612c8812ae72281522dd3b")
    ///     .unwrap());
    /// ```
    pub fn verify_api_response(
        &self,
        public_id: impl Into<Value>,
        version: impl Into<Value>,
        signature: &str,
    ) -> Result<bool> {
        if self.profile() == crate::Profile::Php {
            return self.verify_api_response_php(&public_id.into(), &version.into(), signature);
        }
        let mut params = Map::with_capacity(2);
        params.insert("public_id", public_id.into());
        params.insert("version", version.into());
        if self.profile() == crate::Profile::Node {
            // `api_sign_request({public_id, version}, api_secret, null, 1)`: `version: 0`
            // is signed, a missing secret signs the text `undefined`.
            let config = self.config();
            let expected = crate::sign::api_sign_request_node(
                &params,
                config.get("api_secret"),
                config.get("signature_algorithm"),
                Some(&Value::Int(1)),
            )?;
            return Ok(signatures_equal(signature, &expected));
        }
        let secret = self.secret_for_verification()?;
        let algorithm = self.configured_algorithm()?;
        let expected = api_sign_request(&params, &secret, algorithm, 1)?;
        Ok(signatures_equal(signature, &expected))
    }
}

impl Client {
    /// The npm SDK's `verifyNotificationSignature`: the timestamp compared as
    /// JavaScript compares it (a text that is not a number never counts as too old),
    /// the payload `body + timestamp + api_secret` as JavaScript concatenates it.
    fn verify_notification_node(
        &self,
        body: &[u8],
        timestamp: &Value,
        signature: &str,
        valid_for: Option<f64>,
    ) -> Result<bool> {
        use crate::transform::js;
        let valid_for = valid_for.unwrap_or(DEFAULT_VALID_FOR as f64);
        if js::to_number(Some(timestamp)) < self.now() as f64 - valid_for {
            return Ok(false);
        }
        let config = self.config();
        let secret = config
            .get("api_secret")
            .ok_or_else(|| Error::config_option("api_secret", "Must supply api_secret"))?;
        let algorithm = crate::sign::node_signature_algorithm(config.get("signature_algorithm"))?;
        let body = String::from_utf8_lossy(body);
        let ts = js::string(timestamp);
        let secret = js::string(secret);
        let expected = algorithm.hex_digest(&[body.as_bytes(), ts.as_bytes(), secret.as_bytes()]);
        Ok(signatures_equal(signature, &expected))
    }
}

/// The `php` profile: cloudinary_php 3.1.2's `SignatureVerifier`. Each argument must
/// be non-empty by PHP's `empty()` (so a `valid_for`, timestamp or version of `0`, or a
/// body of `"0"`, is an error) and of the declared type; the digest is always SHA-1
/// whatever `signature_algorithm` says (a PHP SDK bug kept); the age check is
/// `now - timestamp > valid_for` in PHP arithmetic; the comparison is exact.
impl Client {
    fn verify_notification_php(
        &self,
        body: &[u8],
        timestamp: &Value,
        signature: &str,
        valid_for: Option<f64>,
    ) -> Result<bool> {
        use crate::php;
        if body.is_empty() || body == b"0" {
            return Err(php_empty("body"));
        }
        php_check("timestamp", timestamp)?;
        if signature.is_empty() || signature == "0" {
            return Err(php_empty("signature"));
        }
        let valid_for = valid_for.unwrap_or(DEFAULT_VALID_FOR as f64);
        if valid_for == 0.0 {
            return Err(php_empty("validFor"));
        }
        if self.now() as f64 - php::number(timestamp, "timestamp")? > valid_for {
            return Ok(false);
        }
        let secret = self.php_secret()?;
        let ts = php::string(timestamp).unwrap_or_default();
        let expected = Algorithm::Sha1.hex_digest(&[body, ts.as_bytes(), secret.as_bytes()]);
        Ok(signatures_equal(signature, &expected))
    }

    fn verify_api_response_php(
        &self,
        public_id: &Value,
        version: &Value,
        signature: &str,
    ) -> Result<bool> {
        php_check("publicId", public_id)?;
        if !matches!(
            public_id,
            Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_)
        ) {
            return Err(Error::invalid_option(
                "publicId",
                "TypeError: must be of type string",
            ));
        }
        php_check("version", version)?;
        if signature.is_empty() || signature == "0" {
            return Err(php_empty("signature"));
        }
        let secret = self.php_secret()?;
        let id = crate::php::string(public_id).unwrap_or_default();
        let version = crate::php::string(version).unwrap_or_default();
        let expected = Algorithm::Sha1.hex_digest(&[
            b"public_id=",
            id.as_bytes(),
            b"&version=",
            version.as_bytes(),
            secret.as_bytes(),
        ]);
        Ok(signatures_equal(signature, &expected))
    }

    /// The configured `api_secret`: `API Secret is invalid` when empty.
    fn php_secret(&self) -> Result<String> {
        match self.config().get("api_secret") {
            Some(v) if !crate::php::is_empty(v) => crate::php::string(v)
                .ok_or_else(|| Error::config_option("api_secret", "API Secret is invalid")),
            _ => Err(Error::config_option("api_secret", "API Secret is invalid")),
        }
    }
}

/// `InvalidArgumentException: <name> parameter cannot be empty`.
fn php_empty(name: &str) -> Error {
    Error::invalid_option(name, format!("{name} parameter cannot be empty"))
}

/// A timestamp or version: not empty, an integer or a text (floats and booleans are
/// coerced by PHP's weak typing; arrays are a `TypeError`).
fn php_check(name: &str, v: &Value) -> Result<()> {
    if crate::php::is_empty(v) {
        return Err(php_empty(name));
    }
    match v {
        Value::List(_) | Value::Map(_) => Err(Error::invalid_option(
            name,
            "TypeError: must be of type string|int, array given",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::from_url("cloudinary://k:abcd1234SECRETxyz@c")
            .unwrap()
            .with_clock(|| 1_700_000_100)
    }

    #[test]
    fn spec_vectors() {
        let body = br#"{"notification_type":"upload","public_id":"sample","version":1312461204}"#;
        let c = client();
        assert!(c
            .verify_notification(
                body,
                "1700000000",
                "c0110afc4fba9067e0c7b73d0432ff5f5be67ae8",
                None
            )
            .unwrap());
        assert!(!c
            .verify_notification(
                body,
                1_700_000_000,
                "c0110afc4fba9067e0c7b73d0432ff5f5be67ae9",
                None
            )
            .unwrap());
        assert!(!c
            .verify_notification(
                body,
                1_690_000_000,
                "c0110afc4fba9067e0c7b73d0432ff5f5be67ae8",
                None
            )
            .unwrap());
        assert!(c
            .verify_api_response(
                "sample",
                1312461204,
                "2a6cfbccc5db392ce7ebec9338facf577eb67c5c"
            )
            .unwrap());
        assert!(c
            .verify_api_response("a&b", 1, "065a2d8f7fc7d6b8386251a14611a9a9845364ce")
            .unwrap());
    }

    #[test]
    fn python_int_parsing() {
        assert_eq!(py_int(&Value::from(" 12 ")).unwrap(), 12);
        assert_eq!(py_int(&Value::from("1_000")).unwrap(), 1000);
        assert!(py_int(&Value::from("abc")).is_err());
        assert!(py_int(&Value::from("1.5")).is_err());
        assert_eq!(py_int(&Value::from(1.9)).unwrap(), 1);
    }

    /// Signs `ts` (as text, whitespace included) for the body `{}` with `client`'s secret.
    fn signed(ts: &str) -> String {
        notification_signature_text(b"{}", ts, "abcd1234SECRETxyz", Algorithm::Sha1)
    }

    fn notification_signature_text(body: &[u8], ts: &str, secret: &str, a: Algorithm) -> String {
        a.hex_digest(&[body, ts.as_bytes(), secret.as_bytes()])
    }

    /// Security review finding 8: the default profile refuses a timestamp with
    /// surrounding whitespace (Cloudinary sends bare digits) with a typed error, even
    /// when the signature covers the whitespace.
    #[test]
    fn default_profile_refuses_timestamps_with_whitespace() {
        let c = client();
        for ts in [
            " 1700000000",
            "1700000000 ",
            "\t1700000000",
            "1700000000\n",
            "\u{a0}1700000000",
        ] {
            let e = c
                .verify_notification(b"{}", ts, &signed(ts), None)
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidOption, "{ts:?}");
            assert_eq!(e.option(), Some("timestamp"), "{ts:?}");
        }
        assert!(c
            .verify_notification(b"{}", "1700000000", &signed("1700000000"), None)
            .unwrap());
        // pycloudinary (`int()` strips whitespace, the digest covers it): kept in the
        // python profile.
        let py = client().with_profile(crate::Profile::Python);
        assert!(py
            .verify_notification(b"{}", " 1700000000 ", &signed(" 1700000000 "), None)
            .unwrap());
    }

    /// Security review finding 8: a NaN or infinite `valid_for` switched the age check
    /// off (a week-old webhook passed). The default profile refuses it.
    #[test]
    fn default_profile_refuses_non_finite_valid_for() {
        let stale = "1600000000";
        let sig = signed(stale);
        let c = client();
        for vf in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = c
                .verify_notification(b"{}", stale, &sig, Some(vf))
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidOption, "{vf}");
            assert_eq!(e.option(), Some("valid_for"), "{vf}");
        }
        assert!(!c
            .verify_notification(b"{}", stale, &sig, Some(7200.0))
            .unwrap());
        assert!(c
            .verify_notification(b"{}", stale, &sig, Some(2e8))
            .unwrap());
        // pycloudinary compares with the float: NaN and +inf never expire, -inf
        // always does. Kept in the python profile.
        let py = client().with_profile(crate::Profile::Python);
        assert!(py
            .verify_notification(b"{}", stale, &sig, Some(f64::NAN))
            .unwrap());
        assert!(py
            .verify_notification(b"{}", stale, &sig, Some(f64::INFINITY))
            .unwrap());
        assert!(!py
            .verify_notification(b"{}", stale, &sig, Some(f64::NEG_INFINITY))
            .unwrap());
    }

    #[test]
    fn missing_secret_is_an_error_without_secrets_in_it() {
        let c = Client::from_url("cloudinary://k@c").unwrap();
        let e = c.verify_api_response("a", 1, "x").unwrap_err();
        assert!(e.to_string().contains("empty"));
    }
}
