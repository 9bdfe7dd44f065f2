//! `qiwi wallet pay` against a loopback server whose `200` answer describes another payment
//! (a misrouted or cached answer; the sandbox never sends one): the payment is looked up in
//! the history like a lost answer, never reported paid from that other payment's status, and
//! sent once.

use crate::program;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "150217833198900";
const WALLET: &str = "79111234567";
const PAY: &str = "/sinap/api/v2/terms/99/payments";
const HISTORY: &str = "/payment-history/v2/persons/79111234567/payments";

/// A server that quotes the payment, answers it with the PaymentInfo of payment `…901`
/// (transaction 22, whose status is `SUCCESS`) and answers the history with `history`.
async fn misrouting_server(history: ResponseTemplate) -> MockServer {
    answering_server(
        "150217833198901",
        json!({"amount": 10.5, "currency": "643"}),
        history,
    )
    .await
}

/// As [`misrouting_server`], the PaymentInfo naming payment `id` and `sum`.
async fn answering_server(id: &str, sum: Value, history: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let money = |amount: f64| json!({"amount": amount, "currency": "643"});
    let quote = json!({"providerId": 99, "withdrawSum": money(10.5), "enrollmentSum": money(10.5),
        "qwCommission": money(0.0), "fundingSourceCommission": money(0.0),
        "withdrawToEnrollmentRate": 1});
    let other = json!({"id": id, "terms": "99", "fields": {"account": "79121238345"},
        "sum": sum, "source": "account_643",
        "transaction": {"id": "22", "state": {"code": "Accepted"}}});
    let success = json!({"txnId": 22, "personId": 79111234567_u64, "date": "2026-12-07T12:00:00+03:00",
        "errorCode": 0, "error": null, "status": "SUCCESS", "type": "OUT", "statusText": "",
        "trmTxnId": "150217833198901", "account": "+79121238345",
        "sum": {"amount": 10.5, "currency": 643}, "commission": {"amount": 0, "currency": 643},
        "total": {"amount": 10.5, "currency": 643}, "comment": "", "currencyRate": 1});
    let answers = [
        (
            "POST",
            "/sinap/providers/99/onlineCommission",
            ResponseTemplate::new(200).set_body_json(quote),
        ),
        ("POST", PAY, ResponseTemplate::new(200).set_body_json(other)),
        (
            "GET",
            "/payment-history/v2/transactions/22",
            ResponseTemplate::new(200).set_body_json(success),
        ),
        ("GET", HISTORY, history),
    ];
    for (verb, route, answer) in answers {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    server
}

/// The report of `qiwi --json wallet pay wallet` of 10.50 RUB under `ID`, followed, with the
/// exit code and how many times the payment was sent.
async fn pay(server: &MockServer) -> (Option<i32>, Value, usize) {
    let env = vec![
        ("QIWI_BASE_URL", server.uri()),
        ("QIWI_TOKEN", "t0ken-for-the-test".to_owned()),
        ("QIWI_WALLET", WALLET.to_owned()),
    ];
    let args = [
        "--json",
        "wallet",
        "pay",
        "wallet",
        "79121238345",
        "--amount",
        "10.50",
        "--id",
        ID,
        "--yes",
        "--interval",
        "1",
        "--wait",
        "5",
    ];
    let output = program::qiwi_async(&args, &env).await;
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", program::stderr(&output)));
    let requests = server.received_requests().await.unwrap_or_default();
    let sent = requests.iter().filter(|r| r.url.path() == PAY).count();
    (output.status.code(), report, sent)
}

#[tokio::test(flavor = "multi_thread")]
async fn another_payments_answer_is_looked_up_and_exits_8_or_7_never_0() {
    // The history cannot be read: unknown, exit 8.
    let server = misrouting_server(ResponseTemplate::new(500)).await;
    let (code, report, sent) = pay(&server).await;
    assert_eq!(code, Some(8), "{report}");
    assert_eq!(
        (report["outcome"].as_str(), report["result"].as_str()),
        (Some("unknown"), Some("unknown")),
        "{report}"
    );
    assert_eq!(report["money_moved"], Value::Null);
    assert_eq!(
        report["transaction"],
        Value::Null,
        "not the other payment's"
    );
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("another payment"), "{message}");
    assert_eq!(sent, 1);

    // The history, read past the payment's time, does not list it: not made, exit 7.
    let empty = json!({"data": []});
    let server = misrouting_server(ResponseTemplate::new(200).set_body_json(empty)).await;
    let (code, report, sent) = pay(&server).await;
    assert_eq!(code, Some(7), "{report}");
    assert_eq!(
        (report["outcome"].as_str(), report["result"].as_str()),
        (Some("not_paid"), Some("not_found")),
        "{report}"
    );
    assert_eq!(sent, 1);
}

/// An answer that echoes this payment's id with another `sum` shows the service took the id:
/// a history that does not list it (yet) leaves the fate unknown, exit 8, never 7 (which would
/// invite sending the money again under a new id).
#[tokio::test(flavor = "multi_thread")]
async fn an_answer_echoing_the_id_with_another_sum_exits_8_when_the_history_lacks_it() {
    for sum in [
        json!({"amount": 10.5, "currency": "398"}),
        json!({"amount": 10.49, "currency": "643"}),
    ] {
        let empty = json!({"data": []});
        let server = answering_server(
            ID,
            sum.clone(),
            ResponseTemplate::new(200).set_body_json(empty),
        )
        .await;
        let (code, report, sent) = pay(&server).await;
        assert_eq!(code, Some(8), "{sum}: {report}");
        assert_eq!(report["outcome"].as_str(), Some("unknown"), "{report}");
        assert_eq!(sent, 1);
    }
}
