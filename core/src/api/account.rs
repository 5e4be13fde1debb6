//! [`AccountClient`]: the Provisioning (account) API's client, configured from a
//! `CLOUDINARY_ACCOUNT_URL` (`account://provisioning_key:provisioning_secret@account_id`).

use std::fmt;

use super::errors::ApiError;
use super::response::ApiResponse;
use crate::calls::Family;
use crate::config::{parse_url_settings, UrlKind};
use crate::{Client, Config, Map, Value};

/// A client of the Provisioning API: product environments (sub-accounts), users, user
/// groups and access keys, by the SDK's names (`sub_accounts`, `create_user`,
/// `access_keys`, ...; the catalogue's [`Family::Provisioning`] rows).
///
/// Its settings are `account_id`, `provisioning_api_key` and `provisioning_api_secret`
/// (from the URL) plus any other setting of the URL's query (`upload_prefix`,
/// `timeout`, ...). Like [`Client`], it is cheap to clone and holds no global state;
/// `Debug` never shows the secret.
///
/// ```
/// let account = cldkit::api::AccountClient::from_url("account://key:secret@acct-1").unwrap();
/// let args = cldkit::Map::from_iter([("user_id", "u1")]);
/// let req = account.client().call_request("user", &args, &cldkit::Map::new()).unwrap();
/// assert_eq!(req.url, "https://api.cloudinary.com/v1_1/provisioning/accounts/acct-1/users/u1");
/// assert!(!format!("{account:?}").contains("secret@"));
/// ```
#[derive(Clone)]
pub struct AccountClient {
    client: Client,
}

impl fmt::Debug for AccountClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountClient")
            .field("config", self.client.config())
            .finish()
    }
}

impl AccountClient {
    /// An account client with these settings.
    pub fn new(config: Config) -> Self {
        AccountClient {
            client: Client::new(config),
        }
    }

    /// An account client configured from a `CLOUDINARY_ACCOUNT_URL`.
    pub fn from_url(account_url: &str) -> crate::Result<Self> {
        let settings = parse_url_settings(account_url, UrlKind::Account)?;
        Ok(AccountClient::new(Config::from_map(settings)))
    }

    /// An account client configured from `CLOUDINARY_ACCOUNT_URL`, with the
    /// `upload_prefix` of the product environment's configuration (`CLOUDINARY_URL`)
    /// when the account URL has none, as pycloudinary does.
    pub fn from_env() -> crate::Result<Self> {
        Self::from_vars(std::env::vars())
    }

    /// Like [`AccountClient::from_env`], from the given variables.
    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> crate::Result<Self> {
        let vars: Vec<(String, String)> = vars.into_iter().collect();
        let url = vars
            .iter()
            .find(|(k, v)| k == "CLOUDINARY_ACCOUNT_URL" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                crate::Error::config_option("account_url", "CLOUDINARY_ACCOUNT_URL is not set")
            })?;
        let mut settings = parse_url_settings(&url, UrlKind::Account)?;
        if !settings.contains_key("upload_prefix") {
            if let Some(p) = Config::from_vars(vars)?.get("upload_prefix").cloned() {
                settings.insert("upload_prefix", p);
            }
        }
        Ok(AccountClient::new(Config::from_map(settings)))
    }

    /// The underlying client (its [`Client::call_request`] shows a request without
    /// sending it).
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn check(name: &str) -> Result<(), ApiError> {
        match crate::calls::lookup(name)?.family {
            Family::Provisioning => Ok(()),
            _ => Err(crate::Error::invalid_option(
                "call",
                format!("{name} is not a Provisioning API call"),
            )
            .into()),
        }
    }

    /// Calls the Provisioning API `name` with its arguments by name and keyword
    /// options; the decoded answer.
    pub async fn call(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        Self::check(name)?;
        self.client.call(name, args, options).await
    }

    /// [`AccountClient::call`] for synchronous callers.
    pub fn call_blocking(&self, name: &str, args: &Map, options: &Map) -> Result<Value, ApiError> {
        Self::check(name)?;
        self.client.call_blocking(name, args, options)
    }

    /// [`AccountClient::call`] with the answer's status, request id and rate limits.
    pub async fn call_response(
        &self,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        Self::check(name)?;
        self.client.call_response(name, args, options).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_from_the_environment() {
        let vars = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let a = AccountClient::from_vars(vars(&[
            ("CLOUDINARY_ACCOUNT_URL", "account://pk:pSeCrEt9@acct"),
            (
                "CLOUDINARY_URL",
                "cloudinary://k:s@demo?upload_prefix=http://127.0.0.1:9",
            ),
        ]))
        .unwrap();
        let req = a
            .client()
            .call_request("user_groups", &Map::new(), &Map::new())
            .unwrap();
        assert_eq!(
            req.url,
            "http://127.0.0.1:9/v1_1/provisioning/accounts/acct/user_groups"
        );
        assert!(AccountClient::from_vars(vars(&[])).is_err());
        let e = a
            .call_blocking("ping", &Map::new(), &Map::new())
            .unwrap_err();
        assert_eq!(e.option(), Some("call"));
        // The secret never shows.
        assert!(!format!("{a:?}").contains("pSeCrEt9"));
    }
}
