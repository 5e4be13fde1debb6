//! The Upload API calls that generate assets from others: `sprite`, `multi`,
//! `explode`, `generate_archive` and `create_slideshow`. They are signed like every
//! Upload API call and answer Cloudinary's shapes; the generated files are not
//! rendered (the emulator draws no sprites, animations, archives or slideshows):
//!
//! | Action | Answer |
//! |---|---|
//! | `sprite` (`tag` or `urls`) | `{"css_url", "secure_css_url", "image_url", "secure_image_url", "json_url", "secure_json_url", "public_id", "version", "image_infos": {"<public id>": {width, height, x, y}}}` over the images with the tag (or one entry per URL) |
//! | `multi` (`tag` or `urls`) | `{"url", "secure_url", "public_id", "version"}` |
//! | `explode` | `{"status": "processing", "batch_id"}` (the asset must exist) |
//! | `generate_archive` | a raw resource `{asset_id, public_id: "<id>.<format>", version, resource_type: "raw", type: "upload", bytes, url, secure_url, created_at, resource_count, file_count}` counting the selected assets (`public_ids`, `tags`, `prefixes`); in `mode=download` it is refused (downloads are URLs) |
//! | `create_slideshow` | `{"status": "processing", "public_id", "batch_id"}` |

use std::sync::Arc;

use axum::extract::Request;
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::Params;
use crate::state::State;
use crate::store::Asset;

/// The actions handled here.
pub const ACTIONS: &[&str] = &[
    "sprite",
    "multi",
    "explode",
    "generate_archive",
    "create_slideshow",
];

fn missing(name: &str) -> ApiError {
    ApiError::bad_request(format!("Missing required parameter - {name}"))
}

/// Handles `POST /v1_1/{cloud}/{rt}/{action}` for one of [`ACTIONS`].
pub async fn handle(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    action: &str,
    req: Request,
) -> ApiResult<Json> {
    let auth = crate::state::authorization(req.headers());
    let params = crate::state::read_params(req, crate::params::MAX_FORM_BODY).await?;
    crate::auth::check_upload(
        account,
        action,
        &params,
        auth.as_deref(),
        ids::now(),
        state.strict_sha256,
        |name| {
            Ok(state
                .store
                .preset(&account.cloud_name, name)?
                .map(|(unsigned, _)| unsigned))
        },
    )?;
    let base = format!("{}/{}", state.base_url, account.cloud_name);
    let now = ids::now();
    match action {
        "sprite" | "multi" => {
            let tag = params.nonempty("tag");
            let urls = params.ids("urls");
            if tag.is_some() != urls.is_empty() {
                return Err(ApiError::bad_request(
                    "Either 'tag' or 'urls' parameter has to be set but not both",
                ));
            }
            let public_id = tag.clone().unwrap_or_else(ids::hex32);
            let rt = if rt == "auto" { "image" } else { rt };
            if action == "multi" {
                let format = params.nonempty("format").unwrap_or_else(|| "gif".into());
                let url = format!("{base}/{rt}/multi/v{now}/{public_id}.{format}");
                return Ok(
                    json!({"url": url, "secure_url": url, "public_id": public_id,
                                 "version": now}),
                );
            }
            let mut infos = JsonMap::new();
            let mut y = 0u32;
            match &tag {
                Some(t) => {
                    for a in tagged_images(state, &account.cloud_name, t)? {
                        let (w, h) = (a.width.unwrap_or(0), a.height.unwrap_or(0));
                        infos.insert(
                            a.public_id.clone(),
                            json!({"width": w, "height": h, "x": 0, "y": y}),
                        );
                        y = y.saturating_add(h);
                    }
                }
                None => {
                    for u in &urls {
                        infos.insert(u.clone(), json!({"width": 0, "height": 0, "x": 0, "y": 0}));
                    }
                }
            }
            let file = |ext: &str| format!("{base}/image/sprite/v{now}/{public_id}.{ext}");
            Ok(json!({
                "css_url": file("css"), "secure_css_url": file("css"),
                "image_url": file("png"), "secure_image_url": file("png"),
                "json_url": file("json"), "secure_json_url": file("json"),
                "public_id": public_id, "version": now, "image_infos": infos,
            }))
        }
        "explode" => {
            let id = params
                .nonempty("public_id")
                .ok_or_else(|| missing("public_id"))?;
            let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
            state
                .store
                .get(&account.cloud_name, rt, &ty, &id)?
                .ok_or_else(|| ApiError::not_found(format!("Resource not found - {id}")))?;
            Ok(json!({"status": "processing", "batch_id": ids::hex32()}))
        }
        "generate_archive" => archive(state, account, rt, &params, &base, now),
        _ => {
            if params.nonempty("manifest_json").is_none()
                && params.nonempty("manifest_transformation").is_none()
            {
                return Err(missing("manifest_transformation or manifest_json"));
            }
            let public_id = params.nonempty("public_id").unwrap_or_else(ids::hex32);
            Ok(json!({"status": "processing", "public_id": public_id, "batch_id": ids::hex32()}))
        }
    }
}

fn tagged_images(state: &State, cloud: &str, tag: &str) -> ApiResult<Vec<Asset>> {
    Ok(state
        .store
        .all(cloud)?
        .into_iter()
        .filter(|a| a.resource_type == "image" && a.tags.iter().any(|t| t == tag))
        .collect())
}

fn archive(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
    base: &str,
    now: i64,
) -> ApiResult<Json> {
    if params.nonempty("mode").as_deref() == Some("download") {
        return Err(ApiError::bad_request(
            "mode=download archives are downloaded from their signed URL",
        ));
    }
    let ids_wanted = params.ids("public_ids");
    let tags = params.ids("tags");
    let prefixes = params.ids("prefixes");
    if ids_wanted.is_empty() && tags.is_empty() && prefixes.is_empty() {
        return Err(missing("public_ids, tags or prefixes"));
    }
    let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
    let selected: Vec<Asset> = state
        .store
        .all(&account.cloud_name)?
        .into_iter()
        .filter(|a| (rt == "all" || a.resource_type == rt) && a.delivery_type == ty)
        .filter(|a| {
            ids_wanted.contains(&a.public_id)
                || a.tags.iter().any(|t| tags.contains(t))
                || prefixes.iter().any(|p| a.public_id.starts_with(p.as_str()))
        })
        .collect();
    let format = params
        .nonempty("target_format")
        .unwrap_or_else(|| "zip".into());
    if !matches!(format.as_str(), "zip" | "tgz") {
        return Err(ApiError::bad_request(format!(
            "Invalid target_format {format}"
        )));
    }
    let stem = params
        .nonempty("target_public_id")
        .unwrap_or_else(|| ids::alnum(20).to_lowercase());
    let public_id = format!("{stem}.{format}");
    let url = format!("{base}/raw/upload/v{now}/{public_id}");
    Ok(json!({
        "asset_id": ids::hex32(), "public_id": public_id, "version": now,
        "version_id": ids::hex32(), "resource_type": "raw", "type": "upload",
        "bytes": selected.iter().map(|a| a.bytes).sum::<u64>(), "created_at": ids::iso8601(now),
        "url": url, "secure_url": url, "resource_count": selected.len(),
        "file_count": selected.len(), "tags": [],
    }))
}
