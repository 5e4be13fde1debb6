//! Media sync (issue 21, first slice): keeps a platform's media library and a
//! Cloudinary folder in step.
//!
//! The caller gives an inventory of [`Item`]s (a platform id, a source and a change
//! marker) and [`SyncOptions`] (the target folder and tag, the storage [`Mode`], whether
//! remote orphans are deleted, a dry run, the concurrency and an optional SQLite
//! journal). [`sync`] lists the remote side through the Admin API's paginated
//! `resources` call, [plans](plan()) one action per asset (upload new, replace changed,
//! delete orphans when asked, leave unchanged ones alone), and executes the plan with
//! bounded concurrency through [`Client::upload`], collecting per-item failures in the
//! final [`Report`]. With a journal, a run killed part-way resumes without uploading
//! again what finished.
//!
//! Only [`Mode::CloudinaryOnly`] is implemented; the Admin API hourly budget is not
//! yet paced (a rate-limited listing fails the run, a rate-limited item is reported
//! as failed).

mod execute;
mod inventory;
mod journal;
mod plan;
mod remote;
mod report;

use std::path::PathBuf;

pub use execute::execute;
pub use inventory::{scan_dir, Item, ItemSource, Marker};
pub use journal::Journal;
pub use plan::{plan, Action, ActionKind};
pub use remote::{list_remote, RemoteAsset, PLATFORM_ID_KEY};
pub use report::{Failure, Report};

use crate::api::ApiError;
use crate::Client;

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
    /// Both sides keep full copies (not yet implemented: refused with [`SyncError::Options`]).
    Dual,
    /// The platform keeps low-resolution copies (not yet implemented).
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

/// How a sync runs.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// The folder (public-id prefix) the inventory lives under; empty for the root.
    pub folder: String,
    /// A tag added to every uploaded asset.
    pub tag: Option<String>,
    /// The storage mode (only [`Mode::CloudinaryOnly`] for now).
    pub mode: Mode,
    /// Delete remote assets under the folder that the inventory does not hold
    /// (requires a non-empty folder).
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
        }
    }
}

/// The most actions in flight at once.
pub const MAX_CONCURRENCY: usize = 64;

/// Runs a sync of `items` against the account of `client`: lists, plans, and (unless
/// [`SyncOptions::dry_run`]) executes; returns the report.
pub async fn sync(
    client: &Client,
    items: Vec<Item>,
    options: &SyncOptions,
) -> Result<Report, SyncError> {
    if options.mode != Mode::CloudinaryOnly {
        return Err(SyncError::Options(
            "only the cloudinary_only mode is implemented so far".into(),
        ));
    }
    if options.concurrency == 0 || options.concurrency > MAX_CONCURRENCY {
        return Err(SyncError::Options(format!(
            "concurrency must be between 1 and {MAX_CONCURRENCY}"
        )));
    }
    let folder = options.folder.trim_matches('/');
    if options.delete_orphans && folder.is_empty() {
        return Err(SyncError::Options(
            "deleting orphans needs a folder (it would delete the whole account)".into(),
        ));
    }
    let journal = match &options.journal {
        Some(p) => Some(Journal::open(p)?),
        None => None,
    };
    let remote = list_remote(client, folder).await?;
    let actions = plan(&items, &remote, journal.as_ref(), options.delete_orphans);
    if options.dry_run {
        return Ok(Report::dry_run(actions));
    }
    Ok(execute(client, &items, actions, journal.as_ref(), options).await)
}
