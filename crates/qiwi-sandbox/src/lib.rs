//! A local emulator of the QIWI Wallet personal API, the QIWI top-up agent XML protocol and the
//! Treezor balances API, with fault injection.
//!
//! One HTTP server on one port serves all three families (their paths do not collide):
//!
//! * QIWI Wallet (JSON, `Authorization: Bearer <token>`): profile, identification and its
//!   downgrade, limits, restrictions, funding-source accounts (E01-E13 of the reference);
//! * QIWI agent (XML, `POST /xml/topup.jsp`): `ping`, `check-user`, `check-deposit-possible`,
//!   `pay` with `<auth>` (wallet top-up 99 and the payout services 34020, 32911, 36655, 29130,
//!   38413) and `pay` with `<status>`;
//! * Treezor (JSON, OAuth2 client credentials): `POST /oauth/token`, `GET /v1/balances`,
//!   `GET /core-connect/balances/{walletId}`.
//!
//! The state lives in memory and starts from [`DemoData`] (built in code from the credentials in
//! [`demo`], or read from a JSON file). An agent top-up of the demo wallet credits the same
//! account the Wallet API lists. Money is kept in integer minor units ([`Amount`]) and written
//! as exact decimal text.
//!
//! Faults ([`FaultRule`]) are set in [`SandboxConfig::faults`], on the [`Sandbox`] handle, or at
//! run time through the admin endpoints:
//!
//! | endpoint | effect |
//! |---|---|
//! | `GET /__sandbox/faults` | the active rules with their counters |
//! | `POST /__sandbox/faults` | adds rules: one rule object, an array, or `{"rules": [...]}` (format in [`faults`]) |
//! | `DELETE /__sandbox/faults` | removes every rule |
//! | `GET /__sandbox/requests` | `{"total": n, "unmatched": n, "routes": {"wallet.accounts.list": n, ...}}` |
//! | `DELETE /__sandbox/requests` | resets the counts |
//! | `GET /__sandbox/routes` | the route names ([`ROUTES`]) |
//! | `GET /__sandbox/about` | `{"sandbox": "qiwi-sandbox", "version": "…"}`: says it is the emulator |
//! | `POST /__sandbox/reset` | returns the state to the initial data |
//! | `POST /__sandbox/treezor/operations` | `{"walletId": n, "type": "payin", "amount": "25.00"}` changes a Treezor balance |
//! | `POST /__sandbox/treezor/expire-tokens` | expires every issued Treezor token |
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! let sandbox = qiwi_sandbox::start(qiwi_sandbox::SandboxConfig::default()).await?;
//! println!("{}", sandbox.credentials_banner());
//! // ... point clients at sandbox.base_url() and sandbox.agent_url() ...
//! sandbox.shutdown().await
//! # }
//! ```

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
