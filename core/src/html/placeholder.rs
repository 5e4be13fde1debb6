//! Lazy loading and low-quality image placeholders.
//!
//! The modes and their transformations are those of Cloudinary's JavaScript SDK
//! (`@cloudinary/html` 1.13.5, the `placeholder()` plugin): the placeholder is the final
//! image with these components chained after its own transformation.
//!
//! | mode | components appended |
//! |---|---|
//! | `blur` | `e_blur:2000/q_auto/f_auto` |
//! | `pixelate` | `e_pixelate/q_auto/f_auto` |
//! | `vectorize` (the JS default) | `e_vectorize/q_auto/f_svg` |
//! | `predominant-color` | `ar_1.0,b_auto,c_pad,w_iw_div_2/c_crop,g_north_east,h_1,w_1/c_fill,h_ih,w_iw/q_auto/f_auto` |
//!
//! ```
//! use cldkit::{html::PlaceholderMode, Client, Config, Map};
//! let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
//! let opts: Map = serde_json::from_str(r#"{"width": 400, "height": 300, "crop": "fill"}"#).unwrap();
//! let urls = client.placeholder_urls("dog", PlaceholderMode::Blur, &opts).unwrap();
//! assert_eq!(urls.url, "https://res.cloudinary.com/demo/image/upload/c_fill,h_300,w_400/dog");
//! assert_eq!(urls.placeholder,
//!     "https://res.cloudinary.com/demo/image/upload/c_fill,h_300,w_400/e_blur:2000/q_auto/f_auto/dog");
//! ```

use super::attributes::open_tag;
use super::tag_options;
use crate::{Client, Error, Map, Result, Value};

/// A low-quality placeholder style, as `@cloudinary/html`'s `placeholder({mode})`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PlaceholderMode {
    /// A strongly blurred version (`e_blur:2000`).
    Blur,
    /// A pixelated version (`e_pixelate`).
    Pixelate,
    /// A vector (SVG) rendition (`e_vectorize`, `f_svg`); the JavaScript SDK's default.
    #[default]
    Vectorize,
    /// A single pixel of the image's predominant colour, stretched to the image's size.
    PredominantColor,
}

const BLUR: &[&str] = &["e_blur:2000", "q_auto", "f_auto"];
const PIXELATE: &[&str] = &["e_pixelate", "q_auto", "f_auto"];
const VECTORIZE: &[&str] = &["e_vectorize", "q_auto", "f_svg"];
const PREDOMINANT: &[&str] = &[
    "ar_1.0,b_auto,c_pad,w_iw_div_2",
    "c_crop,g_north_east,h_1,w_1",
    "c_fill,h_ih,w_iw",
    "q_auto",
    "f_auto",
];

impl PlaceholderMode {
    /// Every mode.
    pub const ALL: [PlaceholderMode; 4] = [
        PlaceholderMode::Blur,
        PlaceholderMode::Pixelate,
        PlaceholderMode::Vectorize,
        PlaceholderMode::PredominantColor,
    ];

    /// Parses a mode name as the JavaScript SDK spells it (`blur`, `pixelate`,
    /// `vectorize`, `predominant-color`; `predominant_color` is accepted too).
    pub fn parse(name: &str) -> Option<PlaceholderMode> {
        match name {
            "blur" => Some(PlaceholderMode::Blur),
            "pixelate" => Some(PlaceholderMode::Pixelate),
            "vectorize" => Some(PlaceholderMode::Vectorize),
            "predominant-color" | "predominant_color" => Some(PlaceholderMode::PredominantColor),
            _ => None,
        }
    }

    /// Like [`PlaceholderMode::parse`], falling back to `vectorize` for an unknown name,
    /// as the JavaScript SDK does.
    pub fn parse_or_default(name: &str) -> PlaceholderMode {
        PlaceholderMode::parse(name).unwrap_or_default()
    }

    /// The mode's name in the JavaScript SDK.
    pub fn name(self) -> &'static str {
        match self {
            PlaceholderMode::Blur => "blur",
            PlaceholderMode::Pixelate => "pixelate",
            PlaceholderMode::Vectorize => "vectorize",
            PlaceholderMode::PredominantColor => "predominant-color",
        }
    }

    /// The transformation components appended for this mode, in order.
    pub fn components(self) -> &'static [&'static str] {
        match self {
            PlaceholderMode::Blur => BLUR,
            PlaceholderMode::Pixelate => PIXELATE,
            PlaceholderMode::Vectorize => VECTORIZE,
            PlaceholderMode::PredominantColor => PREDOMINANT,
        }
    }
}

/// The two URLs of a lazily loaded image: show `placeholder` first, swap in `url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceholderUrls {
    /// The low-quality placeholder URL.
    pub placeholder: String,
    /// The final URL (what [`Client::url`] returns for the same options).
    pub url: String,
}

fn url_string(value: Value) -> Result<String> {
    match value {
        Value::Str(s) => Ok(s),
        other => Err(Error::invalid_option(
            "public_id",
            format!("no delivery URL for a public id of {}", other.py_str()),
        )),
    }
}

impl Client {
    /// The placeholder URL of `public_id` in `mode`: the URL of `options` with the
    /// mode's components chained after the image's own transformation.
    pub fn placeholder_url(
        &self,
        public_id: &str,
        mode: PlaceholderMode,
        options: &Map,
    ) -> Result<String> {
        let components: Vec<Value> = mode
            .components()
            .iter()
            .map(|c| Value::Map(Map::from_iter([("raw_transformation", *c)])))
            .collect();
        let mut chained =
            tag_options::chain_transformations(options.clone(), Value::List(components));
        // Marks the URL as a placeholder for the analytics token of the default profile,
        // as `@cloudinary/html` does; the URL builder otherwise ignores it.
        chained.insert("placeholder", true);
        let source = Value::Str(public_id.to_owned());
        url_string(tag_options::cloudinary_url(self, &source, &chained)?.url)
    }

    /// Both the placeholder URL and the final URL of `public_id`, so an integration can
    /// render the first and swap in the second once the page is idle or the image is in
    /// view.
    pub fn placeholder_urls(
        &self,
        public_id: &str,
        mode: PlaceholderMode,
        options: &Map,
    ) -> Result<PlaceholderUrls> {
        let source = Value::Str(public_id.to_owned());
        let url = url_string(tag_options::cloudinary_url(self, &source, options)?.url)?;
        Ok(PlaceholderUrls {
            placeholder: self.placeholder_url(public_id, mode, options)?,
            url,
        })
    }

    /// An `<img>` tag that loads lazily: [`Client::image_tag`] with `loading="lazy"`
    /// (unless `loading` is given), and with a `placeholder` mode, the placeholder URL in
    /// `src` while the final URL moves to `data-src` (and a generated `srcset` to
    /// `data-srcset`) for a swap script to restore.
    ///
    /// ```
    /// use cldkit::{html::PlaceholderMode, Client, Config, Map};
    /// let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
    /// let opts: Map = serde_json::from_str(r#"{"width": 400, "crop": "scale", "alt": "Dog"}"#).unwrap();
    /// assert_eq!(client.lazy_image_tag("dog", &opts, Some(PlaceholderMode::Pixelate)).unwrap(),
    ///     "<img alt=\"Dog\" data-src=\"https://res.cloudinary.com/demo/image/upload/c_scale,w_400/dog\" \
    ///      loading=\"lazy\" src=\"https://res.cloudinary.com/demo/image/upload/c_scale,w_400/e_pixelate/q_auto/f_auto/dog\" \
    ///      width=\"400\"/>");
    /// ```
    pub fn lazy_image_tag(
        &self,
        public_id: &str,
        options: &Map,
        placeholder: Option<PlaceholderMode>,
    ) -> Result<String> {
        let mut opts = options.clone();
        if !opts.contains_key("loading") {
            opts.insert("loading", "lazy");
        }
        let mut attrs = self.image_attributes(&Value::Str(public_id.to_owned()), &opts)?;
        if let Some(mode) = placeholder {
            if let Some(src) = attrs.remove("src") {
                if !attrs.contains_key("data-src") {
                    attrs.insert("data-src", src);
                }
            }
            if let Some(srcset) = attrs.remove("srcset") {
                attrs.insert("data-srcset", srcset);
            }
            let mut url_opts = options.clone();
            for key in ["attributes", "srcset", "loading"] {
                url_opts.remove(key);
            }
            attrs.insert("src", self.placeholder_url(public_id, mode, &url_opts)?);
        }
        open_tag("img", &attrs, "/>", self.profile())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in PlaceholderMode::ALL {
            assert_eq!(PlaceholderMode::parse(m.name()), Some(m));
        }
        assert_eq!(
            PlaceholderMode::parse_or_default("nope"),
            PlaceholderMode::Vectorize
        );
    }
}
