//! Every public case of the signing, upload, verification, download and analytics
//! kinds, through the public API.

mod common;

#[test]
fn signing_and_verification_match_the_python_sdk() {
    common::run_kinds(&["sign_request", "verify_notification", "verify_api_response"]);
}

#[test]
fn upload_requests_match_the_python_sdk() {
    common::run_kinds(&["upload_params", "signed_upload_form", "upload_api_call"]);
}

#[test]
fn download_urls_match_the_python_sdk() {
    common::run_kinds(&[
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
fn analytics_matches_the_python_sdk() {
    common::run_kinds(&["analytics"]);
}

/// The Node SDK's `_a` tokens (`expected_node`) are reproduced by the same algorithm
/// with the Node SDK's identity pinned: code `M`, version 2.11.0, runtime 20.20.
#[test]
fn analytics_tokens_match_the_node_sdk_when_pinned() {
    use cldkit::analytics::{enabled, feature_letter, token, SdkInfo};
    use cldkit::Map;
    use std::io::BufRead;

    let node = SdkInfo {
        product: "A".into(),
        sdk_code: "M".into(),
        sdk_semver: "2.11.0".into(),
        tech_version: "20.20.2".into(),
    };
    let path = common::conformance_dir().join("analytics.jsonl");
    let file = std::fs::File::open(&path).expect("analytics cases");
    let (mut checked, mut failures) = (0, Vec::new());
    for line in std::io::BufReader::new(file).lines() {
        let case: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let node_result = case.get("expected_node").unwrap_or(&case["expected"]);
        if node_result.get("error").is_some() {
            continue;
        }
        let config: Map = serde_json::from_value(case["config"].clone()).unwrap();
        let options: Map = serde_json::from_value(case["input"]["options"].clone()).unwrap();
        let source = &case["input"]["source"];
        // Node returns remote URLs without an explicit type (and null ids) untouched.
        let early_return = match source.as_str() {
            None => true,
            Some(s) => {
                let remote = ["http:", "https:", "ftp:", "s3:", "gs:", "data:"]
                    .iter()
                    .any(|p| s.starts_with(p));
                remote && !options.contains_key("type")
            }
        };
        let mine = (!early_return && enabled(&config, &options)).then(|| {
            token(
                &node.with_overrides(&config, &options),
                feature_letter(&options),
            )
        });
        let mut expected = node_result["a"].as_str().map(str::to_owned);
        // Node's quirk: a non-numeric runtime version encodes as the text "undefined";
        // cldkit reports such a version as an encoding failure (`E`) instead.
        if expected.as_deref().is_some_and(|a| a.contains("undefined")) {
            expected = Some("E".to_owned());
        }
        checked += 1;
        if mine != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {mine:?}",
                case["id"]
            ));
        }
    }
    println!(
        "node analytics tokens: {checked} checked, {} failed",
        failures.len()
    );
    assert!(checked > 300);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
