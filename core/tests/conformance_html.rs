//! Every public case of the HTML tag kinds, through the public API.

mod common;

#[test]
fn html_kinds_match_the_python_sdk() {
    common::run_kinds(&["image_tag", "video_tag", "picture_tag"]);
}
