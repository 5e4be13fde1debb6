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

    /// How long to wait, at the Unix time `now` (the client's clock), before the next
    /// call: until the reset when the last answer left no more than the reserve.
    fn pause(&self, now: i64) -> Option<Duration> {
        let s = self.seen();
        match (s.remaining, s.reset_at) {
            (Some(left), Some(reset)) if left <= self.reserve => Some(until(reset, now)),
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
            if let Some(d) = self.pause(client.now()) {
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
                        .map_or(UNKNOWN_RESET_WAIT, |r| until(r, client.now()));
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

/// The time from the Unix time `now` until just after the Unix time `reset` (both
/// on the client's clock, [`Client::now`]).
fn until(reset: i64, now: i64) -> Duration {
    Duration::from_secs(reset.saturating_sub(now).max(0) as u64) + RESET_MARGIN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(remaining: u64, reset_at: i64) -> RateLimit {
        RateLimit {
            remaining: Some(remaining),
            reset_at: Some(reset_at),
            ..RateLimit::default()
        }
    }

    #[test]
    fn waits_are_measured_on_the_given_clock() {
        assert_eq!(until(1_000_030, 1_000_000), Duration::from_millis(31_100));
        // A reset in the past (by the clock) waits only the margin.
        assert_eq!(until(5, 1_000_000), RESET_MARGIN);
        assert_eq!(until(i64::MIN, i64::MAX), RESET_MARGIN);
    }

    #[test]
    fn the_budget_pauses_at_the_reserve_until_the_reset_by_the_clients_clock() {
        let b = Budget::new(2, Duration::from_secs(3600));
        assert_eq!(b.pause(1_000_000), None, "nothing seen yet");
        b.observe(Some(&limit(3, 1_000_100)));
        assert_eq!(b.pause(1_000_000), None, "above the reserve");
        b.observe(Some(&limit(2, 1_000_100)));
        assert_eq!(
            b.pause(1_000_000),
            Some(Duration::from_secs(100) + RESET_MARGIN)
        );
        assert_eq!(
            b.pause(1_000_090),
            Some(Duration::from_secs(10) + RESET_MARGIN)
        );
        // A client whose clock is far from the system's still paces by its own clock.
        let client = Client::from_url("cloudinary://k:s@demo")
            .unwrap()
            .with_clock(|| 1_000_040);
        assert_eq!(
            b.pause(client.now()),
            Some(Duration::from_secs(60) + RESET_MARGIN)
        );
    }
}
