//! The token never appears in `Debug` of the builder or the client, nor in configuration
//! errors, nor in any error from a server that reflects the request; the exact `Debug` text of
//! each type holding it is pinned.

use crate::common;

use std::sync::Arc;

use qiwi_transport::test_util::ScriptedTransport;
use qiwi_transport::test_util::echo::{Body, EchoLog, json_escaped, leaks, shown};
use qiwi_wallet::{Error, NotSentError, RetryPolicy, SecretString, WalletClient};

const TOKEN: &str = common::TOKEN;

#[test]
fn builder_debug_is_exact_and_redacted() {
    let builder = WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .wallet("79111234567".parse().unwrap())
        .base_url(format!("https://user:{TOKEN}@edge.qiwi.com/?token={TOKEN}"))
        .retry(RetryPolicy::never());
    assert_eq!(
        format!("{builder:?}"),
        "WalletClientBuilder { token: Some(SecretBox<str>([REDACTED])), wallet: Some(WalletNumber(79111234567)), \
         http: ClientSettings { base_url: Some(\"https://[REDACTED]@edge.qiwi.com/?[REDACTED]\"), allow_http: false, \
         transport: \"default\", timeouts: Timeouts { attempt: 30s, total: 60s }, \
         retry: RetryPolicy { max_attempts: 1, initial_backoff: 200ms, max_backoff: 5s, max_retry_after: 30s }, \
         clock: \"default\", user_agent: None, client_certificate: None }, balance_refresh_attempts: 2, \
         history_limiter: Some(HistoryLimiter { limit: 90, window: 60s }) }"
    );
    let empty = WalletClient::builder();
    assert!(format!("{empty:?}").contains("token: None"));
}

#[test]
fn client_debug_is_exact_and_redacted() {
    let client = WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .wallet("79111234567".parse().unwrap())
        .transport(Arc::new(ScriptedTransport::default()))
        .balance_refresh_attempts(4)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert_eq!(
        debug,
        "WalletClient { base_url: \"https://edge.qiwi.com/\", wallet: WalletNumber(79111234567), \
         token: \"[REDACTED]\", timeouts: Timeouts { attempt: 30s, total: 60s }, \
         retry: RetryPolicy { max_attempts: 3, initial_backoff: 200ms, max_backoff: 5s, max_retry_after: 30s }, \
         balance_refresh_attempts: 4, history_limiter: Some(HistoryLimiter { limit: 90, window: 60s }) }"
    );
    let cloned = client.clone();
    assert_eq!(format!("{cloned:?}"), debug);
}

#[test]
fn configuration_errors_say_what_is_missing_without_the_token() {
    let missing_token = WalletClient::builder()
        .wallet("79111234567".parse().unwrap())
        .build()
        .unwrap_err();
    assert!(
        missing_token.to_string().contains("token is missing"),
        "{missing_token}"
    );

    let missing_wallet = WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .build()
        .unwrap_err();
    assert!(
        missing_wallet
            .to_string()
            .contains("wallet number is missing")
    );

    for bad in ["", "   ", "tok en\n"] {
        let error = WalletClient::builder()
            .token(SecretString::from(bad))
            .wallet("79111234567".parse().unwrap())
            .build()
            .unwrap_err();
        assert!(
            matches!(error, Error::NotSent(NotSentError::Configuration(_))),
            "{bad:?}"
        );
        assert!(!error.to_string().contains("tok en"), "{error}");
    }

    let http = WalletClient::builder()
        .token(SecretString::from(TOKEN))
        .wallet("79111234567".parse().unwrap())
        .base_url("http://edge.qiwi.com")
        .build()
        .unwrap_err();
    assert!(http.to_string().contains("https://"), "{http}");
    let shown = format!("{missing_token:?} {missing_wallet:?} {http:?}");
    assert!(!shown.contains(TOKEN));
}

#[test]
fn the_client_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<WalletClient>();
}

#[tokio::test]
async fn a_surrounding_space_in_the_token_is_trimmed() {
    let transport = ScriptedTransport::new([qiwi_transport::test_util::Reply::json(
        r#"{"p2pPaymentCountLimit": 3}"#,
    )]);
    let client = WalletClient::builder()
        .token(SecretString::from(format!(" {TOKEN}\n")))
        .wallet("79111234567".parse().unwrap())
        .transport(Arc::new(transport.clone()))
        .build()
        .unwrap();
    assert_eq!(client.p2p_payment_count().await.unwrap(), 3);
    let sent = &transport.requests()[0];
    let auth = sent.headers.get("authorization").unwrap();
    assert_eq!(auth.to_str().unwrap(), format!("Bearer {TOKEN}"));
    assert!(auth.is_sensitive());
    assert!(!format!("{sent:?}").contains(TOKEN));
}

/// Visible ASCII (all a header carries) with every character an encoder treats apart.
const ECHOED_TOKEN: &str = "t0k/en+\"&<>'\\%=~s3cret";

/// A QIWI error body whose code, message and trace id all quote the echo.
fn json_error(echo: &str) -> String {
    format!(
        r#"{{"errorCode":"{e}","userMessage":"{e}","traceId":"{e}"}}"#,
        e = json_escaped(echo)
    )
}

async fn accounts_error(status: u16, body: Body, token: &str) -> Error {
    let server = common::echo_server(status, body, EchoLog::new(&[token])).await;
    common::builder(&server)
        .token(SecretString::from(token.to_owned()))
        .build()
        .unwrap()
        .list_accounts()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn no_form_of_the_token_reaches_an_error_from_an_echoing_server() {
    let cases: [(u16, Body); 4] = [
        (500, json_error),
        (403, json_error),
        // A proxy's plain-text page.
        (502, str::to_owned),
        // Undecodable: the decoder quotes the value it could not read.
        (200, |echo| {
            format!(r#"{{"accounts":"{}"}}"#, json_escaped(echo))
        }),
    ];
    for (status, body) in cases {
        let shown = shown(&accounts_error(status, body, ECHOED_TOKEN).await);
        assert!(
            leaks(&shown, &[ECHOED_TOKEN]).is_empty(),
            "{status}: {shown}"
        );
        assert!(shown.contains("[REDACTED]"), "{status}: {shown}");
    }
}

#[tokio::test]
async fn a_short_token_withholds_the_whole_echo() {
    let body = |echo: &str| format!(r#"{{"userMessage":"rate limited {}"}}"#, json_escaped(echo));
    let error = accounts_error(500, body, "t").await;
    let answer = &error.refusal().unwrap().answer;
    assert_eq!(answer.message.as_deref(), Some("[REDACTED]"));
    assert_eq!(answer.body_text(), "[REDACTED]");
    let shown = shown(&error);
    assert!(!shown.contains("limi"), "{shown}");
}
