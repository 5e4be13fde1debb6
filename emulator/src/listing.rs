//! Paged list answers of the Admin API: `max_results` / `next_cursor` pages and the
//! resource lists of [`crate::admin`] and [`crate::admin_more`].

use serde_json::{json, Value as Json};

use crate::account::Account;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::resource::{asset_json, Shape};
use crate::store::Asset;

/// A cursor: a check value and the offset in hex, separated by `g` (never a hex digit).
pub(crate) fn encode_cursor(offset: usize) -> String {
    format!(
        "{:x}g{:x}",
        offset.wrapping_mul(2654435761) & 0xffff,
        offset
    )
}

/// The offset of a cursor made by [`encode_cursor`]; 400 for anything else.
pub(crate) fn decode_cursor(c: &str) -> ApiResult<usize> {
    let bad = || ApiError::bad_request("Invalid value for parameter next_cursor");
    let (check, off) = c.split_once('g').ok_or_else(bad)?;
    let off = usize::from_str_radix(off, 16).map_err(|_| bad())?;
    if format!("{:x}", off.wrapping_mul(2654435761) & 0xffff) != check {
        return Err(bad());
    }
    Ok(off)
}

/// One page of `items` per `max_results` / `next_cursor`.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    params: &Params,
    default: usize,
    max: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let limit = params
        .int("max_results")
        .map(|n| n.clamp(1, max as i64) as usize)
        .unwrap_or(default);
    let start = match params.nonempty("next_cursor") {
        Some(c) => decode_cursor(&c)?,
        None => 0,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(limit).collect();
    let next = (start + limit < total).then(|| encode_cursor(start + limit));
    Ok((page, next))
}

/// The optional fields (`tags`, `context`, `metadata`) a list request asks for.
pub(crate) fn shape(params: &Params) -> Shape {
    Shape {
        upload: false,
        tags: params.flag("tags").unwrap_or(false),
        context: params.flag("context").unwrap_or(false),
        metadata: params.flag("metadata").unwrap_or(false),
    }
}

/// `v` cut to the `fields` a request names (and the identifying ones), if any.
pub(crate) fn with_fields(mut v: Json, params: &Params) -> Json {
    let fields = params.list("fields");
    if fields.is_empty() {
        return v;
    }
    if let Json::Object(m) = &mut v {
        m.retain(|k, _| {
            matches!(
                k.as_str(),
                "public_id" | "asset_id" | "resource_type" | "type"
            ) || fields.iter().any(|f| f == k)
        });
    }
    v
}

/// A resource list answer: newest first unless `direction` is `asc`, one page.
pub(crate) fn list_response(
    account: &Account,
    mut assets: Vec<Asset>,
    params: &Params,
) -> ApiResult<Json> {
    let asc = matches!(params.nonempty("direction").as_deref(), Some("asc" | "1"));
    if params.nonempty("prefix").is_some() {
        // With a prefix, Cloudinary sorts by public id (and ignores `direction`).
        assets.sort_by(|a, b| a.public_id.cmp(&b.public_id));
    } else if !asc {
        assets.reverse();
    }
    let (page, next) = paginate(assets, params, 10, 500)?;
    let sh = shape(params);
    let resources: Vec<Json> = page
        .iter()
        .map(|a| with_fields(asset_json(account, a, sh), params))
        .collect();
    let mut o = json!({"resources": resources});
    if let Some(n) = next {
        o["next_cursor"] = json!(n);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursors_round_trip() {
        for off in 0..200 {
            assert_eq!(
                super::decode_cursor(&super::encode_cursor(off)).ok(),
                Some(off)
            );
        }
        assert!(super::decode_cursor("1g2").is_err());
    }

    use super::*;
    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(30)).unwrap(), 30);
        assert!(decode_cursor("abc").is_err());
        assert!(decode_cursor("0c1e").is_err());
    }
}
