//! Text drawn with a real font: DejaVu Sans (regular and bold) from Debian's
//! `fonts-dejavu-core`, embedded in the binary under its licence
//! (`emulator/assets/fonts/LICENSE-DejaVu.txt`). Every font family is drawn with it
//! (an approximation). Layout is computed once from the font's metrics
//! ([`layout`]) and drawing follows it, so the planned size is the drawn size.

use std::io::Cursor;

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

use super::color::{BLACK, TRANSPARENT};
use super::{canvas, RenderError, MAX_PIXELS};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The most characters one text may have.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The largest font size, in pixels.
pub const MAX_FONT_SIZE: f32 = 10_000.0;

/// How much an italic text leans (x shift per pixel above the baseline).
const SLANT: f32 = 0.2;

/// Horizontal alignment of the lines of a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    /// Left (also `start`, `justify`).
    #[default]
    Left,
    /// Centre.
    Center,
    /// Right (also `end`).
    Right,
}

/// A text and its style, from a text layer's `<style>:<text>`
/// (`Arial_20_bold_italic_underline_center_letter_spacing_4_line_spacing_2`).
#[derive(Clone, Debug, PartialEq)]
pub struct TextSpec {
    /// The font family asked for (drawn with DejaVu Sans whatever it is).
    pub family: String,
    /// Font size in pixels (one em).
    pub size: f32,
    /// `bold` (or `semibold`, `extrabold`, `black`).
    pub bold: bool,
    /// `italic` / `oblique`: drawn slanted.
    pub italic: bool,
    /// `underline`.
    pub underline: bool,
    /// `strikethrough`.
    pub strikethrough: bool,
    /// `left` / `center` / `right`.
    pub align: Align,
    /// `stroke`: outlined with the component's `bo_` (width and colour).
    pub stroke: bool,
    /// `letter_spacing_<n>`: extra pixels after each character.
    pub letter_spacing: f32,
    /// `line_spacing_<n>`: extra pixels between lines.
    pub line_spacing: f32,
    /// The text (newlines break lines).
    pub text: String,
}

impl TextSpec {
    /// Whether the part before the first `:` of a text layer is a style
    /// (`<family>_<size>…`) or a `$variable`.
    pub fn looks_like_style(s: &str) -> bool {
        s.starts_with('$')
            || s.split('_')
                .nth(1)
                .is_some_and(|t| t.parse::<f32>().is_ok())
    }

    /// Parses a style (empty: Arial 12) for `text`.
    pub fn parse(style: &str, text: &str) -> Result<TextSpec, String> {
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(format!(
                "Text too long: at most {MAX_TEXT_CHARS} characters"
            ));
        }
        let mut spec = TextSpec {
            family: "Arial".into(),
            size: 12.0,
            bold: false,
            italic: false,
            underline: false,
            strikethrough: false,
            stroke: false,
            align: Align::Left,
            letter_spacing: 0.0,
            line_spacing: 0.0,
            text: text.to_owned(),
        };
        if style.is_empty() || style.starts_with('$') {
            return Ok(spec);
        }
        let tokens: Vec<&str> = style.split('_').collect();
        spec.family = tokens[0].to_owned();
        spec.size = tokens
            .get(1)
            .and_then(|t| t.parse::<f32>().ok())
            .filter(|s| *s > 0.0 && *s <= MAX_FONT_SIZE)
            .ok_or_else(|| format!("Invalid font size in text style {style}"))?;
        let mut rest = tokens[2..].iter();
        while let Some(t) = rest.next() {
            let mut amount = |what: &str| -> Result<f32, String> {
                let next = rest.next().copied();
                if next != Some("spacing") {
                    return Err(format!("Invalid {what} in text style {style}"));
                }
                rest.next()
                    .and_then(|n| n.parse::<f32>().ok())
                    .filter(|n| n.abs() <= MAX_FONT_SIZE)
                    .ok_or_else(|| format!("Invalid {what} in text style {style}"))
            };
            match *t {
                "bold" | "semibold" | "extrabold" | "black" => spec.bold = true,
                "italic" | "oblique" => spec.italic = true,
                "underline" => spec.underline = true,
                "strikethrough" => spec.strikethrough = true,
                "stroke" => spec.stroke = true,
                "left" | "start" | "justify" => spec.align = Align::Left,
                "center" => spec.align = Align::Center,
                "right" | "end" => spec.align = Align::Right,
                "letter" => spec.letter_spacing = amount("letter spacing")?,
                "line" => spec.line_spacing = amount("line spacing")?,
                "antialias" | "hinting" => {
                    rest.next();
                }
                _ => {} // normal, thin, light, … : drawn as regular.
            }
        }
        Ok(spec)
    }

    fn font(&self) -> FontRef<'static> {
        // The embedded fonts are valid TrueType files (checked by the tests).
        FontRef::try_from_slice(if self.bold { BOLD } else { REGULAR })
            .unwrap_or_else(|_| unreachable!("embedded font"))
    }

    fn scale(&self, font: &FontRef<'_>) -> PxScale {
        font.pt_to_px_scale(self.size * 0.75)
            .unwrap_or(PxScale::from(self.size))
    }
}

/// Where the lines of a text go: the text image's size and each line with its width.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Image width.
    pub width: u32,
    /// Image height.
    pub height: u32,
    /// The lines and their widths in pixels.
    pub lines: Vec<(String, f32)>,
    /// Stroke width around the glyphs (pixels).
    pub stroke: u32,
}

fn line_width(spec: &TextSpec, line: &str) -> f32 {
    let font = spec.font();
    let sf = font.as_scaled(spec.scale(&font));
    let mut w = 0.0;
    let mut prev = None;
    for c in line.chars() {
        let id = sf.glyph_id(c);
        if let Some(p) = prev {
            w += sf.kern(p, id);
        }
        w += sf.h_advance(id) + spec.letter_spacing;
        prev = Some(id);
    }
    if spec.italic {
        w += sf.ascent() * SLANT;
    }
    w.max(0.0)
}

fn line_height(spec: &TextSpec) -> f32 {
    let font = spec.font();
    let sf = font.as_scaled(spec.scale(&font));
    sf.ascent() - sf.descent()
}

/// Breaks `text` into lines at most `max` pixels wide at spaces (a longer word keeps
/// a line of its own). Word widths are measured once, so the work is linear in the
/// text.
fn wrap(spec: &TextSpec, max: f32) -> Vec<String> {
    let space = line_width(spec, " ");
    let mut out = Vec::new();
    for para in spec.text.split('\n') {
        let mut line = String::new();
        let mut width = 0.0;
        for word in para.split(' ') {
            let w = line_width(spec, word);
            if !line.is_empty() && width + space + w > max {
                out.push(std::mem::take(&mut line));
                width = 0.0;
            }
            if !line.is_empty() {
                line.push(' ');
                width += space;
            }
            line.push_str(word);
            width += w;
        }
        out.push(line);
    }
    out
}

/// Lays `spec` out, wrapped at `wrap_width` pixels when given, with `stroke` pixels of
/// outline. Errors when the image would exceed [`MAX_PIXELS`].
pub fn layout(
    spec: &TextSpec,
    wrap_width: Option<u32>,
    stroke: u32,
) -> Result<Layout, RenderError> {
    let lines: Vec<String> = match wrap_width {
        Some(w) => wrap(spec, w as f32),
        None => spec.text.split('\n').map(str::to_owned).collect(),
    };
    let lines: Vec<(String, f32)> = lines
        .into_iter()
        .map(|l| {
            let w = line_width(spec, &l);
            (l, w)
        })
        .collect();
    let widest = lines.iter().map(|(_, w)| *w).fold(0.0f32, f32::max);
    let n = lines.len() as f64;
    let lh = f64::from(line_height(spec));
    let height =
        n * lh + (n - 1.0).max(0.0) * f64::from(spec.line_spacing) + 2.0 * f64::from(stroke);
    let width = f64::from(widest).ceil() + 2.0 * f64::from(stroke);
    let (w, h) = (width.max(1.0).ceil(), height.max(1.0).ceil());
    if w * h > MAX_PIXELS as f64 {
        return Err(RenderError::TooLarge {
            width: w as u64,
            height: h as u64,
        });
    }
    Ok(Layout {
        width: w as u32,
        height: h as u32,
        lines,
        stroke,
    })
}

fn blend(img: &mut RgbaImage, x: i64, y: i64, color: Rgba<u8>, coverage: f32) {
    let (w, h) = img.dimensions();
    if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
        return;
    }
    let a = coverage.clamp(0.0, 1.0) * f32::from(color.0[3]) / 255.0;
    if a <= 0.0 {
        return;
    }
    let px = img.get_pixel_mut(x as u32, y as u32);
    let da = f32::from(px.0[3]) / 255.0;
    let out_a = a + da * (1.0 - a);
    for i in 0..3 {
        let s = f32::from(color.0[i]);
        let d = f32::from(px.0[i]);
        px.0[i] = ((s * a + d * da * (1.0 - a)) / out_a.max(1e-6)).round() as u8;
    }
    px.0[3] = (out_a * 255.0).round() as u8;
}

/// Draws `spec` as laid out by [`layout`] in `color` (outline in `stroke_color`) on
/// `background`.
pub fn draw(
    spec: &TextSpec,
    lay: &Layout,
    color: Rgba<u8>,
    background: Rgba<u8>,
    stroke_color: Rgba<u8>,
) -> Result<RgbaImage, RenderError> {
    let mut img = canvas(lay.width, lay.height, background)?;
    let font = spec.font();
    let scale = spec.scale(&font);
    let sf = font.as_scaled(scale);
    let lh = sf.ascent() - sf.descent();
    let s = lay.stroke as f32;
    let inner = lay.width as f32 - 2.0 * s;
    let mut offsets = vec![(0.0f32, 0.0f32, color)];
    if lay.stroke > 0 {
        let ring: Vec<(f32, f32, Rgba<u8>)> = (0..16)
            .map(|i| {
                let t = i as f32 * std::f32::consts::PI / 8.0;
                (s * t.cos(), s * t.sin(), stroke_color)
            })
            .collect();
        offsets = ring.into_iter().chain(offsets).collect();
    }
    for (dx, dy, c) in offsets {
        for (row, (line, lw)) in lay.lines.iter().enumerate() {
            let x0 = s + match spec.align {
                Align::Left => 0.0,
                Align::Center => (inner - lw) / 2.0,
                Align::Right => inner - lw,
            };
            let baseline = s + row as f32 * (lh + spec.line_spacing) + sf.ascent();
            let mut x = x0;
            let mut prev = None;
            for ch in line.chars() {
                let id = sf.glyph_id(ch);
                if let Some(p) = prev {
                    x += sf.kern(p, id);
                }
                let glyph = id.with_scale_and_position(scale, point(x + dx, baseline + dy));
                if let Some(outlined) = font.outline_glyph(glyph) {
                    let b = outlined.px_bounds();
                    outlined.draw(|gx, gy, cov| {
                        let py = b.min.y + gy as f32;
                        let lean = if spec.italic {
                            (baseline - py) * SLANT
                        } else {
                            0.0
                        };
                        let px = (b.min.x + gx as f32 + lean).round() as i64;
                        blend(&mut img, px, py as i64, c, cov);
                    });
                }
                x += sf.h_advance(id) + spec.letter_spacing;
                prev = Some(id);
            }
            let thickness = (spec.size / 14.0).max(1.0);
            let rule = |img: &mut RgbaImage, y: f32| {
                for yy in 0..thickness.round() as i64 {
                    for xx in x0.floor() as i64..(x0 + lw).ceil() as i64 {
                        blend(img, xx + dx as i64, y as i64 + yy + dy as i64, c, 1.0);
                    }
                }
            };
            if spec.underline {
                rule(&mut img, baseline + spec.size * 0.1);
            }
            if spec.strikethrough {
                rule(&mut img, baseline - spec.size * 0.3);
            }
        }
    }
    Ok(img)
}

/// How [`text_image`] draws a text: the `text` method's style parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct TextStyle {
    /// `font_size` in pixels.
    pub font_size: u32,
    /// `font_weight=bold`: the bold face.
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
            color: BLACK,
            background: TRANSPARENT,
            align: "left".into(),
        }
    }
}

/// The most pixels a text image may have (the usage report's `image_max_px`).
pub const MAX_TEXT_PIXELS: u64 = MAX_PIXELS;

fn spec_of(text: &str, style: &TextStyle) -> TextSpec {
    let mut spec = TextSpec::parse("", "").unwrap_or_else(|_| unreachable!("empty text"));
    spec.text = text.chars().take(MAX_TEXT_CHARS).collect();
    spec.size = (style.font_size.max(1) as f32).min(MAX_FONT_SIZE);
    spec.bold = style.bold;
    spec.align = match style.align.as_str() {
        "center" => Align::Center,
        "right" | "end" => Align::Right,
        _ => Align::Left,
    };
    spec
}

/// The size of the image of `text` (see [`text_image`]).
pub fn text_size(text: &str, style: &TextStyle) -> (u64, u64) {
    match layout(&spec_of(text, style), None, 0) {
        Ok(l) => (u64::from(l.width), u64::from(l.height)),
        Err(RenderError::TooLarge { width, height }) => (width, height),
        Err(_) => (0, 0),
    }
}

/// A PNG of `text` drawn with the embedded font: each line's advance wide, the font's
/// line height per line. Errors past [`MAX_TEXT_PIXELS`].
pub fn text_image(text: &str, style: &TextStyle) -> Result<(Vec<u8>, u32, u32), String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "Text too long: at most {MAX_TEXT_CHARS} characters"
        ));
    }
    let spec = spec_of(text, style);
    let lay = layout(&spec, None, 0).map_err(|e| e.to_string())?;
    let img = draw(&spec, &lay, style.color, style.background, BLACK).map_err(|e| e.to_string())?;
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(img)
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok((out.into_inner(), lay.width, lay.height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_load() {
        assert!(FontRef::try_from_slice(REGULAR).is_ok());
        assert!(FontRef::try_from_slice(BOLD).is_ok());
    }

    #[test]
    fn styles_parse() {
        let s = TextSpec::parse(
            "Times New Roman_20_bold_italic_underline_center_letter_spacing_4_line_spacing_2",
            "Hi",
        )
        .unwrap();
        assert_eq!(s.family, "Times New Roman");
        assert_eq!(s.size, 20.0);
        assert!(s.bold && s.italic && s.underline);
        assert_eq!(s.align, Align::Center);
        assert_eq!((s.letter_spacing, s.line_spacing), (4.0, 2.0));
        assert!(TextSpec::looks_like_style("Arial_20"));
        assert!(!TextSpec::looks_like_style("Hello world"));
        assert!(TextSpec::parse("Arial_0", "x").is_err());
        assert!(TextSpec::parse("Arial_20_letter_spacing_x", "x").is_err());
    }

    #[test]
    fn text_images_have_glyphs_and_grow_with_the_text() {
        let style = TextStyle::default();
        let (png, w, h) = text_image("Hello", &style).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(img.dimensions(), (w, h));
        // About 0.6 em a letter, one line of 1.16 em.
        assert!((25..=40).contains(&w) && (12..=16).contains(&h), "{w}x{h}");
        // Some pixels are ink, some are not, some are antialiased.
        let alphas: Vec<u8> = img.pixels().map(|p| p.0[3]).collect();
        assert!(alphas.contains(&0) && alphas.iter().any(|a| *a > 200));
        assert!(alphas.iter().any(|a| (1..200).contains(a)));
        let big = TextStyle {
            font_size: 40,
            ..TextStyle::default()
        };
        let (_, w2, h2) = text_image("Hello", &big).unwrap();
        assert!(w2 > 3 * w && h2 > 3 * h, "{w2}x{h2}");
        let (_, w3, h3) = text_image("Hello\nworld!", &style).unwrap();
        assert!(w3 > w && h3 >= 2 * h - 1);
        assert!(text_image(
            &"x".repeat(9_000),
            &TextStyle {
                font_size: 400,
                ..big
            }
        )
        .is_err());
        // Bold is wider.
        let bold = TextStyle {
            bold: true,
            ..TextStyle::default()
        };
        assert!(text_image("Hello", &bold).unwrap().1 > w);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let spec = TextSpec::parse("Arial_20", "one two three four five six").unwrap();
        let lay = layout(&spec, Some(100), 0).unwrap();
        assert!(lay.lines.len() >= 3, "{:?}", lay.lines);
        assert!(lay.width <= 100, "{}", lay.width);
    }
}
