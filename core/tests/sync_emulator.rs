//! Media sync (issue 21) against the in-process emulator.
#![cfg(feature = "sync")]

use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use cldkit::sync::{
    in_partition, scan_dir, sync, sync_iter, walk_dir, Item, ItemSource, Marker, Mode, Progress,
    Report, SyncError, SyncOptions, UnchangedReport,
};
use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};

fn start() -> (Emulator, Client, tokio::runtime::Runtime) {
    start_with(EmulatorConfig::default())
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cldkit-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn options(folder: &str) -> SyncOptions {
    SyncOptions {
        folder: folder.into(),
        concurrency: 3,
        ..SyncOptions::default()
    }
}

fn run(rt: &tokio::runtime::Runtime, client: &Client, d: &Path, o: &SyncOptions) -> Report {
    let items = scan_dir(d, &o.folder, &[]).unwrap();
    rt.block_on(sync(client, items, o)).unwrap()
}

/// The remote assets of `folder` (raw, as text files are stored): public id -> version.
fn remote(rt: &tokio::runtime::Runtime, client: &Client, folder: &str) -> Vec<(String, i64)> {
    let opts: Map = serde_json::from_str(&format!(
        r#"{{"resource_type": "raw", "type": "upload", "prefix": "{folder}/", "max_results": 500}}"#
    ))
    .unwrap();
    let r = rt
        .block_on(client.admin("resources", &Map::new(), &opts))
        .unwrap();
    let mut out: Vec<(String, i64)> = r
        .get("resources")
        .unwrap()
        .as_list()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_map().unwrap();
            let v = match a.get("version") {
                Some(Value::Int(v)) => *v,
                other => panic!("version {other:?}"),
            };
            (a.get("public_id").unwrap().as_str().unwrap().to_owned(), v)
        })
        .collect();
    out.sort();
    out
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn version_of(list: &[(String, i64)], id: &str) -> i64 {
    list.iter().find(|(p, _)| p == id).unwrap().1
}

#[test]
fn first_sync_uploads_all_and_second_touches_only_the_changes() {
    let (_emu, client, rt) = start();
    let d = dir("two-runs");
    write(&d, "a.txt", "alpha");
    write(&d, "b.txt", "bravo");
    write(&d, "sub/c.txt", "charlie");
    write(&d, "sub/d.txt", "delta");
    let mut o = options("media");
    o.delete_orphans = true;
    let first = run(&rt, &client, &d, &o);
    assert_eq!(
        first.uploaded,
        ids(&["media/a", "media/b", "media/sub/c", "media/sub/d"])
    );
    assert!(first.failed.is_empty() && first.updated.is_empty() && first.deleted.is_empty());
    let before = remote(&rt, &client, "media");
    assert_eq!(before.len(), 4);

    std::thread::sleep(std::time::Duration::from_millis(1100)); // a later version second
    write(&d, "b.txt", "bravo, changed");
    std::fs::remove_file(d.join("sub/c.txt")).unwrap();
    write(&d, "sub/e.txt", "echo");
    let second = run(&rt, &client, &d, &o);
    assert_eq!(second.uploaded, ids(&["media/sub/e"]));
    assert_eq!(second.updated, ids(&["media/b"]));
    assert_eq!(second.deleted, ids(&["media/sub/c"]));
    let mut unchanged = second.unchanged.clone();
    unchanged.sort();
    assert_eq!(unchanged, ids(&["media/a", "media/sub/d"]));
    assert!(second.failed.is_empty(), "{:?}", second.failed);

    let after = remote(&rt, &client, "media");
    let names: Vec<&str> = after.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, ["media/a", "media/b", "media/sub/d", "media/sub/e"]);
    for id in ["media/a", "media/sub/d"] {
        assert_eq!(version_of(&after, id), version_of(&before, id), "{id}");
    }
    assert_ne!(
        version_of(&after, "media/b"),
        version_of(&before, "media/b")
    );

    // The platform id rides in the context.
    let opts: Map = serde_json::from_str(
        r#"{"resource_type": "raw", "type": "upload", "prefix": "media/sub/", "context": true}"#,
    )
    .unwrap();
    let listed = rt
        .block_on(client.admin("resources", &Map::new(), &opts))
        .unwrap();
    let d_ctx = serde_json::to_value(listed.get("resources").unwrap()).unwrap();
    assert_eq!(
        d_ctx[0]["context"]["custom"][cldkit::sync::PLATFORM_ID_KEY],
        "sub/d.txt"
    );

    // A third run finds nothing to do.
    let third = run(&rt, &client, &d, &o);
    assert!(third.uploaded.is_empty() && third.updated.is_empty() && third.deleted.is_empty());
    assert_eq!(third.unchanged.len(), 4);
}

#[test]
fn a_dry_run_plans_and_changes_nothing() {
    let (_emu, client, rt) = start();
    let d = dir("dry");
    write(&d, "a.txt", "alpha");
    write(&d, "b.txt", "bravo");
    let o = options("dry");
    run(&rt, &client, &d, &o);
    let before = remote(&rt, &client, "dry");
    write(&d, "a.txt", "alpha 2");
    std::fs::remove_file(d.join("b.txt")).unwrap();
    write(&d, "c.txt", "charlie");
    let mut dry = options("dry");
    dry.dry_run = true;
    dry.delete_orphans = true;
    let r = run(&rt, &client, &d, &dry);
    assert!(r.dry_run);
    assert!(r.uploaded.is_empty() && r.updated.is_empty() && r.deleted.is_empty());
    let plan: Vec<(String, String)> = r
        .plan
        .iter()
        .map(|a| {
            (
                serde_json::to_value(a.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                a.public_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        plan,
        [
            ("replace".to_owned(), "dry/a".to_owned()),
            ("upload".to_owned(), "dry/c".to_owned()),
            ("delete".to_owned(), "dry/b".to_owned()),
        ]
    );
    assert_eq!(remote(&rt, &client, "dry"), before);
}

#[test]
fn an_interrupted_run_resumes_without_uploading_twice() {
    let (_emu, client, rt) = start();
    let d = dir("resume");
    for i in 0..6 {
        write(&d, &format!("f{i}.txt"), &format!("file {i}"));
    }
    let journal = d.with_extension("journal.sqlite");
    let _ = std::fs::remove_file(&journal);
    let mut o = options("resume");
    o.journal = Some(journal.clone());
    o.concurrency = 1;
    o.max_actions = Some(2);
    let first = run(&rt, &client, &d, &o);
    assert_eq!(first.uploaded.len(), 2);
    assert_eq!(first.skipped.len(), 4);
    let before = remote(&rt, &client, "resume");
    assert_eq!(before.len(), 2);

    o.max_actions = None;
    let second = run(&rt, &client, &d, &o);
    assert_eq!(second.uploaded.len(), 4);
    for u in &first.uploaded {
        assert!(!second.uploaded.contains(u), "{u} uploaded twice");
        assert!(second.unchanged.contains(u));
    }
    let after = remote(&rt, &client, "resume");
    assert_eq!(after.len(), 6);
    for (id, v) in &before {
        assert_eq!(version_of(&after, id), *v, "{id}");
    }
}

#[test]
fn without_a_hash_the_journal_decides_what_changed() {
    let (_emu, client, rt) = start();
    let item = |content: &str, mtime: i64| Item {
        id: "post-1/cover".into(),
        public_id: "cms/cover".into(),
        source: ItemSource::Bytes(content.as_bytes().to_vec().into()),
        marker: Marker {
            hash: None,
            size: Some(content.len() as u64),
            mtime: Some(mtime),
        },
    };
    let d = dir("journal-only");
    let journal = d.join("j.sqlite");
    let mut o = options("cms");
    o.journal = Some(journal);
    let r1 = rt
        .block_on(sync(&client, vec![item("v1", 100)], &o))
        .unwrap();
    assert_eq!(r1.uploaded, ids(&["cms/cover"]));
    // Same marker: the journal says it is done.
    let r2 = rt
        .block_on(sync(&client, vec![item("v1", 100)], &o))
        .unwrap();
    assert_eq!(r2.unchanged, ids(&["cms/cover"]));
    // A newer marker: replaced.
    let r3 = rt
        .block_on(sync(&client, vec![item("v2", 200)], &o))
        .unwrap();
    assert_eq!(r3.updated, ids(&["cms/cover"]));
    // No journal: no way to tell, so it is replaced.
    let r4 = rt
        .block_on(sync(&client, vec![item("v2", 200)], &options("cms")))
        .unwrap();
    assert_eq!(r4.updated, ids(&["cms/cover"]));
}

#[test]
fn bad_options_are_typed_errors() {
    let (_emu, client, rt) = start();
    let mut o = options("");
    o.delete_orphans = true;
    assert!(matches!(
        rt.block_on(sync(&client, vec![], &o)),
        Err(cldkit::sync::SyncError::Options(_))
    ));
    let mut o = options("x");
    o.concurrency = 0;
    assert!(rt.block_on(sync(&client, vec![], &o)).is_err());
    let mut o = options("x");
    o.mode = cldkit::sync::Mode::Dual;
    assert!(rt.block_on(sync(&client, vec![], &o)).is_err());
}

#[test]
fn two_files_with_one_public_id_are_refused() {
    let d = dir("dup");
    write(&d, "a.png", "x");
    write(&d, "a.jpg", "y");
    assert!(matches!(
        scan_dir(&d, "f", &[]),
        Err(cldkit::sync::SyncError::Inventory(_))
    ));
}

/// The child half of [`a_run_killed_with_sigkill_resumes_without_duplicates`]: syncs
/// the directory named in the environment (does nothing when run on its own).
#[test]
fn sigkill_child() {
    let (Ok(url), Ok(d), Ok(journal)) = (
        std::env::var("CLDKIT_SYNC_CHILD_URL"),
        std::env::var("CLDKIT_SYNC_CHILD_DIR"),
        std::env::var("CLDKIT_SYNC_CHILD_JOURNAL"),
    ) else {
        return;
    };
    let client = Client::from_url(&url).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut o = options("killed");
    o.concurrency = 1;
    o.journal = Some(journal.into());
    run(&rt, &client, Path::new(&d), &o);
}

#[cfg(unix)]
#[test]
fn a_run_killed_with_sigkill_resumes_without_duplicates() {
    const N: usize = 150;
    let (emu, client, rt) = start();
    let d = dir("sigkill");
    for i in 0..N {
        write(&d, &format!("f{i:03}.txt"), &format!("file {i}"));
    }
    let journal = d.with_extension("journal.sqlite");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", journal.display()));
    }
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "sigkill_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(
            "CLDKIT_SYNC_CHILD_URL",
            format!("{}&analytics=false", emu.cloudinary_url()),
        )
        .env("CLDKIT_SYNC_CHILD_DIR", &d)
        .env("CLDKIT_SYNC_CHILD_JOURNAL", &journal)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "the child made no progress"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child finished before it could be killed"
        );
        let done = cldkit::sync::Journal::open(&journal)
            .ok()
            .and_then(|j| j.len().ok())
            .unwrap_or(0);
        if done >= 10 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success());

    // The emulator may still be storing the upload the child had in flight: list
    // until two listings a moment apart agree.
    let mut before = remote(&rt, &client, "killed");
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let again = remote(&rt, &client, "killed");
        if again == before {
            break;
        }
        before = again;
    }
    assert!(before.len() >= 10 && before.len() < N, "{}", before.len());
    let mut o = options("killed");
    o.journal = Some(journal);
    let second = run(&rt, &client, &d, &o);
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(second.uploaded.len(), N - before.len());
    for (id, _) in &before {
        assert!(!second.uploaded.contains(id), "{id} uploaded twice");
    }
    let after = remote(&rt, &client, "killed");
    assert_eq!(after.len(), N);
    for (id, v) in &before {
        assert_eq!(version_of(&after, id), *v, "{id} changed version");
    }
}

fn start_with(config: EmulatorConfig) -> (Emulator, Client, tokio::runtime::Runtime) {
    let emu = Emulator::start(config).unwrap();
    let client = Client::from_url(&format!("{}&analytics=false", emu.cloudinary_url())).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    (emu, client, rt)
}

#[test]
fn a_sync_under_a_small_budget_waits_for_the_reset_and_completes() {
    // Two Admin calls per 2-second window; the sync needs at least five (three
    // listings and two batches of deletions), so it must wait at least twice.
    let (_emu, client, rt) = start_with(EmulatorConfig {
        hourly_budget: 2,
        budget_window_secs: 2,
        ..EmulatorConfig::default()
    });
    let d = dir("budget");
    for i in 0..3 {
        write(&d, &format!("f{i}.txt"), &format!("file {i}"));
    }
    let mut o = options("budget");
    let first = run(&rt, &client, &d, &o);
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!(first.uploaded.len(), 3);
    assert!(first.admin_calls >= 3, "{}", first.admin_calls);

    // Add an orphan on the image side and one on the raw side, then delete both:
    // listings (3) + deletions (2 resource types) = 5 calls over 2-call windows.
    std::fs::remove_file(d.join("f0.txt")).unwrap();
    rt.block_on(client.upload(
        cldkit::api::Source::bytes(PNG.to_vec(), Some("x.png".into())),
        &serde_json::from_str(r#"{"public_id": "budget/img"}"#).unwrap(),
        &cldkit::api::UploadSettings::default(),
    ))
    .unwrap();
    o.delete_orphans = true;
    let second = run(&rt, &client, &d, &o);
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(second.deleted, ids(&["budget/f0", "budget/img"]));
    assert!(second.budget_waits >= 1, "waits {}", second.budget_waits);
    assert!(second.admin_calls >= 5, "calls {}", second.admin_calls);
}

#[test]
fn a_budget_that_never_resets_in_time_is_a_typed_error_not_a_hang() {
    let (_emu, client, rt) = start_with(EmulatorConfig {
        hourly_budget: 1,
        ..EmulatorConfig::default()
    });
    let d = dir("budget-long");
    write(&d, "a.txt", "a");
    let o = SyncOptions {
        max_budget_wait: std::time::Duration::from_secs(5),
        ..options("long")
    };
    let items = scan_dir(&d, &o.folder, &[]).unwrap();
    let err = rt.block_on(sync(&client, items, &o)).unwrap_err();
    assert!(err.to_string().contains("budget"), "{err}");
}

/// A valid 2x2 PNG (the emulator decodes it to render the low-resolution copy).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x72, 0xb6, 0x0d,
    0x24, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x84, 0x41, 0x08, 0x0c, 0x01, 0x45, 0xcc, 0x07, 0xf9, 0xca, 0x27, 0x19, 0xcf, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn dual_modes_download_what_only_cloudinary_holds() {
    let (_emu, client, rt) = start();
    for pid in ["dual/remote/pic", "dual/top"] {
        rt.block_on(client.upload(
            cldkit::api::Source::bytes(PNG.to_vec(), Some("x.png".into())),
            &serde_json::from_str(&format!(r#"{{"public_id": "{pid}"}}"#)).unwrap(),
            &cldkit::api::UploadSettings::default(),
        ))
        .unwrap();
    }
    let d = dir("dual");
    write(&d, "local.txt", "only here");
    let o = SyncOptions {
        mode: Mode::Dual,
        download_dir: Some(d.clone()),
        ..options("dual")
    };
    let r = run(&rt, &client, &d, &o);
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(r.uploaded, ids(&["dual/local"]));
    assert_eq!(r.downloaded, ids(&["dual/remote/pic", "dual/top"]));
    assert_eq!(std::fs::read(d.join("remote/pic.png")).unwrap(), PNG);
    // Both sides now hold everything: a second run does nothing.
    let again = run(&rt, &client, &d, &o);
    assert!(
        again.uploaded.is_empty() && again.downloaded.is_empty(),
        "{again:?}"
    );
    assert_eq!(again.unchanged.len(), 3);

    // dual_low_res asks the emulator for a limited derivative of the original.
    let low = dir("dual-low");
    let o = SyncOptions {
        mode: Mode::DualLowRes,
        download_dir: Some(low.clone()),
        low_res_width: 1,
        folder: "dual/remote".into(),
        ..options("dual/remote")
    };
    let items = scan_dir(&low, &o.folder, &[]).unwrap();
    let r = rt.block_on(sync(&client, items, &o)).unwrap();
    assert_eq!(r.downloaded, ids(&["dual/remote/pic"]), "{:?}", r.failed);
    let bytes = std::fs::read(low.join("pic.png")).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");

    // A dual mode cannot also delete, and needs somewhere to write.
    let both = SyncOptions {
        mode: Mode::Dual,
        delete_orphans: true,
        download_dir: Some(d.clone()),
        ..options("dual")
    };
    assert!(rt.block_on(sync(&client, vec![], &both)).is_err());
    let nowhere = SyncOptions {
        mode: Mode::Dual,
        ..options("dual")
    };
    assert!(rt.block_on(sync(&client, vec![], &nowhere)).is_err());
}

#[test]
fn two_partitions_share_one_sync_and_progress_reports_each_action() {
    let (_emu, client, rt) = start();
    let d = dir("parts");
    for i in 0..12 {
        write(&d, &format!("p{i:02}.txt"), &format!("part {i}"));
    }
    let journal = d.with_extension("journal.sqlite");
    let _ = std::fs::remove_file(&journal);
    let mut uploaded = Vec::new();
    for k in 0..2u32 {
        let events: Arc<Mutex<Vec<Progress>>> = Arc::default();
        let sink = events.clone();
        let o = SyncOptions {
            partition: Some((k, 2)),
            journal: Some(journal.clone()),
            progress: Some(Arc::new(move |p: &Progress| {
                sink.lock().unwrap().push(p.clone())
            })),
            ..options("parts")
        };
        let r = run(&rt, &client, &d, &o);
        assert!(r.failed.is_empty(), "{:?}", r.failed);
        assert!(r.uploaded.iter().all(|p| in_partition(p, (k, 2))));
        let events = events.lock().unwrap();
        assert_eq!(events.len(), r.uploaded.len());
        assert!(events.iter().all(|e| e.ok && e.total == r.uploaded.len()));
        let mut done: Vec<usize> = events.iter().map(|e| e.done).collect();
        done.sort();
        assert_eq!(done, (1..=r.uploaded.len()).collect::<Vec<_>>());
        uploaded.extend(r.uploaded.clone());
    }
    uploaded.sort();
    assert_eq!(uploaded.len(), 12, "the halves cover the directory once");
    uploaded.dedup();
    assert_eq!(uploaded.len(), 12);
    assert_eq!(remote(&rt, &client, "parts").len(), 12);
}

#[test]
fn the_catalogue_row_syncs_a_list_inventory_and_types_its_errors() {
    use base64::Engine;
    let (_emu, client, rt) = start();
    let data = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(PNG)
    );
    let args: Map = serde_json::from_value(serde_json::json!({"inventory": [
        {"id": "post-1.png", "data": data},
        {"id": "post-2", "public_id": "row/two", "data": data},
    ]}))
    .unwrap();
    let opts: Map = serde_json::from_str(r#"{"folder": "row"}"#).unwrap();
    let r = rt.block_on(client.call("sync", &args, &opts)).unwrap();
    let r = serde_json::to_value(&r).unwrap();
    assert_eq!(r["uploaded"], serde_json::json!(["row/post-1", "row/two"]));
    // The same inventory again: the data URIs' MD5 matches the etags.
    let again = client.call_blocking("sync", &args, &opts).unwrap();
    let again = serde_json::to_value(&again).unwrap();
    assert_eq!(again["unchanged"].as_array().unwrap().len(), 2, "{again}");

    for (args, opts, option) in [
        (r#"{"inventory": 3}"#, "{}", "inventory"),
        (r#"{"inventory": [{"id": "x"}]}"#, "{}", "inventory"),
        // A directory that cannot be walked (the walk's error stops the sync).
        (
            r#"{"inventory": "/nonexistent/cldkit-sync-none"}"#,
            "{}",
            "inventory",
        ),
        (r#"{"inventory": []}"#, r#"{"colour": "red"}"#, "colour"),
        (
            r#"{"inventory": []}"#,
            r#"{"partition": "2/2"}"#,
            "partition",
        ),
        (r#"{"inventory": []}"#, r#"{"concurrency": 0}"#, "sync"),
    ] {
        let e = client
            .call_blocking(
                "sync",
                &serde_json::from_str(args).unwrap(),
                &serde_json::from_str(opts).unwrap(),
            )
            .unwrap_err();
        assert_eq!(e.option(), Some(option), "{args} {opts}: {e}");
    }
}

#[test]
fn sync_blocking_reports_progress_to_a_binding_callback() {
    let (_emu, client, _rt) = start();
    let d = dir("blocking");
    for i in 0..3 {
        write(&d, &format!("b{i}.txt"), &format!("b {i}"));
    }
    let seen: Arc<Mutex<Vec<(usize, usize)>>> = Arc::default();
    let sink = seen.clone();
    let progress: cldkit::sync::ProgressFn =
        Arc::new(move |p: &Progress| sink.lock().unwrap().push((p.done, p.total)));
    let args = Map::from_iter([("inventory", d.to_str().unwrap())]);
    let opts = Map::from_iter([("folder", "blocking")]);
    let r = client.sync_blocking(&args, &opts, Some(progress)).unwrap();
    assert_eq!(
        r.as_map()
            .unwrap()
            .get("uploaded")
            .unwrap()
            .as_list()
            .unwrap()
            .len(),
        3
    );
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, vec![(1, 3), (2, 3), (3, 3)]);
}

/// Orphan deletions page through the listing in batches of 100, and `max_actions`
/// stops them part-way in public-id order (the transfers get what deletions leave);
/// the next run finishes the rest.
#[test]
fn many_orphans_are_deleted_in_batches_and_max_actions_cuts_them_in_order() {
    const N: usize = 230;
    const KEPT: usize = 5;
    const LIMIT: usize = 210;
    let (_emu, client, rt) = start();
    let d = dir("many-orphans");
    for i in 0..N {
        write(&d, &format!("f{i:03}.txt"), &format!("file {i}"));
    }
    let mut o = options("orph");
    o.concurrency = 8;
    let first = run(&rt, &client, &d, &o);
    assert_eq!(first.uploaded.len(), N);
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    for i in KEPT..N {
        std::fs::remove_file(d.join(format!("f{i:03}.txt"))).unwrap();
    }
    write(&d, "new.txt", "new");
    let orphans: Vec<String> = (KEPT..N).map(|i| format!("orph/f{i:03}")).collect();

    o.delete_orphans = true;
    o.max_actions = Some(LIMIT);
    let second = run(&rt, &client, &d, &o);
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(second.deleted, orphans[..LIMIT].to_vec());
    let mut skipped = orphans[LIMIT..].to_vec();
    skipped.push("orph/new".into());
    skipped.sort();
    assert_eq!(second.skipped, skipped);
    assert!(second.uploaded.is_empty());
    assert_eq!(second.unchanged.len(), KEPT);
    // Three listing pages (one per resource type) and three delete batches.
    assert_eq!(second.admin_calls, 3 + 3);
    assert_eq!(remote(&rt, &client, "orph").len(), N - LIMIT);

    o.max_actions = None;
    let third = run(&rt, &client, &d, &o);
    assert!(third.failed.is_empty(), "{:?}", third.failed);
    assert_eq!(third.deleted, orphans[LIMIT..].to_vec());
    assert_eq!(third.uploaded, ids(&["orph/new"]));
    assert!(third.skipped.is_empty());
    let left: Vec<String> = remote(&rt, &client, "orph")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut want: Vec<String> = (0..KEPT).map(|i| format!("orph/f{i:03}")).collect();
    want.push("orph/new".into());
    want.sort();
    assert_eq!(left, want);
}

/// A walked directory syncs like a scanned one; with `report_unchanged: Count` the
/// report gives the unchanged items' number, not their ids; an error the inventory
/// yields stops the sync before anything is uploaded.
#[test]
fn a_streamed_inventory_syncs_and_counts_the_unchanged() {
    let (_emu, client, rt) = start();
    let d = dir("streamed");
    for i in 0..300 {
        write(&d, &format!("s{}/f{i:03}.txt", i % 3), &format!("file {i}"));
    }
    let mut o = options("walked");
    let first = rt
        .block_on(sync_iter(&client, walk_dir(&d, &o.folder, &[]), &o))
        .unwrap();
    assert_eq!(first.uploaded.len(), 300);
    assert_eq!(first.unchanged_count, None);
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    write(&d, "s1/f001.txt", "changed");
    o.report_unchanged = UnchangedReport::Count;
    let second = rt
        .block_on(sync_iter(&client, walk_dir(&d, &o.folder, &[]), &o))
        .unwrap();
    assert_eq!(second.updated, ids(&["walked/s1/f001"]));
    assert!(second.unchanged.is_empty());
    assert_eq!(second.unchanged_count, Some(299));
    assert_eq!(second.to_json()["unchanged_count"], 299);
    // The default report (ids) has no count, as before.
    o.report_unchanged = UnchangedReport::Ids;
    let third = run(&rt, &client, &d, &o);
    assert_eq!(third.unchanged.len(), 300);
    assert!(third.to_json().get("unchanged_count").is_none());

    let bad = vec![
        Ok(item_of("walked/new", "n")),
        Err(SyncError::Inventory("unreadable".into())),
    ];
    let err = rt.block_on(sync_iter(&client, bad, &o)).unwrap_err();
    assert!(matches!(err, SyncError::Inventory(m) if m == "unreadable"));
    assert!(!remote(&rt, &client, "walked")
        .iter()
        .any(|(p, _)| p == "walked/new"));
    let _ = std::fs::remove_dir_all(&d);
}

fn item_of(public_id: &str, content: &str) -> Item {
    Item {
        id: public_id.into(),
        public_id: public_id.into(),
        source: ItemSource::Bytes(content.as_bytes().to_vec().into()),
        marker: Marker::default(),
    }
}
