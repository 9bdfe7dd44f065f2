//! Paths are built from each endpoint's route template: an identifier from the caller fills
//! one segment and can never change which endpoint is called.

use crate::common;

use qiwi_wallet::{AccountAlias, Error, NotSentError};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_alias_stays_one_segment_and_a_path_step_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = common::client(&server);
    let alias = AccountAlias::new("a/b?c=%d#e").unwrap();
    client.set_default_account(&alias).await.unwrap();
    for step in [".", ".."] {
        let alias = AccountAlias::new(step).unwrap();
        let err = client.set_default_account(&alias).await.unwrap_err();
        assert!(
            matches!(err, Error::NotSent(NotSentError::InvalidInput(_))),
            "{step}: {err}"
        );
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "only the first alias is sent");
    assert_eq!(
        received[0].url.path(),
        format!(
            "/funding-sources/v2/persons/{}/accounts/a%2Fb%3Fc=%25d%23e",
            client.wallet().as_str()
        )
    );
    assert_eq!(received[0].url.query(), None);
}
