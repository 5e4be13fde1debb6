//! The Admin API endpoints beyond assets, folders, presets and metadata fields, with
//! state in [`crate::extras`] and Cloudinary's answer shapes:
//!
//! | Endpoint | State and answer |
//! |---|---|
//! | `upload_mappings` (`GET`/`POST`/`PUT`/`DELETE`, `folder` parameter) | `{"mappings": [{folder, template}]}`, `{folder, template}`, `{"message": "created", "folder"}`, `{"message": "updated"}` / `"deleted"` |
//! | `streaming_profiles[/{name}]` | the built-in profiles (`4k`, `full_hd`, `hd`, `sd`, `full_hd_wifi`, `full_hd_lean`, `hd_lean`) plus custom ones: `{"data": [{name, display_name, predefined}]}`, `{"data": {..., representations}}`, `{"message": "created"/"updated", "data"}`, `{"message": "deleted"}` (a modified built-in one is reverted; an unmodified one cannot be deleted) |
//! | `transformations` (`transformation` parameter) | named and stored transformations: `{"transformations": [{name, allowed_for_strict, used, named}]}`, `{name, allowed_for_strict, used, named, info, derived: []}`, `{"message": "created"/"updated"/"deleted"}` |
//! | `metadata_rules[/{id}]` | `{"metadata_rules": [...]}`, the rule, `{"success": true}` |
//! | `metadata_fields/{id}/datasource` (`PUT` upsert, `DELETE` deactivate), `.../datasource_restore`, `.../datasource/order`, `metadata_fields/order` | the datasource `{"values": [...]}` (active entries); the fields `{"metadata_fields": [...]}` in the new order |
//! | `triggers[/{id}[/test]]` | `{"triggers": [...]}`, the trigger `{id, uri, event_type, uri_type, additive, created_at, updated_at}`, `{"message": "ok"}`; `test` answers `{"trigger_id", "event_type", "matched": true, "sample_data"}` (fixed: filters are not evaluated) |
//! | `resources/{rt}/{type}/restore`, `resources/restore` | assets deleted through the Admin API are backed up (at most 100 versions each); `{"<public id or asset id>": {asset} or {"error": "..."}}` |
//! | `resources/backup/{asset_id}` (`DELETE`) | `{"asset_id", "deleted_version_ids": [...]}` |
//! | `resources/related_assets/...` (`POST`/`DELETE`) | relations both ways; `{"success": [{message, code, asset, status}], "failed": [...]}`; `resource(related=true)` lists `related_assets` |
//! | `resources/{rt}/publish_resources` | sets `access_mode` to `public`: `{"published": [assets], "failed": [{public_id, error}]}` |
//! | `resources/{rt}/moderations/{kind}/{status}` | assets whose moderation (set by `update(moderation_status=...)`, kind `manual`) matches |
//! | `resources/visual_search` | images whose tags, public id or display name contain a word of `text`, else every other image: `{"resources": [...], "total_count"}` (no image analysis) |
//! | `derived_resources` (`DELETE`) | `{"deleted": {"<id>": "not_found"}, "partial": false}` (derived images are a cache, not addressable by id) |
//! | `v2/.../analysis/analyze/uri` | fixed: `{"data": {"entity": uri, "analysis": {"analysis_type", "emulated": true}}}` |
//! | `v2/notifications/.../messages` (`GET`, `POST .../ack`) | events of the Admin API (`delete`, `publish`, `restore_asset_version`, `resource_tags_changed`, `resource_context_changed`, `resource_metadata_changed`, `resource_display_name_changed`) are buffered for triggers with a `poll://channel` (or `poll://*`, addressed by `batch_id`) URI; `{"messages": [{message_id, receipt_handle, payload, signed_payload, signature, timestamp}]}` (no `messages` key when none; no long poll), `{"acknowledged": [...], "failed": [...]}` |

use std::collections::HashSet;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::Params;
use crate::resource::{asset_json, Shape};
use crate::state::State;
use crate::store::Asset;

const RESOURCE_TYPES: &[&str] = &["image", "video", "raw"];

/// The most backed-up versions kept per asset (older ones are dropped).
pub const MAX_VERSIONS: usize = 100;

fn brief(account: &Account, a: &Asset) -> Json {
    asset_json(
        account,
        a,
        Shape {
            upload: false,
            tags: true,
            context: false,
            metadata: false,
        },
    )
}

fn missing(name: &str) -> ApiError {
    ApiError::bad_request(format!("Missing required parameter - {name}"))
}

/// Routes the endpoints of this module; `None` when the request is not one of them.
pub(crate) async fn handle(
    state: &Arc<State>,
    account: &Account,
    method: &str,
    r: &[&str],
    params: &Params,
) -> Option<ApiResult<Json>> {
    let cloud = account.cloud_name.as_str();
    Some(match (method, r) {
        ("GET", ["resources", rt, "moderations", kind, status]) if RESOURCE_TYPES.contains(rt) => {
            moderated(state, account, rt, kind, status, params)
        }
        ("POST", ["resources", rt, ty, "restore"]) if RESOURCE_TYPES.contains(rt) => {
            restore(state, account, Some((rt, ty)), params)
        }
        ("POST", ["resources", "restore"]) => restore(state, account, None, params),
        ("DELETE", ["resources", "backup", asset_id]) => {
            delete_backups(state, cloud, asset_id, params)
        }
        ("POST" | "DELETE", ["resources", "related_assets", rt, ty, pid @ ..])
            if RESOURCE_TYPES.contains(rt) && !pid.is_empty() =>
        {
            let id = pid.join("/");
            match state.store.get(cloud, rt, ty, &id) {
                Ok(Some(a)) => relate(state, account, &a, method == "POST", params, false),
                Ok(None) => Err(ApiError::not_found(format!("Resource not found - {id}"))),
                Err(e) => Err(e),
            }
        }
        ("POST" | "DELETE", ["resources", "related_assets", asset_id]) => {
            match state.store.get_by_asset_id(cloud, asset_id) {
                Ok(Some(a)) => relate(state, account, &a, method == "POST", params, true),
                Ok(None) => Err(ApiError::not_found(format!(
                    "Resource not found - {asset_id}"
                ))),
                Err(e) => Err(e),
            }
        }
        ("POST", ["resources", rt, "publish_resources"]) if RESOURCE_TYPES.contains(rt) => {
            publish(state, account, rt, params)
        }
        ("POST", ["resources", "visual_search"]) => visual_search(state, account, params),
        ("DELETE", ["derived_resources"]) => {
            let mut deleted = JsonMap::new();
            for id in params.ids("derived_resource_ids") {
                deleted.insert(id, json!("not_found"));
            }
            Ok(json!({"deleted": deleted, "partial": false}))
        }
        (_, ["upload_mappings"]) => upload_mappings(state, cloud, method, params),
        (_, ["streaming_profiles", rest @ ..]) if rest.len() <= 1 => {
            streaming_profiles(state, cloud, method, rest.first().copied(), params)
        }
        (_, ["transformations"]) => transformations(state, cloud, method, params),
        (_, ["metadata_rules", rest @ ..]) if rest.len() <= 1 => {
            metadata_rules(state, cloud, method, rest.first().copied(), params)
        }
        ("PUT", ["metadata_fields", "order"]) => order_fields(state, cloud, params),
        ("PUT" | "DELETE", ["metadata_fields", id, "datasource"]) => {
            datasource(state, cloud, id, method, params)
        }
        ("POST", ["metadata_fields", id, "datasource_restore"]) => {
            datasource(state, cloud, id, "RESTORE", params)
        }
        ("POST", ["metadata_fields", id, "datasource", "order"]) => {
            datasource(state, cloud, id, "ORDER", params)
        }
        (_, ["triggers", rest @ ..]) if rest.len() <= 2 => {
            triggers(state, cloud, method, rest, params)
        }
        ("POST", ["v2", "analysis", "analyze", input_type]) => analyze(input_type, params),
        ("GET", ["v2", "notifications", "messages"]) => claim(state, cloud, params),
        ("POST", ["v2", "notifications", "messages", "ack"]) => ack(state, cloud, params),
        _ => return None,
    })
}

// ---- assets as documents (backups) --------------------------------------------------

fn asset_doc(a: &Asset) -> Json {
    json!({
        "resource_type": a.resource_type, "type": a.delivery_type, "public_id": a.public_id,
        "asset_id": a.asset_id, "version": a.version, "version_id": a.version_id,
        "format": a.format, "width": a.width, "height": a.height, "bytes": a.bytes,
        "etag": a.etag, "created_at": a.created_at, "tags": a.tags, "context": a.context,
        "metadata": a.metadata, "asset_folder": a.asset_folder, "display_name": a.display_name,
        "original_filename": a.original_filename, "access_mode": a.access_mode,
    })
}

fn asset_from_doc(cloud: &str, d: &Json, blob: String) -> Asset {
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
    let obj = |k: &str| d[k].as_object().cloned().unwrap_or_default();
    Asset {
        cloud: cloud.to_owned(),
        resource_type: s("resource_type"),
        delivery_type: s("type"),
        public_id: s("public_id"),
        asset_id: s("asset_id"),
        version: d["version"].as_i64().unwrap_or(0),
        version_id: s("version_id"),
        format: s("format"),
        width: d["width"].as_u64().map(|w| w as u32),
        height: d["height"].as_u64().map(|h| h as u32),
        bytes: d["bytes"].as_u64().unwrap_or(0),
        etag: s("etag"),
        created_at: s("created_at"),
        tags: d["tags"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        context: obj("context"),
        metadata: obj("metadata"),
        asset_folder: s("asset_folder"),
        display_name: s("display_name"),
        original_filename: s("original_filename"),
        blob,
        seq: 0,
        access_mode: {
            let m = s("access_mode");
            if m.is_empty() {
                "public".into()
            } else {
                m
            }
        },
    }
}

fn backup_dir(state: &State) -> std::path::PathBuf {
    state.store.root().join("backups")
}

/// Keeps a copy of `a` (its bytes and attributes) before it is deleted or replaced, so
/// `restore` can bring it back.
pub(crate) fn back_up(state: &State, a: &Asset) -> ApiResult<()> {
    let dir = backup_dir(state);
    std::fs::create_dir_all(&dir)?;
    let file = format!("{}-{}", a.asset_id, ids::hex32());
    std::fs::copy(state.store.blob_path(&a.blob), dir.join(&file))?;
    let mut doc = state
        .extras
        .get(&a.cloud, "backup", &a.asset_id)?
        .unwrap_or_else(|| json!({"versions": []}));
    doc["asset"] = asset_doc(a);
    let mut versions = doc["versions"].as_array().cloned().unwrap_or_default();
    versions.push(json!({
        "version_id": a.version_id, "version": a.version, "bytes": a.bytes,
        "format": a.format, "time": ids::iso8601(ids::now()), "file": file,
        "asset": asset_doc(a),
    }));
    while versions.len() > MAX_VERSIONS {
        let old = versions.remove(0);
        if let Some(f) = old["file"].as_str() {
            let _ = std::fs::remove_file(dir.join(f));
        }
    }
    doc["versions"] = Json::Array(versions);
    state.extras.put(&a.cloud, "backup", &a.asset_id, &doc)
}

/// The `versions` of `resource(versions=true)`: the current version and the backed-up
/// ones.
pub(crate) fn versions(state: &State, a: &Asset) -> ApiResult<Json> {
    let mut out = vec![json!({
        "version_id": a.version_id, "version": a.version, "format": a.format,
        "size": a.bytes, "time": a.created_at, "restorable": false,
    })];
    if let Some(doc) = state.extras.get(&a.cloud, "backup", &a.asset_id)? {
        for v in doc["versions"].as_array().into_iter().flatten().rev() {
            out.push(json!({
                "version_id": v["version_id"], "version": v["version"], "format": v["format"],
                "size": v["bytes"], "time": v["time"], "restorable": true,
            }));
        }
    }
    Ok(Json::Array(out))
}

fn restore_one(
    state: &State,
    account: &Account,
    doc: &Json,
    version_id: Option<&str>,
) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let versions = doc["versions"].as_array().cloned().unwrap_or_default();
    let chosen = match version_id {
        Some(v) => versions.iter().find(|x| x["version_id"] == json!(v)),
        None => versions.last(),
    };
    let Some(chosen) = chosen else {
        return Ok(json!({"error": "No backup of this version"}));
    };
    let file = chosen["file"].as_str().unwrap_or_default();
    let tmp = state.store.temp_path();
    std::fs::copy(backup_dir(state).join(file), &tmp)?;
    let blob = format!("{}-{}", ids::hex32(), ids::hex32());
    state.store.adopt_blob(&tmp, &blob)?;
    let mut a = asset_from_doc(cloud, &chosen["asset"], blob);
    let current = state
        .store
        .get(cloud, &a.resource_type, &a.delivery_type, &a.public_id)?;
    if let Some(cur) = &current {
        back_up(state, cur)?;
    }
    a.version = ids::now().max(a.version + 1);
    a.version_id = ids::hex32();
    match state.store.put(&a) {
        Ok(Some(old)) => state.store.drop_blob(&old),
        Ok(None) => {}
        Err(e) => {
            state.store.drop_blob(&a.blob);
            return Err(e);
        }
    }
    emit(state, account, "restore_asset_version", &a, None)?;
    Ok(brief(account, &a))
}

fn restore(
    state: &State,
    account: &Account,
    by_public_id: Option<(&str, &str)>,
    params: &Params,
) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let key = if by_public_id.is_some() {
        "public_ids"
    } else {
        "asset_ids"
    };
    let wanted = params.ids(key);
    if wanted.is_empty() {
        return Err(missing(key));
    }
    let versions = params.ids("versions");
    let backups = state.extras.list(cloud, "backup")?;
    let mut out = JsonMap::new();
    for (i, id) in wanted.iter().enumerate() {
        let doc = backups.iter().map(|(_, d)| d).find(|d| match by_public_id {
            Some((rt, ty)) => {
                d["asset"]["public_id"] == json!(id)
                    && d["asset"]["resource_type"] == json!(rt)
                    && d["asset"]["type"] == json!(ty)
            }
            None => d["asset"]["asset_id"] == json!(id),
        });
        let answer = match doc {
            Some(d) => restore_one(state, account, d, versions.get(i).map(String::as_str))?,
            None => json!({"error": "No backup found for the resource"}),
        };
        out.insert(id.clone(), answer);
    }
    Ok(Json::Object(out))
}

fn delete_backups(state: &State, cloud: &str, asset_id: &str, params: &Params) -> ApiResult<Json> {
    let wanted: HashSet<String> = params.ids("version_ids").into_iter().collect();
    if wanted.is_empty() {
        return Err(missing("version_ids"));
    }
    let Some(mut doc) = state.extras.get(cloud, "backup", asset_id)? else {
        return Err(ApiError::not_found(format!(
            "Resource not found - {asset_id}"
        )));
    };
    let mut deleted = Vec::new();
    let mut kept = Vec::new();
    for v in doc["versions"].as_array().cloned().unwrap_or_default() {
        let id = v["version_id"].as_str().unwrap_or_default().to_owned();
        if wanted.contains(&id) {
            if let Some(f) = v["file"].as_str() {
                let _ = std::fs::remove_file(backup_dir(state).join(f));
            }
            deleted.push(json!(id));
        } else {
            kept.push(v);
        }
    }
    doc["versions"] = Json::Array(kept);
    state.extras.put(cloud, "backup", asset_id, &doc)?;
    Ok(json!({"asset_id": asset_id, "deleted_version_ids": deleted}))
}

// ---- related assets, moderation, publishing, visual search ----------------------------

fn related_ids(state: &State, cloud: &str, asset_id: &str) -> ApiResult<Vec<String>> {
    Ok(state
        .extras
        .get(cloud, "related", asset_id)?
        .and_then(|d| d["related"].as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect())
}

fn set_related(state: &State, cloud: &str, asset_id: &str, ids: &[String]) -> ApiResult<()> {
    if ids.is_empty() {
        state.extras.delete(cloud, "related", asset_id)?;
        return Ok(());
    }
    state
        .extras
        .put(cloud, "related", asset_id, &json!({"related": ids}))
}

/// The `related_assets` of `resource(related=true)`.
pub(crate) fn related_assets(state: &State, a: &Asset) -> ApiResult<Json> {
    let mut out = Vec::new();
    for id in related_ids(state, &a.cloud, &a.asset_id)? {
        if let Some(r) = state.store.get_by_asset_id(&a.cloud, &id)? {
            out.push(json!({
                "asset_id": r.asset_id, "public_id": r.public_id,
                "resource_type": r.resource_type, "type": r.delivery_type,
            }));
        }
    }
    Ok(Json::Array(out))
}

fn relate(
    state: &State,
    account: &Account,
    a: &Asset,
    add: bool,
    params: &Params,
    by_asset_id: bool,
) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let key = if add {
        "assets_to_relate"
    } else {
        "assets_to_unrelate"
    };
    let targets = params.ids(key);
    if targets.is_empty() {
        return Err(missing(key));
    }
    let mut success = Vec::new();
    let mut failed = Vec::new();
    for t in targets {
        let found = if by_asset_id {
            state.store.get_by_asset_id(cloud, &t)?
        } else {
            let mut parts = t.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(rt), Some(ty), Some(pid)) => state.store.get(cloud, rt, ty, pid)?,
                _ => None,
            }
        };
        let Some(other) = found.filter(|o| o.asset_id != a.asset_id) else {
            failed.push(
                json!({"message": "Asset not found", "code": "asset_not_found",
                               "asset": t, "status": 404}),
            );
            continue;
        };
        for (from, to) in [
            (&a.asset_id, &other.asset_id),
            (&other.asset_id, &a.asset_id),
        ] {
            let mut ids = related_ids(state, cloud, from)?;
            ids.retain(|x| x != to);
            if add {
                ids.push(to.clone());
            }
            set_related(state, cloud, from, &ids)?;
        }
        success.push(
            json!({"message": "success", "code": if add { "success_ids" } else { "success" },
                            "asset": t, "status": 200}),
        );
    }
    Ok(json!({"success": success, "failed": failed}))
}

/// Records the moderation status `update(moderation_status=...)` set (kind `manual`).
pub(crate) fn set_moderation(state: &State, a: &Asset, status: &str) -> ApiResult<()> {
    state.extras.put(
        &a.cloud,
        "moderation",
        &a.asset_id,
        &json!({"kind": "manual", "status": status}),
    )
}

fn moderated(
    state: &State,
    account: &Account,
    rt: &str,
    kind: &str,
    status: &str,
    params: &Params,
) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let marks = state.extras.list(cloud, "moderation")?;
    let wanted: HashSet<&str> = marks
        .iter()
        .filter(|(_, m)| m["kind"] == json!(kind) && m["status"] == json!(status))
        .map(|(id, _)| id.as_str())
        .collect();
    let assets: Vec<Asset> = state
        .store
        .all(cloud)?
        .into_iter()
        .filter(|a| a.resource_type == rt && wanted.contains(a.asset_id.as_str()))
        .collect();
    crate::listing::list_response(account, assets, params)
}

fn publish(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let ty = params.nonempty("type");
    let all: Vec<Asset> = state
        .store
        .all(cloud)?
        .into_iter()
        .filter(|a| a.resource_type == rt && ty.as_deref().is_none_or(|t| a.delivery_type == t))
        .collect();
    let mut failed = Vec::new();
    let targets: Vec<Asset> = if params.has("public_ids") {
        let mut found = Vec::new();
        for id in params.ids("public_ids") {
            match all.iter().find(|a| a.public_id == id) {
                Some(a) => found.push(a.clone()),
                None => failed.push(json!({"public_id": id, "error": "Resource not found"})),
            }
        }
        found
    } else if let Some(prefix) = params.nonempty("prefix") {
        all.into_iter()
            .filter(|a| a.public_id.starts_with(&prefix))
            .collect()
    } else if let Some(tag) = params.nonempty("tag") {
        all.into_iter().filter(|a| a.tags.contains(&tag)).collect()
    } else {
        return Err(missing("public_ids, prefix or tag"));
    };
    let mut published = Vec::new();
    for mut a in targets {
        a.access_mode = "public".into();
        state.store.update_attrs(&a)?;
        emit(
            state,
            account,
            "publish",
            &a,
            params.nonempty("batch_id").as_deref(),
        )?;
        let mut v = brief(account, &a);
        v["access_mode"] = json!("public");
        published.push(v);
    }
    Ok(json!({"published": published, "failed": failed}))
}

fn visual_search(state: &State, account: &Account, params: &Params) -> ApiResult<Json> {
    let given: Vec<&str> = ["image_url", "image_asset_id", "text", "image_file"]
        .into_iter()
        .filter(|k| params.nonempty(k).is_some())
        .collect();
    if given.len() != 1 {
        return Err(ApiError::bad_request(
            "Exactly one of image_url, image_asset_id, text or image_file is required",
        ));
    }
    let words: Vec<String> = params
        .nonempty("text")
        .map(|t| {
            t.to_lowercase()
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let exclude = params.nonempty("image_asset_id");
    let hits: Vec<Json> = state
        .store
        .all(&account.cloud_name)?
        .into_iter()
        .rev()
        .filter(|a| a.resource_type == "image" && exclude.as_deref() != Some(a.asset_id.as_str()))
        .filter(|a| {
            words.is_empty()
                || words.iter().any(|w| {
                    a.tags.iter().any(|t| t.to_lowercase().contains(w.as_str()))
                        || a.public_id.to_lowercase().contains(w.as_str())
                        || a.display_name.to_lowercase().contains(w.as_str())
                })
        })
        .take(50)
        .map(|a| brief(account, &a))
        .collect();
    Ok(json!({"total_count": hits.len(), "resources": hits}))
}

// ---- upload mappings, streaming profiles, transformations ----------------------------

fn upload_mappings(state: &State, cloud: &str, method: &str, params: &Params) -> ApiResult<Json> {
    let folder = params.nonempty("folder");
    let get = |f: &str| state.extras.get(cloud, "upload_mapping", f);
    let not_found = |f: &str| ApiError::not_found(format!("Upload mapping {f} not found"));
    match (method, folder) {
        ("GET", None) => {
            let all: Vec<Json> = state
                .extras
                .list(cloud, "upload_mapping")?
                .into_iter()
                .map(|(_, d)| d)
                .collect();
            let (page, next) = crate::listing::paginate(all, params, 10, 500)?;
            let mut o = json!({"mappings": page});
            if let Some(n) = next {
                o["next_cursor"] = json!(n);
            }
            Ok(o)
        }
        ("GET", Some(f)) => get(&f)?.ok_or_else(|| not_found(&f)),
        ("POST", Some(f)) => {
            if get(&f)?.is_some() {
                return Err(ApiError::conflict(format!(
                    "Upload mapping {f} already exists"
                )));
            }
            let template = params
                .nonempty("template")
                .ok_or_else(|| missing("template"))?;
            state.extras.put(
                cloud,
                "upload_mapping",
                &f,
                &json!({"folder": f, "template": template}),
            )?;
            Ok(json!({"message": "created", "folder": f}))
        }
        ("PUT", Some(f)) => {
            get(&f)?.ok_or_else(|| not_found(&f))?;
            let template = params
                .nonempty("template")
                .ok_or_else(|| missing("template"))?;
            state.extras.put(
                cloud,
                "upload_mapping",
                &f,
                &json!({"folder": f, "template": template}),
            )?;
            Ok(json!({"message": "updated"}))
        }
        ("DELETE", Some(f)) => {
            if !state.extras.delete(cloud, "upload_mapping", &f)? {
                return Err(not_found(&f));
            }
            Ok(json!({"message": "deleted"}))
        }
        (_, None) => Err(missing("folder")),
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// The built-in streaming profiles: name, display name, representations.
const BUILT_IN_PROFILES: &[(&str, &str, &[&str])] = &[
    (
        "4k",
        "4K (2160p)",
        &[
            "c_limit,w_3840,h_2160,vc_h264:high:5.1,br_18m",
            "c_limit,w_1920,h_1080,vc_h264:high:4.1,br_5m",
            "c_limit,w_1280,h_720,vc_h264:main:3.1,br_3m",
        ],
    ),
    (
        "full_hd",
        "Full High Definition (1080p)",
        &[
            "c_limit,w_1920,h_1080,vc_h264:high:4.1,br_5.5m",
            "c_limit,w_1280,h_720,vc_h264:main:3.1,br_3.5m",
            "c_limit,w_640,h_360,vc_h264:baseline:3.0,br_0.8m",
        ],
    ),
    (
        "hd",
        "High Definition (720p)",
        &[
            "c_limit,w_1280,h_720,vc_h264:main:3.1,br_3.5m",
            "c_limit,w_960,h_540,vc_h264:main:3.0,br_2m",
            "c_limit,w_640,h_360,vc_h264:baseline:3.0,br_0.8m",
        ],
    ),
    (
        "sd",
        "Standard Definition",
        &[
            "c_limit,w_960,h_540,vc_h264:main:3.0,br_2m",
            "c_limit,w_640,h_360,vc_h264:baseline:3.0,br_0.8m",
            "c_limit,w_480,h_270,vc_h264:baseline:3.0,br_0.4m",
        ],
    ),
    (
        "full_hd_wifi",
        "Full High Definition (1080p) for WiFi",
        &[
            "c_limit,w_1920,h_1080,vc_h264:high:4.1,br_5m",
            "c_limit,w_1280,h_720,vc_h264:main:3.1,br_3m",
        ],
    ),
    (
        "full_hd_lean",
        "Full High Definition (1080p) lean",
        &[
            "c_limit,w_1920,h_1080,vc_h264:high:4.1,br_4m",
            "c_limit,w_640,h_360,vc_h264:baseline:3.0,br_0.8m",
        ],
    ),
    (
        "hd_lean",
        "High Definition (720p) lean",
        &[
            "c_limit,w_1280,h_720,vc_h264:main:3.1,br_3m",
            "c_limit,w_640,h_360,vc_h264:baseline:3.0,br_0.8m",
        ],
    ),
];

fn built_in(name: &str) -> Option<Json> {
    BUILT_IN_PROFILES
        .iter()
        .find(|p| p.0 == name)
        .map(|(n, d, reps)| {
            let reps: Vec<Json> = reps.iter().map(|t| json!({"transformation": t})).collect();
            json!({"name": n, "display_name": d, "predefined": true, "representations": reps})
        })
}

fn profile(state: &State, cloud: &str, name: &str) -> ApiResult<Option<Json>> {
    Ok(match state.extras.get(cloud, "streaming_profile", name)? {
        Some(p) => Some(p),
        None => built_in(name),
    })
}

fn representations(params: &Params) -> ApiResult<Option<Json>> {
    let Some(v) = params.json("representations") else {
        return Ok(None);
    };
    let parsed = match v {
        Json::String(s) => serde_json::from_str::<Json>(s)
            .map_err(|_| ApiError::bad_request("Invalid representations: expected a JSON array"))?,
        other => other.clone(),
    };
    let items = parsed
        .as_array()
        .filter(|a| !a.is_empty() && a.iter().all(|i| i.get("transformation").is_some()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "Invalid representations: expected [{\"transformation\": ...}, ...]",
            )
        })?;
    Ok(Some(Json::Array(items.clone())))
}

fn streaming_profiles(
    state: &State,
    cloud: &str,
    method: &str,
    name: Option<&str>,
    params: &Params,
) -> ApiResult<Json> {
    let not_found = |n: &str| ApiError::not_found(format!("Streaming profile {n} not found"));
    match (method, name) {
        ("GET", None) => {
            let mut data: Vec<Json> = Vec::new();
            for (n, _, _) in BUILT_IN_PROFILES {
                let p = profile(state, cloud, n)?.unwrap_or_default();
                data.push(
                    json!({"name": n, "display_name": p["display_name"], "predefined": true}),
                );
            }
            for (n, p) in state.extras.list(cloud, "streaming_profile")? {
                if built_in(&n).is_none() {
                    data.push(
                        json!({"name": n, "display_name": p["display_name"], "predefined": false}),
                    );
                }
            }
            Ok(json!({"data": data}))
        }
        ("GET", Some(n)) => {
            Ok(json!({"data": profile(state, cloud, n)?.ok_or_else(|| not_found(n))?}))
        }
        ("POST", None) => {
            let n = params.nonempty("name").ok_or_else(|| missing("name"))?;
            if profile(state, cloud, &n)?.is_some() {
                return Err(ApiError::conflict(format!(
                    "Streaming profile {n} already exists"
                )));
            }
            let reps = representations(params)?.ok_or_else(|| missing("representations"))?;
            let p = json!({
                "name": n, "display_name": params.nonempty("display_name").map_or(Json::Null, Json::from),
                "predefined": false, "representations": reps,
            });
            state.extras.put(cloud, "streaming_profile", &n, &p)?;
            Ok(json!({"message": "created", "data": p}))
        }
        ("PUT", Some(n)) => {
            let mut p = profile(state, cloud, n)?.ok_or_else(|| not_found(n))?;
            if let Some(reps) = representations(params)? {
                p["representations"] = reps;
            }
            if let Some(d) = params.nonempty("display_name") {
                p["display_name"] = json!(d);
            }
            state.extras.put(cloud, "streaming_profile", n, &p)?;
            Ok(json!({"message": "updated", "data": p}))
        }
        ("DELETE", Some(n)) => {
            if state.extras.delete(cloud, "streaming_profile", n)? {
                return Ok(json!({"message": "deleted"}));
            }
            if built_in(n).is_some() {
                return Err(ApiError::bad_request(format!(
                    "Streaming profile {n} is predefined and was not modified"
                )));
            }
            Err(not_found(n))
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// A transformation's key: named ones by `t_<name>`, others by their text.
fn transformation_key(t: &str) -> String {
    t.to_owned()
}

fn transformations(state: &State, cloud: &str, method: &str, params: &Params) -> ApiResult<Json> {
    let t = params.nonempty("transformation");
    let not_found = |t: &str| ApiError::not_found(format!("Transformation {t} not found"));
    match (method, t) {
        ("GET", None) => {
            let named_only = params.flag("named").unwrap_or(false);
            let all: Vec<Json> = state
                .extras
                .list(cloud, "transformation")?
                .into_iter()
                .map(|(_, d)| d)
                .filter(|d| !named_only || d["named"] == json!(true))
                .map(|d| {
                    json!({"name": d["name"], "allowed_for_strict": d["allowed_for_strict"],
                                "used": false, "named": d["named"]})
                })
                .collect();
            let (page, next) = crate::listing::paginate(all, params, 10, 500)?;
            let mut o = json!({"transformations": page});
            if let Some(n) = next {
                o["next_cursor"] = json!(n);
            }
            Ok(o)
        }
        ("GET", Some(t)) => {
            let d = state
                .extras
                .get(cloud, "transformation", &transformation_key(&t))?
                .ok_or_else(|| not_found(&t))?;
            Ok(
                json!({"name": d["name"], "allowed_for_strict": d["allowed_for_strict"], "used": false,
                      "named": d["named"], "info": [{"transformation": d["transformation"]}], "derived": []}),
            )
        }
        ("POST", _) => {
            let name = params.nonempty("name").ok_or_else(|| missing("name"))?;
            let t = params
                .nonempty("transformation")
                .ok_or_else(|| missing("transformation"))?;
            let key = format!("t_{name}");
            if state.extras.get(cloud, "transformation", &key)?.is_some() {
                return Err(ApiError::conflict(format!(
                    "Transformation {name} already exists"
                )));
            }
            state.extras.put(
                cloud,
                "transformation",
                &key,
                &json!({
                    "name": key, "transformation": t, "named": true, "allowed_for_strict": false,
                }),
            )?;
            Ok(json!({"message": "created"}))
        }
        ("PUT", Some(t)) => {
            let key = transformation_key(&t);
            let mut d = match state.extras.get(cloud, "transformation", &key)? {
                Some(d) => d,
                None => {
                    json!({"name": t, "transformation": t, "named": false, "allowed_for_strict": false})
                }
            };
            if let Some(b) = params.flag("allowed_for_strict") {
                d["allowed_for_strict"] = json!(b);
            }
            if let Some(u) = params.nonempty("unsafe_update") {
                d["transformation"] = json!(u);
            }
            state.extras.put(cloud, "transformation", &key, &d)?;
            Ok(json!({"message": "updated"}))
        }
        ("DELETE", Some(t)) => {
            if !state
                .extras
                .delete(cloud, "transformation", &transformation_key(&t))?
            {
                return Err(not_found(&t));
            }
            Ok(json!({"message": "deleted"}))
        }
        (_, None) => Err(missing("transformation")),
        _ => Err(ApiError::not_found("Not found")),
    }
}

// ---- structured metadata: rules, datasources, order -----------------------------------

fn metadata_rules(
    state: &State,
    cloud: &str,
    method: &str,
    id: Option<&str>,
    params: &Params,
) -> ApiResult<Json> {
    let not_found = |i: &str| ApiError::not_found(format!("Metadata rule {i} not found"));
    const KEYS: &[&str] = &[
        "external_id",
        "metadata_field_id",
        "condition",
        "result",
        "name",
        "state",
    ];
    match (method, id) {
        ("GET", None) => Ok(json!({"metadata_rules": state
            .extras
            .list(cloud, "metadata_rule")?
            .into_iter()
            .map(|(_, d)| d)
            .collect::<Vec<_>>()})),
        ("POST", None) => {
            let mut rule = JsonMap::new();
            for k in KEYS {
                if let Some(v) = params.json(k) {
                    rule.insert((*k).into(), v.clone());
                }
            }
            for k in ["metadata_field_id", "condition", "result"] {
                if !rule.contains_key(k) {
                    return Err(missing(k));
                }
            }
            let id = rule
                .get("external_id")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(ids::hex32);
            if state.extras.get(cloud, "metadata_rule", &id)?.is_some() {
                return Err(ApiError::conflict(format!(
                    "External id {id} already exists"
                )));
            }
            rule.insert("external_id".into(), json!(id));
            rule.entry("state").or_insert(json!("active"));
            let rule = Json::Object(rule);
            state.extras.put(cloud, "metadata_rule", &id, &rule)?;
            Ok(rule)
        }
        ("PUT", Some(i)) => {
            let mut rule = state
                .extras
                .get(cloud, "metadata_rule", i)?
                .ok_or_else(|| not_found(i))?;
            for k in KEYS.iter().filter(|k| **k != "external_id") {
                if let Some(v) = params.json(k) {
                    rule[*k] = v.clone();
                }
            }
            state.extras.put(cloud, "metadata_rule", i, &rule)?;
            Ok(rule)
        }
        ("DELETE", Some(i)) => {
            if !state.extras.delete(cloud, "metadata_rule", i)? {
                return Err(not_found(i));
            }
            Ok(json!({"success": true}))
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// The metadata fields in the order `reorder_metadata_fields` set (others after, in
/// creation order).
pub(crate) fn ordered_fields(
    state: &State,
    cloud: &str,
    mut fields: Vec<Json>,
) -> ApiResult<Vec<Json>> {
    let Some(order) = state.extras.get(cloud, "metadata_order", "fields")? else {
        return Ok(fields);
    };
    let order: Vec<String> = order["order"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let rank = |f: &Json| {
        let id = f["external_id"].as_str().unwrap_or_default();
        order.iter().position(|o| o == id).unwrap_or(usize::MAX)
    };
    fields.sort_by_key(rank);
    Ok(fields)
}

fn order_fields(state: &State, cloud: &str, params: &Params) -> ApiResult<Json> {
    let by = params
        .nonempty("order_by")
        .ok_or_else(|| missing("order_by"))?;
    if !matches!(by.as_str(), "label" | "external_id" | "created_at") {
        return Err(ApiError::bad_request(format!("Invalid order_by {by}")));
    }
    let desc = params.nonempty("direction").as_deref() == Some("desc");
    let mut fields = state.store.metadata_fields(cloud)?;
    if by != "created_at" {
        fields.sort_by(|a, b| a[by.as_str()].as_str().cmp(&b[by.as_str()].as_str()));
    }
    if desc {
        fields.reverse();
    }
    let order: Vec<Json> = fields.iter().map(|f| f["external_id"].clone()).collect();
    state
        .extras
        .put(cloud, "metadata_order", "fields", &json!({"order": order}))?;
    Ok(json!({"metadata_fields": fields}))
}

/// Datasource operations: `PUT` upserts `values`, `DELETE` deactivates `external_ids`,
/// `RESTORE` reactivates them, `ORDER` sorts by value; answers the active entries.
fn datasource(state: &State, cloud: &str, id: &str, op: &str, params: &Params) -> ApiResult<Json> {
    let mut field = state
        .store
        .metadata_fields(cloud)?
        .into_iter()
        .find(|f| f["external_id"] == json!(id))
        .ok_or_else(|| ApiError::not_found(format!("Metadata field {id} not found")))?;
    let mut values: Vec<Json> = field["datasource"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    match op {
        "PUT" => {
            let given = params
                .json("values")
                .and_then(|v| v.as_array())
                .cloned()
                .ok_or_else(|| missing("values"))?;
            for entry in given {
                let value = entry.get("value").cloned().unwrap_or(Json::Null);
                let ext = entry
                    .get("external_id")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                match ext.as_ref().and_then(|e| values.iter_mut().find(|v| v["external_id"] == json!(e))) {
                    Some(existing) => {
                        if !value.is_null() {
                            existing["value"] = value;
                        }
                        existing["state"] = json!("active");
                    }
                    None => values.push(json!({
                        "external_id": ext.unwrap_or_else(ids::hex32), "value": value, "state": "active",
                    })),
                }
            }
        }
        "DELETE" | "RESTORE" => {
            let ids: HashSet<String> = params.ids("external_ids").into_iter().collect();
            if ids.is_empty() {
                return Err(missing("external_ids"));
            }
            let state_name = if op == "DELETE" { "inactive" } else { "active" };
            for v in values.iter_mut() {
                if v["external_id"].as_str().is_some_and(|e| ids.contains(e)) {
                    v["state"] = json!(state_name);
                }
            }
        }
        _ => {
            if params.nonempty("order_by").as_deref() != Some("value") {
                return Err(ApiError::bad_request("Invalid order_by (value)"));
            }
            let text = |v: &Json| {
                v["value"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v["value"].to_string())
            };
            values.sort_by_key(text);
            if params.nonempty("direction").as_deref() == Some("desc") {
                values.reverse();
            }
        }
    }
    field["datasource"] = json!({"values": values});
    state.store.put_metadata_field(cloud, id, &field)?;
    let active: Vec<Json> = values
        .into_iter()
        .filter(|v| v["state"] != json!("inactive"))
        .collect();
    Ok(json!({"values": active}))
}

// ---- triggers and polled notifications -----------------------------------------------

fn triggers(
    state: &State,
    cloud: &str,
    method: &str,
    rest: &[&str],
    params: &Params,
) -> ApiResult<Json> {
    let not_found = |i: &str| ApiError::not_found(format!("Trigger {i} not found"));
    match (method, rest) {
        ("GET", []) => {
            let event = params.nonempty("event_type");
            let list: Vec<Json> = state
                .extras
                .list(cloud, "trigger")?
                .into_iter()
                .map(|(_, d)| d)
                .filter(|d| event.as_deref().is_none_or(|e| d["event_type"] == json!(e)))
                .collect();
            Ok(json!({"triggers": list}))
        }
        ("POST", []) => {
            let uri = params.nonempty("uri").ok_or_else(|| missing("uri"))?;
            let event = params
                .nonempty("event_type")
                .ok_or_else(|| missing("event_type"))?;
            let uri_type = params.nonempty("uri_type").unwrap_or_else(|| {
                if uri.starts_with("poll://") {
                    "poll".into()
                } else {
                    "webhook".into()
                }
            });
            if !matches!(uri_type.as_str(), "webhook" | "flow" | "poll") {
                return Err(ApiError::bad_request(format!(
                    "Invalid uri_type {uri_type}"
                )));
            }
            let id = ids::hex32();
            let now = ids::iso8601(ids::now());
            let t = json!({"id": id, "uri": uri, "event_type": event, "uri_type": uri_type,
                           "additive": false, "created_at": now, "updated_at": now});
            state.extras.put(cloud, "trigger", &id, &t)?;
            Ok(t)
        }
        ("PUT", [id]) => {
            let mut t = state
                .extras
                .get(cloud, "trigger", id)?
                .ok_or_else(|| not_found(id))?;
            t["uri"] = json!(params
                .nonempty("new_uri")
                .ok_or_else(|| missing("new_uri"))?);
            t["updated_at"] = json!(ids::iso8601(ids::now()));
            state.extras.put(cloud, "trigger", id, &t)?;
            Ok(t)
        }
        ("DELETE", [id]) => {
            if !state.extras.delete(cloud, "trigger", id)? {
                return Err(not_found(id));
            }
            Ok(json!({"message": "ok"}))
        }
        ("POST", [id, "test"]) => {
            let t = state
                .extras
                .get(cloud, "trigger", id)?
                .ok_or_else(|| not_found(id))?;
            Ok(
                json!({"trigger_id": id, "event_type": t["event_type"], "matched": true,
                      "sample_data": params.json("sample_data").cloned().unwrap_or(Json::Null)}),
            )
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// The webhook payload fields of an Admin API event about `a` (the Admin API does not
/// know the previous values, so the change events carry the current ones).
fn admin_event_fields(event: &str, a: &Asset) -> Json {
    let mut r = crate::webhook::resource_ref(a);
    match event {
        "delete" => json!({"resources": [r]}),
        "resource_tags_changed" => {
            r["tags"] = json!(a.tags);
            json!({"source": "api", "resources": [r]})
        }
        "resource_context_changed" => {
            r["context"] = json!(a.context);
            json!({"source": "api", "resources": [r]})
        }
        "resource_metadata_changed" => {
            r["metadata"] = json!(a.metadata);
            json!({"source": "api", "resources": [r]})
        }
        "resource_display_name_changed" => {
            r["new_display_name"] = json!(a.display_name);
            json!({"source": "api", "resources": [r]})
        }
        _ => r,
    }
}

/// Sends `event` about `a` to the webhook targets ([`crate::state::State::notify`]) and
/// buffers a notification of it for every poll trigger of the event
/// (or of `all`), signed like a webhook with the account's secret and algorithm.
pub(crate) fn emit(
    state: &State,
    account: &Account,
    event: &str,
    a: &Asset,
    batch_id: Option<&str>,
) -> ApiResult<()> {
    let cloud = &account.cloud_name;
    state.notify(
        account,
        event,
        crate::webhook::event_payload(account, event, admin_event_fields(event, a)),
        None,
    );
    let triggers = state.extras.list(cloud, "trigger")?;
    for (_, t) in triggers {
        let uri = t["uri"].as_str().unwrap_or_default();
        let wants = t["event_type"] == json!(event) || t["event_type"] == json!("all");
        let Some(channel) = uri.strip_prefix("poll://").filter(|_| wants) else {
            continue;
        };
        let payload = json!({
            "notification_type": event, "timestamp": ids::iso8601(ids::now()),
            "asset_id": a.asset_id, "public_id": a.public_id, "resource_type": a.resource_type,
            "type": a.delivery_type, "version": a.version, "batch_id": batch_id,
        });
        let raw = payload.to_string();
        let now = ids::now();
        let ts = now.to_string();
        let signature = cldkit::verify::notification_signature(
            raw.as_bytes(),
            now,
            &account.api_secret,
            account.algorithm,
        );
        let handle = ids::hex32();
        let message = json!({
            "message_id": ids::hex32(), "receipt_handle": handle,
            "channel": if channel == "*" { Json::Null } else { json!(channel) },
            "batch_id": batch_id, "payload": payload,
            "signed_payload": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.as_bytes()),
            "signature": signature, "timestamp": ts, "invisible_until": 0,
        });
        state.extras.put(cloud, "notification", &handle, &message)?;
    }
    Ok(())
}

fn claim(state: &State, cloud: &str, params: &Params) -> ApiResult<Json> {
    let channel = params.nonempty("channel");
    let batch = params.nonempty("batch_id");
    if channel.is_some() == batch.is_some() {
        return Err(ApiError::bad_request(
            "Supply exactly one of channel or batch_id",
        ));
    }
    let max = params.int("max_messages").unwrap_or(10).clamp(1, 100) as usize;
    let visibility = params.int("visibility_timeout").unwrap_or(30).clamp(1, 600);
    let now = ids::now();
    let mut out = Vec::new();
    for (handle, mut m) in state.extras.list(cloud, "notification")? {
        if out.len() >= max {
            break;
        }
        let matches = match (&channel, &batch) {
            (Some(c), _) => m["channel"] == json!(c),
            (_, Some(b)) => m["batch_id"] == json!(b),
            _ => false,
        };
        if !matches || m["invisible_until"].as_i64().unwrap_or(0) > now {
            continue;
        }
        m["invisible_until"] = json!(now + visibility);
        state.extras.put(cloud, "notification", &handle, &m)?;
        out.push(json!({
            "message_id": m["message_id"], "receipt_handle": m["receipt_handle"],
            "payload": m["payload"], "signed_payload": m["signed_payload"],
            "signature": m["signature"], "timestamp": m["timestamp"],
        }));
    }
    if out.is_empty() {
        return Ok(json!({}));
    }
    Ok(json!({"messages": out}))
}

fn ack(state: &State, cloud: &str, params: &Params) -> ApiResult<Json> {
    let handles = params.ids("receipt_handles");
    if handles.is_empty() {
        return Err(missing("receipt_handles"));
    }
    if handles.len() > 100 {
        return Err(ApiError::bad_request(
            "At most 100 receipt handles per call",
        ));
    }
    let mut acknowledged = Vec::new();
    let mut failed = Vec::new();
    for h in handles {
        if state.extras.delete(cloud, "notification", &h)? {
            acknowledged.push(json!(h));
        } else {
            failed.push(json!(h));
        }
    }
    Ok(json!({"acknowledged": acknowledged, "failed": failed}))
}

fn analyze(input_type: &str, params: &Params) -> ApiResult<Json> {
    if input_type != "uri" {
        return Err(ApiError::bad_request(format!(
            "Unsupported input type {input_type}"
        )));
    }
    let analysis = params
        .nonempty("analysis_type")
        .ok_or_else(|| missing("analysis_type"))?;
    let uri = params.nonempty("uri").ok_or_else(|| missing("uri"))?;
    Ok(json!({"data": {"entity": uri, "analysis": {"analysis_type": analysis, "emulated": true}}}))
}
