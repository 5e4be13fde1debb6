//! `responsive_breakpoints` on `upload` and `explicit`: image widths chosen from the
//! real image so that consecutive derived images differ by about `bytes_step` bytes,
//! answered in Cloudinary's shape and rendered into the derived cache, so that their
//! URLs are served.
//!
//! The request is a JSON array (or one object) of settings, as every SDK sends it:
//! `create_derived` (default true), `transformation` (a base transformation applied
//! first, as URL text: `a_90`, `c_fill,ar_16:9/e_sepia`), `min_width` (default 50),
//! `max_width` (default 1000; the base image's width when smaller), `bytes_step`
//! (default 20000), `max_images` (default 20, at most 200) and `format` (the derived
//! images' extension).
//!
//! The algorithm (Cloudinary documents the parameters, not its search):
//!
//! 1. the file size at up to [`SAMPLES`] widths from `min_width` to `max_width` is
//!    measured by rendering the original as delivery would (base transformation, then
//!    `c_scale,w_<width>`, in the output format); the curve is made non-decreasing;
//! 2. the step is `bytes_step`, or `(bytes(max) - bytes(min)) / (max_images - 1)` when
//!    that is larger (so at most `max_images` are chosen);
//! 3. from `max_width` down, each next width is the one whose measured curve (linear
//!    between samples) gives the previous size minus the step; `min_width` ends the list
//!    when it is at least a step below the previous one, and the search stops when the
//!    rest is less than a step;
//! 4. every chosen width is delivered as `<transformation>/c_scale,w_<width>` and its
//!    real `width`, `height` and `bytes` are answered; with `create_derived` the
//!    derived image is rendered into the delivery cache first (the `bytes` are then
//!    those of the file served), without it the sizes are those of the analysis.
//!
//! The answer is `responsive_breakpoints: [{"breakpoints": [{"width", "height", "bytes",
//! "url", "secure_url"}, …] (widest first), "transformation"}]`, one entry per
//! settings object (`transformation` only when one was given).

use std::sync::Arc;

use serde_json::{json, Map as JsonMap, Value as Json};

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::render;
use crate::state::State;
use crate::store::Asset;

/// The most settings objects in one request.
pub const MAX_SETTINGS: usize = 5;
/// The most breakpoints one settings object may ask for (`max_images`).
pub const MAX_IMAGES: u32 = 200;
/// The widths measured to draw the bytes-by-width curve of one settings object.
pub const SAMPLES: u32 = 12;

const OUTPUT_FORMATS: &[&str] = &["jpg", "png", "webp", "gif"];

/// One settings object of `responsive_breakpoints`.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Keep the derived images (render them into the delivery cache).
    pub create_derived: bool,
    /// The base transformation, as URL text.
    pub transformation: Option<String>,
    /// The widest breakpoint asked for.
    pub max_width: u32,
    /// The narrowest breakpoint asked for.
    pub min_width: u32,
    /// The least size difference between consecutive breakpoints.
    pub bytes_step: u64,
    /// The most breakpoints.
    pub max_images: u32,
    /// The derived images' format (extension).
    pub format: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            create_derived: true,
            transformation: None,
            max_width: 1000,
            min_width: 50,
            bytes_step: 20_000,
            max_images: 20,
            format: None,
        }
    }
}

fn bad(message: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Invalid responsive_breakpoints: {message}"))
}

fn number(o: &JsonMap<String, Json>, key: &str) -> ApiResult<Option<u64>> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| bad(format!("{key} must be a positive integer"))),
        Some(Json::String(s)) if !s.trim().is_empty() => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| bad(format!("{key} must be a positive integer"))),
        Some(_) => Err(bad(format!("{key} must be a positive integer"))),
    }
}

/// Checks a base transformation's syntax: each component a URL parameter (`w_100`,
/// `$var_3`), no empty segment.
fn check_transformation(t: &str) -> ApiResult<()> {
    for seg in t.split('/') {
        if seg.is_empty() {
            return Err(bad(format!("empty segment in transformation {t:?}")));
        }
        for comp in seg.split(',') {
            let key = comp.split_once('_').map(|(k, _)| k);
            let ok =
                comp.starts_with('$') || key.is_some_and(crate::delivery::is_transformation_key);
            if !ok {
                return Err(bad(format!("invalid transformation component {comp:?}")));
            }
        }
    }
    Ok(())
}

/// Parses the `responsive_breakpoints` parameter (a JSON array of settings objects, or
/// one object); a 400 naming what is wrong.
pub fn parse(raw: &str) -> ApiResult<Vec<Settings>> {
    let value: Json = serde_json::from_str(raw).map_err(|e| bad(format!("not JSON ({e})")))?;
    let items = match value {
        Json::Array(a) => a,
        o @ Json::Object(_) => vec![o],
        _ => return Err(bad("expected an array of settings objects")),
    };
    if items.is_empty() {
        return Err(bad("no settings"));
    }
    if items.len() > MAX_SETTINGS {
        return Err(bad(format!("at most {MAX_SETTINGS} settings objects")));
    }
    let mut out = Vec::new();
    for item in items {
        let Json::Object(o) = item else {
            return Err(bad("each setting must be an object"));
        };
        let defaults = Settings::default();
        let create_derived = match o.get("create_derived") {
            None | Some(Json::Null) => true,
            Some(Json::Bool(b)) => *b,
            Some(Json::Number(n)) => n.as_f64() != Some(0.0),
            Some(Json::String(v)) => !matches!(v.as_str(), "false" | "0" | ""),
            Some(_) => return Err(bad("create_derived must be a boolean")),
        };
        let transformation = match o.get("transformation") {
            None | Some(Json::Null) => None,
            Some(Json::String(t)) if t.is_empty() => None,
            Some(Json::String(t)) => {
                check_transformation(t)?;
                Some(t.clone())
            }
            Some(_) => return Err(bad("transformation must be a string")),
        };
        let format = match o.get("format") {
            None | Some(Json::Null) => None,
            Some(Json::String(f)) if f.is_empty() => None,
            Some(Json::String(f))
                if f.len() <= 10 && f.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Some(f.to_ascii_lowercase())
            }
            Some(_) => return Err(bad("format must be a file extension")),
        };
        let width = |key: &str, default: u32| -> ApiResult<u32> {
            match number(&o, key)? {
                None => Ok(default),
                Some(0) => Err(bad(format!("{key} must be a positive integer"))),
                Some(n) => u32::try_from(n).map_err(|_| bad(format!("{key} is too large"))),
            }
        };
        let s = Settings {
            create_derived,
            transformation,
            max_width: width("max_width", defaults.max_width)?,
            min_width: width("min_width", defaults.min_width)?,
            max_images: width("max_images", defaults.max_images)?,
            bytes_step: match number(&o, "bytes_step")? {
                None => defaults.bytes_step,
                Some(0) => return Err(bad("bytes_step must be a positive integer")),
                Some(n) => n,
            },
            format,
        };
        if s.max_images > MAX_IMAGES {
            return Err(bad(format!("max_images must be at most {MAX_IMAGES}")));
        }
        if s.min_width > s.max_width {
            return Err(bad("min_width must not be larger than max_width"));
        }
        out.push(s);
    }
    Ok(out)
}

/// A measured (width, bytes) curve, non-decreasing in both.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve(Vec<(u32, u64)>);

impl Curve {
    /// A curve from measured points (sorted by width; sizes made non-decreasing).
    pub fn new(mut points: Vec<(u32, u64)>) -> Curve {
        points.sort_by_key(|p| p.0);
        points.dedup_by_key(|p| p.0);
        let mut top = 0;
        for p in &mut points {
            top = top.max(p.1);
            p.1 = top;
        }
        Curve(points)
    }

    /// The estimated size at `width` (linear between the measured points).
    pub fn bytes(&self, width: u32) -> u64 {
        let p = &self.0;
        match p.iter().position(|q| q.0 >= width) {
            None => p.last().map_or(0, |q| q.1),
            Some(0) => p[0].1,
            Some(i) => {
                let (a, b) = (p[i - 1], p[i]);
                let t = f64::from(width - a.0) / f64::from(b.0 - a.0);
                a.1 + ((b.1 - a.1) as f64 * t).round() as u64
            }
        }
    }

    /// The widest width whose estimated size is at most `target` (the narrowest
    /// measured width when even that is larger).
    pub fn width_for(&self, target: u64) -> u32 {
        let p = &self.0;
        match p.iter().position(|q| q.1 > target) {
            None => p.last().map_or(1, |q| q.0),
            Some(0) => p[0].0,
            Some(i) => {
                let (a, b) = (p[i - 1], p[i]);
                let t = (target - a.1) as f64 / (b.1 - a.1) as f64;
                a.0 + (f64::from(b.0 - a.0) * t).floor() as u32
            }
        }
    }
}

/// Chooses the breakpoint widths (widest first) between `min_w` and `max_w` on a
/// measured curve (steps 2 and 3 of the module documentation).
pub fn choose(curve: &Curve, min_w: u32, max_w: u32, bytes_step: u64, max_images: u32) -> Vec<u32> {
    let mut widths = vec![max_w];
    if max_images <= 1 || min_w >= max_w {
        return widths;
    }
    let (top, bottom) = (curve.bytes(max_w), curve.bytes(min_w));
    let spread = top.saturating_sub(bottom);
    let step = bytes_step
        .max(spread.div_ceil(u64::from(max_images - 1)))
        .max(1);
    let mut last = top;
    while (widths.len() as u32) < max_images {
        let last_w = *widths.last().unwrap_or(&max_w);
        if last.saturating_sub(bottom) < step {
            break;
        }
        let target = last - step;
        if target.saturating_sub(bottom) < step {
            if min_w < last_w {
                widths.push(min_w);
            }
            break;
        }
        let w = curve.width_for(target).min(last_w - 1);
        if w <= min_w {
            widths.push(min_w);
            break;
        }
        widths.push(w);
        last = curve.bytes(w);
    }
    widths
}

/// The renderer's name of an output format.
fn output_format(f: &str) -> &str {
    if f == "jpeg" {
        "jpg"
    } else {
        f
    }
}

fn render_error(e: render::RenderError) -> ApiError {
    if e.status() == 500 {
        ApiError::internal(e.to_string())
    } else {
        bad(e)
    }
}

fn segments(t: &str) -> Vec<String> {
    t.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Computes one settings object's answer entry for an image asset. Blocking.
pub fn compute(state: &State, account: &Account, asset: &Asset, s: &Settings) -> ApiResult<Json> {
    let io = |e: std::io::Error| ApiError::internal(format!("Cannot read the image: {e}"));
    let input = std::fs::read(state.store.blob_path(&asset.blob)).map_err(io)?;
    let (ow, oh) = render::dimensions(&input).map_err(render_error)?;
    let base = s
        .transformation
        .as_deref()
        .map(segments)
        .unwrap_or_default();
    // A base transformation the renderer does not support yet is left out of the
    // measurements (its URLs keep it).
    let base_plan = render::parse(&base).ok();
    let measured_base: Vec<String> = if base_plan.is_some() {
        base.clone()
    } else {
        Vec::new()
    };
    let plan_of = |extra: &str| -> ApiResult<render::Plan> {
        let mut segs = measured_base.clone();
        segs.push(extra.to_owned());
        render::parse(&segs).map_err(bad)
    };
    let (bw, _) = render::plan_sizes(ow, oh, &render::parse(&measured_base).map_err(bad)?)
        .map_err(render_error)?;
    let max_w = s.max_width.min(bw).max(1);
    let min_w = s.min_width.min(max_w).max(1);
    let url_format = s.format.clone().unwrap_or_else(|| asset.format.clone());
    let format = base_plan
        .as_ref()
        .and_then(|p| p.format.clone())
        .filter(|f| f != "auto")
        .unwrap_or_else(|| url_format.clone());
    let format = output_format(&format).to_owned();
    let renderable = OUTPUT_FORMATS.contains(&format.as_str());
    let measure_format = if renderable { format.as_str() } else { "jpg" };
    // 1. Sizes measured by rendering the original as delivery does (so the curve is
    //    that of the files served), each width once.
    let mut measured = std::collections::HashMap::new();
    let mut scaled = |w: u32| -> ApiResult<u64> {
        if let Some(b) = measured.get(&w) {
            return Ok(*b);
        }
        let bytes = render::render(&input, &plan_of(&format!("c_scale,w_{w}"))?, measure_format)
            .map_err(render_error)?
            .len() as u64;
        measured.insert(w, bytes);
        Ok(bytes)
    };
    let span = max_w - min_w;
    let samples = SAMPLES.min(span + 1).max(1);
    let mut points = Vec::new();
    for i in 0..samples {
        let w = if samples == 1 {
            max_w
        } else {
            min_w + ((u64::from(span) * u64::from(i)) / u64::from(samples - 1)) as u32
        };
        points.push((w, scaled(w)?));
    }
    let curve = Curve::new(points);
    let widths = choose(&curve, min_w, max_w, s.bytes_step, s.max_images);
    let mut out = Vec::new();
    for w in widths {
        let step = format!("c_scale,w_{w}");
        let transformation = match &s.transformation {
            Some(t) => format!("{t}/{step}"),
            None => step.clone(),
        };
        let plan = plan_of(&step)?;
        let (width, height) = render::plan_sizes(ow, oh, &plan).map_err(render_error)?;
        let bytes = if s.create_derived && renderable && base_plan.is_some() {
            let r = crate::delivery::open_rendering(
                state,
                &asset.blob,
                &transformation,
                &plan,
                &format,
            )
            .map_err(render_error)?;
            r.len
        } else {
            scaled(w)?
        };
        let mut extra = cldkit::Map::new();
        extra.insert("raw_transformation", transformation.as_str());
        extra.insert("format", url_format.as_str());
        out.push(json!({
            "width": width,
            "height": height,
            "bytes": bytes,
            "url": crate::resource::delivery_url_with(account, asset, false, &extra),
            "secure_url": crate::resource::delivery_url_with(account, asset, true, &extra),
        }));
    }
    let mut entry = JsonMap::new();
    entry.insert("breakpoints".into(), Json::Array(out));
    if let Some(t) = &s.transformation {
        entry.insert("transformation".into(), json!(t));
    }
    Ok(Json::Object(entry))
}

/// Handles `responsive_breakpoints` for a stored asset: the answer's array, or `None`
/// without the parameter or for an asset that is not an image.
pub async fn apply(
    state: &Arc<State>,
    account: &Account,
    asset: &Asset,
    params: &Params,
) -> ApiResult<Option<Json>> {
    let Some(raw) = params.nonempty("responsive_breakpoints") else {
        return Ok(None);
    };
    let settings = parse(&raw)?;
    if asset.resource_type != "image" {
        return Ok(None);
    }
    let (st, acc, a) = (state.clone(), account.clone(), asset.clone());
    tokio::task::spawn_blocking(move || {
        settings
            .iter()
            .map(|s| compute(&st, &acc, &a, s))
            .collect::<ApiResult<Vec<Json>>>()
    })
    .await
    .map_err(|e| ApiError::internal(format!("breakpoints failed: {e}")))?
    .map(|v| Some(Json::Array(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_defaults() {
        let v = parse(r#"[{"create_derived":false,"transformation":"a_90","max_images":"5"}]"#)
            .unwrap();
        assert!(!v[0].create_derived);
        assert_eq!(v[0].transformation.as_deref(), Some("a_90"));
        assert_eq!(v[0].max_images, 5);
        assert_eq!((v[0].min_width, v[0].max_width), (50, 1000));
        assert_eq!(v[0].bytes_step, 20_000);
        let v = parse(r#"{"format":"GIF"}"#).unwrap();
        assert!(v[0].create_derived);
        assert_eq!(v[0].format.as_deref(), Some("gif"));
        for bad in [
            "nope",
            "3",
            "[]",
            "[1]",
            r#"[{"max_width":0}]"#,
            r#"[{"max_width":-5}]"#,
            r#"[{"min_width":500,"max_width":100}]"#,
            r#"[{"max_images":201}]"#,
            r#"[{"bytes_step":"x"}]"#,
            r#"[{"transformation":"zz_9"}]"#,
            r#"[{"transformation":"a_90//w_3"}]"#,
            r#"[{"format":"../x"}]"#,
            r#"[{},{},{},{},{},{}]"#,
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.status.as_u16(), 400, "{bad}");
        }
    }

    #[test]
    fn curves_interpolate_and_invert() {
        let c = Curve::new(vec![(100, 1000), (50, 400), (200, 900)]);
        // Made non-decreasing: 50→400, 100→1000, 200→1000.
        assert_eq!(c.bytes(50), 400);
        assert_eq!(c.bytes(75), 700);
        assert_eq!(c.bytes(150), 1000);
        assert_eq!(c.width_for(700), 75);
        assert_eq!(c.width_for(100), 50);
        assert_eq!(c.width_for(5000), 200);
    }

    #[test]
    fn chosen_widths_are_a_step_apart_and_bounded() {
        // Bytes grow with the area: 10 * w^2 / 100.
        let points: Vec<(u32, u64)> = (0..12)
            .map(|i| {
                let w = 50 + i * 86;
                (w, u64::from(w) * u64::from(w) / 10)
            })
            .collect();
        let c = Curve::new(points);
        let w = choose(&c, 50, 996, 20_000, 20);
        assert_eq!(w[0], 996);
        assert_eq!(*w.last().unwrap(), 50);
        assert!(w.windows(2).all(|p| p[0] > p[1]), "{w:?}");
        for p in w.windows(2) {
            let gap = c.bytes(p[0]) - c.bytes(p[1]);
            assert!(gap + 200 >= 20_000, "{p:?}: {gap}");
        }
        // max_images caps the count by widening the step.
        let few = choose(&c, 50, 996, 1, 4);
        assert!(few.len() <= 4, "{few:?}");
        assert_eq!(few[0], 996);
        // A step larger than the whole spread keeps the widest only.
        assert_eq!(choose(&c, 50, 996, 10_000_000, 20), vec![996]);
        assert_eq!(choose(&c, 50, 996, 1, 1), vec![996]);
        assert_eq!(choose(&c, 300, 300, 1, 20), vec![300]);
    }
}
