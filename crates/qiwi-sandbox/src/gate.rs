//! The middleware every request passes: it names the route, counts the hit, and applies the
//! fault rules (latency, error status, dropped connection, null balances, agent result codes).

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;

use crate::conn::ConnHandle;
use crate::faults::{ACCOUNTS_LIST_ROUTE, Fault};
use crate::routes::{self, AGENT_PATH};
use crate::state::{Shared, lock};
use crate::{accept, agent_api, respond, treezor_api, wallet_api, xml};

/// The middleware: a debug event per request (method, path and status; never a query string,
/// header or body, which may carry credentials).
pub(crate) async fn gate(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = apply(shared, req, next).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), "sandbox request");
    response
}

async fn apply(shared: Arc<Shared>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let Some(template) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
    else {
        lock(&shared.hits).unmatched += 1;
        return next.run(req).await;
    };
    if template.starts_with("/__sandbox") {
        return next.run(req).await;
    }
    let mut req = req;
    let mut name = routes::name_of(&method, &template).unwrap_or("unknown");
    if template == AGENT_PATH && req.method() == Method::POST {
        let (parts, body) = req.into_parts();
        match to_bytes(body, xml::MAX_DOCUMENT).await {
            Ok(bytes) => {
                name = agent_api::route_of(&bytes);
                req = Request::from_parts(parts, Body::from(bytes));
            }
            Err(_) => {
                lock(&shared.hits).record("agent.invalid");
                return agent_api::error_response(
                    300,
                    true,
                    "The request body is too large or unreadable",
                );
            }
        }
    }
    lock(&shared.hits).record(name);
    let mut decision = lock(&shared.faults).decide(name, &method, &template);
    if name == ACCOUNTS_LIST_ROUTE {
        // `timeout` bounds how long the service may wait for the balance: a slower balance
        // (injected latency) comes back as null once the timeout is reached.
        if let Ok(Some(ms)) = wallet_api::accounts_timeout(req.uri()) {
            let cap = Duration::from_millis(ms);
            if decision.latency > cap {
                decision.latency = cap;
                decision.null_balance = true;
            }
        }
    }
    if !decision.latency.is_zero() {
        tokio::time::sleep(decision.latency).await;
    }
    let mut drop_answer = false;
    match decision.action {
        Some(Fault::DropAnswer) => drop_answer = true,
        Some(Fault::Drop) => {
            if let Some(ConnectInfo(conn)) = req.extensions().get::<ConnectInfo<ConnHandle>>() {
                conn.kill();
            }
            return respond::empty(StatusCode::INTERNAL_SERVER_ERROR);
        }
        Some(Fault::Status {
            status,
            retry_after,
        }) => return fault_response(name, status, retry_after),
        Some(Fault::AgentResultCode { code, fatal }) => {
            return agent_api::error_response(code, fatal, agent_code_message(code));
        }
        Some(Fault::Latency(_) | Fault::NullBalance) | None => {}
    }
    if decision.null_balance {
        req.extensions_mut().insert(wallet_api::NullBalance);
    }
    let route = routes::served(&method, &template);
    if let Some(refusal) = route.and_then(|r| accept::refusal(r, req.headers())) {
        return refusal;
    }
    let conn = req.extensions().get::<ConnectInfo<ConnHandle>>().cloned();
    let response = next.run(req).await;
    if drop_answer {
        // The request was handled; only its answer is lost.
        if let Some(ConnectInfo(conn)) = conn {
            conn.kill();
        }
        return respond::empty(StatusCode::INTERNAL_SERVER_ERROR);
    }
    response
}

/// The response for an injected HTTP status, shaped like the route's family answers it.
fn fault_response(route: &str, status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if status == StatusCode::BAD_GATEWAY || route.starts_with("agent") {
        respond::html_page(status)
    } else if route.starts_with("treezor") {
        treezor_api::fault_error(status)
    } else {
        wallet_api::fault_error(status, route)
    };
    match retry_after {
        Some(secs) => respond::set_retry_after(&mut response, secs),
        None if status == StatusCode::TOO_MANY_REQUESTS => {
            respond::set_retry_after(&mut response, 1)
        }
        None => {}
    }
    response
}

fn agent_code_message(code: i32) -> &'static str {
    match code {
        13 => "Сервер занят, повторите запрос через минуту",
        150 => "Ошибка авторизации",
        300 => "Неизвестная ошибка",
        339 => "Доступ с этого IP-адреса запрещен",
        _ => "Ошибка обработки запроса",
    }
}

/// The fallback for paths no route serves.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/v1/") || path.starts_with("/core-connect/") || path.starts_with("/oauth/")
    {
        treezor_api::error(
            StatusCode::NOT_FOUND,
            "not_found",
            "resource_not_found_error",
            "No such endpoint",
        )
    } else {
        wallet_api::edge_error(
            StatusCode::NOT_FOUND,
            "edge",
            "not.found",
            "Not found",
            &format!("No endpoint {path}"),
        )
    }
}
