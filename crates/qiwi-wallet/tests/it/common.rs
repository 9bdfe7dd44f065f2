//! Shared setup for the wire tests: a client pointed at a mock server, and exact checks of the
//! requests the server received.

use std::time::Duration;

use qiwi_transport::test_util::echo::{Body, EchoLog};
use qiwi_wallet::{RetryPolicy, SecretString, Timeouts, WalletClient, WalletClientBuilder};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A token that no answer or error may show.
pub const TOKEN: &str = "tok-5f3a9c1e-secret";
/// The wallet the tests work on.
pub const WALLET: &str = "79111234567";

/// Reads a fixture of the models crate (the examples of the reference and the seeds).
pub fn model_fixture(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../qiwi-types/tests/fixtures/wallet")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a fixture of this crate.
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads fast: a few attempts, millisecond backoff, short limits.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_retry_after: Duration::from_millis(5),
    }
}

/// A builder for a client of `server`, with fast retries.
pub fn builder(server: &MockServer) -> WalletClientBuilder {
    WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .wallet(WALLET.parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .retry(fast_retry())
        .timeouts(Timeouts {
            attempt: Duration::from_secs(5),
            total: Duration::from_secs(10),
        })
}

/// A client of `server`, with fast retries.
pub fn client(server: &MockServer) -> WalletClient {
    builder(server).build().unwrap()
}

/// What a request must be, exactly.
pub struct Expected<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The raw query string, as sent (percent-encoding included); `None` for no query.
    pub query: Option<&'a str>,
    /// The JSON body; `None` for a request without one.
    pub body: Option<serde_json::Value>,
}

/// Checks method, path, query, the `Accept`, `Authorization` and `Content-Type` headers and the
/// body of one received request.
pub fn assert_request(request: &wiremock::Request, expected: &Expected<'_>) {
    let what = format!("{} {}", expected.method, expected.path);
    assert_eq!(request.method.as_str(), expected.method, "{what}: method");
    assert_eq!(request.url.path(), expected.path, "{what}: path");
    assert_eq!(request.url.query(), expected.query, "{what}: query");
    let header = |name: &str| {
        let values: Vec<_> = request
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        values
    };
    assert_eq!(header("accept"), ["application/json"], "{what}: Accept");
    assert_eq!(
        header("authorization"),
        [format!("Bearer {TOKEN}")],
        "{what}: Authorization"
    );
    match &expected.body {
        Some(body) => {
            assert_eq!(
                header("content-type"),
                ["application/json"],
                "{what}: Content-Type"
            );
            let sent: serde_json::Value = serde_json::from_slice(&request.body)
                .unwrap_or_else(|e| panic!("{what}: body is not JSON: {e}"));
            assert_eq!(&sent, body, "{what}: body");
        }
        None => {
            assert!(
                header("content-type").is_empty(),
                "{what}: no Content-Type without a body"
            );
            assert!(request.body.is_empty(), "{what}: no body");
        }
    }
}

/// The requests the server received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The owner data of the identification examples (E02).
pub fn identification_request() -> qiwi_wallet::IdentificationRequest {
    qiwi_wallet::IdentificationRequest {
        birth_date: "1998-02-11".parse().unwrap(),
        first_name: "Иван".into(),
        middle_name: "Иванович".into(),
        last_name: "Иванов".into(),
        passport: "4400111222".into(),
        inn: None,
        snils: None,
        oms: None,
    }
}

/// A server that answers every request with `status` and `body` of what `log` reflects: every
/// request seen so far, in every encoding.
pub async fn echo_server(status: u16, body: Body, log: EchoLog) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |r: &wiremock::Request| {
            let echo = log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            ResponseTemplate::new(status).set_body_string(body(&echo))
        })
        .mount(&server)
        .await;
    server
}
