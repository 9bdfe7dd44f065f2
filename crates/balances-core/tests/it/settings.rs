//! The settings every client builder shares, and the per-call overrides, as every client; and
//! what is Treezor's own: a per-call override shares the token cache, and a base URL does not
//! go with a company.

#![cfg(feature = "reqwest")]

use std::time::Duration;

use balances_core::{
    Balance, BalancesClient, BalancesClientBuilder, Environment, Error, RetryPolicy, UserId,
};
use qiwi_transport::test_util::settings::limits;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn builder(server: &MockServer) -> BalancesClientBuilder {
    BalancesClient::builder()
        .token("settings-token")
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
}

async fn call(client: &BalancesClient) -> Result<Vec<Balance>, Error> {
    client.user_balances(UserId::new(1)).await
}

fn answer(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(r#"{"balances": []}"#)
}

qiwi_transport::client_settings_tests!(
    builder: builder,
    call: call,
    answer: answer,
    pem: format!("{FIXTURES}/tls/test-client-identity.pem"),
);

#[tokio::test]
async fn a_per_call_override_shares_the_token_cache() {
    let server = MockServer::start().await;
    let token = std::fs::read(format!("{FIXTURES}/token/spec_client_credentials.json")).unwrap();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(token))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(answer(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = BalancesClient::builder()
        .client_credentials("settings-id", "settings-secret")
        .base_url(server.uri())
        .allow_http(true)
        .timeouts(limits(100))
        .build()
        .unwrap();

    call(&client.with_timeouts(limits(5_000))).await.unwrap();
    call(&client).await.unwrap_err();
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/oauth/token", "/v1/balances", "/v1/balances"]);
}

#[test]
fn a_base_url_does_not_go_with_a_company() {
    let err = BalancesClient::builder()
        .token("t")
        .base_url("https://acme.sandbox.treezor.co")
        .company("acme", Environment::Sandbox)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("choose one"), "{err}");
}
