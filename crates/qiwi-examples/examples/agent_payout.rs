//! QIWI agent: a wallet top-up sent and followed to its final status with `pay_and_confirm`,
//! against the local sandbox.
//!
//! `cargo run -p qiwi-examples --example agent_payout`
//!
//! The sandbox settles a payment half a second after accepting it, so the example checks the
//! status every 200 ms. The real protocol asks for at least 10 minutes between status checks of
//! one payment: keep `ConfirmOptions`'s default interval there.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use std::time::{Duration, SystemTime};

use qiwi_agent::SecretString;
use qiwi_agent::{
    AgentClient, ConfirmOptions, FundsSource, Payout, PayoutAmount, Recipient, TransactionNumber,
};
use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_types::WalletNumber;

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = SandboxConfig::default().with_processing_delay(Duration::from_millis(500));
    let sandbox = qiwi_sandbox::start(config).await?;

    let client = AgentClient::builder()
        .base_url(sandbox.agent_url())
        .allow_http(true) // the sandbox speaks plain HTTP on loopback
        .terminal_id(demo::AGENT_TERMINAL_ID.parse()?)
        .password(SecretString::from(demo::AGENT_PASSWORD))
        .build()?;

    // The agent's own number for this payment: sending the same `pay` with it again is safe, so
    // a real program stores it before sending and reuses it after a crash.
    let seconds = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)?
        .as_secs();
    let transaction = TransactionNumber::parse(&seconds.to_string())?;

    let payout: Payout = Payout::new(
        transaction,
        Recipient::Wallet {
            wallet: WalletNumber::parse(demo::QIWI_WALLET)?,
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse("100.00")?,
    )?;
    let options = ConfirmOptions::new()
        .interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(10))
        .on_progress(|progress| println!("  {progress}"));
    let confirmation = client.pay_and_confirm(&payout, &options).await?;
    println!(
        "payment {}: {} after {} request(s)",
        confirmation.transaction_number, confirmation.outcome, confirmation.requests
    );
    if let Some(balances) = &confirmation.balances {
        for balance in balances.iter() {
            println!("agent balance now: {} {}", balance.amount, balance.currency);
        }
    }

    sandbox.shutdown().await?;
    if confirmation.outcome.is_success() {
        Ok(())
    } else {
        Err(format!("the payment did not succeed: {}", confirmation.outcome).into())
    }
}
