//! The plan: one action per item and per remote orphan.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::remote::{RemoteStore, RESOURCE_TYPES};
use super::spool::{self, Only, ITEM_PAGE};
use super::{Item, Journal, RemoteAsset, SyncError};

/// What happens to one asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Upload an item Cloudinary does not have.
    Upload,
    /// Upload again an item whose content changed.
    Replace,
    /// Delete a remote asset the inventory does not hold.
    Delete,
    /// Download a remote asset the platform does not hold (dual modes).
    Download,
    /// Nothing to do.
    Unchanged,
}

/// One planned action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Action {
    /// What to do.
    pub kind: ActionKind,
    /// The public id concerned.
    pub public_id: String,
    /// Why (e.g. `etag differs`).
    pub reason: String,
    /// The index of the item in the inventory (none for deletions and downloads).
    #[serde(skip)]
    pub item: Option<usize>,
    /// The remote resource type (deletions, downloads and replacements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// What happens to remote assets the inventory does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orphans {
    /// Left alone.
    Keep,
    /// Deleted (`delete_orphans`).
    Delete,
    /// Downloaded to the platform (the dual modes).
    Download,
}

/// The reasons of item actions, as [`Decision`] numbers them.
const REASONS: [&str; 5] = [
    "not on Cloudinary",
    "etag matches",
    "etag differs",
    "journal marker matches",
    "no hash to compare and no matching journal record",
];

/// The action for `item` given the resource type and etag of its remote asset
/// (`None` when Cloudinary does not hold it): its kind and the index of its reason.
fn decide(
    item: &Item,
    remote: Option<(&str, Option<&str>)>,
    journal: Option<&Journal>,
) -> (ActionKind, u8) {
    let Some((_, etag)) = remote else {
        return (ActionKind::Upload, 0);
    };
    match (&item.marker.hash, etag) {
        (Some(h), Some(e)) if h.eq_ignore_ascii_case(e) => (ActionKind::Unchanged, 1),
        (Some(_), Some(_)) => (ActionKind::Replace, 2),
        _ => {
            let journaled = journal
                .and_then(|j| j.marker(&item.public_id).ok().flatten())
                .is_some_and(|m| m == item.marker.key());
            if journaled {
                (ActionKind::Unchanged, 3)
            } else {
                (ActionKind::Replace, 4)
            }
        }
    }
}

/// The kind and reason of the orphans' actions, if they have any.
pub(super) fn orphan_action(orphans: Orphans) -> Option<(ActionKind, &'static str)> {
    match orphans {
        Orphans::Keep => None,
        Orphans::Delete => Some((ActionKind::Delete, "not in the inventory")),
        Orphans::Download => Some((ActionKind::Download, "only on Cloudinary")),
    }
}

/// Plans the sync of `items` against `remote` (by public id). An item is unchanged
/// when its content hash equals the remote etag, or, without a hash, when the
/// journal recorded an upload with the same marker; remote assets the inventory does
/// not hold are kept, deleted or downloaded as `orphans` says.
///
/// [`super::sync`] makes the same plan without holding the listing in memory.
pub fn plan(
    items: &[Item],
    remote: &HashMap<String, RemoteAsset>,
    journal: Option<&Journal>,
    orphans: Orphans,
) -> Vec<Action> {
    let mut out = Vec::with_capacity(items.len());
    let mut wanted = HashSet::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        wanted.insert(item.public_id.as_str());
        let r = remote.get(&item.public_id);
        let (kind, reason) = decide(
            item,
            r.map(|r| (r.resource_type.as_str(), r.etag.as_deref())),
            journal,
        );
        out.push(Action {
            kind,
            public_id: item.public_id.clone(),
            reason: REASONS[usize::from(reason)].to_owned(),
            item: Some(i),
            resource_type: r.map(|r| r.resource_type.clone()),
        });
    }
    let Some((kind, reason)) = orphan_action(orphans) else {
        return out;
    };
    let mut left: Vec<&RemoteAsset> = remote
        .values()
        .filter(|r| !wanted.contains(r.public_id.as_str()))
        .collect();
    left.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    for r in left {
        out.push(orphan(kind, reason, r));
    }
    out
}

/// The action of an orphan.
pub(super) fn orphan(kind: ActionKind, reason: &str, r: &RemoteAsset) -> Action {
    Action {
        kind,
        public_id: r.public_id.clone(),
        reason: reason.into(),
        item: None,
        resource_type: Some(r.resource_type.clone()),
    }
}

/// The planned action of one item, in three bytes (a library of any size keeps one
/// per item while the sync runs; the [`Action`] is made when it is carried out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Decision {
    /// What to do.
    pub(super) kind: ActionKind,
    /// An index in `REASONS`.
    reason: u8,
    /// 0 when Cloudinary does not hold the item, else 1 + an index in
    /// [`RESOURCE_TYPES`].
    resource_type: u8,
}

impl Decision {
    /// A decision from its parts (as the spool stores them).
    pub(super) fn from_parts(kind: ActionKind, reason: u8, resource_type: u8) -> Decision {
        Decision {
            kind,
            reason: reason.min(REASONS.len() as u8 - 1),
            resource_type,
        }
    }

    /// The kind, reason index and resource type code.
    pub(super) fn parts(self) -> (ActionKind, u8, u8) {
        (self.kind, self.reason, self.resource_type)
    }

    /// The action of `item`, the `seq`-th of the inventory, whose decision this is.
    pub(super) fn action(self, item: &Item, seq: usize) -> Action {
        Action {
            kind: self.kind,
            public_id: item.public_id.clone(),
            reason: REASONS[usize::from(self.reason)].to_owned(),
            item: Some(seq),
            resource_type: usize::from(self.resource_type)
                .checked_sub(1)
                .and_then(|t| RESOURCE_TYPES.get(t))
                .map(|t| (*t).to_owned()),
        }
    }
}

/// Plans the items spooled in `store` as [`plan()`] does, against the listing there,
/// a page of items at a time: each item's decision is written to its row, and each
/// item found in the listing is marked, so that the orphans are the rows left
/// unmarked.
pub(super) fn decide_stored(
    store: &RemoteStore,
    journal: Option<&Journal>,
) -> Result<(), SyncError> {
    store.batch(|look| {
        let mut after = None;
        loop {
            let page = spool::page(look.conn(), after, Only::All, ITEM_PAGE)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some(last.seq);
            for s in &page {
                let found = look.find(&s.item.public_id)?;
                let (kind, reason) = decide(
                    &s.item,
                    found
                        .as_ref()
                        .map(|(rt, etag)| (rt.as_str(), etag.as_deref())),
                    journal,
                );
                let resource_type = match &found {
                    None => 0,
                    Some((rt, _)) => RESOURCE_TYPES
                        .iter()
                        .position(|t| t == rt)
                        .map_or(0, |p| p as u8 + 1),
                };
                let d = Decision {
                    kind,
                    reason,
                    resource_type,
                };
                spool::set_decision(look.conn(), s.seq, d)?;
            }
        }
    })
}

/// Orphans read from the store per page.
pub(super) const ORPHAN_PAGE: usize = 256;

/// The whole plan of a planned store (a dry run's report): the items' actions, then
/// the orphans'.
pub(super) fn full_plan(store: &RemoteStore, orphans: Orphans) -> Result<Vec<Action>, SyncError> {
    let mut out: Vec<Action> = Vec::new();
    let mut after = None;
    loop {
        let page = store.items(after, Only::All, ITEM_PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        for s in page {
            let d = s.decision.ok_or_else(|| {
                SyncError::Inventory(format!("{} was not planned", s.item.public_id))
            })?;
            out.push(d.action(&s.item, s.seq));
        }
    }
    let Some((kind, reason)) = orphan_action(orphans) else {
        return Ok(out);
    };
    let mut after: Option<String> = None;
    loop {
        let page = store.orphans(after.as_deref(), None, ORPHAN_PAGE)?;
        let Some(last) = page.last() else {
            return Ok(out);
        };
        after = Some(last.public_id.clone());
        out.extend(page.iter().map(|r| orphan(kind, reason, r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{ItemSource, Marker};

    fn item(pid: &str, hash: Option<&str>) -> Item {
        Item {
            id: pid.into(),
            public_id: pid.into(),
            source: ItemSource::Url(format!("https://h/{pid}")),
            marker: Marker {
                hash: hash.map(Into::into),
                size: Some(1),
                mtime: None,
            },
        }
    }

    fn asset(pid: &str, rt: &str, etag: Option<&str>) -> RemoteAsset {
        RemoteAsset {
            public_id: pid.into(),
            resource_type: rt.into(),
            etag: etag.map(Into::into),
            version: None,
            platform_id: None,
            format: None,
            secure_url: None,
        }
    }

    /// The store-backed plan and the in-memory [`plan()`] agree, orphans included.
    #[test]
    fn the_store_plan_equals_the_in_memory_plan() {
        let items = vec![
            item("f/new", Some("aa")),
            item("f/same", Some("AB")),
            item("f/changed", Some("cc")),
            item("f/nohash", None),
            item("f/same", Some("ab")),
        ];
        let remote = vec![
            asset("f/same", "image", Some("ab")),
            asset("f/changed", "video", Some("dd")),
            asset("f/nohash", "raw", Some("ee")),
            asset("f/z-orphan", "image", None),
            asset("f/a-orphan", "raw", Some("ff")),
        ];
        let map: HashMap<String, RemoteAsset> = remote
            .iter()
            .map(|r| (r.public_id.clone(), r.clone()))
            .collect();
        for orphans in [Orphans::Keep, Orphans::Delete, Orphans::Download] {
            let store = RemoteStore::new().unwrap();
            store.insert(&remote).unwrap();
            store
                .spool(items.iter().cloned().map(Ok), |_| true)
                .unwrap();
            decide_stored(&store, None).unwrap();
            let got = full_plan(&store, orphans).unwrap();
            let want = plan(&items, &map, None, orphans);
            assert_eq!(got, want, "{orphans:?}");
        }
        let want = plan(&items, &map, None, Orphans::Delete);
        let kinds: Vec<ActionKind> = want.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                ActionKind::Upload,
                ActionKind::Unchanged,
                ActionKind::Replace,
                ActionKind::Replace,
                ActionKind::Unchanged,
                ActionKind::Delete,
                ActionKind::Delete
            ]
        );
        assert_eq!(want[5].public_id, "f/a-orphan");
        assert_eq!(want[2].resource_type.as_deref(), Some("video"));
    }

    /// More orphans than one page come out whole and in public-id order.
    #[test]
    fn orphans_span_pages() {
        let remote: Vec<RemoteAsset> = (0..ORPHAN_PAGE * 2 + 3)
            .rev()
            .map(|i| asset(&format!("f/{i:05}"), "image", None))
            .collect();
        let store = RemoteStore::new().unwrap();
        store.insert(&remote).unwrap();
        let items = vec![item("f/00007", None)];
        store.spool(items.into_iter().map(Ok), |_| true).unwrap();
        decide_stored(&store, None).unwrap();
        let got = full_plan(&store, Orphans::Download).unwrap();
        assert_eq!(got.len(), remote.len());
        assert_eq!(got[0].kind, ActionKind::Replace);
        let ids: Vec<&str> = got[1..].iter().map(|a| a.public_id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        assert!(!ids.contains(&"f/00007"));
    }
}
