//! The final report.

use serde::Serialize;

use super::{Action, ActionKind};

/// One finished action, as the progress callback sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Actions finished so far (this one included).
    pub done: usize,
    /// Actions to carry out in all (unchanged items not counted).
    pub total: usize,
    /// The public id concerned.
    pub public_id: String,
    /// What was done.
    pub action: ActionKind,
    /// Whether it succeeded (failures are in the report with their reasons).
    pub ok: bool,
}

/// An item that could not be synced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The public id.
    pub public_id: String,
    /// Why (the API error's category, status and message; never credentials).
    pub reason: String,
}

/// What a sync did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Whether this was a dry run (then only `plan` is filled).
    pub dry_run: bool,
    /// Public ids uploaded new.
    pub uploaded: Vec<String>,
    /// Public ids replaced because their content changed.
    pub updated: Vec<String>,
    /// Public ids deleted as orphans.
    pub deleted: Vec<String>,
    /// Public ids downloaded to the platform (dual modes).
    pub downloaded: Vec<String>,
    /// Public ids left alone (empty when [`super::SyncOptions::report_unchanged`]
    /// asks for their count only).
    pub unchanged: Vec<String>,
    /// How many items were left alone, when
    /// [`super::SyncOptions::report_unchanged`] asks for the count instead of the
    /// ids (absent from the JSON otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unchanged_count: Option<usize>,
    /// Actions that failed, with reasons.
    pub failed: Vec<Failure>,
    /// Actions not started because [`super::SyncOptions::max_actions`] was reached.
    pub skipped: Vec<String>,
    /// Admin API calls the sync sent (the listing and deletions; uploads do not
    /// spend the Admin budget).
    pub admin_calls: u64,
    /// How many times the sync waited for the Admin API budget to reset.
    pub budget_waits: u64,
    /// The plan (dry runs only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<Action>,
}

impl Report {
    /// The report of a dry run: the plan, nothing done.
    pub fn dry_run(plan: Vec<Action>) -> Report {
        Report {
            dry_run: true,
            plan,
            ..Report::default()
        }
    }

    /// The report as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
