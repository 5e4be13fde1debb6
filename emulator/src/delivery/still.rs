//! Videos delivered as images (`.jpg`, `f_png`, …): the first key frame or a
//! placeholder ([`crate::video::still_png`]) through the image renderer, cached like
//! the other renderings.

use std::fs::File;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use super::{delivery_error, derived_key, RENDERS};
use crate::render;
use crate::state::State;
use crate::store::Asset;
use crate::video::{image_transformation, requested_image_format, still_png};

/// Renders (or takes from the derived cache) the image of the video `asset` with the
/// transformation `segments` as `format`. Blocking.
fn render_still(
    state: &State,
    asset: &Asset,
    segments: &[String],
    format: &str,
) -> Result<(std::fs::File, u64), render::RenderError> {
    let io = |e: std::io::Error| render::RenderError::Io(e.to_string());
    let plan = render::parse(segments).map_err(render::RenderError::Decode)?;
    let key = derived_key(
        &asset.blob,
        &format!("still/{}", segments.join("/")),
        format,
    );
    let path = state.store.derived_path(&key);
    if let Ok(file) = File::open(&path) {
        let len = file.metadata().map_err(io)?.len();
        state.store.derived_touch(&key, len);
        return Ok((file, len));
    }
    let slot = RENDERS.take();
    let png = still_png(&state.store.blob_path(&asset.blob), asset)?;
    let out = render::render(&png, &plan, format)?;
    drop(slot);
    let tmp = state.store.temp_path();
    std::fs::write(&tmp, &out).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })?;
    let file = File::open(&path).map_err(io)?;
    let len = out.len() as u64;
    state.store.derived_insert(&key, len);
    Ok((file, len))
}

/// Delivers a video as an image when the URL asks for an image format (`.jpg`, `f_png`,
/// …): its first key frame or the [`crate::video::placeholder`], through the image renderer (the
/// video-only parameters dropped). `None` when the URL asks for no image format.
pub async fn deliver_still(
    state: &Arc<State>,
    asset: &Asset,
    segments: &[String],
    extension: Option<&str>,
    head: bool,
) -> Option<Response> {
    let format = requested_image_format(segments, extension)?;
    let segments = image_transformation(segments);
    if let Err(msg) = render::parse(&segments) {
        return Some(delivery_error(400, &msg));
    }
    let (st, a, f) = (state.clone(), asset.clone(), format.clone());
    let done = tokio::task::spawn_blocking(move || render_still(&st, &a, &segments, &f)).await;
    Some(match done {
        Ok(Ok((file, len))) => {
            let body = if head {
                Body::empty()
            } else {
                Body::from_stream(tokio_util::io::ReaderStream::new(
                    tokio::fs::File::from_std(file),
                ))
            };
            let mut r = Response::new(body);
            *r.status_mut() = StatusCode::OK;
            let h = r.headers_mut();
            h.insert(
                "content-type",
                HeaderValue::from_static(render::mime(&format)),
            );
            h.insert("content-length", HeaderValue::from(len));
            h.insert(
                "cache-control",
                HeaderValue::from_static("public, max-age=2592000"),
            );
            r
        }
        Ok(Err(e)) => delivery_error(e.status(), &e.to_string()),
        Err(e) => delivery_error(500, &e.to_string()),
    })
}
