//! Delivery: `GET /<cloud>/<resource_type>/<type>/[s--sig--/][<transformation>/][v<version>/]<public_id>[.<format>]`.
//!
//! The original is streamed from disk; image transformations are rendered with the
//! `image` crate and cached under `derived/`. Signed URLs are checked by rebuilding the
//! URL with the core (`Client::url` with `sign_url`).

use std::path::Path;
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

fn delivery_error(status: u16, message: &str) -> Response {
    let mut r = error_response(&ApiError::new(status, message));
    if let Ok(v) = HeaderValue::from_str(message) {
        r.headers_mut().insert("x-cld-error", v);
    }
    r
}

/// Handles a delivery GET/HEAD.
pub async fn handle(state: &Arc<State>, req: Request, segs: &[String]) -> Response {
    if segs.len() < 4 {
        return delivery_error(404, "Resource not found");
    }
    let (cloud, rt, ty) = (&segs[0], &segs[1], &segs[2]);
    let Some(account) = state.accounts.get(cloud.as_str()) else {
        return delivery_error(404, &format!("Unknown cloud {cloud}"));
    };
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
        return delivery_error(404, "Resource not found");
    }
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
    let blob = state.store.blob_path(&asset.blob);
    let head = req.method() == Method::HEAD;
    let untouched = plan.steps.is_empty()
        && plan.quality.is_none()
        && (format == asset.format || asset.resource_type != "image");
    if untouched {
        return stream_file(blob, render::mime(&format), asset.bytes, head).await;
    }
    let key = derived_key(&asset.blob, &transformation.join("/"), &format);
    let cached = state.store.derived_path(&key);
    if !cached.exists() {
        let tmp = state.store.temp_path();
        let (c2, f2) = (cached.clone(), format.clone());
        let result =
            tokio::task::spawn_blocking(move || render_into(&blob, &plan, &f2, &tmp, &c2)).await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => return delivery_error(400, &msg),
            Err(e) => return delivery_error(500, &e.to_string()),
        }
    }
    let len = std::fs::metadata(&cached).map(|m| m.len()).unwrap_or(0);
    stream_file(cached, render::mime(&format), len, head).await
}

/// Renders the file `blob` with `plan` as `format` into the cache file `cached`, by way
/// of the temporary file `tmp` (renamed into place, so a reader never sees a partial
/// rendering). Blocking: run it off the async threads.
pub fn render_into(
    blob: &Path,
    plan: &render::Plan,
    format: &str,
    tmp: &Path,
    cached: &Path,
) -> Result<(), String> {
    let input = std::fs::read(blob).map_err(|e| e.to_string())?;
    let out = render::render(&input, plan, format)?;
    std::fs::write(tmp, &out).map_err(|e| e.to_string())?;
    std::fs::rename(tmp, cached).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        e.to_string()
    })
}

async fn stream_file(path: std::path::PathBuf, mime: &str, len: u64, head: bool) -> Response {
    let body = if head {
        Body::empty()
    } else {
        match tokio::fs::File::open(&path).await {
            Ok(f) => Body::from_stream(tokio_util::io::ReaderStream::with_capacity(f, 256 * 1024)),
            Err(e) => return delivery_error(500, &e.to_string()),
        }
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
}
