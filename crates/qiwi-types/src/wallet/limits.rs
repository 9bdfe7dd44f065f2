//! Limits (E07), the person-to-person payment count (E08) and outgoing-payment restrictions
//! (E09).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ApiTime, Currency, Decimal, Moscow};

crate::open_enum! {
    /// A kind of limit (the `types[n]` query values of E07 and `type` in its answer).
    pub enum LimitType {
        /// The largest balance.
        Refill = "REFILL",
        /// Monthly turnover.
        Turnover = "TURNOVER",
        /// Monthly transfers to other wallets.
        PaymentsP2p = "PAYMENTS_P2P",
        /// Monthly payments to foreign companies.
        PaymentsProviderInternationals = "PAYMENTS_PROVIDER_INTERNATIONALS",
        /// Transfers to bank accounts, cards and other e-wallets.
        PaymentsProviderPayout = "PAYMENTS_PROVIDER_PAYOUT",
        /// Monthly cash withdrawal.
        WithdrawCash = "WITHDRAW_CASH",
    }
}

/// The wallet's current limits (E07), by country code (only `"RU"` is documented).
///
/// The reference writes this as `limits[].'RU'`, which hides that `limits` is an object keyed
/// by country (§14 item 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActualLimits {
    /// The limits of each country.
    pub limits: BTreeMap<String, Vec<Limit>>,
}

impl ActualLimits {
    /// Every limit with its country code, countries in order.
    ///
    /// ```
    /// use qiwi_types::wallet::{ActualLimits, LimitType};
    ///
    /// let limits: ActualLimits = serde_json::from_str(r#"{"limits": {"RU": [
    ///   {"type": "TURNOVER", "currency": "RUB", "rest": 200.00, "max": 40000.00, "spent": 39800.00,
    ///    "interval": {"dateFrom": "2019-11-01T:00:00", "dateTill": "2019-12-01T00:00"}}]}}"#).unwrap();
    /// let (country, limit) = limits.iter().next().unwrap();
    /// assert_eq!((country, &limit.limit_type), ("RU", &LimitType::Turnover));
    /// assert_eq!(limit.rest.to_string(), "200.00");
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Limit)> + '_ {
        self.limits
            .iter()
            .flat_map(|(country, limits)| limits.iter().map(move |l| (country.as_str(), l)))
    }
}

/// One limit.
///
/// The reference types `max` and `spent` as strings and `rest` as a boolean, while every
/// example and real answer has numbers (§14 item 10, §15): all three read a number or a numeric
/// string. `currency` is an alphabetic code here (`"RUB"`), unlike elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// The kind of limit.
    #[serde(rename = "type")]
    pub limit_type: LimitType,
    /// The limit's currency.
    pub currency: Currency,
    /// What may still be used in the period.
    #[serde(with = "crate::money::decimal")]
    pub rest: Decimal,
    /// The limit.
    #[serde(with = "crate::money::decimal")]
    pub max: Decimal,
    /// What was used in the period.
    #[serde(with = "crate::money::decimal")]
    pub spent: Decimal,
    /// The period the limit applies to.
    #[serde(default)]
    pub interval: Option<LimitInterval>,
}

/// The period of a limit.
///
/// The documented examples are malformed (`"2019-11-01T:00:00"`, §14 item 11): a bound that
/// cannot be read keeps its raw text (see [`ApiTime::raw`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitInterval {
    /// The start of the period.
    #[serde(default)]
    pub date_from: Option<ApiTime<Moscow>>,
    /// The end of the period.
    #[serde(default)]
    pub date_till: Option<ApiTime<Moscow>>,
}

/// The number of person-to-person payments in the current month (E08).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct P2pPaymentCount {
    /// The count (the field is named `p2pPaymentCountLimit` on the wire).
    pub p2p_payment_count_limit: u64,
}

crate::open_enum! {
    /// A restriction on the wallet.
    pub enum RestrictionCode {
        /// Outgoing payments are blocked.
        OutgoingPayments = "OUTGOING_PAYMENTS",
    }
}

/// One restriction on the wallet (an element of the E09 array; the array is empty when there
/// are none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Restriction {
    /// What is restricted.
    pub restriction_code: RestrictionCode,
    /// A human-readable description, e.g. `Исходящие платежи заблокированы`.
    #[serde(default)]
    pub restriction_description: Option<String>,
}
