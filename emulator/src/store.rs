//! Durable storage: asset bytes as files, metadata in SQLite.
//!
//! An asset becomes visible only when its metadata row is committed, and its bytes are
//! written to a temporary file, flushed to disk and renamed into `blobs/` before that.
//! A crash at any point therefore leaves either the old state or the new one; stray
//! temporary files and unreferenced blobs are removed at the next start.
//!
//! Derived images (renderings of delivery transformations) are a cache under
//! `derived/`, bounded by [`DerivedLimits`] in files and bytes: past either bound the
//! least recently used renderings are deleted (they are rendered again when asked for).

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{Map as JsonMap, Value as Json};

use crate::error::{ApiError, ApiResult};

mod derived;

pub use derived::DerivedRecord;

/// One stored asset (the latest version of a public id).
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    /// Cloud name.
    pub cloud: String,
    /// `image`, `video` or `raw`.
    pub resource_type: String,
    /// Delivery type: `upload`, `private`, `authenticated`.
    pub delivery_type: String,
    /// The public id.
    pub public_id: String,
    /// 32-hex immutable id.
    pub asset_id: String,
    /// Unix seconds of this version.
    pub version: i64,
    /// 32-hex id of this version.
    pub version_id: String,
    /// Format (extension); empty for raw.
    pub format: String,
    /// Pixel width (images).
    pub width: Option<u32>,
    /// Pixel height (images).
    pub height: Option<u32>,
    /// Size in bytes.
    pub bytes: u64,
    /// MD5 of the bytes, hex.
    pub etag: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// Tags in order.
    pub tags: Vec<String>,
    /// Contextual metadata (`custom`).
    pub context: JsonMap<String, Json>,
    /// Structured metadata.
    pub metadata: JsonMap<String, Json>,
    /// Dynamic-mode folder (`""` = root).
    pub asset_folder: String,
    /// Dynamic-mode display name.
    pub display_name: String,
    /// The uploaded file's name without extension.
    pub original_filename: String,
    /// File name of the bytes inside `blobs/`.
    pub blob: String,
    /// Insertion sequence (for stable listing order).
    pub seq: i64,
    /// `public` or `authenticated` (set by `update_access_mode` or the `access_mode`
    /// upload parameter).
    pub access_mode: String,
}

/// A chunked upload in progress.
#[derive(Clone, Debug)]
pub struct ChunkSession {
    /// Cloud name.
    pub cloud: String,
    /// The client's `X-Unique-Upload-Id`.
    pub upload_id: String,
    /// The partial file inside `chunks/`.
    pub file: String,
    /// The announced total, once known.
    pub total: Option<u64>,
    /// Received byte ranges `[start, end)`, merged and sorted.
    pub ranges: Vec<(u64, u64)>,
}

impl ChunkSession {
    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.ranges.iter().map(|(a, b)| b - a).sum()
    }
    /// Adds `[start, end)` and merges overlapping ranges.
    pub fn add_range(&mut self, start: u64, end: u64) {
        self.ranges.push((start, end));
        self.ranges.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.ranges.len());
        for &(a, b) in &self.ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.ranges = merged;
    }
    /// Whether every byte of the announced total has arrived.
    pub fn complete(&self) -> bool {
        match self.total {
            Some(t) => t == 0 || self.ranges == [(0, t)],
            None => false,
        }
    }
}

/// An upload preset: name, whether it is unsigned, its settings.
pub type Preset = (String, bool, JsonMap<String, Json>);

/// The storage of one emulator data directory.
pub struct Store {
    root: PathBuf,
    db: Mutex<Connection>,
    derived: Mutex<DerivedIndex>,
}

/// Bounds of the derived-image cache (`derived/`). Past either, the least recently
/// used renderings are deleted until both hold again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DerivedLimits {
    /// The most renderings kept.
    pub max_files: usize,
    /// The most bytes kept, all renderings together.
    pub max_bytes: u64,
}

impl DerivedLimits {
    /// The default bounds: 10,000 renderings and 1 GiB.
    pub const DEFAULT: DerivedLimits = DerivedLimits {
        max_files: 10_000,
        max_bytes: 1 << 30,
    };
}

impl Default for DerivedLimits {
    fn default() -> Self {
        DerivedLimits::DEFAULT
    }
}

/// What the derived cache holds, in order of last use.
#[derive(Debug)]
struct DerivedIndex {
    limits: DerivedLimits,
    /// Use counter: a larger stamp is a later use.
    clock: u64,
    bytes: u64,
    /// key -> (size, stamp of last use).
    entries: HashMap<String, (u64, u64)>,
    /// stamp -> key, oldest first.
    order: BTreeMap<u64, String>,
}

impl DerivedIndex {
    fn new(limits: DerivedLimits) -> DerivedIndex {
        DerivedIndex {
            limits,
            clock: 0,
            bytes: 0,
            entries: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    /// Records `key` (of `len` bytes) as used now.
    fn put(&mut self, key: &str, len: u64) {
        if let Some((old_len, stamp)) = self.entries.remove(key) {
            self.order.remove(&stamp);
            self.bytes -= old_len;
        }
        self.clock += 1;
        self.entries.insert(key.to_owned(), (len, self.clock));
        self.order.insert(self.clock, key.to_owned());
        self.bytes += len;
    }

    /// Marks a known `key` as used now; false when it is not in the index.
    fn touch(&mut self, key: &str) -> bool {
        match self.entries.get(key).copied() {
            Some((len, _)) => {
                self.put(key, len);
                true
            }
            None => false,
        }
    }

    /// Deletes the least recently used renderings (files in `dir`) until the limits
    /// hold.
    fn evict(&mut self, dir: &Path) {
        while self.entries.len() > self.limits.max_files || self.bytes > self.limits.max_bytes {
            let Some((_, key)) = self.order.pop_first() else {
                break;
            };
            if let Some((len, _)) = self.entries.remove(&key) {
                self.bytes -= len;
            }
            let _ = fs::remove_file(dir.join(&key));
        }
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS assets(
  cloud TEXT NOT NULL, resource_type TEXT NOT NULL, type TEXT NOT NULL, public_id TEXT NOT NULL,
  asset_id TEXT NOT NULL, version INTEGER NOT NULL, version_id TEXT NOT NULL, format TEXT NOT NULL,
  width INTEGER, height INTEGER, bytes INTEGER NOT NULL, etag TEXT NOT NULL, created_at TEXT NOT NULL,
  tags TEXT NOT NULL, context TEXT NOT NULL, metadata TEXT NOT NULL, asset_folder TEXT NOT NULL,
  display_name TEXT NOT NULL, original_filename TEXT NOT NULL, blob TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT, access_mode TEXT NOT NULL DEFAULT 'public',
  UNIQUE(cloud, resource_type, type, public_id));
CREATE TABLE IF NOT EXISTS presets(cloud TEXT NOT NULL, name TEXT NOT NULL, unsigned INTEGER NOT NULL,
  settings TEXT NOT NULL, PRIMARY KEY(cloud, name));
CREATE TABLE IF NOT EXISTS folders(cloud TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY(cloud, path));
CREATE TABLE IF NOT EXISTS chunks(cloud TEXT NOT NULL, upload_id TEXT NOT NULL, file TEXT NOT NULL,
  total INTEGER, ranges TEXT NOT NULL, PRIMARY KEY(cloud, upload_id));
CREATE TABLE IF NOT EXISTS metadata_fields(cloud TEXT NOT NULL, external_id TEXT NOT NULL,
  field TEXT NOT NULL, PRIMARY KEY(cloud, external_id));
";

const ASSET_COLUMNS: &str = "cloud, resource_type, type, public_id, asset_id, version, version_id, format, width, height, bytes, etag, created_at, tags, context, metadata, asset_folder, display_name, original_filename, blob, seq, access_mode";

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn json_map(text: &str) -> JsonMap<String, Json> {
    serde_json::from_str(text).unwrap_or_default()
}

fn asset_from_row(row: &Row<'_>) -> rusqlite::Result<Asset> {
    Ok(Asset {
        cloud: row.get(0)?,
        resource_type: row.get(1)?,
        delivery_type: row.get(2)?,
        public_id: row.get(3)?,
        asset_id: row.get(4)?,
        version: row.get(5)?,
        version_id: row.get(6)?,
        format: row.get(7)?,
        width: row.get(8)?,
        height: row.get(9)?,
        bytes: row.get::<_, i64>(10)? as u64,
        etag: row.get(11)?,
        created_at: row.get(12)?,
        tags: json_list(&row.get::<_, String>(13)?),
        context: json_map(&row.get::<_, String>(14)?),
        metadata: json_map(&row.get::<_, String>(15)?),
        asset_folder: row.get(16)?,
        display_name: row.get(17)?,
        original_filename: row.get(18)?,
        blob: row.get(19)?,
        seq: row.get(20)?,
        access_mode: row.get(21)?,
    })
}

/// Brings a data directory written by an older emulator up to the current schema.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let has_access_mode = conn
        .prepare("SELECT 1 FROM pragma_table_info('assets') WHERE name='access_mode'")?
        .exists([])?;
    if !has_access_mode {
        conn.execute_batch(
            "ALTER TABLE assets ADD COLUMN access_mode TEXT NOT NULL DEFAULT 'public'",
        )?;
    }
    Ok(())
}

/// Flushes a directory entry (after a rename) to disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl Store {
    /// Opens (or creates) the store in `root`, cleaning up what a crash left behind,
    /// with the default bounds of the derived cache ([`DerivedLimits::DEFAULT`]).
    pub fn open(root: &Path) -> Result<Store, String> {
        Store::open_with_derived_limits(root, DerivedLimits::DEFAULT)
    }

    /// [`Store::open`] with the given bounds of the derived cache. Renderings already
    /// in `derived/` are indexed by modification time (oldest = least recently used)
    /// and trimmed to the bounds.
    pub fn open_with_derived_limits(root: &Path, limits: DerivedLimits) -> Result<Store, String> {
        for sub in ["blobs", "tmp", "chunks", "derived"] {
            fs::create_dir_all(root.join(sub)).map_err(|e| format!("{}: {e}", root.display()))?;
        }
        // Temporary files are never referenced: a crash mid-write leaves only these.
        if let Ok(entries) = fs::read_dir(root.join("tmp")) {
            for e in entries.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
        let conn = Connection::open(root.join("meta.sqlite")).map_err(|e| e.to_string())?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
            .map_err(|e| e.to_string())?;
        conn.execute_batch(SCHEMA).map_err(|e| e.to_string())?;
        migrate(&conn).map_err(|e| e.to_string())?;
        let store = Store {
            root: root.to_owned(),
            db: Mutex::new(conn),
            derived: Mutex::new(DerivedIndex::new(limits)),
        };
        store.remove_orphans().map_err(|e| e.message)?;
        store.index_derived();
        Ok(store)
    }

    /// Indexes the renderings found in `derived/`, oldest first, and trims them.
    fn index_derived(&self) {
        let dir = self.root.join("derived");
        let mut found: Vec<(std::time::SystemTime, String, u64)> = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let meta = e.metadata().ok().filter(|m| m.is_file())?;
                let name = e.file_name().into_string().ok()?;
                let when = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                Some((when, name, meta.len()))
            })
            .collect();
        found.sort();
        let mut index = self.derived_index();
        for (_, name, len) in found {
            index.put(&name, len);
        }
        index.evict(&dir);
    }

    fn derived_index(&self) -> MutexGuard<'_, DerivedIndex> {
        self.derived.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the bounds of the derived cache, trimming it at once.
    pub fn set_derived_limits(&self, limits: DerivedLimits) {
        let mut index = self.derived_index();
        index.limits = limits;
        index.evict(&self.root.join("derived"));
    }

    /// The bounds of the derived cache.
    pub fn derived_limits(&self) -> DerivedLimits {
        self.derived_index().limits
    }

    /// What the derived cache holds: (renderings, bytes).
    pub fn derived_usage(&self) -> (usize, u64) {
        let index = self.derived_index();
        (index.entries.len(), index.bytes)
    }

    /// Marks the rendering `key` (`len` bytes, found in `derived/`) as just used. A
    /// rendering the index did not know (written by another process) is added, which
    /// may evict others.
    pub fn derived_touch(&self, key: &str, len: u64) {
        let mut index = self.derived_index();
        if !index.touch(key) {
            index.put(key, len);
            index.evict(&self.root.join("derived"));
        }
    }

    /// Adds the rendering `key` (`len` bytes, just written to
    /// [`Store::derived_path`]) as the most recently used, then deletes the least
    /// recently used renderings until the bounds hold (a rendering larger than
    /// `max_bytes` is deleted at once; an open file stays readable).
    pub fn derived_insert(&self, key: &str, len: u64) {
        let mut index = self.derived_index();
        index.put(key, len);
        index.evict(&self.root.join("derived"));
    }

    fn remove_orphans(&self) -> ApiResult<()> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT blob FROM assets")?;
        let live: std::collections::HashSet<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        let mut stmt = db.prepare("SELECT file FROM chunks")?;
        let chunks: std::collections::HashSet<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        for (dir, keep) in [("blobs", &live), ("chunks", &chunks)] {
            if let Ok(entries) = fs::read_dir(self.root.join(dir)) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if !keep.contains(&name) {
                        let _ = fs::remove_file(e.path());
                    }
                }
            }
        }
        Ok(())
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The data directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A fresh temporary file path (inside the data directory, for atomic renames).
    pub fn temp_path(&self) -> PathBuf {
        self.root.join("tmp").join(crate::ids::hex32())
    }

    /// Path of a blob.
    pub fn blob_path(&self, blob: &str) -> PathBuf {
        self.root.join("blobs").join(blob)
    }

    /// Path of a chunk-session file.
    pub fn chunk_path(&self, file: &str) -> PathBuf {
        self.root.join("chunks").join(file)
    }

    /// Path for a cached derived image.
    pub fn derived_path(&self, key: &str) -> PathBuf {
        self.root.join("derived").join(key)
    }

    /// Moves a fully written, flushed file into `blobs/` under `blob`.
    pub fn adopt_blob(&self, from: &Path, blob: &str) -> ApiResult<()> {
        let to = self.blob_path(blob);
        fs::rename(from, &to)?;
        sync_dir(&self.root.join("blobs"))?;
        Ok(())
    }

    /// Removes a blob file (after its row is gone).
    pub fn drop_blob(&self, blob: &str) {
        let _ = fs::remove_file(self.blob_path(blob));
    }

    /// The asset with this identity.
    pub fn get(
        &self,
        cloud: &str,
        rt: &str,
        ty: &str,
        public_id: &str,
    ) -> ApiResult<Option<Asset>> {
        let db = self.db();
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE cloud=?1 AND resource_type=?2 AND type=?3 AND public_id=?4");
        Ok(db
            .query_row(&sql, params![cloud, rt, ty, public_id], asset_from_row)
            .optional()?)
    }

    /// The asset with this asset id.
    pub fn get_by_asset_id(&self, cloud: &str, asset_id: &str) -> ApiResult<Option<Asset>> {
        let db = self.db();
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE cloud=?1 AND asset_id=?2");
        Ok(db
            .query_row(&sql, params![cloud, asset_id], asset_from_row)
            .optional()?)
    }

    /// Every asset of a cloud, oldest first.
    pub fn all(&self, cloud: &str) -> ApiResult<Vec<Asset>> {
        let db = self.db();
        let sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE cloud=?1 ORDER BY seq");
        let mut stmt = db.prepare(&sql)?;
        let rows = stmt.query_map(params![cloud], asset_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Inserts or replaces an asset; returns the blob of the replaced version, if any.
    pub fn put(&self, a: &Asset) -> ApiResult<Option<String>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let old: Option<String> = tx
            .query_row(
                "SELECT blob FROM assets WHERE cloud=?1 AND resource_type=?2 AND type=?3 AND public_id=?4",
                params![a.cloud, a.resource_type, a.delivery_type, a.public_id],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "DELETE FROM assets WHERE cloud=?1 AND resource_type=?2 AND type=?3 AND public_id=?4",
            params![a.cloud, a.resource_type, a.delivery_type, a.public_id],
        )?;
        tx.execute(
            "INSERT INTO assets(cloud, resource_type, type, public_id, asset_id, version, version_id, format, width, height, bytes, etag, created_at, tags, context, metadata, asset_folder, display_name, original_filename, blob, access_mode) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
            params![
                a.cloud, a.resource_type, a.delivery_type, a.public_id, a.asset_id, a.version, a.version_id,
                a.format, a.width, a.height, a.bytes as i64, a.etag, a.created_at,
                serde_json::to_string(&a.tags).unwrap_or_default(),
                serde_json::to_string(&a.context).unwrap_or_default(),
                serde_json::to_string(&a.metadata).unwrap_or_default(),
                a.asset_folder, a.display_name, a.original_filename, a.blob, a.access_mode
            ],
        )?;
        tx.commit()?;
        Ok(old.filter(|b| *b != a.blob))
    }

    /// Updates the mutable attributes of an asset (tags, context, metadata, folder,
    /// name, access mode).
    pub fn update_attrs(&self, a: &Asset) -> ApiResult<()> {
        let db = self.db();
        db.execute(
            "UPDATE assets SET tags=?1, context=?2, metadata=?3, asset_folder=?4, display_name=?5, access_mode=?6 WHERE cloud=?7 AND asset_id=?8",
            params![
                serde_json::to_string(&a.tags).unwrap_or_default(),
                serde_json::to_string(&a.context).unwrap_or_default(),
                serde_json::to_string(&a.metadata).unwrap_or_default(),
                a.asset_folder, a.display_name, a.access_mode, a.cloud, a.asset_id
            ],
        )?;
        Ok(())
    }

    /// Renames an asset (new public id and/or type) and bumps its version.
    pub fn rename(
        &self,
        a: &Asset,
        to_type: &str,
        to_public_id: &str,
        version: i64,
    ) -> ApiResult<Option<String>> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let old: Option<String> = tx
            .query_row(
                "SELECT blob FROM assets WHERE cloud=?1 AND resource_type=?2 AND type=?3 AND public_id=?4 AND asset_id<>?5",
                params![a.cloud, a.resource_type, to_type, to_public_id, a.asset_id],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "DELETE FROM assets WHERE cloud=?1 AND resource_type=?2 AND type=?3 AND public_id=?4 AND asset_id<>?5",
            params![a.cloud, a.resource_type, to_type, to_public_id, a.asset_id],
        )?;
        tx.execute(
            "UPDATE assets SET type=?1, public_id=?2, version=?3 WHERE cloud=?4 AND asset_id=?5",
            params![to_type, to_public_id, version, a.cloud, a.asset_id],
        )?;
        tx.commit()?;
        Ok(old)
    }

    /// Deletes an asset; returns whether it existed.
    pub fn delete(&self, a: &Asset) -> ApiResult<bool> {
        let n = self.db().execute(
            "DELETE FROM assets WHERE cloud=?1 AND asset_id=?2",
            params![a.cloud, a.asset_id],
        )?;
        if n > 0 {
            self.drop_blob(&a.blob);
        }
        Ok(n > 0)
    }

    /// An upload preset's settings and whether it is unsigned.
    pub fn preset(
        &self,
        cloud: &str,
        name: &str,
    ) -> ApiResult<Option<(bool, JsonMap<String, Json>)>> {
        let db = self.db();
        Ok(db
            .query_row(
                "SELECT unsigned, settings FROM presets WHERE cloud=?1 AND name=?2",
                params![cloud, name],
                |r| Ok((r.get::<_, i64>(0)? != 0, json_map(&r.get::<_, String>(1)?))),
            )
            .optional()?)
    }

    /// All presets of a cloud: (name, unsigned, settings).
    pub fn presets(&self, cloud: &str) -> ApiResult<Vec<Preset>> {
        let db = self.db();
        let mut stmt = db
            .prepare("SELECT name, unsigned, settings FROM presets WHERE cloud=?1 ORDER BY name")?;
        let rows = stmt.query_map(params![cloud], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, i64>(1)? != 0,
                json_map(&r.get::<_, String>(2)?),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Creates or replaces a preset.
    pub fn put_preset(
        &self,
        cloud: &str,
        name: &str,
        unsigned: bool,
        settings: &JsonMap<String, Json>,
    ) -> ApiResult<()> {
        self.db().execute(
            "INSERT OR REPLACE INTO presets(cloud, name, unsigned, settings) VALUES (?1, ?2, ?3, ?4)",
            params![cloud, name, unsigned as i64, serde_json::to_string(settings).unwrap_or_default()],
        )?;
        Ok(())
    }

    /// Deletes a preset; returns whether it existed.
    pub fn delete_preset(&self, cloud: &str, name: &str) -> ApiResult<bool> {
        Ok(self.db().execute(
            "DELETE FROM presets WHERE cloud=?1 AND name=?2",
            params![cloud, name],
        )? > 0)
    }

    /// Explicitly created folders.
    pub fn folders(&self, cloud: &str) -> ApiResult<Vec<String>> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT path FROM folders WHERE cloud=?1 ORDER BY path")?;
        let rows = stmt.query_map(params![cloud], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a folder (and returns whether it was new).
    pub fn add_folder(&self, cloud: &str, path: &str) -> ApiResult<bool> {
        Ok(self.db().execute(
            "INSERT OR IGNORE INTO folders(cloud, path) VALUES (?1, ?2)",
            params![cloud, path],
        )? > 0)
    }

    /// Forgets a folder.
    pub fn remove_folder(&self, cloud: &str, path: &str) -> ApiResult<()> {
        self.db().execute(
            "DELETE FROM folders WHERE cloud=?1 AND path=?2",
            params![cloud, path],
        )?;
        Ok(())
    }

    /// A chunk session.
    pub fn chunk_session(&self, cloud: &str, upload_id: &str) -> ApiResult<Option<ChunkSession>> {
        let db = self.db();
        Ok(db
            .query_row(
                "SELECT file, total, ranges FROM chunks WHERE cloud=?1 AND upload_id=?2",
                params![cloud, upload_id],
                |r| {
                    Ok(ChunkSession {
                        cloud: cloud.to_owned(),
                        upload_id: upload_id.to_owned(),
                        file: r.get(0)?,
                        total: r.get::<_, Option<i64>>(1)?.map(|t| t as u64),
                        ranges: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                    })
                },
            )
            .optional()?)
    }

    /// Saves a chunk session's progress.
    pub fn save_chunk_session(&self, s: &ChunkSession) -> ApiResult<()> {
        self.db().execute(
            "INSERT OR REPLACE INTO chunks(cloud, upload_id, file, total, ranges) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                s.cloud, s.upload_id, s.file, s.total.map(|t| t as i64),
                serde_json::to_string(&s.ranges).unwrap_or_default()
            ],
        )?;
        Ok(())
    }

    /// Forgets a chunk session (its file has been adopted or is discarded).
    pub fn drop_chunk_session(&self, s: &ChunkSession) -> ApiResult<()> {
        self.db().execute(
            "DELETE FROM chunks WHERE cloud=?1 AND upload_id=?2",
            params![s.cloud, s.upload_id],
        )?;
        Ok(())
    }

    /// Structured metadata field definitions.
    pub fn metadata_fields(&self, cloud: &str) -> ApiResult<Vec<Json>> {
        let db = self.db();
        let mut stmt =
            db.prepare("SELECT field FROM metadata_fields WHERE cloud=?1 ORDER BY external_id")?;
        let rows = stmt.query_map(params![cloud], |r| r.get::<_, String>(0))?;
        let texts: Vec<String> = rows.collect::<Result<_, _>>()?;
        Ok(texts
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect())
    }

    /// Creates or replaces a metadata field definition.
    pub fn put_metadata_field(
        &self,
        cloud: &str,
        external_id: &str,
        field: &Json,
    ) -> ApiResult<()> {
        self.db().execute(
            "INSERT OR REPLACE INTO metadata_fields(cloud, external_id, field) VALUES (?1, ?2, ?3)",
            params![cloud, external_id, field.to_string()],
        )?;
        Ok(())
    }

    /// Deletes a metadata field definition.
    pub fn delete_metadata_field(&self, cloud: &str, external_id: &str) -> ApiResult<bool> {
        Ok(self.db().execute(
            "DELETE FROM metadata_fields WHERE cloud=?1 AND external_id=?2",
            params![cloud, external_id],
        )? > 0)
    }
}

/// Maps a storage failure of a blocking helper into an API error.
pub fn io_err(e: std::io::Error) -> ApiError {
    ApiError::internal(format!("storage error: {e}"))
}
