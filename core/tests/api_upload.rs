//! Uploads and the other Upload API calls against the in-process emulator.
#![cfg(feature = "http")]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use cldkit::api::{ApiErrorKind, Source, UploadSettings};
use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};
use md5::{Digest, Md5};

const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(PNG_B64)
        .unwrap()
}

fn start() -> (Emulator, Client) {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::from_url(&format!(
        "{}&allow_small_chunks=true&analytics=false",
        emu.cloudinary_url()
    ))
    .unwrap();
    (emu, client)
}

fn opts(json: &str) -> Map {
    serde_json::from_str(json).unwrap()
}

fn pattern(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn md5_hex(data: &[u8]) -> String {
    hex::encode(Md5::digest(data))
}

fn temp_file(name: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cldkit-api-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

#[test]
fn path_upload_sends_the_base_name_and_streams_the_file() {
    let (_emu, client) = start();
    let path = temp_file("tiny.png", &png());
    let r = client
        .upload_blocking(
            Source::Path(path.clone()),
            &opts(r#"{"public_id": "tiny", "tags": ["a", "b"]}"#),
            &UploadSettings::default(),
        )
        .unwrap();
    assert_eq!(r.str("public_id"), Some("tiny"));
    assert_eq!(r.str("original_filename"), Some("tiny"));
    assert_eq!(r.str("etag"), Some(md5_hex(&png()).as_str()));
    assert_eq!(
        r.get("tags"),
        Some(&Value::List(vec!["a".into(), "b".into()]))
    );
    assert!(r.request_id.is_some());
}

#[test]
fn bytes_remote_and_data_uri_sources() {
    let (emu, client) = start();
    let data = pattern(10_000, 3);
    let r = client
        .upload_blocking(
            Source::bytes(data.clone(), Some("/secret/dir/blob.bin".into())),
            &opts(r#"{"resource_type": "raw", "public_id": "blob.bin"}"#),
            &UploadSettings::default(),
        )
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5_hex(&data).as_str()));
    assert_eq!(r.str("original_filename"), Some("blob"));
    let uri = format!("data:image/png;base64,{PNG_B64}");
    let r = client
        .upload_blocking(
            Source::from_str_arg(&uri),
            &opts(r#"{"public_id": "from_uri"}"#),
            &UploadSettings::default(),
        )
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5_hex(&png()).as_str()));
    // A remote URL is fetched by the server: the emulator serves its own delivery URL.
    let url = r
        .str("url")
        .unwrap()
        .replace("http://res.cloudinary.com", emu.base_url());
    let r = client
        .upload_blocking(
            Source::from_str_arg(&url),
            &opts(r#"{"public_id": "from_url"}"#),
            &UploadSettings::default(),
        )
        .unwrap();
    assert_eq!(r.str("public_id"), Some("from_url"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_of_unknown_length_are_chunked_with_progress() {
    let (_emu, client) = start();
    let data = pattern(2_500_000, 9);
    let pieces: Vec<std::io::Result<bytes::Bytes>> = data
        .chunks(70_001)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let settings = UploadSettings {
        chunk_size: Some(1_000_000),
        progress: Some(Arc::new(move |done, total| {
            s2.lock().unwrap().push((done, total))
        })),
        ..Default::default()
    };
    let r = client
        .upload(
            Source::Stream {
                stream: Box::pin(futures_util::stream::iter(pieces)),
                filename: Some("stream.bin".into()),
            },
            &opts(r#"{"resource_type": "raw", "public_id": "streamed.bin"}"#),
            &settings,
        )
        .await
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5_hex(&data).as_str()));
    assert_eq!(r.get("bytes"), Some(&Value::Int(2_500_000)));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.last(), Some(&(2_500_000, Some(2_500_000))));
    assert!(seen.iter().any(|(_, t)| t.is_none()), "total unknown early");

    // An async reader, small enough for one request.
    let small = pattern(1000, 4);
    let r = client
        .upload(
            Source::Reader {
                reader: Box::new(std::io::Cursor::new(small.clone())),
                filename: None,
            },
            &opts(r#"{"resource_type": "raw"}"#),
            &UploadSettings::default(),
        )
        .await
        .unwrap();
    assert_eq!(r.str("etag"), Some(md5_hex(&small).as_str()));
}

#[test]
fn every_upload_api_call() {
    let (_emu, client) = start();
    let path = temp_file("call.png", &png());
    let path = path.to_str().unwrap();
    let call =
        |m: &str, args: &str, o: &str| client.call_upload_api_blocking(m, &opts(args), &opts(o));
    let up = call(
        "upload",
        &format!(r#"{{"file": "{path}"}}"#),
        r#"{"public_id": "c1"}"#,
    )
    .unwrap();
    assert_eq!(up.str("public_id"), Some("c1"));
    let ex = call(
        "explicit",
        r#"{"public_id": "c1"}"#,
        r#"{"type": "upload", "tags": ["x"]}"#,
    )
    .unwrap();
    assert_eq!(ex.str("public_id"), Some("c1"));
    let t = call("add_tag", r#"{"tag": "t1", "public_ids": ["c1"]}"#, "{}").unwrap();
    assert_eq!(t.get("public_ids"), Some(&Value::List(vec!["c1".into()])));
    call(
        "replace_tag",
        r#"{"tag": "t2", "public_ids": ["c1"]}"#,
        "{}",
    )
    .unwrap();
    call("remove_tag", r#"{"tag": "t2", "public_ids": ["c1"]}"#, "{}").unwrap();
    call(
        "add_context",
        r#"{"context": {"k": "v"}, "public_ids": ["c1"]}"#,
        "{}",
    )
    .unwrap();
    call("remove_all_context", r#"{"public_ids": ["c1"]}"#, "{}").unwrap();
    call("remove_all_tags", r#"{"public_ids": ["c1"]}"#, "{}").unwrap();
    let rn = call(
        "rename",
        r#"{"from_public_id": "c1", "to_public_id": "c2"}"#,
        "{}",
    )
    .unwrap();
    assert_eq!(rn.str("public_id"), Some("c2"));
    let d = call("destroy", r#"{"public_id": "c2"}"#, "{}").unwrap();
    assert_eq!(d.str("result"), Some("ok"));
    let d = call("destroy", r#"{"public_id": "c2"}"#, "{}").unwrap();
    assert_eq!(d.str("result"), Some("not found"));
    // A form built separately is sent as is.
    let form = client
        .upload_form(path, &opts(r#"{"public_id": "c3"}"#))
        .unwrap();
    let r = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(client.send_upload_request(form, &Map::new()))
        .unwrap();
    assert_eq!(r.str("original_filename"), Some("call"));
}

#[test]
fn errors_are_typed_and_never_show_the_secret() {
    let (emu, _client) = start();
    let wrong = Client::from_url(&format!(
        "cloudinary://123456789012345:wrongSECRET@emulator?upload_prefix={}",
        emu.base_url()
    ))
    .unwrap();
    let e = wrong
        .upload_blocking(
            Source::bytes(png(), None),
            &Map::new(),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Authorization);
    assert_eq!(e.status(), Some(401));
    assert!(e.request_id().is_some());
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("wrongSECRET"), "{shown}");
    let e = wrong
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Authorization);
    assert!(!format!("{e} {e:?}").contains("wrongSECRET"));
    // Local failures: a missing file, a bad option.
    let (_emu2, client) = start();
    let e = client
        .upload_blocking(
            Source::Path("/nonexistent/x.png".into()),
            &Map::new(),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Io);
    let e = client
        .upload_blocking(
            Source::bytes(png(), None),
            &opts(r#"{"chunk_size": 1000, "allow_small_chunks": false}"#),
            &UploadSettings::default(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Invalid);
    assert_eq!(e.option(), Some("chunk_size"));
    let as_core: cldkit::Error = e.into();
    assert_eq!(as_core.option(), Some("chunk_size"));
}

#[test]
fn blocking_calls_share_a_client_across_threads() {
    let (_emu, client) = start();
    let count = Arc::new(AtomicU64::new(0));
    std::thread::scope(|s| {
        for i in 0..4 {
            let client = client.clone();
            let count = count.clone();
            s.spawn(move || {
                let o = opts(&format!(r#"{{"public_id": "th{i}"}}"#));
                client
                    .upload_blocking(Source::bytes(png(), None), &o, &UploadSettings::default())
                    .unwrap();
                count.fetch_add(1, Ordering::Relaxed);
            });
        }
    });
    assert_eq!(count.load(Ordering::Relaxed), 4);
}

#[tokio::test]
async fn blocking_call_inside_a_runtime_is_refused_not_a_panic() {
    let client = Client::from_url("cloudinary://k:s@c?upload_prefix=http://127.0.0.1:9").unwrap();
    let e = client
        .admin_blocking("ping", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Invalid);
}
