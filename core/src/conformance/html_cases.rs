//! Conformance dispatch for the HTML tag kinds: `image_tag`, `video_tag`, `picture_tag`
//! (input `{"public_id", "options"}`, result `{"html"}`).

use serde_json::{json, Value as Json};

use crate::Client;

/// Runs `kind` if this area handles it.
pub(super) fn run(kind: &str, client: &Client, input: &Json) -> Option<crate::Result<Json>> {
    let render = match kind {
        "image_tag" => Client::image_tag_value,
        "video_tag" => Client::video_tag_value,
        "picture_tag" => Client::picture_tag_value,
        _ => return None,
    };
    Some((|| {
        let public_id = super::field(input, "public_id");
        let options = super::options(input, "options")?;
        let html = render(client, &public_id, &options)?;
        Ok(json!({ "html": html }))
    })())
}
