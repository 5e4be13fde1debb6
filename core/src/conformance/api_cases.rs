//! Conformance dispatch for signing, upload requests, verification, download URLs
//! and analytics.

use serde_json::{json, Value as Json};

use super::{field, options};
use crate::sign::{api_sign_request, version_from_value, Algorithm};
use crate::upload::UploadRequest;
use crate::{Client, Error, Map, Result, Value};

/// Runs `kind` if this area handles it.
pub(super) fn run(kind: &str, client: &Client, input: &Json) -> Option<Result<Json>> {
    let outcome = match kind {
        "sign_request" => sign_request(client, input),
        "verify_notification" => verify_notification(client, input),
        "verify_api_response" => client
            .verify_api_response(
                field(input, "public_id"),
                field(input, "version"),
                &text(&field(input, "signature")),
            )
            .map(|valid| json!({ "valid": valid })),
        "upload_params" => options(input, "options")
            .and_then(|o| client.upload_params(&o))
            .map(|p| json!({ "params": params_json(&p) })),
        "signed_upload_form" => options(input, "options").and_then(|o| {
            let mut args = Map::new();
            args.insert("file", field(input, "file"));
            client
                .upload_api_call("upload", &args, &o)
                .map(|r| request_json(&r))
        }),
        "upload_api_call" => upload_api_call(client, input),
        "private_download_url" => options(input, "options")
            .and_then(|o| {
                client.private_download_url(field(input, "public_id"), field(input, "format"), &o)
            })
            .map(url_json),
        "download_archive_url" => options(input, "options")
            .and_then(|o| client.download_archive_url(&o))
            .map(url_json),
        "download_zip_url" => options(input, "options")
            .and_then(|o| client.download_zip_url(&o))
            .map(url_json),
        "download_folder" => options(input, "options")
            .and_then(|o| client.download_folder(field(input, "folder_path"), &o))
            .map(url_json),
        "download_backedup_asset" => options(input, "options")
            .and_then(|o| {
                client.download_backedup_asset(
                    field(input, "asset_id"),
                    field(input, "version_id"),
                    &o,
                )
            })
            .map(url_json),
        "zip_download_url" => options(input, "options")
            .and_then(|o| client.zip_download_url(field(input, "tag"), &o))
            .map(url_json),
        "download_generated_sprite" => options(input, "options")
            .and_then(|o| {
                client.download_generated_sprite(field(input, "tag"), field(input, "urls"), &o)
            })
            .map(url_json),
        "download_multi" => options(input, "options")
            .and_then(|o| client.download_multi(field(input, "tag"), field(input, "urls"), &o))
            .map(url_json),
        "analytics" => analytics(client, input),
        _ => return None,
    };
    Some(outcome)
}

fn url_json(url: String) -> Json {
    json!({ "url": url })
}

fn text(v: &Value) -> String {
    v.py_str().into_owned()
}

fn sign_request(client: &Client, input: &Json) -> Result<Json> {
    let params = options(input, "params")?;
    match client.profile() {
        crate::Profile::Node => return sign_request_node(client, input, &params),
        crate::Profile::Php => return sign_request_php(client, input, &params),
        crate::Profile::Python | crate::Profile::Default => {}
    }
    let secret = match input.get("api_secret") {
        Some(_) => field(input, "api_secret"),
        None => client
            .config()
            .get("api_secret")
            .cloned()
            .unwrap_or_default(),
    };
    if !secret.truthy() {
        return Err(Error::signature("Must supply api_secret"));
    }
    let secret = text(&secret);
    let version = match input.get("signature_version") {
        Some(_) => version_from_value(&field(input, "signature_version"))?,
        None => 2,
    };
    // The string is built (and can fail) before the algorithm is looked up.
    crate::sign::string_to_sign(&params, version)?;
    let algorithm = Algorithm::from_value(&field(input, "algorithm"))?;
    let signature = api_sign_request(&params, &secret, algorithm, version)?;
    Ok(json!({ "signature": signature }))
}

/// `ApiUtils::signParameters($params, $secret, $algorithm, $version)` of
/// cloudinary_php: the secret given (else the configuration's; null is a `TypeError`),
/// the algorithm given, the version given (else 2).
fn sign_request_php(client: &Client, input: &Json, params: &Map) -> Result<Json> {
    let secret = match input.get("api_secret") {
        Some(_) => field(input, "api_secret"),
        None => client
            .config()
            .get("api_secret")
            .cloned()
            .unwrap_or_default(),
    };
    let secret = match &secret {
        Value::Null | Value::List(_) | Value::Map(_) => return Err(Error::signature(
            "TypeError: ApiUtils::signParameters(): Argument #2 ($secret) must be of type string",
        )),
        other => crate::php::string(other).unwrap_or_default(),
    };
    let algorithm = match field(input, "algorithm") {
        Value::Null => "sha1".to_owned(),
        other => text(&other),
    };
    let version = match field(input, "signature_version") {
        Value::Null => 2,
        Value::Int(v) => u32::try_from(v).unwrap_or(0),
        other => version_from_value(&other)?,
    };
    let signature = crate::sign::api_sign_request_php(params, &secret, &algorithm, version)?;
    Ok(json!({ "signature": signature }))
}

/// `api_sign_request(params, api_secret, algorithm, signature_version)` of the npm
/// SDK: the secret given (else the configuration's), the algorithm given if truthy
/// (else the configuration's), the version given if not null (else the
/// configuration's if truthy).
fn sign_request_node(client: &Client, input: &Json, params: &Map) -> Result<Json> {
    use crate::transform::js;
    let config = client.config();
    let secret = match input.get("api_secret") {
        Some(_) => Some(field(input, "api_secret")),
        None => config.get("api_secret").cloned(),
    };
    let algorithm = Some(field(input, "algorithm"))
        .filter(|v| js::truthy(Some(v)))
        .or_else(|| config.get("signature_algorithm").cloned());
    let version = Some(field(input, "signature_version"))
        .filter(|v| !v.is_null())
        .or_else(|| {
            config
                .get("signature_version")
                .filter(|v| js::truthy(Some(v)))
                .cloned()
        });
    let signature = crate::sign::api_sign_request_node(
        params,
        secret.as_ref(),
        algorithm.as_ref(),
        version.as_ref(),
    )?;
    Ok(json!({ "signature": signature }))
}

fn verify_notification(client: &Client, input: &Json) -> Result<Json> {
    let now = match field(input, "now") {
        Value::Int(n) => n,
        Value::Float(f) => f as i64,
        _ => super::CORPUS_CLOCK,
    };
    let client = client.clone().with_clock(move || now);
    let body = match field(input, "body") {
        Value::Str(s) => s.into_bytes(),
        // Python rejects a non-string body, but only once the timestamp is fresh.
        _ => vec![0xff],
    };
    let valid_for = match field(input, "valid_for") {
        Value::Null if input.get("valid_for").is_none() => None,
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        other => {
            return Err(Error::invalid_option(
                "valid_for",
                format!("expected a number, found {}", other.type_name()),
            ))
        }
    };
    let valid = client.verify_notification(
        &body,
        field(input, "timestamp"),
        &text(&field(input, "signature")),
        valid_for,
    )?;
    Ok(json!({ "valid": valid }))
}

fn upload_api_call(client: &Client, input: &Json) -> Result<Json> {
    let method = text(&field(input, "method"));
    let args = options(input, "args")?;
    let opts = options(input, "options")?;
    client
        .upload_api_call(&method, &args, &opts)
        .map(|r| request_json(&r))
}

fn params_json(params: &Map) -> Json {
    let mut out = serde_json::Map::new();
    for (k, v) in params.iter() {
        let j = match v {
            Value::List(items) => Json::Array(items.iter().map(|i| Json::from(text(i))).collect()),
            other => Json::from(text(other)),
        };
        out.insert(k.clone(), j);
    }
    Json::Object(out)
}

fn request_json(req: &UploadRequest) -> Json {
    let fields: Vec<Json> = req
        .sorted_fields()
        .into_iter()
        .map(|(k, v)| json!([k, v]))
        .collect();
    let mut out = json!({ "url": req.url, "fields": fields });
    if let Some(a) = &req.authorization {
        out["authorization"] = Json::from(a.clone());
    }
    out
}

fn analytics(client: &Client, input: &Json) -> Result<Json> {
    let opts = options(input, "options")?;
    let out = client.url_with_leftovers(&field(input, "source"), &opts)?;
    let url = match &out.url {
        Value::Str(s) => Json::from(s.clone()),
        _ => Json::Null,
    };
    let a = url
        .as_str()
        .and_then(query_param_a)
        .map(Json::from)
        .unwrap_or(Json::Null);
    Ok(json!({ "url": url, "a": a }))
}

/// The value of the `_a` query parameter of a URL.
fn query_param_a(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("_a=").map(str::to_owned))
}
