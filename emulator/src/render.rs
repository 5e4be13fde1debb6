//! Image transformations for delivery: width, height, crop modes (scale, fit, limit,
//! fill, pad, crop, thumb), gravity (center and compass points), format and quality.
//! Anything else is refused by name rather than rendered wrongly.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgba, RgbaImage};

/// A width or height: pixels, or a fraction of the input (`w_0.5`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dim {
    /// Absolute pixels.
    Px(u32),
    /// Relative to the input size.
    Rel(f64),
}

impl Dim {
    fn resolve(self, base: u32) -> u32 {
        match self {
            Dim::Px(p) => p.max(1),
            Dim::Rel(r) => ((f64::from(base) * r).round() as u32).max(1),
        }
    }
}

/// One transformation component (a URL path segment).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Step {
    /// `w_`.
    pub width: Option<Dim>,
    /// `h_`.
    pub height: Option<Dim>,
    /// `c_` (default `scale`).
    pub crop: Option<String>,
    /// `g_` (default `center`).
    pub gravity: Option<String>,
}

/// A parsed delivery transformation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Geometry steps in order.
    pub steps: Vec<Step>,
    /// `f_` (the last one wins; `auto` = keep).
    pub format: Option<String>,
    /// `q_` (1–100).
    pub quality: Option<u8>,
}

const CROPS: &[&str] = &["scale", "fit", "limit", "fill", "pad", "crop", "thumb"];
const GRAVITIES: &[&str] = &[
    "center",
    "north",
    "south",
    "east",
    "west",
    "north_east",
    "north_west",
    "south_east",
    "south_west",
];
const FORMATS: &[&str] = &["jpg", "jpeg", "png", "webp", "gif", "auto"];

fn dim(v: &str) -> Option<Dim> {
    if v.contains('.') {
        let f: f64 = v.parse().ok()?;
        if f > 0.0 && f <= 1.0 {
            return Some(Dim::Rel(f));
        }
        return Some(Dim::Px(f.round() as u32));
    }
    v.parse::<u32>().ok().filter(|p| *p > 0).map(Dim::Px)
}

/// Parses transformation segments; the error lists every unsupported component.
pub fn parse(segments: &[String]) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut unsupported = Vec::new();
    for seg in segments {
        let mut step = Step::default();
        for comp in seg.split(',').filter(|c| !c.is_empty()) {
            let (k, v) = comp.split_once('_').unwrap_or((comp, ""));
            let ok = match k {
                "w" => dim(v).map(|d| step.width = Some(d)).is_some(),
                "h" => dim(v).map(|d| step.height = Some(d)).is_some(),
                "c" if CROPS.contains(&v) => {
                    step.crop = Some(v.to_owned());
                    true
                }
                "g" if GRAVITIES.contains(&v) => {
                    step.gravity = Some(v.to_owned());
                    true
                }
                "f" if FORMATS.contains(&v) => {
                    plan.format = Some(if v == "jpeg" {
                        "jpg".into()
                    } else {
                        v.to_owned()
                    });
                    true
                }
                "q" => match v {
                    "auto" => true,
                    _ => v
                        .parse::<u8>()
                        .ok()
                        .filter(|q| (1..=100).contains(q))
                        .map(|q| plan.quality = Some(q))
                        .is_some(),
                },
                _ => false,
            };
            if !ok {
                unsupported.push(comp.to_owned());
            }
        }
        if step != Step::default() {
            plan.steps.push(step);
        }
    }
    if unsupported.is_empty() {
        Ok(plan)
    } else {
        Err(format!(
            "Unsupported transformation parameter(s) in the emulator: {}",
            unsupported.join(", ")
        ))
    }
}

fn offset(gravity: &str, outer: (u32, u32), inner: (u32, u32)) -> (u32, u32) {
    let dx = outer.0.saturating_sub(inner.0);
    let dy = outer.1.saturating_sub(inner.1);
    let x = if gravity.contains("west") {
        0
    } else if gravity.contains("east") {
        dx
    } else {
        dx / 2
    };
    let y = if gravity.starts_with("north") {
        0
    } else if gravity.starts_with("south") {
        dy
    } else {
        dy / 2
    };
    (x, y)
}

fn scaled(w: u32, h: u32, f: f64) -> (u32, u32) {
    (
        ((f64::from(w) * f).round() as u32).max(1),
        ((f64::from(h) * f).round() as u32).max(1),
    )
}

/// Applies one geometry step.
pub fn apply(img: DynamicImage, step: &Step) -> DynamicImage {
    let (iw, ih) = img.dimensions();
    let tw = step.width.map(|d| d.resolve(iw));
    let th = step.height.map(|d| d.resolve(ih));
    let crop = step.crop.as_deref().unwrap_or("scale");
    let gravity = step.gravity.as_deref().unwrap_or("center");
    let keep_ratio = |tw: Option<u32>, th: Option<u32>| -> (u32, u32) {
        match (tw, th) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (
                w,
                ((f64::from(ih) * f64::from(w) / f64::from(iw)).round() as u32).max(1),
            ),
            (None, Some(h)) => (
                ((f64::from(iw) * f64::from(h) / f64::from(ih)).round() as u32).max(1),
                h,
            ),
            (None, None) => (iw, ih),
        }
    };
    let filter = FilterType::Triangle;
    match crop {
        "scale" => {
            let (w, h) = keep_ratio(tw, th);
            img.resize_exact(w, h, filter)
        }
        "fit" | "limit" => {
            let (w, h) = keep_ratio(tw, th);
            let mut f = (f64::from(w) / f64::from(iw)).min(f64::from(h) / f64::from(ih));
            if crop == "limit" && f >= 1.0 {
                return img;
            }
            if crop == "limit" {
                f = f.min(1.0);
            }
            let (w, h) = scaled(iw, ih, f);
            img.resize_exact(w, h, filter)
        }
        "fill" | "thumb" => {
            let (w, h) = keep_ratio(tw, th);
            let f = (f64::from(w) / f64::from(iw)).max(f64::from(h) / f64::from(ih));
            let (sw, sh) = scaled(iw, ih, f);
            let resized = img.resize_exact(sw.max(w), sh.max(h), filter);
            let (x, y) = offset(gravity, (sw.max(w), sh.max(h)), (w, h));
            resized.crop_imm(x, y, w, h)
        }
        "pad" => {
            let (w, h) = keep_ratio(tw, th);
            let f = (f64::from(w) / f64::from(iw)).min(f64::from(h) / f64::from(ih));
            let (sw, sh) = scaled(iw, ih, f);
            let resized = img.resize_exact(sw.min(w), sh.min(h), filter).to_rgba8();
            let mut canvas = RgbaImage::from_pixel(w, h, Rgba([255, 255, 255, 255]));
            let (x, y) = offset(gravity, (w, h), (resized.width(), resized.height()));
            image::imageops::overlay(&mut canvas, &resized, i64::from(x), i64::from(y));
            DynamicImage::ImageRgba8(canvas)
        }
        _ => {
            // crop: cut a region of the requested size without scaling.
            let w = tw.unwrap_or(iw).min(iw);
            let h = th.unwrap_or(ih).min(ih);
            let (x, y) = offset(gravity, (iw, ih), (w, h));
            img.crop_imm(x, y, w, h)
        }
    }
}

/// The MIME type of a delivery format.
pub fn mime(format: &str) -> &'static str {
    match format {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// Decodes, transforms and encodes an image.
pub fn render(input: &[u8], plan: &Plan, format: &str) -> Result<Vec<u8>, String> {
    let mut img =
        image::load_from_memory(input).map_err(|e| format!("Cannot decode the image: {e}"))?;
    for step in &plan.steps {
        img = apply(img, step);
    }
    let mut out = Cursor::new(Vec::new());
    match format {
        "jpg" | "jpeg" => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                plan.quality.unwrap_or(80),
            );
            rgb.write_with_encoder(enc).map_err(|e| e.to_string())?;
        }
        "png" => img
            .write_to(&mut out, ImageFormat::Png)
            .map_err(|e| e.to_string())?,
        "webp" => DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut out, ImageFormat::WebP)
            .map_err(|e| e.to_string())?,
        "gif" => DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut out, ImageFormat::Gif)
            .map_err(|e| e.to_string())?,
        other => {
            return Err(format!(
                "Unsupported output format in the emulator: {other}"
            ))
        }
    }
    Ok(out.into_inner())
}

/// How [`text_image`] draws a text: the `text` method's style parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct TextStyle {
    /// `font_size` in pixels.
    pub font_size: u32,
    /// `font_weight=bold` widens the glyph boxes.
    pub bold: bool,
    /// `font_color`.
    pub color: Rgba<u8>,
    /// `background` (transparent by default).
    pub background: Rgba<u8>,
    /// `text_align`: `left`, `center` or `right`.
    pub align: String,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            font_size: 12,
            bold: false,
            color: Rgba([0, 0, 0, 255]),
            background: Rgba([0, 0, 0, 0]),
            align: "left".into(),
        }
    }
}

/// The most pixels a text image may have (the usage report's `image_max_px`).
pub const MAX_TEXT_PIXELS: u64 = 25_000_000;

/// Parses a colour: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb:rrggbb`, or a basic name
/// (`black`, `white`, `red`, `green`, `blue`, `yellow`, `gray`/`grey`, `transparent`).
pub fn parse_color(v: &str) -> Option<Rgba<u8>> {
    let v = v.trim().to_ascii_lowercase();
    let named = match v.as_str() {
        "black" => Some([0, 0, 0, 255]),
        "white" => Some([255, 255, 255, 255]),
        "red" => Some([255, 0, 0, 255]),
        "green" => Some([0, 128, 0, 255]),
        "blue" => Some([0, 0, 255, 255]),
        "yellow" => Some([255, 255, 0, 255]),
        "gray" | "grey" => Some([128, 128, 128, 255]),
        "transparent" | "none" => Some([0, 0, 0, 0]),
        _ => None,
    };
    if let Some(c) = named {
        return Some(Rgba(c));
    }
    let hex = v.strip_prefix('#').or_else(|| v.strip_prefix("rgb:"))?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    let nibble = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok().map(|n| n * 17);
    match hex.len() {
        3 => Some(Rgba([nibble(0)?, nibble(1)?, nibble(2)?, 255])),
        6 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, 255])),
        8 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, byte(6)?])),
        _ => None,
    }
}

/// The size of the image of `text`: each character is a cell 0.6 (bold 0.7) of the
/// font size wide, each line 1.25 of it high, plus a margin of a fifth of the size.
pub fn text_size(text: &str, style: &TextStyle) -> (u64, u64) {
    let fs = u64::from(style.font_size.max(1));
    let cell = if style.bold { fs * 7 / 10 } else { fs * 6 / 10 }.max(1);
    let line = (fs * 5 / 4).max(1);
    let lines: Vec<&str> = text.split('\n').collect();
    let longest = lines
        .iter()
        .map(|l| l.chars().count() as u64)
        .max()
        .unwrap_or(0);
    let margin = fs / 5;
    (
        (longest * cell + 2 * margin).max(1),
        (lines.len() as u64 * line + 2 * margin).max(1),
    )
}

/// A PNG of `text`: no font is rendered, every non-blank character is a filled box in
/// its cell (see [`text_size`]), on the background colour. Errors past
/// [`MAX_TEXT_PIXELS`].
pub fn text_image(text: &str, style: &TextStyle) -> Result<(Vec<u8>, u32, u32), String> {
    let (w, h) = text_size(text, style);
    if w * h > MAX_TEXT_PIXELS || w > u64::from(u32::MAX) || h > u64::from(u32::MAX) {
        return Err(format!(
            "The text image would be {w}x{h} pixels, more than {MAX_TEXT_PIXELS}"
        ));
    }
    let (w32, h32) = (w as u32, h as u32);
    let mut img = RgbaImage::from_pixel(w32, h32, style.background);
    let fs = style.font_size.max(1);
    let cell = if style.bold { fs * 7 / 10 } else { fs * 6 / 10 }.max(1);
    let line = (fs * 5 / 4).max(1);
    let margin = fs / 5;
    for (row, text_line) in text.split('\n').enumerate() {
        let chars: Vec<char> = text_line.chars().collect();
        let used = chars.len() as u32 * cell;
        let inner = w32.saturating_sub(2 * margin);
        let start = margin
            + match style.align.as_str() {
                "center" => inner.saturating_sub(used) / 2,
                "right" => inner.saturating_sub(used),
                _ => 0,
            };
        let top = margin + row as u32 * line;
        for (i, c) in chars.iter().enumerate() {
            if c.is_whitespace() {
                continue;
            }
            let x0 = start + i as u32 * cell + cell / 8;
            let x1 = start + (i as u32 + 1) * cell - cell / 8;
            let y0 = top + line / 5;
            let y1 = top + line - line / 10;
            for y in y0..y1.min(h32) {
                for x in x0..x1.max(x0 + 1).min(w32) {
                    img.put_pixel(x, y, style.color);
                }
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(img)
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok((out.into_inner(), w32, h32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(s: &str) -> Vec<String> {
        s.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn parses_and_refuses_by_name() {
        let p = parse(&segs("w_100,h_50,c_fill,g_north_east/f_png,q_70")).unwrap();
        assert_eq!(p.steps.len(), 1);
        assert_eq!(p.format.as_deref(), Some("png"));
        assert_eq!(p.quality, Some(70));
        let e = parse(&segs("w_100,e_sepia/l_text:Arial_20:hi")).unwrap_err();
        assert!(
            e.contains("e_sepia") && e.contains("l_text:Arial_20:hi"),
            "{e}"
        );
    }

    #[test]
    fn crop_modes_give_the_right_sizes() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(400, 200));
        let step = |w: Option<u32>, h: Option<u32>, c: &str| Step {
            width: w.map(Dim::Px),
            height: h.map(Dim::Px),
            crop: Some(c.into()),
            gravity: None,
        };
        assert_eq!(
            apply(img.clone(), &step(Some(100), None, "scale")).dimensions(),
            (100, 50)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "fit")).dimensions(),
            (100, 50)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(800), Some(800), "limit")).dimensions(),
            (400, 200)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "fill")).dimensions(),
            (100, 100)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "pad")).dimensions(),
            (100, 100)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(50), Some(60), "crop")).dimensions(),
            (50, 60)
        );
        assert_eq!(
            apply(img, &step(Some(100), Some(100), "thumb")).dimensions(),
            (100, 100)
        );
    }

    #[test]
    fn text_images_grow_with_the_text_and_the_font_size() {
        let style = TextStyle::default();
        let (png, w, h) = text_image("Hello", &style).unwrap();
        assert_eq!((w, h), (39, 19));
        assert_eq!(image::load_from_memory(&png).unwrap().dimensions(), (w, h));
        let big = TextStyle {
            font_size: 40,
            ..TextStyle::default()
        };
        let (_, w2, h2) = text_image("Hello", &big).unwrap();
        assert!(w2 > 3 * w && h2 > 3 * h, "{w2}x{h2}");
        let (_, w3, h3) = text_image("Hello\nworld!", &style).unwrap();
        assert!(w3 > w && h3 > h);
        assert!(text_image(&"x".repeat(100_000), &big).is_err());
        assert_eq!(parse_color("#f00"), Some(Rgba([255, 0, 0, 255])));
        assert_eq!(parse_color("rgb:00ff0080"), Some(Rgba([0, 255, 0, 128])));
        assert_eq!(parse_color("nope"), None);
    }
}
