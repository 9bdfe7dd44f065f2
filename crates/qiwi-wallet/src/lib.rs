//! Typed async client for the QIWI Wallet personal API (`https://edge.qiwi.com`).
//!
//! Covers the profile, identification, limits and balances endpoints (E01 to E13 of the
//! reference). Models live in [`qiwi_types::wallet`] (re-exported here as [`models`], and the
//! ones most calls need at the crate root).
//!
//! ```no_run
//! use qiwi_wallet::{Balance, LimitType, ProfileSections, SecretString, WalletClient};
//!
//! # async fn run() -> Result<(), qiwi_wallet::Error> {
//! let client = WalletClient::builder()
//!     .token(SecretString::from(std::env::var("QIWI_TOKEN").unwrap_or_default()))
//!     .wallet("79111234567".parse().expect("a wallet number"))
//!     .build()?;
//!
//! let accounts = client.list_accounts().await?;
//! for account in &accounts.accounts {
//!     if let Balance::Known(money) = &account.balance {
//!         println!("{} {money}", account.alias);
//!     }
//! }
//! for unknown in accounts.unknown_balances() {
//!     println!("{}: balance not reported", unknown.alias);
//! }
//! let profile = client.profile(ProfileSections::ALL).await?;
//! let limits = client.actual_limits(LimitType::KNOWN).await?;
//! # let _ = (profile, limits);
//! # Ok(())
//! # }
//! ```
//!
//! Errors are split by what happened ([`Error`]): nothing sent, transport failure, an error
//! answer mapped to what a caller can act on (invalid token, missing permission, not found,
//! rate limited with the wait, validation, server failure), or an undecodable answer. Reads are
//! retried as the [`RetryPolicy`] allows; writes never are.

#![warn(missing_docs)]

mod balances;
mod client;
mod error;
mod error_body;
mod identification;
mod limits;
mod profile;
mod scope;

pub use client::{
    BALANCE_REFRESH_TIMEOUT, DEFAULT_BALANCE_REFRESH_ATTEMPTS, DEFAULT_BASE_URL, WalletClient,
    WalletClientBuilder,
};
pub use error::{DEFAULT_BLOCK_DURATION, Error};
pub use scope::TokenScope;

/// The models of this API.
pub use qiwi_types::wallet as models;
pub use qiwi_types::wallet::{
    Account, AccountAlias, AccountOffer, AccountType, AccountTypeId, Accounts, ActualLimits,
    Balance, CalendarDate, DowngradeOperation, DowngradeOperationId, DowngradeRequest,
    DowngradeStatusType, Identification, IdentificationLevel, IdentificationRequest, Limit,
    LimitType, Profile, ProfileSections, Restriction, RestrictionCode,
};
pub use qiwi_types::{Currency, Decimal, Money, WalletNumber};

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The HTTP layer: transports, retry policy, clocks and the error parts.
pub use qiwi_transport as transport;
pub use qiwi_transport::{
    DecodeError, NotSentError, RetryPolicy, SecretString, ServiceError, Timeouts, Transport,
    TransportError,
};
