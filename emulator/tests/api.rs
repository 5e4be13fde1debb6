//! Upload API, Admin API, delivery, webhooks and faults against an in-process emulator.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use cldkit_emulator::{EmulatorConfig, FaultRule};
use common::*;
use serde_json::Value as Json;

#[test]
fn signed_upload_reports_real_image_facts() {
    let (emu, client) = start(EmulatorConfig::default());
    let bytes = png(64, 32);
    let md5 = {
        use md5::Digest;
        hex::encode(md5::Md5::digest(&bytes))
    };
    let (status, r) = upload(
        &client,
        bytes.clone(),
        "/home/u/photo.png",
        &opts(
            r#"{"tags": ["a", "b"], "context": {"alt": "x=y"}, "use_filename": true, "unique_filename": false, "folder": "f1"}"#,
        ),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["public_id"], "f1/photo");
    assert_eq!(
        (r["width"].as_u64(), r["height"].as_u64()),
        (Some(64), Some(32))
    );
    assert_eq!(r["format"], "png");
    assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64));
    assert_eq!(r["etag"], Json::String(md5));
    assert_eq!(r["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(r["context"]["custom"]["alt"], "x=y");
    assert_eq!(r["original_filename"], "photo");
    assert_eq!(r["asset_folder"], "f1");
    assert_eq!(r["asset_id"].as_str().map(str::len), Some(32));
    let version = r["version"].as_i64().unwrap();
    assert!(client
        .verify_api_response("f1/photo", version, r["signature"].as_str().unwrap())
        .unwrap());
    // On the emulator's own address (plain http, so secure_url is http too).
    assert_eq!(
        r["secure_url"],
        format!(
            "{}/emulator/image/upload/v{version}/f1/photo.png",
            emu.base_url()
        )
    );
    // overwrite=false meets the existing id.
    let (_, again) = upload(
        &client,
        png(2, 2),
        "photo.png",
        &opts(r#"{"public_id": "f1/photo", "overwrite": false}"#),
    );
    assert_eq!(again["existing"], true);
    assert_eq!(again["width"].as_u64(), Some(64));
    // A generated id is 20 characters.
    let (_, gen) = upload(&client, png(2, 2), "x.png", &opts("{}"));
    assert_eq!(gen["public_id"].as_str().unwrap().len(), 20);
}

#[test]
fn data_uri_loopback_url_and_auto() {
    let (emu, client) = start(EmulatorConfig::default());
    use base64::Engine as _;
    let uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(5, 7))
    );
    let req = client
        .upload_form(&uri, &opts(r#"{"public_id": "d1"}"#))
        .unwrap();
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["height"].as_u64(), Some(7));
    // Fetch it back through the emulator's own delivery URL (a loopback URL).
    let url = format!("{}/emulator/image/upload/d1.png", emu.base_url());
    let req = client
        .upload_form(
            &url,
            &opts(r#"{"public_id": "d2", "resource_type": "auto"}"#),
        )
        .unwrap();
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "image");
    assert_eq!(r["width"].as_u64(), Some(5));
    // Non-loopback URLs are refused with a 400.
    let req = client
        .upload_form("https://example.com/x.jpg", &opts("{}"))
        .unwrap();
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 400);
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Error in loading"));
    // Raw through auto keeps the extension.
    let (status, r) = upload(
        &client,
        b"hello".to_vec(),
        "notes.txt",
        &opts(r#"{"resource_type": "auto", "use_filename": true, "unique_filename": false}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["resource_type"], "raw");
    assert_eq!(r["public_id"], "notes.txt");
    // An image endpoint refuses non-images.
    let (status, _) = upload(&client, b"hello".to_vec(), "notes.txt", &opts("{}"));
    assert_eq!(status, 400);
}

#[test]
fn authentication_errors_have_cloudinary_messages() {
    let (emu, client) = start(EmulatorConfig::default());
    let wrong =
        cldkit::Client::from_url(&emu.cloudinary_url().replace("abcd1234SECRETxyz", "nope"))
            .unwrap();
    let (status, r) = upload(&wrong, png(2, 2), "a.png", &opts(r#"{"public_id": "a&b"}"#));
    assert_eq!(status, 401);
    let msg = r["error"]["message"].as_str().unwrap();
    assert!(msg.starts_with("Invalid Signature "), "{msg}");
    assert!(
        msg.contains("String to sign - 'public_id=a%26b&timestamp="),
        "{msg}"
    );
    let stale = client.clone().with_clock(|| 1_700_000_000);
    let (status, r) = upload(&stale, png(2, 2), "a.png", &opts("{}"));
    assert_eq!(status, 400);
    assert_eq!(
        r["error"]["message"],
        "Stale request - reported time is 2023-11-14 22:13:20 +0000 which is more than 1 hour ago"
    );
    // SHA-256 signatures are accepted.
    let sha256 = cldkit::Client::from_url(&format!(
        "{}&signature_algorithm=sha256",
        emu.cloudinary_url()
    ))
    .unwrap();
    let (status, r) = upload(
        &sha256,
        png(2, 2),
        "a.png",
        &opts(r#"{"public_id": "s256"}"#),
    );
    assert_eq!(status, 200, "{r}");
    // Unsigned upload without a preset.
    let req = client
        .unsigned_upload_form("/x", "nope", &opts("{}"))
        .unwrap();
    let (status, r) = post_form(&req, Some(("a.png", png(2, 2))), &[]);
    assert_eq!(status, 400);
    assert_eq!(r["error"]["message"], "Upload preset not found");
    // Admin without credentials.
    let resp = reqwest::blocking::get(format!("{}/v1_1/emulator/ping", emu.base_url())).unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.json::<Json>().unwrap()["error"]["message"].is_string());
}

#[test]
fn chunked_upload_out_of_order_unknown_total_and_resent_chunk() {
    let (emu, client) = start(EmulatorConfig::default());
    let data: Vec<u8> = (0..25_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let send = |start: usize, end: usize, total: &str, uid: &str| {
        let req = client
            .upload_form(
                "/x",
                &opts(r#"{"public_id": "big.bin", "resource_type": "raw", "tags": ["t"]}"#),
            )
            .unwrap();
        post_form(
            &req,
            Some(("big.bin", data[start..=end].to_vec())),
            &[
                ("x-unique-upload-id", uid.to_owned()),
                ("content-range", format!("bytes {start}-{end}/{total}")),
            ],
        )
    };
    // Out of order: last chunk (with the total) arrives second.
    let (s1, r1) = send(0, 9_999, "-1", "u1");
    assert_eq!(s1, 200, "{r1}");
    assert_eq!(r1["done"], false);
    assert_eq!(r1["bytes"].as_u64(), Some(10_000));
    assert_eq!(r1["public_id"], "big.bin");
    let (_, r2) = send(20_000, 24_999, "25000", "u1");
    assert_eq!(r2["done"], false);
    // Re-sent first chunk changes nothing.
    let (_, r3) = send(0, 9_999, "-1", "u1");
    assert_eq!(r3["bytes"].as_u64(), Some(15_000));
    let (s4, r4) = send(10_000, 19_999, "-1", "u1");
    assert_eq!(s4, 200, "{r4}");
    assert_eq!(r4["bytes"].as_u64(), Some(25_000));
    assert_eq!(r4["resource_type"], "raw");
    use md5::Digest;
    assert_eq!(r4["etag"], hex::encode(md5::Md5::digest(&data)));
    let got = reqwest::blocking::get(format!("{}/emulator/raw/upload/big.bin", emu.base_url()))
        .unwrap()
        .bytes()
        .unwrap();
    assert_eq!(got.as_ref(), data.as_slice());
    // In order with known totals.
    for (a, b) in [(0, 12_499), (12_500, 24_999)] {
        let (s, r) = send(a, b, "25000", "u2");
        assert_eq!(s, 200, "{r}");
    }
    // Malformed range (Node's empty file).
    let req = client
        .upload_form("/x", &opts(r#"{"resource_type": "raw"}"#))
        .unwrap();
    let (s, r) = post_form(
        &req,
        Some(("e", Vec::new())),
        &[
            ("x-unique-upload-id", "u3".into()),
            ("content-range", "bytes 0--1/0".into()),
        ],
    );
    assert_eq!(s, 400, "{r}");
    assert!(r["error"]["message"].is_string());
}

#[test]
fn admin_api_lists_searches_and_rate_limits() {
    let (emu, client) = start(EmulatorConfig {
        hourly_budget: 6,
        ..EmulatorConfig::default()
    });
    for i in 0..3 {
        let (s, r) = upload(
            &client,
            png(4 + i, 4),
            "p.png",
            &opts(&format!(
                r#"{{"public_id": "pre/x{i}", "tags": ["t{i}", "all"]}}"#
            )),
        );
        assert_eq!(s, 200, "{r}");
    }
    let resp = admin_get(&emu, "resources/image/upload?prefix=pre%2F&max_results=2");
    assert_eq!(resp.headers()["x-featureratelimit-limit"], "6");
    assert!(resp.headers().contains_key("x-featureratelimit-reset"));
    let page: Json = resp.json().unwrap();
    assert_eq!(page["resources"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let page2: Json = admin_get(
        &emu,
        &format!("resources/image/upload?prefix=pre%2F&max_results=2&next_cursor={cursor}"),
    )
    .json()
    .unwrap();
    assert_eq!(page2["resources"].as_array().unwrap().len(), 1);
    assert!(page2.get("next_cursor").is_none());
    // NODE-style encoded path and tag listing.
    let one: Json = admin_get(&emu, "resources/image/upload/pre%2Fx1")
        .json()
        .unwrap();
    assert_eq!(one["width"].as_u64(), Some(5));
    let tagged: Json = admin_get(&emu, "resources/image/tags/t2").json().unwrap();
    assert_eq!(tagged["resources"][0]["public_id"], "pre/x2");
    let a = &emu.accounts()[0];
    let search: Json = reqwest::blocking::Client::new()
        .post(format!("{}/v1_1/emulator/resources%2Fsearch", emu.base_url()))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .json(&serde_json::json!({"expression": "tags=all AND (public_id:pre/x0 OR width>5)", "sort_by": [{"public_id": "asc"}], "with_field": ["tags"]}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let ids: Vec<&str> = search["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["public_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["pre/x0", "pre/x2"], "{search}");
    assert!(search["resources"][0]["tags"].is_array());
    // Budget: 6 per hour; 5 spent above.
    assert_eq!(admin_get(&emu, "ping").status().as_u16(), 200);
    let limited = admin_get(&emu, "ping");
    assert_eq!(limited.status().as_u16(), 420);
    assert_eq!(limited.headers()["x-featureratelimit-remaining"], "0");
    assert_eq!(
        limited.json::<Json>().unwrap()["error"]["message"],
        "Rate limit exceeded"
    );
}

fn ids(list: &[&str]) -> cldkit::Value {
    cldkit::Value::List(list.iter().map(|i| s(i)).collect())
}

#[test]
fn commands_destroy_rename_tags_context() {
    let (emu, client) = start(EmulatorConfig::default());
    upload(&client, png(3, 3), "a.png", &opts(r#"{"public_id": "c1"}"#));
    upload(
        &client,
        png(3, 3),
        "a.png",
        &opts(r#"{"public_id": "c2", "tags": ["x"]}"#),
    );
    let post = |req: cldkit::upload::UploadRequest| post_form(&req, None, &[]);
    let (_, r) = post(
        client
            .tags_form(
                cldkit::upload::TagCommand::Add,
                s("x"),
                ids(&["c1"]),
                &opts("{}"),
            )
            .unwrap(),
    );
    assert_eq!(r["public_ids"], serde_json::json!(["c1"]));
    let (_, r) = post(
        client
            .tags_form(
                cldkit::upload::TagCommand::Add,
                s("x"),
                ids(&["c1"]),
                &opts(r#"{"exclusive": true}"#),
            )
            .unwrap(),
    );
    assert_eq!(r["public_ids"], serde_json::json!(["c1"]));
    let c2: Json = admin_get(&emu, "resources/image/upload/c2").json().unwrap();
    assert_eq!(c2["tags"], serde_json::json!([]));
    let (_, r) = post(
        client
            .add_context_form(s("k=v"), ids(&["c1"]), &opts("{}"))
            .unwrap(),
    );
    assert_eq!(r["public_ids"], serde_json::json!(["c1"]));
    let (status, r) = post(client.rename_form(s("c1"), s("c3"), &opts("{}")).unwrap());
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["public_id"], "c3");
    assert_eq!(r["context"]["custom"]["k"], "v");
    let (status, r) = post(client.rename_form(s("c3"), s("c2"), &opts("{}")).unwrap());
    assert_eq!(status, 400, "{r}");
    let (_, r) = post(client.destroy_form(s("c3"), &opts("{}")).unwrap());
    assert_eq!(r, serde_json::json!({"result": "ok"}));
    let (_, r) = post(client.destroy_form(s("c3"), &opts("{}")).unwrap());
    assert_eq!(r, serde_json::json!({"result": "not found"}));
    let (status, r) = post(
        client
            .explicit_form(s("nope"), &opts(r#"{"type": "upload"}"#))
            .unwrap(),
    );
    assert_eq!(status, 404);
    assert_eq!(r["error"]["message"], "Resource not found - nope");
}

#[test]
fn delivery_originals_transformations_and_signed_urls() {
    let (emu, client) = start(EmulatorConfig::default());
    let bytes = png(100, 50);
    upload(
        &client,
        bytes.clone(),
        "a.png",
        &opts(r#"{"public_id": "folder/pic"}"#),
    );
    upload(
        &client,
        png(10, 10),
        "a.png",
        &opts(r#"{"public_id": "secret", "type": "private"}"#),
    );
    let base = emu.base_url();
    let get = |p: &str| reqwest::blocking::get(format!("{base}{p}")).unwrap();
    let orig = get("/emulator/image/upload/v1/folder/pic.png");
    assert_eq!(orig.headers()["content-type"], "image/png");
    assert_eq!(orig.bytes().unwrap().as_ref(), bytes.as_slice());
    // Transformation built by the core's URL builder, path taken from it.
    let url = client.url("folder/pic", &opts(r#"{"width": 20, "height": 20, "crop": "fill", "gravity": "north_west", "format": "jpg", "analytics": false}"#)).unwrap();
    let path = url.split(emu.addr().to_string().as_str()).nth(1).unwrap();
    let resp = get(path);
    assert_eq!(resp.status().as_u16(), 200, "{path}");
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&resp.bytes().unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (20, 20));
    let resp = get("/emulator/image/upload/w_0.5,c_scale/f_webp/folder/pic");
    let img = image::load_from_memory(&resp.bytes().unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (50, 25));
    // Invalid syntax is a 400 naming the parameter (issue 18: effects now render).
    let resp = get("/emulator/image/upload/w_10,c_bogus/folder/pic.png");
    assert_eq!(resp.status().as_u16(), 400);
    assert!(resp.headers()["x-cld-error"]
        .to_str()
        .unwrap()
        .contains("bogus"));
    assert_eq!(
        get("/emulator/image/upload/missing.png").status().as_u16(),
        404
    );
    // Private needs a signature; the core's signed URL is accepted.
    assert_eq!(
        get("/emulator/image/private/secret.png").status().as_u16(),
        401
    );
    let signed = client.url("secret.png", &opts(r#"{"type": "private", "sign_url": true, "width": 5, "crop": "scale", "analytics": false}"#)).unwrap();
    let path = signed
        .split(emu.addr().to_string().as_str())
        .nth(1)
        .unwrap();
    let resp = get(path);
    assert_eq!(resp.status().as_u16(), 200, "{signed}");
    let tampered = path.replace("w_5", "w_6");
    assert_eq!(get(&tampered).status().as_u16(), 401);
}

/// A one-thread HTTP receiver answering `statuses` in turn; records (headers, body).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

fn receiver(statuses: Vec<u16>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        for status in statuses {
            let Ok((mut sock, _)) = listener.accept() else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let n = sock.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).into_owned();
                if let Some(i) = text.find("\r\n\r\n") {
                    let head = text[..i].to_owned();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() >= i + 4 + len {
                        break (
                            head,
                            String::from_utf8_lossy(&buf[i + 4..i + 4 + len]).into_owned(),
                        );
                    }
                }
            };
            seen2.lock().unwrap().push((head, body));
            let _ = write!(
                sock,
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (url, seen)
}

#[test]
fn webhooks_are_signed_and_retried() {
    let (emu, client) = start(EmulatorConfig {
        webhook_retry_ms: 50,
        ..EmulatorConfig::default()
    });
    let (hook, seen) = receiver(vec![500, 200]);
    let (s, r) = upload(
        &client,
        png(3, 3),
        "a.png",
        &opts(&format!(
            r#"{{"public_id": "hooked", "notification_url": "{hook}"}}"#
        )),
    );
    assert_eq!(s, 200, "{r}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while seen.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "one failure, one retry");
    let (head, body) = &seen[1];
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap()
    };
    let ts: i64 = header("x-cld-timestamp").parse().unwrap();
    assert!(client
        .verify_notification(body.as_bytes(), ts, &header("x-cld-signature"), None)
        .unwrap());
    let payload: Json = serde_json::from_str(body).unwrap();
    assert_eq!(payload["notification_type"], "upload");
    assert_eq!(payload["public_id"], "hooked");
    drop(emu);
}

#[test]
fn fault_injection_status_and_truncate() {
    let (emu, client) = start(EmulatorConfig::default());
    emu.set_faults(vec![FaultRule {
        path: Some("/ping".into()),
        nth: Some(2),
        status: Some(503),
        ..FaultRule::default()
    }]);
    assert_eq!(admin_get(&emu, "ping").status().as_u16(), 200);
    assert_eq!(admin_get(&emu, "ping").status().as_u16(), 503);
    assert_eq!(admin_get(&emu, "ping").status().as_u16(), 200);
    // Through the control endpoint: truncate the next upload response.
    let a = &emu.accounts()[0];
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/_emulator/faults", emu.base_url()))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .header("content-type", "application/json")
        .body(r#"[{"path": "/upload", "action": "truncate", "bytes": 5}]"#)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let req = client.upload_form("/x", &opts("{}")).unwrap();
    let mut form = reqwest::blocking::multipart::Form::new();
    for (k, v) in &req.fields {
        form = form.text(k.clone(), v.clone());
    }
    form = form.part(
        "file",
        reqwest::blocking::multipart::Part::bytes(png(2, 2)).file_name("a.png"),
    );
    let result = reqwest::blocking::Client::new()
        .post(&req.url)
        .multipart(form)
        .send()
        .and_then(|r| r.bytes());
    match result {
        Err(_) => {}
        Ok(b) => assert!(
            b.len() <= 5,
            "truncated body expected, got {} bytes",
            b.len()
        ),
    }
}

#[test]
fn restart_with_the_same_data_keeps_assets() {
    let dir = tempfile::tempdir().unwrap();
    let config = EmulatorConfig {
        data_dir: Some(dir.path().to_owned()),
        ..EmulatorConfig::default()
    };
    let (emu, client) = start(config.clone());
    let (s, r) = upload(
        &client,
        png(9, 9),
        "a.png",
        &opts(r#"{"public_id": "kept", "tags": ["z"]}"#),
    );
    assert_eq!(s, 200, "{r}");
    emu.shutdown();
    let (emu, _) = start(config);
    let got: Json = admin_get(&emu, "resources/image/upload/kept")
        .json()
        .unwrap();
    assert_eq!(got["width"].as_u64(), Some(9));
    assert_eq!(got["tags"], serde_json::json!(["z"]));
    let bytes =
        reqwest::blocking::get(format!("{}/emulator/image/upload/kept.png", emu.base_url()))
            .unwrap()
            .bytes()
            .unwrap();
    assert_eq!(bytes.as_ref(), png(9, 9).as_slice());
}

#[test]
fn bearer_tokens_fixed_folders_and_folder_admin() {
    let account = cldkit_emulator::Account::from_cloudinary_url(
        "cloudinary://k1:s1@fixedcloud?folder_mode=fixed&oauth_token=TOKEN123",
    )
    .unwrap();
    let (emu, client) = start(EmulatorConfig {
        accounts: vec![account],
        ..EmulatorConfig::default()
    });
    let (s, r) = upload(
        &client,
        png(3, 3),
        "a.png",
        &opts(r#"{"public_id": "pic", "folder": "a/b"}"#),
    );
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["public_id"], "a/b/pic");
    assert!(
        r.get("asset_folder").is_none(),
        "fixed mode has no asset_folder: {r}"
    );
    let http = reqwest::blocking::Client::new();
    let get = |path: &str, auth: &str| {
        http.get(format!("{}/v1_1/fixedcloud/{path}", emu.base_url()))
            .header("authorization", auth)
            .send()
            .unwrap()
    };
    assert_eq!(get("ping", "Bearer TOKEN123").status().as_u16(), 200);
    assert_eq!(get("ping", "Bearer WRONG").status().as_u16(), 401);
    let cfg: Json = get("config?settings=true", "Bearer TOKEN123")
        .json()
        .unwrap();
    assert_eq!(cfg["settings"]["folder_mode"], "fixed");
    let folders: Json = get("folders", "Bearer TOKEN123").json().unwrap();
    assert_eq!(folders["folders"][0]["path"], "a");
    let sub: Json = get("folders/a", "Bearer TOKEN123").json().unwrap();
    assert_eq!(sub["folders"][0]["path"], "a/b");
    assert_eq!(
        get("folders/nope", "Bearer TOKEN123").status().as_u16(),
        404
    );
    let del = http
        .delete(format!("{}/v1_1/fixedcloud/folders/a", emu.base_url()))
        .header("authorization", "Bearer TOKEN123")
        .send()
        .unwrap();
    assert_eq!(
        del.status().as_u16(),
        400,
        "a folder with assets is not deleted"
    );
}

/// Waits (up to 10 s) until `seen` holds `n` requests.
fn wait_for(seen: &Seen, n: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while seen.lock().unwrap().len() < n && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A header of a raw request head.
fn header_of(head: &str, name: &str) -> String {
    head.lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no {name} header in {head}"))
}

/// The signed notification `n` received by `seen`, verified with the core; its payload.
fn verified_notification(client: &cldkit::Client, seen: &Seen, n: usize) -> Json {
    let seen = seen.lock().unwrap();
    let (head, body) = &seen[n];
    let ts: i64 = header_of(head, "x-cld-timestamp").parse().unwrap();
    let sig = header_of(head, "x-cld-signature");
    assert!(
        client
            .verify_notification(body.as_bytes(), ts, &sig, None)
            .unwrap(),
        "signature of {body}"
    );
    assert!(!client
        .verify_notification(format!("{body} ").as_bytes(), ts, &sig, None)
        .unwrap());
    serde_json::from_str(body).unwrap()
}

/// The delivery URL the core builds for a derived version.
fn core_url(
    client: &cldkit::Client,
    public_id: &str,
    t: &str,
    version: i64,
    secure: bool,
) -> String {
    let mut o = opts(t);
    o.insert("version", cldkit::Value::Int(version));
    // The emulator announces its own plain-http address for url and secure_url alike,
    // so `secure` builds the same URL.
    let _ = secure;
    o.insert("secure", false);
    o.insert("analytics", false);
    client.url(public_id, &o).unwrap()
}

fn is_hex32(v: &Json) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn eager_on_upload_renders_derived_images_at_the_core_urls() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, r) = upload(
        &client,
        png(100, 50),
        "a.png",
        &opts(
            r#"{"public_id": "eg", "eager": [{"width": 40, "height": 30, "crop": "pad"}, {"width": 26, "height": 20, "crop": "crop", "format": "jpg"}]}"#,
        ),
    );
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    let eager = r["eager"].as_array().expect("eager array");
    assert_eq!(eager.len(), 2, "{r}");
    assert_eq!(eager[0]["transformation"], "c_pad,h_30,w_40");
    assert_eq!(eager[1]["transformation"], "c_crop,h_20,w_26/jpg");
    assert_eq!(eager[0]["format"], "png");
    assert_eq!(eager[1]["format"], "jpg");
    let t0 = r#"{"width": 40, "height": 30, "crop": "pad", "format": "png"}"#;
    let t1 = r#"{"width": 26, "height": 20, "crop": "crop", "format": "jpg"}"#;
    assert_eq!(eager[0]["url"], core_url(&client, "eg", t0, v, false));
    assert_eq!(eager[0]["secure_url"], core_url(&client, "eg", t0, v, true));
    assert_eq!(eager[1]["url"], core_url(&client, "eg", t1, v, false));
    assert_eq!(eager[1]["secure_url"], core_url(&client, "eg", t1, v, true));
    for (e, (w, h), mime) in [
        (&eager[0], (40, 30), "image/png"),
        (&eager[1], (26, 20), "image/jpeg"),
    ] {
        assert_eq!(
            (e["width"].as_u64(), e["height"].as_u64()),
            (Some(w), Some(h))
        );
        // The URL is served, and is the rendering the entry describes.
        let url = e["url"].as_str().unwrap();
        let path = url.split(emu.addr().to_string().as_str()).nth(1).unwrap();
        let resp = reqwest::blocking::get(format!("{}{path}", emu.base_url())).unwrap();
        assert_eq!(resp.status().as_u16(), 200, "{url}");
        assert_eq!(resp.headers()["content-type"], mime);
        let bytes = resp.bytes().unwrap();
        assert_eq!(e["bytes"].as_u64(), Some(bytes.len() as u64));
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (w as u32, h as u32));
    }
    // A transformation that cannot be rendered (its layer is missing) still gets its
    // URLs, without facts.
    let (status, r) = upload(
        &client,
        png(10, 10),
        "a.png",
        &opts(r#"{"public_id": "eg2", "eager": "l_nolayer,w_5"}"#),
    );
    assert_eq!(status, 200, "{r}");
    let e = &r["eager"][0];
    assert_eq!(e["transformation"], "l_nolayer,w_5");
    assert!(
        e["url"].as_str().unwrap().contains("/l_nolayer,w_5/v"),
        "{e}"
    );
    assert!(e.get("width").is_none() && e.get("bytes").is_none(), "{e}");
    // Without eager there is no eager member.
    let (_, r) = upload(
        &client,
        png(3, 3),
        "a.png",
        &opts(r#"{"public_id": "eg3"}"#),
    );
    assert!(r.get("eager").is_none(), "{r}");
}

#[test]
fn eager_async_upload_answers_processing_then_notifies_signed() {
    let (_emu, client) = start(EmulatorConfig::default());
    let (hook, seen) = receiver(vec![200]);
    let (status, r) = upload(
        &client,
        png(100, 50),
        "a.png",
        &opts(&format!(
            r#"{{"public_id": "ea", "eager": [{{"width": 10, "crop": "scale"}}, {{"width": 8, "height": 8, "crop": "fill", "format": "webp"}}], "eager_async": true, "eager_notification_url": "{hook}"}}"#
        )),
    );
    assert_eq!(status, 200, "{r}");
    let v = r["version"].as_i64().unwrap();
    let eager = r["eager"].as_array().expect("eager array");
    assert_eq!(eager.len(), 2, "{r}");
    let batch = eager[0]["batch_id"].clone();
    assert!(is_hex32(&batch), "{r}");
    for e in eager {
        assert_eq!(e["status"], "processing", "{e}");
        assert_eq!(e["batch_id"], batch);
        assert!(e.get("width").is_none(), "{e}");
    }
    assert_eq!(eager[0]["transformation"], "c_scale,w_10");
    assert_eq!(
        eager[0]["url"],
        core_url(
            &client,
            "ea",
            r#"{"width": 10, "crop": "scale", "format": "png"}"#,
            v,
            false
        )
    );
    assert_eq!(
        eager[1]["secure_url"],
        core_url(
            &client,
            "ea",
            r#"{"width": 8, "height": 8, "crop": "fill", "format": "webp"}"#,
            v,
            true
        )
    );
    wait_for(&seen, 1);
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the eager notification arrives"
    );
    let p = verified_notification(&client, &seen, 0);
    assert_eq!(p["notification_type"], "eager");
    assert_eq!(p["batch_id"], batch);
    assert_eq!(p["public_id"], "ea");
    assert_eq!(p["asset_id"], r["asset_id"]);
    let done = p["eager"].as_array().expect("finished entries");
    assert_eq!(done.len(), 2, "{p}");
    assert_eq!(done[0]["transformation"], "c_scale,w_10");
    assert_eq!(
        (done[0]["width"].as_u64(), done[0]["height"].as_u64()),
        (Some(10), Some(5))
    );
    assert_eq!(done[0]["url"], eager[0]["url"]);
    assert_eq!(done[1]["transformation"], "c_fill,h_8,w_8/webp");
    assert_eq!(done[1]["format"], "webp");
    assert_eq!(
        (done[1]["width"].as_u64(), done[1]["height"].as_u64()),
        (Some(8), Some(8))
    );
    assert!(done[1]["bytes"].as_u64().unwrap() > 0);
    assert_eq!(done[1]["secure_url"], eager[1]["secure_url"]);
    assert!(done.iter().all(|e| e.get("status").is_none()), "{p}");
}

#[test]
fn explicit_with_eager_sync_and_async() {
    let (_emu, client) = start(EmulatorConfig::default());
    let (hook, seen) = receiver(vec![200]);
    let (status, up) = upload(
        &client,
        png(60, 60),
        "a.png",
        &opts(r#"{"public_id": "ex"}"#),
    );
    assert_eq!(status, 200, "{up}");
    let v = up["version"].as_i64().unwrap();
    let post = |o: &str| post_form(&client.explicit_form(s("ex"), &opts(o)).unwrap(), None, &[]);
    // Synchronous: the finished entry, from the same shared code as upload.
    let (status, r) = post(r#"{"type": "upload", "eager": [{"width": 30, "crop": "scale"}]}"#);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["eager"][0]["width"].as_u64(), Some(30), "{r}");
    assert_eq!(
        r["eager"][0]["url"],
        core_url(
            &client,
            "ex",
            r#"{"width": 30, "crop": "scale", "format": "png"}"#,
            v,
            false
        )
    );
    // Asynchronous, notified at `notification_url` when there is no eager_notification_url.
    let (status, r) = post(&format!(
        r#"{{"type": "upload", "eager": [{{"width": 20, "height": 10, "crop": "fill", "format": "jpg"}}], "eager_async": true, "notification_url": "{hook}"}}"#
    ));
    assert_eq!(status, 200, "{r}");
    let e = &r["eager"][0];
    assert_eq!(e["status"], "processing", "{r}");
    assert!(is_hex32(&e["batch_id"]), "{r}");
    assert_eq!(e["transformation"], "c_fill,h_10,w_20/jpg");
    wait_for(&seen, 1);
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the eager notification arrives"
    );
    let p = verified_notification(&client, &seen, 0);
    assert_eq!(p["notification_type"], "eager");
    assert_eq!(p["batch_id"], e["batch_id"]);
    assert_eq!(p["public_id"], "ex");
    let d = &p["eager"][0];
    assert_eq!(
        (d["width"].as_u64(), d["height"].as_u64()),
        (Some(20), Some(10)),
        "{p}"
    );
    assert_eq!(d["format"], "jpg");
    assert_eq!(d["url"], e["url"]);
}

#[test]
fn bad_eager_strings_are_a_400_and_store_nothing() {
    let (emu, client) = start(EmulatorConfig::default());
    for (bad, named) in [
        ("w_100,zz_3", "zz_3"),
        ("c_fill,w_10|nonsense", "nonsense"),
        ("w_10/p.n.g", "p.n.g"),
        ("|", "no transformation"),
    ] {
        let o = serde_json::json!({"public_id": "bad", "eager": bad}).to_string();
        let (status, r) = upload(&client, png(3, 3), "a.png", &opts(&o));
        assert_eq!(status, 400, "{bad}: {r}");
        let msg = r["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"));
        assert!(msg.contains(named), "{bad}: {msg}");
    }
    assert_eq!(
        admin_get(&emu, "resources/image/upload/bad")
            .status()
            .as_u16(),
        404
    );
    upload(&client, png(3, 3), "a.png", &opts(r#"{"public_id": "ok"}"#));
    let req = client
        .explicit_form(
            s("ok"),
            &opts(r#"{"type": "upload", "eager": "w_1,bogus_2", "tags": ["t"]}"#),
        )
        .unwrap();
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 400, "{r}");
    assert!(
        r["error"]["message"].as_str().unwrap().contains("bogus_2"),
        "{r}"
    );
    let ok: Json = admin_get(&emu, "resources/image/upload/ok").json().unwrap();
    assert_eq!(
        ok["tags"],
        serde_json::json!([]),
        "a refused explicit changes nothing"
    );
}
