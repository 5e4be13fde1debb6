//! Security review (issue 13), findings 2 and 3: a delivery URL or a search expression
//! cannot make the emulator allocate without bound or overflow its stack. Each request
//! that used to abort the process is answered 400, and the emulator still answers the
//! next request.

mod common;

use std::sync::Arc;

use cldkit_emulator::render::{self, RenderError, MAX_PIXELS};
use cldkit_emulator::router::router;
use cldkit_emulator::search::{MAX_DEPTH, MAX_TERMS};
use cldkit_emulator::state::State;
use cldkit_emulator::store::{DerivedLimits, Store};
use cldkit_emulator::{Emulator, EmulatorConfig};
use common::*;
use image::GenericImageView;
use serde_json::{json, Value as Json};

fn get(emu: &Emulator, path: &str) -> reqwest::blocking::Response {
    reqwest::blocking::Client::new()
        .get(format!("{}{path}", emu.base_url()))
        .send()
        .expect("delivery request")
}

fn cld_error(resp: &reqwest::blocking::Response) -> String {
    resp.headers()
        .get("x-cld-error")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn admin_post(emu: &Emulator, path: &str, body: &Json) -> (u16, Json) {
    let a = &emu.accounts()[0];
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1_1/{}/{path}", emu.base_url(), a.cloud_name))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .json(body)
        .send()
        .expect("admin request");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Json::Null))
}

fn still_answers(emu: &Emulator) {
    assert_eq!(admin_get(emu, "ping").status().as_u16(), 200, "ping");
}

#[test]
fn oversized_transformations_answer_400_and_the_emulator_keeps_serving() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, body) = upload(
        &client,
        png(8, 6),
        "pic.png",
        &opts(r#"{"public_id": "pic"}"#),
    );
    assert_eq!(status, 200, "{body}");
    let too_large = [
        // The finding: 60000 x 60000 is 3.6 gigapixels.
        "w_60000,h_60000",
        // Every crop mode that can grow the image.
        "c_scale,w_60000,h_60000",
        "c_fit,w_60000,h_60000",
        "c_fill,w_60000,h_60000",
        "c_thumb,w_60000,h_60000",
        "c_pad,w_60000,h_60000",
        // One dimension with the other kept in ratio: 60000 x 45000.
        "w_60000",
        "h_45000",
        // Just over 25 megapixels.
        "w_5001,h_5000",
        // A later step of a chain.
        "w_4/w_60000,h_60000",
        "w_0.5/c_pad,w_9000,h_9000",
        // Values that saturate when cast.
        "w_99999999999.5,h_2",
        "w_4294967295,h_4294967295",
    ];
    for t in too_large {
        let resp = get(&emu, &format!("/emulator/image/upload/{t}/pic.png"));
        assert_eq!(resp.status().as_u16(), 400, "{t}");
        let err = cld_error(&resp);
        assert!(
            err.contains(&format!("Maximum is {MAX_PIXELS}")),
            "{t}: {err:?}"
        );
        still_answers(&emu);
    }
    // A chain whose steps each fit but that together would process too many pixels.
    let chain = "w_5000,h_5000/w_4000,h_4000/w_5000,h_5000/w_4000,h_4000/w_5000,h_5000";
    let resp = get(&emu, &format!("/emulator/image/upload/{chain}/pic.png"));
    assert_eq!(resp.status().as_u16(), 400);
    assert!(
        cld_error(&resp).contains("too complex"),
        "{}",
        cld_error(&resp)
    );
    // Modes that never upscale stay fine with huge bounds.
    for t in ["c_limit,w_60000,h_60000", "c_crop,w_60000,h_60000"] {
        let resp = get(&emu, &format!("/emulator/image/upload/{t}/pic.png"));
        assert_eq!(resp.status().as_u16(), 200, "{t}: {}", cld_error(&resp));
        let img = image::load_from_memory(&resp.bytes().unwrap()).unwrap();
        assert_eq!(img.dimensions(), (8, 6), "{t}");
    }
    // And a normal delivery still renders.
    let resp = get(&emu, "/emulator/image/upload/w_4/pic.png");
    assert_eq!(resp.status().as_u16(), 200);
    let img = image::load_from_memory(&resp.bytes().unwrap()).unwrap();
    assert_eq!(img.dimensions(), (4, 3));
    still_answers(&emu);
}

/// A PNG of `w` x `h` grey pixels, compressed fast (a decompression bomb when large).
fn grey_png(w: u32, h: u32) -> Vec<u8> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let img = image::GrayImage::new(w, h);
    let mut out = Vec::new();
    let enc = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::NoFilter);
    image::DynamicImage::ImageLuma8(img)
        .write_with_encoder(enc)
        .expect("encode");
    out
}

#[test]
fn an_original_over_the_pixel_limit_is_not_decoded() {
    // 25,005,000 pixels in a file of a few kilobytes.
    let bomb = grey_png(5001, 5000);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let plan = render::parse(&["w_10".to_owned()]).unwrap();
    let err = render::render(&bomb, &plan, "png").expect_err("refused");
    assert_eq!(
        err,
        RenderError::OriginalTooLarge {
            width: 5001,
            height: 5000
        }
    );
    assert!(err.to_string().contains("Maximum is 25000000"), "{err}");
    assert_eq!(err.status(), 400);
    // The size plan of a small original is computed without decoding anything.
    assert_eq!(render::plan_sizes(8, 6, &plan), Ok((10, 8)));
}

#[test]
fn deep_or_long_search_expressions_answer_400_and_the_emulator_keeps_serving() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, body) = upload(
        &client,
        png(2, 2),
        "a.png",
        &opts(r#"{"public_id": "kitten", "tags": ["cat"]}"#),
    );
    assert_eq!(status, 200, "{body}");
    let nested = format!("{}tags:cat{}", "(".repeat(2000), ")".repeat(2000));
    assert!(nested.len() < 4100);
    let terms = vec!["kitten"; 20_000].join(" ");
    let ors = vec!["kitten"; 20_000].join(" OR ");
    let nots = format!("{}kitten", "NOT ".repeat(20_000));
    let dashes = format!("{}kitten", "NOT -".repeat(10_000));
    for (what, expression) in [
        ("nested parentheses", &nested),
        ("bare terms", &terms),
        ("OR terms", &ors),
        ("NOT", &nots),
        ("NOT -", &dashes),
    ] {
        for path in ["resources/search", "folders/search"] {
            let (status, body) = admin_post(&emu, path, &json!({ "expression": expression }));
            assert_eq!(status, 400, "{what} on {path}: {body}");
            let msg = body["error"]["message"].as_str().unwrap_or_default();
            assert!(msg.starts_with("Query Error"), "{what} on {path}: {msg}");
            still_answers(&emu);
        }
    }
    // Up to the limits, expressions work and mean what they say.
    let at_depth = format!("{}tags:cat{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    let many = vec!["kitten"; MAX_TERMS].join(" OR ");
    let double_not = format!("{}kitten", "NOT ".repeat(MAX_DEPTH - 1));
    for (expression, hits) in [(&at_depth, 1), (&many, 1), (&double_not, 0)] {
        let (status, body) = admin_post(
            &emu,
            "resources/search",
            &json!({ "expression": expression }),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total_count"], hits, "{expression:.60}: {body}");
    }
    let (status, _) = admin_post(&emu, "folders/search", &json!({ "expression": at_depth }));
    assert_eq!(status, 200);
    still_answers(&emu);
}

/// An emulator served from a store whose derived cache has the given bounds (the
/// router of `Emulator::start`, on a loopback port, with its own runtime thread).
struct Served {
    base: String,
    state: Arc<State>,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start(limits: DerivedLimits) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.set_derived_limits(limits);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::new(&EmulatorConfig::default(), store, base.clone()));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, router(st))
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Served {
            base,
            state,
            _dir: dir,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    fn client(&self) -> cldkit::Client {
        let url = cldkit_emulator::Account::default_test().cloudinary_url(&self.base);
        cldkit::Client::from_url(&url).unwrap()
    }

    fn deliver(&self, transformation: &str) -> Vec<u8> {
        let resp = reqwest::blocking::get(format!(
            "{}/emulator/image/upload/{transformation}/pic.png",
            self.base
        ))
        .unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{transformation}");
        resp.bytes().unwrap().to_vec()
    }

    /// The cache files on disk: (count, bytes).
    fn on_disk(&self) -> (usize, u64) {
        let dir = self.state.store.root().join("derived");
        let sizes: Vec<u64> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.metadata().unwrap().len())
            .collect();
        (sizes.len(), sizes.iter().sum())
    }

    fn cached(&self, blob: &str, transformation: &str) -> bool {
        let key = cldkit_emulator::delivery::derived_key(blob, transformation, "png");
        self.state.store.derived_path(&key).exists()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn the_derived_cache_keeps_its_bounds_and_evicts_the_least_recently_used() {
    let served = Served::start(DerivedLimits {
        max_files: 3,
        max_bytes: u64::MAX,
    });
    let (status, body) = upload(
        &served.client(),
        png(40, 30),
        "pic.png",
        &opts(r#"{"public_id": "pic"}"#),
    );
    assert_eq!(status, 200, "{body}");
    let blob = served
        .state
        .store
        .get("emulator", "image", "upload", "pic")
        .unwrap()
        .unwrap()
        .blob;
    for t in ["w_10", "w_11", "w_12"] {
        served.deliver(t);
    }
    assert_eq!(served.on_disk().0, 3);
    // w_10 is used again, so w_11 is now the least recently used.
    let first = served.deliver("w_10");
    served.deliver("w_13");
    assert_eq!(served.on_disk().0, 3);
    assert!(served.cached(&blob, "w_10"));
    assert!(!served.cached(&blob, "w_11"), "w_11 evicted");
    assert!(served.cached(&blob, "w_12"));
    assert!(served.cached(&blob, "w_13"));
    // An evicted rendering is rendered again, identically.
    assert_eq!(served.deliver("w_10"), first);
    for i in 0..20 {
        served.deliver(&format!("w_{}", 14 + i));
        assert!(served.on_disk().0 <= 3);
    }

    // The byte bound: room for about three renderings of this size.
    let one = served.deliver("w_20,h_20").len() as u64;
    served.state.store.set_derived_limits(DerivedLimits {
        max_files: 1000,
        max_bytes: 3 * one + one / 2,
    });
    assert!(served.on_disk().1 <= 3 * one + one / 2);
    for i in 0..10 {
        served.deliver(&format!("w_20,h_{}", 21 + i));
        let (_, bytes) = served.on_disk();
        assert!(bytes <= 3 * one + one / 2, "{bytes} > bound after {i}");
    }
    assert!(served.on_disk().0 >= 2);
}

#[test]
fn a_store_reopened_over_a_full_cache_trims_it_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for i in 0..6u64 {
            let key = format!("{i:032x}");
            std::fs::write(store.derived_path(&key), vec![b'x'; 100]).unwrap();
            let t =
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i);
            std::fs::File::options()
                .write(true)
                .open(store.derived_path(&key))
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
    }
    let store = Store::open_with_derived_limits(
        dir.path(),
        DerivedLimits {
            max_files: 4,
            max_bytes: 350,
        },
    )
    .unwrap();
    let left: Vec<bool> = (0..6u64)
        .map(|i| store.derived_path(&format!("{i:032x}")).exists())
        .collect();
    assert_eq!(left, [false, false, false, true, true, true]);
    assert_eq!(store.derived_usage(), (3, 300));
}
