//! Notifications and triggers (issue 18, part 5): every event type is sent, signed,
//! to the per-call `notification_url` and to the triggers created through the Admin
//! API, once per target; a failing receiver is retried and every attempt is recorded
//! at `GET /_emulator/notifications`; non-loopback targets are refused.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cldkit::upload::TagCommand;
use cldkit::{Client, Map};
use cldkit_emulator::{Emulator, EmulatorConfig};
use common::{opts, png, post_form, start, upload};
use serde_json::{json, Value as Json};

/// One received request: path, headers (lower-case names) and body.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    headers: HashMap<String, String>,
    body: String,
}

/// A loopback HTTP receiver answering `statuses` in turn (then 200) and keeping
/// every request.
fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Hit>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for sock in listener.incoming() {
            let Ok(mut sock) = sock else { return };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            let hit = loop {
                let n = sock.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&buf[..i]).into_owned();
                let mut lines = head.lines();
                let path = lines
                    .next()
                    .and_then(|l| l.split(' ').nth(1))
                    .unwrap_or_default()
                    .to_owned();
                let headers: HashMap<String, String> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                    .collect();
                let len: usize = headers
                    .get("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if buf.len() >= i + 4 + len {
                    let body = String::from_utf8_lossy(&buf[i + 4..i + 4 + len]).into_owned();
                    break Some(Hit {
                        path,
                        headers,
                        body,
                    });
                }
            };
            let Some(hit) = hit else { continue };
            seen2.lock().unwrap().push(hit);
            let status = statuses.next().unwrap_or(200);
            let _ = write!(
                sock,
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (url, seen)
}

/// An Admin API call with Basic auth and a JSON body.
fn admin(emu: &Emulator, method: reqwest::Method, path: &str, body: Json) -> (u16, Json) {
    let a = &emu.accounts()[0];
    let resp = reqwest::blocking::Client::new()
        .request(
            method,
            format!("{}/v1_1/{}/{}", emu.base_url(), a.cloud_name, path),
        )
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .json(&body)
        .send()
        .expect("admin request");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Json::Null))
}

/// The delivery record of the control endpoint.
fn deliveries(emu: &Emulator) -> Vec<Json> {
    let a = &emu.accounts()[0];
    let v: Json = reqwest::blocking::Client::new()
        .get(format!("{}/_emulator/notifications", emu.base_url()))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .send()
        .expect("control request")
        .json()
        .expect("json");
    v["deliveries"].as_array().cloned().unwrap_or_default()
}

/// Waits until `pred` holds for the received hits (or 10 s pass).
fn wait_for(seen: &Mutex<Vec<Hit>>, pred: impl Fn(&[Hit]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !pred(&seen.lock().unwrap()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Checks the hit's signature with the core and returns its payload.
fn verified(client: &Client, hit: &Hit) -> Json {
    let ts: i64 = hit.headers["x-cld-timestamp"].parse().unwrap();
    assert!(
        client
            .verify_notification(
                hit.body.as_bytes(),
                ts,
                &hit.headers["x-cld-signature"],
                None
            )
            .unwrap(),
        "signature of {}",
        hit.path
    );
    serde_json::from_str(&hit.body).unwrap()
}

fn call(req: cldkit::Result<cldkit::upload::UploadRequest>) -> Json {
    let (status, body) = post_form(&req.expect("form"), None, &[]);
    assert_eq!(status, 200, "{body}");
    body
}

const EVENTS: [&str; 9] = [
    "upload",
    "eager",
    "rename",
    "resource_tags_changed",
    "resource_context_changed",
    "resource_metadata_changed",
    "resource_display_name_changed",
    "moderation",
    "delete",
];

#[test]
fn every_event_reaches_each_target_once_signed() {
    let (emu, client) = start(EmulatorConfig {
        webhook_retry_ms: 50,
        ..EmulatorConfig::default()
    });
    let (hook, seen) = receiver(Vec::new());
    for event in EVENTS {
        let (s, t) = admin(
            &emu,
            reqwest::Method::POST,
            "triggers",
            json!({"uri": format!("{hook}/trigger/{event}"), "event_type": event}),
        );
        assert_eq!(s, 200, "{t}");
    }
    // A poll trigger is not a webhook target.
    let (s, _) = admin(
        &emu,
        reqwest::Method::POST,
        "triggers",
        json!({"uri": "poll://all", "event_type": "all"}),
    );
    assert_eq!(s, 200);
    let per_call = format!("{hook}/call");

    let (s, r) = upload(
        &client,
        png(6, 4),
        "a.png",
        &opts(&format!(
            r#"{{"public_id": "n1", "notification_url": "{per_call}"}}"#
        )),
    );
    assert_eq!(s, 200, "{r}");
    call(client.explicit_form(
        "n1",
        &opts(&format!(
            r#"{{"type": "upload", "eager": [{{"width": 3, "crop": "scale"}}], "eager_async": true, "eager_notification_url": "{per_call}"}}"#
        )),
    ));
    call(client.rename_form("n1", "n2", &Map::new()));
    call(client.tags_form(TagCommand::Add, "red", "n2", &Map::new()));
    call(client.add_context_form("alt=hello", "n2", &Map::new()));
    call(client.update_metadata_form("color=blue", "n2", &Map::new()));
    let (s, r) = admin(
        &emu,
        reqwest::Method::POST,
        "resources/image/upload/n2",
        json!({"display_name": "Shown"}),
    );
    assert_eq!(s, 200, "{r}");
    let (s, r) = admin(
        &emu,
        reqwest::Method::POST,
        "resources/image/upload/n2",
        json!({"moderation_status": "approved"}),
    );
    assert_eq!(s, 200, "{r}");
    call(client.destroy_form("n2", &Map::new()));

    let expected = EVENTS.len() + 2; // + per-call upload and eager
    wait_for(&seen, |h| h.len() >= expected);
    // Give duplicates a chance to arrive.
    std::thread::sleep(Duration::from_millis(300));
    let hits = seen.lock().unwrap().clone();
    for event in EVENTS {
        let path = format!("/trigger/{event}");
        let got: Vec<&Hit> = hits.iter().filter(|h| h.path == path).collect();
        assert_eq!(got.len(), 1, "{event}: {hits:#?}");
        let payload = verified(&client, got[0]);
        assert_eq!(payload["notification_type"], event, "{payload}");
    }
    let calls: Vec<Json> = hits
        .iter()
        .filter(|h| h.path == "/call")
        .map(|h| verified(&client, h)["notification_type"].clone())
        .collect();
    assert_eq!(calls, vec![json!("upload"), json!("eager")], "{hits:#?}");
    assert_eq!(hits.len(), expected, "no other deliveries: {hits:#?}");

    // Payload shapes.
    let payload = |event: &str| {
        let h = hits
            .iter()
            .find(|h| h.path == format!("/trigger/{event}"))
            .unwrap();
        serde_json::from_str::<Json>(&h.body).unwrap()
    };
    let p = payload("rename");
    assert_eq!(
        (p["from_public_id"].clone(), p["to_public_id"].clone()),
        (json!("n1"), json!("n2"))
    );
    let p = payload("resource_tags_changed");
    assert_eq!(p["resources"][0]["public_id"], "n2");
    assert_eq!(p["resources"][0]["added"], json!(["red"]));
    let p = payload("resource_context_changed");
    assert_eq!(
        p["resources"][0]["added"],
        json!([{"name": "alt", "value": "hello"}])
    );
    let p = payload("resource_metadata_changed");
    assert_eq!(
        p["resources"][0]["added"],
        json!([{"name": "color", "value": "blue"}])
    );
    let p = payload("resource_display_name_changed");
    assert_eq!(p["resources"][0]["new_display_name"], "Shown");
    let p = payload("moderation");
    assert_eq!(p["moderation_status"], "approved");
    let p = payload("delete");
    assert_eq!(p["resources"][0]["public_id"], "n2");
    let p = payload("eager");
    assert_eq!(p["public_id"], "n1");
    drop(emu);
}

#[test]
fn failing_receivers_are_retried_and_recorded() {
    let (emu, client) = start(EmulatorConfig {
        webhook_retry_ms: 50,
        ..EmulatorConfig::default()
    });
    let (hook, seen) = receiver(vec![500, 503]);
    for uri in [format!("{hook}/flaky"), "http://192.0.2.1/far".to_owned()] {
        let (s, t) = admin(
            &emu,
            reqwest::Method::POST,
            "triggers",
            json!({"uri": uri, "event_type": "resource_tags_changed"}),
        );
        assert_eq!(s, 200, "{t}");
    }
    let (s, r) = upload(&client, png(3, 3), "b.png", &opts(r#"{"public_id": "f1"}"#));
    assert_eq!(s, 200, "{r}");
    call(client.tags_form(TagCommand::Add, "x", "f1", &Map::new()));
    wait_for(&seen, |h| h.len() >= 3);
    std::thread::sleep(Duration::from_millis(300));
    let hits = seen.lock().unwrap().clone();
    assert_eq!(hits.len(), 3, "two failures, one success: {hits:#?}");
    for h in &hits {
        assert_eq!(
            verified(&client, h)["notification_type"],
            "resource_tags_changed"
        );
    }
    let record = deliveries(&emu);
    let flaky: Vec<(Json, Json)> = record
        .iter()
        .filter(|d| d["url"] == json!(format!("{hook}/flaky")))
        .map(|d| (d["attempt"].clone(), d["status"].clone()))
        .collect();
    assert_eq!(
        flaky,
        vec![
            (json!(1), json!(500)),
            (json!(2), json!(503)),
            (json!(3), json!(200))
        ]
    );
    let far: Vec<&Json> = record
        .iter()
        .filter(|d| d["url"] == "http://192.0.2.1/far")
        .collect();
    assert_eq!(far.len(), 1, "{record:#?}");
    assert_eq!(far[0]["status"], Json::Null);
    assert_eq!(far[0]["delivered"], false);
    assert!(far[0]["error"].as_str().unwrap().contains("loopback"));
    // The record needs the control endpoint's credentials.
    let unauth = reqwest::blocking::Client::new()
        .get(format!("{}/_emulator/notifications", emu.base_url()))
        .send()
        .unwrap();
    assert_eq!(unauth.status().as_u16(), 401);
    drop(emu);
}

#[test]
fn account_url_and_triggers_share_one_copy_per_url() {
    let (hook, seen) = receiver(Vec::new());
    let mut account = cldkit_emulator::account::Account::default_test();
    account.notification_url = Some(format!("{hook}/account"));
    account.algorithm = cldkit::sign::Algorithm::Sha256;
    let (emu, _) = start(EmulatorConfig {
        accounts: vec![account],
        webhook_retry_ms: 50,
        ..EmulatorConfig::default()
    });
    let base = emu.cloudinary_url();
    let sep = if base.contains('?') { '&' } else { '?' };
    let client =
        Client::from_url(&format!("{base}{sep}signature_algorithm=sha256")).expect("client");
    // The same URL as the account's (event "all") and another for uploads only.
    for (uri, event) in [
        (format!("{hook}/account"), "all"),
        (format!("{hook}/uploads"), "upload"),
    ] {
        let (s, t) = admin(
            &emu,
            reqwest::Method::POST,
            "triggers",
            json!({"uri": uri, "event_type": event}),
        );
        assert_eq!(s, 200, "{t}");
    }
    let (s, r) = upload(&client, png(3, 3), "c.png", &opts(r#"{"public_id": "d1"}"#));
    assert_eq!(s, 200, "{r}");
    call(client.tags_form(TagCommand::Add, "x", "d1", &Map::new()));
    wait_for(&seen, |h| h.len() >= 3);
    std::thread::sleep(Duration::from_millis(300));
    let hits = seen.lock().unwrap().clone();
    let mut got: Vec<(String, Json)> = hits
        .iter()
        .map(|h| {
            (
                h.path.clone(),
                verified(&client, h)["notification_type"].clone(),
            )
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.to_string().cmp(&b.1.to_string())));
    assert_eq!(
        got,
        vec![
            ("/account".to_owned(), json!("resource_tags_changed")),
            ("/account".to_owned(), json!("upload")),
            ("/uploads".to_owned(), json!("upload")),
        ]
    );
    drop(emu);
}
