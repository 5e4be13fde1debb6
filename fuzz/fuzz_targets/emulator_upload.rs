//! The emulator's Upload API: chunked uploads (`Content-Range`, `X-Unique-Upload-Id`)
//! and multipart parsing, through the real router in process (no socket).
//!
//! Input: up to four requests separated by a line `%%%%`. Each request is header lines
//! (`name: value`), an empty line, then the raw body. `authorization: basic` is
//! replaced by the account's valid Basic credentials and `path: ...` sets the request
//! path (default `/v1_1/emulator/image/upload`). Inputs naming a URL scheme (`://`)
//! are skipped so that the emulator never fetches or notifies anything.
//!
//! Checked: no panic, and every answer is a well-formed response: a status below 500
//! with a JSON body.
#![no_main]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::Request;
use base64::Engine as _;
use cldkit_emulator::router::router;
use cldkit_emulator::state::State;
use cldkit_emulator::store::Store;
use cldkit_emulator::EmulatorConfig;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt as _;

/// Inputs served by one store before it is replaced (keeps the disk use bounded).
const RESET_EVERY: u64 = 200;

struct World {
    dir: PathBuf,
    state: Arc<State>,
}

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
static WORLD: Mutex<Option<World>> = Mutex::new(None);
static COUNT: AtomicU64 = AtomicU64::new(0);

fn fresh_world() -> World {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let n = COUNT.load(Ordering::Relaxed);
    let dir = base.join(format!("cldkit-fuzz-emu-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).expect("store opens");
    let config = EmulatorConfig::default();
    let state = Arc::new(State::new(&config, store, "http://127.0.0.1:9".into()));
    World { dir, state }
}

fn state() -> Arc<State> {
    let mut world = WORLD.lock().unwrap_or_else(|p| p.into_inner());
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    if world.is_none() || n % RESET_EVERY == 0 {
        if let Some(old) = world.take() {
            drop(old.state);
            let _ = std::fs::remove_dir_all(&old.dir);
        }
        *world = Some(fresh_world());
    }
    world.as_ref().map(|w| w.state.clone()).expect("world")
}

fn basic() -> String {
    let a = cldkit_emulator::Account::default_test();
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", a.api_key, a.api_secret));
    format!("Basic {token}")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn build(raw: &[u8]) -> Option<Request<Body>> {
    let (head, body) = match find(raw, b"\n\n") {
        Some(i) => (&raw[..i], &raw[i + 2..]),
        None => (raw, &b""[..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut path = "/v1_1/emulator/image/upload".to_owned();
    let mut builder = Request::builder().method("POST");
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("path") {
            path = value.to_owned();
        } else if name.eq_ignore_ascii_case("authorization") && value == "basic" {
            builder = builder.header("authorization", basic());
        } else {
            builder = builder.header(name, value);
        }
    }
    builder.uri(path).body(Body::from(body.to_vec())).ok()
}

fuzz_target!(|data: &[u8]| {
    if find(data, b"://").is_some() {
        return;
    }
    let state = state();
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    });
    let mut rest = data;
    for _ in 0..4 {
        let (one, next) = match find(rest, b"\n%%%%\n") {
            Some(i) => (&rest[..i], Some(&rest[i + 6..])),
            None => (rest, None),
        };
        if let Some(req) = build(one) {
            let app = router(state.clone());
            let (status, body) = rt.block_on(async move {
                let resp = app.oneshot(req).await.expect("infallible");
                let status = resp.status();
                let body = axum::body::to_bytes(resp.into_body(), 64 << 20)
                    .await
                    .expect("body");
                (status, body)
            });
            assert!(
                status.as_u16() < 500,
                "status {status}: {}",
                String::from_utf8_lossy(&body)
            );
            if !body.is_empty() {
                serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_else(|e| {
                    panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body))
                });
            }
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
});
