//! Typed async client for the QIWI top-up agent XML protocol (`topup.jsp`).
//!
//! A QIWI *agent* pays money out of its agent balance to QIWI Wallets and, on the same endpoint,
//! to bank cards, mobile phone accounts and SBP. Every request is one XML document POSTed over
//! HTTPS; every answer carries a request-level result code and, for payments, a payment-level
//! result code and status.
//!
//! - [`AgentClient`]: `ping` (agent balances), `check-user`, `check-deposit-possible`, `pay` with
//!   `<auth>` (register a payout) and `pay` with `<status>` (one or many payments), and the
//!   mobile operator lookup; [`AgentClient::pay_and_confirm`] sends a payout and follows it to a
//!   final status as the protocol's documented algorithm says.
//! - [`payout`]: typed payout requests: [`WalletTopUp`] (service 99), [`CardPayout`] (34020),
//!   [`CardPayoutByPhone`] (32911), [`ForeignCardPayout`] (36655), [`MobileTopUp`] (29130),
//!   [`SbpPayout`] (38413), all lowered to a [`Payout`].
//! - [`codes`]: the request result codes, payment result codes and payment statuses, as three
//!   separate types that keep values they do not know.
//! - Identity and idempotency: a payment is identified by its [`TransactionNumber`] (a validated
//!   digit string of up to 20 digits, which can exceed 64 bits). Sending the same `pay` with the
//!   same number again is safe: it is how a payout is retried.
//!
//! ```no_run
//! # async fn run() -> Result<(), qiwi_agent::Error> {
//! use qiwi_agent::{
//!     AgentClient, ConfirmOptions, FundsSource, Payout, PayoutAmount, TransactionNumber, WalletTopUp,
//! };
//! use qiwi_agent::secrecy::SecretString;
//! use qiwi_types::WalletNumber;
//!
//! let client = AgentClient::builder()
//!     .terminal_id(44)
//!     .password(SecretString::from("agent password"))
//!     .build()?;
//! let balances = client.ping().await?;
//! for balance in balances.iter() {
//!     println!("{} {}", balance.amount, balance.currency);
//! }
//!
//! let payout: Payout = WalletTopUp::new(
//!     TransactionNumber::parse("12345678")?,
//!     WalletNumber::parse("79181234567")?,
//!     PayoutAmount::parse("1115.00")?,
//!     FundsSource::NonCash,
//! )
//! .into();
//! let options = ConfirmOptions::new().on_progress(|p| eprintln!("{p}"));
//! let confirmation = client.pay_and_confirm(&payout, &options).await?;
//! println!("{}", confirmation.outcome);
//! # Ok(()) }
//! ```
//!
//! Features: `reqwest` (default) for the HTTPS transport and the client-certificate option;
//! `signing` for `X-Digital-Sign` request signatures (RSA with SHA-1 or MD5).

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
pub use payout::{
    CardNumber, CardPayout, CardPayoutByPhone, Comment, ForeignCardPayout, FundsSource,
    MobileTopUp, Payout, SbpPayout, Sender, WalletTopUp,
};
pub use value::InvalidValue;

#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{RetryPolicy, Timeouts};
pub use secrecy;

/// The `Content-Type` of every request, as the protocol's only HTTP example writes it.
pub const CONTENT_TYPE: &str = "application/xml";

/// The README's example is compiled as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
