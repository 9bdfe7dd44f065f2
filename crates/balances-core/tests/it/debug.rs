//! The exact `Debug` text of every type that holds a secret.

use balances_core::webhook::WebhookVerifier;
use balances_core::{AccessToken, BalancesClient, Environment};

#[test]
fn debug_output_never_shows_a_secret() {
    let builder = BalancesClient::builder()
        .company("acme", Environment::Sandbox)
        .client_credentials("client-id-SECRET", "client-secret-SECRET")
        .token("token-SECRET");
    let with_both = format!("{builder:?}");
    assert_eq!(
        with_both,
        "BalancesClientBuilder { company: Some((\"acme\", Sandbox)), \
         client_id: Some(SecretBox<str>([REDACTED])), client_secret: Some(SecretBox<str>([REDACTED])), \
         scope: \"read_only\", token: Some(SecretBox<str>([REDACTED])), \
         http: ClientSettings { base_url: None, allow_http: false, transport: \"default\", \
         timeouts: Timeouts { attempt: 30s, total: 60s }, \
         retry: RetryPolicy { max_attempts: 3, initial_backoff: 200ms, max_backoff: 5s, max_retry_after: 30s }, \
         clock: \"default\", user_agent: None, client_certificate: None } }"
    );
    let err = builder.build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "configuration error, nothing was sent: both client credentials and a token were given: choose one"
    );

    let credentials = BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .client_credentials("client-id-SECRET", "client-secret-SECRET")
        .build()
        .unwrap();
    assert_eq!(
        format!("{credentials:?}"),
        "BalancesClient { base_url: \"https://acme.sandbox.treezor.co/\", \
         auth: ClientCredentials { scope: \"read_only\" }, .. }"
    );
    let static_token = BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .token("token-SECRET")
        .build()
        .unwrap();
    assert_eq!(
        format!("{static_token:?}"),
        "BalancesClient { base_url: \"https://acme.sandbox.treezor.co/\", auth: StaticToken([REDACTED]), .. }"
    );

    let token =
        AccessToken::from_json(br#"{"access_token": "token-SECRET", "expires_in": 60}"#).unwrap();
    assert_eq!(
        format!("{token:?}"),
        "AccessToken { token: BearerToken([REDACTED]), token_type: None, expires_in: 60s }"
    );
    assert_eq!(
        format!("{:?}", WebhookVerifier::new("webhook-SECRET")),
        "WebhookVerifier { secret: [REDACTED] }"
    );
}

#[test]
fn configuration_errors_say_what_to_do() {
    let cases = [
        (BalancesClient::builder().token("t"), "no base URL"),
        (
            BalancesClient::builder().base_url("https://x.example"),
            "no credentials",
        ),
        (
            BalancesClient::builder()
                .base_url("http://x.example")
                .token("t"),
            "plain http://",
        ),
        (
            BalancesClient::builder()
                .base_url("https://x.example")
                .client_credentials("", "s"),
            "the client id is empty",
        ),
        (
            BalancesClient::builder()
                .base_url("https://x.example")
                .token("a b"),
            "cannot be sent in a header",
        ),
        (
            BalancesClient::builder()
                .base_url("https://x.example")
                .client_credentials("i", "s")
                .scope("read\"only"),
            "OAuth does not allow",
        ),
        (
            BalancesClient::builder()
                .company("acme corp", Environment::Production)
                .token("t"),
            "cannot be a host name",
        ),
    ];
    for (builder, expected) in cases {
        let err = builder.build().unwrap_err().to_string();
        assert!(err.contains(expected), "{expected}: {err}");
        assert!(
            err.starts_with("configuration error, nothing was sent"),
            "{err}"
        );
    }
    let production = BalancesClient::builder()
        .company("acme", Environment::Production)
        .token("t")
        .build()
        .unwrap();
    assert_eq!(
        production.base_url().to_string(),
        "https://acme.api.treezor.com/"
    );
}

#[cfg(feature = "reqwest")]
#[test]
fn a_client_certificate_goes_with_the_built_in_transport_only() {
    use std::sync::Arc;
    // No certificate is needed to show the conflict: the check comes before reading it.
    let err = balances_core::ClientIdentity::from_pem(b"not a pem").unwrap_err();
    assert!(err.to_string().contains("client certificate"), "{err}");
    let transport = Arc::new(qiwi_transport::test_util::ScriptedTransport::new([]));
    let pem = test_identity_pem();
    let identity = balances_core::ClientIdentity::from_pem(&pem).unwrap();
    let err = BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .token("t")
        .transport(transport)
        .client_certificate(identity)
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("build that transport with the certificate instead"),
        "{err}"
    );
    let identity = balances_core::ClientIdentity::from_pem(&pem).unwrap();
    BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .token("t")
        .client_certificate(identity)
        .build()
        .unwrap();
}

/// A self-signed certificate and key made for this test only (`openssl req -x509 -newkey ec`).
#[cfg(feature = "reqwest")]
fn test_identity_pem() -> Vec<u8> {
    include_bytes!("../fixtures/tls/test-client-identity.pem").to_vec()
}
