//! Every call of this client, one line each, named by Treezor's operation ids.

use qiwi_transport::{Endpoint, Method, Route};

/// `GET /v1/balances?walletId=` or `?userId=`.
pub(crate) static BALANCES: Endpoint = Endpoint::get("getBalances", "/v1/balances");
/// `GET /core-connect/balances/{walletId}` with an optional period.
pub(crate) static HISTORY: Endpoint = Endpoint::get(
    "getWalletBalanceHistory",
    "/core-connect/balances/{walletId}",
);
/// `POST /oauth/token`: asking again for a token has no effect beyond issuing one.
pub(crate) static TOKEN: Endpoint =
    Endpoint::new("oauthToken", Method::POST, Route::Path("/oauth/token"))
        .resendable(true)
        .accept("application/json");

/// The call as messages name it: `GET /v1/balances`.
pub(crate) fn operation(endpoint: &Endpoint) -> String {
    format!("{} {}", endpoint.method, endpoint.route_name())
}
