//! `<img>` rendering speed: one tag with a 6-width srcset (7 URLs), the unit of work a
//! CMS page repeats for every image, next to the cost of its URLs alone so the tag's
//! own overhead shows.
//!
//! Run with `cargo bench -p cldkit --bench html`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use cldkit::{Client, Config, Map, Value};

const IMAGE: &str = r#"{"width": 1200, "height": 800, "crop": "fill", "gravity": "auto",
    "quality": "auto", "fetch_format": "auto", "alt": "A beach at sunset", "loading": "lazy"}"#;

fn options(json: &str) -> Map {
    serde_json::from_str(json).expect("valid options")
}

fn image_tags(c: &mut Criterion) {
    let client = Client::new(
        Config::new()
            .with("cloud_name", "demo")
            .with("secure", true)
            .with("analytics", false),
    );
    let mut with_srcset = options(IMAGE);
    with_srcset.insert(
        "srcset",
        Value::Map(options(
            r#"{"breakpoints": [320, 480, 640, 800, 1024, 1200], "sizes": true}"#,
        )),
    );
    c.bench_function("img: 6-width srcset + sizes (7 URLs)", |b| {
        b.iter(|| {
            client
                .image_tag(black_box("folder/beach"), black_box(&with_srcset))
                .unwrap()
        })
    });
    let plain = options(IMAGE);
    c.bench_function("img: plain (1 URL)", |b| {
        b.iter(|| {
            client
                .image_tag(black_box("folder/beach"), black_box(&plain))
                .unwrap()
        })
    });

    // The URLs alone: the base URL and one srcset entry (base options chained with
    // c_scale), as the URL engine builds them.
    let source = Value::from("folder/beach");
    c.bench_function("url only: base", |b| {
        b.iter(|| {
            client
                .url_with_leftovers(black_box(&source), black_box(&plain))
                .unwrap()
        })
    });
    let mut chained = Map::new();
    chained.insert(
        "transformation",
        Value::List(vec![
            Value::Map(plain.clone()),
            Value::Map(options(r#"{"crop": "scale", "width": 320}"#)),
        ]),
    );
    c.bench_function("url only: one srcset entry", |b| {
        b.iter(|| {
            client
                .url_with_leftovers(black_box(&source), black_box(&chained))
                .unwrap()
        })
    });
}

criterion_group!(benches, image_tags);
criterion_main!(benches);
