//! CPU time per call of the benchmark workloads, read from the thread's scheduler
//! statistics (`/proc/thread-self/schedstat`), so the figure holds on a loaded machine
//! where wall-clock benchmarks inflate. Linux only; a measuring aid, not a test.
//!
//! `cargo run --release -p cldkit --example cpu_per_call [iterations] [w1|w2|w3|img]`
//!
//! With a workload name only that one runs, which suits
//! `valgrind --tool=callgrind` (instruction counts, repeatable under load).

use cldkit::{Client, Config, Map, Profile};
use std::hint::black_box;

fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn measure(name: &str, iterations: u64, mut f: impl FnMut()) {
    let only = std::env::args().nth(2);
    if only
        .as_deref()
        .is_some_and(|o| !name.to_lowercase().starts_with(o))
    {
        return;
    }
    for _ in 0..iterations / 10 {
        f();
    }
    let start = cpu_ns();
    for _ in 0..iterations {
        f();
    }
    let ns = (cpu_ns() - start) as f64 / iterations as f64;
    println!("{name:<60} {ns:>8.1} ns CPU/call");
}

fn main() {
    let iterations: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let client = Client::new(
        Config::from_cloudinary_url("cloudinary://1234567890:abcd@demo?secure=true")
            .expect("valid URL")
            .with_profile(Profile::Python),
    );
    let php_client = Client::new(
        Config::from_cloudinary_url("cloudinary://1234567890:abcd@demo?secure=true")
            .expect("valid URL")
            .with_profile(Profile::Php),
    );
    // Configured as `bench/node_vs_cloudinary.js` configures the drop-in.
    let node_client = Client::new(
        Config::from_cloudinary_url("cloudinary://1234567890:abcd@demo?secure=true")
            .expect("valid URL")
            .with("urlAnalytics", false)
            .with("analytics", false)
            .with_profile(Profile::Node),
    );
    let w1: Map = serde_json::from_str(r#"{"width": 300, "height": 200, "crop": "fill"}"#).unwrap();
    let w2: Map = serde_json::from_str(
        r#"{"transformation": [
            {"width": 500, "height": 500, "crop": "fill", "gravity": "face"},
            {"overlay": {"font_family": "Arial", "font_size": 40, "text": "Hello World"},
             "gravity": "south_east", "x": 10, "y": 10, "color": "white"},
            {"effect": "sepia:50"},
            {"quality": "auto", "fetch_format": "auto"}],
           "sign_url": true}"#,
    )
    .unwrap();
    let w3: Map = serde_json::from_str(
        r#"{"timestamp": 1700000000, "public_id": "folder/sample", "folder": "folder",
            "tags": "a,b,c", "context": "caption=Hello|alt=World",
            "eager": "c_fill,h_200,w_300|e_sepia", "overwrite": true, "invalidate": true,
            "notification_url": "https://example.com/notify", "upload_preset": "preset1"}"#,
    )
    .unwrap();
    // The same tag as `benches/html.rs`.
    let img: Map = serde_json::from_str(
        r#"{"width": 1200, "height": 800, "crop": "fill", "gravity": "auto",
            "quality": "auto", "fetch_format": "auto", "alt": "A beach at sunset",
            "loading": "lazy",
            "srcset": {"breakpoints": [320, 480, 640, 800, 1024, 1200], "sizes": true}}"#,
    )
    .unwrap();
    let html_client = Client::new(
        Config::new()
            .with("cloud_name", "demo")
            .with("secure", true)
            .with("analytics", false),
    );
    measure("W1 url: sample.jpg w300 h200 fill", iterations, || {
        black_box(client.url(black_box("sample.jpg"), black_box(&w1)).unwrap());
    });
    measure("W2 url: signed chain with text overlay", iterations, || {
        black_box(client.url(black_box("sample.jpg"), black_box(&w2)).unwrap());
    });
    measure(
        "W1 php: the same URL in the php profile",
        iterations,
        || {
            black_box(
                php_client
                    .url(black_box("sample.jpg"), black_box(&w1))
                    .unwrap(),
            );
        },
    );
    measure(
        "W2 php: the same chain in the php profile",
        iterations,
        || {
            black_box(
                php_client
                    .url(black_box("sample.jpg"), black_box(&w2))
                    .unwrap(),
            );
        },
    );
    measure(
        "W1 node: the same URL in the node profile",
        iterations,
        || {
            black_box(
                node_client
                    .url(black_box("sample.jpg"), black_box(&w1))
                    .unwrap(),
            );
        },
    );
    measure("W3 sign_request: 10 parameters", iterations, || {
        black_box(client.sign_request(black_box(&w3)).unwrap());
    });
    measure(
        "W3 node: the same signature in the node profile",
        iterations,
        || {
            black_box(node_client.sign_request(black_box(&w3)).unwrap());
        },
    );
    measure("img: <img> with a 6-width srcset", iterations / 4, || {
        black_box(
            html_client
                .image_tag(black_box("folder/beach"), black_box(&img))
                .unwrap(),
        );
    });
}
