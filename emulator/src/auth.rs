//! Authentication exactly as Cloudinary checks it: signed forms, unsigned presets,
//! Basic and Bearer.
//!
//! The string to sign and the digest come from the core (`cldkit::sign`); this module
//! only decides which received fields take part, as the server does.

use base64::Engine as _;
use cldkit::sign::{api_sign_request, string_to_sign, Algorithm};
use cldkit::verify::signatures_equal;
use cldkit::{Map, Value};

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::Params;

/// How long a signed request stays valid, in seconds.
pub const SIGNATURE_VALIDITY: i64 = 3600;

/// How an Upload API request was authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadAuth {
    /// Signed with the API secret, or Basic / Bearer.
    Signed,
    /// Through the named unsigned upload preset.
    UnsignedPreset(String),
}

/// Fields the server leaves out of the string to sign.
fn excluded(action: &str, name: &str) -> bool {
    matches!(
        name,
        "file" | "cloud_name" | "resource_type" | "api_key" | "signature"
    ) || (matches!(action, "tags" | "context" | "metadata")
        && matches!(name, "notification_url" | "batch_id"))
}

/// The signed parameter map: every received field except the excluded ones, repeated
/// values joined with `,` in arrival order.
pub fn signed_map(action: &str, params: &Params) -> Map {
    let mut map = Map::new();
    for (name, _) in params.entries() {
        if excluded(action, name) || map.contains_key(name) {
            continue;
        }
        if let Some(text) = params.text(name) {
            map.insert(name.clone(), Value::Str(text));
        }
    }
    map
}

/// The account's Authorization header check: `Some(true)` when valid Basic/Bearer
/// credentials are present, `Some(false)` when the header is present but wrong,
/// `None` without a header.
pub fn header_auth(account: &Account, authorization: Option<&str>) -> Option<bool> {
    let header = authorization?.trim();
    if let Some(token) = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
    {
        return Some(
            account
                .oauth_token
                .as_deref()
                .is_some_and(|t| signatures_equal(token.trim(), t)),
        );
    }
    if let Some(b64) = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let expected = format!("{}:{}", account.api_key, account.api_secret);
        return Some(decoded.is_some_and(|d| signatures_equal(&d, &expected)));
    }
    Some(false)
}

/// Checks the Admin API credentials.
pub fn check_admin(account: &Account, authorization: Option<&str>) -> ApiResult<()> {
    match header_auth(account, authorization) {
        Some(true) => Ok(()),
        Some(false) => Err(ApiError::unauthorized(
            "Invalid credentials (api_key, api_secret or oauth_token)",
        )),
        None => Err(ApiError::unauthorized("Must supply api_key")),
    }
}

/// The parameters an unsigned upload may carry itself (the real service's list, quoted
/// in its "… parameter is not allowed when using unsigned upload" error).
pub const UNSIGNED_ALLOWED: &str = "upload_preset,callback,public_id,folder,asset_folder,tags,context,metadata,face_coordinates,custom_coordinates,source,filename_override,manifest_transformation,manifest_json,template,template_vars,regions,public_id_prefix";

/// Parameters refused in an unsigned upload request (an unsigned preset may still set
/// them): replacing existing assets, and making the emulator call a URL of the
/// uploader's choosing.
pub const UNSIGNED_REFUSED: &[&str] = &[
    "overwrite",
    "notification_url",
    "eager",
    "eager_notification_url",
];

/// The refusal of an unsigned upload that sets one of [`UNSIGNED_REFUSED`], worded as
/// the real service words it (`Overwrite parameter is not allowed when using unsigned
/// upload. Only upload_preset,… upload parameters are allowed.`).
pub fn unsigned_refusal(params: &Params) -> Option<ApiError> {
    let name = UNSIGNED_REFUSED.iter().find(|n| params.has(n))?;
    let mut shown = name.to_string();
    shown[..1].make_ascii_uppercase();
    Some(ApiError::bad_request(format!(
        "{shown} parameter is not allowed when using unsigned upload. Only {UNSIGNED_ALLOWED} upload parameters are allowed."
    )))
}

/// A refusal that the signing fields received so far already make certain, so that
/// the rest of the body need not be read: the form is signed (`signature` present)
/// and its `api_key` is not (a prefix of) the account's, or the key is right and the
/// `timestamp` is invalid or stale. The error is the one [`check_upload`] gives.
/// Only for requests without an `Authorization` header (which takes precedence).
pub fn early_refusal(account: &Account, params: &Params, now: i64) -> Option<ApiError> {
    params.nonempty("signature")?;
    let key = params.nonempty("api_key")?;
    if !account.api_key.starts_with(&key) {
        return Some(ApiError::unauthorized(format!("Unknown API key {key}")));
    }
    if key != account.api_key {
        return None;
    }
    let timestamp = params.nonempty("timestamp")?;
    match timestamp.trim().parse::<i64>() {
        Err(_) => Some(ApiError::bad_request(format!(
            "Invalid timestamp {timestamp}"
        ))),
        Ok(ts) if ts < now - SIGNATURE_VALIDITY => Some(ApiError::bad_request(format!(
            "Stale request - reported time is {} which is more than 1 hour ago",
            ids::stale_format(ts)
        ))),
        Ok(_) => None,
    }
}

/// Checks an Upload API request: Bearer/Basic, then a signed form, then an unsigned
/// upload preset. `unsigned_preset` answers whether a preset exists and is unsigned.
/// An unsigned `upload` that sets a parameter of [`UNSIGNED_REFUSED`] is refused.
pub fn check_upload(
    account: &Account,
    action: &str,
    params: &Params,
    authorization: Option<&str>,
    now: i64,
    strict_sha256: bool,
    unsigned_preset: impl Fn(&str) -> ApiResult<Option<bool>>,
) -> ApiResult<UploadAuth> {
    match header_auth(account, authorization) {
        Some(true) => return Ok(UploadAuth::Signed),
        Some(false) => {
            return Err(ApiError::unauthorized(
                "Invalid credentials (api_key, api_secret or oauth_token)",
            ))
        }
        None => {}
    }
    let signature = params.nonempty("signature");
    let Some(signature) = signature else {
        if action == "upload" {
            if let Some(preset) = params.nonempty("upload_preset") {
                return match unsigned_preset(&preset)? {
                    Some(true) => match unsigned_refusal(params) {
                        Some(e) => Err(e),
                        None => Ok(UploadAuth::UnsignedPreset(preset)),
                    },
                    Some(false) => Err(ApiError::bad_request(
                        "Upload preset must be whitelisted for unsigned uploads",
                    )),
                    None => Err(ApiError::bad_request("Upload preset not found")),
                };
            }
        }
        return Err(ApiError::unauthorized("Must supply api_key"));
    };
    match params.nonempty("api_key") {
        None => return Err(ApiError::unauthorized("Must supply api_key")),
        Some(k) if k != account.api_key => {
            return Err(ApiError::unauthorized(format!("Unknown API key {k}")))
        }
        Some(_) => {}
    }
    let timestamp = params
        .nonempty("timestamp")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter - timestamp"))?;
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("Invalid timestamp {timestamp}")))?;
    if ts < now - SIGNATURE_VALIDITY {
        return Err(ApiError::bad_request(format!(
            "Stale request - reported time is {} which is more than 1 hour ago",
            ids::stale_format(ts)
        )));
    }
    let map = signed_map(action, params);
    let algorithms: &[Algorithm] = match (signature.len(), strict_sha256) {
        (64, _) => &[Algorithm::Sha256],
        (40, false) => &[Algorithm::Sha1],
        _ => &[],
    };
    for &alg in algorithms {
        for version in [2, 1] {
            if let Ok(expected) = api_sign_request(&map, &account.api_secret, alg, version) {
                if signatures_equal(&signature, &expected) {
                    return Ok(UploadAuth::Signed);
                }
            }
        }
    }
    let shown = string_to_sign(&map, 2).unwrap_or_default();
    Err(ApiError::unauthorized(format!(
        "Invalid Signature {signature}. String to sign - '{shown}'."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account::new("mycloud", "123456789012345", "abcd1234SECRETxyz")
    }

    fn form(fields: &[(&str, &str)]) -> Params {
        let mut p = Params::new();
        for (k, v) in fields {
            p.push_text(k, v.to_string());
        }
        p
    }

    #[test]
    fn spec_vector_e13_and_t1_verify() {
        let p = form(&[
            ("public_id", "sample"),
            ("overwrite", "1"),
            ("timestamp", "1700000000"),
            ("tags", "a,b"),
            ("signature", "bed494f3bcad6c12ee2f7eea23fa71ca80b9eb94"),
            ("api_key", "123456789012345"),
            ("file", "https://example.com/sample.jpg"),
        ]);
        let r = check_upload(&account(), "upload", &p, None, 1_700_000_100, false, |_| {
            Ok(None)
        });
        assert_eq!(r.unwrap(), UploadAuth::Signed);
        let t = form(&[
            ("timestamp", "1700000000"),
            ("tag", "t1"),
            ("public_ids[]", "p1"),
            ("public_ids[]", "p2"),
            ("command", "add"),
            ("notification_url", "https://n.example/x"),
            ("signature", "a9f813a320552595f52b76086e9a534184b8da9f"),
            ("api_key", "123456789012345"),
        ]);
        let r = check_upload(&account(), "tags", &t, None, 1_700_000_100, false, |_| {
            Ok(None)
        });
        assert_eq!(r.unwrap(), UploadAuth::Signed);
    }

    #[test]
    fn wrong_signature_names_the_string_and_stale_is_rejected() {
        let p = form(&[
            ("public_id", "a&b"),
            ("timestamp", "1700000000"),
            ("signature", "00"),
            ("api_key", "123456789012345"),
        ]);
        let e = check_upload(&account(), "upload", &p, None, 1_700_000_000, false, |_| {
            Ok(None)
        })
        .unwrap_err();
        assert_eq!(e.status.as_u16(), 401);
        assert_eq!(
            e.message,
            "Invalid Signature 00. String to sign - 'public_id=a%26b&timestamp=1700000000'."
        );
        let e = check_upload(&account(), "upload", &p, None, 1_700_003_601, false, |_| {
            Ok(None)
        })
        .unwrap_err();
        assert_eq!(e.message, "Stale request - reported time is 2023-11-14 22:13:20 +0000 which is more than 1 hour ago");
    }

    #[test]
    fn early_refusals_are_certain_ones_only() {
        let a = account();
        let now = 1_700_000_000;
        let early = |f: &[(&str, &str)]| early_refusal(&a, &form(f), now).map(|e| e.message);
        // Not signed (yet): nothing is certain.
        assert_eq!(early(&[("api_key", "999")]), None);
        assert_eq!(early(&[("signature", "00"), ("timestamp", "1")]), None);
        // A prefix of the right key may still be completed by a repeated field.
        assert_eq!(early(&[("signature", "00"), ("api_key", "123")]), None);
        assert_eq!(
            early(&[("signature", "00"), ("api_key", "999")]).as_deref(),
            Some("Unknown API key 999")
        );
        assert_eq!(
            early(&[
                ("signature", "00"),
                ("api_key", "123456789012345"),
                ("timestamp", "x")
            ])
            .as_deref(),
            Some("Invalid timestamp x")
        );
        let stale = [
            ("signature", "00"),
            ("api_key", "123456789012345"),
            ("timestamp", "1699990000"),
        ];
        let full = check_upload(&a, "upload", &form(&stale), None, now, false, |_| Ok(None));
        assert_eq!(early(&stale), Some(full.unwrap_err().message));
        assert_eq!(
            early(&[
                ("signature", "00"),
                ("api_key", "123456789012345"),
                ("timestamp", "1700000000")
            ]),
            None
        );
    }

    #[test]
    fn unsigned_presets_refuse_overwrite_and_notification_urls() {
        let a = account();
        let presets = |_: &str| Ok(Some(true));
        let ok = form(&[("upload_preset", "p"), ("public_id", "x"), ("tags", "t")]);
        assert_eq!(
            check_upload(&a, "upload", &ok, None, 0, false, presets).unwrap(),
            UploadAuth::UnsignedPreset("p".into())
        );
        let bad = form(&[("upload_preset", "p"), ("notification_url", "http://x/")]);
        let e = check_upload(&a, "upload", &bad, None, 0, false, presets).unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert!(e
            .message
            .starts_with("Notification_url parameter is not allowed when using unsigned upload. Only upload_preset,callback,public_id,"));
        // Signed requests may set them.
        let signed = form(&[("overwrite", "1")]);
        assert!(unsigned_refusal(&signed).is_some());
        assert_eq!(
            check_upload(
                &a,
                "upload",
                &signed,
                Some("Basic MTIzNDU2Nzg5MDEyMzQ1OmFiY2QxMjM0U0VDUkVUeHl6"),
                0,
                false,
                presets
            )
            .unwrap(),
            UploadAuth::Signed
        );
    }

    #[test]
    fn basic_auth() {
        let a = account();
        assert_eq!(
            header_auth(
                &a,
                Some("Basic MTIzNDU2Nzg5MDEyMzQ1OmFiY2QxMjM0U0VDUkVUeHl6")
            ),
            Some(true)
        );
        assert_eq!(header_auth(&a, Some("Basic eDp5")), Some(false));
        assert!(check_admin(&a, None).is_err());
    }
}
