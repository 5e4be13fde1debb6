//! The Upload API `text` method and the Admin API `update_access_mode` endpoint
//! (`update_resources_access_mode_by_ids/_by_tag/_by_prefix`), with delivery honouring
//! the access mode.

mod common;

use cldkit_emulator::{Emulator, EmulatorConfig};
use common::*;
use serde_json::Value as Json;

/// `POST /resources/{rt}/{type}/update_access_mode` with a form body, as Node sends it.
fn update_access_mode(emu: &Emulator, rt_type: &str, form: &[(&str, &str)]) -> (u16, Json) {
    let a = &emu.accounts()[0];
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter().copied())
        .finish();
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1_1/{}/resources/{rt_type}/update_access_mode",
            emu.base_url(),
            a.cloud_name
        ))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Json::Null))
}

fn access_mode_of(emu: &Emulator, public_id: &str) -> Json {
    let r: Json = admin_get(emu, &format!("resources/image/upload/{public_id}"))
        .json()
        .unwrap();
    r["access_mode"].clone()
}

#[test]
fn text_creates_a_png_image_answered_like_an_upload() {
    let (emu, client) = start(EmulatorConfig::default());
    let req = client
        .text_form(
            "Hello emulator",
            &opts(r##"{"public_id": "greeting", "font_family": "Arial", "font_size": 24, "font_color": "#ff0000", "background": "white", "font_weight": "bold"}"##),
        )
        .unwrap();
    assert!(req.url.ends_with("/image/text"), "{}", req.url);
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["public_id"], "greeting");
    assert_eq!(r["resource_type"], "image");
    assert_eq!(r["type"], "text");
    assert_eq!(r["format"], "png");
    assert!(r["version"].as_i64().unwrap() > 0);
    let (w, h) = (r["width"].as_u64().unwrap(), r["height"].as_u64().unwrap());
    assert!(w > 14 * 12 && h >= 24, "{w}x{h}");
    let url = r["secure_url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/image/text/v{}/greeting.png", r["version"])),
        "{url}"
    );
    // The announced URL is served: a PNG of the announced size and bytes.
    let path = url.split(emu.addr().to_string().as_str()).nth(1).unwrap();
    let got = reqwest::blocking::get(format!("{}{path}", emu.base_url())).unwrap();
    assert_eq!(got.status().as_u16(), 200, "{path}");
    let bytes = got.bytes().unwrap();
    assert_eq!(bytes.len() as u64, r["bytes"].as_u64().unwrap());
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((u64::from(img.width()), u64::from(img.height())), (w, h));
    // The response signature verifies like an upload's.
    assert!(client
        .verify_api_response(
            "greeting",
            r["version"].as_i64().unwrap(),
            r["signature"].as_str().unwrap()
        )
        .unwrap());
    // A bigger font gives a bigger image; no public id gives a generated one.
    let (_, small) = post_form(
        &client
            .text_form("Hello emulator", &opts(r#"{"font_size": 12}"#))
            .unwrap(),
        None,
        &[],
    );
    assert!(small["width"].as_u64().unwrap() < w / 2 + 20, "{small}");
    assert_eq!(small["public_id"].as_str().unwrap().len(), 20);
    // The resource is listed under its delivery type.
    let listed: Json = admin_get(&emu, "resources/image/text/greeting")
        .json()
        .unwrap();
    assert_eq!(listed["width"], r["width"]);
    assert_eq!(listed["access_mode"], "public");
}

#[test]
fn text_errors_are_400s_and_auth_is_checked() {
    let (emu, client) = start(EmulatorConfig::default());
    let (status, r) = post_form(&client.text_form("", &opts("{}")).unwrap(), None, &[]);
    assert_eq!(status, 400, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("text"));
    let (status, r) = post_form(
        &client
            .text_form("x", &opts(r#"{"font_size": "huge"}"#))
            .unwrap(),
        None,
        &[],
    );
    assert_eq!(status, 400, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("font_size"));
    let (status, r) = post_form(
        &client
            .text_form("x", &opts(r#"{"font_color": "nocolour"}"#))
            .unwrap(),
        None,
        &[],
    );
    assert_eq!(status, 400, "{r}");
    // Unsigned: the usual upload-API answer, not a route miss.
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1_1/{}/image/text",
            emu.base_url(),
            emu.accounts()[0].cloud_name
        ))
        .form(&[("text", "hi")])
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    // A wrong signature names the string to sign, as for uploads.
    let mut req = client.text_form("hi", &opts("{}")).unwrap();
    for (k, v) in req.fields.iter_mut() {
        if k == "text" {
            *v = "changed".into();
        }
    }
    let (status, r) = post_form(&req, None, &[]);
    assert_eq!(status, 401);
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("text=changed"));
}

#[test]
fn update_access_mode_by_ids_tag_and_prefix_and_delivery() {
    let (emu, client) = start(EmulatorConfig::default());
    for (id, tags) in [
        ("am/one", "t1"),
        ("am/two", "t2"),
        ("am/three", "t2"),
        ("other", ""),
    ] {
        let o = serde_json::json!({"public_id": id, "tags": tags}).to_string();
        let (status, r) = upload(&client, png(8, 8), "a.png", &opts(&o));
        assert_eq!(status, 200, "{r}");
        assert!(
            r.get("access_mode").is_none(),
            "public is not announced: {r}"
        );
    }
    assert_eq!(access_mode_of(&emu, "am/one"), "public");
    let base = emu.base_url();
    let get = |p: &str| reqwest::blocking::get(format!("{base}{p}")).unwrap();
    assert_eq!(
        get("/emulator/image/upload/am/one.png").status().as_u16(),
        200
    );

    // By ids (Node's form: public_ids[]), one of them missing.
    let (status, r) = update_access_mode(
        &emu,
        "image/upload",
        &[
            ("access_mode", "authenticated"),
            ("public_ids[]", "am/one"),
            ("public_ids[]", "am/none"),
        ],
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        r["updated"],
        serde_json::json!([{"public_id": "am/one", "access_mode": "authenticated"}])
    );
    assert_eq!(r["failed"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["failed"][0]["public_id"], "am/none");
    assert_eq!(access_mode_of(&emu, "am/one"), "authenticated");
    assert_eq!(access_mode_of(&emu, "am/two"), "public");

    // Delivery: no longer public; a signed URL (the emulator's stand-in for a token)
    // is served.
    let denied = get("/emulator/image/upload/am/one.png");
    assert_eq!(denied.status().as_u16(), 401);
    assert!(denied.headers().contains_key("x-cld-error"));
    let signed = client
        .url(
            "am/one.png",
            &opts(r#"{"sign_url": true, "analytics": false}"#),
        )
        .unwrap();
    let path = signed
        .split(emu.addr().to_string().as_str())
        .nth(1)
        .unwrap();
    assert_eq!(get(path).status().as_u16(), 200, "{signed}");

    // By tag.
    let (status, r) = update_access_mode(
        &emu,
        "image/upload",
        &[("access_mode", "authenticated"), ("tag", "t2")],
    );
    assert_eq!(status, 200, "{r}");
    let mut ids: Vec<&str> = r["updated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["public_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["am/three", "am/two"]);
    assert_eq!(r["failed"], serde_json::json!([]));
    assert_eq!(access_mode_of(&emu, "am/two"), "authenticated");

    // By prefix, back to public (JSON body this time): served unsigned again.
    let a = &emu.accounts()[0];
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1_1/{}/resources%2Fimage%2Fupload%2Fupdate_access_mode",
            emu.base_url(),
            a.cloud_name
        ))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .json(&serde_json::json!({"access_mode": "public", "prefix": "am/"}))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let r: Json = resp.json().unwrap();
    assert_eq!(r["updated"].as_array().unwrap().len(), 3, "{r}");
    assert!(r["updated"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["access_mode"] == "public"));
    assert_eq!(access_mode_of(&emu, "other"), "public");
    assert_eq!(
        get("/emulator/image/upload/am/one.png").status().as_u16(),
        200
    );

    // Lists and search show it too.
    update_access_mode(
        &emu,
        "image/upload",
        &[("access_mode", "authenticated"), ("public_ids[]", "other")],
    );
    let list: Json = admin_get(&emu, "resources/image/upload?public_ids[]=other")
        .json()
        .unwrap();
    assert_eq!(list["resources"][0]["access_mode"], "authenticated");
}

#[test]
fn update_access_mode_refuses_bad_values_with_json_400s() {
    let (emu, client) = start(EmulatorConfig::default());
    upload(&client, png(4, 4), "a.png", &opts(r#"{"public_id": "x"}"#));
    for form in [
        vec![("access_mode", "private"), ("public_ids[]", "x")],
        vec![("access_mode", ""), ("public_ids[]", "x")],
        vec![("public_ids[]", "x")],
        vec![("access_mode", "public")],
    ] {
        let (status, r) = update_access_mode(&emu, "image/upload", &form);
        assert_eq!(status, 400, "{form:?} {r}");
        let msg = r["error"]["message"].as_str().unwrap_or_default();
        assert!(!msg.is_empty(), "{r}");
    }
    let (_, r) = update_access_mode(
        &emu,
        "image/upload",
        &[("access_mode", "private"), ("public_ids[]", "x")],
    );
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("access_mode"));
    // Nothing changed.
    assert_eq!(access_mode_of(&emu, "x"), "public");
    // The upload parameter (sent by Node's upload builder) is checked the same way,
    // and stored. The core does not send it: a Basic-authenticated form here.
    let a = &emu.accounts()[0];
    let upload_with = |mode: &str| -> (u16, Json) {
        let form = reqwest::blocking::multipart::Form::new()
            .text("public_id", "y")
            .text("access_mode", mode.to_owned())
            .part(
                "file",
                reqwest::blocking::multipart::Part::bytes(png(4, 4)).file_name("a.png"),
            );
        let resp = reqwest::blocking::Client::new()
            .post(format!(
                "{}/v1_1/{}/image/upload",
                emu.base_url(),
                a.cloud_name
            ))
            .basic_auth(&a.api_key, Some(&a.api_secret))
            .multipart(form)
            .send()
            .unwrap();
        (resp.status().as_u16(), resp.json().unwrap_or(Json::Null))
    };
    let (status, r) = upload_with("sometimes");
    assert_eq!(status, 400, "{r}");
    let (status, r) = upload_with("authenticated");
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["access_mode"], "authenticated");
    assert_eq!(access_mode_of(&emu, "y"), "authenticated");
}

#[test]
fn access_mode_survives_a_restart_of_an_old_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    // A data directory written before access modes existed: no such column.
    std::fs::create_dir_all(dir.path()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("meta.sqlite")).unwrap();
    conn.execute_batch(OLD_ASSETS_TABLE).unwrap();
    drop(conn);
    let config = EmulatorConfig {
        data_dir: Some(dir.path().to_owned()),
        ..Default::default()
    };
    let (emu, client) = start(config.clone());
    let (status, r) = upload(
        &client,
        png(4, 4),
        "a.png",
        &opts(r#"{"public_id": "keep"}"#),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(access_mode_of(&emu, "keep"), "public");
    let (status, r) = update_access_mode(
        &emu,
        "image/upload",
        &[("access_mode", "authenticated"), ("public_ids[]", "keep")],
    );
    assert_eq!(status, 200, "{r}");
    emu.shutdown();
    let (emu, _) = start(config);
    assert_eq!(access_mode_of(&emu, "keep"), "authenticated");
}

/// The assets table as emulators before `access_mode` created it.
const OLD_ASSETS_TABLE: &str = "
CREATE TABLE assets(
  cloud TEXT NOT NULL, resource_type TEXT NOT NULL, type TEXT NOT NULL, public_id TEXT NOT NULL,
  asset_id TEXT NOT NULL, version INTEGER NOT NULL, version_id TEXT NOT NULL, format TEXT NOT NULL,
  width INTEGER, height INTEGER, bytes INTEGER NOT NULL, etag TEXT NOT NULL, created_at TEXT NOT NULL,
  tags TEXT NOT NULL, context TEXT NOT NULL, metadata TEXT NOT NULL, asset_folder TEXT NOT NULL,
  display_name TEXT NOT NULL, original_filename TEXT NOT NULL, blob TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  UNIQUE(cloud, resource_type, type, public_id));
";
