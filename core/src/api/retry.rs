//! Retries with exponential backoff and jitter on transient failures (5xx, 420, 429,
//! timeouts, connection errors), waiting for the rate-limit reset when the server
//! gives one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::errors::{ApiError, ApiErrorKind};
use super::progress::Progress;
use super::response::ApiResponse;
use super::transport::{seconds, system_now, Request, Transport};
use crate::{Client, Map, Value};

/// When and how often a failed request is sent again.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts after the first (`max_retries`, default 5; 0 disables retries).
    pub max_retries: u32,
    /// First backoff delay (`retry_delay` seconds, default 0.5); doubles per attempt.
    pub base_delay: Duration,
    /// Longest backoff delay (`retry_max_delay` seconds, default 30).
    pub max_delay: Duration,
    /// Longest wait for a rate-limit reset (`rate_limit_max_wait` seconds, default
    /// 120); a later reset fails at once with [`ApiErrorKind::RateLimited`].
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The policy of a call: per-call options first, then the configuration.
    pub fn from_options(client: &Client, options: &Map) -> Result<Self, ApiError> {
        let get = |k: &str| options.get(k).or_else(|| client.config().get(k));
        let mut p = RetryPolicy::default();
        match get("max_retries") {
            None | Some(Value::Null) => {}
            Some(Value::Int(n)) if (0..=100).contains(n) => p.max_retries = *n as u32,
            Some(Value::Str(s)) if s.trim().parse::<u32>().is_ok_and(|n| n <= 100) => {
                p.max_retries = s.trim().parse().unwrap_or(5)
            }
            Some(_) => {
                return Err(crate::Error::invalid_option(
                    "max_retries",
                    "expected an integer from 0 to 100",
                )
                .into())
            }
        }
        if let Some(d) = seconds(get("retry_delay"), "retry_delay")? {
            p.base_delay = d;
        }
        if let Some(d) = seconds(get("retry_max_delay"), "retry_max_delay")? {
            p.max_delay = d;
        }
        if let Some(d) = seconds(get("rate_limit_max_wait"), "rate_limit_max_wait")? {
            p.max_rate_limit_wait = d;
        }
        Ok(p)
    }

    /// The delay before retry number `attempt` (1-based) after `err`, or `None` when
    /// the error is final (rate-limit resets are measured from the system clock).
    pub fn delay(&self, attempt: u32, err: &ApiError) -> Option<Duration> {
        self.delay_at(attempt, err, system_now())
    }

    /// [`RetryPolicy::delay`] at the Unix time `now` (the client's clock).
    pub(crate) fn delay_at(&self, attempt: u32, err: &ApiError, now: i64) -> Option<Duration> {
        if attempt > self.max_retries || !err.kind().is_transient() {
            return None;
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt - 1).min(20))
            .min(self.max_delay);
        // Equal jitter: half fixed, half random.
        let half = exp / 2;
        let backoff = half + half.mul_f64(random_unit());
        if err.kind() == ApiErrorKind::RateLimited {
            if let Some(reset) = err.reset_at() {
                let wait = reset - now;
                if wait as f64 > self.max_rate_limit_wait.as_secs_f64() {
                    return None;
                }
                // Reset times have one-second resolution: aim just after it.
                let until = Duration::from_secs(wait.max(0) as u64)
                    + Duration::from_millis(100 + (random_unit() * 200.0) as u64);
                return Some(until.max(backoff));
            }
        }
        Some(backoff)
    }
}

/// A uniform number in `[0, 1)` (splitmix64 over time and a counter: jitter only).
pub(crate) fn random_unit() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut z = COUNTER
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(nanos);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// A random id of `n` characters from `[a-z0-9]` (the `X-Unique-Upload-Id` alphabet).
pub(crate) fn random_id(n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| ALPHABET[(random_unit() * ALPHABET.len() as f64) as usize % 36] as char)
        .collect()
}

impl Transport {
    /// Sends `req` (rebuilt for every attempt) until it succeeds, fails for good, or
    /// the policy gives up.
    pub(crate) async fn send(
        &self,
        req: &Request,
        policy: &RetryPolicy,
        progress: Option<&Progress>,
    ) -> Result<ApiResponse, ApiError> {
        let mut attempt = 0u32;
        let mut authorization = self.oauth.replacement(req);
        let mut refreshed = false;
        loop {
            attempt += 1;
            match self.send_once(req, progress, authorization.as_ref()).await {
                Ok(r) => return Ok(r),
                // A refused OAuth token: refreshed once, then the same request again.
                Err(e) if e.status() == Some(401) && !refreshed => {
                    refreshed = true;
                    let sent = match &authorization {
                        Some(a) => a.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")),
                        None => super::transport::bearer(req),
                    }
                    .map(str::to_owned);
                    let new = match sent {
                        Some(token) => self.oauth.refresh(&token).await,
                        None => None,
                    };
                    match new {
                        Some(a) => authorization = Some(a),
                        None => return Err(e.with_attempts(attempt)),
                    }
                }
                Err(e) => match policy.delay_at(attempt, &e, self.now()) {
                    Some(d) => tokio::time::sleep(d).await,
                    None => return Err(e.with_attempts(attempt)),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops() {
        let p = RetryPolicy {
            max_retries: 3,
            ..RetryPolicy::default()
        };
        let e = ApiError::http(503, "busy", None);
        let d1 = p.delay(1, &e).unwrap();
        let d3 = p.delay(3, &e).unwrap();
        assert!(d1 >= Duration::from_millis(250) && d1 <= Duration::from_millis(500));
        assert!(d3 >= Duration::from_millis(1000) && d3 <= Duration::from_millis(2000));
        assert!(p.delay(4, &e).is_none());
        assert!(p.delay(1, &ApiError::http(400, "bad", None)).is_none());
    }

    #[test]
    fn rate_limit_waits_for_the_reset() {
        let p = RetryPolicy::default();
        let e = ApiError::http(420, "slow down", None).with_reset_at(Some(system_now() + 3));
        let d = p.delay(1, &e).unwrap();
        assert!(d >= Duration::from_secs(2), "{d:?}");
        let far = ApiError::http(429, "later", None).with_reset_at(Some(system_now() + 3600));
        assert!(p.delay(1, &far).is_none());
    }

    #[test]
    fn rate_limit_waits_are_measured_on_the_clients_clock() {
        let p = RetryPolicy::default();
        // A reset far in the system clock's past is 3 s ahead of the client's clock.
        let e = ApiError::http(420, "slow down", None).with_reset_at(Some(1_000_003));
        let d = p.delay_at(1, &e, 1_000_000).unwrap();
        assert!(d >= Duration::from_secs(3), "{d:?}");
        assert!(p.delay_at(1, &e, 1_000_003 - 3600).is_none());
        let client = Client::from_url("cloudinary://k:s@demo")
            .unwrap()
            .with_clock(|| 1_000_000);
        let t = super::super::transport::transport(&client).unwrap();
        assert_eq!(t.now(), 1_000_000);
    }

    #[test]
    fn ids_use_the_alphabet() {
        let id = random_id(16);
        assert_eq!(id.len(), 16);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_ne!(random_id(16), id);
    }
}
