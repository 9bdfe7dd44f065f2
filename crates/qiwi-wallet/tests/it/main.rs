//! The integration tests of `qiwi-wallet`, one module per area, linked as one binary.

mod balance_refresh;
mod cards;
mod common;
mod endpoints;
mod errors;
mod history;
mod history_limiter;
mod history_stream;
mod hooks;
mod invoice_secrets;
mod invoices;
mod pay;
mod payments;
mod requests;
mod retries;
mod secrets;
mod settings;
mod sinap;
mod watch;
mod webhook;
