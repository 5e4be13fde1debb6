//! Chunked ("large") uploads: one `upload` request per chunk with
//! `X-Unique-Upload-Id` and `Content-Range`, file chunks streamed from disk, each
//! chunk retried on its own, and a [`ResumeToken`] that lets another process finish
//! the upload.

use std::path::Path;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::{StreamExt, TryStreamExt};
use reqwest::header::{HeaderName, HeaderValue};

use super::errors::{ApiError, ApiErrorKind};
use super::progress::Progress;
use super::response::ApiResponse;
use super::resume::ResumeToken;
use super::retry::{random_id, RetryPolicy};
use super::settings::{Pull, UploadSettings};
use super::transport::{
    auth_headers, Body, FileData, FilePayload, MultipartBody, Request, Transport,
};
use crate::{Client, Map, Value};

/// Default chunk size (bytes), as in the SDKs.
pub const DEFAULT_CHUNK_SIZE: u64 = 20_000_000;
/// Smallest chunk size accepted (Cloudinary's documented minimum).
pub const MIN_CHUNK_SIZE: u64 = 5 * 1024 * 1024;

/// Shared state of one chunked upload.
struct Job<'a> {
    client: &'a Client,
    transport: &'a Transport,
    options: &'a Map,
    policy: RetryPolicy,
    timeout: Option<std::time::Duration>,
    max_response_bytes: Option<u64>,
    filename: String,
    mime: &'static str,
    progress: Progress,
    settings: &'a UploadSettings,
    token: tokio::sync::Mutex<ResumeToken>,
}

impl Job<'_> {
    /// The request for the chunk `[a, b]` of `total` (`None` = not yet known).
    async fn request(
        &self,
        data: FileData,
        a: u64,
        b: u64,
        total: Option<u64>,
    ) -> Result<Request, ApiError> {
        let (upload_id, public_id) = {
            let t = self.token.lock().await;
            (t.upload_id.clone(), t.public_id.clone())
        };
        let mut opts = self.options.clone();
        if let Some(pid) = public_id {
            opts.insert("public_id", pid);
        }
        let form = self.client.upload_api_call(
            "upload",
            &Map::from_iter([("file", Value::Null)]),
            &opts,
        )?;
        let range = match total {
            Some(t) => format!("bytes {a}-{b}/{t}"),
            None => format!("bytes {a}-{b}/-1"),
        };
        let mut headers = auth_headers(&form)?;
        headers.push((
            HeaderName::from_static("x-unique-upload-id"),
            HeaderValue::from_str(&upload_id)
                .map_err(|_| ApiError::new(ApiErrorKind::Invalid, "bad upload id"))?,
        ));
        headers.push((
            HeaderName::from_static("content-range"),
            HeaderValue::from_str(&range)
                .map_err(|_| ApiError::new(ApiErrorKind::Invalid, "bad range"))?,
        ));
        Ok(Request {
            method: reqwest::Method::POST,
            url: form.url,
            headers,
            body: Body::Multipart(Arc::new(MultipartBody {
                fields: form.fields,
                file: Some(FilePayload {
                    filename: self.filename.clone(),
                    mime: self.mime,
                    data,
                }),
                file_field: "file",
            })),
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
        })
    }

    /// Sends one chunk with retries and records it as confirmed.
    async fn send_chunk(
        &self,
        data: FileData,
        a: u64,
        b: u64,
        total: Option<u64>,
    ) -> Result<ApiResponse, ApiError> {
        let req = self.request(data, a, b, total).await?;
        let resp = self
            .transport
            .send(&req, &self.policy, Some(&self.progress))
            .await?;
        let snapshot = {
            let mut t = self.token.lock().await;
            t.add(a, b);
            if let Some(pid) = resp.str("public_id").filter(|s| !s.is_empty()) {
                t.public_id = Some(pid.to_owned());
            }
            t.clone()
        };
        self.checkpoint(&snapshot)?;
        Ok(resp)
    }

    fn checkpoint(&self, token: &ResumeToken) -> Result<(), ApiError> {
        if let Some(cb) = &self.settings.checkpoint {
            cb(token);
        }
        if let Some(path) = &self.settings.resume_file {
            write_atomically(path, token.to_json().as_bytes())
                .map_err(|e| ApiError::io("cannot write the resume file", &e))?;
        }
        Ok(())
    }

    async fn fail(&self, e: ApiError) -> ApiError {
        let t = self.token.lock().await.clone();
        e.with_resume(t)
    }
}

/// Replaces `path` with `data` atomically: written to a new temporary file in the same
/// directory (created with `O_EXCL` under a random name, mode 0600, so no planted file
/// or symlink is ever opened), flushed to disk, then renamed over `path` (a symlink at
/// `path` is replaced, never followed).
fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The largest resume file read back (a token of thousands of ranges is a few
/// hundred KiB); a larger file is not a token of ours and is ignored.
const MAX_RESUME_FILE: u64 = 4 << 20;

/// The token in the resume file at `path`, if it holds one (read at most
/// [`MAX_RESUME_FILE`] bytes: the path may name anything, `/dev/zero` included).
fn read_resume_file(path: &Path) -> Option<ResumeToken> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut text = String::new();
    file.take(MAX_RESUME_FILE + 1)
        .read_to_string(&mut text)
        .ok()?;
    if text.len() as u64 > MAX_RESUME_FILE {
        return None;
    }
    ResumeToken::from_json(&text).ok()
}

/// The token to start from: the one given, else the resume file if it matches.
fn starting_token(
    settings: &UploadSettings,
    total: Option<u64>,
    chunk_size: u64,
) -> Result<ResumeToken, ApiError> {
    let mut given = settings.resume.clone();
    if given.is_none() {
        if let Some(path) = &settings.resume_file {
            given =
                read_resume_file(path).filter(|t| t.total == total && t.chunk_size == chunk_size);
        }
    }
    match given {
        None => Ok(ResumeToken::new(random_id(16), total, chunk_size)),
        Some(t) if t.chunk_size != chunk_size || (total.is_some() && t.total != total) => {
            Err(crate::Error::invalid_option(
                "resume",
                "the resume token was made for another file or chunk size",
            )
            .into())
        }
        Some(t) => Ok(t),
    }
}

/// Common setup of a chunked upload.
#[allow(clippy::too_many_arguments)]
fn job<'a>(
    client: &'a Client,
    transport: &'a Transport,
    options: &'a Map,
    settings: &'a UploadSettings,
    filename: String,
    progress: Progress,
    token: ResumeToken,
) -> Result<Job<'a>, ApiError> {
    Ok(Job {
        client,
        transport,
        options,
        policy: RetryPolicy::from_options(client, options)?,
        timeout: super::transport::call_timeout(options)?,
        max_response_bytes: super::transport::call_max_response_bytes(options)?,
        mime: super::transport::guess_mime(&filename),
        filename,
        progress,
        settings,
        token: tokio::sync::Mutex::new(token),
    })
}

/// Uploads `path` (of `total` bytes) in chunks, `parallel` at a time; the final chunk
/// goes last so the server completes the asset with it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn upload_file(
    client: &Client,
    transport: &Transport,
    path: &Path,
    total: u64,
    chunk_size: u64,
    filename: String,
    options: &Map,
    settings: &UploadSettings,
    progress: Progress,
) -> Result<ApiResponse, ApiError> {
    let token = starting_token(settings, Some(total), chunk_size)?;
    progress.add(token.confirmed_bytes());
    let job = job(
        client, transport, options, settings, filename, progress, token,
    )?;
    let path = Arc::new(path.to_path_buf());
    let ranges: Vec<(u64, u64)> = (0..total)
        .step_by(chunk_size as usize)
        .map(|a| (a, (a + chunk_size).min(total) - 1))
        .collect();
    let (last, rest) = ranges.split_last().expect("total > 0");
    let pending: Vec<(u64, u64)> = {
        let t = job.token.lock().await;
        rest.iter()
            .copied()
            .filter(|&(a, b)| !t.has(a, b))
            .collect()
    };
    let parallel = settings.parallel.max(1);
    let send = |(a, b): (u64, u64)| {
        let data = FileData::Range {
            path: path.clone(),
            start: a,
            len: b - a + 1,
        };
        let job = &job;
        async move { job.send_chunk(data, a, b, Some(total)).await }
    };
    let outcome = futures_util::stream::iter(pending)
        .map(send)
        .buffer_unordered(parallel)
        .try_for_each(|_| async { Ok(()) })
        .await;
    if let Err(e) = outcome {
        return Err(job.fail(e).await);
    }
    let done = match send(*last).await {
        Ok(r) => r,
        Err(e) => return Err(job.fail(e).await),
    };
    if let Some(p) = &settings.resume_file {
        let _ = std::fs::remove_file(p);
    }
    Ok(done)
}

/// Uploads a stream in chunks of `chunk_size`, one after the other; the total is sent
/// as `-1` until the last chunk. `first` holds the bytes already read (more than one
/// chunk's worth were available).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn upload_stream(
    client: &Client,
    transport: &Transport,
    mut pull: Pull,
    first: BytesMut,
    chunk_size: u64,
    filename: String,
    options: &Map,
    settings: &UploadSettings,
    progress: Progress,
) -> Result<ApiResponse, ApiError> {
    let token = starting_token(settings, None, chunk_size)?;
    let job = job(
        client, transport, options, settings, filename, progress, token,
    )?;
    let cs = chunk_size as usize;
    let mut buf = first;
    let mut offset = 0u64;
    loop {
        // Have at least one byte beyond this chunk to know whether it is the last.
        if let Err(e) = pull.fill(&mut buf, cs + 1).await {
            return Err(job.fail(ApiError::io("cannot read the stream", &e)).await);
        }
        let is_last = buf.len() <= cs;
        let chunk: Bytes = buf.split_to(buf.len().min(cs)).freeze();
        let (a, b) = (offset, offset + chunk.len() as u64 - 1);
        offset = b + 1;
        let total = is_last.then_some(offset);
        let skip = job.token.lock().await.has(a, b) && !is_last;
        if skip {
            job.progress.add(chunk.len() as u64);
        } else {
            if is_last {
                job.progress.set_total(offset);
            }
            match job.send_chunk(FileData::Bytes(chunk), a, b, total).await {
                Ok(r) if is_last => {
                    if let Some(p) = &settings.resume_file {
                        let _ = std::fs::remove_file(p);
                    }
                    return Ok(r);
                }
                Ok(_) => {}
                Err(e) => return Err(job.fail(e).await),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "cldkit-chunked-{name}-{}-{}",
            std::process::id(),
            random_id(8)
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn resume_files_are_read_back_within_a_bound() {
        let dir = scratch("read");
        let token = ResumeToken::new(random_id(16), Some(30), 10);
        let path = dir.join("ok.resume");
        write_atomically(&path, token.to_json().as_bytes()).unwrap();
        assert_eq!(read_resume_file(&path), Some(token.clone()));
        // A valid token after more than the bound of leading whitespace: not read.
        let big = dir.join("big.resume");
        let mut text = " ".repeat(MAX_RESUME_FILE as usize);
        text.push_str(&token.to_json());
        std::fs::write(&big, text).unwrap();
        assert_eq!(read_resume_file(&big), None);
        assert_eq!(read_resume_file(&dir.join("missing")), None);
        #[cfg(unix)]
        assert_eq!(read_resume_file(Path::new("/dev/zero")), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_relative_resume_path_is_written_in_the_current_directory() {
        // A bare file name has an empty parent: the temporary file goes to ".".
        let name = format!("cldkit-resume-{}.json", random_id(8));
        write_atomically(Path::new(&name), b"{}").unwrap();
        assert_eq!(std::fs::read(&name).unwrap(), b"{}");
        std::fs::remove_file(&name).unwrap();
    }
}
