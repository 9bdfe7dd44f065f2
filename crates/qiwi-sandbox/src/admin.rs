//! The admin endpoints under `/__sandbox/`: fault rules, request counts, state reset and
//! Treezor balance changes. They are never counted and never faulted.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::clock;
use crate::faults::parse_rules;
use crate::money::Amount;
use crate::respond;
use crate::routes::ROUTES;
use crate::state::{Shared, TreezorOperation, lock};
use crate::treezor_api::balance_json;

fn bad(message: &str) -> Response {
    respond::json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}

/// GET /__sandbox/faults
pub(crate) async fn list_faults(State(shared): State<Arc<Shared>>) -> Response {
    respond::json(StatusCode::OK, &lock(&shared.faults).to_json())
}

/// POST /__sandbox/faults: one rule, an array of rules or `{"rules": [...]}`.
pub(crate) async fn add_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match parse_rules(&body) {
        Ok(rules) => {
            let mut faults = lock(&shared.faults);
            faults.add(rules);
            respond::json(StatusCode::OK, &faults.to_json())
        }
        Err(e) => bad(&e),
    }
}

/// DELETE /__sandbox/faults
pub(crate) async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    respond::empty(StatusCode::NO_CONTENT)
}

/// GET /__sandbox/requests: `{"total": n, "unmatched": n, "routes": {"<route>": n}}`.
pub(crate) async fn request_counts(State(shared): State<Arc<Shared>>) -> Response {
    let hits = lock(&shared.hits);
    respond::json(
        StatusCode::OK,
        &json!({ "total": hits.total, "unmatched": hits.unmatched, "routes": hits.routes }),
    )
}

/// DELETE /__sandbox/requests
pub(crate) async fn reset_counts(State(shared): State<Arc<Shared>>) -> Response {
    *lock(&shared.hits) = Default::default();
    respond::empty(StatusCode::NO_CONTENT)
}

/// POST /__sandbox/reset: back to the initial demo data.
pub(crate) async fn reset_state(State(shared): State<Arc<Shared>>) -> Response {
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
pub(crate) async fn routes() -> Response {
    let items: Vec<Value> = ROUTES
        .iter()
        .map(|r| json!({ "name": r.name, "method": r.method, "path": r.path }))
        .collect();
    respond::json(StatusCode::OK, &json!({ "routes": items }))
}

/// POST /__sandbox/treezor/expire-tokens: every issued Treezor token expires now.
pub(crate) async fn expire_tokens(State(shared): State<Arc<Shared>>) -> Response {
    shared.expire_treezor_tokens();
    respond::empty(StatusCode::NO_CONTENT)
}

/// POST /__sandbox/treezor/operations: `{"walletId": 3645800, "type": "payin", "amount": "25.00"}`
/// where `type` is `payin`, `payout`, `authorization`, `settlement` or `reversal`. Answers with
/// the wallet's new balance in the `/v1/balances` item shape.
pub(crate) async fn treezor_operation(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
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
