//! Signed requests over real HTTP: the headers, a signature that verifies over the exact body
//! received, and no password extra when none is configured. Feature `signing`.

#![cfg(all(feature = "signing", feature = "reqwest"))]

use crate::support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use qiwi_agent::AgentClient;
use qiwi_agent::secrecy::SecretString;
use qiwi_agent::signing::{SignatureAlgorithm, SigningKey};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use support::{fixture, normalise};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key(algorithm: SignatureAlgorithm) -> SigningKey {
    SigningKey::from_pem(&fixture("signing/test_private_key.pem"), algorithm).unwrap()
}

fn public_key() -> RsaPublicKey {
    RsaPublicKey::from_public_key_pem(&fixture("signing/test_public_key.pem")).unwrap()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("responses/ping_spec_5_1.xml")),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn signed_requests_verify_over_the_body_received() {
    for algorithm in [
        SignatureAlgorithm::Sha1WithRsa,
        SignatureAlgorithm::Md5WithRsa,
    ] {
        let server = server().await;
        let client = AgentClient::builder()
            .terminal_id(44)
            .signing_key(key(algorithm))
            .base_url(format!("{}/xml/topup.jsp", server.uri()))
            .allow_http(true)
            .build()
            .unwrap();
        assert_eq!(client.ping().await.unwrap().len(), 3);

        let request = &server.received_requests().await.unwrap()[0];
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(header("x-digital-sign-alg"), algorithm.header_value());
        let signature = Signature::try_from(
            STANDARD
                .decode(header("x-digital-sign"))
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        let verified = match algorithm {
            SignatureAlgorithm::Sha1WithRsa => {
                VerifyingKey::<sha1::Sha1>::new(public_key()).verify(&request.body, &signature)
            }
            SignatureAlgorithm::Md5WithRsa => {
                VerifyingKey::<md5::Md5>::new(public_key()).verify(&request.body, &signature)
            }
        };
        verified.unwrap_or_else(|e| panic!("{algorithm}: {e}"));

        // Without a password the body is the ping example less its password extra.
        let body = String::from_utf8(request.body.clone()).unwrap();
        let expected = fixture("requests/ping_spec_5_1.xml")
            .replace("<extra name=\"password\">password</extra>", "");
        assert_eq!(normalise(&body), normalise(&expected));
    }
}

#[tokio::test]
async fn a_password_is_still_sent_when_configured_with_a_signature() {
    let server = server().await;
    let client = AgentClient::builder()
        .terminal_id(44)
        .password(SecretString::from("password"))
        .signing_key(key(SignatureAlgorithm::Sha1WithRsa))
        .base_url(format!("{}/xml/topup.jsp", server.uri()))
        .allow_http(true)
        .build()
        .unwrap();
    client.ping().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert_eq!(
        normalise(&body),
        normalise(&fixture("requests/ping_spec_5_1.xml"))
    );
    assert!(request.headers.get("x-digital-sign").is_some());
    assert_eq!(
        format!("{client:?}"),
        format!(
            "AgentClient {{ credentials: Credentials {{ terminal_id: TerminalId(44), password: Some(SecretBox<str>([REDACTED])) }}, endpoint: \"{}/xml/topup.jsp\", lookup_endpoint: \"{}/xml/xmlcp.jsp\", signing_key: Some(SigningKey {{ algorithm: SHA1withRSA, key: [REDACTED] }}), .. }}",
            server.uri(),
            server.uri()
        )
    );
}
