//! The `Accept` check: a JSON endpoint answers only in the media type its reference documents
//! (`application/json`; the QIWI Wallet reference answers anything else with a 400 "data
//! format" error).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::routes::Route;
use crate::{treezor_api, wallet_api};

/// The refusal for a request whose `Accept` allows none of the route's media types.
pub(crate) fn refusal(route: &Route, headers: &HeaderMap) -> Option<Response> {
    if route.accepts.is_empty() || allows(headers, route.accepts) {
        return None;
    }
    let message = format!("The Accept header must allow {}", route.accepts.join(", "));
    Some(if route.name.starts_with("treezor") {
        treezor_api::error(
            StatusCode::NOT_ACCEPTABLE,
            "invalid_request",
            "not_acceptable",
            &message,
        )
    } else {
        wallet_api::edge_error(
            StatusCode::BAD_REQUEST,
            "edge",
            "http.media.type.not.acceptable",
            "Неверный формат данных",
            &message,
        )
    })
}

/// Whether the `Accept` headers allow one of `types` (RFC 9110 §12.5.1: `*/*`, `type/*`, the
/// type itself, any parameters; a range with `q=0` excludes). No header allows anything.
fn allows(headers: &HeaderMap, types: &[&str]) -> bool {
    let mut values = headers.get_all(header::ACCEPT).iter().peekable();
    if values.peek().is_none() {
        return true;
    }
    values
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|range| !range.trim().is_empty())
        .any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            let excluded = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().bytes().all(|b| b == b'0' || b == b'.'))
            });
            !excluded && types.iter().any(|t| matches(media, t))
        })
}

fn matches(range: &str, media_type: &str) -> bool {
    if range == "*/*" {
        return true;
    }
    match range.strip_suffix("/*") {
        Some(kind) => media_type
            .split_once('/')
            .is_some_and(|(k, _)| k.eq_ignore_ascii_case(kind)),
        None => range.eq_ignore_ascii_case(media_type),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn allowed(values: &[&'static str]) -> bool {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::ACCEPT, HeaderValue::from_static(v));
        }
        allows(&headers, &["application/json"])
    }

    #[test]
    fn media_ranges_and_weights() {
        assert!(allowed(&[]));
        assert!(allowed(&["application/json"]));
        assert!(allowed(&["Application/JSON;charset=UTF-8"]));
        assert!(allowed(&["*/*"]));
        assert!(allowed(&["application/*;q=0.5"]));
        assert!(allowed(&["text/html", "application/json"]));
        assert!(allowed(&["text/html, application/json;q=0.1"]));
        assert!(!allowed(&["text/html"]));
        assert!(!allowed(&["application/xml"]));
        assert!(!allowed(&["application/vnd.qiwi.v1+json"]));
        assert!(!allowed(&["application/json;q=0"]));
        assert!(!allowed(&["application/json; q=0.000"]));
        assert!(!allowed(&["text/*"]));
    }
}
