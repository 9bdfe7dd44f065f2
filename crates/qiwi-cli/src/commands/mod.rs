//! One module per command group.

pub mod agent;
pub mod agent_pay;
pub mod balances;
pub mod sandbox;
pub mod stop;
pub mod treezor;
pub mod wallet;
pub mod wallet_cards;
pub mod wallet_history;
pub mod wallet_hooks;
pub mod wallet_invoices;
pub mod wallet_pay;
