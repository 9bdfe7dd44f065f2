//! The client's error: the shared error, with Treezor's facts about a refusal.

use std::fmt;

use qiwi_transport::{
    Bytes, Detail, Endpoint, Refusal, RefusalKind, Scrub, Scrubber, ServiceError, StatusCode,
};

use crate::BalancesQuery;
use crate::endpoints;
use crate::error_body::ErrorEntry;

/// What went wrong with a call to Treezor: the shared error of [`qiwi_transport`], split by
/// how far the call got, with [`TreezorDetail`] for a refusal.
///
/// A wallet that Treezor does not list (a `200` answer without its balance, what Treezor's
/// sandbox answers for an unknown wallet) is a [`RefusalKind::NotFound`] refusal whose answer
/// has status `200`.
pub type Error = qiwi_transport::Error<TreezorDetail>;

/// What Treezor adds to a refusal: the operation, every error entry of the body and what the
/// call asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TreezorDetail {
    /// The operation that failed, such as `GET /v1/balances`.
    pub operation: String,
    /// Every error entry the body held, in order; empty for an empty or non-JSON body.
    pub entries: Vec<ErrorEntry>,
    /// The wallet or user a not-found call asked for, when it named one.
    pub query: Option<BalancesQuery>,
}

impl Scrub for TreezorDetail {
    fn scrub(&mut self, scrubber: &Scrubber) {
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

impl Detail for TreezorDetail {
    fn describe(refusal: &Refusal<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = Quoted(refusal);
        match refusal.kind {
            RefusalKind::Authentication => write!(
                f,
                "authentication failed: {answer}; check the client id, secret and scope (or the token) for this environment"
            ),
            RefusalKind::Permission { .. } => write!(
                f,
                "permission denied: {answer}; the token's scope does not allow this endpoint (balances need read_only or read_write)"
            ),
            RefusalKind::NotFound => not_found(refusal, f),
            RefusalKind::Validation => write!(
                f,
                "the request was refused as invalid: {answer}; correct what the message names"
            ),
            RefusalKind::RateLimited {
                retry_after: Some(wait),
            } => write!(
                f,
                "rate limited: {answer}; wait {} s before trying again",
                wait.as_secs()
            ),
            RefusalKind::RateLimited { retry_after: None } => write!(
                f,
                "rate limited: {answer}; wait a while before trying again"
            ),
            RefusalKind::Server => {
                write!(f, "Treezor had a server error: {answer}; try again later")
            }
            _ => write!(f, "Treezor answered with an error: {answer}"),
        }
    }
}

fn not_found(refusal: &Refusal<TreezorDetail>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    const CHECK_ID: &str = "check the id and that it belongs to this environment";
    let answer = Quoted(refusal);
    // A success status: the path answered, so only the id can be wrong.
    let listed = refusal.answer.status.is_success();
    match refusal.detail.query {
        Some(query) if listed => write!(
            f,
            "not found: Treezor listed no balance for {query}; {CHECK_ID}"
        ),
        None if listed => write!(f, "not found; {CHECK_ID}"),
        // A 404 that is not a Treezor error (an HTML page, an empty body): nothing answers at
        // that path, whatever the id.
        _ if refusal.detail.entries.is_empty() => write!(
            f,
            "not found: {answer}, and the answer is not a Treezor error: no API answers at that path; check the base URL"
        ),
        Some(query) => write!(
            f,
            "not found: {query}: {answer}; {CHECK_ID}, and the base URL"
        ),
        None => write!(f, "not found: {answer}; {CHECK_ID}, and the base URL"),
    }
}

/// The answer as quoted in a message: the operation, the status, the vendor's code and
/// message, how many more entries, the request id and the attempts.
struct Quoted<'a>(&'a Refusal<TreezorDetail>);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Refusal { answer, detail, .. } = self.0;
        let explanation = answer.explanation();
        write!(
            f,
            "{} answered {}{explanation}",
            detail.operation, answer.status
        )?;
        if detail.entries.len() > 1 {
            write!(f, " (+{} more)", detail.entries.len() - 1)?;
        }
        if let Some(id) = &answer.trace_id {
            write!(f, " [request id {id}]")?;
        }
        if answer.attempts > 1 {
            write!(f, " (after {} attempts)", answer.attempts)?;
        }
        Ok(())
    }
}

/// Reads the vendor body of an error answer to `endpoint` (any of the shapes
/// [`ErrorEntry::parse_body`] knows) into its code, message and request id, and says what it
/// means. A 400 from the token endpoint is an authentication failure: that is how an OAuth
/// server refuses credentials.
pub(crate) fn refusal(mut answer: ServiceError, endpoint: &Endpoint) -> Refusal<TreezorDetail> {
    let entries = ErrorEntry::parse_body(&answer.body);
    let first = |pick: fn(&ErrorEntry) -> Option<&String>| entries.iter().find_map(pick).cloned();
    answer.code = first(|e| e.code.as_ref());
    answer.message = first(|e| e.message.as_ref());
    // The body's requestId names the failing request better than a gateway header.
    if let Some(request_id) = first(|e| e.request_id.as_ref()) {
        answer.trace_id = Some(request_id);
    }
    let kind = match answer.status.as_u16() {
        400 if endpoint.id == endpoints::TOKEN.id => RefusalKind::Authentication,
        _ => RefusalKind::of_status(answer.status, answer.retry_after),
    };
    let detail = TreezorDetail {
        operation: endpoints::operation(endpoint),
        entries,
        query: None,
    };
    Refusal::new(kind, answer, detail)
}

/// A `200` answer to `operation` that lists no balance for the wallet `query` names.
pub(crate) fn not_listed(endpoint: &Endpoint, query: BalancesQuery) -> Error {
    let detail = TreezorDetail {
        operation: endpoints::operation(endpoint),
        entries: Vec::new(),
        query: Some(query),
    };
    let answer = ServiceError::new(StatusCode::OK, Bytes::new());
    Error::Service(Box::new(Refusal::new(
        RefusalKind::NotFound,
        answer,
        detail,
    )))
}

/// Names what the call asked for in a not-found error.
pub(crate) fn about(mut error: Error, asked: BalancesQuery) -> Error {
    if let Error::Service(refusal) = &mut error {
        if refusal.kind == RefusalKind::NotFound {
            refusal.detail.query = Some(asked);
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_says_what_happened_and_what_to_do() {
        let mut service = ServiceError::new(
            StatusCode::NOT_FOUND,
            Bytes::from_static(br#"{"errors":[{"type":"invalid_request","code":"resource_not_found_error","message":"Wallet not found","requestId":"r-1"},{"message":"second"}]}"#),
        );
        service.attempts = 2;
        let error = qiwi_transport::Error::from(service)
            .refine(|answer| refusal(answer, &endpoints::BALANCES));
        assert_eq!(
            error.to_string(),
            "not found: GET /v1/balances answered 404 Not Found: Wallet not found (resource_not_found_error) (+1 more) [request id r-1] (after 2 attempts); check the id and that it belongs to this environment, and the base URL"
        );
    }
}
