//! A local emulator of the QIWI Wallet personal API, the QIWI top-up agent XML protocol and the
//! Treezor balances API, with fault injection.
//!
//! One HTTP server on one port serves all three families (their paths do not collide):
//!
//! * QIWI Wallet (JSON, `Authorization: Bearer <token>`): profile, identification and its
//!   downgrade, limits, restrictions, funding-source accounts (E01-E13 of the reference);
//! * QIWI agent (XML, `POST /xml/topup.jsp`): `ping`, `check-user`, `check-deposit-possible`,
//!   `pay` with `<auth>` (wallet top-up 99 and the payout services 34020, 32911, 36655, 29130,
//!   38413) and `pay` with `<status>`; `get-provider-by-phone-number` on `POST /xml/xmlcp.jsp`;
//!   the password or an `X-Digital-Sign` signature verified with the agent's public key;
//! * Treezor (JSON, OAuth2 client credentials in the body or with HTTP Basic):
//!   `POST /oauth/token`, `GET /v1/balances`, `GET /core-connect/balances/{walletId}`.
//!
//! The JSON endpoints check `Accept` as the references document. The server bounds what a
//! client can hold: open connections, the time to send a request head, valid Treezor tokens,
//! admin bodies and fault rules (see [`SandboxConfig`]); it listens on loopback only unless
//! [`SandboxConfig::allow_remote`] is set. The crate's README lists what still differs from the
//! real services.
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
//! | `POST /__sandbox/faults` | adds rules: one rule object, an array, or `{"rules": [...]}` (format in [`faults`]); at most 1,000 active, each checked by [`check_fault_rule`] |
//! | `DELETE /__sandbox/faults` | removes every rule |
//! | `GET /__sandbox/requests` | `{"total": n, "unmatched": n, "routes": {"wallet.accounts.list": n, ...}}` |
//! | `DELETE /__sandbox/requests` | resets the counts |
//! | `GET /__sandbox/routes` | the route names ([`ROUTES`]) |
//! | `GET /__sandbox/about` | `{"sandbox": "qiwi-sandbox", "version": "…"}`: says it is the emulator |
//! | `POST /__sandbox/reset` | returns the state to the initial data |
//! | `POST /__sandbox/treezor/operations` | `{"walletId": n, "type": "payin", "amount": "25.00"}` changes a Treezor balance |
//! | `POST /__sandbox/treezor/expire-tokens` | expires every issued Treezor token |
//!
//! Admin POSTs must be `Content-Type: application/json` (a web page cannot send that across
//! sites without the sandbox's consent, which it never gives) and at most 64 KiB.
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

mod accept;
mod admin;
mod agent_api;
mod agent_auth;
mod agent_lookup;
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
mod tokens;
mod treezor_api;
mod wallet_api;
mod xml;

pub use agent_api::SERVICES as AGENT_SERVICES;
pub use demo::{DemoData, DemoDataError};
pub use faults::{Fault, FaultRule};
pub use money::Amount;
pub use routes::{
    AGENT_PATH, AGENT_REQUESTS, LOOKUP_PATH, ROUTES, Route, UnservedRoute, check_fault_rule,
};
pub use server::{
    OperationError, RemoteListenRefused, Sandbox, SandboxConfig, bind, check_listen_address,
    credentials_banner, serve, serve_with_shutdown, start,
};
pub use state::TreezorOperation;
