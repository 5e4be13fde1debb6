//! The Admin API's hourly budget: every Admin call of a sync goes through
//! [`Budget::admin`], which reads the rate-limit headers of each answer, waits for
//! the reset before the budget runs out (keeping [`SyncOptions::budget_reserve`]
//! calls for the platform's own use), and, when Cloudinary still answers 420/429,
//! waits for the reset and sends the call again instead of failing the sync.
//!
//! [`SyncOptions::budget_reserve`]: super::SyncOptions::budget_reserve

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::api::{ApiError, ApiErrorKind, ApiResponse, RateLimit};
use crate::{Client, Map, Value};

/// When no reset time is known after a 420, wait this long before trying again.
const UNKNOWN_RESET_WAIT: Duration = Duration::from_secs(60);
/// Reset times have one-second resolution: wait a little past them.
const RESET_MARGIN: Duration = Duration::from_millis(1100);

/// What the last answer said about the budget.
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
    remaining: Option<u64>,
    reset_at: Option<i64>,
}

/// The pacing of one sync's Admin API calls.
#[derive(Debug)]
pub(crate) struct Budget {
    seen: Mutex<Seen>,
    reserve: u64,
    max_wait: Duration,
    calls: AtomicU64,
    waits: AtomicU64,
}

impl Budget {
    /// A budget keeping `reserve` calls unspent, waiting at most `max_wait` in all
    /// for resets before an Admin call fails.
    pub(crate) fn new(reserve: u64, max_wait: Duration) -> Budget {
        Budget {
            seen: Mutex::new(Seen::default()),
            reserve,
            max_wait,
            calls: AtomicU64::new(0),
            waits: AtomicU64::new(0),
        }
    }

    /// Admin calls sent so far (retries after a 420 included).
    pub(crate) fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// How many times the sync waited for a budget reset.
    pub(crate) fn waits(&self) -> u64 {
        self.waits.load(Ordering::Relaxed)
    }

    fn seen(&self) -> Seen {
        *self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn observe(&self, r: Option<&RateLimit>) {
        if let Some(r) = r {
            let mut s = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if r.remaining.is_some() {
                s.remaining = r.remaining;
            }
            if r.reset_at.is_some() {
                s.reset_at = r.reset_at;
            }
        }
    }

    /// How long to wait before the next call: until the reset when the last answer
    /// left no more than the reserve.
    fn pause(&self) -> Option<Duration> {
        let s = self.seen();
        match (s.remaining, s.reset_at) {
            (Some(left), Some(reset)) if left <= self.reserve => Some(until(reset)),
            _ => None,
        }
    }

    /// Sends the Admin (or Search) row `name` within the budget: see the module docs.
    /// The client's own retry of rate limits is held to one second for these calls
    /// (the budget waits as long as a reset takes, the client only two minutes).
    pub(crate) async fn admin(
        &self,
        client: &Client,
        name: &str,
        args: &Map,
        options: &Map,
    ) -> Result<ApiResponse, ApiError> {
        let mut options = options.clone();
        options.insert("rate_limit_max_wait", Value::Int(1));
        let started = Instant::now();
        loop {
            if let Some(d) = self.pause() {
                self.wait(d, started)?;
                tokio::time::sleep(d).await;
                // The window starts afresh: forget the count until the next answer.
                self.seen
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remaining = None;
            }
            self.calls.fetch_add(1, Ordering::Relaxed);
            match client.admin(name, args, &options).await {
                Ok(r) => {
                    self.observe(r.rate_limit.as_ref());
                    return Ok(r);
                }
                Err(e) if e.kind() == ApiErrorKind::RateLimited => {
                    let d = e
                        .reset_at()
                        .or(self.seen().reset_at)
                        .map_or(UNKNOWN_RESET_WAIT, until);
                    if self.wait(d, started).is_err() {
                        return Err(e);
                    }
                    tokio::time::sleep(d).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Counts a wait of `d`, or refuses it when it would pass the longest wait.
    fn wait(&self, d: Duration, started: Instant) -> Result<(), ApiError> {
        if started.elapsed() + d > self.max_wait {
            return Err(ApiError::new(
                ApiErrorKind::RateLimited,
                format!(
                    "the Admin API budget resets in {} s, after the longest wait of {} s",
                    d.as_secs(),
                    self.max_wait.as_secs()
                ),
            ));
        }
        self.waits.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The time from now until just after the Unix time `reset`.
fn until(reset: i64) -> Duration {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let reset = Duration::from_secs(reset.max(0) as u64);
    reset.saturating_sub(now) + RESET_MARGIN
}
