//! The settings every client builder shares (same names and refusals as in the other clients),
//! and the per-call override of time limits and retry policy, on the wire.

use std::sync::Arc;
use std::time::Duration;

use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::ScriptedTransport;
use qiwi_wallet::{
    ClientIdentity, Error, RetryPolicy, Timeouts, WalletClient, WalletClientBuilder,
};
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> WalletClientBuilder {
    WalletClient::builder()
        .token("settings-token")
        .wallet("79111234567".parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .retry(RetryPolicy::never())
}

fn offers(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string("[]")
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
        .respond_with(offers(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).user_agent("settings-test/1").build();
    client.unwrap().account_offers().await.unwrap();

    let pem = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../qiwi-agent/tests/fixtures/signing/test_client_identity.pem"
    ))
    .unwrap();
    let scripted = || Arc::new(ScriptedTransport::default());
    let refused = [
        (builder(&server).allow_http(false), "plain http://"),
        (builder(&server).base_url("not a url"), "not a valid URL"),
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
async fn with_timeouts_changes_the_limits_of_its_calls_only() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(offers(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = builder(&server).timeouts(limits(100)).build().unwrap();
    let patient = client.with_timeouts(limits(5_000));

    patient.account_offers().await.unwrap();
    let error = client.account_offers().await.unwrap_err();
    let Error::Transport(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.kind(), TransportErrorKind::Timeout);
    assert!(format!("{patient:?}").contains("total: 5s"));
    assert!(format!("{client:?}").contains("total: 100ms"));
}

#[tokio::test]
async fn with_retry_changes_the_policy_of_its_calls_only() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(offers(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    client
        .with_retry(fast_retry())
        .account_offers()
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    client.account_offers().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}
