//! Image transformations for delivery: every parameter of the URL API is rendered,
//! approximated or passed through (the table is in `emulator/README.md`).
//!
//! * [`parse()`] turns the transformation segments into a [`Plan`] (a 400 for invalid
//!   syntax; named transformations are expanded first with [`expand_named`]);
//! * [`compile`] plans it on the original's size into a [`Program`] of pixel
//!   operations before any pixel is touched ([`mod@plan`] holds the limits);
//! * [`render_in`] decodes, runs the program and encodes.
//!
//! Sizes are planned first: the original's header must show at most [`MAX_PIXELS`],
//! every step's result, layer and canvas at most [`MAX_PIXELS`], the images held at
//! once at most [`plan::MAX_LIVE_PIXELS`], and the whole program at most
//! [`MAX_WORK_PIXELS`] of pixel work; past that the answer is a [`RenderError`] (a
//! 400), never an allocation the URL chose. The decoder runs under `image`'s
//! [`Limits`], and the buffers the renderer makes are reserved with fallible
//! allocation.

use std::collections::HashMap;
use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, Rgba, RgbaImage};

pub mod color;
pub mod effects;
pub mod expr;
pub mod geometry;
pub mod overlay;
pub mod parse;
pub mod pixels;
pub mod plan;
pub mod probe;
pub mod run;
pub mod text;

pub use color::parse_color;
pub use parse::{
    expand_named, normalize_format, parse, Dim, Layer, LayerSource, Plan, Step, OUTPUT_FORMATS,
    PNG_STANDINS,
};
pub use plan::{compile, Op, Program};
pub use probe::probe_image;
pub use text::{text_image, text_size, TextStyle, MAX_TEXT_PIXELS};

/// The most pixels an image may have at any step of a transformation, the original
/// and every layer included: Cloudinary's `image_max_px` of the Free plan (25
/// megapixels), which the emulator's usage report announces.
pub const MAX_PIXELS: u64 = 25_000_000;

/// The most pixel work a whole transformation may do: the pixels read, the
/// intermediate buffers and the pixels written by every operation, added up (eight
/// steps at the full [`MAX_PIXELS`]).
pub const MAX_WORK_PIXELS: u64 = 8 * MAX_PIXELS;

/// The most memory the decoder may allocate for one original (`image`'s
/// [`Limits::max_alloc`]): a [`MAX_PIXELS`] image of 16-bit RGBA, plus room for the
/// decoder's own buffers.
pub const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 8 + (64 << 20);

/// Why a transformation cannot be rendered. Each is the client's doing (a 400, a 404
/// for a missing layer) except [`RenderError::Io`].
#[derive(Clone, Debug, PartialEq)]
pub enum RenderError {
    /// The original (or a layer) has more than [`MAX_PIXELS`] pixels: it is not
    /// decoded.
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
    /// The plan would do more than [`MAX_WORK_PIXELS`] of pixel work (or hold more
    /// than [`plan::MAX_LIVE_PIXELS`] at once).
    TooComplex {
        /// The pixel work it would do (saturating).
        pixels: u64,
    },
    /// Memory for a buffer of this many bytes could not be reserved.
    OutOfMemory {
        /// The bytes asked for.
        bytes: u64,
    },
    /// A value the plan computes is invalid (an undefined variable, a non-positive
    /// aspect ratio, …).
    Invalid(String),
    /// An image layer names an asset that does not exist (a 404).
    LayerNotFound(String),
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
            RenderError::LayerNotFound(_) => 404,
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
            RenderError::Invalid(e) => write!(f, "Invalid transformation: {e}"),
            RenderError::LayerNotFound(id) => write!(f, "Resource not found - layer {id}"),
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

/// An image layer's encoded bytes and header size.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerImage {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// Width from its header.
    pub width: u32,
    /// Height from its header.
    pub height: u32,
}

impl LayerImage {
    /// Reads the size from the header of `bytes` (nothing is decoded).
    pub fn new(bytes: Vec<u8>) -> Result<LayerImage, RenderError> {
        let (width, height) = dimensions(&bytes)?;
        Ok(LayerImage {
            bytes,
            width,
            height,
        })
    }
}

/// What a rendering needs besides the original: the image layers (by
/// [`LayerSource::key`]) and the asset's tags (for conditions).
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Image layers by key.
    pub layers: HashMap<String, LayerImage>,
    /// The asset's tags.
    pub tags: Vec<String>,
}

/// Checks an original's dimensions against [`MAX_PIXELS`].
pub fn check_original(width: u32, height: u32) -> Result<(), RenderError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::OriginalTooLarge { width, height });
    }
    Ok(())
}

/// Plans `plan` on an original of `iw` x `ih` without touching a pixel (and without
/// image layers): the size of the result, or the first limit the plan breaks.
pub fn plan_sizes(iw: u32, ih: u32, plan: &Plan) -> Result<(u32, u32), RenderError> {
    plan_work(iw, ih, plan).map(|(w, h, _)| (w, h))
}

/// [`plan_sizes`] with the pixel work the plan does (what [`MAX_WORK_PIXELS`]
/// bounds): `(width, height, work)`.
pub fn plan_work(iw: u32, ih: u32, plan: &Plan) -> Result<(u32, u32, u64), RenderError> {
    plan_work_in(iw, ih, plan, &Context::default())
}

/// [`plan_work`] with the layers and tags of `ctx`.
pub fn plan_work_in(
    iw: u32,
    ih: u32,
    plan: &Plan,
    ctx: &Context,
) -> Result<(u32, u32, u64), RenderError> {
    compile(iw, ih, plan, ctx).map(|p| (p.width, p.height, p.work))
}

/// Reserves `bytes` with fallible allocation and gives the empty buffer back (an
/// allocation failure is an error, not an abort).
pub(crate) fn reserve(bytes: u64) -> Result<Vec<u8>, RenderError> {
    let n = usize::try_from(bytes).map_err(|_| RenderError::OutOfMemory { bytes })?;
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| RenderError::OutOfMemory { bytes })?;
    Ok(v)
}

/// A `w` x `h` canvas of `color`, allocated fallibly.
pub(crate) fn canvas(w: u32, h: u32, color: Rgba<u8>) -> Result<RgbaImage, RenderError> {
    let n = u64::from(w) * u64::from(h) * 4;
    let mut buf = reserve(n)?;
    let len = usize::try_from(n).map_err(|_| RenderError::OutOfMemory { bytes: n })?;
    buf.extend(color.0.iter().copied().cycle().take(len));
    RgbaImage::from_raw(w, h, buf).ok_or(RenderError::OutOfMemory { bytes: n })
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

/// [`decode`] as 8-bit RGBA (the renderer's working form).
pub(crate) fn decode_rgba(input: &[u8]) -> Result<RgbaImage, RenderError> {
    let img = decode(input)?;
    if let DynamicImage::ImageRgba8(rgba) = img {
        return Ok(rgba);
    }
    drop(reserve(
        u64::from(img.width()) * u64::from(img.height()) * 4,
    )?);
    Ok(img.into_rgba8())
}

/// The format the emulator encodes for `requested` (normalised): itself when it can,
/// PNG for the image formats it cannot encode ([`PNG_STANDINS`]); `None` for a
/// format that is not an image format. The flag says whether PNG stands in.
pub fn output_format(requested: &str) -> Option<(String, bool)> {
    let f = normalize_format(requested);
    if OUTPUT_FORMATS.contains(&f.as_str()) {
        Some((f, false))
    } else if PNG_STANDINS.contains(&f.as_str()) {
        Some(("png".into(), true))
    } else {
        None
    }
}

/// Encodes `img` as `format` (one of [`OUTPUT_FORMATS`]); JPEG flattens transparency
/// onto white.
pub fn encode(
    mut img: RgbaImage,
    format: &str,
    quality: Option<u8>,
) -> Result<Vec<u8>, RenderError> {
    let (w, h) = img.dimensions();
    // Start from a fallibly reserved buffer of one byte a pixel (a quarter of RGBA).
    let mut out = Cursor::new(reserve(u64::from(w) * u64::from(h))?);
    let err = |e: image::ImageError| RenderError::Encode(e.to_string());
    let opaque = img.pixels().all(|p| p.0[3] == 255);
    match format {
        "jpg" => {
            pixels::flatten(&mut img, color::WHITE);
            let rgb = DynamicImage::ImageRgba8(img).into_rgb8();
            let enc =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.unwrap_or(80));
            DynamicImage::ImageRgb8(rgb)
                .write_with_encoder(enc)
                .map_err(err)?;
        }
        "png" if opaque => DynamicImage::ImageRgba8(img)
            .into_rgb8()
            .write_to(&mut out, ImageFormat::Png)
            .map_err(err)?,
        "png" => img.write_to(&mut out, ImageFormat::Png).map_err(err)?,
        "webp" => img.write_to(&mut out, ImageFormat::WebP).map_err(err)?,
        "gif" => img.write_to(&mut out, ImageFormat::Gif).map_err(err)?,
        other => return Err(RenderError::UnsupportedFormat(other.to_owned())),
    }
    Ok(out.into_inner())
}

/// Decodes, transforms and encodes an image (no image layers). See [`render_in`].
pub fn render(input: &[u8], plan: &Plan, format: &str) -> Result<Vec<u8>, RenderError> {
    render_in(input, plan, format, &Context::default())
}

/// Decodes, transforms (with the layers of `ctx`) and encodes an image as `format`
/// (one of [`OUTPUT_FORMATS`]). The program is planned from the header first
/// ([`compile`]), so a transformation over the limits costs no decoding.
pub fn render_in(
    input: &[u8],
    plan: &Plan,
    format: &str,
    ctx: &Context,
) -> Result<Vec<u8>, RenderError> {
    let format = normalize_format(format);
    if !OUTPUT_FORMATS.contains(&format.as_str()) {
        return Err(RenderError::UnsupportedFormat(format));
    }
    let (w, h) = dimensions(input)?;
    let program = compile(w, h, plan, ctx)?;
    let img = decode_rgba(input)?;
    let img = run::run(&program, img, ctx)?;
    encode(img, &format, plan.quality)
}

/// A PNG of `w` x `h` pixels of one colour (placeholders and tests).
pub fn solid_png(w: u32, h: u32, color: Rgba<u8>) -> Result<Vec<u8>, RenderError> {
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w == 0 || h == 0 {
        return Err(RenderError::TooLarge {
            width: u64::from(w),
            height: u64::from(h),
        });
    }
    encode(canvas(w, h, color)?, "png", None)
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

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    fn segs(s: &str) -> Vec<String> {
        s.split('/').map(str::to_owned).collect()
    }

    fn plan(t: &str) -> Plan {
        parse(&segs(t)).unwrap()
    }

    #[test]
    fn plans_are_sized_before_any_pixel() {
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
        for t in [
            "w_1,h_1/c_pad,w_60000,h_60000",
            "w_5001,h_5000",
            "w_4294967295,h_4294967295",
            "w_100,dpr_10/w_1.0,dpr_10",
            "bo_60000px_solid_red",
            "w_5000,h_5000/a_45",
            "l_text:Arial_5000:Hello%20world%20hello%20world",
            "l_text:Arial_10:x,x_100000,y_100000",
            // Offsets that saturate: the placement arithmetic must not overflow.
            "l_text:Arial_10:x,x_1e300,g_north_west",
            "l_text:Arial_10:x,x_-1e300,y_1e300,g_south_east",
        ] {
            assert!(
                matches!(
                    plan_sizes(8, 6, &plan(t)),
                    Err(RenderError::TooLarge { .. })
                ),
                "{t}: {:?}",
                plan_sizes(8, 6, &plan(t))
            );
        }
        assert!(matches!(
            plan_sizes(
                8,
                6,
                &plan("w_5000,h_5000/w_4000,h_4000/w_5000,h_5000/w_4000,h_4000/w_5000,h_5000")
            ),
            Err(RenderError::TooComplex { .. })
        ));
        // Effects count their passes: blurring 25 MP eight times is too much work.
        assert!(matches!(
            plan_sizes(5000, 5000, &plan("e_blur/e_blur/e_blur")),
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
    fn layers_count_against_the_limits() {
        let big = LayerImage {
            bytes: Vec::new(),
            width: 5000,
            height: 5000,
        };
        let ctx = Context {
            layers: [("upload/big".to_owned(), big)].into_iter().collect(),
            tags: Vec::new(),
        };
        // A 25 MP layer over a 25 MP image is fine; one more open layer is not.
        assert!(plan_work_in(5000, 5000, &plan("l_big,fl_no_overflow"), &ctx).is_ok());
        assert!(matches!(
            plan_work_in(
                5000,
                5000,
                &plan("l_big/l_big/fl_layer_apply/fl_layer_apply"),
                &ctx
            ),
            Err(RenderError::TooComplex { .. })
        ));
        // Overflowing the canvas grows it past the limit.
        assert!(matches!(
            plan_work_in(5000, 5000, &plan("l_big,g_north_west,x_4000"), &ctx),
            Err(RenderError::TooLarge { .. })
        ));
        assert_eq!(
            plan_sizes(10, 10, &plan("l_missing")),
            Err(RenderError::LayerNotFound("missing".into()))
        );
        assert_eq!(RenderError::LayerNotFound("x".into()).status(), 404);
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 20) as u8, (y * 20) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn rendering_gives_the_planned_size_for_every_kind_of_operation() {
        let original = png(9, 5);
        let badge = LayerImage::new(png(3, 2)).unwrap();
        let ctx = Context {
            layers: [("upload/folder/badge".to_owned(), badge)]
                .into_iter()
                .collect(),
            tags: vec!["sale".into()],
        };
        for t in [
            "w_20",
            "h_3",
            "w_0.5",
            "c_fit,w_20,h_20",
            "c_limit,w_4,h_40",
            "c_fill,w_7,h_13,g_south_east",
            "c_thumb,w_3,h_3,z_2",
            "c_pad,w_30,h_4,g_north,b_auto",
            "c_pad,w_30,h_30,b_blurred:400:15",
            "c_lpad,w_30,h_30",
            "c_mpad,w_30,h_30",
            "c_lfill,w_30,h_2",
            "c_mfit,w_30,h_30",
            "c_crop,w_4,h_40,g_west",
            "c_crop,w_4,h_3,x_2,y_1,g_north_west",
            "c_crop,w_4,h_4,g_xy_center,x_3,y_3,z_2",
            "w_1,h_40",
            "w_40,h_1/c_pad,w_2,h_2",
            "ar_1:1,c_fill",
            "ar_16:9,c_fill,w_16",
            "ar_2.0,c_pad,h_4",
            "w_10,dpr_2.0",
            "dpr_1.5",
            "a_45",
            "a_90.hflip",
            "a_-30,b_red",
            "a_auto_right,w_5,h_9,c_fill",
            "r_max",
            "r_2:3",
            "bo_2px_solid_red",
            "r_2,bo_1px_solid_rgb:00ff0080",
            "o_50",
            "b_blue",
            "e_blur:2000",
            "e_blur_region,w_3,h_3,g_south_east",
            "e_pixelate_region:2,w_4,h_2,x_1,y_1,g_north_west",
            "e_oil_paint",
            "e_tint:50:red:blue",
            "co_red,e_colorize:40",
            "$w_iw_div_3,w_$w",
            "if_w_gt_5,w_3/if_else,w_30/if_end",
            "if_!sale!_in_tags,w_2",
            "l_folder:badge,g_south_east,x_1,y_1",
            "l_folder:badge,g_north_west,x_-2,y_-1",
            "l_folder:badge,w_0.5,fl_relative,g_center",
            "l_folder:badge,fl_no_overflow,x_8",
            "l_folder:badge,fl_tiled",
            "l_folder:badge,fl_cutter",
            "l_folder:badge,e_multiply",
            "u_folder:badge,w_20,h_20,c_scale",
            "l_folder:badge/e_sepia,w_4/fl_layer_apply,g_north,y_1",
            "l_text:Arial_8_bold:Hi,co_red,g_north",
            "l_text:Arial_8_stroke:Hi,bo_1px_solid_white",
            "l_text:Arial_8:one%20two%20three,c_fit,w_12",
            "l_fetch:aHR0cDovL3guY29tL2EucG5n",
            "ac_aac,so_2",
        ] {
            let p = plan(t);
            let planned = plan_work_in(9, 5, &p, &ctx).unwrap_or_else(|e| panic!("{t}: {e}"));
            let out = render_in(&original, &p, "png", &ctx).unwrap_or_else(|e| panic!("{t}: {e}"));
            let got = image::load_from_memory(&out).unwrap().dimensions();
            assert_eq!(got, (planned.0, planned.1), "{t}");
        }
    }

    #[test]
    fn effects_and_layers_change_pixels() {
        let original = png(9, 5);
        let base = image::load_from_memory(&original).unwrap().to_rgba8();
        let out = |t: &str| {
            let o = render(&original, &plan(t), "png").unwrap();
            image::load_from_memory(&o).unwrap().to_rgba8()
        };
        let gray = out("e_grayscale");
        assert!(gray.pixels().all(|p| p.0[0] == p.0[1] && p.0[1] == p.0[2]));
        let neg = out("e_negate");
        assert_eq!(neg.get_pixel(2, 2).0[0], 255 - base.get_pixel(2, 2).0[0]);
        // A text layer puts dark ink in the middle of a white image.
        let white = solid_png(60, 30, color::WHITE).unwrap();
        let o = render(&white, &plan("l_text:Arial_20_bold:H"), "png").unwrap();
        let img = image::load_from_memory(&o).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (60, 30));
        assert!(img.pixels().any(|p| p.0[0] < 50));
        assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255, 255]);
        // JPEG flattens rounded corners onto white.
        let j = render(&original, &plan("r_max"), "jpg").unwrap();
        let img = image::load_from_memory(&j).unwrap().to_rgb8();
        assert!(img.get_pixel(0, 0).0.iter().all(|c| *c > 230));
    }

    #[test]
    fn output_formats_and_stand_ins() {
        assert_eq!(output_format("JPEG"), Some(("jpg".into(), false)));
        assert_eq!(output_format("avif"), Some(("png".into(), true)));
        assert_eq!(output_format("mp4"), None);
        let p = solid_png(3, 2, color::BLACK).unwrap();
        assert_eq!(dimensions(&p), Ok((3, 2)));
        assert!(solid_png(6000, 6000, color::BLACK).is_err());
    }
}
