//! Runs a [`Program`] on decoded pixels: each operation makes exactly the size
//! planned for it.

use image::RgbaImage;

use super::effects;
use super::overlay;
use super::pixels;
use super::plan::{Op, Program};
use super::text;
use super::{decode_rgba, Context, RenderError};

fn apply(img: RgbaImage, op: &Op) -> Result<RgbaImage, RenderError> {
    let mut img = img;
    match op {
        Op::Resize(w, h) => return pixels::resize(img, *w, *h),
        Op::Crop(x, y, w, h) => return pixels::crop(&img, *x, *y, *w, *h),
        Op::Pad { w, h, x, y, fill } => return pixels::pad(img, *w, *h, *x, *y, fill),
        Op::Turn(q) => return pixels::turn(img, *q),
        Op::Flip(true) => image::imageops::flip_horizontal_in_place(&mut img),
        Op::Flip(false) => image::imageops::flip_vertical_in_place(&mut img),
        Op::Rotate { deg, w, h, bg } => return pixels::rotate(&img, *deg, *w, *h, *bg),
        Op::Effect(fx) => effects::apply(&mut img, fx)?,
        Op::Round(c) => pixels::round(&mut img, c),
        Op::Border {
            width,
            color,
            corners,
        } => return pixels::border(&img, *width, *color, corners.as_ref()),
        Op::Opacity(f) => pixels::opacity(&mut img, *f),
        Op::Flatten(c) => pixels::flatten(&mut img, *c),
        Op::Load(_) | Op::Text { .. } | Op::Composite(_) => {
            unreachable!("layer operations are run by the stack")
        }
    }
    Ok(img)
}

/// Runs `program` on `img` with the layers of `ctx`.
pub fn run(program: &Program, img: RgbaImage, ctx: &Context) -> Result<RgbaImage, RenderError> {
    let mut stack = vec![img];
    for (op, size) in &program.ops {
        match op {
            Op::Load(key) => {
                let layer = ctx
                    .layers
                    .get(key)
                    .ok_or_else(|| RenderError::LayerNotFound(key.clone()))?;
                stack.push(decode_rgba(&layer.bytes)?);
            }
            Op::Text {
                spec,
                layout,
                color,
                background,
                stroke,
            } => stack.push(text::draw(spec, layout, *color, *background, *stroke)?),
            Op::Composite(p) => {
                let layer = stack.pop().ok_or(RenderError::Invalid("no layer".into()))?;
                let base = stack.pop().ok_or(RenderError::Invalid("no image".into()))?;
                stack.push(overlay::composite(base, &layer, p)?);
            }
            _ => {
                let img = stack.pop().ok_or(RenderError::Invalid("no image".into()))?;
                stack.push(apply(img, op)?);
            }
        }
        let got = stack.last().map(RgbaImage::dimensions);
        debug_assert_eq!(got, Some(*size), "{op:?}");
    }
    stack.pop().ok_or(RenderError::Invalid("no image".into()))
}
