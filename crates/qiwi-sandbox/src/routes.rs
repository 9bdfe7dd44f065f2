//! The route table: every emulated endpoint with the name that fault rules and request counts
//! use, and the router that serves them.

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, patch, post, put};

use crate::faults::{ACCOUNTS_LIST_ROUTE, Fault, FaultRule};
use crate::state::Shared;
use crate::{
    admin, agent_api, agent_lookup, cards, gate, invoices, treezor_api, wallet_api, wallet_history,
    wallet_pay, webhook_api,
};

/// One emulated endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The name used by fault rules and request counts, e.g. `wallet.accounts.list`.
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/funding-sources/v2/persons/{personId}/accounts`.
    pub path: &'static str,
    /// The media types its answers come in, as an `Accept` header must allow them (empty: the
    /// reference documents no `Accept`, and any is taken).
    pub accepts: &'static [&'static str],
}

/// The media type the reference documents for the endpoints of the two JSON families.
const JSON: &[&str] = &["application/json"];

/// A JSON endpoint.
const fn r(name: &'static str, method: &'static str, path: &'static str) -> Route {
    Route {
        name,
        method,
        path,
        accepts: JSON,
    }
}

/// An agent protocol endpoint (XML, always POST).
const fn agent(name: &'static str, path: &'static str) -> Route {
    Route {
        name,
        method: "POST",
        path,
        accepts: &[],
    }
}

/// Path of the agent protocol endpoint.
pub const AGENT_PATH: &str = "/xml/topup.jsp";

/// Path of the agent protocol's provider lookup (`get-provider-by-phone-number`).
pub const LOOKUP_PATH: &str = "/xml/xmlcp.jsp";

/// The names requests to [`AGENT_PATH`] are counted and faulted under, by request type.
pub const AGENT_REQUESTS: &[&str] = &[
    "agent.ping",
    "agent.check-user",
    "agent.check-deposit-possible",
    "agent.pay.auth",
    "agent.pay.status",
    "agent.pay",
    "agent.other",
    "agent.invalid",
];

/// Every emulated endpoint. The agent endpoint is one path, named by request type
/// ([`AGENT_REQUESTS`]).
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
    r(
        "wallet.history.payments",
        "GET",
        "/payment-history/v2/persons/{wallet}/payments",
    ),
    r(
        "wallet.history.totals",
        "GET",
        "/payment-history/v2/persons/{wallet}/payments/total",
    ),
    r(
        "wallet.history.transaction",
        "GET",
        "/payment-history/v2/transactions/{transactionId}",
    ),
    r(
        "wallet.history.cheque.file",
        "GET",
        "/payment-history/v1/transactions/{transactionId}/cheque/file",
    ),
    r(
        "wallet.history.cheque.send",
        "POST",
        "/payment-history/v1/transactions/{transactionId}/cheque/send",
    ),
    r(
        "wallet.commission",
        "POST",
        "/sinap/providers/{providerId}/onlineCommission",
    ),
    r(
        "wallet.pay",
        "POST",
        "/sinap/api/v2/terms/{providerId}/payments",
    ),
    Route {
        name: "wallet.pay.kz-card",
        method: "POST",
        path: "/sinap/api/terms/{providerId}/payments",
        accepts: &["application/vnd.qiwi.v2+json", "application/json"],
    },
    r("wallet.rates", "GET", "/sinap/crossRates"),
    r(
        "wallet.nickname",
        "GET",
        "/qw-nicknames/v1/persons/{wallet}/nickname",
    ),
    Route {
        name: "wallet.card-provider",
        method: "POST",
        path: "/sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers",
        accepts: &["application/vnd.qiwi.v1+json", "application/json"],
    },
    Route {
        name: "wallet.kz-card-prepare",
        method: "POST",
        path: "/sinap/api/refs/a42ebc79-0584-4271-b8a0-15cb4ea8b340/containers",
        accepts: &["application/vnd.qiwi.v1+json", "application/json"],
    },
    r("wallet.providers.search", "GET", "/search/v1/search"),
    r(
        "wallet.providers.mobile",
        "GET",
        "/qw-mobile-providers-resolver/v1/providers",
    ),
    r(
        "wallet.invoices.keys",
        "POST",
        "/widgets-api/api/p2p/protected/keys/create",
    ),
    r(
        "wallet.invoices.search",
        "GET",
        "/checkout-api/api/bill/search",
    ),
    r(
        "wallet.invoices.pay",
        "POST",
        "/checkout-api/invoice/pay/wallet",
    ),
    r(
        "wallet.invoices.reject",
        "POST",
        "/checkout-api/api/bill/reject",
    ),
    r(
        "wallet.cards.order",
        "POST",
        "/cards/v2/persons/{wallet}/orders",
    ),
    r(
        "wallet.cards.submit",
        "PUT",
        "/cards/v2/persons/{wallet}/orders/{orderId}/submit",
    ),
    r("wallet.cards.list", "GET", "/cards/v1/cards"),
    r(
        "wallet.cards.statement",
        "GET",
        "/payment-history/v1/persons/{wallet}/cards/{cardId}/statement",
    ),
    r(
        "wallet.cards.block",
        "PUT",
        "/cards/v2/persons/{wallet}/cards/{cardId}/block",
    ),
    r(
        "wallet.cards.unblock",
        "PUT",
        "/cards/v2/persons/{wallet}/cards/{cardId}/unblock",
    ),
    r(
        "wallet.cards.details",
        "PUT",
        "/cards/v1/cards/{cardId}/details",
    ),
    r(
        "wallet.cards.alias",
        "PUT",
        "/cards/v1/cards/{cardId}/alias",
    ),
    r(
        "wallet.webhooks.register",
        "PUT",
        "/payment-notifier/v1/hooks",
    ),
    r(
        "wallet.webhooks.delete",
        "DELETE",
        "/payment-notifier/v1/hooks/{hookId}",
    ),
    r(
        "wallet.webhooks.key",
        "GET",
        "/payment-notifier/v1/hooks/{hookId}/key",
    ),
    r(
        "wallet.webhooks.newkey",
        "POST",
        "/payment-notifier/v1/hooks/{hookId}/newkey",
    ),
    r(
        "wallet.webhooks.active",
        "GET",
        "/payment-notifier/v1/hooks/active",
    ),
    r(
        "wallet.webhooks.test",
        "GET",
        "/payment-notifier/v1/hooks/test",
    ),
    agent("agent", AGENT_PATH),
    agent("agent.provider", LOOKUP_PATH),
    r("treezor.token", "POST", "/oauth/token"),
    r("treezor.balances", "GET", "/v1/balances"),
    r(
        "treezor.history",
        "GET",
        "/core-connect/balances/{walletId}",
    ),
];

/// A fault rule that no served route matches, or whose fault cannot apply to the routes it
/// matches.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no route the sandbox serves matches {route:?} for a {fault} fault (GET /__sandbox/routes lists the routes)"
)]
pub struct UnservedRoute {
    /// The rule's route pattern.
    pub route: String,
    /// The fault's name.
    pub fault: &'static str,
}

/// Checks that a fault rule can ever apply: its pattern matches a served route and its fault
/// applies there (`nullBalance` to the accounts list, `agentResultCode` to agent requests).
/// Rules added at run time and rules given at start go through this one check.
///
/// ```
/// use qiwi_sandbox::{Fault, FaultRule, check_fault_rule};
/// assert!(check_fault_rule(&FaultRule::new("wallet", Fault::Drop)).is_ok());
/// assert!(check_fault_rule(&FaultRule::new("agent.pay.status", Fault::Drop)).is_ok());
/// assert!(check_fault_rule(&FaultRule::new("GET /v1/balances", Fault::Drop)).is_ok());
/// assert!(check_fault_rule(&FaultRule::new("walet", Fault::Drop)).is_err());
/// assert!(check_fault_rule(&FaultRule::new("treezor", Fault::NullBalance)).is_err());
/// ```
///
/// # Errors
/// [`UnservedRoute`] naming the pattern and the fault.
pub fn check_fault_rule(rule: &FaultRule) -> Result<(), UnservedRoute> {
    let applies = |name: &str, method: &str, path: &str| {
        rule.matches(name, method, path)
            && match rule.fault {
                Fault::NullBalance => name == ACCOUNTS_LIST_ROUTE,
                Fault::AgentResultCode { .. } => name.starts_with("agent"),
                _ => true,
            }
    };
    let served = ROUTES.iter().any(|r| applies(r.name, r.method, r.path))
        || AGENT_REQUESTS
            .iter()
            .any(|name| applies(name, "POST", AGENT_PATH));
    if served {
        Ok(())
    } else {
        Err(UnservedRoute {
            route: rule.route.clone(),
            fault: fault_name(&rule.fault),
        })
    }
}

fn fault_name(fault: &Fault) -> &'static str {
    match fault {
        Fault::Latency(_) => "latency",
        Fault::Status { .. } => "status",
        Fault::Drop => "drop",
        Fault::DropAnswer => "dropAnswer",
        Fault::NullBalance => "nullBalance",
        Fault::AgentResultCode { .. } => "agentResultCode",
    }
}

/// The route name for a method and matched path template. A method the template does not
/// serve still counts under the template's first name (it is answered with 405).
pub(crate) fn name_of(method: &str, template: &str) -> Option<&'static str> {
    served(method, template)
        .or_else(|| ROUTES.iter().find(|r| r.path == template))
        .map(|r| r.name)
}

/// The route serving a method and matched path template.
pub(crate) fn served(method: &str, template: &str) -> Option<&'static Route> {
    ROUTES
        .iter()
        .find(|r| r.path == template && r.method.eq_ignore_ascii_case(method))
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
        .route(p("wallet.history.payments"), get(wallet_history::payments))
        .route(p("wallet.history.totals"), get(wallet_history::totals))
        .route(
            p("wallet.history.transaction"),
            get(wallet_history::transaction),
        )
        .route(
            p("wallet.history.cheque.file"),
            get(wallet_history::cheque_file),
        )
        .route(
            p("wallet.history.cheque.send"),
            post(wallet_history::cheque_send),
        )
        .route(p("wallet.commission"), post(wallet_pay::commission))
        .route(p("wallet.pay"), post(wallet_pay::pay))
        .route(p("wallet.pay.kz-card"), post(wallet_pay::pay))
        .route(p("wallet.rates"), get(wallet_pay::cross_rates))
        .route(p("wallet.nickname"), get(wallet_pay::nickname))
        .route(p("wallet.card-provider"), post(wallet_pay::card_provider))
        .route(
            p("wallet.kz-card-prepare"),
            post(wallet_pay::prepare_kz_card),
        )
        .route(p("wallet.providers.search"), get(wallet_pay::search))
        .route(
            p("wallet.providers.mobile"),
            get(wallet_pay::mobile_provider),
        )
        .route(p("wallet.invoices.keys"), post(invoices::create_keys))
        .route(p("wallet.invoices.search"), get(invoices::search))
        .route(p("wallet.invoices.pay"), post(invoices::pay))
        .route(p("wallet.invoices.reject"), post(invoices::reject))
        .route(p("wallet.cards.order"), post(cards::order))
        .route(p("wallet.cards.submit"), put(cards::submit))
        .route(p("wallet.cards.list"), get(cards::list))
        .route(p("wallet.cards.statement"), get(cards::statement))
        .route(p("wallet.cards.block"), put(cards::block))
        .route(p("wallet.cards.unblock"), put(cards::unblock))
        .route(p("wallet.cards.details"), put(cards::details))
        .route(p("wallet.cards.alias"), put(cards::rename))
        .route(p("wallet.webhooks.register"), put(webhook_api::register))
        .route(p("wallet.webhooks.delete"), delete(webhook_api::delete))
        .route(p("wallet.webhooks.key"), get(webhook_api::key))
        .route(
            p("wallet.webhooks.newkey"),
            post(webhook_api::new_key_route),
        )
        .route(p("wallet.webhooks.active"), get(webhook_api::active))
        .route(p("wallet.webhooks.test"), get(webhook_api::test))
        .route(AGENT_PATH, post(agent_api::topup))
        .route(LOOKUP_PATH, post(agent_lookup::provider))
        .route(p("treezor.token"), post(treezor_api::token))
        .route(
            p("treezor.balances"),
            get(treezor_api::balances).fallback(treezor_api::balances_method_not_allowed),
        )
        .route(p("treezor.history"), get(treezor_api::history))
        .merge(admin::router())
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

    #[test]
    fn agent_request_names_are_listed() {
        for body in [
            "<request><request-type>ping</request-type></request>",
            "<request><request-type>check-user</request-type></request>",
            "<request><request-type>check-deposit-possible</request-type></request>",
            "<request><request-type>pay</request-type><auth/></request>",
            "<request><request-type>pay</request-type><status/></request>",
            "<request><request-type>pay</request-type></request>",
            "<request><request-type>pwd-change</request-type></request>",
            "not xml",
        ] {
            let name = agent_api::route_of(body.as_bytes());
            assert!(AGENT_REQUESTS.contains(&name), "{name}");
        }
    }

    #[test]
    fn only_the_json_families_check_accept() {
        for route in ROUTES {
            assert_eq!(
                route.accepts.is_empty(),
                route.name.starts_with("agent"),
                "{route:?}"
            );
        }
    }
}
