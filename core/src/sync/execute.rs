//! Execution: uploads and downloads with bounded concurrency, orphan deletions in
//! batches (within the Admin API budget), the journal kept as items finish, and a
//! progress event per finished action.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use futures_util::stream::{self, StreamExt};

use super::budget::Budget;
use super::plan;
use super::remote::RemoteStore;
use super::spool::{Only, Stored, ITEM_PAGE};
use super::{
    download, Action, ActionKind, Failure, Item, ItemSource, Journal, Orphans, Progress,
    RemoteAsset, Report, SyncError, SyncOptions, UnchangedReport, PLATFORM_ID_KEY,
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

/// The uploads, replacements and downloads to carry out, made one at a time as the
/// executor asks for them: the items' actions from their spooled decisions, then
/// (dual modes) the orphans, each read from the store a page at a time.
struct Jobs<'a> {
    store: &'a RemoteStore,
    items: VecDeque<Stored>,
    /// The last item read, and whether the items are all read.
    after_item: Option<usize>,
    items_done: bool,
    /// The orphans' action (downloads only; deletions go in batches).
    orphans: Option<(ActionKind, &'static str)>,
    page: VecDeque<RemoteAsset>,
    after: Option<String>,
    /// A failure of the store, reported after the executor stops.
    error: &'a Mutex<Option<SyncError>>,
}

/// One job: the action, the orphan it concerns or the item it carries out.
type Job = (Action, Option<RemoteAsset>, Option<Item>);

impl Jobs<'_> {
    fn fail(&mut self, e: SyncError) -> Option<Job> {
        *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        self.items_done = true;
        self.orphans = None;
        None
    }
}

impl Iterator for Jobs<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        while !self.items_done {
            if let Some(s) = self.items.pop_front() {
                let Some(d) = s.decision else {
                    let e = SyncError::Inventory(format!("{} was not planned", s.item.public_id));
                    return self.fail(e);
                };
                return Some((d.action(&s.item, s.seq), None, Some(s.item)));
            }
            match self.store.items(self.after_item, Only::Actions, ITEM_PAGE) {
                Ok(page) if page.is_empty() => self.items_done = true,
                Ok(page) => {
                    self.after_item = page.last().map(|s| s.seq);
                    self.items = page.into();
                }
                Err(e) => return self.fail(e),
            }
        }
        let (kind, reason) = self.orphans?;
        if self.page.is_empty() {
            match self
                .store
                .orphans(self.after.as_deref(), None, plan::ORPHAN_PAGE)
            {
                Ok(page) => self.page = page.into(),
                Err(e) => return self.fail(e),
            }
            self.after = self.page.back().map(|r| r.public_id.clone());
        }
        let r = self.page.pop_front()?;
        Some((plan::orphan(kind, reason, &r), Some(r), None))
    }
}

/// Carries out the plan spooled in `store` (the items' decisions, and the orphans
/// left unmarked): uploads, replacements and downloads at most
/// [`SyncOptions::concurrency`] at a time, then deletions in batches. Memory holds a
/// page of items or orphans, the transfers in flight and the report, not the
/// inventory or the listing. Per-item failures are collected in the report, never
/// fatal.
pub(crate) async fn run(
    client: &Client,
    store: &RemoteStore,
    orphans: Orphans,
    journal: Option<&Journal>,
    options: &SyncOptions,
    budget: &Budget,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let limit = options.max_actions.unwrap_or(usize::MAX);
    let unchanged_ids = options.report_unchanged == UnchangedReport::Ids;
    let mut unchanged = 0usize;
    let mut after = None;
    loop {
        let page = store.items(after, Only::Unchanged, ITEM_PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        for s in page {
            let item = s.item;
            if let Some(j) = journal {
                let key = item.marker.key();
                if j.marker(&item.public_id).ok().flatten().as_deref() != Some(key.as_str()) {
                    // Best effort: the journal only speeds up later runs here.
                    let _ = j.record(&item.public_id, &key, None);
                }
            }
            unchanged += 1;
            if unchanged_ids {
                report.unchanged.push(item.public_id);
            }
        }
    }
    if !unchanged_ids {
        report.unchanged_count = Some(unchanged);
    }
    let item_actions = store.action_count()?;
    let orphan = plan::orphan_action(orphans);
    let orphan_count = if orphan.is_some() {
        store.orphan_count()?
    } else {
        0
    };
    let tally = Tally {
        done: AtomicUsize::new(0),
        total: (item_actions + orphan_count).min(limit),
        options,
    };
    // Deletions are started first: the transfers get what `max_actions` leaves.
    let deleting = orphans == Orphans::Delete;
    let deletes = if deleting { orphan_count.min(limit) } else { 0 };
    let upload_limit = limit.saturating_sub(deletes);
    let error = Mutex::new(None);
    let jobs = Jobs {
        store,
        items: VecDeque::new(),
        after_item: None,
        items_done: false,
        orphans: orphan.filter(|_| !deleting),
        page: VecDeque::new(),
        after: None,
        error: &error,
    };
    let tally_ref = &tally;
    let mut count = 0usize;
    let tag = options.tag.as_deref();
    stream::iter(jobs)
        .map(|(a, asset, item)| {
            count += 1;
            let go = count <= upload_limit;
            async move {
                if !go {
                    return Outcome::Skipped(a.public_id);
                }
                let kind = a.kind;
                let outcome = if kind == ActionKind::Download {
                    download::fetch(client, asset.as_ref(), a, options).await
                } else {
                    upload_one(client, item.as_ref(), a, journal, tag).await
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
        .for_each(|o| {
            match o {
                Outcome::Done(ActionKind::Upload, p) => report.uploaded.push(p),
                Outcome::Done(ActionKind::Download, p) => report.downloaded.push(p),
                Outcome::Done(_, p) => report.updated.push(p),
                Outcome::Failed(public_id, reason) => {
                    report.failed.push(Failure { public_id, reason })
                }
                Outcome::Skipped(p) => report.skipped.push(p),
            }
            std::future::ready(())
        })
        .await;
    if let Some(e) = error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    if deleting {
        delete_orphans(client, budget, store, deletes, journal, &mut report, &tally).await?;
    }
    report.uploaded.sort();
    report.downloaded.sort();
    report.deleted.sort();
    report.updated.sort();
    report.skipped.sort();
    report.failed.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    Ok(report)
}

/// Deletes the first `deletes` orphans (by public id) in batches of each resource
/// type, types in sorted order; the orphans past them are reported as skipped.
async fn delete_orphans(
    client: &Client,
    budget: &Budget,
    store: &RemoteStore,
    deletes: usize,
    journal: Option<&Journal>,
    report: &mut Report,
    tally: &Tally<'_>,
) -> Result<(), SyncError> {
    // The last orphan deleted: `max_actions` may stop the deletions part-way.
    let last = match deletes.checked_sub(1) {
        Some(n) => store.nth_orphan(n)?,
        None => None,
    };
    if let Some(last) = &last {
        for rt in store.orphan_types()? {
            let mut after: Option<String> = None;
            loop {
                let mut ids: Vec<String> = store
                    .orphans(after.as_deref(), Some(&rt), DELETE_BATCH)?
                    .into_iter()
                    .map(|r| r.public_id)
                    .collect();
                let full = ids.len() == DELETE_BATCH;
                ids.retain(|p| p <= last);
                let Some(tail) = ids.last() else { break };
                after = Some(tail.clone());
                let more = full && ids.len() == DELETE_BATCH;
                delete_batch(client, budget, &rt, &ids, journal, report, tally).await;
                if !more {
                    break;
                }
            }
        }
    }
    // Past the last one deleted (all of them when none is): skipped.
    let mut after = last;
    loop {
        let page = store.orphans(after.as_deref(), None, plan::ORPHAN_PAGE)?;
        let Some(tail) = page.last() else { break };
        after = Some(tail.public_id.clone());
        report.skipped.extend(page.into_iter().map(|r| r.public_id));
    }
    Ok(())
}

async fn upload_one(
    client: &Client,
    item: Option<&Item>,
    a: Action,
    journal: Option<&Journal>,
    tag: Option<&str>,
) -> Outcome {
    let Some(item) = item else {
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
