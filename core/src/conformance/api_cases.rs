//! Conformance dispatch for this area's kinds (filled in as the area lands).

use serde_json::Value as Json;

use crate::Client;

/// Runs `kind` if this area handles it.
pub(super) fn run(_kind: &str, _client: &Client, _input: &Json) -> Option<crate::Result<Json>> {
    None
}
