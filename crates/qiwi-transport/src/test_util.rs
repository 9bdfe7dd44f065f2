//! Test doubles: a scripted transport that records what it was sent, a recording wrapper for
//! any transport, a transport that never answers, and a clock that does not wait; and, in
//! [`echo`], what a server that reflects the request shows.

pub mod echo;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::StatusCode;

use crate::clock::Clock;
use crate::{Request, Response, Transport, TransportError, TransportErrorKind};

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

/// Answers from a script, in order, and records every request. Past the end of the script it
/// fails with a connect error, so a test sees an unexpected extra request.
#[derive(Debug, Clone, Default)]
pub struct ScriptedTransport {
    script: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl ScriptedTransport {
    /// A transport that gives these answers in order.
    pub fn new(script: impl IntoIterator<Item = Reply>) -> Self {
        Self {
            script: Arc::new(Mutex::new(script.into_iter().collect())),
            requests: Arc::default(),
        }
    }

    /// Appends an answer to the script.
    pub fn push(&self, reply: Reply) {
        lock(&self.script).push_back(reply);
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.requests).clone()
    }

    /// How many requests were received.
    pub fn count(&self) -> usize {
        lock(&self.requests).len()
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        lock(&self.requests).push(request);
        match lock(&self.script).pop_front() {
            Some(Reply::Respond(response)) => Ok(response),
            Some(Reply::Fail(kind)) => Err(TransportError::new(kind, "scripted failure")),
            None => Err(TransportError::new(
                TransportErrorKind::Connect,
                "the script has no answer for this request",
            )),
        }
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

/// A clock whose `sleep` returns at once and moves its time forward; it records every wait
/// and gives a fixed jitter sample.
///
/// Use it with in-memory transports ([`ScriptedTransport`], [`NeverRespond`]). The executor races
/// each attempt against `sleep(attempt limit)`, which this clock finishes at once, so an answer
/// that is not ready on the first poll (any real socket) counts as a timeout: tests over loopback
/// use the system clock with millisecond backoffs instead.
#[derive(Debug, Clone)]
pub struct ManualClock {
    state: Arc<Mutex<(SystemTime, Vec<Duration>)>>,
    jitter: f64,
}

impl ManualClock {
    /// A clock at a fixed start time, with jitter `1.0` (the full backoff ceiling).
    pub fn new() -> Self {
        Self::with_jitter(1.0)
    }

    /// A clock whose jitter sample is always `jitter`.
    pub fn with_jitter(jitter: f64) -> Self {
        Self {
            state: Arc::new(Mutex::new((
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
                Vec::new(),
            ))),
            jitter,
        }
    }

    /// Moves the clock forward without recording a wait.
    pub fn advance(&self, by: Duration) {
        forward(&mut lock(&self.state).0, by);
    }

    /// Every wait requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        lock(&self.state).1.clone()
    }
}

/// Moves `now` forward by `by`; a time past what `SystemTime` can hold leaves it where it is.
fn forward(now: &mut SystemTime, by: Duration) {
    if let Some(later) = now.checked_add(by) {
        *now = later;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        lock(&self.state).0
    }

    async fn sleep(&self, duration: Duration) {
        {
            let mut state = lock(&self.state);
            forward(&mut state.0, duration);
            state.1.push(duration);
        }
        tokio::task::yield_now().await;
    }

    fn jitter(&self) -> f64 {
        self.jitter
    }
}
