//! SDK analytics (`_a`) and integration identity (in progress).

use crate::{Client, Map};

/// The value of the `_a` query parameter to append to a delivery URL built with
/// `options`, or `None` when analytics is off (always off in the `python` profile).
pub(crate) fn url_token(client: &Client, options: &Map) -> Option<String> {
    let _ = (client, options);
    None
}
