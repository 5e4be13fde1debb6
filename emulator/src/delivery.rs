//! Delivery: `GET /<cloud>/<resource_type>/<type>/[s--sig--/][<transformation>/][v<version>/]<public_id>[.<format>]`.
//!
//! The original is streamed from disk; image transformations are rendered with the
//! `image` crate (sizes planned and capped first: see [`render`]) and cached under
//! `derived/`, a cache bounded in files and bytes that drops the least recently used
//! rendering first (see [`crate::store::DerivedLimits`]). Signed URLs are checked by
//! rebuilding the URL with the core (`Client::url` with `sign_url`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use md5::{Digest, Md5};

use crate::error::ApiError;
use crate::render;
use crate::server::{error_response, State};
use crate::store::Asset;

/// Transformation parameter keys of the URL API (to tell transformation segments from
/// folders of the public id).
const KEYS: &[&str] = &[
    "a", "ac", "af", "ar", "b", "bl", "bo", "br", "c", "co", "cs", "d", "dl", "dn", "dpr", "du",
    "e", "eo", "f", "fl", "fn", "fps", "g", "h", "if", "ki", "l", "o", "p", "pg", "q", "r", "so",
    "sp", "t", "u", "vc", "vs", "w", "x", "y", "z",
];

/// The cache key of a rendering of `blob` with `transformation` (segments joined by
/// `/`) as `format`: the name of its file under `derived/`. Eager transformations use
/// it too, so a URL they announce is served from what they rendered.
pub fn derived_key(blob: &str, transformation: &str, format: &str) -> String {
    let mut h = Md5::new();
    h.update(blob.as_bytes());
    h.update(b"/");
    h.update(transformation.as_bytes());
    h.update(b".");
    h.update(format.as_bytes());
    hex::encode(h.finalize())
}

/// Whether `key` (the part before the first `_` of a component) is a transformation
/// parameter of the URL API.
pub fn is_transformation_key(key: &str) -> bool {
    KEYS.contains(&key)
}

fn is_transformation(seg: &str) -> bool {
    !seg.is_empty()
        && seg.split(',').all(|c| {
            c.starts_with('$') || c.split_once('_').is_some_and(|(k, _)| KEYS.contains(&k))
        })
}

fn is_version(seg: &str) -> bool {
    seg.len() > 1 && seg.starts_with('v') && seg[1..].bytes().all(|b| b.is_ascii_digit())
}

/// An error answer with its message in `X-Cld-Error` too (characters a header cannot
/// carry become `?`).
fn delivery_error(status: u16, message: &str) -> Response {
    let mut r = error_response(&ApiError::new(status, message));
    let header: String = message
        .chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&header) {
        r.headers_mut().insert("x-cld-error", v);
    }
    r
}

/// The parts of a delivery path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryPath {
    /// Cloud name.
    pub cloud: String,
    /// `image`, `video` or `raw`.
    pub resource_type: String,
    /// `upload`, `private`, `authenticated`...
    pub delivery_type: String,
    /// The `s--…--` component, if any.
    pub signature: Option<String>,
    /// Transformation segments in order (empty when none).
    pub transformation: Vec<String>,
    /// The public id, with its extension if the URL has one.
    pub source: String,
}

/// Splits the percent-decoded segments of a delivery path
/// (`<cloud>/<resource_type>/<type>/[s--sig--/][<transformation>/…][v<version>/]<public_id>[.<ext>]`);
/// `None` when no public id is left (a 404).
pub fn parse_path(segs: &[String]) -> Option<DeliveryPath> {
    if segs.len() < 4 {
        return None;
    }
    let mut rest = &segs[3..];
    let mut signature = None;
    if let Some(first) = rest.first() {
        if first.starts_with("s--") && first.ends_with("--") && first.len() > 5 {
            signature = Some(first.clone());
            rest = &rest[1..];
        }
    }
    let mut transformation: Vec<String> = Vec::new();
    let mut idx = 0;
    while idx < rest.len() {
        let seg = &rest[idx];
        if is_version(seg) {
            idx += 1;
            break;
        }
        if idx + 1 < rest.len() && is_transformation(seg) {
            transformation.push(seg.clone());
            idx += 1;
            continue;
        }
        break;
    }
    let source = rest[idx.min(rest.len())..].join("/");
    if source.is_empty() {
        return None;
    }
    Some(DeliveryPath {
        cloud: segs[0].clone(),
        resource_type: segs[1].clone(),
        delivery_type: segs[2].clone(),
        signature,
        transformation,
        source,
    })
}

/// Handles a delivery GET/HEAD.
pub async fn handle(state: &Arc<State>, req: Request, segs: &[String]) -> Response {
    if segs.len() < 4 {
        return delivery_error(404, "Resource not found");
    }
    let cloud = &segs[0];
    let Some(account) = state.accounts.get(cloud.as_str()) else {
        return delivery_error(404, &format!("Unknown cloud {cloud}"));
    };
    let Some(DeliveryPath {
        resource_type: rt,
        delivery_type: ty,
        signature,
        transformation,
        source,
        ..
    }) = parse_path(segs)
    else {
        return delivery_error(404, "Resource not found");
    };
    let (rt, ty) = (&rt, &ty);
    // Find the asset: the whole path (raw ids keep extensions), else without extension.
    let lookup = |pid: &str| state.store.get(cloud, rt, ty, pid);
    let (asset, requested_ext): (Asset, Option<String>) = match lookup(&source) {
        Ok(Some(a)) => (a, None),
        Ok(None) => match source.rsplit_once('.') {
            Some((base, ext)) if !base.is_empty() => match lookup(base) {
                Ok(Some(a)) => (a, Some(ext.to_ascii_lowercase())),
                Ok(None) => return delivery_error(404, &format!("Resource not found - {source}")),
                Err(e) => return error_response(&e),
            },
            _ => return delivery_error(404, &format!("Resource not found - {source}")),
        },
        Err(e) => return error_response(&e),
    };
    let needs_signature = matches!(ty.as_str(), "private" | "authenticated");
    // An asset whose access mode is `authenticated` is not public either. The real
    // service wants a token (cookie or `__cld_token__`) there; the emulator, which has
    // no token keys, accepts a signed URL instead (see the README).
    let restricted = asset.access_mode == "authenticated";
    if needs_signature || restricted || signature.is_some() {
        let Some(sig) = &signature else {
            return delivery_error(
                401,
                if needs_signature {
                    "Signature required for this delivery type"
                } else {
                    "Access denied: the asset's access_mode is authenticated"
                },
            );
        };
        let mut o = cldkit::Map::new();
        o.insert("resource_type", rt.as_str());
        o.insert("type", ty.as_str());
        o.insert("sign_url", true);
        if sig.len() - 5 > 8 {
            o.insert("long_url_signature", true);
        }
        if !transformation.is_empty() {
            o.insert("raw_transformation", transformation.join("/"));
        }
        let expected = account.client().url(&source, &o).ok().and_then(|u| {
            u.split('/')
                .find(|s| s.starts_with("s--") && s.ends_with("--"))
                .map(str::to_owned)
        });
        let valid = expected
            .as_deref()
            .is_some_and(|e| cldkit::verify::signatures_equal(sig, e));
        if !valid {
            return delivery_error(401, "Invalid signature");
        }
    }
    if asset.resource_type == "video" {
        let head = req.method() == Method::HEAD;
        let ext = requested_ext.as_deref();
        if let Some(r) =
            crate::video::deliver_still(state, &asset, &transformation, ext, head).await
        {
            return r;
        }
    }
    let plan = match render::parse(&transformation) {
        Ok(p) => p,
        Err(msg) => return delivery_error(400, &msg),
    };
    let format = plan
        .format
        .clone()
        .filter(|f| f != "auto")
        .or(requested_ext)
        .unwrap_or_else(|| asset.format.clone());
    let head = req.method() == Method::HEAD;
    let untouched = plan.steps.is_empty()
        && plan.quality.is_none()
        && (format == asset.format || asset.resource_type != "image");
    if untouched {
        let blob = state.store.blob_path(&asset.blob);
        return stream_file(blob, render::mime(&format), asset.bytes, head).await;
    }
    let st = state.clone();
    let (blob_name, t, f) = (asset.blob.clone(), transformation.join("/"), format.clone());
    let result =
        tokio::task::spawn_blocking(move || open_rendering(&st, &blob_name, &t, &plan, &f)).await;
    match result {
        Ok(Ok(r)) => {
            let file = tokio::fs::File::from_std(r.file);
            respond(Some(file), render::mime(&format), r.len, head)
        }
        Ok(Err(e)) => delivery_error(e.status(), &e.to_string()),
        Err(e) => delivery_error(500, &e.to_string()),
    }
}

/// The most renderings made at once in the process (delivery and eager together). One
/// rendering at the [`render::MAX_PIXELS`] cap needs a few hundred megabytes, so the
/// memory of renderings in flight is bounded too; more requests wait their turn.
pub const MAX_CONCURRENT_RENDERS: usize = 2;

/// A counting semaphore for blocking threads: at most `limit` holders at once.
#[derive(Debug)]
pub struct RenderSlots {
    limit: usize,
    taken: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

/// A held slot of [`RenderSlots`], given back when dropped.
#[derive(Debug)]
pub struct RenderSlot<'a>(&'a RenderSlots);

impl RenderSlots {
    /// Slots for at most `limit` holders at once (at least 1).
    pub const fn new(limit: usize) -> RenderSlots {
        RenderSlots {
            limit: if limit == 0 { 1 } else { limit },
            taken: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Waits for a free slot (blocking: call it off the async threads).
    pub fn take(&self) -> RenderSlot<'_> {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        while *taken >= self.limit {
            taken = self.freed.wait(taken).unwrap_or_else(|p| p.into_inner());
        }
        *taken += 1;
        RenderSlot(self)
    }

    /// Slots held now.
    pub fn in_use(&self) -> usize {
        *self.taken.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for RenderSlot<'_> {
    fn drop(&mut self) {
        let mut taken = self.0.taken.lock().unwrap_or_else(|p| p.into_inner());
        *taken -= 1;
        self.0.freed.notify_one();
    }
}

/// The process's render slots ([`MAX_CONCURRENT_RENDERS`]).
pub static RENDERS: RenderSlots = RenderSlots::new(MAX_CONCURRENT_RENDERS);

/// A cached rendering, open.
#[derive(Debug)]
pub struct Rendering {
    /// The file, open for reading (it stays readable if the cache evicts it).
    pub file: std::fs::File,
    /// Its size in bytes.
    pub len: u64,
    /// Its path under `derived/`.
    pub path: PathBuf,
}

/// The rendering of the blob `blob` with `transformation` (segments joined by `/`,
/// parsed as `plan`) as `format`: from the derived cache (marked as just used), else
/// rendered, added to the cache (which may evict the least recently used renderings)
/// and opened. Blocking: run it off the async threads.
pub fn open_rendering(
    state: &State,
    blob: &str,
    transformation: &str,
    plan: &render::Plan,
    format: &str,
) -> Result<Rendering, render::RenderError> {
    let io = |e: std::io::Error| render::RenderError::Io(e.to_string());
    let key = derived_key(blob, transformation, format);
    let path = state.store.derived_path(&key);
    if let Ok(file) = std::fs::File::open(&path) {
        let len = file.metadata().map_err(io)?.len();
        state.store.derived_touch(&key, len);
        return Ok(Rendering { file, len, path });
    }
    let slot = RENDERS.take();
    // Another request may have rendered it while this one waited.
    if let Ok(file) = std::fs::File::open(&path) {
        drop(slot);
        let len = file.metadata().map_err(io)?.len();
        state.store.derived_touch(&key, len);
        return Ok(Rendering { file, len, path });
    }
    let tmp = state.store.temp_path();
    let rendered = render_into(&state.store.blob_path(blob), plan, format, &tmp, &path);
    drop(slot);
    rendered?;
    let file = std::fs::File::open(&path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    state.store.derived_insert(&key, len);
    Ok(Rendering { file, len, path })
}

/// Renders the file `blob` with `plan` as `format` into the cache file `cached`, by way
/// of the temporary file `tmp` (renamed into place, so a reader never sees a partial
/// rendering). Blocking: run it off the async threads. It does not account for the
/// file in the cache's bounds: [`open_rendering`] does.
pub fn render_into(
    blob: &Path,
    plan: &render::Plan,
    format: &str,
    tmp: &Path,
    cached: &Path,
) -> Result<(), render::RenderError> {
    let io = |e: std::io::Error| render::RenderError::Io(e.to_string());
    let input = std::fs::read(blob).map_err(io)?;
    let out = render::render(&input, plan, format)?;
    std::fs::write(tmp, &out).map_err(io)?;
    std::fs::rename(tmp, cached).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        io(e)
    })
}

async fn stream_file(path: PathBuf, mime: &str, len: u64, head: bool) -> Response {
    let file = if head {
        None
    } else {
        match tokio::fs::File::open(&path).await {
            Ok(f) => Some(f),
            Err(e) => return delivery_error(500, &e.to_string()),
        }
    };
    respond(file, mime, len, head)
}

/// A 200 with `file` as body (none for HEAD).
fn respond(file: Option<tokio::fs::File>, mime: &str, len: u64, head: bool) -> Response {
    let body = match file {
        Some(f) if !head => {
            Body::from_stream(tokio_util::io::ReaderStream::with_capacity(f, 256 * 1024))
        }
        _ => Body::empty(),
    };
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::OK;
    let h = r.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert("content-length", HeaderValue::from(len));
    h.insert(
        "cache-control",
        HeaderValue::from_static("public, max-age=2592000"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn segment_kinds() {
        assert!(is_transformation("w_100,c_fill"));
        assert!(!is_transformation("my_folder"));
        assert!(is_version("v123"));
        assert!(!is_version("v12a"));
    }

    #[test]
    fn render_slots_admit_at_most_their_limit() {
        use std::sync::atomic::{AtomicBool, Ordering};
        static SLOTS: RenderSlots = RenderSlots::new(2);
        static GOT: AtomicBool = AtomicBool::new(false);
        let first = SLOTS.take();
        let second = SLOTS.take();
        let third = std::thread::spawn(|| {
            let _slot = SLOTS.take();
            GOT.store(true, Ordering::SeqCst);
            assert!(SLOTS.in_use() <= 2);
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            !GOT.load(Ordering::SeqCst),
            "a third slot while two are held"
        );
        drop(first);
        third.join().unwrap();
        assert!(GOT.load(Ordering::SeqCst));
        drop(second);
        assert_eq!(SLOTS.in_use(), 0);
    }

    #[test]
    fn paths_split_into_their_parts() {
        let segs = |p: &str| crate::server::segments(p);
        let p = parse_path(&segs(
            "/demo/image/upload/s--abcdefgh--/w_10,c_fill/e_x/v12/a/b.png",
        ))
        .unwrap();
        assert_eq!(p.cloud, "demo");
        assert_eq!(p.resource_type, "image");
        assert_eq!(p.delivery_type, "upload");
        assert_eq!(p.signature.as_deref(), Some("s--abcdefgh--"));
        assert_eq!(p.transformation, ["w_10,c_fill", "e_x"]);
        assert_eq!(p.source, "a/b.png");
        // A folder that looks like a transformation right before the id stays a folder
        // only when it is the last segment; a trailing transformation is the id.
        let p = parse_path(&segs("/demo/image/upload/w_10")).unwrap();
        assert_eq!(p.source, "w_10");
        assert!(parse_path(&segs("/demo/image/upload")).is_none());
        assert!(parse_path(&segs("/demo/image/upload/v1")).is_none());
    }
}
