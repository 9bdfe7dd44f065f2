//! QIWI Wallet payments over HTTP (E19, E22-E35): the request is read and the answer written
//! here, the money moves in [`crate::sinap`].

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::clock;
use crate::money::{Amount, parse_minor};
use crate::respond;
use crate::sinap::{MOBILE_PROVIDERS, PayRequest, Refusal, SERVICES, is_card, mask};
use crate::state::Shared;
use crate::wallet_api::{bad_request, json_body, token_wallet, wallet_not_found};

type Outcome = Result<Response, Response>;

/// The body of a refused payment (§11.3): `{"code": "QWPRC-<n>", "message": ...}`.
fn refusal(r: &Refusal) -> Response {
    respond::json(
        StatusCode::BAD_REQUEST,
        &json!({"code": format!("QWPRC-{}", r.code), "message": r.message}),
    )
}

/// A string or number field as text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An amount with at most two decimals; further digits are cut, as the reference says the
/// service does.
fn amount(value: Option<&Value>) -> Option<i64> {
    let text = text(value)?;
    let cut = match text.split_once('.') {
        Some((whole, fraction)) if fraction.len() > 2 => format!("{whole}.{}", &fraction[..2]),
        _ => text,
    };
    parse_minor(&cut).filter(|m| *m > 0)
}

fn currency_code(value: Option<&Value>) -> Option<u16> {
    text(value)?.trim().parse().ok()
}

fn provider_id(raw: &str, route: &str) -> Result<u32, Response> {
    raw.parse()
        .map_err(|_| bad_request(route, &format!("{raw:?} is not a provider id")))
}

/// Reads the Payment body (§9.0).
fn read_payment(
    body: &Map<String, Value>,
    provider: u32,
    route: &str,
) -> Result<PayRequest, Response> {
    let bad = |what: &str| bad_request(route, what);
    let id = text(body.get("id"))
        .filter(|id| (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| bad("id must be a string of 1 to 20 digits"))?;
    let sum = body
        .get("sum")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("sum is missing"))?;
    let amount =
        amount(sum.get("amount")).ok_or_else(|| bad("sum.amount must be a positive amount"))?;
    let currency = currency_code(sum.get("currency"))
        .ok_or_else(|| bad("sum.currency must be a numeric currency code"))?;
    let method = body
        .get("paymentMethod")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("paymentMethod is missing"))?;
    if method.get("type").and_then(Value::as_str) != Some("Account") {
        return Err(bad("paymentMethod.type must be Account"));
    }
    let source_currency = currency_code(method.get("accountId"))
        .ok_or_else(|| bad("paymentMethod.accountId must be a numeric currency code"))?;
    let fields = body
        .get("fields")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("fields is missing"))?
        .iter()
        .map(|(k, v)| text(Some(v)).map(|t| (k.clone(), t)))
        .collect::<Option<BTreeMap<String, String>>>()
        .ok_or_else(|| bad("every value of fields must be a string"))?;
    let comment = match body.get("comment") {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) => Some(c.clone()),
        Some(_) => return Err(bad("comment must be a string")),
    };
    Ok(PayRequest {
        id,
        provider,
        amount,
        currency,
        source_currency,
        fields,
        comment,
    })
}

/// E22-E33 POST /sinap/api/v2/terms/{providerId}/payments (and E29's path without `/v2/`).
pub(crate) async fn pay(
    State(shared): State<Arc<Shared>>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.pay";
    let provider = provider_id(&provider, route)?;
    let now = shared.now();
    let mut state = shared.state();
    let payer = token_wallet(&state, &headers, route)?;
    let body = json_body(&headers, &body, route)?;
    let request = read_payment(&body, provider, route)?;
    match state.pay(&payer, &request, now, clock::now()) {
        Ok(answer) => Ok(respond::json(StatusCode::OK, &answer)),
        Err(r) => Err(refusal(&r)),
    }
}

/// E19 POST /sinap/providers/{providerId}/onlineCommission
pub(crate) async fn commission(
    State(shared): State<Arc<Shared>>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.commission";
    let provider = provider_id(&provider, route)?;
    let state = shared.state();
    token_wallet(&state, &headers, route)?;
    let body = json_body(&headers, &body, route)?;
    let total = body
        .get("purchaseTotals")
        .and_then(|p| p.get("total"))
        .ok_or_else(|| bad_request(route, "purchaseTotals.total is missing"))?;
    let amount = amount(total.get("amount")).ok_or_else(|| {
        bad_request(
            route,
            "purchaseTotals.total.amount must be a positive amount",
        )
    })?;
    let ccy = currency_code(total.get("currency")).ok_or_else(|| {
        bad_request(
            route,
            "purchaseTotals.total.currency must be a numeric code",
        )
    })?;
    let quote = state
        .quote(provider, amount, ccy)
        .map_err(|r| refusal(&r))?;
    let money = |minor: i64, ccy: u16| json!({"amount": Amount(minor).json_number(), "currency": format!("{ccy:03}")});
    Ok(respond::json(
        StatusCode::OK,
        &json!({
            "providerId": provider,
            "withdrawSum": money(quote.withdraw, 643),
            "enrollmentSum": money(amount, ccy),
            "qwCommission": money(quote.commission, 643),
            "fundingSourceCommission": money(0, 643),
            "withdrawToEnrollmentRate": Amount(quote.rate).json_number(),
        }),
    ))
}

/// E24 GET /sinap/crossRates: the rates conversions (1099) use.
pub(crate) async fn cross_rates(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Outcome {
    let route = "wallet.rates";
    let state = shared.state();
    token_wallet(&state, &headers, route)?;
    let result: Vec<Value> = state
        .agent
        .rates
        .iter()
        .map(|r| {
            json!({"set": "General", "from": format!("{:03}", r.from), "to": format!("{:03}", r.to),
                   "rate": r.rate.json_number()})
        })
        .collect();
    Ok(respond::json(StatusCode::OK, &json!({ "result": result })))
}

/// E34 GET /search/v1/search?query=: the providers whose name has every word of the query.
pub(crate) async fn search(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.providers.search";
    token_wallet(&shared.state(), &headers, route)?;
    let pairs = respond::query_pairs(&uri);
    let query = respond::last_value(&pairs, "query")
        .unwrap_or_default()
        .to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.is_empty() {
        return Err(bad_request(route, "query must have at least one word"));
    }
    let catalogue = MOBILE_PROVIDERS
        .iter()
        .map(|(id, name)| (*id, *name, "Мобильная связь"))
        .chain(SERVICES.iter().copied());
    let items: Vec<Value> = catalogue
        .filter(|(_, name, _)| {
            let name = name.to_lowercase();
            words.iter().all(|w| name.contains(w))
        })
        .map(|(id, name, category)| {
            json!({"name": name, "description": name, "uri": null, "data": {
                "id": id,
                "logoUrl": format!("https://static.qiwi.com/img/providers/logoBig/{id}_l.png"),
                "siteUrl": null,
                "category": {"name": category},
                "type": "PROVIDER",
            }})
        })
        .collect();
    Ok(respond::json(StatusCode::OK, &json!({ "items": items })))
}

/// Mobile operator of a phone by its first digits (`7` and the code).
const OPERATOR_PREFIXES: &[(&str, u32)] = &[
    ("7915", 1),
    ("7916", 1),
    ("7985", 1),
    ("7903", 2),
    ("7905", 2),
    ("7906", 2),
    ("7909", 2),
    ("7925", 3),
    ("7926", 3),
    ("7929", 3),
    ("7999", 3),
];

/// E35 GET /qw-mobile-providers-resolver/v1/providers?phoneNumber=
pub(crate) async fn mobile_provider(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.providers.mobile";
    token_wallet(&shared.state(), &headers, route)?;
    let pairs = respond::query_pairs(&uri);
    let phone = respond::last_value(&pairs, "phoneNumber").unwrap_or_default();
    if phone.len() != 11 || !phone.starts_with('7') || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_request(
            route,
            "phoneNumber must be 11 digits starting with 7",
        ));
    }
    let list: Vec<Value> = OPERATOR_PREFIXES
        .iter()
        .filter(|(prefix, _)| phone.starts_with(prefix))
        .filter_map(|(_, id)| MOBILE_PROVIDERS.iter().find(|(p, _)| p == id))
        .map(|(id, name)| {
            json!({"id": id, "shortName": name,
                   "logoUrl": format!("https://static.qiwi.com/img/providers/logoBig/{id}_l.png")})
        })
        .collect();
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "mobileOperatorProviderList": list }),
    ))
}

/// E20 GET /qw-nicknames/v1/persons/{wallet}/nickname: the demo wallet's nickname (the same as
/// its profile's); a second wallet has none.
pub(crate) async fn nickname(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.nickname";
    let state = shared.state();
    let owner = token_wallet(&state, &headers, route)?;
    if owner != wallet {
        return Err(wallet_not_found(route, &wallet));
    }
    let nickname = if owner == state.qiwi.wallet {
        state.qiwi.profile.nickname.clone()
    } else {
        None
    };
    Ok(respond::json(
        StatusCode::OK,
        &json!({"nickname": nickname, "canChange": true, "canUse": true, "description": ""}),
    ))
}

/// E27 POST /sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers: the provider id of
/// a card (`"1234 1234 1234 1238"`), by its first digit: 4 Visa (1963), 5 Mastercard (21013), 2
/// MIR (31652).
pub(crate) async fn card_provider(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.card-provider";
    token_wallet(&shared.state(), &headers, route)?;
    let body = json_body(&headers, &body, route)?;
    let digits: String = text(body.get("account"))
        .unwrap_or_default()
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    let provider = match digits.as_bytes().first() {
        Some(b'4') => 1963,
        Some(b'5') => 21013,
        Some(b'2') => 31652,
        _ => 0,
    };
    if provider == 0 || !is_card(&digits) {
        return Err(refusal(&Refusal {
            code: 522,
            message: "Неверный номер карты",
        }));
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({"elements": [{"type": "field", "name": "termsId", "value": provider.to_string()}]}),
    ))
}

/// E28 POST /sinap/api/refs/a42ebc79-0584-4271-b8a0-15cb4ea8b340/containers: the preparation of
/// a Kazakhstan card transfer, `account` (the card masked) and an opaque `ev_account1` that E29
/// sends back.
pub(crate) async fn prepare_kz_card(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.kz-card-prepare";
    token_wallet(&shared.state(), &headers, route)?;
    let body = json_body(&headers, &body, route)?;
    let card = text(body.get("cardNumber")).unwrap_or_default();
    if !is_card(&card) {
        return Err(refusal(&Refusal {
            code: 522,
            message: "Неверный номер карты",
        }));
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({"elements": [
            {"type": "field", "name": "account", "value": mask(&card)},
            {"type": "field", "name": "ev_account1", "value": format!("sandbox-ev-{}", card.len())},
        ]}),
    ))
}
