//! Killing the emulator process in the middle of a chunked upload and restarting it
//! with the same data directory loses no completed asset and shows no partial one.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;
use serde_json::Value as Json;

fn spawn(data: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cldkit-emulator"))
        .args(["--data", data.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn emulator");
    let mut line = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let url = line
        .trim()
        .strip_prefix("CLOUDINARY_URL=")
        .expect("url line")
        .to_owned();
    (child, url)
}

fn list(client: &cldkit::Client, url: &str, rt: &str) -> Vec<String> {
    let base = url.split("upload_prefix=").nth(1).unwrap();
    let _ = client;
    let body: Json = reqwest::blocking::Client::new()
        .get(format!(
            "{base}/v1_1/emulator/resources/{rt}/upload?max_results=500"
        ))
        .basic_auth("123456789012345", Some("abcd1234SECRETxyz"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["public_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn kill_during_chunked_upload_then_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = spawn(dir.path());
    let client = cldkit::Client::from_url(&url).unwrap();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let chunk = |client: &cldkit::Client, pid: &str, uid: &str, a: usize, b: usize| {
        let req = client
            .upload_form(
                "/x",
                &opts(&format!(
                    r#"{{"public_id": "{pid}", "resource_type": "raw"}}"#
                )),
            )
            .unwrap();
        post_form(
            &req,
            Some(("big.bin", data[a..=b].to_vec())),
            &[
                ("x-unique-upload-id", uid.to_owned()),
                ("content-range", format!("bytes {a}-{b}/{}", data.len())),
            ],
        )
    };
    // One complete chunked asset, one simple image, one upload cut half-way.
    for (a, b) in [(0, 1_499_999), (1_500_000, 2_999_999)] {
        let (s, r) = chunk(&client, "done.bin", "ok1", a, b);
        assert_eq!(s, 200, "{r}");
    }
    let (s, _) = upload(
        &client,
        png(6, 6),
        "p.png",
        &opts(r#"{"public_id": "img"}"#),
    );
    assert_eq!(s, 200);
    let (s, r) = chunk(&client, "partial.bin", "cut1", 0, 1_499_999);
    assert_eq!((s, r["done"].clone()), (200, Json::Bool(false)));
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, url) = spawn(dir.path());
    let client = cldkit::Client::from_url(&url).unwrap();
    assert_eq!(list(&client, &url, "raw"), ["done.bin"]);
    assert_eq!(list(&client, &url, "image"), ["img"]);
    let base = url.split("upload_prefix=").nth(1).unwrap().to_owned();
    let got = reqwest::blocking::get(format!("{base}/emulator/raw/upload/done.bin"))
        .unwrap()
        .bytes()
        .unwrap();
    assert_eq!(got.len(), data.len());
    assert!(got.as_ref() == data.as_slice());
    // The interrupted upload resumes where it stopped.
    let (s, r) = chunk(&client, "partial.bin", "cut1", 1_500_000, 2_999_999);
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["bytes"].as_u64(), Some(data.len() as u64));
    use md5::Digest;
    assert_eq!(r["etag"], hex::encode(md5::Md5::digest(&data)));
    let mut ids = list(&client, &url, "raw");
    ids.sort();
    assert_eq!(ids, ["done.bin", "partial.bin"]);
    child.kill().unwrap();
    child.wait().unwrap();
}
