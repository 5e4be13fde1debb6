//! The Admin API: ping, usage, config, resources (list, get, update, delete), tags,
//! folders, upload presets, structured metadata fields and search; the other endpoints
//! (mappings, streaming profiles, transformations, triggers, metadata rules and
//! datasources, related assets, restore, backups, publishing, notifications, analysis)
//! are in [`crate::admin_more`]. Assets deleted here are backed up for `restore`.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::Method;
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::{Account, FolderMode};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::listing::{encode_cursor, list_response, paginate, shape, with_fields};
use crate::params::Params;
use crate::resource::{asset_json, parse_pairs, Shape};
use crate::search;
use crate::state::State;
use crate::store::Asset;

const RESOURCE_TYPES: &[&str] = &["image", "video", "raw"];

fn not_found_resource(id: &str) -> ApiError {
    ApiError::not_found(format!("Resource not found - {id}"))
}

/// Handles one authenticated Admin API request (`rest` = segments after the cloud).
pub async fn handle(
    state: &Arc<State>,
    account: &Account,
    req: Request,
    rest: &[String],
) -> ApiResult<Json> {
    let method = req.method().clone();
    let visual_search = method == Method::POST && rest.len() == 2 && rest[1] == "visual_search";
    let params = if visual_search && is_multipart(&req) {
        // `visual_search` may carry its image as a file part.
        let (mut params, files) = crate::multipart::read_multipart_text(req).await?;
        if files > 0 {
            params.push_text("image_file", "file".into());
        }
        params
    } else {
        crate::state::read_params(req, 16 * 1024 * 1024).await?
    };
    let cloud = account.cloud_name.as_str();
    let store = &state.store;
    let r: Vec<&str> = rest.iter().map(String::as_str).collect();
    let m = method.as_str();
    if let Some(answer) = crate::admin_more::handle(state, account, m, &r, &params).await {
        return answer;
    }
    match (m, r.as_slice()) {
        ("GET", ["ping"]) => Ok(json!({"status": "ok"})),
        ("GET", ["usage"]) | ("GET", ["usage", _]) => usage(state, account),
        ("GET", ["config"]) => {
            let mut o = json!({"cloud_name": cloud, "created_at": ids::iso8601(0)});
            if params.flag("settings").unwrap_or(false) {
                o["settings"] = json!({"folder_mode": account.folder_mode.name()});
            }
            Ok(o)
        }
        ("GET", ["resources"]) => Ok(json!({"resource_types": RESOURCE_TYPES})),
        ("POST", ["resources", "search"]) => search_resources(state, account, &params),
        ("GET", ["resources", "search"]) => search_resources(state, account, &params),
        ("GET", ["resources", "by_asset_folder"]) => {
            let folder = params.text("asset_folder").unwrap_or_default();
            let assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.asset_folder == folder)
                .collect();
            list_response(account, assets, &params)
        }
        ("GET", ["resources", "by_asset_ids"]) => {
            let wanted = params.ids("asset_ids");
            let assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| wanted.contains(&a.asset_id))
                .collect();
            list_response(account, assets, &params)
        }
        ("DELETE", ["resources"]) => {
            let wanted = params.ids("asset_ids");
            let mut deleted = JsonMap::new();
            for id in wanted {
                let status = match store.get_by_asset_id(cloud, &id)? {
                    Some(a) if delete_one(state, account, &a, &params)? => "deleted",
                    _ => "not_found",
                };
                deleted.insert(id, json!(status));
            }
            Ok(json!({"deleted": deleted, "partial": false}))
        }
        ("GET", ["resources", id]) if !RESOURCE_TYPES.contains(id) && id.len() == 32 => {
            let a = store
                .get_by_asset_id(cloud, id)?
                .ok_or_else(|| not_found_resource(id))?;
            details_with(state, account, &a, &params)
        }
        ("GET", ["resources", rt]) => {
            let assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt)
                .collect();
            let assets = filter_prefix(assets, &params);
            list_response(account, assets, &params)
        }
        ("GET", ["resources", rt, "tags", tag]) => {
            let assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt && a.tags.iter().any(|t| t == tag))
                .collect();
            list_response(account, assets, &params)
        }
        ("DELETE", ["resources", rt, "tags", tag]) => {
            let targets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt && a.tags.iter().any(|t| t == tag))
                .collect();
            delete_many(state, account, targets, &params)
        }
        ("GET", ["resources", rt, "context"]) => {
            let key = params.text("key").unwrap_or_default();
            let value = params.nonempty("value");
            let assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| {
                    a.resource_type == *rt
                        && a.context
                            .get(&key)
                            .is_some_and(|v| value.as_deref().is_none_or(|w| v.as_str() == Some(w)))
                })
                .collect();
            list_response(account, assets, &params)
        }
        ("GET", ["resources", rt, ty]) => {
            let mut assets: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt && a.delivery_type == *ty)
                .collect();
            let wanted = params.ids("public_ids");
            if !wanted.is_empty() {
                assets.retain(|a| wanted.contains(&a.public_id));
                let sh = shape(&params);
                let resources: Vec<Json> = assets
                    .iter()
                    .map(|a| with_fields(asset_json(account, a, sh), &params))
                    .collect();
                return Ok(json!({"resources": resources}));
            }
            list_response(account, filter_prefix(assets, &params), &params)
        }
        ("DELETE", ["resources", rt, ty]) => {
            let all: Vec<Asset> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt && a.delivery_type == *ty)
                .collect();
            let wanted = params.ids("public_ids");
            if !wanted.is_empty() {
                let mut deleted = JsonMap::new();
                for id in &wanted {
                    let status = match all.iter().find(|a| &a.public_id == id) {
                        Some(a) if delete_one(state, account, a, &params)? => "deleted",
                        _ => "not_found",
                    };
                    deleted.insert(id.clone(), json!(status));
                }
                return Ok(json!({"deleted": deleted, "deleted_counts": {}, "partial": false}));
            }
            if let Some(prefix) = params.nonempty("prefix") {
                return delete_many(
                    state,
                    account,
                    all.into_iter()
                        .filter(|a| a.public_id.starts_with(&prefix))
                        .collect(),
                    &params,
                );
            }
            if params.flag("all").unwrap_or(false) {
                return delete_many(state, account, all, &params);
            }
            Err(ApiError::bad_request(
                "Missing required parameter - public_ids",
            ))
        }
        ("GET", ["resources", rt, ty, id @ ..]) if !id.is_empty() => {
            let pid = id.join("/");
            let a = store
                .get(cloud, rt, ty, &pid)?
                .ok_or_else(|| not_found_resource(&pid))?;
            details_with(state, account, &a, &params)
        }
        // `update_resources_access_mode_by_ids/_by_tag/_by_prefix` (so a public id
        // literally called `update_access_mode` cannot be updated through this path).
        ("POST", ["resources", rt, ty, "update_access_mode"]) => {
            update_access_mode(state, account, rt, ty, &params)
        }
        ("POST", ["resources", rt, ty, id @ ..]) if !id.is_empty() => {
            let pid = id.join("/");
            let mut a = store
                .get(cloud, rt, ty, &pid)?
                .ok_or_else(|| not_found_resource(&pid))?;
            if params.has("tags") {
                a.tags = params.list("tags");
            }
            if let Some(c) = params.json("context") {
                a.context = match c {
                    Json::Object(m) => m.clone(),
                    other => parse_pairs(other.as_str().unwrap_or_default()),
                };
            }
            if let Some(md) = params.json("metadata") {
                let md = match md {
                    Json::Object(m) => m.clone(),
                    other => parse_pairs(other.as_str().unwrap_or_default()),
                };
                for (k, v) in md {
                    a.metadata.insert(k, v);
                }
            }
            if let Some(f) = params.text("asset_folder") {
                a.asset_folder = f.trim_matches('/').to_owned();
            }
            if let Some(d) = params.nonempty("display_name") {
                a.display_name = d;
            }
            store.update_attrs(&a)?;
            if let Some(status) = params.nonempty("moderation_status") {
                crate::admin_more::set_moderation(state, &a, &status)?;
                let mut fields = crate::webhook::resource_ref(&a);
                fields["moderation_status"] = json!(status);
                fields["moderation_kind"] = json!("manual");
                state.notify(
                    account,
                    "moderation",
                    crate::webhook::event_payload(account, "moderation", fields),
                    params.nonempty("notification_url"),
                );
            }
            let batch = params.nonempty("batch_id");
            for (key, event) in [
                ("tags", "resource_tags_changed"),
                ("context", "resource_context_changed"),
                ("metadata", "resource_metadata_changed"),
                ("display_name", "resource_display_name_changed"),
            ] {
                if params.has(key) {
                    crate::admin_more::emit(state, account, event, &a, batch.as_deref())?;
                }
            }
            details_with(state, account, &a, &params)
        }
        ("GET", ["tags", rt]) => {
            let prefix = params.text("prefix").unwrap_or_default();
            let mut tags: Vec<String> = store
                .all(cloud)?
                .into_iter()
                .filter(|a| a.resource_type == *rt)
                .flat_map(|a| a.tags)
                .filter(|t| t.starts_with(&prefix))
                .collect();
            tags.sort();
            tags.dedup();
            let (page, next) = paginate(tags, &params, 10, 500)?;
            let mut o = json!({"tags": page});
            if let Some(n) = next {
                o["next_cursor"] = json!(n);
            }
            Ok(o)
        }
        // `search_folders` (Node escapes the whole path: `folders%2Fsearch`); not a
        // folder called "search".
        ("POST", ["folders", "search"]) => search_folders(state, account, &params),
        (_, ["folders", path @ ..]) => folders(state, account, &method, &path.join("/"), &params),
        ("GET", ["upload_presets"]) => {
            let presets: Vec<Json> = store
                .presets(cloud)?
                .into_iter()
                .map(|(name, unsigned, settings)| json!({"name": name, "unsigned": unsigned, "settings": settings}))
                .collect();
            let (page, next) = paginate(presets, &params, 10, 500)?;
            let mut o = json!({"presets": page});
            if let Some(n) = next {
                o["next_cursor"] = json!(n);
            }
            Ok(o)
        }
        ("POST", ["upload_presets"]) => {
            let name = params.nonempty("name").unwrap_or_else(|| ids::alnum(8));
            let (unsigned, settings) = preset_settings(&params);
            store.put_preset(cloud, &name, unsigned, &settings)?;
            Ok(json!({"message": "created", "name": name}))
        }
        ("GET", ["upload_presets", name]) => {
            let (unsigned, settings) = store
                .preset(cloud, name)?
                .ok_or_else(|| ApiError::not_found(format!("Upload preset {name} not found")))?;
            Ok(json!({"name": name, "unsigned": unsigned, "settings": settings}))
        }
        ("PUT", ["upload_presets", name]) => {
            let (old_unsigned, mut old) = store
                .preset(cloud, name)?
                .ok_or_else(|| ApiError::not_found(format!("Upload preset {name} not found")))?;
            let (unsigned, settings) = preset_settings(&params);
            for (k, v) in settings {
                old.insert(k, v);
            }
            let unsigned = if params.has("unsigned") {
                unsigned
            } else {
                old_unsigned
            };
            store.put_preset(cloud, name, unsigned, &old)?;
            Ok(json!({"message": "updated"}))
        }
        ("DELETE", ["upload_presets", name]) => {
            if !store.delete_preset(cloud, name)? {
                return Err(ApiError::not_found(format!(
                    "Upload preset {name} not found"
                )));
            }
            Ok(json!({"message": "deleted"}))
        }
        ("GET", ["metadata_fields"]) => Ok(json!({"metadata_fields":
            crate::admin_more::ordered_fields(state, cloud, store.metadata_fields(cloud)?)?})),
        ("POST", ["metadata_fields"]) => {
            let mut field = JsonMap::new();
            for (k, v) in params.entries() {
                field.insert(k.clone(), v.clone());
            }
            let label = field
                .get("label")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            let id = field
                .get("external_id")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(ids::hex32);
            if label.is_empty() {
                return Err(ApiError::bad_request("Missing required parameter - label"));
            }
            if store
                .metadata_fields(cloud)?
                .iter()
                .any(|f| f["external_id"] == json!(id))
            {
                return Err(ApiError::conflict(format!(
                    "External id {id} already exists"
                )));
            }
            field.insert("external_id".into(), json!(id));
            let field = Json::Object(field);
            store.put_metadata_field(cloud, &id, &field)?;
            Ok(field)
        }
        ("GET", ["metadata_fields", id]) => store
            .metadata_fields(cloud)?
            .into_iter()
            .find(|f| f["external_id"] == json!(id))
            .ok_or_else(|| ApiError::not_found(format!("Metadata field {id} not found"))),
        ("PUT", ["metadata_fields", id]) => {
            let mut field = store
                .metadata_fields(cloud)?
                .into_iter()
                .find(|f| f["external_id"] == json!(id))
                .ok_or_else(|| ApiError::not_found(format!("Metadata field {id} not found")))?;
            for (k, v) in params.entries() {
                if k != "external_id" {
                    field[k.as_str()] = v.clone();
                }
            }
            store.put_metadata_field(cloud, id, &field)?;
            Ok(field)
        }
        ("DELETE", ["metadata_fields", id]) => {
            if !store.delete_metadata_field(cloud, id)? {
                return Err(ApiError::not_found(format!(
                    "Metadata field {id} not found"
                )));
            }
            Ok(json!({"message": "ok"}))
        }
        _ => Err(ApiError::not_found(format!(
            "Not found - {m} /v1_1/{cloud}/{}",
            rest.join("/")
        ))),
    }
}

fn filter_prefix(assets: Vec<Asset>, params: &Params) -> Vec<Asset> {
    match params.nonempty("prefix") {
        Some(p) => assets
            .into_iter()
            .filter(|a| a.public_id.starts_with(&p))
            .collect(),
        None => assets,
    }
}

/// The details of `resource` / `resource_by_asset_id`, with `versions` and
/// `related_assets` when asked for.
fn details_with(state: &State, account: &Account, a: &Asset, params: &Params) -> ApiResult<Json> {
    let mut v = details(account, a);
    v["derived"] = crate::eager::derived_listing(state, account, a)?;
    if params.flag("versions").unwrap_or(false) {
        v["versions"] = crate::admin_more::versions(state, a)?;
    }
    if params.flag("related").unwrap_or(false) {
        v["related_assets"] = crate::admin_more::related_assets(state, a)?;
    }
    Ok(v)
}

/// Whether a request's body is multipart.
fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/"))
}

fn details(account: &Account, a: &Asset) -> Json {
    let mut v = asset_json(
        account,
        a,
        Shape {
            upload: false,
            tags: true,
            context: true,
            metadata: true,
        },
    );
    v["derived"] = json!([]);
    v["next_cursor"] = Json::Null;
    if let Json::Object(m) = &mut v {
        m.remove("next_cursor");
    }
    v
}

/// `POST /resources/{rt}/{type}/update_access_mode`: sets `access_mode` (`public` or
/// `authenticated`) on the assets named by `public_ids`, `tag` or `prefix` (the first
/// one given). Answers `{"updated": [{"public_id", "access_mode"}], "failed": [...]}`;
/// requested public ids that do not exist are listed in `failed`.
fn update_access_mode(
    state: &State,
    account: &Account,
    rt: &str,
    ty: &str,
    params: &Params,
) -> ApiResult<Json> {
    let mode = params
        .nonempty("access_mode")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter - access_mode"))?;
    let mode = crate::resource::access_mode(&mode)?;
    let all: Vec<Asset> = state
        .store
        .all(&account.cloud_name)?
        .into_iter()
        .filter(|a| a.resource_type == rt && a.delivery_type == ty)
        .collect();
    let wanted = params.ids("public_ids");
    let mut failed = Vec::new();
    let targets: Vec<Asset> = if !wanted.is_empty() {
        let mut found = Vec::new();
        for id in &wanted {
            match all.iter().find(|a| &a.public_id == id) {
                Some(a) => found.push(a.clone()),
                None => failed.push(json!({"public_id": id, "message": "Resource not found"})),
            }
        }
        found
    } else if let Some(tag) = params.nonempty("tag") {
        all.into_iter().filter(|a| a.tags.contains(&tag)).collect()
    } else if let Some(prefix) = params.nonempty("prefix") {
        all.into_iter()
            .filter(|a| a.public_id.starts_with(&prefix))
            .collect()
    } else {
        return Err(ApiError::bad_request(
            "Missing required parameter - public_ids, tag or prefix",
        ));
    };
    let mut updated = Vec::new();
    for mut a in targets {
        a.access_mode = mode.clone();
        state.store.update_attrs(&a)?;
        updated.push(json!({"public_id": a.public_id, "access_mode": mode}));
    }
    Ok(json!({"updated": updated, "failed": failed}))
}

/// Deletes one asset through the Admin API: backed up first (for `restore`), a
/// `delete` notification for poll triggers. With `keep_original` (the derived-only
/// deletions) the original stays. Whether it was there.
fn delete_one(state: &State, account: &Account, a: &Asset, params: &Params) -> ApiResult<bool> {
    if params.flag("keep_original").unwrap_or(false) {
        return Ok(true);
    }
    crate::admin_more::back_up(state, a)?;
    let gone = state.store.delete(a)?;
    if gone {
        let batch = params.nonempty("batch_id");
        crate::admin_more::emit(state, account, "delete", a, batch.as_deref())?;
    }
    Ok(gone)
}

fn delete_many(
    state: &State,
    account: &Account,
    targets: Vec<Asset>,
    params: &Params,
) -> ApiResult<Json> {
    let mut deleted = JsonMap::new();
    for a in targets.iter().take(1000) {
        delete_one(state, account, a, params)?;
        deleted.insert(a.public_id.clone(), json!("deleted"));
    }
    let mut o = json!({"deleted": deleted, "deleted_counts": {}, "partial": targets.len() > 1000});
    if targets.len() > 1000 {
        o["next_cursor"] = json!(encode_cursor(1000));
    }
    Ok(o)
}

fn preset_settings(params: &Params) -> (bool, JsonMap<String, Json>) {
    let mut settings = JsonMap::new();
    let mut unsigned = false;
    for (k, v) in params.entries() {
        match k.as_str() {
            "name" | "timestamp" | "signature" | "api_key" | "live" | "disallow_public_id" => {}
            "unsigned" => unsigned = params.flag("unsigned").unwrap_or(false),
            _ => {
                settings.insert(k.clone(), v.clone());
            }
        }
    }
    (unsigned, settings)
}

fn usage(state: &State, account: &Account) -> ApiResult<Json> {
    let assets = state.store.all(&account.cloud_name)?;
    let storage: u64 = assets.iter().map(|a| a.bytes).sum();
    let now = ids::now();
    Ok(json!({
        "plan": "Emulator",
        "last_updated": ids::iso8601(now)[..10],
        "date_requested": ids::iso8601(now),
        "transformations": {"usage": 0, "credits_usage": 0.0},
        "objects": {"usage": assets.len()},
        "bandwidth": {"usage": 0, "credits_usage": 0.0},
        "storage": {"usage": storage, "credits_usage": 0.0},
        "impressions": {"usage": 0, "credits_usage": 0.0},
        "seconds_delivered": {"usage": 0, "credits_usage": 0.0},
        "credits": {"usage": 0.0, "limit": 25.0, "used_percent": 0.0},
        "resources": assets.len(),
        "derived_resources": 0,
        "requests": 0,
        "rate_limit_allowed": state.hourly_budget,
        "media_limits": {
            "image_max_size_bytes": 10485760, "video_max_size_bytes": 104857600,
            "raw_max_size_bytes": 10485760, "image_max_px": 25000000, "asset_max_total_px": 50000000
        }
    }))
}

fn folder_of(account: &Account, a: &Asset) -> String {
    match account.folder_mode {
        FolderMode::Dynamic => a.asset_folder.clone(),
        FolderMode::Fixed => a
            .public_id
            .rsplit_once('/')
            .map(|(f, _)| f.to_owned())
            .unwrap_or_default(),
    }
}

fn all_folders(state: &State, account: &Account) -> ApiResult<Vec<String>> {
    let mut set: std::collections::BTreeSet<String> = state
        .store
        .folders(&account.cloud_name)?
        .into_iter()
        .collect();
    for a in state.store.all(&account.cloud_name)? {
        let f = folder_of(account, &a);
        let mut path = String::new();
        for part in f.split('/').filter(|p| !p.is_empty()) {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            set.insert(path.clone());
        }
    }
    Ok(set.into_iter().collect())
}

fn folder_entry(path: &str) -> Json {
    let name = path.rsplit('/').next().unwrap_or(path);
    json!({"name": name, "path": path, "external_id": format!("{:x}", md5_16(path))})
}

fn md5_16(s: &str) -> u128 {
    use md5::{Digest, Md5};
    u128::from_be_bytes(Md5::digest(s.as_bytes()).into())
}

fn folders(
    state: &State,
    account: &Account,
    method: &Method,
    path: &str,
    params: &Params,
) -> ApiResult<Json> {
    let cloud = &account.cloud_name;
    let path = path.trim_matches('/');
    match method.as_str() {
        "GET" => {
            let all = all_folders(state, account)?;
            if !path.is_empty() && !all.iter().any(|f| f == path) {
                return Err(ApiError::not_found(format!(
                    "Can't find folder with path {path}"
                )));
            }
            let children: Vec<Json> = all
                .iter()
                .filter(|f| match path {
                    "" => !f.contains('/'),
                    p => f
                        .strip_prefix(p)
                        .and_then(|r| r.strip_prefix('/'))
                        .is_some_and(|r| !r.contains('/')),
                })
                .map(|f| folder_entry(f))
                .collect();
            let total = children.len();
            let (page, next) = paginate(children, params, 500, 500)?;
            Ok(json!({"folders": page, "next_cursor": next, "total_count": total}))
        }
        "POST" => {
            if path.is_empty() {
                return Err(ApiError::bad_request("Missing required parameter - folder"));
            }
            let mut p = String::new();
            for part in path.split('/') {
                if !p.is_empty() {
                    p.push('/');
                }
                p.push_str(part);
                state.store.add_folder(cloud, &p)?;
            }
            let name = path.rsplit('/').next().unwrap_or(path);
            Ok(json!({"success": true, "path": path, "name": name}))
        }
        "PUT" => {
            let to = params
                .nonempty("to_folder")
                .ok_or_else(|| ApiError::bad_request("Missing required parameter - to_folder"))?;
            let to = to.trim_matches('/').to_owned();
            let all = all_folders(state, account)?;
            if !all.iter().any(|f| f == path) {
                return Err(ApiError::not_found(format!(
                    "Can't find folder with path {path}"
                )));
            }
            if account.folder_mode == FolderMode::Fixed {
                return Err(ApiError::bad_request(
                    "Renaming folders is not supported in fixed folder mode",
                ));
            }
            let moved = |f: &str| -> Option<String> {
                if f == path {
                    Some(to.clone())
                } else {
                    f.strip_prefix(path)
                        .and_then(|r| r.strip_prefix('/'))
                        .map(|r| format!("{to}/{r}"))
                }
            };
            for f in state.store.folders(cloud)? {
                if let Some(n) = moved(&f) {
                    state.store.remove_folder(cloud, &f)?;
                    state.store.add_folder(cloud, &n)?;
                }
            }
            for mut a in state.store.all(cloud)? {
                if let Some(n) = moved(&a.asset_folder) {
                    a.asset_folder = n;
                    state.store.update_attrs(&a)?;
                }
            }
            let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
            Ok(
                json!({"from": {"name": name(path), "path": path}, "to": {"name": name(&to), "path": to}}),
            )
        }
        "DELETE" => {
            let all = all_folders(state, account)?;
            if !all.iter().any(|f| f == path) {
                return Err(ApiError::not_found(format!(
                    "Can't find folder with path {path}"
                )));
            }
            let inside = |f: &str| f == path || f.starts_with(&format!("{path}/"));
            if state
                .store
                .all(cloud)?
                .iter()
                .any(|a| inside(&folder_of(account, a)))
            {
                return Err(ApiError::bad_request("Folder is not empty"));
            }
            let mut deleted = Vec::new();
            for f in all.iter().filter(|f| inside(f)) {
                state.store.remove_folder(cloud, f)?;
                deleted.push(f.clone());
            }
            Ok(json!({"deleted": deleted}))
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// `POST /folders/search`: `expression` over folder `name`/`path`, `sort_by`
/// (`name`, `path`), `max_results`, `next_cursor`.
fn search_folders(state: &State, account: &Account, params: &Params) -> ApiResult<Json> {
    let started = std::time::Instant::now();
    let expression = params.text("expression").unwrap_or_default();
    let expr = search::parse(&expression).map_err(ApiError::bad_request)?;
    let mut hits: Vec<Json> = all_folders(state, account)?
        .iter()
        .map(|f| folder_entry(f))
        .filter(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            search::matches_folder(&expr, &s("name"), &s("path"), &s("external_id"))
        })
        .collect();
    hits.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    for (field, desc) in sort_keys(params).iter().rev() {
        if field == "name" || field == "path" {
            hits.sort_by(|a, b| {
                directed(
                    a[field.as_str()].as_str().cmp(&b[field.as_str()].as_str()),
                    *desc,
                )
            });
        }
    }
    let total = hits.len();
    let (page, next) = paginate(hits, params, 50, 500)?;
    let mut o = json!({
        "total_count": total,
        "time": started.elapsed().as_millis() as u64,
        "folders": page,
    });
    if let Some(n) = next {
        o["next_cursor"] = json!(n);
    }
    Ok(o)
}

/// `ord`, reversed for a descending sort.
fn directed(ord: std::cmp::Ordering, descending: bool) -> std::cmp::Ordering {
    if descending {
        ord.reverse()
    } else {
        ord
    }
}

/// The `sort_by` of a search: `[{"field": "asc"|"desc"}, ...]` (or one object), as
/// `(field, descending)` pairs in order; anything but `asc` sorts descending.
fn sort_keys(params: &Params) -> Vec<(String, bool)> {
    let pair = |(k, v): (&String, &Json)| (k.clone(), v.as_str() != Some("asc"));
    match params.json("sort_by") {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_object())
            .filter_map(|o| o.iter().next().map(pair))
            .collect(),
        Some(Json::Object(o)) => o.iter().map(pair).collect(),
        _ => Vec::new(),
    }
}

fn search_resources(state: &State, account: &Account, params: &Params) -> ApiResult<Json> {
    let started = std::time::Instant::now();
    let expression = params.text("expression").unwrap_or_default();
    let expr = search::parse(&expression).map_err(ApiError::bad_request)?;
    let mut hits: Vec<Asset> = state
        .store
        .all(&account.cloud_name)?
        .into_iter()
        .filter(|a| search::matches(&expr, a))
        .collect();
    // Default order: newest first; then each sort_by key in turn (stable sorts, last key first).
    hits.reverse();
    let sorts = sort_keys(params);
    for (field, desc) in sorts.iter().rev() {
        hits.sort_by(|a, b| {
            let ord = match field.as_str() {
                "public_id" => a.public_id.cmp(&b.public_id),
                "created_at" | "uploaded_at" => a.seq.cmp(&b.seq),
                "bytes" => a.bytes.cmp(&b.bytes),
                "width" => a.width.cmp(&b.width),
                "height" => a.height.cmp(&b.height),
                "display_name" => a.display_name.cmp(&b.display_name),
                "format" => a.format.cmp(&b.format),
                _ => std::cmp::Ordering::Equal,
            };
            directed(ord, *desc)
        });
    }
    let total = hits.len();
    let (page, next) = paginate(hits, params, 50, 500)?;
    let with: Vec<String> = params.list("with_field");
    let sh = Shape {
        upload: false,
        tags: with.iter().any(|w| w == "tags"),
        context: with.iter().any(|w| w == "context"),
        metadata: with.iter().any(|w| w == "metadata"),
    };
    let resources: Vec<Json> = page
        .iter()
        .map(|a| {
            let mut v = asset_json(account, a, sh);
            if !sh.tags {
                if let Json::Object(m) = &mut v {
                    m.remove("tags");
                }
            }
            with_fields(v, params)
        })
        .collect();
    let mut o = json!({"total_count": total, "time": started.elapsed().as_millis() as u64, "resources": resources});
    if let Some(n) = next {
        o["next_cursor"] = json!(n);
    }
    Ok(o)
}
