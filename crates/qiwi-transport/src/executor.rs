use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::RETRY_AFTER;
use tracing::Instrument;

use crate::retry::{self, Decision, Outcome, RetryPolicy};
use crate::time::{self, Sleep, SystemTimeSource, TimeSource, TokioSleep};
use crate::{
    Classification, Error, Request, Response, ServiceError, Transport, TransportError,
    TransportErrorKind,
};

/// Time limits for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The limit for one attempt, from sending to the last byte of the answer.
    pub attempt: Duration,
    /// The limit for one call of a client, however many requests it makes: every attempt, every
    /// wait between attempts and every wait for a shared resource (an access token) included.
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

/// The time one call of a client may take, shared by every request the call makes (a list and
/// the re-requests of its missing balances; a token request, the request it authorizes and
/// the retry after a refused token).
///
/// Started by [`Executor::start_call`]; [`Executor::send_within`] and [`Executor::wait_within`]
/// get only what remains of it. Kept as a monotonic start and a length, so no instant is
/// ever computed past the clock's range and a wall clock set back changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallBudget {
    start: Instant,
    total: Duration,
}

impl CallBudget {
    /// A budget of `total` from `start`.
    pub fn new(start: Instant, total: Duration) -> Self {
        Self { start, total }
    }

    /// What remains of the budget at `now`; zero once it is spent.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use qiwi_transport::CallBudget;
    /// let start = Instant::now();
    /// let budget = CallBudget::new(start, Duration::from_secs(60));
    /// assert_eq!(budget.remaining(start + Duration::from_secs(45)), Duration::from_secs(15));
    /// assert_eq!(budget.remaining(start + Duration::from_secs(90)), Duration::ZERO);
    /// let endless = CallBudget::new(start, Duration::MAX);
    /// assert_eq!(endless.remaining(start + Duration::from_secs(1)), Duration::MAX - Duration::from_secs(1));
    /// ```
    pub fn remaining(&self, now: Instant) -> Duration {
        self.total
            .saturating_sub(now.saturating_duration_since(self.start))
    }

    /// The error of a call whose budget ran out after `attempts` attempts of its last request.
    fn spent(&self, attempts: u32) -> TransportError {
        TransportError::new(
            TransportErrorKind::Timeout,
            format!(
                "no answer within the total limit of {} ms",
                self.total.as_millis()
            ),
        )
        .with_attempts(attempts.max(1))
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
    time_source: Arc<dyn TimeSource>,
    sleep: Arc<dyn Sleep>,
}

impl Executor {
    /// An executor with the default retry policy and timeouts, the system's clocks and tokio's
    /// timer.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport,
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
            time_source: Arc::new(SystemTimeSource),
            sleep: Arc::new(TokioSleep),
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

    /// Replaces the time source (tests use one they drive).
    pub fn with_time_source(mut self, time_source: Arc<dyn TimeSource>) -> Self {
        self.time_source = time_source;
        self
    }

    /// Replaces the sleep that backoffs, polls and attempt deadlines wait with.
    pub fn with_sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.sleep = sleep;
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

    /// The time source in use.
    pub fn time_source(&self) -> &Arc<dyn TimeSource> {
        &self.time_source
    }

    /// The sleep in use.
    pub fn sleep_impl(&self) -> &Arc<dyn Sleep> {
        &self.sleep
    }

    /// Starts the time budget of one call: [`Timeouts::total`] from now.
    pub fn start_call(&self) -> CallBudget {
        CallBudget::new(self.time_source.now(), self.timeouts.total)
    }

    /// Sends `request` as a call of its own (a budget of [`Timeouts::total`] from now),
    /// retrying as the policy allows, and returns a 2xx answer.
    ///
    /// Each attempt sends a copy, so the caller keeps the request (to send it again with a
    /// renewed token, for instance).
    ///
    /// # Errors
    /// [`Error::Transport`] when no answer arrived in the time limits, [`Error::Service`] for a
    /// non-2xx answer (the raw body kept; clients add the vendor's code and message).
    pub async fn send(&self, request: &Request) -> Result<Response, Error> {
        self.send_within(request, self.start_call()).await
    }

    /// Sends `request` as part of a call that may make several requests: its attempts and the
    /// waits between them stop where `budget` runs out, and a wait that would pass it is not
    /// started.
    ///
    /// # Errors
    /// As [`send`](Self::send); a budget already spent gives a timeout without sending.
    pub async fn send_within(
        &self,
        request: &Request,
        budget: CallBudget,
    ) -> Result<Response, Error> {
        let mut attempt = 0u32;
        // Whether any attempt so far got a connection (and so may have been processed).
        let mut sent = false;
        loop {
            attempt += 1;
            let remaining = budget.remaining(self.time_source.now());
            if remaining.is_zero() {
                return Err(budget
                    .spent(attempt - 1)
                    .with_sent(sent)
                    .with_host(&request.url)
                    .into());
            }
            let limit = self.timeouts.attempt.min(remaining);
            let span = tracing::debug_span!(
                "http.request",
                endpoint = request.endpoint,
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
                    self.classify(request, response)
                }
                Err(error) => (Outcome::Failed(error.kind()), None),
            };
            sent |= result
                .as_ref()
                .map_or_else(|e| e.may_have_been_sent(), |_| true);
            let decision = retry::decide(
                &self.retry,
                request.idempotent,
                outcome,
                attempt,
                retry_after,
                self.sleep.jitter(),
            );
            match decision {
                Decision::Retry(wait) if wait < budget.remaining(self.time_source.now()) => {
                    tracing::debug!(parent: &span, wait_ms = wait.as_millis() as u64, "retrying");
                    self.sleep.sleep(wait).await;
                }
                Decision::Retry(_) | Decision::Stop(_) => {
                    let result = result.map_err(|e| e.with_sent(sent).with_host(&request.url));
                    return finish(result, attempt, retry_after, decision);
                }
            }
        }
    }

    /// Waits for `future` (another caller's work this call depends on) no longer than what
    /// remains of `budget`.
    ///
    /// # Errors
    /// A [`TransportErrorKind::Timeout`] when the budget runs out first; `future` is dropped.
    pub async fn wait_within<F: Future>(
        &self,
        budget: CallBudget,
        future: F,
    ) -> Result<F::Output, TransportError> {
        let remaining = budget.remaining(self.time_source.now());
        if remaining.is_zero() {
            return Err(budget.spent(0));
        }
        time::timeout(&*self.sleep, remaining, future)
            .await
            .map_err(|_| budget.spent(0))
    }

    /// What an answer means for the retry decision: a refusal with its `Retry-After`, or a
    /// success as the family reads its body.
    fn classify(&self, request: &Request, response: &Response) -> (Outcome, Option<Duration>) {
        if !response.status.is_success() {
            let retry_after = response
                .header_str(RETRY_AFTER)
                .and_then(|v| retry::parse_retry_after(v, self.time_source.wall()));
            return (Outcome::Status(response.status), retry_after);
        }
        match request.classify.map(|classify| classify(response)) {
            Some(Classification::RetryAfter(wait)) => (Outcome::Busy(wait), None),
            Some(Classification::FateUnknown) => (Outcome::FateUnknown, None),
            Some(Classification::Final) | None => (Outcome::Status(response.status), None),
        }
    }

    async fn attempt(&self, request: Request, limit: Duration) -> Result<Response, TransportError> {
        let started = self.time_source.now();
        let result = time::timeout(&*self.sleep, limit, self.transport.send(request))
            .await
            .unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete answer within {} ms", limit.as_millis()),
                ))
            });
        let latency = self.time_source.now().saturating_duration_since(started);
        tracing::Span::current().record("latency_ms", latency.as_millis() as u64);
        result
    }
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
