//! The settings every client builder shares (same names and refusals as in the other clients),
//! and the per-call override of time limits and retry policy, on the wire.

use std::sync::Arc;
use std::time::Duration;

use qiwi_agent::{AgentClient, AgentClientBuilder, ClientIdentity, Error, RetryPolicy, Timeouts};
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::ScriptedTransport;
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{relative}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn builder(server: &MockServer) -> AgentClientBuilder {
    AgentClient::builder()
        .terminal_id(123)
        .password("settings-password")
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .retry(RetryPolicy::never())
}

fn ping(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_bytes(fixture("responses/ping_spec_5_1.xml"))
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
        .respond_with(ping(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).user_agent("settings-test/1").build();
    client.unwrap().ping().await.unwrap();

    let pem = fixture("signing/test_client_identity.pem");
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
        .respond_with(ping(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = builder(&server).timeouts(limits(100)).build().unwrap();
    let patient = client.with_timeouts(limits(5_000));

    patient.ping().await.unwrap();
    let error = client.ping().await.unwrap_err();
    let Error::Transport(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.kind(), TransportErrorKind::Timeout);
}

#[tokio::test]
async fn with_retry_changes_the_policy_of_its_calls_only() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ping(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    client.with_retry(fast_retry()).ping().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    client.ping().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}
