//! What can go wrong with a call: the shared error, with this API's facts about a refusal.

use std::fmt;
use std::time::Duration;

use qiwi_transport::{Detail, Refusal, RefusalKind, Scrub, Scrubber, ServiceError};

use crate::error_body::ErrorBody;
use crate::scope::{Endpoint, TokenScope};

/// How long the service blocks a client that sent too many requests, when it does not say:
/// the reference documents a 5-minute block for payment history (§3).
pub const DEFAULT_BLOCK_DURATION: Duration = Duration::from_secs(5 * 60);

/// What can go wrong with a call to the QIWI Wallet API: the shared error of
/// [`qiwi_transport`], split by what happened, with [`WalletDetail`] for a refusal.
///
/// A refusal keeps the answer (status, vendor code and message, trace id, raw body) in
/// [`Refusal::answer`](qiwi_transport::Refusal). No variant shows the API token, in `Display`
/// or in `Debug`.
///
/// ```
/// # fn show(error: &qiwi_wallet::Error) {
/// use qiwi_wallet::transport::RefusalKind;
/// match error.kind() {
///     Some(RefusalKind::RateLimited { retry_after }) => eprintln!("blocked for {retry_after:?}"),
///     Some(_) => eprintln!("refused; trace id {:?}", error.trace_id()),
///     None => eprintln!("{error}"),
/// }
/// # }
/// ```
pub type Error = qiwi_transport::Error<WalletDetail>;

/// What the QIWI Wallet API adds to a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WalletDetail {
    /// The reference id of the endpoint called (`E10`).
    pub endpoint: &'static str,
    /// The permissions the endpoint needs.
    pub scopes: &'static [TokenScope],
}

impl Scrub for WalletDetail {
    fn scrub(&mut self, _scrubber: &Scrubber) {}
}

impl Detail for WalletDetail {
    fn describe(refusal: &Refusal<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = &refusal.answer;
        match refusal.kind {
            RefusalKind::Authentication => write!(
                f,
                "the API token is invalid or expired ({answer}); use a valid token: a token is valid for 180 days, and QIWI no longer issues new ones"
            ),
            RefusalKind::Permission { .. } => {
                let scopes: Vec<String> = refusal
                    .detail
                    .scopes
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                let (noun, it) = if scopes.len() > 1 {
                    ("permissions", "them")
                } else {
                    ("permission", "it")
                };
                write!(
                    f,
                    "the API token lacks the {noun} {} that this call needs ({answer}); use a token issued with {it}",
                    scopes.join(" and ")
                )
            }
            RefusalKind::NotFound if answer.code.is_none() && answer.message.is_none() => write!(
                f,
                "not found ({answer}), and the answer is not a QIWI error: no API answers at that path; check the base URL"
            ),
            RefusalKind::NotFound => write!(
                f,
                "not found ({answer}); check the wallet number, any alias or operation id in the call, and the base URL"
            ),
            RefusalKind::RateLimited { retry_after } => write!(
                f,
                "too many requests or the service is temporarily unavailable ({answer}); wait {} s before calling again",
                retry_after.unwrap_or(DEFAULT_BLOCK_DURATION).as_secs()
            ),
            RefusalKind::Validation => write!(
                f,
                "the service refused the request ({answer}); check the arguments"
            ),
            RefusalKind::Conflict => write!(
                f,
                "a webhook is already registered for this wallet ({answer}); delete it first, or replace it"
            ),
            RefusalKind::Server => write!(
                f,
                "the service failed ({answer}); try again later, and for a write check its effect first"
            ),
            _ => write!(f, "unexpected answer ({answer})"),
        }
    }
}

/// Reads the vendor's error body into the answer and says what the refusal means.
pub(crate) fn refusal(mut answer: ServiceError, endpoint: &Endpoint) -> Refusal<WalletDetail> {
    let parsed = ErrorBody::parse(&answer.body);
    answer.code = answer.code.or(parsed.code);
    answer.message = answer.message.or(parsed.message);
    // The body's trace id is QIWI's own; a header id is the fallback.
    answer.trace_id = parsed.trace_id.or(answer.trace_id);
    let kind = match answer.status.as_u16() {
        403 => RefusalKind::Permission {
            scope: endpoint.scopes.first().map(|scope| scope.label()),
        },
        423 | 429 => RefusalKind::RateLimited {
            retry_after: Some(answer.retry_after.unwrap_or(DEFAULT_BLOCK_DURATION)),
        },
        400 | 422 => RefusalKind::Validation,
        // A conflict or an oversized request is nothing this API documents.
        409 | 413 => RefusalKind::Other,
        _ => RefusalKind::of_status(answer.status, None),
    };
    let detail = WalletDetail {
        endpoint: endpoint.id,
        scopes: endpoint.scopes,
    };
    Refusal::new(kind, answer, detail)
}
