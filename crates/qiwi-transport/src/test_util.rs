//! Test doubles: a scripted transport that records what it was sent and checks it against the
//! requests it expects ([`expect`]), a recording wrapper for any transport, a transport that
//! never answers, and a time source and sleep that the test drives; in [`echo`], what a server
//! that reflects the request shows; in [`settings`], the test of the settings every client
//! shares; and in [`traces`], a subscriber that keeps what was traced as text.

pub mod echo;
pub mod expect;
pub mod settings;
pub mod traces;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::StatusCode;

use crate::time::{Sleep, Sleeping, SystemTimeSource, TimeSource};
use crate::{Request, Response, Transport, TransportError, TransportErrorKind};
use expect::{ExpectedRequest, RequestMismatch};

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One scripted answer.
#[derive(Debug)]
pub enum Reply {
    /// Answer with this response.
    Respond(Response),
    /// Fail with this kind of transport error.
    Fail(TransportErrorKind),
}

impl Reply {
    /// An answer with a status and a body.
    pub fn status(status: u16, body: impl Into<Bytes>) -> Self {
        Reply::Respond(Response::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body,
        ))
    }

    /// A 200 answer with a JSON body.
    pub fn json(body: impl Into<Bytes>) -> Self {
        Self::status(200, body)
    }

    /// An answer with a header added.
    pub fn with_header(mut self, name: &'static str, value: &'static str) -> Self {
        if let Reply::Respond(response) = &mut self {
            response
                .headers
                .insert(name, http::HeaderValue::from_static(value));
        }
        self
    }
}

/// One step of a script: the answer, and the request it expects when it has one.
#[derive(Debug)]
pub struct ReplayEvent {
    expected: Option<ExpectedRequest>,
    reply: Reply,
}

impl ReplayEvent {
    /// Answers `reply` to a request that must match `expected`.
    pub fn new(expected: ExpectedRequest, reply: Reply) -> Self {
        Self {
            expected: Some(expected),
            reply,
        }
    }
}

impl From<Reply> for ReplayEvent {
    /// An answer to whatever request comes.
    fn from(reply: Reply) -> Self {
        Self {
            expected: None,
            reply,
        }
    }
}

/// A request received, with what the script expected of it.
#[derive(Debug, Clone)]
struct Exchange {
    request: Request,
    /// `None`: the script had no step left for it.
    step: Option<Option<ExpectedRequest>>,
}

/// Answers from a script, in order, and records every request. Past the end of the script it
/// fails with a connect error, so a test sees an unexpected extra request. Steps built with
/// [`ReplayEvent::new`] also say which request they expect; [`Self::assert_requests_match`]
/// checks them once the calls are done.
#[derive(Debug, Clone, Default)]
pub struct ScriptedTransport {
    script: Arc<Mutex<VecDeque<ReplayEvent>>>,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl ScriptedTransport {
    /// A transport that gives these answers in order, whatever the requests.
    pub fn new(script: impl IntoIterator<Item = Reply>) -> Self {
        Self::replay(script.into_iter().map(ReplayEvent::from))
    }

    /// A transport that gives these answers in order, each to the request it expects (see
    /// [`Self::assert_requests_match`]).
    pub fn replay(script: impl IntoIterator<Item = ReplayEvent>) -> Self {
        Self {
            script: Arc::new(Mutex::new(script.into_iter().collect())),
            exchanges: Arc::default(),
        }
    }

    /// Appends an answer to the script.
    pub fn push(&self, event: impl Into<ReplayEvent>) {
        lock(&self.script).push_back(event.into());
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.exchanges)
            .iter()
            .map(|e| e.request.clone())
            .collect()
    }

    /// How many requests were received.
    pub fn count(&self) -> usize {
        lock(&self.exchanges).len()
    }

    /// Checks every request received against the step that answered it, and that no step
    /// expecting a request is left over.
    pub fn check_requests(&self) -> Result<(), ScriptMismatch> {
        let mut problems = Vec::new();
        for (index, exchange) in lock(&self.exchanges).iter().enumerate() {
            match &exchange.step {
                Some(Some(expected)) => {
                    if let Err(mismatch) = expected.compare(&exchange.request) {
                        problems.push(ScriptProblem::Mismatch { index, mismatch });
                    }
                }
                Some(None) => {}
                None => problems.push(ScriptProblem::Unexpected {
                    index,
                    request: format!(
                        "{} {}",
                        exchange.request.method,
                        exchange.request.url.path()
                    ),
                }),
            }
        }
        let missing: Vec<String> = lock(&self.script)
            .iter()
            .filter_map(|event| event.expected.as_ref())
            .map(|e| e.to_string())
            .collect();
        if !missing.is_empty() {
            problems.push(ScriptProblem::Missing(missing));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ScriptMismatch { problems })
        }
    }

    /// Panics with every difference [`Self::check_requests`] finds.
    #[track_caller]
    pub fn assert_requests_match(&self) {
        if let Err(mismatch) = self.check_requests() {
            panic!("{mismatch}");
        }
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let event = lock(&self.script).pop_front();
        lock(&self.exchanges).push(Exchange {
            request,
            step: event.as_ref().map(|e| e.expected.clone()),
        });
        match event.map(|e| e.reply) {
            Some(Reply::Respond(response)) => Ok(response),
            Some(Reply::Fail(kind)) => Err(TransportError::new(kind, "scripted failure")),
            None => Err(TransportError::new(
                TransportErrorKind::Connect,
                "the script has no answer for this request",
            )),
        }
    }
}

/// What a [`ScriptedTransport`] received that its script did not expect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptProblem {
    /// Request `index` (from 0) differs from the request its step expected.
    Mismatch {
        /// The request's place in the order received.
        index: usize,
        /// What differs.
        mismatch: RequestMismatch,
    },
    /// Request `index` came after the script ran out.
    Unexpected {
        /// The request's place in the order received.
        index: usize,
        /// Its method and path.
        request: String,
    },
    /// Steps that expected a request were never reached (method and path of each).
    Missing(Vec<String>),
}

/// Every way the requests received differ from the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptMismatch {
    /// In order: each request received, then the steps left over.
    pub problems: Vec<ScriptProblem>,
}

impl std::fmt::Display for ScriptMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for problem in &self.problems {
            match problem {
                ScriptProblem::Mismatch { index, mismatch } => {
                    writeln!(f, "request {index} does not match:\n{mismatch}")?;
                }
                ScriptProblem::Unexpected { index, request } => {
                    writeln!(f, "request {index} ({request}) was not expected")?;
                }
                ScriptProblem::Missing(missing) => {
                    writeln!(f, "expected requests never sent: {}", missing.join(", "))?;
                }
            }
        }
        Ok(())
    }
}

/// Passes requests to another transport and records them.
#[derive(Debug, Clone)]
pub struct RecordingTransport<T> {
    inner: T,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl<T: Transport> RecordingTransport<T> {
    /// Records what goes through `inner`.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            requests: Arc::default(),
        }
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.requests).clone()
    }
}

#[async_trait]
impl<T: Transport> Transport for RecordingTransport<T> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        lock(&self.requests).push(request.clone());
        self.inner.send(request).await
    }
}

/// Never answers: every request waits forever (until a timeout drops it).
#[derive(Debug, Clone, Default)]
pub struct NeverRespond {
    count: Arc<Mutex<usize>>,
}

impl NeverRespond {
    /// How many requests were received.
    pub fn count(&self) -> usize {
        *lock(&self.count)
    }
}

#[async_trait]
impl Transport for NeverRespond {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        *lock(&self.count) += 1;
        std::future::pending().await
    }
}

/// How a [`tick_advance_time_and_sleep`] pair moves time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// Every sleep moves the time to its own end and ends at once: waits cost nothing and an
    /// attempt that is not answered on its first poll times out at once. For in-memory
    /// transports ([`ScriptedTransport`], [`NeverRespond`]).
    OnSleep,
    /// Time moves only by [`TickAdvanceTime::tick`]; a sleep ends when the time reaches its
    /// end. Works over a real socket: no attempt deadline passes unless the test moves the
    /// time past it.
    OnTick,
}

/// The time of a [`tick_advance_time_and_sleep`] pair.
#[derive(Debug, Clone)]
pub struct TickAdvanceTime {
    shared: Arc<Mutex<Ticks>>,
}

/// The sleep of a [`tick_advance_time_and_sleep`] pair; its jitter sample is always `1.0`
/// (backoffs reach their ceiling).
#[derive(Debug, Clone)]
pub struct TickAdvanceSleep {
    shared: Arc<Mutex<Ticks>>,
}

#[derive(Debug)]
struct Ticks {
    advance: Advance,
    /// The monotonic origin; [`TickAdvanceTime::now`] is `origin + elapsed`.
    origin: Instant,
    /// The wall time at the origin.
    wall_origin: SystemTime,
    elapsed: Duration,
    /// Every sleep polled so far, in order.
    sleeps: Vec<Duration>,
    /// Sleeps waiting for the time to move.
    waiting: Vec<Waker>,
}

impl Ticks {
    /// Moves the time to `elapsed`; a time past what `Instant` or `SystemTime` can hold
    /// leaves it where it is.
    fn move_to(&mut self, elapsed: Duration) {
        let representable = self.origin.checked_add(elapsed).is_some()
            && self.wall_origin.checked_add(elapsed).is_some();
        if elapsed > self.elapsed && representable {
            self.elapsed = elapsed;
        }
    }
}

/// A time source and a sleep driven together, starting at a fixed wall time
/// (2023-11-14T22:13:20Z): the sleep records every wait and ends it when the shared time
/// reaches its end, and the time moves as `advance` says.
pub fn tick_advance_time_and_sleep(advance: Advance) -> (TickAdvanceTime, TickAdvanceSleep) {
    let shared = Arc::new(Mutex::new(Ticks {
        advance,
        origin: SystemTimeSource.now(),
        wall_origin: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        elapsed: Duration::ZERO,
        sleeps: Vec::new(),
        waiting: Vec::new(),
    }));
    (
        TickAdvanceTime {
            shared: shared.clone(),
        },
        TickAdvanceSleep { shared },
    )
}

impl TickAdvanceTime {
    /// Moves the time forward by `by` and ends the sleeps that it reaches; no sleep is
    /// recorded.
    pub fn tick(&self, by: Duration) {
        let waiting = {
            let mut ticks = lock(&self.shared);
            let to = ticks.elapsed.saturating_add(by);
            ticks.move_to(to);
            std::mem::take(&mut ticks.waiting)
        };
        waiting.into_iter().for_each(Waker::wake);
    }
}

impl TimeSource for TickAdvanceTime {
    fn now(&self) -> Instant {
        let ticks = lock(&self.shared);
        ticks.origin + ticks.elapsed
    }

    fn wall(&self) -> SystemTime {
        let ticks = lock(&self.shared);
        ticks.wall_origin + ticks.elapsed
    }
}

impl TickAdvanceSleep {
    /// Every wait polled so far, in order (attempt deadlines included once they are polled).
    pub fn sleeps(&self) -> Vec<Duration> {
        lock(&self.shared).sleeps.clone()
    }
}

impl Sleep for TickAdvanceSleep {
    fn sleep(&self, duration: Duration) -> Sleeping {
        let shared = self.shared.clone();
        // The end, fixed at the first poll (`Some(None)`: past the clock's range).
        let mut end: Option<Option<Duration>> = None;
        Box::pin(std::future::poll_fn(move |cx| {
            let mut ticks = lock(&shared);
            let first = end.is_none();
            let at = *end.get_or_insert_with(|| {
                ticks.sleeps.push(duration);
                ticks.elapsed.checked_add(duration)
            });
            if first && ticks.advance == Advance::OnSleep {
                if let Some(at) = at {
                    ticks.move_to(at);
                }
                // Yields once, as a real wait would, so that other tasks run meanwhile.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            // With `OnSleep` the wait is over once it has yielded, even where the time could not
            // move that far; with `OnTick` a wait past the clock's range never ends.
            let reached =
                ticks.advance == Advance::OnSleep || at.is_some_and(|at| ticks.elapsed >= at);
            if reached {
                Poll::Ready(())
            } else {
                ticks.waiting.push(cx.waker().clone());
                Poll::Pending
            }
        }))
    }

    fn jitter(&self) -> f64 {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn get(path: &str) -> Request {
        let url = format!("https://h{path}").parse().unwrap();
        Request::new(Method::GET, url, "/route")
    }

    #[tokio::test]
    async fn requests_are_checked_against_the_steps_that_answered_them() {
        let transport = ScriptedTransport::replay([
            ReplayEvent::new(
                ExpectedRequest::new(Method::GET, "/a"),
                Reply::status(200, ""),
            ),
            ReplayEvent::from(Reply::status(200, "")),
            ReplayEvent::new(
                ExpectedRequest::new(Method::GET, "/c"),
                Reply::status(200, ""),
            ),
        ]);
        for path in ["/a", "/anything", "/c"] {
            transport.send(get(path)).await.unwrap();
        }
        assert_eq!(transport.check_requests(), Ok(()));
        transport.assert_requests_match();
    }

    #[tokio::test]
    async fn a_mismatch_an_extra_request_and_a_missing_one_are_each_reported() {
        let transport = ScriptedTransport::replay([
            ReplayEvent::new(
                ExpectedRequest::new(Method::GET, "/a"),
                Reply::status(200, ""),
            ),
            ReplayEvent::new(
                ExpectedRequest::new(Method::GET, "/b"),
                Reply::status(200, ""),
            ),
        ]);
        transport.send(get("/x")).await.unwrap();
        let mismatch = transport.check_requests().unwrap_err();
        assert!(
            matches!(
                mismatch.problems.as_slice(),
                [ScriptProblem::Mismatch { index: 0, mismatch }, ScriptProblem::Missing(missing)]
                    if mismatch.differences[0].field == "path" && missing == &["GET /b"]
            ),
            "{mismatch:?}"
        );
        assert_eq!(
            mismatch.to_string(),
            "request 0 does not match:\nGET /a: path\n  expected: /a\n  actual:   /x\n\
             expected requests never sent: GET /b\n"
        );

        transport.send(get("/b")).await.unwrap();
        let error = transport.send(get("/z")).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect);
        let mismatch = transport.check_requests().unwrap_err();
        assert!(
            matches!(
                mismatch.problems.as_slice(),
                [ScriptProblem::Mismatch { index: 0, .. }, ScriptProblem::Unexpected { index: 2, request }]
                    if request == "GET /z"
            ),
            "{mismatch:?}"
        );
    }

    #[tokio::test]
    #[should_panic(expected = "expected requests never sent: GET /a")]
    async fn asserting_panics_when_an_expected_request_never_came() {
        let transport = ScriptedTransport::replay([ReplayEvent::new(
            ExpectedRequest::new(Method::GET, "/a"),
            Reply::status(200, ""),
        )]);
        transport.assert_requests_match();
    }

    /// Polls `sleeping` once with a waker that does nothing.
    fn poll_once(sleeping: &mut Sleeping) -> Poll<()> {
        let mut cx = std::task::Context::from_waker(Waker::noop());
        sleeping.as_mut().poll(&mut cx)
    }

    #[test]
    fn on_tick_a_sleep_ends_when_the_time_reaches_it_and_huge_ticks_saturate() {
        let (time, sleep) = tick_advance_time_and_sleep(Advance::OnTick);
        let (start, wall) = (time.now(), time.wall());
        let mut short = sleep.sleep(Duration::from_secs(5));
        let mut never = sleep.sleep(Duration::MAX);
        assert!(poll_once(&mut short).is_pending());
        assert!(poll_once(&mut never).is_pending());
        time.tick(Duration::from_secs(4));
        assert!(poll_once(&mut short).is_pending());
        time.tick(Duration::from_secs(1));
        assert!(poll_once(&mut short).is_ready());
        assert_eq!(time.now() - start, Duration::from_secs(5));
        assert_eq!(time.wall(), wall + Duration::from_secs(5));
        time.tick(Duration::MAX);
        assert_eq!(
            time.now() - start,
            Duration::from_secs(5),
            "left where it was"
        );
        assert!(poll_once(&mut never).is_pending());
        assert_eq!(
            sleep.sleeps(),
            [Duration::from_secs(5), Duration::MAX],
            "recorded when first polled"
        );
    }

    #[test]
    fn on_sleep_a_sleep_yields_once_and_moves_the_time_to_its_end() {
        let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
        let start = time.now();
        let mut wait = sleep.sleep(Duration::from_millis(250));
        assert!(poll_once(&mut wait).is_pending());
        assert!(poll_once(&mut wait).is_ready());
        assert_eq!(time.now() - start, Duration::from_millis(250));
        let mut endless = sleep.sleep(Duration::MAX);
        assert!(poll_once(&mut endless).is_pending());
        assert!(poll_once(&mut endless).is_ready());
        assert_eq!(sleep.jitter(), 1.0);
    }
}
