//! A typed builder for the common transformation parameters.
//!
//! It produces the same option map a plugin would pass, so typed and untyped callers
//! share one code path and one set of rules.
//!
//! ```
//! use cldkit::{Client, Transformation};
//! let client = Client::from_url("cloudinary://k:s@demo?analytics=false").unwrap();
//! let t = Transformation::new().width(300).height(200).crop("fill").gravity("face");
//! assert_eq!(client.url("sample.jpg", &t.to_options()).unwrap(),
//!            "https://res.cloudinary.com/demo/image/upload/c_fill,g_face,h_200,w_300/sample.jpg");
//! let chained = Transformation::new().chain(t).effect("sepia:50");
//! assert_eq!(client.url("sample.jpg", &chained.to_options()).unwrap(),
//!            "https://res.cloudinary.com/demo/image/upload/c_fill,g_face,h_200,w_300/e_sepia:50/sample.jpg");
//! ```

use crate::value::{Map, Value};

/// A typed transformation: each method sets one SDK option.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Transformation {
    options: Map,
    chain: Vec<Transformation>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name(mut self, value: impl Into<Value>) -> Self {
            self.options.insert(stringify!($name), value);
            self
        }
    )*};
}

impl Transformation {
    /// An empty transformation.
    pub fn new() -> Self {
        Self::default()
    }

    setters!(
        /// `w_`: width in pixels, a fraction, `auto`, or an expression.
        width,
        /// `h_`: height.
        height,
        /// `c_`: crop mode (`fill`, `scale`, `fit`, `limit`, `pad`, `thumb`, ...).
        crop,
        /// `g_`: gravity (`face`, `auto`, `north_east`, ...).
        gravity,
        /// `e_`: effect (`sepia:50`, `blur:300`, ...).
        effect,
        /// `q_`: quality (`auto`, `auto:good`, 80, ...).
        quality,
        /// `f_`: delivery format (`auto`, `webp`, ...).
        fetch_format,
        /// `dpr_`: device pixel ratio.
        dpr,
        /// `a_`: rotation angle.
        angle,
        /// `r_`: corner radius.
        radius,
        /// `o_`: opacity.
        opacity,
        /// `x_`: horizontal offset.
        x,
        /// `y_`: vertical offset.
        y,
        /// `z_`: zoom.
        zoom,
        /// `fl_`: flags (a string or a list).
        flags,
        /// `b_`: background colour.
        background,
        /// `co_`: colour.
        color,
        /// `bo_`: border.
        border,
        /// `l_`: overlay (a string or a layer map).
        overlay,
        /// `u_`: underlay.
        underlay,
        /// `ar_`: aspect ratio.
        aspect_ratio,
        /// `d_`: default image.
        default_image,
        /// `if_`: condition.
        r#if,
        /// Text appended verbatim.
        raw_transformation,
        /// `t_`: a named transformation.
        named,
    );

    /// Sets any option by its SDK name.
    pub fn set(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.options.insert(name, value);
        self
    }

    /// Adds a component that comes before this one.
    pub fn chain(mut self, component: Transformation) -> Self {
        self.chain.push(component);
        self
    }

    /// The SDK option map this builder stands for.
    pub fn to_options(&self) -> Map {
        let mut out = Map::with_capacity(self.options.len() + 1);
        if !self.chain.is_empty() {
            let list: Vec<Value> = self
                .chain
                .iter()
                .map(|c| Value::Map(c.to_options()))
                .collect();
            out.insert("transformation", Value::List(list));
        }
        for (k, v) in self.options.iter() {
            match k.as_str() {
                "r#if" => out.insert("if", v.clone()),
                "named" => out.insert("transformation", v.clone()),
                _ => out.insert(k.clone(), v.clone()),
            };
        }
        out
    }
}

impl From<Transformation> for Map {
    fn from(t: Transformation) -> Map {
        t.to_options()
    }
}
