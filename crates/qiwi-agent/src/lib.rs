#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod amount;
mod client;
pub mod codes;
mod confirm;
mod credentials;
mod error;
mod first_use;
mod ids;
mod model;
pub mod payout;
#[cfg(feature = "signing")]
pub mod signing;
mod value;
pub mod wire;

pub use amount::PayoutAmount;
pub use client::{AgentClient, AgentClientBuilder, StatusQuery};
pub use codes::{PaymentCode, PaymentState, PaymentStatus, RequestCode};
pub use confirm::{ConfirmOptions, Confirmation, Fate, NextStep, Outcome, Progress, ProgressEvent};
pub use credentials::{Credentials, TerminalId};
pub use error::{Error, Failure};
pub use ids::TransactionNumber;
pub use model::{
    Balance, Balances, DepositCheck, Extra, PayResponse, Payment, PaymentSide, RequestResult,
    ServiceId, StatusResponse, TxnDate, UserCheck,
};
pub use payout::{CardNumber, Comment, FundsSource, Payout, Recipient, Sender};
pub use value::InvalidValue;

#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{RetryPolicy, Timeouts};
pub use secrecy;

/// The `Content-Type` of every request, as the protocol's only HTTP example writes it.
pub const CONTENT_TYPE: &str = "application/xml";
