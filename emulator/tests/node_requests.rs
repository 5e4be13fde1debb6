//! Requests shaped as the Node SDK sends them (whole-path escaping, form and JSON
//! bodies), for the endpoints the Node fidelity test found wanting.

mod common;

use cldkit_emulator::{Emulator, EmulatorConfig};
use common::*;
use serde_json::{json, Value as Json};

fn admin(emu: &Emulator, method: reqwest::Method, path: &str, body: Option<Json>) -> (u16, Json) {
    let a = &emu.accounts()[0];
    let mut rb = reqwest::blocking::Client::new()
        .request(
            method,
            format!("{}/v1_1/{}/{}", emu.base_url(), a.cloud_name, path),
        )
        .basic_auth(&a.api_key, Some(&a.api_secret));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().expect("admin request");
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Json::Null))
}

#[test]
fn search_folders_searches_rather_than_creating_a_folder_named_search() {
    let (emu, _client) = start(EmulatorConfig::default());
    for f in ["top/sub1", "top/sub2/deep", "other"] {
        let (status, r) = admin(&emu, reqwest::Method::POST, &format!("folders/{f}"), None);
        assert_eq!(status, 200, "{r}");
    }
    // Node: POST …/folders%2Fsearch with a JSON body.
    let (status, r) = admin(
        &emu,
        reqwest::Method::POST,
        "folders%2Fsearch",
        Some(
            json!({"expression": "path:top/* AND name:sub*", "sort_by": [{"name": "desc"}], "max_results": 1}),
        ),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["total_count"], 2, "{r}");
    assert_eq!(r["folders"][0]["path"], "top/sub2");
    let cursor = r["next_cursor"].as_str().expect("next_cursor").to_owned();
    let (_, r2) = admin(
        &emu,
        reqwest::Method::POST,
        "folders/search",
        Some(
            json!({"expression": "path:top/* AND name:sub*", "sort_by": [{"name": "desc"}], "max_results": 1, "next_cursor": cursor}),
        ),
    );
    assert_eq!(r2["folders"][0]["path"], "top/sub1", "{r2}");
    assert!(r2.get("next_cursor").is_none(), "{r2}");
    // No folder called "search" appeared.
    let (_, roots) = admin(&emu, reqwest::Method::GET, "folders", None);
    let names: Vec<&str> = roots["folders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["other", "top"], "{roots}");
    // A bad expression is a 400.
    let (status, _) = admin(
        &emu,
        reqwest::Method::POST,
        "folders%2Fsearch",
        Some(json!({"expression": "(name:x"})),
    );
    assert_eq!(status, 400);
}
