use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use crate::excerpt;
use crate::scrub::{Scrub, Scrubber};

/// What can go wrong with a request, split by how far it got.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was never sent: the caller's input or the configuration is wrong.
    #[error(transparent)]
    NotSent(#[from] NotSentError),
    /// The request may have been sent, but no complete answer came back.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The service answered with an error status.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The service answered, but the answer could not be understood.
    #[error(transparent)]
    Decode(#[from] DecodeError),
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
        write!(f, "the service answered {}", self.status)?;
        let (code, message) = (self.code.as_deref(), self.message.as_deref());
        match (code.map(excerpt), message.map(excerpt)) {
            (Some(code), Some(message)) => write!(f, ": {message} ({code})")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) => {}
        }
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

impl Scrub for Error {
    fn scrub(&mut self, scrubber: &Scrubber) {
        match self {
            Error::NotSent(e) => e.scrub(scrubber),
            Error::Transport(e) => e.scrub(scrubber),
            Error::Service(e) => e.scrub(scrubber),
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

impl Scrub for DecodeError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        self.path.scrub(scrubber);
        self.message.scrub(scrubber);
        self.body.scrub(scrubber);
    }
}
