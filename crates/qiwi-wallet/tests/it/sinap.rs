//! The calls a payment is prepared with (E19, E20, E24, E27, E34, E35): each sends exactly the
//! documented request and reads the reference's example answer.

use crate::common;

use common::{TOKEN, assert_sent, client, expected, model_fixture, received};
use http::Method;
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_wallet::payment::{CardNumber, CardProvider, Payment, PaymentId, PayoutAmount, Recipient};
use qiwi_wallet::{Currency, Error, NotSentError, PaymentOutcome, WalletClient};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with the models crate's fixture, and a client of it.
async fn answering(fixture: &str) -> (MockServer, WalletClient) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(model_fixture(fixture), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    (server, client)
}

/// The one request the server received, checked against `expected`.
async fn sent_once(server: &MockServer, expected: &ExpectedRequest) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "one request, never resent");
    assert_sent(&requests[0], expected);
}

fn fixture_json(relative: &str) -> Value {
    serde_json::from_str(&model_fixture(relative)).unwrap()
}

#[tokio::test]
async fn e19_the_commission_quote_posts_the_recipient_method_and_total() {
    let (server, client) = answering("e19_commission/spec_e19.json").await;
    let payment = Payment::new(
        PaymentId::parse("21131343").unwrap(),
        Recipient::wallet("79121238345".parse().unwrap(), Some("ignored by a quote")),
        PayoutAmount::parse("1001").unwrap(),
    )
    .unwrap();
    let quote = client.commission(&payment).await.unwrap();
    assert_eq!(quote.qw_commission.amount.to_string(), "10.01");
    assert_eq!(quote.withdraw_sum.amount.to_string(), "1011.01");
    // The field table's request, with the recipient written as the transfer itself writes it.
    let mut body = fixture_json("e19_commission_request/field_table_request.json");
    body["account"] = "+79121238345".into();
    let want = expected(
        Method::POST,
        "/sinap/providers/99/onlineCommission",
        None,
        Some(body),
    );
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn e20_the_nickname_is_a_get_on_the_wallet() {
    let (server, client) = answering("e20_nickname/spec_e20.json").await;
    let nickname = client.nickname().await.unwrap();
    assert_eq!(nickname.nickname.as_deref(), Some("NICKNAME"));
    let want = expected(
        Method::GET,
        "/qw-nicknames/v1/persons/79111234567/nickname",
        None,
        None,
    );
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn e24_cross_rates_are_read_exactly() {
    let (server, client) = answering("e24_cross_rates/spec_e24.json").await;
    let rates = client.cross_rates().await.unwrap();
    let rate = rates.rate(&Currency::from_numeric(398), &Currency::from_numeric(643));
    assert_eq!(rate.map(|r| r.to_string()).as_deref(), Some("6.22665"));
    sent_once(
        &server,
        &expected(Method::GET, "/sinap/crossRates", None, None),
    )
    .await;
}

#[tokio::test]
async fn e27_the_card_provider_lookup_sends_the_vendor_media_type_and_spaced_digits() {
    let (server, client) = answering("e27_card_provider/spec_e27.json").await;
    let card = CardNumber::parse("1234123412341238").unwrap();
    let elements = client.card_provider(&card).await.unwrap();
    assert_eq!(elements.terms_id(), Some("36390"));
    let want = ExpectedRequest::new(
        Method::POST,
        "/sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers",
    )
    .header("accept", "application/vnd.qiwi.v1+json")
    .header("authorization", format!("Bearer {TOKEN}"))
    .header("content-type", "application/json")
    .json(fixture_json(
        "e27_card_provider_request/field_table_request.json",
    ));
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn e28_the_kazakhstan_card_preparation_sends_the_browser_headers() {
    let (server, client) = answering("e28_kz_card/spec_e28_fragment_completed.json").await;
    let card = CardNumber::parse("4400430000000007").unwrap();
    let elements = client.prepare_kz_card(&card).await.unwrap();
    assert!(elements.field("ev_account1").is_some(), "{elements:?}");
    let want = ExpectedRequest::new(
        Method::POST,
        "/sinap/api/refs/a42ebc79-0584-4271-b8a0-15cb4ea8b340/containers",
    )
    .header("accept", "application/vnd.qiwi.v1+json")
    .header("authorization", format!("Bearer {TOKEN}"))
    .header("content-type", "application/json")
    .header("sec-fetch-site", "same-site")
    .header("sec-fetch-mode", "cors")
    .header("sec-fetch-dest", "empty")
    .json(serde_json::json!({
        "cardNumber": "4400430000000007", "version": "2", "transferSum": "100", "src": "sinap"
    }));
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn e34_provider_search_encodes_the_words_in_the_query() {
    let (server, client) = answering("e34_provider_search/spec_e34.json").await;
    let found = client.search_providers(" мтс интернет ").await.unwrap();
    assert_eq!(found.items[0].data.id, "23729");
    let want = expected(
        Method::GET,
        "/search/v1/search",
        Some("query=%D0%BC%D1%82%D1%81+%D0%B8%D0%BD%D1%82%D0%B5%D1%80%D0%BD%D0%B5%D1%82"),
        None,
    );
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn e35_the_operator_of_a_phone_number() {
    let (server, client) = answering("e35_mobile_providers/spec_e35.json").await;
    let phone = "79161234567".parse().unwrap();
    let operators = client.mobile_provider(&phone).await.unwrap();
    assert_eq!(operators.mobile_operator_provider_list[0].id, "3");
    let want = expected(
        Method::GET,
        "/qw-mobile-providers-resolver/v1/providers",
        Some("phoneNumber=79161234567"),
        None,
    );
    sent_once(&server, &want).await;
}

#[tokio::test]
async fn lookups_with_unusable_input_are_not_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let search = client.search_providers("  ").await.unwrap_err();
    assert!(
        matches!(search, Error::NotSent(NotSentError::InvalidInput(_))),
        "{search:?}"
    );
    let foreign = "380501234567".parse().unwrap();
    let operator = client.mobile_provider(&foreign).await.unwrap_err();
    assert!(
        matches!(operator, Error::NotSent(NotSentError::InvalidInput(_))),
        "{operator:?}"
    );
    assert!(received(&server).await.is_empty());
}

/// A card transfer as a program reads it from its user: the typed digits, the provider looked
/// up (E27), the payment sent (E26).
async fn pay_typed_card(client: &WalletClient, digits: &str) -> Result<PaymentOutcome, Error> {
    let card = CardNumber::parse(digits)?;
    let found = client.card_provider(&card).await?;
    let provider = found
        .terms_id()
        .and_then(|id| id.parse().ok())
        .unwrap_or(1963);
    let payment = Payment::new(
        PaymentId::parse("21131343")?,
        Recipient::Card {
            provider: CardProvider::from_id(provider),
            card,
        },
        PayoutAmount::parse("1")?,
    )?;
    Ok(client.pay(&payment).await)
}

#[tokio::test]
async fn a_card_number_failing_its_check_digit_sends_neither_the_lookup_nor_the_payment() {
    let (server, client) = answering("e27_card_provider/spec_e27.json").await;
    for (digits, why) in [
        ("4256123412341236", "the last digit mistyped"),
        ("4256123412341253", "two digits swapped"),
        ("0000000000000000", "all zeros"),
    ] {
        let err = pay_typed_card(&client, digits).await.unwrap_err();
        assert!(
            matches!(&err, Error::NotSent(NotSentError::InvalidInput(_))),
            "{why}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("card number"), "{why}: {message}");
        assert!(
            !message.contains(digits),
            "{why}: the number is echoed: {message}"
        );
    }
    assert!(received(&server).await.is_empty(), "nothing is sent");
    // The same path with the check digit right does reach the service.
    client
        .card_provider(&CardNumber::parse("4256123412341235").unwrap())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 1);
}
