//! The Cloudinary side: the assets under the target folder, listed page by page.

use std::collections::{HashMap, HashSet};

use super::budget::Budget;
use crate::api::{ApiError, ApiErrorKind};
use crate::{Client, Map, Value};

/// The context key carrying the platform id of a synced asset.
pub const PLATFORM_ID_KEY: &str = "cldkit_sync_id";

/// The resource types listed.
const RESOURCE_TYPES: [&str; 3] = ["image", "video", "raw"];

/// One remote asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteAsset {
    /// Its public id.
    pub public_id: String,
    /// `image`, `video` or `raw`.
    pub resource_type: String,
    /// Hex MD5 of the stored original.
    pub etag: Option<String>,
    /// The version.
    pub version: Option<i64>,
    /// The platform id from the context, when the asset was synced.
    pub platform_id: Option<String>,
    /// The file format (`jpg`, `png`, ...), when the listing gives one.
    pub format: Option<String>,
    /// The delivery URL of the original (what dual modes download).
    pub secure_url: Option<String>,
}

/// Lists the `upload`-type assets whose public id starts with `folder/` (every asset
/// when `folder` is empty), through the paginated Admin API `resources` call of each
/// resource type, by public id. Calls go through the sync's budget; `keep` filters
/// the assets kept (a partition of a shared sync).
pub(crate) async fn list_remote(
    client: &Client,
    folder: &str,
    budget: &Budget,
    keep: impl Fn(&str) -> bool,
) -> Result<HashMap<String, RemoteAsset>, ApiError> {
    let mut out = HashMap::new();
    for rt in RESOURCE_TYPES {
        let mut options = Map::new();
        options.insert("resource_type", rt);
        options.insert("type", "upload");
        options.insert("max_results", 500i64);
        options.insert("context", true);
        if !folder.is_empty() {
            options.insert("prefix", format!("{folder}/"));
        }
        let mut seen_cursors = HashSet::new();
        loop {
            let page = budget
                .admin(client, "resources", &Map::new(), &options)
                .await?;
            let list = page.get("resources").and_then(Value::as_list);
            for r in list.into_iter().flatten().filter_map(Value::as_map) {
                let Some(pid) = r.get("public_id").and_then(Value::as_str) else {
                    continue;
                };
                if !keep(pid) {
                    continue;
                }
                out.insert(pid.to_owned(), asset(pid, rt, r));
            }
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) if !c.is_empty() => {
                    if !seen_cursors.insert(c.to_owned()) {
                        return Err(ApiError::new(
                            ApiErrorKind::Response,
                            "the resources listing repeated a next_cursor",
                        ));
                    }
                    options.insert("next_cursor", c);
                }
                _ => break,
            }
        }
    }
    Ok(out)
}

fn asset(pid: &str, rt: &str, r: &Map) -> RemoteAsset {
    let text = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
    let platform_id = r
        .get("context")
        .and_then(Value::as_map)
        .and_then(|c| c.get("custom"))
        .and_then(Value::as_map)
        .and_then(|c| c.get(PLATFORM_ID_KEY))
        .and_then(Value::as_str)
        .map(str::to_owned);
    RemoteAsset {
        public_id: pid.to_owned(),
        resource_type: rt.to_owned(),
        etag: text("etag"),
        version: match r.get("version") {
            Some(Value::Int(v)) => Some(*v),
            _ => None,
        },
        platform_id,
        format: text("format"),
        secure_url: text("secure_url"),
    }
}
