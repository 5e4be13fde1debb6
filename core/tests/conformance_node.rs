//! Every public case of every kind in the `node` profile, against the npm SDK 2.11.0's
//! result (`expected_node` where the corpus records one, else `expected`), through
//! the public API. Any mismatch fails; no case is skipped.

mod common;

use cldkit::Profile;

#[test]
fn url_kinds_match_the_npm_sdk() {
    run(&[
        "url",
        "analytics",
        "video_thumbnail_url",
        "auth_token",
        "config_parse",
        "api_url",
    ]);
}

#[test]
fn signing_and_verification_match_the_npm_sdk() {
    run(&["sign_request", "verify_notification", "verify_api_response"]);
}

#[test]
fn upload_requests_match_the_npm_sdk() {
    run(&["upload_params", "signed_upload_form", "upload_api_call"]);
}

#[test]
fn download_urls_match_the_npm_sdk() {
    run(&[
        "private_download_url",
        "download_archive_url",
        "download_zip_url",
        "download_folder",
        "download_backedup_asset",
        "zip_download_url",
        "download_generated_sprite",
        "download_multi",
    ]);
}

#[test]
fn html_tags_match_the_npm_sdk() {
    run(&["image_tag", "video_tag", "picture_tag"]);
}

fn run(kinds: &[&str]) {
    let score = common::score_kinds(Profile::Node, kinds);
    println!(
        "node profile: {} cases, {} mismatches",
        score.total(),
        score.failed()
    );
    assert!(
        score.failures.is_empty(),
        "{} cases do not match the npm SDK; first ones:\n{}",
        score.failed(),
        score.failures.join("\n")
    );
}

/// The default and python profiles are untouched by the node profile: a node-only
/// rule (https without `secure`, integral floats as integers) shows in node only.
#[test]
fn node_rules_stay_in_the_node_profile() {
    let case = serde_json::json!({
        "id": "x", "kind": "url",
        "config": {"cloud_name": "demo", "analytics": false},
        "input": {"source": "sample", "options": {"width": 2.0}}
    });
    let url = |p| cldkit::conformance::run_case(&case, p)["url"].clone();
    assert_eq!(
        url(Profile::Python),
        "http://res.cloudinary.com/demo/image/upload/w_2.0/sample"
    );
    assert_eq!(
        url(Profile::Default),
        "https://res.cloudinary.com/demo/image/upload/w_2.0/sample"
    );
    assert_eq!(
        url(Profile::Node),
        "https://res.cloudinary.com/demo/image/upload/w_2/sample"
    );
}
