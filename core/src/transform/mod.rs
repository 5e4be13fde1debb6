//! Transformation strings (in progress).

pub mod builder;

use crate::{Client, Map, Result};

/// Builds the transformation string of one option set (`generate_transformation_string`).
pub fn transformation_string(client: &Client, options: &Map) -> Result<String> {
    let _ = (client, options);
    todo!()
}
