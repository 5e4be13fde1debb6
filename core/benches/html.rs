//! `<img>` rendering speed: one tag with a 6-width srcset (7 URLs), the unit of work a
//! CMS page repeats for every image.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use cldkit::{Client, Config, Map, Profile};

fn image_tags(c: &mut Criterion) {
    let client = Client::new(
        Config::new()
            .with("cloud_name", "demo")
            .with("secure", true)
            .with_profile(Profile::Default),
    );
    let with_srcset: Map = serde_json::from_str(
        r#"{"width": 1200, "height": 800, "crop": "fill", "gravity": "auto", "quality": "auto",
            "fetch_format": "auto", "alt": "A beach at sunset", "loading": "lazy",
            "srcset": {"breakpoints": [320, 480, 640, 800, 1024, 1200], "sizes": true}}"#,
    )
    .expect("options");
    c.bench_function("img_srcset_6_widths", |b| {
        b.iter(|| {
            client
                .image_tag(black_box("folder/beach"), black_box(&with_srcset))
                .unwrap()
        })
    });
    let plain: Map =
        serde_json::from_str(r#"{"width": 400, "height": 300, "crop": "fill", "alt": "A dog"}"#)
            .expect("options");
    c.bench_function("img_plain", |b| {
        b.iter(|| {
            client
                .image_tag(black_box("dog"), black_box(&plain))
                .unwrap()
        })
    });
}

criterion_group!(benches, image_tags);
criterion_main!(benches);
