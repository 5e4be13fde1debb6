//! 200 concurrent uploads through cldkit's HTTP client against the in-process
//! emulator for 60 seconds, then an Admin API listing that must hold every
//! acknowledged asset exactly once, with the bytes that were sent.
//!
//! Usage: cldkit-load [SECONDS] [CONCURRENCY] [MAX_BYTES]   (defaults 60 200 16384)
//! Exits non-zero when an acknowledged upload is missing, duplicated, altered, or
//! when an answer was wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cldkit::api::{Source, UploadSettings};
use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};
use md5::Digest as _;

/// What one worker saw.
#[derive(Default)]
struct Tally {
    /// public_id -> md5 of the bytes the server acknowledged.
    acked: BTreeMap<String, (String, u64)>,
    /// Uploads that failed (client-side error after the client's retries).
    failed: Vec<String>,
    /// Answers that were 2xx but wrong (other public_id, size or etag).
    wrong: Vec<String>,
    latencies_ms: Vec<f64>,
    bytes: u64,
}

fn payload(worker: usize, i: usize, max: usize) -> Vec<u8> {
    // Deterministic, unique per upload: a header then a pseudo-random body.
    let mut v = format!("cldkit load test worker {worker} upload {i}\n").into_bytes();
    let mut x = (worker as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i as u64;
    let len = 64 + (x as usize % max.max(65));
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

fn md5_hex(b: &[u8]) -> String {
    hex::encode(md5::Md5::digest(b))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let max_bytes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(16384);

    let config = EmulatorConfig {
        hourly_budget: 1_000_000,
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(config).expect("emulator starts");
    let url = emu.cloudinary_url();
    assert!(emu.addr().ip().is_loopback(), "loopback only");
    let client = Client::from_url(&url).expect("client");
    println!(
        "emulator at {}; {concurrency} concurrent uploads for {seconds}s, 64..{max_bytes} bytes each",
        emu.base_url()
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    rt.block_on(async {
        let mut tasks = Vec::with_capacity(concurrency);
        for w in 0..concurrency {
            let client = client.clone();
            let tally = tally.clone();
            tasks.push(tokio::spawn(async move {
                let settings = UploadSettings::default();
                // Bounded: at most 100 000 uploads per worker, and the deadline.
                for i in 0..100_000usize {
                    if Instant::now() >= deadline {
                        break;
                    }
                    let data = payload(w, i, max_bytes);
                    let md5 = md5_hex(&data);
                    let size = data.len() as u64;
                    let public_id = format!("load/w{w}_{i}");
                    let mut options = Map::new();
                    options.insert("public_id", public_id.as_str());
                    options.insert("resource_type", "raw");
                    options.insert("timeout", 120);
                    let t0 = Instant::now();
                    let r = client
                        .upload(
                            Source::bytes(data, Some("f.bin".into())),
                            &options,
                            &settings,
                        )
                        .await;
                    let ms = t0.elapsed().as_secs_f64() * 1000.0;
                    let mut t = tally.lock().unwrap();
                    t.latencies_ms.push(ms);
                    match r {
                        Ok(resp) => {
                            let ok = resp.str("public_id") == Some(public_id.as_str())
                                && resp.get("bytes").and_then(|v| match v {
                                    Value::Int(n) => Some(*n as u64),
                                    _ => None,
                                }) == Some(size)
                                && resp.str("etag") == Some(md5.as_str());
                            if ok {
                                t.bytes += size;
                                if t.acked.insert(public_id.clone(), (md5, size)).is_some() {
                                    t.wrong.push(format!("{public_id}: acknowledged twice"));
                                }
                            } else {
                                t.wrong.push(format!("{public_id}: {:?}", resp.body));
                            }
                        }
                        Err(e) => t.failed.push(format!("{public_id}: {e}")),
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("worker");
        }
    });
    let elapsed = started.elapsed().as_secs_f64();

    // Everything the server holds under load/, through the Admin API (paged).
    let mut listed: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    let mut pages = client.pages(
        "resources",
        &Map::new(),
        &Map::from_iter([
            ("resource_type", Value::from("raw")),
            ("type", Value::from("upload")),
            ("prefix", Value::from("load/")),
            ("max_results", Value::from(500)),
        ]),
    );
    let mut page_count = 0;
    rt.block_on(async {
        while let Some(page) = pages.next_page().await {
            page_count += 1;
            assert!(page_count < 100_000, "runaway pagination");
            let page = page.expect("listing page");
            let Some(list) = page.get("resources").and_then(Value::as_list) else {
                panic!("no resources in {:?}", page.body);
            };
            for r in list {
                let m = r.as_map().expect("resource object");
                let id = m
                    .get("public_id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let etag = m
                    .get("etag")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                let bytes = match m.get("bytes") {
                    Some(Value::Int(n)) => *n as u64,
                    _ => 0,
                };
                listed.entry(id).or_default().push((etag, bytes));
            }
        }
    });

    let t = tally.lock().unwrap();
    let acked: BTreeSet<&String> = t.acked.keys().collect();
    let lost: Vec<&String> = acked
        .iter()
        .filter(|k| !listed.contains_key(**k))
        .copied()
        .collect();
    let duplicated: Vec<&String> = listed
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, _)| k)
        .collect();
    let altered: Vec<&String> = t
        .acked
        .iter()
        .filter(|(k, (md5, size))| {
            listed
                .get(*k)
                .is_some_and(|v| v.iter().any(|(e, b)| e != md5 || b != size))
        })
        .map(|(k, _)| k)
        .collect();
    // Present but never acknowledged: only possible for uploads that failed client-side.
    let unacked: Vec<&String> = listed
        .keys()
        .filter(|k| !t.acked.contains_key(*k))
        .collect();

    let mut lat = t.latencies_ms.clone();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    println!("elapsed            {elapsed:.1} s");
    println!("uploads attempted  {}", lat.len());
    println!(
        "acknowledged       {} ({:.0}/s, {:.2} MB/s)",
        t.acked.len(),
        t.acked.len() as f64 / elapsed,
        t.bytes as f64 / elapsed / 1e6
    );
    println!("failed (client)    {}", t.failed.len());
    println!("wrong answers      {}", t.wrong.len());
    println!(
        "latency ms         p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "listed by Admin    {} assets in {page_count} pages",
        listed.len()
    );
    println!("lost               {}", lost.len());
    println!("duplicated         {}", duplicated.len());
    println!("altered            {}", altered.len());
    println!("listed, unacked    {}", unacked.len());
    for f in t.failed.iter().take(5) {
        println!("  failed: {f}");
    }
    for f in t.wrong.iter().take(5) {
        println!("  wrong: {f}");
    }
    let unexplained_unacked = unacked.len() > t.failed.len();
    let bad = !lost.is_empty()
        || !duplicated.is_empty()
        || !altered.is_empty()
        || !t.wrong.is_empty()
        || !t.failed.is_empty()
        || unexplained_unacked
        || t.acked.is_empty();
    emu.shutdown();
    if bad {
        eprintln!("LOAD TEST FAILED");
        std::process::exit(1);
    }
    println!("load test passed: no lost, duplicated or altered asset");
}
