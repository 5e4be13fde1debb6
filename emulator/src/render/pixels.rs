//! The pixel work of the operations that change an image's shape or outline:
//! resampling, cutting, padding, turning and rotating, rounded corners, borders,
//! opacity and flattening. Every buffer is reserved fallibly first.

use image::imageops::{self, FilterType};
use image::{Rgba, RgbaImage};

use super::plan::Fill;
use super::{canvas, reserve, RenderError};

/// Whether a resize of `from` to `to` goes width first (two passes whose buffers are
/// no larger than the input or the output) rather than through `image`'s vertical
/// intermediate of `from.width x to.height` floats, which can dwarf both.
pub(crate) fn width_first(from: (u32, u32), to: (u32, u32)) -> bool {
    let area = |w: u32, h: u32| u64::from(w) * u64::from(h);
    area(from.0, to.1) > area(from.0, from.1).max(area(to.0, to.1))
}

fn area(w: u32, h: u32) -> u64 {
    u64::from(w) * u64::from(h)
}

/// Resamples `img` to `w` x `h`.
pub(crate) fn resize(img: RgbaImage, w: u32, h: u32) -> Result<RgbaImage, RenderError> {
    let (iw, ih) = img.dimensions();
    if (iw, ih) == (w, h) {
        return Ok(img);
    }
    let filter = FilterType::Triangle;
    // Probe for the float intermediate (16 bytes a pixel) and the result.
    if width_first((iw, ih), (w, h)) {
        drop(reserve(area(iw, ih) * 16 + area(w, ih) * 4)?);
        let wide = imageops::resize(&img, w, ih, filter);
        drop(img);
        drop(reserve(area(w, h) * 16 + area(w, h) * 4)?);
        Ok(imageops::resize(&wide, w, h, filter))
    } else {
        drop(reserve(area(iw, h) * 16 + area(w, h) * 4)?);
        Ok(imageops::resize(&img, w, h, filter))
    }
}

/// The region `(x, y, w, h)` of `img` (clamped to it).
pub(crate) fn crop(
    img: &RgbaImage,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
) -> Result<RgbaImage, RenderError> {
    drop(reserve(area(w, h) * 4)?);
    Ok(imageops::crop_imm(img, x, y, w, h).to_image())
}

/// The average colour of the edge pixels of `img` (`b_auto`).
pub(crate) fn edge_color(img: &RgbaImage) -> Rgba<u8> {
    let (w, h) = img.dimensions();
    let mut sum = [0u64; 4];
    let mut n = 0u64;
    let mut add = |x: u32, y: u32| {
        for (s, v) in sum.iter_mut().zip(img.get_pixel(x, y).0) {
            *s += u64::from(v);
        }
        n += 1;
    };
    for x in 0..w {
        add(x, 0);
        add(x, h - 1);
    }
    for y in 0..h {
        add(0, y);
        add(w - 1, y);
    }
    Rgba(sum.map(|s| (s / n.max(1)) as u8))
}

/// `img` placed at `(x, y)` on a `w` x `h` canvas of `fill`.
pub(crate) fn pad(
    img: RgbaImage,
    w: u32,
    h: u32,
    x: u32,
    y: u32,
    fill: &Fill,
) -> Result<RgbaImage, RenderError> {
    let mut c = match fill {
        Fill::Color(color) => canvas(w, h, *color)?,
        Fill::Auto => canvas(w, h, edge_color(&img))?,
        Fill::Blurred(intensity, brightness) => {
            // The image scaled to cover the canvas, cut to it, blurred.
            let (iw, ih) = img.dimensions();
            let f = (f64::from(w) / f64::from(iw)).max(f64::from(h) / f64::from(ih));
            let (sw, sh) = (
                ((f64::from(iw) * f).ceil() as u32).max(w),
                ((f64::from(ih) * f).ceil() as u32).max(h),
            );
            let big = resize(img.clone(), sw, sh)?;
            let mut bg = crop(&big, (sw - w) / 2, (sh - h) / 2, w, h)?;
            drop(big);
            drop(reserve(area(w, h) * 8)?);
            bg = imageops::fast_blur(&bg, (*intensity as f32 / 20.0).clamp(0.5, w.max(h) as f32));
            let d = (*brightness as f32 * 1.28) as i32;
            if d != 0 {
                imageops::colorops::brighten_in_place(&mut bg, d);
            }
            bg
        }
    };
    imageops::overlay(&mut c, &img, i64::from(x), i64::from(y));
    Ok(c)
}

/// `img` turned clockwise by `quarters` quarter turns.
pub(crate) fn turn(img: RgbaImage, quarters: u8) -> Result<RgbaImage, RenderError> {
    let (w, h) = img.dimensions();
    drop(reserve(area(w, h) * 4)?);
    Ok(match quarters % 4 {
        1 => imageops::rotate90(&img),
        2 => imageops::rotate180(&img),
        3 => imageops::rotate270(&img),
        _ => img,
    })
}

/// The size of a `w` x `h` image rotated by `deg` degrees (its bounding box).
pub(crate) fn rotated_size(w: u32, h: u32, deg: f64) -> (u32, u32) {
    let t = deg.to_radians();
    let (s, c) = (t.sin().abs(), t.cos().abs());
    let (fw, fh) = (f64::from(w), f64::from(h));
    // Rounded first so that float noise (cos 90° = 6e-17) does not add a pixel.
    let fit = |v: f64| (((v * 1e6).round() / 1e6).ceil() as u32).max(1);
    (fit(fw * c + fh * s), fit(fw * s + fh * c))
}

fn sample(img: &RgbaImage, x: f32, y: f32, bg: Rgba<u8>) -> Rgba<u8> {
    let (w, h) = img.dimensions();
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let get = |xi: f32, yi: f32| -> [f32; 4] {
        if xi < 0.0 || yi < 0.0 || xi >= w as f32 || yi >= h as f32 {
            bg.0.map(f32::from)
        } else {
            img.get_pixel(xi as u32, yi as u32).0.map(f32::from)
        }
    };
    let (a, b, c, d) = (
        get(x0, y0),
        get(x0 + 1.0, y0),
        get(x0, y0 + 1.0),
        get(x0 + 1.0, y0 + 1.0),
    );
    Rgba([0, 1, 2, 3].map(|i| {
        let top = a[i] + (b[i] - a[i]) * fx;
        let bottom = c[i] + (d[i] - c[i]) * fx;
        (top + (bottom - top) * fy).round().clamp(0.0, 255.0) as u8
    }))
}

/// `img` rotated clockwise by `deg` degrees about its centre onto a `w` x `h`
/// canvas (from [`rotated_size`]) whose uncovered corners are `bg`.
pub(crate) fn rotate(
    img: &RgbaImage,
    deg: f64,
    w: u32,
    h: u32,
    bg: Rgba<u8>,
) -> Result<RgbaImage, RenderError> {
    let mut out = canvas(w, h, bg)?;
    let t = -deg.to_radians() as f32;
    let (s, c) = (t.sin(), t.cos());
    let (iw, ih) = img.dimensions();
    let (icx, icy) = (iw as f32 / 2.0, ih as f32 / 2.0);
    let (ocx, ocy) = (w as f32 / 2.0, h as f32 / 2.0);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let (dx, dy) = (x as f32 + 0.5 - ocx, y as f32 + 0.5 - ocy);
        let sx = dx * c - dy * s + icx - 0.5;
        let sy = dx * s + dy * c + icy - 0.5;
        *p = sample(img, sx, sy, bg);
    }
    Ok(out)
}

/// Rounded corners: an ellipse (`r_max`) or four radii (top left, top right, bottom
/// right, bottom left), in pixels.
#[derive(Clone, Debug, PartialEq)]
pub enum Corners {
    /// The ellipse inscribed in the image.
    Ellipse,
    /// Corner radii.
    Radii([f64; 4]),
}

impl Corners {
    /// The corners of a shape `grow` pixels larger on every side.
    pub(crate) fn grown(&self, grow: f64) -> Corners {
        match self {
            Corners::Ellipse => Corners::Ellipse,
            Corners::Radii(r) => Corners::Radii(r.map(|v| if v > 0.0 { v + grow } else { 0.0 })),
        }
    }

    /// How much of pixel `(x, y)` of a `w` x `h` shape is inside (0–1).
    fn coverage(&self, x: u32, y: u32, w: u32, h: u32) -> f32 {
        let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
        let (fw, fh) = (f64::from(w), f64::from(h));
        match self {
            Corners::Ellipse => {
                let (rx, ry) = (fw / 2.0, fh / 2.0);
                let v = ((px - rx) / rx).powi(2) + ((py - ry) / ry).powi(2);
                ((1.0 - v.sqrt()) * rx.min(ry) + 0.5).clamp(0.0, 1.0) as f32
            }
            Corners::Radii(r) => {
                let max = fw.min(fh) / 2.0;
                let r = r.map(|v| v.clamp(0.0, max));
                let (cx, cy, rad) = if px < r[0] && py < r[0] {
                    (r[0], r[0], r[0])
                } else if px > fw - r[1] && py < r[1] {
                    (fw - r[1], r[1], r[1])
                } else if px > fw - r[2] && py > fh - r[2] {
                    (fw - r[2], fh - r[2], r[2])
                } else if px < r[3] && py > fh - r[3] {
                    (r[3], fh - r[3], r[3])
                } else {
                    return 1.0;
                };
                let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
                (rad - d + 0.5).clamp(0.0, 1.0) as f32
            }
        }
    }
}

/// Makes what lies outside `corners` transparent.
pub(crate) fn round(img: &mut RgbaImage, corners: &Corners) {
    let (w, h) = img.dimensions();
    for (x, y, p) in img.enumerate_pixels_mut() {
        let c = corners.coverage(x, y, w, h);
        if c < 1.0 {
            p.0[3] = (f32::from(p.0[3]) * c).round() as u8;
        }
    }
}

/// `img` inside a border `width` pixels wide of `color`, rounded like `corners`.
pub(crate) fn border(
    img: &RgbaImage,
    width: u32,
    color: Rgba<u8>,
    corners: Option<&Corners>,
) -> Result<RgbaImage, RenderError> {
    let (w, h) = img.dimensions();
    let (ow, oh) = (w + 2 * width, h + 2 * width);
    let mut out = canvas(ow, oh, color)?;
    if let Some(c) = corners {
        round(&mut out, &c.grown(f64::from(width)));
    }
    imageops::overlay(&mut out, img, i64::from(width), i64::from(width));
    Ok(out)
}

/// Multiplies the alpha of every pixel by `factor` (0–1).
pub(crate) fn opacity(img: &mut RgbaImage, factor: f32) {
    for p in img.pixels_mut() {
        p.0[3] = (f32::from(p.0[3]) * factor).round().clamp(0.0, 255.0) as u8;
    }
}

/// Composites `img` over an opaque `color`.
pub(crate) fn flatten(img: &mut RgbaImage, color: Rgba<u8>) {
    for p in img.pixels_mut() {
        let a = f32::from(p.0[3]) / 255.0;
        if a >= 1.0 {
            continue;
        }
        for i in 0..3 {
            p.0[i] = (f32::from(p.0[i]) * a + f32::from(color.0[i]) * (1.0 - a)).round() as u8;
        }
        p.0[3] = 255;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_to_tall_resizes_go_width_first() {
        // image's vertical pass would make a 4000 x 4000 float buffer.
        assert!(width_first((4000, 1), (1, 4000)));
        assert!(width_first((100, 100), (50, 200)));
        assert!(!width_first((100, 100), (200, 50)));
        let img = RgbaImage::new(4000, 1);
        assert_eq!(resize(img, 1, 4000).unwrap().dimensions(), (1, 4000));
    }

    #[test]
    fn rotation_sizes_are_bounding_boxes() {
        assert_eq!(rotated_size(100, 50, 90.0), (50, 100));
        assert_eq!(rotated_size(100, 50, 180.0), (100, 50));
        assert_eq!(rotated_size(100, 100, 45.0), (142, 142));
        let img = RgbaImage::from_pixel(10, 4, Rgba([255, 0, 0, 255]));
        let (w, h) = rotated_size(10, 4, 30.0);
        let out = rotate(&img, 30.0, w, h, Rgba([0, 0, 0, 0])).unwrap();
        assert_eq!(out.dimensions(), (w, h));
        assert_eq!(out.get_pixel(0, 0).0[3], 0);
        assert_eq!(out.get_pixel(w / 2, h / 2).0, [255, 0, 0, 255]);
    }

    #[test]
    fn corners_are_transparent_and_borders_surround() {
        let mut img = RgbaImage::from_pixel(20, 20, Rgba([0, 0, 255, 255]));
        round(&mut img, &Corners::Radii([10.0; 4]));
        assert_eq!(img.get_pixel(0, 0).0[3], 0);
        assert_eq!(img.get_pixel(10, 10).0[3], 255);
        let b = border(
            &img,
            3,
            Rgba([255, 0, 0, 255]),
            Some(&Corners::Radii([10.0; 4])),
        )
        .unwrap();
        assert_eq!(b.dimensions(), (26, 26));
        assert_eq!(b.get_pixel(13, 1).0, [255, 0, 0, 255]);
        assert_eq!(b.get_pixel(0, 0).0[3], 0);
        let mut e = RgbaImage::from_pixel(20, 10, Rgba([0, 0, 0, 255]));
        round(&mut e, &Corners::Ellipse);
        assert_eq!(e.get_pixel(0, 0).0[3], 0);
        assert_eq!(e.get_pixel(10, 5).0[3], 255);
    }
}
