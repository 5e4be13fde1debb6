//! The python binding's generated files (see the binding's README for what they hold).

use super::Output;

/// Every file this binding generates from the core's tables.
pub fn outputs() -> Vec<Output> {
    Vec::new()
}
