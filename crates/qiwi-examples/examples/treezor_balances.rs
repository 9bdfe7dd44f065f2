//! Treezor: the balances of a user's wallets and of one wallet, against the local sandbox.
//!
//! `cargo run -p qiwi-examples --example treezor_balances`
//!
//! Against the real service, use `.company("your-company", Environment::Sandbox)` (or the base
//! URL Treezor gave you) instead of `base_url` and `allow_http`, with your own client id and
//! secret.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use balances_core::{BalancesClient, SecretString, UserId, WalletId};
use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_types::Decimal;

/// An amount Treezor may leave out (`null` or `""`), which is never read as zero.
fn amount(value: Option<Decimal>) -> String {
    value.map_or_else(|| "not reported".to_owned(), |v| v.to_string())
}

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

    // One OAuth token is requested and then shared by both calls.
    for balance in client
        .user_balances(UserId::new(demo::TREEZOR_USER_ID))
        .await?
        .iter()
    {
        println!(
            "wallet {}: {} {}, available {}",
            balance.wallet_id,
            amount(balance.current_balance),
            balance.currency,
            amount(balance.authorized_balance)
        );
    }
    let one = client
        .wallet_balance(WalletId::new(demo::TREEZOR_WALLET_IDS[1]))
        .await?;
    println!(
        "wallet {}: pending card authorizations {}",
        one.wallet_id,
        amount(one.authorizations)
    );

    sandbox.shutdown().await?;
    Ok(())
}
