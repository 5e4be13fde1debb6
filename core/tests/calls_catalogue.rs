//! The call catalogue covers every public function of pycloudinary 1.46.3's
//! `cloudinary.api`, `cloudinary.uploader` and `cloudinary.provisioning.account`
//! (the list is test data: `tests/fixtures/pycloudinary_functions.txt`, with the command
//! that produced it), and its JSON form has what a binding generator iterates over.
//! `tests/differential/pycloudinary_requests.py` checks the same against the installed
//! SDK and compares the requests.

use std::collections::HashSet;

use cldkit::calls::{catalogue_json, find, Family, CALLS};

/// Public functions that are helpers or internals rather than calls (same list as the
/// differential script's `NOT_CALLS`).
const NOT_CALLS: &[&str] = &[
    "api.only",
    "api.transformation_string",
    "uploader.call_api",
    "uploader.call_cacheable_api",
    "uploader.call_context_api",
    "uploader.call_tags_api",
    "uploader.is_appengine_sandbox",
    "uploader.upload_image",
    "uploader.upload_resource",
    "uploader.upload_large_part",
];

fn sdk_functions() -> Vec<String> {
    let text = include_str!("fixtures/pycloudinary_functions.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_pycloudinary_call_has_a_row() {
    let covered: HashSet<&str> = CALLS.iter().map(|c| c.python).collect();
    let functions = sdk_functions();
    assert_eq!(
        functions.len(),
        137,
        "the fixture lists 82 + 30 + 25 functions"
    );
    let missing: Vec<&String> = functions
        .iter()
        .filter(|f| !covered.contains(f.as_str()) && !NOT_CALLS.contains(&f.as_str()))
        .collect();
    assert!(missing.is_empty(), "no catalogue row for {missing:?}");
    // The catalogue names only functions the SDK has.
    let known: HashSet<&str> = functions.iter().map(String::as_str).collect();
    for c in CALLS {
        let module = c.python.split('.').next().unwrap_or("");
        if matches!(module, "api" | "uploader" | "account") {
            assert!(known.contains(c.python), "{} names {}", c.name, c.python);
        }
    }
    let api = functions.iter().filter(|f| f.starts_with("api.")).count();
    assert_eq!(api - 2, 80, "pycloudinary's 80 Admin API calls");
    let account_rows = CALLS
        .iter()
        .filter(|c| c.family == Family::Provisioning)
        .count();
    assert_eq!(account_rows, 25);
}

#[test]
fn node_only_calls_and_raw_calls_are_rows() {
    for name in [
        "update_resources_access_mode_by_ids",
        "update_resources_access_mode_by_tag",
        "update_resources_access_mode_by_prefix",
        "call_api",
        "search",
        "search_folders",
        "search_url",
        "visual_search",
    ] {
        assert!(find(name).is_some(), "{name}");
    }
}

#[test]
fn the_json_catalogue_describes_every_row() {
    let json = catalogue_json();
    assert_eq!(json["version"], 1);
    let rows = json["calls"].as_array().unwrap();
    assert_eq!(rows.len(), CALLS.len());
    let families: HashSet<&str> = Family::ALL.iter().map(|f| f.name()).collect();
    for row in rows {
        let name = row["name"].as_str().unwrap();
        assert!(families.contains(row["family"].as_str().unwrap()), "{name}");
        assert!(!row["doc"].as_str().unwrap().is_empty(), "{name}");
        assert!(row["returns"].is_string(), "{name}");
        for p in row["params"].as_array().unwrap() {
            assert!(p["name"].is_string() && p["type"].is_string() && p["required"].is_boolean());
        }
        // `network`: an HTTP row, or the sync (many requests, no one path).
        let network = row["network"].as_bool().unwrap();
        assert_eq!(
            network,
            !row["http"].is_null() || row["family"] == "sync",
            "{name}"
        );
        match &row["http"] {
            serde_json::Value::Null => assert!(matches!(
                row["family"].as_str(),
                Some("delivery" | "tag" | "signing" | "download_url" | "search" | "sync")
            )),
            h => {
                let path = h["path"].as_str().unwrap();
                assert!(
                    path.starts_with("v1_1/") || path.starts_with("v2/"),
                    "{name}: {path}"
                );
                assert!(["GET", "POST", "PUT", "DELETE", "ANY"]
                    .contains(&h["method"].as_str().unwrap()));
                assert!(["query", "json", "multipart"].contains(&h["encoding"].as_str().unwrap()));
            }
        }
    }
    let by_name = |n: &str| rows.iter().find(|r| r["name"] == n).unwrap().clone();
    assert_eq!(
        by_name("add_related_assets")["http"]["path"],
        "v1_1/{cloud_name}/resources/related_assets/{resource_type=image}/{type=upload}/{public_id}"
    );
    assert_eq!(
        by_name("notifications")["http"]["path"],
        "v2/notifications/{cloud_name}/messages"
    );
    assert_eq!(
        by_name("access_keys")["http"]["path"],
        "v1_1/provisioning/accounts/{account_id}/sub_accounts/{sub_account_id}/access_keys"
    );
    assert_eq!(by_name("access_keys")["http"]["auth"], "provisioning");
    assert_eq!(by_name("create_cloud")["http"]["auth"], "none");
}

#[test]
fn positional_arguments_bind_in_order() {
    let row = find("resources_by_context").unwrap();
    let args = row.bind(&["k".into(), cldkit::Value::Null]).unwrap();
    assert_eq!(args.len(), 1, "a null optional argument is left out");
    assert!(row.bind(&["a".into(), "b".into(), "c".into()]).is_err());
}
