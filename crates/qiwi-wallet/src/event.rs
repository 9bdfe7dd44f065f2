//! One payment event for both ways of learning about payments: a verified webhook
//! notification (E56) and polling the history (E14, [`WalletClient::watch`]).
//!
//! The two wire shapes differ (reference §14 item 27): the notification writes `txnId` and
//! `errorCode` as strings and `provider` as an id, the history writes numbers and a provider
//! object. The models already read both forms; here they meet in one type.
//!
//! [`WalletClient::watch`]: crate::WalletClient::watch

use qiwi_types::wallet::{
    ErrorCode, NotificationPayment, PaymentHistoryItem, TransactionId, TransactionStatus,
    TransactionType,
};
use qiwi_types::{ApiTime, Money, Moscow, WalletNumber};
use serde::Serialize;

use crate::webhook::VerifiedPayment;

/// A payment seen by a webhook notification or by polling the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PaymentEvent {
    /// Where the event came from, and what of it is authenticated.
    pub origin: EventOrigin,
    /// The QIWI transaction id (text: the history's number and the notification's string).
    pub txn_id: TransactionId,
    /// The direction.
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// Where the payment stands.
    pub status: TransactionStatus,
    /// Why it failed; `0` when it did not.
    pub error_code: ErrorCode,
    /// When, in Moscow time.
    pub date: ApiTime<Moscow>,
    /// The wallet.
    pub person_id: WalletNumber,
    /// The counterparty.
    pub account: Option<String>,
    /// The comment.
    pub comment: Option<String>,
    /// The provider id (the history's `provider.id`, the notification's `provider`).
    pub provider: Option<String>,
    /// The amount.
    pub sum: Option<Money>,
    /// The commission; none while waiting and on errors.
    pub commission: Option<Money>,
    /// `sum` plus `commission`.
    pub total: Option<Money>,
}

/// How a [`PaymentEvent`] arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "camelCase")]
#[non_exhaustive]
pub enum EventOrigin {
    /// A webhook notification whose signature matched.
    #[serde(rename_all = "camelCase")]
    Webhook {
        /// The notification's `messageId` (the same for each delivery of it).
        message_id: String,
        /// The payment fields the signature covers, as dotted paths (`sum.amount`).
        authenticated: Vec<String>,
    },
    /// Polling the history over the authenticated HTTPS connection to the service.
    #[serde(rename_all = "camelCase")]
    Polling {
        /// The status this payment had when seen before; `None` the first time.
        previous_status: Option<TransactionStatus>,
    },
}

impl PaymentEvent {
    /// Whether the field at `path` (`"sum.amount"`, `"status"`) is authenticated by a
    /// notification's signature. Always `false` for polling: nothing in a history answer is
    /// signed (it came from the service over TLS, which is the trust it has).
    pub fn is_authenticated(&self, path: &str) -> bool {
        match &self.origin {
            EventOrigin::Webhook { authenticated, .. } => authenticated.iter().any(|f| f == path),
            EventOrigin::Polling { .. } => false,
        }
    }

    /// The event of a payment read from the history, `previous_status` being the status it
    /// had when seen before.
    pub fn polled(item: PaymentHistoryItem, previous_status: Option<TransactionStatus>) -> Self {
        Self {
            origin: EventOrigin::Polling { previous_status },
            txn_id: item.txn_id,
            kind: item.kind,
            status: item.status,
            error_code: item.error_code,
            date: item.date,
            person_id: item.person_id,
            account: item.account,
            comment: item.comment,
            provider: item.provider.and_then(|p| p.id),
            sum: item.sum,
            commission: item.commission,
            total: item.total,
        }
    }
}

impl From<VerifiedPayment> for PaymentEvent {
    fn from(verified: VerifiedPayment) -> Self {
        let NotificationPayment {
            txn_id,
            date,
            kind,
            status,
            error_code,
            person_id,
            account,
            comment,
            provider,
            sum,
            commission,
            total,
            sign_fields: _,
        } = verified.payment;
        Self {
            origin: EventOrigin::Webhook {
                message_id: verified.message_id,
                authenticated: verified.signed_fields,
            },
            txn_id,
            kind,
            status,
            error_code,
            date,
            person_id,
            account,
            comment,
            provider,
            sum: Some(sum),
            commission,
            total: Some(total),
        }
    }
}
