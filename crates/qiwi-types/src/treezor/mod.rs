//! Models of the Treezor balances API: balances, balance history, wallet and user ids, the
//! calendar date of a history request.

pub mod balance;
pub mod dates;
pub mod history;
pub mod ids;

pub use balance::{Balance, Balances};
pub use dates::HistoryDate;
pub use history::{BalanceHistory, BalancePoint};
pub use ids::{UserId, WalletId};
