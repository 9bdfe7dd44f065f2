//! The settings every client builder shares, and the per-call overrides, as every client.

#![cfg(feature = "reqwest")]

use qiwi_agent::{AgentClient, AgentClientBuilder, Balances, Error, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn builder(server: &MockServer) -> AgentClientBuilder {
    AgentClient::builder()
        .terminal_id(123)
        .password("settings-password")
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .retry(RetryPolicy::never())
}

async fn call(client: &AgentClient) -> Result<Balances, Error> {
    client.ping().await
}

fn answer(status: u16) -> ResponseTemplate {
    let body = std::fs::read(format!("{FIXTURES}/responses/ping_spec_5_1.xml")).unwrap();
    ResponseTemplate::new(status).set_body_bytes(body)
}

qiwi_transport::client_settings_tests!(
    builder: builder,
    call: call,
    answer: answer,
    pem: format!("{FIXTURES}/signing/test_client_identity.pem"),
);
