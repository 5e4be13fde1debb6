//! Webhooks: notification payloads POSTed with `X-Cld-Timestamp` and
//! `X-Cld-Signature` (signed with the core's [`cldkit::verify::notification_signature`]),
//! retried with exponential backoff when the receiver fails.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value as Json;

use crate::account::Account;
use crate::extras::Extras;
use crate::ids;
use crate::store::Asset;

/// One delivery attempt's outcome (kept for inspection by tests and the control API,
/// `GET /_emulator/notifications`).
#[derive(Clone, Debug)]
pub struct Attempt {
    /// Target URL.
    pub url: String,
    /// HTTP status, or `None` for a connection failure or a refused target.
    pub status: Option<u16>,
    /// The payload's `notification_type`.
    pub event_type: String,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
    /// Unix time of the attempt.
    pub at: i64,
    /// Why it failed without a status (connection error, non-loopback target).
    pub error: Option<String>,
}

impl Attempt {
    /// The JSON record listed by `GET /_emulator/notifications`.
    pub fn to_json(&self) -> Json {
        serde_json::json!({
            "url": self.url, "status": self.status, "event_type": self.event_type,
            "attempt": self.attempt, "at": self.at, "error": self.error,
            "delivered": self.status.is_some_and(|s| (200..300).contains(&s)),
        })
    }
}

/// The most delivery attempts kept in the record (the oldest are dropped).
pub const MAX_RECORDED_ATTEMPTS: usize = 10_000;

/// Whether `url` is an `http`/`https` URL on this machine's loopback interface
/// (`localhost`, `127.x.y.z`, `[::1]`): the only targets notifications are sent to.
pub fn loopback_target(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    if !matches!(u.scheme(), "http" | "https") {
        return false;
    }
    match u.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.eq_ignore_ascii_case("localhost.")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => crate::loopback::is_loopback(std::net::IpAddr::V6(ip)),
        None => false,
    }
}

fn record(log: &Mutex<Vec<Attempt>>, a: Attempt) {
    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
    if log.len() >= MAX_RECORDED_ATTEMPTS {
        log.remove(0);
    }
    log.push(a);
}

/// The asset fields every event payload carries about one resource.
pub fn resource_ref(a: &Asset) -> Json {
    serde_json::json!({
        "asset_id": a.asset_id, "public_id": a.public_id, "resource_type": a.resource_type,
        "type": a.delivery_type, "version": a.version, "asset_folder": a.asset_folder,
        "display_name": a.display_name,
    })
}

/// A payload `{notification_type, timestamp, request_id, notification_context,
/// signature_key}` plus `fields`.
pub fn event_payload(account: &Account, event_type: &str, fields: Json) -> Json {
    let now = ids::iso8601(ids::now());
    let mut m = serde_json::Map::new();
    m.insert("notification_type".into(), Json::from(event_type));
    m.insert("timestamp".into(), Json::from(now.clone()));
    m.insert("request_id".into(), Json::from(ids::hex32()));
    if let Json::Object(f) = fields {
        m.extend(f);
    }
    m.insert(
        "notification_context".into(),
        serde_json::json!({"triggered_at": now,
            "triggered_by": {"source": "api", "id": account.api_key}}),
    );
    m.insert("signature_key".into(), Json::from(account.api_key.clone()));
    Json::Object(m)
}

/// `{added, removed, updated}` between two JSON maps (context, metadata) as
/// `[{name, value}]` lists; `None` when nothing changed.
pub fn map_diff(
    before: &serde_json::Map<String, Json>,
    after: &serde_json::Map<String, Json>,
) -> Option<Json> {
    let pair = |k: &String, v: &Json| serde_json::json!({"name": k, "value": v});
    let added: Vec<Json> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(k, v)| pair(k, v))
        .collect();
    let updated: Vec<Json> = after
        .iter()
        .filter(|(k, v)| before.get(*k).is_some_and(|b| b != *v))
        .map(|(k, v)| pair(k, v))
        .collect();
    let removed: Vec<Json> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(|(k, v)| pair(k, v))
        .collect();
    if added.is_empty() && updated.is_empty() && removed.is_empty() {
        return None;
    }
    Some(serde_json::json!({"added": added, "updated": updated, "removed": removed}))
}

/// Webhook sender.
pub struct Webhooks {
    attempts: u32,
    retry_ms: u64,
    client: reqwest::Client,
    log: Arc<Mutex<Vec<Attempt>>>,
}

impl Webhooks {
    /// A sender making up to `attempts` tries, the first retry after `retry_ms`.
    pub fn new(attempts: u32, retry_ms: u64) -> Self {
        Webhooks {
            attempts: attempts.max(1),
            retry_ms,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            log: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Every attempt so far (the last [`MAX_RECORDED_ATTEMPTS`]).
    pub fn attempts(&self) -> Vec<Attempt> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// `{"deliveries": [...]}`: every recorded attempt, oldest first.
    pub fn describe(&self) -> Json {
        let list: Vec<Json> = self.attempts().iter().map(Attempt::to_json).collect();
        serde_json::json!({ "deliveries": list })
    }

    /// Sends a notification of `event_type` to every target: the per-call URL (else the
    /// account's notification URL) and every webhook trigger of the account whose
    /// `event_type` is `event_type` (or `all`). A URL named twice gets it once. Each
    /// target is tried, signed and retried by [`Webhooks::send`]; a non-loopback target
    /// is refused and recorded. `notification_type` is set on the payload when absent.
    /// (The handlers call it through [`crate::state::State::notify`].)
    pub fn notify(
        &self,
        extras: &Extras,
        account: &Account,
        event_type: &str,
        mut payload: Json,
        per_call_url: Option<String>,
    ) {
        if let Json::Object(m) = &mut payload {
            m.entry("notification_type")
                .or_insert_with(|| Json::from(event_type));
        }
        let mut targets: Vec<String> = Vec::new();
        if let Some(u) = per_call_url.or_else(|| account.notification_url.clone()) {
            targets.push(u);
        }
        if let Ok(triggers) = extras.list(&account.cloud_name, "trigger") {
            for (_, t) in triggers {
                let wants = t["event_type"] == event_type || t["event_type"] == "all";
                let uri = t["uri"].as_str().unwrap_or_default();
                if wants && t["uri_type"] != "poll" && !uri.starts_with("poll://") {
                    targets.push(uri.to_owned());
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for url in targets {
            if seen.insert(url.clone()) {
                self.send(account.clone(), url, payload.clone());
            }
        }
    }

    /// Sends `payload` to `url` in the background; a non-loopback `url` is refused
    /// (recorded, not sent).
    pub fn send(&self, account: Account, url: String, payload: Json) {
        let client = self.client.clone();
        let log = self.log.clone();
        let (attempts, retry_ms) = (self.attempts, self.retry_ms);
        let event_type = payload["notification_type"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if !loopback_target(&url) {
            record(
                &log,
                Attempt {
                    url,
                    status: None,
                    event_type,
                    attempt: 1,
                    at: ids::now(),
                    error: Some("refused: only loopback targets are notified".into()),
                },
            );
            return;
        }
        tokio::spawn(async move {
            let body = payload.to_string();
            let mut delay = retry_ms;
            for attempt in 0..attempts {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    delay = delay.saturating_mul(2);
                }
                let ts = ids::now();
                let sig = cldkit::verify::notification_signature(
                    body.as_bytes(),
                    ts,
                    &account.api_secret,
                    account.algorithm,
                );
                let res = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-cld-timestamp", ts.to_string())
                    .header("x-cld-signature", sig)
                    .body(body.clone())
                    .send()
                    .await;
                let status = res.as_ref().ok().map(|r| r.status().as_u16());
                record(
                    &log,
                    Attempt {
                        url: url.clone(),
                        status,
                        event_type: event_type.clone(),
                        attempt: attempt + 1,
                        at: ts,
                        error: res.as_ref().err().map(|e| {
                            if e.is_timeout() {
                                "timeout".to_owned()
                            } else {
                                "connection failed".to_owned()
                            }
                        }),
                    },
                );
                if status.is_some_and(|s| (200..300).contains(&s)) {
                    return;
                }
            }
        });
    }
}
