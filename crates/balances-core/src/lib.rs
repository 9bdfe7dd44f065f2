#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
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
