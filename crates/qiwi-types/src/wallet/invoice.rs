//! Invoices addressed to the wallet and P2P keys (reference §9.1, E36 to E39).
//!
//! The invoice API writes `snake_case` (E37 to E39) and the key API `PascalCase` (E36), unlike
//! the rest of the wallet API. Its times are Unix milliseconds ([`UnixMillis`]); its invoice id
//! is a number in E37 and E39 but a string in E38 (reference §14 item 43), and so is the
//! currency.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use secrecy::SecretString;
use serde::de;
use serde::{Deserialize, Deserializer, Serialize};

use crate::{InvalidValue, Money};

use super::JsonValue;

/// The body of E36: a name for the key pair and, optionally, where invoice payments are
/// notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct P2pKeysRequest {
    /// Any name (`keysPairName`).
    pub keys_pair_name: String,
    /// The URL invoice-payment notifications go to (`serverNotificationsUrl`); not sent when
    /// `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_notifications_url: Option<String>,
}

/// A P2P key pair (the answer of E36). `Debug` shows the secret key as `[REDACTED]`; the model
/// does not serialize, so the key is written nowhere unless its holder exposes it.
#[derive(Debug, Clone, Deserialize)]
pub struct P2pKeyPair {
    /// For the payment form (`PublicKey`).
    #[serde(rename = "PublicKey")]
    pub public_key: String,
    /// For the P2P API, and for E37 to E39 where the caller chooses it (`SecretKey`).
    #[serde(rename = "SecretKey")]
    pub secret_key: SecretString,
}

/// An invoice id (`bills[].id`): a number in E37 and E39, a string in E38.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct InvoiceId(u64);

impl InvoiceId {
    /// The id.
    pub fn new(id: u64) -> Self {
        Self(id)
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for InvoiceId {
    type Err = InvalidValue;

    /// Digits only, as E37 lists them.
    ///
    /// ```
    /// use qiwi_types::wallet::InvoiceId;
    ///
    /// assert_eq!("1063702405".parse::<InvoiceId>().unwrap().get(), 1_063_702_405);
    /// assert!("12a".parse::<InvoiceId>().is_err());
    /// assert!("".parse::<InvoiceId>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidValue::new(
                "invoice id",
                format!("an invoice id is digits (bills[].id of the invoice list); got {text:?}"),
            ));
        }
        text.parse()
            .map(Self)
            .map_err(|_| InvalidValue::new("invoice id", format!("{text} is too large")))
    }
}

impl<'de> Deserialize<'de> for InvoiceId {
    /// A number, or a string of digits.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::with_text(d, str::parse)?.map_err(de::Error::custom)
    }
}

/// A time of the invoice API: Unix time in milliseconds, as the answers write it and as this
/// crate sends the search's time bounds (reference §14 item 44 leaves the bounds' unit open).
///
/// Kept as the number sent, so that a value out of range never fails an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct UnixMillis(i64);

impl UnixMillis {
    /// The number of milliseconds since 1970-01-01T00:00:00Z.
    pub fn new(millis: i64) -> Self {
        Self(millis)
    }

    /// The instant, to the millisecond.
    pub fn from_timestamp(at: Timestamp) -> Self {
        Self(at.as_millisecond())
    }

    /// The number.
    pub fn get(self) -> i64 {
        self.0
    }

    /// The instant; `None` when the number is out of range.
    ///
    /// ```
    /// use qiwi_types::wallet::UnixMillis;
    ///
    /// let at = UnixMillis::new(1_523_025_585_000).timestamp().unwrap();
    /// assert_eq!(at.to_string(), "2018-04-06T14:39:45Z");
    /// assert_eq!(UnixMillis::new(i64::MAX).timestamp(), None);
    /// ```
    pub fn timestamp(self) -> Option<Timestamp> {
        Timestamp::from_millisecond(self.0).ok()
    }
}

impl<'de> Deserialize<'de> for UnixMillis {
    /// A whole number, or a string of one.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::with_text(d, |text| text.trim().parse().map(Self))?
            .map_err(|_| de::Error::custom("expected Unix time in milliseconds"))
    }
}

crate::open_enum! {
    /// Where an invoice stands (`status`; the search lists only unpaid ones).
    pub enum InvoiceStatus {
        /// Unpaid: it may be paid or rejected.
        ReadyForPay = "READY_FOR_PAY",
    }
}

crate::open_enum! {
    /// Who issued an invoice (`type`).
    pub enum InvoiceKind {
        /// A merchant.
        Merchant = "MERCHANT",
    }
}

crate::open_enum! {
    /// The answer of an invoice payment (`invoice_status` of E38).
    pub enum InvoicePaymentStatus {
        /// Paid.
        Paid = "PAID_STATUS",
    }
}

/// The merchant of an invoice (`bills[].provider`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceProvider {
    /// Its provider id.
    #[serde(with = "crate::lenient::text")]
    pub id: String,
    /// Its short name.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Its full name.
    #[serde(default)]
    pub long_name: Option<String>,
    /// Its logo.
    #[serde(default)]
    pub logo_url: Option<String>,
}

/// An invoice addressed to the wallet (`bills[]` of E37).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Its id: what E38 pays and E39 rejects.
    pub id: InvoiceId,
    /// The merchant's own id.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub external_id: Option<String>,
    /// When it was issued.
    pub creation_datetime: UnixMillis,
    /// When it expires.
    #[serde(default)]
    pub expiration_datetime: Option<UnixMillis>,
    /// The amount to pay (`currency` a number here, a string in E38).
    pub sum: Money,
    /// Where it stands.
    pub status: InvoiceStatus,
    /// Who issued it.
    #[serde(rename = "type")]
    pub kind: InvoiceKind,
    /// Whether it repeats.
    #[serde(default)]
    pub repetitive: Option<bool>,
    /// The merchant.
    #[serde(default)]
    pub provider: Option<InvoiceProvider>,
    /// What it is for.
    #[serde(default)]
    pub comment: Option<String>,
    /// The payment form in a browser.
    #[serde(default)]
    pub pay_url: Option<String>,
}

/// Where the next page of the invoice search starts: the last invoice of a page (`next_id`,
/// `next_creation_datetime`). The service lists invoices with this id or older again, so the
/// first invoice of the next page may repeat the last of this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCursor {
    /// `next_id`.
    pub next_id: InvoiceId,
    /// `next_creation_datetime`.
    pub next_creation_datetime: UnixMillis,
}

/// One page of unpaid invoices (E37), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePage {
    /// The invoices.
    #[serde(default)]
    pub bills: Vec<Invoice>,
}

impl InvoicePage {
    /// The cursor of the page after this one, when this page asked for `rows` and got as
    /// many (a shorter page is the last).
    pub fn cursor(&self, rows: u32) -> Option<InvoiceCursor> {
        let full = u32::try_from(self.bills.len()).is_ok_and(|n| n >= rows);
        let last = self.bills.last().filter(|_| full)?;
        Some(InvoiceCursor {
            next_id: last.id,
            next_creation_datetime: last.creation_datetime,
        })
    }
}

/// The body of E38.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayInvoiceRequest {
    /// The invoice id, as a string.
    #[serde(with = "crate::lenient::text")]
    pub invoice_uid: String,
    /// The invoice's currency (`bills[].sum.currency`), as a string of its numeric code.
    #[serde(with = "crate::lenient::text")]
    pub currency: String,
}

/// The answer of E38.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePayment {
    /// [`InvoicePaymentStatus::Paid`] when paid; anything else is a failure.
    pub invoice_status: InvoicePaymentStatus,
    /// Whether an SMS confirmation was asked: documented as a string, shown as a boolean
    /// (reference §14 item 43); either is read, anything else is `None`.
    #[serde(default, deserialize_with = "bool_or_text")]
    pub is_sms_confirm: Option<bool>,
    /// Undocumented; kept as sent.
    #[serde(
        rename = "WALLET_ACCEPT_PAY_RESULT",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub wallet_accept_pay_result: Option<JsonValue>,
}

impl InvoicePayment {
    /// Whether the invoice is paid.
    pub fn is_paid(&self) -> bool {
        self.invoice_status == InvoicePaymentStatus::Paid
    }
}

/// The body of E39.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectInvoiceRequest {
    /// The invoice id, as a number.
    pub id: InvoiceId,
}

/// `true`, `false`, `"true"`, `"false"` (any case); anything else (`null`, other text, a number,
/// an object) is `None`, so that this flag never fails an answer that says paid.
fn bool_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match JsonValue::deserialize(d)? {
        JsonValue::Bool(flag) => Some(flag),
        JsonValue::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn is_sms_confirm_reads_a_boolean_or_a_string() {
        for (text, expected) in [
            ("false", Some(false)),
            ("true", Some(true)),
            (r#""false""#, Some(false)),
            (r#""TRUE""#, Some(true)),
            (r#""maybe""#, None),
            ("null", None),
        ] {
            let body = format!(r#"{{"invoice_status":"PAID_STATUS","is_sms_confirm":{text}}}"#);
            let payment: InvoicePayment = serde_json::from_str(&body).unwrap();
            assert_eq!(payment.is_sms_confirm, expected, "{text}");
            assert!(payment.is_paid());
        }
    }

    #[test]
    fn the_key_pair_debug_hides_the_secret_key() {
        let pair: P2pKeyPair =
            serde_json::from_str(r#"{"PublicKey":"pub-123","SecretKey":"sec-very-secret"}"#)
                .unwrap();
        assert_eq!(pair.secret_key.expose_secret(), "sec-very-secret");
        assert_eq!(
            format!("{pair:?}"),
            "P2pKeyPair { public_key: \"pub-123\", secret_key: SecretBox<str>([REDACTED]) }"
        );
    }

    #[test]
    fn a_page_has_a_cursor_only_when_full() {
        let page: InvoicePage = serde_json::from_str(
            r#"{"bills":[{"id":"5","creation_datetime":"1000","sum":{"amount":1,"currency":643},"status":"READY_FOR_PAY","type":"MERCHANT"}]}"#,
        )
        .unwrap();
        assert_eq!(
            page.cursor(1),
            Some(InvoiceCursor {
                next_id: InvoiceId::new(5),
                next_creation_datetime: UnixMillis::new(1000),
            })
        );
        assert_eq!(page.cursor(2), None);
    }
}
