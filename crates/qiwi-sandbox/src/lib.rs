#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod accept;
mod admin;
mod agent_api;
mod agent_auth;
mod agent_lookup;
mod cards;
mod clock;
mod conn;
pub mod demo;
pub mod faults;
mod gate;
mod history_log;
mod ids;
mod invoices;
mod money;
mod multipart;
mod receipt_files;
mod respond;
mod routes;
mod server;
mod sinap;
mod state;
mod tokens;
mod treezor_api;
mod wallet_api;
mod wallet_history;
mod wallet_pay;
mod webhook_api;
mod webhooks;
mod xml;

pub use agent_api::SERVICES as AGENT_SERVICES;
pub use demo::{DemoData, DemoDataError};
pub use faults::{Fault, FaultRule};
pub use history_log::HistoryDemo;
pub use money::Amount;
pub use routes::{
    AGENT_PATH, AGENT_REQUESTS, LOOKUP_PATH, ROUTES, Route, UnservedRoute, check_fault_rule,
};
pub use server::{
    OperationError, RemoteListenRefused, Sandbox, SandboxConfig, bind, check_listen_address,
    credentials_banner, serve, serve_with_shutdown, start,
};
pub use state::TreezorOperation;
