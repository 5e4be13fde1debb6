//! Shared checks for the cldkit fuzz targets.
//!
//! The targets only call public APIs; these helpers hold the invariants they assert
//! beyond "no panic": secrets never reach outputs, errors or `Debug` text.

/// A secret no output can contain by chance: targets put it where a secret goes.
pub const TOKEN: &str = "Zq9XsEcReTw7Kp";

/// Whether `secret` is distinctive enough that finding it in an output cannot be a
/// coincidence: at least 6 characters, all ASCII alphanumeric, and not only hex digits
/// (a hex-only secret could appear inside a hex digest by chance).
pub fn distinctive(secret: &str) -> bool {
    secret.len() >= 6
        && secret.bytes().all(|b| b.is_ascii_alphanumeric())
        && !secret.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Panics when `haystack` contains the distinctive `secret` that `source` (the
/// non-secret inputs) does not explain.
pub fn assert_not_leaked(what: &str, haystack: &str, secret: &str, source: &str) {
    if !distinctive(secret) || source.contains(secret) {
        return;
    }
    assert!(
        !haystack.contains(secret),
        "secret leaked into {what}: {haystack:?} contains {secret:?}"
    );
}
