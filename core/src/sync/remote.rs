//! The Cloudinary side: the assets under the target folder, listed page by page into
//! a scratch SQLite file, so that memory does not grow with the size of the library.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::budget::Budget;
use super::SyncError;
use crate::api::{ApiError, ApiErrorKind};
use crate::{Client, Map, Value};

/// The context key carrying the platform id of a synced asset.
pub const PLATFORM_ID_KEY: &str = "cldkit_sync_id";

/// The resource types listed.
pub(super) const RESOURCE_TYPES: [&str; 3] = ["image", "video", "raw"];

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

pub(super) fn err(e: impl std::fmt::Display) -> SyncError {
    SyncError::Journal(format!("the listing's scratch file: {e}"))
}

/// The listing of one sync: a `remote` table (one row per asset, keyed by public
/// id), and the inventory spooled in an `items` table, in a private SQLite file under a temporary directory, removed on drop. It is
/// never the caller's journal: processes of a partitioned sync share the journal but
/// each has its own listing, and a dry run writes nothing to the journal.
pub(crate) struct RemoteStore {
    conn: Mutex<Connection>,
    _dir: tempfile::TempDir,
}

/// The columns read back as a [`RemoteAsset`], in [`asset_row`]'s order.
const COLUMNS: &str = "public_id, resource_type, etag, version, platform_id, format, secure_url";

fn asset_row(r: &Row<'_>) -> rusqlite::Result<RemoteAsset> {
    Ok(RemoteAsset {
        public_id: r.get(0)?,
        resource_type: r.get(1)?,
        etag: r.get(2)?,
        version: r.get(3)?,
        platform_id: r.get(4)?,
        format: r.get(5)?,
        secure_url: r.get(6)?,
    })
}

impl RemoteStore {
    /// An empty listing in a new temporary directory.
    pub(crate) fn new() -> Result<RemoteStore, SyncError> {
        let dir = tempfile::Builder::new()
            .prefix("cldkit-sync-")
            .tempdir()
            .map_err(err)?;
        let conn = Connection::open(dir.path().join("listing.sqlite")).map_err(err)?;
        // Scratch data: no rollback journal, no fsync; SQLite's page cache (a few MiB)
        // bounds what stays in memory.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -4096;
             CREATE TABLE remote (
                 public_id TEXT PRIMARY KEY,
                 resource_type TEXT NOT NULL,
                 etag TEXT,
                 version INTEGER,
                 platform_id TEXT,
                 format TEXT,
                 secure_url TEXT,
                 wanted INTEGER NOT NULL DEFAULT 0
             ) WITHOUT ROWID;",
        )
        .map_err(err)?;
        conn.execute_batch(super::spool::ITEMS_TABLE).map_err(err)?;
        Ok(RemoteStore {
            conn: Mutex::new(conn),
            _dir: dir,
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores one listing page (a later row for a public id replaces an earlier one).
    pub(crate) fn insert(&self, assets: &[RemoteAsset]) -> Result<(), SyncError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(err)?;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO remote
                     (public_id, resource_type, etag, version, platform_id, format, secure_url)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(err)?;
            for a in assets {
                st.execute(params![
                    a.public_id,
                    a.resource_type,
                    a.etag,
                    a.version,
                    a.platform_id,
                    a.format,
                    a.secure_url
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Runs `f` within one transaction (the planning pass marks many rows).
    pub(crate) fn batch<T>(
        &self,
        f: impl FnOnce(&Lookup<'_>) -> Result<T, SyncError>,
    ) -> Result<T, SyncError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(err)?;
        let out = f(&Lookup { conn: &tx })?;
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// Assets the inventory does not hold (not marked by [`Lookup::find`]), by public
    /// id, after `after` (exclusive), at most `limit`; `resource_type` narrows them.
    pub(crate) fn orphans(
        &self,
        after: Option<&str>,
        resource_type: Option<&str>,
        limit: usize,
    ) -> Result<Vec<RemoteAsset>, SyncError> {
        let conn = self.lock();
        // Without `after`, no lower bound (an empty public id is not excluded).
        let from = if after.is_some() {
            "public_id > ?1"
        } else {
            "?1 IS NULL"
        };
        let mut st = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM remote WHERE wanted = 0 AND {from}
                 AND (?2 IS NULL OR resource_type = ?2) ORDER BY public_id LIMIT ?3"
            ))
            .map_err(err)?;
        let rows = st
            .query_map(params![after, resource_type, limit as i64], asset_row)
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// How many assets the inventory does not hold.
    pub(crate) fn orphan_count(&self) -> Result<usize, SyncError> {
        self.lock()
            .query_row("SELECT COUNT(*) FROM remote WHERE wanted = 0", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .map_err(err)
    }

    /// The public id of the `n`-th orphan (0-based, by public id), if there is one.
    pub(crate) fn nth_orphan(&self, n: usize) -> Result<Option<String>, SyncError> {
        self.lock()
            .query_row(
                "SELECT public_id FROM remote WHERE wanted = 0
                 ORDER BY public_id LIMIT 1 OFFSET ?1",
                params![n as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)
    }

    /// The resource types of the orphans, sorted.
    pub(crate) fn orphan_types(&self) -> Result<Vec<String>, SyncError> {
        let conn = self.lock();
        let mut st = conn
            .prepare(
                "SELECT DISTINCT resource_type FROM remote WHERE wanted = 0
                 ORDER BY resource_type",
            )
            .map_err(err)?;
        let rows = st.query_map([], |r| r.get(0)).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}

/// Look-ups within [`RemoteStore::batch`].
pub(crate) struct Lookup<'a> {
    conn: &'a Connection,
}

impl Lookup<'_> {
    /// The connection, for reading and planning the spooled items.
    pub(super) fn conn(&self) -> &Connection {
        self.conn
    }

    /// The resource type and etag of `public_id`, which is marked as held by the
    /// inventory (so it is no orphan).
    pub(crate) fn find(
        &self,
        public_id: &str,
    ) -> Result<Option<(String, Option<String>)>, SyncError> {
        let found: Option<(String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT resource_type, etag FROM remote WHERE public_id = ?1")
            .and_then(|mut st| {
                st.query_row(params![public_id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(err)?;
        if found.is_some() {
            self.conn
                .prepare_cached("UPDATE remote SET wanted = 1 WHERE public_id = ?1")
                .and_then(|mut st| st.execute(params![public_id]))
                .map_err(err)?;
        }
        Ok(found)
    }
}

/// Lists the `upload`-type assets whose public id starts with `folder/` (every asset
/// when `folder` is empty) into `store`, through the paginated Admin API `resources`
/// call of each resource type, one page in memory at a time. Calls go through the
/// sync's budget; `keep` filters the assets kept (a partition of a shared sync).
pub(crate) async fn list_remote(
    client: &Client,
    folder: &str,
    budget: &Budget,
    keep: impl Fn(&str) -> bool,
    store: &RemoteStore,
) -> Result<(), SyncError> {
    let mut page_assets = Vec::new();
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
            page_assets.clear();
            for r in list.into_iter().flatten().filter_map(Value::as_map) {
                let Some(pid) = r.get("public_id").and_then(Value::as_str) else {
                    continue;
                };
                if !keep(pid) {
                    continue;
                }
                page_assets.push(asset(pid, rt, r));
            }
            store.insert(&page_assets)?;
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) if !c.is_empty() => {
                    if !seen_cursors.insert(c.to_owned()) {
                        return Err(ApiError::new(
                            ApiErrorKind::Response,
                            "the resources listing repeated a next_cursor",
                        )
                        .into());
                    }
                    options.insert("next_cursor", c);
                }
                _ => break,
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn a(pid: &str, rt: &str, etag: &str) -> RemoteAsset {
        RemoteAsset {
            public_id: pid.into(),
            resource_type: rt.into(),
            etag: Some(etag.into()),
            version: Some(3),
            platform_id: Some(format!("p-{pid}")),
            format: Some("png".into()),
            secure_url: Some(format!("https://h/{pid}.png")),
        }
    }

    #[test]
    fn the_store_finds_marks_and_pages_orphans_in_public_id_order() {
        let s = RemoteStore::new().unwrap();
        s.insert(&[a("f/c", "image", "1"), a("f/a", "video", "2")])
            .unwrap();
        s.insert(&[a("f/b", "raw", "3"), a("f/a", "image", "4")])
            .unwrap();
        let found = s.batch(|l| Ok((l.find("f/b")?, l.find("f/zz")?))).unwrap();
        assert_eq!(found.0, Some(("raw".into(), Some("3".into()))));
        assert_eq!(found.1, None);
        assert_eq!(s.orphan_count().unwrap(), 2);
        let first = s.orphans(None, None, 1).unwrap();
        // The later page's row for f/a replaced the earlier one.
        assert_eq!(first, vec![a("f/a", "image", "4")]);
        let rest = s.orphans(Some("f/a"), None, 10).unwrap();
        assert_eq!(rest, vec![a("f/c", "image", "1")]);
        assert_eq!(s.nth_orphan(1).unwrap().as_deref(), Some("f/c"));
        assert_eq!(s.nth_orphan(2).unwrap(), None);
        assert_eq!(s.orphan_types().unwrap(), vec!["image".to_owned()]);
        assert!(s.orphans(None, Some("raw"), 10).unwrap().is_empty());
    }

    #[test]
    fn the_scratch_directory_goes_away_with_the_store() {
        let s = RemoteStore::new().unwrap();
        let dir = s._dir.path().to_path_buf();
        assert!(dir.join("listing.sqlite").exists());
        drop(s);
        assert!(!dir.exists());
    }
}
