//! No form of the client id, the client secret or an access token reaches an error from a
//! server or proxy that reflects the request, whichever endpoint answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use balances_core::{BalancesClient, Error, RetryPolicy, WalletId};
use qiwi_transport::test_util::echo::{Body, EchoLog, json_escaped, leaks, shown};
use qiwi_transport::{
    Request as TransportRequest, Response, Transport, TransportError, TransportErrorKind,
};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ID: &str = "client-id/+é 42";
/// A secret with every character an encoder treats apart.
const SECRET: &str = "s3cret <&>\"'/\\é😀+%=";
/// The tokens the server hands out, in order.
const TOKENS: [&str; 2] = ["runtime-token-1-abcdef", "runtime-token-2-abcdef"];

/// A Treezor whose token endpoint answers `token` (or, when `None`, hands out the next of
/// [`TOKENS`]) and whose other endpoints answer `status` with `body` of the echo. Every request
/// goes into the echo.
async fn echo_server(token: Option<(u16, Body)>, status: u16, body: Body, id: &str) -> MockServer {
    let server = MockServer::start().await;
    let log = EchoLog::new(&[id, SECRET]);
    let issued = Arc::new(AtomicUsize::new(0));
    let token_log = log.clone();
    Mock::given(path("/oauth/token"))
        .respond_with(move |r: &Request| {
            let echo = token_log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            match token {
                Some((status, body)) => ResponseTemplate::new(status).set_body_string(body(&echo)),
                None => {
                    let n = issued.fetch_add(1, Ordering::SeqCst).min(TOKENS.len() - 1);
                    ResponseTemplate::new(200).set_body_string(format!(
                        r#"{{"access_token":"{}","expires_in":3600}}"#,
                        TOKENS[n]
                    ))
                }
            }
        })
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(move |r: &Request| {
            let echo = log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            ResponseTemplate::new(status).set_body_string(body(&echo))
        })
        .mount(&server)
        .await;
    server
}

async fn balance_error(server: &MockServer, id: &str, secret: &str) -> Error {
    BalancesClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .client_credentials(id.to_owned(), secret.to_owned())
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
        .wallet_balance(WalletId::new(1))
        .await
        .unwrap_err()
}

/// A Treezor error body whose entry quotes the echo in every field.
fn json_error(echo: &str) -> String {
    format!(
        r#"{{"errors":[{{"type":"{e}","code":"{e}","message":"{e}","docUrl":"{e}","requestId":"{e}"}}]}}"#,
        e = json_escaped(echo)
    )
}

fn assert_nothing_leaks(what: &str, error: &Error) {
    let shown = shown(error);
    let pair = format!("{ID}:{SECRET}");
    let secrets = [ID, SECRET, &pair, TOKENS[0], TOKENS[1]];
    assert!(leaks(&shown, &secrets).is_empty(), "{what}: {shown}");
    assert!(shown.contains("[REDACTED]"), "{what}: {shown}");
}

#[tokio::test]
async fn no_form_of_the_client_credentials_reaches_an_error_of_the_token_endpoint() {
    let cases: [(u16, Body); 4] = [
        (500, json_error),
        // How an OAuth server refuses credentials.
        (400, |echo| {
            format!(
                r#"{{"error":"invalid_client","error_description":"{}"}}"#,
                json_escaped(echo)
            )
        }),
        (502, str::to_owned),
        // Undecodable: the decoder quotes the value it could not read.
        (200, |echo| {
            format!(
                r#"{{"access_token":"t","expires_in":"{}"}}"#,
                json_escaped(echo)
            )
        }),
    ];
    for (status, body) in cases {
        let server = echo_server(Some((status, body)), 200, str::to_owned, ID).await;
        let error = balance_error(&server, ID, SECRET).await;
        assert_nothing_leaks(&format!("token endpoint {status}"), &error);
    }
}

#[tokio::test]
async fn no_form_of_a_credential_or_token_reaches_an_error_of_a_read() {
    let cases: [(u16, Body); 5] = [
        (500, json_error),
        // Refused twice: the echo holds the first token, then the renewed one.
        (401, json_error),
        (403, json_error),
        (502, str::to_owned),
        (200, |echo| {
            format!(r#"{{"balances":"{}"}}"#, json_escaped(echo))
        }),
    ];
    for (status, body) in cases {
        let server = echo_server(None, status, body, ID).await;
        let error = balance_error(&server, ID, SECRET).await;
        assert_nothing_leaks(&format!("read {status}"), &error);
    }
}

#[tokio::test]
async fn a_short_client_id_withholds_the_whole_echo() {
    let body: Body = |echo| {
        format!(
            r#"{{"errors":[{{"message":"rate limited {}"}}]}}"#,
            json_escaped(echo)
        )
    };
    let server = echo_server(None, 500, body, "id").await;
    let error = balance_error(&server, "id", SECRET).await;
    let answer = &error.refusal().unwrap().answer;
    assert_eq!(answer.message.as_deref(), Some("[REDACTED]"));
    assert_eq!(answer.body_text(), "[REDACTED]");
    let shown = shown(&error);
    assert!(!shown.contains("limi"), "{shown}");
}

/// A transport that fails quoting the request it was given: its URL and every header, in the
/// detail and in the underlying error, as an HTTP library's error may.
#[derive(Debug)]
struct QuotingTransport;

#[async_trait::async_trait]
impl Transport for QuotingTransport {
    async fn send(&self, request: TransportRequest) -> Result<Response, TransportError> {
        let headers: Vec<String> = request
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
            .collect();
        let quote = format!("{} {}?token={}", request.url, headers.join(", "), TOKENS[0]);
        Err(
            TransportError::new(TransportErrorKind::Connect, quote.clone())
                .with_source(std::io::Error::other(quote)),
        )
    }
}

#[tokio::test]
async fn a_transport_error_quoting_the_request_shows_no_token() {
    let error = BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .token(TOKENS[0])
        .transport(Arc::new(QuotingTransport))
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
        .wallet_balance(WalletId::new(1))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_nothing_leaks("transport", &error);
}
