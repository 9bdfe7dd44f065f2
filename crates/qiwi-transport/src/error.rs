use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use qiwi_types::InvalidValue;

use crate::excerpt;
use crate::scrub::{Scrub, Scrubber};

/// What can go wrong with a request, split by how far it got: the one error every client
/// returns, with the family's own facts about a refusal in `D` (see [`Detail`]).
///
/// A caller can handle an error of any family with one `match` on the variants and on
/// [`Error::kind`], and ask [`Error::write_fate`] what happened to a write.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error<D = ()> {
    /// The request was never sent: the caller's input or the configuration is wrong.
    NotSent(NotSentError),
    /// The request may have been sent, but no complete answer came back.
    Transport(TransportError),
    /// The service answered, and its status or its body said no.
    Service(Box<Refusal<D>>),
    /// The service answered, but the answer could not be understood.
    Decode(DecodeError),
}

/// What happened to a write (a payment, a payout) that ended in an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WriteFate {
    /// Its effect certainly did not happen: it was never sent, no connection was made, or
    /// the service refused it in a way that says so.
    NotMoved,
    /// It may or may not have taken effect (a timeout or reset after sending, a server
    /// error, an answer that could not be read): find out before doing it again.
    Unknown,
}

/// What a refusal means for the caller, the same for every family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefusalKind {
    /// The credentials (token, password, signature) were refused.
    Authentication,
    /// The credentials are valid but do not allow this call.
    Permission {
        /// The permission the call needs, when known.
        scope: Option<&'static str>,
    },
    /// What the call named (a wallet, an operation, the path itself) does not exist.
    NotFound,
    /// The request conflicts with the state of what it names.
    Conflict,
    /// Too many requests, or the service is busy: call again after the wait.
    RateLimited {
        /// How long to wait, when the service or the protocol says.
        retry_after: Option<Duration>,
    },
    /// The request's data or format was refused.
    Validation,
    /// The service failed.
    Server,
    /// The protocol refused the request (a result code in an answer's body).
    Rejected,
    /// Any other error answer.
    Other,
}

impl RefusalKind {
    /// The common reading of an HTTP error status; families refine it.
    ///
    /// ```
    /// use qiwi_transport::{RefusalKind, StatusCode};
    /// assert_eq!(RefusalKind::of_status(StatusCode::UNAUTHORIZED, None), RefusalKind::Authentication);
    /// assert_eq!(RefusalKind::of_status(StatusCode::BAD_GATEWAY, None), RefusalKind::Server);
    /// ```
    pub fn of_status(status: StatusCode, retry_after: Option<Duration>) -> Self {
        match status.as_u16() {
            401 => Self::Authentication,
            403 => Self::Permission { scope: None },
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited { retry_after },
            400 | 413 | 422 => Self::Validation,
            500..=599 => Self::Server,
            _ => Self::Other,
        }
    }
}

/// An answer that said no: what it means ([`RefusalKind`]), the answer itself and the
/// family's facts about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal<D> {
    /// What the refusal means for the caller.
    pub kind: RefusalKind,
    /// The answer: status, vendor code and message, trace id, raw body.
    pub answer: ServiceError,
    /// The family's facts (result code, error entries, the permission asked for).
    pub detail: D,
}

impl<D> Refusal<D> {
    /// A refusal of `kind` with the family's `detail`.
    pub fn new(kind: RefusalKind, answer: ServiceError, detail: D) -> Self {
        Self {
            kind,
            answer,
            detail,
        }
    }
}

/// A family's facts about a refusal, and how they change its message and its write fate.
pub trait Detail: fmt::Debug + Scrub + Sized {
    /// Writes what happened and what the caller can do, quoting the service's explanation.
    fn describe(refusal: &Refusal<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// What happened to a write refused this way, when the family knows better than the
    /// status (a result code in the body); `None` keeps the common rule of
    /// [`Error::write_fate`].
    fn write_fate(refusal: &Refusal<Self>) -> Option<WriteFate> {
        let _ = refusal;
        None
    }

    /// Writes the message of an answer that could not be read.
    fn describe_decode(error: &DecodeError, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(error, f)
    }
}

/// No family facts: the executor's own error, before a client reads the vendor's body.
impl Detail for () {
    fn describe(refusal: &Refusal<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&refusal.answer, f)
    }
}

impl<D> Error<D> {
    /// A caller's value that cannot be sent.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::NotSent(NotSentError::InvalidInput(message.into()))
    }

    /// A configuration that cannot work.
    pub fn configuration(message: impl Into<String>) -> Self {
        Self::NotSent(NotSentError::Configuration(message.into()))
    }

    /// The refusal, when the service said no.
    pub fn refusal(&self) -> Option<&Refusal<D>> {
        match self {
            Self::Service(refusal) => Some(refusal),
            _ => None,
        }
    }

    /// What the refusal means, when the service said no.
    pub fn kind(&self) -> Option<RefusalKind> {
        self.refusal().map(|refusal| refusal.kind)
    }

    /// The family's facts about the refusal, when the service said no.
    pub fn detail(&self) -> Option<&D> {
        self.refusal().map(|refusal| &refusal.detail)
    }

    /// How long to wait before calling again, for a [`RefusalKind::RateLimited`] refusal
    /// that says.
    pub fn retry_after(&self) -> Option<Duration> {
        match self.kind()? {
            RefusalKind::RateLimited { retry_after } => retry_after,
            _ => None,
        }
    }

    /// The trace or request id the service gave (in its body or a header), for support.
    pub fn trace_id(&self) -> Option<&str> {
        self.refusal()?.answer.trace_id.as_deref()
    }

    /// Whether nothing left the machine: bad input, configuration, or no attempt got a
    /// connection.
    pub fn is_not_sent(&self) -> bool {
        match self {
            Self::NotSent(_) => true,
            Self::Transport(error) => !error.may_have_been_sent(),
            _ => false,
        }
    }

    /// Turns the executor's refusal into a family's, keeping every other variant.
    pub fn refine<E>(self, refusal: impl FnOnce(ServiceError) -> Refusal<E>) -> Error<E> {
        match self {
            Self::NotSent(e) => Error::NotSent(e),
            Self::Transport(e) => Error::Transport(e),
            Self::Service(r) => Error::Service(Box::new(refusal(r.answer))),
            Self::Decode(e) => Error::Decode(e),
        }
    }
}

impl<D: Detail> Error<D> {
    /// What happened to the request's effect, the one answer for every family: not moved
    /// when nothing was sent or a 4xx refused it, unknown after a timeout or reset once
    /// sent, a 5xx or an unreadable answer; the family's detail refines a refusal.
    pub fn write_fate(&self) -> WriteFate {
        match self {
            _ if self.is_not_sent() => WriteFate::NotMoved,
            Self::Service(refusal) => {
                D::write_fate(refusal).unwrap_or(if refusal.answer.status.is_client_error() {
                    WriteFate::NotMoved
                } else {
                    WriteFate::Unknown
                })
            }
            _ => WriteFate::Unknown,
        }
    }
}

impl<D: Detail> fmt::Display for Error<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSent(e) => fmt::Display::fmt(e, f),
            Self::Transport(e) => fmt::Display::fmt(e, f),
            Self::Service(refusal) => D::describe(refusal, f),
            Self::Decode(e) => D::describe_decode(e, f),
        }
    }
}

impl<D: Detail> std::error::Error for Error<D> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl<D> From<NotSentError> for Error<D> {
    fn from(error: NotSentError) -> Self {
        Self::NotSent(error)
    }
}

impl<D> From<TransportError> for Error<D> {
    fn from(error: TransportError) -> Self {
        Self::Transport(error)
    }
}

impl<D> From<DecodeError> for Error<D> {
    fn from(error: DecodeError) -> Self {
        Self::Decode(error)
    }
}

impl<D> From<InvalidValue> for Error<D> {
    fn from(error: InvalidValue) -> Self {
        Self::invalid_input(error.to_string())
    }
}

impl From<ServiceError> for Error {
    fn from(answer: ServiceError) -> Self {
        let kind = RefusalKind::of_status(answer.status, answer.retry_after);
        Self::Service(Box::new(Refusal::new(kind, answer, ())))
    }
}

/// Why a request was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotSentError {
    /// A value given by the caller is not acceptable; nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(String),
    /// The client is not configured in a way that can work; nothing was sent.
    #[error("configuration error, nothing was sent: {0}")]
    Configuration(String),
}

/// What kind of failure kept an answer from arriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake). Nothing was sent.
    Connect,
    /// No complete answer within the per-attempt or total time limit.
    Timeout,
    /// The connection closed or reset before the answer was complete.
    Reset,
    /// The answer's body was larger than the configured limit.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Anything else at the HTTP or I/O level.
    Other,
}

impl TransportErrorKind {
    fn describe(self, host: Option<&str>) -> String {
        let at = |preposition: &str| host.map_or(String::new(), |h| format!(" {preposition} {h}"));
        match self {
            Self::Connect => format!("could not connect{}", at("to")),
            Self::Timeout => format!("timed out{}", at("waiting for")),
            Self::Reset => format!(
                "the connection{} was closed before the answer was complete",
                at("to")
            ),
            Self::BodyTooLarge { limit } => format!(
                "the answer{} was larger than the size limit of {limit} bytes",
                at("from")
            ),
            Self::Other => format!("the request{} failed", at("to")),
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Self::Connect => "check the URL, the network and any proxy",
            Self::Timeout => {
                "the service may be slow or unreachable; try again or raise the timeout"
            }
            Self::Reset => "try again; a write may or may not have taken effect",
            Self::BodyTooLarge { .. } => "raise the response size limit if this answer is expected",
            Self::Other => "try again",
        }
    }
}

/// No complete answer arrived.
#[derive(Debug, Clone, thiserror::Error)]
pub struct TransportError {
    kind: TransportErrorKind,
    detail: String,
    attempts: u32,
    sent: bool,
    host: Option<String>,
    #[source]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A failure of the given kind with a detail message.
    pub fn new(kind: TransportErrorKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
            attempts: 1,
            sent: kind != TransportErrorKind::Connect,
            host: None,
            source: None,
        }
    }

    /// Names the host (and port, when the URL gives one) that could not be reached.
    pub(crate) fn with_host(mut self, url: &url::Url) -> Self {
        self.host = url.host_str().map(|host| match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        });
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    pub(crate) fn with_sent(mut self, sent: bool) -> Self {
        self.sent = sent;
        self
    }

    /// Whether the request may have reached the server: `false` only when no attempt got a
    /// connection, so nothing was sent (a payment was certainly not made).
    pub fn may_have_been_sent(&self) -> bool {
        self.sent
    }

    /// What kind of failure this was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts were made in all.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The detail message.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The host the request went to (`edge.qiwi.com`, `127.0.0.1:8080`), when known.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.describe(self.host.as_deref()))?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        write!(f, "; {}", self.kind.advice())
    }
}

/// The service answered with an error.
///
/// The transport fills in the status, the raw body and the ids found in headers; a client that
/// understands the vendor's error body adds the vendor code, message and trace id.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The vendor's error code, when the body carried one.
    pub code: Option<String>,
    /// The vendor's human-readable message, when the body carried one.
    pub message: Option<String>,
    /// The vendor's trace or request id, for support requests.
    pub trace_id: Option<String>,
    /// How long the service asked to wait (`Retry-After`), when it said, at most
    /// [`MAX_RETRY_AFTER`](crate::retry::MAX_RETRY_AFTER).
    pub retry_after: Option<Duration>,
    /// How many attempts were made in all.
    pub attempts: u32,
    /// The raw body, kept whatever its format (JSON, XML, an HTML error page).
    pub body: Bytes,
}

impl ServiceError {
    /// An error answer with only a status and a body.
    pub fn new(status: StatusCode, body: Bytes) -> Self {
        Self {
            status,
            code: None,
            message: None,
            trace_id: None,
            retry_after: None,
            attempts: 1,
            body,
        }
    }

    /// The vendor's message and code as messages quote them, bounded: `": message (code)"`,
    /// `": code"`, `": message"`, or nothing.
    pub fn explanation(&self) -> String {
        let (code, message) = (self.code.as_deref(), self.message.as_deref());
        match (code.map(excerpt), message.map(excerpt)) {
            (Some(code), Some(message)) => format!(": {message} ({code})"),
            (Some(text), None) | (None, Some(text)) => format!(": {text}"),
            (None, None) => String::new(),
        }
    }

    /// The body as text (lossy), for display and diagnostics.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("trace_id", &self.trace_id)
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .field("body", &self.body_text())
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the service answered {}{}",
            self.status,
            self.explanation()
        )?;
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace id {trace}]")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {} s", wait.as_secs())?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// The answer arrived but could not be decoded into the expected type.
///
/// `Display` quotes at most an excerpt of the path and the message (see [`excerpt`]): a
/// decoder's complaint may quote a whole offending value.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "could not decode the {format} answer (status {status}) at `{}`: {}",
    excerpt(path),
    excerpt(message)
)]
pub struct DecodeError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// `JSON` or `XML`.
    pub format: &'static str,
    /// The path of the field that failed (`accounts[0].balance.amount`), `.` for the whole.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The raw body.
    pub body: Bytes,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("format", &self.format)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl<D: Scrub> Scrub for Error<D> {
    fn scrub(&mut self, scrubber: &Scrubber) {
        match self {
            Error::NotSent(e) => e.scrub(scrubber),
            Error::Transport(e) => e.scrub(scrubber),
            Error::Service(refusal) => {
                refusal.answer.scrub(scrubber);
                refusal.detail.scrub(scrubber);
            }
            Error::Decode(e) => e.scrub(scrubber),
        }
    }
}

impl Scrub for NotSentError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        match self {
            NotSentError::InvalidInput(message) | NotSentError::Configuration(message) => {
                message.scrub(scrubber);
            }
        }
    }
}

impl Scrub for TransportError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        self.detail.scrub(scrubber);
        self.host.scrub(scrubber);
        // The source cannot be edited in place; when what it shows (a URL with its query, an
        // echoed value) holds a secret, it is replaced by its scrubbed text.
        let Some(source) = &self.source else { return };
        let mut text = source.to_string();
        let mut next = source.source();
        while let Some(cause) = next {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            next = cause.source();
        }
        if let std::borrow::Cow::Owned(clean) = scrubber.scrub_str(&text) {
            self.source = Some(Arc::new(ScrubbedSource(clean)));
        }
    }
}

/// The text of an underlying error, with the secrets it showed cut out.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct ScrubbedSource(String);

impl Scrub for ServiceError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        self.code.scrub(scrubber);
        self.message.scrub(scrubber);
        self.trace_id.scrub(scrubber);
        self.body.scrub(scrubber);
    }
}

impl DecodeError {
    /// Replaces the body and the decoder's message (which may quote a value of it) by
    /// [`REDACTED`](crate::scrub::REDACTED), keeping the status and the failing field's path:
    /// for an answer that may carry a secret the client could not read, so cannot cut out.
    pub fn withhold(&mut self) {
        self.body = Bytes::from_static(crate::scrub::REDACTED.as_bytes());
        crate::scrub::REDACTED.clone_into(&mut self.message);
    }
}

impl Scrub for DecodeError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        self.path.scrub(scrubber);
        self.message.scrub(scrubber);
        self.body.scrub(scrubber);
    }
}
