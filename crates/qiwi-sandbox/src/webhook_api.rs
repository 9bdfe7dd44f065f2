//! QIWI Wallet webhooks (E50-E55): register, delete, the active hook, its key, a new key and
//! the test notification. Deliveries (E56) are in `webhooks`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::respond;
use crate::state::Shared;
use crate::wallet_api::{authorize, edge_error};
use crate::webhooks::{Hook, new_key};

const SERVICE: &str = "payment-notifier";

type Outcome = Result<Response, Response>;

fn refused(status: StatusCode, code: &str, description: &str) -> Response {
    edge_error(status, SERVICE, code, description, description)
}

fn no_hook() -> Response {
    refused(StatusCode::NOT_FOUND, "hook.not.found", "No active hook")
}

/// E50 PUT /payment-notifier/v1/hooks?hookType=1&param=<url>&txnType=0|1|2
pub(crate) async fn register(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.register")?;
    let pairs = respond::query_pairs(&uri);
    let param = |name| respond::last_value(&pairs, name);
    let invalid = |what: &str| refused(StatusCode::UNPROCESSABLE_ENTITY, "hook.invalid", what);
    if param("hookType") != Some("1") {
        return Err(invalid("hookType must be 1 (web hook)"));
    }
    let txn_type = match param("txnType") {
        Some("0") => "IN",
        Some("1") => "OUT",
        Some("2") => "BOTH",
        _ => return Err(invalid("txnType must be 0, 1 or 2")),
    };
    let url = param("param").unwrap_or_default().to_owned();
    if url.chars().count() > 100 {
        return Err(refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal.error",
            "The hook URL is longer than 100 characters",
        ));
    }
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url::Url::parse(&url).is_err()
    {
        return Err(invalid("param must be an http(s) URL"));
    }
    let mut state = shared.state();
    if state.webhooks.hook.is_some() {
        return Err(invalid("A hook is already active: delete it first"));
    }
    let hook = Hook::new(url, txn_type);
    let body = hook.json();
    state.webhooks.hook = Some(hook);
    Ok(respond::json(StatusCode::OK, &body))
}

/// E54 GET /payment-notifier/v1/hooks/active
pub(crate) async fn active(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.active")?;
    let state = shared.state();
    let hook = state.webhooks.hook.as_ref().ok_or_else(no_hook)?;
    Ok(respond::json(StatusCode::OK, &hook.json()))
}

/// E51 DELETE /payment-notifier/v1/hooks/{hookId}
pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(hook_id): Path<String>,
) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.delete")?;
    let mut state = shared.state();
    if state.webhooks.hook.as_ref().map(|h| &h.id) != Some(&hook_id) {
        return Err(no_hook());
    }
    state.webhooks.hook = None;
    Ok(respond::json(
        StatusCode::OK,
        &json!({"response": "Hook deleted"}),
    ))
}

/// E52 GET /payment-notifier/v1/hooks/{hookId}/key (201, as documented)
pub(crate) async fn key(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(hook_id): Path<String>,
) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.key")?;
    let state = shared.state();
    match &state.webhooks.hook {
        Some(hook) if hook.id == hook_id => Ok(respond::json(
            StatusCode::CREATED,
            &json!({"key": hook.key}),
        )),
        _ => Err(no_hook()),
    }
}

/// E53 POST /payment-notifier/v1/hooks/{hookId}/newkey (201)
pub(crate) async fn new_key_route(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(hook_id): Path<String>,
) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.newkey")?;
    let mut state = shared.state();
    match &mut state.webhooks.hook {
        Some(hook) if hook.id == hook_id => {
            hook.key = new_key();
            Ok(respond::json(
                StatusCode::CREATED,
                &json!({"key": hook.key}),
            ))
        }
        _ => Err(no_hook()),
    }
}

/// E55 GET /payment-notifier/v1/hooks/test
pub(crate) async fn test(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Outcome {
    authorize(&shared, &headers, "wallet.webhooks.test")?;
    let mut state = shared.state();
    if state.webhooks.hook.is_none() {
        return Err(no_hook());
    }
    state.webhooks.test();
    Ok(respond::json(
        StatusCode::OK,
        &json!({"response": "Webhook sent"}),
    ))
}
