//! The Provisioning (account) API: `/v1_1/provisioning/accounts/{account_id}/...` with
//! Basic authentication by the provisioning key and secret, and the two public
//! endpoints `/v1_1/provisioning/agents/accounts` and `/v1_1/provisioning/clouds`.
//!
//! The emulator's account has the id [`ACCOUNT_ID`]; a provisioning key and secret is
//! the API key and secret of any served product environment ([`account_url`] gives the
//! `CLOUDINARY_ACCOUNT_URL` with the first one's). The served product environments are its first
//! sub-accounts; sub-accounts created here are recorded (with their access keys) but
//! not served. Users, user groups, memberships and access keys keep their state in
//! [`crate::extras`]. Answer shapes follow the Provisioning API reference:
//!
//! | Call | Answer |
//! |---|---|
//! | `sub_accounts` | `{"sub_accounts": [{cloud_name, name, enabled, id, api_access_keys: [{key, secret, enabled}], created_at, updated_at, custom_attributes}]}` |
//! | `sub_account`, create, update | the sub-account |
//! | `users` | `{"users": [{id, name, role, email, pending, enabled, created_at, updated_at, last_login, all_sub_accounts, sub_account_ids, groups}]}` |
//! | `user`, create, update | the user |
//! | `user_groups` | `{"user_groups": [{id, name}]}`; a group: `{id, name}` |
//! | `user_group_users`, add/remove a user | `{"users": [{id, name, email}]}` |
//! | `user_in_user_groups` | `{"user_groups": [{id, name}]}` |
//! | `access_keys` | `{"access_keys": [{name, api_key, api_secret, created_at, updated_at, enabled, dedicated_for}], "total"}` |
//! | deletions | `{"message": "ok"}` |
//! | `agents/accounts`, `clouds` (public) | fixed: `{"account_id", "cloud_name", "api_key", "api_secret", "status": "pending_verification"}`; `{"cloud_name", "api_key", "api_secret", "claim_url", "expires_at", "delivery_ips"}` |

use std::sync::Arc;

use axum::extract::Request;
use serde_json::{json, Map as JsonMap, Value as Json};

use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::params::Params;
use crate::state::State;

/// The emulator's account id (the `{account_id}` of provisioning paths).
pub const ACCOUNT_ID: &str = "emulator-account";

/// The roles a user may have.
const ROLES: &[&str] = &[
    "master_admin",
    "admin",
    "billing",
    "technical_admin",
    "reports",
    "media_library_admin",
    "media_library_user",
];

/// The `CLOUDINARY_ACCOUNT_URL` of an emulator's account, with `upload_prefix`
/// pointing at it: `account://<key>:<secret>@emulator-account?upload_prefix=...`.
pub fn account_url(emulator: &crate::Emulator) -> String {
    let first = &emulator.accounts()[0];
    format!(
        "account://{}:{}@{ACCOUNT_ID}?upload_prefix={}",
        first.api_key,
        first.api_secret,
        emulator.base_url()
    )
}

fn missing(name: &str) -> ApiError {
    ApiError::bad_request(format!("Missing required parameter - {name}"))
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::not_found(format!("{what} {id} not found"))
}

/// A boolean of a provisioning body (the SDKs send `"true"`/`"false"` strings).
fn flag(params: &Params, name: &str) -> ApiResult<Option<bool>> {
    match params.json(name) {
        None => Ok(None),
        Some(_) => params
            .flag(name)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid boolean {name}"))),
    }
}

/// Handles `/v1_1/provisioning/...` (`rest` = segments after `provisioning`).
pub async fn handle(state: &Arc<State>, req: Request, rest: &[String]) -> ApiResult<Json> {
    let method = req.method().as_str().to_owned();
    let auth = crate::state::authorization(req.headers());
    let params = crate::state::read_params(req, crate::params::MAX_FORM_BODY).await?;
    let r: Vec<&str> = rest.iter().map(String::as_str).collect();
    match (method.as_str(), r.as_slice()) {
        ("POST", ["agents", "accounts"]) => {
            for k in ["email", "agent_framework", "agent_llm_model", "agent_goal"] {
                params.nonempty(k).ok_or_else(|| missing(k))?;
            }
            Ok(json!({
                "account_id": ids::hex32(), "cloud_name": format!("c{}", ids::alnum(9).to_lowercase()),
                "api_key": ids::hex32()[..15].to_owned(), "api_secret": ids::alnum(27),
                "status": "pending_verification",
            }))
        }
        ("POST", ["clouds"]) => {
            let ips = params.list("delivery_ips");
            Ok(json!({
                "cloud_name": format!("c{}", ids::alnum(9).to_lowercase()),
                "api_key": ids::hex32()[..15].to_owned(), "api_secret": ids::alnum(27),
                "claim_url": "https://console.cloudinary.com/claim/emulated",
                "expires_at": ids::iso8601(ids::now() + 7 * 86400),
                "delivery_ips": ips,
            }))
        }
        (m, ["accounts", account, rest @ ..]) => {
            check_auth(state, auth.as_deref())?;
            if *account != ACCOUNT_ID {
                return Err(ApiError::not_found(format!("Account {account} not found")));
            }
            seed(state)?;
            account_call(state, m, rest, &params)
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}

/// Basic authentication with a provisioning key and secret: the API key and secret of
/// any served product environment (a bearer token is refused).
fn check_auth(state: &State, auth: Option<&str>) -> ApiResult<()> {
    let basic = auth.is_some_and(|h| {
        let h = h.trim_start();
        h.starts_with("Basic ") || h.starts_with("basic ")
    });
    if basic
        && state
            .accounts
            .values()
            .any(|a| crate::auth::header_auth(a, auth) == Some(true))
    {
        return Ok(());
    }
    Err(ApiError::unauthorized(
        "Invalid credentials (provisioning_api_key and provisioning_api_secret)",
    ))
}

/// Records the served product environments as sub-accounts, once.
fn seed(state: &State) -> ApiResult<()> {
    if state.extras.get(ACCOUNT_ID, "seed", "done")?.is_some() {
        return Ok(());
    }
    let mut accounts: Vec<_> = state.accounts.values().collect();
    accounts.sort_by(|a, b| a.cloud_name.cmp(&b.cloud_name));
    let now = ids::iso8601(ids::now());
    for a in accounts {
        let id = format!("{:x}", md5_16(&a.cloud_name));
        state.extras.put(
            ACCOUNT_ID,
            "sub_account",
            &id,
            &json!({
                "cloud_name": a.cloud_name, "name": a.cloud_name, "enabled": true, "id": id,
                "created_at": now, "updated_at": now, "custom_attributes": {},
            }),
        )?;
        state.extras.put(
            ACCOUNT_ID,
            "access_key",
            &a.api_key,
            &json!({
                "sub_account_id": id, "name": "default", "api_key": a.api_key,
                "api_secret": a.api_secret, "created_at": now, "updated_at": now, "enabled": true,
            }),
        )?;
    }
    state.extras.put(ACCOUNT_ID, "seed", "done", &json!(true))
}

fn md5_16(s: &str) -> u128 {
    use md5::{Digest, Md5};
    u128::from_be_bytes(Md5::digest(s.as_bytes()).into())
}

fn sub_account_view(state: &State, mut s: Json) -> ApiResult<Json> {
    let id = s["id"].clone();
    let keys: Vec<Json> = state
        .extras
        .list(ACCOUNT_ID, "access_key")?
        .into_iter()
        .map(|(_, k)| k)
        .filter(|k| k["sub_account_id"] == id)
        .map(|k| json!({"key": k["api_key"], "secret": k["api_secret"], "enabled": k["enabled"]}))
        .collect();
    s["api_access_keys"] = Json::Array(keys);
    Ok(s)
}

fn key_view(k: &Json) -> Json {
    json!({"name": k["name"], "api_key": k["api_key"], "api_secret": k["api_secret"],
           "created_at": k["created_at"], "updated_at": k["updated_at"], "enabled": k["enabled"],
           "dedicated_for": k.get("dedicated_for").cloned().unwrap_or(Json::Null)})
}

fn groups_of(state: &State, user_id: &str) -> ApiResult<Vec<Json>> {
    let mut out = Vec::new();
    for (_, m) in state.extras.list(ACCOUNT_ID, "membership")? {
        if m["user_id"] == json!(user_id) {
            if let Some(g) = state.extras.get(
                ACCOUNT_ID,
                "user_group",
                m["group_id"].as_str().unwrap_or(""),
            )? {
                out.push(json!({"id": g["id"], "name": g["name"]}));
            }
        }
    }
    Ok(out)
}

fn user_view(state: &State, mut u: Json) -> ApiResult<Json> {
    let id = u["id"].as_str().unwrap_or_default().to_owned();
    u["groups"] = Json::Array(groups_of(state, &id)?);
    Ok(u)
}

fn members(state: &State, group_id: &str) -> ApiResult<Json> {
    let mut users = Vec::new();
    for (_, m) in state.extras.list(ACCOUNT_ID, "membership")? {
        if m["group_id"] == json!(group_id) {
            if let Some(u) =
                state
                    .extras
                    .get(ACCOUNT_ID, "user", m["user_id"].as_str().unwrap_or(""))?
            {
                users.push(json!({"id": u["id"], "name": u["name"], "email": u["email"]}));
            }
        }
    }
    Ok(json!({"users": users}))
}

fn apply_user_fields(u: &mut Json, params: &Params) -> ApiResult<()> {
    for k in ["name", "email"] {
        if let Some(v) = params.nonempty(k) {
            u[k] = json!(v);
        }
    }
    if let Some(role) = params.nonempty("role") {
        if !ROLES.contains(&role.as_str()) {
            return Err(ApiError::bad_request(format!("Invalid role {role}")));
        }
        u["role"] = json!(role);
    }
    if params.has("sub_account_ids") {
        let ids = params.list("sub_account_ids");
        u["all_sub_accounts"] = json!(ids.is_empty());
        u["sub_account_ids"] = json!(ids);
    }
    u["updated_at"] = json!(ids::iso8601(ids::now()));
    Ok(())
}

fn account_call(state: &State, method: &str, r: &[&str], params: &Params) -> ApiResult<Json> {
    let x = &state.extras;
    let a = ACCOUNT_ID;
    let now = || ids::iso8601(ids::now());
    match (method, r) {
        ("GET", ["sub_accounts"]) => {
            let enabled = flag(params, "enabled")?;
            let ids = params.list("ids");
            let prefix = params.nonempty("prefix");
            let mut out = Vec::new();
            for (id, s) in x.list(a, "sub_account")? {
                if enabled.is_some_and(|e| s["enabled"] != json!(e))
                    || (!ids.is_empty() && !ids.contains(&id))
                    || prefix
                        .as_deref()
                        .is_some_and(|p| !s["name"].as_str().unwrap_or("").starts_with(p))
                {
                    continue;
                }
                out.push(sub_account_view(state, s)?);
            }
            Ok(json!({"sub_accounts": out}))
        }
        ("POST", ["sub_accounts"]) => {
            let name = params.nonempty("name").ok_or_else(|| missing("name"))?;
            let cloud = params
                .nonempty("cloud_name")
                .unwrap_or_else(|| format!("c{}", ids::alnum(9).to_lowercase()));
            if x.list(a, "sub_account")?
                .iter()
                .any(|(_, s)| s["cloud_name"] == json!(cloud))
            {
                return Err(ApiError::conflict(format!(
                    "Cloud name {cloud} is already taken"
                )));
            }
            if let Some(base) = params.nonempty("base_sub_account_id") {
                x.get(a, "sub_account", &base)?
                    .ok_or_else(|| not_found("Sub account", &base))?;
            }
            let id = ids::hex32();
            let s = json!({
                "cloud_name": cloud, "name": name, "enabled": flag(params, "enabled")?.unwrap_or(true),
                "id": id, "created_at": now(), "updated_at": now(),
                "custom_attributes": params.json("custom_attributes").cloned().unwrap_or(json!({})),
            });
            x.put(a, "sub_account", &id, &s)?;
            let key = ids::hex32()[..15].to_owned();
            x.put(a, "access_key", &key, &json!({
                "sub_account_id": id, "name": "default", "api_key": key, "api_secret": ids::alnum(27),
                "created_at": now(), "updated_at": now(), "enabled": true,
            }))?;
            sub_account_view(state, s)
        }
        ("GET", ["sub_accounts", id]) => {
            let s = x
                .get(a, "sub_account", id)?
                .ok_or_else(|| not_found("Sub account", id))?;
            sub_account_view(state, s)
        }
        ("PUT", ["sub_accounts", id]) => {
            let mut s = x
                .get(a, "sub_account", id)?
                .ok_or_else(|| not_found("Sub account", id))?;
            for k in ["name", "cloud_name"] {
                if let Some(v) = params.nonempty(k) {
                    s[k] = json!(v);
                }
            }
            if let Some(c) = params.json("custom_attributes") {
                s["custom_attributes"] = c.clone();
            }
            if let Some(e) = flag(params, "enabled")? {
                s["enabled"] = json!(e);
            }
            s["updated_at"] = json!(now());
            x.put(a, "sub_account", id, &s)?;
            sub_account_view(state, s)
        }
        ("DELETE", ["sub_accounts", id]) => {
            if !x.delete(a, "sub_account", id)? {
                return Err(not_found("Sub account", id));
            }
            for (key, k) in x.list(a, "access_key")? {
                if k["sub_account_id"] == json!(id) {
                    x.delete(a, "access_key", &key)?;
                }
            }
            Ok(json!({"message": "ok"}))
        }
        ("GET", ["sub_accounts", id, "access_keys"]) => {
            x.get(a, "sub_account", id)?
                .ok_or_else(|| not_found("Sub account", id))?;
            let mut keys: Vec<Json> = x
                .list(a, "access_key")?
                .into_iter()
                .map(|(_, k)| k)
                .filter(|k| k["sub_account_id"] == json!(id))
                .map(|k| key_view(&k))
                .collect();
            if let Some(by) = params.nonempty("sort_by") {
                if !matches!(by.as_str(), "api_key" | "created_at" | "name" | "enabled") {
                    return Err(ApiError::bad_request(format!("Invalid sort_by {by}")));
                }
                keys.sort_by_key(|k| k[by.as_str()].to_string());
                if params.nonempty("sort_order").as_deref() == Some("desc") {
                    keys.reverse();
                }
            }
            let total = keys.len();
            let size = params.int("page_size").unwrap_or(1000).clamp(1, 5000) as usize;
            let page = params.int("page").unwrap_or(1).max(1) as usize;
            let keys: Vec<Json> = keys
                .into_iter()
                .skip((page - 1).saturating_mul(size))
                .take(size)
                .collect();
            Ok(json!({"access_keys": keys, "total": total}))
        }
        ("POST", ["sub_accounts", id, "access_keys"]) => {
            x.get(a, "sub_account", id)?
                .ok_or_else(|| not_found("Sub account", id))?;
            let key = ids::hex32()[..15].to_owned();
            let k = json!({
                "sub_account_id": id, "name": params.nonempty("name").map_or(Json::Null, Json::from),
                "api_key": key, "api_secret": ids::alnum(27), "created_at": now(), "updated_at": now(),
                "enabled": flag(params, "enabled")?.unwrap_or(true),
            });
            x.put(a, "access_key", &key, &k)?;
            Ok(key_view(&k))
        }
        ("PUT", ["sub_accounts", id, "access_keys", key]) => {
            let mut k = x
                .get(a, "access_key", key)?
                .filter(|k| k["sub_account_id"] == json!(id))
                .ok_or_else(|| not_found("Access key", key))?;
            if let Some(n) = params.nonempty("name") {
                k["name"] = json!(n);
            }
            if let Some(e) = flag(params, "enabled")? {
                k["enabled"] = json!(e);
            }
            if let Some(d) = params.nonempty("dedicated_for") {
                if d != "webhooks" {
                    return Err(ApiError::bad_request(format!("Invalid dedicated_for {d}")));
                }
                // One key per sub-account is dedicated to webhooks.
                for (other, mut o) in x.list(a, "access_key")? {
                    if o["sub_account_id"] == json!(id) && o["dedicated_for"] == json!(d) {
                        o["dedicated_for"] = Json::Null;
                        x.put(a, "access_key", &other, &o)?;
                    }
                }
                k["dedicated_for"] = json!(d);
            }
            k["updated_at"] = json!(now());
            x.put(a, "access_key", key, &k)?;
            Ok(key_view(&k))
        }
        ("DELETE", ["sub_accounts", id, "access_keys", rest @ ..]) if rest.len() <= 1 => {
            let key = match rest.first() {
                Some(k) => (*k).to_owned(),
                None => {
                    let name = params.nonempty("name").ok_or_else(|| missing("name"))?;
                    x.list(a, "access_key")?
                        .into_iter()
                        .find(|(_, k)| k["sub_account_id"] == json!(id) && k["name"] == json!(name))
                        .map(|(key, _)| key)
                        .ok_or_else(|| not_found("Access key", &name))?
                }
            };
            let owned = x
                .get(a, "access_key", &key)?
                .is_some_and(|k| k["sub_account_id"] == json!(id));
            if !owned || !x.delete(a, "access_key", &key)? {
                return Err(not_found("Access key", &key));
            }
            Ok(json!({"message": "ok"}))
        }
        ("GET", ["users"]) => {
            let ids = params.list("ids");
            let sub = params.nonempty("sub_account_id");
            let prefix = params.nonempty("prefix");
            let pending = match params.nonempty("status").as_deref() {
                Some("pending") => Some(true),
                Some("active") => Some(false),
                _ => None,
            };
            let mut out = Vec::new();
            for (id, u) in x.list(a, "user")? {
                let in_sub = sub.as_deref().is_none_or(|s| {
                    u["all_sub_accounts"] == json!(true)
                        || u["sub_account_ids"]
                            .as_array()
                            .is_some_and(|l| l.contains(&json!(s)))
                });
                if (!ids.is_empty() && !ids.contains(&id))
                    || !in_sub
                    || prefix
                        .as_deref()
                        .is_some_and(|p| !u["name"].as_str().unwrap_or("").starts_with(p))
                    || pending.is_some_and(|p| u["pending"] != json!(p))
                {
                    continue;
                }
                out.push(user_view(state, u)?);
            }
            Ok(json!({"users": out}))
        }
        ("POST", ["users"]) => {
            for k in ["name", "email", "role"] {
                params.nonempty(k).ok_or_else(|| missing(k))?;
            }
            let email = params.nonempty("email").unwrap_or_default();
            if x.list(a, "user")?
                .iter()
                .any(|(_, u)| u["email"] == json!(email))
            {
                return Err(ApiError::conflict(format!(
                    "User with email {email} already exists"
                )));
            }
            let id = ids::hex32();
            let mut u = json!({
                "id": id, "pending": true, "enabled": true, "created_at": now(),
                "last_login": Json::Null, "all_sub_accounts": true, "sub_account_ids": [],
            });
            apply_user_fields(&mut u, params)?;
            x.put(a, "user", &id, &u)?;
            user_view(state, u)
        }
        ("GET", ["users", id]) => {
            let u = x.get(a, "user", id)?.ok_or_else(|| not_found("User", id))?;
            user_view(state, u)
        }
        ("PUT", ["users", id]) => {
            let mut u = x.get(a, "user", id)?.ok_or_else(|| not_found("User", id))?;
            apply_user_fields(&mut u, params)?;
            x.put(a, "user", id, &u)?;
            user_view(state, u)
        }
        ("DELETE", ["users", id]) => {
            if !x.delete(a, "user", id)? {
                return Err(not_found("User", id));
            }
            for (mid, m) in x.list(a, "membership")? {
                if m["user_id"] == json!(id) {
                    x.delete(a, "membership", &mid)?;
                }
            }
            Ok(json!({"message": "ok"}))
        }
        ("GET", ["users", id, "groups"]) => {
            x.get(a, "user", id)?.ok_or_else(|| not_found("User", id))?;
            Ok(json!({"user_groups": groups_of(state, id)?}))
        }
        ("GET", ["user_groups"]) => Ok(json!({"user_groups": x
            .list(a, "user_group")?
            .into_iter()
            .map(|(_, g)| json!({"id": g["id"], "name": g["name"]}))
            .collect::<Vec<_>>()})),
        ("POST", ["user_groups"]) => {
            let name = params.nonempty("name").ok_or_else(|| missing("name"))?;
            if x.list(a, "user_group")?
                .iter()
                .any(|(_, g)| g["name"] == json!(name))
            {
                return Err(ApiError::conflict(format!(
                    "User group {name} already exists"
                )));
            }
            let id = ids::hex32();
            let g = json!({"id": id, "name": name});
            x.put(a, "user_group", &id, &g)?;
            Ok(g)
        }
        ("GET", ["user_groups", id]) => {
            let g = x
                .get(a, "user_group", id)?
                .ok_or_else(|| not_found("User group", id))?;
            Ok(json!({"id": g["id"], "name": g["name"]}))
        }
        ("PUT", ["user_groups", id]) => {
            let mut g = x
                .get(a, "user_group", id)?
                .ok_or_else(|| not_found("User group", id))?;
            g["name"] = json!(params.nonempty("name").ok_or_else(|| missing("name"))?);
            x.put(a, "user_group", id, &g)?;
            Ok(g)
        }
        ("DELETE", ["user_groups", id]) => {
            if !x.delete(a, "user_group", id)? {
                return Err(not_found("User group", id));
            }
            for (mid, m) in x.list(a, "membership")? {
                if m["group_id"] == json!(id) {
                    x.delete(a, "membership", &mid)?;
                }
            }
            Ok(json!({"message": "ok"}))
        }
        ("GET", ["user_groups", id, "users"]) => {
            x.get(a, "user_group", id)?
                .ok_or_else(|| not_found("User group", id))?;
            members(state, id)
        }
        ("POST" | "DELETE", ["user_groups", gid, "users", uid]) => {
            x.get(a, "user_group", gid)?
                .ok_or_else(|| not_found("User group", gid))?;
            x.get(a, "user", uid)?
                .ok_or_else(|| not_found("User", uid))?;
            let mid = format!("{gid}:{uid}");
            if method == "POST" {
                let mut m = JsonMap::new();
                m.insert("group_id".into(), json!(gid));
                m.insert("user_id".into(), json!(uid));
                x.put(a, "membership", &mid, &Json::Object(m))?;
            } else if !x.delete(a, "membership", &mid)? {
                return Err(ApiError::not_found(format!(
                    "User {uid} is not in group {gid}"
                )));
            }
            members(state, gid)
        }
        _ => Err(ApiError::not_found("Not found")),
    }
}
