//! Time, injectable so that retry and timeout tests do not sleep.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;

/// A source of time and of waiting.
#[async_trait]
pub trait Clock: Send + Sync + Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Waits for `duration`.
    async fn sleep(&self, duration: Duration);
    /// Completes `duration` after it is called: the limit each attempt is raced against.
    /// Usually dropped unfinished, so it should be cheap to start and to drop; the default
    /// is [`sleep`](Clock::sleep).
    fn deadline(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.sleep(duration)
    }
    /// A sample from `[0, 1)` for backoff jitter.
    fn jitter(&self) -> f64 {
        fastrand::f64()
    }
}

/// The real clock: system time, tokio's timer for waits, and one shared thread that watches
/// the deadlines of attempts (a runtime timer per attempt costs more under load).
///
/// Deadlines follow real time even under tokio's paused test clock; tests that need time to
/// jump use a clock of their own (`test_util::ManualClock`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }

    fn deadline(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        crate::deadline::after(duration)
    }
}
