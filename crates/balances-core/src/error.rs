//! The client's error type, split by what happened, and the vendor details of an error answer.

use std::fmt;
use std::time::Duration;

use qiwi_transport::{
    DecodeError, NotSentError, Scrub, Scrubber, ServiceError, StatusCode, TransportError, excerpt,
};

use crate::BalancesQuery;
use crate::error_body::ErrorEntry;

/// What went wrong with a call to Treezor.
///
/// Variants say how far the call got: not sent (the input or the configuration is wrong),
/// no complete answer (transport), an error answer (one variant per thing a caller can act on,
/// each keeping the raw answer in its [`ApiError`]), or an answer that could not be decoded.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given by the caller is not acceptable; nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(String),
    /// The client is not configured in a way that can work; nothing was sent.
    #[error("configuration error, nothing was sent: {0}")]
    Configuration(String),
    /// No complete answer arrived (connect failure, timeout, reset, answer too large).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The credentials or the token were refused (401, or the token endpoint refused the
    /// client id and secret). A token that had expired was already renewed once.
    #[error(
        "authentication failed: {0}; check the client id, secret and scope (or the token) for this environment"
    )]
    Authentication(Box<ApiError>),
    /// The token is valid but its scope does not allow this endpoint (403).
    #[error(
        "permission denied: {0}; the token's scope does not allow this endpoint (balances need read_only or read_write)"
    )]
    PermissionDenied(Box<ApiError>),
    /// The wallet, the user or the endpoint does not exist: a 404, or an answer that lists no
    /// balance for the wallet asked for (what Treezor's sandbox answers for an unknown wallet).
    #[error("{}", not_found_text(*.query, .answer.as_deref()))]
    NotFound {
        /// The wallet or user the call asked for, when it named one.
        query: Option<BalancesQuery>,
        /// The 404 answer; `None` when a `200` answer listed no balance for the wallet.
        answer: Option<Box<ApiError>>,
    },
    /// The request was refused as invalid (400, 422, 413); the message says which parameter.
    #[error("the request was refused as invalid: {0}; correct what the message names")]
    Validation(Box<ApiError>),
    /// Too many requests (429).
    #[error("rate limited: {error}; {}", wait_advice(*.retry_after))]
    RateLimited {
        /// How long Treezor asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The answer.
        error: Box<ApiError>,
    },
    /// Treezor failed (5xx) after the retries the policy allows.
    #[error("Treezor had a server error: {0}; try again later")]
    Server(Box<ApiError>),
    /// Any other error answer (405, 409, 501 and the like).
    #[error("Treezor answered with an error: {0}")]
    Service(Box<ApiError>),
    /// The answer arrived but could not be understood.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

fn not_found_text(query: Option<BalancesQuery>, answer: Option<&ApiError>) -> String {
    const CHECK_ID: &str = "check the id and that it belongs to this environment";
    match (query, answer) {
        // A 404 that is not a Treezor error (an HTML page, an empty body): nothing answers at
        // that path, whatever the id.
        (_, Some(answer)) if answer.entries.is_empty() => format!(
            "not found: {answer}, and the answer is not a Treezor error: no API answers at that path; check the base URL"
        ),
        (Some(query), Some(answer)) => {
            format!("not found: {query}: {answer}; {CHECK_ID}, and the base URL")
        }
        (None, Some(answer)) => format!("not found: {answer}; {CHECK_ID}, and the base URL"),
        // The path answered, so only the id can be wrong.
        (Some(query), None) => {
            format!("not found: Treezor listed no balance for {query}; {CHECK_ID}")
        }
        (None, None) => format!("not found; {CHECK_ID}"),
    }
}

fn wait_advice(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!("wait {} s before trying again", wait.as_secs()),
        None => "wait a while before trying again".into(),
    }
}

impl Error {
    /// The error answer behind a service variant: status, vendor code and message, request
    /// id, raw body.
    ///
    /// ```
    /// # fn show(error: &balances_core::Error) {
    /// if let Some(answer) = error.api_error() {
    ///     eprintln!("status {}, request id {:?}", answer.status(), answer.request_id());
    /// }
    /// # }
    /// ```
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::Validation(e)
            | Error::RateLimited { error: e, .. }
            | Error::Server(e)
            | Error::Service(e) => Some(e),
            Error::NotFound { answer, .. } => answer.as_deref(),
            _ => None,
        }
    }

    /// Names what the call asked for in a not-found error.
    pub(crate) fn about(self, asked: BalancesQuery) -> Self {
        match self {
            Error::NotFound { answer, .. } => Error::NotFound {
                query: Some(asked),
                answer,
            },
            other => other,
        }
    }

    /// Maps an executor error for `operation` (`GET /v1/balances`). `token_endpoint` makes a
    /// 400 an authentication failure: that is how an OAuth server refuses credentials.
    pub(crate) fn from_transport(
        error: qiwi_transport::Error,
        operation: &'static str,
        token_endpoint: bool,
    ) -> Self {
        match error {
            qiwi_transport::Error::NotSent(e) => e.into(),
            qiwi_transport::Error::Transport(e) => Error::Transport(e),
            qiwi_transport::Error::Service(e) => {
                Self::from_answer(ApiError::new(operation, e), token_endpoint)
            }
            qiwi_transport::Error::Decode(e) => Error::Decode(e),
            // The transport error is non-exhaustive; a kind added later was at least not a
            // usable answer.
            other => Error::Configuration(other.to_string()),
        }
    }

    fn from_answer(error: ApiError, token_endpoint: bool) -> Self {
        let status = error.status();
        let error = Box::new(error);
        match status.as_u16() {
            400 if token_endpoint => Error::Authentication(error),
            401 => Error::Authentication(error),
            403 => Error::PermissionDenied(error),
            404 => Error::NotFound {
                query: None,
                answer: Some(error),
            },
            400 | 413 | 422 => Error::Validation(error),
            429 => Error::RateLimited {
                retry_after: error.retry_after(),
                error,
            },
            500..=599 => Error::Server(error),
            _ => Error::Service(error),
        }
    }
}

/// An error answer from Treezor: the transport's [`ServiceError`] (status, raw body, attempts,
/// `Retry-After`) with the vendor's code, message and request id filled in from the body, and
/// every error entry the body held.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    operation: &'static str,
    service: ServiceError,
    entries: Vec<ErrorEntry>,
}

impl ApiError {
    /// Reads the vendor body of `service` (any of the shapes [`ErrorEntry::parse_body`]
    /// knows) and fills its code, message and request id.
    pub(crate) fn new(operation: &'static str, mut service: ServiceError) -> Self {
        let entries = ErrorEntry::parse_body(&service.body);
        let first =
            |pick: fn(&ErrorEntry) -> Option<&String>| entries.iter().find_map(pick).cloned();
        service.code = first(|e| e.code.as_ref());
        service.message = first(|e| e.message.as_ref());
        // The body's requestId names the failing request better than a gateway header.
        if let Some(request_id) = first(|e| e.request_id.as_ref()) {
            service.trace_id = Some(request_id);
        }
        Self {
            operation,
            service,
            entries,
        }
    }

    /// The operation that failed, such as `GET /v1/balances`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.service.status
    }

    /// The vendor's code (`resource_not_found_error`, `15030`, `invalid_client`), when given.
    pub fn code(&self) -> Option<&str> {
        self.service.code.as_deref()
    }

    /// The vendor's message, for people (Treezor says it may change without notice).
    pub fn message(&self) -> Option<&str> {
        self.service.message.as_deref()
    }

    /// The request id (`requestId` in the body, else a request-id header), for support.
    pub fn request_id(&self) -> Option<&str> {
        self.service.trace_id.as_deref()
    }

    /// How long Treezor asked to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.service.retry_after
    }

    /// Every error entry the body held, in order; empty for an empty or non-JSON body.
    pub fn entries(&self) -> &[ErrorEntry] {
        &self.entries
    }

    /// The transport's view: status, raw body, attempts.
    pub fn service(&self) -> &ServiceError {
        &self.service
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("service", &self.service)
            .field("entries", &self.entries)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.service.status)?;
        match (self.code().map(excerpt), self.message().map(excerpt)) {
            (Some(code), Some(message)) => write!(f, ": {message} ({code})")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) => {}
        }
        if self.entries.len() > 1 {
            write!(f, " (+{} more)", self.entries.len() - 1)?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " [request id {id}]")?;
        }
        if self.service.attempts > 1 {
            write!(f, " (after {} attempts)", self.service.attempts)?;
        }
        Ok(())
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
            Error::NotFound { answer, .. } => answer.scrub(scrubber),
            Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::Validation(e)
            | Error::RateLimited { error: e, .. }
            | Error::Server(e)
            | Error::Service(e) => e.scrub(scrubber),
        }
    }
}

impl Scrub for ApiError {
    fn scrub(&mut self, scrubber: &Scrubber) {
        self.service.scrub(scrubber);
        for entry in &mut self.entries {
            entry.kind.scrub(scrubber);
            entry.code.scrub(scrubber);
            entry.message.scrub(scrubber);
            entry.doc_url.scrub(scrubber);
            entry.request_id.scrub(scrubber);
            entry.additional_information.scrub(scrubber);
        }
    }
}

impl From<NotSentError> for Error {
    fn from(error: NotSentError) -> Self {
        match error {
            NotSentError::InvalidInput(m) => Error::InvalidInput(m),
            NotSentError::Configuration(m) => Error::Configuration(m),
            // Non-exhaustive: anything new that kept a request from leaving is configuration.
            other => Error::Configuration(other.to_string()),
        }
    }
}

impl From<qiwi_types::InvalidValue> for Error {
    /// The reason already names the value (`the wallet id "12a" must be digits only`).
    fn from(error: qiwi_types::InvalidValue) -> Self {
        Error::InvalidInput(error.reason().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qiwi_transport::Bytes;

    fn answer(status: u16, body: &'static str) -> ServiceError {
        ServiceError::new(
            StatusCode::from_u16(status).unwrap(),
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[test]
    fn statuses_map_to_what_a_caller_can_act_on() {
        let cases: &[(u16, bool, &str)] = &[
            (400, false, "Validation"),
            (400, true, "Authentication"),
            (401, false, "Authentication"),
            (401, true, "Authentication"),
            (403, false, "PermissionDenied"),
            (404, false, "NotFound"),
            (405, false, "Service"),
            (413, false, "Validation"),
            (422, false, "Validation"),
            (429, false, "RateLimited"),
            (500, false, "Server"),
            (500, true, "Server"),
            (501, false, "Server"),
            (522, false, "Server"),
            (409, false, "Service"),
        ];
        for (status, token, expected) in cases {
            let error = Error::from_transport(answer(*status, "").into(), "GET /x", *token);
            let name = format!("{error:?}");
            assert!(name.starts_with(expected), "{status} {token}: {name}");
            assert_eq!(error.api_error().unwrap().status().as_u16(), *status);
        }
    }

    #[test]
    fn display_says_what_happened_and_what_to_do() {
        let mut service = answer(
            404,
            r#"{"errors":[{"type":"invalid_request","code":"resource_not_found_error","message":"Wallet not found","requestId":"r-1"},{"message":"second"}]}"#,
        );
        service.attempts = 2;
        let error = Error::from_transport(service.into(), "GET /v1/balances", false);
        assert_eq!(
            error.to_string(),
            "not found: GET /v1/balances answered 404 Not Found: Wallet not found (resource_not_found_error) (+1 more) [request id r-1] (after 2 attempts); check the id and that it belongs to this environment, and the base URL"
        );
        let mut limited = answer(429, "");
        limited.retry_after = Some(Duration::from_secs(7));
        let error = Error::from_transport(limited.into(), "GET /v1/balances", false);
        assert!(
            matches!(error, Error::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 7)
        );
        assert!(
            error.to_string().ends_with("wait 7 s before trying again"),
            "{error}"
        );
    }

    #[test]
    fn a_request_id_header_is_kept_when_the_body_has_none() {
        let mut service = answer(500, "<html>Bad gateway</html>");
        service.trace_id = Some("hdr-1".into());
        let error = ApiError::new("GET /v1/balances", service);
        assert_eq!(error.request_id(), Some("hdr-1"));
        assert!(error.entries().is_empty());
        assert_eq!(error.service().body_text(), "<html>Bad gateway</html>");
    }
}
