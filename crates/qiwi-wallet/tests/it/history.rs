//! Payment history (E14 to E18) on the wire: every request exactly as the reference documents
//! it, arguments refused before sending, and the answers each call turns into.

use crate::common;

use std::sync::Arc;

use common::{assert_sent, builder, client, expected, model_fixture, received};
use qiwi_transport::{Method, RefusalKind};
use qiwi_wallet::transport::ReqwestTransport;
use qiwi_wallet::{
    Error, ErrorCode, HistoryFilter, HistoryOperation, HistorySource, HistoryWindow, ReceiptFormat,
    TransactionId, TransactionStatus, TransactionType,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAYMENTS: &str = "/payment-history/v2/persons/79111234567/payments";

async fn serve(server: &MockServer, verb: &str, at: &str, answer: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(answer)
        .mount(server)
        .await;
}

fn json_answer(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn id(text: &str) -> TransactionId {
    text.parse().unwrap()
}

#[tokio::test]
async fn e14_sends_rows_operation_indexed_sources_the_window_in_its_offset_and_the_cursor() {
    let server = MockServer::start().await;
    let page = model_fixture("e14_history_page/spec_e14.json");
    serve(&server, "GET", PAYMENTS, json_answer(page)).await;
    let client = client(&server);
    let filter = HistoryFilter::default()
        .operation(HistoryOperation::In)
        .source(HistorySource::QwRub)
        .source(HistorySource::Card)
        .window(
            HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-01-31T23:59:59+03:00").unwrap(),
        );

    let first = client.history_page(50, &filter, None).await.unwrap();
    let item = &first.data[0];
    assert_eq!(item.txn_id.as_str(), "9309");
    assert_eq!(item.error_code, ErrorCode::Ok);
    assert_eq!(item.total.as_ref().unwrap().amount.to_string(), "70");
    let cursor = first.cursor().unwrap();
    client
        .history_page(5, &filter, Some(&cursor))
        .await
        .unwrap();
    let west = HistoryFilter::default().window(
        HistoryWindow::parse("2017-01-01T00:00:00-05:30", "2017-01-02T00:00:00-05:30").unwrap(),
    );
    client.history_page(1, &west, None).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let window =
        "startDate=2017-01-01T00%3A00%3A00%2B03%3A00&endDate=2017-01-31T23%3A59%3A59%2B03%3A00";
    let filter_query = format!("operation=IN&sources%5B0%5D=QW_RUB&sources%5B1%5D=CARD&{window}");
    for (request, query) in [
        (&requests[0], format!("rows=50&{filter_query}")),
        (
            &requests[1],
            format!(
                "rows=5&{filter_query}&nextTxnId=9001&nextTxnDate=2017-01-31T15%3A24%3A10%2B03%3A00"
            ),
        ),
        (
            &requests[2],
            "rows=1&startDate=2017-01-01T00%3A00%3A00-05%3A30&endDate=2017-01-02T00%3A00%3A00-05%3A30"
                .to_owned(),
        ),
    ] {
        assert_sent(request, &expected(Method::GET, PAYMENTS, Some(&query), None));
    }
}

#[tokio::test]
async fn the_cursor_date_goes_back_exactly_as_the_server_wrote_it() {
    let server = MockServer::start().await;
    let page = json!({"data": [{"txnId": 1, "personId": 79111234567_u64, "date": "2017-01-21T11:41:07+03:00",
        "errorCode": 0, "type": "IN", "status": "SUCCESS"}],
        "nextTxnId": 77, "nextTxnDate": "2017-01-31T12:24:10.5Z"});
    serve(&server, "GET", PAYMENTS, json_answer(page.to_string())).await;
    let client = client(&server);
    let first = client
        .history_page(1, &HistoryFilter::default(), None)
        .await
        .unwrap();
    client
        .history_page(1, &HistoryFilter::default(), first.cursor().as_ref())
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        requests[1].url.query(),
        Some("rows=1&nextTxnId=77&nextTxnDate=2017-01-31T12%3A24%3A10.5Z")
    );
}

#[tokio::test]
async fn bad_arguments_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let filter = HistoryFilter::default();
    for rows in [0, 51] {
        let error = client.history_page(rows, &filter, None).await.unwrap_err();
        assert!(matches!(error, Error::NotSent(_)), "{error}");
        assert!(error.to_string().contains("1 to 50"), "{error}");
    }
    let error = client.history_totals(&filter).await.unwrap_err();
    assert!(error.to_string().contains("date window"), "{error}");
    let blank = HistoryFilter::default().source(HistorySource::from(" "));
    assert!(client.history_page(10, &blank, None).await.is_err());
    for email in ["", "nobody", "a b@example.com", "@example.com"] {
        let error = client
            .send_receipt(&id("1"), &TransactionType::Out, email)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::NotSent(_)), "{email}: {error}");
    }
    // A window longer than 90 days, or with two offsets, cannot even be built.
    assert!(
        HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-04-01T00:00:01+03:00").is_err()
    );
    assert!(
        HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-01-02T00:00:00+00:00").is_err()
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn e15_totals_send_the_window_operation_and_sources() {
    let server = MockServer::start().await;
    let at = "/payment-history/v2/persons/79111234567/payments/total";
    serve(
        &server,
        "GET",
        at,
        json_answer(model_fixture("e15_totals/spec_e15.json")),
    )
    .await;
    let filter = HistoryFilter::default()
        .operation(HistoryOperation::Out)
        .source(HistorySource::QwUsd)
        .window(
            HistoryWindow::parse("2017-01-01T00:00:00+03:00", "2017-03-31T00:00:00+03:00").unwrap(),
        );
    let totals = client(&server).history_totals(&filter).await.unwrap();
    assert_eq!(totals.outgoing_total[0].amount.to_string(), "3497.5");
    let requests = received(&server).await;
    let query = "operation=OUT&sources%5B0%5D=QW_USD&startDate=2017-01-01T00%3A00%3A00%2B03%3A00&endDate=2017-03-31T00%3A00%3A00%2B03%3A00";
    assert_sent(&requests[0], &expected(Method::GET, at, Some(query), None));
}

#[tokio::test]
async fn e16_asks_v2_with_the_type_and_reads_the_extra_members() {
    let server = MockServer::start().await;
    let at = "/payment-history/v2/transactions/11233344692";
    let body = model_fixture("e16_transaction/spec_e16.json");
    serve(&server, "GET", at, json_answer(body)).await;
    let client = client(&server);
    let transaction = client
        .transaction(&id("11233344692"), Some(&TransactionType::Out))
        .await
        .unwrap();
    assert_eq!(transaction.item.status, TransactionStatus::Waiting);
    assert_eq!(transaction.features.unwrap().cheque_ready, Some(false));
    client.transaction(&id("11233344692"), None).await.unwrap();
    let requests = received(&server).await;
    for (request, query) in [(&requests[0], Some("type=OUT")), (&requests[1], None)] {
        assert_sent(request, &expected(Method::GET, at, query, None));
    }
}

#[tokio::test]
async fn e17_asks_v1_with_type_and_format_and_returns_the_bytes_undecoded() {
    let server = MockServer::start().await;
    let at = "/payment-history/v1/transactions/11233344692/cheque/file";
    let pdf = b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n%%EOF\n".to_vec();
    serve(
        &server,
        "GET",
        at,
        ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"),
    )
    .await;
    let client = client(&server);
    let receipt = client
        .receipt(
            &id("11233344692"),
            &TransactionType::Out,
            ReceiptFormat::Pdf,
        )
        .await
        .unwrap();
    assert_eq!(receipt.bytes.as_ref(), pdf.as_slice());
    assert_eq!(receipt.content_type.as_deref(), Some("application/pdf"));
    client
        .receipt(
            &id("11233344692"),
            &TransactionType::In,
            ReceiptFormat::Jpeg,
        )
        .await
        .unwrap();
    let requests = received(&server).await;
    for (request, query) in [
        (&requests[0], "type=OUT&format=PDF"),
        (&requests[1], "type=IN&format=JPEG"),
    ] {
        assert_sent(request, &expected(Method::GET, at, Some(query), None));
    }
}

#[tokio::test]
async fn a_receipt_over_the_size_limit_is_a_clear_error() {
    let server = MockServer::start().await;
    let at = "/payment-history/v1/transactions/5/cheque/file";
    let big = vec![b'x'; 64 * 1024];
    serve(
        &server,
        "GET",
        at,
        ResponseTemplate::new(200).set_body_raw(big, "image/jpeg"),
    )
    .await;
    let transport = ReqwestTransport::builder()
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    let client = builder(&server)
        .transport(Arc::new(transport))
        .build()
        .unwrap();
    let error = client
        .receipt(&id("5"), &TransactionType::Out, ReceiptFormat::Jpeg)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Transport(_)), "{text}");
    assert!(text.contains("size limit of 16384 bytes"), "{text}");
}

#[tokio::test]
async fn e18_posts_the_address_to_v1_and_is_never_resent() {
    let server = MockServer::start().await;
    let at = "/payment-history/v1/transactions/11233344692/cheque/send";
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(201))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, "POST", at, ResponseTemplate::new(503)).await;
    let client = client(&server);
    client
        .send_receipt(&id("11233344692"), &TransactionType::Out, "my@example.com")
        .await
        .unwrap();
    let error = client
        .send_receipt(&id("11233344692"), &TransactionType::Out, "my@example.com")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Server), "{error}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "the failed send was not resent");
    assert_sent(
        &requests[0],
        &expected(
            Method::POST,
            at,
            Some("type=OUT"),
            Some(json!({"email": "my@example.com"})),
        ),
    );
}

#[tokio::test]
async fn no_payments_match_is_an_empty_page_but_a_foreign_404_is_an_error() {
    let server = MockServer::start().await;
    let qiwi_404 = json!({"serviceName": "payment-history", "errorCode": "payment.not.found",
        "userMessage": "Нет платежей", "dateTime": "2018-08-21T12:13:34.514+03:00", "traceId": "t"});
    serve(
        &server,
        "GET",
        PAYMENTS,
        ResponseTemplate::new(404).set_body_raw(qiwi_404.to_string(), "application/json"),
    )
    .await;
    let client = client(&server);
    let page = client
        .history_page(10, &HistoryFilter::default(), None)
        .await
        .unwrap();
    assert!(page.data.is_empty() && page.cursor().is_none());

    let elsewhere = MockServer::start().await;
    serve(
        &elsewhere,
        "GET",
        PAYMENTS,
        ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"),
    )
    .await;
    let error = common::client(&elsewhere)
        .history_page(10, &HistoryFilter::default(), None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("check the base URL"), "{error}");
}

#[tokio::test]
async fn a_423_is_the_typed_rate_limit_error_with_the_announced_wait() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        PAYMENTS,
        ResponseTemplate::new(423).insert_header("Retry-After", "120"),
    )
    .await;
    let error = client(&server)
        .history_page(10, &HistoryFilter::default(), None)
        .await
        .unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_secs(120))
    );
    assert_eq!(received(&server).await.len(), 1, "a 423 is not retried");
}
