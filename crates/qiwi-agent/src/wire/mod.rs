//! The XML wire format.
//!
//! Requests are written with quick-xml's `Writer`, so every value is escaped. Answers are read
//! by a small tolerant decoder over quick-xml events (not serde): it accepts everything the
//! protocol's own examples do (missing or misspelt declaration, single quotes, a `<payments>`
//! wrapper, `result-сode` with a Cyrillic `с`, missing request-level result code, unknown
//! elements and attributes), never expands an entity (a `<!DOCTYPE` is refused before parsing)
//! and never panics. The plain shape of `ping` and error answers is read straight from the
//! events; every other document goes through a small element tree.
//!
//! The `decode_*` functions read a whole answer body, as the client does after a `200`; they
//! are public so that recorded answers can be checked without a client. A non-zero
//! request-level result code becomes the matching [`Error`].

mod decode;
pub(crate) mod encode;
mod flat;
pub(crate) mod tree;

use bytes::Bytes;
use http::StatusCode;

use crate::error::Error;
use qiwi_types::agent::{
    Balances, DepositCheck, PayResponse, RequestResult, StatusResponse, UserCheck,
};

pub(crate) use decode::{deposit_check, pay, pay_of, payment_status, ping, provider, user_check};

fn ok(body: &[u8]) -> Bytes {
    Bytes::copy_from_slice(body)
}

/// Decodes the answer to `ping`: the agent's balances.
///
/// ```
/// let balances = qiwi_agent::wire::decode_ping(br#"<?xml version="1.0" encoding="utf-8"?>
/// <response>
/// <result-code fatal="false">0</result-code>
/// <balances><balance code="643">200.26</balance></balances>
/// </response>"#)?;
/// assert_eq!(balances.len(), 1);
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// [`Error::Decode`] for a body that is not such an answer; [`Error::Service`] with the
/// matching [`RefusalKind`](crate::RefusalKind) for a non-zero result code.
pub fn decode_ping(body: &[u8]) -> Result<Balances, Error> {
    ping(StatusCode::OK, &ok(body))
}

/// Decodes the answer to `check-user`.
///
/// ```
/// let check = qiwi_agent::wire::decode_user_check(
///     b"<response><result-code fatal=\"false\">0</result-code><exist>1</exist></response>",
/// )?;
/// assert_eq!(check.exists, Some(true));
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// As [`decode_ping`].
pub fn decode_user_check(body: &[u8]) -> Result<UserCheck, Error> {
    user_check(StatusCode::OK, &ok(body))
}

/// Decodes the answer to `check-deposit-possible`. A non-zero result code that comes with
/// `exist`/`deposit-possible` is an answer, not an error.
///
/// ```
/// let check = qiwi_agent::wire::decode_deposit_check(
///     b"<response><result-code fatal=\"true\">204</result-code><exist>1</exist><deposit-possible>0</deposit-possible></response>",
/// )?;
/// assert!(!check.is_possible());
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// As [`decode_ping`].
pub fn decode_deposit_check(body: &[u8]) -> Result<DepositCheck, Error> {
    deposit_check(StatusCode::OK, &ok(body))
}

/// Decodes the answer to `pay` with `<auth>`.
///
/// ```
/// let response = qiwi_agent::wire::decode_pay(
///     b"<response><payment status='50' txn_id='1' transaction-number='7' final-status='false'/></response>",
/// )?;
/// assert!(response.payment.is_some());
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// As [`decode_ping`].
pub fn decode_pay(body: &[u8]) -> Result<PayResponse, Error> {
    pay(StatusCode::OK, &ok(body))
}

/// Decodes the answer to `pay` with `<status>`.
///
/// ```
/// let response = qiwi_agent::wire::decode_status(
///     b"<response><result-code fatal='false'>0</result-code></response>",
/// )?;
/// assert!(response.payments.is_empty()); // not found: simply absent
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// As [`decode_ping`].
pub fn decode_status(body: &[u8]) -> Result<StatusResponse, Error> {
    payment_status(StatusCode::OK, &ok(body))
}

/// Decodes the answer to `get-provider-by-phone-number`: the operator's provider id.
///
/// ```
/// let id = qiwi_agent::wire::decode_provider(
///     b"<response><result-code fatal='false'>0</result-code><provider id='42'/></response>",
/// )?;
/// assert_eq!(id, 42);
/// # Ok::<(), qiwi_agent::Error>(())
/// ```
///
/// # Errors
/// As [`decode_ping`].
pub fn decode_provider(body: &[u8]) -> Result<u32, Error> {
    provider(StatusCode::OK, &ok(body))
}

/// The request-level result in an error body, when it is an agent-protocol document.
pub(crate) fn request_result_in(body: &Bytes) -> Option<RequestResult> {
    decode::envelope(StatusCode::OK, body).ok()?.result
}
