//! Durable state of the Admin API entities beyond assets, presets, folders and metadata
//! fields: upload mappings, streaming profiles, named transformations, triggers,
//! metadata rules, related assets, moderation, backups, polled notifications and the
//! provisioning entities. One SQLite table of JSON documents, keyed by scope (a cloud
//! name or an account id), kind and id, kept in insertion order, in
//! `<data dir>/extras.sqlite` next to the asset store.
//!
//! Every kind holds at most [`MAX_DOCS`] documents per scope: past that a create is a
//! 400, so a client cannot grow the file without bound.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value as Json;

use crate::error::{ApiError, ApiResult};

/// The most documents of one kind in one scope (e.g. 10,000 triggers per cloud).
pub const MAX_DOCS: usize = 10_000;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS docs(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE(scope, kind, id)
);
";

/// The document store.
pub struct Extras {
    /// `None` when no database could be opened (every call answers a 500).
    db: Mutex<Option<Connection>>,
}

impl std::fmt::Debug for Extras {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Extras")
    }
}

impl Extras {
    /// Opens (or creates) `dir/extras.sqlite`; an in-memory store when that fails (the
    /// emulator still answers, without persistence).
    pub fn open(dir: &Path) -> Extras {
        let conn = Connection::open(dir.join("extras.sqlite"))
            .and_then(|c| {
                c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")?;
                c.execute_batch(SCHEMA)?;
                Ok(c)
            })
            .or_else(|_| {
                let c = Connection::open_in_memory()?;
                c.execute_batch(SCHEMA)?;
                Ok::<_, rusqlite::Error>(c)
            });
        Extras {
            db: Mutex::new(conn.ok()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> ApiResult<T>) -> ApiResult<T> {
        let guard: MutexGuard<'_, Option<Connection>> =
            self.db.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(db) => f(db),
            None => Err(ApiError::internal("storage error: no database")),
        }
    }

    /// The document `id` of `kind` in `scope`.
    pub fn get(&self, scope: &str, kind: &str, id: &str) -> ApiResult<Option<Json>> {
        let text: Option<String> = self.with(|db| {
            Ok(db
                .query_row(
                    "SELECT body FROM docs WHERE scope=?1 AND kind=?2 AND id=?3",
                    params![scope, kind, id],
                    |r| r.get(0),
                )
                .optional()?)
        })?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Every document of `kind` in `scope`, oldest first, with its id.
    pub fn list(&self, scope: &str, kind: &str) -> ApiResult<Vec<(String, Json)>> {
        self.with(|db| {
            let mut stmt =
                db.prepare("SELECT id, body FROM docs WHERE scope=?1 AND kind=?2 ORDER BY seq")?;
            let rows = stmt.query_map(params![scope, kind], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, body) = row?;
                if let Ok(v) = serde_json::from_str(&body) {
                    out.push((id, v));
                }
            }
            Ok(out)
        })
    }

    /// Creates or replaces a document (a replaced one keeps its place in the order).
    /// A new document past [`MAX_DOCS`] of its kind is a 400.
    pub fn put(&self, scope: &str, kind: &str, id: &str, body: &Json) -> ApiResult<()> {
        self.with(|db| Self::put_in(db, scope, kind, id, body))
    }

    fn put_in(db: &Connection, scope: &str, kind: &str, id: &str, body: &Json) -> ApiResult<()> {
        let exists: bool = db
            .query_row(
                "SELECT 1 FROM docs WHERE scope=?1 AND kind=?2 AND id=?3",
                params![scope, kind, id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !exists {
            let n: i64 = db.query_row(
                "SELECT COUNT(*) FROM docs WHERE scope=?1 AND kind=?2",
                params![scope, kind],
                |r| r.get(0),
            )?;
            if n as usize >= MAX_DOCS {
                return Err(ApiError::bad_request(format!(
                    "Too many {kind} entries (at most {MAX_DOCS})"
                )));
            }
        }
        db.execute(
            "INSERT INTO docs(scope, kind, id, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(scope, kind, id) DO UPDATE SET body=excluded.body",
            params![scope, kind, id, body.to_string()],
        )?;
        Ok(())
    }

    /// Deletes a document; whether it existed.
    pub fn delete(&self, scope: &str, kind: &str, id: &str) -> ApiResult<bool> {
        self.with(|db| {
            let n = db.execute(
                "DELETE FROM docs WHERE scope=?1 AND kind=?2 AND id=?3",
                params![scope, kind, id],
            )?;
            Ok(n > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_keep_their_order_and_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let x = Extras::open(dir.path());
        x.put("c", "k", "b", &json!({"n": 1})).unwrap();
        x.put("c", "k", "a", &json!({"n": 2})).unwrap();
        x.put("c", "k", "b", &json!({"n": 3})).unwrap();
        let ids: Vec<String> = x
            .list("c", "k")
            .unwrap()
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(x.get("c", "k", "b").unwrap(), Some(json!({"n": 3})));
        assert!(x.list("d", "k").unwrap().is_empty());
        assert!(x.delete("c", "k", "a").unwrap());
        assert!(!x.delete("c", "k", "a").unwrap());
        // Persistent across reopen.
        drop(x);
        let x = Extras::open(dir.path());
        assert_eq!(x.list("c", "k").unwrap().len(), 1);
    }
}
