//! The platform side: items, their sources and change markers, and a directory scan.

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
/// one public id (`a.png`, `a.jpg`) or a non-UTF-8 name are errors. The items come
/// sorted by public id: [`walk_dir`]'s items, collected.
pub fn scan_dir(dir: &Path, folder: &str, skip: &[PathBuf]) -> Result<Vec<Item>, SyncError> {
    let mut items = walk_dir(dir, folder, skip).collect::<Result<Vec<_>, _>>()?;
    items.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    Ok(items)
}

/// The items of [`scan_dir`], made one at a time as the walk reaches each file, in
/// public-id order: memory holds the entries of the directories being walked, not
/// the items. The first error (an unreadable directory, two files with one public
/// id, a non-UTF-8 name, more than a million files) ends the walk.
pub fn walk_dir(dir: &Path, folder: &str, skip: &[PathBuf]) -> DirWalk {
    DirWalk {
        root: dir.to_path_buf(),
        folder: folder.trim_matches('/').to_owned(),
        skip: skip
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
            .collect(),
        stack: Vec::new(),
        started: false,
        done: false,
        count: 0,
    }
}

/// One directory entry met by the walk.
struct Entry {
    /// How it sorts: a file's name without its extension, a directory's name and `/`
    /// (then files and subtrees come in public-id order).
    key: String,
    path: PathBuf,
    is_dir: bool,
}

/// The lazy directory walk of [`walk_dir`] (an iterator of items).
pub struct DirWalk {
    root: PathBuf,
    folder: String,
    skip: Vec<PathBuf>,
    /// The entries left in each directory being walked, last first.
    stack: Vec<Vec<Entry>>,
    started: bool,
    done: bool,
    count: usize,
}

impl std::fmt::Debug for DirWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirWalk")
            .field("root", &self.root)
            .field("folder", &self.folder)
            .field("count", &self.count)
            .finish()
    }
}

fn io_err(p: &Path, e: std::io::Error) -> SyncError {
    SyncError::Inventory(format!("{}: {e}", p.display()))
}

/// The stem of a file name (what its public id keeps).
fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => name,
    }
}

impl DirWalk {
    /// The entries of `d`, sorted (last first), with two files of one stem refused.
    fn read(&self, d: &Path) -> Result<Vec<Entry>, SyncError> {
        let mut entries = Vec::new();
        for e in std::fs::read_dir(d).map_err(|e| io_err(d, e))? {
            let e = e.map_err(|x| io_err(d, x))?;
            let path = e.path();
            let ft = e.file_type().map_err(|x| io_err(&path, x))?;
            if !ft.is_dir() && (!ft.is_file() || self.skipped(&path)) {
                continue;
            }
            let name = e.file_name();
            let name = name.to_str().ok_or_else(|| {
                SyncError::Inventory(format!("{}: the name is not UTF-8", path.display()))
            })?;
            let key = if ft.is_dir() {
                format!("{name}/")
            } else {
                stem(name).to_owned()
            };
            entries.push(Entry {
                key,
                path,
                is_dir: ft.is_dir(),
            });
        }
        entries.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.path.cmp(&b.path)));
        for w in entries.windows(2) {
            if w[0].key == w[1].key {
                let pid = self.public_id(&w[1].path)?;
                return Err(SyncError::Inventory(format!(
                    "two files map to the public id {:?} (one is {:?})",
                    pid.1, pid.0
                )));
            }
        }
        entries.reverse();
        Ok(entries)
    }

    /// The platform id and public id of the file at `path`.
    fn public_id(&self, path: &Path) -> Result<(String, String), SyncError> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let parts = parts.ok_or_else(|| {
            SyncError::Inventory(format!("{}: the name is not UTF-8", path.display()))
        })?;
        let id = parts.join("/");
        let stem = match id.rsplit_once('.') {
            Some((s, ext)) if !ext.contains('/') && !s.ends_with('/') && !s.is_empty() => s,
            _ => id.as_str(),
        };
        let folder = &self.folder;
        let public_id = if folder.is_empty() {
            stem.to_owned()
        } else {
            format!("{folder}/{stem}")
        };
        Ok((id, public_id))
    }

    fn skipped(&self, path: &Path) -> bool {
        let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.skip.iter().any(|s| {
            canon
                .to_str()
                .zip(s.to_str())
                .is_some_and(|(c, s)| c.starts_with(s))
        })
    }

    fn item(&mut self, e: Entry) -> Result<Item, SyncError> {
        let path = e.path;
        if self.count >= MAX_SCAN_FILES {
            return Err(SyncError::Inventory(format!(
                "more than {MAX_SCAN_FILES} files under {}",
                self.root.display()
            )));
        }
        self.count += 1;
        let (id, public_id) = self.public_id(&path)?;
        let meta = std::fs::symlink_metadata(&path).map_err(|x| io_err(&path, x))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64);
        let hash = md5_file(&path).map_err(|x| io_err(&path, x))?;
        Ok(Item {
            id,
            public_id,
            source: ItemSource::Path(path),
            marker: Marker {
                hash: Some(hash),
                size: Some(meta.len()),
                mtime,
            },
        })
    }

    fn step(&mut self) -> Result<Option<Item>, SyncError> {
        if !self.started {
            self.started = true;
            let root = self.root.clone();
            let top = self.read(&root)?;
            self.stack.push(top);
        }
        while let Some(level) = self.stack.last_mut() {
            let Some(e) = level.pop() else {
                self.stack.pop();
                continue;
            };
            if e.is_dir {
                let sub = self.read(&e.path)?;
                self.stack.push(sub);
                continue;
            }
            return self.item(e).map(Some);
        }
        Ok(None)
    }
}

impl Iterator for DirWalk {
    type Item = Result<Item, SyncError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl std::iter::FusedIterator for DirWalk {}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str, files: &[&str]) -> PathBuf {
        let d = std::env::temp_dir().join(format!("cldkit-walk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for f in files {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, f.as_bytes()).unwrap();
        }
        d
    }

    /// The walk yields the files lazily in public-id order, names that sort
    /// differently as paths (`a.png` / `a-b` / `a/x` / `a0`) included.
    #[test]
    fn the_walk_yields_items_in_public_id_order() {
        let d = tree(
            "order",
            &[
                "a0.txt",
                "a/x.txt",
                "a-b.txt",
                "a.png",
                "b/c/d.txt",
                "a/.hidden",
                "b.c",
            ],
        );
        let pids: Vec<String> = walk_dir(&d, "/f/", &[])
            .map(|i| i.unwrap().public_id)
            .collect();
        let mut sorted = pids.clone();
        sorted.sort();
        assert_eq!(pids, sorted);
        assert_eq!(pids.len(), 7);
        assert!(pids.contains(&"f/a/.hidden".to_owned()), "{pids:?}");
        let scanned: Vec<String> = scan_dir(&d, "f", &[])
            .unwrap()
            .into_iter()
            .map(|i| i.public_id)
            .collect();
        assert_eq!(pids, scanned);
        let first = walk_dir(&d, "f", &[]).next().unwrap().unwrap();
        assert_eq!(
            (first.id.as_str(), first.public_id.as_str()),
            ("a.png", "f/a")
        );
        assert_eq!(first.marker.size, Some(5));
        assert_eq!(
            first.marker.hash.as_deref(),
            Some(hex::encode(Md5::digest(b"a.png")).as_str())
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Two files of one public id end the walk with an error; the skipped journal's
    /// side files (one stem) are left out, not refused.
    #[test]
    fn duplicates_are_refused_and_skipped_files_left_out() {
        let d = tree("dup", &["x/a.png", "x/a.jpg"]);
        let got: Vec<_> = walk_dir(&d, "f", &[]).collect();
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Err(SyncError::Inventory(m)) if m.contains("f/x/a")));
        let d = tree(
            "skip",
            &["j.sqlite", "j.sqlite-wal", "j.sqlite-shm", "k.txt"],
        );
        let got: Vec<String> = walk_dir(&d, "", &[d.join("j.sqlite")])
            .map(|i| i.unwrap().id)
            .collect();
        assert_eq!(got, ["k.txt"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
