//! Models of the QIWI top-up agent XML protocol (`api.qiwi.com/xml/topup.jsp`): the answers
//! (balances, payments, checks), the result codes and statuses, and the values a request is
//! made of (transaction numbers, amounts, cards, comments). The XML itself is read and written
//! by `qiwi-agent`; nothing here parses XML.
//!
//! Every field the protocol calls mandatory but an example omits is an `Option` here: the
//! protocol's own examples contradict each other.

pub mod codes;
pub mod ids;
pub mod model;
pub mod payout;
pub mod text;

/// Shared with the wallet's payments; kept here under the names the agent's callers use.
pub use crate::{CardNumber, PayoutAmount, card::mask_card};
pub use codes::{PaymentCode, PaymentState, PaymentStatus, RequestCode};
pub use ids::TransactionNumber;
pub use model::{
    Balances, DepositCheck, Extra, PayResponse, Payment, PaymentSide, RequestResult, ServiceId,
    StatusResponse, TxnDate, UserCheck,
};
pub use payout::{Comment, FundsSource, Sender};
/// The agent's amount, under the module path it always had.
pub mod amount {
    pub use crate::PayoutAmount;
}
