//! QIWI Wallet payment history (JSON, bearer token): pages (E14), totals (E15), one
//! transaction (E16), receipt files (E17) and receipts by e-mail (E18), under the history's
//! request limit.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::clock;
use crate::history_log::Txn;
use crate::money::{Amount, json_number};
use crate::receipt_files;
use crate::respond;
use crate::state::{Shared, State as SandboxState};
use crate::wallet_api::{bad_request, edge_error, json_body, token_wallet, wallet_not_found};

type Outcome = Result<Response, Response>;

/// The longest date window: 90 days.
const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(90 * 24);

/// The state and the token's wallet, once the token is checked (a wallet in the path must be
/// the token's: 404 otherwise) and the request counted against the history's limit.
fn admitted<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    wallet: Option<&str>,
    route: &str,
) -> Result<(MutexGuard<'a, SandboxState>, String), Response> {
    let mut state = shared.state();
    let owner = token_wallet(&state, headers, route)?;
    if let Some(wallet) = wallet.filter(|w| *w != owner) {
        return Err(wallet_not_found(route, wallet));
    }
    let limit = &shared.settings.history_limit;
    if let Err(wait) = state.history.admit(Instant::now(), limit) {
        let mut answer = edge_error(
            StatusCode::LOCKED,
            "payment-history",
            "request.blocked",
            "Too many requests, the service is temporarily unavailable",
            "More than the allowed history requests per minute: access is blocked for a while",
        );
        // Rounded up: a client waiting the whole seconds is never early.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        respond::set_retry_after(&mut answer, seconds);
        return Err(answer);
    }
    Ok((state, owner))
}

/// A time as the history writes it: `2017-01-21T11:41:07+03:00`.
pub(crate) fn write_time(at: Timestamp, offset: Offset) -> String {
    at.to_zoned_datetime(offset.to_time_zone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

pub(crate) fn moscow_offset(at: Timestamp) -> Offset {
    clock::in_moscow(at).offset()
}

/// Reads `YYYY-MM-DDThh:mm:ss±hh:mm` (or `Z`): the instant and the offset it was written in.
fn read_time(text: &str) -> Option<(Timestamp, Offset)> {
    let at: Timestamp = text.parse().ok()?;
    if text.ends_with(['Z', 'z']) {
        return Some((at, Offset::UTC));
    }
    let suffix = text.get(text.len().checked_sub(6)?..)?;
    let sign = match suffix.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = suffix.get(1..3)?.parse().ok()?;
    let minutes: i32 = suffix.get(4..6)?.parse().ok()?;
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((at, offset))
}

/// The filter of E14 and E15, read and checked.
struct Filter {
    operation: String,
    sources: Vec<String>,
    window: Option<(Timestamp, Timestamp, Offset)>,
}

impl Filter {
    fn read(pairs: &[(String, String)], route: &str) -> Result<Self, Response> {
        let operation = respond::last_value(pairs, "operation").unwrap_or("ALL");
        if !["ALL", "IN", "OUT", "QIWI_CARD"].contains(&operation) {
            return Err(bad_request(
                route,
                &format!("operation must be ALL, IN, OUT or QIWI_CARD, not {operation:?}"),
            ));
        }
        let mut sources = Vec::new();
        for (key, value) in pairs {
            let Some(index) = key
                .strip_prefix("sources[")
                .and_then(|k| k.strip_suffix(']'))
            else {
                continue;
            };
            if index.parse::<u32>().is_err()
                || !["QW_RUB", "QW_USD", "QW_EUR", "CARD", "MK"].contains(&value.as_str())
            {
                return Err(bad_request(
                    route,
                    &format!("{key}={value:?} is not a source (QW_RUB, QW_USD, QW_EUR, CARD, MK)"),
                ));
            }
            sources.push(value.clone());
        }
        let start = respond::last_value(pairs, "startDate");
        let end = respond::last_value(pairs, "endDate");
        let window = match (start, end) {
            (None, None) => None,
            (Some(start), Some(end)) => {
                Some(window(("startDate", start), ("endDate", end), route)?)
            }
            _ => {
                return Err(bad_request(
                    route,
                    "startDate and endDate go together: give both or neither",
                ));
            }
        };
        Ok(Self {
            operation: operation.to_owned(),
            sources,
            window,
        })
    }

    fn matches(&self, t: &Txn) -> bool {
        (self.operation == "ALL" || self.operation == t.kind)
            && (self.sources.is_empty() || self.sources.iter().any(|s| s == t.source))
            && self
                .window
                .is_none_or(|(start, end, _)| start <= t.at && t.at <= end)
    }
}

/// The window of two named query values: both in one offset, at most 90 days.
pub(crate) fn window(
    (start_name, start): (&str, &str),
    (end_name, end): (&str, &str),
    route: &str,
) -> Result<(Timestamp, Timestamp, Offset), Response> {
    let read = |text: &str, name: &str| {
        read_time(text).ok_or_else(|| {
            bad_request(
                route,
                &format!("{name} must be YYYY-MM-DDThh:mm:ss±hh:mm, not {text:?}"),
            )
        })
    };
    let (start, start_offset) = read(start, start_name)?;
    let (end, end_offset) = read(end, end_name)?;
    if start_offset != end_offset {
        return Err(bad_request(
            route,
            &format!("{start_name} and {end_name} must be written in the same offset"),
        ));
    }
    if end < start || end.duration_since(start) > MAX_WINDOW {
        return Err(bad_request(
            route,
            &format!("the period from {start_name} to {end_name} must be at most 90 days"),
        ));
    }
    Ok((start, end, start_offset))
}

fn money(amount: Amount, currency: u16) -> Value {
    json!({"amount": amount.json_number(), "currency": currency})
}

fn provider(id: u32, name: &str) -> Value {
    json!({"id": id, "shortName": name, "longName": name, "logoUrl": null, "description": null,
        "keys": null, "siteUrl": null, "extras": []})
}

/// A history item, its date in `offset`.
fn item(t: &Txn, wallet: &str, offset: Offset) -> Value {
    let rate = match t.rate {
        Some(r) => format!("{}.{:04}", r / 10_000, r % 10_000)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned(),
        None => "1".to_owned(),
    };
    let status_text = match t.status {
        "SUCCESS" => "Успешно",
        "ERROR" => "Ошибка",
        _ => "Запрос обрабатывается",
    };
    let source = if t.source.starts_with("QW_") {
        provider(7, "QIWI Wallet")
    } else {
        json!({})
    };
    json!({
        "txnId": t.id,
        "personId": json_number(wallet),
        "date": write_time(t.at, offset),
        "errorCode": t.error_code,
        "error": t.error,
        "status": t.status,
        "type": t.kind,
        "statusText": status_text,
        "trmTxnId": t.trm_txn_id.clone().unwrap_or_else(|| t.id.saturating_sub(1).to_string()),
        "account": t.account,
        "sum": money(t.sum, t.currency),
        "commission": money(t.commission, t.currency),
        "total": money(t.total(), t.currency),
        "provider": provider(t.provider_id, t.provider_name),
        "source": source,
        "comment": t.comment,
        "currencyRate": json_number(&rate),
    })
}

/// A wallet's history, newest first: its payments made and received through the sandbox, and
/// for the demo wallet the generated records and agent top-ups too.
fn wallet_txns<'a>(state: &'a SandboxState, wallet: &str) -> Vec<Cow<'a, Txn>> {
    let generated: &[Txn] = if wallet == state.qiwi.wallet {
        &state.history.txns
    } else {
        &[]
    };
    let paid = state
        .sinap
        .by_wallet
        .get(wallet)
        .into_iter()
        .flatten()
        .map(|t| Cow::Owned(t.history_txn()));
    let mut txns: Vec<Cow<'_, Txn>> = generated.iter().map(Cow::Borrowed).chain(paid).collect();
    txns.sort_by(|a, b| b.order_key().cmp(&a.order_key()));
    txns
}

/// E14 GET /payment-history/v2/persons/{wallet}/payments
pub(crate) async fn payments(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(wallet): Path<String>,
    uri: Uri,
) -> Outcome {
    let route = "wallet.history.payments";
    let (state, wallet) = admitted(&shared, &headers, Some(&wallet), route)?;
    let pairs = respond::query_pairs(&uri);
    let rows = respond::last_value(&pairs, "rows")
        .and_then(|r| r.parse::<usize>().ok())
        .filter(|r| (1..=50).contains(r))
        .ok_or_else(|| bad_request(route, "rows is required: a whole number from 1 to 50"))?;
    let filter = Filter::read(&pairs, route)?;
    let cursor = match (
        respond::last_value(&pairs, "nextTxnId"),
        respond::last_value(&pairs, "nextTxnDate"),
    ) {
        (None, None) => None,
        (Some(id), Some(date)) => Some((
            id.parse::<u64>()
                .map_err(|_| bad_request(route, "nextTxnId must be a whole number"))?,
            read_time(date)
                .ok_or_else(|| bad_request(route, "nextTxnDate must be a date with an offset"))?
                .0,
        )),
        _ => {
            return Err(bad_request(
                route,
                "nextTxnId and nextTxnDate go together: copy both from the previous page",
            ));
        }
    };
    let offset_of = |at: Timestamp| filter.window.map_or_else(|| moscow_offset(at), |w| w.2);
    // Newest first; a page starts at the cursor's payment (both entries of a conversion
    // share its id and date, so one of them may come again).
    let txns = wallet_txns(&state, &wallet);
    let mut matching = txns
        .iter()
        .filter(|t| filter.matches(t))
        .filter(|t| cursor.is_none_or(|(id, at)| (t.at, t.id) <= (at, id)));
    let page: Vec<Value> = matching
        .by_ref()
        .take(rows)
        .map(|t| item(t, &wallet, offset_of(t.at)))
        .collect();
    if page.is_empty() {
        return Err(edge_error(
            StatusCode::NOT_FOUND,
            "payment-history",
            "payment.history.not.found",
            "Платежи не найдены",
            "No payments match the filter",
        ));
    }
    let mut body = json!({"data": page});
    if let Some(next) = matching.next() {
        body["nextTxnId"] = json!(next.id);
        body["nextTxnDate"] = json!(write_time(next.at, moscow_offset(next.at)));
    }
    Ok(respond::json(StatusCode::OK, &body))
}

/// E15 GET /payment-history/v2/persons/{wallet}/payments/total
pub(crate) async fn totals(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(wallet): Path<String>,
    uri: Uri,
) -> Outcome {
    let route = "wallet.history.totals";
    let (state, wallet) = admitted(&shared, &headers, Some(&wallet), route)?;
    let filter = Filter::read(&respond::query_pairs(&uri), route)?;
    if filter.window.is_none() {
        return Err(bad_request(route, "startDate and endDate are required"));
    }
    let (mut incoming, mut outgoing) = (BTreeMap::new(), BTreeMap::new());
    for t in wallet_txns(&state, &wallet)
        .iter()
        .filter(|t| t.status == "SUCCESS" && filter.matches(t))
    {
        let (sums, amount) = match t.kind {
            "IN" => (&mut incoming, t.sum),
            _ => (&mut outgoing, t.total()),
        };
        let entry: &mut i64 = sums.entry(t.currency).or_default();
        *entry = entry.saturating_add(amount.minor());
    }
    let list = |sums: BTreeMap<u16, i64>| -> Vec<Value> {
        sums.into_iter()
            .map(|(ccy, minor)| money(Amount(minor), ccy))
            .collect()
    };
    Ok(respond::json(
        StatusCode::OK,
        &json!({"incomingTotal": list(incoming), "outgoingTotal": list(outgoing)}),
    ))
}

/// The transaction `id` of type `kind` (the first of either type when none is given).
fn find<'a>(
    state: &'a SandboxState,
    wallet: &str,
    id: &str,
    kind: Option<&str>,
) -> Result<Cow<'a, Txn>, Response> {
    let found = id.parse::<u64>().ok().and_then(|id| {
        wallet_txns(state, wallet)
            .into_iter()
            .find(|t| t.id == id && kind.is_none_or(|k| k == t.kind))
    });
    found.ok_or_else(|| {
        edge_error(
            StatusCode::NOT_FOUND,
            "payment-history",
            "transaction.not.found",
            "Транзакция не найдена",
            &format!(
                "No transaction {id} of type {} in this wallet",
                kind.unwrap_or("IN or OUT")
            ),
        )
    })
}

/// The `type` a receipt call must name.
fn required_type<'a>(pairs: &'a [(String, String)], route: &str) -> Result<&'a str, Response> {
    respond::last_value(pairs, "type").ok_or_else(|| {
        bad_request(
            route,
            "type is required: the transaction's type (IN or OUT)",
        )
    })
}

/// E16 GET /payment-history/v2/transactions/{transactionId}
pub(crate) async fn transaction(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: Uri,
) -> Outcome {
    let route = "wallet.history.transaction";
    let (state, wallet) = admitted(&shared, &headers, None, route)?;
    let pairs = respond::query_pairs(&uri);
    let t = find(&state, &wallet, &id, respond::last_value(&pairs, "type"))?;
    let mut body = item(&t, &wallet, moscow_offset(t.at));
    let done = t.status == "SUCCESS";
    body["paymentExtras"] = json!([]);
    body["serviceExtras"] = json!({});
    body["view"] = json!({"title": t.provider_name, "account": t.account});
    body["features"] = json!({
        "chequeReady": done, "bankDocumentReady": false, "bankDocumentAvailable": false,
        "repeatPaymentEnabled": done && t.kind == "OUT", "favoritePaymentEnabled": t.kind == "OUT",
        "regularPaymentEnabled": false, "chatAvailable": false, "greetingCardAttached": false,
    });
    Ok(respond::json(StatusCode::OK, &body))
}

/// E17 GET /payment-history/v1/transactions/{transactionId}/cheque/file
pub(crate) async fn cheque_file(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: Uri,
) -> Outcome {
    let route = "wallet.history.cheque.file";
    let (state, wallet) = admitted(&shared, &headers, None, route)?;
    let pairs = respond::query_pairs(&uri);
    let t = find(&state, &wallet, &id, Some(required_type(&pairs, route)?))?;
    let (bytes, media) = match respond::last_value(&pairs, "format") {
        Some("PDF") => {
            let lines = [
                "QIWI Wallet receipt".to_owned(),
                format!("Transaction {} ({})", t.id, t.kind),
                format!("Date {}", write_time(t.at, moscow_offset(t.at))),
                format!("Account {}", t.account),
                format!("Amount {} ({})", t.total(), t.currency),
                format!("Status {}", t.status),
            ];
            (receipt_files::pdf(&lines), "application/pdf")
        }
        Some("JPEG") => (receipt_files::jpeg(), "image/jpeg"),
        _ => return Err(bad_request(route, "format is required: PDF or JPEG")),
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    Ok(response)
}

/// E18 POST /payment-history/v1/transactions/{transactionId}/cheque/send
pub(crate) async fn cheque_send(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    uri: Uri,
    body: Bytes,
) -> Outcome {
    let route = "wallet.history.cheque.send";
    let (state, wallet) = admitted(&shared, &headers, None, route)?;
    let body = json_body(&headers, &body, route)?;
    let pairs = respond::query_pairs(&uri);
    find(&state, &wallet, &id, Some(required_type(&pairs, route)?))?;
    match body.get("email") {
        Some(Value::String(email))
            if email.contains('@') && !email.contains(char::is_whitespace) =>
        {
            Ok(respond::empty(StatusCode::CREATED))
        }
        _ => Err(bad_request(route, "email must be an e-mail address")),
    }
}
