//! The password never shows: not in `Debug`, not in errors (even from a server that reflects
//! the request), not in logs.

use crate::support;

use std::sync::Arc;

use qiwi_agent::{AgentClient, Credentials, Error, SecretString, TerminalId};
use qiwi_transport::RefusalKind;
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::echo::{Body, EchoLog, leaks, shown, xml_escaped};
use qiwi_transport::test_util::{Reply, ScriptedTransport};
use support::{scripted_client_with, xml};

const SECRET: &str = "Tr0ub4dor&3-very-secret";

#[test]
fn debug_of_credentials_builder_and_client_is_exact() {
    let credentials =
        Credentials::new(TerminalId::new(44).unwrap(), SecretString::from(SECRET)).unwrap();
    assert_eq!(
        format!("{credentials:?}"),
        "Credentials { terminal_id: TerminalId(44), password: Some(SecretBox<str>([REDACTED])) }"
    );

    let builder = AgentClient::builder()
        .terminal_id(44)
        .password(SecretString::from(SECRET));
    let signing = if cfg!(feature = "signing") {
        ", signing_key: None"
    } else {
        ""
    };
    assert_eq!(
        format!("{builder:?}"),
        format!(
            "AgentClientBuilder {{ terminal_id: Some(44), password: Some(SecretBox<str>([REDACTED])), credentials: None, lookup_endpoint: None, http: ClientSettings {{ base_url: None, allow_http: false, transport: \"default\", timeouts: Timeouts {{ attempt: 30s, total: 60s }}, retry: RetryPolicy {{ max_attempts: 3, initial_backoff: 200ms, max_backoff: 5s, max_retry_after: 30s }}, clock: \"default\", user_agent: None, client_certificate: None }}{signing} }}"
        )
    );
    let with_credentials = AgentClient::builder().credentials(credentials);
    assert!(format!("{with_credentials:?}").contains(
        "credentials: Some(Credentials { terminal_id: TerminalId(44), password: Some(SecretBox<str>([REDACTED])) })"
    ));

    let client = builder
        .transport(Arc::new(ScriptedTransport::default()))
        .build()
        .unwrap();
    let signing = if cfg!(feature = "signing") {
        "signing_key: None, "
    } else {
        ""
    };
    assert_eq!(
        format!("{client:?}"),
        format!(
            "AgentClient {{ credentials: Credentials {{ terminal_id: TerminalId(44), password: Some(SecretBox<str>([REDACTED])) }}, endpoint: \"https://api.qiwi.com/xml/topup.jsp\", lookup_endpoint: \"https://api.qiwi.com/xml/xmlcp.jsp\", {signing}.. }}"
        )
    );
    for text in [format!("{client:?}"), format!("{:?}", client.clone())] {
        assert!(!text.contains(SECRET));
    }
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error_that_does_not_repeat_it() {
    let auth = support::fixture("responses/error_derived_7_1_authorization.xml");
    let (client, transport, _) = scripted_client_with(123, SECRET, vec![xml(&auth)]);
    let err = client.ping().await.unwrap_err();
    assert_eq!(err.kind(), Some(RefusalKind::Authentication), "{err:?}");
    assert!(err.detail().unwrap().fatal);
    assert_eq!(
        err.to_string(),
        "authentication failed (result code 150, fatal: Ошибка авторизации); check the terminal id and the password (or signing key), then try again"
    );
    // The request did carry the password; the error does not.
    assert!(support::body(&transport, 0).contains("Tr0ub4dor&amp;3-very-secret"));
    assert_no_secret(&err);
}

fn assert_no_secret(err: &Error) {
    let escaped = SECRET.replace('&', "&amp;");
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(&escaped), "{text}");
    }
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        assert!(!inner.to_string().contains(SECRET));
        source = inner.source();
    }
}

#[tokio::test]
async fn no_error_of_any_kind_carries_the_password() {
    let replies = vec![
        Reply::Fail(TransportErrorKind::Timeout),
        Reply::status(500, "<html>oops</html>"),
        xml("<response><result-code"),
        xml("<response><result-code fatal='true'>339</result-code></response>"),
        xml("<response><result-code fatal='false'>13</result-code></response>"),
    ];
    let count = replies.len();
    let (client, _, _) = scripted_client_with(123, SECRET, replies);
    for _ in 0..count {
        assert_no_secret(&client.ping().await.unwrap_err());
    }
    let err = Credentials::new(
        TerminalId::new(1).unwrap(),
        SecretString::from(format!("{SECRET}\u{1}")),
    )
    .map_err(Error::from)
    .unwrap_err();
    assert_no_secret(&err);
    let err = AgentClient::builder()
        .terminal_id(1)
        .password(SecretString::from(format!("{SECRET}\u{0}")))
        .transport(Arc::new(ScriptedTransport::default()))
        .build()
        .unwrap_err();
    assert!(err.is_not_sent());
    assert_no_secret(&err);
}

/// A password with every character an encoder treats apart.
const ECHOED_PASSWORD: &str = "p@ss <&>\"'/\\é😀+%=word";

/// An answer whose request-level result carries the echo as its message.
fn result_with_echo(code: u16, echo: &str) -> String {
    format!(
        "<response><result-code fatal=\"false\" message=\"{}\">{code}</result-code></response>",
        xml_escaped(echo)
    )
}

#[cfg(feature = "reqwest")]
async fn echoed_errors(status: u16, body: Body, password: &str) -> Vec<Error> {
    let server = support::echo_server(status, body, EchoLog::new(&[password])).await;
    let client = AgentClient::builder()
        .terminal_id(44)
        .password(SecretString::from(password.to_owned()))
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .retry(qiwi_agent::RetryPolicy::never())
        .build()
        .unwrap();
    let payout: qiwi_agent::Payout = qiwi_agent::Payout::new(
        qiwi_agent::TransactionNumber::parse("12345678").unwrap(),
        qiwi_agent::Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: qiwi_agent::FundsSource::NonCash,
            comment: None,
        },
        qiwi_agent::PayoutAmount::parse("10.00").unwrap(),
    )
    .unwrap();
    vec![
        client.ping().await.unwrap_err(),
        client.pay(&payout).await.unwrap_err(),
    ]
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn no_form_of_the_password_reaches_an_error_from_an_echoing_server() {
    let cases: [(u16, Body); 4] = [
        (500, |echo| result_with_echo(300, echo)),
        // A proxy's plain-text page.
        (403, str::to_owned),
        (200, |echo| result_with_echo(150, echo)),
        // Undecodable: the decoder quotes the value it could not read.
        (200, |echo| {
            format!(
                "<response><result-code fatal=\"false\">0</result-code><balances><balance code=\"643\">{}</balance></balances><payment status=\"{0}\"/></response>",
                xml_escaped(echo)
            )
        }),
    ];
    for (status, body) in cases {
        for error in echoed_errors(status, body, ECHOED_PASSWORD).await {
            let shown = shown(&error);
            assert!(
                leaks(&shown, &[ECHOED_PASSWORD]).is_empty(),
                "{status}: {shown}"
            );
            assert!(shown.contains("[REDACTED]"), "{status}: {shown}");
        }
    }
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn a_short_password_withholds_the_whole_echo() {
    let body = |echo: &str| result_with_echo(300, &format!("rate limited {echo}"));
    for error in echoed_errors(500, body, "pw").await {
        let refusal = error.refusal().unwrap();
        assert_eq!(refusal.answer.body_text(), "[REDACTED]");
        assert_eq!(
            refusal
                .detail
                .result
                .as_ref()
                .and_then(|r| r.message.as_deref()),
            Some("[REDACTED]")
        );
        let shown = shown(&error);
        assert!(!shown.contains("limi"), "{shown}");
    }
}
