#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod builder;
mod client;
mod dates;
mod endpoints;
mod error;
mod error_body;
mod multipart;
mod oauth;
pub mod webhook;

pub use builder::{BalancesClientBuilder, DEFAULT_SCOPE, Environment};
pub use client::{BalancesClient, BalancesQuery};
pub use dates::HistoryRange;
pub use error::{Error, TreezorDetail};
pub use error_body::ErrorEntry;
pub use qiwi_types::CalendarDate;
// The models live in `qiwi-types`; their old paths stay valid.
pub use oauth::AccessToken;
pub use qiwi_types::treezor::{Balance, BalanceHistory, BalancePoint, Balances, UserId, WalletId};

#[cfg(feature = "reqwest")]
pub use qiwi_transport::ClientIdentity;
pub use qiwi_transport::{Refusal, RefusalKind, RetryPolicy, SecretString, Timeouts, WriteFate};
