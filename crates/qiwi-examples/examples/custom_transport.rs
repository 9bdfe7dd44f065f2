//! Bringing your own transport: a `Transport` that logs every attempt around the built-in
//! reqwest transport, shared by two clients talking to the local sandbox.
//!
//! `cargo run -p qiwi-examples --example custom_transport`
//!
//! A transport makes exactly one attempt per call; the client's executor adds timeouts and
//! retries around it, so a wrapper like this one sees each retry as its own call.

#![allow(clippy::print_stdout, reason = "an example shows its results")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use balances_core::{BalancesClient, WalletId};
use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_transport::{Request, ReqwestTransport, Response, Transport, TransportError};
use qiwi_wallet::{SecretString, WalletClient, WalletNumber};

/// Logs the method, route template, status and time of every attempt. The route template
/// (`/v1/balances`) names the operation without identifiers; headers are not logged, as they
/// carry credentials.
#[derive(Debug)]
struct Logging<T> {
    inner: T,
    attempts: AtomicU32,
}

#[async_trait]
impl<T: Transport> Transport for Logging<T> {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let attempt = self.attempts.fetch_add(1, Ordering::Relaxed) + 1;
        let (method, route) = (request.method.clone(), request.route);
        let started = Instant::now();
        let result = self.inner.send(request).await;
        let took = started.elapsed();
        match &result {
            Ok(response) => println!(
                "#{attempt} {method} {route} -> {} in {took:?}",
                response.status
            ),
            Err(error) => println!("#{attempt} {method} {route} -> {error} after {took:?}"),
        }
        result
    }
}

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await?;

    // One transport, one connection pool, for both clients.
    let logging = Arc::new(Logging {
        inner: ReqwestTransport::new()?,
        attempts: AtomicU32::new(0),
    });
    let transport: Arc<dyn Transport> = logging.clone();

    let treezor = BalancesClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true)
        .client_credentials(
            SecretString::from(demo::TREEZOR_CLIENT_ID),
            SecretString::from(demo::TREEZOR_CLIENT_SECRET),
        )
        .transport(Arc::clone(&transport))
        .build()?;
    let wallet = WalletClient::builder()
        .base_url(sandbox.base_url())
        .allow_http(true)
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(WalletNumber::parse(demo::QIWI_WALLET)?)
        .transport(transport)
        .build()?;

    let balance = treezor
        .wallet_balance(WalletId::new(demo::TREEZOR_WALLET_IDS[0]))
        .await?;
    if let Some(current) = balance.current_balance {
        println!("treezor wallet {}: {current}", balance.wallet_id);
    }
    let accounts = wallet.list_accounts().await?;
    println!("qiwi wallet: {} accounts", accounts.accounts.len());
    println!(
        "{} attempts went through the logging transport",
        logging.attempts.load(Ordering::Relaxed)
    );

    sandbox.shutdown().await?;
    Ok(())
}
