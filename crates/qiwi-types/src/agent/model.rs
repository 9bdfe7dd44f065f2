//! Typed answers. Every field the protocol calls mandatory but an example omits is an `Option`.

use std::fmt;

use crate::{ApiTime, Currency, Decimal, Money, Moscow};
use serde::{Serialize, Serializer};

use super::codes::{PaymentCode, PaymentState, PaymentStatus, RequestCode};
use super::ids::TransactionNumber;

/// The request-processing result (`<result-code fatal="…" message="…">N</result-code>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequestResult {
    /// The code.
    pub code: RequestCode,
    /// The `fatal` attribute: repeating the same request gives the same error.
    pub fatal: Option<bool>,
    /// The `message` attribute, or `msg` when only that one is present (Russian text; never
    /// branch on it).
    pub message: Option<String>,
}

impl RequestResult {
    /// A result as the server would write it.
    ///
    /// ```
    /// use qiwi_types::agent::{RequestCode, RequestResult};
    /// let result = RequestResult::new(RequestCode::UnknownError, Some(false), None);
    /// assert!(result.may_retry_same_request());
    /// ```
    pub fn new(code: RequestCode, fatal: Option<bool>, message: Option<String>) -> Self {
        Self {
            code,
            fatal,
            message,
        }
    }

    /// Whether the request was processed (code `0`).
    ///
    /// ```
    /// use qiwi_types::agent::{RequestCode, RequestResult};
    /// assert!(RequestResult::new(RequestCode::Ok, Some(false), None).is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.code.is_ok()
    }

    /// Whether the error is fatal: the `fatal` attribute, or the protocol's table without it.
    ///
    /// ```
    /// use qiwi_types::agent::{RequestCode, RequestResult};
    /// assert!(RequestResult::new(RequestCode::AuthorizationError, None, None).is_fatal());
    /// assert!(RequestResult::new(RequestCode::Unknown(1), Some(true), None).is_fatal());
    /// ```
    pub fn is_fatal(&self) -> bool {
        !self.is_ok() && self.fatal.or(self.code.documented_fatal()).unwrap_or(false)
    }

    /// Whether the same request may be sent again (see
    /// [`RequestCode::may_retry_same_request`]).
    ///
    /// ```
    /// use qiwi_types::agent::{RequestCode, RequestResult};
    /// assert!(!RequestResult::new(RequestCode::IpRestricted, Some(true), None).may_retry_same_request());
    /// ```
    pub fn may_retry_same_request(&self) -> bool {
        self.code.may_retry_same_request(self.fatal)
    }
}

impl fmt::Display for RequestResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "result code {}", self.code.code())?;
        if self.is_fatal() {
            f.write_str(", fatal")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {}", crate::excerpt::excerpt(message)),
            None => write!(f, ": {}", self.code.description()),
        }
    }
}

/// The agent's balances, one per active agent account (`<balances>`): each an amount exactly
/// as written (`200.26`, or `200` in some examples) in the account's currency (`code`,
/// ISO-4217 numeric).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances(Vec<Money>);

impl Balances {
    /// The balance in `currency`, when the agent has an account in it.
    ///
    /// ```
    /// use qiwi_types::agent::Balances;
    /// use qiwi_types::{Currency, Decimal, Money};
    /// let balances: Balances = [Money::new(Decimal::new(20026, 2), Currency::RUB)].into_iter().collect();
    /// assert_eq!(balances.get(&Currency::RUB), Some(Decimal::new(20026, 2)));
    /// assert_eq!(balances.get(&Currency::USD), None);
    /// ```
    pub fn get(&self, currency: &Currency) -> Option<Decimal> {
        self.0
            .iter()
            .find(|b| &b.currency == currency)
            .map(|b| b.amount)
    }

    /// Every balance, in the server's order.
    pub fn iter(&self) -> std::slice::Iter<'_, Money> {
        self.0.iter()
    }

    /// The balances as a slice.
    pub fn as_slice(&self) -> &[Money] {
        &self.0
    }

    /// How many accounts there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no account.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Money> for Balances {
    fn from_iter<I: IntoIterator<Item = Money>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Serialize for Balances {
    /// A list of `{"currency", "amount"}`, the element's order on the wire.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            currency: &'a Currency,
            #[serde(with = "crate::money::decimal")]
            amount: &'a Decimal,
        }
        s.collect_seq(self.0.iter().map(|m| Entry {
            currency: &m.currency,
            amount: &m.amount,
        }))
    }
}

impl<'a> IntoIterator for &'a Balances {
    type Item = &'a Money;
    type IntoIter = std::slice::Iter<'a, Money>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A named value (`<extra name="rrn">…</extra>`). Payments carry them in any order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Extra {
    /// The `name` attribute.
    pub name: String,
    /// The text.
    pub value: String,
}

impl Extra {
    /// A name/value pair.
    ///
    /// ```
    /// let extra = qiwi_types::agent::Extra::new("rrn", "123");
    /// assert_eq!(extra.name, "rrn");
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A payout service (`to/service-id`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ServiceId(pub u32);

impl ServiceId {
    /// `99`: QIWI Wallet top-up.
    pub const WALLET: ServiceId = ServiceId(99);
    /// `34020`: card issued by a Russian bank.
    pub const CARD: ServiceId = ServiceId(34020);
    /// `32911`: card issued by a Russian bank, with the client's phone as the account.
    pub const CARD_BY_PHONE: ServiceId = ServiceId(32911);
    /// `36655`: card issued by a foreign bank (payouts temporarily stopped by QIWI).
    pub const FOREIGN_CARD: ServiceId = ServiceId(36655);
    /// `29130`: mobile phone account.
    pub const MOBILE: ServiceId = ServiceId(29130);
    /// `38413`: SBP (Faster Payments System).
    pub const SBP: ServiceId = ServiceId(38413);

    /// The service's name, when it is one this crate knows.
    ///
    /// ```
    /// use qiwi_types::agent::ServiceId;
    /// assert_eq!(ServiceId(99).name(), Some("wallet"));
    /// assert_eq!(ServiceId(1).name(), None);
    /// ```
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::WALLET => "wallet",
            Self::CARD => "card",
            Self::CARD_BY_PHONE => "card_by_phone",
            Self::FOREIGN_CARD => "foreign_card",
            Self::MOBILE => "mobile",
            Self::SBP => "sbp",
            _ => return None,
        })
    }

    /// Whether the account number is a card number (masked in `Debug`).
    pub fn is_card(self) -> bool {
        self == Self::CARD || self == Self::FOREIGN_CARD
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "ServiceId({} {name})", self.0),
            None => write!(f, "ServiceId({})", self.0),
        }
    }
}

/// When QIWI accepted a payment (`txn-date`, `dd.MM.yyyy HH:mm:ss`).
///
/// The protocol gives no zone; it is read as Moscow time, QIWI's zone, and the text is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnDate {
    raw: String,
    moscow: Option<ApiTime<Moscow>>,
}

impl TxnDate {
    /// Reads `dd.MM.yyyy HH:mm:ss`; other text is kept with no instant.
    ///
    /// ```
    /// use qiwi_types::agent::TxnDate;
    /// let date = TxnDate::parse("14.04.2022 09:40:09");
    /// assert_eq!(date.time().unwrap().to_string(), "2022-04-14T09:40:09+03:00");
    /// assert_eq!(date.raw(), "14.04.2022 09:40:09");
    /// assert!(TxnDate::parse("yesterday").time().is_none());
    /// ```
    pub fn parse(text: &str) -> Self {
        Self {
            raw: text.to_owned(),
            moscow: iso_from_dotted(text.trim()).map(|iso| ApiTime::parse(&iso)),
        }
        .checked()
    }

    /// Drops an instant that the zone library could not resolve.
    fn checked(mut self) -> Self {
        if self
            .moscow
            .as_ref()
            .is_some_and(|t| t.timestamp().is_none())
        {
            self.moscow = None;
        }
        self
    }

    /// The instant, read in Moscow time, when the text had the documented form.
    ///
    /// ```
    /// # use qiwi_types::agent::TxnDate;
    /// assert!(TxnDate::parse("02.03.2011 14:35:46").time().is_some());
    /// ```
    pub fn time(&self) -> Option<&ApiTime<Moscow>> {
        self.moscow.as_ref()
    }

    /// The text exactly as the server wrote it.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// `dd.MM.yyyy HH:mm:ss` to `yyyy-MM-ddTHH:mm:ss`, checking only the shape (the date library
/// checks the values).
fn iso_from_dotted(text: &str) -> Option<String> {
    let (date, time) = text.split_once(' ')?;
    let mut parts = date.split('.');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(day, 2) || !digits(month, 2) || !digits(year, 4) {
        return None;
    }
    let mut clock = time.trim().split(':');
    let (h, m, s) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() || !digits(h, 2) || !digits(m, 2) || !digits(s, 2) {
        return None;
    }
    Some(format!("{year}-{month}-{day}T{h}:{m}:{s}"))
}

impl Serialize for TxnDate {
    /// `{"raw": "02.03.2011 14:35:46", "moscow": "2011-03-02T14:35:46+03:00"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TxnDate", 2)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("moscow", &self.moscow)?;
        st.end()
    }
}

/// One side of a payment (`<from>` or `<to>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PaymentSide {
    /// `amount`: debited from the agent (`from`) or credited (`to`); the two may differ
    /// (conversion, commission).
    #[serde(with = "crate::money::decimal_opt")]
    pub amount: Option<Decimal>,
    /// `ccy`, numeric or alphabetic.
    pub currency: Option<Currency>,
    /// `service-id`.
    pub service_id: Option<ServiceId>,
    /// `account-number`: wallet, masked card number or phone, as echoed.
    pub account_number: Option<String>,
    /// Any `extra` elements.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Extra>,
}

/// A payment as the server reports it (`<payment …>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Payment {
    /// `transaction-number`: the agent's number, echoed.
    pub transaction_number: Option<TransactionNumber>,
    /// `txn_id`: QIWI's id for the payment (it exceeds 32 bits); `None` when absent or empty,
    /// which means the payment was not registered.
    pub txn_id: Option<String>,
    /// `status`.
    pub status: Option<PaymentStatus>,
    /// `result-code` (also read from the `result-сode` spelling with a Cyrillic `с`).
    pub result_code: Option<PaymentCode>,
    /// `fatal-error`: sending the same request again gives the same error.
    pub fatal_error: Option<bool>,
    /// `final-status`: the status will not change again.
    pub final_status: Option<bool>,
    /// `message`, or `msg` when only that one is present.
    pub message: Option<String>,
    /// `txn-date`.
    pub txn_date: Option<TxnDate>,
    /// `<from>`.
    pub from: Option<PaymentSide>,
    /// `<to>`.
    pub to: Option<PaymentSide>,
    /// `<extra>` elements of the payment (`rrn`, `billRegId` for card payouts), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Extra>,
}

impl Payment {
    /// What the status, `final-status`, `txn_id` and result code say together.
    ///
    /// Result code 215 is a conflict whatever the status says: the attributes may describe the
    /// refused resend, not the earlier payment that owns the number. Success and failure need
    /// the status and `final-status` to agree (an absent `final-status` agrees with anything);
    /// a status of `-1` or a missing `txn_id` means not registered; everything else, including
    /// attributes that contradict each other, is in progress, so that a payment is never
    /// settled on unclear evidence.
    ///
    /// ```
    /// use qiwi_types::agent::{Payment, PaymentState, PaymentStatus};
    /// let mut payment = Payment::default();
    /// payment.status = Some(PaymentStatus::from_code(60));
    /// payment.txn_id = Some("1".into());
    /// payment.final_status = Some(true);
    /// assert_eq!(payment.state(), PaymentState::Succeeded);
    /// ```
    pub fn state(&self) -> PaymentState {
        if self.result_code == Some(PaymentCode::TransactionNumberConflict) {
            return PaymentState::Conflict;
        }
        let agrees = self.final_status != Some(false);
        match self.status {
            Some(status) if status.is_success() && agrees => PaymentState::Succeeded,
            Some(status) if status.is_failure() && agrees => PaymentState::Failed,
            Some(PaymentStatus::NotRegistered) => PaymentState::NotRegistered,
            _ if self.txn_id.is_none() => PaymentState::NotRegistered,
            _ => PaymentState::InProgress,
        }
    }

    /// Whether sending the same `pay` again (same transaction number and details) is what the
    /// protocol asks for now: the payment is not registered and its error, if any, is not fatal.
    ///
    /// ```
    /// use qiwi_types::agent::{Payment, PaymentCode, PaymentStatus};
    /// let mut payment = Payment::default();
    /// payment.status = Some(PaymentStatus::from_code(-1));
    /// payment.result_code = Some(PaymentCode::from_code(300));
    /// payment.fatal_error = Some(false);
    /// assert!(payment.may_retry_same_request());
    /// ```
    pub fn may_retry_same_request(&self) -> bool {
        if self.state() != PaymentState::NotRegistered {
            return false;
        }
        match self.result_code {
            None | Some(PaymentCode::Ok) => self.fatal_error != Some(true),
            Some(code) => code.may_retry_same_request(self.fatal_error),
        }
    }

    /// The value of the payment's `extra` with this name (`rrn`, `billRegId`).
    ///
    /// ```
    /// use qiwi_types::agent::{Extra, Payment};
    /// let mut payment = Payment::default();
    /// payment.extra.push(Extra::new("rrn", "123"));
    /// assert_eq!(payment.extra("rrn"), Some("123"));
    /// assert_eq!(payment.extra("billRegId"), None);
    /// ```
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value.as_str())
    }
}

/// The answer to `pay` with `<auth>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PayResponse {
    /// The request-level result; some examples omit it (then the request was processed).
    pub result: Option<RequestResult>,
    /// The payment, when the server reported it.
    pub payment: Option<Payment>,
    /// The agent's balances after the payment was accepted.
    pub balances: Option<Balances>,
}

/// The answer to `pay` with `<status>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StatusResponse {
    /// The request-level result.
    pub result: Option<RequestResult>,
    /// One entry per payment found; a payment QIWI does not know is simply absent.
    pub payments: Vec<Payment>,
    /// The agent's current balances.
    pub balances: Option<Balances>,
}

impl StatusResponse {
    /// The payment with this transaction number, if QIWI found it.
    ///
    /// ```
    /// use qiwi_types::agent::{Payment, StatusResponse, TransactionNumber};
    /// let mut payment = Payment::default();
    /// payment.transaction_number = Some(TransactionNumber::parse("7")?);
    /// let mut response = StatusResponse::default();
    /// response.payments.push(payment);
    /// assert!(response.payment(&TransactionNumber::parse("7")?).is_some());
    /// assert!(response.payment(&TransactionNumber::parse("8")?).is_none());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    pub fn payment(&self, number: &TransactionNumber) -> Option<&Payment> {
        self.payments
            .iter()
            .find(|p| p.transaction_number.as_ref() == Some(number))
    }
}

/// The answer to `check-user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UserCheck {
    /// The request-level result.
    pub result: Option<RequestResult>,
    /// `exist`: the wallet exists (with a currency: has an account in it).
    pub exists: Option<bool>,
}

/// The answer to `check-deposit-possible`.
///
/// The server may answer a non-zero code here (`204` with `fatal="true"`) and still send
/// `exist` and `deposit-possible`; such an answer is returned, not turned into an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DepositCheck {
    /// The request-level result.
    pub result: Option<RequestResult>,
    /// `exist`: the wallet exists (with a currency: has an account in it).
    pub exists: Option<bool>,
    /// `deposit-possible`: a top-up with the declared kind of funds would be accepted.
    pub deposit_possible: Option<bool>,
}

impl DepositCheck {
    /// Whether a `pay` would be accepted: `deposit-possible` is `1`.
    ///
    /// ```
    /// let mut check = qiwi_types::agent::DepositCheck::default();
    /// check.deposit_possible = Some(true);
    /// assert!(check.is_possible());
    /// ```
    pub fn is_possible(&self) -> bool {
        self.deposit_possible == Some(true)
    }

    /// Why the deposit is not possible, when the server said: the result code read in the
    /// payment code table (`204`: identification status too low).
    ///
    /// ```
    /// use qiwi_types::agent::{DepositCheck, PaymentCode, RequestCode, RequestResult};
    /// let mut check = DepositCheck::default();
    /// check.result = Some(RequestResult::new(RequestCode::from_code(204), Some(true), None));
    /// assert_eq!(check.reason(), Some(PaymentCode::InsufficientIdentification));
    /// ```
    pub fn reason(&self) -> Option<PaymentCode> {
        self.result
            .as_ref()
            .filter(|r| !r.is_ok())
            .map(|r| PaymentCode::from_code(r.code.code()))
    }
}
