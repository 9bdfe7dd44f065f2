//! Models of the QIWI top-up agent XML protocol (`api.qiwi.com/xml/topup.jsp`): the answers
//! (balances, payments, checks), the result codes and statuses, and the values a request is
//! made of (transaction numbers, amounts, cards, comments). The XML itself is read and written
//! by `qiwi-agent`; nothing here parses XML.
//!
//! Every field the protocol calls mandatory but an example omits is an `Option` here: the
//! protocol's own examples contradict each other.

pub mod amount;
pub mod codes;
pub mod ids;
pub mod model;
pub mod payout;
pub mod text;

pub use amount::PayoutAmount;
pub use codes::{PaymentCode, PaymentState, PaymentStatus, RequestCode};
pub use ids::TransactionNumber;
pub use model::{
    Balances, DepositCheck, Extra, PayResponse, Payment, PaymentSide, RequestResult, ServiceId,
    StatusResponse, TxnDate, UserCheck,
};
pub use payout::{CardNumber, Comment, FundsSource, Sender, mask_card};
