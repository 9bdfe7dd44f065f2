//! Treezor: a wallet's balance history, against the local sandbox.
//!
//! `cargo run -p qiwi-examples --example treezor_history`
//!
//! Against the real service, use `.company("your-company", Environment::Sandbox)` (or the base
//! URL Treezor gave you) instead of `base_url` and `allow_http`, with your own client id and
//! secret.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use balances_core::{BalancesClient, HistoryRange, SecretString, WalletId};
use qiwi_sandbox::{SandboxConfig, demo};

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await?;

    let client = BalancesClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true) // the sandbox speaks plain HTTP on loopback
        .client_credentials(
            SecretString::from(demo::TREEZOR_CLIENT_ID),
            SecretString::from(demo::TREEZOR_CLIENT_SECRET),
        )
        .build()?;

    // `HistoryRange::parse(Some("2024-12-01"), None)` asks for a range; dates are checked
    // before anything is sent.
    let wallet = WalletId::new(demo::TREEZOR_WALLET_IDS[0]);
    let history = client.balance_history(wallet, HistoryRange::all()).await?;
    println!(
        "wallet {wallet}: {} points; the last seven:",
        history.points.len()
    );
    let last_week = &history.points[history.points.len().saturating_sub(7)..];
    for point in last_week {
        let balance = point
            .balance
            .map_or_else(|| "-".to_owned(), |b| b.to_string());
        println!("{}  {balance} {}", point.time, point.currency);
    }

    sandbox.shutdown().await?;
    Ok(())
}
