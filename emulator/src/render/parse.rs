//! From the transformation segments of a delivery URL to a [`Plan`]: one [`Step`] per
//! component, every parameter checked for syntax (a bad value is a 400, as at
//! Cloudinary), and the parameters the emulator does not render listed in
//! [`Plan::approximate`] (the `X-Cld-Emulator-Approximate` header).

use image::Rgba;

use super::color::parse_color;
use super::effects;
use super::expr::{approximate_vars, parse_expr, BinOp, Expr, Val};
use super::text::TextSpec;

/// A width or height.
#[derive(Clone, Debug, PartialEq)]
pub enum Dim {
    /// Absolute pixels.
    Px(u32),
    /// Relative to the input size (`w_0.5`).
    Rel(f64),
    /// An expression (`w_iw_div_2`, `w_$width`).
    Expr(Expr),
    /// `w_auto[:step[:fallback]]`: the fallback width, else the input width (no client
    /// hints are used).
    Auto(Option<u32>),
}

/// An `x` or `y` offset.
#[derive(Clone, Debug, PartialEq)]
pub enum Offset {
    /// Pixels (may be negative).
    Px(f64),
    /// A fraction of the image's size (`x_0.25`).
    Rel(f64),
    /// An expression.
    Expr(Expr),
}

/// One entry of `a_`.
#[derive(Clone, Debug, PartialEq)]
pub enum Angle {
    /// Degrees clockwise.
    Deg(Expr),
    /// `auto_right`: a quarter turn clockwise when the requested orientation differs.
    AutoRight,
    /// `auto_left`: a quarter turn anticlockwise when the requested orientation differs.
    AutoLeft,
    /// `hflip`.
    HFlip,
    /// `vflip`.
    VFlip,
    /// `ignore` / `exif`: nothing to do (no EXIF rotation is applied).
    Keep,
}

/// `r_`.
#[derive(Clone, Debug, PartialEq)]
pub enum Radius {
    /// `r_max`: an ellipse.
    Max,
    /// One to four corner radii (CSS order).
    Corners(Vec<Expr>),
}

/// `b_`.
#[derive(Clone, Debug, PartialEq)]
pub enum Background {
    /// A colour.
    Color(Rgba<u8>),
    /// `auto[:…]` (and `gen_fill`): the average colour of the image's edges.
    Auto,
    /// `blurred[:intensity[:brightness]]`: a blurred copy of the image.
    Blurred(f64, f64),
}

/// An `e_` effect: its name and `:`-separated arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// The name (`blur`, `sepia`, …).
    pub name: String,
    /// The arguments as written.
    pub args: Vec<String>,
}

/// What an `l_` or `u_` layer shows.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerSource {
    /// Another stored image.
    Image {
        /// Its delivery type (`upload` unless given).
        delivery_type: String,
        /// Its public id (`:` turned back into `/`), maybe with an extension.
        public_id: String,
    },
    /// A text drawn with the embedded font.
    Text(TextSpec),
    /// Something the emulator does not draw (fetch, video, subtitles, LUT layers).
    Other(String),
}

impl LayerSource {
    /// The key under which delivery supplies this layer's image
    /// ([`super::Context::layers`]): `<type>/<public_id>`.
    pub fn key(&self) -> Option<String> {
        match self {
            LayerSource::Image {
                delivery_type,
                public_id,
            } => Some(format!("{delivery_type}/{public_id}")),
            _ => None,
        }
    }
}

/// An overlay or underlay.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// What it shows.
    pub source: LayerSource,
    /// `u_` (drawn below the image) rather than `l_`.
    pub under: bool,
}

/// A condition component part.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `if_<expression>`.
    If(Expr),
    /// `if_else`.
    Else,
    /// `if_end`.
    End,
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
    /// `ar_`.
    pub aspect: Option<Expr>,
    /// `dpr_`.
    pub dpr: Option<f64>,
    /// `x_`.
    pub x: Option<Offset>,
    /// `y_`.
    pub y: Option<Offset>,
    /// `z_`.
    pub zoom: Option<Expr>,
    /// `a_`, in order.
    pub angle: Vec<Angle>,
    /// `e_`.
    pub effects: Vec<Effect>,
    /// `r_`.
    pub radius: Option<Radius>,
    /// `bo_`: width and colour.
    pub border: Option<(Expr, Rgba<u8>)>,
    /// `b_`.
    pub background: Option<Background>,
    /// `co_`.
    pub color: Option<Rgba<u8>>,
    /// `o_`.
    pub opacity: Option<Expr>,
    /// `fl_` flags of this component.
    pub flags: Vec<String>,
    /// `l_` / `u_`.
    pub layer: Option<Layer>,
    /// `if_`.
    pub condition: Option<Cond>,
    /// `$name_value` definitions, in order.
    pub vars: Vec<(String, Expr)>,
}

impl Step {
    /// Whether the component has flag `f`.
    pub fn flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }
}

/// A parsed delivery transformation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The components that change pixels, in order.
    pub steps: Vec<Step>,
    /// `f_` (the last one wins; `auto` is negotiated by delivery).
    pub format: Option<String>,
    /// `q_` (1–100; `auto` variants map to a number).
    pub quality: Option<u8>,
    /// `fl_attachment[:name]`: `Some("")` without a name.
    pub attachment: Option<String>,
    /// `d_`: the public id (with extension) delivered when the asset is missing.
    pub default_image: Option<String>,
    /// The components the emulator passes through or approximates.
    pub approximate: Vec<String>,
}

impl Plan {
    /// Every image layer of the plan (what delivery must supply).
    pub fn layer_sources(&self) -> Vec<&LayerSource> {
        self.steps
            .iter()
            .filter_map(|s| s.layer.as_ref().map(|l| &l.source))
            .filter(|s| matches!(s, LayerSource::Image { .. }))
            .collect()
    }
}

/// Crop modes the URL API has (`imagga_*` are rendered as `fill`).
pub const CROPS: &[&str] = &[
    "scale",
    "fit",
    "limit",
    "mfit",
    "fill",
    "lfill",
    "fill_pad",
    "crop",
    "thumb",
    "pad",
    "lpad",
    "mpad",
    "auto",
    "auto_pad",
    "imagga_crop",
    "imagga_scale",
];

/// Gravities rendered exactly; other gravity names (`auto`, `face`, objects, …) are
/// accepted and approximated by `center`.
pub const COMPASS: &[&str] = &[
    "center",
    "north",
    "south",
    "east",
    "west",
    "north_east",
    "north_west",
    "south_east",
    "south_west",
    "xy_center",
];

/// Output formats the emulator encodes.
pub const OUTPUT_FORMATS: &[&str] = &["jpg", "png", "webp", "gif"];

/// Image formats Cloudinary delivers that the emulator cannot encode: delivered as
/// PNG (with the approximation header).
pub const PNG_STANDINS: &[&str] = &[
    "avif", "bmp", "tif", "tiff", "ico", "jp2", "jpc", "j2k", "jxr", "wdp", "hdp", "heic", "heif",
    "jxl", "pdf", "svg", "eps", "ps", "psd", "tga", "flif", "ai", "arw", "cr2", "dng",
];

/// Parameters that never change an image's pixels (video, audio, sprites, pages of
/// multi-page files, custom functions): accepted and passed through.
const PASSED: &[&str] = &[
    "ac", "af", "br", "cs", "dl", "dn", "du", "eo", "fn", "fps", "ki", "p", "pg", "so", "sp", "vc",
    "vs",
];

/// Flags that do not change what the emulator renders and need no header.
const QUIET_FLAGS: &[&str] = &[
    "attachment",
    "layer_apply",
    "relative",
    "no_overflow",
    "tiled",
    "cutter",
    "progressive",
    "lossy",
    "strip_profile",
    "keep_iptc",
    "keep_attribution",
    "preserve_transparency",
    "force_strip",
    "immutable_cache",
    "any_format",
    "png8",
    "png24",
    "png32",
    "awebp",
    "animated",
    "apng",
    "sanitize",
    "text_no_trim",
];

/// The most layers one transformation may have.
pub const MAX_LAYERS: usize = 16;

/// The most components one transformation may have (after named transformations
/// are expanded).
pub const MAX_COMPONENTS: usize = 64;

/// Normalises a format name (`jpeg`/`jpe` → `jpg`, `tif` → `tiff`).
pub fn normalize_format(f: &str) -> String {
    match f.to_ascii_lowercase().as_str() {
        "jpeg" | "jpe" => "jpg".into(),
        "tif" => "tiff".into(),
        other => other.to_owned(),
    }
}

fn number(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn expr_or_number(v: &str) -> Result<Expr, String> {
    match number(v) {
        Some(n) => Ok(Expr::Lit(Val::Num(n))),
        None => parse_expr(v),
    }
}

fn dim(v: &str) -> Result<Dim, String> {
    if v == "auto" || v.starts_with("auto:") {
        let fallback = v.split(':').nth(2).and_then(|f| f.parse::<u32>().ok());
        return Ok(Dim::Auto(fallback.filter(|f| *f > 0)));
    }
    if let Some(f) = number(v) {
        if f <= 0.0 {
            return Err(format!("Invalid dimension {v}"));
        }
        if v.contains('.') && f <= 1.0 {
            return Ok(Dim::Rel(f));
        }
        return Ok(Dim::Px((f.round() as u32).max(1)));
    }
    parse_expr(v).map(Dim::Expr)
}

fn offset(v: &str) -> Result<Offset, String> {
    match number(v) {
        Some(f) if v.contains('.') && f.abs() <= 1.0 => Ok(Offset::Rel(f)),
        Some(f) => Ok(Offset::Px(f)),
        None => parse_expr(v).map(Offset::Expr),
    }
}

fn aspect(v: &str) -> Result<Expr, String> {
    if let Some((a, b)) = v.split_once(':') {
        let (a, b) = (number(a), number(b));
        return match (a, b) {
            (Some(a), Some(b)) if a > 0.0 && b > 0.0 => Ok(Expr::Bin(
                Box::new(Expr::Lit(Val::Num(a))),
                BinOp::Div,
                Box::new(Expr::Lit(Val::Num(b))),
            )),
            _ => Err(format!("Invalid aspect ratio {v}")),
        };
    }
    match number(v) {
        Some(n) if n > 0.0 => Ok(Expr::Lit(Val::Num(n))),
        Some(_) => Err(format!("Invalid aspect ratio {v}")),
        None => parse_expr(v),
    }
}

fn angle(v: &str) -> Result<Vec<Angle>, String> {
    v.split('.')
        .map(|a| {
            Ok(match a {
                "auto_right" => Angle::AutoRight,
                "auto_left" => Angle::AutoLeft,
                "hflip" => Angle::HFlip,
                "vflip" => Angle::VFlip,
                "ignore" | "exif" => Angle::Keep,
                _ => Angle::Deg(expr_or_number(a).map_err(|_| format!("Invalid angle {v}"))?),
            })
        })
        .collect()
}

fn radius(v: &str) -> Result<Radius, String> {
    if v == "max" {
        return Ok(Radius::Max);
    }
    let corners: Vec<Expr> = v.split(':').map(expr_or_number).collect::<Result<_, _>>()?;
    if corners.is_empty() || corners.len() > 4 {
        return Err(format!("Invalid radius {v}"));
    }
    Ok(Radius::Corners(corners))
}

/// `bo_<width>px_solid_<color>` (the width may be an expression).
fn border(v: &str) -> Result<(Expr, Rgba<u8>), String> {
    let bad = || format!("Invalid border {v}");
    let (width, rest) = v.split_once("_solid_").ok_or_else(bad)?;
    let width = width.strip_suffix("px").unwrap_or(width);
    let color = parse_color(rest).ok_or_else(bad)?;
    Ok((expr_or_number(width).map_err(|_| bad())?, color))
}

fn background(v: &str) -> Result<Background, String> {
    if v == "auto" || v.starts_with("auto:") || v.starts_with("gen_fill") {
        return Ok(Background::Auto);
    }
    if v == "blurred" || v.starts_with("blurred:") {
        let mut args = v.split(':').skip(1).map(number);
        let intensity = args.next().flatten().unwrap_or(100.0);
        let brightness = args.next().flatten().unwrap_or(0.0);
        return Ok(Background::Blurred(intensity, brightness));
    }
    parse_color(v)
        .map(Background::Color)
        .ok_or_else(|| format!("Invalid background color {v}"))
}

fn quality(v: &str) -> Result<u8, String> {
    let (main, _) = v.split_once(':').unwrap_or((v, ""));
    let q = match (main, v) {
        ("auto", "auto:best") => 90,
        ("auto", "auto:eco") => 70,
        ("auto", "auto:low") => 60,
        ("auto", _) | ("jpegmini", _) => 80,
        _ => main
            .parse::<u8>()
            .ok()
            .filter(|q| (1..=100).contains(q))
            .ok_or_else(|| format!("Invalid quality {v}"))?,
    };
    Ok(q)
}

fn effect(v: &str) -> Result<Effect, String> {
    let mut parts = v.split(':');
    let name = parts.next().unwrap_or_default();
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(format!("Invalid effect {v}"));
    }
    Ok(Effect {
        name: name.to_owned(),
        args: parts.map(str::to_owned).collect(),
    })
}

/// Decodes the second level of percent-encoding of layer texts (`%2C` and `%2F` are
/// encoded twice by the SDKs so that they survive the path).
fn unescape(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn layer(v: &str, under: bool) -> Result<Layer, String> {
    if v.is_empty() {
        return Err("Invalid layer: empty".into());
    }
    let source = if let Some(rest) = v.strip_prefix("text:") {
        let (style, text) = match rest.split_once(':') {
            Some((s, t)) if TextSpec::looks_like_style(s) => (s, t),
            _ => ("", rest),
        };
        LayerSource::Text(TextSpec::parse(style, &unescape(text))?)
    } else if ["fetch:", "video:", "subtitles:", "lut:", "audio:", "raw:"]
        .iter()
        .any(|p| v.starts_with(p))
    {
        LayerSource::Other(v.to_owned())
    } else {
        let mut parts: Vec<&str> = v.split(':').collect();
        if parts.first() == Some(&"image") {
            parts.remove(0);
        }
        let mut delivery_type = "upload";
        if parts.len() > 1
            && matches!(
                parts[0],
                "upload" | "private" | "authenticated" | "text" | "facebook" | "twitter"
            )
        {
            delivery_type = parts.remove(0);
        }
        if parts.is_empty() || parts.iter().any(|p| p.is_empty()) {
            return Err(format!("Invalid layer {v}"));
        }
        LayerSource::Image {
            delivery_type: delivery_type.to_owned(),
            public_id: parts.join("/"),
        }
    };
    Ok(Layer { source, under })
}

fn condition(v: &str) -> Result<Cond, String> {
    Ok(match v {
        "end" => Cond::End,
        "else" => Cond::Else,
        _ => Cond::If(parse_expr(v).map_err(|e| format!("Invalid condition {v}: {e}"))?),
    })
}

fn note_vars(e: &Expr, comp: &str, approx: &mut Vec<String>) {
    let mut vars = Vec::new();
    approximate_vars(e, &mut vars);
    if !vars.is_empty() {
        approx.push(comp.to_owned());
    }
}

/// Parses one component into `step`; global settings go to `plan`.
fn component(comp: &str, step: &mut Step, plan: &mut Plan) -> Result<(), String> {
    if let Some(var) = comp.strip_prefix('$') {
        let (name, value) = var
            .split_once('_')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
            .ok_or_else(|| format!("Invalid variable {comp}"))?;
        if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("Invalid variable name {comp}"));
        }
        let value = expr_or_number(value)?;
        note_vars(&value, comp, &mut plan.approximate);
        step.vars.push((name.to_owned(), value));
        return Ok(());
    }
    let (k, v) = comp
        .split_once('_')
        .ok_or_else(|| format!("Invalid transformation component {comp}"))?;
    if v.is_empty() {
        return Err(format!("Invalid transformation component {comp}"));
    }
    let bad = |what: &str| format!("Invalid {what} in {comp}");
    match k {
        "w" => step.width = Some(dim(v).map_err(|_| bad("width"))?),
        "h" => step.height = Some(dim(v).map_err(|_| bad("height"))?),
        "c" if CROPS.contains(&v) => step.crop = Some(v.to_owned()),
        "c" => return Err(format!("Invalid crop mode {v}")),
        "g" => {
            if !v
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_:".contains(&b))
            {
                return Err(format!("Invalid gravity {v}"));
            }
            if !COMPASS.contains(&v) {
                plan.approximate.push(comp.to_owned());
            }
            step.gravity = Some(v.to_owned());
        }
        "ar" => step.aspect = Some(aspect(v)?),
        "dpr" if v == "auto" => {
            plan.approximate.push(comp.to_owned());
            step.dpr = Some(1.0);
        }
        "dpr" => {
            step.dpr = Some(
                number(v)
                    .filter(|d| *d > 0.0 && *d <= 10.0)
                    .ok_or_else(|| bad("dpr"))?,
            )
        }
        "x" => step.x = Some(offset(v).map_err(|_| bad("x"))?),
        "y" => step.y = Some(offset(v).map_err(|_| bad("y"))?),
        "z" => {
            let z = expr_or_number(v).map_err(|_| bad("zoom"))?;
            if matches!(z, Expr::Lit(Val::Num(n)) if n <= 0.0) {
                return Err(bad("zoom"));
            }
            step.zoom = Some(z);
        }
        "a" => step.angle.extend(angle(v)?),
        "e" => {
            let e = effect(v)?;
            if !effects::is_rendered(&e.name) {
                plan.approximate.push(comp.to_owned());
            }
            step.effects.push(e);
        }
        "r" => step.radius = Some(radius(v)?),
        "bo" => step.border = Some(border(v)?),
        "b" => step.background = Some(background(v)?),
        "co" => step.color = Some(parse_color(v).ok_or_else(|| bad("color"))?),
        "o" => {
            let o = expr_or_number(v).map_err(|_| bad("opacity"))?;
            if matches!(o, Expr::Lit(Val::Num(n)) if !(0.0..=100.0).contains(&n)) {
                return Err(bad("opacity"));
            }
            step.opacity = Some(o);
        }
        "f" => {
            let f = normalize_format(v);
            let known = f == "auto" || OUTPUT_FORMATS.contains(&f.as_str());
            if !known && !PNG_STANDINS.contains(&f.as_str()) {
                return Err(format!("Invalid format {v}"));
            }
            plan.format = Some(f);
        }
        "q" => plan.quality = Some(quality(v)?),
        "fl" => {
            for f in v.split('.') {
                let (name, arg) = f.split_once(':').unwrap_or((f, ""));
                if name.is_empty() {
                    return Err(bad("flag"));
                }
                if name == "attachment" {
                    plan.attachment = Some(arg.to_owned());
                } else if !QUIET_FLAGS.contains(&name) {
                    plan.approximate.push(format!("fl_{f}"));
                }
                step.flags.push(name.to_owned());
            }
        }
        "l" | "u" => {
            let l = layer(v, k == "u")?;
            if matches!(l.source, LayerSource::Other(_)) {
                plan.approximate.push(comp.to_owned());
            }
            step.layer = Some(l);
        }
        "if" => {
            let c = condition(v)?;
            if let Cond::If(e) = &c {
                note_vars(e, comp, &mut plan.approximate);
            }
            step.condition = Some(c);
        }
        "d" => plan.default_image = Some(v.to_owned()),
        "t" => return Err(format!("Named transformation t_{v} is not expanded")),
        _ if PASSED.contains(&k) => plan.approximate.push(comp.to_owned()),
        _ => return Err(format!("Invalid transformation component {comp}")),
    }
    for e in [&step.aspect, &step.zoom, &step.opacity]
        .into_iter()
        .flatten()
    {
        if k == "ar" || k == "z" || k == "o" {
            note_vars(e, comp, &mut plan.approximate);
        }
    }
    Ok(())
}

/// Whether `step` does anything the renderer has to run.
fn renders(step: &Step) -> bool {
    let only_quiet = step.flags.iter().all(|f| {
        !matches!(
            f.as_str(),
            "layer_apply" | "relative" | "no_overflow" | "tiled" | "cutter"
        )
    });
    let bare = Step {
        flags: Vec::new(),
        ..step.clone()
    };
    bare != Step::default() || !only_quiet
}

/// Parses transformation segments (named transformations already expanded with
/// [`expand_named`]). Errors name the first invalid component.
pub fn parse(segments: &[String]) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut layers = 0;
    for seg in segments {
        let mut step = Step::default();
        for comp in seg.split(',').filter(|c| !c.is_empty()) {
            component(comp, &mut step, &mut plan)?;
        }
        if step
            .width
            .as_ref()
            .is_some_and(|w| matches!(w, Dim::Auto(_)))
        {
            plan.approximate.push("w_auto".into());
        }
        if step.layer.is_some() {
            layers += 1;
            if layers > MAX_LAYERS {
                return Err(format!("Too many layers: at most {MAX_LAYERS}"));
            }
        }
        if renders(&step) {
            plan.steps.push(step);
        }
        if plan.steps.len() > MAX_COMPONENTS {
            return Err(format!(
                "Too many transformation components: at most {MAX_COMPONENTS}"
            ));
        }
    }
    plan.approximate.dedup();
    Ok(plan)
}

/// The most named transformations one URL may look up (names that expand to nothing
/// cannot multiply the lookups past this).
pub const MAX_NAMED_LOOKUPS: usize = 256;

/// Replaces every `t_<name>[.<name>…]` with the components of the named
/// transformations `lookup` finds (recursively, at most 8 deep); the other
/// parameters of that component follow as a component of their own. An unknown name
/// is an error.
pub fn expand_named(
    segments: &[String],
    lookup: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Vec<String>, String> {
    fn go(
        segments: &[String],
        lookup: &mut dyn FnMut(&str) -> Option<String>,
        depth: usize,
        budget: &mut usize,
        out: &mut Vec<String>,
    ) -> Result<(), String> {
        for seg in segments {
            let (named, rest): (Vec<&str>, Vec<&str>) =
                seg.split(',').partition(|c| c.starts_with("t_"));
            for comp in named {
                if depth >= 8 {
                    return Err("Named transformations nest too deeply".into());
                }
                for name in comp[2..].split('.') {
                    *budget = budget
                        .checked_sub(1)
                        .ok_or("Too many named transformations")?;
                    let body = lookup(name)
                        .ok_or_else(|| format!("Transformation {name} was not found"))?;
                    let inner: Vec<String> = body
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                    go(&inner, lookup, depth + 1, budget, out)?;
                }
            }
            let rest = rest.join(",");
            if !rest.is_empty() {
                out.push(rest);
            }
            if out.len() > MAX_COMPONENTS {
                return Err(format!(
                    "Too many transformation components: at most {MAX_COMPONENTS}"
                ));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    let mut budget = MAX_NAMED_LOOKUPS;
    go(segments, lookup, 0, &mut budget, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(s: &str) -> Vec<String> {
        s.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn every_kind_of_parameter_parses() {
        let p = parse(&segs(
            "w_100,h_50,c_fill,g_north_east,ar_16:9,dpr_2.0,x_10,y_0.5,z_1.5/a_90.hflip,e_sepia:50,r_max,bo_5px_solid_rgb:ff0000,b_auto,co_red,o_50/f_png,q_auto:good,fl_attachment:pic.progressive/$v_iw_div_2,w_$v/if_w_gt_10,e_grayscale/l_text:Arial_20_bold:Hi%2C%20you,g_south/u_folder:bg,fl_layer_apply/ac_aac,du_5,d_avatar.png",
        ))
        .unwrap();
        assert_eq!(p.steps.len(), 6);
        assert_eq!(p.format.as_deref(), Some("png"));
        assert_eq!(p.quality, Some(80));
        assert_eq!(p.attachment.as_deref(), Some("pic"));
        assert_eq!(p.default_image.as_deref(), Some("avatar.png"));
        assert_eq!(p.approximate, ["ac_aac", "du_5"]);
        let LayerSource::Text(t) = &p.steps[4].layer.as_ref().unwrap().source else {
            panic!("text layer");
        };
        assert_eq!(t.text, "Hi, you");
        assert_eq!(
            p.steps[5].layer.as_ref().unwrap().source,
            LayerSource::Image {
                delivery_type: "upload".into(),
                public_id: "folder/bg".into()
            }
        );
    }

    #[test]
    fn invalid_syntax_is_refused_by_name() {
        for bad in [
            "w_abc",
            "w_0",
            "c_bogus",
            "ar_0",
            "dpr_0",
            "dpr_x",
            "a_sideways",
            "r_1:2:3:4:5",
            "bo_5px_dotted",
            "b_nocolour",
            "co_x",
            "o_150",
            "f_mp3",
            "q_0",
            "q_high",
            "e_",
            "e_Blur",
            "if_w_gt",
            "l_",
            "$_5",
            "zz",
            "w_",
            "t_named",
            "g_North",
        ] {
            let e = parse(&segs(bad)).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }

    #[test]
    fn pass_through_only_plans_render_nothing() {
        let p = parse(&segs("so_2.5,eo_10p/fl_attachment/f_png,q_70")).unwrap();
        assert!(p.steps.is_empty());
        assert_eq!(p.approximate, ["so_2.5", "eo_10p"]);
    }

    #[test]
    fn named_transformations_expand_in_place() {
        let mut lookup = |n: &str| match n {
            "thumb" => Some("c_fill,w_10,h_10/e_sepia".to_owned()),
            "nested" => Some("t_thumb/a_90".to_owned()),
            "loop" => Some("t_loop".to_owned()),
            _ => None,
        };
        let got = expand_named(&segs("t_nested,w_5/e_blur"), &mut lookup).unwrap();
        assert_eq!(
            got,
            ["c_fill,w_10,h_10", "e_sepia", "a_90", "w_5", "e_blur"]
        );
        assert!(expand_named(&segs("t_missing"), &mut lookup).is_err());
        assert!(expand_named(&segs("t_loop"), &mut lookup).is_err());
        // Names that expand to nothing, eight to a level: the lookups stop at the budget.
        let mut calls = 0;
        let mut fan = |n: &str| {
            calls += 1;
            let next = (n.len() < 9).then(|| format!("{n}x"));
            Some(next.map_or(String::new(), |x| {
                format!("t_{}", [x.as_str(); 8].join("."))
            }))
        };
        assert!(expand_named(&segs("t_a"), &mut fan).is_err());
        assert!(calls <= MAX_NAMED_LOOKUPS, "{calls}");
    }
}
