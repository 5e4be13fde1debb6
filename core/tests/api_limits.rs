//! Limits of the HTTP client against a misbehaving server (the in-process emulator's
//! fault actions): the answer-size cap (`max_response_bytes`), the total deadline
//! (`timeout`) against a trickling answer, pagination that stops on a repeated
//! `next_cursor`, and a resume file written without following symlinks.
#![cfg(feature = "http")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cldkit::api::{ApiErrorKind, Source, UploadSettings};
use cldkit::{Client, Map};
use cldkit_emulator::{Emulator, EmulatorConfig, FaultRule};

const MIB: u64 = 1024 * 1024;

fn opts(json: &str) -> Map {
    serde_json::from_str(json).unwrap()
}

fn rule(json: &str) -> FaultRule {
    serde_json::from_str(json).unwrap()
}

/// An emulator whose endless answers may outlive a test: its graceful shutdown would
/// wait for them, so it is leaked on drop and only its data directory is removed.
struct Emu {
    emu: Option<Emulator>,
    dir: PathBuf,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

impl Emu {
    fn start() -> Emu {
        let dir = scratch("emu");
        let emu = Emulator::start(EmulatorConfig {
            data_dir: Some(dir.clone()),
            ..EmulatorConfig::default()
        })
        .unwrap();
        Emu {
            emu: Some(emu),
            dir,
        }
    }

    fn client(&self, extra: &str) -> Client {
        let emu = self.emu.as_ref().unwrap();
        Client::from_url(&format!("{}&analytics=false{extra}", emu.cloudinary_url())).unwrap()
    }

    fn faults(&self, rules: &[&str]) {
        let emu = self.emu.as_ref().unwrap();
        emu.set_faults(rules.iter().map(|r| rule(r)).collect());
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        std::mem::forget(self.emu.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh directory under the system temp dir.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "cldkit-limits-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The peak resident memory of this process (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

// Every endless answer is paced (pieces every few milliseconds) and every call carries
// a `timeout` as a safety net, so a client that ignored the cap would fail these
// tests with a timeout after reading a bounded amount, not exhaust the machine.

#[test]
fn an_endless_answer_stops_at_the_configured_cap() {
    let emu = Emu::start();
    emu.faults(&[r#"{"path": "/ping", "action": "endless", "bytes": 65536, "interval_ms": 2}"#]);
    let client = emu.client("&max_retries=0&timeout=20&max_response_bytes=1048576");
    let t = Instant::now();
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Response, "{e}");
    assert!(
        e.message().contains("max_response_bytes") && e.message().contains("1048576"),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    // The same limit as a per-call option, lower than the setting.
    let e = client
        .admin_blocking(
            "ping",
            &Map::new(),
            &opts(r#"{"max_response_bytes": 100000}"#),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Response, "{e}");
    assert!(e.message().contains("100000"), "{e}");
    // Converted to the engine's error, the kind stays `response`.
    assert_eq!(cldkit::Error::from(e).kind(), cldkit::ErrorKind::Response);
}

#[test]
fn an_endless_answer_stops_at_the_default_cap_with_bounded_memory() {
    let emu = Emu::start();
    // 1 MiB every 2 ms: the 64 MiB default is reached in well under a second.
    emu.faults(&[r#"{"path": "/ping", "action": "endless", "bytes": 1048576, "interval_ms": 2}"#]);
    let client = emu.client("&max_retries=0&timeout=30");
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Response, "{e}");
    assert!(
        e.message()
            .contains(&cldkit::api::DEFAULT_MAX_RESPONSE_BYTES.to_string()),
        "{e}"
    );
    let peak = peak_rss();
    assert!(peak < 1024 * MIB, "peak RSS {} MiB", peak / MIB);
}

#[test]
fn a_declared_length_above_the_cap_is_refused_before_reading() {
    let emu = Emu::start();
    // 10 MiB declared, sent slowly (reading it all would take about 16 s).
    emu.faults(&[
        r#"{"path": "/ping", "action": "endless", "length": 10485760, "bytes": 65536, "interval_ms": 100}"#,
    ]);
    let client = emu.client("&max_retries=0&timeout=30&max_response_bytes=1048576");
    let t = Instant::now();
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Response, "{e}");
    assert!(e.message().contains("10485760"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn the_cap_setting_is_validated() {
    for bad in ["0", "-5", "lots", "1.5"] {
        let c = Client::from_url(&format!(
            "cloudinary://k:s@c?upload_prefix=http://127.0.0.1:9&max_response_bytes={bad}"
        ))
        .unwrap();
        let e = c
            .admin_blocking("ping", &Map::new(), &Map::new())
            .unwrap_err();
        assert_eq!(e.kind(), ApiErrorKind::Invalid, "{bad}: {e}");
        assert_eq!(e.option(), Some("max_response_bytes"), "{bad}: {e}");
    }
}

#[test]
fn a_trickling_answer_ends_at_the_total_timeout_not_the_read_timeout() {
    let emu = Emu::start();
    // `{"status":"ok"}` one byte every 250 ms: about 3.5 s, each byte well within
    // the read timeout.
    emu.faults(&[r#"{"path": "/ping", "action": "trickle", "bytes": 1, "interval_ms": 250}"#]);
    let client = emu.client("&max_retries=0&read_timeout=1");
    let t = Instant::now();
    let e = client
        .admin_blocking("ping", &Map::new(), &opts(r#"{"timeout": 1.2}"#))
        .unwrap_err();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(e.kind(), ApiErrorKind::Timeout, "{e}");
    assert!((1.2..1.6).contains(&took), "{took}s");
    assert!(e.message().contains("`timeout`"), "{e}");
    // The read timeout alone lets it through: only the total deadline bounds it.
    let r = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap();
    assert_eq!(r.str("status"), Some("ok"));
    // On an upload chunk too.
    emu.faults(&[
        r#"{"method": "POST", "path": "/raw/upload", "action": "trickle", "bytes": 8, "interval_ms": 250}"#,
    ]);
    let t = Instant::now();
    let e = client
        .upload_blocking(
            Source::bytes(vec![7u8; 3000], None),
            &opts(r#"{"resource_type": "raw", "timeout": 1, "chunk_size": 1000, "allow_small_chunks": true}"#),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Timeout, "{e}");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    assert!(e.resume_token().is_some(), "{e}");
}

#[test]
fn pages_stop_with_an_error_when_the_server_repeats_a_cursor() {
    let emu = Emu::start();
    let client = emu.client("&max_retries=0");
    for i in 0..3 {
        let name = format!("pg/{i}.txt");
        client
            .upload_blocking(
                Source::bytes(vec![b'x'; 10], Some(name.clone())),
                &opts(&format!(
                    r#"{{"resource_type": "raw", "public_id": "{name}"}}"#
                )),
                &UploadSettings::default(),
            )
            .unwrap();
    }
    // The emulator checks cursors: the faults hand out real ones, out of order.
    let list = opts(r#"{"resource_type": "raw", "max_results": 1}"#);
    let cursors: Vec<String> = client
        .pages("resources", &Map::new(), &list)
        .filter_map(|p| p.unwrap().next_cursor().map(str::to_owned))
        .collect();
    assert_eq!(cursors.len(), 2, "{cursors:?}");
    let always = |c: &str| {
        format!(
            r#"{{"method": "GET", "path": "/resources/raw", "action": "cursor", "cursor": "{c}"}}"#
        )
    };
    let nth = |n: u32, c: &str| {
        format!(
            r#"{{"method": "GET", "path": "/resources/raw", "nth": {n}, "action": "cursor", "cursor": "{c}"}}"#
        )
    };
    let kinds = |pages: cldkit::api::Pages| -> Vec<Result<(), ApiErrorKind>> {
        pages
            .take(10)
            .map(|p| p.map(|_| ()).map_err(|e| e.kind()))
            .collect()
    };
    // Always the same cursor: the second page repeats it, and the error replaces the
    // third request.
    emu.faults(&[&always(&cursors[0])]);
    let pages: Vec<_> = client
        .pages("resources", &Map::new(), &list)
        .take(10)
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[0].is_ok() && pages[1].is_ok(), "{pages:?}");
    let e = pages[2].as_ref().unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Response, "{e}");
    assert!(e.message().contains("next_cursor"), "{e}");
    // A cycle: first, second, then the first again.
    emu.faults(&[
        &nth(1, &cursors[0]),
        &nth(2, &cursors[1]),
        &nth(3, &cursors[0]),
    ]);
    assert_eq!(
        kinds(client.pages("resources", &Map::new(), &list)),
        [Ok(()), Ok(()), Ok(()), Err(ApiErrorKind::Response)]
    );
    // The cursor the caller started from counts as seen.
    emu.faults(&[&always(&cursors[0])]);
    let mut from = list.clone();
    from.insert("next_cursor", cursors[0].clone());
    assert_eq!(
        kinds(client.pages("resources", &Map::new(), &from)),
        [Ok(()), Err(ApiErrorKind::Response)]
    );
    // The async form too.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut pages = client.pages("resources", &Map::new(), &list);
    let got = rt.block_on(async {
        let mut out = Vec::new();
        while let Some(p) = pages.next_page().await {
            out.push(p.map(|_| ()).map_err(|e| e.kind()));
            if out.len() == 10 {
                break;
            }
        }
        out
    });
    assert_eq!(got, [Ok(()), Ok(()), Err(ApiErrorKind::Response)]);
    // An honest server pages to the end.
    emu.faults(&[]);
    let pages: Vec<_> = client
        .pages("resources", &Map::new(), &list)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 3);
}

/// A chunked upload whose second chunk is refused (400): the first chunk's token is in
/// the resume file when the call returns.
#[cfg(unix)]
fn upload_leaving_a_resume_file(emu: &Emu, resume: &std::path::Path) {
    emu.faults(&[r#"{"method": "POST", "path": "/raw/upload", "nth": 2, "status": 400}"#]);
    let client = emu.client("&max_retries=0");
    let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let e = client
        .upload_blocking(
            Source::bytes(data, Some("r.bin".into())),
            &opts(r#"{"resource_type": "raw", "chunk_size": 1000, "allow_small_chunks": true}"#),
            &UploadSettings {
                resume_file: Some(resume.to_path_buf()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::BadRequest, "{e}");
}

#[cfg(unix)]
#[test]
fn the_resume_file_never_writes_through_a_symlink() {
    use std::os::unix::fs::symlink;
    let emu = Emu::start();
    let dir = scratch("resume");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();

    // A symlink planted at the old predictable temporary name.
    let resume = dir.join("upload.resume");
    symlink(&victim, dir.join("upload.resume.tmp")).unwrap();
    upload_leaving_a_resume_file(&emu, &resume);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let meta = std::fs::symlink_metadata(&resume).unwrap();
    assert!(meta.file_type().is_file(), "{meta:?}");
    let token =
        cldkit::api::ResumeToken::from_json(&std::fs::read_to_string(&resume).unwrap()).unwrap();
    assert_eq!(token.confirmed, [(0, 999)]);

    // A symlink at the resume path itself: replaced, its target left alone.
    let resume2 = dir.join("second.resume");
    symlink(&victim, &resume2).unwrap();
    upload_leaving_a_resume_file(&emu, &resume2);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&resume2)
        .unwrap()
        .file_type()
        .is_file());

    // No temporary file is left behind, and the file is private to its owner.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") && n != "upload.resume.tmp")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&resume).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    let _ = std::fs::remove_dir_all(&dir);
}
