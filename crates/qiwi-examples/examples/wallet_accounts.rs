//! QIWI Wallet: the demo wallet's accounts and balances, read from the local sandbox.
//!
//! `cargo run -p qiwi-examples --example wallet_accounts`
//!
//! Against the real service, drop `base_url` and `allow_http` and give your own token and wallet.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_wallet::{Balance, SecretString, WalletClient, WalletNumber};

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await?;

    let client = WalletClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true) // the sandbox speaks plain HTTP on loopback
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(WalletNumber::parse(demo::QIWI_WALLET)?)
        .build()?;

    let accounts = client.list_accounts().await?;
    for account in &accounts.accounts {
        let default = if account.is_default() {
            " (default)"
        } else {
            ""
        };
        match &account.balance {
            Balance::Known(money) => println!("{}: {money}{default}", account.alias),
            Balance::Unknown => println!("{}: balance not reported{default}", account.alias),
            Balance::NotApplicable => println!("{}: no balance{default}", account.alias),
        }
    }
    for offer in client.account_offers().await? {
        println!("can be created: {}", offer.alias);
    }

    sandbox.shutdown().await?;
    Ok(())
}
