//! The resume token of chunked uploads: what a restarted process needs to continue.
//! At the bottom of the API layers: errors carry one (and [`ResumeToken::from_json`],
//! which fails with an [`ApiError`](super::ApiError), is defined beside that type).

use serde::{Deserialize, Serialize};

/// What a restarted process needs to continue a chunked upload: the upload id, the
/// chunk layout and the byte ranges the server confirmed. Serialise it with
/// [`ResumeToken::to_json`].
///
/// ```
/// use cldkit::api::ResumeToken;
/// let t = ResumeToken::from_json(
///     r#"{"upload_id":"abc","total":30,"chunk_size":10,"confirmed":[[0,9]]}"#).unwrap();
/// assert_eq!(t.confirmed_bytes(), 10);
/// assert_eq!(ResumeToken::from_json(&t.to_json()).unwrap(), t);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeToken {
    /// The `X-Unique-Upload-Id` shared by every chunk.
    pub upload_id: String,
    /// The file size when known (always for files).
    pub total: Option<u64>,
    /// The chunk size the ranges were cut with.
    pub chunk_size: u64,
    /// Confirmed inclusive byte ranges `[first, last]`, in order.
    pub confirmed: Vec<(u64, u64)>,
    /// The `public_id` the server reported (sent with later chunks, as pycloudinary
    /// does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_id: Option<String>,
}

impl ResumeToken {
    /// A token for a new upload with this id, nothing confirmed yet.
    pub(crate) fn new(upload_id: String, total: Option<u64>, chunk_size: u64) -> Self {
        ResumeToken {
            upload_id,
            total,
            chunk_size,
            confirmed: Vec::new(),
            public_id: None,
        }
    }

    /// The token as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Bytes the server has confirmed.
    pub fn confirmed_bytes(&self) -> u64 {
        self.confirmed.iter().map(|(a, b)| b - a + 1).sum()
    }

    /// Whether the range `[a, b]` was confirmed.
    pub fn has(&self, a: u64, b: u64) -> bool {
        self.confirmed.iter().any(|&(x, y)| x <= a && b <= y)
    }

    /// Records the confirmed range `[a, b]`, merging neighbours.
    pub(crate) fn add(&mut self, a: u64, b: u64) {
        self.confirmed.push((a, b));
        self.confirmed.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.confirmed.len());
        for (a, b) in self.confirmed.drain(..) {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.confirmed = merged;
    }
}
