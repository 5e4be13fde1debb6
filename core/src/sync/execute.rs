//! Execution: uploads and downloads with bounded concurrency, orphan deletions in
//! batches (within the Admin API budget), the journal kept as items finish, and a
//! progress event per finished action.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::stream::{self, StreamExt};

use super::budget::Budget;
use super::{
    download, Action, ActionKind, Failure, Item, ItemSource, Journal, Progress, RemoteAsset,
    Report, SyncOptions, PLATFORM_ID_KEY,
};
use crate::api::{Source, UploadSettings};
use crate::{Client, Map, Value};

/// Public ids per `delete_resources` call (the Admin API's limit).
const DELETE_BATCH: usize = 100;

pub(crate) enum Outcome {
    Done(ActionKind, String),
    Failed(String, String),
    Skipped(String),
}

/// Counts finished actions and tells the progress callback.
struct Tally<'a> {
    done: AtomicUsize,
    total: usize,
    options: &'a SyncOptions,
}

impl Tally<'_> {
    fn finished(&self, public_id: &str, action: ActionKind, ok: bool) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(f) = &self.options.progress {
            f(&Progress {
                done,
                total: self.total,
                public_id: public_id.to_owned(),
                action,
                ok,
            });
        }
    }
}

/// Carries out `actions` (from [`super::plan()`]) for `items`: uploads,
/// replacements and downloads at most [`SyncOptions::concurrency`] at a time, then
/// deletions. Per-item failures are collected in the report, never fatal.
pub(crate) async fn run(
    client: &Client,
    items: &[Item],
    remote: &HashMap<String, RemoteAsset>,
    actions: Vec<Action>,
    journal: Option<&Journal>,
    options: &SyncOptions,
    budget: &Budget,
) -> Report {
    let mut report = Report::default();
    let tally = Tally {
        done: AtomicUsize::new(0),
        total: actions
            .iter()
            .filter(|a| a.kind != ActionKind::Unchanged)
            .count()
            .min(options.max_actions.unwrap_or(usize::MAX)),
        options,
    };
    let mut started = 0usize;
    let limit = options.max_actions.unwrap_or(usize::MAX);
    let mut deletes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut uploads = Vec::new();
    for a in actions {
        match a.kind {
            ActionKind::Unchanged => {
                if let (Some(j), Some(i)) = (journal, a.item) {
                    let key = items[i].marker.key();
                    if j.marker(&a.public_id).ok().flatten().as_deref() != Some(key.as_str()) {
                        // Best effort: the journal only speeds up later runs here.
                        let _ = j.record(&a.public_id, &key, None);
                    }
                }
                report.unchanged.push(a.public_id);
            }
            ActionKind::Delete => {
                if started >= limit {
                    report.skipped.push(a.public_id);
                    continue;
                }
                started += 1;
                let rt = a.resource_type.unwrap_or_else(|| "image".into());
                deletes.entry(rt).or_default().push(a.public_id);
            }
            ActionKind::Upload | ActionKind::Replace | ActionKind::Download => uploads.push(a),
        }
    }
    let upload_limit = limit.saturating_sub(started);
    let tally_ref = &tally;
    let mut count = 0usize;
    let tag = options.tag.as_deref();
    let outcomes: Vec<Outcome> = stream::iter(uploads)
        .map(|a| {
            count += 1;
            let go = count <= upload_limit;
            async move {
                if !go {
                    return Outcome::Skipped(a.public_id);
                }
                let kind = a.kind;
                let outcome = if kind == ActionKind::Download {
                    download::fetch(client, remote, a, options).await
                } else {
                    upload_one(client, items, a, journal, tag).await
                };
                match &outcome {
                    Outcome::Done(_, p) => tally_ref.finished(p, kind, true),
                    Outcome::Failed(p, _) => tally_ref.finished(p, kind, false),
                    Outcome::Skipped(_) => {}
                }
                outcome
            }
        })
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    for o in outcomes {
        match o {
            Outcome::Done(ActionKind::Upload, p) => report.uploaded.push(p),
            Outcome::Done(ActionKind::Download, p) => report.downloaded.push(p),
            Outcome::Done(_, p) => report.updated.push(p),
            Outcome::Failed(public_id, reason) => report.failed.push(Failure { public_id, reason }),
            Outcome::Skipped(p) => report.skipped.push(p),
        }
    }
    for (rt, ids) in deletes {
        for batch in ids.chunks(DELETE_BATCH) {
            delete_batch(client, budget, &rt, batch, journal, &mut report, &tally).await;
        }
    }
    report.uploaded.sort();
    report.downloaded.sort();
    report.deleted.sort();
    report.updated.sort();
    report.skipped.sort();
    report.failed.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    report
}

async fn upload_one(
    client: &Client,
    items: &[Item],
    a: Action,
    journal: Option<&Journal>,
    tag: Option<&str>,
) -> Outcome {
    let Some(item) = a.item.and_then(|i| items.get(i)) else {
        return Outcome::Failed(a.public_id, "no inventory item for the action".into());
    };
    let marker = item.marker.key();
    let mut opts = Map::new();
    opts.insert("public_id", a.public_id.clone());
    opts.insert("overwrite", true);
    opts.insert(
        "resource_type",
        a.resource_type.clone().unwrap_or_else(|| "auto".into()),
    );
    if a.kind == ActionKind::Replace {
        opts.insert("invalidate", true);
    }
    let mut context = Map::new();
    context.insert(PLATFORM_ID_KEY, item.id.clone());
    opts.insert("context", context);
    if let Some(t) = tag {
        opts.insert("tags", Value::List(vec![Value::from(t)]));
    }
    let source = match &item.source {
        ItemSource::Path(p) => Source::Path(p.clone()),
        ItemSource::Url(u) => Source::Remote(u.clone()),
        ItemSource::Bytes(b) => Source::bytes(b.clone(), None),
    };
    match client
        .upload(source, &opts, &UploadSettings::default())
        .await
    {
        Ok(r) => {
            let version = match r.get("version") {
                Some(Value::Int(v)) => Some(*v),
                _ => None,
            };
            if let Some(j) = journal {
                if let Err(e) = j.record(&a.public_id, &marker, version) {
                    return Outcome::Failed(a.public_id, format!("uploaded, but {e}"));
                }
            }
            Outcome::Done(a.kind, a.public_id)
        }
        Err(e) => Outcome::Failed(a.public_id, e.to_string()),
    }
}

async fn delete_batch(
    client: &Client,
    budget: &Budget,
    rt: &str,
    ids: &[String],
    journal: Option<&Journal>,
    report: &mut Report,
    tally: &Tally<'_>,
) {
    let mut args = Map::new();
    args.insert(
        "public_ids",
        Value::List(ids.iter().map(|s| Value::from(s.as_str())).collect()),
    );
    let mut opts = Map::new();
    opts.insert("resource_type", rt);
    opts.insert("type", "upload");
    match budget.admin(client, "delete_resources", &args, &opts).await {
        Ok(r) => {
            let deleted = r.get("deleted").and_then(Value::as_map);
            for id in ids {
                match deleted.and_then(|d| d.get(id)).and_then(Value::as_str) {
                    Some("deleted") | Some("not_found") => {
                        if let Some(j) = journal {
                            let _ = j.forget(id);
                        }
                        tally.finished(id, ActionKind::Delete, true);
                        report.deleted.push(id.clone());
                    }
                    other => {
                        tally.finished(id, ActionKind::Delete, false);
                        report.failed.push(Failure {
                            public_id: id.clone(),
                            reason: format!("delete answered {other:?}"),
                        })
                    }
                }
            }
        }
        Err(e) => {
            for id in ids {
                tally.finished(id, ActionKind::Delete, false);
                report.failed.push(Failure {
                    public_id: id.clone(),
                    reason: e.to_string(),
                });
            }
        }
    }
}
