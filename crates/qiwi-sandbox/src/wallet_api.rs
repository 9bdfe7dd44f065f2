//! QIWI Wallet personal API (JSON, bearer token): profile, identification, limits,
//! restrictions and balances (endpoints E01-E13 of the reference); the payment history is in
//! `wallet_history`.

use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::clock;
use crate::demo::QiwiAccount;
use crate::ids;
use crate::money::{Amount, json_number};
use crate::respond;
use crate::state::{Downgrade, Shared, State as SandboxState};

/// Marker put on an accounts-list request whose balances must read `null`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NullBalance;

/// The error body QIWI's edge services answer with (reference §11.3).
pub(crate) fn edge_error(
    status: StatusCode,
    service: &str,
    code: &str,
    user_message: &str,
    description: &str,
) -> Response {
    respond::json(
        status,
        &json!({
            "serviceName": service,
            "errorCode": code,
            "userMessage": user_message,
            "description": description,
            "dateTime": clock::edge_datetime(clock::now()),
            "traceId": ids::trace_id(),
        }),
    )
}

/// The edge error body for an injected HTTP status.
pub(crate) fn fault_error(status: StatusCode, route: &str) -> Response {
    let (code, message) = match status.as_u16() {
        423 => (
            "request.blocked",
            "Too many requests, the service is temporarily unavailable",
        ),
        429 => ("too.many.requests", "Too many requests"),
        500 => ("internal.error", "Internal error"),
        503 => ("service.unavailable", "Service temporarily unavailable"),
        _ => ("error", status.canonical_reason().unwrap_or("Error")),
    };
    edge_error(status, service_of(route), code, message, message)
}

/// The `serviceName` of a route.
fn service_of(route: &str) -> &'static str {
    if route.starts_with("wallet.identification") {
        "identification"
    } else if route.starts_with("wallet.downgrade") {
        "qw-ident-downgrade-api"
    } else if route.starts_with("wallet.limits") || route.starts_with("wallet.p2p") {
        "qw-limits"
    } else if route.starts_with("wallet.accounts") {
        "funding-sources"
    } else if route.starts_with("wallet.history") {
        "payment-history"
    } else {
        "person-profile"
    }
}

/// What a handler answers: `Err` holds the error response of an early exit.
type Outcome = Result<Response, Response>;

/// Checks the bearer token.
pub(crate) fn authorize(shared: &Shared, headers: &HeaderMap, route: &str) -> Result<(), Response> {
    let expected = crate::state::lock(&shared.state).qiwi.token.clone();
    let description = match respond::bearer_token(headers) {
        Some(token) if token == expected => return Ok(()),
        Some(_) => "The access token is invalid or expired",
        None => "The Authorization header with a Bearer token is missing",
    };
    Err(edge_error(
        StatusCode::UNAUTHORIZED,
        service_of(route),
        "auth.unauthorized",
        "Unauthorized",
        description,
    ))
}

/// The start of every call on a wallet in the path: checks the bearer token (401), locks the
/// settled state, and checks that the wallet is the token's wallet (404 otherwise, as the
/// reference says for a wallet that is not found).
pub(crate) fn wallet_state<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    wallet: &str,
    route: &str,
) -> Result<MutexGuard<'a, SandboxState>, Response> {
    authorize(shared, headers, route)?;
    let state = shared.state();
    if wallet != state.qiwi.wallet {
        return Err(edge_error(
            StatusCode::NOT_FOUND,
            service_of(route),
            "person.not.found",
            "Wallet not found",
            &format!("No wallet {wallet} is available to this token"),
        ));
    }
    Ok(state)
}

pub(crate) fn bad_request(route: &str, description: &str) -> Response {
    edge_error(
        StatusCode::BAD_REQUEST,
        service_of(route),
        "validation.error",
        "Invalid request",
        description,
    )
}

/// Reads a JSON object body; `application/json` is the only accepted media type.
pub(crate) fn json_body(
    headers: &HeaderMap,
    body: &Bytes,
    route: &str,
) -> Result<Map<String, Value>, Response> {
    match respond::media_type(headers).as_deref() {
        Some("application/json") => {}
        _ => return Err(bad_request(route, "Content-Type must be application/json")),
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(bad_request(route, "The body must be a JSON object")),
        Err(e) => Err(bad_request(
            route,
            &format!("The body is not valid JSON: {e}"),
        )),
    }
}

fn bool_param(pairs: &[(String, String)], name: &str, route: &str) -> Result<bool, Response> {
    match respond::last_value(pairs, name) {
        None => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(bad_request(
            route,
            &format!("{name} must be true or false, not {v:?}"),
        )),
    }
}

/// E01 GET /person-profile/v1/profile/current
pub(crate) async fn profile(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.profile";
    authorize(&shared, &headers, route)?;
    let pairs = respond::query_pairs(&uri);
    let auth_info = bool_param(&pairs, "authInfoEnabled", route)?;
    let contract_info = bool_param(&pairs, "contractInfoEnabled", route)?;
    let user_info = bool_param(&pairs, "userInfoEnabled", route)?;
    let state = shared.state();
    let q = &state.qiwi;
    let p = &q.profile;
    let person_id = json_number(&q.wallet);
    let mut body = Map::new();
    if auth_info {
        body.insert(
            "authInfo".into(),
            json!({
                "boundEmail": p.bound_email,
                "emailSettings": {},
                "ip": p.ip,
                "lastLoginDate": p.last_login_date,
                "mobilePinInfo": {
                    "lastMobilePinChange": "2017-07-13T11:22:06.099Z",
                    "mobilePinUsed": true,
                    "nextMobilePinChange": "2017-11-27T06:51:06.099Z"
                },
                "passInfo": {
                    "lastPassChange": "2017-07-21T09:25:06.099Z",
                    "nextPassChange": "2017-08-21T09:25:06.099Z",
                    "passwordUsed": true
                },
                "personId": person_id,
                "pinInfo": { "pinUsed": true },
                "registrationDate": p.registration_date,
            }),
        );
    }
    if contract_info {
        body.insert(
            "contractInfo".into(),
            json!({
                "blocked": p.blocked,
                "contractId": person_id,
                "creationDate": p.registration_date,
                "features": [],
                "identificationInfo": [{
                    "bankAlias": "QIWI",
                    "identificationLevel": q.identification.level,
                    "passportExpired": false
                }],
                "nickname": {
                    "nickname": p.nickname,
                    "canChange": true,
                    "canUse": true,
                    "description": ""
                },
                "smsNotification": {
                    "price": { "amount": Amount::new(99, 0).json_number(), "currency": 643 },
                    "enabled": false,
                    "active": false,
                    "endDate": null
                },
            }),
        );
    }
    if user_info {
        let default = q.accounts.iter().find(|a| a.default_account);
        body.insert(
            "userInfo".into(),
            json!({
                "defaultPayAccountAlias": default.map(|a| a.alias.clone()),
                "defaultPayCurrency": default.map_or(643, |a| a.currency),
                "defaultPaySource": 7,
                "email": p.email,
                "firstTxnId": p.first_txn_id,
                "language": p.language,
                "operator": p.operator,
                "phoneHash": p.phone_hash,
                "promoEnabled": null,
            }),
        );
    }
    Ok(respond::json(StatusCode::OK, &Value::Object(body)))
}

fn required_string(body: &Map<String, Value>, name: &str, route: &str) -> Result<String, Response> {
    match body.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        _ => Err(bad_request(
            route,
            &format!("{name} is required and must be a non-empty string"),
        )),
    }
}

fn optional_string(
    body: &Map<String, Value>,
    name: &str,
    route: &str,
) -> Result<Option<String>, Response> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(bad_request(route, &format!("{name} must be a string"))),
    }
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

/// `"7710000001"` becomes `"77***01"`; short and empty values are kept.
fn mask(value: &Option<String>) -> Value {
    match value {
        None => Value::Null,
        Some(s) if s.chars().count() <= 4 => Value::String(s.clone()),
        Some(s) => {
            let chars: Vec<char> = s.chars().collect();
            let head: String = chars[..2].iter().collect();
            let tail: String = chars[chars.len() - 2..].iter().collect();
            Value::String(format!("{head}***{tail}"))
        }
    }
}

fn identification_json(state: &SandboxState, masked: bool) -> Value {
    let i = &state.qiwi.identification;
    let level = if i.level == "FULL" {
        "FULL"
    } else if i.level == "VERIFIED" {
        "VERIFIED"
    } else {
        "SIMPLE"
    };
    let field = |v: &Option<String>| if masked { mask(v) } else { json!(v) };
    json!({
        "birthDate": i.birth_date,
        "firstName": i.first_name,
        "id": json_number(&state.qiwi.wallet),
        "inn": field(&i.inn),
        "lastName": i.last_name,
        "middleName": i.middle_name,
        "oms": field(&i.oms),
        "passport": field(&Some(i.passport.clone())),
        "snils": field(&i.snils),
        "type": level,
    })
}

/// E02 POST /identification/v1/persons/{wallet}/identification
pub(crate) async fn identification_submit(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.identification.submit";
    let mut state = wallet_state(&shared, &headers, &wallet, route)?;
    let body = json_body(&headers, &body, route)?;
    let birth_date = required_string(&body, "birthDate", route)?;
    if !is_date(&birth_date) {
        return Err(bad_request(route, "birthDate must be YYYY-MM-DD"));
    }
    let first_name = required_string(&body, "firstName", route)?;
    let middle_name = required_string(&body, "middleName", route)?;
    let last_name = required_string(&body, "lastName", route)?;
    let passport: String = required_string(&body, "passport", route)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if passport.is_empty() || !passport.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_request(route, "passport must contain digits only"));
    }
    let inn = optional_string(&body, "inn", route)?;
    let snils = optional_string(&body, "snils", route)?;
    let oms = optional_string(&body, "oms", route)?;
    let i = &mut state.qiwi.identification;
    i.birth_date = birth_date;
    i.first_name = first_name;
    i.middle_name = middle_name;
    i.last_name = last_name;
    i.passport = passport;
    // A filled INN that was not sent means the identification succeeded.
    i.inn = Some(
        inn.filter(|s| !s.is_empty())
            .unwrap_or_else(|| "7710000001".into()),
    );
    i.snils = Some(snils.unwrap_or_default());
    i.oms = Some(oms.unwrap_or_default());
    if i.level != "FULL" {
        i.level = "VERIFIED".into();
    }
    Ok(respond::json(
        StatusCode::OK,
        &identification_json(&state, false),
    ))
}

/// E03 GET /identification/v1/persons/{wallet}/identification
pub(crate) async fn identification_get(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.identification.get";
    let state = wallet_state(&shared, &headers, &wallet, route)?;
    Ok(respond::json(
        StatusCode::OK,
        &identification_json(&state, true),
    ))
}

fn downgrade_json(id: &str, op: &Downgrade) -> Value {
    json!({ "downgradeOperation": { "downgradeOperationId": id, "status": { "type": op.status } } })
}

fn downgrade_not_found(route: &str, id: &str) -> Response {
    edge_error(
        StatusCode::NOT_FOUND,
        service_of(route),
        "downgrade.operation.not.found",
        "Operation not found",
        &format!("No identification downgrade operation {id}"),
    )
}

/// E04 POST /qw-ident-downgrade-api/v1/persons/{wallet}/identification-downgrade/operations
pub(crate) async fn downgrade_create(
    State(shared): State<Arc<Shared>>,
    Path(wallet): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.downgrade.create";
    let mut state = wallet_state(&shared, &headers, &wallet, route)?;
    let body = json_body(&headers, &body, route)?;
    if body.get("identificationLevel").and_then(Value::as_str) != Some("VERIFIED") {
        return Err(bad_request(route, "identificationLevel must be VERIFIED"));
    }
    if state.qiwi.identification.level != "FULL" {
        return Err(edge_error(
            StatusCode::BAD_REQUEST,
            service_of(route),
            "downgrade.not.available",
            "Downgrade is not available",
            "Only a FULL identification can be lowered to VERIFIED",
        ));
    }
    let id = ids::uuid();
    state.downgrades.insert(
        id.clone(),
        Downgrade {
            confirmed: None,
            status: "IN_PROGRESS",
        },
    );
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "downgradeOperationId": id }),
    ))
}

/// E05 PUT .../identification-downgrade/operations/{id}/confirm
pub(crate) async fn downgrade_confirm(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.downgrade.confirm";
    let mut state = wallet_state(&shared, &headers, &wallet, route)?;
    json_body(&headers, &body, route)?;
    let op = state
        .downgrades
        .get_mut(&id)
        .ok_or_else(|| downgrade_not_found(route, &id))?;
    if op.confirmed.is_none() {
        op.confirmed = Some(Instant::now());
    }
    Ok(respond::json(StatusCode::OK, &downgrade_json(&id, op)))
}

/// E06 GET .../identification-downgrade/operations/{id}
pub(crate) async fn downgrade_get(
    State(shared): State<Arc<Shared>>,
    Path((wallet, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.downgrade.get";
    let state = wallet_state(&shared, &headers, &wallet, route)?;
    let op = state
        .downgrades
        .get(&id)
        .ok_or_else(|| downgrade_not_found(route, &id))?;
    Ok(respond::json(StatusCode::OK, &downgrade_json(&id, op)))
}

/// The `types[n]` values of a query, in index order; plain repeated `types` are accepted too.
fn limit_types(pairs: &[(String, String)]) -> Vec<String> {
    let mut indexed: Vec<(u32, String)> = Vec::new();
    for (k, v) in pairs {
        if k == "types" || k == "types[]" {
            indexed.push((u32::MAX, v.clone()));
        } else if let Some(n) = k.strip_prefix("types[").and_then(|r| r.strip_suffix(']')) {
            if let Ok(n) = n.parse::<u32>() {
                indexed.push((n, v.clone()));
            }
        }
    }
    indexed.sort_by_key(|(n, _)| *n);
    let mut out: Vec<String> = Vec::new();
    for (_, v) in indexed {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// E07 GET /qw-limits/v1/persons/{personId}/actual-limits
pub(crate) async fn limits(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Outcome {
    let route = "wallet.limits";
    let state = wallet_state(&shared, &headers, &person, route)?;
    let types = limit_types(&respond::query_pairs(&uri));
    if types.is_empty() {
        return Err(bad_request(
            route,
            "At least one types[n] query parameter is required",
        ));
    }
    let now = clock::in_moscow(clock::now());
    let month = now
        .first_of_month()
        .ok()
        .and_then(|z| z.start_of_day().ok());
    let next = month
        .as_ref()
        .and_then(|m| m.checked_add(jiff::Span::new().months(1)).ok());
    let interval = match (&month, &next) {
        (Some(m), Some(n)) => json!({
            "dateFrom": clock::moscow_offset_datetime(m),
            "dateTill": clock::moscow_offset_datetime(n),
        }),
        _ => Value::Null,
    };
    let mut items = Vec::new();
    for t in &types {
        let limit = state
            .qiwi
            .limits
            .iter()
            .find(|l| &l.limit_type == t)
            .ok_or_else(|| bad_request(route, &format!("Unknown limit type {t:?}")))?;
        let spent = if t == "REFILL" {
            state.qiwi_rub_balance()
        } else {
            limit.spent.minor()
        };
        let rest = (limit.max.minor() - spent).max(0);
        items.push(json!({
            "type": t,
            "currency": "RUB",
            "rest": Amount(rest).json_number_fixed2(),
            "max": limit.max.json_number_fixed2(),
            "spent": Amount(spent).json_number_fixed2(),
            "interval": interval,
        }));
    }
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "limits": { "RU": items } }),
    ))
}

/// E08 GET /qw-limits/v1/persons/{personId}/p2p-payment-count-limit
pub(crate) async fn p2p_count(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.p2p-count";
    let state = wallet_state(&shared, &headers, &person, route)?;
    Ok(respond::json(
        StatusCode::OK,
        &json!({ "p2pPaymentCountLimit": state.qiwi.p2p_payment_count }),
    ))
}

/// E09 GET /person-profile/v1/persons/{personId}/status/restrictions
pub(crate) async fn restrictions(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.restrictions";
    let state = wallet_state(&shared, &headers, &person, route)?;
    let items: Vec<Value> = state
        .qiwi
        .restrictions
        .iter()
        .map(|r| json!({ "restrictionCode": r.code, "restrictionDescription": r.description }))
        .collect();
    Ok(respond::json(StatusCode::OK, &Value::Array(items)))
}

fn account_json(a: &QiwiAccount, null_balance: bool) -> Value {
    let balance = match a.balance {
        Some(b) if a.has_balance && !null_balance => {
            json!({ "amount": b.json_number(), "currency": a.currency })
        }
        _ => Value::Null,
    };
    json!({
        "alias": a.alias,
        "fsAlias": a.fs_alias,
        "bankAlias": a.bank_alias,
        "title": a.title,
        "type": { "id": a.type_id, "title": a.type_title },
        "hasBalance": a.has_balance,
        "balance": balance,
        "currency": a.currency,
        "defaultAccount": a.default_account,
    })
}

/// The `timeout` query parameter of E10, in milliseconds.
pub(crate) fn accounts_timeout(uri: &Uri) -> Result<Option<u64>, String> {
    match respond::last_value(&respond::query_pairs(uri), "timeout") {
        None => Ok(None),
        Some(v) => v
            .parse::<u64>()
            .map(Some)
            .map_err(|_| format!("timeout must be a whole number of milliseconds, not {v:?}")),
    }
}

/// E10 GET /funding-sources/v2/persons/{personId}/accounts; `alias` keeps only that account (an
/// unknown alias gives an empty list), `timeout` (ms) is checked and bounds injected latency.
pub(crate) async fn accounts_list(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    null_balance: Option<axum::Extension<NullBalance>>,
) -> Outcome {
    let route = "wallet.accounts.list";
    let state = wallet_state(&shared, &headers, &person, route)?;
    accounts_timeout(&uri).map_err(|e| bad_request(route, &e))?;
    let pairs = respond::query_pairs(&uri);
    let alias = respond::last_value(&pairs, "alias");
    let items: Vec<Value> = state
        .qiwi
        .accounts
        .iter()
        .filter(|a| alias.is_none_or(|x| x == a.alias))
        .map(|a| account_json(a, null_balance.is_some()))
        .collect();
    Ok(respond::json(StatusCode::OK, &json!({ "accounts": items })))
}

/// E11 POST /funding-sources/v2/persons/{personId}/accounts
pub(crate) async fn accounts_create(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.accounts.create";
    let mut state = wallet_state(&shared, &headers, &person, route)?;
    let body = json_body(&headers, &body, route)?;
    let alias = required_string(&body, "alias", route)?;
    if state.qiwi.accounts.iter().any(|a| a.alias == alias) {
        return Err(edge_error(
            StatusCode::BAD_REQUEST,
            service_of(route),
            "account.already.exists",
            "The account already exists",
            &format!("The wallet already has an account {alias}"),
        ));
    }
    let Some(pos) = state.qiwi.offers.iter().position(|o| o.alias == alias) else {
        return Err(edge_error(
            StatusCode::BAD_REQUEST,
            service_of(route),
            "account.not.offered",
            "This account cannot be created",
            &format!("{alias} is not among the accounts offered for creation"),
        ));
    };
    let offer = state.qiwi.offers.remove(pos);
    state
        .qiwi
        .accounts
        .push(QiwiAccount::wallet(&offer.alias, offer.currency, Amount(0)));
    Ok(respond::empty(StatusCode::CREATED))
}

/// E12 GET /funding-sources/v2/persons/{personId}/accounts/offer
pub(crate) async fn accounts_offer(
    State(shared): State<Arc<Shared>>,
    Path(person): Path<String>,
    headers: HeaderMap,
) -> Outcome {
    let route = "wallet.accounts.offer";
    let state = wallet_state(&shared, &headers, &person, route)?;
    let items: Vec<Value> = state
        .qiwi
        .offers
        .iter()
        .map(|o| json!({ "alias": o.alias, "currency": o.currency }))
        .collect();
    Ok(respond::json(StatusCode::OK, &Value::Array(items)))
}

/// E13 PATCH /funding-sources/v2/persons/{personId}/accounts/{accountAlias}
pub(crate) async fn accounts_set_default(
    State(shared): State<Arc<Shared>>,
    Path((person, alias)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Outcome {
    let route = "wallet.accounts.set-default";
    let mut state = wallet_state(&shared, &headers, &person, route)?;
    let body = json_body(&headers, &body, route)?;
    let Some(flag) = body.get("defaultAccount").and_then(Value::as_bool) else {
        return Err(bad_request(
            route,
            "defaultAccount is required and must be a boolean",
        ));
    };
    let Some(pos) = state.qiwi.accounts.iter().position(|a| a.alias == alias) else {
        return Err(edge_error(
            StatusCode::NOT_FOUND,
            service_of(route),
            "account.not.found",
            "Account not found",
            &format!("The wallet has no account {alias}"),
        ));
    };
    if flag {
        for (i, a) in state.qiwi.accounts.iter_mut().enumerate() {
            a.default_account = i == pos;
        }
    } else if state.qiwi.accounts[pos].default_account {
        return Err(bad_request(
            route,
            "The default account cannot be unset; make another account the default instead",
        ));
    }
    Ok(respond::empty(StatusCode::NO_CONTENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_reference() {
        assert_eq!(mask(&Some("7710000001".into())), json!("77***01"));
        assert_eq!(mask(&Some(String::new())), json!(""));
        assert_eq!(mask(&None), Value::Null);
    }

    #[test]
    fn limit_types_in_index_order() {
        let pairs = vec![
            ("types[1]".to_owned(), "REFILL".to_owned()),
            ("types[0]".to_owned(), "TURNOVER".to_owned()),
        ];
        assert_eq!(limit_types(&pairs), ["TURNOVER", "REFILL"]);
    }
}
