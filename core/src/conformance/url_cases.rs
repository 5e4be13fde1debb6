//! Conformance dispatch for the URL kinds: `url`, `analytics`, `video_thumbnail_url`,
//! `auth_token`, `config_parse`, `api_url`.

use serde_json::{json, Value as Json};

use super::{field, options};
use crate::config::UrlKind;
use crate::{Client, Error, Value};

pub(super) fn run(kind: &str, client: &Client, input: &Json) -> Option<crate::Result<Json>> {
    Some(match kind {
        "url" => url(client, input),
        "analytics" => url(client, input).map(|u| {
            let a = u["url"]
                .as_str()
                .and_then(|s| s.split(['?', '&']).find_map(|p| p.strip_prefix("_a=")))
                .map(str::to_owned);
            json!({ "url": u["url"], "a": a })
        }),
        "video_thumbnail_url" => video_thumbnail(client, input),
        "auth_token" => options(input, "options")
            .and_then(|o| client.auth_token_opt(&o))
            .map(|t| json!({ "token": t })),
        "config_parse" => config_parse(input, client.profile()),
        "api_url" => api_url(client, input),
        _ => return None,
    })
}

fn url(client: &Client, input: &Json) -> crate::Result<Json> {
    let out = client.url_with_leftovers(&field(input, "source"), &options(input, "options")?)?;
    Ok(json!({ "url": out.url }))
}

fn video_thumbnail(client: &Client, input: &Json) -> crate::Result<Json> {
    let public_id = match field(input, "public_id") {
        Value::Str(s) => s,
        other => other.py_str().into_owned(),
    };
    let url = client.video_thumbnail_url(&public_id, &options(input, "options")?)?;
    Ok(json!({ "url": url }))
}

fn config_parse(input: &Json, profile: crate::Profile) -> crate::Result<Json> {
    let kind = match input["env"].as_str() {
        Some("CLOUDINARY_ACCOUNT_URL") => UrlKind::Account,
        _ => UrlKind::Cloudinary,
    };
    let url = input["url"]
        .as_str()
        .ok_or_else(|| Error::config("the URL must be a string"))?;
    let settings = crate::url::parse_settings_url(url, kind, profile)?;
    Ok(json!({ "config": settings }))
}

fn api_url(client: &Client, input: &Json) -> crate::Result<Json> {
    let action = match field(input, "action") {
        Value::Str(s) => s,
        other => other.py_str().into_owned(),
    };
    Ok(json!({ "url": client.api_url(&action, &options(input, "options")?)? }))
}
