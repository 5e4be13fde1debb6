//! The runtime blocking callers run on: created on first use, and created again in a
//! child process after `fork()` (an inherited tokio runtime has no worker threads in
//! the child and would hang).

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::errors::{ApiError, ApiErrorKind};

/// A lazily created multi-threaded runtime tied to the process that created it.
#[derive(Default)]
pub(crate) struct BlockingRuntime {
    slot: Mutex<Option<(u32, Arc<tokio::runtime::Runtime>)>>,
}

impl BlockingRuntime {
    /// The runtime of the current process, creating it if needed.
    pub(crate) fn get(&self) -> Result<Arc<tokio::runtime::Runtime>, ApiError> {
        let pid = std::process::id();
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((owner, rt)) = slot.as_ref() {
            if *owner == pid {
                return Ok(rt.clone());
            }
        }
        if let Some((_, stale)) = slot.take() {
            // Inherited from the parent: its threads do not exist here, so dropping it
            // could block forever. Leak it instead.
            std::mem::forget(stale);
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cldkit-http")
            .enable_all()
            .build()
            .map_err(|e| ApiError::io("cannot start the HTTP runtime", &e))?;
        let rt = Arc::new(rt);
        *slot = Some((pid, rt.clone()));
        Ok(rt)
    }

    /// Runs `fut` to completion on this runtime from synchronous code, asking
    /// `interrupt` (when given) about every [`INTERRUPT_POLL`] whether to give up.
    ///
    /// Refuses (instead of panicking) when called from inside a tokio runtime. Giving
    /// up drops `fut`, which closes its connections and stops its chunks (none are
    /// spawned).
    pub(crate) fn block_on<F: Future>(
        &self,
        fut: F,
        interrupt: Option<&InterruptFn>,
    ) -> Result<F::Output, ApiError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(ApiError::new(
                ApiErrorKind::Invalid,
                "a blocking call was made from inside an async runtime; use the async method",
            ));
        }
        let rt = self.get()?;
        let Some(interrupt) = interrupt else {
            return Ok(rt.block_on(fut));
        };
        rt.block_on(async {
            let mut fut = std::pin::pin!(fut);
            loop {
                match tokio::time::timeout(INTERRUPT_POLL, &mut fut).await {
                    Ok(out) => return Ok(out),
                    Err(_) if interrupt() => {
                        return Err(ApiError::new(
                            ApiErrorKind::Io,
                            "interrupted: the caller stopped the call",
                        ))
                    }
                    Err(_) => {}
                }
            }
        })
    }
}

/// How often a blocking call asks its client's interrupt hook whether to stop.
pub const INTERRUPT_POLL: Duration = Duration::from_millis(100);

/// A client's interrupt hook (see [`crate::Client::with_interrupt`]): `true` stops
/// the blocking call that asks.
pub type InterruptFn = Arc<dyn Fn() -> bool + Send + Sync>;

impl Drop for BlockingRuntime {
    fn drop(&mut self) {
        let slot = self.slot.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some((owner, rt)) = slot.take() {
            match Arc::try_unwrap(rt) {
                Ok(rt) if owner == std::process::id() => rt.shutdown_background(),
                Ok(rt) => std::mem::forget(rt),
                Err(_) => {}
            }
        }
    }
}
