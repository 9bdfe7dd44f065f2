//! QIWI top-up agent protocol (XML over POST `/xml/topup.jsp`): `ping`, `check-user`,
//! `check-deposit-possible`, `pay` with `<auth>` (wallet top-up and the other payout services)
//! and `pay` with `<status>`.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use crate::demo::is_wallet_number;
use crate::money::{format_fixed2, parse_minor};
use crate::respond;
use crate::state::{AgentPayment, Settlement, Shared, State as SandboxState};
use crate::xml::{self, Element, escape};
use crate::{agent_auth, clock};

/// Service ids the `pay` request accepts (`to/service-id`).
pub const SERVICES: [&str; 6] = ["99", "34020", "32911", "36655", "29130", "38413"];

/// The route name of an agent request, from its body (used for hit counts and faults).
pub(crate) fn route_of(body: &[u8]) -> &'static str {
    let Ok(root) = xml::parse(body) else {
        return "agent.invalid";
    };
    match root.child_text("request-type") {
        Some("ping") => "agent.ping",
        Some("check-user") => "agent.check-user",
        Some("check-deposit-possible") => "agent.check-deposit-possible",
        Some("pay") if root.child("auth").is_some() => "agent.pay.auth",
        Some("pay") if root.child("status").is_some() => "agent.pay.status",
        Some("pay") => "agent.pay",
        _ => "agent.other",
    }
}

/// A full response document: the request-level result code and the given body.
pub(crate) fn document(code: i32, fatal: bool, message: Option<&str>, body: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n");
    let _ = write!(out, "<result-code fatal=\"{fatal}\"");
    if let Some(m) = message {
        let m = escape(m);
        let _ = write!(out, " message=\"{m}\" msg=\"{m}\"");
    }
    let _ = writeln!(out, ">{code}</result-code>");
    out.push_str(body);
    out.push_str("</response>\n");
    out
}

/// A response carrying only a request-level error.
pub(crate) fn error_response(code: i32, fatal: bool, message: &str) -> Response {
    respond::xml(document(code, fatal, Some(message), ""))
}

/// A document refusing a request that cannot be processed as sent (fatal result code 300).
fn malformed(message: &str) -> String {
    document(300, true, Some(message), "")
}

/// A successful document: `body`, then the agent's balances.
fn with_balances(state: &SandboxState, body: &str) -> String {
    document(0, false, None, &format!("{body}{}", balances_block(state)))
}

/// Result code 298: the target is not a wallet number.
const INVALID_PHONE: &str = "Wallet account cannot be registered: invalid phone number";
/// Result code 204: the target wallet may not receive top-ups.
const LOW_IDENTIFICATION: &str =
    "Недостаточный статус идентификации кошелька для проведения платежа";

fn balances_block(state: &SandboxState) -> String {
    let mut out = String::from("<balances>\n");
    for (code, minor) in &state.agent.balances {
        let _ = writeln!(
            out,
            "<balance code=\"{code}\">{}</balance>",
            format_fixed2(*minor)
        );
    }
    out.push_str("</balances>\n");
    out
}

/// Reads a currency given as an ISO 4217 numeric or alphabetic code.
pub(crate) fn parse_ccy(text: &str) -> Option<u16> {
    let t = text.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok().filter(|n| *n > 0);
    }
    Some(match t.to_ascii_uppercase().as_str() {
        "RUB" => 643,
        "USD" => 840,
        "EUR" => 978,
        "KZT" => 398,
        "GBP" => 826,
        "CNY" => 156,
        "BYN" => 933,
        _ => return None,
    })
}

/// POST /xml/topup.jsp
pub(crate) async fn topup(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = shared.now();
    let mut state = shared.state();
    let root = match agent_auth::request(&state.agent, &headers, &body) {
        Ok(root) => root,
        Err(refusal) => return refusal,
    };
    let text = match root.child_text("request-type") {
        Some("ping") => with_balances(&state, ""),
        Some("check-user") => check_user(&state, &root),
        Some("check-deposit-possible") => check_deposit(&state, &root),
        Some("pay") if root.child("auth").is_some() => {
            pay_auth(&mut state, &root, shared.settings.processing_delay, now)
        }
        Some("pay") if root.child("status").is_some() => pay_status(&state, &root),
        Some("pay") => malformed("A pay request needs an <auth> or a <status> element"),
        Some(other) => malformed(&format!("Unsupported request type {other:?}")),
        None => malformed("The <request-type> element is missing"),
    };
    respond::xml(text)
}

fn phone_and_ccy(root: &Element) -> Result<(&str, Option<u16>), String> {
    let phone = root
        .extra("phone")
        .ok_or("The phone extra field is missing")?;
    let ccy = match root.extra("ccy") {
        None | Some("") => None,
        Some(c) => Some(parse_ccy(c).ok_or_else(|| format!("Unknown currency {c:?}"))?),
    };
    Ok((phone, ccy))
}

fn check_user(state: &SandboxState, root: &Element) -> String {
    let (phone, ccy) = match phone_and_ccy(root) {
        Ok(v) => v,
        Err(e) => return malformed(&e),
    };
    let exist = is_wallet_number(phone) && state.wallet_exists(phone, ccy);
    document(
        0,
        false,
        None,
        &format!("<exist>{}</exist>\n", u8::from(exist)),
    )
}

fn check_deposit(state: &SandboxState, root: &Element) -> String {
    let (phone, ccy) = match phone_and_ccy(root) {
        Ok(v) => v,
        Err(e) => return malformed(&e),
    };
    match root.extra("income_wire_transfer") {
        Some("0") | Some("1") => {}
        _ => {
            return malformed("The income_wire_transfer extra field must be 0 or 1");
        }
    }
    if !is_wallet_number(phone) {
        return document(
            298,
            true,
            Some(INVALID_PHONE),
            "<exist>0</exist>\n<deposit-possible>0</deposit-possible>\n",
        );
    }
    if state
        .directory
        .get(phone)
        .is_some_and(|w| !w.deposit_possible)
    {
        return document(
            204,
            true,
            Some(LOW_IDENTIFICATION),
            "<exist>1</exist>\n<deposit-possible>0</deposit-possible>\n",
        );
    }
    let exist = state.wallet_exists(phone, ccy);
    let possible = if phone == state.qiwi.wallet {
        ccy.is_none_or(|c| exist || state.qiwi.offers.iter().any(|o| o.currency == c))
    } else {
        true
    };
    document(
        0,
        false,
        None,
        &format!(
            "<exist>{}</exist>\n<deposit-possible>{}</deposit-possible>\n",
            u8::from(exist),
            u8::from(possible)
        ),
    )
}

/// The fields of a `pay`/`auth` payment that define it.
#[derive(Debug, PartialEq, Eq)]
struct PayRequest {
    number: String,
    service: String,
    account: String,
    to_amount: i64,
    to_ccy: u16,
    from_ccy: u16,
    from_service: Option<String>,
    extras: Vec<(String, String)>,
}

fn read_pay(root: &Element) -> Result<PayRequest, String> {
    let auth = root.child("auth").ok_or("The <auth> element is missing")?;
    let payments: Vec<&Element> = auth.children_named("payment").collect();
    if payments.len() != 1 {
        return Err(format!(
            "<auth> must hold exactly one <payment>, found {}",
            payments.len()
        ));
    }
    let p = payments[0];
    let number = p
        .child_text("transaction-number")
        .ok_or("transaction-number is missing")?;
    if number.is_empty() || number.len() > 20 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "transaction-number {number:?} must be a positive integer of up to 20 digits"
        ));
    }
    let from = p.child("from").ok_or("<from> is missing")?;
    let to = p.child("to").ok_or("<to> is missing")?;
    let from_ccy_text = from.child_text("ccy").ok_or("from/ccy is missing")?;
    let from_ccy =
        parse_ccy(from_ccy_text).ok_or_else(|| format!("Unknown currency {from_ccy_text:?}"))?;
    let service = to
        .child_text("service-id")
        .ok_or("to/service-id is missing")?
        .to_owned();
    let to_ccy = match to.child_text("ccy") {
        Some(c) => parse_ccy(c).ok_or_else(|| format!("Unknown currency {c:?}"))?,
        // The mobile payout page describes to/ccy as optional.
        None if service == "29130" => 643,
        None => return Err("to/ccy is missing".into()),
    };
    let amount_text = to.child_text("amount").ok_or("to/amount is missing")?;
    let to_amount = parse_minor(amount_text).filter(|a| *a > 0).ok_or_else(|| {
        format!(
            "to/amount {amount_text:?} must be a positive decimal with at most two fraction digits"
        )
    })?;
    let account = to
        .child_text("account-number")
        .ok_or("to/account-number is missing")?
        .to_owned();
    Ok(PayRequest {
        number: number.to_owned(),
        service,
        account,
        to_amount,
        to_ccy,
        from_ccy,
        from_service: from.child_text("service-id").map(str::to_owned),
        extras: to.extras(),
    })
}

fn is_card(s: &str) -> bool {
    (12..=19).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `4111111111111129` becomes `4111********1129`.
fn mask_card(s: &str) -> String {
    if s.len() <= 8 {
        return s.to_owned();
    }
    format!(
        "{}{}{}",
        &s[..4],
        "*".repeat(s.len() - 8),
        &s[s.len() - 4..]
    )
}

/// A rejection decided at registration: (payment result code, fatal, message).
type Rejection = (i32, bool, String);

/// Checks a new payment against the service rules; returns the settlement to use.
fn vet(state: &SandboxState, req: &PayRequest) -> Result<Settlement, Rejection> {
    let reject = |code: i32, fatal: bool, msg: &str| Err((code, fatal, msg.to_owned()));
    let extra = |name: &str| {
        req.extras
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if !SERVICES.contains(&req.service.as_str()) {
        return reject(155, true, "Payments to this service are not allowed");
    }
    if req.to_amount < state.agent.min_amount {
        return reject(241, true, "The amount is below the allowed minimum");
    }
    if req.to_amount > state.agent.max_amount {
        return reject(242, true, "The amount is above the allowed maximum");
    }
    let rub_only = || -> Result<(), Rejection> {
        if req.to_ccy == 643 {
            Ok(())
        } else {
            Err((300, true, "This service pays out in RUB only".to_owned()))
        }
    };
    match req.service.as_str() {
        "99" => {
            if !is_wallet_number(&req.account) {
                return reject(298, true, INVALID_PHONE);
            }
            match state.directory.get(&req.account) {
                Some(w) if !w.deposit_possible => reject(204, true, LOW_IDENTIFICATION),
                Some(w) if w.fail_top_ups => Ok(Settlement::Fail),
                _ => Ok(Settlement::CreditWallet),
            }
        }
        "34020" => {
            rub_only()?;
            if !is_card(&req.account) {
                return reject(
                    300,
                    true,
                    "to/account-number must be a card number of 12 to 19 digits",
                );
            }
            Ok(Settlement::Payout)
        }
        "32911" => {
            rub_only()?;
            if !extra("account1").is_some_and(is_card) {
                return reject(
                    300,
                    true,
                    "The account1 extra field must be a card number of 12 to 19 digits",
                );
            }
            Ok(Settlement::Payout)
        }
        "36655" => reject(
            155,
            true,
            "Payouts to foreign bank cards are temporarily stopped",
        ),
        "29130" => {
            if !is_wallet_number(&req.account) {
                return reject(298, true, INVALID_PHONE);
            }
            match extra("account0") {
                Some(v) if v.contains("id:") && v.contains("acc:") => Ok(Settlement::Payout),
                _ => reject(
                    300,
                    true,
                    "The account0 extra field must read id:<provider>;acc:<phone>;sum:<amount>",
                ),
            }
        }
        "38413" => {
            rub_only()?;
            if !(req.account.len() == 11
                && req.account.starts_with('7')
                && is_wallet_number(&req.account))
            {
                return reject(
                    300,
                    true,
                    "to/account-number must be a phone number 7xxxxxxxxxx",
                );
            }
            if !extra("bankId")
                .is_some_and(|b| !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()))
            {
                return reject(300, true, "The bankId extra field is required");
            }
            Ok(Settlement::Payout)
        }
        _ => reject(155, true, "Payments to this service are not allowed"),
    }
}

/// The amount to debit in `from_ccy` for `to_amount` in `to_ccy`, rounded up to a minor unit.
fn debit_amount(state: &SandboxState, req: &PayRequest) -> Option<i64> {
    if req.from_ccy == req.to_ccy {
        return Some(req.to_amount);
    }
    let rate = state
        .agent
        .rates
        .iter()
        .find(|r| r.from == req.from_ccy && r.to == req.to_ccy)?
        .rate
        .minor();
    if rate <= 0 {
        return None;
    }
    let scaled = i128::from(req.to_amount) * 100;
    let rate = i128::from(rate);
    i64::try_from((scaled + rate - 1) / rate).ok()
}

fn pay_auth(
    state: &mut SandboxState,
    root: &Element,
    delay: std::time::Duration,
    now: Instant,
) -> String {
    let req = match read_pay(root) {
        Ok(r) => r,
        Err(e) => return malformed(&e),
    };
    if let Some(existing) = state.agent.payments.get(&req.number) {
        let same = existing.service == req.service
            && existing.account == req.account
            && existing.to_amount == req.to_amount
            && existing.to_ccy == req.to_ccy
            && existing.from_ccy == req.from_ccy;
        if !same {
            let element = format!(
                "<payment status='150' txn_id='{}' transaction-number='{}' result-code='215' message='{m}' msg='{m}' final-status='true' fatal-error='true' txn-date='{}'/>\n",
                existing.txn_id,
                escape(&req.number),
                escape(&existing.txn_date),
                m = escape(
                    "The transaction number is already registered with different payment details"
                ),
            );
            return with_balances(state, &element);
        }
        return pay_document(state, &existing.clone());
    }
    let txn_id = state.agent.next_txn_id;
    state.agent.next_txn_id += 1;
    let mut payment = AgentPayment {
        number: req.number.clone(),
        service: req.service.clone(),
        account: req.account.clone(),
        to_amount: req.to_amount,
        to_ccy: req.to_ccy,
        from_amount: req.to_amount,
        from_ccy: req.from_ccy,
        from_service: req.from_service.clone(),
        txn_id,
        txn_date: clock::agent_txn_date(clock::now()),
        accepted: now,
        status: 50,
        result_code: 0,
        fatal_error: false,
        message: "Ok".into(),
        settlement: Settlement::Payout,
    };
    let outcome = vet(state, &req).and_then(|settlement| {
        let debit = debit_amount(state, &req).ok_or((
            300,
            true,
            "No conversion is available between these currencies".to_owned(),
        ))?;
        let available = state.agent.balances.get(&req.from_ccy).copied();
        match available {
            Some(balance) if balance >= debit => Ok((settlement, debit)),
            _ => Err((
                220,
                false,
                "Insufficient funds on the agent account".to_owned(),
            )),
        }
    });
    match outcome {
        Ok((settlement, debit)) => {
            payment.settlement = settlement;
            payment.from_amount = debit;
            *state.agent.balances.entry(req.from_ccy).or_default() -= debit;
        }
        Err((code, fatal, message)) => {
            payment.status = 150;
            payment.result_code = code;
            payment.fatal_error = fatal;
            payment.message = message;
            payment.from_amount = 0;
        }
    }
    state.agent.payments.insert(req.number.clone(), payment);
    // With no processing delay the payment completes at once.
    state.settle(now, delay);
    let stored = state.agent.payments.get(&req.number).cloned();
    match stored {
        Some(p) => pay_document(state, &p),
        None => document(300, false, Some("Unknown error"), ""),
    }
}

/// The opening tag's attributes of a `<payment>` element (single-quoted, as QIWI writes them).
fn payment_attrs(p: &AgentPayment) -> String {
    let m = escape(&p.message);
    format!(
        "status='{}' txn_id='{}' transaction-number='{}' result-code='{}' message='{m}' msg='{m}' final-status='{}' fatal-error='{}' txn-date='{}'",
        p.status,
        p.txn_id,
        escape(&p.number),
        p.result_code,
        p.is_final(),
        p.fatal_error,
        escape(&p.txn_date),
    )
}

fn pay_document(state: &SandboxState, p: &AgentPayment) -> String {
    let account = match p.service.as_str() {
        "34020" | "36655" => mask_card(&p.account),
        _ => p.account.clone(),
    };
    let mut element = format!("<payment {}>\n<from>\n", payment_attrs(p));
    let _ = writeln!(element, "<amount>{}</amount>", format_fixed2(p.from_amount));
    let _ = writeln!(element, "<ccy>{}</ccy>", p.from_ccy);
    if let Some(s) = &p.from_service {
        let _ = writeln!(element, "<service-id>{}</service-id>", escape(s));
    }
    element.push_str("</from>\n<to>\n");
    let _ = writeln!(element, "<service-id>{}</service-id>", escape(&p.service));
    let _ = writeln!(element, "<amount>{}</amount>", format_fixed2(p.to_amount));
    let _ = writeln!(element, "<ccy>{}</ccy>", p.to_ccy);
    let _ = writeln!(
        element,
        "<account-number>{}</account-number>",
        escape(&account)
    );
    element.push_str("</to>\n");
    // Card payouts: once final and successful, a replay of the request also returns the
    // payment system's and the recipient bank's ids.
    if p.status == 60 && matches!(p.service.as_str(), "34020" | "32911") {
        let _ = writeln!(
            element,
            "<extra name=\"rrn\">{:012}</extra>",
            p.txn_id % 1_000_000_000_000
        );
        let _ = writeln!(element, "<extra name=\"billRegId\">BR{}</extra>", p.txn_id);
    }
    element.push_str("</payment>\n");
    if p.service == "38413" {
        element = format!("<payments>\n{element}</payments>\n");
    }
    with_balances(state, &element)
}

fn pay_status(state: &SandboxState, root: &Element) -> String {
    let Some(status) = root.child("status") else {
        return malformed("The <status> element is missing");
    };
    let mut body = String::new();
    let mut any = false;
    for p in status.children_named("payment") {
        any = true;
        let Some(number) = p.child_text("transaction-number") else {
            return malformed("Every <payment> needs a transaction-number");
        };
        let account = p.child("to").and_then(|t| t.child_text("account-number"));
        match state.agent.payments.get(number) {
            // A payment looked up with another recipient is not this payment: it is not found.
            Some(found) if account.is_none_or(|a| a == found.account) => {
                let _ = writeln!(body, "<payment {}/>", payment_attrs(found));
            }
            _ => {}
        }
    }
    if !any {
        return malformed("<status> must hold at least one <payment>");
    }
    with_balances(state, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_and_cards() {
        assert_eq!(parse_ccy("RUB"), Some(643));
        assert_eq!(parse_ccy("643"), Some(643));
        assert_eq!(parse_ccy("eur"), Some(978));
        assert_eq!(parse_ccy("XXX"), None);
        assert_eq!(mask_card("4111111111111129"), "4111********1129");
    }

    #[test]
    fn routes_from_bodies() {
        assert_eq!(
            route_of(b"<request><request-type>ping</request-type></request>"),
            "agent.ping"
        );
        assert_eq!(
            route_of(b"<request><request-type>pay</request-type><status/></request>"),
            "agent.pay.status"
        );
        assert_eq!(
            route_of(b"<request><request-type>pay</request-type><auth/></request>"),
            "agent.pay.auth"
        );
        assert_eq!(route_of(b"not xml"), "agent.invalid");
    }

    #[test]
    fn documents_escape_messages() {
        let doc = document(300, false, Some("a<b>\"c\""), "");
        assert!(doc.contains("message=\"a&lt;b&gt;&quot;c&quot;\""), "{doc}");
    }
}
