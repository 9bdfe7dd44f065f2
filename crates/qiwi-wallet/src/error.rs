//! What can go wrong with a call, split by what happened.

use std::time::Duration;

use qiwi_transport::{DecodeError, NotSentError, Scrub, Scrubber, ServiceError, TransportError};

use crate::error_body::ErrorBody;
use crate::scope::{Endpoint, TokenScope};

/// How long the service blocks a client that sent too many requests, when it does not say:
/// the reference documents a 5-minute block for payment history (§3).
pub const DEFAULT_BLOCK_DURATION: Duration = Duration::from_secs(5 * 60);

/// What can go wrong with a call to the QIWI Wallet API.
///
/// Every variant for an error answer keeps the [`ServiceError`] (status, vendor code and
/// message, trace id, raw body): see [`Error::service_error`]. No variant shows the API token,
/// in `Display` or in `Debug`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nothing was sent: an argument or the client's configuration is not acceptable.
    #[error(transparent)]
    NotSent(#[from] NotSentError),
    /// No complete answer arrived (connection, timeout, reset, body too large).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// HTTP 401: the token is invalid or expired.
    #[error(
        "the API token is invalid or expired ({source}); use a valid token: a token is valid for 180 days, and QIWI no longer issues new ones"
    )]
    Authentication {
        /// The answer.
        source: Box<ServiceError>,
    },
    /// HTTP 403: the token lacks the permission the call needs.
    #[error("{}", permission_text(*.scope, source))]
    Permission {
        /// The permission the call needs, when known.
        scope: Option<TokenScope>,
        /// The answer.
        source: Box<ServiceError>,
    },
    /// HTTP 404: the wallet (or the operation asked for) does not exist, or nothing answers at
    /// that path; when the answer carries no QIWI error (an HTML page, an empty body) it is the
    /// base URL that is wrong.
    #[error("{}", not_found_text(source))]
    NotFound {
        /// The answer.
        source: Box<ServiceError>,
    },
    /// HTTP 423 (or 429): too many requests, or the service is temporarily unavailable.
    #[error(
        "too many requests or the service is temporarily unavailable ({source}); wait {} s before calling again",
        .retry_after.as_secs()
    )]
    RateLimited {
        /// How long to wait: the service's `Retry-After` when it sent one, otherwise the
        /// documented block of [`DEFAULT_BLOCK_DURATION`].
        retry_after: Duration,
        /// The answer.
        source: Box<ServiceError>,
    },
    /// HTTP 400 (or 422): the service refused the request's data or format.
    #[error("the service refused the request ({source}); check the arguments")]
    Validation {
        /// The answer.
        source: Box<ServiceError>,
    },
    /// HTTP 5xx: the service failed.
    #[error(
        "the service failed ({source}); try again later, and for a write check its effect first"
    )]
    Server {
        /// The answer.
        source: Box<ServiceError>,
    },
    /// Any other error status.
    #[error("unexpected answer ({source})")]
    UnexpectedStatus {
        /// The answer.
        source: Box<ServiceError>,
    },
    /// The answer arrived but could not be decoded; the message names the failing field.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

fn permission_text(scope: Option<TokenScope>, source: &ServiceError) -> String {
    match scope {
        Some(scope) => format!(
            "the API token lacks the permission {scope} that this call needs ({source}); use a token issued with it"
        ),
        None => format!(
            "the API token lacks a permission this call needs ({source}); use a token issued with it"
        ),
    }
}

fn not_found_text(source: &ServiceError) -> String {
    if source.code.is_none() && source.message.is_none() {
        format!(
            "not found ({source}), and the answer is not a QIWI error: no API answers at that path; check the base URL"
        )
    } else {
        format!(
            "not found ({source}); check the wallet number, any alias or operation id in the call, and the base URL"
        )
    }
}

impl Error {
    /// The service's answer, for every variant that stands for an error answer.
    ///
    /// ```
    /// # fn show(error: &qiwi_wallet::Error) {
    /// if let Some(answer) = error.service_error() {
    ///     eprintln!("status {}, trace id {:?}", answer.status, answer.trace_id);
    /// }
    /// # }
    /// ```
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Authentication { source }
            | Error::Permission { source, .. }
            | Error::NotFound { source }
            | Error::RateLimited { source, .. }
            | Error::Validation { source }
            | Error::Server { source }
            | Error::UnexpectedStatus { source } => Some(source),
            Error::NotSent(_) | Error::Transport(_) | Error::Decode(_) => None,
        }
    }

    /// The trace id the service gave (in its body or a header), to quote to support.
    ///
    /// ```
    /// # fn show(error: &qiwi_wallet::Error) {
    /// if let Some(trace) = error.trace_id() {
    ///     eprintln!("quote trace id {trace} to QIWI support");
    /// }
    /// # }
    /// ```
    pub fn trace_id(&self) -> Option<&str> {
        self.service_error()?.trace_id.as_deref()
    }

    /// How long to wait before calling again, for [`Error::RateLimited`].
    ///
    /// ```
    /// # fn show(error: &qiwi_wallet::Error) {
    /// if let Some(wait) = error.retry_after() {
    ///     eprintln!("blocked; try again in {} s", wait.as_secs());
    /// }
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

impl Scrub for Error {
    fn scrub(&mut self, scrubber: &Scrubber) {
        match self {
            Error::NotSent(e) => e.scrub(scrubber),
            Error::Transport(e) => e.scrub(scrubber),
            Error::Decode(e) => e.scrub(scrubber),
            Error::Authentication { source }
            | Error::Permission { source, .. }
            | Error::NotFound { source }
            | Error::RateLimited { source, .. }
            | Error::Validation { source }
            | Error::Server { source }
            | Error::UnexpectedStatus { source } => source.scrub(scrubber),
        }
    }
}

/// Turns the transport's error into this crate's, reading the vendor's error body.
pub(crate) fn from_transport(error: qiwi_transport::Error, endpoint: Endpoint) -> Error {
    match error {
        qiwi_transport::Error::NotSent(e) => Error::NotSent(e),
        qiwi_transport::Error::Transport(e) => Error::Transport(e),
        qiwi_transport::Error::Decode(e) => Error::Decode(e),
        qiwi_transport::Error::Service(e) => from_service(e, endpoint),
        // `qiwi_transport::Error` is non-exhaustive; a kind added later is reported as a
        // transport failure with its message rather than dropped.
        other => Error::Transport(TransportError::new(
            qiwi_transport::TransportErrorKind::Other,
            other.to_string(),
        )),
    }
}

/// Maps an error answer to the variant a caller can act on.
pub(crate) fn from_service(mut error: ServiceError, endpoint: Endpoint) -> Error {
    let parsed = ErrorBody::parse(&error.body);
    error.code = error.code.or(parsed.code);
    error.message = error.message.or(parsed.message);
    // The body's trace id is QIWI's own; a header id is the fallback.
    error.trace_id = parsed.trace_id.or(error.trace_id);
    let status = error.status;
    let source = Box::new(error);
    match status.as_u16() {
        401 => Error::Authentication { source },
        403 => Error::Permission {
            scope: Some(endpoint.scope),
            source,
        },
        404 => Error::NotFound { source },
        423 | 429 => Error::RateLimited {
            retry_after: source.retry_after.unwrap_or(DEFAULT_BLOCK_DURATION),
            source,
        },
        400 | 422 => Error::Validation { source },
        _ if status.is_server_error() => Error::Server { source },
        _ => Error::UnexpectedStatus { source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;
    use bytes::Bytes;
    use qiwi_transport::StatusCode;

    fn answer(status: u16, body: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::from_u16(status).unwrap(),
            Bytes::from(body.to_owned()),
        )
    }

    #[test]
    fn rate_limit_waits_the_documented_block_without_retry_after() {
        let error = from_service(answer(423, ""), scope::ACCOUNTS);
        assert_eq!(error.retry_after(), Some(DEFAULT_BLOCK_DURATION));
        assert!(error.to_string().contains("wait 300 s"), "{error}");
    }

    #[test]
    fn permission_names_the_scope() {
        let error = from_service(answer(403, ""), scope::PROFILE);
        let text = error.to_string();
        assert!(
            text.contains("Запрос информации о профиле кошелька"),
            "{text}"
        );
        assert!(text.contains("wallet profile information"), "{text}");
    }
}
