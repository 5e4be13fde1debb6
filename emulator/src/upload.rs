//! The Upload API: `upload` (file part, data URI, loopback URL, chunked), `explicit`,
//! `destroy`, `rename`, `tags`, `context`, `metadata` and `text`.
//!
//! This file reads the request (authentication, the multipart form of
//! [`crate::multipart`]) and runs `upload`; the jobs are in its submodules: chunk
//! sessions (`chunks.rs`), storing an asset and the upload answer (`store.rs`), and the
//! calls on stored assets (`actions.rs`). Remote `file` URLs are fetched by
//! [`crate::remote`].

use std::sync::Arc;

use axum::extract::Request;
use md5::Md5;
use serde_json::Value as Json;

use crate::account::Account;
use crate::auth::{check_upload, early_refusal, header_auth, UploadAuth};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::multipart::{
    next_field, open_multipart, spool_field, text_field, Budget, Received, MAX_DATA_URI,
    MAX_REQUEST_FILE,
};
use crate::params::Params;
use crate::state::{authorization, read_params, State};

mod actions;
mod chunks;
mod store;

/// Where the file part of a request went.
enum Part {
    /// Into a temporary file.
    Temp(Received),
    /// A `file` sent as a text field (data URI or URL), spooled to a temporary file.
    Text(Received),
    /// Directly into a chunk session at `start..=end` (already authenticated).
    Chunk {
        start: u64,
        end: u64,
        size: u64,
        filename: Option<String>,
        hashed: Option<Md5>,
    },
}

impl Part {
    /// Removes the temporary file, if any (the request failed).
    fn discard(&self) {
        if let Part::Temp(r) | Part::Text(r) = self {
            let _ = std::fs::remove_file(&r.path);
        }
    }
}

/// Handles one Upload API request.
///
/// Before the request is authenticated it costs bounded memory: a wrong
/// `Authorization` header is refused before the body is read; multipart text fields
/// are limited together ([`crate::params::MAX_TEXT_BYTES`],
/// [`crate::params::MAX_FIELDS`]) while file parts and a text `file` are streamed to
/// disk; a signed form whose `api_key` or `timestamp` is
/// already known to be wrong is refused as soon as those fields have arrived; form and
/// JSON bodies are limited to [`crate::params::MAX_FORM_BODY`].
pub async fn handle(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    action: &str,
    req: Request,
) -> ApiResult<Json> {
    let headers = req.headers().clone();
    let auth_header = authorization(&headers);
    if header_auth(account, auth_header.as_deref()) == Some(false) {
        return Err(ApiError::unauthorized(
            "Invalid credentials (api_key, api_secret or oauth_token)",
        ));
    }
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let range = match (action, header("content-range")) {
        ("upload", Some(v)) => Some(chunks::parse_content_range(&v)?),
        _ => None,
    };
    let upload_id = header("x-unique-upload-id").filter(|s| !s.is_empty());
    let ctype = header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let now = ids::now();
    let check = |params: &Params| {
        check_upload(
            account,
            action,
            params,
            auth_header.as_deref(),
            now,
            state.strict_sha256,
            |name| {
                Ok(state
                    .store
                    .preset(&account.cloud_name, name)?
                    .map(|(unsigned, _)| unsigned))
            },
        )
    };

    let mut params = Params::new();
    let mut part: Option<Part> = None;
    if ctype.starts_with("multipart/") {
        let read = async {
            let (mut mp, meter) = open_multipart(req).await?;
            let mut budget = Budget::default();
            while let Some(mut field) = next_field(&mut mp, &meter, &mut budget).await? {
                let name = field.name().unwrap_or("").to_owned();
                let filename = field.file_name().map(str::to_owned);
                if name == "file" && filename.is_none() && action == "upload" && part.is_none() {
                    // A data URI or URL: to disk, outside the text budget.
                    let r =
                        spool_field(&state.store, &mut field, &meter, None, MAX_DATA_URI).await?;
                    part = Some(Part::Text(r));
                    continue;
                }
                if filename.is_none() || name != "file" || part.is_some() {
                    let text = text_field(&mut field, &name, &meter, &mut budget).await?;
                    params.push_text(&name, text);
                    if auth_header.is_none()
                        && matches!(name.as_str(), "api_key" | "signature" | "timestamp")
                    {
                        if let Some(e) = early_refusal(account, &params, now) {
                            return Err(e);
                        }
                    }
                    continue;
                }
                // A file part. Chunks of an authenticated request go straight to the session.
                if let (Some((a, b, total)), Some(uid)) = (range, upload_id.as_deref()) {
                    if check(&params).is_ok() {
                        let p = chunks::write_chunk(
                            state, account, uid, &mut field, &meter, a, b, total, filename,
                        )
                        .await?;
                        part = Some(p);
                        continue;
                    }
                }
                let r = spool_field(&state.store, &mut field, &meter, filename, MAX_REQUEST_FILE)
                    .await?;
                part = Some(Part::Temp(r));
            }
            Ok::<(), ApiError>(())
        };
        if let Err(e) = read.await {
            if let Some(p) = &part {
                p.discard();
            }
            return Err(e);
        }
    } else {
        params = read_params(req, crate::params::MAX_FORM_BODY).await?;
    }

    let auth = match check(&params) {
        Ok(a) => a,
        Err(e) => {
            if let Some(p) = &part {
                p.discard();
            }
            return Err(e);
        }
    };
    let result = match action {
        "upload" => upload(state, account, rt, params, part, range, upload_id, auth).await,
        "explicit" => actions::explicit(state, account, rt, &params).await,
        "destroy" => actions::destroy(state, account, rt, &params),
        "rename" => actions::rename(state, account, rt, &params),
        "tags" => actions::tags(state, account, rt, &params),
        "context" => actions::context(state, account, rt, &params),
        "metadata" => actions::metadata(state, account, rt, &params),
        "text" => actions::text(state, account, params).await,
        other => Err(ApiError::not_found(format!("Unknown action {other}"))),
    };
    result
}

#[allow(clippy::too_many_arguments)]
async fn upload(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    mut params: Params,
    part: Option<Part>,
    range: Option<(u64, u64, Option<u64>)>,
    upload_id: Option<String>,
    auth: UploadAuth,
) -> ApiResult<Json> {
    let unsigned = matches!(auth, UploadAuth::UnsignedPreset(_));
    let checked = apply_preset(state, account, &mut params).and_then(|()| {
        // Refused at the first chunk already, not after the whole file has arrived.
        match params.nonempty("eager") {
            Some(e) => crate::eager::parse(&e).map(|_| ()),
            None => Ok(()),
        }
    });
    if let Err(err) = checked {
        if let Some(p) = &part {
            p.discard();
        }
        return Err(err);
    }
    let received = match part {
        Some(Part::Chunk {
            start,
            end,
            size,
            filename,
            hashed,
        }) => {
            let uid = upload_id.unwrap_or_default();
            return chunks::finish_chunk(
                state,
                account,
                rt,
                params,
                &uid,
                start,
                end,
                range.and_then(|r| r.2),
                size,
                filename,
                hashed,
                unsigned,
            )
            .await;
        }
        Some(Part::Temp(r)) => {
            if let (Some(range), Some(uid)) = (range, upload_id.as_deref()) {
                // Unauthenticated-at-arrival chunk: copy it into its session now.
                return chunks::late_chunk(state, account, rt, params, uid, range, r, unsigned)
                    .await;
            }
            r
        }
        Some(Part::Text(r)) => {
            let text = std::fs::read(&r.path);
            let _ = std::fs::remove_file(&r.path);
            let text = String::from_utf8_lossy(&text?).into_owned();
            if text.is_empty() {
                return Err(ApiError::bad_request("Missing required parameter - file"));
            }
            crate::remote::fetch_text_file(state.fetcher.as_ref(), &state.store, &text).await?
        }
        None => {
            let file = params
                .nonempty("file")
                .ok_or_else(|| ApiError::bad_request("Missing required parameter - file"))?;
            crate::remote::fetch_text_file(state.fetcher.as_ref(), &state.store, &file).await?
        }
    };
    store::create_asset(state, account, rt, &params, received, unsigned).await
}

/// Merges an upload preset's settings under the request's own parameters.
fn apply_preset(state: &State, account: &Account, params: &mut Params) -> ApiResult<()> {
    let Some(name) = params.nonempty("upload_preset") else {
        return Ok(());
    };
    let (_, settings) = state
        .store
        .preset(&account.cloud_name, &name)?
        .ok_or_else(|| ApiError::bad_request("Upload preset not found"))?;
    for (k, v) in settings {
        if matches!(k.as_str(), "name" | "unsigned" | "settings") || params.has(&k) {
            continue;
        }
        let text = match v {
            Json::String(s) => s,
            Json::Bool(b) => b.to_string(),
            Json::Array(items) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| i.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        params.push_text(&k, text);
    }
    Ok(())
}
