//! `<picture>` and `<source>` tags (`CloudinaryImage(public_id).picture(**options)` and
//! `.source(**options)`).

use std::borrow::Cow;

use super::attributes::open_tag;
use super::srcset;
use super::tag_options;
use crate::{Client, Error, Map, Result, Value};

impl Client {
    /// Renders a `<picture>` tag for `public_id`, exactly as pycloudinary's
    /// `CloudinaryImage(public_id).picture(**options)`.
    ///
    /// `sources` (required, may be empty) lists `{min_width, max_width, transformation}`
    /// entries; each gives a `<source>` whose URL chains the entry's transformation after
    /// the image's own, with a `media` query from the widths. The `<img>` fallback
    /// follows, built from the remaining options as [`Client::image_tag`] builds it.
    ///
    /// ```
    /// use cldkit::{Client, Config, Map};
    /// let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
    /// let opts: Map = serde_json::from_str(r#"{"width": 100, "crop": "scale",
    ///     "sources": [{"min_width": 600, "transformation": {"effect": "sepia"}}]}"#).unwrap();
    /// assert_eq!(client.picture_tag("dog", &opts).unwrap(),
    ///     "<picture><source media=\"(min-width: 600px)\" \
    ///      srcset=\"https://res.cloudinary.com/demo/image/upload/c_scale,w_100/e_sepia/dog\">\
    ///      <img src=\"https://res.cloudinary.com/demo/image/upload/c_scale,w_100/dog\" width=\"100\"/></picture>");
    /// ```
    pub fn picture_tag(&self, public_id: &str, options: &Map) -> Result<String> {
        self.picture_tag_value(&Value::Str(public_id.to_owned()), options)
    }

    /// [`Client::picture_tag`] with the public id as any option value.
    pub fn picture_tag_value(&self, public_id: &Value, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => return super::node::picture(self, public_id, options),
            // cloudinary_php 3.1.2 has no picture tag from params: the php profile
            // answers as pycloudinary does (docs/profiles.md).
            crate::Profile::Php => {
                return self
                    .clone()
                    .with_profile(crate::Profile::Python)
                    .picture_tag_value(public_id, options)
            }
            crate::Profile::Python | crate::Profile::Default => {}
        }
        tag_options::reject_keywords(options, &["self"], "picture")?;
        let mut opts = options.clone();
        let sources = opts
            .remove("sources")
            .ok_or_else(|| Error::invalid_option("sources", "the `sources` option is required"))?;
        let sources = if sources.truthy() {
            tag_options::iterate(&sources, "sources")?
        } else {
            Vec::new()
        };
        let mut html = String::from("<picture>");
        for entry in &sources {
            let mut current = opts.clone();
            if tag_options::contains(entry, "transformation", "sources")? {
                let t = tag_options::get_item(entry, "transformation", "sources")?;
                current = tag_options::chain_transformations(current, t);
            }
            let mut media = Map::new();
            for key in ["min_width", "max_width"] {
                if tag_options::contains(entry, key, "sources")? {
                    media.insert(key, tag_options::get_item(entry, key, "sources")?);
                }
            }
            current.insert("media", media);
            html.push_str(&self.source_tag_owned(public_id, current)?);
        }
        html.push_str(&self.image_tag_value(public_id, &opts)?);
        html.push_str("</picture>");
        Ok(html)
    }

    /// Renders one `<source>` tag for a `<picture>`, exactly as pycloudinary's
    /// `CloudinaryImage(public_id).source(**options)`: the URL (or a generated srcset)
    /// in `srcset`, and `media` from the `media` option's `min_width`/`max_width`.
    ///
    /// ```
    /// use cldkit::{Client, Config, Map};
    /// let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
    /// let opts: Map = serde_json::from_str(r#"{"media": {"max_width": 500}}"#).unwrap();
    /// assert_eq!(client.source_tag("dog", &opts).unwrap(),
    ///     "<source media=\"(max-width: 500px)\" srcset=\"https://res.cloudinary.com/demo/image/upload/dog\">");
    /// ```
    pub fn source_tag(&self, public_id: &str, options: &Map) -> Result<String> {
        if self.profile() == crate::Profile::Node {
            return super::node::picture_source(self, &Value::Str(public_id.to_owned()), options);
        }
        self.source_tag_owned(&Value::Str(public_id.to_owned()), options.clone())
    }

    fn source_tag_owned(&self, public_id: &Value, mut opts: Map) -> Result<String> {
        tag_options::reject_keywords(&opts, &["self"], "source")?;
        let own_id = if public_id.truthy() {
            public_id
        } else {
            &Value::Null
        };
        let given = opts.get("attributes").cloned().unwrap_or(Value::Null);
        let mut attrs = if given.truthy() {
            given
        } else {
            Value::Map(Map::new())
        };
        let srcset_option = opts
            .remove("srcset")
            .unwrap_or_else(|| Value::Map(Map::new()));
        let data = srcset::srcset_data(self, &srcset_option)?;
        let generated =
            srcset::responsive_attributes(self, own_id, &attrs, &data, Cow::Borrowed(&opts))?;
        let Value::Map(attrs_map) = &mut attrs else {
            return Err(Error::invalid_option(
                "attributes",
                format!("'{}' object has no attribute 'update'", attrs.type_name()),
            ));
        };
        for (k, v) in generated {
            attrs_map.insert(k, v);
        }
        if !attrs_map.contains_key("srcset") {
            tag_options::reject_keywords(&opts, &["self"], "__build_url")?;
            let url = tag_options::cloudinary_url(
                self,
                tag_options::resource_source(&opts, own_id),
                &opts,
            )?
            .url;
            attrs_map.insert("srcset", url);
        }
        if !attrs_map.contains_key("media") {
            let media = match opts.get("media") {
                None => Map::new(),
                Some(Value::Map(m)) => m.clone(),
                Some(other) => {
                    return Err(Error::invalid_option(
                        "media",
                        format!(
                            "argument after ** must be a mapping, not {}",
                            other.type_name()
                        ),
                    ))
                }
            };
            let query = media_query(&media);
            if !query.is_empty() {
                attrs_map.insert("media", query);
            }
        }
        open_tag("source", attrs_map, ">", self.profile())
    }
}

/// The `media` query of a `<source>`: `(min-width: Npx)` and/or `(max-width: Npx)`
/// joined with ` and `.
pub fn media_query(media: &Map) -> String {
    let mut out = String::new();
    if let Some(v) = media.get("min_width") {
        out.push_str("(min-width: ");
        v.push_py_str(&mut out);
        out.push_str("px)");
    }
    if let Some(v) = media.get("max_width") {
        if !out.is_empty() {
            out.push_str(" and ");
        }
        out.push_str("(max-width: ");
        v.push_py_str(&mut out);
        out.push_str("px)");
    }
    out
}
