//! `cldkit sync DIR --folder F [--delete] [--dry-run] [--journal PATH] [--concurrency N]
//! [--mode M] [--partition K/N] ...`: syncs a local directory with a Cloudinary folder
//! and prints the report as JSON.

use std::path::PathBuf;
use std::sync::Arc;

use cldkit::sync::{parse_partition, sync_iter, walk_dir, Mode, SyncOptions, UnchangedReport};

use crate::upload::client;

/// Usage of the `sync` command.
pub const USAGE: &str = "\
cldkit sync DIR --folder F [--delete] [--dry-run] [--journal PATH] [--concurrency N]
           [--tag T] [--mode cloudinary_only|dual|dual_low_res] [--low-res-width W]
           [--partition K/N] [--budget-reserve N] [--progress] [--unchanged-ids]
           [--cloudinary-url URL]
  Syncs DIR with the folder F of the account in CLOUDINARY_URL: relative paths become
  public ids under F (extension dropped), new files are uploaded, changed ones (MD5
  differs from the etag) replaced, and with --delete assets under F that DIR does not
  hold are deleted. In the dual modes, assets under F that DIR does not hold are
  downloaded into DIR instead (dual_low_res: derivatives at most W pixels wide,
  default 480). --dry-run prints the plan only. --journal keeps a SQLite file so that
  a killed run resumes without uploading finished files again. --partition K/N syncs
  only partition K (0-based) of N: run N processes, one per partition, to share a
  sync (they may share the journal). Admin API calls wait for the hourly budget's
  reset instead of failing; --budget-reserve keeps N calls unspent for other users.
  --progress prints one line per finished action on stderr. The report is printed
  as JSON on stdout; it gives the number of unchanged files (\"unchanged_count\",
  with \"unchanged\" empty) unless --unchanged-ids asks for their public ids. DIR
  is walked as the sync goes: memory does not grow with the number of files.";

/// Runs `cldkit sync` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut dir: Option<PathBuf> = None;
    let mut folder: Option<String> = None;
    let mut url: Option<String> = None;
    let mut o = SyncOptions {
        report_unchanged: UnchangedReport::Count,
        ..SyncOptions::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--folder" => folder = Some(value("--folder")?),
            "--delete" => o.delete_orphans = true,
            "--unchanged-ids" => o.report_unchanged = UnchangedReport::Ids,
            "--dry-run" => o.dry_run = true,
            "--journal" => o.journal = Some(value("--journal")?.into()),
            "--tag" => o.tag = Some(value("--tag")?),
            "--mode" => o.mode = Mode::parse(&value("--mode")?).map_err(|e| e.to_string())?,
            "--cloudinary-url" => url = Some(value("--cloudinary-url")?),
            "--partition" => o.partition = Some(parse_partition(&value("--partition")?)?),
            "--low-res-width" => {
                let v = value("--low-res-width")?;
                o.low_res_width = v
                    .parse()
                    .map_err(|_| format!("bad --low-res-width {v:?}"))?;
            }
            "--budget-reserve" => {
                let v = value("--budget-reserve")?;
                o.budget_reserve = v
                    .parse()
                    .map_err(|_| format!("bad --budget-reserve {v:?}"))?;
            }
            "--progress" => {
                o.progress = Some(Arc::new(|p: &cldkit::sync::Progress| {
                    eprintln!(
                        "[{}/{}] {:?} {} {}",
                        p.done,
                        p.total,
                        p.action,
                        p.public_id,
                        if p.ok { "ok" } else { "failed" }
                    )
                }))
            }
            "--concurrency" => {
                let v = value("--concurrency")?;
                o.concurrency = v.parse().map_err(|_| format!("bad --concurrency {v:?}"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other if dir.is_none() && !other.starts_with("--") => dir = Some(other.into()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    let dir = dir.ok_or_else(|| format!("missing DIR\n{USAGE}"))?;
    o.folder = folder.ok_or_else(|| format!("missing --folder\n{USAGE}"))?;
    let client = client(url.as_deref())?;
    if o.mode != Mode::CloudinaryOnly {
        o.download_dir = Some(dir.clone());
    }
    let skip: Vec<PathBuf> = o.journal.iter().cloned().collect();
    // Walked lazily: the sync spools each item as it comes (nothing per file stays
    // in memory here).
    let items = walk_dir(&dir, &o.folder, &skip);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let report = rt
        .block_on(sync_iter(&client, items, &o))
        .map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&report.to_json()).map_err(|e| e.to_string())?;
    println!("{json}");
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} item(s) failed (see the report)",
            report.failed.len()
        ))
    }
}
