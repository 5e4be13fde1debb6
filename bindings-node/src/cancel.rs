//! `Cancel`: how an `AbortSignal` stops a running network call.
//!
//! `api.js` makes one `Cancel` per call, hands it to the native method and calls
//! `abort()` when the caller's `AbortSignal` fires. The call's future is then dropped
//! on the runtime (its connection closed, its chunks stopped: the core spawns none)
//! and the Promise rejects; `api.js` rejects with the signal's `reason` instead, as
//! `fetch` does.

use std::future::Future;
use std::sync::Mutex;

use cldkit::api::{ApiError, ApiErrorKind};
use futures_util::future::{AbortHandle, AbortRegistration, Abortable};
use napi_derive::napi;

/// A one-use token that stops the call it is given to (internal: used by `api.js`).
#[napi(js_name = "Cancel")]
pub struct Cancel {
    handle: AbortHandle,
    registration: Mutex<Option<AbortRegistration>>,
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

#[napi]
impl Cancel {
    /// A token not yet aborted.
    #[napi(constructor)]
    pub fn new() -> Self {
        let (handle, registration) = AbortHandle::new_pair();
        Cancel {
            handle,
            registration: Mutex::new(Some(registration)),
        }
    }

    /// Stops the call (at once if it already runs, at its start otherwise).
    #[napi]
    pub fn abort(&self) {
        self.handle.abort();
    }
}

impl Cancel {
    /// `fut`, ending with an `io` error ("aborted") when [`Cancel::abort`] is called.
    /// A token can serve one call: a second one is refused the same way.
    pub(crate) fn wrap<T: Send>(
        &self,
        fut: impl Future<Output = Result<T, ApiError>> + Send,
    ) -> impl Future<Output = Result<T, ApiError>> + Send {
        let registration = self
            .registration
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        async move {
            match registration {
                Some(r) => Abortable::new(fut, r)
                    .await
                    .unwrap_or_else(|_| Err(aborted())),
                None => Err(aborted()),
            }
        }
    }
}

fn aborted() -> ApiError {
    ApiError::new(ApiErrorKind::Io, "aborted: the caller stopped the call")
}
