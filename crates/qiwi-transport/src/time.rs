//! Time, injectable in two separate parts: a [`TimeSource`] that says what time it is, and a
//! [`Sleep`] that waits. Budgets and ages use the source's monotonic time; wall time is read
//! only where the wire carries a date (`Retry-After`). Attempt deadlines are sleeps raced
//! against the attempt ([`timeout`]), so a test that drives the sleep drives them too
//! (`test_util::tick_advance_time_and_sleep`).
//!
//! This is the one module of the library crates that reads the system clock or starts a
//! runtime timer (clippy's `disallowed-methods` keeps it so).

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

/// What time it is.
pub trait TimeSource: Send + Sync + Debug {
    /// Monotonic time, for budgets, ages and elapsed times: it never goes back.
    fn now(&self) -> Instant;
    /// Wall-clock time, only for dates on the wire (an HTTP-date `Retry-After`).
    fn wall(&self) -> SystemTime;
}

/// A wait in progress: completes when its time has passed.
pub type Sleeping = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Waiting, for backoffs, polls and attempt deadlines.
pub trait Sleep: Send + Sync + Debug {
    /// A future that completes once `duration` has passed; a duration too long to represent
    /// never passes.
    fn sleep(&self, duration: Duration) -> Sleeping;
    /// A sample from `[0, 1)` that spreads backoff waits (jitter).
    fn jitter(&self) -> f64 {
        fastrand::f64()
    }
}

/// The system's clocks: [`Instant`] and [`SystemTime`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

#[allow(
    clippy::disallowed_methods,
    reason = "the time module is where the clock is read"
)]
impl TimeSource for SystemTimeSource {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Waits with tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

#[allow(
    clippy::disallowed_methods,
    reason = "the time module is where timers are started"
)]
impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Sleeping {
        // tokio's timer takes a duration past its range as "never".
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The limit of a [`timeout`] passed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed;

/// Runs `future` until it completes or `sleep` has waited `limit`, whichever comes first; a
/// future ready at once wins even against a zero limit.
///
/// # Errors
/// [`Elapsed`] when the limit passed first; `future` is dropped.
pub async fn timeout<F: Future>(
    sleep: &dyn Sleep,
    limit: Duration,
    future: F,
) -> Result<F::Output, Elapsed> {
    tokio::select! {
        biased;
        output = future => Ok(output),
        () = sleep.sleep(limit) => Err(Elapsed),
    }
}
