//! A payment is sent once and its fate read with the fate table; a lost answer is looked up in
//! the history by the payment's id; an accepted payment is followed to its final status.

use crate::common;

use std::time::Duration;

use common::{builder, client, expected, model_fixture, received};
use http::Method;
use qiwi_transport::time::{SystemTimeSource, TimeSource};
use qiwi_types::wallet::RejectionMeaning;
use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
use qiwi_wallet::{
    Accepted, ConfirmOptions, Confirmed, Error, FateLookup, NotMoved, PaymentOutcome, Timeouts,
    WalletClient,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "150217833198900";
const PAY: &str = "/sinap/api/v2/terms/99/payments";
const HISTORY: &str = "/payment-history/v2/persons/79111234567/payments";

fn transfer() -> Payment {
    Payment::new(
        PaymentId::parse(ID).unwrap(),
        Recipient::wallet("79121238345".parse().unwrap(), Some("My comment")),
        PayoutAmount::parse("100").unwrap(),
    )
    .unwrap()
}

/// No wait before the history is read.
fn quick() -> FateLookup {
    FateLookup {
        wait: Duration::ZERO,
        ..FateLookup::default()
    }
}

/// A status read every 10 ms for at most 5 s, a lost answer looked up at once.
fn following() -> ConfirmOptions {
    ConfirmOptions {
        interval: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        lookup: quick(),
    }
}

fn json_answer(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

async fn answer_payment(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(PAY))
        .respond_with(answer)
        .mount(server)
        .await;
}

async fn answer_history(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(HISTORY))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// An outgoing history record of the client id `trm`.
fn record(txn: u64, trm: &str, status: &str, date: &str) -> Value {
    json!({"txnId": txn, "personId": 79111234567_u64, "date": date, "errorCode": 0, "error": null,
        "status": status, "type": "OUT", "statusText": "", "trmTxnId": trm, "account": "+79121238345",
        "sum": {"amount": 100, "currency": 643}, "commission": {"amount": 0, "currency": 643},
        "total": {"amount": 100, "currency": 643}, "comment": "My comment", "currencyRate": 1})
}

/// Now (by the client's default clock), as the history writes it, in Moscow time.
fn now_text() -> String {
    let wall = SystemTimeSource.wall();
    let now = jiff::Timestamp::try_from(wall)
        .unwrap()
        .to_zoned_datetime(jiff::tz::offset(3).to_time_zone());
    now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The requests the server received, as `METHOD path`.
async fn calls(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

#[tokio::test]
async fn an_accepted_payment_is_sent_once_with_the_documented_request() {
    let server = MockServer::start().await;
    let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
    answer_payment(&server, json_answer(200, info)).await;
    let outcome = client(&server).pay_with(&transfer(), quick()).await;
    let PaymentOutcome::Accepted(accepted @ Accepted::Answer(_)) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(accepted.transaction_id().unwrap().as_str(), "11155897070");
    let want = expected(
        Method::POST,
        PAY,
        None,
        Some(json!({"id": ID, "sum": {"amount": 100, "currency": "643"},
            "paymentMethod": {"type": "Account", "accountId": "643"},
            "fields": {"account": "+79121238345"}, "comment": "My comment"})),
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    common::assert_sent(&requests[0], &want);
}

#[tokio::test]
async fn a_rejection_keeps_its_code_and_meaning_and_reads_no_history() {
    let server = MockServer::start().await;
    let body = r#"{"code": "QWPRC-220", "message": "Недостаточно средств"}"#;
    answer_payment(&server, json_answer(400, body)).await;
    let outcome = client(&server).pay_with(&transfer(), quick()).await;
    let PaymentOutcome::NotMoved(NotMoved::Refused { rejection, .. }) = outcome else {
        panic!("{outcome:?}");
    };
    let rejection = rejection.unwrap();
    assert_eq!(rejection.code.as_str(), "QWPRC-220");
    assert_eq!(rejection.meaning(), RejectionMeaning::InsufficientFunds);
    assert_eq!(calls(&server).await, [format!("POST {PAY}")]);
}

#[tokio::test]
async fn an_authentication_refusal_did_not_move_the_money() {
    let server = MockServer::start().await;
    answer_payment(&server, ResponseTemplate::new(401)).await;
    let outcome = client(&server).pay_with(&transfer(), quick()).await;
    assert!(
        matches!(
            outcome,
            PaymentOutcome::NotMoved(NotMoved::Refused {
                rejection: None,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(calls(&server).await.len(), 1);
}

#[tokio::test]
async fn a_server_error_is_looked_up_and_the_history_says_accepted() {
    let server = MockServer::start().await;
    answer_payment(&server, ResponseTemplate::new(502)).await;
    let page = json!({"data": [record(11155897071, "999", "SUCCESS", &now_text()),
        record(11155897070, ID, "WAITING", &now_text())]});
    answer_history(&server, json_answer(200, page.to_string())).await;
    let outcome = client(&server).pay_with(&transfer(), quick()).await;
    let PaymentOutcome::Accepted(accepted @ Accepted::History(_)) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(accepted.transaction_id().unwrap().as_str(), "11155897070");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2, "the payment once, never resent; one page");
    assert_eq!(sent[1].url.query(), Some("rows=50&operation=OUT"));
}

#[tokio::test]
async fn a_timeout_after_sending_with_no_record_since_is_not_found_and_safe_to_resend() {
    let server = MockServer::start().await;
    let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
    let slow = json_answer(200, info).set_delay(Duration::from_secs(2));
    answer_payment(&server, slow).await;
    // The newest outgoing payment is older than the request: the history was read past it.
    let page = json!({"data": [record(1, "7", "SUCCESS", "2017-08-30T14:38:09+03:00")],
        "nextTxnId": 2, "nextTxnDate": "2017-08-29T14:38:09+03:00"});
    answer_history(&server, json_answer(200, page.to_string())).await;
    let client = builder(&server)
        .timeouts(Timeouts {
            attempt: Duration::from_millis(200),
            total: Duration::from_millis(500),
        })
        .build()
        .unwrap();
    let outcome = client.pay_with(&transfer(), quick()).await;
    assert!(
        matches!(outcome, PaymentOutcome::NotMoved(NotMoved::NotFound { .. })),
        "{outcome:?}"
    );
    assert_eq!(
        calls(&server).await,
        [format!("POST {PAY}"), format!("GET {HISTORY}")],
        "a timed-out payment is never sent again"
    );
}

#[tokio::test]
async fn a_locked_answer_with_an_unreadable_history_stays_unknown() {
    let server = MockServer::start().await;
    answer_payment(&server, ResponseTemplate::new(423)).await;
    answer_history(&server, ResponseTemplate::new(500)).await;
    let outcome = client(&server).pay_with(&transfer(), quick()).await;
    let PaymentOutcome::Unknown(unknown) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(unknown.lookup.is_some(), "{unknown:?}");
    assert_eq!(
        calls(&server).await.first().map(String::as_str),
        Some(format!("POST {PAY}").as_str())
    );
}

#[tokio::test]
async fn pages_that_run_out_before_the_payment_time_leave_it_unknown() {
    let server = MockServer::start().await;
    answer_payment(&server, ResponseTemplate::new(500)).await;
    let page = json!({"data": [record(5, "8", "SUCCESS", &now_text())],
        "nextTxnId": 4, "nextTxnDate": now_text()});
    answer_history(&server, json_answer(200, page.to_string())).await;
    let lookup = FateLookup {
        pages: 2,
        ..quick()
    };
    let outcome = client(&server).pay_with(&transfer(), lookup).await;
    let PaymentOutcome::Unknown(unknown) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(unknown.lookup.is_none());
    assert_eq!(calls(&server).await.len(), 3, "the payment and two pages");
}

#[tokio::test]
async fn pay_and_confirm_follows_the_transaction_to_success() {
    let server = MockServer::start().await;
    let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
    answer_payment(&server, json_answer(200, info)).await;
    let transaction = "/payment-history/v2/transactions/11155897070";
    let waiting = record(11155897070, ID, "WAITING", &now_text());
    Mock::given(path(transaction))
        .respond_with(json_answer(200, waiting.to_string()))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    let success = record(11155897070, ID, "SUCCESS", &now_text());
    Mock::given(path(transaction))
        .respond_with(json_answer(200, success.to_string()))
        .mount(&server)
        .await;
    let confirmed = client(&server)
        .pay_and_confirm(&transfer(), following())
        .await;
    assert!(matches!(confirmed, Confirmed::Success(_)), "{confirmed:?}");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 4, "the payment, then three status reads");
    assert_eq!(sent[1].url.query(), Some("type=OUT"));
}

#[tokio::test]
async fn pay_and_confirm_stops_waiting_when_the_time_runs_out() {
    let server = MockServer::start().await;
    let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
    answer_payment(&server, json_answer(200, info)).await;
    let waiting = record(11155897070, ID, "WAITING", &now_text());
    Mock::given(path("/payment-history/v2/transactions/11155897070"))
        .respond_with(json_answer(200, waiting.to_string()))
        .mount(&server)
        .await;
    let options = ConfirmOptions {
        interval: Duration::from_millis(20),
        timeout: Duration::from_millis(50),
        lookup: quick(),
    };
    let client: WalletClient = client(&server);
    let confirmed = client.pay_and_confirm(&transfer(), options).await;
    let Confirmed::Pending { last, .. } = confirmed else {
        panic!("{confirmed:?}");
    };
    assert!(last.is_some());
    let reads = received(&server).await.len() - 1;
    assert!(
        (2..=3).contains(&reads),
        "{reads} status reads in 50 ms at 20 ms"
    );
}

/// A token that may pay but not read the history: following the payment stops at the first
/// refused read, as pending, instead of asking again until the time runs out.
#[tokio::test]
async fn pay_and_confirm_stops_at_once_when_the_token_may_not_read_the_status() {
    let server = MockServer::start().await;
    let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
    answer_payment(&server, json_answer(200, info)).await;
    Mock::given(path("/payment-history/v2/transactions/11155897070"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let options = ConfirmOptions {
        interval: Duration::from_millis(10),
        timeout: Duration::from_secs(30),
        lookup: quick(),
    };
    let confirmed = client(&server).pay_and_confirm(&transfer(), options).await;
    let Confirmed::Pending { last, .. } = confirmed else {
        panic!("{confirmed:?}");
    };
    assert!(last.is_none());
    assert_eq!(
        received(&server).await.len(),
        2,
        "the payment, then one status read"
    );
}

/// The wait bounds the whole following: a status read that is slow, or refused with a
/// `Retry-After` far longer than the wait, ends it as pending when the wait runs out, not
/// when the read (and the history limiter) would.
#[tokio::test]
async fn pay_and_confirm_ends_within_the_wait_whatever_the_status_reads_do() {
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(60));
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "99999999");
    for (name, answer) in [("slow", slow), ("throttled", throttled)] {
        let server = MockServer::start().await;
        let info = model_fixture("e22_payment_info/spec_9_0_payment_info.json");
        answer_payment(&server, json_answer(200, info)).await;
        Mock::given(path("/payment-history/v2/transactions/11155897070"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let options = ConfirmOptions {
            interval: Duration::from_millis(100),
            timeout: Duration::from_millis(500),
            lookup: quick(),
        };
        let started = SystemTimeSource.now();
        let confirmed = tokio::time::timeout(
            Duration::from_secs(10),
            client(&server).pay_and_confirm(&transfer(), options),
        )
        .await
        .unwrap_or_else(|_| panic!("{name}: still following after 10 s"));
        let took = SystemTimeSource.now().duration_since(started);
        assert!(
            matches!(confirmed, Confirmed::Pending { .. }),
            "{name}: {confirmed:?}"
        );
        assert!(took < Duration::from_secs(2), "{name}: {took:?}");
    }
}

/// The reference documents the id as a number: a history that lists it as one, without the
/// leading zeros it was sent with, still lists this payment (never "not moved").
#[tokio::test]
async fn a_lost_answer_is_found_under_the_id_written_as_a_number() {
    let server = MockServer::start().await;
    answer_payment(&server, ResponseTemplate::new(502)).await;
    let mut listed = record(11155897070, ID, "WAITING", &now_text());
    listed["trmTxnId"] = json!(150217833198900_u64);
    let page = json!({"data": [listed]});
    answer_history(&server, json_answer(200, page.to_string())).await;
    let zero_led = Payment::new(
        PaymentId::parse(&format!("00{ID}")).unwrap(),
        Recipient::wallet("79121238345".parse().unwrap(), Some("My comment")),
        PayoutAmount::parse("100").unwrap(),
    )
    .unwrap();
    let outcome = client(&server).pay_with(&zero_led, quick()).await;
    assert!(
        matches!(outcome, PaymentOutcome::Accepted(Accepted::History(_))),
        "{outcome:?}"
    );
}

/// A PaymentInfo answer with no `source` and no `comment` (both optional), of transaction 22.
fn answer_of(id: Value, amount: Value, currency: Value) -> String {
    json!({"id": id, "terms": "99", "fields": {"account": "79121238345"},
        "sum": {"amount": amount, "currency": currency},
        "transaction": {"id": "22", "state": {"code": "Accepted"}}})
    .to_string()
}

fn transfer_of(amount: &str) -> Payment {
    Payment::new(
        PaymentId::parse(ID).unwrap(),
        Recipient::wallet("79121238345".parse().unwrap(), None),
        PayoutAmount::parse(amount).unwrap(),
    )
    .unwrap()
}

/// What the history says after the answer: it lists the payment (transaction 11155897070),
/// it was read back past the payment's time without it, or it cannot be read.
#[derive(Debug, Clone, Copy)]
enum Listed {
    Yes,
    No,
    Unreadable,
}

async fn answer_history_with(server: &MockServer, listed: Listed) {
    let answer = match listed {
        Listed::Yes => {
            let page = json!({"data": [record(11155897070, ID, "WAITING", &now_text())]});
            json_answer(200, page.to_string())
        }
        Listed::No => {
            let page = json!({"data": [record(1, "7", "SUCCESS", "2017-08-30T14:38:09+03:00")]});
            json_answer(200, page.to_string())
        }
        Listed::Unreadable => ResponseTemplate::new(500),
    };
    answer_history(server, answer).await;
}

/// A `200` that describes another payment (a misrouted or cached answer) says nothing of this
/// one: its fate is looked up in the history, as after a lost answer, and the payment is never
/// sent again; the answer is kept in the cause, naming the field that differs.
#[tokio::test]
async fn an_answer_describing_another_payment_is_looked_up_in_the_history() {
    let others = [
        (
            "id",
            answer_of(json!("150217833198901"), json!(100), json!("643")),
        ),
        (
            "sum.amount",
            answer_of(json!(ID), json!(100.01), json!("643")),
        ),
        (
            "sum.currency",
            answer_of(json!(ID), json!(100), json!("398")),
        ),
    ];
    for (field, body) in others {
        for listed in [Listed::Yes, Listed::No, Listed::Unreadable] {
            let server = MockServer::start().await;
            answer_payment(&server, json_answer(200, body.clone())).await;
            answer_history_with(&server, listed).await;
            let outcome = client(&server).pay_with(&transfer(), quick()).await;
            let cause = match (listed, outcome) {
                (Listed::Yes, PaymentOutcome::Accepted(accepted @ Accepted::History(_))) => {
                    let id = accepted.transaction_id().unwrap();
                    assert_eq!(id.as_str(), "11155897070", "{field}: the history's");
                    None
                }
                (Listed::No, PaymentOutcome::NotMoved(NotMoved::NotFound { cause }))
                    if field == "id" =>
                {
                    Some(cause)
                }
                // The id echoed shows the service took it: not listed (yet) is not "not moved".
                (Listed::No, PaymentOutcome::Unknown(unknown)) if field != "id" => {
                    assert!(unknown.lookup.is_none(), "{field}: {unknown:?}");
                    Some(unknown.cause)
                }
                (Listed::Unreadable, PaymentOutcome::Unknown(unknown)) => {
                    assert!(unknown.lookup.is_some(), "{field}: {unknown:?}");
                    Some(unknown.cause)
                }
                (listed, outcome) => panic!("{field}, {listed:?}: {outcome:?}"),
            };
            if let Some(cause) = cause {
                let Error::Decode(decode) = &cause else {
                    panic!("{field}: {cause:?}");
                };
                assert_eq!(decode.path, field);
                assert!(cause.to_string().contains("another payment"), "{cause}");
                assert_eq!(decode.body, body.as_bytes(), "{field}: the answer is kept");
            }
            // An unreadable history is read again (reads retry); the payment is not.
            let calls = calls(&server).await;
            assert_eq!(calls[0], format!("POST {PAY}"), "{field}, {listed:?}");
            assert!(
                calls[1..]
                    .iter()
                    .all(|call| *call == format!("GET {HISTORY}")),
                "{field}, {listed:?}: sent once, then the history: {calls:?}"
            );
        }
    }
}

/// The echo is compared by value: the id as a number, the amount as a decimal (`10.5` for
/// `10.50`, a string or a number) and the currency as a code; the optional `source` and
/// `comment` may be missing. Such an answer is this payment's: no history is read.
#[tokio::test]
async fn an_answer_echoing_the_payment_in_other_forms_is_accepted() {
    let answers = [
        answer_of(json!(150217833198900_u64), json!(10.5), json!("643")),
        answer_of(json!(ID), json!("10.50"), json!(643)),
        answer_of(json!(ID), json!("10.500"), json!("RUB")),
    ];
    for body in answers {
        let server = MockServer::start().await;
        answer_payment(&server, json_answer(200, body.clone())).await;
        let outcome = client(&server)
            .pay_with(&transfer_of("10.50"), quick())
            .await;
        let PaymentOutcome::Accepted(accepted @ Accepted::Answer(_)) = outcome else {
            panic!("{body}: {outcome:?}");
        };
        assert_eq!(accepted.transaction_id().unwrap().as_str(), "22");
        assert_eq!(calls(&server).await, [format!("POST {PAY}")], "{body}");
    }
}

/// Sixteen payments at once through one client, behind a server that answers every second
/// one with its neighbour's PaymentInfo (a proxy mixing up answers): each payment is sent
/// once, those answered with their own echo are accepted, and none is accepted on another's.
#[tokio::test]
async fn payments_at_once_answered_with_each_others_echo_are_never_accepted_on_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PAY))
        .respond_with(|r: &wiremock::Request| {
            let sent: Value = serde_json::from_slice(&r.body).unwrap();
            let id: u64 = sent["id"].as_str().unwrap().parse().unwrap();
            let echoed = if id % 2 == 0 { id } else { id + 1 };
            json_answer(
                200,
                answer_of(json!(echoed.to_string()), json!(100), json!("643")),
            )
        })
        .mount(&server)
        .await;
    answer_history_with(&server, Listed::No).await;
    let client = client(&server);
    let outcomes = futures_util::future::join_all((0..16_u64).map(|i| {
        let client = client.clone();
        async move {
            let payment = Payment::new(
                PaymentId::parse(&(1_000 + i).to_string()).unwrap(),
                Recipient::wallet("79121238345".parse().unwrap(), None),
                PayoutAmount::parse("100").unwrap(),
            )
            .unwrap();
            (1_000 + i, client.pay_with(&payment, quick()).await)
        }
    }))
    .await;
    for (id, outcome) in &outcomes {
        match (id % 2, outcome) {
            (0, PaymentOutcome::Accepted(Accepted::Answer(_))) => {}
            (1, PaymentOutcome::NotMoved(NotMoved::NotFound { .. })) => {}
            _ => panic!("{id}: {outcome:?}"),
        }
    }
    let posts = calls(&server)
        .await
        .iter()
        .filter(|call| call.starts_with("POST"))
        .count();
    assert_eq!(posts, 16, "each payment sent once");
}

/// `pay_and_confirm` never follows the transaction of an answer that describes another
/// payment: that payment's `SUCCESS` is not this one's.
#[tokio::test]
async fn pay_and_confirm_does_not_follow_another_payments_answer() {
    let server = MockServer::start().await;
    let other = answer_of(json!("150217833198901"), json!(100), json!("643"));
    answer_payment(&server, json_answer(200, other)).await;
    answer_history_with(&server, Listed::No).await;
    let success = record(22, "150217833198901", "SUCCESS", &now_text());
    Mock::given(path("/payment-history/v2/transactions/22"))
        .respond_with(json_answer(200, success.to_string()))
        .mount(&server)
        .await;
    let confirmed = client(&server)
        .pay_and_confirm(&transfer(), following())
        .await;
    assert!(
        matches!(confirmed, Confirmed::NotMoved(NotMoved::NotFound { .. })),
        "{confirmed:?}"
    );
    assert_eq!(
        calls(&server).await,
        [format!("POST {PAY}"), format!("GET {HISTORY}")]
    );
}
