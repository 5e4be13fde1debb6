//! Storing an uploaded file as an asset: what the file is, its public id and folders,
//! its new version, the blob and metadata written (bytes first, see [`crate::store`]),
//! then the upload answer with its eager renderings, breakpoints and notification.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use crate::account::{Account, FolderMode};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::multipart::Received;
use crate::params::Params;
use crate::resource::{asset_json, parse_pairs, Shape};
use crate::state::State;
use crate::store::Asset;

/// Adds what a video's upload answer carries (`pages`, `playback_url`, `audio`, `video`,
/// `duration`, `frame_rate`, … — see [`crate::resource::add_video_fields`]) to `body`,
/// reading the stored file's header.
pub(super) fn add_video_fields(state: &State, account: &Account, asset: &Asset, body: &mut Json) {
    if asset.resource_type != "video" {
        return;
    }
    let info = crate::video::probe(&state.store.blob_path(&asset.blob)).ok();
    crate::resource::add_video_fields(account, asset, info.as_ref(), body);
}

const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "mov", "webm", "avi", "mkv", "m4v", "ogv", "mp3", "wav", "ogg", "flv", "3gp",
];

/// The file name's stem and extension (the basename only: absolute paths are cut).
fn split_filename(name: &str) -> (String, String) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), ext.to_ascii_lowercase()),
        _ => (base.to_owned(), String::new()),
    }
}

fn clean_folder(f: &str) -> String {
    f.trim_matches('/').to_owned()
}

/// Creates (or finds, with `overwrite=false`) the asset for a received file.
pub(super) async fn create_asset(
    state: &Arc<State>,
    account: &Account,
    rt_path: &str,
    params: &Params,
    received: Received,
    unsigned: bool,
) -> ApiResult<Json> {
    // A bad `eager` or `responsive_breakpoints` is refused before anything is stored.
    let checked = match params.nonempty("eager").map(|e| crate::eager::parse(&e)) {
        Some(Err(e)) => Err(e),
        _ => params
            .nonempty("responsive_breakpoints")
            .map(|r| crate::breakpoints::parse(&r))
            .transpose()
            .map(|_| ()),
    };
    let outcome =
        checked.and_then(|()| store_asset(state, account, rt_path, params, &received, unsigned));
    if received.path.exists() {
        let _ = std::fs::remove_file(&received.path);
    }
    let (asset, existing) = outcome?;
    let mut body = asset_json(
        account,
        &asset,
        Shape {
            upload: true,
            ..Shape::default()
        },
    );
    if existing {
        body["existing"] = json!(true);
    }
    add_video_fields(state, account, &asset, &mut body);
    if let Some(eager) = crate::eager::apply(state, account, &asset, params).await? {
        body["eager"] = eager;
    }
    if let Some(rb) = crate::breakpoints::apply(state, account, &asset, params).await? {
        body["responsive_breakpoints"] = rb;
    }
    let is_async = params.flag("async").unwrap_or(false);
    state.notify(
        account,
        "upload",
        crate::webhook::event_payload(account, "upload", body.clone()),
        params.nonempty("notification_url"),
    );
    if is_async {
        return Ok(json!({
            "status": "pending", "type": asset.delivery_type, "batch_id": ids::hex32(),
            "public_id": asset.public_id, "resource_type": asset.resource_type
        }));
    }
    Ok(body)
}

/// What a received file is: its resource type and, for images and videos, its format
/// and dimensions.
struct Kind {
    resource_type: String,
    format: String,
    width: Option<u32>,
    height: Option<u32>,
}

/// Probes the received file (an image, else with `auto`/`video` a video) and settles
/// its resource type: `auto` by what the file is or, failing that, its extension; an
/// `image` upload that is no image is refused.
fn classify(
    rt_path: &str,
    received: &Received,
    filename: Option<&str>,
    ext: &str,
) -> ApiResult<Kind> {
    let image = crate::render::probe_image(&received.path);
    let video = if image.is_none() && matches!(rt_path, "auto" | "video") {
        crate::video::probe(&received.path).ok()
    } else {
        None
    };
    let resource_type = match rt_path {
        "auto" => {
            if image.is_some() {
                "image"
            } else if video.is_some() || VIDEO_EXTENSIONS.contains(&ext) {
                "video"
            } else {
                "raw"
            }
        }
        "image" if image.is_none() => {
            return Err(ApiError::bad_request(match filename {
                Some(f) => format!("Invalid image file: {f}"),
                None => "Invalid image file".to_owned(),
            }))
        }
        other => other,
    }
    .to_owned();
    let (format, width, height) = match (&image, resource_type.as_str()) {
        (Some((f, w, h)), "image") => (f.clone(), Some(*w), Some(*h)),
        (_, "video") => match &video {
            Some(v) => (v.format.clone(), v.width, v.height),
            None if ext.is_empty() => ("mp4".into(), None, None),
            None => (ext.to_owned(), None, None),
        },
        _ => (String::new(), None, None),
    };
    Ok(Kind {
        resource_type,
        format,
        width,
        height,
    })
}

/// The public id of a new asset when the request names none: the file name's stem
/// (cleaned, with a random suffix unless `unique_filename=false`) with `use_filename`,
/// else 20 random characters; raw files keep their extension.
fn generated_public_id(params: &Params, resource_type: &str, stem: &str, ext: &str) -> String {
    let use_filename = params.flag("use_filename").unwrap_or(false);
    let unique = params.flag("unique_filename").unwrap_or(true);
    let mut base = if use_filename && !stem.is_empty() {
        let clean: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if unique {
            format!("{clean}_{}", ids::alnum(6))
        } else {
            clean
        }
    } else {
        ids::alnum(20)
    };
    if resource_type == "raw" && !ext.is_empty() {
        base = format!("{base}.{ext}");
    }
    base
}

/// Where an asset goes and what it is called.
struct Names {
    public_id: String,
    asset_folder: String,
    display_name: String,
}

/// The public id (with `folder` and `public_id_prefix`, and in dynamic folder mode
/// the asset folder when `use_asset_folder_as_public_id_prefix`), the asset folder
/// (the public id's folder in fixed folder mode) and the display name.
fn names(account: &Account, params: &Params, resource_type: &str, stem: &str, ext: &str) -> Names {
    let mut public_id = params
        .nonempty("public_id")
        .unwrap_or_else(|| generated_public_id(params, resource_type, stem, ext));
    let folder = params
        .nonempty("folder")
        .map(|f| clean_folder(&f))
        .filter(|f| !f.is_empty());
    let prefix = params
        .nonempty("public_id_prefix")
        .map(|f| clean_folder(&f))
        .filter(|f| !f.is_empty());
    let mut asset_folder = params
        .nonempty("asset_folder")
        .map(|f| clean_folder(&f))
        .or_else(|| folder.clone())
        .unwrap_or_default();
    if account.folder_mode == FolderMode::Dynamic
        && prefix.is_none()
        && folder.is_none()
        && !asset_folder.is_empty()
        && params
            .flag("use_asset_folder_as_public_id_prefix")
            .unwrap_or(false)
    {
        public_id = format!("{asset_folder}/{public_id}");
    }
    if let Some(p) = &prefix {
        public_id = format!("{p}/{public_id}");
    }
    if let Some(f) = &folder {
        public_id = format!("{f}/{public_id}");
    }
    if account.folder_mode == FolderMode::Fixed {
        asset_folder = public_id
            .rsplit_once('/')
            .map(|(f, _)| f.to_owned())
            .unwrap_or_default();
    }
    let display_name = params.nonempty("display_name").unwrap_or_else(|| {
        if params.flag("use_filename_as_display_name").unwrap_or(false) && !stem.is_empty() {
            stem.to_owned()
        } else {
            public_id
                .rsplit('/')
                .next()
                .unwrap_or(&public_id)
                .to_owned()
        }
    });
    Names {
        public_id,
        asset_folder,
        display_name,
    }
}

/// The new version of an asset: a fresh version (after the existing one's), blob and
/// version id; the existing asset's id and access mode unless the request says
/// otherwise; tags, context and metadata from the request.
#[allow(clippy::too_many_arguments)]
fn new_asset(
    cloud: &str,
    params: &Params,
    received: &Received,
    kind: Kind,
    delivery_type: String,
    names: Names,
    stem: String,
    existing: Option<&Asset>,
) -> ApiResult<Asset> {
    let access_mode = match params.nonempty("access_mode") {
        Some(m) => crate::resource::access_mode(&m)?,
        None => existing
            .map(|a| a.access_mode.clone())
            .unwrap_or_else(|| "public".into()),
    };
    let now = ids::now();
    let version = match existing {
        Some(old) if old.version >= now => old.version + 1,
        _ => now,
    };
    let version_id = ids::hex32();
    let blob = format!("{}-{}", ids::hex32(), version_id);
    let tags: Vec<String> = params.list("tags");
    let context = params
        .nonempty("context")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    let metadata = params
        .nonempty("metadata")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    Ok(Asset {
        cloud: cloud.to_owned(),
        resource_type: kind.resource_type,
        delivery_type,
        public_id: names.public_id,
        asset_id: existing
            .map(|a| a.asset_id.clone())
            .unwrap_or_else(ids::hex32),
        version,
        version_id,
        format: kind.format,
        width: kind.width,
        height: kind.height,
        bytes: received.size,
        etag: received.md5.clone(),
        created_at: ids::iso8601(now),
        tags,
        context,
        metadata,
        asset_folder: names.asset_folder,
        display_name: names.display_name,
        original_filename: if stem.is_empty() { "file".into() } else { stem },
        blob,
        seq: 0,
        access_mode,
    })
}

/// Stores the file as the asset's blob and the asset's row (the replaced version's
/// blob dropped, the new blob dropped again if the row cannot be written), then the
/// asset folder and its parents.
fn commit(state: &State, asset: &Asset, received: &Received) -> ApiResult<()> {
    state.store.adopt_blob(&received.path, &asset.blob)?;
    match state.store.put(asset) {
        Ok(Some(old_blob)) => state.store.drop_blob(&old_blob),
        Ok(None) => {}
        Err(e) => {
            state.store.drop_blob(&asset.blob);
            return Err(e);
        }
    }
    if !asset.asset_folder.is_empty() {
        let mut path = String::new();
        for part in asset.asset_folder.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            state.store.add_folder(&asset.cloud, &path)?;
        }
    }
    Ok(())
}

/// Stores a received file as an asset: what it is ([`classify`]), where it goes
/// ([`names`]), then, unless an existing asset is kept (`overwrite=false`, the default
/// of unsigned uploads), its new version ([`new_asset`], [`commit`]). Returns the
/// asset and whether it is the existing one.
fn store_asset(
    state: &State,
    account: &Account,
    rt_path: &str,
    params: &Params,
    received: &Received,
    unsigned: bool,
) -> ApiResult<(Asset, bool)> {
    let cloud = &account.cloud_name;
    let filename = params
        .nonempty("filename_override")
        .or_else(|| received.filename.clone());
    let (stem, ext) = filename.as_deref().map(split_filename).unwrap_or_default();
    let kind = classify(rt_path, received, filename.as_deref(), &ext)?;
    let delivery_type = params.nonempty("type").unwrap_or_else(|| "upload".into());
    let names = names(account, params, &kind.resource_type, &stem, &ext);
    let existing = state
        .store
        .get(cloud, &kind.resource_type, &delivery_type, &names.public_id)?;
    let overwrite = params.flag("overwrite").unwrap_or(!unsigned);
    if let Some(old) = &existing {
        if !overwrite {
            return Ok((old.clone(), true));
        }
    }
    let asset = new_asset(
        cloud,
        params,
        received,
        kind,
        delivery_type,
        names,
        stem,
        existing.as_ref(),
    )?;
    commit(state, &asset, received)?;
    Ok((asset, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_their_directories() {
        assert_eq!(
            split_filename("/home/u/tiny.PNG"),
            ("tiny".into(), "png".into())
        );
        assert_eq!(split_filename("big"), ("big".into(), String::new()));
    }
}
