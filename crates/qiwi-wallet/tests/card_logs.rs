//! Traces never carry a card's number or CVV. A test binary of its own: tracing caches per
//! call site, for the whole process, whether anyone listens, so tests running in parallel
//! without a subscriber would hide events from this one.

use qiwi_transport::test_util::traces::Traces;
use qiwi_types::wallet::CardId;
use qiwi_wallet::{SecretString, WalletClient};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAN: &str = "44441111222233333";
const CVV: &str = "739";

#[tokio::test]
async fn traces_never_carry_the_card_number_or_cvv() {
    let traces = Traces::default();
    let _guard = traces.capture();
    let server = MockServer::start().await;
    let details =
        format!(r#"{{"status": "OK", "cvv": "{CVV}", "pan": "{PAN}", "errorCode": "0"}}"#);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(details, "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let malformed = format!(r#"{{"status": "OK", "cvv": {{}}, "pan": "{PAN}"}}"#);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(malformed, "application/json"))
        .mount(&server)
        .await;
    let client = WalletClient::builder()
        .token(SecretString::from("tok-card-logs"))
        .wallet("79111234567".parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .build()
        .unwrap();
    let card = CardId::new("133789472").unwrap();
    let details = client.card_details(&card).await.unwrap();
    tracing::info!(?details, "details read");
    let error = client.card_details(&card).await.unwrap_err();
    tracing::warn!(%error, ?error, "details failed");

    let logged = traces.text();
    // The capture works: the executor's span names the call.
    assert!(logged.contains("span http.request"), "{logged}");
    assert!(logged.contains("E48"), "{logged}");
    assert!(logged.contains("****3333"), "{logged}");
    assert!(!logged.contains(PAN), "{logged}");
    assert!(!logged.contains(CVV), "{logged}");
}
