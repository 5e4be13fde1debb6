//! The Upload API calls on stored assets (`explicit`, `destroy`, `rename`, `tags`,
//! `context`, `metadata`) and `text`, which stores a generated image like an upload.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use super::store::{add_video_fields, create_asset};
use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::multipart::temp_from_bytes;
use crate::params::Params;
use crate::resource::{asset_json, parse_pairs, Shape};
use crate::state::State;
use crate::store::Asset;

/// `text`: an image of the `text` parameter, stored like an upload (delivery type
/// `text` unless `type` says otherwise) and answered like one. The image is a PNG of
/// boxes, one per character (see [`crate::render::text_image`]): its size follows the
/// text and `font_size`, `font_color`/`background`/`opacity`/`text_align`/`font_weight`
/// are honoured approximately, the other font options are accepted and ignored.
pub(super) async fn text(
    state: &Arc<State>,
    account: &Account,
    mut params: Params,
) -> ApiResult<Json> {
    let content = require(&params, "text")?;
    let mut style = crate::render::TextStyle::default();
    if let Some(v) = params.nonempty("font_size") {
        style.font_size = v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter font_size"))
            })?;
    }
    let color = |name: &str| -> ApiResult<Option<image::Rgba<u8>>> {
        match params.nonempty(name) {
            None => Ok(None),
            Some(v) => crate::render::parse_color(&v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter {name}"))
            }),
        }
    };
    if let Some(c) = color("font_color")? {
        style.color = c;
    }
    if let Some(c) = color("background")? {
        style.background = c;
    }
    if let Some(v) = params.nonempty("opacity") {
        let o = v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|o| *o <= 100)
            .ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter opacity"))
            })?;
        style.color.0[3] = (u32::from(style.color.0[3]) * o / 100) as u8;
    }
    style.bold = params.nonempty("font_weight").as_deref() == Some("bold");
    if let Some(a) = params.nonempty("text_align") {
        style.align = a;
    }
    let (png, _, _) =
        tokio::task::spawn_blocking(move || crate::render::text_image(&content, &style))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
            .map_err(ApiError::bad_request)?;
    let received = temp_from_bytes(&state.store, &png, None)?;
    if !params.has("type") {
        params.push_text("type", "text".into());
    }
    // Only the parameters of the `text` method; the rest of the upload set does not
    // apply (`eager`, `tags`, ... are not sent by the SDKs' `text`).
    for name in [
        "eager",
        "folder",
        "public_id_prefix",
        "asset_folder",
        "async",
    ] {
        params.remove(name);
    }
    create_asset(state, account, "image", &params, received, false).await
}

fn resolve_rt(rt: &str) -> &str {
    if rt == "auto" {
        "image"
    } else {
        rt
    }
}

fn require(params: &Params, name: &str) -> ApiResult<String> {
    params
        .nonempty(name)
        .ok_or_else(|| ApiError::bad_request(format!("Missing required parameter - {name}")))
}

fn find(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
    public_id: &str,
) -> ApiResult<Option<Asset>> {
    let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
    state
        .store
        .get(&account.cloud_name, resolve_rt(rt), &ty, public_id)
}

pub(super) async fn explicit(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let public_id = require(params, "public_id")?;
    let mut asset = find(state, account, rt, params, &public_id)?
        .ok_or_else(|| ApiError::not_found(format!("Resource not found - {public_id}")))?;
    if let Some(e) = params.nonempty("eager") {
        crate::eager::parse(&e)?;
    }
    if let Some(r) = params.nonempty("responsive_breakpoints") {
        crate::breakpoints::parse(&r)?;
    }
    if params.has("tags") {
        asset.tags = params.list("tags");
    }
    if let Some(c) = params.nonempty("context") {
        asset.context = parse_pairs(&c);
    }
    if let Some(m) = params.nonempty("metadata") {
        asset.metadata = parse_pairs(&m);
    }
    if let Some(d) = params.nonempty("display_name") {
        asset.display_name = d;
    }
    state.store.update_attrs(&asset)?;
    let mut body = asset_json(
        account,
        &asset,
        Shape {
            upload: true,
            ..Shape::default()
        },
    );
    add_video_fields(state, account, &asset, &mut body);
    if let Some(eager) = crate::eager::apply(state, account, &asset, params).await? {
        body["eager"] = eager;
    }
    if let Some(rb) = crate::breakpoints::apply(state, account, &asset, params).await? {
        body["responsive_breakpoints"] = rb;
    }
    Ok(body)
}

pub(super) fn destroy(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let public_id = require(params, "public_id")?;
    let result = match find(state, account, rt, params, &public_id)? {
        Some(a) if state.store.delete(&a)? => {
            let fields = json!({"resources": [crate::webhook::resource_ref(&a)]});
            state.notify(
                account,
                "delete",
                crate::webhook::event_payload(account, "delete", fields),
                params.nonempty("notification_url"),
            );
            "ok"
        }
        _ => "not found",
    };
    Ok(json!({"result": result}))
}

pub(super) fn rename(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let from = require(params, "from_public_id")?;
    let to = require(params, "to_public_id")?;
    let asset = find(state, account, rt, params, &from)?
        .ok_or_else(|| ApiError::not_found(format!("Resource not found - {from}")))?;
    let to_type = params
        .nonempty("to_type")
        .unwrap_or_else(|| asset.delivery_type.clone());
    if let Some(other) =
        state
            .store
            .get(&account.cloud_name, &asset.resource_type, &to_type, &to)?
    {
        if other.asset_id != asset.asset_id && !params.flag("overwrite").unwrap_or(false) {
            return Err(ApiError::bad_request(format!(
                "to_public_id ({to}) already exists"
            )));
        }
    }
    let now = ids::now();
    let version = if asset.version >= now {
        asset.version + 1
    } else {
        now
    };
    if let Some(old_blob) = state.store.rename(&asset, &to_type, &to, version)? {
        state.store.drop_blob(&old_blob);
    }
    let renamed = state
        .store
        .get_by_asset_id(&account.cloud_name, &asset.asset_id)?
        .ok_or_else(|| ApiError::internal("renamed asset vanished"))?;
    let mut fields = crate::webhook::resource_ref(&renamed);
    fields["from_public_id"] = json!(from);
    fields["to_public_id"] = json!(to);
    fields["from_type"] = json!(asset.delivery_type);
    fields["to_type"] = json!(to_type);
    state.notify(
        account,
        "rename",
        crate::webhook::event_payload(account, "rename", fields),
        params.nonempty("notification_url"),
    );
    Ok(asset_json(
        account,
        &renamed,
        Shape {
            upload: true,
            ..Shape::default()
        },
    ))
}

/// An asset before and after an Upload API change.
type Change = (Asset, Asset);

fn each_target(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
    mut f: impl FnMut(&mut Asset),
) -> ApiResult<(Vec<String>, Vec<Change>)> {
    let ids_ = params.ids("public_ids");
    if ids_.is_empty() {
        return Err(ApiError::bad_request(
            "Missing required parameter - public_ids",
        ));
    }
    let mut done = Vec::new();
    let mut changes = Vec::new();
    for id in ids_ {
        if let Some(mut a) = find(state, account, rt, params, &id)? {
            let before = a.clone();
            f(&mut a);
            state.store.update_attrs(&a)?;
            done.push(id);
            changes.push((before, a));
        }
    }
    Ok((done, changes))
}

/// Sends `event_type` about the changed resources (`diff` gives each one's change
/// fields, `None` when it did not change); nothing when none changed.
fn notify_changes(
    state: &State,
    account: &Account,
    params: &Params,
    event_type: &str,
    changes: &[Change],
    diff: impl Fn(&Asset, &Asset) -> Option<Json>,
) {
    let resources: Vec<Json> = changes
        .iter()
        .filter_map(|(before, after)| {
            let d = diff(before, after)?;
            let mut r = crate::webhook::resource_ref(after);
            if let (Json::Object(r), Json::Object(d)) = (&mut r, d) {
                r.extend(d);
            }
            Some(r)
        })
        .collect();
    if resources.is_empty() {
        return;
    }
    let fields = json!({"source": "api", "resources": resources});
    state.notify(
        account,
        event_type,
        crate::webhook::event_payload(account, event_type, fields),
        params.nonempty("notification_url"),
    );
}

/// `{added, removed}` tag lists between two versions of an asset.
fn tag_diff(before: &Asset, after: &Asset) -> Option<Json> {
    let added: Vec<&String> = after
        .tags
        .iter()
        .filter(|t| !before.tags.contains(t))
        .collect();
    let removed: Vec<&String> = before
        .tags
        .iter()
        .filter(|t| !after.tags.contains(t))
        .collect();
    if added.is_empty() && removed.is_empty() {
        return None;
    }
    Some(json!({"added": added, "removed": removed}))
}

pub(super) fn tags(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let command = require(params, "command")?;
    let tag_list = params.list("tag");
    if command != "remove_all" && tag_list.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter - tag"));
    }
    if command == "set_exclusive" {
        let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
        for mut a in state.store.all(&account.cloud_name)? {
            if a.resource_type == resolve_rt(rt)
                && a.delivery_type == ty
                && a.tags.iter().any(|t| tag_list.contains(t))
            {
                a.tags.retain(|t| !tag_list.contains(t));
                state.store.update_attrs(&a)?;
            }
        }
    }
    let (done, changes) = each_target(state, account, rt, params, |a| match command.as_str() {
        "add" | "set_exclusive" => {
            for t in &tag_list {
                if !a.tags.contains(t) {
                    a.tags.push(t.clone());
                }
            }
        }
        "remove" => a.tags.retain(|t| !tag_list.contains(t)),
        "replace" => a.tags = tag_list.clone(),
        "remove_all" => a.tags.clear(),
        _ => {}
    })?;
    if !matches!(
        command.as_str(),
        "add" | "set_exclusive" | "remove" | "replace" | "remove_all"
    ) {
        return Err(ApiError::bad_request(format!("Invalid command {command}")));
    }
    notify_changes(
        state,
        account,
        params,
        "resource_tags_changed",
        &changes,
        tag_diff,
    );
    Ok(json!({"public_ids": done}))
}

pub(super) fn context(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let command = require(params, "command")?;
    let ctx = params
        .nonempty("context")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    if !matches!(command.as_str(), "add" | "remove_all") {
        return Err(ApiError::bad_request(format!("Invalid command {command}")));
    }
    let (done, changes) = each_target(state, account, rt, params, |a| {
        if command == "add" {
            for (k, v) in &ctx {
                a.context.insert(k.clone(), v.clone());
            }
        } else {
            a.context.clear();
        }
    })?;
    notify_changes(
        state,
        account,
        params,
        "resource_context_changed",
        &changes,
        |b, a| crate::webhook::map_diff(&b.context, &a.context),
    );
    Ok(json!({"public_ids": done}))
}

pub(super) fn metadata(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let md = parse_pairs(&require(params, "metadata")?);
    let (done, changes) = each_target(state, account, rt, params, |a| {
        for (k, v) in &md {
            if v.as_str() == Some("") {
                a.metadata.remove(k);
            } else {
                a.metadata.insert(k.clone(), v.clone());
            }
        }
    })?;
    notify_changes(
        state,
        account,
        params,
        "resource_metadata_changed",
        &changes,
        |b, a| crate::webhook::map_diff(&b.metadata, &a.metadata),
    );
    Ok(json!({"public_ids": done}))
}
