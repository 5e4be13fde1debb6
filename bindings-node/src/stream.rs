//! `ByteSink`: the bounded channel a JavaScript stream is pumped into, read by the
//! core's stream source ([`cldkit::api::Source::Stream`]) as the upload goes.
//!
//! `api.js` reads a `Readable` (or any async iterable of byte chunks) and writes each
//! chunk here: `tryWrite` when the channel has room, else `await write(...)`, which
//! settles when the upload has taken enough to make room. Memory stays bounded by the
//! channel capacity (in chunks) plus the core's chunk buffer. `end()` closes the input;
//! `fail(message)` makes the upload fail with an `io` error.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cldkit::api::ByteStream;
use cldkit::Error;
use napi::{sys, Env, JsObject, JsUnknown, NapiRaw};
use napi_derive::napi;
use tokio::sync::mpsc;

use crate::convert::bytes_of;
use crate::errors::{guard, Failure, Outcome};

type Item = std::io::Result<Bytes>;

/// Chunks buffered by default before writers wait.
const DEFAULT_CAPACITY: u32 = 8;

/// The writing end of an upload stream (internal: used by `api.js`).
#[napi(js_name = "ByteSink")]
pub struct ByteSink {
    tx: Mutex<Option<mpsc::Sender<Item>>>,
    rx: Mutex<Option<mpsc::Receiver<Item>>>,
    /// Set by `fail`: read when the channel closes, so the failure is never mistaken
    /// for the end of the stream.
    failure: Arc<Mutex<Option<String>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn chunk(env: &Env, data: &JsUnknown) -> Outcome<Bytes> {
    // SAFETY: `data` is a live handle of the current call.
    bytes_of(env.raw(), unsafe { data.raw() })
        .map(Bytes::from)
        .ok_or_else(|| {
            Failure::Core(Error::invalid_option(
                "stream",
                "a stream chunk must be a Buffer, a Uint8Array or a string",
            ))
        })
}

#[napi]
impl ByteSink {
    /// A sink holding up to `capacity` chunks (default 8).
    #[napi(constructor)]
    pub fn new(capacity: Option<u32>) -> Self {
        let (tx, rx) = mpsc::channel(capacity.unwrap_or(DEFAULT_CAPACITY).clamp(1, 1024) as usize);
        ByteSink {
            tx: Mutex::new(Some(tx)),
            rx: Mutex::new(Some(rx)),
            failure: Arc::new(Mutex::new(None)),
        }
    }

    /// Writes `data` if there is room: `1` written, `0` full (nothing written; use
    /// `write`), `-1` closed (the upload no longer reads: stop writing).
    #[napi]
    pub fn try_write(&self, env: Env, data: JsUnknown) -> napi::Result<i32> {
        guard(&env, || {
            let Some(tx) = lock(&self.tx).clone() else {
                return Ok(-1);
            };
            let written = match tx.try_reserve() {
                Ok(permit) => {
                    permit.send(Ok(chunk(&env, &data)?));
                    1
                }
                Err(mpsc::error::TrySendError::Full(())) => 0,
                Err(mpsc::error::TrySendError::Closed(())) => -1,
            };
            Ok(written)
        })
    }

    /// Writes `data`, waiting for room: resolves `true` once written, `false` when the
    /// upload no longer reads.
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn write(&self, env: Env, data: JsUnknown) -> napi::Result<JsObject> {
        let (tx, bytes) = guard(&env, || {
            let tx = lock(&self.tx).clone();
            Ok((tx, chunk(&env, &data)?))
        })?;
        crate::promise::spawn(
            &env,
            async move {
                match tx {
                    Some(tx) => tx.send(Ok(bytes)).await.is_ok(),
                    None => false,
                }
            },
            |env: sys::napi_env, out: Option<bool>| {
                let mut v = std::ptr::null_mut();
                // SAFETY: `env` is live on the JavaScript thread.
                unsafe { sys::napi_get_boolean(env, out.unwrap_or(false), &mut v) };
                Ok(v)
            },
        )
    }

    /// Ends the input: the upload sees the end of the stream.
    #[napi]
    pub fn end(&self) {
        lock(&self.tx).take();
    }

    /// Fails the input: the upload fails with an `io` error carrying `message`.
    #[napi]
    pub fn fail(&self, message: String) {
        let mut tx = lock(&self.tx);
        lock(&self.failure).get_or_insert(message);
        tx.take();
    }
}

impl ByteSink {
    /// The reading end as the core's byte stream (once).
    pub(crate) fn take_stream(&self) -> Outcome<ByteStream> {
        let rx = lock(&self.rx).take().ok_or_else(|| {
            Failure::Core(Error::invalid_option(
                "stream",
                "this stream was already uploaded",
            ))
        })?;
        let state = (Some(rx), self.failure.clone());
        let stream = futures_util::stream::unfold(state, |(rx, failure)| async move {
            let mut rx = rx?;
            match rx.recv().await {
                Some(item) => Some((item, (Some(rx), failure))),
                None => {
                    let message = lock(&failure).take()?;
                    Some((Err(std::io::Error::other(message)), (None, failure)))
                }
            }
        });
        Ok(Box::pin(stream))
    }
}
