//! `<img>` tags (`CloudinaryImage(public_id).image(**options)`).

use std::borrow::Cow;

use super::attributes::open_tag;
use super::srcset;
use super::tag_options::{self, setting};
use crate::{Client, Error, Map, Result, Value};

/// The 1×1 transparent GIF a `responsive_placeholder` of `"blank"` stands for.
pub const BLANK_GIF: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

impl Client {
    /// Renders an `<img>` tag for `public_id`, exactly as pycloudinary's
    /// `CloudinaryImage(public_id).image(**options)`.
    ///
    /// Options are URL and transformation options plus HTML attributes; the ones the URL
    /// builder does not consume become attributes. Also understood: `attributes` (a map
    /// of attributes that override everything), `srcset` (a map with `breakpoints`, or
    /// `min_width`/`max_width`/`max_images`, optional `transformation` and `sizes: true`;
    /// or a string used verbatim), responsive mode (`width: "auto…"`,
    /// `responsive_width`, `responsive: true`), HiDPI (`dpr: "auto"`), `client_hints`
    /// and `responsive_placeholder` (each also read from the configuration).
    ///
    /// ```
    /// use cldkit::{Client, Config, Map};
    /// let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
    /// let opts: Map = serde_json::from_str(
    ///     r#"{"width": 500, "height": 500, "crop": "fill", "alt": "A dog",
    ///         "srcset": {"breakpoints": [200, 400], "sizes": true}}"#).unwrap();
    /// assert_eq!(client.image_tag("dog", &opts).unwrap(),
    ///     "<img alt=\"A dog\" sizes=\"(max-width: 200px) 200px, (max-width: 400px) 400px\" \
    ///      src=\"https://res.cloudinary.com/demo/image/upload/c_fill,h_500,w_500/dog\" \
    ///      srcset=\"https://res.cloudinary.com/demo/image/upload/c_fill,h_500,w_500/c_scale,w_200/dog 200w, \
    ///      https://res.cloudinary.com/demo/image/upload/c_fill,h_500,w_500/c_scale,w_400/dog 400w\"/>");
    /// ```
    pub fn image_tag(&self, public_id: &str, options: &Map) -> Result<String> {
        self.image_tag_value(&Value::Str(public_id.to_owned()), options)
    }

    /// [`Client::image_tag`] with the public id as any option value (pycloudinary
    /// accepts whatever it is given; a falsy id means "no id").
    pub fn image_tag_value(&self, public_id: &Value, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => return super::node::image(self, public_id, options),
            crate::Profile::Php => return super::php::image(self, public_id, options),
            crate::Profile::Python | crate::Profile::Default => {}
        }
        let attrs = self.image_attributes(public_id, options)?;
        open_tag("img", &attrs, "/>", self.profile())
    }

    /// The attributes of the `<img>` tag [`Client::image_tag`] renders, before rendering
    /// (for integrations that add or move attributes, e.g. lazy loading).
    pub fn image_attributes(&self, public_id: &Value, options: &Map) -> Result<Map> {
        tag_options::reject_keywords(options, &["self"], "image")?;
        let own_id = if public_id.truthy() {
            public_id
        } else {
            &Value::Null
        };
        let is_video = options.get("resource_type").and_then(Value::as_str) == Some("video");
        let add_format = is_video && !options.contains_key("format");
        // `attributes` and `srcset` are taken out of the options (pycloudinary pops
        // them); the options are only copied when something is taken out or added, and
        // then without those two.
        let taken = |k: &str| k == "attributes" || k == "srcset";
        let mut opts: Cow<'_, Map> =
            if add_format || options.contains_key("attributes") || options.contains_key("srcset") {
                Cow::Owned(options.filtered(|k| !taken(k)))
            } else {
                Cow::Borrowed(options)
            };
        if add_format {
            opts.to_mut().insert("format", "jpg");
        }
        let mut custom = match options.get("attributes") {
            Some(v) => v.clone(),
            None => Value::Map(Map::new()),
        };
        let no_option = Value::Map(Map::new());
        let srcset_data = match options.get("srcset") {
            // The configuration's `srcset` setting still applies.
            None => srcset::srcset_data(self, &no_option)?,
            Some(option @ Value::Map(_)) => srcset::srcset_data(self, option)?,
            Some(option) => {
                if !tag_options::contains(&custom, "srcset", "attributes")? {
                    tag_options::set_item(&mut custom, "srcset", option.clone(), "attributes")?;
                }
                Cow::Owned(Map::new())
            }
        };

        tag_options::reject_keywords(&opts, &["self"], "__build_url")?;
        let out =
            tag_options::cloudinary_url(self, tag_options::resource_source(&opts, own_id), &opts)?;
        let mut src = out.url;
        let mut attrs = out.leftovers;

        let client_hints = attrs
            .remove("client_hints")
            .unwrap_or_else(|| setting(self, "client_hints"));
        let responsive = attrs.remove("responsive").is_some_and(|v| v.truthy());
        let hidpi = attrs.remove("hidpi").is_some_and(|v| v.truthy());
        if (responsive || hidpi) && !client_hints.truthy() {
            attrs.insert("data-src", src);
            let mut classes = String::from(if responsive {
                "cld-responsive"
            } else {
                "cld-hidpi"
            });
            match attrs.get("class") {
                None => {}
                Some(Value::Str(c)) => {
                    classes.push(' ');
                    classes.push_str(c);
                }
                Some(other) => {
                    return Err(Error::invalid_option(
                        "class",
                        format!(
                            "can only concatenate str (not \"{}\") to str",
                            other.type_name()
                        ),
                    ))
                }
            }
            attrs.insert("class", classes);
            src = attrs
                .remove("responsive_placeholder")
                .unwrap_or_else(|| setting(self, "responsive_placeholder"));
            if src.as_str() == Some("blank") {
                src = Value::Str(BLANK_GIF.to_owned());
            }
        }

        let generated = srcset::responsive_attributes(self, own_id, &custom, &srcset_data, opts)?;
        if !generated.is_empty() {
            attrs.remove("width");
            attrs.remove("height");
        }
        for (k, v) in generated {
            attrs.insert(k, v);
        }
        tag_options::update(&mut attrs, &custom, "attributes")?;
        if src.truthy() {
            attrs.insert("src", src);
        }
        Ok(attrs)
    }
}
