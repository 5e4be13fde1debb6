//! The `php` profile's HTML tags: cloudinary_php 3.1.2's `ImageTag` serialization.
//!
//! Done so far: the attributes are pycloudinary's, with the PHP SDK's differences
//! applied where known (a `class` option replaces the `cld-responsive`/`cld-hidpi`
//! class instead of joining it; `responsive_placeholder` stays as an attribute beside
//! the placeholder `src`, a PHP SDK quirk kept; a srcset only from explicit
//! `breakpoints`, with `sizes='100vw'`), serialized as `BaseTag` does:
//! keys in PHP `ksort` order with `src` moved first, values single-quoted through
//! `htmlspecialchars(ENT_QUOTES)`, a PHP-empty value (`""`, `"0"`, `0`) and `true` as
//! the bare name, `false` left out.

use crate::{Client, Map, Result, Value};

/// `htmlspecialchars($value, ENT_QUOTES)`.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// `BaseTag::serializeAttributes` with `src` moved first (the image tag).
fn serialize_attributes(attrs: &Map) -> String {
    serialize_sorted(attrs, true)
}

/// `BaseTag::serializeAttributes`: PHP `ksort` order, `src` first when `src_first`.
fn serialize_sorted(attrs: &Map, src_first: bool) -> String {
    let mut pairs: Vec<(&String, &Value)> = attrs.iter().collect();
    pairs.sort_by(|a, b| crate::php::key_cmp(a.0, b.0));
    if let Some(i) = pairs
        .iter()
        .position(|(k, _)| src_first && k.as_str() == "src")
    {
        let src = pairs.remove(i);
        pairs.insert(0, src);
    }
    let mut out = String::with_capacity(pairs.len() * 40);
    for (name, value) in pairs {
        let text = match value {
            Value::Bool(false) => continue,
            Value::Bool(true) => None,
            v if crate::php::is_empty(v) => None,
            v => Some(crate::php::string(v).unwrap_or_else(|| "Array".to_owned())),
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(name);
        if let Some(text) = text {
            out.push_str("='");
            push_escaped(&mut out, &text);
            out.push('\'');
        }
    }
    out
}

/// `TagUtils::handleSpecialAttributes`: the `width` and `height` attributes (from
/// `html_width`/`html_height` or the qualifiers), left out when empty, below 1 as a
/// number (so any expression), a width starting with `auto`, or when the image has a
/// layer, an angle, a `fit`/`limit` crop, a responsive width or a srcset.
fn html_sizes(client: &Client, options: &Map, attrs: &mut Map) {
    attrs.remove("width");
    attrs.remove("height");
    let responsive = match options.get("responsive_width") {
        Some(v) => v.truthy(),
        None => client
            .config()
            .get("responsive_width")
            .is_some_and(Value::truthy),
    };
    let crop = options.get("crop").and_then(Value::as_str);
    let no_html_sizes = options.contains_key("overlay")
        || options.contains_key("underlay")
        || options
            .get("angle")
            .is_some_and(|a| !crate::php::is_empty(a))
        || matches!(crop, Some("fit" | "limit"))
        || responsive
        || matches!(options.get("srcset"), Some(Value::Map(m)) if !m.is_empty());
    let as_float = |v: &Value| crate::php::number(v, "width").unwrap_or(0.0);
    for (name, html) in [("width", "html_width"), ("height", "html_height")] {
        let value = match options.get(html).filter(|v| !crate::php::is_empty(v)) {
            Some(v) => v,
            None => match options.get(name) {
                Some(v) => v,
                None => continue,
            },
        };
        let Some(text) = crate::php::string(value) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let skip = if name == "width" {
            !crate::php::is_empty(value)
                && (text.starts_with("auto") || as_float(value) < 1.0 || no_html_sizes)
        } else {
            as_float(value) < 1.0 || no_html_sizes
        };
        if !skip && !value.is_null() {
            attrs.insert(name, value.clone());
        }
    }
}

/// The srcset as `SrcSet` writes it: each entry is the image's own URL (its host,
/// transformation and signature) with a `c_scale,w_<width>` component added after the
/// transformation (a `transformation` of the srcset options is not used).
fn srcset_from_src(src: &str, srcset: &str) -> String {
    let mut out = Vec::new();
    for entry in srcset.split(", ") {
        let Some((url, width)) = entry.rsplit_once(' ') else {
            return srcset.to_owned();
        };
        let w = width.trim_end_matches('w');
        let marker = format!("/c_scale,w_{w}/");
        let Some(tail) = url.find(&marker).map(|i| &url[i + marker.len()..]) else {
            return srcset.to_owned();
        };
        let Some(head) = src.strip_suffix(tail).and_then(|h| h.strip_suffix('/')) else {
            return srcset.to_owned();
        };
        out.push(format!("{head}{marker}{tail} {width}"));
    }
    out.join(", ")
}

/// `<img .../>` in the `php` profile.
pub(crate) fn image(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    // A configured `responsive_width` applies once, as the option would (pycloudinary
    // recurses on it).
    let responsive_client;
    let with_responsive;
    // `fromParams` reads no `dpr` from the configuration.
    let without_dpr;
    let client = if client.config().get("dpr").is_some_and(|d| !d.is_null()) {
        let mut c = client.clone();
        c.config = std::sync::Arc::new(client.config().clone().with("dpr", Value::Null));
        c.analytics_base = std::sync::Arc::default();
        without_dpr = c;
        &without_dpr
    } else {
        client
    };
    let (client, options) = if !options.contains_key("responsive_width")
        && client
            .config()
            .get("responsive_width")
            .is_some_and(Value::truthy)
    {
        let mut c = client.clone();
        c.config = std::sync::Arc::new(
            client
                .config()
                .clone()
                .with("responsive_width", Value::Null),
        );
        c.analytics_base = std::sync::Arc::default();
        responsive_client = c;
        let mut o = options.clone();
        o.insert("responsive_width", true);
        with_responsive = o;
        (&responsive_client, &with_responsive)
    } else {
        (client, options)
    };
    // A srcset map without breakpoints is not read (pycloudinary computes them).
    // A video's image has no `jpg` format added (pycloudinary adds it); an empty
    // format is none.
    let srcset_unread =
        matches!(options.get("srcset"), Some(Value::Map(m)) if !m.contains_key("breakpoints"));
    let video_image = options.get("resource_type").and_then(Value::as_str) == Some("video")
        && !options.contains_key("format");
    let adjusted;
    let tag_options = if srcset_unread || video_image {
        let mut o = options.filtered(|k| !(srcset_unread && k == "srcset"));
        if video_image {
            o.insert("format", "");
        }
        adjusted = o;
        &adjusted
    } else {
        options
    };
    let mut attrs = client.image_attributes(public_id, tag_options)?;
    if let Some(user_class) = options.get("class").filter(|c| c.truthy()) {
        if attrs.contains_key("data-src") {
            attrs.insert("class", user_class.clone());
        }
    }
    if let Some(ph) = options.get("responsive_placeholder").filter(|p| p.truthy()) {
        if attrs.contains_key("data-src") {
            attrs.insert("responsive_placeholder", ph.clone());
        }
    }
    html_sizes(client, options, &mut attrs);
    // Options that are neither asset keys nor qualifiers stay as attributes
    // (`collectAttributesFromParams`); these are the ones pycloudinary consumes.
    for key in ["force_version", "signature_algorithm", "use_fetch_format"] {
        if let Some(v) = options.get(key) {
            if !attrs.contains_key(key) {
                attrs.insert(key, v.clone());
            }
        }
    }
    if !options.contains_key("srcset") {
        // The configuration's srcset is not read by `fromParams`.
        attrs.remove("srcset");
        attrs.remove("sizes");
    }
    if let Some(Value::Map(srcset)) = options.get("srcset") {
        if !srcset.contains_key("breakpoints") {
            // The PHP SDK computes no breakpoints from min/max widths here.
            attrs.remove("srcset");
            attrs.remove("sizes");
        } else if attrs.contains_key("sizes") {
            let given = match options.get("attributes") {
                Some(Value::Map(a)) => a.get("sizes").cloned(),
                _ => None,
            };
            attrs.insert("sizes", given.unwrap_or_else(|| Value::from("100vw")));
        }
    }
    let src = attrs.get("src").and_then(Value::as_str).map(str::to_owned);
    if let (Some(src), Some(Value::Str(srcset))) = (src, attrs.get("srcset")) {
        let rebuilt = srcset_from_src(&src, srcset);
        attrs.insert("srcset", rebuilt);
    }
    let body = serialize_attributes(&attrs);
    Ok(if body.is_empty() {
        "<img/>".to_owned()
    } else {
        format!("<img {body}/>")
    })
}

/// `<video>` in the `php` profile: pycloudinary's tag structure (a one-item
/// `source_types` list counts as that one type, as the PHP SDK reads it), each tag's
/// attributes re-serialized as `BaseTag` does (PHP `ksort` order, single quotes,
/// `htmlspecialchars`); the video tag does not move `src` first.
pub(crate) fn video(client: &Client, public_id: &Value, options: &Map) -> Result<String> {
    let mut opts = options.clone();
    // One source is written as the video's `src` (its own transformation and codecs
    // are not used); several each add their transformation as a component of its own
    // after the video's (`toUrl($additionalTransformation)`).
    if let Some(Value::List(sources)) = options.get("sources") {
        if let [Value::Map(only)] = sources.as_slice() {
            if let Some(t @ Value::Str(_)) = only.get("type") {
                opts.remove("sources");
                opts.insert("source_types", t.clone());
            }
        } else if sources.len() > 1 {
            let chained = sources
                .iter()
                .map(|source| match source {
                    Value::Map(m) => {
                        let mut m = m.clone();
                        let own = m
                            .get("transformation")
                            .or_else(|| m.get("transformations"))
                            .cloned();
                        m.remove("transformation");
                        if let Some(own) = own {
                            m.insert("transformations", chained_after(options, own));
                        }
                        Value::Map(m)
                    }
                    other => other.clone(),
                })
                .collect();
            opts.insert("sources", Value::List(chained));
        }
    }
    // A poster map is an image (jpg unless it names a format).
    if let Some(Value::Map(poster)) = options.get("poster") {
        if poster.contains_key("public_id") && !poster.contains_key("format") {
            let mut p = poster.clone();
            p.insert("format", "jpg");
            opts.insert("poster", Value::Map(p));
        }
    }
    if let Some(Value::List(types)) = options.get("source_types") {
        if types.len() == 1 {
            opts.insert("source_types", types[0].clone());
        }
    }
    // A boolean attribute set to false is left out.
    for key in ["autoplay", "controls", "loop", "muted", "playsinline"] {
        if opts.get(key) == Some(&Value::Bool(false)) {
            opts.remove(key);
        }
    }
    // `fromParams` splits the public id's extension off (the formats replace it).
    // The URL builder splits an extension off again (a format replaces it), so a
    // file name that still has one after the split (`dog.mp4.mp4`: `dog.mp4`) is
    // given one more, which pycloudinary's tag strips (a video extension, once) or the
    // builder's split takes.
    let stripped = match public_id {
        Value::Str(id) => {
            let dir_end = id.rfind('/').map_or(0, |i| i + 1);
            let stem = match id[dir_end..].rfind('.') {
                Some(dot) => &id[..dir_end + dot],
                None => id.as_str(),
            };
            let video_ext = [".webm", ".mp4", ".ogv"].iter().any(|e| id.ends_with(e));
            let stem_has_ext = stem[dir_end..].contains('.');
            let fetch_format = opts.get("use_fetch_format").is_some_and(Value::truthy);
            if stem_has_ext && !fetch_format && multi_source(&opts) {
                Some(Value::Str(format!("{stem}.mp4.mp4")))
            } else if video_ext {
                // pycloudinary's tag strips a video extension itself (once).
                None
            } else if stem.len() == id.len() {
                None
            } else {
                Some(Value::from(stem))
            }
        }
        _ => None,
    };
    let given_id = public_id;
    let public_id = stripped.as_ref().unwrap_or(public_id);
    // An empty `source_types` list and no sources: no source elements, the video's
    // own URL (no format) is its `src` (pycloudinary falls back to its default types).
    let no_types = matches!(options.get("source_types"), Some(Value::List(t)) if t.is_empty())
        && !matches!(options.get("sources"), Some(Value::List(s)) if !s.is_empty());
    if no_types {
        opts.insert("source_types", "mp4");
    }
    let mut html = client.video_tag_py(public_id, &opts)?;
    if no_types {
        let url = client
            .url_with_leftovers(given_id, &source_url_options(&opts, None))?
            .url;
        if let Value::Str(url) = url {
            html = replace_nth_src(&html, "<video", 0, &url);
        }
    } else if html.contains("/s--") {
        // A source's URL is signed without its own transformation
        // (`finalizeSimpleSignature` signs the video's).
        if let Some(Value::List(sources)) = opts.get("sources") {
            let fetch_format = opts.get("use_fetch_format").is_some_and(Value::truthy);
            let id = match public_id {
                Value::Str(s) if !fetch_format => Value::from(
                    [".webm", ".mp4", ".ogv"]
                        .iter()
                        .find_map(|e| s.strip_suffix(e))
                        .unwrap_or(s),
                ),
                other => other.clone(),
            };
            for (i, source) in sources.iter().enumerate() {
                let Value::Map(source) = source else { continue };
                let Some(kind) = source.get("type") else {
                    continue;
                };
                let url = client
                    .url_with_leftovers(&id, &source_url_options(&opts, Some(kind)))?
                    .url;
                if let Some(sig) = url.as_str().and_then(signature_segment) {
                    let sig = sig.to_owned();
                    html = replace_nth_signature(&html, i, &sig);
                }
            }
        }
    }
    // The video element's own attributes: width/height as `handleSpecialAttributes`
    // sets them, options that are not asset keys or qualifiers kept.
    let mut own = Map::new();
    html_sizes(client, options, &mut own);
    if let Some(v) = options.get("use_fetch_format") {
        own.insert("use_fetch_format", v.clone());
    }
    // pycloudinary's `responsive` attribute (an `auto` width) is not an attribute of
    // the PHP SDK's tag.
    let drop_responsive = !options.contains_key("responsive");
    Ok(reserialize(&html, &own, drop_responsive))
}

/// The options of a video tag's own URL (or of one source's, with its `format`):
/// the tag's options without the tag-only keys, resource type `video` by default.
fn source_url_options(opts: &Map, format: Option<&Value>) -> Map {
    let mut m = opts.filtered(|k| {
        !matches!(
            k,
            "sources"
                | "source_types"
                | "source_transformation"
                | "poster"
                | "fallback_content"
                | "attributes"
        )
    });
    if !m.contains_key("resource_type") {
        m.insert("resource_type", "video");
    }
    if let Some(f) = format {
        m.insert("format", f.clone());
    }
    m
}

/// The `s--…--` segment of a signed URL.
fn signature_segment(url: &str) -> Option<&str> {
    let start = url.find("/s--")? + 1;
    let end = url[start + 3..].find("--/")? + start + 3 + 2;
    Some(&url[start..end])
}

/// pycloudinary's HTML with the `src` of the `n`-th `tag` element (`<video`,
/// `<source`) replaced by `url`.
fn replace_nth_src(html: &str, tag: &str, n: usize, url: &str) -> String {
    let Some(tag_start) = html.match_indices(tag).nth(n).map(|(i, _)| i) else {
        return html.to_owned();
    };
    let tag_end = html[tag_start..]
        .find('>')
        .map_or(html.len(), |e| tag_start + e);
    let Some(attr) = html[tag_start..tag_end].find(" src=\"") else {
        return html.to_owned();
    };
    let value_start = tag_start + attr + " src=\"".len();
    let Some(value_len) = html[value_start..].find('"') else {
        return html.to_owned();
    };
    format!(
        "{}{}{}",
        &html[..value_start],
        url,
        &html[value_start + value_len..]
    )
}

/// pycloudinary's HTML with the signature of the `n`-th source element's `src`
/// replaced by `sig`.
fn replace_nth_signature(html: &str, n: usize, sig: &str) -> String {
    let Some(tag_start) = html.match_indices("<source").nth(n).map(|(i, _)| i) else {
        return html.to_owned();
    };
    let tag_end = html[tag_start..]
        .find('>')
        .map_or(html.len(), |e| tag_start + e);
    let Some(old) = signature_segment(&html[tag_start..tag_end]) else {
        return html.to_owned();
    };
    let start = tag_start + html[tag_start..tag_end].find(old).unwrap_or(0);
    format!("{}{}{}", &html[..start], sig, &html[start + old.len()..])
}

/// Whether the tag has source elements whose URLs take a format (not a single
/// source, which is the video's `src`).
fn multi_source(opts: &Map) -> bool {
    match (opts.get("sources"), opts.get("source_types")) {
        (Some(Value::List(s)), _) if !s.is_empty() => true,
        (_, Some(Value::List(t))) => t.len() != 1,
        (_, Some(Value::Str(_))) => false,
        _ => true,
    }
}

/// The options a video source's own transformation `own` is merged into (as
/// pycloudinary merges it) so that the URL has the video's transformation first and
/// `own` as a component of its own after it: every transformation option of the video
/// nulled at the top level and moved into a chained `transformation` list.
fn chained_after(video: &Map, own: Value) -> Value {
    let Value::Map(own) = own else {
        return own;
    };
    if own.is_empty() {
        return Value::Map(own);
    }
    let mut main = Map::new();
    let mut merged = Map::new();
    if video.keys().any(|k| k.starts_with('$')) {
        // User variables stay in the video's component (pycloudinary's merge).
        return Value::Map(own);
    }
    for (k, v) in video.iter() {
        if crate::transform::param(k).is_some() {
            main.insert(k.as_str(), v.clone());
            merged.insert(k.as_str(), Value::Null);
        }
    }
    let mut chain = Vec::with_capacity(2);
    if !main.is_empty() {
        chain.push(Value::Map(main));
    }
    chain.push(Value::Map(own));
    merged.insert("transformation", Value::List(chain));
    Value::Map(merged)
}

/// Rewrites every start tag of pycloudinary's HTML (`name="raw value"` attributes)
/// with [`serialize_attributes`]-style rules, keeping the key order PHP sorts in.
fn reserialize(html: &str, video_attrs: &Map, drop_responsive: bool) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("</") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let name_end = rest[1..]
            .find([' ', '>', '/'])
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..name_end];
        let mut attrs = Map::new();
        let mut s = &rest[name_end..];
        loop {
            s = s.trim_start_matches(' ');
            if s.is_empty() || s.starts_with('>') || s.starts_with("/>") {
                break;
            }
            let key_end = s.find(['=', ' ', '>']).unwrap_or(s.len());
            let key = &s[..key_end];
            s = &s[key_end..];
            if let Some(after) = s.strip_prefix("=\"") {
                let vend = after.find('"').unwrap_or(after.len());
                attrs.insert(key, Value::from(&after[..vend]));
                s = after.get(vend + 1..).unwrap_or("");
            } else {
                attrs.insert(key, Value::Bool(true));
            }
        }
        if name == "video" {
            attrs.remove("width");
            attrs.remove("height");
            if drop_responsive {
                attrs.remove("responsive");
            }
            attrs.update(video_attrs);
        }
        let body = serialize_sorted(&attrs, false);
        out.push('<');
        out.push_str(name);
        if !body.is_empty() {
            out.push(' ');
            out.push_str(&body);
        }
        rest = s;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_sources_are_replaced_in_place() {
        assert_eq!(
            signature_segment("https://h/v/upload/s--ab-c----/vc_h265/x.mp4"),
            Some("s--ab-c----")
        );
        assert_eq!(signature_segment("https://h/v/upload/vc_h265/x.mp4"), None);
        let html = r#"<video poster="p"><source src="https://h/s--aaaa--/x.mp4" type="video/mp4"><source src="https://h/s--bbbb--/x.webm" type="video/webm"></video>"#;
        assert_eq!(
            replace_nth_signature(html, 1, "s--cccc--"),
            html.replace("s--bbbb--", "s--cccc--")
        );
        let one = r#"<video poster="p" src="https://h/x.mp4"></video>"#;
        assert_eq!(
            replace_nth_src(one, "<video", 0, "https://h/x"),
            r#"<video poster="p" src="https://h/x"></video>"#
        );
    }
}
