//! Treezor (JSON, OAuth2 client credentials): `POST /oauth/token`, `GET /v1/balances`,
//! `GET /core-connect/balances/{walletId}`.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::clock;
use crate::ids;
use crate::money::Amount;
use crate::multipart;
use crate::respond;
use crate::state::{Shared, TzWallet};
use crate::tokens::TokenState;

const DOC_URL: &str = "https://docs.treezor.com/guide/api-basics/response-codes.html";

/// A Treezor error body: `{"errors":[{"type","code","message","docUrl","requestId"}]}`.
pub(crate) fn error(status: StatusCode, kind: &str, code: &str, message: &str) -> Response {
    respond::json(
        status,
        &json!({
            "errors": [{
                "type": kind,
                "code": code,
                "message": message,
                "docUrl": DOC_URL,
                "requestId": ids::uuid(),
            }]
        }),
    )
}

/// The Treezor error body for an injected HTTP status.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    let (code, message) = match status.as_u16() {
        429 => ("too_many_requests", "Too many requests, retry later"),
        500 => ("internal_error", "An internal error occurred"),
        503 => (
            "service_unavailable",
            "The service is temporarily unavailable",
        ),
        _ => ("error", status.canonical_reason().unwrap_or("Error")),
    };
    error(status, "server_error", code, message)
}

/// What a handler answers: `Err` holds the error response of an early exit.
type Outcome = Result<Response, Response>;

fn bad_request(code: &str, message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", code, message)
}

fn invalid_parameter(message: &str) -> Response {
    bad_request("invalid_parameter_in_request", message)
}

/// Reads the token request's fields from a form, multipart or JSON body.
fn token_fields(headers: &HeaderMap, body: &Bytes) -> Result<Vec<(String, String)>, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match respond::media_type(headers).as_deref() {
        Some("multipart/form-data") => {
            let boundary =
                multipart::boundary(content_type).ok_or("the multipart boundary is missing")?;
            multipart::fields(body, &boundary)
                .ok_or_else(|| "the multipart body is malformed".into())
        }
        Some("application/json") => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    Value::Number(n) => Some((k, n.to_string())),
                    _ => None,
                })
                .collect()),
            _ => Err("the JSON body must be an object".into()),
        },
        Some("application/x-www-form-urlencoded") => Ok(respond::form_pairs(
            std::str::from_utf8(body).map_err(|_| "the body is not UTF-8")?,
        )),
        Some(other) => Err(format!("unsupported content type {other}")),
        None => Err("the Content-Type header is missing".into()),
    }
}

/// The first parameter sent more than once (RFC 6749 §3.2 forbids it).
fn repeated(fields: &[(String, String)]) -> Option<&str> {
    fields
        .iter()
        .enumerate()
        .find(|(i, (name, _))| fields[..*i].iter().any(|(n, _)| n == name))
        .map(|(_, (name, _))| name.as_str())
}

/// The client credentials of an `Authorization: Basic` header (RFC 6749 §2.3.1: Base64 of
/// the form-urlencoded id, `:`, the form-urlencoded secret); `Ok(None)` without one.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?.trim();
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| ())?;
    let text = String::from_utf8(decoded).map_err(|_| ())?;
    let (id, secret) = text.split_once(':').ok_or(())?;
    Ok(Some((
        respond::percent_decode(id),
        respond::percent_decode(secret),
    )))
}

/// The 401 of a failed client authentication; with `WWW-Authenticate` when the client used
/// the `Authorization` header (RFC 6749 §5.2).
fn invalid_client(basic: bool) -> Response {
    let mut response = error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "authorization_error",
        "Client authentication failed",
    );
    if basic {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"oauth\""),
        );
    }
    response
}

/// POST /oauth/token
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let fields = token_fields(&headers, &body)
        .map_err(|e| bad_request("invalid_request", &format!("Invalid token request: {e}")))?;
    if let Some(name) = repeated(&fields) {
        return Err(bad_request(
            "invalid_request",
            &format!("The {name} parameter is given more than once"),
        ));
    }
    let get = |name: &str| respond::last_value(&fields, name).map(str::trim);
    match get("grant_type") {
        Some("client_credentials") => {}
        Some(other) => {
            return Err(bad_request(
                "unsupported_grant_type",
                &format!("The grant type {other:?} is not supported here; use client_credentials"),
            ));
        }
        None => {
            return Err(bad_request(
                "invalid_request",
                "The grant_type field is required",
            ));
        }
    }
    let basic = basic_credentials(&headers).map_err(|()| invalid_client(true))?;
    let (client_id, client_secret) = match (&basic, get("client_id"), get("client_secret")) {
        (Some(_), _, Some(_)) => {
            return Err(bad_request(
                "invalid_request",
                "The client authenticated twice: send client_secret in the Authorization header or in the body, not both",
            ));
        }
        (Some((id, _)), Some(body_id), None) if body_id != id.as_str() => {
            return Err(bad_request(
                "invalid_request",
                "The client_id in the body is not the one in the Authorization header",
            ));
        }
        (Some((id, secret)), _, None) => (id.as_str(), secret.as_str()),
        (None, id, secret) => (id.unwrap_or(""), secret.unwrap_or("")),
    };
    let mut state = shared.state();
    if client_id != state.treezor.client_id || client_secret != state.treezor.client_secret {
        return Err(invalid_client(basic.is_some()));
    }
    let now = Instant::now();
    let ttl = shared.settings.token_ttl;
    let token = ids::token();
    state.treezor.tokens.issue(token.clone(), now, ttl);
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "token_type": "Bearer", "expires_in": ttl.as_secs(), "access_token": token }),
    ))
}

/// Checks the bearer token of an API call.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    let unauthorized = |message: &str| {
        error(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "authorization_error",
            message,
        )
    };
    let token = respond::bearer_token(headers)
        .ok_or_else(|| unauthorized("The Authorization header with a Bearer token is missing"))?;
    let state = crate::state::lock(&shared.state);
    match state.treezor.tokens.check(token, Instant::now()) {
        TokenState::Valid => Ok(()),
        TokenState::Expired => Err(unauthorized("The access token has expired")),
        TokenState::Unknown => Err(unauthorized("The access token is invalid")),
    }
}

/// A wallet's balance, as one item of `GET /v1/balances`.
pub(crate) fn balance_json(wallet_id: u64, w: &TzWallet) -> Value {
    json!({
        "walletId": wallet_id,
        "currentBalance": Amount(w.current).json_number(),
        "authorizations": Amount(w.authorizations).json_number(),
        "authorizedBalance": Amount(w.authorized()).json_number(),
        "currency": w.currency,
        "calculationDate": clock::treezor_datetime(w.calculated),
    })
}

fn id_param(pairs: &[(String, String)], name: &str) -> Result<Option<u64>, Response> {
    match respond::last_value(pairs, name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| invalid_parameter(&format!("The {name} field must be an integer"))),
    }
}

/// GET /v1/balances?walletId=...|userId=...
pub(crate) async fn balances(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    authorize(&shared, &headers)?;
    let pairs = respond::query_pairs(&uri);
    let wallet_id = id_param(&pairs, "walletId")?;
    let user_id = id_param(&pairs, "userId")?;
    let state = shared.state();
    let items: Vec<Value> = match (wallet_id, user_id) {
        (Some(id), None) => state
            .treezor
            .wallets
            .get(&id)
            .map(|w| balance_json(id, w))
            .into_iter()
            .collect(),
        (None, Some(user)) => state
            .treezor
            .wallets
            .iter()
            .filter(|(_, w)| w.user_id == user)
            .map(|(id, w)| balance_json(*id, w))
            .collect(),
        (Some(_), Some(_)) => {
            return Err(invalid_parameter(
                "Give either walletId or userId, not both",
            ));
        }
        (None, None) => {
            return Err(invalid_parameter(
                "The walletId or userId field is required",
            ));
        }
    };
    Ok(respond::json(StatusCode::OK, &json!({ "balances": items })))
}

/// Any other method on /v1/balances.
pub(crate) async fn balances_method_not_allowed() -> Response {
    let mut r = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "invalid_request",
        "method_not_allowed",
        "Method Not Allowed: use GET",
    );
    r.headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("GET"));
    r
}

fn date_param(pairs: &[(String, String)], name: &str) -> Result<Option<Date>, Response> {
    match respond::last_value(pairs, name) {
        None => Ok(None),
        Some("") => Ok(None),
        Some(v) => {
            let ok = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
            match v.parse::<Date>() {
                Ok(d) if ok => Ok(Some(d)),
                _ => Err(invalid_parameter(&format!(
                    "The {name} field must be a date in the format YYYY-MM-DD, not {v:?}"
                ))),
            }
        }
    }
}

/// GET /core-connect/balances/{walletId}?dateFrom=YYYY-MM-DD&dateTo=YYYY-MM-DD
pub(crate) async fn history(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    authorize(&shared, &headers)?;
    let wallet_id = wallet
        .parse::<u64>()
        .map_err(|_| invalid_parameter("The walletId must be an integer"))?;
    let pairs = respond::query_pairs(&uri);
    let from = date_param(&pairs, "dateFrom")?;
    let to = date_param(&pairs, "dateTo")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(invalid_parameter("dateFrom must not be after dateTo"));
        }
    }
    let state = shared.state();
    let Some(w) = state.treezor.wallets.get(&wallet_id) else {
        return Err(error(
            StatusCode::NOT_FOUND,
            "not_found",
            "resource_not_found_error",
            &format!("Wallet {wallet_id} not found"),
        ));
    };
    let day_key = |d: Option<Date>| d.map(|d| d.strftime("%Y-%m-%d").to_string());
    let (from_key, to_key) = (day_key(from), day_key(to));
    // Newest first, keyed by `YYYY-MM-DD HH:mm:ss` (Paris time).
    let mut text = String::from("{");
    let mut first = true;
    for p in w.history.iter().rev() {
        let day = &p.key[..10.min(p.key.len())];
        if from_key.as_deref().is_some_and(|f| day < f)
            || to_key.as_deref().is_some_and(|t| day > t)
        {
            continue;
        }
        if !first {
            text.push(',');
        }
        first = false;
        let entry = json!({
            "solde": Amount(p.solde).json_number(),
            "authorizedBalance": Amount(p.authorized).json_number(),
            "currency": w.currency,
        });
        text.push_str(&Value::String(p.key.clone()).to_string());
        text.push(':');
        text.push_str(&entry.to_string());
    }
    text.push('}');
    Ok(respond::json_text(StatusCode::OK, text))
}
