//! Signing benchmarks.
//!
//! * W3: signing the 10 parameters of a typical signed upload (timestamp, public id,
//!   folder, tags, context, eager, overwrite, invalidate, notification URL, preset).
//!   Target: at most 1 µs.
//!
//! Run with `cargo bench -p cldkit --bench sign`.

use cldkit::sign::{api_sign_request, Algorithm};
use cldkit::{Client, Map};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn w3_params() -> Map {
    serde_json::from_str(
        r#"{"timestamp": 1700000000, "public_id": "folder/sample", "folder": "folder",
            "tags": "a,b,c", "context": "caption=Hello|alt=World",
            "eager": "c_fill,h_200,w_300|e_sepia", "overwrite": true, "invalidate": true,
            "notification_url": "https://example.com/notify", "upload_preset": "preset1"}"#,
    )
    .expect("valid parameters")
}

fn bench(c: &mut Criterion) {
    let params = w3_params();
    c.bench_function("W3 sign 10 params (sha1)", |b| {
        b.iter(|| api_sign_request(black_box(&params), black_box("abcd"), Algorithm::Sha1, 2))
    });
    let client = Client::from_url("cloudinary://1234567890:abcd@demo").expect("valid URL");
    c.bench_function("W3 client.sign_request (sha1)", |b| {
        b.iter(|| client.sign_request(black_box(&params)))
    });
    c.bench_function("W3 sign 10 params (sha256)", |b| {
        b.iter(|| api_sign_request(black_box(&params), black_box("abcd"), Algorithm::Sha256, 2))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
