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

use crate::error::error_response;
use crate::error::ApiError;
use crate::render;
use crate::state::State;
use crate::store::Asset;

mod still;

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
pub(crate) fn delivery_error(status: u16, message: &str) -> Response {
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
    // Find the asset: the whole path (raw ids keep extensions), else without extension;
    // when it is missing, the `d_` default image of the transformation.
    let found = match find_asset(state, cloud, rt, ty, &source) {
        Ok(Some(found)) => Some(found),
        Ok(None) => match default_image(&transformation) {
            Some(d) => match find_asset(state, cloud, rt, "upload", &d) {
                Ok(found) => found.map(|(a, ext)| (a, ext.or_else(|| requested_ext_of(&source)))),
                Err(e) => return error_response(&e),
            },
            None => None,
        },
        Err(e) => return error_response(&e),
    };
    let Some((asset, requested_ext)) = found else {
        return delivery_error(404, &format!("Resource not found - {source}"));
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
        if let Some(r) = still::deliver_still(state, &asset, &transformation, ext, head).await {
            return r;
        }
    }
    let head = req.method() == Method::HEAD;
    // Named transformations (created with the Admin API) are expanded before parsing.
    let mut lookup_named = |name: &str| named_transformation(state, cloud, name);
    let expanded = match render::expand_named(&transformation, &mut lookup_named) {
        Ok(t) => t,
        Err(msg) => return delivery_error(400, &msg),
    };
    let plan = match render::parse(&expanded) {
        Ok(p) => p,
        Err(msg) => return delivery_error(400, &msg),
    };
    let mut approximate = plan.approximate.clone();
    let negotiated = plan.format.as_deref() == Some("auto");
    let format = match plan.format.as_deref() {
        Some("auto") => negotiate(req.headers(), &asset.format),
        Some(f) => f.to_owned(),
        None => requested_ext.unwrap_or_else(|| asset.format.clone()),
    };
    let mut extra = Headers {
        approximate: Vec::new(),
        attachment: plan.attachment.as_ref().map(|name| {
            let base = if name.is_empty() {
                asset.public_id.rsplit('/').next().unwrap_or("file")
            } else {
                name.as_str()
            };
            format!("{base}.{format}")
        }),
        vary_accept: negotiated,
    };
    let untouched = plan.steps.is_empty()
        && plan.quality.is_none()
        && (render::normalize_format(&format) == render::normalize_format(&asset.format)
            || asset.resource_type != "image");
    if untouched {
        if asset.resource_type != "image" && !transformation.is_empty() {
            approximate.push(transformation.join("/"));
        }
        extra.approximate = approximate;
        let blob = state.store.blob_path(&asset.blob);
        let r = stream_file(blob, render::mime(&format), asset.bytes, head).await;
        return extra.apply(r);
    }
    let Some((encoded, stand_in)) = render::output_format(&format) else {
        let e = render::RenderError::UnsupportedFormat(format);
        return delivery_error(e.status(), &e.to_string());
    };
    if stand_in {
        approximate.push(format!("f_{format}"));
    }
    extra.approximate = approximate;
    // Image layers come from the store; their blobs join the cache key, so a replaced
    // layer asset is rendered anew.
    let mut ctx = render::Context {
        tags: asset.tags.clone(),
        ..render::Context::default()
    };
    let mut key_text = expanded.join("/");
    let mut budget = MAX_LAYER_BYTES;
    for source in plan.layer_sources() {
        if source.key().is_some_and(|k| ctx.layers.contains_key(&k)) {
            continue;
        }
        match load_layer(state, cloud, source, &mut budget).await {
            Ok(Some((key, blob, layer))) => {
                key_text.push_str(&format!("|{blob}"));
                ctx.layers.insert(key, layer);
            }
            Ok(None) => {}
            Err(e) => return delivery_error(e.status(), &e.to_string()),
        }
    }
    if plan.steps.iter().any(|s| s.condition.is_some()) {
        key_text.push_str(&format!("|tags:{}", asset.tags.join(",")));
    }
    let st = state.clone();
    let job = Job {
        blob: asset.blob.clone(),
        key_text,
        transformation: transformation.join("/"),
        format: encoded.clone(),
    };
    let result =
        tokio::task::spawn_blocking(move || open_rendering_in(&st, &job, &plan, &ctx)).await;
    match result {
        Ok(Ok(r)) => {
            let file = tokio::fs::File::from_std(r.file);
            extra.apply(respond(Some(file), render::mime(&encoded), r.len, head))
        }
        Ok(Err(e)) => delivery_error(e.status(), &e.to_string()),
        Err(e) => delivery_error(500, &e.to_string()),
    }
}

/// The transformation string of the named transformation `name` of `cloud`, as the
/// Admin API's `transformations` endpoint stored it (`t_<name>` in the extras).
fn named_transformation(state: &State, cloud: &str, name: &str) -> Option<String> {
    let doc = state
        .extras
        .get(cloud, "transformation", &format!("t_{name}"))
        .ok()??;
    doc["transformation"].as_str().map(str::to_owned)
}

/// The asset `source` names: the whole path (raw ids keep extensions), else the path
/// without its extension (given back, lower-cased).
fn find_asset(
    state: &State,
    cloud: &str,
    rt: &str,
    ty: &str,
    source: &str,
) -> Result<Option<(Asset, Option<String>)>, ApiError> {
    if let Some(a) = state.store.get(cloud, rt, ty, source)? {
        return Ok(Some((a, None)));
    }
    match source.rsplit_once('.') {
        Some((base, ext)) if !base.is_empty() => Ok(state
            .store
            .get(cloud, rt, ty, base)?
            .map(|a| (a, Some(ext.to_ascii_lowercase())))),
        _ => Ok(None),
    }
}

fn requested_ext_of(source: &str) -> Option<String> {
    source
        .rsplit_once('.')
        .filter(|(base, ext)| !base.is_empty() && !ext.contains('/'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

/// The public id of the `d_` default image of a transformation (`:` separates
/// folders, as in layers).
fn default_image(transformation: &[String]) -> Option<String> {
    transformation
        .iter()
        .flat_map(|seg| seg.split(','))
        .filter_map(|c| c.strip_prefix("d_"))
        .find(|d| !d.is_empty())
        .map(|d| d.replace(':', "/"))
}

/// `f_auto`: WebP when the `Accept` header takes it, else the original's format (JPEG
/// when that is not one the emulator encodes).
fn negotiate(headers: &axum::http::HeaderMap, original: &str) -> String {
    let accept = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if accept.contains("image/webp") {
        return "webp".into();
    }
    match render::output_format(original) {
        Some((f, false)) => f,
        _ => "jpg".into(),
    }
}

/// The most bytes of layer images one delivery reads (all its distinct image layers
/// together).
pub const MAX_LAYER_BYTES: u64 = 128 << 20;

/// Reads an image layer's asset from the store: its key in the render context, its
/// blob name and its bytes, taken from `budget` (an asset larger than what is left is
/// a 400, refused before it is read). `Ok(None)` for layers that are not stored
/// images.
async fn load_layer(
    state: &State,
    cloud: &str,
    source: &render::LayerSource,
    budget: &mut u64,
) -> Result<Option<(String, String, render::LayerImage)>, render::RenderError> {
    let render::LayerSource::Image {
        delivery_type,
        public_id,
    } = source
    else {
        return Ok(None);
    };
    let io = |e: ApiError| render::RenderError::Io(e.message);
    let (asset, _) = find_asset(state, cloud, "image", delivery_type, public_id)
        .map_err(io)?
        .ok_or_else(|| render::RenderError::LayerNotFound(public_id.clone()))?;
    *budget = budget.checked_sub(asset.bytes).ok_or_else(|| {
        render::RenderError::Invalid(format!(
            "the layers' images are larger than {MAX_LAYER_BYTES} bytes together"
        ))
    })?;
    let bytes = tokio::fs::read(state.store.blob_path(&asset.blob))
        .await
        .map_err(|e| render::RenderError::Io(e.to_string()))?;
    let layer = render::LayerImage::new(bytes)?;
    Ok(source.key().map(|k| (k, asset.blob, layer)))
}

/// The headers a delivery adds to a 200: what the emulator approximated, the
/// attachment's file name, `Vary: Accept` for negotiated formats.
struct Headers {
    approximate: Vec<String>,
    attachment: Option<String>,
    vary_accept: bool,
}

/// The longest `X-Cld-Emulator-Approximate` value (longer lists are cut with `…`).
const MAX_APPROXIMATE_HEADER: usize = 1024;

impl Headers {
    fn apply(self, mut r: Response) -> Response {
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c == ' ' || c.is_ascii_graphic() {
                        c
                    } else {
                        '?'
                    }
                })
                .collect()
        };
        let h = r.headers_mut();
        if !self.approximate.is_empty() {
            let mut v = clean(&self.approximate.join(", "));
            if v.len() > MAX_APPROXIMATE_HEADER {
                v.truncate(MAX_APPROXIMATE_HEADER);
                v.push_str("...");
            }
            if let Ok(v) = HeaderValue::from_str(&v) {
                h.insert("x-cld-emulator-approximate", v);
            }
        }
        if let Some(name) = self.attachment {
            let name = clean(&name).replace(['"', '\\'], "_");
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert("content-disposition", v);
            }
        }
        if self.vary_accept {
            h.insert("vary", HeaderValue::from_static("Accept"));
        }
        r
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

/// A rendering to find in the derived cache or make.
#[derive(Clone, Debug)]
pub struct Job {
    /// The original's blob.
    pub blob: String,
    /// The text the cache key is made of: the transformation (named ones expanded),
    /// with the blobs of its layers.
    pub key_text: String,
    /// The transformation as the URL wrote it (the `derived` listing shows it).
    pub transformation: String,
    /// The encoded format.
    pub format: String,
}

/// The rendering of the blob `blob` with `transformation` (segments joined by `/`,
/// parsed as `plan`, no image layers) as `format`: see [`open_rendering_in`].
pub fn open_rendering(
    state: &State,
    blob: &str,
    transformation: &str,
    plan: &render::Plan,
    format: &str,
) -> Result<Rendering, render::RenderError> {
    let job = Job {
        blob: blob.to_owned(),
        key_text: transformation.to_owned(),
        transformation: transformation.to_owned(),
        format: format.to_owned(),
    };
    open_rendering_in(state, &job, plan, &render::Context::default())
}

/// The rendering `job` (parsed as `plan`, with the layers of `ctx`): from the derived
/// cache (marked as just used), else rendered, added to the cache (which may evict
/// the least recently used renderings), recorded for the asset's `derived` listing
/// and opened. Blocking: run it off the async threads.
pub fn open_rendering_in(
    state: &State,
    job: &Job,
    plan: &render::Plan,
    ctx: &render::Context,
) -> Result<Rendering, render::RenderError> {
    let io = |e: std::io::Error| render::RenderError::Io(e.to_string());
    let key = derived_key(&job.blob, &job.key_text, &job.format);
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
    let blob = state.store.blob_path(&job.blob);
    let rendered = render_into(&blob, plan, &job.format, ctx, &tmp, &path);
    drop(slot);
    rendered?;
    let file = std::fs::File::open(&path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    state.store.derived_insert(&key, len);
    state
        .store
        .record_derived(&job.blob, &job.transformation, &job.format, &key, len)
        .map_err(|e| render::RenderError::Io(e.message))?;
    Ok(Rendering { file, len, path })
}

/// Renders the file `blob` with `plan` (and the layers of `ctx`) as `format` into the
/// cache file `cached`, by way of the temporary file `tmp` (renamed into place, so a
/// reader never sees a partial rendering). Blocking: run it off the async threads. It
/// does not account for the file in the cache's bounds: [`open_rendering_in`] does.
pub fn render_into(
    blob: &Path,
    plan: &render::Plan,
    format: &str,
    ctx: &render::Context,
    tmp: &Path,
    cached: &Path,
) -> Result<(), render::RenderError> {
    let io = |e: std::io::Error| render::RenderError::Io(e.to_string());
    let input = std::fs::read(blob).map_err(io)?;
    let out = render::render_in(&input, plan, format, ctx)?;
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
        let segs = |p: &str| crate::state::segments(p);
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
