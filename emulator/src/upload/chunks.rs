//! Chunked uploads (`X-Unique-Upload-Id` + `Content-Range`): each chunk is written at
//! its offset in one session file (sessions survive restarts), the MD5 runs on while
//! chunks come in order, and the asset is created when the last byte has arrived.

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use md5::{Digest, Md5};
use serde_json::{json, Map as JsonMap, Value as Json};

use super::Part;
use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::multipart::{stream_field, Meter, Received, MAX_REQUEST_FILE};
use crate::params::Params;
use crate::state::State;
use crate::store::{sync_dir, ChunkSession};

/// `bytes a-b/total` (`total` may be `-1`): inclusive range and known total.
pub(super) fn parse_content_range(v: &str) -> ApiResult<(u64, u64, Option<u64>)> {
    let bad = || ApiError::bad_request(format!("Invalid Content-Range header: {v}"));
    let rest = v.trim().strip_prefix("bytes").ok_or_else(bad)?.trim();
    let (range, total) = rest.split_once('/').ok_or_else(bad)?;
    let (a, b) = range.split_once('-').ok_or_else(bad)?;
    let a: u64 = a.trim().parse().map_err(|_| bad())?;
    let b: u64 = b.trim().parse().map_err(|_| bad())?;
    let total = match total.trim() {
        "-1" | "*" => None,
        t => Some(t.parse::<u64>().map_err(|_| bad())?),
    };
    // Offsets and totals are bounded (far above any real upload) so the arithmetic on
    // them can neither overflow nor seek beyond what a file system can hold.
    if b < a || b >= MAX_CHUNKED_TOTAL || total.is_some_and(|t| b >= t || t > MAX_CHUNKED_TOTAL) {
        return Err(bad());
    }
    Ok((a, b, total))
}

/// The largest chunked upload accepted (1 TiB).
const MAX_CHUNKED_TOTAL: u64 = 1 << 40;

/// Writes one authenticated chunk at its offset in the session file.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write_chunk(
    state: &Arc<State>,
    account: &Account,
    upload_id: &str,
    field: &mut axum::extract::multipart::Field<'_>,
    meter: &Meter,
    start: u64,
    end: u64,
    total: Option<u64>,
    filename: Option<String>,
) -> ApiResult<Part> {
    let session = {
        let _g = state.chunk_lock.lock().await;
        match state.store.chunk_session(&account.cloud_name, upload_id)? {
            Some(s) => s,
            None => {
                let s = ChunkSession {
                    cloud: account.cloud_name.clone(),
                    upload_id: upload_id.to_owned(),
                    file: ids::hex32(),
                    total,
                    ranges: Vec::new(),
                };
                std::fs::File::create(state.store.chunk_path(&s.file))?;
                sync_dir(&state.store.root().join("chunks"))?;
                state.store.save_chunk_session(&s)?;
                s
            }
        }
    };
    let key = (account.cloud_name.clone(), upload_id.to_owned());
    // Continue the running MD5 when this chunk starts where hashing stopped.
    let mut hasher = {
        let map = state
            .chunk_hashers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let expected = map.get(&key).map(|(_, upto)| *upto).unwrap_or(0);
        if expected == start {
            Some(map.get(&key).map(|(h, _)| h.clone()).unwrap_or_default())
        } else {
            None
        }
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(state.store.chunk_path(&session.file))?;
    file.seek(SeekFrom::Start(start))?;
    let size = stream_field(field, meter, &mut file, hasher.as_mut(), MAX_REQUEST_FILE).await?;
    if size != end - start + 1 {
        return Err(ApiError::bad_request(format!(
            "Chunk size {size} does not match Content-Range bytes {start}-{end}"
        )));
    }
    file.sync_data()?;
    Ok(Part::Chunk {
        start,
        end,
        size,
        filename,
        hashed: hasher,
    })
}

/// Copies a temporary file into a session at `start` (for chunks whose fields came
/// after the file part, authenticated only once the whole form was read).
pub(super) fn copy_into_session(
    state: &State,
    session: &ChunkSession,
    r: &Received,
    start: u64,
) -> ApiResult<()> {
    let mut src = std::fs::File::open(&r.path)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .open(state.store.chunk_path(&session.file))?;
    dst.seek(SeekFrom::Start(start))?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_data()?;
    let _ = std::fs::remove_file(&r.path);
    Ok(())
}

/// Stores a chunk that arrived before the request could be authenticated (its form
/// fields came after the file part): copied from its temporary file into the session
/// (created if need be), then recorded like the others ([`finish_chunk`]).
#[allow(clippy::too_many_arguments)]
pub(super) async fn late_chunk(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    params: Params,
    uid: &str,
    (a, b, total): (u64, u64, Option<u64>),
    r: Received,
    unsigned: bool,
) -> ApiResult<Json> {
    let session = {
        let _g = state.chunk_lock.lock().await;
        match state.store.chunk_session(&account.cloud_name, uid)? {
            Some(s) => s,
            None => {
                let s = ChunkSession {
                    cloud: account.cloud_name.clone(),
                    upload_id: uid.to_owned(),
                    file: ids::hex32(),
                    total,
                    ranges: Vec::new(),
                };
                std::fs::File::create(state.store.chunk_path(&s.file))?;
                state.store.save_chunk_session(&s)?;
                s
            }
        }
    };
    if r.size != b - a + 1 {
        let _ = std::fs::remove_file(&r.path);
        return Err(ApiError::bad_request(format!(
            "Chunk size {} does not match Content-Range bytes {a}-{b}",
            r.size
        )));
    }
    copy_into_session(state, &session, &r, a)?;
    finish_chunk(
        state, account, rt, params, uid, a, b, total, r.size, r.filename, None, unsigned,
    )
    .await
}

/// Records a chunk, and creates the asset when the last byte has arrived.
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish_chunk(
    state: &Arc<State>,
    account: &Account,
    rt: &str,
    params: Params,
    upload_id: &str,
    start: u64,
    end: u64,
    total: Option<u64>,
    _size: u64,
    filename: Option<String>,
    hashed: Option<Md5>,
    unsigned: bool,
) -> ApiResult<Json> {
    let key = (account.cloud_name.clone(), upload_id.to_owned());
    let _g = state.chunk_lock.lock().await;
    let mut session = state
        .store
        .chunk_session(&account.cloud_name, upload_id)?
        .ok_or_else(|| ApiError::bad_request("Upload session expired"))?;
    session.add_range(start, end + 1);
    if total.is_some() {
        session.total = total;
    }
    state.store.save_chunk_session(&session)?;
    if let Some(h) = hashed {
        let mut map = state
            .chunk_hashers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.insert(key.clone(), (h, end + 1));
    }
    if !session.complete() {
        let mut o = JsonMap::new();
        o.insert("done".into(), json!(false));
        o.insert("bytes".into(), json!(session.received()));
        if let Some(pid) = params.nonempty("public_id") {
            o.insert("public_id".into(), json!(pid));
        }
        if rt != "auto" {
            o.insert("resource_type".into(), json!(rt));
        }
        o.insert("kind".into(), json!("upload"));
        return Ok(Json::Object(o));
    }
    let total = session.total.unwrap_or(0);
    let (hasher, upto) = state
        .chunk_hashers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&key)
        .unwrap_or_default();
    let path = state.store.chunk_path(&session.file);
    let p2 = path.clone();
    let md5 = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let (mut h, from) = if upto <= total {
            (hasher, upto)
        } else {
            (Md5::new(), 0)
        };
        if from < total {
            let mut f = std::fs::File::open(&p2)?;
            f.seek(SeekFrom::Start(from))?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
        }
        Ok(hex::encode(h.finalize()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    let received = Received {
        path,
        filename,
        size: total,
        md5,
    };
    let result = super::store::create_asset(state, account, rt, &params, received, unsigned).await;
    state.store.drop_chunk_session(&session)?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_bounds() {
        assert!(super::parse_content_range("bytes 0-18446744073709551615/*").is_err());
        assert!(
            super::parse_content_range("bytes 18446744073709551610-18446744073709551614/*")
                .is_err()
        );
        assert!(super::parse_content_range("bytes 0-9/-1").is_ok());
        assert!(super::parse_content_range("bytes 0-9/10").is_ok());
    }

    #[test]
    fn content_ranges() {
        assert_eq!(
            parse_content_range("bytes 0-999/2500").unwrap(),
            (0, 999, Some(2500))
        );
        assert_eq!(
            parse_content_range("bytes 1000-1999/-1").unwrap(),
            (1000, 1999, None)
        );
        assert!(parse_content_range("bytes 0--1/0").is_err());
        assert!(parse_content_range("bytes 5-4/10").is_err());
        assert!(parse_content_range("bytes 0-10/10").is_err());
    }
}
