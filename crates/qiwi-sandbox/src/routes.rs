//! The route table: every emulated endpoint with the name that fault rules and request counts
//! use, and the router that serves them.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, patch, post, put};

use crate::state::Shared;
use crate::{admin, agent_api, gate, treezor_api, wallet_api};

/// One emulated endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The name used by fault rules and request counts, e.g. `wallet.accounts.list`.
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/funding-sources/v2/persons/{personId}/accounts`.
    pub path: &'static str,
}

const fn r(name: &'static str, method: &'static str, path: &'static str) -> Route {
    Route { name, method, path }
}

/// Path of the agent protocol endpoint.
pub const AGENT_PATH: &str = "/xml/topup.jsp";

/// Every emulated endpoint. The agent endpoint is one path, named by request type:
/// `agent.ping`, `agent.check-user`, `agent.check-deposit-possible`, `agent.pay.auth`,
/// `agent.pay.status` (and `agent.pay`, `agent.other`, `agent.invalid` for requests that are
/// none of those).
pub const ROUTES: &[Route] = &[
    r(
        "wallet.profile",
        "GET",
        "/person-profile/v1/profile/current",
    ),
    r(
        "wallet.identification.submit",
        "POST",
        "/identification/v1/persons/{wallet}/identification",
    ),
    r(
        "wallet.identification.get",
        "GET",
        "/identification/v1/persons/{wallet}/identification",
    ),
    r(
        "wallet.downgrade.create",
        "POST",
        "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations",
    ),
    r(
        "wallet.downgrade.confirm",
        "PUT",
        "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}/confirm",
    ),
    r(
        "wallet.downgrade.get",
        "GET",
        "/qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations/{downgradeOperationId}",
    ),
    r(
        "wallet.limits",
        "GET",
        "/qw-limits/v1/persons/{personId}/actual-limits",
    ),
    r(
        "wallet.p2p-count",
        "GET",
        "/qw-limits/v1/persons/{personId}/p2p-payment-count-limit",
    ),
    r(
        "wallet.restrictions",
        "GET",
        "/person-profile/v1/persons/{personId}/status/restrictions",
    ),
    r(
        "wallet.accounts.list",
        "GET",
        "/funding-sources/v2/persons/{personId}/accounts",
    ),
    r(
        "wallet.accounts.create",
        "POST",
        "/funding-sources/v2/persons/{personId}/accounts",
    ),
    r(
        "wallet.accounts.offer",
        "GET",
        "/funding-sources/v2/persons/{personId}/accounts/offer",
    ),
    r(
        "wallet.accounts.set-default",
        "PATCH",
        "/funding-sources/v2/persons/{personId}/accounts/{accountAlias}",
    ),
    r("agent", "POST", AGENT_PATH),
    r("treezor.token", "POST", "/oauth/token"),
    r("treezor.balances", "GET", "/v1/balances"),
    r(
        "treezor.history",
        "GET",
        "/core-connect/balances/{walletId}",
    ),
];

/// The route name for a method and matched path template. A method the template does not
/// serve still counts under the template's first name (it is answered with 405).
pub(crate) fn name_of(method: &str, template: &str) -> Option<&'static str> {
    ROUTES
        .iter()
        .find(|r| r.path == template && r.method.eq_ignore_ascii_case(method))
        .or_else(|| ROUTES.iter().find(|r| r.path == template))
        .map(|r| r.name)
}

/// The router serving all three families and the admin endpoints.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let p = |name: &str| {
        ROUTES
            .iter()
            .find(|r| r.name == name)
            .map_or("/", |r| r.path)
    };
    Router::new()
        .route(p("wallet.profile"), get(wallet_api::profile))
        .route(
            p("wallet.identification.get"),
            get(wallet_api::identification_get).post(wallet_api::identification_submit),
        )
        .route(
            p("wallet.downgrade.create"),
            post(wallet_api::downgrade_create),
        )
        .route(
            p("wallet.downgrade.confirm"),
            put(wallet_api::downgrade_confirm),
        )
        .route(p("wallet.downgrade.get"), get(wallet_api::downgrade_get))
        .route(p("wallet.limits"), get(wallet_api::limits))
        .route(p("wallet.p2p-count"), get(wallet_api::p2p_count))
        .route(p("wallet.restrictions"), get(wallet_api::restrictions))
        .route(
            p("wallet.accounts.list"),
            get(wallet_api::accounts_list).post(wallet_api::accounts_create),
        )
        .route(p("wallet.accounts.offer"), get(wallet_api::accounts_offer))
        .route(
            p("wallet.accounts.set-default"),
            patch(wallet_api::accounts_set_default),
        )
        .route(AGENT_PATH, post(agent_api::topup))
        .route(p("treezor.token"), post(treezor_api::token))
        .route(
            p("treezor.balances"),
            get(treezor_api::balances).fallback(treezor_api::balances_method_not_allowed),
        )
        .route(p("treezor.history"), get(treezor_api::history))
        .route(
            "/__sandbox/faults",
            get(admin::list_faults)
                .post(admin::add_faults)
                .delete(admin::clear_faults),
        )
        .route(
            "/__sandbox/requests",
            get(admin::request_counts).delete(admin::reset_counts),
        )
        .route("/__sandbox/reset", post(admin::reset_state))
        .route("/__sandbox/routes", get(admin::routes))
        .route("/__sandbox/about", get(admin::about))
        .route(
            "/__sandbox/treezor/operations",
            post(admin::treezor_operation),
        )
        .route(
            "/__sandbox/treezor/expire-tokens",
            post(admin::expire_tokens),
        )
        .route("/__sandbox/healthz", get(|| async { "ok" }))
        .fallback(gate::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            gate::gate,
        ))
        .with_state(shared)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let mut names: Vec<&str> = ROUTES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ROUTES.len());
        assert_eq!(name_of("GET", "/v1/balances"), Some("treezor.balances"));
        assert_eq!(name_of("POST", "/v1/balances"), Some("treezor.balances"));
        assert_eq!(
            name_of("POST", "/funding-sources/v2/persons/{personId}/accounts"),
            Some("wallet.accounts.create")
        );
    }
}
