//! QIWI Wallet: the demo wallet's payment history as a stream, resumed from a saved checkpoint,
//! and one payment's details and receipt, from the local sandbox.
//!
//! `cargo run -p qiwi-examples --example wallet_history`
//!
//! Against the real service, drop `base_url` and `allow_http` and give your own token and wallet.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use futures_util::StreamExt;
use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_wallet::{
    HistoryCheckpoint, HistoryFilter, HistoryOperation, ReceiptFormat, SecretString, WalletClient,
    WalletNumber,
};

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await?;

    let client = WalletClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true) // the sandbox speaks plain HTTP on loopback
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(WalletNumber::parse(demo::QIWI_WALLET)?)
        .build()?;

    // The ten newest incoming payments, then a checkpoint a program could save to a file.
    let incoming = HistoryFilter::default().operation(HistoryOperation::In);
    let mut payments = client.history(50, incoming.clone());
    let mut first = None;
    for _ in 0..10 {
        let Some(payment) = payments.next().await.transpose()? else {
            break;
        };
        println!(
            "{} {:>12} {}",
            payment.date,
            payment.txn_id,
            payment
                .sum
                .as_ref()
                .map_or(String::new(), ToString::to_string)
        );
        first.get_or_insert(payment);
    }
    let saved = serde_json::to_string(&payments.checkpoint())?;
    drop(payments);

    // Later: the rest of the history from where it stopped.
    let checkpoint: HistoryCheckpoint = serde_json::from_str(&saved)?;
    let rest = client.history_from(50, incoming, checkpoint).count().await;
    println!("{rest} more incoming payments");

    if let Some(payment) = first {
        let details = client
            .transaction(&payment.txn_id, Some(&payment.kind))
            .await?;
        println!(
            "receipt ready: {:?}",
            details.features.and_then(|f| f.cheque_ready)
        );
        let receipt = client
            .receipt(&payment.txn_id, &payment.kind, ReceiptFormat::Pdf)
            .await?;
        println!(
            "receipt: {} bytes of {:?}",
            receipt.bytes.len(),
            receipt.content_type
        );
    }

    sandbox.shutdown().await?;
    Ok(())
}
