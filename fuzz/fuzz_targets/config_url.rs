//! `CLOUDINARY_URL` / `CLOUDINARY_ACCOUNT_URL` parsing and environment reading.
//!
//! Input: the URL text. Checked: no panic on any text; and, with the password of the
//! URL replaced by a distinctive token, that no parse error, no `Debug` output of the
//! configuration or client, and no delivery URL built from it shows the token.
#![no_main]

use cldkit::config::{parse_url_settings, UrlKind, SECRET_KEYS};
use cldkit::{Client, Config, Map};
use cldkit_fuzz::{assert_not_leaked, TOKEN};
use libfuzzer_sys::fuzz_target;

/// The password part of `scheme://user:password@host...` as a URL parser would see it.
fn password_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    if !scheme_ok || !s[colon..].starts_with("://") {
        return None;
    }
    let rest = &s[colon + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (userinfo, _) = rest[..end].rsplit_once('@')?;
    userinfo.split_once(':').map(|(_, p)| p)
}

/// The text as the URL parser reads it: tab, CR and LF removed.
fn as_parsed(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect()
}

/// Everything the public API shows about a configuration.
fn shown(config: &Config) -> String {
    let client = Client::new(config.clone()).with_clock(|| 1_700_000_000);
    let mut out = format!("{config:?} {client:?}");
    if let Ok(url) = client.url("sample", &Map::new()) {
        out.push_str(&url);
    }
    out
}

/// Checks that no secret setting holding the token is shown.
fn check(config: &Config) {
    let holds_token = SECRET_KEYS
        .iter()
        .any(|k| config.get(k).is_some_and(|v| v.py_str().contains(TOKEN)));
    let elsewhere = config.values().iter().any(|(k, v)| {
        !SECRET_KEYS.contains(&k.as_str()) && (k.contains(TOKEN) || v.py_str().contains(TOKEN))
    });
    if holds_token && !elsewhere {
        assert_not_leaked("Debug output or a URL", &shown(config), TOKEN, "");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // Any text: no panic.
    for kind in [UrlKind::Cloudinary, UrlKind::Account] {
        let _ = parse_url_settings(s, kind);
    }
    if let Ok(config) = Config::from_cloudinary_url(s) {
        let _ = shown(&config);
    }
    let _ = Config::from_vars(vec![("CLOUDINARY_URL".to_owned(), s.to_owned())]);

    // The same URL with a distinctive password.
    if let Some(password) = password_of(s) {
        let at = password.as_ptr() as usize - s.as_ptr() as usize;
        let marked = format!("{}{TOKEN}{}", &s[..at], &s[at + password.len()..]);
        // The parser drops tab, CR and LF anywhere (as Python's urlsplit does), so the
        // token must be unique in the text it sees: `Zq\r9X...` elsewhere would join up.
        if as_parsed(&marked).matches(TOKEN).count() == 1 {
            for kind in [UrlKind::Cloudinary, UrlKind::Account] {
                if let Err(e) = parse_url_settings(&marked, kind) {
                    assert_not_leaked("a parse error", &format!("{e} {e:?}"), TOKEN, "");
                }
            }
            match Config::from_cloudinary_url(&marked) {
                Ok(config) => check(&config),
                Err(e) => assert_not_leaked("a parse error", &format!("{e} {e:?}"), TOKEN, ""),
            }
            let vars = vec![("CLOUDINARY_URL".to_owned(), marked.clone())];
            if let Ok(config) = Config::from_vars(vars) {
                check(&config);
            }
        }
    }
    // Settings from separate variables: the secret is the token, the rest is the input.
    let vars = vec![
        ("CLOUDINARY_CLOUD_NAME".to_owned(), s.to_owned()),
        ("CLOUDINARY_API_SECRET".to_owned(), TOKEN.to_owned()),
        ("CLOUDINARY_OAUTH_TOKEN".to_owned(), TOKEN.to_owned()),
    ];
    if !as_parsed(s).contains(TOKEN) {
        if let Ok(config) = Config::from_vars(vars) {
            check(&config);
        }
    }
});
