//! How an upload is carried out and what it reads: [`UploadSettings`] (chunking,
//! progress, resuming) and the [`Source`] of the bytes.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt};

use super::progress::ProgressFn;
use super::resume::ResumeToken;
use crate::upload::is_remote_url;

/// A boxed byte stream.
pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

/// What to upload.
pub enum Source {
    /// A local file, streamed from disk (chunked above the chunk size).
    Path(PathBuf),
    /// Bytes in memory; `filename` defaults to the `filename` option, else `file`.
    Bytes {
        /// The content.
        data: Bytes,
        /// The part's file name.
        filename: Option<String>,
    },
    /// An async reader, read once chunk by chunk (memory: one chunk).
    Reader {
        /// The reader.
        reader: Box<dyn AsyncRead + Send + Unpin>,
        /// The part's file name.
        filename: Option<String>,
    },
    /// A stream of byte buffers, read once chunk by chunk.
    Stream {
        /// The stream.
        stream: ByteStream,
        /// The part's file name.
        filename: Option<String>,
    },
    /// A remote `http(s)`, `ftp`, `s3` or `gs` URL or a base64 data URI, sent as text
    /// for Cloudinary to fetch.
    Remote(String),
}

impl Source {
    /// A local path, or a remote URL / data URI when `file` is one (the SDKs' rule).
    pub fn from_str_arg(file: &str) -> Source {
        if is_remote_url(file) {
            Source::Remote(file.to_owned())
        } else {
            Source::Path(PathBuf::from(file))
        }
    }

    /// Bytes with an optional file name.
    pub fn bytes(data: impl Into<Bytes>, filename: Option<String>) -> Source {
        Source::Bytes {
            data: data.into(),
            filename,
        }
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Source::Bytes { data, filename } => f
                .debug_struct("Bytes")
                .field("len", &data.len())
                .field("filename", filename)
                .finish(),
            Source::Reader { filename, .. } => f
                .debug_struct("Reader")
                .field("filename", filename)
                .finish(),
            Source::Stream { filename, .. } => f
                .debug_struct("Stream")
                .field("filename", filename)
                .finish(),
            Source::Remote(u) => {
                let shown: String = u.chars().take(64).collect();
                f.debug_tuple("Remote").field(&shown).finish()
            }
        }
    }
}

/// Called with the resume token after every confirmed chunk.
pub type CheckpointFn = Arc<dyn Fn(&ResumeToken) + Send + Sync>;

/// How an upload is carried out (the wire parameters stay in the options map).
#[derive(Clone, Default)]
pub struct UploadSettings {
    /// Chunk size in bytes; else the `chunk_size` option or setting; default 20 MB,
    /// minimum 5 MiB. Larger files and streams are uploaded in chunks.
    pub chunk_size: Option<u64>,
    /// Chunks in flight at once for files (default 1: strictly sequential, as the
    /// SDKs); the `parallel_chunks` option or setting also sets it.
    pub parallel: usize,
    /// Called with `(bytes_done, total)` as bytes are sent.
    pub progress: Option<ProgressFn>,
    /// Continue the chunked upload this token describes.
    pub resume: Option<ResumeToken>,
    /// Called with the token after every confirmed chunk (persist it to resume).
    pub checkpoint: Option<CheckpointFn>,
    /// A file the token is written to after every confirmed chunk, read at start when
    /// it matches the file, and removed on success; else the `resume_file` option.
    pub resume_file: Option<PathBuf>,
}

impl fmt::Debug for UploadSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSettings")
            .field("chunk_size", &self.chunk_size)
            .field("parallel", &self.parallel)
            .field("progress", &self.progress.is_some())
            .field("resume", &self.resume)
            .field("resume_file", &self.resume_file)
            .finish()
    }
}

/// A reader or stream pulled into a buffer.
pub(crate) enum Pull {
    Reader(Box<dyn AsyncRead + Send + Unpin>),
    Stream(ByteStream, Bytes),
}

impl Pull {
    /// Reads until `buf` holds `want` bytes or the input ends.
    pub(crate) async fn fill(&mut self, buf: &mut BytesMut, want: usize) -> std::io::Result<()> {
        match self {
            Pull::Reader(r) => {
                while buf.len() < want {
                    let need = want - buf.len();
                    buf.reserve(need.min(1 << 20));
                    let n = r.read_buf(buf).await?;
                    if n == 0 {
                        break;
                    }
                }
            }
            Pull::Stream(s, left) => {
                while buf.len() < want {
                    if left.is_empty() {
                        match s.next().await {
                            Some(b) => *left = b?,
                            None => break,
                        }
                        continue;
                    }
                    let take = left.len().min(want - buf.len());
                    buf.extend_from_slice(&left.split_to(take));
                }
            }
        }
        Ok(())
    }
}
