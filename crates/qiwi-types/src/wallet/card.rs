//! QIWI Master virtual cards (E41, E42, E44 and E46 to E49 of the reference; the package and
//! a paid card, E40 and E43, are payments).
//!
//! Card identifiers keep the server's digits as text: `qvx.cardId` is near 2·10^18, beyond
//! what a float holds exactly. The card number and its CVV (E48) are [`SecretString`]s that
//! only [`CardDetails::expose`] gives out: `Debug` and the serialized form show the masked
//! form of [`mask_pan`] and [`MASKED_CVV`], never the digits. A `fullPan` in the cards list,
//! documented as `null`, is kept the same way.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wallet::JsonValue;
use crate::{ApiTime, Currency, Decimal, InvalidValue, Money, Moscow};

/// What a CVV shows as in `Debug` and in the serialized form.
pub const MASKED_CVV: &str = "***";

/// The masked form of a card number, as the service writes `maskedPan`: `****` and the last
/// four digits (`****3333`); a number of fewer than eight characters shows as `****` alone.
///
/// ```
/// use qiwi_types::wallet::card::mask_pan;
/// assert_eq!(mask_pan("44441111222233333"), "****3333");
/// assert_eq!(mask_pan("1234"), "****");
/// ```
pub fn mask_pan(pan: &str) -> String {
    let count = pan.chars().count();
    if count < 8 {
        return "****".to_owned();
    }
    let last: String = pan.chars().skip(count - 4).collect();
    format!("****{last}")
}

/// A card's identifier in the card calls' paths (E45 to E49): digits, kept as text (read from a
/// JSON number or string).
///
/// Which identifier the service means there is not stated (reference §14 item 48): the free
/// card's `cardId` of E42, or `qvx.id` or `qvx.cardId` of E44. [`Card::id`] gives `qvx.id`,
/// the form of the reference's example URLs; `qvx.cardId` stays readable as
/// [`CardQvx::card_id`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(#[serde(deserialize_with = "crate::lenient::string_or_number")] String);

impl CardId {
    /// Checks a caller's card id: 1 to 20 digits.
    ///
    /// ```
    /// use qiwi_types::wallet::CardId;
    /// assert_eq!(CardId::new("2001291110576200000").unwrap().as_str(), "2001291110576200000");
    /// assert!(CardId::new("").is_err());
    /// assert!(CardId::new("..").is_err());
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, longer than 20 characters or not digits.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidValue::new(
                "card id",
                format!("a card id is 1 to 20 digits (qvx.id of the cards list); got {text:?}"),
            ));
        }
        Ok(Self(text))
    }
}

crate::text_type::text_type!(CardId, from_str = Self::new);

/// A card order's identifier (E41's `id`, a UUID), for its submission (E42) and payment (E43).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardOrderId(String);

impl CardOrderId {
    /// Checks a caller's order id: 1 to 64 letters, digits or `-`.
    ///
    /// ```
    /// use qiwi_types::wallet::CardOrderId;
    /// assert!(CardOrderId::new("920fa383-6209-4743-a5d1-883f473f7f95").is_ok());
    /// assert!(CardOrderId::new("a/b").is_err());
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty, too long or holds another character.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
        if text.is_empty() || text.len() > 64 || !text.bytes().all(allowed) {
            return Err(InvalidValue::new(
                "card order id",
                format!("an order id is the UUID of the order (E41); got {text:?}"),
            ));
        }
        Ok(Self(text))
    }
}

crate::text_type::text_type!(CardOrderId, from_str = Self::new);

crate::open_enum! {
    /// The kind of card ordered (`cardAlias`).
    pub enum CardAlias {
        /// `qvc-cpa`: the prepaid virtual card.
        Prepaid = "qvc-cpa",
        /// `qvc-cpa-debit`: the debit virtual card.
        Debit = "qvc-cpa-debit",
    }
}

crate::open_enum! {
    /// The state of a card order (E41, E42).
    pub enum CardOrderStatus {
        /// Created, not submitted.
        Draft = "DRAFT",
        /// Issued: the order was free, `cardId` names the card.
        Completed = "COMPLETED",
        /// Beyond the free cards: pay for it (E43) to have it issued.
        PaymentRequired = "PAYMENT_REQUIRED",
    }
}

crate::open_enum! {
    /// The state of a card (`qvx.status`).
    pub enum CardStatus {
        /// In use.
        Active = "ACTIVE",
        /// Sent to the bank.
        SentToBank = "SENDED_TO_BANK",
        /// Sent to the owner.
        SentToUser = "SENDED_TO_USER",
        /// Blocked (E46).
        Blocked = "BLOCKED",
        /// The service's own `UNKNOWN`.
        Undetermined = "UNKNOWN",
    }
}

crate::open_enum! {
    /// The result of a card operation (E47 to E49).
    pub enum CardOperationStatus {
        /// Done.
        Ok = "OK",
        /// Refused.
        Fail = "FAIL",
        /// The owner must confirm it (by SMS, outside the API).
        ConfirmationRequired = "CONFIRMATION_REQUIRED",
        /// Too many confirmations were asked for.
        ConfirmationLimitExceeded = "CONFIRMATION_LIMIT_EXCEED",
    }
}

/// The body of a card order (E41).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardOrderRequest {
    /// The kind of card.
    pub card_alias: CardAlias,
}

/// A card order (E41 answers it in `DRAFT`, E42 `COMPLETED` or `PAYMENT_REQUIRED`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardOrder {
    /// The order's id.
    pub id: CardOrderId,
    /// The kind of card.
    pub card_alias: CardAlias,
    /// Where the order stands.
    pub status: CardOrderStatus,
    /// What the card costs: `null` in a draft, `0` for a free card.
    #[serde(default)]
    pub price: Option<Money>,
    /// The new card, when the order was free; `null` otherwise.
    #[serde(default)]
    pub card_id: Option<CardId>,
}

/// One card of the cards list (E44).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Card {
    /// The card itself.
    pub qvx: CardQvx,
    /// Its balance, `null` when not reported.
    #[serde(default)]
    pub balance: Option<Money>,
    /// Its tariff.
    pub info: CardInfo,
}

impl Card {
    /// The id the card calls (E45 to E49) take: `qvx.id` (see [`CardId`] for why it is not
    /// verified against the live service).
    pub fn id(&self) -> &CardId {
        &self.qvx.id
    }
}

/// The card part of a cards list entry (`qvx`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardQvx {
    /// `id`: the short id, used in the card calls by default.
    pub id: CardId,
    /// The masked card number (`****9078`); one sent with more than four digits is masked
    /// here, as a full number would otherwise be shown wherever the list is.
    #[serde(default, deserialize_with = "masked_pan_opt")]
    pub masked_pan: Option<String>,
    /// The card's state.
    pub status: CardStatus,
    /// When it expires.
    #[serde(default)]
    pub card_expire: Option<ApiTime<Moscow>>,
    /// `VIRTUAL`.
    #[serde(default)]
    pub card_type: Option<String>,
    /// The name the owner gave the card (E49).
    #[serde(default)]
    pub card_alias: Option<String>,
    /// The card's spending limit.
    #[serde(default)]
    pub card_limit: Option<CardLimit>,
    /// When it was issued.
    #[serde(default)]
    pub activated: Option<ApiTime<Moscow>>,
    /// When its SMS was last sent again.
    #[serde(default)]
    pub sms_resended: Option<ApiTime<Moscow>>,
    /// The post number (`null` for a virtual card).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub post_number: Option<String>,
    /// When it was blocked.
    #[serde(default)]
    pub blocked_date: Option<ApiTime<Moscow>>,
    /// Documented as `null`; a card number sent here is kept secret like E48's.
    #[serde(
        default,
        serialize_with = "serialize_masked_pan",
        deserialize_with = "secret_opt"
    )]
    pub full_pan: Option<SecretString>,
    /// `cardId`: the long id (near 2·10^18), kept exactly.
    #[serde(default)]
    pub card_id: Option<CardId>,
    /// The transaction that issued it.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub txn_id: Option<String>,
    /// The expiry month, `"01"`.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub card_expire_month: Option<String>,
    /// The expiry year, `"2022"`.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub card_expire_year: Option<String>,
    /// Whether an unblock (E47) is still possible (in the field table, not in the example).
    #[serde(default)]
    pub unblock_available: Option<bool>,
}

/// A card's spending limit (`cardLimit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardLimit {
    /// The limit.
    #[serde(with = "crate::money::decimal")]
    pub value: Decimal,
    /// Its currency.
    pub currency_code: Currency,
}

/// The tariff part of a cards list entry (`info`).
///
/// The field table puts `tariffLink`, `offerLink` and `requisites` directly here, the example
/// in `details` (reference §14 item 47): both places are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardInfo {
    /// The tariff's id.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// The kind of card.
    pub alias: CardAlias,
    /// What the card costs.
    #[serde(default)]
    pub price: Option<Money>,
    /// For how long (`за год`).
    #[serde(default)]
    pub period: Option<String>,
    /// The tariff type (`QVC_CPA`).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The tariff's description.
    #[serde(default)]
    pub details: Option<CardTariffDetails>,
    /// Features, free-form.
    #[serde(default)]
    pub features: Vec<JsonValue>,
    /// The tariff's link, where the field table puts it.
    #[serde(default)]
    pub tariff_link: Option<String>,
    /// The offer's link, where the field table puts it.
    #[serde(default)]
    pub offer_link: Option<String>,
    /// The issuer's requisites, where the field table puts them.
    #[serde(default)]
    pub requisites: Vec<Requisite>,
}

/// `info.details` of a cards list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardTariffDetails {
    /// A one-line summary (`99 ₽, действует 1 год`).
    #[serde(default)]
    pub info: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// The tariff's link.
    #[serde(default)]
    pub tariff_link: Option<String>,
    /// The offer's link.
    #[serde(default)]
    pub offer_link: Option<String>,
    /// Features, as text.
    #[serde(default)]
    pub features: Vec<String>,
    /// The issuer's requisites.
    #[serde(default)]
    pub requisites: Vec<Requisite>,
}

/// One requisite of the card's issuer (`{name, value}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requisite {
    /// Its name (`ИНН`).
    pub name: String,
    /// Its value.
    #[serde(with = "crate::lenient::text")]
    pub value: String,
}

/// The result of an unblock (E47).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardOperation {
    /// `OK`, `FAIL`, `CONFIRMATION_REQUIRED` or `CONFIRMATION_LIMIT_EXCEED`.
    pub status: CardOperationStatus,
    /// The confirmation's id (`null` through the API).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub confirmation_id: Option<String>,
    /// The operation's id (`null` through the API).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub operation_id: Option<String>,
    /// When another confirmation may be asked for (`null` through the API).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub next_confirmation_request: Option<String>,
}

/// The body of a details request (E48): any UUID, naming the operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetailsRequest {
    /// The operation's UUID.
    pub operation_id: String,
}

/// A card's number and CVV (E48).
///
/// `Debug` and the serialized form show [`mask_pan`] of the number and [`MASKED_CVV`];
/// [`expose`](Self::expose) gives the digits.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetails {
    /// `OK` when the numbers are given.
    pub status: CardOperationStatus,
    /// The card number.
    #[serde(default, deserialize_with = "secret_opt")]
    pub pan: Option<SecretString>,
    /// The CVV.
    #[serde(default, deserialize_with = "secret_opt")]
    pub cvv: Option<SecretString>,
    /// The service's code (`"0"`).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub error_code: Option<String>,
}

impl CardDetails {
    /// The card number and the CVV in clear, when the service gave them.
    pub fn expose(&self) -> (Option<&str>, Option<&str>) {
        (
            self.pan.as_ref().map(ExposeSecret::expose_secret),
            self.cvv.as_ref().map(ExposeSecret::expose_secret),
        )
    }

    /// The masked card number (`****3333`).
    pub fn masked_pan(&self) -> Option<String> {
        self.pan.as_ref().map(|pan| mask_pan(pan.expose_secret()))
    }
}

impl fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardDetails")
            .field("status", &self.status)
            .field("pan", &self.masked_pan())
            .field("cvv", &self.cvv.as_ref().map(|_| MASKED_CVV))
            .field("error_code", &self.error_code)
            .finish()
    }
}

impl Serialize for CardDetails {
    /// The masked form: `{"status", "pan": "****3333", "cvv": "***", "errorCode"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("CardDetails", 4)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("pan", &self.masked_pan())?;
        st.serialize_field("cvv", &self.cvv.as_ref().map(|_| MASKED_CVV))?;
        st.serialize_field("errorCode", &self.error_code)?;
        st.end()
    }
}

/// The body of a rename (E49).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRenameRequest {
    /// The card's new name.
    pub alias: String,
}

/// The result of a rename (E49).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardRenameResult {
    /// `OK` or `FAIL`.
    pub status: CardOperationStatus,
    /// The service's message (`"OK"`).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub error: Option<String>,
    /// The service's code (`"OK"`).
    #[serde(default, with = "crate::lenient::text_opt")]
    pub error_code: Option<String>,
}

/// A card number written masked.
fn serialize_masked_pan<S: Serializer>(
    value: &Option<SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    value
        .as_ref()
        .map(|pan| mask_pan(pan.expose_secret()))
        .serialize(s)
}

/// `maskedPan` as sent when it shows at most four digits, else masked by [`mask_pan`] from
/// its digits.
fn masked_pan_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text: Option<String> = crate::lenient::text_opt::deserialize(d)?;
    Ok(text.map(|text| {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() > 4 {
            mask_pan(&digits)
        } else {
            text
        }
    }))
}

/// A string or number read straight into a secret; `null` gives `None`.
fn secret_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    let text: Option<String> = crate::lenient::text_opt::deserialize(d)?;
    Ok(text.map(SecretString::from))
}
