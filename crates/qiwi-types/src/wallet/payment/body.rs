//! The Payment request of every `/sinap/api/v2/terms/{id}/payments` call and the PaymentInfo
//! answer (§9.0 of the reference).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Currency, Decimal, InvalidValue, PayoutAmount, UniqueNumber, card::mask_card};

/// The client transaction id of a payment (`id`): at most 20 digits. The service echoes it in
/// the answer and later in the history as `trmTxnId`, and uses it to tell a payment sent twice.
///
/// [`PaymentId::next`] takes a fresh [`UniqueNumber`]: increasing within a process, never the
/// same in two processes of one host. A caller who numbers payments itself brings its own
/// digits through [`PaymentId::parse`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PaymentId(String);

crate::text_type::text_type!(PaymentId, from_str = Self::parse);

impl PaymentId {
    /// The most digits an id has.
    pub const MAX_DIGITS: usize = UniqueNumber::MAX_DIGITS as usize;

    /// A fresh id from [`UniqueNumber::next`].
    pub fn next() -> Self {
        Self::from(UniqueNumber::next())
    }

    /// Validates a caller's id.
    ///
    /// ```
    /// use qiwi_types::wallet::PaymentId;
    /// assert_eq!(PaymentId::parse("150217833198900")?.as_str(), "150217833198900");
    /// assert!(PaymentId::parse("123456789012345678901").is_err()); // 21 digits
    /// assert!(PaymentId::parse("12a").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, holds anything but digits or has more than 20.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        crate::invalid::check_digits("payment id", text, 1..=Self::MAX_DIGITS)?;
        Ok(Self(text.to_owned()))
    }
}

impl From<UniqueNumber> for PaymentId {
    fn from(number: UniqueNumber) -> Self {
        Self(number.to_string())
    }
}

impl<'de> Deserialize<'de> for PaymentId {
    /// Reads a string or a number: the reference documents a number and shows strings (§14 28).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::with_text(d, Self::parse)?.map_err(serde::de::Error::custom)
    }
}

/// `sum`: an amount and its currency. The request writes the amount as a JSON number with its
/// exact digits and the currency as its numeric code in a string (`"643"`); the answer is read
/// in whatever form it comes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSum {
    /// The amount.
    #[serde(with = "crate::money::json_number")]
    pub amount: Decimal,
    /// The currency.
    #[serde(serialize_with = "numeric_code")]
    pub currency: Currency,
}

impl PaymentSum {
    /// An amount to send: the [`PayoutAmount`] has already refused a third decimal.
    pub fn new(amount: PayoutAmount, currency: Currency) -> Self {
        Self {
            amount: amount.value(),
            currency,
        }
    }
}

/// Writes a currency as its three-digit numeric code in a string (`"643"`), whatever form it
/// was read or built in; a code without a numeric form is written as it was read.
pub(crate) fn numeric_code<S: Serializer>(currency: &Currency, s: S) -> Result<S::Ok, S::Error> {
    match currency.numeric() {
        Some(n) => s.collect_str(&format_args!("{n:03}")),
        None => currency.serialize(s),
    }
}

/// `paymentMethod`: the account the money is taken from. Always `{"type": "Account",
/// "accountId": "643"}` except for the Kazakhstan card transfer (`"398"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethod {
    /// `"Account"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The currency of the account, as a numeric code.
    #[serde(serialize_with = "numeric_code")]
    pub account_id: Currency,
}

impl PaymentMethod {
    /// Payment from the wallet's account in `currency`.
    pub fn account(currency: Currency) -> Self {
        Self {
            kind: "Account".to_owned(),
            account_id: currency,
        }
    }
}

/// `fields`: the provider's requisites, every value a string. `Debug` masks every value that
/// looks like a card number (13 to 19 digits, or a `cardNumber` field), so that a logged
/// request never shows a card whole.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaymentFields(
    #[serde(deserialize_with = "lenient_text_map")] pub BTreeMap<String, String>,
);

impl PaymentFields {
    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl<const N: usize> From<[(&str, String); N]> for PaymentFields {
    fn from(entries: [(&str, String); N]) -> Self {
        Self(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}

/// Whether a field's value is shown masked.
fn is_card_like(name: &str, value: &str) -> bool {
    name == "cardNumber"
        || ((13..=19).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()))
}

impl fmt::Debug for PaymentFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if is_card_like(name, value) {
                    mask_card(value)
                } else {
                    value.clone()
                };
                (name, shown)
            }))
            .finish()
    }
}

fn lenient_text_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(transparent)]
    struct Text(#[serde(deserialize_with = "crate::lenient::string_or_number")] String);
    let map = BTreeMap::<String, Text>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, Text(v))| (k, v)).collect())
}

/// The Payment request body (§9.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRequest {
    /// The client transaction id.
    pub id: PaymentId,
    /// The amount and the currency the recipient gets.
    pub sum: PaymentSum,
    /// The account the money comes from.
    pub payment_method: PaymentMethod,
    /// The provider's requisites.
    pub fields: PaymentFields,
    /// Only for transfers to a wallet (99) and conversions (1099).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

crate::open_enum! {
    /// `transaction.state.code` of a PaymentInfo: only `Accepted` is documented, and acceptance
    /// is not completion (the history tells the final status).
    pub enum TransactionStateCode {
        /// The payment was accepted for processing.
        Accepted = "Accepted",
    }
}

/// `transaction.state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionState {
    /// The state.
    pub code: TransactionStateCode,
}

/// `transaction`: the QIWI transaction the payment became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTransaction {
    /// The QIWI transaction id (a numeric string; a number in the history, §14 27).
    #[serde(with = "crate::lenient::text")]
    pub id: String,
    /// Its state.
    pub state: TransactionState,
}

/// The answer to an accepted payment (PaymentInfo, §9.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInfo {
    /// The client transaction id, echoed.
    pub id: PaymentId,
    /// The provider id used.
    #[serde(with = "crate::lenient::text")]
    pub terms: String,
    /// The requisites, echoed (card numbers masked by the service).
    pub fields: PaymentFields,
    /// The amount, echoed.
    pub sum: PaymentSum,
    /// The account the money came from (`"account_643"`).
    #[serde(default)]
    pub source: Option<String>,
    /// The comment, when one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The QIWI transaction.
    pub transaction: PaymentTransaction,
}
