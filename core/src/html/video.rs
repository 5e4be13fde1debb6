//! `<video>` tags (`CloudinaryVideo(public_id).video(**options)`): poster, `<source>`
//! children per source type or per `sources` entry (with codecs), fallback content.

use super::attributes::open_tag;
use super::tag_options::{self, setting};
use crate::{Client, Error, Map, Result, Value};

/// The source types a `<video>` tag lists when none are given.
pub const DEFAULT_SOURCE_TYPES: [&str; 3] = ["webm", "mp4", "ogv"];

impl Client {
    /// Renders a `<video>` tag for `public_id`, exactly as pycloudinary's
    /// `CloudinaryVideo(public_id).video(**options)`.
    ///
    /// A trailing `.webm`, `.mp4` or `.ogv` is stripped from the id (unless
    /// `use_fetch_format`). Understood options besides URL/transformation options and
    /// attributes: `source_types` (a list gives `<source>` children, a single string a
    /// `src` attribute; default `webm, mp4, ogv`), `source_transformation` (per type),
    /// `sources` (a list of `{type, codecs, transformations}`), `poster` (a URL, a map of
    /// options, optionally with its own `public_id`, or `false`), `fallback_content`,
    /// `html_width`/`html_height` and `attributes`.
    ///
    /// ```
    /// use cldkit::{Client, Config, Map};
    /// let client = Client::new(Config::new().with("cloud_name", "demo").with("secure", true).with("analytics", false));
    /// let opts: Map = serde_json::from_str(r#"{"source_types": ["webm", "mp4"], "controls": true}"#).unwrap();
    /// assert_eq!(client.video_tag("movie.mp4", &opts).unwrap(),
    ///     "<video controls poster=\"https://res.cloudinary.com/demo/video/upload/movie.jpg\">\
    ///      <source src=\"https://res.cloudinary.com/demo/video/upload/movie.webm\" type=\"video/webm\">\
    ///      <source src=\"https://res.cloudinary.com/demo/video/upload/movie.mp4\" type=\"video/mp4\"></video>");
    /// ```
    pub fn video_tag(&self, public_id: &str, options: &Map) -> Result<String> {
        self.video_tag_value(&Value::Str(public_id.to_owned()), options)
    }

    /// [`Client::video_tag`] with the public id as any option value.
    pub fn video_tag_value(&self, public_id: &Value, options: &Map) -> Result<String> {
        match self.profile() {
            crate::Profile::Node => return super::node::video(self, public_id, options),
            crate::Profile::Php => return super::php::video(self, public_id, options),
            crate::Profile::Python | crate::Profile::Default => {}
        }
        self.video_tag_py(public_id, options)
    }

    /// pycloudinary's video tag with this client's URL rules (the `php` profile builds
    /// on it).
    pub(crate) fn video_tag_py(&self, public_id: &Value, options: &Map) -> Result<String> {
        tag_options::reject_keywords(options, &["self"], "video")?;
        let own_id = if public_id.truthy() {
            public_id
        } else {
            &Value::Null
        };
        let mut opts = options.clone();
        let id = opts.get("public_id").unwrap_or(own_id).clone();
        let use_fetch_format = opts
            .get("use_fetch_format")
            .cloned()
            .unwrap_or_else(|| setting(self, "use_fetch_format"));
        let mut source = if use_fetch_format.truthy() {
            id
        } else {
            match &id {
                Value::Str(s) => Value::Str(strip_video_extension(s).to_owned()),
                other => {
                    return Err(Error::invalid_option(
                        "public_id",
                        format!("expected string, got '{}'", other.type_name()),
                    ))
                }
            }
        };
        let mut custom = opts
            .remove("attributes")
            .unwrap_or_else(|| Value::Map(Map::new()));
        let fallback = opts
            .remove("fallback_content")
            .unwrap_or_else(|| Value::Str(String::new()));
        let source_types = opts
            .get("source_types")
            .cloned()
            .unwrap_or_else(|| Value::Str(String::new()));
        if !tag_options::contains(&custom, "poster", "attributes")? {
            let poster = self.poster_attribute(own_id, &source, &opts)?;
            opts.insert("poster", poster);
        }
        if !opts.contains_key("resource_type") {
            opts.insert("resource_type", "video");
        }
        let source_tags = self.video_source_tags(&source, &mut opts)?;
        if source_tags.is_empty() {
            let first = tag_options::build_array(source_types)
                .into_iter()
                .next()
                .ok_or_else(|| Error::invalid_option("source_types", "list index out of range"))?;
            source = tag_options::concat(&source, ".", &first, "source_types")?;
        }
        let out = tag_options::cloudinary_url(self, &source, &opts)?;
        if source_tags.is_empty() {
            tag_options::set_item(&mut custom, "src", out.url, "attributes")?;
        }
        let mut attrs = out.leftovers;
        if let Some(w) = attrs.remove("html_width") {
            attrs.insert("width", w);
        }
        if let Some(h) = attrs.remove("html_height") {
            attrs.insert("height", h);
        }
        if attrs.get("poster").is_some_and(|p| !p.truthy()) {
            attrs.remove("poster");
        }
        tag_options::update(&mut attrs, &custom, "attributes")?;

        let mut html = open_tag("video", &attrs, ">", self.profile())?;
        for tag in &source_tags {
            html.push_str(tag);
        }
        fallback.push_py_str(&mut html);
        html.push_str("</video>");
        Ok(html)
    }

    /// The poster URL of a video (`CloudinaryVideo(public_id).video_thumbnail(**options)`
    /// with the given source): the same id as a `jpg` video frame unless `format` says
    /// otherwise.
    fn video_thumbnail_of(&self, own_id: &Value, source: &Value, options: &Map) -> Result<Value> {
        tag_options::reject_keywords(options, &["self", "public_id"], "video_thumbnail")?;
        let mut m = options.clone();
        if !m.contains_key("format") {
            m.insert("format", "jpg");
        }
        if !m.contains_key("resource_type") {
            m.insert("resource_type", "video");
        }
        let id = if source.truthy() { source } else { own_id };
        Ok(tag_options::cloudinary_url(self, id, &m)?.url)
    }

    fn poster_attribute(&self, own_id: &Value, source: &Value, options: &Map) -> Result<Value> {
        let Some(poster) = options.get("poster") else {
            return self.video_thumbnail_of(own_id, source, options);
        };
        let Value::Map(poster) = poster else {
            return Ok(poster.clone());
        };
        match poster.get("public_id") {
            None => self.video_thumbnail_of(own_id, source, poster),
            Some(id) => Ok(tag_options::cloudinary_url(self, id, poster)?.url),
        }
    }

    fn video_source_tags(&self, source: &Value, options: &mut Map) -> Result<Vec<String>> {
        let sources = options
            .remove("sources")
            .unwrap_or_else(|| Value::List(Vec::new()));
        let types = options
            .remove("source_types")
            .unwrap_or_else(|| Value::List(Vec::new()));
        let per_type = options
            .remove("source_transformation")
            .unwrap_or_else(|| Value::Map(Map::new()));
        let mut tags = Vec::new();
        if let Value::List(entries) = &sources {
            if !entries.is_empty() {
                for entry in entries {
                    let Value::Map(entry) = entry else {
                        return Err(Error::invalid_option(
                            "sources",
                            format!("'{}' object has no attribute 'get'", entry.type_name()),
                        ));
                    };
                    let mut t = options.clone();
                    let extra = entry
                        .get("transformations")
                        .cloned()
                        .unwrap_or_else(|| Value::Map(Map::new()));
                    tag_options::update(&mut t, &extra, "sources.transformations")?;
                    let kind = entry
                        .get("type")
                        .cloned()
                        .unwrap_or_else(|| Value::Str(String::new()));
                    let codecs = entry
                        .get("codecs")
                        .cloned()
                        .unwrap_or_else(|| Value::List(Vec::new()));
                    tags.push(self.source_element(source, t, &kind, &codecs)?);
                }
                return Ok(tags);
            }
        }
        let types = if types.truthy() {
            types
        } else {
            Value::List(
                DEFAULT_SOURCE_TYPES
                    .iter()
                    .map(|t| Value::from(*t))
                    .collect(),
            )
        };
        let Value::List(types) = types else {
            return Ok(tags);
        };
        for kind in &types {
            let mut t = options.clone();
            let Value::Map(per_type) = &per_type else {
                return Err(Error::invalid_option(
                    "source_transformation",
                    format!("'{}' object has no attribute 'get'", per_type.type_name()),
                ));
            };
            match kind {
                Value::Str(k) => {
                    if let Some(extra) = per_type.get(k) {
                        tag_options::update(&mut t, extra, "source_transformation")?;
                    }
                }
                Value::List(_) | Value::Map(_) => {
                    return Err(Error::invalid_option(
                        "source_types",
                        format!("unhashable type: '{}'", kind.type_name()),
                    ))
                }
                _ => {}
            }
            tags.push(self.source_element(source, t, kind, &Value::Null)?);
        }
        Ok(tags)
    }

    fn source_element(
        &self,
        source: &Value,
        mut t: Map,
        kind: &Value,
        codecs: &Value,
    ) -> Result<String> {
        tag_options::reject_keywords(&t, &["source", "format"], "cloudinary_url")?;
        t.insert("format", kind.clone());
        let src = tag_options::cloudinary_url(self, source, &t)?.url;
        let mut attrs = Map::with_capacity(2);
        attrs.insert("src", src);
        attrs.insert("type", video_mime_type(kind, codecs)?);
        open_tag("source", &attrs, ">", self.profile())
    }
}

/// The public id without a trailing `.webm`, `.mp4` or `.ogv` (Python's `$` also
/// matches before a final newline).
fn strip_video_extension(id: &str) -> String {
    let (body, tail) = match id.strip_suffix('\n') {
        Some(b) => (b, "\n"),
        None => (id, ""),
    };
    for ext in DEFAULT_SOURCE_TYPES {
        if let Some(stem) = body.strip_suffix(ext).and_then(|s| s.strip_suffix('.')) {
            return format!("{stem}{tail}");
        }
    }
    id.to_owned()
}

/// The `type` attribute of a video `<source>`: `video/<type>[; codecs=<codecs>]`, with
/// `ogv` as `ogg`; empty when the type is falsy.
pub fn video_mime_type(kind: &Value, codecs: &Value) -> Result<Value> {
    if !kind.truthy() {
        return Ok(Value::Str(String::new()));
    }
    let kind = if kind.as_str() == Some("ogv") {
        &Value::Null
    } else {
        kind
    };
    let mut out = String::from("video/");
    match kind {
        Value::Null => out.push_str("ogg"),
        k => k.push_py_str(&mut out),
    }
    let codecs: Value = match codecs {
        Value::List(items) => {
            let mut joined = String::new();
            for (i, c) in items.iter().enumerate() {
                let Value::Str(c) = c else {
                    return Err(Error::invalid_option(
                        "codecs",
                        format!(
                            "sequence item {i}: expected str instance, {} found",
                            c.type_name()
                        ),
                    ));
                };
                if i > 0 {
                    joined.push_str(", ");
                }
                joined.push_str(c);
            }
            Value::Str(joined)
        }
        other => other.clone(),
    };
    if codecs.truthy() {
        out.push_str("; codecs=");
        codecs.push_py_str(&mut out);
    }
    Ok(Value::Str(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_known_extensions_only() {
        assert_eq!(strip_video_extension("dog.mp4"), "dog");
        assert_eq!(strip_video_extension("dog.mp4.mp4"), "dog.mp4");
        assert_eq!(strip_video_extension("dog.mov"), "dog.mov");
        assert_eq!(strip_video_extension("dog.ogv\n"), "dog\n");
        assert_eq!(strip_video_extension("mp4"), "mp4");
    }

    #[test]
    fn mime_types() {
        let m = |k: Value, c: Value| video_mime_type(&k, &c).unwrap();
        assert_eq!(m("ogv".into(), Value::Null), Value::from("video/ogg"));
        assert_eq!(
            m(
                "mp4".into(),
                Value::List(vec!["avc1".into(), "mp4a".into()])
            ),
            Value::from("video/mp4; codecs=avc1, mp4a")
        );
        assert_eq!(
            m("webm".into(), "vp9".into()),
            Value::from("video/webm; codecs=vp9")
        );
        assert_eq!(m("".into(), "vp9".into()), Value::from(""));
    }
}
