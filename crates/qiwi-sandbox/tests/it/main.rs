//! The integration tests of `qiwi-sandbox`, one module per area, linked as one binary.

mod abuse;
mod admin;
mod agent_api;
mod cards;
mod common;
mod faithfulness;
mod faults;
mod invoices;
mod lifecycle;
mod treezor_api;
mod wallet_api;
mod wallet_history;
mod wallet_payment_glue;
mod wallet_payments;
mod webhooks;
