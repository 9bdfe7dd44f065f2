//! What can go wrong: the shared error, with this protocol's facts about a refusal.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use qiwi_transport::{
    DecodeError, Detail, Refusal, RefusalKind, Scrub, Scrubber, ServiceError, WriteFate,
};

use qiwi_types::agent::{RequestCode, RequestResult};

/// How long to wait when the server is busy and does not say: the protocol's minute.
const BUSY_WAIT: Duration = Duration::from_secs(60);

/// Everything that can go wrong with a request to the agent protocol: the shared error of
/// [`qiwi_transport`], with [`AgentDetail`] for a refusal.
///
/// A refusal of the protocol comes in an answer with HTTP status `200`: this protocol reports
/// errors in the XML body, and its result code is in [`AgentDetail::result`].
///
/// A request-level error settles a payment's fate only when [`Error::write_fate`] says
/// [`WriteFate::NotMoved`](qiwi_transport::WriteFate::NotMoved); otherwise a payment may or
/// may not exist. Check its status (or send the same `pay` again: it is idempotent); never
/// treat it as failed.
pub type Error = qiwi_transport::Error<AgentDetail>;

/// What the agent protocol adds to a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AgentDetail {
    /// The `<result-code>` of the answer, when it had one.
    pub result: Option<RequestResult>,
    /// Whether the same request will fail the same way until something is changed
    /// (credentials, IP allow-list, input): an authentication or address refusal, or a
    /// result code marked fatal.
    pub fatal: bool,
}

impl Scrub for AgentDetail {
    fn scrub(&mut self, scrubber: &Scrubber) {
        if let Some(result) = &mut self.result {
            result.message.scrub(scrubber);
        }
    }
}

impl Detail for AgentDetail {
    fn describe(refusal: &Refusal<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failure = Quoted(refusal);
        match refusal.kind {
            RefusalKind::Authentication => write!(
                f,
                "authentication failed ({failure}); check the terminal id and the password (or signing key), then try again"
            ),
            RefusalKind::Permission { .. } => write!(
                f,
                "the request was refused ({failure}); QIWI accepts requests from allowed IP addresses only: ask QIWI support (bss@qiwi.com)"
            ),
            RefusalKind::RateLimited { retry_after } => write!(
                f,
                "the server is busy ({failure}); repeat the request in {} s",
                retry_after.unwrap_or(BUSY_WAIT).as_secs()
            ),
            RefusalKind::Server => write!(
                f,
                "the server could not process the request ({failure}); repeat it later (for a payment, check its status: it is not failed)"
            ),
            _ => {
                let advice = match &refusal.detail.result {
                    Some(result) if result.is_fatal() => {
                        "the error is fatal: the same request will fail the same way until the configuration is fixed; ask QIWI support (bss@qiwi.com)"
                    }
                    Some(_) => "repeat the request later",
                    None => "check the endpoint URL",
                };
                write!(f, "the server refused the request ({failure}); {advice}")
            }
        }
    }

    /// A fatal refusal was not processed; any other may have been (code 300, a busy server,
    /// an HTTP error in front of the service).
    fn write_fate(refusal: &Refusal<Self>) -> Option<WriteFate> {
        Some(if refusal.detail.fatal {
            WriteFate::NotMoved
        } else {
            WriteFate::Unknown
        })
    }

    fn describe_decode(error: &DecodeError, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{error}; if this was a payment, its fate is unknown: check its status"
        )
    }
}

/// The answer of a refusal as quoted in its message: the result code, and the HTTP status
/// unless it was `200`.
struct Quoted<'a>(&'a Refusal<AgentDetail>);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = &self.0.answer;
        let status = answer.status;
        match &self.0.detail.result {
            Some(result) if status == StatusCode::OK => write!(f, "{result}")?,
            Some(result) => write!(f, "HTTP status {status}, {result}")?,
            None => write!(f, "HTTP status {status}")?,
        }
        if let Some(trace) = &answer.trace_id {
            write!(f, " [trace id {trace}]")?;
        }
        if answer.attempts > 1 {
            write!(f, " (after {} attempts)", answer.attempts)?;
        }
        Ok(())
    }
}

/// The error for a non-zero request-level result code in an answer with this status.
pub(crate) fn from_result(result: RequestResult, status: StatusCode, body: Bytes) -> Error {
    Error::Service(Box::new(with_result(
        ServiceError::new(status, body),
        Some(result),
    )))
}

/// The refusal of a non-2xx answer: the status decides, then the body's result code when the
/// body was an agent-protocol document.
pub(crate) fn refusal(answer: ServiceError) -> Refusal<AgentDetail> {
    let result = crate::wire::request_result_in(&answer.body);
    with_result(answer, result)
}

fn with_result(mut answer: ServiceError, result: Option<RequestResult>) -> Refusal<AgentDetail> {
    if let Some(result) = &result {
        answer.code = Some(result.code.code().to_string());
        answer.message = result.message.clone();
    }
    let code = result.as_ref().map(|r| r.code);
    let kind = match answer.status.as_u16() {
        401 => RefusalKind::Authentication,
        403 => RefusalKind::Permission { scope: None },
        429 => RefusalKind::RateLimited {
            retry_after: Some(answer.retry_after.unwrap_or(BUSY_WAIT)),
        },
        500..=599 => RefusalKind::Server,
        _ => match code {
            Some(RequestCode::AuthorizationError) => RefusalKind::Authentication,
            Some(RequestCode::IpRestricted) => RefusalKind::Permission { scope: None },
            Some(code @ RequestCode::RetryLater) => RefusalKind::RateLimited {
                retry_after: Some(code.retry_after().unwrap_or(BUSY_WAIT)),
            },
            Some(RequestCode::UnknownError) => RefusalKind::Server,
            _ => RefusalKind::Rejected,
        },
    };
    let fatal = matches!(
        kind,
        RefusalKind::Authentication | RefusalKind::Permission { .. }
    ) || result.as_ref().is_some_and(RequestResult::is_fatal);
    Refusal::new(kind, answer, AgentDetail { result, fatal })
}
