//! Every public case of the URL kinds, through the public API.

mod common;

#[test]
fn url_kinds_match_the_python_sdk() {
    common::run_kinds(&[
        "url",
        "auth_token",
        "config_parse",
        "api_url",
        "video_thumbnail_url",
    ]);
}
