//! Runs every example as `cargo run --example` would: each `main` starts its own sandbox and
//! returns `Ok` exactly when the example would exit with status 0. The examples are compiled
//! into this test from their own files, so running them builds nothing else.

use std::error::Error;

fn check(name: &str, result: Result<(), Box<dyn Error>>) {
    if let Err(error) = result {
        panic!("example {name} failed: {error}");
    }
}

#[path = "../examples/wallet_accounts.rs"]
mod wallet_accounts;

#[test]
fn wallet_accounts_runs() {
    check("wallet_accounts", wallet_accounts::main());
}

#[path = "../examples/agent_ping.rs"]
mod agent_ping;

#[test]
fn agent_ping_runs() {
    check("agent_ping", agent_ping::main());
}

#[path = "../examples/agent_payout.rs"]
mod agent_payout;

#[test]
fn agent_payout_runs() {
    check("agent_payout", agent_payout::main());
}

#[path = "../examples/treezor_balances.rs"]
mod treezor_balances;

#[test]
fn treezor_balances_runs() {
    check("treezor_balances", treezor_balances::main());
}

#[path = "../examples/treezor_history.rs"]
mod treezor_history;

#[test]
fn treezor_history_runs() {
    check("treezor_history", treezor_history::main());
}

#[path = "../examples/custom_transport.rs"]
mod custom_transport;

#[test]
fn custom_transport_runs() {
    check("custom_transport", custom_transport::main());
}
