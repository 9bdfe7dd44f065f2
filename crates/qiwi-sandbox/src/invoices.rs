//! QIWI Wallet invoices and P2P keys (E36-E39): the unpaid invoices addressed to the demo
//! wallet, paying one from the wallet (debited, and recorded in the history), rejecting one,
//! and the P2P key pairs, whose secret keys then open E37-E39 as the wallet token does.
//!
//! Times are Unix milliseconds, in the answers and in the search's bounds; a bound below
//! [`MIN_MILLIS`] reads as seconds and is refused (the reference leaves the unit open).

use std::collections::VecDeque;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::ids;
use crate::money::Amount;
use crate::respond;
use crate::state::{Shared, State as SandboxState};
use crate::wallet_api::{authorize, bad_request, edge_error, json_body, token_wallet};

type Outcome = Result<Response, Response>;

/// The smallest creation-time bound taken: 1973-03-03 in milliseconds, 5138 years in seconds.
pub(crate) const MIN_MILLIS: i64 = 100_000_000_000;

/// How many unpaid invoices the demo wallet starts with.
const START_INVOICES: usize = 7;

/// An unpaid invoice addressed to the demo wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bill {
    pub id: u64,
    /// Unix milliseconds.
    pub created: i64,
    pub amount: Amount,
    pub currency: u16,
    pub provider_id: u32,
    pub provider_name: &'static str,
    pub comment: String,
}

/// The most P2P secret keys kept: beyond it the oldest stops opening the invoice calls, so a
/// client creating keys in a loop cannot grow the sandbox without bound.
const MAX_SECRET_KEYS: usize = 100;

/// The demo wallet's unpaid invoices, newest first, and the P2P secret keys issued, oldest
/// first, at most [`MAX_SECRET_KEYS`].
#[derive(Debug, Default)]
pub(crate) struct Invoices {
    pub bills: Vec<Bill>,
    pub secret_keys: VecDeque<String>,
}

/// The merchants of the demo invoices.
const MERCHANTS: [(u32, &str); 3] = [
    (480_706, "Интернет-магазин цветов"),
    (480_707, "Книжная лавка"),
    (480_708, "Кофейня"),
];

/// The amounts of the demo invoices, newest first: the last is more than the demo wallet
/// holds.
const AMOUNTS: [Amount; START_INVOICES] = [
    Amount::new(1, 50),
    Amount::new(2, 0),
    Amount::new(0, 75),
    Amount::new(3, 20),
    Amount::new(1, 10),
    Amount::new(0, 99),
    Amount::new(2_000, 0),
];

impl Invoices {
    /// The invoices the demo wallet starts with: one an hour before `wall`, every hour before.
    pub(crate) fn generate(wall: Timestamp) -> Self {
        let now = wall.as_millisecond();
        let bills = AMOUNTS
            .iter()
            .zip(0_u64..)
            .map(|(amount, n)| {
                let (provider_id, provider_name) = MERCHANTS[(n % 3) as usize];
                Bill {
                    id: 1_063_702_405 - n,
                    created: now - 3_600_000 * (n as i64 + 1),
                    amount: *amount,
                    currency: 643,
                    provider_id,
                    provider_name,
                    comment: format!("Заказ {}", 13_515_573 + n),
                }
            })
            .collect();
        Self {
            bills,
            secret_keys: VecDeque::new(),
        }
    }

    fn position(&self, id: u64) -> Option<usize> {
        self.bills.iter().position(|b| b.id == id)
    }
}

impl Bill {
    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "external_id": (self.id - 909_561_800).to_string(),
            "creation_datetime": self.created,
            "expiration_datetime": self.created + 30 * 86_400_000,
            "sum": {"currency": self.currency, "amount": self.amount.json_number()},
            "status": "READY_FOR_PAY",
            "type": "MERCHANT",
            "repetitive": false,
            "provider": {
                "id": self.provider_id,
                "short_name": self.provider_name,
                "long_name": self.provider_name,
                "logo_url": format!("https://static.qiwi.com/img/providers/logoBig/{}_l.png", self.provider_id),
            },
            "comment": self.comment,
            "pay_url": format!("https://oplata.qiwi.com/form?shop={}&transaction={}", self.provider_id, self.id),
        })
    }

    /// The search's order, newest first.
    fn key(&self) -> (i64, u64) {
        (self.created, self.id)
    }
}

const SERVICE: &str = "checkout-api";

fn not_found(id: &str) -> Response {
    edge_error(
        StatusCode::NOT_FOUND,
        SERVICE,
        "invoice.not.found",
        "Счет не найден",
        &format!("No unpaid invoice {id} for this wallet"),
    )
}

/// E37-E39 take the demo wallet's token or a P2P secret key the sandbox issued, and the
/// token of another wallet (which has no invoices); 401 otherwise. `true` for the demo
/// wallet.
fn authorize_invoices(
    state: &SandboxState,
    headers: &HeaderMap,
    route: &str,
) -> Result<bool, Response> {
    let by_key = respond::bearer_token(headers)
        .is_some_and(|token| state.invoices.secret_keys.iter().any(|k| k == token));
    Ok(by_key || token_wallet(state, headers, route)? == state.qiwi.wallet)
}

/// A whole number of a JSON number or string.
fn whole(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// E36 POST /widgets-api/api/p2p/protected/keys/create
pub(crate) async fn create_keys(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.invoices.keys";
    authorize(&shared, &headers, route)?;
    let body = json_body(&headers, &body, route)?;
    let name = body
        .get("keysPairName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.trim().is_empty() {
        return Err(bad_request(route, "keysPairName is required"));
    }
    match body.get("serverNotificationsUrl") {
        None | Some(Value::Null) => {}
        Some(Value::String(url))
            if (url.starts_with("http://") || url.starts_with("https://"))
                && url::Url::parse(url).is_ok() => {}
        Some(_) => {
            return Err(bad_request(
                route,
                "serverNotificationsUrl must be an http(s) URL",
            ));
        }
    }
    let (public, secret) = (
        format!("pk-{}", ids::token()),
        format!("sk-{}", ids::token()),
    );
    {
        let keys = &mut shared.state().invoices.secret_keys;
        if keys.len() >= MAX_SECRET_KEYS {
            keys.pop_front();
        }
        keys.push_back(secret.clone());
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({"PublicKey": public, "SecretKey": secret}),
    ))
}

/// A creation-time bound or cursor time: Unix milliseconds.
fn millis(pairs: &[(String, String)], name: &str, route: &str) -> Result<Option<i64>, Response> {
    let Some(text) = respond::last_value(pairs, name) else {
        return Ok(None);
    };
    match text.parse::<i64>() {
        Ok(ms) if ms >= MIN_MILLIS => Ok(Some(ms)),
        _ => Err(bad_request(
            route,
            &format!("{name} must be Unix time in milliseconds, not {text:?}"),
        )),
    }
}

/// E37 GET /checkout-api/api/bill/search
pub(crate) async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.invoices.search";
    let state = shared.state();
    let demo = authorize_invoices(&state, &headers, route)?;
    let pairs = respond::query_pairs(&uri);
    if respond::last_value(&pairs, "statuses") != Some("READY_FOR_PAY") {
        return Err(bad_request(route, "statuses is required: READY_FOR_PAY"));
    }
    let rows = match respond::last_value(&pairs, "rows") {
        None => 50,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|r| (1..=50).contains(r))
            .ok_or_else(|| bad_request(route, "rows must be a whole number from 1 to 50"))?,
    };
    let min = millis(&pairs, "min_creation_datetime", route)?;
    let max = millis(&pairs, "max_creation_datetime", route)?;
    let next_time = millis(&pairs, "next_creation_datetime", route)?;
    let next_id = match respond::last_value(&pairs, "next_id") {
        None => None,
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| bad_request(route, "next_id must be an invoice id"))?,
        ),
    };
    let mut bills: Vec<&Bill> = state
        .invoices
        .bills
        .iter()
        .filter(|_| demo)
        .filter(|b| min.is_none_or(|m| b.created >= m) && max.is_none_or(|m| b.created <= m))
        // The cursor's own invoice is listed again ("id ≤ next_id").
        .filter(|b| match (next_time, next_id) {
            (Some(t), Some(id)) => b.key() <= (t, id),
            (Some(t), None) => b.created < t,
            (None, Some(id)) => b.id <= id,
            (None, None) => true,
        })
        .collect();
    bills.sort_by_key(|b| std::cmp::Reverse(b.key()));
    let page: Vec<Value> = bills.iter().take(rows).map(|b| b.json()).collect();
    Ok(respond::json(StatusCode::OK, &json!({ "bills": page })))
}

/// The body of E38 or E39, after the invoice calls' own checks.
fn invoice_body(
    headers: &HeaderMap,
    body: &Bytes,
    route: &str,
    content_type_optional: bool,
) -> Result<Map<String, Value>, Response> {
    if content_type_optional && respond::media_type(headers).is_none() {
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(bad_request(route, "The body must be a JSON object")),
        };
    }
    json_body(headers, body, route)
}

/// E38 POST /checkout-api/invoice/pay/wallet
pub(crate) async fn pay(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.invoices.pay";
    let mut state = shared.state();
    let demo = authorize_invoices(&state, &headers, route)?;
    let body = invoice_body(&headers, &body, route, false)?;
    let id = whole(body.get("invoice_uid"))
        .ok_or_else(|| bad_request(route, "invoice_uid must be the invoice id"))?;
    let currency = whole(body.get("currency"))
        .ok_or_else(|| bad_request(route, "currency must be a numeric currency code"))?;
    let at = (state.invoices.position(id))
        .filter(|_| demo)
        .ok_or_else(|| not_found(&id.to_string()))?;
    let bill = state.invoices.bills[at].clone();
    if u64::from(bill.currency) != currency {
        return Err(bad_request(route, "currency is not the invoice's currency"));
    }
    let wallet = state.qiwi.wallet.clone();
    if state.balance(&wallet, bill.currency).unwrap_or(0) < bill.amount.minor() {
        return Err(respond::json(
            StatusCode::BAD_REQUEST,
            &json!({"code": "QWPRC-220", "message": "Недостаточно средств"}),
        ));
    }
    state.debit(&wallet, bill.currency, bill.amount.minor());
    state.invoices.bills.remove(at);
    state.history.record_invoice_payment(
        crate::clock::now(),
        bill.currency,
        bill.amount.minor(),
        bill.provider_id,
        &bill.comment,
    );
    // `is_sms_confirm` as the documented string (the example shows a boolean).
    Ok(respond::json(
        StatusCode::OK,
        &json!({"invoice_status": "PAID_STATUS", "is_sms_confirm": "false", "WALLET_ACCEPT_PAY_RESULT": {}}),
    ))
}

/// E39 POST /checkout-api/api/bill/reject: `200` without a body. The reference's curl sends
/// no `Content-Type` (§14 item 45), so none is taken too.
pub(crate) async fn reject(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.invoices.reject";
    let mut state = shared.state();
    let demo = authorize_invoices(&state, &headers, route)?;
    let body = invoice_body(&headers, &body, route, true)?;
    let id =
        whole(body.get("id")).ok_or_else(|| bad_request(route, "id must be the invoice id"))?;
    let at = (state.invoices.position(id))
        .filter(|_| demo)
        .ok_or_else(|| not_found(&id.to_string()))?;
    state.invoices.bills.remove(at);
    Ok(respond::empty(StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_invoices_are_newest_first_and_one_is_beyond_the_balance() {
        let wall: Timestamp = "2024-05-01T12:00:00Z".parse().unwrap();
        let invoices = Invoices::generate(wall);
        assert_eq!(invoices.bills.len(), START_INVOICES);
        assert!(invoices.bills.windows(2).all(|w| w[0].key() > w[1].key()));
        assert!(invoices.bills.iter().all(|b| b.created >= MIN_MILLIS));
        let demo = crate::demo::QiwiDemo::default();
        let balance = demo.accounts.iter().find(|a| a.default_account);
        let balance = balance.and_then(|a| a.balance).unwrap().minor();
        assert!(invoices.bills.iter().any(|b| b.amount.minor() > balance));
    }
}
