//! From a [`Plan`] and the original's size to a [`Program`]: the exact list of pixel
//! operations, each with the size it produces, planned before any pixel is touched.
//!
//! Planning is where the limits hold: the original, every step's result, every
//! layer, padding canvas, border and overflowing overlay canvas at most
//! [`MAX_PIXELS`]; the images alive at once (an image and its open layers) at most
//! [`MAX_LIVE_PIXELS`]; the whole program at most [`MAX_WORK_PIXELS`] of pixel work.
//! The renderer runs the program as planned, so what was planned is what is made.

use image::Rgba;

use super::color::{BLACK, TRANSPARENT, WHITE};
use super::effects::{self, Fx};
use super::expr::Env;
use super::geometry::{self, px, Geometry};
use super::overlay::{self, Blend, Node, Placement};
use super::parse::{Angle, Background, Cond, Dim, LayerSource, Offset, Plan, Radius, Step};
use super::pixels::{rotated_size, width_first, Corners};
use super::text::{self, Layout, TextSpec};
use super::{check_original, Context, RenderError, MAX_PIXELS, MAX_WORK_PIXELS};

/// The most pixels of all the images held at once (the image and its open layers).
pub const MAX_LIVE_PIXELS: u64 = 2 * MAX_PIXELS;

/// What padding is filled with.
#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    /// A colour.
    Color(Rgba<u8>),
    /// The average colour of the image's edges.
    Auto,
    /// A blurred, enlarged copy of the image (intensity, brightness).
    Blurred(f64, f64),
}

/// One pixel operation. Those that add a layer push an image; `Composite` pops it.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Resample to `(width, height)`.
    Resize(u32, u32),
    /// Cut the region `(x, y, width, height)`.
    Crop(u32, u32, u32, u32),
    /// Place the image at `(x, y)` on a `w` x `h` canvas of `fill`.
    Pad {
        /// Canvas width.
        w: u32,
        /// Canvas height.
        h: u32,
        /// Image left.
        x: u32,
        /// Image top.
        y: u32,
        /// Canvas fill.
        fill: Fill,
    },
    /// Quarter turns clockwise.
    Turn(u8),
    /// Mirror: horizontally (`true`) or vertically.
    Flip(bool),
    /// Rotation by degrees onto a `w` x `h` canvas of `bg`.
    Rotate {
        /// Degrees clockwise.
        deg: f64,
        /// Canvas width.
        w: u32,
        /// Canvas height.
        h: u32,
        /// Uncovered corners.
        bg: Rgba<u8>,
    },
    /// An effect.
    Effect(Fx),
    /// Rounded corners.
    Round(Corners),
    /// A border around the image.
    Border {
        /// Width in pixels.
        width: u32,
        /// Colour.
        color: Rgba<u8>,
        /// The image's rounded corners, which the border follows.
        corners: Option<Corners>,
    },
    /// Alpha times a factor.
    Opacity(f32),
    /// Composite over an opaque colour.
    Flatten(Rgba<u8>),
    /// Push the layer image supplied under this key.
    Load(String),
    /// Push a text image.
    Text {
        /// The text and its style.
        spec: TextSpec,
        /// Where its lines go.
        layout: Layout,
        /// Glyph colour.
        color: Rgba<u8>,
        /// Background.
        background: Rgba<u8>,
        /// Outline colour.
        stroke: Rgba<u8>,
    },
    /// Pop the layer and combine it with the image below.
    Composite(Placement),
}

/// The operations of a plan, each with the size of its result.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Operations and result sizes, in order.
    pub ops: Vec<(Op, (u32, u32))>,
    /// The final width.
    pub width: u32,
    /// The final height.
    pub height: u32,
    /// The pixel work.
    pub work: u64,
}

fn area(w: u32, h: u32) -> u64 {
    u64::from(w) * u64::from(h)
}

fn area_within(w: u64, h: u64) -> Result<(u32, u32), RenderError> {
    match w.checked_mul(h) {
        Some(n) if n <= MAX_PIXELS && w > 0 && h > 0 => Ok((w as u32, h as u32)),
        _ => Err(RenderError::TooLarge {
            width: w,
            height: h,
        }),
    }
}

/// What the opening component of a text layer already used.
#[derive(Clone, Copy, Debug, Default)]
struct Consumed {
    size: bool,
    border: bool,
    background: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct Role {
    /// Gravity and `x`/`y` place a layer (they are not crop parameters here).
    placement: bool,
    /// `fl_relative`: sizes relative to the image under the layer.
    relative_to: Option<(u32, u32)>,
    consumed: Consumed,
}

struct Compiler<'a> {
    ctx: &'a Context,
    env: Env,
    ops: Vec<(Op, (u32, u32))>,
    stack: Vec<(u32, u32)>,
    work: u64,
}

fn invalid(e: String) -> RenderError {
    RenderError::Invalid(e)
}

impl Compiler<'_> {
    fn top(&self) -> (u32, u32) {
        self.stack.last().copied().unwrap_or((1, 1))
    }

    fn spend(&mut self, pixels: u64) -> Result<(), RenderError> {
        self.work = self.work.saturating_add(pixels);
        if self.work > MAX_WORK_PIXELS {
            return Err(RenderError::TooComplex { pixels: self.work });
        }
        Ok(())
    }

    fn num(&self, e: &super::expr::Expr) -> Result<f64, RenderError> {
        self.env.number(e).map_err(invalid)
    }

    /// Emits an operation on the top image, sizing and costing it.
    fn emit(&mut self, op: Op) -> Result<(), RenderError> {
        let (w, h) = self.top();
        let here = area(w, h);
        let (op, out) = match op {
            Op::Resize(nw, nh) => {
                if (nw, nh) == (w, h) {
                    return Ok(());
                }
                let out = area_within(u64::from(nw), u64::from(nh))?;
                let between = if width_first((w, h), (nw, nh)) {
                    area(nw, h)
                } else {
                    area(w, nh)
                };
                self.spend(here + between + area(nw, nh))?;
                (op, out)
            }
            Op::Crop(x, y, cw, ch) => {
                let (cw, ch) = (cw.clamp(1, w), ch.clamp(1, h));
                let (x, y) = (x.min(w - cw), y.min(h - ch));
                self.spend(area(cw, ch))?;
                (Op::Crop(x, y, cw, ch), (cw, ch))
            }
            Op::Pad {
                w: pw,
                h: ph,
                ref fill,
                ..
            } => {
                let out = area_within(u64::from(pw), u64::from(ph))?;
                let extra = if matches!(fill, Fill::Blurred(..)) {
                    12
                } else {
                    1
                };
                self.spend(here + area(pw, ph) * extra)?;
                (op, out)
            }
            Op::Turn(q) => {
                self.spend(2 * here)?;
                (op, if q % 2 == 1 { (h, w) } else { (w, h) })
            }
            Op::Rotate { w: rw, h: rh, .. } => {
                let out = area_within(u64::from(rw), u64::from(rh))?;
                self.spend(here + 2 * area(rw, rh))?;
                (op, out)
            }
            Op::Border { width, .. } => {
                let b = 2 * u64::from(width);
                let out = area_within(u64::from(w) + b, u64::from(h) + b)?;
                self.spend(here + 2 * area(out.0, out.1))?;
                (op, out)
            }
            Op::Effect(ref fx) => {
                self.spend(here * fx.passes())?;
                (op, (w, h))
            }
            Op::Flip(_) | Op::Round(_) | Op::Opacity(_) | Op::Flatten(_) => {
                self.spend(here)?;
                (op, (w, h))
            }
            Op::Load(_) | Op::Text { .. } | Op::Composite(_) => {
                unreachable!("layer operations go through push and composite")
            }
        };
        self.ops.push((op, out));
        if let Some(top) = self.stack.last_mut() {
            *top = out;
        }
        Ok(())
    }

    /// Pushes a layer image of `size`.
    fn push(&mut self, op: Op, size: (u32, u32)) -> Result<(), RenderError> {
        let size = area_within(u64::from(size.0), u64::from(size.1))?;
        let live: u64 =
            self.stack.iter().map(|(w, h)| area(*w, *h)).sum::<u64>() + area(size.0, size.1);
        if live > MAX_LIVE_PIXELS {
            return Err(RenderError::TooComplex { pixels: live });
        }
        self.spend(2 * area(size.0, size.1))?;
        self.ops.push((op, size));
        self.stack.push(size);
        Ok(())
    }

    fn composite(&mut self, p: Placement) -> Result<(), RenderError> {
        let layer = self.stack.pop().unwrap_or((1, 1));
        let (cw, ch) = p.canvas;
        let tiles = if p.tiled {
            area(cw, ch)
        } else {
            area(layer.0, layer.1)
        };
        self.spend(area(cw, ch) + tiles)?;
        self.ops.push((Op::Composite(p), (cw, ch)));
        if let Some(top) = self.stack.last_mut() {
            *top = (cw, ch);
        }
        Ok(())
    }

    fn dim(&self, d: &Dim, base: u32, current: u32) -> Result<Option<f64>, RenderError> {
        Ok(Some(match d {
            Dim::Px(p) => f64::from(*p),
            Dim::Rel(r) => f64::from(base) * r,
            Dim::Expr(e) => self.num(e)?,
            Dim::Auto(Some(f)) => f64::from(*f),
            Dim::Auto(None) => f64::from(current),
        })
        .filter(|v| *v > 0.0)
        .map(|v| v.max(1.0)))
    }

    fn offset(&self, o: Option<&Offset>, base: u32) -> Result<f64, RenderError> {
        Ok(match o {
            None => 0.0,
            Some(Offset::Px(p)) => *p,
            Some(Offset::Rel(r)) => f64::from(base) * r,
            Some(Offset::Expr(e)) => self.num(e)?,
        })
    }

    fn corners(&self, r: &Radius, dpr: f64) -> Result<Corners, RenderError> {
        Ok(match r {
            Radius::Max => Corners::Ellipse,
            Radius::Corners(v) => {
                let n: Vec<f64> = v
                    .iter()
                    .map(|e| self.num(e).map(|x| x.max(0.0) * dpr))
                    .collect::<Result<_, _>>()?;
                Corners::Radii(match n.as_slice() {
                    [a] => [*a; 4],
                    [a, b] => [*a, *b, *a, *b],
                    [a, b, c] => [*a, *b, *c, *b],
                    [a, b, c, d] => [*a, *b, *c, *d],
                    _ => [0.0; 4],
                })
            }
        })
    }

    /// One component on the top image.
    fn component(&mut self, step: &Step, role: Role) -> Result<(), RenderError> {
        let (cw, ch) = self.top();
        (self.env.w, self.env.h) = (f64::from(cw), f64::from(ch));
        for (name, e) in &step.vars {
            let v = self.env.eval(e).map_err(invalid)?;
            self.env.vars.insert(name.clone(), v);
        }
        let dpr = step.dpr.unwrap_or(1.0);
        let base = role.relative_to.unwrap_or((cw, ch));
        let (mut tw, mut th) = (None, None);
        if !role.consumed.size {
            if let Some(d) = &step.width {
                tw = self.dim(d, base.0, cw)?;
            }
            if let Some(d) = &step.height {
                th = self.dim(d, base.1, ch)?;
            }
        }
        let crop = step.crop.as_deref().unwrap_or("scale");
        if let Some(ar) = &step.aspect {
            let ar = self.num(ar)?;
            if ar.is_nan() || ar <= 0.0 {
                return Err(RenderError::Invalid(format!("Invalid aspect ratio {ar}")));
            }
            match (tw, th) {
                (Some(w), None) => th = Some((w / ar).max(1.0)),
                (None, Some(h)) => tw = Some((h * ar).max(1.0)),
                (None, None) => {
                    let (w, h) = geometry::aspect_only(cw, ch, ar, crop);
                    (tw, th) = (w.map(f64::from), h.map(f64::from));
                }
                _ => {}
            }
        }
        let (tw, th) = (tw.map(|v| px(v * dpr)), th.map(|v| px(v * dpr)));
        let (gravity, x, y) = if role.placement {
            ("center", 0.0, 0.0)
        } else {
            (
                step.gravity.as_deref().unwrap_or("center"),
                self.offset(step.x.as_ref(), cw)? * dpr,
                self.offset(step.y.as_ref(), ch)? * dpr,
            )
        };
        // a_auto_right / a_auto_left turn the image when the box is the other way.
        for a in &step.angle {
            let turn = match a {
                Angle::AutoRight => 1,
                Angle::AutoLeft => 3,
                _ => continue,
            };
            if let (Some(w), Some(h)) = (tw, th) {
                let (iw, ih) = self.top();
                if (iw > ih) != (w > h) && iw != ih && w != h {
                    self.emit(Op::Turn(turn))?;
                }
            }
        }
        let background = if role.consumed.background {
            None
        } else {
            step.background.as_ref()
        };
        let fill = match background {
            Some(Background::Color(c)) => Fill::Color(*c),
            Some(Background::Auto) => Fill::Auto,
            Some(Background::Blurred(i, b)) => Fill::Blurred(*i, *b),
            None => Fill::Color(WHITE),
        };
        let zoom = match &step.zoom {
            Some(z) => self.num(z)?,
            None => 1.0,
        };
        let region_effects = step.effects.iter().any(|e| e.name.ends_with("_region"));
        let mut region = None;
        if region_effects {
            let (iw, ih) = self.top();
            let (rw, rh) = (tw.unwrap_or(iw).min(iw), th.unwrap_or(ih).min(ih));
            let (rx, ry) = geometry::place(gravity, (iw, ih), (rw, rh), x, y);
            let clamp = |v: i64, room: u32| v.clamp(0, i64::from(room)) as u32;
            region = Some((clamp(rx, iw - rw), clamp(ry, ih - rh), rw, rh));
        } else if tw.is_some() || th.is_some() {
            let (iw, ih) = self.top();
            let g = Geometry {
                w: tw,
                h: th,
                crop,
                gravity,
                x,
                y,
                zoom,
                fill: fill.clone(),
            };
            for op in geometry::ops(iw, ih, &g) {
                self.emit(op)?;
            }
        } else if dpr != 1.0 {
            let (iw, ih) = self.top();
            self.emit(Op::Resize(px(f64::from(iw) * dpr), px(f64::from(ih) * dpr)))?;
        }
        for e in &step.effects {
            if Blend::from_effect(&e.name).is_some() {
                continue;
            }
            if let Some(fx) = effects::resolve(e, &self.env, step.color, region).map_err(invalid)? {
                self.emit(Op::Effect(fx))?;
            }
        }
        let corners = match &step.radius {
            Some(r) => Some(self.corners(r, dpr)?),
            None => None,
        };
        if let Some(c) = &corners {
            self.emit(Op::Round(c.clone()))?;
        }
        if let (Some((width, color)), false) = (&step.border, role.consumed.border) {
            let width = (self.num(width)? * dpr).round();
            if width >= 1.0 {
                let width = if width >= f64::from(u32::MAX / 4) {
                    u32::MAX / 4
                } else {
                    width as u32
                };
                self.emit(Op::Border {
                    width,
                    color: *color,
                    corners,
                })?;
            }
        }
        let corner_bg = match background {
            Some(Background::Color(c)) => *c,
            _ => TRANSPARENT,
        };
        for a in &step.angle {
            match a {
                Angle::Deg(e) => {
                    let deg = self.num(e)?.rem_euclid(360.0);
                    if deg == 0.0 {
                        continue;
                    }
                    if deg % 90.0 == 0.0 {
                        self.emit(Op::Turn((deg / 90.0) as u8))?;
                    } else {
                        let (iw, ih) = self.top();
                        let (w, h) = rotated_size(iw, ih, deg);
                        self.emit(Op::Rotate {
                            deg,
                            w,
                            h,
                            bg: corner_bg,
                        })?;
                    }
                }
                Angle::HFlip => self.emit(Op::Flip(true))?,
                Angle::VFlip => self.emit(Op::Flip(false))?,
                _ => {}
            }
        }
        if let Some(o) = &step.opacity {
            let o = (self.num(o)? / 100.0).clamp(0.0, 1.0);
            if o < 1.0 {
                self.emit(Op::Opacity(o as f32))?;
            }
        }
        let padded =
            (tw.is_some() && th.is_some()) && matches!(crop, "pad" | "lpad" | "mpad" | "auto_pad");
        if let (Some(Background::Color(c)), false) = (background, padded) {
            self.emit(Op::Flatten(*c))?;
        }
        Ok(())
    }

    fn layer(
        &mut self,
        steps: &[Step],
        open: usize,
        chain: &[Node],
        apply: Option<usize>,
    ) -> Result<(), RenderError> {
        let own = &steps[open];
        let Some(layer) = &own.layer else {
            return Ok(());
        };
        let base = self.top();
        let placer = apply.map_or(own, |a| &steps[a]);
        let relative = own.flag("relative") || placer.flag("relative");
        let relative_to = relative.then_some(base);
        let mut consumed = Consumed::default();
        match &layer.source {
            LayerSource::Image { public_id, .. } => {
                let key = layer.source.key().unwrap_or_default();
                let img = self
                    .ctx
                    .layers
                    .get(&key)
                    .ok_or_else(|| RenderError::LayerNotFound(public_id.clone()))?;
                check_original(img.width, img.height)?;
                self.push(Op::Load(key), (img.width.max(1), img.height.max(1)))?;
            }
            LayerSource::Text(spec) => {
                let mut wrap = None;
                if own.crop.as_deref() == Some("fit") {
                    if let Some(d) = &own.width {
                        let rel = relative_to.unwrap_or(base);
                        wrap = self.dim(d, rel.0, rel.0)?.map(px);
                        consumed.size = true;
                    }
                }
                let mut stroke = 0;
                let mut stroke_color = BLACK;
                if let (true, Some((w, c))) = (spec.stroke, &own.border) {
                    stroke = self.num(w)?.clamp(0.0, 1000.0).round() as u32;
                    stroke_color = *c;
                    consumed.border = true;
                }
                let background = match &own.background {
                    Some(Background::Color(c)) => *c,
                    _ => TRANSPARENT,
                };
                consumed.background = true;
                let layout = text::layout(spec, wrap, stroke)?;
                let size = (layout.width, layout.height);
                self.spend(area(size.0, size.1) * if stroke > 0 { 16 } else { 1 })?;
                self.push(
                    Op::Text {
                        spec: spec.clone(),
                        layout,
                        color: own.color.unwrap_or(BLACK),
                        background,
                        stroke: stroke_color,
                    },
                    size,
                )?;
            }
            LayerSource::Other(_) => return Ok(()),
        }
        self.component(
            own,
            Role {
                placement: apply.is_none(),
                relative_to,
                consumed,
            },
        )?;
        self.nodes(steps, chain)?;
        if let Some(a) = apply {
            self.component(
                &steps[a],
                Role {
                    placement: true,
                    relative_to,
                    consumed: Consumed::default(),
                },
            )?;
        }
        let size = self.top();
        let gravity = placer.gravity.as_deref().unwrap_or("center");
        let x = self.offset(placer.x.as_ref(), base.0)?;
        let y = self.offset(placer.y.as_ref(), base.1)?;
        let at = geometry::place(gravity, base, size, x, y);
        let blend = if placer.flag("cutter") || own.flag("cutter") {
            Blend::Mask
        } else {
            placer
                .effects
                .iter()
                .chain(&own.effects)
                .find_map(|e| Blend::from_effect(&e.name))
                .unwrap_or_default()
        };
        let tiled = placer.flag("tiled") || own.flag("tiled");
        let clip =
            tiled || blend == Blend::Mask || placer.flag("no_overflow") || own.flag("no_overflow");
        let (cw, ch, base_at, layer_at) = overlay::placement(base, size, at, clip);
        let canvas = area_within(cw, ch)?;
        self.composite(Placement {
            canvas,
            base_at,
            layer_at,
            under: layer.under,
            blend,
            tiled,
        })
    }

    fn nodes(&mut self, steps: &[Step], nodes: &[Node]) -> Result<(), RenderError> {
        // (active, parent active, a branch was taken) for each open `if` block.
        let mut blocks: Vec<(bool, bool, bool)> = Vec::new();
        for n in nodes {
            let idx = match n {
                Node::Step(i) => *i,
                Node::Layer { open, .. } => *open,
            };
            let step = &steps[idx];
            let active = match blocks.last() {
                Some(b) => b.0,
                None => true,
            };
            let bare = Step {
                condition: None,
                ..step.clone()
            } == Step::default();
            if let (Node::Step(_), Some(cond), true) = (n, &step.condition, bare) {
                match cond {
                    Cond::If(e) => {
                        let (w, h) = self.top();
                        (self.env.w, self.env.h) = (f64::from(w), f64::from(h));
                        let taken = active && self.env.truth(e).map_err(invalid)?;
                        blocks.push((taken, active, taken));
                    }
                    Cond::Else => {
                        if let Some(b) = blocks.last_mut() {
                            b.0 = b.1 && !b.2;
                        }
                    }
                    Cond::End => {
                        blocks.pop();
                    }
                }
                continue;
            }
            if !active {
                continue;
            }
            if let Some(Cond::If(e)) = &step.condition {
                let (w, h) = self.top();
                (self.env.w, self.env.h) = (f64::from(w), f64::from(h));
                if !self.env.truth(e).map_err(invalid)? {
                    continue;
                }
            }
            match n {
                Node::Step(i) => self.component(&steps[*i], Role::default())?,
                Node::Layer { open, chain, apply } => self.layer(steps, *open, chain, *apply)?,
            }
        }
        Ok(())
    }
}

/// Plans `plan` on an original of `iw` x `ih` with the layers of `ctx`: the
/// operations and sizes, or the first limit the plan breaks (a 400) or the layer it
/// lacks (a 404).
pub fn compile(iw: u32, ih: u32, plan: &Plan, ctx: &Context) -> Result<Program, RenderError> {
    check_original(iw, ih)?;
    let (iw, ih) = (iw.max(1), ih.max(1));
    let mut c = Compiler {
        ctx,
        env: Env {
            w: f64::from(iw),
            h: f64::from(ih),
            iw: f64::from(iw),
            ih: f64::from(ih),
            tags: ctx.tags.clone(),
            ..Env::default()
        },
        ops: Vec::new(),
        stack: vec![(iw, ih)],
        work: 0,
    };
    let nodes = overlay::tree(&plan.steps);
    c.nodes(&plan.steps, &nodes)?;
    let (width, height) = c.top();
    Ok(Program {
        ops: c.ops,
        width,
        height,
        work: c.work,
    })
}
