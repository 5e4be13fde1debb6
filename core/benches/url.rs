//! Delivery URL benchmarks.
//!
//! * W1: `sample.jpg` with width 300, height 200, crop fill.
//! * W2: a signed chain — 500x500 fill with face gravity; an Arial 40 "Hello World"
//!   text overlay at south_east x 10 y 10 in white; sepia:50; quality and format auto.
//!
//! Run with `cargo bench -p cldkit --bench url`.

use cldkit::{Client, Config, Options, Profile};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn client() -> Client {
    Client::new(
        Config::from_cloudinary_url("cloudinary://1234567890:abcd@demo")
            .expect("valid URL")
            .with_profile(Profile::Python)
            .with("secure", true),
    )
}

fn options(json: &str) -> Options {
    serde_json::from_str(json).expect("valid options")
}

fn bench(c: &mut Criterion) {
    let client = client();
    let w1 = options(r#"{"width": 300, "height": 200, "crop": "fill"}"#);
    let w2 = options(
        r#"{"transformation": [
            {"width": 500, "height": 500, "crop": "fill", "gravity": "face"},
            {"overlay": {"font_family": "Arial", "font_size": 40, "text": "Hello World"},
             "gravity": "south_east", "x": 10, "y": 10, "color": "white"},
            {"effect": "sepia:50"},
            {"quality": "auto", "fetch_format": "auto"}],
           "sign_url": true}"#,
    );
    c.bench_function("W1 url: sample.jpg w300 h200 fill", |b| {
        b.iter(|| client.url(black_box("sample.jpg"), black_box(&w1)))
    });
    c.bench_function("W2 url: signed 4-component chain with text overlay", |b| {
        b.iter(|| client.url(black_box("sample.jpg"), black_box(&w2)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
