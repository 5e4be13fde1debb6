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
