//! Models of the Treezor balances API: balances, balance history, wallet and user ids.

pub mod balance;
pub mod history;
pub mod ids;

pub use balance::{Balance, Balances};
pub use history::{BalanceHistory, BalancePoint};
pub use ids::{UserId, WalletId};
