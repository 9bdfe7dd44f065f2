//! QIWI Master virtual cards (E40 to E49) on the wire: every request pinned, the package and a
//! paid card sent once through the payment path, the statement kept as bytes, `202` on a
//! block, the four unblock statuses, and the card's number and CVV kept out of every error.

use crate::common;

use std::time::Duration;

use common::{client, expected, model_fixture, received};
use http::Method;
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_types::wallet::{
    CardAlias, CardId, CardOperationStatus, CardOrderId, CardOrderStatus, CardStatus, HistoryWindow,
};
use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
use qiwi_wallet::{
    Accepted, Error, FateLookup, NotMoved, NotSentError, PaymentOutcome, RefusalKind,
    SubmittedOrder, TokenScope,
};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WALLET: &str = common::WALLET;
const ORDER: &str = "920fa383-6209-4743-a5d1-883f473f7f95";
const CARD: &str = "133789472";
const PAN: &str = "44441111222233333";
const CVV: &str = "739";

fn json_answer(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

/// A server answering every request with `answer`.
async fn answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

/// The server received one request, this one.
async fn assert_one(server: &MockServer, expected: ExpectedRequest) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    common::assert_sent(&requests[0], &expected);
}

fn card() -> CardId {
    CardId::new(CARD).unwrap()
}

fn quick() -> FateLookup {
    FateLookup {
        wait: Duration::ZERO,
        ..FateLookup::default()
    }
}

fn package() -> Payment {
    Payment::new(
        PaymentId::parse("1580294612000").unwrap(),
        Recipient::QiwiMasterPackage {
            wallet: WALLET.parse().unwrap(),
        },
        PayoutAmount::parse("2999").unwrap(),
    )
    .unwrap()
}

fn paid_card() -> Payment {
    Payment::new(
        PaymentId::parse("1580294613000").unwrap(),
        Recipient::CardOrder {
            wallet: WALLET.parse().unwrap(),
            order: CardOrderId::new(ORDER).unwrap(),
        },
        PayoutAmount::parse("99").unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn e40_the_package_is_a_payment_to_28004_sent_once() {
    let info = model_fixture("e40_payment_info/field_table_info.json");
    let server = answering(json_answer(200, info)).await;
    let outcome = client(&server).pay_with(&package(), quick()).await;
    let PaymentOutcome::Accepted(Accepted::Answer(info)) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(info.transaction.id, "11155897071");
    let body: Value = serde_json::from_str(&model_fixture(
        "e40_payment_request/field_table_request.json",
    ))
    .unwrap();
    let path = "/sinap/api/v2/terms/28004/payments";
    assert_one(&server, expected(Method::POST, path, None, Some(body))).await;
}

#[tokio::test]
async fn e43_a_paid_card_lost_in_a_5xx_is_looked_up_in_the_history_never_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sinap/api/v2/terms/32064/payments"))
        .respond_with(json_answer(502, "{}"))
        .mount(&server)
        .await;
    let wall = qiwi_transport::time::TimeSource::wall(&qiwi_transport::time::SystemTimeSource);
    let now = jiff::Timestamp::try_from(wall)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S+00:00");
    let page = json!({"data": [{"txnId": 11155897072_u64, "personId": 79111234567_u64,
        "date": now.to_string(), "errorCode": 0, "status": "SUCCESS", "type": "OUT",
        "trmTxnId": "1580294613000", "account": WALLET,
        "sum": {"amount": 99, "currency": 643}, "total": {"amount": 99, "currency": 643}}],
        "nextTxnId": null, "nextTxnDate": null});
    Mock::given(method("GET"))
        .and(path(format!(
            "/payment-history/v2/persons/{WALLET}/payments"
        )))
        .respond_with(json_answer(200, page.to_string()))
        .mount(&server)
        .await;
    let outcome = client(&server).pay_with(&paid_card(), quick()).await;
    assert!(
        matches!(outcome, PaymentOutcome::Accepted(Accepted::History(_))),
        "{outcome:?}"
    );
    let requests = received(&server).await;
    let posts: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 1, "a payment is never sent twice");
    let body: Value = serde_json::from_str(&model_fixture(
        "e43_payment_request/field_table_request.json",
    ))
    .unwrap();
    common::assert_sent(
        posts[0],
        &expected(
            Method::POST,
            "/sinap/api/v2/terms/32064/payments",
            None,
            Some(body),
        ),
    );
}

#[tokio::test]
async fn e43_a_rejected_card_payment_did_not_move_money() {
    let rejection = r#"{"code": "QWPRC-220", "message": "Недостаточно средств"}"#;
    let server = answering(json_answer(400, rejection)).await;
    let outcome = client(&server).pay_with(&paid_card(), quick()).await;
    let PaymentOutcome::NotMoved(NotMoved::Refused { rejection, .. }) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(rejection.unwrap().code.to_string(), "QWPRC-220");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn e41_orders_a_card_as_a_draft() {
    let server = answering(json_answer(
        200,
        model_fixture("e41_card_order/spec_e41.json"),
    ))
    .await;
    let order = client(&server)
        .order_card(CardAlias::Prepaid)
        .await
        .unwrap();
    assert_eq!(order.status, CardOrderStatus::Draft);
    assert_eq!(order.id.as_str(), ORDER);
    assert_eq!((order.price, order.card_id), (None, None));
    assert_one(
        &server,
        expected(
            Method::POST,
            &format!("/cards/v2/persons/{WALLET}/orders"),
            None,
            Some(json!({"cardAlias": "qvc-cpa"})),
        ),
    )
    .await;
}

#[tokio::test]
async fn e42_a_free_order_is_issued_and_a_sixth_asks_for_payment() {
    let order = CardOrderId::new(ORDER).unwrap();
    let submit = format!("/cards/v2/persons/{WALLET}/orders/{ORDER}/submit");
    let free = answering(json_answer(
        200,
        model_fixture("e42_card_order/spec_e42_free.json"),
    ))
    .await;
    match client(&free).submit_card_order(&order).await.unwrap() {
        SubmittedOrder::Issued(order) => {
            assert_eq!(order.card_id.unwrap().as_str(), "<card id>");
            assert_eq!(order.price.unwrap().amount.to_string(), "0");
        }
        other => panic!("{other:?}"),
    }
    assert_one(&free, expected(Method::PUT, &submit, None, None)).await;

    let paid = answering(json_answer(
        200,
        model_fixture("e42_card_order/spec_e42_paid_price_placeholder_repaired.json"),
    ))
    .await;
    match client(&paid).submit_card_order(&order).await.unwrap() {
        SubmittedOrder::PaymentRequired(order) => {
            assert_eq!(order.price.unwrap().amount.to_string(), "99");
            assert_eq!(order.card_id, None);
        }
        other => panic!("{other:?}"),
    }
    let unknown = answering(json_answer(
        200,
        model_fixture("e42_card_order/tolerance_numeric_card_id_unknown_status.json"),
    ))
    .await;
    let other = client(&unknown).submit_card_order(&order).await.unwrap();
    assert!(matches!(other, SubmittedOrder::Other(_)), "{other:?}");
    assert_eq!(
        other.order().card_id.as_ref().unwrap().as_str(),
        "2001291110576200001"
    );
}

#[tokio::test]
async fn e44_lists_cards_keeping_the_long_card_id_exactly() {
    let server = answering(json_answer(200, model_fixture("e44_cards/spec_e44.json"))).await;
    let cards = client(&server).cards().await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].id().as_str(), CARD);
    assert_eq!(
        cards[0].qvx.card_id.as_ref().unwrap().as_str(),
        "2001291110576200000"
    );
    assert_eq!(cards[0].qvx.status, CardStatus::Active);
    assert_eq!(
        cards[0].info.price.as_ref().unwrap().amount.to_string(),
        "99.0000"
    );
    assert_one(
        &server,
        expected(
            Method::GET,
            "/cards/v1/cards",
            Some("vas-alias=qvc-master"),
            None,
        ),
    )
    .await;
}

#[tokio::test]
async fn e44_a_card_number_in_an_undecodable_list_never_reaches_an_error() {
    // `fullPan` holds a number, and a later field cannot be read.
    let list = json!([{
        "qvx": {"id": CARD, "status": "ACTIVE", "fullPan": PAN, "maskedPan": "****3333"},
        "balance": null,
        "info": {"alias": ["qvc-cpa"]}
    }]);
    let server = answering(json_answer(200, list.to_string())).await;
    let error = client(&server).cards().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("not a decode error: {error:?}");
    };
    assert!(decode.path.contains("info"), "{decode:?}");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(PAN), "{shown}");
    }
}

#[tokio::test]
async fn e44_a_full_card_number_in_masked_pan_is_masked() {
    // The number where the masked one belongs, plain or spaced.
    let spaced = PAN
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    for written in [PAN.to_owned(), spaced] {
        let list = json!([{
            "qvx": {"id": CARD, "status": "ACTIVE", "maskedPan": written},
            "balance": null,
            "info": {"alias": "qvc-cpa"}
        }]);
        let server = answering(json_answer(200, list.to_string())).await;
        let cards = client(&server).cards().await.unwrap();
        let last4 = &PAN[PAN.len() - 4..];
        assert_eq!(
            cards[0].qvx.masked_pan.as_deref(),
            Some(format!("****{last4}").as_str())
        );
        let shown = [format!("{cards:?}"), serde_json::to_string(&cards).unwrap()];
        for shown in shown {
            assert!(!shown.contains(&PAN[..8]), "{shown}");
        }
    }
}

#[tokio::test]
async fn e45_the_statement_is_bytes_never_decoded() {
    // Not valid UTF-8, let alone JSON, under a JSON content type: the bytes come back as sent.
    let pdf: Vec<u8> = b"%PDF-1.4\n\xff\xfe\x00binary\n%%EOF\n".to_vec();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/json")).await;
    let window =
        HistoryWindow::parse("2020-01-01T00:00:00+03:00", "2020-03-31T00:00:00+03:00").unwrap();
    let statement = client(&server)
        .card_statement(&card(), &window)
        .await
        .unwrap();
    assert_eq!(statement.bytes.as_ref(), pdf.as_slice());
    assert_eq!(statement.content_type.as_deref(), Some("application/json"));
    assert_one(
        &server,
        expected(
            Method::GET,
            &format!("/payment-history/v1/persons/{WALLET}/cards/{CARD}/statement"),
            Some("from=2020-01-01T00%3A00%3A00%2B03%3A00&till=2020-03-31T00%3A00%3A00%2B03%3A00"),
            None,
        ),
    )
    .await;
    // A window over 90 days cannot be built, so it is never sent.
    assert!(
        HistoryWindow::parse("2020-01-01T00:00:00+03:00", "2020-04-01T00:00:01+03:00").is_err()
    );
}

#[tokio::test]
async fn e46_block_is_answered_202_without_a_body() {
    let server = answering(ResponseTemplate::new(202)).await;
    client(&server).block_card(&card()).await.unwrap();
    assert_one(
        &server,
        expected(
            Method::PUT,
            &format!("/cards/v2/persons/{WALLET}/cards/{CARD}/block"),
            None,
            None,
        ),
    )
    .await;
}

#[tokio::test]
async fn e46_a_block_that_fails_in_transit_is_not_sent_again() {
    let server = answering(ResponseTemplate::new(503)).await;
    let error = client(&server).block_card(&card()).await.unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Server), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn e47_unblock_reads_its_four_statuses() {
    for (file, status) in [
        ("spec_e47.json", CardOperationStatus::Ok),
        ("field_table_fail.json", CardOperationStatus::Fail),
        (
            "field_table_confirmation_required.json",
            CardOperationStatus::ConfirmationRequired,
        ),
        (
            "field_table_confirmation_limit_exceed.json",
            CardOperationStatus::ConfirmationLimitExceeded,
        ),
    ] {
        let answer = model_fixture(&format!("e47_card_operation/{file}"));
        let server = answering(json_answer(200, answer)).await;
        let operation = client(&server).unblock_card(&card()).await.unwrap();
        assert_eq!(operation.status, status, "{file}");
        assert_one(
            &server,
            expected(
                Method::PUT,
                &format!("/cards/v2/persons/{WALLET}/cards/{CARD}/unblock"),
                None,
                None,
            ),
        )
        .await;
    }
}

#[tokio::test]
async fn e48_details_send_a_fresh_operation_uuid_and_keep_the_numbers_secret() {
    let server = answering(json_answer(
        200,
        model_fixture("e48_card_details/spec_e48.json"),
    ))
    .await;
    let client = client(&server);
    let details = client.card_details(&card()).await.unwrap();
    assert_eq!(details.expose(), (Some(PAN), Some("111")));
    assert_eq!(
        format!("{details:?}"),
        "CardDetails { status: Ok, pan: Some(\"****3333\"), cvv: Some(\"***\"), error_code: Some(\"0\") }"
    );
    assert_eq!(
        serde_json::to_value(&details).unwrap(),
        json!({"status": "OK", "pan": "****3333", "cvv": "***", "errorCode": "0"})
    );
    client.card_details(&card()).await.unwrap();
    let requests = received(&server).await;
    let mut ids = Vec::new();
    for request in &requests {
        let expected = ExpectedRequest::new(Method::PUT, format!("/cards/v1/cards/{CARD}/details"))
            .header("accept", "application/json")
            .header("authorization", format!("Bearer {}", common::TOKEN))
            .header("content-type", "application/json")
            .any_body();
        common::assert_sent(request, &expected);
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let object = body.as_object().unwrap();
        assert_eq!(object.len(), 1, "{body}");
        let id = object["operationId"].as_str().unwrap().to_owned();
        assert_eq!(id.len(), 36, "{id}");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1], "each request names its own operation");
}

#[tokio::test]
async fn e48_numbers_never_reach_an_error() {
    // An answer that is not understood, and a refusal that echoes the numbers back.
    let malformed = format!(r#"{{"status": "OK", "pan": ["{PAN}"], "cvv": "{CVV}"}}"#);
    let echo = format!("<html>card {PAN} cvv {CVV} not allowed</html>");
    for answer in [
        json_answer(200, malformed),
        ResponseTemplate::new(400).set_body_raw(echo, "text/html"),
    ] {
        let server = answering(answer).await;
        let error = client(&server).card_details(&card()).await.unwrap_err();
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(PAN) && !shown.contains(CVV), "{shown}");
        }
    }
}

#[tokio::test]
async fn e48_numbers_echoed_in_a_json_error_body_never_reach_an_error() {
    // The service's own error shapes, whose message the client otherwise quotes.
    let edge = json!({"serviceName": "cards", "errorCode": "card.details",
        "userMessage": format!("card {PAN}"), "description": format!("cvv {CVV}")});
    let rejected = json!({"code": "QWPRC-1", "message": format!("{PAN}/{CVV}")});
    for (status, body) in [(500, edge), (400, rejected)] {
        let server = answering(json_answer(status, body.to_string())).await;
        let error = client(&server).card_details(&card()).await.unwrap_err();
        assert!(error.refusal().is_some(), "{error:?}");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(PAN) && !shown.contains(CVV), "{shown}");
        }
    }
}

#[tokio::test]
async fn e49_renames_a_card_and_refuses_a_bad_name_before_sending() {
    let server = answering(json_answer(
        200,
        model_fixture("e49_card_rename/spec_e49.json"),
    ))
    .await;
    let client = client(&server);
    let result = client.rename_card(&card(), "Покупки").await.unwrap();
    assert_eq!(result.status, CardOperationStatus::Ok);
    for bad in [
        "",
        "  ",
        "a\nb",
        &"ж".repeat(qiwi_wallet::MAX_CARD_NAME_CHARS + 1),
    ] {
        let error = client.rename_card(&card(), bad).await.unwrap_err();
        assert!(
            matches!(error, Error::NotSent(NotSentError::InvalidInput(_))),
            "{bad:?}: {error}"
        );
    }
    assert_one(
        &server,
        expected(
            Method::PUT,
            &format!("/cards/v1/cards/{CARD}/alias"),
            None,
            Some(json!({"alias": "Покупки"})),
        ),
    )
    .await;
}

#[tokio::test]
async fn a_403_on_a_card_call_names_the_card_management_permission() {
    let server = answering(json_answer(403, "{}")).await;
    let error = client(&server).cards().await.unwrap_err();
    let Some(RefusalKind::Permission { .. }) = error.kind() else {
        panic!("{error}");
    };
    let refusal = error.refusal().unwrap();
    assert_eq!(refusal.detail.endpoint, "E44");
    assert!(refusal.detail.scopes.contains(&TokenScope::VirtualCards));
    assert!(
        error.to_string().contains(TokenScope::VirtualCards.label()),
        "{error}"
    );
}

#[tokio::test]
async fn a_card_number_echoed_in_the_error_of_another_card_call_never_reaches_it() {
    // A server that echoes the card, whole or in groups, in a refusal or an unreadable answer.
    let grouped = format!(
        "{} {} {} {}",
        &PAN[..4],
        &PAN[4..8],
        &PAN[8..12],
        &PAN[12..]
    );
    let dashed = grouped.replace(' ', "-");
    let edge = json!({"serviceName": "cards", "errorCode": "card.blocked",
        "userMessage": format!("card {grouped} is blocked"), "description": format!("{dashed}")});
    let listed = json!([{"qvx": {"id": CARD, "fullPan": PAN}}]);
    for (status, body) in [
        (500, listed.to_string()),
        (400, edge.to_string()),
        (200, format!("<html>{PAN}")),
    ] {
        let server = answering(json_answer(status, body)).await;
        let client = client(&server);
        let mut errors = vec![
            client.cards().await.unwrap_err(),
            client.unblock_card(&card()).await.unwrap_err(),
            client.rename_card(&card(), "Покупки").await.unwrap_err(),
            client.order_card(CardAlias::Prepaid).await.unwrap_err(),
            client
                .submit_card_order(&CardOrderId::new(ORDER).unwrap())
                .await
                .unwrap_err(),
        ];
        if status != 200 {
            errors.push(client.block_card(&card()).await.unwrap_err());
        }
        for error in errors {
            for shown in [error.to_string(), format!("{error:?}")] {
                for form in [PAN, grouped.as_str(), dashed.as_str()] {
                    assert!(!shown.contains(form), "{status}: {shown}");
                }
            }
        }
    }
}
