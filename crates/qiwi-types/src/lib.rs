#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "agent")]
pub mod agent;
pub mod amount;
pub mod card;
pub mod currency;
pub mod date;
pub mod excerpt;
pub mod invalid;
pub mod lenient;
pub mod money;
mod open_enum;
mod text_type;
pub mod time;
#[cfg(feature = "treezor")]
pub mod treezor;
pub mod unique_number;
#[cfg(feature = "wallet")]
pub mod wallet;
pub mod wallet_number;

pub use amount::PayoutAmount;
pub use card::{CardNumber, mask_card};
pub use currency::Currency;
pub use date::CalendarDate;
pub use invalid::InvalidValue;
pub use money::Money;
pub use rust_decimal::Decimal;
pub use time::{ApiTime, Moscow, Paris};
pub use unique_number::UniqueNumber;
pub use wallet_number::WalletNumber;

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
