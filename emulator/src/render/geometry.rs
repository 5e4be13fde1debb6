//! Crop modes and gravity: the operations that bring an image of one size to the
//! size a component asks for, computed from sizes alone.
//!
//! | mode | result |
//! |---|---|
//! | `scale` | exactly `w` x `h` (one of them: the other in ratio) |
//! | `fit` / `limit` / `mfit` | inside the box, ratio kept; `limit` only shrinks, `mfit` only grows |
//! | `fill`, `thumb`, `auto`, `fill_pad`, `imagga_*` | scaled to cover the box, then cut to it at the gravity (`z_` zooms in) |
//! | `lfill` | as `fill` but never enlarged: at most the box, at most the image |
//! | `pad`, `auto_pad` / `lpad` / `mpad` | inside the box, then padded to it; `lpad` never enlarges, `mpad` only enlarges |
//! | `crop` | a region of the box's size at the gravity and `x`/`y`, no scaling (`z_` scales the region) |

use super::plan::{Fill, Op};

/// The geometry of one component, resolved to pixels.
#[derive(Clone, Debug)]
pub(crate) struct Geometry<'a> {
    pub w: Option<u32>,
    pub h: Option<u32>,
    pub crop: &'a str,
    pub gravity: &'a str,
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
    pub fill: Fill,
}

/// `x` as pixels: rounded, at least 1, saturating at `u32::MAX` (NaN gives 1).
pub(crate) fn px(x: f64) -> u32 {
    (x.round() as u32).max(1)
}

fn scaled(w: u32, h: u32, f: f64) -> (u32, u32) {
    (px(f64::from(w) * f), px(f64::from(h) * f))
}

/// Where an `inner` box goes inside (or around) an `outer` one for a gravity, moved
/// by `x`/`y` away from the gravity's edges (for `xy_center`, centred on `x`,`y`).
/// Gravities that are not compass points (`auto`, `face`, objects) act as `center`.
pub(crate) fn place(
    gravity: &str,
    outer: (u32, u32),
    inner: (u32, u32),
    x: f64,
    y: f64,
) -> (i64, i64) {
    let (ow, oh) = (f64::from(outer.0), f64::from(outer.1));
    let (iw, ih) = (f64::from(inner.0), f64::from(inner.1));
    if gravity == "xy_center" {
        return (clamp_offset(x - iw / 2.0), clamp_offset(y - ih / 2.0));
    }
    let compass = super::parse::COMPASS.contains(&gravity);
    let px = if compass && gravity.contains("west") {
        x
    } else if compass && gravity.contains("east") {
        ow - iw - x
    } else {
        ((ow - iw) / 2.0).floor() + x
    };
    let py = if compass && gravity.starts_with("north") {
        y
    } else if compass && gravity.starts_with("south") {
        oh - ih - y
    } else {
        ((oh - ih) / 2.0).floor() + y
    };
    (clamp_offset(px), clamp_offset(py))
}

/// Positions beyond ±2^40 pixels make no image within the limits; clamping them keeps
/// the placement arithmetic far from overflow.
fn clamp_offset(v: f64) -> i64 {
    const FAR: f64 = (1u64 << 40) as f64;
    v.round().clamp(-FAR, FAR) as i64
}

/// [`place`] kept inside `outer` (for cutting a region out of an image).
fn place_inside(g: &Geometry<'_>, outer: (u32, u32), inner: (u32, u32)) -> (u32, u32) {
    let (x, y) = place(g.gravity, outer, inner, g.x, g.y);
    let clamp = |v: i64, room: u32| v.clamp(0, i64::from(room)) as u32;
    (
        clamp(x, outer.0.saturating_sub(inner.0)),
        clamp(y, outer.1.saturating_sub(inner.1)),
    )
}

/// The size of an image of `iw` x `ih` in a component with only `ar_` (no width or
/// height): the largest box of that ratio inside the image for the cutting modes,
/// the smallest around it for the padding modes, the width kept for `scale`.
pub(crate) fn aspect_only(iw: u32, ih: u32, ar: f64, crop: &str) -> (Option<u32>, Option<u32>) {
    let (fw, fh) = (f64::from(iw), f64::from(ih));
    let wider = fw / fh > ar;
    match crop {
        "fit" | "limit" | "mfit" => (None, None),
        "pad" | "lpad" | "mpad" | "auto_pad" => {
            if wider {
                (Some(iw), Some(px(fw / ar)))
            } else {
                (Some(px(fh * ar)), Some(ih))
            }
        }
        "scale" => (Some(iw), Some(px(fw / ar))),
        _ => {
            if wider {
                (Some(px(fh * ar)), Some(ih))
            } else {
                (Some(iw), Some(px(fw / ar)))
            }
        }
    }
}

/// The operations that apply `g` to an image of `iw` x `ih` (both at least 1).
pub(crate) fn ops(iw: u32, ih: u32, g: &Geometry<'_>) -> Vec<Op> {
    let (iw, ih) = (iw.max(1), ih.max(1));
    let (fw, fh) = (f64::from(iw), f64::from(ih));
    let both = g.w.zip(g.h);
    let scale_to = || -> Vec<Op> {
        let (w, h) = match (g.w, g.h) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (w, px(fh * f64::from(w) / fw)),
            (None, Some(h)) => (px(fw * f64::from(h) / fh), h),
            (None, None) => return Vec::new(),
        };
        vec![Op::Resize(w, h)]
    };
    match g.crop {
        "scale" | "imagga_scale" => scale_to(),
        "fit" | "limit" | "mfit" => {
            let ratios = [
                g.w.map(|w| f64::from(w) / fw),
                g.h.map(|h| f64::from(h) / fh),
            ];
            let Some(f) = ratios.into_iter().flatten().reduce(f64::min) else {
                return Vec::new();
            };
            if (g.crop == "limit" && f >= 1.0) || (g.crop == "mfit" && f <= 1.0) {
                return Vec::new();
            }
            let (w, h) = scaled(iw, ih, f);
            vec![Op::Resize(w, h)]
        }
        "pad" | "lpad" | "mpad" | "auto_pad" => {
            let Some((w, h)) = both else {
                return scale_to();
            };
            let mut f = (f64::from(w) / fw).min(f64::from(h) / fh);
            if g.crop == "lpad" {
                f = f.min(1.0);
            }
            if g.crop == "mpad" && f < 1.0 {
                return Vec::new();
            }
            let (sw, sh) = scaled(iw, ih, f);
            let inner = (sw.min(w), sh.min(h));
            let (x, y) = place_inside(g, (w, h), inner);
            vec![
                Op::Resize(inner.0, inner.1),
                Op::Pad {
                    w,
                    h,
                    x,
                    y,
                    fill: g.fill.clone(),
                },
            ]
        }
        "crop" => {
            let z = if g.zoom > 0.0 { g.zoom } else { 1.0 };
            let want = (g.w.unwrap_or(iw), g.h.unwrap_or(ih));
            let region = (
                px(f64::from(want.0) / z).min(iw),
                px(f64::from(want.1) / z).min(ih),
            );
            let (x, y) = place_inside(g, (iw, ih), region);
            let mut out = vec![Op::Crop(x, y, region.0, region.1)];
            if z != 1.0 {
                let (w, h) = scaled(region.0, region.1, z);
                out.push(Op::Resize(w, h));
            }
            out
        }
        _ => {
            // fill, lfill, thumb, auto, fill_pad, imagga_crop.
            let Some((w, h)) = both else {
                return scale_to();
            };
            let zoom = if g.zoom >= 1.0 { g.zoom } else { 1.0 };
            let mut f = (f64::from(w) / fw).max(f64::from(h) / fh) * zoom;
            if g.crop == "lfill" {
                f = f.min(1.0);
            }
            let (sw, sh) = scaled(iw, ih, f);
            let target = if g.crop == "lfill" {
                (w.min(sw), h.min(sh))
            } else {
                (w, h)
            };
            let outer = (sw.max(target.0), sh.max(target.1));
            let (x, y) = place_inside(
                &Geometry {
                    x: 0.0,
                    y: 0.0,
                    ..g.clone()
                },
                outer,
                target,
            );
            vec![
                Op::Resize(outer.0, outer.1),
                Op::Crop(x, y, target.0, target.1),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(iw: u32, ih: u32, w: Option<u32>, h: Option<u32>, crop: &str) -> (u32, u32) {
        let g = Geometry {
            w,
            h,
            crop,
            gravity: "center",
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
            fill: Fill::Color(super::super::color::WHITE),
        };
        let mut s = (iw, ih);
        for op in ops(iw, ih, &g) {
            s = match op {
                Op::Resize(w, h) => (w, h),
                Op::Crop(_, _, w, h) => (w, h),
                Op::Pad { w, h, .. } => (w, h),
                _ => s,
            };
        }
        s
    }

    #[test]
    fn every_crop_mode_gives_cloudinarys_size() {
        let (s, n) = (Some, None);
        assert_eq!(size(400, 200, s(100), n, "scale"), (100, 50));
        assert_eq!(size(400, 200, s(100), s(100), "scale"), (100, 100));
        assert_eq!(size(400, 200, s(100), s(100), "fit"), (100, 50));
        assert_eq!(size(400, 200, s(800), s(800), "fit"), (800, 400));
        assert_eq!(size(400, 200, s(800), s(800), "limit"), (400, 200));
        assert_eq!(size(400, 200, s(100), s(100), "limit"), (100, 50));
        assert_eq!(size(400, 200, s(100), s(100), "mfit"), (400, 200));
        assert_eq!(size(400, 200, s(800), s(800), "mfit"), (800, 400));
        for m in ["fill", "thumb", "auto", "fill_pad", "imagga_crop"] {
            assert_eq!(size(400, 200, s(100), s(100), m), (100, 100), "{m}");
        }
        // lfill never enlarges: 400x200 asked 800x100 gives 400x100.
        assert_eq!(size(400, 200, s(800), s(100), "lfill"), (400, 100));
        assert_eq!(size(400, 200, s(100), s(100), "lfill"), (100, 100));
        for m in ["pad", "lpad", "auto_pad"] {
            assert_eq!(size(400, 200, s(100), s(100), m), (100, 100), "{m}");
        }
        assert_eq!(size(400, 200, s(800), s(800), "lpad"), (800, 800));
        assert_eq!(size(400, 200, s(100), s(100), "mpad"), (400, 200));
        assert_eq!(size(400, 200, s(800), s(800), "mpad"), (800, 800));
        assert_eq!(size(400, 200, s(50), s(60), "crop"), (50, 60));
        assert_eq!(size(400, 200, s(5000), s(60), "crop"), (400, 60));
    }

    #[test]
    fn gravity_and_offsets_place_boxes() {
        assert_eq!(place("north_west", (100, 100), (10, 10), 5.0, 6.0), (5, 6));
        assert_eq!(
            place("south_east", (100, 100), (10, 10), 5.0, 6.0),
            (85, 84)
        );
        assert_eq!(place("center", (100, 100), (10, 10), 5.0, 0.0), (50, 45));
        assert_eq!(
            place("xy_center", (100, 100), (10, 10), 30.0, 40.0),
            (25, 35)
        );
        assert_eq!(place("face", (100, 100), (10, 10), 0.0, 0.0), (45, 45));
        assert_eq!(
            place("north_west", (1, 1), (1, 1), 1e300, -1e300),
            (1 << 40, -(1 << 40))
        );
        assert_eq!(aspect_only(400, 200, 1.0, "fill"), (Some(200), Some(200)));
        assert_eq!(aspect_only(400, 200, 1.0, "pad"), (Some(400), Some(400)));
        assert_eq!(aspect_only(400, 200, 1.0, "scale"), (Some(400), Some(400)));
    }
}
