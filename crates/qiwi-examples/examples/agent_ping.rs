//! QIWI agent: the agent's balances (`ping`) and a wallet check, against the local sandbox.
//!
//! `cargo run -p qiwi-examples --example agent_ping`
//!
//! Against the real service, drop `endpoint` and `allow_http` and give your own terminal id and
//! password.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use qiwi_agent::AgentClient;
use qiwi_agent::SecretString;
use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_types::WalletNumber;

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await?;

    let client = AgentClient::builder()
        .base_url(sandbox.agent_url())
        .allow_http(true) // the sandbox speaks plain HTTP on loopback
        .terminal_id(demo::AGENT_TERMINAL_ID.parse()?)
        .password(SecretString::from(demo::AGENT_PASSWORD))
        .build()?;

    for balance in client.ping().await?.iter() {
        println!("agent balance: {} {}", balance.amount, balance.currency);
    }
    let wallet = WalletNumber::parse(demo::AGENT_OTHER_WALLET)?;
    let user = client.check_user(&wallet, None).await?;
    println!("wallet {wallet} exists: {:?}", user.exists);

    sandbox.shutdown().await?;
    Ok(())
}
