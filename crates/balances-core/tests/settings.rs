//! The settings every client builder shares (same names and refusals as in the other clients),
//! and the per-call override of time limits and retry policy, on the wire: the override shares
//! the token cache.

use std::sync::Arc;
use std::time::Duration;

use balances_core::{
    BalancesClient, BalancesClientBuilder, ClientIdentity, Environment, Error, RetryPolicy,
    Timeouts, UserId,
};
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::ScriptedTransport;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{relative}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn builder(server: &MockServer) -> BalancesClientBuilder {
    BalancesClient::builder()
        .token("settings-token")
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
}

fn no_balances(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(r#"{"balances": []}"#)
}

fn limits(millis: u64) -> Timeouts {
    let limit = Duration::from_millis(millis);
    Timeouts {
        attempt: limit,
        total: limit,
    }
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn the_shared_settings_behave_as_in_every_client() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "settings-test/1"))
        .respond_with(no_balances(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).user_agent("settings-test/1").build();
    client.unwrap().user_balances(UserId::new(1)).await.unwrap();

    let pem = fixture("tls/test-client-identity.pem");
    let scripted = || Arc::new(ScriptedTransport::default());
    let refused = [
        (builder(&server).allow_http(false), "plain http://"),
        (builder(&server).base_url("not a url"), "not a valid URL"),
        (
            builder(&server).company("acme", Environment::Sandbox),
            "both a base URL and a company were given",
        ),
        (
            builder(&server).transport(scripted()).user_agent("x"),
            "build that transport with the user agent instead",
        ),
        (
            builder(&server)
                .transport(scripted())
                .client_certificate(ClientIdentity::from_pem(&pem).unwrap()),
            "build that transport with the certificate instead",
        ),
    ];
    for (builder, expected) in refused {
        let err = builder.build().unwrap_err().to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
}

#[tokio::test]
async fn with_timeouts_changes_the_limits_of_its_calls_only_and_shares_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(fixture("token/spec_client_credentials.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(no_balances(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = BalancesClient::builder()
        .client_credentials("settings-id", "settings-secret")
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
        .timeouts(limits(100))
        .build()
        .unwrap();
    let patient = client.with_timeouts(limits(5_000));

    patient.user_balances(UserId::new(1)).await.unwrap();
    let error = client.user_balances(UserId::new(1)).await.unwrap_err();
    let Error::Transport(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.kind(), TransportErrorKind::Timeout);
    // One token for both: the original client used the one its clone obtained.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "{requests:?}");
}

#[tokio::test]
async fn with_retry_changes_the_policy_of_its_calls_only() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(no_balances(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let users = UserId::new(1);
    client
        .with_retry(fast_retry())
        .user_balances(users)
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    client.user_balances(users).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}
