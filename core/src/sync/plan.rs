//! The plan: one action per item and per remote orphan.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{Item, Journal, RemoteAsset};

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

/// Plans the sync of `items` against `remote` (by public id). An item is unchanged
/// when its content hash equals the remote etag, or, without a hash, when the
/// journal recorded an upload with the same marker; remote assets the inventory does
/// not hold are kept, deleted or downloaded as `orphans` says.
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
        let (kind, reason, rt) = match remote.get(&item.public_id) {
            None => (ActionKind::Upload, "not on Cloudinary".to_owned(), None),
            Some(r) => {
                let rt = Some(r.resource_type.clone());
                match (&item.marker.hash, &r.etag) {
                    (Some(h), Some(e)) if h.eq_ignore_ascii_case(e) => {
                        (ActionKind::Unchanged, "etag matches".to_owned(), rt)
                    }
                    (Some(_), Some(_)) => (ActionKind::Replace, "etag differs".to_owned(), rt),
                    _ => {
                        let journaled = journal
                            .and_then(|j| j.marker(&item.public_id).ok().flatten())
                            .is_some_and(|m| m == item.marker.key());
                        if journaled {
                            (
                                ActionKind::Unchanged,
                                "journal marker matches".to_owned(),
                                rt,
                            )
                        } else {
                            (
                                ActionKind::Replace,
                                "no hash to compare and no matching journal record".to_owned(),
                                rt,
                            )
                        }
                    }
                }
            }
        };
        out.push(Action {
            kind,
            public_id: item.public_id.clone(),
            reason,
            item: Some(i),
            resource_type: rt,
        });
    }
    let (kind, reason) = match orphans {
        Orphans::Keep => return out,
        Orphans::Delete => (ActionKind::Delete, "not in the inventory"),
        Orphans::Download => (ActionKind::Download, "only on Cloudinary"),
    };
    let mut left: Vec<&RemoteAsset> = remote
        .values()
        .filter(|r| !wanted.contains(r.public_id.as_str()))
        .collect();
    left.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    for r in left {
        out.push(Action {
            kind,
            public_id: r.public_id.clone(),
            reason: reason.into(),
            item: None,
            resource_type: Some(r.resource_type.clone()),
        });
    }
    out
}
