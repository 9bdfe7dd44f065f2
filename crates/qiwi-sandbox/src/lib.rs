#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod admin;
mod agent_api;
mod clock;
mod conn;
pub mod demo;
pub mod faults;
mod gate;
mod ids;
mod money;
mod multipart;
mod respond;
mod routes;
mod server;
mod state;
mod treezor_api;
mod wallet_api;
mod xml;

pub use agent_api::SERVICES as AGENT_SERVICES;
pub use demo::{DemoData, DemoDataError};
pub use faults::{Fault, FaultRule};
pub use money::Amount;
pub use routes::{AGENT_PATH, ROUTES, Route};
pub use server::{
    OperationError, Sandbox, SandboxConfig, bind, credentials_banner, serve, serve_with_shutdown,
    start,
};
pub use state::TreezorOperation;
