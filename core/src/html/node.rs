//! HTML tags in the `node` profile: the npm SDK 2.11.0's `cloudinary.image()`,
//! `video()`, `source()` and `picture()`.
//!
//! Its serialization: `key='value'` pairs with `"` and `'` in string values escaped as
//! `&#34;` / `&#39;`, falsy values left out, `true` as a bare name, sorted as whole
//! `key='value'` texts; in `<img>` the `src` comes first and is not escaped (an npm SDK
//! bug: a `'` in the URL breaks the attribute), followed by a space (`<img src='…' />`
//! without other attributes). `html_width` / `html_height` become `width` / `height`;
//! options the URL builder leaves become attributes (`use_fetch_format` and
//! `analytics` included, the npm SDK consumes neither); a one-item `source_types` list
//! gives a `src`, not `<source>` children; the video tag has no `attributes` option.

use super::image::BLANK_GIF;
use crate::transform::js;
use crate::transform::node::{utf16_cmp, TRANSFORMATION_PARAMS};
use crate::url::node as url;
use crate::{Client, Error, Map, Result, Value};

/// The option names `extractUrlParams` keeps (`URL_KEYS`).
const URL_KEYS: &[&str] = &[
    "api_secret",
    "auth_token",
    "cdn_subdomain",
    "cloud_name",
    "cname",
    "format",
    "long_url_signature",
    "private_cdn",
    "resource_type",
    "secure",
    "secure_cdn_subdomain",
    "secure_distribution",
    "shorten",
    "sign_url",
    "ssl_detected",
    "type",
    "url_suffix",
    "use_root_path",
    "version",
];

/// The most breakpoints a computed srcset may have (the npm SDK has no limit).
const MAX_BREAKPOINTS: usize = super::MAX_BREAKPOINTS;

/// `html_attrs(attrs)`.
pub(crate) fn html_attrs(attrs: &Map) -> String {
    let mut pairs: Vec<String> = Vec::with_capacity(attrs.len());
    for (key, value) in attrs.iter() {
        if !js::truthy(Some(value)) {
            continue;
        }
        if *value == Value::Bool(true) {
            pairs.push(key.clone());
            continue;
        }
        let text = match value {
            Value::Str(s) => s.replace('"', "&#34;").replace('\'', "&#39;"),
            other => js::string(other).into_owned(),
        };
        pairs.push(format!("{key}='{text}'"));
    }
    pairs.sort_by(|a, b| utf16_cmp(a, b));
    pairs.join(" ")
}

/// lodash `extend(target, source)` ([`js::spread_into`]).
fn extend(target: &mut Map, source: &Value) {
    js::spread_into(target, source);
}

/// `pickOnlyExistingValues(options, ...names)`.
fn pick(options: &Map, names: &[&str]) -> Map {
    let mut out = Map::new();
    for name in names {
        if let Some(v) = options.get(name).filter(|v| !v.is_null()) {
            out.insert(*name, v.clone());
        }
    }
    out
}

/// `patchFetchFormat(options)`: for type `fetch`, `format` becomes `fetch_format`.
fn patch_fetch_format(options: &mut Map) {
    if matches!(options.get("type"), Some(Value::Str(t)) if t == "fetch")
        && !js::not_null(options.get("fetch_format"))
    {
        match js::consume(options, "format") {
            Some(f) => {
                options.insert("fetch_format", f);
            }
            None => {
                options.remove("fetch_format");
            }
        }
    }
}

fn thrown(message: &str) -> Error {
    Error::invalid_option("srcset", message.to_owned())
}

/// `generateBreakpoints(srcset)`.
fn generate_breakpoints(srcset: &Value) -> Result<Vec<Value>> {
    let get = |k: &str| match srcset {
        Value::Map(m) => m.get(k),
        _ => None,
    };
    let breakpoints = get("breakpoints").filter(|b| js::truthy(Some(b)));
    match breakpoints {
        Some(Value::List(l)) if !l.is_empty() => return Ok(l.clone()),
        // A text has a length but no `map`.
        Some(v @ Value::Str(_)) => {
            return Err(js::type_error(
                "srcset",
                "breakpoints.map is not a function",
                v,
            ))
        }
        _ => {}
    }
    let mut min = js::to_number(get("min_width"));
    let max = js::to_number(get("max_width"));
    let images = js::to_number(get("max_images"));
    if min.is_nan() || max.is_nan() || images.is_nan() {
        return Err(thrown(
            "Either (min_width, max_width, max_images) or breakpoints must be provided to the \
             image srcset attribute",
        ));
    }
    if min > max {
        return Err(thrown("min_width must be less than max_width"));
    }
    if images <= 0.0 {
        return Err(thrown("max_images must be a positive integer"));
    } else if images == 1.0 {
        min = max;
    }
    let step = ((max - min) / (images - 1.0).max(1.0)).ceil();
    let mut out = Vec::new();
    let mut current = min;
    while current < max {
        if out.len() >= MAX_BREAKPOINTS {
            return Err(thrown(&format!("more than {MAX_BREAKPOINTS} breakpoints")));
        }
        out.push(number_value(current));
        current += step;
    }
    out.push(number_value(max));
    Ok(out)
}

fn number_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::Int(f as i64)
    } else {
        Value::Float(f)
    }
}

/// `generateImageResponsiveAttributes(public_id, attributes, srcset, options)`.
fn responsive_attributes(
    client: &Client,
    public_id: &Value,
    attributes: &Value,
    srcset: Option<&Value>,
    options: &Map,
) -> Result<Map> {
    let mut out = Map::new();
    let srcset = srcset.cloned().unwrap_or_else(|| Value::Map(Map::new()));
    if js::is_empty(Some(&srcset)) {
        return Ok(out);
    }
    let attr = |k: &str| match attributes {
        Value::Map(m) => m.get(k),
        _ => None,
    };
    let srcset_field = |k: &str| match &srcset {
        Value::Map(m) => m.get(k),
        _ => None,
    };
    let generate_sizes =
        !js::truthy(attr("sizes")) && srcset_field("sizes") == Some(&Value::Bool(true));
    let generate_srcset = !js::truthy(attr("srcset"));
    if !(generate_srcset || generate_sizes) {
        return Ok(out);
    }
    let breakpoints = generate_breakpoints(&srcset)?;
    if generate_srcset {
        let mut opts = options.clone();
        patch_fetch_format(&mut opts);
        let transformation = srcset_field("transformation").cloned();
        let mut items = Vec::with_capacity(breakpoints.len());
        for width in &breakpoints {
            let u = scaled_url(client, public_id, width, transformation.as_ref(), &opts)?;
            items.push(format!(
                "{} {}w",
                js::string_opt(u.as_ref()),
                js::string(width)
            ));
        }
        let text = items.join(", ");
        if !text.is_empty() {
            out.insert("srcset", text);
        }
    }
    if generate_sizes {
        let text = breakpoints
            .iter()
            .map(|w| {
                let w = js::string(w);
                format!("(max-width: {w}px) {w}px")
            })
            .collect::<Vec<_>>()
            .join(", ");
        if !text.is_empty() {
            out.insert("sizes", text);
        }
    }
    Ok(out)
}

/// `scaledUrl(public_id, width, transformation, options)`.
fn scaled_url(
    client: &Client,
    public_id: &Value,
    width: &Value,
    transformation: Option<&Value>,
    options: &Map,
) -> Result<Option<Value>> {
    let mut params = pick(options, URL_KEYS);
    let mut base = Map::new();
    match transformation.filter(|t| js::truthy(Some(t))) {
        Some(t) => extend(&mut base, t),
        None => base.update(options),
    }
    let scale = Map::from_iter([("crop", Value::from("scale")), ("width", width.clone())]);
    let raw = crate::transform::node::generate_value(
        client.config(),
        &Value::List(vec![Value::Map(base), Value::Map(scale)]),
        0,
    )?;
    params.insert("raw_transformation", raw);
    Ok(Some(url::url(client, public_id, &mut params)?))
}

/// `cloudinary.image(source, options)`.
pub(crate) fn image(client: &Client, source: &Value, options: &Map) -> Result<String> {
    let config = client.config();
    let mut local = options.clone();
    let srcset_param = js::consume(&mut local, "srcset");
    let attributes =
        js::consume(&mut local, "attributes").unwrap_or_else(|| Value::Map(Map::new()));
    let mut src = url::url(client, source, &mut local)?;
    for (from, to) in [("html_width", "width"), ("html_height", "height")] {
        if local.contains_key(from) {
            match js::consume(&mut local, from) {
                Some(v) => {
                    local.insert(to, v);
                }
                None => {
                    local.remove(to);
                }
            }
        }
    }
    let client_hints = js::consume(&mut local, "client_hints")
        .or_else(|| config.get("client_hints").filter(|v| !v.is_null()).cloned());
    let responsive = js::consume(&mut local, "responsive");
    let hidpi = js::consume(&mut local, "hidpi");
    if (js::truthy(responsive.as_ref()) || js::truthy(hidpi.as_ref()))
        && !js::truthy(client_hints.as_ref())
    {
        local.insert("data-src", src.clone());
        let mut classes = vec![Value::from(if js::truthy(responsive.as_ref()) {
            "cld-responsive"
        } else {
            "cld-hidpi"
        })];
        if let Some(c) = js::consume(&mut local, "class").filter(|c| js::truthy(Some(c))) {
            classes.push(c);
        }
        local.insert("class", js::join(&classes, " "));
        src = js::consume(&mut local, "responsive_placeholder")
            .or_else(|| {
                config
                    .get("responsive_placeholder")
                    .filter(|v| !v.is_null())
                    .cloned()
            })
            .unwrap_or(Value::Null);
        if matches!(&src, Value::Str(s) if s == "blank") {
            src = Value::from(BLANK_GIF);
        }
    }
    let mut html = String::from("<img ");
    if js::truthy(Some(&src)) {
        html.push_str("src='");
        html.push_str(&js::string(&src));
        html.push_str("' ");
    }
    let responsive_attrs = match &srcset_param {
        Some(s @ Value::Str(_)) => Map::from_iter([("srcset", s.clone())]),
        other => responsive_attributes(client, source, &attributes, other.as_ref(), options)?,
    };
    if !responsive_attrs.is_empty() {
        local.remove("width");
        local.remove("height");
    }
    local.update(&responsive_attrs);
    extend(&mut local, &attributes);
    html.push_str(&html_attrs(&local));
    html.push_str("/>");
    Ok(html)
}

/// `cloudinary.video(public_id, options)`.
pub(crate) fn video(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    let Value::Str(id) = public_id else {
        return Err(js::type_error(
            "public_id",
            "public_id.replace is not a function",
            public_id,
        ));
    };
    let public_id = strip_video_extension(id);
    let mut options = options.clone();
    let source_types = match js::consume(&mut options, "source_types") {
        Some(v) if length(&v) == Some(0) => None,
        None => None,
        some => some,
    }
    .unwrap_or_else(|| Value::List(vec!["webm".into(), "mp4".into(), "ogv".into()]));
    let source_transformation = js::consume(&mut options, "source_transformation")
        .unwrap_or_else(|| Value::Map(Map::new()));
    let sources = js::consume(&mut options, "sources").unwrap_or_else(|| Value::List(Vec::new()));
    let fallback = js::consume(&mut options, "fallback_content").unwrap_or_else(|| Value::from(""));

    let poster_options = |extra: &Value| {
        let mut m = Map::from_iter([("format", "jpg"), ("resource_type", "video")]);
        extend(&mut m, extra);
        m
    };
    let mut video_options = options.clone();
    match video_options.get("poster").cloned() {
        Some(Value::Map(poster)) => {
            let value = if poster.contains_key("public_id") {
                let pid = poster.get("public_id").cloned().unwrap_or_default();
                url::url(client, &pid, &mut poster.clone())?
            } else {
                let mut opts = poster_options(&Value::Map(poster));
                url::url(client, &Value::from(public_id), &mut opts)?
            };
            video_options.insert("poster", value);
        }
        Some(_) => {}
        None => {
            let mut opts = poster_options(&Value::Map(options.clone()));
            let value = url::url(client, &Value::from(public_id), &mut opts)?;
            video_options.insert("poster", value);
        }
    }
    if !js::truthy(video_options.get("poster")) {
        video_options.remove("poster");
    }
    if !video_options.contains_key("resource_type") {
        video_options.insert("resource_type", "video");
    }
    let multi_source_types = matches!(&source_types, Value::List(l) if l.len() > 1);
    let has_sources = matches!(&sources, Value::List(l) if !l.is_empty());
    let mut source = public_id.to_owned();
    if !multi_source_types && !has_sources {
        let first = js::to_array(Some(source_types.clone())).into_iter().next();
        source.push('.');
        source.push_str(&js::string_opt(first.as_ref()));
    }
    let src = url::url(client, &Value::from(source.as_str()), &mut video_options)?;
    if !multi_source_types && !has_sources {
        video_options.insert("src", src);
    }
    for (from, to) in [("html_width", "width"), ("html_height", "height")] {
        if video_options.contains_key(from) {
            match js::consume(&mut video_options, from) {
                Some(v) => {
                    video_options.insert(to, v);
                }
                None => {
                    video_options.remove(to);
                }
            }
        }
    }
    let mut html = String::from("<video ");
    html.push_str(&html_attrs(&video_options));
    html.push('>');
    let sources: Vec<Value> = if multi_source_types && !has_sources {
        let Value::List(types) = &source_types else {
            unreachable!("multi_source_types is a list")
        };
        types
            .iter()
            .map(|t| {
                let transformations = match &source_transformation {
                    Value::Map(m) => m.get(&js::string(t)).cloned(),
                    _ => None,
                }
                .filter(|v| js::truthy(Some(v)))
                .unwrap_or_else(|| Value::Map(Map::new()));
                Value::Map(Map::from_iter([
                    ("type", t.clone()),
                    ("transformations", transformations),
                ]))
            })
            .collect()
    } else {
        match sources {
            Value::List(l) => l,
            _ => Vec::new(),
        }
    };
    for data in &sources {
        let field = |k: &str| match data {
            Value::Map(m) => Ok(m.get(k).cloned()),
            Value::Null => Err(js::type_error(
                "sources",
                "cannot read properties of null",
                data,
            )),
            _ => Ok(None),
        };
        let source_type = field("type")?;
        let codecs = field("codecs")?;
        let transformation = field("transformations")?
            .filter(|v| js::truthy(Some(v)))
            .unwrap_or_else(|| Value::Map(Map::new()));
        let mut opts = Map::from_iter([("resource_type", "video")]);
        opts.update(&options);
        extend(&mut opts, &transformation);
        let name = format!("{source}.{}", js::string_opt(source_type.as_ref()));
        let src = url::url(client, &Value::from(name.as_str()), &mut opts)?;
        html.push_str(&source_tag(&src, source_type.as_ref(), codecs.as_ref()));
    }
    html.push_str(&js::string(&fallback));
    html.push_str("</video>");
    Ok(html)
}

/// `/\.(mp4|ogv|webm)$/` removed.
fn strip_video_extension(id: &str) -> &str {
    for ext in [".mp4", ".ogv", ".webm"] {
        if let Some(stripped) = id.strip_suffix(ext) {
            return stripped;
        }
    }
    id
}

/// `v.length` of a list or string.
fn length(v: &Value) -> Option<usize> {
    match v {
        Value::List(l) => Some(l.len()),
        Value::Str(s) => Some(s.encode_utf16().count()),
        _ => None,
    }
}

/// `create_source_tag(src, source_type, codecs)`.
fn source_tag(src: &Value, source_type: Option<&Value>, codecs: Option<&Value>) -> String {
    let video_type = match source_type {
        Some(Value::Str(t)) if t == "ogv" => "ogg".to_owned(),
        other => js::string_opt(other).into_owned(),
    };
    let mut mime = format!("video/{video_type}");
    if !js::is_empty(codecs) {
        let text = match codecs {
            Some(Value::List(l)) => js::join(l, ", "),
            other => js::string_opt(other).into_owned(),
        };
        mime.push_str("; codecs=");
        mime.push_str(&text);
    }
    let attrs = Map::from_iter([("src", src.clone()), ("type", Value::Str(mime))]);
    format!("<source {}>", html_attrs(&attrs))
}

/// The npm SDK's `cloudinary.source(public_id, options)`: one `<source>` tag (what
/// `picture` renders per source, and `Client::source_tag` in the node profile).
pub(crate) fn picture_source(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    let mut srcset_param = Map::new();
    if let Some(s) = options.get("srcset") {
        extend(&mut srcset_param, s);
    }
    if let Some(s) = client.config().get("srcset") {
        extend(&mut srcset_param, s);
    }
    let mut attributes = match options.get("attributes").filter(|a| js::truthy(Some(a))) {
        Some(a) => a.clone(),
        None => Value::Map(Map::new()),
    };
    let generated = responsive_attributes(
        client,
        public_id,
        &attributes,
        Some(&Value::Map(srcset_param)),
        options,
    )?;
    let mut attrs = Map::new();
    extend(&mut attrs, &attributes);
    attrs.update(&generated);
    if !js::truthy(attrs.get("srcset")) {
        let u = url::url(client, public_id, &mut options.clone())?;
        attrs.insert("srcset", u);
    }
    if !js::truthy(attrs.get("media")) && js::truthy(options.get("media")) {
        let media = options.get("media").cloned().unwrap_or_default();
        attrs.insert("media", media_attr(&media));
    }
    attributes = Value::Map(attrs);
    let Value::Map(attrs) = &attributes else {
        unreachable!()
    };
    Ok(format!("<source {}>", html_attrs(attrs)))
}

/// `generateMediaAttr(options)`.
fn media_attr(media: &Value) -> String {
    let get = |k: &str| match media {
        Value::Map(m) => m.get(k).filter(|v| !v.is_null()),
        _ => None,
    };
    let mut parts = Vec::new();
    if let Some(min) = get("min_width") {
        parts.push(format!("(min-width: {}px)", js::string(min)));
    }
    if let Some(max) = get("max_width") {
        parts.push(format!("(max-width: {}px)", js::string(max)));
    }
    parts.join(" and ")
}

/// `cloudinary.picture(public_id, options)`.
pub(crate) fn picture(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    let sources = options
        .get("sources")
        .filter(|s| js::truthy(Some(s)))
        .cloned()
        .unwrap_or_else(|| Value::List(Vec::new()));
    let Value::List(sources) = sources else {
        return Err(js::type_error(
            "sources",
            "sources.map is not a function",
            &sources,
        ));
    };
    let mut options = options.clone();
    options.remove("sources");
    patch_fetch_format(&mut options);
    let mut html = String::from("<picture>");
    for source in &sources {
        let transformation = match source {
            Value::Map(m) => m.get("transformation").cloned(),
            Value::Null => {
                return Err(js::type_error(
                    "sources",
                    "cannot read properties of null",
                    source,
                ))
            }
            _ => None,
        };
        // chainTransformations(options, transformation)
        let mut source_options = pick(&options, URL_KEYS);
        let mut chain = vec![Value::Map(pick(&options, TRANSFORMATION_PARAMS))];
        chain.extend(js::to_array(transformation));
        source_options.insert("transformation", Value::List(chain));
        source_options.insert("media", source.clone());
        html.push_str(&picture_source(client, public_id, &source_options)?);
    }
    html.push_str(&image(client, public_id, &options)?);
    html.push_str("</picture>");
    Ok(html)
}
