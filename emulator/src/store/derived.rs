//! Which renderings of an asset exist: delivery records each rendering it adds to the
//! derived cache, and the Admin API lists an asset's as its `derived` array (only
//! those still in the cache: evicted renderings are dropped from the list).

use rusqlite::params;

use super::Store;
use crate::error::ApiResult;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS derived_renderings(key TEXT PRIMARY KEY,
  blob TEXT NOT NULL, transformation TEXT NOT NULL, format TEXT NOT NULL,
  bytes INTEGER NOT NULL)";

/// One rendering of an asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedRecord {
    /// The cache key (the file name under `derived/`), also its `id`.
    pub id: String,
    /// The transformation as the URL wrote it.
    pub transformation: String,
    /// The delivered format.
    pub format: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl Store {
    /// Records that the rendering `key` of the blob `blob` with `transformation` as
    /// `format` (`bytes` long) is in the derived cache.
    pub fn record_derived(
        &self,
        blob: &str,
        transformation: &str,
        format: &str,
        key: &str,
        bytes: u64,
    ) -> ApiResult<()> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        db.execute(
            "INSERT OR REPLACE INTO derived_renderings VALUES(?1, ?2, ?3, ?4, ?5)",
            params![key, blob, transformation, format, bytes as i64],
        )?;
        Ok(())
    }

    /// The renderings of the blob `blob` still in the derived cache, oldest first.
    pub fn derived_of(&self, blob: &str) -> ApiResult<Vec<DerivedRecord>> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        let mut stmt = db.prepare(
            "SELECT key, transformation, format, bytes FROM derived_renderings WHERE blob=?1 ORDER BY rowid",
        )?;
        let rows: Vec<DerivedRecord> = stmt
            .query_map(params![blob], |r| {
                Ok(DerivedRecord {
                    id: r.get(0)?,
                    transformation: r.get(1)?,
                    format: r.get(2)?,
                    bytes: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        let (live, gone): (Vec<_>, Vec<_>) = rows
            .into_iter()
            .partition(|d| self.derived_path(&d.id).is_file());
        for d in gone {
            db.execute("DELETE FROM derived_renderings WHERE key=?1", params![d.id])?;
        }
        Ok(live)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_renderings_still_cached_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        std::fs::write(store.derived_path("k1"), b"x").unwrap();
        store.record_derived("b", "w_10", "png", "k1", 1).unwrap();
        store.record_derived("b", "w_20", "png", "k2", 1).unwrap();
        store
            .record_derived("other", "w_10", "png", "k3", 1)
            .unwrap();
        let got = store.derived_of("b").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].transformation, "w_10");
        assert_eq!(got[0].id, "k1");
    }
}
