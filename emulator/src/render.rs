//! Image transformations for delivery: width, height, crop modes (scale, fit, limit,
//! fill, pad, crop, thumb), gravity (center and compass points), format and quality.
//! Anything else is refused by name rather than rendered wrongly.
//!
//! Sizes are planned before any pixel is touched ([`plan_sizes`]): the original's
//! header must show at most [`MAX_PIXELS`], every step's result (and the padding
//! canvas) at most [`MAX_PIXELS`], and the whole chain at most [`MAX_WORK_PIXELS`] of
//! pixel work; past that the answer is a [`RenderError`] (a 400), never an allocation
//! the URL chose. The decoder runs under `image`'s [`Limits`], and the buffers the
//! renderer makes are reserved with fallible allocation.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{
    DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits, Rgba, RgbaImage,
};

/// The most pixels an image may have at any step of a transformation, the original
/// included: Cloudinary's `image_max_px` of the Free plan (25 megapixels), which the
/// emulator's usage report announces.
pub const MAX_PIXELS: u64 = 25_000_000;

/// The most pixel work a whole transformation chain may do: the pixels read, the
/// intermediate buffers and the pixels written by every step, added up (eight steps
/// at the full [`MAX_PIXELS`]).
pub const MAX_WORK_PIXELS: u64 = 8 * MAX_PIXELS;

/// The most memory the decoder may allocate for one original (`image`'s
/// [`Limits::max_alloc`]): a [`MAX_PIXELS`] image of 16-bit RGBA, plus room for the
/// decoder's own buffers.
pub const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 8 + (64 << 20);

/// Why a transformation cannot be rendered. Each is the client's doing (a 400) except
/// [`RenderError::Io`].
#[derive(Clone, Debug, PartialEq)]
pub enum RenderError {
    /// The original has more than [`MAX_PIXELS`] pixels: it is not decoded.
    OriginalTooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// A step would make an image of more than [`MAX_PIXELS`] pixels.
    TooLarge {
        /// The width asked for.
        width: u64,
        /// The height asked for.
        height: u64,
    },
    /// The chain would do more than [`MAX_WORK_PIXELS`] of pixel work.
    TooComplex {
        /// The pixel work it would do (saturating).
        pixels: u64,
    },
    /// Memory for a buffer of this many bytes could not be reserved.
    OutOfMemory {
        /// The bytes asked for.
        bytes: u64,
    },
    /// The original cannot be decoded (or the decoder's limits refuse it).
    Decode(String),
    /// The format asked for is not one the emulator renders.
    UnsupportedFormat(String),
    /// The result cannot be encoded in the format asked for.
    Encode(String),
    /// Reading the original or writing the rendering failed (a 500).
    Io(String),
}

impl RenderError {
    /// The HTTP status of a delivery that fails this way.
    pub fn status(&self) -> u16 {
        match self {
            RenderError::Io(_) => 500,
            _ => 400,
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::OriginalTooLarge { width, height } => write!(
                f,
                "Image too large to transform. Got {width}x{height} ({} pixels). Maximum is {MAX_PIXELS}.",
                u64::from(*width) * u64::from(*height)
            ),
            RenderError::TooLarge { width, height } => write!(
                f,
                "Requested image too large. Got {width}x{height} ({} pixels). Maximum is {MAX_PIXELS}.",
                width.saturating_mul(*height)
            ),
            RenderError::TooComplex { pixels } => write!(
                f,
                "Transformation too complex. Got {pixels} pixels of work. Maximum is {MAX_WORK_PIXELS}."
            ),
            RenderError::OutOfMemory { bytes } => {
                write!(f, "Not enough memory to render the image ({bytes} bytes)")
            }
            RenderError::Decode(e) => write!(f, "Cannot decode the image: {e}"),
            RenderError::UnsupportedFormat(x) => {
                write!(f, "Unsupported output format in the emulator: {x}")
            }
            RenderError::Encode(e) => write!(f, "Cannot encode the image: {e}"),
            RenderError::Io(e) => write!(f, "Storage error: {e}"),
        }
    }
}

impl std::error::Error for RenderError {}

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

/// `x` as pixels: rounded, at least 1, saturating at `u32::MAX` (NaN gives 1).
fn px(x: f64) -> u32 {
    (x.round() as u32).max(1)
}

fn scaled(w: u32, h: u32, f: f64) -> (u32, u32) {
    (px(f64::from(w) * f), px(f64::from(h) * f))
}

/// One pixel operation of a step, sized from the input's dimensions alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Resample to `(width, height)`.
    Resize(u32, u32),
    /// Cut the region `(x, y, width, height)`.
    Crop(u32, u32, u32, u32),
    /// Place the image at `(x, y)` on a white canvas of `(width, height)`.
    Pad(u32, u32, u32, u32),
}

/// The operations that apply `step` to an image of `iw` x `ih` (both at least 1).
pub fn step_ops(iw: u32, ih: u32, step: &Step) -> Vec<Op> {
    let (iw, ih) = (iw.max(1), ih.max(1));
    let tw = step.width.map(|d| d.resolve(iw));
    let th = step.height.map(|d| d.resolve(ih));
    let crop = step.crop.as_deref().unwrap_or("scale");
    let gravity = step.gravity.as_deref().unwrap_or("center");
    let (fw, fh) = (f64::from(iw), f64::from(ih));
    let (w, h) = match (tw, th) {
        (Some(w), Some(h)) => (w, h),
        (Some(w), None) => (w, px(fh * f64::from(w) / fw)),
        (None, Some(h)) => (px(fw * f64::from(h) / fh), h),
        (None, None) => (iw, ih),
    };
    let (rw, rh) = (f64::from(w) / fw, f64::from(h) / fh);
    match crop {
        "scale" => vec![Op::Resize(w, h)],
        "fit" | "limit" => {
            let f = rw.min(rh);
            if crop == "limit" && f >= 1.0 {
                return Vec::new();
            }
            let (w, h) = scaled(iw, ih, f);
            vec![Op::Resize(w, h)]
        }
        "fill" | "thumb" => {
            let (sw, sh) = scaled(iw, ih, rw.max(rh));
            let outer = (sw.max(w), sh.max(h));
            let (x, y) = offset(gravity, outer, (w, h));
            vec![Op::Resize(outer.0, outer.1), Op::Crop(x, y, w, h)]
        }
        "pad" => {
            let (sw, sh) = scaled(iw, ih, rw.min(rh));
            let inner = (sw.min(w), sh.min(h));
            let (x, y) = offset(gravity, (w, h), inner);
            vec![Op::Resize(inner.0, inner.1), Op::Pad(w, h, x, y)]
        }
        _ => {
            // crop: cut a region of the requested size without scaling.
            let w = tw.unwrap_or(iw).min(iw);
            let h = th.unwrap_or(ih).min(ih);
            let (x, y) = offset(gravity, (iw, ih), (w, h));
            vec![Op::Crop(x, y, w, h)]
        }
    }
}

/// Whether a resize of `from` to `to` goes width first (two passes whose buffers are
/// no larger than the input or the output) rather than through `image`'s vertical
/// intermediate of `from.width x to.height` floats, which can dwarf both.
fn width_first(from: (u32, u32), to: (u32, u32)) -> bool {
    let area = |w: u32, h: u32| u64::from(w) * u64::from(h);
    area(from.0, to.1) > area(from.0, from.1).max(area(to.0, to.1))
}

fn area_within(w: u64, h: u64) -> Result<u64, RenderError> {
    match w.checked_mul(h) {
        Some(n) if n <= MAX_PIXELS => Ok(n),
        _ => Err(RenderError::TooLarge {
            width: w,
            height: h,
        }),
    }
}

/// Checks an original's dimensions against [`MAX_PIXELS`].
pub fn check_original(width: u32, height: u32) -> Result<(), RenderError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::OriginalTooLarge { width, height });
    }
    Ok(())
}

/// Plans `plan` on an original of `iw` x `ih` without touching a pixel: the size of
/// the result, or the first limit the chain breaks ([`MAX_PIXELS`] for the original,
/// every step's result and the padding canvas; [`MAX_WORK_PIXELS`] for the sum of
/// pixels read, buffered and written).
pub fn plan_sizes(iw: u32, ih: u32, plan: &Plan) -> Result<(u32, u32), RenderError> {
    plan_work(iw, ih, plan).map(|(w, h, _)| (w, h))
}

/// [`plan_sizes`] with the pixel work the plan does (what [`MAX_WORK_PIXELS`] bounds):
/// `(width, height, work)`.
pub fn plan_work(iw: u32, ih: u32, plan: &Plan) -> Result<(u32, u32, u64), RenderError> {
    check_original(iw, ih)?;
    let (mut w, mut h) = (iw.max(1), ih.max(1));
    let mut work: u64 = 0;
    let mut spend = |pixels: u64| -> Result<(), RenderError> {
        work = work.saturating_add(pixels);
        if work > MAX_WORK_PIXELS {
            return Err(RenderError::TooComplex { pixels: work });
        }
        Ok(())
    };
    for step in &plan.steps {
        for op in step_ops(w, h, step) {
            let here = u64::from(w) * u64::from(h);
            match op {
                Op::Resize(nw, nh) => {
                    let out = area_within(u64::from(nw), u64::from(nh))?;
                    if (nw, nh) != (w, h) {
                        let between = if width_first((w, h), (nw, nh)) {
                            u64::from(nw) * u64::from(h)
                        } else {
                            u64::from(w) * u64::from(nh)
                        };
                        spend(here + between + out)?;
                    }
                    (w, h) = (nw, nh);
                }
                Op::Crop(_, _, cw, ch) => {
                    let (cw, ch) = (cw.min(w), ch.min(h));
                    spend(u64::from(cw) * u64::from(ch))?;
                    (w, h) = (cw, ch);
                }
                Op::Pad(pw, ph, _, _) => {
                    let out = area_within(u64::from(pw), u64::from(ph))?;
                    spend(here + out)?;
                    (w, h) = (pw, ph);
                }
            }
        }
    }
    Ok((w, h, work))
}

/// Reserves `bytes` with fallible allocation and gives the empty buffer back (an
/// allocation failure is an error, not an abort).
fn reserve(bytes: u64) -> Result<Vec<u8>, RenderError> {
    let n = usize::try_from(bytes).map_err(|_| RenderError::OutOfMemory { bytes })?;
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| RenderError::OutOfMemory { bytes })?;
    Ok(v)
}

/// A `w` x `h` canvas of `color`, allocated fallibly.
fn canvas(w: u32, h: u32, color: Rgba<u8>) -> Result<RgbaImage, RenderError> {
    let n = u64::from(w) * u64::from(h) * 4;
    let mut buf = reserve(n)?;
    let len = usize::try_from(n).map_err(|_| RenderError::OutOfMemory { bytes: n })?;
    buf.extend(color.0.iter().copied().cycle().take(len));
    RgbaImage::from_raw(w, h, buf).ok_or(RenderError::OutOfMemory { bytes: n })
}

/// Bytes per pixel of `img` as `image` stores it.
fn bytes_per_pixel(img: &DynamicImage) -> u64 {
    u64::from(img.color().bytes_per_pixel())
}

fn resize(img: DynamicImage, w: u32, h: u32) -> Result<DynamicImage, RenderError> {
    let (iw, ih) = img.dimensions();
    if (iw, ih) == (w, h) {
        return Ok(img);
    }
    let filter = FilterType::Triangle;
    // Probe for the float intermediate (16 bytes a pixel) and the result.
    let bpp = bytes_per_pixel(&img);
    if width_first((iw, ih), (w, h)) {
        drop(reserve(
            u64::from(iw) * u64::from(ih) * 16 + u64::from(w) * u64::from(ih) * bpp,
        )?);
        let wide = img.resize_exact(w, ih, filter);
        drop(reserve(
            u64::from(w) * u64::from(h) * 16 + u64::from(w) * u64::from(h) * bpp,
        )?);
        Ok(wide.resize_exact(w, h, filter))
    } else {
        drop(reserve(
            u64::from(iw) * u64::from(h) * 16 + u64::from(w) * u64::from(h) * bpp,
        )?);
        Ok(img.resize_exact(w, h, filter))
    }
}

/// Applies one operation (sized by [`step_ops`] and checked by [`plan_sizes`]).
pub fn apply_op(img: DynamicImage, op: Op) -> Result<DynamicImage, RenderError> {
    Ok(match op {
        Op::Resize(w, h) => resize(img, w, h)?,
        Op::Crop(x, y, w, h) => {
            drop(reserve(
                u64::from(w) * u64::from(h) * bytes_per_pixel(&img),
            )?);
            img.crop_imm(x, y, w, h)
        }
        Op::Pad(w, h, x, y) => {
            let mut c = canvas(w, h, Rgba([255, 255, 255, 255]))?;
            let inner = img.to_rgba8();
            image::imageops::overlay(&mut c, &inner, i64::from(x), i64::from(y));
            DynamicImage::ImageRgba8(c)
        }
    })
}

/// Applies one geometry step. The caller checks the sizes first ([`plan_sizes`]).
pub fn apply(img: DynamicImage, step: &Step) -> Result<DynamicImage, RenderError> {
    let (w, h) = img.dimensions();
    step_ops(w, h, step).into_iter().try_fold(img, apply_op)
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

/// The decoder limits of an original: sides and pixels within [`MAX_PIXELS`], at most
/// [`MAX_DECODE_BYTES`] allocated.
pub fn decode_limits() -> Limits {
    let side = u32::try_from(MAX_PIXELS).unwrap_or(u32::MAX);
    let mut limits = Limits::default();
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

fn decode_error(e: image::ImageError) -> RenderError {
    RenderError::Decode(e.to_string())
}

/// A decoder for `input` under [`decode_limits`], and the original's dimensions from
/// its header (nothing is decoded yet).
fn open(input: &[u8]) -> Result<(impl ImageDecoder + '_, u32, u32), RenderError> {
    let mut reader = ImageReader::new(Cursor::new(input))
        .with_guessed_format()
        .map_err(|e| RenderError::Decode(e.to_string()))?;
    reader.limits(decode_limits());
    let decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    Ok((decoder, w, h))
}

/// The dimensions in the header of an encoded image (nothing else is decoded).
pub fn dimensions(input: &[u8]) -> Result<(u32, u32), RenderError> {
    open(input).map(|(_, w, h)| (w, h))
}

/// Decodes an original of at most [`MAX_PIXELS`] under [`decode_limits`].
pub fn decode(input: &[u8]) -> Result<DynamicImage, RenderError> {
    let (decoder, w, h) = open(input)?;
    check_original(w, h)?;
    if w == 0 || h == 0 {
        return Err(RenderError::Decode("the image is empty".into()));
    }
    drop(reserve(decoder.total_bytes())?);
    DynamicImage::from_decoder(decoder).map_err(decode_error)
}

const OUTPUT_FORMATS: &[&str] = &["jpg", "jpeg", "png", "webp", "gif"];

/// Decodes, transforms and encodes an image. The sizes are planned from the header
/// first ([`plan_sizes`]), so a transformation over the limits costs no decoding.
pub fn render(input: &[u8], plan: &Plan, format: &str) -> Result<Vec<u8>, RenderError> {
    if !OUTPUT_FORMATS.contains(&format) {
        return Err(RenderError::UnsupportedFormat(format.to_owned()));
    }
    let (w, h) = dimensions(input)?;
    plan_sizes(w, h, plan)?;
    let mut img = decode(input)?;
    for step in &plan.steps {
        img = apply(img, step)?;
    }
    let (w, h) = img.dimensions();
    // Start from a fallibly reserved buffer of one byte a pixel (a quarter of RGBA).
    let mut out = Cursor::new(reserve(u64::from(w) * u64::from(h))?);
    let encode = |e: image::ImageError| RenderError::Encode(e.to_string());
    match format {
        "jpg" | "jpeg" => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut out,
                plan.quality.unwrap_or(80),
            );
            rgb.write_with_encoder(enc).map_err(encode)?;
        }
        "png" => img.write_to(&mut out, ImageFormat::Png).map_err(encode)?,
        "webp" => DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut out, ImageFormat::WebP)
            .map_err(encode)?,
        _ => DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut out, ImageFormat::Gif)
            .map_err(encode)?,
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
pub const MAX_TEXT_PIXELS: u64 = MAX_PIXELS;

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
    let mut img = canvas(w32, h32, style.background).map_err(|e| e.to_string())?;
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
            apply(img.clone(), &step(Some(100), None, "scale"))
                .unwrap()
                .dimensions(),
            (100, 50)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "fit"))
                .unwrap()
                .dimensions(),
            (100, 50)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(800), Some(800), "limit"))
                .unwrap()
                .dimensions(),
            (400, 200)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "fill"))
                .unwrap()
                .dimensions(),
            (100, 100)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(100), Some(100), "pad"))
                .unwrap()
                .dimensions(),
            (100, 100)
        );
        assert_eq!(
            apply(img.clone(), &step(Some(50), Some(60), "crop"))
                .unwrap()
                .dimensions(),
            (50, 60)
        );
        assert_eq!(
            apply(img, &step(Some(100), Some(100), "thumb"))
                .unwrap()
                .dimensions(),
            (100, 100)
        );
    }

    #[test]
    fn plans_are_sized_before_any_pixel() {
        let plan = |t: &str| parse(&segs(t)).unwrap();
        assert_eq!(plan_sizes(400, 200, &plan("w_100")), Ok((100, 50)));
        assert_eq!(
            plan_sizes(400, 200, &plan("w_0.5,h_0.5,c_fill")),
            Ok((200, 100))
        );
        assert_eq!(
            plan_sizes(400, 200, &plan("c_pad,w_100,h_100")),
            Ok((100, 100))
        );
        assert_eq!(
            plan_sizes(400, 200, &plan("c_limit,w_60000,h_60000")),
            Ok((400, 200))
        );
        assert_eq!(
            plan_sizes(400, 200, &plan("c_crop,w_60000,h_60000")),
            Ok((400, 200))
        );
        assert_eq!(
            plan_sizes(400, 200, &plan("w_5000,h_5000")),
            Ok((5000, 5000))
        );
        let too_large = RenderError::TooLarge {
            width: 60000,
            height: 60000,
        };
        assert_eq!(plan_sizes(8, 6, &plan("w_60000,h_60000")), Err(too_large));
        // Pad scales the image into the canvas first: that is the first thing too large.
        assert_eq!(
            plan_sizes(8, 6, &plan("c_pad,w_60000,h_60000")),
            Err(RenderError::TooLarge {
                width: 60000,
                height: 45000
            })
        );
        // A canvas too large around a small image.
        assert!(matches!(
            plan_sizes(8, 6, &plan("w_1,h_1/c_pad,w_60000,h_60000")),
            Err(RenderError::TooLarge { .. })
        ));
        assert!(matches!(
            plan_sizes(8, 6, &plan("w_5001,h_5000")),
            Err(RenderError::TooLarge { .. })
        ));
        assert!(matches!(
            plan_sizes(8, 6, &plan("w_4294967295,h_4294967295")),
            Err(RenderError::TooLarge { .. })
        ));
        assert!(matches!(
            plan_sizes(
                8,
                6,
                &plan("w_5000,h_5000/w_4000,h_4000/w_5000,h_5000/w_4000,h_4000/w_5000,h_5000")
            ),
            Err(RenderError::TooComplex { .. })
        ));
        assert_eq!(
            plan_sizes(5001, 5000, &plan("w_10")),
            Err(RenderError::OriginalTooLarge {
                width: 5001,
                height: 5000
            })
        );
        let e = RenderError::TooLarge {
            width: 60000,
            height: 60000,
        };
        assert_eq!(
            e.to_string(),
            "Requested image too large. Got 60000x60000 (3600000000 pixels). Maximum is 25000000."
        );
    }

    #[test]
    fn rendering_gives_the_planned_size_for_every_mode() {
        let mut png = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image::RgbImage::new(9, 5))
            .write_to(&mut png, ImageFormat::Png)
            .unwrap();
        let png = png.into_inner();
        for t in [
            "w_20",
            "h_3",
            "w_0.5",
            "c_fit,w_20,h_20",
            "c_limit,w_4,h_40",
            "c_fill,w_7,h_13,g_south_east",
            "c_thumb,w_3,h_3",
            "c_pad,w_30,h_4,g_north",
            "c_crop,w_4,h_40,g_west",
            "w_1,h_40",
            "w_40,h_1/c_pad,w_2,h_2",
        ] {
            let p = parse(&segs(t)).unwrap();
            let planned = plan_sizes(9, 5, &p).unwrap();
            let out = render(&png, &p, "png").unwrap();
            let got = image::load_from_memory(&out).unwrap().dimensions();
            assert_eq!(got, planned, "{t}");
        }
    }

    #[test]
    fn wide_to_tall_resizes_go_width_first() {
        // image's vertical pass would make a 4000 x 4000 float buffer.
        assert!(width_first((4000, 1), (1, 4000)));
        assert!(width_first((100, 100), (50, 200)));
        assert!(!width_first((100, 100), (200, 50)));
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(4000, 1));
        assert_eq!(resize(img, 1, 4000).unwrap().dimensions(), (1, 4000));
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
