//! Layers: which components belong to an overlay or underlay (its own component, the
//! components up to the `fl_layer_apply` that closes it, or only its own when none
//! does), where it goes on the image (gravity, `x`/`y`, `fl_relative`), how the
//! canvas grows when it overflows (not with `fl_no_overflow`), and the compositing
//! (normal, `e_multiply`, `e_screen`, `e_overlay`, `e_mask`, `fl_cutter`,
//! `fl_tiled`).

use std::collections::HashMap;

use image::{Rgba, RgbaImage};

use super::color::TRANSPARENT;
use super::parse::Step;
use super::{canvas, RenderError};

/// A component, or a layer with the components that transform it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    /// A plain component (index into the plan's steps).
    Step(usize),
    /// A layer: its opening component, the components inside it, the component with
    /// `fl_layer_apply` that closes it (none: it is applied by its own component).
    Layer {
        open: usize,
        chain: Vec<Node>,
        apply: Option<usize>,
    },
}

/// Groups the steps into layers. A layer is closed by the next unmatched
/// `fl_layer_apply` component (innermost first); a layer never closed is applied by
/// its own component.
pub(crate) fn tree(steps: &[Step]) -> Vec<Node> {
    let mut closed_by: HashMap<usize, usize> = HashMap::new();
    let mut open = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let applies = s.flag("layer_apply");
        if s.layer.is_some() && !applies {
            open.push(i);
        } else if s.layer.is_none() && applies {
            if let Some(o) = open.pop() {
                closed_by.insert(o, i);
            }
        }
    }
    fn build(
        steps: &[Step],
        i: &mut usize,
        until: Option<usize>,
        closed_by: &HashMap<usize, usize>,
    ) -> Vec<Node> {
        let mut out = Vec::new();
        while *i < steps.len() && Some(*i) != until {
            let k = *i;
            *i += 1;
            if steps[k].layer.is_some() {
                let apply = closed_by.get(&k).copied();
                let chain = match apply {
                    Some(a) => {
                        let chain = build(steps, i, Some(a), closed_by);
                        *i = a + 1;
                        chain
                    }
                    None => Vec::new(),
                };
                out.push(Node::Layer {
                    open: k,
                    chain,
                    apply,
                });
            } else {
                out.push(Node::Step(k));
            }
        }
        out
    }
    let mut i = 0;
    build(steps, &mut i, None, &closed_by)
}

/// How a layer is combined with the image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Blend {
    /// Drawn over (or, for an underlay, under).
    #[default]
    Normal,
    /// `e_multiply`.
    Multiply,
    /// `e_screen`.
    Screen,
    /// `e_overlay`.
    Overlay,
    /// `e_mask` / `fl_cutter`: the image keeps only what the layer covers.
    Mask,
}

impl Blend {
    /// The blend mode an effect name asks for.
    pub fn from_effect(name: &str) -> Option<Blend> {
        Some(match name {
            "multiply" => Blend::Multiply,
            "screen" => Blend::Screen,
            "overlay" => Blend::Overlay,
            "mask" => Blend::Mask,
            _ => return None,
        })
    }
}

/// Where the image and the layer go on the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The result's size.
    pub canvas: (u32, u32),
    /// The image's top-left corner on it.
    pub base_at: (i64, i64),
    /// The layer's top-left corner on it.
    pub layer_at: (i64, i64),
    /// Underlay: the layer goes below.
    pub under: bool,
    /// The blend mode.
    pub blend: Blend,
    /// `fl_tiled`: the layer repeats over the whole image.
    pub tiled: bool,
}

/// The placement of a `layer`-sized layer at `at` (from the gravity) on a
/// `base`-sized image: the canvas grows to hold both unless `clip`.
pub(crate) fn placement(
    base: (u32, u32),
    layer: (u32, u32),
    at: (i64, i64),
    clip: bool,
) -> (u64, u64, (i64, i64), (i64, i64)) {
    if clip {
        return (u64::from(base.0), u64::from(base.1), (0, 0), at);
    }
    let min_x = at.0.min(0);
    let min_y = at.1.min(0);
    let max_x = (at.0 + i64::from(layer.0)).max(i64::from(base.0));
    let max_y = (at.1 + i64::from(layer.1)).max(i64::from(base.1));
    (
        (max_x - min_x) as u64,
        (max_y - min_y) as u64,
        (-min_x, -min_y),
        (at.0 - min_x, at.1 - min_y),
    )
}

fn blend_px(dst: &mut Rgba<u8>, src: Rgba<u8>, mode: Blend) {
    let sa = f32::from(src.0[3]) / 255.0;
    if sa <= 0.0 {
        return;
    }
    let da = f32::from(dst.0[3]) / 255.0;
    let mixed: [f32; 3] = [0, 1, 2].map(|i| {
        let (s, d) = (f32::from(src.0[i]) / 255.0, f32::from(dst.0[i]) / 255.0);
        match mode {
            Blend::Multiply if da > 0.0 => s * d,
            Blend::Screen if da > 0.0 => 1.0 - (1.0 - s) * (1.0 - d),
            Blend::Overlay if da > 0.0 => {
                if d < 0.5 {
                    2.0 * s * d
                } else {
                    1.0 - 2.0 * (1.0 - s) * (1.0 - d)
                }
            }
            _ => s,
        }
    });
    let out_a = sa + da * (1.0 - sa);
    for (out, m) in dst.0.iter_mut().zip(mixed) {
        let d = f32::from(*out) / 255.0;
        let v = (m * sa + d * da * (1.0 - sa)) / out_a.max(1e-6);
        *out = (v * 255.0).round().clamp(0.0, 255.0) as u8;
    }
    dst.0[3] = (out_a * 255.0).round() as u8;
}

fn draw(dst: &mut RgbaImage, src: &RgbaImage, at: (i64, i64), mode: Blend) {
    let (dw, dh) = (i64::from(dst.width()), i64::from(dst.height()));
    for (x, y, p) in src.enumerate_pixels() {
        let (tx, ty) = (at.0 + i64::from(x), at.1 + i64::from(y));
        if tx >= 0 && ty >= 0 && tx < dw && ty < dh {
            blend_px(dst.get_pixel_mut(tx as u32, ty as u32), *p, mode);
        }
    }
}

/// Combines `base` and `layer` as `p` says.
pub(crate) fn composite(
    base: RgbaImage,
    layer: &RgbaImage,
    p: &Placement,
) -> Result<RgbaImage, RenderError> {
    let (cw, ch) = p.canvas;
    if p.blend == Blend::Mask {
        // The image keeps its pixels only where the layer has some, times its alpha.
        let mut out = canvas(cw, ch, TRANSPARENT)?;
        draw(&mut out, &base, p.base_at, Blend::Normal);
        let (lx, ly) = p.layer_at;
        let (lw, lh) = (i64::from(layer.width()), i64::from(layer.height()));
        for (x, y, px) in out.enumerate_pixels_mut() {
            let (sx, sy) = (i64::from(x) - lx, i64::from(y) - ly);
            let a = if sx >= 0 && sy >= 0 && sx < lw && sy < lh {
                f32::from(layer.get_pixel(sx as u32, sy as u32).0[3]) / 255.0
            } else {
                0.0
            };
            px.0[3] = (f32::from(px.0[3]) * a).round() as u8;
        }
        return Ok(out);
    }
    let mut out = canvas(cw, ch, TRANSPARENT)?;
    let layer_positions: Vec<(i64, i64)> = if p.tiled {
        let (lw, lh) = (
            i64::from(layer.width().max(1)),
            i64::from(layer.height().max(1)),
        );
        let (sx, sy) = (
            p.layer_at.0.rem_euclid(lw) - lw,
            p.layer_at.1.rem_euclid(lh) - lh,
        );
        let mut v = Vec::new();
        let mut y = sy;
        while y < i64::from(ch) {
            let mut x = sx;
            while x < i64::from(cw) {
                v.push((x, y));
                x += lw;
            }
            y += lh;
        }
        v
    } else {
        vec![p.layer_at]
    };
    if p.under {
        for at in &layer_positions {
            draw(&mut out, layer, *at, Blend::Normal);
        }
        draw(&mut out, &base, p.base_at, Blend::Normal);
    } else {
        if p.base_at == (0, 0) && base.dimensions() == (cw, ch) {
            out = base;
        } else {
            draw(&mut out, &base, p.base_at, Blend::Normal);
        }
        for at in &layer_positions {
            draw(&mut out, layer, *at, p.blend);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(spec: &[(bool, bool)]) -> Vec<Step> {
        spec.iter()
            .map(|(layer, apply)| Step {
                layer: layer.then(|| super::super::parse::Layer {
                    source: super::super::parse::LayerSource::Other("x".into()),
                    under: false,
                }),
                flags: if *apply {
                    vec!["layer_apply".into()]
                } else {
                    vec![]
                },
                ..Step::default()
            })
            .collect()
    }

    #[test]
    fn layers_close_at_their_layer_apply() {
        // l_a / e_x / fl_layer_apply / e_y
        let t = tree(&steps(&[
            (true, false),
            (false, false),
            (false, true),
            (false, false),
        ]));
        assert_eq!(
            t,
            [
                Node::Layer {
                    open: 0,
                    chain: vec![Node::Step(1)],
                    apply: Some(2)
                },
                Node::Step(3)
            ]
        );
        // l_a / l_b / fl_layer_apply: b is closed, a applies at once.
        let t = tree(&steps(&[(true, false), (true, false), (false, true)]));
        assert_eq!(
            t,
            [
                Node::Layer {
                    open: 0,
                    chain: vec![],
                    apply: None
                },
                Node::Layer {
                    open: 1,
                    chain: vec![],
                    apply: Some(2)
                }
            ]
        );
        // Nested: l_a / l_b / fl_layer_apply / fl_layer_apply.
        let t = tree(&steps(&[
            (true, false),
            (true, false),
            (false, true),
            (false, true),
        ]));
        assert_eq!(
            t,
            [Node::Layer {
                open: 0,
                chain: vec![Node::Layer {
                    open: 1,
                    chain: vec![],
                    apply: Some(2)
                }],
                apply: Some(3)
            }]
        );
    }

    #[test]
    fn overflowing_layers_grow_the_canvas() {
        assert_eq!(
            placement((10, 10), (4, 4), (8, -2), false),
            (12, 12, (0, 2), (8, 0))
        );
        assert_eq!(
            placement((10, 10), (4, 4), (8, -2), true),
            (10, 10, (0, 0), (8, -2))
        );
        let base = RgbaImage::from_pixel(4, 4, Rgba([255, 0, 0, 255]));
        let layer = RgbaImage::from_pixel(2, 2, Rgba([0, 0, 255, 255]));
        let p = Placement {
            canvas: (5, 4),
            base_at: (0, 0),
            layer_at: (3, 1),
            under: false,
            blend: Blend::Normal,
            tiled: false,
        };
        let out = composite(base.clone(), &layer, &p).unwrap();
        assert_eq!(out.dimensions(), (5, 4));
        assert_eq!(out.get_pixel(4, 1).0, [0, 0, 255, 255]);
        assert_eq!(out.get_pixel(4, 0).0[3], 0);
        assert_eq!(out.get_pixel(0, 0).0, [255, 0, 0, 255]);
        let under = composite(
            base,
            &layer,
            &Placement {
                under: true,
                canvas: (4, 4),
                ..p
            },
        )
        .unwrap();
        assert_eq!(under.get_pixel(3, 1).0, [255, 0, 0, 255]);
    }
}
