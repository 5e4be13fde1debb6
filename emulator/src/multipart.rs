//! Multipart request bodies, read within bounds: text fields counted against
//! [`MAX_FIELDS`] and [`MAX_TEXT_BYTES`], a part header or preamble that never ends
//! refused ([`MAX_MULTIPART_UNPARSED`]), file parts streamed to flushed temporary files
//! with their MD5 computed on the way ([`Received`]).
//!
//! Below the request state: [`crate::state::read_params`] reads multipart forms with
//! [`read_multipart_text`], and the Upload API ([`crate::upload`]) its file parts.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Request};
use md5::{Digest, Md5};

use crate::error::{ApiError, ApiResult};
use crate::params::{too_large, Params, MAX_FIELDS, MAX_TEXT_BYTES};
use crate::store::Store;

/// Largest single request body (the real per-request ceiling is 100 MB).
pub const MAX_REQUEST_FILE: u64 = 100 * 1024 * 1024;

/// The largest `file` given as text in a multipart upload (a base64 data URI, or a URL):
/// 64 MiB, about the documented data URI ceiling of the real service (~60 MB). Such a
/// field is spooled to disk like a file part, so it costs no memory before the request
/// is authenticated.
pub const MAX_DATA_URI: u64 = 64 << 20;

/// At most this much of a multipart body may be buffered by the parser without being
/// handed out as field data (a part header or preamble that never ends).
pub const MAX_MULTIPART_UNPARSED: usize = 4 << 20;

/// A received file, flushed to disk.
#[derive(Debug)]
pub struct Received {
    /// Where the bytes are (adopted or removed by the caller).
    pub path: PathBuf,
    /// The part's file name, if any.
    pub filename: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// MD5 hex.
    pub md5: String,
}

/// What multipart text a request has used so far: fields and bytes, against
/// [`MAX_FIELDS`] and [`MAX_TEXT_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct Budget {
    fields: usize,
    bytes: usize,
}

impl Budget {
    fn field(&mut self) -> ApiResult<()> {
        self.fields += 1;
        if self.fields > MAX_FIELDS {
            return Err(too_large(format!("more than {MAX_FIELDS} fields")));
        }
        Ok(())
    }

    fn bytes(&mut self, n: usize) -> ApiResult<()> {
        self.bytes += n;
        if self.bytes > MAX_TEXT_BYTES {
            return Err(too_large(format!(
                "the text fields are larger than {MAX_TEXT_BYTES} bytes together"
            )));
        }
        Ok(())
    }
}

/// Counts the body bytes handed to the multipart parser since it last produced a field
/// or field data, so that a part header or preamble that never ends is refused once it
/// passes [`MAX_MULTIPART_UNPARSED`] instead of filling the parser's buffer.
#[derive(Clone, Default)]
pub(crate) struct Meter(Arc<MeterState>);

#[derive(Default)]
struct MeterState {
    pending: AtomicUsize,
    tripped: AtomicBool,
}

impl Meter {
    /// The parser produced something: what it buffered is accounted for.
    fn progress(&self) {
        self.0.pending.store(0, Ordering::Relaxed);
    }

    fn tripped(&self) -> bool {
        self.0.tripped.load(Ordering::Relaxed)
    }

    /// An error for a multipart failure: 413 when the meter stopped the body.
    fn error(&self, e: axum::extract::multipart::MultipartError) -> ApiError {
        if self.tripped() {
            too_large(format!(
                "a multipart part header or preamble is longer than {MAX_MULTIPART_UNPARSED} bytes"
            ))
        } else {
            ApiError::bad_request(format!("Error reading the request body: {}", e.body_text()))
        }
    }
}

/// The request body as the multipart parser sees it, metered.
struct Metered {
    inner: axum::body::BodyDataStream,
    meter: Meter,
}

impl futures_util::Stream for Metered {
    type Item = Result<bytes::Bytes, axum::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        match std::pin::Pin::new(&mut this.inner).poll_next(cx) {
            std::task::Poll::Ready(Some(Ok(b))) => {
                let pending = this.meter.0.pending.fetch_add(b.len(), Ordering::Relaxed) + b.len();
                if pending > MAX_MULTIPART_UNPARSED {
                    this.meter.0.tripped.store(true, Ordering::Relaxed);
                    return std::task::Poll::Ready(Some(Err(axum::Error::new(
                        "multipart data without a part boundary",
                    ))));
                }
                std::task::Poll::Ready(Some(Ok(b)))
            }
            other => other,
        }
    }
}

/// A multipart parser over the request body, metered.
pub(crate) async fn open_multipart(req: Request) -> ApiResult<(Multipart, Meter)> {
    let meter = Meter::default();
    let (parts, body) = req.into_parts();
    let metered = Metered {
        inner: body.into_data_stream(),
        meter: meter.clone(),
    };
    let req = Request::from_parts(parts, axum::body::Body::from_stream(metered));
    let mp = Multipart::from_request(req, &())
        .await
        .map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok((mp, meter))
}

/// The next part of a multipart body, counted against the field budget.
pub(crate) async fn next_field<'a>(
    mp: &'a mut Multipart,
    meter: &Meter,
    budget: &mut Budget,
) -> ApiResult<Option<axum::extract::multipart::Field<'a>>> {
    let field = mp.next_field().await.map_err(|e| meter.error(e))?;
    meter.progress();
    if field.is_some() {
        budget.field()?;
    }
    Ok(field)
}

/// Reads the text fields of a multipart body (file parts are drained and dropped),
/// within [`MAX_FIELDS`] and [`MAX_TEXT_BYTES`].
pub async fn read_multipart_text(req: Request) -> ApiResult<(Params, usize)> {
    let (mut mp, meter) = open_multipart(req).await?;
    let mut budget = Budget::default();
    let mut params = Params::new();
    let mut files = 0;
    while let Some(mut field) = next_field(&mut mp, &meter, &mut budget).await? {
        let name = field.name().unwrap_or("").to_owned();
        if field.file_name().is_some() {
            files += 1;
            // Drained chunk by chunk, without keeping it.
            while let Ok(Some(_)) = field.chunk().await {
                meter.progress();
            }
            continue;
        }
        let text = text_field(&mut field, &name, &meter, &mut budget).await?;
        params.push_text(&name, text);
    }
    Ok((params, files))
}

/// Reads a text field, its name and value counted against the request's text budget.
pub(crate) async fn text_field(
    field: &mut axum::extract::multipart::Field<'_>,
    name: &str,
    meter: &Meter,
    budget: &mut Budget,
) -> ApiResult<String> {
    budget.bytes(name.len())?;
    let mut out: Vec<u8> = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| meter.error(e))? {
        meter.progress();
        budget.bytes(chunk.len())?;
        out.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Streams a multipart field into `file`, hashing into `hasher`; returns the size.
pub(crate) async fn stream_field(
    field: &mut axum::extract::multipart::Field<'_>,
    meter: &Meter,
    file: &mut std::fs::File,
    mut hasher: Option<&mut Md5>,
    limit: u64,
) -> ApiResult<u64> {
    let mut n: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(|e| meter.error(e))? {
        meter.progress();
        n += chunk.len() as u64;
        if n > limit {
            return Err(ApiError::bad_request(format!(
                "File size too large. Got {n}. Maximum is {limit}."
            )));
        }
        file.write_all(&chunk)?;
        if let Some(h) = hasher.as_deref_mut() {
            h.update(&chunk);
        }
    }
    Ok(n)
}

/// Streams a multipart field to a new temporary file (MD5 on the way).
pub(crate) async fn spool_field(
    store: &Store,
    field: &mut axum::extract::multipart::Field<'_>,
    meter: &Meter,
    filename: Option<String>,
    limit: u64,
) -> ApiResult<Received> {
    let path = store.temp_path();
    let mut file = std::fs::File::create(&path)?;
    let mut hasher = Md5::new();
    let res = stream_field(field, meter, &mut file, Some(&mut hasher), limit).await;
    let size = match res.and_then(|n| file.sync_data().map(|_| n).map_err(ApiError::from)) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };
    Ok(Received {
        path,
        filename,
        size,
        md5: hex::encode(hasher.finalize()),
    })
}

/// Writes `bytes` to a flushed temporary file.
pub(crate) fn temp_from_bytes(
    store: &Store,
    bytes: &[u8],
    filename: Option<String>,
) -> ApiResult<Received> {
    let path = store.temp_path();
    let mut f = std::fs::File::create(&path)?;
    f.write_all(bytes)?;
    f.sync_data()?;
    Ok(Received {
        path,
        filename,
        size: bytes.len() as u64,
        md5: hex::encode(Md5::digest(bytes)),
    })
}
