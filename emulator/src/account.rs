//! Product environments served by the emulator: cloud name, key, secret, folder mode.

use std::fmt;

use cldkit::sign::Algorithm;
use cldkit::{Client, Config, Value};

/// How folders work in a product environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderMode {
    /// Folders are public-id prefixes (legacy).
    Fixed,
    /// Folders are an attribute (`asset_folder`); the default for new environments.
    Dynamic,
}

impl FolderMode {
    /// `fixed` or `dynamic`.
    pub fn name(self) -> &'static str {
        match self {
            FolderMode::Fixed => "fixed",
            FolderMode::Dynamic => "dynamic",
        }
    }
}

/// One product environment.
#[derive(Clone)]
pub struct Account {
    /// The cloud name (path segment of every API and delivery URL).
    pub cloud_name: String,
    /// The API key.
    pub api_key: String,
    /// The API secret.
    pub api_secret: String,
    /// Fixed or dynamic folders.
    pub folder_mode: FolderMode,
    /// The hash of response signatures and webhooks (`signature_algorithm`).
    pub algorithm: Algorithm,
    /// A bearer token accepted on both APIs, if configured (`oauth_token`).
    pub oauth_token: Option<String>,
    /// A notification URL called for every upload (`notification_url`).
    pub notification_url: Option<String>,
    /// The `host:port` of the delivery URLs built for this account (the emulator's own
    /// address, set by [`crate::Emulator::start`]); `None` keeps Cloudinary's hosts.
    pub delivery_host: Option<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("cloud_name", &self.cloud_name)
            .field("api_key", &self.api_key)
            .field("api_secret", &"***")
            .field("folder_mode", &self.folder_mode)
            .field("algorithm", &self.algorithm)
            .finish()
    }
}

impl Account {
    /// An account with the given credentials, dynamic folders and SHA-1.
    pub fn new(cloud_name: &str, api_key: &str, api_secret: &str) -> Self {
        Account {
            cloud_name: cloud_name.into(),
            api_key: api_key.into(),
            api_secret: api_secret.into(),
            folder_mode: FolderMode::Dynamic,
            algorithm: Algorithm::Sha1,
            oauth_token: None,
            notification_url: None,
            delivery_host: None,
        }
    }

    /// The default test account: `cloudinary://123456789012345:abcd1234SECRETxyz@emulator`.
    pub fn default_test() -> Self {
        Account::new("emulator", "123456789012345", "abcd1234SECRETxyz")
    }

    /// Parses a `CLOUDINARY_URL` (with the core's parser). Query keys understood:
    /// `folder_mode` (`fixed`/`dynamic`), `signature_algorithm`, `oauth_token`,
    /// `notification_url`.
    pub fn from_cloudinary_url(url: &str) -> Result<Self, String> {
        let config = Config::from_cloudinary_url(url).map_err(|e| e.to_string())?;
        let text = |k: &str| -> Option<String> {
            config
                .get(k)
                .filter(|v| v.truthy())
                .map(|v| v.py_str().into_owned())
        };
        let cloud_name = text("cloud_name").ok_or("the URL names no cloud")?;
        let api_key = text("api_key").ok_or("the URL has no API key")?;
        let api_secret = text("api_secret").ok_or("the URL has no API secret")?;
        let mut account = Account::new(&cloud_name, &api_key, &api_secret);
        if let Some(mode) = text("folder_mode") {
            account.folder_mode = match mode.as_str() {
                "fixed" => FolderMode::Fixed,
                "dynamic" => FolderMode::Dynamic,
                other => return Err(format!("unknown folder_mode {other:?}")),
            };
        }
        if let Some(alg) = text("signature_algorithm") {
            account.algorithm = Algorithm::from_name(&alg).map_err(|e| e.to_string())?;
        }
        account.oauth_token = text("oauth_token");
        account.notification_url = text("notification_url");
        Ok(account)
    }

    /// The `CLOUDINARY_URL` a client uses to reach this account on `base_url`, with the
    /// delivery settings of [`delivery_settings`] when the account has
    /// a [`Account::delivery_host`].
    pub fn cloudinary_url(&self, base_url: &str) -> String {
        // upload_prefix stays last, so that the text after it is the base URL.
        let settings = match &self.delivery_host {
            Some(host) => delivery_settings(host) + "&",
            None => String::new(),
        };
        format!(
            "cloudinary://{}:{}@{}?{settings}upload_prefix={}",
            self.api_key, self.api_secret, self.cloud_name, base_url
        )
    }

    /// A core client for this account (URL building, signing).
    pub fn client(&self) -> Client {
        let mut config = Config::new();
        config
            .set("cloud_name", self.cloud_name.as_str())
            .set("api_key", self.api_key.as_str())
            .set("api_secret", self.api_secret.as_str())
            .set("signature_algorithm", Value::from(self.algorithm.name()))
            .set("analytics", false);
        if let Some(host) = &self.delivery_host {
            config
                .set("cname", host.as_str())
                .set("secure_distribution", host.as_str());
        }
        Client::new(config)
    }
}

/// The delivery settings a `CLOUDINARY_URL` carries (as `key=value&…` query text)
/// so that the official SDKs and cldkit build delivery URLs on `host` (`host:port`, the
/// emulator's plain-http address) with the shared-domain path `/<cloud>/…` the emulator
/// serves:
///
/// * `cname=HOST`: the host of http URLs (pycloudinary, whose `secure` is unset by
///   default; the npm SDK and cldkit with `secure: false`);
/// * `secure_distribution=HOST`: the host of https URLs, so that an SDK that builds
///   https URLs (the npm SDK and cldkit's default profile by default) still names the
///   emulator rather than `res.cloudinary.com` — the emulator does not speak TLS, so
///   such URLs need `secure: false` to be fetched;
/// * `url[secure]=false&url[cname]=HOST&url[secure_cname]=HOST`: the PHP SDK (v2/v3)
///   reads a nested `url` section (and, having one, ignores the flat keys above) and
///   parses `false` as a boolean, so it builds http URLs on `HOST` by default. The other
///   SDKs keep `url[…]` as an unused nested setting; `secure=false` itself cannot be
///   given flat, since pycloudinary, the npm SDK and cldkit read the *string* `"false"`
///   as true.
pub fn delivery_settings(host: &str) -> String {
    format!(
        "cname={host}&secure_distribution={host}&url[secure]=false&url[cname]={host}&url[secure_cname]={host}"
    )
}
