//! Webhooks: the hook (E50, E54), the answers of E51 and E55, the signing key (E52, E53) and
//! the notification the service posts to the hook's URL (E56).
//!
//! A [`Notification`] decoded here is not authenticated: its signature covers only the fields
//! its `signFields` names. Check it first (`qiwi_wallet::webhook`), and confirm a payment
//! through the transaction call (E16) before acting on a field the signature does not cover
//! (`status`, `errorCode`, `date` and `messageId` by default).

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

use crate::wallet::{ErrorCode, TransactionId, TransactionStatus, TransactionType};
use crate::{ApiTime, Money, Moscow, WalletNumber};

crate::open_enum! {
    /// The kind of hook (`hookType`; only web hooks exist, sent as `1` on registration).
    pub enum HookKind {
        /// A URL the service posts to.
        Web = "WEB",
    }
}

crate::open_enum! {
    /// Which payments a hook reports (`txnType`; registration sends `0`, `1` or `2`, the
    /// answers write the name, reference §14 item 54).
    pub enum HookTxnType {
        /// Incoming payments.
        In = "IN",
        /// Outgoing payments.
        Out = "OUT",
        /// Both directions.
        Both = "BOTH",
    }
}

impl HookTxnType {
    /// The registration query's value (`txnType=0|1|2`); `None` for an unknown value.
    ///
    /// ```
    /// use qiwi_types::wallet::HookTxnType;
    /// assert_eq!(HookTxnType::Both.query_value(), Some("2"));
    /// ```
    pub fn query_value(&self) -> Option<&'static str> {
        match self {
            Self::In => Some("0"),
            Self::Out => Some("1"),
            Self::Both => Some("2"),
            Self::Unknown(_) => None,
        }
    }
}

/// A registered hook (the answer of E50 and E54).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    /// The hook's id (a UUID), used by E51 to E53.
    pub hook_id: String,
    /// Where notifications go.
    pub hook_parameters: HookParameters,
    /// The kind of hook.
    pub hook_type: HookKind,
    /// Which payments it reports.
    pub txn_type: HookTxnType,
}

/// The parameters of a hook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookParameters {
    /// The URL notifications are posted to.
    pub url: String,
}

/// The one-line answer of E51 (`"Hook deleted"`) and E55 (`"Webhook sent"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookResponse {
    /// The service's words.
    pub response: String,
}

/// The signing key of a hook (E52, E53): Base64 of the HMAC key.
#[derive(Debug, Clone, Deserialize)]
pub struct HookKey {
    /// The Base64 text, kept secret.
    pub key: SecretString,
}

/// A notification as posted to the hook's URL (E56), decoded without checking its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// Unique per notification; a resent notification keeps it.
    pub message_id: String,
    /// The hook that sent it.
    pub hook_id: String,
    /// The signature: lowercase hexadecimal HMAC-SHA256.
    pub hash: String,
    /// `true` for the test notification of E55.
    #[serde(default)]
    pub test: bool,
    /// The format version (`"1.0.0"`).
    #[serde(default)]
    pub version: Option<String>,
    /// The payment; absent in a test notification (reference §14 item 56).
    #[serde(default)]
    pub payment: Option<NotificationPayment>,
}

/// The payment a notification reports (`payment` of E56).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPayment {
    /// The QIWI transaction id (a string here, a number in the history).
    pub txn_id: TransactionId,
    /// When, in Moscow time.
    pub date: ApiTime<Moscow>,
    /// The direction.
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// Where it stands.
    pub status: TransactionStatus,
    /// Why it failed; `0` when it did not (a string here, a number in the history).
    pub error_code: ErrorCode,
    /// The wallet the hook belongs to.
    pub person_id: WalletNumber,
    /// The counterparty.
    #[serde(default, with = "crate::lenient::text_opt")]
    pub account: Option<String>,
    /// The payer's comment (may be `""`).
    #[serde(default)]
    pub comment: Option<String>,
    /// The provider id: a number here, an object with an `id` in the history.
    #[serde(default, deserialize_with = "provider_id")]
    pub provider: Option<String>,
    /// The amount.
    pub sum: Money,
    /// The commission; `null` while waiting and on errors.
    #[serde(default)]
    pub commission: Option<Money>,
    /// `sum` plus `commission`.
    pub total: Money,
    /// The comma-separated dotted paths (inside `payment`) the signature covers, in order.
    pub sign_fields: String,
}

/// Reads a provider id from a number, a string, or an object's `id`.
fn provider_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    crate::lenient::text_or_member(d, "id")
}
