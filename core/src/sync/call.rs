//! The catalogue's `sync` row: the inventory and options as the bindings pass them
//! (maps and lists), turned into [`Item`]s and [`SyncOptions`], and the report
//! returned as a map.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use md5::{Digest, Md5};

use super::{sync, sync_iter, walk_dir, Item, ItemSource, Marker, Mode, SyncError, SyncOptions};
use crate::api::ApiError;
use crate::{Client, Error, Map, Value};

/// The options the `sync` row takes.
const OPTIONS: &[&str] = &[
    "folder",
    "tag",
    "mode",
    "delete",
    "delete_orphans",
    "dry_run",
    "concurrency",
    "journal",
    "max_actions",
    "partition",
    "download_dir",
    "low_res_width",
    "budget_reserve",
    "max_budget_wait",
];

fn invalid(option: &str, message: impl Into<String>) -> ApiError {
    ApiError::from(Error::invalid_option(option, message))
}

fn text<'a>(o: &'a Map, key: &str) -> Result<Option<&'a str>, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(v) => Err(invalid(
            key,
            format!("must be a string, not {}", v.type_name()),
        )),
    }
}

fn number(o: &Map, key: &str, max: u64) -> Result<Option<u64>, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int(n)) if *n >= 0 && (*n as u64) <= max => Ok(Some(*n as u64)),
        Some(v) => Err(invalid(
            key,
            format!("must be a whole number from 0 to {max}, not {v}"),
        )),
    }
}

fn flag(o: &Map, key: &str) -> Result<bool, ApiError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(invalid(
            key,
            format!("must be a boolean, not {}", v.type_name()),
        )),
    }
}

/// Reads the row's options.
fn options(o: &Map) -> Result<SyncOptions, ApiError> {
    if let Some(k) = o.keys().find(|k| !OPTIONS.contains(k)) {
        return Err(invalid(
            k,
            format!("not a sync option (one of {})", OPTIONS.join(", ")),
        ));
    }
    let mut s = SyncOptions {
        folder: text(o, "folder")?.unwrap_or_default().to_owned(),
        tag: text(o, "tag")?.map(str::to_owned),
        delete_orphans: flag(o, "delete")? || flag(o, "delete_orphans")?,
        dry_run: flag(o, "dry_run")?,
        journal: text(o, "journal")?.map(PathBuf::from),
        download_dir: text(o, "download_dir")?.map(PathBuf::from),
        ..SyncOptions::default()
    };
    if let Some(m) = text(o, "mode")? {
        s.mode = Mode::parse(m).map_err(|e| invalid("mode", e.to_string()))?;
    }
    if let Some(n) = number(o, "concurrency", super::MAX_CONCURRENCY as u64)? {
        s.concurrency = n as usize;
    }
    s.max_actions = number(o, "max_actions", u32::MAX.into())?.map(|n| n as usize);
    if let Some(n) = number(o, "low_res_width", 10_000)? {
        s.low_res_width = n as u32;
    }
    if let Some(n) = number(o, "budget_reserve", u32::MAX.into())? {
        s.budget_reserve = n;
    }
    if let Some(n) = number(o, "max_budget_wait", 7 * 24 * 3600)? {
        s.max_budget_wait = Duration::from_secs(n);
    }
    if let Some(p) = text(o, "partition")? {
        s.partition = Some(parse_partition(p).map_err(|m| invalid("partition", m))?);
    }
    Ok(s)
}

/// Parses `K/N` (partition K of N, 0-based).
pub fn parse_partition(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{text:?} is not K/N (partition K of N, 0 <= K < N)");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// One inventory item from its map: `id`, `public_id` (default: the folder and the
/// id without its extension), one of `path`, `url` or `data` (a data URI), and the
/// change marker `hash`, `size`, `mtime` (the hash is computed from a path or data
/// URI when not given).
fn item(v: &Value, folder: &str) -> Result<Item, ApiError> {
    let m = v
        .as_map()
        .ok_or_else(|| invalid("inventory", "items must be maps"))?;
    let id = text(m, "id")?
        .ok_or_else(|| invalid("inventory", "every item needs an id"))?
        .to_owned();
    let public_id = match text(m, "public_id")? {
        Some(p) => p.to_owned(),
        None => {
            let stem = id.rsplit_once('.').map_or(id.as_str(), |(s, _)| s);
            if folder.is_empty() {
                stem.to_owned()
            } else {
                format!("{folder}/{stem}")
            }
        }
    };
    let sources = [text(m, "path")?, text(m, "url")?, text(m, "data")?];
    let mut hash = text(m, "hash")?.map(str::to_owned);
    let source = match sources {
        [Some(p), None, None] => {
            if hash.is_none() {
                // Hashed in blocks: a large file is never held whole.
                hash = Some(
                    super::inventory::md5_file(p.as_ref())
                        .map_err(|e| invalid("inventory", format!("{p}: {e}")))?,
                );
            }
            ItemSource::Path(PathBuf::from(p))
        }
        [None, Some(u), None] => ItemSource::Url(u.to_owned()),
        [None, None, Some(d)] => {
            let b64 = d
                .strip_prefix("data:")
                .and_then(|r| r.split_once(";base64,"))
                .map(|(_, b)| b)
                .ok_or_else(|| {
                    invalid(
                        "inventory",
                        format!("item {id:?}: data must be a base64 data URI"),
                    )
                })?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| {
                    invalid(
                        "inventory",
                        format!("item {id:?}: data is not valid base64"),
                    )
                })?;
            hash.get_or_insert_with(|| hex::encode(Md5::digest(&bytes)));
            ItemSource::Url(d.to_owned())
        }
        _ => {
            return Err(invalid(
                "inventory",
                format!("item {id:?} needs exactly one of path, url or data"),
            ))
        }
    };
    let size = number(m, "size", u64::MAX >> 1)?;
    let mtime = match m.get("mtime") {
        None | Some(Value::Null) => None,
        Some(Value::Int(t)) => Some(*t),
        Some(v) => {
            return Err(invalid(
                "inventory",
                format!("mtime must be Unix seconds, not {v}"),
            ))
        }
    };
    Ok(Item {
        id,
        public_id,
        source,
        marker: Marker { hash, size, mtime },
    })
}

fn sync_error(e: SyncError) -> ApiError {
    match e {
        SyncError::Listing(e) => e,
        SyncError::Options(m) => invalid("sync", m),
        SyncError::Inventory(m) => invalid("inventory", m),
        SyncError::Journal(m) => invalid("journal", m),
    }
}

/// Runs the `sync` row: `args.inventory` is a directory path or a list of item maps.
pub(crate) async fn run_call(
    client: &Client,
    args: &Map,
    options_map: &Map,
) -> Result<Value, ApiError> {
    sync_call(client, args, options_map, None).await
}

/// The `sync` row with a progress callback: what `Client::call("sync", ...)` runs,
/// plus `progress`, told of each finished action (bindings pass their language's
/// callable here). The report is returned as a map.
///
/// ```no_run
/// # async fn f() -> Result<(), cldkit::api::ApiError> {
/// let client = cldkit::Client::from_env()?;
/// let args = cldkit::Map::from_iter([("inventory", "wp-content/uploads")]);
/// let options = cldkit::Map::from_iter([("folder", "wp")]);
/// let progress: cldkit::sync::ProgressFn =
///     std::sync::Arc::new(|p| eprintln!("{}/{} {}", p.done, p.total, p.public_id));
/// let report = cldkit::sync::sync_call(&client, &args, &options, Some(progress)).await?;
/// # Ok(()) }
/// ```
pub async fn sync_call(
    client: &Client,
    args: &Map,
    options_map: &Map,
    progress: Option<super::ProgressFn>,
) -> Result<Value, ApiError> {
    let mut o = options(options_map)?;
    o.progress = progress;
    let folder = o.folder.trim_matches('/').to_owned();
    let report = match args.get("inventory") {
        Some(Value::Str(dir)) => {
            if o.mode != Mode::CloudinaryOnly && o.download_dir.is_none() {
                o.download_dir = Some(PathBuf::from(dir));
            }
            let skip: Vec<PathBuf> = o.journal.iter().cloned().collect();
            // The directory is walked as the sync reads it (see `walk_dir`).
            let items = walk_dir(dir.as_ref(), &folder, &skip);
            sync_iter(client, items, &o).await
        }
        Some(Value::List(list)) => {
            let items = list
                .iter()
                .map(|v| item(v, &folder))
                .collect::<Result<Vec<_>, _>>()?;
            sync(client, items, &o).await
        }
        Some(v) => {
            return Err(invalid(
                "inventory",
                format!(
                    "must be a directory path or a list of items, not {}",
                    v.type_name()
                ),
            ))
        }
        None => return Err(invalid("inventory", "missing")),
    }
    .map_err(sync_error)?;
    Ok(Value::from(report.to_json()))
}
