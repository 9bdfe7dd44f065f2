#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod client;
mod confirm;
mod credentials;
mod endpoints;
mod error;
mod first_use;
pub mod payout;
#[cfg(feature = "signing")]
pub mod signing;
pub mod wire;

pub use client::{AgentClient, AgentClientBuilder, StatusQuery};
pub use confirm::{ConfirmOptions, Confirmation, Fate, NextStep, Outcome, Progress, ProgressEvent};
pub use credentials::{Credentials, TerminalId};
pub use error::{AgentDetail, Error};
pub use payout::{Payout, Recipient};
// The models live in `qiwi-types`; their old paths stay valid.
pub use qiwi_types::agent::codes;
pub use qiwi_types::agent::{
    Balances, CardNumber, Comment, DepositCheck, Extra, FundsSource, PayResponse, Payment,
    PaymentCode, PaymentSide, PaymentState, PaymentStatus, PayoutAmount, RequestCode,
    RequestResult, Sender, ServiceId, StatusResponse, TransactionNumber, TxnDate, UserCheck,
};
pub use qiwi_types::{CalendarDate, InvalidValue};

#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{Refusal, RefusalKind, RetryPolicy, SecretString, Timeouts, WriteFate};
pub use secrecy;

/// The `Content-Type` of every request, as the protocol's only HTTP example writes it.
pub const CONTENT_TYPE: &str = "application/xml";
