//! Eager transformations (`eager` on `upload` and `explicit`): derived versions made
//! when the asset is stored rather than on first delivery.
//!
//! The wire form is `c_pad,h_300,w_400|c_crop,h_200,w_260/png`: entries separated by
//! `|`, each a URL transformation with an optional `/<format>` suffix. Every entry is
//! answered with its delivery URLs (built by the core, as a client would build them).
//! Images the renderer understands are rendered into the delivery cache, so the entry
//! also carries the derived `width`, `height` and `bytes`, and the URL is then served
//! from that rendering. With `eager_async=true` the entries are answered as
//! `processing` and the finished ones are POSTed later as an `eager` notification.

use std::sync::Arc;

use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::Account;
use crate::delivery;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::Params;
use crate::render;
use crate::state::State;
use crate::store::Asset;

/// One requested eager transformation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eager {
    /// The entry as requested (transformation plus `/<format>`), echoed as
    /// `transformation` in responses and notifications.
    pub entry: String,
    /// The transformation without the format suffix.
    pub transformation: String,
    /// The `/<format>` suffix, if any.
    pub format: Option<String>,
}

/// Parses the `eager` parameter; any component that is not a URL transformation
/// parameter (or a badly formed format suffix) is a 400 naming it.
pub fn parse(eager: &str) -> ApiResult<Vec<Eager>> {
    let mut out = Vec::new();
    for entry in eager.split('|').map(str::trim).filter(|e| !e.is_empty()) {
        out.push(parse_entry(entry)?);
    }
    if out.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Invalid eager transformation - '{eager}' names no transformation"
        )));
    }
    Ok(out)
}

fn parse_entry(entry: &str) -> ApiResult<Eager> {
    let (transformation, format) = match entry.rsplit_once('/') {
        // A last segment without `_` is the format (`c_crop,w_260/png`); an empty one is
        // what the SDKs send for an empty `format` and means "keep the original's".
        Some((t, f)) if !f.contains('_') && !f.starts_with('$') => {
            let extension = f.len() <= 10 && f.bytes().all(|b| b.is_ascii_alphanumeric());
            if !extension {
                return Err(ApiError::bad_request(format!(
                    "Invalid extension in transformation: {f}"
                )));
            }
            (t, (!f.is_empty()).then(|| f.to_ascii_lowercase()))
        }
        _ => (entry, None),
    };
    if transformation.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Invalid eager transformation - '{entry}' has no transformation"
        )));
    }
    for segment in transformation.split('/') {
        if segment.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Invalid eager transformation - '{entry}' has an empty component"
            )));
        }
        for comp in segment.split(',') {
            let valid = !comp.chars().any(|c| c.is_whitespace() || c.is_control())
                && if comp.starts_with('$') {
                    comp.len() > 1
                } else {
                    comp.split_once('_')
                        .is_some_and(|(k, v)| !v.is_empty() && delivery::is_transformation_key(k))
                };
            if !valid {
                return Err(ApiError::bad_request(format!(
                    "Invalid transformation component - {comp}"
                )));
            }
        }
    }
    Ok(Eager {
        entry: entry.to_owned(),
        transformation: transformation.to_owned(),
        format,
    })
}

/// The format of the derived file: an `f_` of the transformation wins (as in delivery),
/// then the suffix, then the original's.
fn derived_format(asset: &Asset, e: &Eager, plan: Option<&render::Plan>) -> String {
    plan.and_then(|p| p.format.clone())
        .filter(|f| f != "auto")
        .or_else(|| e.format.clone())
        .unwrap_or_else(|| asset.format.clone())
}

/// `url` and `secure_url` of a derived version, built by the core exactly as a client
/// builds them (`raw_transformation`, `v<version>`, the format as extension).
pub fn urls(account: &Account, asset: &Asset, e: &Eager) -> (String, String) {
    let client = account.client();
    let mut o = cldkit::Map::new();
    o.insert("resource_type", asset.resource_type.as_str());
    o.insert("type", asset.delivery_type.as_str());
    o.insert("raw_transformation", e.transformation.as_str());
    o.insert("version", cldkit::Value::Int(asset.version));
    o.insert("format", e.format.as_deref().unwrap_or(&asset.format));
    let url = |secure: bool| {
        let mut o = o.clone();
        o.insert("secure", crate::resource::secure_scheme(account, secure));
        client.url(&asset.public_id, &o).unwrap_or_default()
    };
    (url(false), url(true))
}

/// Width, height and size of the derived image, rendered into the delivery cache.
/// `None` when the asset is not an image or the renderer does not support the
/// transformation. Blocking.
fn render_facts(state: &State, asset: &Asset, e: &Eager) -> Option<(u32, u32, u64)> {
    if asset.resource_type != "image" {
        return None;
    }
    let segments: Vec<String> = e.transformation.split('/').map(str::to_owned).collect();
    let plan = render::parse(&segments).ok()?;
    let format = derived_format(asset, e, Some(&plan));
    if plan.steps.is_empty() && plan.quality.is_none() && format == asset.format {
        return Some((asset.width?, asset.height?, asset.bytes));
    }
    let t = segments.join("/");
    let r = delivery::open_rendering(state, &asset.blob, &t, &plan, &format).ok()?;
    let (_, w, h) = render::probe_image(&r.path)?;
    Some((w, h, r.len))
}

/// The finished response entry of one eager transformation. Blocking (it renders).
pub fn finished(state: &State, account: &Account, asset: &Asset, e: &Eager) -> Json {
    let (url, secure_url) = urls(account, asset, e);
    let segments: Vec<String> = e.transformation.split('/').map(str::to_owned).collect();
    let plan = render::parse(&segments).ok();
    let mut o = JsonMap::new();
    o.insert("transformation".into(), json!(e.entry));
    if let Some((w, h, bytes)) = render_facts(state, asset, e) {
        o.insert("width".into(), json!(w));
        o.insert("height".into(), json!(h));
        o.insert("bytes".into(), json!(bytes));
    }
    o.insert(
        "format".into(),
        json!(derived_format(asset, e, plan.as_ref())),
    );
    o.insert("url".into(), json!(url));
    o.insert("secure_url".into(), json!(secure_url));
    Json::Object(o)
}

/// Handles `eager` / `eager_async` for a stored asset: returns the response's `eager`
/// array, or `None` without `eager`. Synchronous eager renders before answering;
/// asynchronous eager answers `processing` entries (one `batch_id` for the request)
/// and renders in the background, then POSTs the `eager` notification to
/// `eager_notification_url`, else `notification_url`, else the account's.
pub async fn apply(
    state: &Arc<State>,
    account: &Account,
    asset: &Asset,
    params: &Params,
) -> ApiResult<Option<Json>> {
    let Some(raw) = params.nonempty("eager") else {
        return Ok(None);
    };
    let specs = parse(&raw)?;
    if params.flag("eager_async").unwrap_or(false) {
        let batch_id = ids::hex32();
        let pending: Vec<Json> = specs
            .iter()
            .map(|e| {
                let (url, secure_url) = urls(account, asset, e);
                json!({"status": "processing", "batch_id": batch_id,
                       "transformation": e.entry, "url": url, "secure_url": secure_url})
            })
            .collect();
        let notify = params
            .nonempty("eager_notification_url")
            .or_else(|| params.nonempty("notification_url"));
        let (state, account, asset) = (state.clone(), account.clone(), asset.clone());
        tokio::spawn(async move {
            let done = finish_all(&state, &account, &asset, specs).await;
            let Ok(done) = done else {
                return;
            };
            let now = ids::iso8601(ids::now());
            let payload = json!({
                "notification_type": "eager",
                "eager": done,
                "batch_id": batch_id,
                "asset_id": asset.asset_id,
                "public_id": asset.public_id,
                "api_key": account.api_key,
                "timestamp": now,
                "request_id": ids::hex32(),
                "notification_context": {"triggered_at": now,
                    "triggered_by": {"source": "api", "id": account.api_key}},
                "signature_key": account.api_key,
            });
            state.notify(&account, "eager", payload, notify);
        });
        return Ok(Some(Json::Array(pending)));
    }
    let done = finish_all(state, account, asset, specs).await?;
    Ok(Some(Json::Array(done)))
}

/// Renders every entry off the async threads.
async fn finish_all(
    state: &Arc<State>,
    account: &Account,
    asset: &Asset,
    specs: Vec<Eager>,
) -> ApiResult<Vec<Json>> {
    let (st, acc, a) = (state.clone(), account.clone(), asset.clone());
    tokio::task::spawn_blocking(move || {
        specs
            .iter()
            .map(|e| finished(&st, &acc, &a, e))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::internal(format!("eager rendering failed: {e}")))
}

/// The `derived` array of an asset's Admin API details: its renderings still in the
/// derived cache, with the URLs that deliver them.
pub fn derived_listing(
    state: &State,
    account: &Account,
    asset: &Asset,
) -> Result<serde_json::Value, ApiError> {
    let list = state
        .store
        .derived_of(&asset.blob)?
        .into_iter()
        .map(|d| {
            let e = Eager {
                entry: d.transformation.clone(),
                transformation: d.transformation.clone(),
                format: Some(d.format.clone()),
            };
            let (url, secure_url) = urls(account, asset, &e);
            serde_json::json!({"transformation": d.transformation, "format": d.format,
                "bytes": d.bytes, "id": d.id, "url": url, "secure_url": secure_url})
        })
        .collect();
    Ok(serde_json::Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_formats() {
        let v = parse("c_pad,h_300,w_400|c_crop,h_200,w_260/png").unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].format, None);
        assert_eq!(v[1].transformation, "c_crop,h_200,w_260");
        assert_eq!(v[1].format.as_deref(), Some("png"));
        assert_eq!(v[1].entry, "c_crop,h_200,w_260/png");
        let v = parse("w_100/e_sepia|w_5/").unwrap();
        assert_eq!(v[0].transformation, "w_100/e_sepia");
        assert_eq!(v[1].format, None);
    }

    #[test]
    fn refuses_what_is_not_a_transformation() {
        for bad in [
            "zz_3",
            "w_100,nonsense",
            "w_",
            "c_fill//w_3",
            "/png",
            "w_1/p-n-g",
            "|",
            "w_1 0",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.status.as_u16(), 400, "{bad}");
        }
        assert!(parse("w_1,zz_9").unwrap_err().message.contains("zz_9"));
    }
}
