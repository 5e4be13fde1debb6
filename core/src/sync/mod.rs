//! Media sync: keeps a platform's media library and a Cloudinary folder in step.
//!
//! The caller gives an inventory of [`Item`]s (a platform id, a source and a change
//! marker), as a vector ([`sync`]) or an iterator ([`sync_iter`], e.g. [`walk_dir`]'s
//! lazy directory walk; either way the items are spooled to a scratch SQLite file),
//! and [`SyncOptions`] (the target folder and tag, the storage [`Mode`], whether
//! remote orphans are deleted, a dry run, the concurrency and an optional SQLite
//! journal). [`sync`] lists the remote side through the Admin API's paginated
//! `resources` call, [plans](plan()) one action per asset (upload new, replace changed,
//! delete orphans when asked, leave unchanged ones alone), and executes the plan with
//! bounded concurrency through [`Client::upload`], collecting per-item failures in the
//! final [`Report`]. With a journal, a run killed part-way resumes without uploading
//! again what finished.
//!
//! In the dual modes ([`Mode::Dual`], [`Mode::DualLowRes`]) assets only Cloudinary
//! holds are downloaded into [`SyncOptions::download_dir`] (full copies, or
//! low-resolution derivatives). Admin API calls (the listing, deletions) go through
//! the hourly budget: the sync reads the rate-limit headers, waits for the reset
//! before running out, and waits and retries after a 420 instead of failing.
//! Several processes can share one sync: each takes one [`SyncOptions::partition`]
//! of the inventory (by a stable hash of the public id) and may share the journal.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use cldkit::sync::{scan_dir, sync, SyncOptions};
//! let client = cldkit::Client::from_env()?;
//! let options = SyncOptions { folder: "media".into(), ..SyncOptions::default() };
//! let items = scan_dir("wp-content/uploads".as_ref(), &options.folder, &[])?;
//! let report = sync(&client, items, &options).await?;
//! println!("{} uploaded, {} failed", report.uploaded.len(), report.failed.len());
//! # Ok(()) }
//! ```

mod budget;
mod call;
mod download;
mod execute;
mod inventory;
mod journal;
mod plan;
mod remote;
mod report;
mod spool;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use inventory::{scan_dir, walk_dir, DirWalk, Item, ItemSource, Marker};
pub use journal::Journal;
pub use plan::{plan, Action, ActionKind, Orphans};
pub use remote::{RemoteAsset, PLATFORM_ID_KEY};
pub use report::{Failure, Progress, Report};

pub(crate) use call::run_call;
pub use call::{parse_partition, sync_call};

use crate::api::ApiError;
use crate::Client;
use budget::Budget;

/// Why a sync could not run at all (per-item problems go to [`Report::failed`]).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The options are unusable (e.g. `--delete` without a folder).
    #[error("sync options: {0}")]
    Options(String),
    /// The inventory could not be built (unreadable directory, duplicate public id...).
    #[error("sync inventory: {0}")]
    Inventory(String),
    /// The remote listing failed.
    #[error("sync listing: {0}")]
    Listing(#[from] ApiError),
    /// The journal file could not be opened, read or written.
    #[error("sync journal: {0}")]
    Journal(String),
}

/// Where the platform's copies live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Cloudinary holds the assets; nothing is downloaded to the platform.
    #[default]
    CloudinaryOnly,
    /// Both sides keep full copies: assets only Cloudinary holds are downloaded.
    Dual,
    /// The platform keeps low-resolution copies: assets only Cloudinary holds are
    /// downloaded as derivatives no wider than [`SyncOptions::low_res_width`].
    DualLowRes,
}

impl Mode {
    /// Parses `cloudinary_only`, `dual` or `dual_low_res`.
    pub fn parse(s: &str) -> Result<Mode, SyncError> {
        match s {
            "cloudinary_only" => Ok(Mode::CloudinaryOnly),
            "dual" => Ok(Mode::Dual),
            "dual_low_res" => Ok(Mode::DualLowRes),
            other => Err(SyncError::Options(format!(
                "unknown mode {other:?} (cloudinary_only, dual or dual_low_res)"
            ))),
        }
    }
}

/// How the report gives the items left unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnchangedReport {
    /// Their public ids, in [`Report::unchanged`] (the default).
    #[default]
    Ids,
    /// Only their number, in [`Report::unchanged_count`] ([`Report::unchanged`]
    /// stays empty): a re-sync of a large library then keeps no per-item list.
    Count,
}

impl UnchangedReport {
    /// Parses `ids` or `count`.
    pub fn parse(s: &str) -> Result<UnchangedReport, SyncError> {
        match s {
            "ids" => Ok(UnchangedReport::Ids),
            "count" => Ok(UnchangedReport::Count),
            other => Err(SyncError::Options(format!(
                "unknown report_unchanged {other:?} (ids or count)"
            ))),
        }
    }
}

/// A callback told of each finished action (see [`Progress`]).
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How a sync runs.
#[derive(Clone)]
pub struct SyncOptions {
    /// The folder (public-id prefix) the inventory lives under; empty for the root.
    pub folder: String,
    /// A tag added to every uploaded asset.
    pub tag: Option<String>,
    /// The storage mode.
    pub mode: Mode,
    /// Delete remote assets under the folder that the inventory does not hold
    /// (requires a non-empty folder; not with a dual mode, which downloads them).
    pub delete_orphans: bool,
    /// Plan only: nothing is uploaded, deleted or journaled.
    pub dry_run: bool,
    /// Actions in flight at once (at least 1; default 4).
    pub concurrency: usize,
    /// The SQLite journal file (created when missing).
    pub journal: Option<PathBuf>,
    /// Start at most this many actions, then stop (the rest are reported as
    /// `skipped`): batch windows, and tests of interrupted runs.
    pub max_actions: Option<usize>,
    /// `(k, n)`: sync only the items and orphans whose public id falls in partition
    /// `k` of `n` (a stable FNV-1a hash), so that `n` processes share one sync.
    pub partition: Option<(u32, u32)>,
    /// Where the dual modes write downloaded assets (required by them): the public
    /// id below the folder, plus the format's extension.
    pub download_dir: Option<PathBuf>,
    /// The width of the derivatives [`Mode::DualLowRes`] downloads (default 480).
    pub low_res_width: u32,
    /// Admin API calls to leave unspent in each window for the platform's own use
    /// (default 0): the sync waits for the reset when the budget gets this low.
    pub budget_reserve: u64,
    /// The longest the sync waits, in all, for budget resets before an Admin call
    /// fails (default 2 hours).
    pub max_budget_wait: Duration,
    /// Told of each finished action.
    pub progress: Option<ProgressFn>,
    /// How the report gives the unchanged items (default: their ids).
    pub report_unchanged: UnchangedReport,
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("folder", &self.folder)
            .field("tag", &self.tag)
            .field("mode", &self.mode)
            .field("delete_orphans", &self.delete_orphans)
            .field("dry_run", &self.dry_run)
            .field("concurrency", &self.concurrency)
            .field("journal", &self.journal)
            .field("max_actions", &self.max_actions)
            .field("partition", &self.partition)
            .field("download_dir", &self.download_dir)
            .field("low_res_width", &self.low_res_width)
            .field("budget_reserve", &self.budget_reserve)
            .field("max_budget_wait", &self.max_budget_wait)
            .field("progress", &self.progress.as_ref().map(|_| "Fn"))
            .field("report_unchanged", &self.report_unchanged)
            .finish()
    }
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            folder: String::new(),
            tag: None,
            mode: Mode::CloudinaryOnly,
            delete_orphans: false,
            dry_run: false,
            concurrency: 4,
            journal: None,
            max_actions: None,
            partition: None,
            download_dir: None,
            low_res_width: 480,
            budget_reserve: 0,
            max_budget_wait: Duration::from_secs(2 * 3600),
            progress: None,
            report_unchanged: UnchangedReport::Ids,
        }
    }
}

/// The most actions in flight at once.
pub const MAX_CONCURRENCY: usize = 64;

/// Whether `public_id` falls in partition `k` of `n` (FNV-1a of its bytes).
pub fn in_partition(public_id: &str, (k, n): (u32, u32)) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in public_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    n > 0 && h % u64::from(n) == u64::from(k)
}

fn check(options: &SyncOptions) -> Result<(), SyncError> {
    let bad = |m: &str| Err(SyncError::Options(m.into()));
    if options.concurrency == 0 || options.concurrency > MAX_CONCURRENCY {
        return Err(SyncError::Options(format!(
            "concurrency must be between 1 and {MAX_CONCURRENCY}"
        )));
    }
    if options.delete_orphans && options.folder.trim_matches('/').is_empty() {
        return bad("deleting orphans needs a folder (it would delete the whole account)");
    }
    let dual = options.mode != Mode::CloudinaryOnly;
    if dual && options.delete_orphans {
        return bad(
            "a dual mode downloads the assets only Cloudinary holds: it cannot delete them too",
        );
    }
    if dual && options.download_dir.is_none() {
        return bad("a dual mode needs a download directory for the assets only Cloudinary holds");
    }
    if options.mode == Mode::DualLowRes && !(1..=10_000).contains(&options.low_res_width) {
        return bad("low_res_width must be between 1 and 10000");
    }
    if let Some((k, n)) = options.partition {
        if n == 0 || k >= n {
            return bad("partition K/N needs N > 0 and K < N");
        }
    }
    Ok(())
}

/// Runs a sync of `items` against the account of `client`: lists, plans, and (unless
/// [`SyncOptions::dry_run`]) executes; returns the report. The same as
/// [`sync_iter`] over the vector.
pub async fn sync(
    client: &Client,
    items: Vec<Item>,
    options: &SyncOptions,
) -> Result<Report, SyncError> {
    sync_iter(client, items.into_iter().map(Ok), options).await
}

/// Runs a sync of the inventory `items` yields (e.g. [`walk_dir`]): the first
/// error it yields stops the sync before anything is listed or uploaded. The items
/// are spooled into the sync's scratch SQLite file as they come and read back a page
/// at a time, so memory does not grow with the size of the inventory (the report's
/// id lists aside, see [`SyncOptions::report_unchanged`]).
pub async fn sync_iter<I>(
    client: &Client,
    items: I,
    options: &SyncOptions,
) -> Result<Report, SyncError>
where
    I: IntoIterator<Item = Result<Item, SyncError>>,
{
    check(options)?;
    let folder = options.folder.trim_matches('/');
    let partition = options.partition;
    let keep = move |pid: &str| partition.map_or(true, |p| in_partition(pid, p));
    // The inventory and the listing go to a scratch SQLite file, and the plan is
    // made there: memory holds neither (see docs/sync.md). The inventory is read
    // whole before the first await, so the iterator need not be `Send`.
    let store = remote::RemoteStore::new()?;
    store.spool(items, keep)?;
    let journal = match &options.journal {
        Some(p) => Some(Journal::open(p)?.with_clock(client.clock.clone())),
        None => None,
    };
    let budget = Budget::new(options.budget_reserve, options.max_budget_wait);
    remote::list_remote(client, folder, &budget, keep, &store).await?;
    let orphans = if options.mode != Mode::CloudinaryOnly {
        Orphans::Download
    } else if options.delete_orphans {
        Orphans::Delete
    } else {
        Orphans::Keep
    };
    plan::decide_stored(&store, journal.as_ref())?;
    let mut report = if options.dry_run {
        Report::dry_run(plan::full_plan(&store, orphans)?)
    } else {
        execute::run(client, &store, orphans, journal.as_ref(), options, &budget).await?
    };
    report.admin_calls = budget.calls();
    report.budget_waits = budget.waits();
    Ok(report)
}
