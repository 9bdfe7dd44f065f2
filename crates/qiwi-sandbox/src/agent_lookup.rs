//! The agent protocol's provider lookup (POST `/xml/xmlcp.jsp`, request type
//! `get-provider-by-phone-number`): the mobile operator's provider id for a phone number
//! given without its country code.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::agent_api::{document, error_response};
use crate::state::Shared;
use crate::{agent_auth, respond};

/// Demo provider ids by the first three digits of the number (the operator's code). The
/// reference's examples give 916 as 42 and 988 as 2; the rest is made up for the demo.
const PROVIDERS: &[(u16, u16, u32)] = &[
    (900, 909, 1),
    (910, 919, 42),
    (920, 939, 3),
    (950, 969, 1),
    (980, 989, 2),
    (990, 999, 4),
];

/// POST /xml/xmlcp.jsp
pub(crate) async fn provider(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let state = shared.state();
    let root = match agent_auth::request(&state.agent, &headers, &body) {
        Ok(root) => root,
        Err(refusal) => return refusal,
    };
    match root.child_text("request-type") {
        Some("get-provider-by-phone-number") => {}
        Some(other) => {
            return error_response(
                300,
                true,
                &format!("Unsupported request type {other:?} on xmlcp.jsp"),
            );
        }
        None => return error_response(300, true, "The <request-type> element is missing"),
    }
    let phone = root.child_text("phonenumber").unwrap_or("");
    if phone.len() != 10 || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return error_response(
            300,
            true,
            "phonenumber must be the 10 digits of the number without its country code",
        );
    }
    let code: u16 = phone[..3].parse().unwrap_or(0);
    match PROVIDERS
        .iter()
        .find(|(from, to, _)| (*from..=*to).contains(&code))
    {
        Some((_, _, id)) => respond::xml(document(
            0,
            false,
            Some("Ок"),
            &format!("<provider id=\"{id}\"/>\n"),
        )),
        None => error_response(300, true, "No mobile operator serves this number"),
    }
}
