//! What can go wrong, split by what happened and what the caller can do.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use qiwi_transport::{DecodeError, NotSentError, Scrub, Scrubber, ServiceError, TransportError};

use qiwi_types::InvalidValue;
use qiwi_types::agent::{RequestCode, RequestResult};

/// A service answer that is an error: the request-level result when the body carried one, and
/// the raw answer (status, body, trace id) for support requests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// The `<result-code>` of the answer, when it had one.
    pub result: Option<RequestResult>,
    /// The raw answer. For a protocol error the HTTP status is `200`: this protocol reports
    /// errors in the XML body.
    pub service: ServiceError,
}

impl Failure {
    pub(crate) fn from_result(result: RequestResult, status: StatusCode, body: Bytes) -> Self {
        let mut service = ServiceError::new(status, body);
        service.code = Some(result.code.code().to_string());
        service.message = result.message.clone();
        Self {
            result: Some(result),
            service,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.service.status;
        match &self.result {
            Some(result) if status == StatusCode::OK => write!(f, "{result}")?,
            Some(result) => write!(f, "HTTP status {status}, {result}")?,
            None => write!(f, "HTTP status {status}")?,
        }
        if let Some(trace) = &self.service.trace_id {
            write!(f, " [trace id {trace}]")?;
        }
        if self.service.attempts > 1 {
            write!(f, " (after {} attempts)", self.service.attempts)?;
        }
        Ok(())
    }
}

/// Everything that can go wrong with a request to the agent protocol.
///
/// A request-level error never says anything about a payment's fate: after any error for which
/// [`Error::is_not_sent`] is false, a payment may or may not exist. Check its status (or send
/// the same `pay` again: it is idempotent); never treat it as failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given by the caller cannot be sent; nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(String),
    /// The client is not configured in a way that can work; nothing was sent.
    #[error("configuration error, nothing was sent: {0}")]
    Configuration(String),
    /// No complete answer arrived (connect, timeout, reset, body too large).
    #[error("{0}")]
    Transport(#[source] TransportError),
    /// The terminal id, password or signature was refused (result code `150`, HTTP 401).
    #[error(
        "authentication failed ({0}); check the terminal id and the password (or signing key), then try again"
    )]
    Authentication(Box<Failure>),
    /// The request was refused for where it came from (result code `339`, HTTP 403).
    #[error(
        "the request was refused ({0}); QIWI accepts requests from allowed IP addresses only: ask QIWI support (bss@qiwi.com)"
    )]
    Permission(Box<Failure>),
    /// The server is busy (result code `13`, HTTP 429): repeat after `retry_after`.
    #[error("the server is busy ({failure}); repeat the request in {} s", retry_after.as_secs())]
    RateLimited {
        /// How long to wait: what the server or the protocol asks for.
        retry_after: Duration,
        /// The answer.
        failure: Box<Failure>,
    },
    /// The server could not process the request (result code `300`, HTTP 5xx); repeat later.
    #[error(
        "the server could not process the request ({0}); repeat it later (for a payment, check its status: it is not failed)"
    )]
    Server(Box<Failure>),
    /// Any other error answer (unknown result codes, other HTTP statuses).
    #[error("the server refused the request ({0}); {advice}", advice = advice(.0))]
    Rejected(Box<Failure>),
    /// The answer could not be understood.
    #[error("{0}; if this was a payment, its fate is unknown: check its status")]
    Decode(#[source] DecodeError),
}

fn advice(failure: &Failure) -> &'static str {
    match &failure.result {
        Some(result) if result.is_fatal() => {
            "the error is fatal: the same request will fail the same way until the configuration is fixed; ask QIWI support (bss@qiwi.com)"
        }
        Some(_) => "repeat the request later",
        None => "check the endpoint URL",
    }
}

impl Error {
    /// The error for a non-zero request-level result code in an answer with this status.
    pub(crate) fn from_result(result: RequestResult, status: StatusCode, body: Bytes) -> Self {
        let code = result.code;
        Self::by_code(code, Box::new(Failure::from_result(result, status, body)))
    }

    fn by_code(code: RequestCode, failure: Box<Failure>) -> Self {
        match code {
            RequestCode::AuthorizationError => Error::Authentication(failure),
            RequestCode::IpRestricted => Error::Permission(failure),
            RequestCode::RetryLater => Error::RateLimited {
                retry_after: code.retry_after().unwrap_or(Duration::from_secs(60)),
                failure,
            },
            RequestCode::UnknownError => Error::Server(failure),
            _ => Error::Rejected(failure),
        }
    }

    /// The error for a non-2xx answer: the status decides, then the body's result code when
    /// the body was an agent-protocol document.
    pub(crate) fn from_service(mut service: ServiceError) -> Self {
        let result = crate::wire::request_result_in(&service.body);
        if let Some(result) = &result {
            service.code = Some(result.code.code().to_string());
            service.message = result.message.clone();
        }
        let status = service.status;
        let retry_after = service.retry_after;
        let code = result.as_ref().map(|r| r.code);
        let failure = Box::new(Failure { result, service });
        match (status.as_u16(), code) {
            (401, _) => Error::Authentication(failure),
            (403, _) => Error::Permission(failure),
            (429, _) => Error::RateLimited {
                retry_after: retry_after.unwrap_or(Duration::from_secs(60)),
                failure,
            },
            (500..=599, _) => Error::Server(failure),
            (_, Some(code)) if !code.is_ok() => Self::by_code(code, failure),
            _ => Error::Rejected(failure),
        }
    }

    /// The service's error answer, for every variant that had one.
    ///
    /// ```
    /// let error = qiwi_agent::wire::decode_ping(
    ///     br#"<response><result-code fatal="true">150</result-code></response>"#,
    /// ).unwrap_err();
    /// assert_eq!(error.failure().unwrap().service.code.as_deref(), Some("150"));
    /// ```
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Error::Authentication(f)
            | Error::Permission(f)
            | Error::Server(f)
            | Error::Rejected(f)
            | Error::RateLimited { failure: f, .. } => Some(f),
            _ => None,
        }
    }

    /// The request-level result code of the answer, when it had one.
    ///
    /// ```
    /// use qiwi_agent::RequestCode;
    /// let error = qiwi_agent::wire::decode_ping(
    ///     br#"<response><result-code fatal="false">300</result-code></response>"#,
    /// ).unwrap_err();
    /// assert_eq!(error.request_result().unwrap().code, RequestCode::UnknownError);
    /// ```
    pub fn request_result(&self) -> Option<&RequestResult> {
        self.failure().and_then(|f| f.result.as_ref())
    }

    /// Whether the request was never sent: bad input, configuration, or no attempt got a
    /// connection (refused, unreachable). A payment was then certainly not made.
    ///
    /// ```
    /// let error = qiwi_agent::Error::InvalidInput("x".into());
    /// assert!(error.is_not_sent());
    /// ```
    pub fn is_not_sent(&self) -> bool {
        match self {
            Error::InvalidInput(_) | Error::Configuration(_) => true,
            Error::Transport(e) => !e.may_have_been_sent(),
            _ => false,
        }
    }

    /// Whether the error is fatal: the same request will fail the same way until something is
    /// changed (credentials, IP allow-list, input). Transport, server and decode errors are not.
    ///
    /// ```
    /// let error = qiwi_agent::wire::decode_ping(
    ///     br#"<response><result-code fatal="true">150</result-code></response>"#,
    /// ).unwrap_err();
    /// assert!(error.is_fatal());
    /// ```
    pub fn is_fatal(&self) -> bool {
        match self {
            Error::InvalidInput(_) | Error::Configuration(_) => true,
            Error::Authentication(_) | Error::Permission(_) => true,
            Error::Rejected(f) => f.result.as_ref().is_some_and(RequestResult::is_fatal),
            Error::RateLimited { failure, .. } | Error::Server(failure) => {
                failure.result.as_ref().is_some_and(RequestResult::is_fatal)
            }
            Error::Transport(_) | Error::Decode(_) => false,
        }
    }
}

impl Scrub for Failure {
    fn scrub(&mut self, scrubber: &Scrubber) {
        if let Some(result) = &mut self.result {
            result.message.scrub(scrubber);
        }
        self.service.scrub(scrubber);
    }
}

impl Scrub for Error {
    fn scrub(&mut self, scrubber: &Scrubber) {
        match self {
            Error::InvalidInput(message) | Error::Configuration(message) => {
                message.scrub(scrubber);
            }
            Error::Transport(e) => e.scrub(scrubber),
            Error::Decode(e) => e.scrub(scrubber),
            Error::Authentication(f)
            | Error::Permission(f)
            | Error::Server(f)
            | Error::Rejected(f)
            | Error::RateLimited { failure: f, .. } => f.scrub(scrubber),
        }
    }
}

impl From<InvalidValue> for Error {
    fn from(value: InvalidValue) -> Self {
        Error::InvalidInput(value.to_string())
    }
}

impl From<NotSentError> for Error {
    fn from(error: NotSentError) -> Self {
        match error {
            NotSentError::InvalidInput(message) => Error::InvalidInput(message),
            NotSentError::Configuration(message) => Error::Configuration(message),
            other => Error::Configuration(other.to_string()),
        }
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(error)
    }
}

impl From<qiwi_transport::Error> for Error {
    fn from(error: qiwi_transport::Error) -> Self {
        match error {
            qiwi_transport::Error::NotSent(e) => e.into(),
            qiwi_transport::Error::Transport(e) => Error::Transport(e),
            qiwi_transport::Error::Service(e) => Error::from_service(e),
            qiwi_transport::Error::Decode(e) => Error::Decode(e),
            other => Error::Configuration(other.to_string()),
        }
    }
}
