//! Time, injectable so that retry and timeout tests do not sleep.

use std::fmt::Debug;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;

/// A source of time and of waiting.
#[async_trait]
pub trait Clock: Send + Sync + Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Waits for `duration`.
    async fn sleep(&self, duration: Duration);
    /// A sample from `[0, 1)` for backoff jitter.
    fn jitter(&self) -> f64 {
        fastrand::f64()
    }
}

/// The real clock: system time and tokio's timer.
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
}
