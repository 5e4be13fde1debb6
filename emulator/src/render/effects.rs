//! `e_` effects. Those with a counterpart in the `image` crate or a few lines of
//! per-pixel arithmetic are rendered ([`RENDERED`]); the rest are passed through
//! unchanged (and named in the `X-Cld-Emulator-Approximate` header).

use image::imageops;
use image::{Rgba, RgbaImage};

use super::color::{parse_color, BLACK, WHITE};
use super::expr::{parse_expr, Env};
use super::parse::Effect;
use super::{reserve, RenderError};

/// Effects the emulator draws. `multiply`, `screen`, `overlay` and `mask` are blend
/// modes of a layer (see the overlay module).
pub const RENDERED: &[&str] = &[
    "blur",
    "blur_region",
    "pixelate",
    "pixelate_region",
    "grayscale",
    "blackwhite",
    "sepia",
    "negate",
    "brightness",
    "brightness_hsb",
    "contrast",
    "saturation",
    "vibrance",
    "hue",
    "red",
    "green",
    "blue",
    "gamma",
    "sharpen",
    "unsharp_mask",
    "colorize",
    "tint",
    "vignette",
    "make_transparent",
    "multiply",
    "screen",
    "overlay",
    "mask",
];

/// Whether `name` is rendered (else it is passed through).
pub fn is_rendered(name: &str) -> bool {
    RENDERED.contains(&name)
}

/// The blend modes of layers.
pub const BLENDS: &[&str] = &["multiply", "screen", "overlay", "mask"];

/// A resolved effect.
#[derive(Clone, Debug, PartialEq)]
pub enum Fx {
    /// Gaussian-like blur of this sigma.
    Blur(f32),
    /// Squares of this side.
    Pixelate(u32),
    /// Luminance only.
    Grayscale,
    /// Black or white past this threshold (0–255).
    BlackWhite(f32),
    /// Sepia, this strong (0–1).
    Sepia(f32),
    /// Inverted colours.
    Negate,
    /// Added to every channel (−255–255).
    Brightness(f32),
    /// `image`'s contrast, in percent.
    Contrast(f32),
    /// Saturation factor (1 = unchanged).
    Saturation(f32),
    /// Hue rotation in degrees.
    Hue(i32),
    /// One channel (0 red, 1 green, 2 blue) times a factor.
    Channel(usize, f32),
    /// Gamma.
    Gamma(f32),
    /// Unsharp mask of this sigma.
    Sharpen(f32),
    /// Blend towards a colour (0–1).
    Colorize(f32, Rgba<u8>),
    /// Blend towards a luminance gradient through the colours (0–1).
    Tint(f32, Vec<Rgba<u8>>),
    /// Darkened corners (0–1).
    Vignette(f32),
    /// Pixels within a distance of a colour become transparent.
    MakeTransparent(f32, Rgba<u8>),
    /// An effect applied inside a region `(x, y, w, h)` only.
    Region(u32, u32, u32, u32, Box<Fx>),
}

impl Fx {
    /// Pixel passes the effect makes (for the work budget).
    pub fn passes(&self) -> u64 {
        match self {
            Fx::Blur(_) => 8,
            Fx::Sharpen(_) => 12,
            Fx::Pixelate(_) => 3,
            Fx::Region(_, _, _, _, inner) => inner.passes(),
            _ => 2,
        }
    }
}

fn arg(e: &Effect, i: usize, default: f64, min: f64, max: f64, env: &Env) -> Result<f64, String> {
    let Some(text) = e.args.get(i).filter(|a| !a.is_empty()) else {
        return Ok(default);
    };
    let v = match text.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => env.number(&parse_expr(text)?)?,
    };
    Ok(v.clamp(min, max))
}

/// Resolves `e` (with the component's `co_` colour and, for the `_region` effects,
/// the region). `None`: passed through (or a blend mode, applied by the layer).
pub fn resolve(
    e: &Effect,
    env: &Env,
    color: Option<Rgba<u8>>,
    region: Option<(u32, u32, u32, u32)>,
) -> Result<Option<Fx>, String> {
    let a = |i, d, lo, hi| arg(e, i, d, lo, hi, env);
    let fx = match e.name.as_str() {
        "blur" | "blur_region" => Fx::Blur((a(0, 100.0, 1.0, 2000.0)? / 20.0) as f32),
        "pixelate" | "pixelate_region" => Fx::Pixelate(a(0, 10.0, 1.0, 200.0)?.round() as u32),
        "grayscale" => Fx::Grayscale,
        "blackwhite" => Fx::BlackWhite((a(0, 50.0, 0.0, 100.0)? * 2.55) as f32),
        "sepia" => Fx::Sepia((a(0, 80.0, 1.0, 100.0)? / 100.0) as f32),
        "negate" => Fx::Negate,
        "brightness" | "brightness_hsb" => {
            Fx::Brightness((a(0, 80.0, -99.0, 100.0)? * 1.28) as f32)
        }
        "contrast" => Fx::Contrast(a(0, 0.0, -100.0, 100.0)? as f32),
        "saturation" => Fx::Saturation((1.0 + a(0, 80.0, -100.0, 100.0)? / 100.0) as f32),
        "vibrance" => Fx::Saturation((1.0 + a(0, 20.0, -100.0, 100.0)? / 200.0) as f32),
        "hue" => Fx::Hue((a(0, 80.0, -100.0, 100.0)? * 1.8).round() as i32),
        "red" | "green" | "blue" => {
            let ch = ["red", "green", "blue"]
                .iter()
                .position(|c| *c == e.name)
                .unwrap_or(0);
            Fx::Channel(ch, (1.0 + a(0, 0.0, -100.0, 100.0)? / 100.0) as f32)
        }
        "gamma" => Fx::Gamma((1.0 + a(0, 0.0, -50.0, 150.0)? / 100.0) as f32),
        "sharpen" | "unsharp_mask" => {
            Fx::Sharpen((0.5 + a(0, 100.0, 1.0, 2000.0)? / 1000.0) as f32)
        }
        "colorize" => Fx::Colorize(
            (a(0, 100.0, 0.0, 100.0)? / 100.0) as f32,
            color.unwrap_or(BLACK),
        ),
        "tint" => {
            let colors: Vec<Rgba<u8>> = e
                .args
                .iter()
                .skip(1)
                .map(|c| {
                    // A colour may carry its position (`red_20p`): the position is ignored.
                    let name = c.split('_').next().unwrap_or(c);
                    parse_color(name).ok_or_else(|| format!("Invalid tint colour {c}"))
                })
                .collect::<Result<_, _>>()?;
            let colors = if colors.is_empty() {
                vec![color.unwrap_or(Rgba([255, 0, 0, 255]))]
            } else {
                colors
            };
            Fx::Tint((a(0, 60.0, 0.0, 100.0)? / 100.0) as f32, colors)
        }
        "vignette" => Fx::Vignette((a(0, 20.0, 0.0, 100.0)? / 100.0) as f32),
        "make_transparent" => Fx::MakeTransparent(
            (a(0, 10.0, 0.0, 100.0)? * 4.42) as f32,
            color.unwrap_or(WHITE),
        ),
        _ => return Ok(None),
    };
    Ok(Some(match (region, e.name.ends_with("_region")) {
        (Some((x, y, w, h)), true) => Fx::Region(x, y, w, h, Box::new(fx)),
        _ => fx,
    }))
}

fn lum(p: &Rgba<u8>) -> f32 {
    0.299 * f32::from(p.0[0]) + 0.587 * f32::from(p.0[1]) + 0.114 * f32::from(p.0[2])
}

fn clamp8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

fn map_rgb(img: &mut RgbaImage, f: impl Fn(&mut [f32; 3], &Rgba<u8>, u32, u32)) {
    for (x, y, p) in img.enumerate_pixels_mut() {
        let mut c = [f32::from(p.0[0]), f32::from(p.0[1]), f32::from(p.0[2])];
        f(&mut c, p, x, y);
        for (out, v) in p.0.iter_mut().zip(c) {
            *out = clamp8(v);
        }
    }
}

fn mix(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

fn gradient(colors: &[Rgba<u8>], t: f32) -> [f32; 3] {
    // Black, the colours, white: a duotone through the colours by luminance.
    let mut stops = vec![BLACK];
    stops.extend_from_slice(colors);
    stops.push(WHITE);
    let pos = t.clamp(0.0, 1.0) * (stops.len() - 1) as f32;
    let i = (pos.floor() as usize).min(stops.len() - 2);
    let f = pos - i as f32;
    let (a, b) = (stops[i], stops[i + 1]);
    [0, 1, 2].map(|c| mix(f32::from(a.0[c]), f32::from(b.0[c]), f))
}

fn pixelate(img: &mut RgbaImage, side: u32) {
    let side = side.max(1);
    let (w, h) = img.dimensions();
    for by in (0..h).step_by(side as usize) {
        for bx in (0..w).step_by(side as usize) {
            let (ex, ey) = ((bx + side).min(w), (by + side).min(h));
            let mut sum = [0u64; 4];
            for y in by..ey {
                for x in bx..ex {
                    let p = img.get_pixel(x, y);
                    for (s, v) in sum.iter_mut().zip(p.0) {
                        *s += u64::from(v);
                    }
                }
            }
            let n = u64::from((ex - bx) * (ey - by)).max(1);
            let avg = Rgba(sum.map(|s| (s / n) as u8));
            for y in by..ey {
                for x in bx..ex {
                    img.put_pixel(x, y, avg);
                }
            }
        }
    }
}

/// Applies `fx` to `img`.
pub fn apply(img: &mut RgbaImage, fx: &Fx) -> Result<(), RenderError> {
    let (w, h) = img.dimensions();
    let bytes = u64::from(w) * u64::from(h) * 4;
    match fx {
        Fx::Blur(sigma) => {
            drop(reserve(bytes * 2)?);
            let sigma = sigma.clamp(0.5, w.max(h) as f32);
            *img = imageops::fast_blur(img, sigma);
        }
        Fx::Pixelate(side) => pixelate(img, *side),
        Fx::Grayscale => map_rgb(img, |c, p, _, _| *c = [lum(p); 3]),
        Fx::BlackWhite(t) => map_rgb(img, |c, p, _, _| {
            *c = [if lum(p) >= *t { 255.0 } else { 0.0 }; 3]
        }),
        Fx::Sepia(k) => map_rgb(img, |c, _, _, _| {
            let [r, g, b] = *c;
            let s = [
                0.393 * r + 0.769 * g + 0.189 * b,
                0.349 * r + 0.686 * g + 0.168 * b,
                0.272 * r + 0.534 * g + 0.131 * b,
            ];
            *c = [0, 1, 2].map(|i| mix(c[i], s[i], *k));
        }),
        Fx::Negate => map_rgb(img, |c, _, _, _| *c = c.map(|v| 255.0 - v)),
        Fx::Brightness(d) => map_rgb(img, |c, _, _, _| *c = c.map(|v| v + d)),
        Fx::Contrast(pct) => imageops::colorops::contrast_in_place(img, *pct),
        Fx::Saturation(f) => map_rgb(img, |c, p, _, _| {
            let l = lum(p);
            *c = c.map(|v| l + (v - l) * f);
        }),
        Fx::Hue(deg) => imageops::colorops::huerotate_in_place(img, *deg),
        Fx::Channel(i, f) => map_rgb(img, |c, _, _, _| c[*i] *= f),
        Fx::Gamma(g) => map_rgb(img, |c, _, _, _| {
            *c = c.map(|v| 255.0 * (v / 255.0).powf(1.0 / g.max(0.01)));
        }),
        Fx::Sharpen(sigma) => {
            drop(reserve(bytes * 6)?);
            *img = imageops::unsharpen(img, *sigma, 0);
        }
        Fx::Colorize(k, col) => map_rgb(img, |c, _, _, _| {
            *c = [0, 1, 2].map(|i| mix(c[i], f32::from(col.0[i]), *k));
        }),
        Fx::Tint(k, colors) => map_rgb(img, |c, p, _, _| {
            let target = gradient(colors, lum(p) / 255.0);
            *c = [0, 1, 2].map(|i| mix(c[i], target[i], *k));
        }),
        Fx::Vignette(k) => {
            let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
            let far = (cx * cx + cy * cy).sqrt().max(1.0);
            map_rgb(img, |c, _, x, y| {
                let d =
                    ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt() / far;
                let t = ((d - 0.4) / 0.6).clamp(0.0, 1.0);
                let f = 1.0 - k * t * t;
                *c = c.map(|v| v * f);
            });
        }
        Fx::MakeTransparent(dist, col) => {
            for p in img.pixels_mut() {
                let d: f32 = (0..3)
                    .map(|i| (f32::from(p.0[i]) - f32::from(col.0[i])).powi(2))
                    .sum::<f32>()
                    .sqrt();
                if d <= *dist {
                    p.0[3] = 0;
                }
            }
        }
        Fx::Region(x, y, rw, rh, inner) => {
            let (x, y) = ((*x).min(w), (*y).min(h));
            let (rw, rh) = ((*rw).min(w - x), (*rh).min(h - y));
            if rw == 0 || rh == 0 {
                return Ok(());
            }
            drop(reserve(u64::from(rw) * u64::from(rh) * 4)?);
            let mut part = imageops::crop_imm(img, x, y, rw, rh).to_image();
            apply(&mut part, inner)?;
            imageops::replace(img, &part, i64::from(x), i64::from(y));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(text: &str) -> Option<Fx> {
        let mut parts = text.split(':');
        let e = Effect {
            name: parts.next().unwrap().into(),
            args: parts.map(str::to_owned).collect(),
        };
        resolve(&e, &Env::default(), None, Some((0, 0, 2, 2))).unwrap()
    }

    fn gradient_image() -> RgbaImage {
        RgbaImage::from_fn(8, 8, |x, y| {
            Rgba([(x * 30) as u8, (y * 30) as u8, 120, 255])
        })
    }

    #[test]
    fn every_rendered_effect_changes_pixels_and_keeps_the_size() {
        for name in RENDERED.iter().filter(|n| !BLENDS.contains(n)) {
            let text = match *name {
                "make_transparent" => "make_transparent:100".to_owned(),
                "contrast" | "red" | "green" | "blue" | "gamma" => format!("{name}:50"),
                "pixelate" | "pixelate_region" => format!("{name}:4"),
                _ => (*name).to_owned(),
            };
            let f = fx(&text).unwrap_or_else(|| panic!("{name} resolves"));
            let before = gradient_image();
            let mut after = before.clone();
            apply(&mut after, &f).unwrap();
            assert_eq!(after.dimensions(), (8, 8), "{name}");
            assert_ne!(after, before, "{name} changed nothing");
        }
    }

    #[test]
    fn unknown_effects_pass_and_bad_arguments_fail() {
        assert_eq!(fx("oil_paint:30"), None);
        assert_eq!(fx("cartoonify"), None);
        let bad = Effect {
            name: "blur".into(),
            args: vec!["lots".into()],
        };
        assert!(resolve(&bad, &Env::default(), None, None).is_err());
        assert_eq!(fx("blur:2000"), Some(Fx::Blur(100.0)));
        assert_eq!(fx("blur:99999"), Some(Fx::Blur(100.0)));
    }
}
