//! The control endpoints and unsigned uploads (security review, finding 8): fault rules
//! need an account's credentials, a JSON content type and a loopback `Host`; unsigned
//! uploads cannot `overwrite` or name a `notification_url`.

mod common;

use cldkit_emulator::{Account, Emulator, EmulatorConfig};
use common::*;
use serde_json::Value as Json;

/// A control request with the given `Host`, credentials and content type.
fn control(
    emu: &Emulator,
    method: reqwest::Method,
    host: Option<&str>,
    account: Option<&Account>,
    ctype: Option<&str>,
    body: &str,
) -> (u16, Json) {
    let mut rb = reqwest::blocking::Client::new()
        .request(method, format!("{}/_emulator/faults", emu.base_url()))
        .body(body.to_owned());
    if let Some(h) = host {
        rb = rb.header("host", h);
    }
    if let Some(a) = account {
        rb = rb.basic_auth(&a.api_key, Some(&a.api_secret));
    }
    if let Some(c) = ctype {
        rb = rb.header("content-type", c);
    }
    let resp = rb.send().expect("control request");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Json::Null))
}

const RULE: &str = r#"[{"path": "/ping", "action": "status", "status": 503}]"#;

fn rule_count(emu: &Emulator) -> usize {
    let a = &emu.accounts()[0];
    let (status, r) = control(emu, reqwest::Method::GET, None, Some(a), None, "");
    assert_eq!(status, 200, "{r}");
    r["faults"].as_array().map(Vec::len).unwrap_or(0)
}

#[test]
fn fault_rules_need_credentials_json_and_a_loopback_host() {
    let other = Account::new("second", "555", "another-secret");
    let emu = Emulator::start(EmulatorConfig {
        accounts: vec![Account::default_test(), other.clone()],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let a = emu.accounts()[0].clone();
    let post = reqwest::Method::POST;
    let json = Some("application/json");
    // No credentials, wrong credentials: 401, nothing set.
    let (status, r) = control(&emu, post.clone(), None, None, json, RULE);
    assert_eq!(status, 401, "{r}");
    let wrong = Account::new("emulator", &a.api_key, "not-the-secret");
    let (status, _) = control(&emu, post.clone(), None, Some(&wrong), json, RULE);
    assert_eq!(status, 401);
    // A cross-site form or text/plain POST: 415, nothing set.
    for ctype in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let (status, r) = control(&emu, post.clone(), None, Some(&a), ctype, RULE);
        assert_eq!(status, 415, "{ctype:?}: {r}");
    }
    // A DNS-rebound name as Host: 403, nothing set.
    for host in [
        "evil.example",
        "evil.example:80",
        "127.0.0.1.evil.example",
        "",
    ] {
        let (status, r) = control(&emu, post.clone(), Some(host), Some(&a), json, RULE);
        assert_eq!(status, 403, "{host}: {r}");
    }
    assert_eq!(rule_count(&emu), 0);
    // Reading the rules needs credentials too.
    let (status, _) = control(&emu, reqwest::Method::GET, None, None, None, "");
    assert_eq!(status, 401);
    // The right request, with each loopback spelling of the host.
    let port = emu.addr().port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.2".to_owned(),
    ] {
        let (status, r) = control(
            &emu,
            post.clone(),
            Some(&host),
            Some(&a),
            Some("application/json; charset=utf-8"),
            RULE,
        );
        assert_eq!(status, 200, "{host}: {r}");
    }
    assert_eq!(rule_count(&emu), 1);
    assert_eq!(admin_get(&emu, "ping").status().as_u16(), 503);
    // Any served account's credentials; DELETE needs them as well.
    let (status, _) = control(&emu, reqwest::Method::DELETE, None, None, None, "");
    assert_eq!(status, 401);
    assert_eq!(rule_count(&emu), 1);
    let (status, _) = control(&emu, reqwest::Method::DELETE, None, Some(&other), None, "");
    assert_eq!(status, 200);
    assert_eq!(rule_count(&emu), 0);
    // Health answers anyone.
    let resp = reqwest::blocking::get(format!("{}/_emulator/health", emu.base_url())).unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

/// Creates an unsigned preset with `settings` (JSON object) through the Admin API.
fn unsigned_preset(emu: &Emulator, name: &str, settings: &str) {
    let a = &emu.accounts()[0];
    let mut form: Vec<(String, String)> = vec![
        ("name".into(), name.into()),
        ("unsigned".into(), "true".into()),
    ];
    let extra: serde_json::Map<String, Json> = serde_json::from_str(settings).unwrap();
    for (k, v) in extra {
        form.push((k, v.as_str().map(str::to_owned).unwrap_or(v.to_string())));
    }
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1_1/{}/upload_presets",
            emu.base_url(),
            a.cloud_name
        ))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

/// An unsigned multipart upload with `fields` and a small PNG.
fn unsigned_upload(emu: &Emulator, fields: &[(&str, &str)]) -> (u16, Json) {
    let req = cldkit::upload::UploadRequest {
        url: format!(
            "{}/v1_1/{}/image/upload",
            emu.base_url(),
            emu.accounts()[0].cloud_name
        ),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        file: None,
        authorization: None,
    };
    post_form(&req, Some(("u.png", png(2, 2))), &[])
}

#[test]
fn unsigned_uploads_cannot_overwrite_or_notify() {
    let (emu, _client) = start(EmulatorConfig::default());
    unsigned_preset(&emu, "open", "{}");
    let (status, r) = unsigned_upload(&emu, &[("upload_preset", "open"), ("public_id", "u1")]);
    assert_eq!(status, 200, "{r}");
    let allowed = "Only upload_preset,callback,public_id,folder,asset_folder,tags,context,metadata,face_coordinates,custom_coordinates,source,filename_override,manifest_transformation,manifest_json,template,template_vars,regions,public_id_prefix upload parameters are allowed.";
    for (field, value, shown) in [
        ("overwrite", "true", "Overwrite"),
        ("overwrite", "false", "Overwrite"),
        (
            "notification_url",
            "http://127.0.0.1:9/hook",
            "Notification_url",
        ),
        (
            "eager_notification_url",
            "http://127.0.0.1:9/hook",
            "Eager_notification_url",
        ),
    ] {
        let (status, r) = unsigned_upload(
            &emu,
            &[
                ("upload_preset", "open"),
                ("public_id", "u1"),
                (field, value),
            ],
        );
        assert_eq!(status, 400, "{field}: {r}");
        assert_eq!(
            r["error"]["message"],
            format!("{shown} parameter is not allowed when using unsigned upload. {allowed}"),
        );
    }
    // The first upload was not replaced.
    let (status, r) = unsigned_upload(&emu, &[("upload_preset", "open"), ("public_id", "u1")]);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["existing"], true, "{r}");
    // The preset itself may allow overwriting.
    unsigned_preset(&emu, "replacing", r#"{"overwrite": "true"}"#);
    let (status, r) = unsigned_upload(&emu, &[("upload_preset", "replacing"), ("public_id", "u1")]);
    assert_eq!(status, 200, "{r}");
    assert!(r.get("existing").is_none(), "{r}");
}
