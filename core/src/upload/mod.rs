//! Upload API requests as pure data: the parameter set of every call, the signed
//! multipart form ([`UploadRequest`]) and the widget signatures.
//!
//! Nothing here talks to the network: the HTTP layer sends what these functions build.
//! The rules are pycloudinary 1.46.3's: parameter names and order, value encodings
//! (booleans as `1`/`0`, lists as `name[]`, context maps as `k=v|k2=v2`, eager
//! transformations), `timestamp` from the client's clock, the signature over the sent
//! parameters, and an OAuth `Authorization` header instead of a signature when an
//! `oauth_token` is configured.
//!
//! ```
//! let client = cldkit::Client::from_url("cloudinary://1234:abcd@demo")
//!     .unwrap()
//!     .with_clock(|| 1_700_000_000);
//! let opts = cldkit::Options::new();
//! let req = client
//!     .tags_form(cldkit::upload::TagCommand::Add, "t1", vec!["a", "b"], &opts)
//!     .unwrap_or_else(|_| unreachable!());
//! assert_eq!(req.field("command"), Some("add"));
//! assert_eq!(req.fields.iter().filter(|(k, _)| k == "public_ids[]").count(), 2);
//! ```

mod calls;
mod form;
pub(crate) mod json_text;
pub(crate) mod node;
mod params;
mod php;
mod widget;

pub use calls::TagCommand;
pub use form::{is_remote_url, FilePart, UploadRequest};
pub use params::{
    archive_params, build_upload_params, cleanup, encode_context, multi_and_sprite_params,
    slideshow_params, SIMPLE_UPLOAD_PARAMS,
};
pub use widget::{Integration, WidgetSignature};

pub(crate) use calls::reject_duplicates;
pub(crate) use form::sign_params;
pub(crate) use params::{drop_empty, get, now_text};

use crate::{Client, Map, Result};

impl Client {
    /// The upload parameters `options` produce, after cleanup (pycloudinary's
    /// `cleanup_params(build_upload_params(**options))`): what an upload sends besides
    /// `file`, `signature` and `api_key`.
    pub fn upload_params(&self, options: &Map) -> Result<Map> {
        if self.profile() == crate::Profile::Node {
            return node::upload_params(self, options);
        }
        let mut params = build_upload_params(self, options)?;
        if self.profile() == crate::Profile::Php {
            php::adjust_upload_params_view(&mut params, options);
        }
        Ok(cleanup(params))
    }

    /// [`Client::upload_params`] as they go on the wire: every value as its text, lists
    /// as lists of texts (sent as `name[]`).
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://k:s@demo").unwrap();
    /// let opts: cldkit::Map = serde_json::from_str(r#"{"overwrite": true, "tags": ["a", "b"], "quality": 80}"#).unwrap();
    /// let wire = client.upload_params_text(&opts).unwrap();
    /// assert_eq!(wire.get("overwrite").unwrap().as_str(), Some("1"));
    /// assert_eq!(wire.get("tags").unwrap().as_str(), Some("a,b"));
    /// assert_eq!(wire.get("transformation").unwrap().as_str(), Some("q_80"));
    /// ```
    pub fn upload_params_text(&self, options: &Map) -> Result<Map> {
        Ok(self
            .upload_params(options)?
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    crate::Value::List(items) => crate::Value::List(
                        items
                            .iter()
                            .map(|i| crate::Value::Str(i.py_str().into_owned()))
                            .collect(),
                    ),
                    other => crate::Value::Str(other.py_str().into_owned()),
                };
                (k, v)
            })
            .collect())
    }
}
