//! The inventory spooled into the sync's scratch SQLite file: one `items` row per
//! item (its ids, source, marker and, once planned, its decision), written as the
//! inventory's iterator yields them and read back a page at a time, so that memory
//! does not hold the inventory either.

use std::path::PathBuf;

use rusqlite::{params, Connection, Row};

use super::plan::Decision;
use super::remote::{err, RemoteStore};
use super::{ActionKind, Item, ItemSource, Marker, SyncError};

/// Items read back per page.
pub(super) const ITEM_PAGE: usize = 256;

/// The `items` table (created with the listing's `remote` table). `seq` is the
/// item's 0-based position in the (partition-filtered) inventory; `kind`, `reason`
/// and `rtype` are its [`Decision`], null until planned.
pub(super) const ITEMS_TABLE: &str = "CREATE TABLE items (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    public_id TEXT NOT NULL,
    src_kind INTEGER NOT NULL,
    src BLOB NOT NULL,
    hash TEXT,
    size INTEGER,
    mtime INTEGER,
    kind INTEGER,
    reason INTEGER,
    rtype INTEGER
);";

/// Which items a page read selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Only {
    /// Every item.
    All,
    /// Items planned unchanged.
    Unchanged,
    /// Items with something to do.
    Actions,
}

const KINDS: [ActionKind; 5] = [
    ActionKind::Upload,
    ActionKind::Replace,
    ActionKind::Delete,
    ActionKind::Download,
    ActionKind::Unchanged,
];

fn kind_code(k: ActionKind) -> i64 {
    KINDS.iter().position(|x| *x == k).unwrap_or(0) as i64
}

/// The code of [`ActionKind::Unchanged`] in the `kind` column.
const UNCHANGED: i64 = 4;

#[cfg(unix)]
fn path_bytes(p: &std::path::Path) -> Result<Vec<u8>, SyncError> {
    use std::os::unix::ffi::OsStrExt;
    Ok(p.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn path_bytes(p: &std::path::Path) -> Result<Vec<u8>, SyncError> {
    p.to_str()
        .map(|s| s.as_bytes().to_vec())
        .ok_or_else(|| SyncError::Inventory(format!("{}: the path is not UTF-8", p.display())))
}

#[cfg(unix)]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

/// One item read back: its position, the item, and its decision when planned.
pub(super) struct Stored {
    /// The item's position in the inventory.
    pub(super) seq: usize,
    /// The item.
    pub(super) item: Item,
    /// Its planned action.
    pub(super) decision: Option<Decision>,
}

fn stored_row(r: &Row<'_>) -> rusqlite::Result<Stored> {
    let seq: i64 = r.get(0)?;
    let src_kind: i64 = r.get(3)?;
    let src: Vec<u8> = r.get(4)?;
    let source = match src_kind {
        0 => ItemSource::Path(bytes_path(src)),
        1 => ItemSource::Url(String::from_utf8_lossy(&src).into_owned()),
        _ => ItemSource::Bytes(bytes::Bytes::from(src)),
    };
    let size: Option<i64> = r.get(6)?;
    let kind: Option<i64> = r.get(8)?;
    let decision = match kind {
        Some(k) => Some(Decision::from_parts(
            KINDS.get(k as usize).copied().unwrap_or(ActionKind::Upload),
            r.get::<_, i64>(9)? as u8,
            r.get::<_, i64>(10)? as u8,
        )),
        None => None,
    };
    Ok(Stored {
        seq: seq as usize,
        item: Item {
            id: r.get(1)?,
            public_id: r.get(2)?,
            source,
            marker: Marker {
                hash: r.get(5)?,
                size: size.map(|s| s as u64),
                mtime: r.get(7)?,
            },
        },
        decision,
    })
}

/// Reads the page of items after `after` (a `seq`, exclusive) selected by `only`.
pub(super) fn page(
    conn: &Connection,
    after: Option<usize>,
    only: Only,
    limit: usize,
) -> Result<Vec<Stored>, SyncError> {
    let filter = match only {
        Only::All => "",
        Only::Unchanged => "AND kind = 4",
        Only::Actions => "AND kind IS NOT 4",
    };
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT seq, id, public_id, src_kind, src, hash, size, mtime, kind, reason, rtype
             FROM items WHERE seq > ?1 {filter} ORDER BY seq LIMIT ?2"
        ))
        .map_err(err)?;
    let after = after.map_or(-1, |a| a as i64);
    let rows = st
        .query_map(params![after, limit as i64], stored_row)
        .map_err(err)?;
    rows.collect::<Result<_, _>>().map_err(err)
}

/// Records the decision of item `seq`.
pub(super) fn set_decision(conn: &Connection, seq: usize, d: Decision) -> Result<(), SyncError> {
    let (kind, reason, rtype) = d.parts();
    conn.prepare_cached("UPDATE items SET kind = ?2, reason = ?3, rtype = ?4 WHERE seq = ?1")
        .and_then(|mut st| {
            st.execute(params![
                seq as i64,
                kind_code(kind),
                i64::from(reason),
                i64::from(rtype)
            ])
        })
        .map_err(err)?;
    Ok(())
}

impl RemoteStore {
    /// Spools the inventory: every item `keep` accepts (by public id) is written as
    /// the iterator yields it, in one transaction; the first error stops the spool.
    /// Returns how many items were kept.
    pub(super) fn spool<I>(&self, items: I, keep: impl Fn(&str) -> bool) -> Result<usize, SyncError>
    where
        I: IntoIterator<Item = Result<Item, SyncError>>,
    {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(err)?;
        let mut n = 0usize;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO items (seq, id, public_id, src_kind, src, hash, size, mtime)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err)?;
            for item in items {
                let item = item?;
                if !keep(&item.public_id) {
                    continue;
                }
                let (src_kind, src): (i64, Vec<u8>) = match item.source {
                    ItemSource::Path(p) => (0, path_bytes(&p)?),
                    ItemSource::Url(u) => (1, u.into_bytes()),
                    ItemSource::Bytes(b) => (2, b.to_vec()),
                };
                st.execute(params![
                    n as i64,
                    item.id,
                    item.public_id,
                    src_kind,
                    src,
                    item.marker.hash,
                    item.marker.size.map(|s| s as i64),
                    item.marker.mtime
                ])
                .map_err(err)?;
                n += 1;
            }
        }
        tx.commit().map_err(err)?;
        Ok(n)
    }

    /// The page of items after `after` (exclusive) selected by `only`.
    pub(super) fn items(
        &self,
        after: Option<usize>,
        only: Only,
        limit: usize,
    ) -> Result<Vec<Stored>, SyncError> {
        page(&self.lock(), after, only, limit)
    }

    /// How many items have something to do.
    pub(super) fn action_count(&self) -> Result<usize, SyncError> {
        self.lock()
            .query_row(
                &format!("SELECT COUNT(*) FROM items WHERE kind IS NOT {UNCHANGED}"),
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items come back as they went in, sources and markers included, in order.
    #[test]
    fn items_round_trip_through_the_spool() {
        let s = RemoteStore::new().unwrap();
        let mk = |pid: &str, source: ItemSource, hash: Option<&str>| Item {
            id: format!("id-{pid}"),
            public_id: pid.into(),
            source,
            marker: Marker {
                hash: hash.map(Into::into),
                size: Some(7),
                mtime: Some(-3),
            },
        };
        let items = vec![
            mk("f/b", ItemSource::Path("/x/y z.png".into()), Some("ab")),
            mk("f/skip", ItemSource::Url("https://h/s".into()), None),
            mk("f/a", ItemSource::Url("https://h/a".into()), None),
            mk(
                "f/c",
                ItemSource::Bytes(bytes::Bytes::from_static(b"\0\x01")),
                None,
            ),
        ];
        let n = s
            .spool(items.clone().into_iter().map(Ok), |p| p != "f/skip")
            .unwrap();
        assert_eq!(n, 3);
        let got = s.items(None, Only::All, 2).unwrap();
        assert_eq!(got.len(), 2);
        let rest = s.items(Some(got[1].seq), Only::All, 10).unwrap();
        let all: Vec<Stored> = got.into_iter().chain(rest).collect();
        let want = [&items[0], &items[2], &items[3]];
        assert_eq!(all.len(), want.len());
        for (i, (g, w)) in all.iter().zip(want).enumerate() {
            assert_eq!(g.seq, i);
            assert_eq!(g.item.id, w.id);
            assert_eq!(g.item.public_id, w.public_id);
            assert_eq!(g.item.marker, w.marker);
            assert_eq!(format!("{:?}", g.item.source), format!("{:?}", w.source));
            assert!(g.decision.is_none());
        }
        match &all[2].item.source {
            ItemSource::Bytes(b) => assert_eq!(&b[..], b"\0\x01"),
            other => panic!("{other:?}"),
        }
    }

    /// An error from the inventory stops the spool and is returned.
    #[test]
    fn an_inventory_error_stops_the_spool() {
        let s = RemoteStore::new().unwrap();
        let items = vec![Err(SyncError::Inventory("boom".into()))];
        assert!(matches!(
            s.spool(items, |_| true),
            Err(SyncError::Inventory(m)) if m == "boom"
        ));
    }
}
