//! Scheme, host and the cloud-name path segment of delivery URLs: the shared CDN,
//! private CDNs, secure distributions, CNAMEs and CRC-32 sharding.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::value::Value;

/// The shared delivery host.
pub const SHARED_CDN: &str = "res.cloudinary.com";
/// The legacy Akamai host, treated as "no secure distribution".
pub const OLD_AKAMAI_SHARED_CDN: &str = "cloudinary-a.akamaihd.net";

/// The host settings, each from the options or else the configuration.
#[derive(Clone, Copy, Debug, Default)]
pub struct HostOptions<'a> {
    /// Cloud name (required).
    pub cloud_name: Option<&'a Value>,
    /// https when truthy.
    pub secure: bool,
    /// A private CDN host (`<cloud>-res.cloudinary.com`).
    pub private_cdn: Option<&'a Value>,
    /// Custom https host.
    pub secure_distribution: Option<&'a Value>,
    /// Custom http host.
    pub cname: Option<&'a Value>,
    /// Shard http hosts (`res-1` ... `res-5`).
    pub cdn_subdomain: Option<&'a Value>,
    /// Shard https hosts.
    pub secure_cdn_subdomain: Option<&'a Value>,
}

fn truthy(v: Option<&Value>) -> bool {
    v.is_some_and(Value::truthy)
}

/// The shard (1 to 5) of a finalized source: CRC-32 of its UTF-8 bytes, mod 5, plus 1.
pub fn shard(source: &str) -> u32 {
    crc32fast::hash(source.as_bytes()) % 5 + 1
}

/// Python's `re.sub('res.cloudinary.com', repl, s)`: the dots match any character
/// but a newline.
fn replace_shared_host<'a>(s: &'a str, repl: &str) -> Cow<'a, str> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let pattern: Vec<Option<char>> = SHARED_CDN
        .chars()
        .map(|c| if c == '.' { None } else { Some(c) })
        .collect();
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut changed = false;
    while i + pattern.len() <= chars.len() {
        let hit = pattern.iter().enumerate().all(|(j, p)| {
            let c = chars[i + j].1;
            match p {
                Some(p) => c == *p,
                None => c != '\n',
            }
        });
        if hit {
            out.push_str(&s[last..chars[i].0]);
            out.push_str(repl);
            i += pattern.len();
            last = chars.get(i).map_or(s.len(), |(b, _)| *b);
            changed = true;
        } else {
            i += 1;
        }
    }
    if !changed {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Appends the URL prefix (scheme, host and, on shared domains, `/<cloud_name>`) for
/// the finalized `source` to `out`.
pub fn push_prefix(out: &mut String, source: &str, o: &HostOptions<'_>) -> Result<()> {
    let cloud_name = match o.cloud_name {
        Some(v) if !v.is_null() => v,
        _ => {
            return Err(Error::config_option(
                "cloud_name",
                "Must supply cloud_name in tag or in configuration",
            ))
        }
    };
    let private_cdn = truthy(o.private_cdn);
    let mut shared_domain = !private_cdn;
    let shard_text = || shard(source).to_string();
    if o.secure {
        let dist: Cow<'_, str> = match o.secure_distribution.filter(|v| !v.is_null()) {
            Some(v) if v.as_str() != Some(OLD_AKAMAI_SHARED_CDN) => {
                Cow::Borrowed(v.str_for("secure_distribution")?)
            }
            _ if private_cdn => Cow::Owned(format!(
                "{}-res.cloudinary.com",
                cloud_name.str_for("cloud_name")?
            )),
            _ => Cow::Borrowed(SHARED_CDN),
        };
        shared_domain = shared_domain || dist == SHARED_CDN;
        let secure_cdn_subdomain = match o.secure_cdn_subdomain.filter(|v| !v.is_null()) {
            None if shared_domain => truthy(o.cdn_subdomain),
            other => truthy(other),
        };
        out.push_str("https://");
        if secure_cdn_subdomain {
            let repl = format!("res-{}.cloudinary.com", shard_text());
            out.push_str(&replace_shared_host(&dist, &repl));
        } else {
            out.push_str(&dist);
        }
    } else if let Some(cname) = o.cname.filter(|v| v.truthy()) {
        out.push_str("http://");
        if truthy(o.cdn_subdomain) {
            out.push('a');
            out.push_str(&shard_text());
            out.push('.');
        }
        out.push_str(cname.str_for("cname")?);
    } else {
        out.push_str("http://");
        if private_cdn {
            out.push_str(cloud_name.str_for("cloud_name")?);
            out.push('-');
        }
        out.push_str("res");
        if truthy(o.cdn_subdomain) {
            out.push('-');
            out.push_str(&shard_text());
        }
        out.push_str(".cloudinary.com");
    }
    if shared_domain {
        out.push('/');
        out.push_str(cloud_name.str_for("cloud_name")?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards() {
        assert_eq!(shard("sample.jpg"), 4);
        assert_eq!(shard("sample"), 1);
        assert_eq!(shard("folder/x"), 2);
        assert_eq!(shard("test/hello"), 5);
    }

    #[test]
    fn host_pattern_dots_match_anything() {
        assert_eq!(replace_shared_host("my-res.cloudinary.com", "R"), "my-R");
        assert_eq!(replace_shared_host("resXcloudinaryYcom", "R"), "R");
        assert_eq!(
            replace_shared_host("cdn.example.com", "R"),
            "cdn.example.com"
        );
    }
}
