//! Progress reporting: bytes sent so far and the total when known.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A progress callback: `(bytes_done, total_bytes)`; the total is `None` for a stream
/// of unknown length until its end. Called from the thread driving the upload.
pub type ProgressFn = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

/// Shared counter of one upload: streamed bytes are added as they leave, and taken
/// back when an attempt fails (so the figure may go down on a retry).
#[derive(Clone, Default)]
pub(crate) struct Progress {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    total_known: std::sync::atomic::AtomicBool,
    callback: Option<ProgressFn>,
}

impl Progress {
    pub(crate) fn new(callback: Option<ProgressFn>, total: Option<u64>) -> Self {
        Progress {
            inner: Arc::new(Inner {
                done: AtomicU64::new(0),
                total: AtomicU64::new(total.unwrap_or(0)),
                total_known: total.is_some().into(),
                callback,
            }),
        }
    }

    /// Whether anyone listens (streams skip counting otherwise).
    pub(crate) fn active(&self) -> bool {
        self.inner.callback.is_some()
    }

    pub(crate) fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
        self.inner.total_known.store(true, Ordering::Relaxed);
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.inner
            .total_known
            .load(Ordering::Relaxed)
            .then(|| self.inner.total.load(Ordering::Relaxed))
    }

    pub(crate) fn add(&self, n: u64) {
        let done = self.inner.done.fetch_add(n, Ordering::Relaxed) + n;
        self.report(done);
    }

    pub(crate) fn sub(&self, n: u64) {
        let done = self.inner.done.fetch_sub(n, Ordering::Relaxed) - n;
        self.report(done);
    }

    fn report(&self, done: u64) {
        if let Some(cb) = &self.inner.callback {
            cb(done, self.total());
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.inner.done.load(Ordering::Relaxed))
            .field("total", &self.total())
            .finish()
    }
}
