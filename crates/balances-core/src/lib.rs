//! A typed async client for Treezor's balance endpoints.
//!
//! - [`BalancesClient::wallet_balance`], [`BalancesClient::wallet_balances`],
//!   [`BalancesClient::user_balances`], [`BalancesClient::balances`]: `GET /v1/balances` by
//!   `walletId` or `userId`;
//! - [`BalancesClient::balance_history`]: `GET /core-connect/balances/{walletId}` with an
//!   optional [`HistoryRange`] checked before sending;
//! - OAuth 2.0 client credentials (`POST /oauth/token`, `multipart/form-data`), one shared token
//!   renewed shortly before it expires, one renewal for many concurrent calls, one renewal and
//!   one retry after a 401; or a token supplied by the caller;
//! - [`webhook`]: the `balance.update` webhook, its HMAC-SHA256 signature checked in constant
//!   time.
//!
//! Amounts are [`Decimal`](qiwi_types::Decimal) read exactly from JSON numbers or strings;
//! zone-less times are Europe/Paris ([`ApiTime<Paris>`](qiwi_types::ApiTime)); every error body
//! shape Treezor sends is read into an [`ApiError`] that keeps the raw body and request id.
//!
//! ```no_run
//! use balances_core::{BalancesClient, Environment, HistoryRange, WalletId};
//! # async fn run() -> Result<(), balances_core::Error> {
//! let client = BalancesClient::builder()
//!     .company("acme", Environment::Sandbox)
//!     .client_credentials("client-id", "client-secret")
//!     .build()?;
//! let wallet = WalletId::new(1317558);
//! let balance = client.wallet_balance(wallet).await?;
//! let history = client
//!     .balance_history(wallet, HistoryRange::parse(Some("2024-12-01"), None)?)
//!     .await?;
//! # let _ = (balance, history);
//! # Ok(())
//! # }
//! ```
//!
//! Feature `reqwest` (default): the built-in HTTPS transport and client certificates. Without
//! it, give a transport with [`BalancesClientBuilder::transport`].

#![warn(missing_docs)]

mod builder;
mod client;
mod dates;
mod error;
mod error_body;
mod ids;
mod model;
mod multipart;
mod oauth;
pub mod webhook;

pub use builder::{BalancesClientBuilder, DEFAULT_SCOPE, Environment};
pub use client::{BalancesClient, BalancesQuery};
pub use dates::{HistoryDate, HistoryRange};
pub use error::{ApiError, Error};
pub use error_body::ErrorEntry;
pub use ids::{UserId, WalletId};
pub use model::balance::{Balance, Balances};
pub use model::history::{BalanceHistory, BalancePoint};
pub use oauth::AccessToken;

#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{RetryPolicy, SecretString, Timeouts};
