//! The admin endpoints under `/__sandbox/`: fault rules, request counts, state reset and
//! Treezor balance changes. They are never counted and never faulted.
//!
//! A POST must say `Content-Type: application/json`: a web page can make a browser send a
//! cross-site `text/plain` or form POST without asking, but not a JSON one, so no page a
//! developer visits can change the sandbox. Bodies are capped at [`MAX_BODY`] and the active
//! fault rules at [`MAX_RULES`].

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::clock;
use crate::faults::parse_rules;
use crate::money::Amount;
use crate::respond;
use crate::routes::{ROUTES, check_fault_rule};
use crate::state::{Shared, TreezorOperation, lock};
use crate::treezor_api::balance_json;

/// Largest admin request body.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// Most fault rules active at once.
pub(crate) const MAX_RULES: usize = 1000;

/// The admin endpoints, behind [`guard`].
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/__sandbox/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route(
            "/__sandbox/requests",
            get(request_counts).delete(reset_counts),
        )
        .route("/__sandbox/reset", post(reset_state))
        .route("/__sandbox/routes", get(routes))
        .route("/__sandbox/about", get(about))
        .route("/__sandbox/treezor/operations", post(treezor_operation))
        .route("/__sandbox/treezor/expire-tokens", post(expire_tokens))
        .route("/__sandbox/clock", post(advance_clock))
        .route("/__sandbox/wallet/payments", get(wallet_payments))
        .route("/__sandbox/webhooks", get(webhooks))
        .route("/__sandbox/webhooks/deliver-twice", post(deliver_twice))
        .route("/__sandbox/healthz", get(|| async { "ok" }))
        .route_layer(axum::middleware::from_fn(guard))
}

/// Refuses a POST that is not JSON (415) and a body over [`MAX_BODY`] (413).
async fn guard(request: Request, next: Next) -> Response {
    if request.method() == Method::POST
        && respond::media_type(request.headers()).as_deref() != Some("application/json")
    {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "admin POST requests must have Content-Type: application/json",
        );
    }
    let (parts, body) = request.into_parts();
    match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("admin request bodies are limited to {MAX_BODY} bytes"),
        ),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    respond::json(status, &json!({ "error": message }))
}

fn bad(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// GET /__sandbox/faults
async fn list_faults(State(shared): State<Arc<Shared>>) -> Response {
    respond::json(StatusCode::OK, &lock(&shared.faults).to_json())
}

/// POST /__sandbox/faults: one rule, an array of rules or `{"rules": [...]}`. All of them are
/// added, or none: a rule for a route that is not served, or more than [`MAX_RULES`] active
/// rules, refuses the request.
async fn add_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let rules = match parse_rules(&body) {
        Ok(rules) => rules,
        Err(e) => return bad(&e),
    };
    for (i, rule) in rules.iter().enumerate() {
        if let Err(e) = check_fault_rule(rule) {
            return bad(&format!("rule {i}: {e}"));
        }
    }
    let mut faults = lock(&shared.faults);
    if faults.len().saturating_add(rules.len()) > MAX_RULES {
        return bad(&format!(
            "at most {MAX_RULES} fault rules may be active; {} are, and this adds {}",
            faults.len(),
            rules.len()
        ));
    }
    faults.add(rules);
    respond::json(StatusCode::OK, &faults.to_json())
}

/// DELETE /__sandbox/faults
async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    respond::empty(StatusCode::NO_CONTENT)
}

/// GET /__sandbox/requests: `{"total": n, "unmatched": n, "routes": {"<route>": n}}`.
async fn request_counts(State(shared): State<Arc<Shared>>) -> Response {
    let hits = lock(&shared.hits);
    respond::json(
        StatusCode::OK,
        &json!({ "total": hits.total, "unmatched": hits.unmatched, "routes": hits.routes }),
    )
}

/// DELETE /__sandbox/requests
async fn reset_counts(State(shared): State<Arc<Shared>>) -> Response {
    *lock(&shared.hits) = Default::default();
    respond::empty(StatusCode::NO_CONTENT)
}

/// POST /__sandbox/reset: back to the initial demo data.
async fn reset_state(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    respond::empty(StatusCode::NO_CONTENT)
}

/// GET /__sandbox/about: `{"sandbox": "qiwi-sandbox", "version": "…"}`, the emulator's way of
/// saying that it is not a real service (the `qiwi` program then checks payments every second).
pub(crate) async fn about() -> Response {
    respond::json(
        StatusCode::OK,
        &json!({ "sandbox": "qiwi-sandbox", "version": env!("CARGO_PKG_VERSION") }),
    )
}

/// GET /__sandbox/routes: the route names that fault rules and counts use.
async fn routes() -> Response {
    let items: Vec<Value> = ROUTES
        .iter()
        .map(|r| json!({ "name": r.name, "method": r.method, "path": r.path }))
        .collect();
    respond::json(StatusCode::OK, &json!({ "routes": items }))
}

/// POST /__sandbox/clock: `{"advanceMs": 2000}` moves the sandbox's clock ahead, so that
/// accepted work (payments, downgrades) completes without waiting. Answers the total offset.
async fn advance_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Advance {
        advance_ms: u64,
    }
    let advance: Advance = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return bad(&format!("expected {{\"advanceMs\": <milliseconds>}}: {e}")),
    };
    shared.advance_clock(std::time::Duration::from_millis(advance.advance_ms));
    let offset = *lock(&shared.clock_offset);
    respond::json(
        StatusCode::OK,
        &json!({ "offsetMs": u64::try_from(offset.as_millis()).unwrap_or(u64::MAX) }),
    )
}

/// GET /__sandbox/wallet/payments: every wallet's payments, oldest first, by wallet number.
async fn wallet_payments(State(shared): State<Arc<Shared>>) -> Response {
    let state = shared.state();
    respond::json(StatusCode::OK, &crate::sinap::payments_json(&state.sinap))
}

/// POST /__sandbox/treezor/expire-tokens: every issued Treezor token expires now.
async fn expire_tokens(State(shared): State<Arc<Shared>>) -> Response {
    shared.expire_treezor_tokens();
    respond::empty(StatusCode::NO_CONTENT)
}

/// POST /__sandbox/treezor/operations: `{"walletId": 3645800, "type": "payin", "amount": "25.00"}`
/// where `type` is `payin`, `payout`, `authorization`, `settlement` or `reversal`. Answers with
/// the wallet's new balance in the `/v1/balances` item shape.
async fn treezor_operation(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Op {
        wallet_id: u64,
        #[serde(rename = "type")]
        kind: String,
        amount: Amount,
    }
    let op: Op = match serde_json::from_slice(&body) {
        Ok(op) => op,
        Err(e) => {
            return bad(&format!(
                "expected {{\"walletId\", \"type\", \"amount\"}}: {e}"
            ));
        }
    };
    let Some(kind) = TreezorOperation::parse(&op.kind) else {
        return bad("type must be payin, payout, authorization, settlement or reversal");
    };
    let mut state = shared.state();
    if let Err(e) = state.treezor_operation(op.wallet_id, kind, op.amount.minor(), clock::now()) {
        return bad(&e);
    }
    let w = &state.treezor.wallets[&op.wallet_id];
    respond::json(StatusCode::OK, &balance_json(op.wallet_id, w))
}

/// The hook (with its key) and every notification, sent or held.
async fn webhooks(State(shared): State<Arc<Shared>>) -> Response {
    let body = shared.state().webhooks.json();
    respond::json(StatusCode::OK, &body)
}

/// `{"times": n}`: the next `n` notifications are delivered twice (same `messageId`).
async fn deliver_twice(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let times = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["times"].as_u64())
        .and_then(|n| u32::try_from(n).ok());
    let Some(times) = times else {
        return error(StatusCode::BAD_REQUEST, "expected {\"times\": n}");
    };
    lock(&shared.state).webhooks.deliver_twice = times;
    respond::json(StatusCode::OK, &json!({"deliverTwice": times}))
}
