//! The SQLite journal: what finished, so a killed run resumes without redoing it.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use super::SyncError;
use crate::Clock;

/// A journal file: one row per public id with the marker of its last finished upload.
/// Every record is its own committed transaction (WAL mode), so a process killed at
/// any point leaves every finished item recorded.
pub struct Journal {
    conn: Mutex<Connection>,
    /// The clock of the records' times: the sync's client's, else the system's.
    clock: Option<Clock>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").finish_non_exhaustive()
    }
}

fn err(e: impl std::fmt::Display) -> SyncError {
    SyncError::Journal(e.to_string())
}

impl Journal {
    /// Opens (creating when missing) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, SyncError> {
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS done (
                public_id TEXT PRIMARY KEY,
                marker TEXT NOT NULL,
                version INTEGER,
                at INTEGER NOT NULL
            );",
        )
        .map_err(err)?;
        Ok(Journal {
            conn: Mutex::new(conn),
            clock: None,
        })
    }

    /// The same journal timing its records by `clock` (Unix seconds; the sync passes
    /// its client's, see [`crate::Client::with_clock`]), the system clock when `None`.
    pub(crate) fn with_clock(mut self, clock: Option<Clock>) -> Journal {
        self.clock = clock;
        self
    }

    fn now(&self) -> i64 {
        match &self.clock {
            Some(c) => c(),
            None => crate::client::system_now(),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, SyncError> {
        self.conn
            .lock()
            .map_err(|_| SyncError::Journal("the journal lock is poisoned".into()))
    }

    /// The marker recorded for `public_id`, if any.
    pub fn marker(&self, public_id: &str) -> Result<Option<String>, SyncError> {
        self.lock()?
            .query_row(
                "SELECT marker FROM done WHERE public_id = ?1",
                params![public_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)
    }

    /// Records a finished upload of `public_id` with `marker`, at the journal's
    /// clock's time.
    pub fn record(
        &self,
        public_id: &str,
        marker: &str,
        version: Option<i64>,
    ) -> Result<(), SyncError> {
        let now = self.now();
        self.lock()?
            .execute(
                "INSERT INTO done (public_id, marker, version, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(public_id) DO UPDATE SET marker = ?2, version = ?3, at = ?4",
                params![public_id, marker, version, now],
            )
            .map(|_| ())
            .map_err(err)
    }

    /// Forgets `public_id` (after its deletion).
    pub fn forget(&self, public_id: &str) -> Result<(), SyncError> {
        self.lock()?
            .execute("DELETE FROM done WHERE public_id = ?1", params![public_id])
            .map(|_| ())
            .map_err(err)
    }

    /// The number of recorded items.
    pub fn len(&self) -> Result<u64, SyncError> {
        self.lock()?
            .query_row("SELECT COUNT(*) FROM done", [], |r| r.get(0))
            .map_err(err)
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> Result<bool, SyncError> {
        Ok(self.len()? == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(j: &Journal, public_id: &str) -> i64 {
        j.lock()
            .unwrap()
            .query_row(
                "SELECT at FROM done WHERE public_id = ?1",
                params![public_id],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn records_are_timed_by_the_injected_clock() {
        let dir = tempfile::tempdir().unwrap();
        let t = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(1_234));
        let t2 = t.clone();
        let clock: Clock =
            std::sync::Arc::new(move || t2.load(std::sync::atomic::Ordering::Relaxed));
        let j = Journal::open(&dir.path().join("j.sqlite"))
            .unwrap()
            .with_clock(Some(clock));
        j.record("a", "m1", Some(1)).unwrap();
        assert_eq!(at(&j, "a"), 1_234);
        t.store(5_678, std::sync::atomic::Ordering::Relaxed);
        j.record("a", "m2", None).unwrap();
        assert_eq!(at(&j, "a"), 5_678);
        assert_eq!(j.marker("a").unwrap().as_deref(), Some("m2"));
        // Without a clock, the system's.
        let j = Journal::open(&dir.path().join("k.sqlite")).unwrap();
        j.record("b", "m", None).unwrap();
        assert!(at(&j, "b") > 1_600_000_000);
    }
}
