//! The platform side: items, their sources and change markers, and a directory scan.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use super::SyncError;

/// Where an item's content comes from.
#[derive(Clone)]
pub enum ItemSource {
    /// A local file.
    Path(PathBuf),
    /// A remote URL Cloudinary fetches.
    Url(String),
    /// Bytes in memory.
    Bytes(bytes::Bytes),
}

impl std::fmt::Debug for ItemSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemSource::Path(p) => f.debug_tuple("Path").field(p).finish(),
            // URLs may carry credentials in their query: only the length is shown.
            ItemSource::Url(u) => write!(f, "Url(<{} chars>)", u.len()),
            ItemSource::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
        }
    }
}

/// How the platform tells that an item changed. The content hash (hex MD5, what
/// Cloudinary's `etag` carries) is compared with the remote etag; without it, the
/// whole marker is compared with the journal's record of the last upload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marker {
    /// Hex MD5 of the content.
    pub hash: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Modification time (Unix seconds).
    pub mtime: Option<i64>,
}

impl Marker {
    /// The marker as one comparable string (what the journal stores).
    pub fn key(&self) -> String {
        let opt = |v: Option<String>| v.unwrap_or_default();
        format!(
            "md5={};size={};mtime={}",
            opt(self.hash.clone()),
            opt(self.size.map(|s| s.to_string())),
            opt(self.mtime.map(|s| s.to_string()))
        )
    }
}

/// One platform asset.
#[derive(Clone, Debug)]
pub struct Item {
    /// The platform's id (stored in the asset's context under
    /// [`super::PLATFORM_ID_KEY`]).
    pub id: String,
    /// The Cloudinary public id (folder included).
    pub public_id: String,
    /// The content.
    pub source: ItemSource,
    /// The change marker.
    pub marker: Marker,
}

/// The most files a directory scan accepts (bounded memory on a runaway tree).
pub const MAX_SCAN_FILES: usize = 1_000_000;

/// Scans `dir` recursively: every regular file becomes an item whose platform id is
/// its relative path (`/`-separated) and whose public id is `folder/` + that path
/// without the file's extension. Symbolic links are not followed; paths in `skip`
/// (e.g. the journal) and their SQLite side files are left out. Two files mapping to
/// one public id (`a.png`, `a.jpg`) or a non-UTF-8 name are errors.
pub fn scan_dir(dir: &Path, folder: &str, skip: &[PathBuf]) -> Result<Vec<Item>, SyncError> {
    let folder = folder.trim_matches('/');
    let skip: Vec<PathBuf> = skip
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    let err = |p: &Path, e: std::io::Error| SyncError::Inventory(format!("{}: {e}", p.display()));
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .map_err(|e| err(&d, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| err(&d, e))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let ft = e.file_type().map_err(|x| err(&path, x))?;
            if ft.is_dir() {
                stack.push(path);
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
            if skip.iter().any(|s| {
                canon
                    .to_str()
                    .zip(s.to_str())
                    .is_some_and(|(c, s)| c.starts_with(s))
            }) {
                continue;
            }
            if items.len() >= MAX_SCAN_FILES {
                return Err(SyncError::Inventory(format!(
                    "more than {MAX_SCAN_FILES} files under {}",
                    dir.display()
                )));
            }
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            let parts = parts.ok_or_else(|| {
                SyncError::Inventory(format!("{}: the name is not UTF-8", path.display()))
            })?;
            let id = parts.join("/");
            let stem = match id.rsplit_once('.') {
                Some((s, ext)) if !ext.contains('/') && !s.ends_with('/') && !s.is_empty() => s,
                _ => id.as_str(),
            };
            let public_id = if folder.is_empty() {
                stem.to_owned()
            } else {
                format!("{folder}/{stem}")
            };
            if !seen.insert(public_id.clone()) {
                return Err(SyncError::Inventory(format!(
                    "two files map to the public id {public_id:?} (one is {id:?})"
                )));
            }
            let meta = e.metadata().map_err(|x| err(&path, x))?;
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64);
            let hash = md5_file(&path).map_err(|x| err(&path, x))?;
            items.push(Item {
                id,
                public_id,
                source: ItemSource::Path(path),
                marker: Marker {
                    hash: Some(hash),
                    size: Some(meta.len()),
                    mtime,
                },
            });
        }
    }
    items.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    Ok(items)
}

/// Hex MD5 of a file, read in 64 KiB blocks.
pub(super) fn md5_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}
