//! The integration tests of `balances-core`, one module per area, linked as one binary.

mod common;
mod contract;
mod debug;
mod secrets;
mod settings;
mod snapshots;
mod webhook;
mod wire;
