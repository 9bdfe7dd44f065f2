//! Models and primitives shared by the QIWI Wallet, QIWI agent and Treezor balance clients.
//!
//! Serde only, no I/O. The primitives encode the conventions every client relies on:
//!
//! - [`money`]: amounts are [`Decimal`], read exactly from JSON numbers or strings;
//! - [`Currency`]: ISO-4217 numeric and alphabetic codes, unknown codes kept;
//! - [`WalletNumber`]: a validated QIWI wallet number (digits only);
//! - [`UniqueNumber`]: payment numbers that no two processes on one host share;
//! - [`open_enum!`]: server enums that keep values they do not know;
//! - [`time`]: timestamps read in the zone their API documents, raw text kept when unparseable.

pub mod currency;
pub mod lenient;
pub mod money;
mod open_enum;
pub mod time;
pub mod unique_number;
pub mod wallet;
pub mod wallet_number;

pub use currency::Currency;
pub use money::Money;
pub use rust_decimal::Decimal;
pub use time::{ApiTime, Moscow, Paris};
pub use unique_number::UniqueNumber;
pub use wallet_number::{WalletNumber, WalletNumberError};

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
