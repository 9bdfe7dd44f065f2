//! QIWI Master virtual cards of the demo wallet (E40 to E49), with their state kept.
//!
//! An order (E41) is a `DRAFT`; its submission (E42) issues the card at once while the wallet
//! has fewer than [`FREE_CARDS`] cards, and answers `PAYMENT_REQUIRED` at [`CARD_PRICE`]
//! beyond. The payment of such an order (E43, provider 32064, in [`crate::sinap`]) debits the
//! wallet and issues the card; the package (E40, provider 28004) is a payment of
//! [`PACKAGE_PRICE`]. A card is blocked with `202` (E46) and unblocked (E47) within 90 days of
//! its block on the sandbox's clock (`FAIL` after). Its number and CVV (E48) are made up from
//! its id; a rename (E49) changes `qvx.cardAlias`; its statement (E45) is a one-page PDF.
//!
//! The card calls take `qvx.id` in their path, and the free order's `cardId` (E42) is that
//! id: the sandbox agrees with the client's reading of reference §14 item 48.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::money::Amount;
use crate::respond;
use crate::sinap::{PayRequest, Refusal};
use crate::state::{Shared, State as SandboxState};
use crate::wallet_api::{bad_request, edge_error, json_body, token_wallet, wallet_not_found};
use crate::wallet_history::{moscow_offset, window, write_time};
use crate::{clock, receipt_files};

type Outcome = Result<Response, Response>;

/// Cards issued without payment; the next ones cost [`CARD_PRICE`].
pub(crate) const FREE_CARDS: usize = 5;
/// The price of a card beyond the free ones, in kopecks (the reference's tariff, 99 RUB).
pub(crate) const CARD_PRICE: i64 = 9_900;
/// The price of the QIWI Master package, in kopecks (the reference's example, 2999 RUB).
pub(crate) const PACKAGE_PRICE: i64 = 299_900;
/// The package's provider (E40) and the paid card's (E43).
const PACKAGE_PROVIDER: u32 = 28004;
const CARD_ORDER_PROVIDER: u32 = 32064;
/// How long a card blocked through the API can be unblocked through it.
const UNBLOCK_WINDOW: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// The first `qvx.id`, and the first `qvx.cardId` (the reference's example values).
const FIRST_ID: u64 = 133_789_472;
const FIRST_LONG_ID: u64 = 2_001_291_110_576_200_000;

/// An order (E41).
#[derive(Debug, Clone)]
struct Order {
    alias: String,
    /// `DRAFT`, `COMPLETED` or `PAYMENT_REQUIRED`.
    status: &'static str,
    /// Kopecks; `None` while a draft.
    price: Option<i64>,
    card: Option<u64>,
}

/// A card.
#[derive(Debug, Clone)]
struct Card {
    id: u64,
    long_id: u64,
    kind: String,
    name: String,
    blocked: Option<(Instant, Timestamp)>,
    activated: Timestamp,
}

impl Card {
    /// A made-up card number: the 4444 test range, then the id.
    fn pan(&self) -> String {
        format!("4444{:012}", self.id % 1_000_000_000_000)
    }

    fn cvv(&self) -> String {
        format!("{:03}", self.id.wrapping_mul(7919) % 1000)
    }
}

/// The demo wallet's orders and cards.
#[derive(Debug, Default)]
pub(crate) struct CardsState {
    orders: BTreeMap<String, Order>,
    cards: Vec<Card>,
    /// Whether the package (E40) was bought.
    package: bool,
}

/// Whether a payment's provider is the package (E40) or a paid card (E43): purchases from the
/// wallet's own issuer, counted against the turnover limit only.
pub(crate) fn is_card_payment(provider: u32) -> bool {
    provider == PACKAGE_PROVIDER || provider == CARD_ORDER_PROVIDER
}

impl CardsState {
    fn issue(&mut self, kind: &str, now: Timestamp) -> u64 {
        let n = self.cards.len() as u64;
        let card = Card {
            id: FIRST_ID + n,
            long_id: FIRST_LONG_ID + n,
            kind: kind.to_owned(),
            name: format!("Карта {}", n + 1),
            blocked: None,
            activated: now,
        };
        let id = card.id;
        self.cards.push(card);
        id
    }

    /// The card whose `qvx.id` is `id`, or the 404 answer.
    fn card_mut(&mut self, id: &str) -> Result<&mut Card, Response> {
        self.cards
            .iter_mut()
            .find(|c| c.id.to_string() == id)
            .ok_or_else(|| card_not_found(id))
    }

    /// Checks a payment to the package (E40) or a card order (E43) by `payer`.
    pub(crate) fn check_payment(
        &self,
        demo_wallet: &str,
        payer: &str,
        req: &PayRequest,
    ) -> Result<(), Refusal> {
        let account = req.fields.get("account").map(String::as_str);
        if payer != demo_wallet || account != Some(payer) {
            return Err(refusal(
                4,
                "Карты QIWI Мастер оформляются только на свой кошелек",
            ));
        }
        if req.provider == PACKAGE_PROVIDER {
            if req.fields.get("vas_alias").map(String::as_str) != Some("qvc-master") {
                return Err(refusal(4, "Не указан пакет (vas_alias)"));
            }
            if self.package {
                return Err(refusal(131, "Пакет QIWI Мастер уже подключен"));
            }
            return price_matches(req, PACKAGE_PRICE);
        }
        let order = req
            .fields
            .get("order_id")
            .and_then(|id| self.orders.get(id))
            .ok_or(refusal(4, "Заказ карты не найден"))?;
        if order.status != "PAYMENT_REQUIRED" {
            return Err(refusal(131, "Заказ карты не ожидает оплаты"));
        }
        price_matches(req, order.price.unwrap_or(CARD_PRICE))
    }

    /// What a checked payment does once the money left: the package is on, or the order's
    /// card is issued.
    pub(crate) fn paid(&mut self, req: &PayRequest, now: Timestamp) {
        if req.provider == PACKAGE_PROVIDER {
            self.package = true;
            return;
        }
        let Some(id) = req.fields.get("order_id") else {
            return;
        };
        let Some(kind) = self.orders.get(id).map(|o| o.alias.clone()) else {
            return;
        };
        let card = self.issue(&kind, now);
        if let Some(order) = self.orders.get_mut(id) {
            order.status = "COMPLETED";
            order.card = Some(card);
        }
    }
}

const fn refusal(code: u32, message: &'static str) -> Refusal {
    Refusal { code, message }
}

fn price_matches(req: &PayRequest, price: i64) -> Result<(), Refusal> {
    if req.currency != 643 || req.amount != price {
        return Err(refusal(241, "Сумма платежа не равна стоимости"));
    }
    Ok(())
}

fn order_json(id: &str, order: &Order) -> Value {
    json!({
        "id": id,
        "cardAlias": order.alias,
        "status": order.status,
        "price": order.price.map(|p| json!({"amount": Amount(p).json_number(), "currency": 643})),
        "cardId": order.card.map(|c| c.to_string()),
    })
}

fn at_moscow(at: Timestamp) -> String {
    write_time(at, moscow_offset(at))
}

fn card_json(card: &Card) -> Value {
    let expire = card
        .activated
        .checked_add(jiff::SignedDuration::from_hours(365 * 24))
        .unwrap_or(card.activated);
    let expire_text = at_moscow(expire);
    let (month, year) = (expire_text[5..7].to_owned(), expire_text[..4].to_owned());
    let paid_kind = card.kind == "qvc-cpa-debit";
    let pan = card.pan();
    json!({
        "qvx": {
            "id": card.id,
            "maskedPan": format!("****{}", &pan[pan.len() - 4..]),
            "status": if card.blocked.is_some() { "BLOCKED" } else { "ACTIVE" },
            "cardExpire": expire_text,
            "cardType": "VIRTUAL",
            "cardAlias": card.name,
            "cardLimit": null,
            "activated": at_moscow(card.activated),
            "smsResended": null,
            "postNumber": null,
            "blockedDate": card.blocked.map(|(_, at)| at_moscow(at)),
            "fullPan": null,
            "cardId": card.long_id,
            "txnId": card.long_id.to_string(),
            "cardExpireMonth": month,
            "cardExpireYear": year,
            "unblockAvailable": card.blocked.is_some(),
        },
        "balance": {"amount": 0, "currency": 643},
        "info": {
            "id": if paid_kind { 13 } else { 12 },
            "name": if paid_kind { "QIWI Мастер дебетовая" } else { "Виртуальная карта QIWI" },
            "alias": card.kind,
            "price": {"amount": Amount(CARD_PRICE).json_number(), "currency": 643},
            "period": "за год",
            "type": if paid_kind { "QVC_CPA_DEBIT" } else { "QVC_CPA" },
            "details": {"info": "99 ₽, действует 1 год", "description": "",
                        "tariffLink": "https://qiwi.com/sandbox/tariff", "offerLink": "https://qiwi.com/sandbox/offer",
                        "features": [], "requisites": [{"name": "ИНН", "value": "3123011520"}]},
            "features": [],
        },
    })
}

fn card_not_found(id: &str) -> Response {
    edge_error(
        StatusCode::NOT_FOUND,
        "cards",
        "card.not.found",
        "Card not found",
        &format!("No card {id} (the card calls take qvx.id of the cards list)"),
    )
}

/// The demo wallet's state, for a token of that wallet and, where the path has one, its
/// number.
fn demo_state<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    wallet: Option<&str>,
    route: &str,
) -> Result<std::sync::MutexGuard<'a, SandboxState>, Response> {
    let state = shared.state();
    let owner = token_wallet(&state, headers, route)?;
    let demo = state.qiwi.wallet.clone();
    match wallet {
        Some(wallet) if wallet != demo => Err(wallet_not_found(route, wallet)),
        _ if owner != demo => Err(wallet_not_found(route, &owner)),
        _ => Ok(state),
    }
}

/// E41 POST /cards/v2/persons/{wallet}/orders
pub(crate) async fn order(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.cards.order";
    let mut state = demo_state(&shared, &headers, Some(&wallet), route)?;
    let body = json_body(&headers, &body, route)?;
    let alias = match body.get("cardAlias").and_then(Value::as_str) {
        Some(alias @ ("qvc-cpa" | "qvc-cpa-debit")) => alias.to_owned(),
        _ => {
            return Err(bad_request(
                route,
                "cardAlias must be qvc-cpa or qvc-cpa-debit",
            ));
        }
    };
    let id = crate::ids::uuid();
    let order = Order {
        alias,
        status: "DRAFT",
        price: None,
        card: None,
    };
    let answer = order_json(&id, &order);
    state.cards.orders.insert(id, order);
    Ok(respond::json(StatusCode::OK, &answer))
}

/// E42 PUT /cards/v2/persons/{wallet}/orders/{orderId}/submit: a submitted order answers its
/// state again.
pub(crate) async fn submit(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.cards.submit";
    let mut state = demo_state(&shared, &headers, Some(&wallet), route)?;
    let cards = &mut state.cards;
    let Some(order) = cards.orders.get(&id).cloned() else {
        return Err(edge_error(
            StatusCode::NOT_FOUND,
            "cards",
            "order.not.found",
            "Order not found",
            &format!("No card order {id}"),
        ));
    };
    let order = if order.status == "DRAFT" {
        let submitted = if cards.cards.len() < FREE_CARDS {
            let card = cards.issue(&order.alias, clock::now());
            Order {
                status: "COMPLETED",
                price: Some(0),
                card: Some(card),
                ..order
            }
        } else {
            Order {
                status: "PAYMENT_REQUIRED",
                price: Some(CARD_PRICE),
                ..order
            }
        };
        cards.orders.insert(id.clone(), submitted.clone());
        submitted
    } else {
        order
    };
    Ok(respond::json(StatusCode::OK, &order_json(&id, &order)))
}

/// E44 GET /cards/v1/cards?vas-alias=qvc-master
pub(crate) async fn list(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.cards.list";
    let state = demo_state(&shared, &headers, None, route)?;
    let pairs = respond::query_pairs(&uri);
    if respond::last_value(&pairs, "vas-alias") != Some("qvc-master") {
        return Err(bad_request(route, "vas-alias must be qvc-master"));
    }
    let cards: Vec<Value> = state.cards.cards.iter().map(card_json).collect();
    Ok(respond::json(StatusCode::OK, &Value::Array(cards)))
}

/// E45 GET /payment-history/v1/persons/{wallet}/cards/{cardId}/statement?from=&till=
pub(crate) async fn statement(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.cards.statement";
    let mut state = demo_state(&shared, &headers, Some(&wallet), route)?;
    let pairs = respond::query_pairs(&uri);
    let (Some(from), Some(till)) = (
        respond::last_value(&pairs, "from"),
        respond::last_value(&pairs, "till"),
    ) else {
        return Err(bad_request(route, "from and till are required"));
    };
    let (from, till, offset) = window(("from", from), ("till", till), route)?;
    let card = state.cards.card_mut(&id)?;
    let pan = card.pan();
    let lines = [
        "QIWI Master card statement".to_owned(),
        format!("Card ****{} ({})", &pan[pan.len() - 4..], card.name),
        format!("From {}", write_time(from, offset)),
        format!("Till {}", write_time(till, offset)),
        "No operations".to_owned(),
    ];
    let mut response = (StatusCode::OK, receipt_files::pdf(&lines)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    Ok(response)
}

/// E46 PUT /cards/v2/persons/{wallet}/cards/{cardId}/block: `202` without a body.
pub(crate) async fn block(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.cards.block";
    let now = shared.now();
    let mut state = demo_state(&shared, &headers, Some(&wallet), route)?;
    let card = state.cards.card_mut(&id)?;
    if card.blocked.is_none() {
        card.blocked = Some((now, clock::now()));
    }
    Ok(respond::empty(StatusCode::ACCEPTED))
}

/// E47 PUT /cards/v2/persons/{wallet}/cards/{cardId}/unblock: `OK` within 90 days of the
/// block, `FAIL` after or for a card that is not blocked.
pub(crate) async fn unblock(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.cards.unblock";
    let now = shared.now();
    let mut state = demo_state(&shared, &headers, Some(&wallet), route)?;
    let card = state.cards.card_mut(&id)?;
    let status = match card.blocked {
        Some((at, _)) if now.saturating_duration_since(at) <= UNBLOCK_WINDOW => {
            card.blocked = None;
            "OK"
        }
        _ => "FAIL",
    };
    Ok(respond::json(
        StatusCode::OK,
        &json!({"status": status, "nextConfirmationRequest": null, "confirmationId": null, "operationId": null}),
    ))
}

/// E48 PUT /cards/v1/cards/{cardId}/details: `FAIL` without the numbers for a blocked card.
pub(crate) async fn details(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.cards.details";
    let mut state = demo_state(&shared, &headers, None, route)?;
    let body = json_body(&headers, &body, route)?;
    if body
        .get("operationId")
        .and_then(Value::as_str)
        .is_none_or(|op| op.trim().is_empty())
    {
        return Err(bad_request(route, "operationId (a UUID) is required"));
    }
    let card = state.cards.card_mut(&id)?;
    let answer = if card.blocked.is_some() {
        json!({"status": "FAIL", "cvv": null, "pan": null, "errorCode": "CARD_BLOCKED"})
    } else {
        json!({"status": "OK", "cvv": card.cvv(), "pan": card.pan(), "errorCode": "0"})
    };
    Ok(respond::json(StatusCode::OK, &answer))
}

/// E49 PUT /cards/v1/cards/{cardId}/alias
pub(crate) async fn rename(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.cards.alias";
    let mut state = demo_state(&shared, &headers, None, route)?;
    let body = json_body(&headers, &body, route)?;
    let card = state.cards.card_mut(&id)?;
    let answer = match body.get("alias").and_then(Value::as_str).map(str::trim) {
        Some(alias)
            if !alias.is_empty()
                && alias.chars().count() <= 64
                && !alias.chars().any(char::is_control) =>
        {
            card.name = alias.to_owned();
            json!({"status": "OK", "error": "OK", "errorCode": "OK"})
        }
        _ => {
            json!({"status": "FAIL", "error": "alias must be 1 to 64 characters, none a control character", "errorCode": "INVALID_ALIAS"})
        }
    };
    Ok(respond::json(StatusCode::OK, &answer))
}
