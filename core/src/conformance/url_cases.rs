//! Conformance dispatch for URL kinds (in progress).

use serde_json::Value as Json;

use crate::Client;

pub(super) fn run(_kind: &str, _client: &Client, _input: &Json) -> Option<crate::Result<Json>> {
    None
}
