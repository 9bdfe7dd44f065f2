#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod source;
mod store;

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use qiwi_wallet::webhook::{Verified, WebhookVerifier};
use tokio::sync::Semaphore;
use tower_service::Service;

pub use qiwi_wallet::webhook;
pub use source::QIWI_SOURCE_RANGES;
pub use store::{Claim, DeliveryStore, MemoryStore};

/// What a handler returns when it could not handle a notification: the service resends it.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The caller's code, run once per notification.
#[async_trait::async_trait]
pub trait NotificationHandler: Send + Sync + 'static {
    /// Handles one verified notification; an error makes the service resend it.
    async fn handle(&self, notification: Verified) -> Result<(), HandlerError>;
}

#[async_trait::async_trait]
impl<F, Fut> NotificationHandler for F
where
    F: Fn(Verified) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
{
    async fn handle(&self, notification: Verified) -> Result<(), HandlerError> {
        self(notification).await
    }
}

/// The service wants an answer within 1 to 2 seconds; a handler still running at this limit is
/// stopped and the notification answered with 503, so that it is sent again.
pub const DEFAULT_HANDLER_DEADLINE: Duration = Duration::from_millis(1500);
/// A notification is well under a kilobyte; bigger bodies are refused with 413.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024;
/// How many `messageId`s the default store remembers.
pub const DEFAULT_REMEMBERED: usize = 10_000;
/// How long [`Receiver::serve`] waits for a request head (an idle keep-alive connection
/// included) before it closes the connection.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections [`Receiver::serve`] keeps open at once; more are closed on accept.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// The longest [`ReceiverBuilder::header_timeout`]: a longer one is this (a year).
pub const MAX_HEADER_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// When the service gets its `200`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Acknowledge {
    /// After the handler succeeded within the deadline (the default): a failed or slow handler
    /// gets a non-200 answer and the service sends the notification again (after 10 minutes,
    /// then an hour).
    #[default]
    AfterHandling,
    /// At once, the handler running afterwards. **Notifications can then be lost**: a handler
    /// that fails, or a process that stops, is not retried by anyone.
    First,
}

/// Builds a [`Receiver`].
pub struct ReceiverBuilder {
    verifier: WebhookVerifier,
    handler: Arc<dyn NotificationHandler>,
    store: Arc<dyn DeliveryStore>,
    deadline: Duration,
    body_limit: usize,
    acknowledge: Acknowledge,
    trusted_proxies: Option<Vec<IpAddr>>,
    header_timeout: Duration,
    max_connections: usize,
}

impl std::fmt::Debug for ReceiverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverBuilder")
            .field("verifier", &self.verifier)
            .field("deadline", &self.deadline)
            .field("body_limit", &self.body_limit)
            .field("acknowledge", &self.acknowledge)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("header_timeout", &self.header_timeout)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

impl ReceiverBuilder {
    /// How long the handler may run before the notification is answered with 503
    /// ([`DEFAULT_HANDLER_DEADLINE`]).
    pub fn handler_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The largest body read ([`DEFAULT_BODY_LIMIT`]); a bigger one gets 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Where the `messageId`s already handled are kept ([`MemoryStore`] by default, which
    /// forgets them when the process stops).
    pub fn store(mut self, store: impl DeliveryStore) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// When to answer `200`; see [`Acknowledge::First`] for what it costs.
    pub fn acknowledge(mut self, acknowledge: Acknowledge) -> Self {
        self.acknowledge = acknowledge;
        self
    }

    /// Accept notifications only from the service's documented address ranges
    /// ([`QIWI_SOURCE_RANGES`]). Behind a reverse proxy, name it in `trusted_proxies`: a request
    /// from one of them is judged by the last address of its `X-Forwarded-For`. The router
    /// must be served with `into_make_service_with_connect_info::<SocketAddr>()`; without the
    /// peer address every notification is refused.
    pub fn check_source(mut self, trusted_proxies: impl IntoIterator<Item = IpAddr>) -> Self {
        self.trusted_proxies = Some(trusted_proxies.into_iter().collect());
        self
    }

    /// How long [`Receiver::serve`] waits for each request head, an idle keep-alive
    /// connection included, before closing the connection ([`DEFAULT_HEADER_TIMEOUT`]); a
    /// longer time than [`MAX_HEADER_TIMEOUT`] is that.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        // The HTTP server adds it to the clock at every request head: it must not overflow.
        self.header_timeout = timeout.min(MAX_HEADER_TIMEOUT);
        self
    }

    /// How many connections [`Receiver::serve`] keeps open at once
    /// ([`DEFAULT_MAX_CONNECTIONS`], at most [`Semaphore::MAX_PERMITS`]); one more is closed
    /// as soon as it is accepted.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.min(Semaphore::MAX_PERMITS);
        self
    }

    /// The receiver.
    pub fn build(self) -> Receiver {
        Receiver {
            inner: Arc::new(self),
        }
    }
}

/// Receives notifications: checks the source (when asked), caps the body, verifies the
/// signature, drops repeats by `messageId`, runs the handler and answers.
///
/// | situation | answer |
/// |---|---|
/// | handled within the deadline, or a repeat of a handled `messageId` | 200 |
/// | refused signature or malformed body | 400 |
/// | source address outside the ranges | 403 |
/// | the body not received within the handler deadline | 408 |
/// | the same `messageId` being handled right now | 409 |
/// | body over the limit | 413 |
/// | the handler failed or panicked | 500 |
/// | the handler ran past the deadline (it is stopped) | 503 |
#[derive(Debug, Clone)]
pub struct Receiver {
    inner: Arc<ReceiverBuilder>,
}

impl Receiver {
    /// A receiver checking with `verifier` and handing notifications to `handler`.
    pub fn builder(
        verifier: WebhookVerifier,
        handler: impl NotificationHandler,
    ) -> ReceiverBuilder {
        ReceiverBuilder {
            verifier,
            handler: Arc::new(handler),
            store: Arc::new(MemoryStore::new(DEFAULT_REMEMBERED)),
            deadline: DEFAULT_HANDLER_DEADLINE,
            body_limit: DEFAULT_BODY_LIMIT,
            acknowledge: Acknowledge::default(),
            trusted_proxies: None,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }

    /// A router answering `POST path`, to merge into the application's.
    pub fn router(&self, path: &str) -> Router {
        Router::new()
            .route(path, post(receive))
            .with_state(self.clone())
    }

    /// Serves `POST path` on `listener` until the task is dropped, with each connection's peer
    /// address known (for [`ReceiverBuilder::check_source`]): for a program that needs nothing
    /// but the receiver. A body is read within the handler's deadline, a request head within
    /// [`ReceiverBuilder::header_timeout`], and at most
    /// [`ReceiverBuilder::max_connections`] connections are open at once, so that a peer that
    /// sends slowly or opens many connections cannot hold the receiver. The cap is shared by
    /// every peer and taken before the source check, so on an address the internet reaches,
    /// let only the service's ranges ([`QIWI_SOURCE_RANGES`]) or the proxy through a firewall.
    /// A server of the application's own can mount [`router`](Self::router) instead.
    ///
    /// # Errors
    /// None so far: an accept that fails (too many open files, say) is retried after a pause.
    pub async fn serve(
        &self,
        mut listener: tokio::net::TcpListener,
        path: &str,
    ) -> std::io::Result<()> {
        let app = self.router(path);
        let slots = Arc::new(Semaphore::new(self.inner.max_connections));
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.inner.header_timeout);
        loop {
            let (stream, peer) = Listener::accept(&mut listener).await;
            // Beyond the cap the socket is dropped, which closes it.
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                tracing::warn!(%peer, "webhook connection closed: too many open connections");
                continue;
            };
            let app = app.clone();
            let service = service_fn(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().call(request)
            });
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::debug!(%peer, %error, "webhook connection ended");
                }
                drop(slot);
            });
        }
    }
}

async fn receive(State(receiver): State<Receiver>, request: Request) -> Response {
    let this = &receiver.inner;
    if let Some(proxies) = &this.trusted_proxies {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        if !source::allowed(peer, request.headers(), proxies) {
            return answer(StatusCode::FORBIDDEN, "source address not allowed");
        }
    }
    // A body trickled in (or never sent) would hold the connection open: it gets the
    // handler's deadline too.
    let body = match tokio::time::timeout(
        this.deadline,
        to_bytes(request.into_body(), this.body_limit),
    )
    .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return answer(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
        Err(_) => return answer(StatusCode::REQUEST_TIMEOUT, "body too slow"),
    };
    let notification = match this.verifier.verify(&body) {
        Ok(notification) => notification,
        Err(refusal) => {
            tracing::warn!(%refusal, "notification refused");
            return answer(StatusCode::BAD_REQUEST, "notification refused");
        }
    };
    let message_id = notification.message_id().map(str::to_owned);
    if let Some(id) = &message_id {
        match this.store.claim(id).await {
            Claim::New => {}
            Claim::Handled => return answer(StatusCode::OK, "already handled"),
            Claim::InProgress => return answer(StatusCode::CONFLICT, "being handled"),
        }
    }
    // The handling runs in a task of its own, which records its end in the store whatever
    // becomes of this request: a sender that hangs up, or a handler that panics, must not
    // leave the `messageId` taken for ever.
    let handling = tokio::spawn(handle(receiver.clone(), notification, message_id));
    match this.acknowledge {
        Acknowledge::First => answer(StatusCode::OK, "accepted"),
        Acknowledge::AfterHandling => match handling.await {
            Ok(Handled::Done) => answer(StatusCode::OK, "handled"),
            Ok(Handled::Failed) => answer(StatusCode::INTERNAL_SERVER_ERROR, "handler failed"),
            Ok(Handled::TooSlow) => answer(StatusCode::SERVICE_UNAVAILABLE, "handler too slow"),
            Err(_) => answer(StatusCode::INTERNAL_SERVER_ERROR, "handler failed"),
        },
    }
}

/// How a handling ended.
enum Handled {
    Done,
    Failed,
    TooSlow,
}

/// Runs the handler (within the deadline, unless acknowledged first) and records its end.
async fn handle(receiver: Receiver, notification: Verified, message_id: Option<String>) -> Handled {
    let this = &receiver.inner;
    let handler = this.handler.clone();
    // A panic in the handler ends this inner task only, and counts as a failure.
    let mut run = tokio::spawn(async move { handler.handle(notification).await });
    let outcome = match this.acknowledge {
        Acknowledge::First => Ok((&mut run).await),
        Acknowledge::AfterHandling => tokio::time::timeout(this.deadline, &mut run).await,
    };
    let handled = match outcome {
        Ok(Ok(Ok(()))) => Handled::Done,
        Ok(Ok(Err(error))) => {
            match this.acknowledge {
                Acknowledge::First => {
                    tracing::error!(%error, "notification acknowledged, then not handled: lost");
                }
                Acknowledge::AfterHandling => {
                    tracing::warn!(%error, "notification not handled; the service will resend it");
                }
            }
            Handled::Failed
        }
        Ok(Err(_)) => {
            tracing::error!("notification handler panicked");
            Handled::Failed
        }
        Err(_) => {
            run.abort();
            tracing::warn!("notification handler ran past its deadline; stopped");
            Handled::TooSlow
        }
    };
    finish(
        this,
        message_id.as_deref(),
        matches!(handled, Handled::Done),
    )
    .await;
    handled
}

async fn finish(this: &ReceiverBuilder, message_id: Option<&str>, handled: bool) {
    if let Some(id) = message_id {
        this.store.finish(id, handled).await;
    }
}

fn answer(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}
