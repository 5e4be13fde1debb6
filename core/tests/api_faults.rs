//! Chunked uploads meeting injected faults, resumed uploads, timeouts and a proxy,
//! against the in-process emulator.
#![cfg(feature = "http")]

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cldkit::api::{ApiErrorKind, ResumeToken, Source, UploadSettings};
use cldkit::{Client, Map};
use cldkit_emulator::{Emulator, EmulatorConfig, FaultRule};
use md5::{Digest, Md5};

const MIB: u64 = 1024 * 1024;

fn opts(json: &str) -> Map {
    serde_json::from_str(json).unwrap()
}

/// An emulator that may hold stalled requests: its graceful shutdown would wait for
/// them forever, so it is leaked on drop and only its data directory is removed.
struct Emu {
    emu: Option<Emulator>,
    dir: PathBuf,
}

impl Emu {
    fn start() -> Emu {
        let dir = std::env::temp_dir().join(format!(
            "cldkit-faults-emu-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
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
}

static NEXT: AtomicU64 = AtomicU64::new(0);

impl std::ops::Deref for Emu {
    type Target = Emulator;
    fn deref(&self) -> &Emulator {
        self.emu.as_ref().unwrap()
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        std::mem::forget(self.emu.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn client_for(emu: &Emulator, extra: &str) -> Client {
    Client::from_url(&format!("{}&analytics=false{extra}", emu.cloudinary_url())).unwrap()
}

/// A file of `size` pseudo-random bytes written in 1 MiB blocks; returns its MD5.
fn big_file(name: &str, size: u64) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("cldkit-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut md5 = Md5::new();
    let mut x: u64 = 0x1234_5678_9abc_def1 ^ size;
    let mut block = vec![0u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        for b in block.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b.copy_from_slice(&x.to_le_bytes()[..b.len()]);
        }
        let n = left.min(MIB) as usize;
        f.write_all(&block[..n]).unwrap();
        md5.update(&block[..n]);
        left -= n as u64;
    }
    f.flush().unwrap();
    (path, hex::encode(md5.finalize()))
}

fn rule(json: &str) -> FaultRule {
    serde_json::from_str(json).unwrap()
}

/// The size of the large-upload case: 300 MB by default, `CLDKIT_BIG_UPLOAD_MB` to
/// change it.
fn big_size() -> u64 {
    std::env::var("CLDKIT_BIG_UPLOAD_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
        * 1_000_000
}

#[test]
fn large_chunked_upload_survives_503_420_reset_and_stall() {
    let emu = Emu::start();
    let (path, md5) = big_file("large.bin", big_size());
    emu.set_faults(vec![
        rule(r#"{"method": "POST", "path": "/raw/upload", "nth": 2, "status": 503}"#),
        rule(r#"{"method": "POST", "path": "/raw/upload", "nth": 4, "status": 420, "message": "Rate limit exceeded"}"#),
        rule(r#"{"method": "POST", "path": "/raw/upload", "nth": 6, "action": "reset"}"#),
        rule(r#"{"method": "POST", "path": "/raw/upload", "nth": 8, "action": "stall"}"#),
    ]);
    let client = client_for(&emu, "&retry_delay=0.05");
    let last = Arc::new(AtomicU64::new(0));
    let l2 = last.clone();
    let settings = UploadSettings {
        progress: Some(Arc::new(move |done, _| l2.store(done, Ordering::Relaxed))),
        ..Default::default()
    };
    let t = Instant::now();
    let r = client
        .upload_blocking(
            Source::Path(path.clone()),
            &opts(r#"{"resource_type": "raw", "public_id": "large.bin", "timeout": 4}"#),
            &settings,
        )
        .unwrap();
    eprintln!(
        "{} MB with 4 faults in {:?}",
        big_size() / 1_000_000,
        t.elapsed()
    );
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    assert_eq!(r.get("bytes"), Some(&cldkit::Value::Int(big_size() as i64)));
    assert_eq!(last.load(Ordering::Relaxed), big_size());
    let _ = std::fs::remove_file(path);
}

#[test]
fn parallel_chunks_assemble_in_order() {
    let emu = Emu::start();
    let (path, md5) = big_file("parallel.bin", 33 * MIB + 17);
    let client = client_for(&emu, "");
    let settings = UploadSettings {
        chunk_size: Some(5 * MIB),
        parallel: 3,
        ..Default::default()
    };
    let r = client
        .upload_blocking(
            Source::Path(path.clone()),
            &opts(r#"{"resource_type": "raw", "public_id": "parallel.bin"}"#),
            &settings,
        )
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    let _ = std::fs::remove_file(path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_upload_resumes_in_a_new_client() {
    let emu = Emu::start();
    let (path, md5) = big_file("resume.bin", 40 * MIB);
    let resume_file = path.with_extension("resume");
    let _ = std::fs::remove_file(&resume_file);
    // The fourth chunk never gets an answer: the first client is dropped meanwhile.
    emu.set_faults(vec![rule(
        r#"{"method": "POST", "path": "/raw/upload", "nth": 4, "action": "stall"}"#,
    )]);
    let confirmed = Arc::new(tokio::sync::Notify::new());
    let count = Arc::new(AtomicU64::new(0));
    let (c2, n2) = (count.clone(), confirmed.clone());
    let settings = UploadSettings {
        chunk_size: Some(5 * MIB),
        resume_file: Some(resume_file.clone()),
        checkpoint: Some(Arc::new(move |_| {
            if c2.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
                n2.notify_one();
            }
        })),
        ..Default::default()
    };
    let o = opts(r#"{"resource_type": "raw", "public_id": "resume.bin"}"#);
    {
        let first = client_for(&emu, "");
        let upload = first.upload(Source::Path(path.clone()), &o, &settings);
        tokio::select! {
            r = upload => panic!("the upload should stall, got {r:?}"),
            _ = async { confirmed.notified().await; tokio::time::sleep(Duration::from_millis(300)).await } => {}
        }
    }
    let token = ResumeToken::from_json(&std::fs::read_to_string(&resume_file).unwrap()).unwrap();
    assert_eq!(token.confirmed, vec![(0, 15 * MIB - 1)]);
    emu.set_faults(vec![]);

    let second = client_for(&emu, "");
    let sent = Arc::new(AtomicU64::new(0));
    let first_progress = Arc::new(AtomicU64::new(u64::MAX));
    let (s2, f2) = (sent.clone(), first_progress.clone());
    let settings = UploadSettings {
        chunk_size: Some(5 * MIB),
        resume_file: Some(resume_file.clone()),
        checkpoint: Some(Arc::new(move |_| {
            s2.fetch_add(1, Ordering::SeqCst);
        })),
        progress: Some(Arc::new(move |done, _| {
            let _ = f2.compare_exchange(u64::MAX, done, Ordering::SeqCst, Ordering::SeqCst);
        })),
        ..Default::default()
    };
    let r = second
        .upload(Source::Path(path.clone()), &o, &settings)
        .await
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    assert_eq!(
        sent.load(Ordering::SeqCst),
        5,
        "only the missing chunks are sent"
    );
    assert_eq!(first_progress.load(Ordering::SeqCst), 15 * MIB);
    assert!(!resume_file.exists());
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_failed_upload_returns_its_resume_token() {
    let emu = Emu::start();
    let (path, md5) = big_file("token.bin", 12 * MIB);
    emu.set_faults(vec![rule(
        r#"{"method": "POST", "path": "/raw/upload", "nth": 2, "status": 502}"#,
    )]);
    let client = client_for(&emu, "&max_retries=0");
    let o = opts(r#"{"resource_type": "raw", "public_id": "token.bin"}"#);
    let settings = UploadSettings {
        chunk_size: Some(5 * MIB),
        ..Default::default()
    };
    let e = client
        .upload_blocking(Source::Path(path.clone()), &o, &settings)
        .unwrap_err();
    // The emulator answers before reading the chunk: under load the client may see
    // the connection close while still sending, instead of the 502.
    match e.kind() {
        ApiErrorKind::Server => assert_eq!(e.status(), Some(502)),
        ApiErrorKind::Network => {}
        other => panic!("unexpected {other:?}: {e}"),
    }
    let token = e.resume_token().unwrap().clone();
    assert_eq!(token.confirmed_bytes(), 5 * MIB);
    let json = token.to_json();
    let settings = UploadSettings {
        resume: Some(ResumeToken::from_json(&json).unwrap()),
        ..settings
    };
    let r = client
        .upload_blocking(Source::Path(path.clone()), &o, &settings)
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    let _ = std::fs::remove_file(path);
}

#[test]
fn the_resume_file_option_resumes_like_the_setting() {
    let emu = Emu::start();
    let (path, md5) = big_file("option-resume.bin", 12 * MIB);
    let resume_file = path.with_extension("token");
    let _ = std::fs::remove_file(&resume_file);
    emu.set_faults(vec![rule(
        r#"{"method": "POST", "path": "/raw/upload", "nth": 2, "status": 502}"#,
    )]);
    let client = client_for(&emu, "&max_retries=0");
    // Options only, as the C and PHP bindings pass them.
    let mut o = opts(
        r#"{"resource_type": "raw", "public_id": "option-resume.bin", "chunk_size": 5242880}"#,
    );
    o.insert("resume_file", resume_file.to_string_lossy().as_ref());
    // The option is the client's: it is not sent to the server.
    let form = client.upload_form("x", &o).unwrap();
    assert!(form.fields.iter().all(|(k, _)| k != "resume_file"));
    client
        .upload_blocking(Source::Path(path.clone()), &o, &UploadSettings::default())
        .unwrap_err();
    let token = ResumeToken::from_json(&std::fs::read_to_string(&resume_file).unwrap()).unwrap();
    assert_eq!(token.confirmed_bytes(), 5 * MIB);
    emu.set_faults(vec![]);
    let r = client
        .upload_blocking(Source::Path(path.clone()), &o, &UploadSettings::default())
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    assert!(!resume_file.exists());
    o.insert("resume_file", 7);
    let e = client
        .upload_blocking(Source::Path(path.clone()), &o, &UploadSettings::default())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Invalid, "{e}");
    let _ = std::fs::remove_file(path);
}

fn assert_within_10_percent(elapsed: Duration, setting: f64) {
    let s = elapsed.as_secs_f64();
    assert!(
        s >= setting && s <= setting * 1.1,
        "{s:.3}s for a {setting}s timeout"
    );
}

#[test]
fn timeouts_fire_within_ten_percent_on_admin_and_upload_calls() {
    let emu = Emu::start();
    emu.set_faults(vec![rule(r#"{"action": "stall"}"#)]);
    let client = client_for(&emu, "&max_retries=0&timeout=1.0");
    let t = Instant::now();
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Timeout, "{e}");
    assert_within_10_percent(t.elapsed(), 1.0);
    let t = Instant::now();
    let e = client
        .upload_blocking(
            Source::bytes(vec![7u8; 100_000], None),
            &opts(r#"{"resource_type": "raw", "timeout": 1.5}"#),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Timeout, "{e}");
    assert_within_10_percent(t.elapsed(), 1.5);
    // A stall with only the read timeout set: the same deadline applies.
    let reader = client_for(&emu, "&max_retries=0&read_timeout=0.8");
    let t = Instant::now();
    let e = reader
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Timeout, "{e}");
    assert_within_10_percent(t.elapsed(), 0.8);
}

/// An emulator whose account accepts only the bearer token `token`.
fn oauth_emulator(token: &str) -> (Emulator, String) {
    let mut account = cldkit_emulator::account::Account::default_test();
    account.oauth_token = Some(token.to_owned());
    let emu = Emulator::start(EmulatorConfig {
        accounts: vec![account],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let url = emu.cloudinary_url();
    (emu, url)
}

#[test]
fn a_refused_oauth_token_is_refreshed_once_and_the_request_sent_again() {
    let (emu, url) = oauth_emulator("fresh-token");
    let calls = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = calls.clone();
    let client = Client::from_url(&format!("{url}&analytics=false&oauth_token=stale-token"))
        .unwrap()
        .with_oauth_refresh(move |refused| {
            seen.lock().unwrap().push(refused.to_owned());
            Some("fresh-token".to_owned())
        });
    let r = client
        .upload_blocking(
            Source::bytes(vec![1u8; 1000], None),
            &opts(r#"{"resource_type": "raw"}"#),
            &UploadSettings::default(),
        )
        .unwrap();
    assert_eq!(r.get("bytes"), Some(&cldkit::Value::Int(1000)));
    assert_eq!(*calls.lock().unwrap(), ["stale-token"]);
    // Later calls, Admin included, send the new token without asking again.
    client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap();
    assert_eq!(calls.lock().unwrap().len(), 1);

    // A hook that gives up: the 401 is reported, after one question.
    let gives_up = Client::from_url(&format!("{url}&analytics=false&oauth_token=stale-token"))
        .unwrap()
        .with_oauth_refresh(|_| None);
    let e = gives_up
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Authorization, "{e}");
    // No hook: the 401 as before.
    let plain =
        Client::from_url(&format!("{url}&analytics=false&oauth_token=stale-token")).unwrap();
    let e = plain
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Authorization, "{e}");
    drop(emu);
}

#[test]
fn a_chunk_refused_with_401_is_sent_again_after_the_refresh() {
    let (emu, url) = oauth_emulator("tok");
    // The second chunk is refused once, as an expired token would be.
    emu.set_faults(vec![rule(
        r#"{"method": "POST", "path": "/raw/upload", "nth": 2, "action": "status", "status": 401}"#,
    )]);
    let asked = Arc::new(AtomicU64::new(0));
    let counter = asked.clone();
    let client = Client::from_url(&format!("{url}&analytics=false&oauth_token=tok"))
        .unwrap()
        .with_oauth_refresh(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
            Some("tok".to_owned())
        });
    let (path, md5) = big_file("oauth-chunks.bin", 12 * MIB + 5);
    let settings = UploadSettings {
        chunk_size: Some(5 * MIB),
        ..Default::default()
    };
    let r = client
        .upload_blocking(
            Source::Path(path.clone()),
            &opts(r#"{"resource_type": "raw", "public_id": "oauth-chunks.bin", "max_retries": 0}"#),
            &settings,
        )
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5.as_str()));
    assert_eq!(asked.load(Ordering::Relaxed), 1);
    let _ = std::fs::remove_file(path);
}

#[test]
fn an_interrupt_hook_stops_stalled_blocking_calls() {
    let emu = Emu::start();
    emu.set_faults(vec![rule(r#"{"action": "stall"}"#)]);
    let asked = Arc::new(AtomicU64::new(0));
    let counter = asked.clone();
    let start = Instant::now();
    // No timeout would fire for a minute; the hook says stop after 0.3 s.
    let client = client_for(&emu, "&max_retries=0&timeout=60").with_interrupt(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        start.elapsed() > Duration::from_millis(300)
    });
    let e = client
        .upload_blocking(
            Source::bytes(vec![7u8; 100_000], None),
            &opts(r#"{"resource_type": "raw"}"#),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Io, "{e}");
    assert!(e.to_string().contains("interrupted"), "{e}");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(asked.load(Ordering::Relaxed) >= 3);
    // Admin calls and the pages iterator ask the same hook.
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert!(e.to_string().contains("interrupted"), "{e}");
    let first = client.pages("resources", &Map::new(), &Map::new()).next();
    assert!(matches!(first, Some(Err(e)) if e.to_string().contains("interrupted")));
    // A hook that never says stop changes nothing.
    emu.set_faults(vec![]);
    let calm = client_for(&emu, "").with_interrupt(|| false);
    calm.admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap();
}

/// A loopback forward proxy: reads the absolute-form request line, connects to its
/// host and relays both ways. Counts connections and records the first lines.
async fn proxy() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lines = Arc::new(std::sync::Mutex::new(Vec::new()));
    let l2 = lines.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let lines = l2.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n") {
                    if inbound.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let line = String::from_utf8_lossy(&head).trim().to_owned();
                lines.lock().unwrap().push(line.clone());
                let target = line.split(' ').nth(1).unwrap_or("");
                let host = target
                    .trim_start_matches("http://")
                    .split('/')
                    .next()
                    .unwrap_or("")
                    .to_owned();
                let Ok(mut outbound) = tokio::net::TcpStream::connect(host).await else {
                    return;
                };
                use tokio::io::AsyncWriteExt;
                if outbound.write_all(&head).await.is_err() {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (format!("http://{addr}"), lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_proxy_carries_every_call() {
    let emu = Emu::start();
    let (proxy_url, lines) = proxy().await;
    let client = client_for(&emu, &format!("&api_proxy={proxy_url}"));
    let r = client
        .admin("ping", &Map::new(), &Map::new())
        .await
        .unwrap();
    assert_eq!(r.str("status"), Some("ok"));
    let up = client
        .upload(
            Source::bytes(vec![1u8; 1000], None),
            &opts(r#"{"resource_type": "raw"}"#),
            &UploadSettings::default(),
        )
        .await
        .unwrap();
    assert!(up.str("public_id").is_some());
    let lines = lines.lock().unwrap().clone();
    let base = emu.base_url();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("GET {base}/v1_1/emulator/ping"))),
        "{lines:?}"
    );
    // The same connection may carry the upload; at least one request went through.
    assert!(!lines.is_empty());
    // A proxy that refuses connections is a network error, never a silent bypass.
    let dead = client_for(&emu, "&api_proxy=http://127.0.0.1:9&max_retries=0");
    let e = dead
        .admin("ping", &Map::new(), &Map::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Network, "{e}");
}
