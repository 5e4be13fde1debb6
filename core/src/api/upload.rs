//! Uploads from a path, bytes, an async reader or stream, a remote URL or a data URI,
//! and every other Upload API call, sent as the official SDKs send them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::chunked::{self, DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE};
use super::errors::{ApiError, ApiErrorKind};
use super::progress::Progress;
use super::response::ApiResponse;
use super::retry::RetryPolicy;
use super::settings::{Pull, Source, UploadSettings};
use super::transport::{
    auth_headers, call_max_response_bytes, call_timeout, guess_mime, transport, Body, FileData,
    FilePayload, MultipartBody, Request,
};
use crate::upload::UploadRequest;
use crate::{Client, Map, Value};

/// The base name of a path-like file name (never a directory).
pub(crate) fn base_name(name: &str) -> String {
    Path::new(name)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "file".to_owned())
}

fn chunk_size(client: &Client, options: &Map, settings: &UploadSettings) -> Result<u64, ApiError> {
    let bad = || {
        ApiError::from(crate::Error::invalid_option(
            "chunk_size",
            format!("expected a whole number of bytes, at least {MIN_CHUNK_SIZE}"),
        ))
    };
    let size = match settings.chunk_size {
        Some(n) => n,
        None => match options
            .get("chunk_size")
            .or_else(|| client.config().get("chunk_size"))
        {
            None | Some(Value::Null) => DEFAULT_CHUNK_SIZE,
            Some(Value::Int(n)) if *n > 0 => *n as u64,
            Some(Value::Str(s)) => s.trim().parse().map_err(|_| bad())?,
            Some(_) => return Err(bad()),
        },
    };
    if size < MIN_CHUNK_SIZE && !allow_small_chunks(client, options) {
        return Err(bad());
    }
    Ok(size.max(1))
}

/// `allow_small_chunks: true` lifts the 5 MiB minimum (tests, emulators).
fn allow_small_chunks(client: &Client, options: &Map) -> bool {
    options
        .get("allow_small_chunks")
        .or_else(|| client.config().get("allow_small_chunks"))
        .is_some_and(Value::truthy)
}

fn parallel(client: &Client, options: &Map, settings: &UploadSettings) -> usize {
    if settings.parallel > 0 {
        return settings.parallel.min(16);
    }
    match options
        .get("parallel_chunks")
        .or_else(|| client.config().get("parallel_chunks"))
    {
        Some(Value::Int(n)) if *n > 0 => (*n as usize).min(16),
        Some(Value::Str(s)) => s.trim().parse::<usize>().unwrap_or(1).clamp(1, 16),
        _ => 1,
    }
}

/// The `resume_file` option: where a chunked upload keeps its resume token (the same
/// as [`UploadSettings::resume_file`], for callers that only pass options: C, PHP).
fn resume_file_option(options: &Map) -> Result<Option<PathBuf>, ApiError> {
    match options.get("resume_file") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(p)) if !p.is_empty() => Ok(Some(PathBuf::from(p))),
        Some(other) => Err(ApiError::from(crate::Error::invalid_option(
            "resume_file",
            format!("expected a file path, found {}", other.type_name()),
        ))),
    }
}

/// The request for an Upload API form, with `data` as the file part if given.
fn form_request(
    form: UploadRequest,
    file: Option<FilePayload>,
    options: &Map,
) -> Result<Request, ApiError> {
    Ok(Request {
        method: reqwest::Method::POST,
        headers: auth_headers(&form)?,
        url: form.url,
        body: Body::Multipart(Arc::new(MultipartBody {
            fields: form.fields,
            file,
            file_field: "file",
        })),
        timeout: call_timeout(options)?,
        max_response_bytes: call_max_response_bytes(options)?,
    })
}

impl Client {
    /// Uploads `source` with the upload `options` (`public_id`, `tags`, `folder`, ...
    /// as in the SDKs; also `resource_type`, `timeout`, `chunk_size`, `max_retries`).
    ///
    /// Files and streams larger than the chunk size go in chunks with retries;
    /// memory stays bounded by the chunk size for streams and by a few MiB for files.
    pub async fn upload(
        &self,
        source: Source,
        options: &Map,
        settings: &UploadSettings,
    ) -> Result<ApiResponse, ApiError> {
        let transport = transport(self)?;
        let policy = RetryPolicy::from_options(self, options)?;
        let null_file = Map::from_iter([("file", Value::Null)]);
        let filename_opt = options
            .get("filename")
            .filter(|v| v.truthy())
            .map(|v| v.py_str().into_owned());
        let mut settings = settings.clone();
        settings.parallel = parallel(self, options, &settings);
        if settings.resume_file.is_none() {
            settings.resume_file = resume_file_option(options)?;
        }
        match source {
            Source::Remote(url) => {
                let form = self.upload_form(&url, options)?;
                let req = form_request(form, None, options)?;
                transport.send(&req, &policy, None).await
            }
            Source::Path(path) => {
                let meta = tokio::fs::metadata(&path)
                    .await
                    .map_err(|e| ApiError::io(&format!("cannot read {}", path.display()), &e))?;
                if !meta.is_file() {
                    return Err(ApiError::new(
                        ApiErrorKind::Io,
                        format!("{} is not a file", path.display()),
                    ));
                }
                let total = meta.len();
                let filename = base_name(
                    &filename_opt
                        .clone()
                        .unwrap_or_else(|| path.to_string_lossy().into_owned()),
                );
                let progress = Progress::new(settings.progress.clone(), Some(total));
                let cs = chunk_size(self, options, &settings)?;
                if total > cs {
                    return chunked::upload_file(
                        self, &transport, &path, total, cs, filename, options, &settings, progress,
                    )
                    .await;
                }
                let form = self.upload_api_call("upload", &null_file, options)?;
                let file = FilePayload {
                    mime: guess_mime(&filename),
                    filename,
                    data: FileData::Range {
                        path: Arc::new(path),
                        start: 0,
                        len: total,
                    },
                };
                let req = form_request(form, Some(file), options)?;
                transport.send(&req, &policy, Some(&progress)).await
            }
            Source::Bytes { data, filename } => {
                let filename = base_name(&filename.or(filename_opt).unwrap_or_default());
                let cs = chunk_size(self, options, &settings)?;
                let progress = Progress::new(settings.progress.clone(), Some(data.len() as u64));
                if data.len() as u64 > cs {
                    let pull = Pull::Stream(Box::pin(futures_util::stream::empty()), data);
                    return chunked::upload_stream(
                        self,
                        &transport,
                        pull,
                        BytesMut::new(),
                        cs,
                        filename,
                        options,
                        &settings,
                        progress,
                    )
                    .await;
                }
                self.send_bytes(&transport, data, filename, options, &policy, &progress)
                    .await
            }
            Source::Reader { reader, filename } => {
                self.upload_pull(
                    &transport,
                    Pull::Reader(reader),
                    filename.or(filename_opt),
                    options,
                    &settings,
                    &policy,
                )
                .await
            }
            Source::Stream { stream, filename } => {
                self.upload_pull(
                    &transport,
                    Pull::Stream(stream, Bytes::new()),
                    filename.or(filename_opt),
                    options,
                    &settings,
                    &policy,
                )
                .await
            }
        }
    }

    async fn send_bytes(
        &self,
        transport: &super::transport::Transport,
        data: Bytes,
        filename: String,
        options: &Map,
        policy: &RetryPolicy,
        progress: &Progress,
    ) -> Result<ApiResponse, ApiError> {
        let form =
            self.upload_api_call("upload", &Map::from_iter([("file", Value::Null)]), options)?;
        let file = FilePayload {
            mime: guess_mime(&filename),
            filename,
            data: FileData::Bytes(data),
        };
        let req = form_request(form, Some(file), options)?;
        transport.send(&req, policy, Some(progress)).await
    }

    async fn upload_pull(
        &self,
        transport: &super::transport::Transport,
        mut pull: Pull,
        filename: Option<String>,
        options: &Map,
        settings: &UploadSettings,
        policy: &RetryPolicy,
    ) -> Result<ApiResponse, ApiError> {
        let filename = base_name(&filename.unwrap_or_default());
        let cs = chunk_size(self, options, settings)?;
        let mut buf = BytesMut::new();
        pull.fill(&mut buf, cs as usize + 1)
            .await
            .map_err(|e| ApiError::io("cannot read the stream", &e))?;
        if buf.len() as u64 <= cs {
            let progress = Progress::new(settings.progress.clone(), Some(buf.len() as u64));
            return self
                .send_bytes(
                    transport,
                    buf.freeze(),
                    filename,
                    options,
                    policy,
                    &progress,
                )
                .await;
        }
        let progress = Progress::new(settings.progress.clone(), None);
        chunked::upload_stream(
            self, transport, pull, buf, cs, filename, options, settings, progress,
        )
        .await
    }

    /// [`Client::upload`] for synchronous callers (C, PHP, Python without asyncio):
    /// runs on the client's own runtime, created on first use and again after a
    /// `fork()`. Must not be called from inside an async runtime.
    pub fn upload_blocking(
        &self,
        source: Source,
        options: &Map,
        settings: &UploadSettings,
    ) -> Result<ApiResponse, ApiError> {
        let t = transport(self)?;
        t.runtime.block_on(
            self.upload(source, options, settings),
            self.interrupt.as_ref(),
        )?
    }

    /// Sends any Upload API call by its SDK name with positional arguments by name
    /// (see [`Client::upload_api_call`]): `upload` and `unsigned_upload` of a local
    /// path go through [`Client::upload`] (streamed, chunked when large).
    pub async fn call_upload_api(
        &self,
        method: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        if method == "upload" || method == "unsigned_upload" {
            if let Some(Value::Str(file)) = args.get("file") {
                let mut opts = options.clone();
                if method == "unsigned_upload" {
                    opts.insert("upload_preset", args.get("upload_preset").cloned());
                    opts.insert("unsigned", true);
                }
                return self
                    .upload(
                        Source::from_str_arg(file),
                        &opts,
                        &UploadSettings::default(),
                    )
                    .await;
            }
        }
        let form = self.upload_api_call(method, args, options)?;
        self.send_upload_request(form, options).await
    }

    /// [`Client::call_upload_api`] for synchronous callers.
    pub fn call_upload_api_blocking(
        &self,
        method: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let t = transport(self)?;
        t.runtime.block_on(
            self.call_upload_api(method, args, options),
            self.interrupt.as_ref(),
        )?
    }

    /// Sends a form built by the `*_form` methods (its local file, if any, streamed
    /// from disk under its base name), with the retries and timeouts of `options`.
    pub async fn send_upload_request(
        &self,
        form: UploadRequest,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let transport = transport(self)?;
        let policy = RetryPolicy::from_options(self, options)?;
        let file = match &form.file {
            None => None,
            Some(part) => {
                let len = tokio::fs::metadata(&part.path)
                    .await
                    .map_err(|e| ApiError::io(&format!("cannot read {}", part.path), &e))?
                    .len();
                let filename = base_name(&part.filename);
                Some(FilePayload {
                    mime: guess_mime(&filename),
                    filename,
                    data: FileData::Range {
                        path: Arc::new(PathBuf::from(&part.path)),
                        start: 0,
                        len,
                    },
                })
            }
        };
        let req = form_request(form, file, options)?;
        transport.send(&req, &policy, None).await
    }
}
