//! The Upload API: `upload` (file part, data URI, loopback URL, chunked), `explicit`,
//! `destroy`, `rename`, `tags`, `context` and `metadata`.
//!
//! File parts are streamed to disk with their MD5 computed on the way, so memory stays
//! bounded whatever the size. Chunked uploads (`X-Unique-Upload-Id` + `Content-Range`)
//! write each chunk at its offset in one session file; sessions survive restarts.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{FromRequest, Multipart, Request};
use base64::Engine as _;
use md5::{Digest, Md5};
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::{Account, FolderMode};
use crate::auth::{check_upload, early_refusal, header_auth, UploadAuth};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::{too_large, Params, MAX_FIELDS, MAX_TEXT_BYTES};
use crate::resource::{asset_json, parse_pairs, Shape};
use crate::state::{authorization, State};
use crate::store::{sync_dir, Asset, ChunkSession};

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
struct Budget {
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
struct Meter(Arc<MeterState>);

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
async fn open_multipart(req: Request) -> ApiResult<(Multipart, Meter)> {
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
async fn next_field<'a>(
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
async fn text_field(
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

/// `bytes a-b/total` (`total` may be `-1`): inclusive range and known total.
fn parse_content_range(v: &str) -> ApiResult<(u64, u64, Option<u64>)> {
    let bad = || ApiError::bad_request(format!("Invalid Content-Range header: {v}"));
    let rest = v.trim().strip_prefix("bytes").ok_or_else(bad)?.trim();
    let (range, total) = rest.split_once('/').ok_or_else(bad)?;
    let (a, b) = range.split_once('-').ok_or_else(bad)?;
    let a: u64 = a.trim().parse().map_err(|_| bad())?;
    let b: u64 = b.trim().parse().map_err(|_| bad())?;
    let total = match total.trim() {
        "-1" | "*" => None,
        t => Some(t.parse::<u64>().map_err(|_| bad())?),
    };
    // Offsets and totals are bounded (far above any real upload) so the arithmetic on
    // them can neither overflow nor seek beyond what a file system can hold.
    if b < a || b >= MAX_CHUNKED_TOTAL || total.is_some_and(|t| b >= t || t > MAX_CHUNKED_TOTAL) {
        return Err(bad());
    }
    Ok((a, b, total))
}

/// The largest chunked upload accepted (1 TiB).
const MAX_CHUNKED_TOTAL: u64 = 1 << 40;

/// Streams a multipart field into `file`, hashing into `hasher`; returns the size.
async fn stream_field(
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

/// Where the file part of a request went.
enum Part {
    /// Into a temporary file.
    Temp(Received),
    /// A `file` sent as a text field (data URI or URL), spooled to a temporary file.
    Text(Received),
    /// Directly into a chunk session at `start..=end` (already authenticated).
    Chunk {
        start: u64,
        end: u64,
        size: u64,
        filename: Option<String>,
        hashed: Option<Md5>,
    },
}

impl Part {
    /// Removes the temporary file, if any (the request failed).
    fn discard(&self) {
        if let Part::Temp(r) | Part::Text(r) = self {
            let _ = std::fs::remove_file(&r.path);
        }
    }
}

/// Streams a multipart field to a new temporary file (MD5 on the way).
async fn spool_field(
    state: &State,
    field: &mut axum::extract::multipart::Field<'_>,
    meter: &Meter,
    filename: Option<String>,
    limit: u64,
) -> ApiResult<Received> {
    let path = state.store.temp_path();
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

/// Handles one Upload API request.
///
/// Before the request is authenticated it costs bounded memory: a wrong
/// `Authorization` header is refused before the body is read; multipart text fields
/// are limited together ([`MAX_TEXT_BYTES`], [`MAX_FIELDS`]) while file parts and a
/// text `file` are streamed to disk; a signed form whose `api_key` or `timestamp` is
/// already known to be wrong is refused as soon as those fields have arrived; form and
/// JSON bodies are limited to [`crate::params::MAX_FORM_BODY`].
pub async fn handle(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    action: &str,
    req: Request,
) -> ApiResult<Json> {
    let headers = req.headers().clone();
    let auth_header = authorization(&headers);
    if header_auth(account, auth_header.as_deref()) == Some(false) {
        return Err(ApiError::unauthorized(
            "Invalid credentials (api_key, api_secret or oauth_token)",
        ));
    }
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let range = match (action, header("content-range")) {
        ("upload", Some(v)) => Some(parse_content_range(&v)?),
        _ => None,
    };
    let upload_id = header("x-unique-upload-id").filter(|s| !s.is_empty());
    let ctype = header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let now = ids::now();
    let check = |params: &Params| {
        check_upload(
            account,
            action,
            params,
            auth_header.as_deref(),
            now,
            state.strict_sha256,
            |name| {
                Ok(state
                    .store
                    .preset(&account.cloud_name, name)?
                    .map(|(unsigned, _)| unsigned))
            },
        )
    };

    let mut params = Params::new();
    let mut part: Option<Part> = None;
    if ctype.starts_with("multipart/") {
        let read = async {
            let (mut mp, meter) = open_multipart(req).await?;
            let mut budget = Budget::default();
            while let Some(mut field) = next_field(&mut mp, &meter, &mut budget).await? {
                let name = field.name().unwrap_or("").to_owned();
                let filename = field.file_name().map(str::to_owned);
                if name == "file" && filename.is_none() && action == "upload" && part.is_none() {
                    // A data URI or URL: to disk, outside the text budget.
                    let r = spool_field(state, &mut field, &meter, None, MAX_DATA_URI).await?;
                    part = Some(Part::Text(r));
                    continue;
                }
                if filename.is_none() || name != "file" || part.is_some() {
                    let text = text_field(&mut field, &name, &meter, &mut budget).await?;
                    params.push_text(&name, text);
                    if auth_header.is_none()
                        && matches!(name.as_str(), "api_key" | "signature" | "timestamp")
                    {
                        if let Some(e) = early_refusal(account, &params, now) {
                            return Err(e);
                        }
                    }
                    continue;
                }
                // A file part. Chunks of an authenticated request go straight to the session.
                if let (Some((a, b, total)), Some(uid)) = (range, upload_id.as_deref()) {
                    if check(&params).is_ok() {
                        let p = write_chunk(
                            state, account, uid, &mut field, &meter, a, b, total, filename,
                        )
                        .await?;
                        part = Some(p);
                        continue;
                    }
                }
                let r = spool_field(state, &mut field, &meter, filename, MAX_REQUEST_FILE).await?;
                part = Some(Part::Temp(r));
            }
            Ok::<(), ApiError>(())
        };
        if let Err(e) = read.await {
            if let Some(p) = &part {
                p.discard();
            }
            return Err(e);
        }
    } else {
        params = crate::state::read_params(req, crate::params::MAX_FORM_BODY).await?;
    }

    let auth = match check(&params) {
        Ok(a) => a,
        Err(e) => {
            if let Some(p) = &part {
                p.discard();
            }
            return Err(e);
        }
    };
    let result = match action {
        "upload" => upload(state, account, rt, params, part, range, upload_id, auth).await,
        "explicit" => explicit(state, account, rt, &params).await,
        "destroy" => destroy(state, account, rt, &params),
        "rename" => rename(state, account, rt, &params),
        "tags" => tags(state, account, rt, &params),
        "context" => context(state, account, rt, &params),
        "metadata" => metadata(state, account, rt, &params),
        "text" => text(state, account, params).await,
        other => Err(ApiError::not_found(format!("Unknown action {other}"))),
    };
    result
}

/// Writes one authenticated chunk at its offset in the session file.
#[allow(clippy::too_many_arguments)]
async fn write_chunk(
    state: &Arc<State>,
    account: &Account,
    upload_id: &str,
    field: &mut axum::extract::multipart::Field<'_>,
    meter: &Meter,
    start: u64,
    end: u64,
    total: Option<u64>,
    filename: Option<String>,
) -> ApiResult<Part> {
    let session = {
        let _g = state.chunk_lock.lock().await;
        match state.store.chunk_session(&account.cloud_name, upload_id)? {
            Some(s) => s,
            None => {
                let s = ChunkSession {
                    cloud: account.cloud_name.clone(),
                    upload_id: upload_id.to_owned(),
                    file: ids::hex32(),
                    total,
                    ranges: Vec::new(),
                };
                std::fs::File::create(state.store.chunk_path(&s.file))?;
                sync_dir(&state.store.root().join("chunks"))?;
                state.store.save_chunk_session(&s)?;
                s
            }
        }
    };
    let key = (account.cloud_name.clone(), upload_id.to_owned());
    // Continue the running MD5 when this chunk starts where hashing stopped.
    let mut hasher = {
        let map = state
            .chunk_hashers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let expected = map.get(&key).map(|(_, upto)| *upto).unwrap_or(0);
        if expected == start {
            Some(map.get(&key).map(|(h, _)| h.clone()).unwrap_or_default())
        } else {
            None
        }
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(state.store.chunk_path(&session.file))?;
    file.seek(SeekFrom::Start(start))?;
    let size = stream_field(field, meter, &mut file, hasher.as_mut(), MAX_REQUEST_FILE).await?;
    if size != end - start + 1 {
        return Err(ApiError::bad_request(format!(
            "Chunk size {size} does not match Content-Range bytes {start}-{end}"
        )));
    }
    file.sync_data()?;
    Ok(Part::Chunk {
        start,
        end,
        size,
        filename,
        hashed: hasher,
    })
}

/// Copies a temporary file into a session at `start` (for chunks whose fields came
/// after the file part, authenticated only once the whole form was read).
fn copy_into_session(
    state: &State,
    session: &ChunkSession,
    r: &Received,
    start: u64,
) -> ApiResult<()> {
    let mut src = std::fs::File::open(&r.path)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .open(state.store.chunk_path(&session.file))?;
    dst.seek(SeekFrom::Start(start))?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_data()?;
    let _ = std::fs::remove_file(&r.path);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn upload(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    mut params: Params,
    part: Option<Part>,
    range: Option<(u64, u64, Option<u64>)>,
    upload_id: Option<String>,
    auth: UploadAuth,
) -> ApiResult<Json> {
    let unsigned = matches!(auth, UploadAuth::UnsignedPreset(_));
    let checked = apply_preset(state, account, &mut params).and_then(|()| {
        // Refused at the first chunk already, not after the whole file has arrived.
        match params.nonempty("eager") {
            Some(e) => crate::eager::parse(&e).map(|_| ()),
            None => Ok(()),
        }
    });
    if let Err(err) = checked {
        if let Some(p) = &part {
            p.discard();
        }
        return Err(err);
    }
    let received = match part {
        Some(Part::Chunk {
            start,
            end,
            size,
            filename,
            hashed,
        }) => {
            let uid = upload_id.unwrap_or_default();
            return finish_chunk(
                state,
                account,
                rt,
                params,
                &uid,
                start,
                end,
                range.and_then(|r| r.2),
                size,
                filename,
                hashed,
                unsigned,
            )
            .await;
        }
        Some(Part::Temp(r)) => {
            if let (Some((a, b, total)), Some(uid)) = (range, upload_id.as_deref()) {
                // Unauthenticated-at-arrival chunk: copy it into its session now.
                let session = {
                    let _g = state.chunk_lock.lock().await;
                    match state.store.chunk_session(&account.cloud_name, uid)? {
                        Some(s) => s,
                        None => {
                            let s = ChunkSession {
                                cloud: account.cloud_name.clone(),
                                upload_id: uid.to_owned(),
                                file: ids::hex32(),
                                total,
                                ranges: Vec::new(),
                            };
                            std::fs::File::create(state.store.chunk_path(&s.file))?;
                            state.store.save_chunk_session(&s)?;
                            s
                        }
                    }
                };
                if r.size != b - a + 1 {
                    let _ = std::fs::remove_file(&r.path);
                    return Err(ApiError::bad_request(format!(
                        "Chunk size {} does not match Content-Range bytes {a}-{b}",
                        r.size
                    )));
                }
                copy_into_session(state, &session, &r, a)?;
                return finish_chunk(
                    state, account, rt, params, uid, a, b, total, r.size, r.filename, None,
                    unsigned,
                )
                .await;
            }
            r
        }
        Some(Part::Text(r)) => {
            let text = std::fs::read(&r.path);
            let _ = std::fs::remove_file(&r.path);
            let text = String::from_utf8_lossy(&text?).into_owned();
            if text.is_empty() {
                return Err(ApiError::bad_request("Missing required parameter - file"));
            }
            fetch_text_file(state, &text).await?
        }
        None => {
            let file = params
                .nonempty("file")
                .ok_or_else(|| ApiError::bad_request("Missing required parameter - file"))?;
            fetch_text_file(state, &file).await?
        }
    };
    create_asset(state, account, rt, &params, received, unsigned).await
}

/// Records a chunk, and creates the asset when the last byte has arrived.
#[allow(clippy::too_many_arguments)]
async fn finish_chunk(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    params: Params,
    upload_id: &str,
    start: u64,
    end: u64,
    total: Option<u64>,
    _size: u64,
    filename: Option<String>,
    hashed: Option<Md5>,
    unsigned: bool,
) -> ApiResult<Json> {
    let key = (account.cloud_name.clone(), upload_id.to_owned());
    let _g = state.chunk_lock.lock().await;
    let mut session = state
        .store
        .chunk_session(&account.cloud_name, upload_id)?
        .ok_or_else(|| ApiError::bad_request("Upload session expired"))?;
    session.add_range(start, end + 1);
    if total.is_some() {
        session.total = total;
    }
    state.store.save_chunk_session(&session)?;
    if let Some(h) = hashed {
        let mut map = state
            .chunk_hashers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.insert(key.clone(), (h, end + 1));
    }
    if !session.complete() {
        let mut o = JsonMap::new();
        o.insert("done".into(), json!(false));
        o.insert("bytes".into(), json!(session.received()));
        if let Some(pid) = params.nonempty("public_id") {
            o.insert("public_id".into(), json!(pid));
        }
        if rt != "auto" {
            o.insert("resource_type".into(), json!(rt));
        }
        o.insert("kind".into(), json!("upload"));
        return Ok(Json::Object(o));
    }
    let total = session.total.unwrap_or(0);
    let (hasher, upto) = state
        .chunk_hashers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&key)
        .unwrap_or_default();
    let path = state.store.chunk_path(&session.file);
    let p2 = path.clone();
    let md5 = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let (mut h, from) = if upto <= total {
            (hasher, upto)
        } else {
            (Md5::new(), 0)
        };
        if from < total {
            let mut f = std::fs::File::open(&p2)?;
            f.seek(SeekFrom::Start(from))?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
        }
        Ok(hex::encode(h.finalize()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    let received = Received {
        path,
        filename,
        size: total,
        md5,
    };
    let result = create_asset(state, account, rt, &params, received, unsigned).await;
    state.store.drop_chunk_session(&session)?;
    result
}

/// Merges an upload preset's settings under the request's own parameters.
fn apply_preset(state: &State, account: &Account, params: &mut Params) -> ApiResult<()> {
    let Some(name) = params.nonempty("upload_preset") else {
        return Ok(());
    };
    let (_, settings) = state
        .store
        .preset(&account.cloud_name, &name)?
        .ok_or_else(|| ApiError::bad_request("Upload preset not found"))?;
    for (k, v) in settings {
        if matches!(k.as_str(), "name" | "unsigned" | "settings") || params.has(&k) {
            continue;
        }
        let text = match v {
            Json::String(s) => s,
            Json::Bool(b) => b.to_string(),
            Json::Array(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        params.push_text(&k, text);
    }
    Ok(())
}

/// Writes `bytes` to a flushed temporary file.
fn temp_from_bytes(state: &State, bytes: &[u8], filename: Option<String>) -> ApiResult<Received> {
    let path = state.store.temp_path();
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

/// How many redirects a remote `file` URL may follow; every hop is checked like the
/// first URL (see [`redirect_allowed`]).
pub const MAX_REDIRECTS: usize = 5;

/// The longest time a remote `file` fetch may take to connect.
pub const FETCH_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the emulator may fetch `url` for an upload: `http`/`https` to `localhost`
/// or a loopback IP literal (IPv4-mapped IPv6 loopback included), nothing else.
pub fn fetchable(url: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => crate::loopback::is_loopback(ip.into()),
            None => false,
        }
}

/// The redirect policy of remote `file` fetches, decided before the next hop is
/// connected to: `next` must itself be [`fetchable`] and at most [`MAX_REDIRECTS`]
/// redirects (`previous` URLs so far, the first one included) may be followed.
pub fn redirect_allowed(next: &url::Url, previous: usize) -> Result<(), String> {
    if !fetchable(next) {
        return Err(format!(
            "redirect to {next} refused: the emulator fetches loopback URLs only"
        ));
    }
    if previous > MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects"));
    }
    Ok(())
}

/// Resolves `localhost` to the loopback addresses without asking any resolver, and
/// refuses every other name (only `localhost` passes [`fetchable`]; IP literals are
/// not resolved).
struct LoopbackResolver;

impl reqwest::dns::Resolve for LoopbackResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        Box::pin(async move {
            if host != "localhost" {
                return Err(format!("{host} is not a loopback name").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(
                [
                    std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                    std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
                ]
                .into_iter(),
            );
            Ok(addrs)
        })
    }
}

/// The HTTP client of remote `file` fetches: redirects re-checked hop by hop
/// ([`redirect_allowed`]), `localhost` resolved to loopback only, no proxy (a proxy
/// would make the request leave the machine), a connect timeout of
/// [`FETCH_CONNECT_TIMEOUT`] and `timeout` for the whole fetch.
pub fn fetch_client(timeout: std::time::Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::custom(
            |attempt| match redirect_allowed(attempt.url(), attempt.previous().len()) {
                Ok(()) => attempt.follow(),
                Err(why) => attempt.error(why),
            },
        ))
        .no_proxy()
        .dns_resolver(Arc::new(LoopbackResolver))
        .connect_timeout(FETCH_CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        .build()
}

/// An error and its sources, `: `-separated (reqwest's own text omits the cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

/// Loads a `file` given as text: a base64 data URI or a loopback `http(s)` URL
/// (fetched with [`fetch_client`], at most [`MAX_REQUEST_FILE`] bytes).
async fn fetch_text_file(state: &State, file: &str) -> ApiResult<Received> {
    if let Some(rest) = file.strip_prefix("data:") {
        let (_, b64) = rest.split_once(";base64,").ok_or_else(|| {
            ApiError::bad_request("Invalid data URI: only base64 data URIs are supported")
        })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| ApiError::bad_request(format!("Invalid data URI: {e}")))?;
        return temp_from_bytes(state, &bytes, None);
    }
    if file.starts_with("http://") || file.starts_with("https://") {
        let url = reqwest::Url::parse(file)
            .map_err(|e| ApiError::bad_request(format!("Error in loading {file} - {e}")))?;
        if !fetchable(&url) {
            return Err(ApiError::bad_request(format!(
                "Error in loading {file} - the emulator fetches loopback URLs only"
            )));
        }
        let client = state
            .fetcher
            .as_ref()
            .ok_or_else(|| ApiError::internal("the remote fetch client is unavailable"))?;
        let failed = |e: &dyn std::error::Error| {
            ApiError::bad_request(format!("Error in loading {file} - {}", error_chain(e)))
        };
        let resp = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| failed(&e))?;
        if !resp.status().is_success() {
            return Err(ApiError::bad_request(format!(
                "Error in loading {file} - {}",
                resp.status()
            )));
        }
        if let Some(n) = resp.content_length().filter(|n| *n > MAX_REQUEST_FILE) {
            return Err(ApiError::bad_request(format!(
                "File size too large. Got {n}. Maximum is {MAX_REQUEST_FILE}."
            )));
        }
        let name = url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .map(str::to_owned);
        let path = state.store.temp_path();
        let mut f = std::fs::File::create(&path)?;
        let mut hasher = Md5::new();
        let mut size = 0u64;
        let mut resp = resp;
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    return Err(failed(&e));
                }
            };
            size += chunk.len() as u64;
            if size > MAX_REQUEST_FILE {
                let _ = std::fs::remove_file(&path);
                return Err(ApiError::bad_request(format!(
                    "File size too large. Got {size}. Maximum is {MAX_REQUEST_FILE}."
                )));
            }
            if let Err(e) = f.write_all(&chunk) {
                let _ = std::fs::remove_file(&path);
                return Err(e.into());
            }
            hasher.update(&chunk);
        }
        if let Err(e) = f.sync_data() {
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
        return Ok(Received {
            path,
            filename: name,
            size,
            md5: hex::encode(hasher.finalize()),
        });
    }
    Err(ApiError::bad_request(format!(
        "Error in loading {file} - only file parts, base64 data URIs and loopback URLs are supported by the emulator"
    )))
}

/// Adds what a video's upload answer carries (`pages`, `playback_url`, `audio`, `video`,
/// `duration`, `frame_rate`, … — see [`crate::resource::add_video_fields`]) to `body`,
/// reading the stored file's header.
fn add_video_fields(state: &State, account: &Account, asset: &Asset, body: &mut Json) {
    if asset.resource_type != "video" {
        return;
    }
    let info = crate::video::probe(&state.store.blob_path(&asset.blob)).ok();
    crate::resource::add_video_fields(account, asset, info.as_ref(), body);
}

const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "mov", "webm", "avi", "mkv", "m4v", "ogv", "mp3", "wav", "ogg", "flv", "3gp",
];

/// The file name's stem and extension (the basename only: absolute paths are cut).
fn split_filename(name: &str) -> (String, String) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), ext.to_ascii_lowercase()),
        _ => (base.to_owned(), String::new()),
    }
}

fn clean_folder(f: &str) -> String {
    f.trim_matches('/').to_owned()
}

/// Creates (or finds, with `overwrite=false`) the asset for a received file.
pub async fn create_asset(
    state: &Arc<State>,
    account: &Account,
    rt_path: &str,
    params: &Params,
    received: Received,
    unsigned: bool,
) -> ApiResult<Json> {
    // A bad `eager` or `responsive_breakpoints` is refused before anything is stored.
    let checked = match params.nonempty("eager").map(|e| crate::eager::parse(&e)) {
        Some(Err(e)) => Err(e),
        _ => params
            .nonempty("responsive_breakpoints")
            .map(|r| crate::breakpoints::parse(&r))
            .transpose()
            .map(|_| ()),
    };
    let outcome =
        checked.and_then(|()| store_asset(state, account, rt_path, params, &received, unsigned));
    if received.path.exists() {
        let _ = std::fs::remove_file(&received.path);
    }
    let (asset, existing) = outcome?;
    let mut body = asset_json(
        account,
        &asset,
        Shape {
            upload: true,
            ..Shape::default()
        },
    );
    if existing {
        body["existing"] = json!(true);
    }
    add_video_fields(state, account, &asset, &mut body);
    if let Some(eager) = crate::eager::apply(state, account, &asset, params).await? {
        body["eager"] = eager;
    }
    if let Some(rb) = crate::breakpoints::apply(state, account, &asset, params).await? {
        body["responsive_breakpoints"] = rb;
    }
    let is_async = params.flag("async").unwrap_or(false);
    state.notify(
        account,
        "upload",
        crate::webhook::event_payload(account, "upload", body.clone()),
        params.nonempty("notification_url"),
    );
    if is_async {
        return Ok(json!({
            "status": "pending", "type": asset.delivery_type, "batch_id": ids::hex32(),
            "public_id": asset.public_id, "resource_type": asset.resource_type
        }));
    }
    Ok(body)
}

fn store_asset(
    state: &State,
    account: &Account,
    rt_path: &str,
    params: &Params,
    received: &Received,
    unsigned: bool,
) -> ApiResult<(Asset, bool)> {
    let cloud = &account.cloud_name;
    let filename = params
        .nonempty("filename_override")
        .or_else(|| received.filename.clone());
    let (stem, ext) = filename.as_deref().map(split_filename).unwrap_or_default();
    let image = crate::render::probe_image(&received.path);
    let video = if image.is_none() && matches!(rt_path, "auto" | "video") {
        crate::video::probe(&received.path).ok()
    } else {
        None
    };
    let resource_type = match rt_path {
        "auto" => {
            if image.is_some() {
                "image"
            } else if video.is_some() || VIDEO_EXTENSIONS.contains(&ext.as_str()) {
                "video"
            } else {
                "raw"
            }
        }
        "image" if image.is_none() => {
            return Err(ApiError::bad_request(match &filename {
                Some(f) => format!("Invalid image file: {f}"),
                None => "Invalid image file".to_owned(),
            }))
        }
        other => other,
    }
    .to_owned();
    let (format, width, height) = match (&image, resource_type.as_str()) {
        (Some((f, w, h)), "image") => (f.clone(), Some(*w), Some(*h)),
        (_, "video") => match &video {
            Some(v) => (v.format.clone(), v.width, v.height),
            None if ext.is_empty() => ("mp4".into(), None, None),
            None => (ext.clone(), None, None),
        },
        _ => (String::new(), None, None),
    };
    let delivery_type = params.nonempty("type").unwrap_or_else(|| "upload".into());
    let explicit_id = params.nonempty("public_id");
    let mut public_id = match &explicit_id {
        Some(p) => p.clone(),
        None => {
            let use_filename = params.flag("use_filename").unwrap_or(false);
            let unique = params.flag("unique_filename").unwrap_or(true);
            let mut base = if use_filename && !stem.is_empty() {
                let clean: String = stem
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                if unique {
                    format!("{clean}_{}", ids::alnum(6))
                } else {
                    clean
                }
            } else {
                ids::alnum(20)
            };
            if resource_type == "raw" && !ext.is_empty() {
                base = format!("{base}.{ext}");
            }
            base
        }
    };
    let folder = params
        .nonempty("folder")
        .map(|f| clean_folder(&f))
        .filter(|f| !f.is_empty());
    let prefix = params
        .nonempty("public_id_prefix")
        .map(|f| clean_folder(&f))
        .filter(|f| !f.is_empty());
    let mut asset_folder = params
        .nonempty("asset_folder")
        .map(|f| clean_folder(&f))
        .or_else(|| folder.clone())
        .unwrap_or_default();
    if account.folder_mode == FolderMode::Dynamic
        && prefix.is_none()
        && folder.is_none()
        && !asset_folder.is_empty()
        && params
            .flag("use_asset_folder_as_public_id_prefix")
            .unwrap_or(false)
    {
        public_id = format!("{asset_folder}/{public_id}");
    }
    if let Some(p) = &prefix {
        public_id = format!("{p}/{public_id}");
    }
    if let Some(f) = &folder {
        public_id = format!("{f}/{public_id}");
    }
    if account.folder_mode == FolderMode::Fixed {
        asset_folder = public_id
            .rsplit_once('/')
            .map(|(f, _)| f.to_owned())
            .unwrap_or_default();
    }
    let display_name = params.nonempty("display_name").unwrap_or_else(|| {
        if params.flag("use_filename_as_display_name").unwrap_or(false) && !stem.is_empty() {
            stem.clone()
        } else {
            public_id
                .rsplit('/')
                .next()
                .unwrap_or(&public_id)
                .to_owned()
        }
    });

    let existing = state
        .store
        .get(cloud, &resource_type, &delivery_type, &public_id)?;
    let overwrite = params.flag("overwrite").unwrap_or(!unsigned);
    if let Some(old) = &existing {
        if !overwrite {
            return Ok((old.clone(), true));
        }
    }
    let access_mode = match params.nonempty("access_mode") {
        Some(m) => crate::resource::access_mode(&m)?,
        None => existing
            .as_ref()
            .map(|a| a.access_mode.clone())
            .unwrap_or_else(|| "public".into()),
    };
    let now = ids::now();
    let version = match &existing {
        Some(old) if old.version >= now => old.version + 1,
        _ => now,
    };
    let version_id = ids::hex32();
    let blob = format!("{}-{}", ids::hex32(), version_id);
    let tags: Vec<String> = params.list("tags");
    let context = params
        .nonempty("context")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    let metadata = params
        .nonempty("metadata")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    let asset = Asset {
        cloud: cloud.clone(),
        resource_type,
        delivery_type,
        public_id,
        asset_id: existing
            .as_ref()
            .map(|a| a.asset_id.clone())
            .unwrap_or_else(ids::hex32),
        version,
        version_id,
        format,
        width,
        height,
        bytes: received.size,
        etag: received.md5.clone(),
        created_at: ids::iso8601(now),
        tags,
        context,
        metadata,
        asset_folder,
        display_name,
        original_filename: if stem.is_empty() { "file".into() } else { stem },
        blob: blob.clone(),
        seq: 0,
        access_mode,
    };
    state.store.adopt_blob(&received.path, &blob)?;
    match state.store.put(&asset) {
        Ok(Some(old_blob)) => state.store.drop_blob(&old_blob),
        Ok(None) => {}
        Err(e) => {
            state.store.drop_blob(&blob);
            return Err(e);
        }
    }
    if !asset.asset_folder.is_empty() {
        let mut path = String::new();
        for part in asset.asset_folder.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            state.store.add_folder(cloud, &path)?;
        }
    }
    Ok((asset, false))
}

/// `text`: an image of the `text` parameter, stored like an upload (delivery type
/// `text` unless `type` says otherwise) and answered like one. The image is a PNG of
/// boxes, one per character (see [`crate::render::text_image`]): its size follows the
/// text and `font_size`, `font_color`/`background`/`opacity`/`text_align`/`font_weight`
/// are honoured approximately, the other font options are accepted and ignored.
async fn text(state: &Arc<State>, account: &Account, mut params: Params) -> ApiResult<Json> {
    let content = require(&params, "text")?;
    let mut style = crate::render::TextStyle::default();
    if let Some(v) = params.nonempty("font_size") {
        style.font_size = v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter font_size"))
            })?;
    }
    let color = |name: &str| -> ApiResult<Option<image::Rgba<u8>>> {
        match params.nonempty(name) {
            None => Ok(None),
            Some(v) => crate::render::parse_color(&v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter {name}"))
            }),
        }
    };
    if let Some(c) = color("font_color")? {
        style.color = c;
    }
    if let Some(c) = color("background")? {
        style.background = c;
    }
    if let Some(v) = params.nonempty("opacity") {
        let o = v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|o| *o <= 100)
            .ok_or_else(|| {
                ApiError::bad_request(format!("Invalid value {v} for parameter opacity"))
            })?;
        style.color.0[3] = (u32::from(style.color.0[3]) * o / 100) as u8;
    }
    style.bold = params.nonempty("font_weight").as_deref() == Some("bold");
    if let Some(a) = params.nonempty("text_align") {
        style.align = a;
    }
    let (png, _, _) =
        tokio::task::spawn_blocking(move || crate::render::text_image(&content, &style))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
            .map_err(ApiError::bad_request)?;
    let received = temp_from_bytes(state, &png, None)?;
    if !params.has("type") {
        params.push_text("type", "text".into());
    }
    // Only the parameters of the `text` method; the rest of the upload set does not
    // apply (`eager`, `tags`, ... are not sent by the SDKs' `text`).
    for name in [
        "eager",
        "folder",
        "public_id_prefix",
        "asset_folder",
        "async",
    ] {
        params.remove(name);
    }
    create_asset(state, account, "image", &params, received, false).await
}

fn resolve_rt(rt: &str) -> &str {
    if rt == "auto" {
        "image"
    } else {
        rt
    }
}

fn require(params: &Params, name: &str) -> ApiResult<String> {
    params
        .nonempty(name)
        .ok_or_else(|| ApiError::bad_request(format!("Missing required parameter - {name}")))
}

fn find(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
    public_id: &str,
) -> ApiResult<Option<Asset>> {
    let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
    state
        .store
        .get(&account.cloud_name, resolve_rt(rt), &ty, public_id)
}

async fn explicit(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    params: &Params,
) -> ApiResult<Json> {
    let public_id = require(params, "public_id")?;
    let mut asset = find(state, account, rt, params, &public_id)?
        .ok_or_else(|| ApiError::not_found(format!("Resource not found - {public_id}")))?;
    if let Some(e) = params.nonempty("eager") {
        crate::eager::parse(&e)?;
    }
    if let Some(r) = params.nonempty("responsive_breakpoints") {
        crate::breakpoints::parse(&r)?;
    }
    if params.has("tags") {
        asset.tags = params.list("tags");
    }
    if let Some(c) = params.nonempty("context") {
        asset.context = parse_pairs(&c);
    }
    if let Some(m) = params.nonempty("metadata") {
        asset.metadata = parse_pairs(&m);
    }
    if let Some(d) = params.nonempty("display_name") {
        asset.display_name = d;
    }
    state.store.update_attrs(&asset)?;
    let mut body = asset_json(
        account,
        &asset,
        Shape {
            upload: true,
            ..Shape::default()
        },
    );
    add_video_fields(state, account, &asset, &mut body);
    if let Some(eager) = crate::eager::apply(state, account, &asset, params).await? {
        body["eager"] = eager;
    }
    if let Some(rb) = crate::breakpoints::apply(state, account, &asset, params).await? {
        body["responsive_breakpoints"] = rb;
    }
    Ok(body)
}

fn destroy(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let public_id = require(params, "public_id")?;
    let result = match find(state, account, rt, params, &public_id)? {
        Some(a) if state.store.delete(&a)? => {
            let fields = json!({"resources": [crate::webhook::resource_ref(&a)]});
            state.notify(
                account,
                "delete",
                crate::webhook::event_payload(account, "delete", fields),
                params.nonempty("notification_url"),
            );
            "ok"
        }
        _ => "not found",
    };
    Ok(json!({"result": result}))
}

fn rename(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let from = require(params, "from_public_id")?;
    let to = require(params, "to_public_id")?;
    let asset = find(state, account, rt, params, &from)?
        .ok_or_else(|| ApiError::not_found(format!("Resource not found - {from}")))?;
    let to_type = params
        .nonempty("to_type")
        .unwrap_or_else(|| asset.delivery_type.clone());
    if let Some(other) =
        state
            .store
            .get(&account.cloud_name, &asset.resource_type, &to_type, &to)?
    {
        if other.asset_id != asset.asset_id && !params.flag("overwrite").unwrap_or(false) {
            return Err(ApiError::bad_request(format!(
                "to_public_id ({to}) already exists"
            )));
        }
    }
    let now = ids::now();
    let version = if asset.version >= now {
        asset.version + 1
    } else {
        now
    };
    if let Some(old_blob) = state.store.rename(&asset, &to_type, &to, version)? {
        state.store.drop_blob(&old_blob);
    }
    let renamed = state
        .store
        .get_by_asset_id(&account.cloud_name, &asset.asset_id)?
        .ok_or_else(|| ApiError::internal("renamed asset vanished"))?;
    let mut fields = crate::webhook::resource_ref(&renamed);
    fields["from_public_id"] = json!(from);
    fields["to_public_id"] = json!(to);
    fields["from_type"] = json!(asset.delivery_type);
    fields["to_type"] = json!(to_type);
    state.notify(
        account,
        "rename",
        crate::webhook::event_payload(account, "rename", fields),
        params.nonempty("notification_url"),
    );
    Ok(asset_json(
        account,
        &renamed,
        Shape {
            upload: true,
            ..Shape::default()
        },
    ))
}

/// An asset before and after an Upload API change.
type Change = (Asset, Asset);

fn each_target(
    state: &State,
    account: &Account,
    rt: &str,
    params: &Params,
    mut f: impl FnMut(&mut Asset),
) -> ApiResult<(Vec<String>, Vec<Change>)> {
    let ids_ = params.ids("public_ids");
    if ids_.is_empty() {
        return Err(ApiError::bad_request(
            "Missing required parameter - public_ids",
        ));
    }
    let mut done = Vec::new();
    let mut changes = Vec::new();
    for id in ids_ {
        if let Some(mut a) = find(state, account, rt, params, &id)? {
            let before = a.clone();
            f(&mut a);
            state.store.update_attrs(&a)?;
            done.push(id);
            changes.push((before, a));
        }
    }
    Ok((done, changes))
}

/// Sends `event_type` about the changed resources (`diff` gives each one's change
/// fields, `None` when it did not change); nothing when none changed.
fn notify_changes(
    state: &State,
    account: &Account,
    params: &Params,
    event_type: &str,
    changes: &[Change],
    diff: impl Fn(&Asset, &Asset) -> Option<Json>,
) {
    let resources: Vec<Json> = changes
        .iter()
        .filter_map(|(before, after)| {
            let d = diff(before, after)?;
            let mut r = crate::webhook::resource_ref(after);
            if let (Json::Object(r), Json::Object(d)) = (&mut r, d) {
                r.extend(d);
            }
            Some(r)
        })
        .collect();
    if resources.is_empty() {
        return;
    }
    let fields = json!({"source": "api", "resources": resources});
    state.notify(
        account,
        event_type,
        crate::webhook::event_payload(account, event_type, fields),
        params.nonempty("notification_url"),
    );
}

/// `{added, removed}` tag lists between two versions of an asset.
fn tag_diff(before: &Asset, after: &Asset) -> Option<Json> {
    let added: Vec<&String> = after
        .tags
        .iter()
        .filter(|t| !before.tags.contains(t))
        .collect();
    let removed: Vec<&String> = before
        .tags
        .iter()
        .filter(|t| !after.tags.contains(t))
        .collect();
    if added.is_empty() && removed.is_empty() {
        return None;
    }
    Some(json!({"added": added, "removed": removed}))
}

fn tags(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let command = require(params, "command")?;
    let tag_list = params.list("tag");
    if command != "remove_all" && tag_list.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter - tag"));
    }
    if command == "set_exclusive" {
        let ty = params.nonempty("type").unwrap_or_else(|| "upload".into());
        for mut a in state.store.all(&account.cloud_name)? {
            if a.resource_type == resolve_rt(rt)
                && a.delivery_type == ty
                && a.tags.iter().any(|t| tag_list.contains(t))
            {
                a.tags.retain(|t| !tag_list.contains(t));
                state.store.update_attrs(&a)?;
            }
        }
    }
    let (done, changes) = each_target(state, account, rt, params, |a| match command.as_str() {
        "add" | "set_exclusive" => {
            for t in &tag_list {
                if !a.tags.contains(t) {
                    a.tags.push(t.clone());
                }
            }
        }
        "remove" => a.tags.retain(|t| !tag_list.contains(t)),
        "replace" => a.tags = tag_list.clone(),
        "remove_all" => a.tags.clear(),
        _ => {}
    })?;
    if !matches!(
        command.as_str(),
        "add" | "set_exclusive" | "remove" | "replace" | "remove_all"
    ) {
        return Err(ApiError::bad_request(format!("Invalid command {command}")));
    }
    notify_changes(
        state,
        account,
        params,
        "resource_tags_changed",
        &changes,
        tag_diff,
    );
    Ok(json!({"public_ids": done}))
}

fn context(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let command = require(params, "command")?;
    let ctx = params
        .nonempty("context")
        .map(|c| parse_pairs(&c))
        .unwrap_or_default();
    if !matches!(command.as_str(), "add" | "remove_all") {
        return Err(ApiError::bad_request(format!("Invalid command {command}")));
    }
    let (done, changes) = each_target(state, account, rt, params, |a| {
        if command == "add" {
            for (k, v) in &ctx {
                a.context.insert(k.clone(), v.clone());
            }
        } else {
            a.context.clear();
        }
    })?;
    notify_changes(
        state,
        account,
        params,
        "resource_context_changed",
        &changes,
        |b, a| crate::webhook::map_diff(&b.context, &a.context),
    );
    Ok(json!({"public_ids": done}))
}

fn metadata(state: &State, account: &Account, rt: &str, params: &Params) -> ApiResult<Json> {
    let md = parse_pairs(&require(params, "metadata")?);
    let (done, changes) = each_target(state, account, rt, params, |a| {
        for (k, v) in &md {
            if v.as_str() == Some("") {
                a.metadata.remove(k);
            } else {
                a.metadata.insert(k.clone(), v.clone());
            }
        }
    })?;
    notify_changes(
        state,
        account,
        params,
        "resource_metadata_changed",
        &changes,
        |b, a| crate::webhook::map_diff(&b.metadata, &a.metadata),
    );
    Ok(json!({"public_ids": done}))
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_range_bounds() {
        assert!(super::parse_content_range("bytes 0-18446744073709551615/*").is_err());
        assert!(
            super::parse_content_range("bytes 18446744073709551610-18446744073709551614/*")
                .is_err()
        );
        assert!(super::parse_content_range("bytes 0-9/-1").is_ok());
        assert!(super::parse_content_range("bytes 0-9/10").is_ok());
    }

    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(
            parse_content_range("bytes 0-999/2500").unwrap(),
            (0, 999, Some(2500))
        );
        assert_eq!(
            parse_content_range("bytes 1000-1999/-1").unwrap(),
            (1000, 1999, None)
        );
        assert!(parse_content_range("bytes 0--1/0").is_err());
        assert!(parse_content_range("bytes 5-4/10").is_err());
        assert!(parse_content_range("bytes 0-10/10").is_err());
    }

    #[test]
    fn remote_hops_stay_on_loopback() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        for ok in [
            "http://127.0.0.1:9/a.png",
            "https://127.200.0.1/a",
            "http://localhost:80/x",
            "http://LOCALHOST/x",
            "http://[::1]:9/x",
            "http://[::ffff:127.0.0.1]/x",
        ] {
            assert!(fetchable(&u(ok)), "{ok}");
            assert_eq!(redirect_allowed(&u(ok), 1), Ok(()), "{ok}");
        }
        for bad in [
            "http://0.0.0.0:9/x",
            "http://10.0.0.1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::]/x",
            "http://example.com/x",
            "http://localhost.example.com/x",
            "http://127.0.0.1.nip.io/x",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
        ] {
            assert!(!fetchable(&u(bad)), "{bad}");
            let e = redirect_allowed(&u(bad), 1).unwrap_err();
            assert!(e.contains("loopback URLs only"), "{e}");
        }
        assert!(redirect_allowed(&u("http://127.0.0.1/x"), MAX_REDIRECTS).is_ok());
        assert!(redirect_allowed(&u("http://127.0.0.1/x"), MAX_REDIRECTS + 1).is_err());
    }

    #[test]
    fn the_loopback_resolver_resolves_localhost_only() {
        use reqwest::dns::Resolve as _;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let resolve = |name: &str| {
            let name: reqwest::dns::Name = name.parse().unwrap();
            rt.block_on(LoopbackResolver.resolve(name))
                .map(|addrs| addrs.collect::<Vec<_>>())
        };
        let addrs = resolve("localhost").unwrap();
        assert!(!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()));
        assert!(resolve("example.com").is_err());
    }

    #[test]
    fn filenames_lose_their_directories() {
        assert_eq!(
            split_filename("/home/u/tiny.PNG"),
            ("tiny".into(), "png".into())
        );
        assert_eq!(split_filename("big"), ("big".into(), String::new()));
    }
}
