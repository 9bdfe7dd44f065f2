use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::RETRY_AFTER;
use tracing::Instrument;

use crate::clock::{Clock, SystemClock};
use crate::retry::{self, Decision, Outcome, RetryPolicy};
use crate::{
    Error, Request, Response, ServiceError, Transport, TransportError, TransportErrorKind,
};

/// Time limits for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The limit for one attempt, from sending to the last byte of the answer.
    pub attempt: Duration,
    /// The limit for the whole call, all attempts and waits between them included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}

/// Runs requests through a [`Transport`] with timeouts, retries and tracing.
///
/// Cheap to clone; clones share the transport.
#[derive(Debug, Clone)]
pub struct Executor {
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    timeouts: Timeouts,
    clock: Arc<dyn Clock>,
}

impl Executor {
    /// An executor with the default retry policy and timeouts and the system clock.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport,
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Replaces the clock (tests use a manual one).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The timeouts in use.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The clock in use.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Sends `request`, retrying as the policy allows, and returns a 2xx answer.
    ///
    /// Each attempt sends a copy, so the caller keeps the request (to send it again with a
    /// renewed token, for instance).
    ///
    /// # Errors
    /// [`Error::Transport`] when no answer arrived in the time limits, [`Error::Service`] for a
    /// non-2xx answer (the raw body kept; clients add the vendor's code and message).
    pub async fn send(&self, request: &Request) -> Result<Response, Error> {
        let start = self.clock.now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let elapsed = self.elapsed_since(start);
            let remaining = self.timeouts.total.saturating_sub(elapsed);
            if remaining.is_zero() {
                return Err(total_timeout(self.timeouts.total, attempt - 1)
                    .with_host(&request.url)
                    .into());
            }
            let limit = self.timeouts.attempt.min(remaining);
            let span = tracing::debug_span!(
                "http.request",
                method = %request.method,
                route = request.route,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let result = self
                .attempt(request.clone(), limit)
                .instrument(span.clone())
                .await;
            let (outcome, retry_after) = match &result {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    // Only a refusal is retried, so only its `Retry-After` is read.
                    let retry_after = if response.status.is_success() {
                        None
                    } else {
                        response
                            .header_str(RETRY_AFTER)
                            .and_then(|v| retry::parse_retry_after(v, self.clock.now()))
                    };
                    (Outcome::Status(response.status), retry_after)
                }
                Err(error) => (Outcome::Failed(error.kind()), None),
            };
            let decision = retry::decide(
                &self.retry,
                request.idempotent,
                outcome,
                attempt,
                retry_after,
                self.clock.jitter(),
            );
            match decision {
                Decision::Retry(wait) if self.elapsed_since(start) + wait < self.timeouts.total => {
                    tracing::debug!(parent: &span, wait_ms = wait.as_millis() as u64, "retrying");
                    self.clock.sleep(wait).await;
                }
                Decision::Retry(_) | Decision::Stop(_) => {
                    let result = result.map_err(|e| e.with_host(&request.url));
                    return finish(result, attempt, retry_after, decision);
                }
            }
        }
    }

    async fn attempt(&self, request: Request, limit: Duration) -> Result<Response, TransportError> {
        let started = Instant::now();
        let result = tokio::select! {
            biased;
            result = self.transport.send(request) => result,
            () = self.clock.deadline(limit) => Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("no complete answer within {} ms", limit.as_millis()),
            )),
        };
        tracing::Span::current().record("latency_ms", started.elapsed().as_millis() as u64);
        result
    }

    fn elapsed_since(&self, start: std::time::SystemTime) -> Duration {
        self.clock.now().duration_since(start).unwrap_or_default()
    }
}

fn total_timeout(total: Duration, attempts: u32) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        format!(
            "no answer within the total limit of {} ms",
            total.as_millis()
        ),
    )
    .with_attempts(attempts.max(1))
}

fn finish(
    result: Result<Response, TransportError>,
    attempts: u32,
    retry_after: Option<Duration>,
    decision: Decision,
) -> Result<Response, Error> {
    if let Decision::Stop(reason) = decision {
        tracing::debug!(?reason, attempts, "request finished");
    }
    match result {
        Ok(response) if response.status.is_success() => Ok(response),
        Ok(response) => {
            let mut error = ServiceError::new(response.status, response.body);
            error.retry_after = retry_after;
            error.attempts = attempts;
            error.trace_id = ["x-request-id", "x-trace-id", "x-amzn-requestid"]
                .iter()
                .find_map(|name| {
                    response
                        .headers
                        .get(*name)?
                        .to_str()
                        .ok()
                        .map(str::to_owned)
                });
            Err(error.into())
        }
        Err(error) => Err(error.with_attempts(attempts).into()),
    }
}
