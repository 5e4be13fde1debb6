//! Named transformations (`t_<name>`), stored per cloud. The Admin API's
//! `transformations` endpoints write them; delivery reads them to expand `t_` in a URL.

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::ApiResult;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS named_transformations(cloud TEXT NOT NULL,
  name TEXT NOT NULL, transformation TEXT NOT NULL, allowed_for_strict INTEGER NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY(cloud, name))";

/// A stored named transformation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedTransformation {
    /// Its name (what follows `t_`).
    pub name: String,
    /// Its transformation string (`c_fill,w_100/e_sepia`).
    pub transformation: String,
    /// `allowed_for_strict`.
    pub allowed_for_strict: bool,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
}

impl Store {
    /// The transformation string of the named transformation `name` of `cloud`.
    pub fn named_transformation(&self, cloud: &str, name: &str) -> ApiResult<Option<String>> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        Ok(db
            .query_row(
                "SELECT transformation FROM named_transformations WHERE cloud=?1 AND name=?2",
                params![cloud, name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Creates or replaces the named transformation `name` of `cloud`.
    pub fn put_named_transformation(
        &self,
        cloud: &str,
        name: &str,
        transformation: &str,
        allowed_for_strict: bool,
    ) -> ApiResult<()> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        db.execute(
            "INSERT OR REPLACE INTO named_transformations VALUES(?1, ?2, ?3, ?4, ?5)",
            params![
                cloud,
                name,
                transformation,
                allowed_for_strict,
                crate::ids::iso8601(crate::ids::now())
            ],
        )?;
        Ok(())
    }

    /// Deletes the named transformation `name` of `cloud`; false when there was none.
    pub fn delete_named_transformation(&self, cloud: &str, name: &str) -> ApiResult<bool> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        let n = db.execute(
            "DELETE FROM named_transformations WHERE cloud=?1 AND name=?2",
            params![cloud, name],
        )?;
        Ok(n > 0)
    }

    /// Every named transformation of `cloud`, by name.
    pub fn named_transformations(&self, cloud: &str) -> ApiResult<Vec<NamedTransformation>> {
        let db = self.db();
        db.execute_batch(TABLE)?;
        let mut stmt = db.prepare(
            "SELECT name, transformation, allowed_for_strict, created_at FROM named_transformations WHERE cloud=?1 ORDER BY name",
        )?;
        let rows = stmt.query_map(params![cloud], |r| {
            Ok(NamedTransformation {
                name: r.get(0)?,
                transformation: r.get(1)?,
                allowed_for_strict: r.get(2)?,
                created_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_transformations_are_stored_per_cloud() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.named_transformation("c", "thumb").unwrap(), None);
        store
            .put_named_transformation("c", "thumb", "c_fill,w_10,h_10", false)
            .unwrap();
        assert_eq!(
            store.named_transformation("c", "thumb").unwrap().as_deref(),
            Some("c_fill,w_10,h_10")
        );
        assert_eq!(store.named_transformation("other", "thumb").unwrap(), None);
        assert_eq!(store.named_transformations("c").unwrap().len(), 1);
        assert!(store.delete_named_transformation("c", "thumb").unwrap());
        assert!(!store.delete_named_transformation("c", "thumb").unwrap());
    }
}
