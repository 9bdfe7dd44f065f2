//! Every request of the protocol, one line each, and how a success answer's result code
//! bears on sending it again.
//!
//! Each goes to a URL the client is configured with (`topup.jsp`, or `xmlcp.jsp` for the
//! provider lookup), so its route names it in traces. All may be resent after an attempt
//! that got no answer: reads trivially, and `pay` because its transaction number makes a
//! resend return the same payment.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use qiwi_transport::{AnswerBody, Classification, Endpoint, Method, Response, Route};
use qiwi_types::agent::RequestCode;

const fn post(id: &'static str, route: &'static str) -> Endpoint {
    Endpoint::new(id, Method::POST, Route::Base(route))
        .resendable(true)
        .answers(&[200], AnswerBody::Xml)
        .classify(read)
}

#[rustfmt::skip]
mod table {
    use super::{Endpoint, pay, post};

    pub(crate) static PING: Endpoint = post("ping", "/xml/topup.jsp ping");
    pub(crate) static CHECK_USER: Endpoint = post("check-user", "/xml/topup.jsp check-user");
    pub(crate) static CHECK_DEPOSIT: Endpoint = post("check-deposit-possible", "/xml/topup.jsp check-deposit-possible");
    pub(crate) static PAY: Endpoint = post("pay/auth", "/xml/topup.jsp pay/auth").classify(pay);
    pub(crate) static PAY_STATUS: Endpoint = post("pay/status", "/xml/topup.jsp pay/status");
    pub(crate) static PROVIDER: Endpoint = post("get-provider-by-phone-number", "/xml/xmlcp.jsp get-provider-by-phone-number");
}
pub(crate) use table::*;

/// A read answered "busy, repeat in a minute" (code 13) is sent again after that minute,
/// when the call's time allows; every other answer is final.
fn read(response: &Response) -> Classification {
    match request_code(response).and_then(RequestCode::retry_after) {
        Some(wait) => Classification::RetryAfter(wait),
        None => Classification::Final,
    }
}

/// A `pay` answered "busy" (13) or "unknown error" (300) may or may not be registered: its
/// fate is found out by a status request, never by sending it again here.
fn pay(response: &Response) -> Classification {
    match request_code(response) {
        Some(RequestCode::RetryLater | RequestCode::UnknownError) => Classification::FateUnknown,
        _ => Classification::Final,
    }
}

/// The request-level result code of an answer, when it is 13 or 300. Most answers hold
/// neither: a glance at the element's text spares them a second read by the XML reader.
fn request_code(response: &Response) -> Option<RequestCode> {
    // Built once: a searcher's set-up costs more than searching a short answer.
    static ELEMENT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"<result-code"));
    let body = &response.body[..];
    let at = ELEMENT.find(body)?;
    let rest = &body[at..];
    let rest = &rest[rest.iter().position(|&b| b == b'>')? + 1..];
    let text = &rest[..rest.iter().position(|&b| b == b'<')?];
    if !matches!(text.trim_ascii(), b"13" | b"300") {
        return None;
    }
    crate::wire::request_result_in(&response.body).map(|result| result.code)
}
