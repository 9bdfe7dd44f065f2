//! The payment history's request limit: at most 100 requests a minute per wallet, or the
//! service blocks the wallet's access for 5 minutes (reference §3).

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use qiwi_transport::time::{Sleep, TimeSource};

/// The requests a [`HistoryLimiter::default`] lets through per [`HISTORY_WINDOW`]: the
/// documented 100 less a margin for retried attempts and for requests that reach the service
/// later than they leave.
pub const DEFAULT_HISTORY_LIMIT: u32 = 90;

/// The window the service counts history requests over: one minute.
pub const HISTORY_WINDOW: Duration = Duration::from_secs(60);

/// A sliding-window limiter for payment-history calls (E14 to E18).
///
/// Cheap to clone; clones share one window, and so do the clients given the same limiter
/// ([`WalletClientBuilder::history_limiter`](crate::WalletClientBuilder::history_limiter)).
/// A call waits (with the client's injected sleep) until the window has room, so a stream or
/// many callers never send more than the limit in any window. After a `423` the limiter holds
/// every call for the wait the service announced (5 minutes when it announces none).
///
/// The wait comes before the call's own time limit ([`Timeouts`](crate::Timeouts)) starts; a
/// caller with a deadline for the wait too wraps the call in it (a dropped call gives up its
/// turn without using a place in the window). Retried attempts of one call count once: the
/// margin under the documented 100 covers them.
#[derive(Clone)]
pub struct HistoryLimiter {
    limit: u32,
    window: Duration,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// When each request inside the window was let through, oldest first.
    sent: VecDeque<Instant>,
    /// No request goes before this (after a `423`).
    blocked_until: Option<Instant>,
}

impl Default for HistoryLimiter {
    /// [`DEFAULT_HISTORY_LIMIT`] requests per [`HISTORY_WINDOW`].
    fn default() -> Self {
        Self::new(DEFAULT_HISTORY_LIMIT, HISTORY_WINDOW)
    }
}

impl fmt::Debug for HistoryLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HistoryLimiter")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .finish()
    }
}

impl HistoryLimiter {
    /// At most `limit` requests (at least one) in any `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use qiwi_wallet::HistoryLimiter;
    ///
    /// let limiter = HistoryLimiter::new(10, Duration::from_secs(60));
    /// assert_eq!(limiter.limit(), 10);
    /// ```
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            state: Arc::default(),
        }
    }

    /// The requests let through per window.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Waits until a request may go, and counts it.
    pub(crate) async fn acquire(&self, time: &dyn TimeSource, sleep: &dyn Sleep) {
        loop {
            let wait = self.lock().admit(time.now(), self.limit, self.window);
            match wait {
                None => return,
                Some(wait) => sleep.sleep(wait).await,
            }
        }
    }

    /// Holds every request until `wait` after `now` (the service blocked the wallet).
    pub(crate) fn hold(&self, now: Instant, wait: Duration) {
        let until = now.checked_add(wait);
        let mut state = self.lock();
        state.blocked_until = match (state.blocked_until, until) {
            // A wait past what an `Instant` holds: as long as it can be.
            (_, None) => Some(far_future(now)),
            (Some(held), Some(until)) => Some(held.max(until)),
            (None, Some(until)) => Some(until),
        };
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// Counts a request at `now` and returns `None` when the window has room; otherwise how
    /// long to wait before asking again.
    fn admit(&mut self, now: Instant, limit: u32, window: Duration) -> Option<Duration> {
        if let Some(until) = self.blocked_until {
            if until > now {
                return Some(until.saturating_duration_since(now));
            }
            self.blocked_until = None;
        }
        while let Some(&oldest) = self.sent.front() {
            if now.saturating_duration_since(oldest) >= window {
                self.sent.pop_front();
            } else {
                break;
            }
        }
        if self.sent.len() < limit as usize {
            self.sent.push_back(now);
            return None;
        }
        let oldest = *self.sent.front()?;
        let free = oldest
            .checked_add(window)
            .unwrap_or_else(|| far_future(now));
        Some(free.saturating_duration_since(now))
    }
}

/// A year from `now`, or `now` itself where even that cannot be represented.
fn far_future(now: Instant) -> Instant {
    now.checked_add(Duration::from_secs(365 * 24 * 3600))
        .unwrap_or(now)
}
