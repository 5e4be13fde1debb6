//! Uploads and the Admin API over HTTP (feature `http`, on by default).
//!
//! Every call is a method of [`Client`](crate::Client), in two flavours: `async`
//! (any tokio runtime) and `*_blocking` (synchronous callers: C, PHP, Python without
//! asyncio; runs on a runtime the client creates on first use, and again in a child
//! after `fork()`). Each client has one connection pool, built from its
//! configuration:
//!
//! | Setting | Meaning |
//! |---|---|
//! | `timeout` | seconds for a whole request, from connecting to the answer's last byte (each attempt, each chunk; default 300, plus 1 s per 64 KiB of a file part); also per call |
//! | `max_response_bytes` | largest answer body accepted (default 64 MiB; checked against `Content-Length` first, then as it is read); also per call |
//! | `connect_timeout` | seconds to connect (default 30) |
//! | `read_timeout` | seconds without a byte from the server (default 60) |
//! | `api_proxy` | proxy URL; else `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` |
//! | `max_retries`, `retry_delay`, `retry_max_delay`, `rate_limit_max_wait` | [`RetryPolicy`] |
//! | `chunk_size`, `parallel_chunks`, `resume_file` | chunked uploads ([`UploadSettings`]) |
//! | `user_platform` | integration identity, first in the `User-Agent` |
//!
//! Requests are the forms the `upload` module builds ([`crate::upload`]), sent as
//! multipart with `name[]` lists and the file part under its base name. Large files
//! are sent in chunks streamed from disk (`X-Unique-Upload-Id` + `Content-Range`),
//! each retried with exponential backoff and jitter on 5xx, 420, 429, timeouts and
//! connection errors, honouring rate-limit reset times; a [`ResumeToken`] lets a
//! new process finish an interrupted upload; a `resume_file` is replaced atomically
//! through an `O_EXCL` temporary file in its directory (a symlink is never followed).
//!
//! A misbehaving server cannot hold a call forever or fill the memory: an answer larger
//! than `max_response_bytes` fails with [`ApiErrorKind::Response`], an attempt slower
//! than `timeout` with [`ApiErrorKind::Timeout`] (retried like other timeouts, so a
//! call lasts at most `max_retries + 1` deadlines plus the backoff), and [`Pages`]
//! stops with [`ApiErrorKind::Response`] when the server repeats a `next_cursor`.
//! Each message names the limit and the setting that changes it.
//!
//! ```no_run
//! use cldkit::api::{Source, UploadSettings};
//! let client = cldkit::Client::from_env().unwrap();
//! let opts = cldkit::Map::from_iter([("public_id", "big")]);
//! let settings = UploadSettings {
//!     progress: Some(std::sync::Arc::new(|done, total| eprintln!("{done}/{total:?}"))),
//!     ..Default::default()
//! };
//! let r = client.upload_blocking(Source::Path("big.mp4".into()), &opts, &settings);
//! match r {
//!     Ok(resp) => println!("{}", resp.str("secure_url").unwrap_or("")),
//!     Err(e) => eprintln!("{e} (status {:?}, request {:?})", e.status(), e.request_id()),
//! }
//! ```

// The modules form layers: each imports only modules of the layers below it
// (checked by `cargo test -p xtask`, xtask/src/layers.rs).
//
// 1. resume, progress       the resume token, progress counting
// 2. errors                 typed errors (they carry a resume token)
// 3. response               answers, rate-limit headers
// 4. runtime                the runtime of blocking callers
// 5. transport              connections, requests, reading answers, the client's clock
// 6. retry                  backoff and rate-limit waits around the transport
// 7. settings               upload settings and sources
// 8. chunked                chunked uploads
// 9. upload, admin, account, calls   the calls
mod account;
mod admin;
mod calls;
mod chunked;
mod errors;
mod progress;
mod response;
mod resume;
mod retry;
mod runtime;
mod settings;
mod transport;
mod upload;

pub use account::AccountClient;
pub use admin::{admin_request, query_string, AdminRequest, Pages, Search, ADMIN_CALLS};
pub use calls::CallRequest;
pub use chunked::{DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE};
pub use errors::{ApiError, ApiErrorKind};
pub use progress::ProgressFn;
pub use response::{ApiResponse, RateLimit};
pub use resume::ResumeToken;
pub use retry::RetryPolicy;
pub use runtime::{InterruptFn, INTERRUPT_POLL};
pub use settings::{ByteStream, CheckpointFn, Source, UploadSettings};
pub use transport::{
    HttpSettings, OAuthRefreshFn, Transport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT, DEFAULT_UPLOAD_RATE,
};
