//! Typed builder (in progress).

/// A typed transformation builder.
#[derive(Clone, Debug, Default)]
pub struct Transformation;
