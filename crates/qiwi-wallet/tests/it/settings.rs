//! The settings every client builder shares, and the per-call overrides, as every client.

#![cfg(feature = "reqwest")]

use qiwi_wallet::{AccountOffer, Error, RetryPolicy, WalletClient, WalletClientBuilder};
use wiremock::{MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> WalletClientBuilder {
    WalletClient::builder()
        .token("settings-token")
        .wallet("79111234567".parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
}

async fn call(client: &WalletClient) -> Result<Vec<AccountOffer>, Error> {
    client.account_offers().await
}

fn answer(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string("[]")
}

qiwi_transport::client_settings_tests!(
    builder: builder,
    call: call,
    answer: answer,
    pem: concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../qiwi-agent/tests/fixtures/signing/test_client_identity.pem"
    ),
);
