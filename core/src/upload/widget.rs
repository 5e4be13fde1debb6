//! Server-side helpers for Cloudinary's browser widgets.
//!
//! * **Upload widget (signed mode)**: the widget sends the parameters it will upload
//!   (including `source=uw` and `timestamp`) to the application's server, which signs
//!   them with the ordinary request-signing rules ([`Client::sign_upload_widget`]).
//!   This follows Cloudinary's published signing rules; every signed parameter must be
//!   posted by the widget byte for byte, and signatures are valid for one hour.
//! * **Media Library widget**: [`Client::media_library_config`] returns the
//!   configuration object (`cloud_name`, `api_key`, optional `username`, `timestamp`,
//!   `signature`, `integration`). The signature, lowercase hex SHA-256 of
//!   `cloud_name=…&timestamp=…&username=…` followed by the API secret, and the member
//!   names of the `integration` object (`type`, `platform`) are recalled from the
//!   widget's documentation and **could not be confirmed** against the published page.

use crate::sign::{api_sign_request, Algorithm, SigningKeys};
use crate::{Client, Error, Map, Result, Value};

/// A signature for the Upload widget's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetSignature {
    /// The timestamp that was signed (the widget must send the same one).
    pub timestamp: i64,
    /// The lowercase hex signature.
    pub signature: String,
    /// The API key the widget sends with it.
    pub api_key: String,
}

/// Who is integrating Cloudinary: the identity Cloudinary's partner program asks for.
///
/// Rendered as `Name/Version (Platform PlatformVersion)`, e.g.
/// `PluginName/1.2 (WordPress 6.5)`: the value of the `user_platform` setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Integration {
    /// The integration's name, e.g. `PluginName`.
    pub name: String,
    /// The integration's version, e.g. `1.2`.
    pub version: String,
    /// The platform integrated with, e.g. `WordPress`.
    pub platform: Option<String>,
    /// The platform's version, e.g. `6.5`.
    pub platform_version: Option<String>,
}

impl Integration {
    /// The product token with its comment: `Name/Version (Platform Version)`.
    pub fn user_platform(&self) -> String {
        let mut s = format!("{}/{}", self.name, self.version);
        if let Some(p) = &self.platform {
            s.push_str(" (");
            s.push_str(p);
            if let Some(v) = &self.platform_version {
                s.push(' ');
                s.push_str(v);
            }
            s.push(')');
        }
        s
    }
}

impl Client {
    /// Signs the Upload widget's parameters (`source`, `folder`, `upload_preset`, ...).
    /// A `timestamp` in `params` is signed as given; without one the client's clock
    /// is used and returned.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://123456789012345:abcd1234SECRETxyz@mycloud")
    ///     .unwrap()
    ///     .with_clock(|| 1_700_000_000);
    /// let params: cldkit::Map = serde_json::from_str(
    ///     r#"{"source": "uw", "upload_preset": "signed_preset", "folder": "w"}"#).unwrap();
    /// let s = client.sign_upload_widget(&params).unwrap();
    /// assert_eq!(s.signature, "41308d443f2563c0f084098939fedcea93822188");
    /// ```
    pub fn sign_upload_widget(&self, params: &Map) -> Result<WidgetSignature> {
        let mut params = params.clone();
        let timestamp = match params.get("timestamp") {
            Some(Value::Int(t)) => *t,
            Some(Value::Str(s)) => s
                .trim()
                .parse()
                .map_err(|_| Error::invalid_option("timestamp", "expected Unix seconds"))?,
            Some(Value::Null) | None => {
                let now = self.now();
                params.insert("timestamp", now);
                now
            }
            Some(other) => {
                return Err(Error::invalid_option(
                    "timestamp",
                    format!("expected Unix seconds, found {}", other.type_name()),
                ))
            }
        };
        let signature = self.sign_request(&params)?;
        Ok(WidgetSignature {
            timestamp,
            signature,
            api_key: self.required_setting("api_key")?,
        })
    }

    /// The signed configuration of the Media Library widget: `cloud_name`, `api_key`,
    /// `username` (when given), `timestamp`, `signature` (SHA-256, see the module
    /// docs) and, when `integration` is given or a `user_platform` setting exists, the
    /// `integration` object with `type` (the product token) and `platform`.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://123456789012345:abcd1234SECRETxyz@mycloud")
    ///     .unwrap()
    ///     .with_clock(|| 1_700_000_000);
    /// let cfg = client.media_library_config(Some("user@example.com"), None).unwrap();
    /// assert_eq!(
    ///     cfg.get("signature").and_then(|v| v.as_str()),
    ///     Some("02ec12ddfed5f2825b7bde9460d575feaf29adb743eb28b56dda8f1fab541e3b")
    /// );
    /// ```
    pub fn media_library_config(
        &self,
        username: Option<&str>,
        integration: Option<&Integration>,
    ) -> Result<Map> {
        let cloud_name = self.required_setting("cloud_name")?;
        let api_key = self.required_setting("api_key")?;
        let keys = SigningKeys::resolve(self, &Map::new())?;
        let timestamp = self.now();
        let mut signed = Map::with_capacity(3);
        signed.insert("cloud_name", cloud_name.as_str());
        signed.insert("timestamp", timestamp);
        if let Some(u) = username {
            signed.insert("username", u);
        }
        let signature = api_sign_request(&signed, &keys.secret, Algorithm::Sha256, 2)?;
        let mut cfg = Map::with_capacity(6);
        cfg.insert("cloud_name", cloud_name);
        cfg.insert("api_key", api_key);
        if let Some(u) = username {
            cfg.insert("username", u);
        }
        cfg.insert("timestamp", timestamp);
        cfg.insert("signature", signature);
        let identity = match integration {
            Some(i) => Some((
                format!("{}/{}", i.name, i.version),
                i.platform.as_ref().map(|p| match &i.platform_version {
                    Some(v) => format!("{p}/{v}"),
                    None => p.clone(),
                }),
            )),
            None => crate::analytics::user_platform(self).map(|up| split_user_platform(&up)),
        };
        if let Some((product, platform)) = identity {
            let mut obj = Map::with_capacity(2);
            obj.insert("type", product);
            if let Some(p) = platform {
                obj.insert("platform", p);
            }
            cfg.insert("integration", obj);
        }
        Ok(cfg)
    }

    fn required_setting(&self, key: &str) -> Result<String> {
        match self.config().get(key) {
            Some(v) if v.truthy() => Ok(v.py_str().into_owned()),
            _ => Err(Error::config_option(key, format!("Must supply {key}"))),
        }
    }
}

/// `Name/1.2 (Platform 6.5)` → (`Name/1.2`, `Platform/6.5`).
fn split_user_platform(up: &str) -> (String, Option<String>) {
    match up.split_once(" (") {
        Some((product, rest)) => {
            let comment = rest.trim_end_matches(')').trim();
            let platform = match comment.rsplit_once(' ') {
                Some((name, ver)) => format!("{name}/{ver}"),
                None => comment.to_owned(),
            };
            (product.trim().to_owned(), Some(platform))
        }
        None => (up.trim().to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integration_identity() {
        let i = Integration {
            name: "PluginName".into(),
            version: "1.2".into(),
            platform: Some("WordPress".into()),
            platform_version: Some("6.5".into()),
        };
        assert_eq!(i.user_platform(), "PluginName/1.2 (WordPress 6.5)");
        assert_eq!(
            split_user_platform(&i.user_platform()),
            ("PluginName/1.2".into(), Some("WordPress/6.5".into()))
        );
        let client =
            Client::from_url("cloudinary://k:s@demo?user_platform=PluginName/1.2 (WordPress 6.5)")
                .unwrap();
        let cfg = client.media_library_config(None, None).unwrap();
        let integ = cfg.get("integration").and_then(|v| v.as_map()).unwrap();
        assert_eq!(
            integ.get("type").and_then(|v| v.as_str()),
            Some("PluginName/1.2")
        );
        assert!(!format!("{cfg:?}").contains("\"s\""));
    }
}
