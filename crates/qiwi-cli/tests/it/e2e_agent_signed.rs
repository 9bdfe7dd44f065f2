//! `AgentClient` against the sandbox with what the real service also serves: signed requests
//! without a password, and the provider lookup on `xmlcp.jsp`.

#[allow(dead_code, reason = "the shared helpers serve other test files too")]
use crate::common;

use qiwi_agent::AgentClient;
use qiwi_agent::signing::{SignatureAlgorithm, SigningKey};
use qiwi_sandbox::{SandboxConfig, demo};

fn signed_client(sandbox: &qiwi_sandbox::Sandbox, algorithm: SignatureAlgorithm) -> AgentClient {
    AgentClient::builder()
        .terminal_id(demo::AGENT_TERMINAL_ID.parse().unwrap())
        .signing_key(SigningKey::from_pem(demo::AGENT_SIGNING_KEY, algorithm).unwrap())
        .base_url(sandbox.agent_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

#[tokio::test]
async fn signed_requests_and_the_provider_lookup_work_without_a_password() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    for algorithm in [
        SignatureAlgorithm::Sha1WithRsa,
        SignatureAlgorithm::Md5WithRsa,
    ] {
        let client = signed_client(&sandbox, algorithm);
        let balances = client.ping().await.unwrap();
        assert!(!balances.is_empty(), "{algorithm}");
        assert_eq!(client.provider_by_phone("9161234567").await.unwrap(), 42);
    }
    assert_eq!(sandbox.hits("agent.ping"), 2);
    assert_eq!(sandbox.hits("agent.provider"), 2);
}

#[tokio::test]
async fn a_signature_with_another_key_is_an_authentication_error() {
    let mut data = qiwi_sandbox::DemoData::default();
    // Any other valid key: the sandbox's demo key no longer matches the signatures.
    data.agent.public_key = Some(OTHER_PUBLIC_KEY.into());
    let sandbox = qiwi_sandbox::start(SandboxConfig::default().with_data(data))
        .await
        .unwrap();
    let err = signed_client(&sandbox, SignatureAlgorithm::Sha1WithRsa)
        .ping()
        .await
        .unwrap_err();
    assert!(
        err.kind() == Some(qiwi_transport::RefusalKind::Authentication),
        "{err:?}"
    );
}

/// The public key of the agent crate's signing test fixtures (not the demo key).
const OTHER_PUBLIC_KEY: &str =
    include_str!("../../../qiwi-agent/tests/fixtures/signing/test_public_key.pem");
