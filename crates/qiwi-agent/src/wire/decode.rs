//! From the element tree to typed answers.
//!
//! Tolerated, because the protocol's own examples do it: no request-level `<result-code>`
//! (then the presence of the requested data says the request was processed), `<payment>`
//! directly under `<response>` or inside `<payments>`, `result-сode` with a Cyrillic `с`,
//! amounts without decimals, `message` without `msg` and the reverse, empty `txn_id`, unknown
//! elements and attributes (ignored), `extra` pairs inside `<payment>` (kept in order).
//! Numbers that are present but not numbers are errors that name their place.

use std::str::FromStr;

use bytes::Bytes;
use http::StatusCode;
use qiwi_transport::DecodeError;
use qiwi_transport::codec::xml::checked_text;
use qiwi_types::money::parse_decimal;
use qiwi_types::{Currency, Money};

use super::flat;
use super::tree::{self, Element};
use crate::error::Error;
use qiwi_types::agent::{
    Balances, DepositCheck, Extra, PayResponse, Payment, PaymentCode, PaymentSide, PaymentStatus,
    RequestCode, RequestResult, ServiceId, StatusResponse, TransactionNumber, TxnDate, UserCheck,
};

/// Everything a `<response>` may hold, before the request type decides what is required.
#[derive(Debug, Default)]
pub(crate) struct Envelope {
    pub(crate) result: Option<RequestResult>,
    pub(crate) payments: Vec<Payment>,
    pub(crate) balances: Option<Balances>,
    pub(crate) exists: Option<bool>,
    pub(crate) deposit_possible: Option<bool>,
    pub(crate) provider_id: Option<u32>,
}

pub(super) struct Ctx<'a> {
    status: StatusCode,
    body: &'a Bytes,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(status: StatusCode, body: &'a Bytes) -> Self {
        Self { status, body }
    }

    fn error(&self, path: &str, message: impl Into<String>) -> DecodeError {
        DecodeError {
            status: self.status,
            format: "XML",
            path: path.to_owned(),
            message: message.into(),
            body: self.body.clone(),
        }
    }

    pub(super) fn number<T: FromStr>(
        &self,
        text: &str,
        path: &str,
        what: &str,
    ) -> Result<T, DecodeError> {
        text.trim()
            .parse()
            .map_err(|_| self.error(path, format!("{what} {text:?} is not a valid number")))
    }

    /// `true`/`false` (any case) or `1`/`0`; empty is absent.
    pub(super) fn flag(&self, text: Option<&str>, path: &str) -> Result<Option<bool>, DecodeError> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.eq_ignore_ascii_case("true") || text == "1" {
            Ok(Some(true))
        } else if text.eq_ignore_ascii_case("false") || text == "0" {
            Ok(Some(false))
        } else {
            Err(self.error(path, format!("{text:?} is neither true/false nor 1/0")))
        }
    }
}

/// A non-empty attribute value.
fn attr<'e>(element: &'e Element<'_>, name: &str) -> Option<&'e str> {
    present(element.attribute(name))
}

/// A value trimmed, or `None` when it is absent or blank.
pub(super) fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// `message`, else `msg`, ignoring empty ones.
fn message(element: &Element<'_>) -> Option<String> {
    attr(element, "message")
        .or_else(|| attr(element, "msg"))
        .map(str::to_owned)
}

fn text_of<'e>(element: Option<&'e Element<'_>>) -> Option<&'e str> {
    element.map(Element::trimmed_text).filter(|t| !t.is_empty())
}

/// Parses a whole answer into an [`Envelope`].
pub(crate) fn envelope(status: StatusCode, body: &Bytes) -> Result<Envelope, DecodeError> {
    let text = checked_text(status, body)?;
    let ctx = Ctx::new(status, body);
    match flat::envelope(&ctx, text) {
        Some(envelope) => Ok(envelope),
        None => tree_envelope(&ctx, text),
    }
}

/// Reads the answer through the element tree: every shape the protocol allows.
pub(super) fn tree_envelope(ctx: &Ctx<'_>, text: &str) -> Result<Envelope, DecodeError> {
    let root = tree::parse(text).map_err(|message| ctx.error(".", message))?;
    if root.name != "response" {
        return Err(ctx.error(
            ".",
            format!("the root element is <{}>, expected <response>", root.name),
        ));
    }
    let result = match root.child("result-code") {
        Some(element) => request_result(ctx, element)?,
        None => None,
    };
    let mut payments = Vec::new();
    let mut index = 0;
    for child in &root.children {
        let found: Vec<(&Element<'_>, String)> = match child.name.as_ref() {
            "payment" => vec![(child, format!("response.payment[{index}]"))],
            "payments" => child
                .children_named("payment")
                .enumerate()
                .map(|(i, p)| (p, format!("response.payments.payment[{i}]")))
                .collect(),
            _ => continue,
        };
        for (element, path) in found {
            let read = payment(ctx, element, &path)?;
            disagreeing(ctx, &payments, &read, &path)?;
            payments.push(read);
            index += 1;
        }
    }
    let balances = match root.child("balances") {
        Some(element) => Some(balances(ctx, element)?),
        None => None,
    };
    let exists = ctx.flag(text_of(root.child("exist")), "response.exist")?;
    let deposit_possible = ctx.flag(
        text_of(root.child("deposit-possible")),
        "response.deposit-possible",
    )?;
    let provider_id = match root.child("provider").and_then(|p| attr(p, "id")) {
        Some(id) => Some(ctx.number(id, "response.provider@id", "provider id")?),
        None => None,
    };
    Ok(Envelope {
        result,
        payments,
        balances,
        exists,
        deposit_possible,
        provider_id,
    })
}

/// Refuses a payment listed again under its transaction number with another status, result
/// code or finality: which entry holds is unknown, and taking the first could report a paid
/// payout as failed. An identical repeat is harmless and kept.
fn disagreeing(
    ctx: &Ctx<'_>,
    earlier: &[Payment],
    read: &Payment,
    path: &str,
) -> Result<(), DecodeError> {
    let Some(number) = &read.transaction_number else {
        return Ok(());
    };
    let verdict = |p: &Payment| (p.status, p.result_code, p.final_status);
    match earlier
        .iter()
        .find(|p| p.transaction_number.as_ref() == Some(number) && verdict(p) != verdict(read))
    {
        Some(_) => Err(ctx.error(
            path,
            format!("payment {number} is listed twice with different statuses"),
        )),
        None => Ok(()),
    }
}

fn request_result(
    ctx: &Ctx<'_>,
    element: &Element<'_>,
) -> Result<Option<RequestResult>, DecodeError> {
    let text = element.trimmed_text();
    if text.is_empty() {
        return Ok(None);
    }
    let code: i32 = ctx.number(text, "response.result-code", "result code")?;
    Ok(Some(RequestResult::new(
        RequestCode::from_code(code),
        ctx.flag(element.attribute("fatal"), "response.result-code@fatal")?,
        message(element),
    )))
}

fn balances(ctx: &Ctx<'_>, element: &Element<'_>) -> Result<Balances, DecodeError> {
    let mut list = Vec::new();
    for (i, balance) in element.children_named("balance").enumerate() {
        // Formatted only on failure: a successful answer costs no path text.
        let path = || format!("response.balances.balance[{i}]");
        let code = attr(balance, "code").ok_or_else(|| {
            ctx.error(&format!("{}@code", path()), "the currency code is missing")
        })?;
        let text = balance.trimmed_text();
        let amount = parse_decimal(text).map_err(|message| ctx.error(&path(), message))?;
        list.push(Money::new(amount, Currency::parse(code)));
    }
    Ok(list.into_iter().collect())
}

fn extras(element: &Element<'_>) -> Vec<Extra> {
    element
        .children_named("extra")
        .map(|e| Extra::new(e.attribute("name").unwrap_or_default(), e.trimmed_text()))
        .collect()
}

fn side(ctx: &Ctx<'_>, element: &Element<'_>, path: &str) -> Result<PaymentSide, DecodeError> {
    let amount = match text_of(element.child("amount")) {
        Some(text) => Some(
            parse_decimal(text).map_err(|message| ctx.error(&format!("{path}.amount"), message))?,
        ),
        None => None,
    };
    let service_id = match text_of(element.child("service-id")) {
        Some(text) => Some(ServiceId(ctx.number(
            text,
            &format!("{path}.service-id"),
            "service id",
        )?)),
        None => None,
    };
    let mut side = PaymentSide::default();
    side.amount = amount;
    side.currency = text_of(element.child("ccy")).map(Currency::parse);
    side.service_id = service_id;
    side.account_number = text_of(element.child("account-number")).map(str::to_owned);
    side.extra = extras(element);
    Ok(side)
}

fn payment(ctx: &Ctx<'_>, element: &Element<'_>, path: &str) -> Result<Payment, DecodeError> {
    let at = |name: &str| format!("{path}@{name}");
    let transaction_number = match attr(element, "transaction-number") {
        Some(text) => Some(
            TransactionNumber::parse(text)
                .map_err(|e| ctx.error(&at("transaction-number"), e.to_string()))?,
        ),
        None => None,
    };
    let status = match attr(element, "status") {
        Some(text) => Some(PaymentStatus::from_code(ctx.number(
            text,
            &at("status"),
            "payment status",
        )?)),
        None => None,
    };
    let result_code = match attr(element, "result-code") {
        Some(text) => Some(PaymentCode::from_code(ctx.number(
            text,
            &at("result-code"),
            "payment result code",
        )?)),
        None => None,
    };
    let from = match element.child("from") {
        Some(from) => Some(side(ctx, from, &format!("{path}.from"))?),
        None => None,
    };
    let to = match element.child("to") {
        Some(to) => Some(side(ctx, to, &format!("{path}.to"))?),
        None => None,
    };
    let mut payment = Payment::default();
    payment.transaction_number = transaction_number;
    payment.txn_id = attr(element, "txn_id").map(str::to_owned);
    payment.status = status;
    payment.result_code = result_code;
    payment.fatal_error = ctx.flag(element.attribute("fatal-error"), &at("fatal-error"))?;
    payment.final_status = ctx.flag(element.attribute("final-status"), &at("final-status"))?;
    payment.message = message(element);
    payment.txn_date = attr(element, "txn-date").map(TxnDate::parse);
    payment.from = from;
    payment.to = to;
    payment.extra = extras(element);
    Ok(payment)
}

/// Turns a non-zero request-level result into the matching error.
fn check(envelope: &Envelope, status: StatusCode, body: &Bytes) -> Result<(), Error> {
    match &envelope.result {
        Some(result) if !result.is_ok() => Err(crate::error::from_result(
            result.clone(),
            status,
            body.clone(),
        )),
        _ => Ok(()),
    }
}

fn missing(status: StatusCode, body: &Bytes, what: &str) -> Error {
    Error::Decode(DecodeError {
        status,
        format: "XML",
        path: "response".into(),
        message: format!("the answer has neither a result code nor {what}"),
        body: body.clone(),
    })
}

pub(crate) fn ping(status: StatusCode, body: &Bytes) -> Result<Balances, Error> {
    let envelope = envelope(status, body)?;
    check(&envelope, status, body)?;
    match (envelope.balances, envelope.result) {
        (Some(balances), _) => Ok(balances),
        // Processed, and the agent has no active account.
        (None, Some(_)) => Ok(Balances::default()),
        (None, None) => Err(missing(status, body, "balances")),
    }
}

pub(crate) fn user_check(status: StatusCode, body: &Bytes) -> Result<UserCheck, Error> {
    let envelope = envelope(status, body)?;
    check(&envelope, status, body)?;
    if envelope.result.is_none() && envelope.exists.is_none() {
        return Err(missing(status, body, "<exist>"));
    }
    let mut check = UserCheck::default();
    check.result = envelope.result;
    check.exists = envelope.exists;
    Ok(check)
}

pub(crate) fn deposit_check(status: StatusCode, body: &Bytes) -> Result<DepositCheck, Error> {
    let envelope = envelope(status, body)?;
    let answered = envelope.exists.is_some() || envelope.deposit_possible.is_some();
    // A non-zero code with the answer's elements (204 in the protocol's example) is an
    // answer, not a failure to process the request.
    if !answered {
        check(&envelope, status, body)?;
        if envelope.result.is_none() {
            return Err(missing(status, body, "<deposit-possible>"));
        }
    }
    let mut check = DepositCheck::default();
    check.result = envelope.result;
    check.exists = envelope.exists;
    check.deposit_possible = envelope.deposit_possible;
    Ok(check)
}

pub(crate) fn pay(status: StatusCode, body: &Bytes) -> Result<PayResponse, Error> {
    pay_answer(envelope(status, body)?, status, body)
}

fn pay_answer(envelope: Envelope, status: StatusCode, body: &Bytes) -> Result<PayResponse, Error> {
    check(&envelope, status, body)?;
    if envelope.result.is_none() && envelope.payments.is_empty() {
        return Err(missing(status, body, "a <payment>"));
    }
    let mut response = PayResponse::default();
    response.result = envelope.result;
    response.payment = envelope.payments.into_iter().next();
    response.balances = envelope.balances;
    Ok(response)
}

/// The answer to `pay` for the payment `number`. One whose payment names another transaction
/// number is another payment's (a misrouted answer) and says nothing of this one, a refusal
/// included: an [`Error::Decode`], whose fate is unknown. A payment without the number is not
/// suspect when it is the only one.
pub(crate) fn pay_of(
    number: &TransactionNumber,
    status: StatusCode,
    body: &Bytes,
) -> Result<PayResponse, Error> {
    let envelope = envelope(status, body)?;
    // Every entry must be this payment: an entry without a number is taken for it only when
    // it stands alone, so that another payment's status is never read as this one's.
    let several = envelope.payments.len() > 1;
    for payment in &envelope.payments {
        let message = match &payment.transaction_number {
            Some(echoed) if echoed != number => format!(
                "the answer describes another payment: transaction number {echoed}, not {number}"
            ),
            None if several => {
                "the answer lists several payments, one without a transaction number".to_owned()
            }
            _ => continue,
        };
        return Err(Error::Decode(DecodeError {
            status,
            format: "XML",
            path: "response.payment@transaction-number".into(),
            message,
            body: body.clone(),
        }));
    }
    pay_answer(envelope, status, body)
}

pub(crate) fn payment_status(status: StatusCode, body: &Bytes) -> Result<StatusResponse, Error> {
    let envelope = envelope(status, body)?;
    check(&envelope, status, body)?;
    if envelope.result.is_none() && envelope.payments.is_empty() && envelope.balances.is_none() {
        return Err(missing(status, body, "payments or balances"));
    }
    let mut response = StatusResponse::default();
    response.result = envelope.result;
    response.payments = envelope.payments;
    response.balances = envelope.balances;
    Ok(response)
}

pub(crate) fn provider(status: StatusCode, body: &Bytes) -> Result<u32, Error> {
    let envelope = envelope(status, body)?;
    check(&envelope, status, body)?;
    envelope.provider_id.ok_or_else(|| {
        Error::Decode(DecodeError {
            status,
            format: "XML",
            path: "response.provider@id".into(),
            message: "the answer has no provider id".into(),
            body: body.clone(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(xml: &str) -> Result<Envelope, DecodeError> {
        envelope(StatusCode::OK, &Bytes::copy_from_slice(xml.as_bytes()))
    }

    #[test]
    fn payments_are_found_with_and_without_the_wrapper() {
        let e = env(
            "<response><payment transaction-number='1'/><payments><payment transaction-number='2'/></payments></response>",
        )
        .unwrap();
        let numbers: Vec<_> = e
            .payments
            .iter()
            .map(|p| p.transaction_number.as_ref().unwrap().as_str())
            .collect();
        assert_eq!(numbers, ["1", "2"]);
    }

    #[test]
    fn bad_numbers_name_their_place() {
        let cases = [
            (
                "<response><result-code fatal='false'>zero</result-code></response>",
                "response.result-code",
            ),
            (
                "<response><result-code fatal='maybe'>0</result-code></response>",
                "response.result-code@fatal",
            ),
            (
                "<response><balances><balance code='643'>abc</balance></balances></response>",
                "response.balances.balance[0]",
            ),
            (
                "<response><balances><balance>1</balance></balances></response>",
                "response.balances.balance[0]@code",
            ),
            (
                "<response><payment status='x'/></response>",
                "response.payment[0]@status",
            ),
            (
                "<response><payments><payment transaction-number='01'/></payments></response>",
                "response.payments.payment[0]@transaction-number",
            ),
            (
                "<response><payment><to><amount>1,5</amount></to></payment></response>",
                "response.payment[0].to.amount",
            ),
            ("<response><exist>yes</exist></response>", "response.exist"),
            (
                "<response><provider id='x'/></response>",
                "response.provider@id",
            ),
            ("<answer/>", "."),
        ];
        for (xml, path) in cases {
            let err = env(xml).unwrap_err();
            assert_eq!(err.path, path, "{xml}");
            assert_eq!(&err.body[..], xml.as_bytes());
        }
    }

    #[test]
    fn empty_values_are_absent() {
        let e = env(
            "<response><result-code fatal=''></result-code><payment txn_id='' message='' msg='Ok' result-code='' status=' '/></response>",
        )
        .unwrap();
        assert_eq!(e.result, None);
        let p = &e.payments[0];
        assert_eq!(
            (p.txn_id.as_deref(), p.status, p.result_code),
            (None, None, None)
        );
        assert_eq!(p.message.as_deref(), Some("Ok"));
    }
}
