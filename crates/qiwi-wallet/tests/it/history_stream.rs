//! The history as a stream: it follows the cursor to the end, yields each payment once, resumes
//! from a checkpoint, and stops on a `423` after the limiter's wait.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{client, received};
use futures_util::StreamExt;
use qiwi_transport::test_util::{Advance, Reply, ScriptedTransport, tick_advance_time_and_sleep};
use qiwi_transport::time::{Sleep, TokioSleep};
use qiwi_wallet::{
    Error, HistoryCheckpoint, HistoryFilter, HistoryLimiter, HistoryStream, SecretString,
    WalletClient,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAYMENTS: &str = "/payment-history/v2/persons/79111234567/payments";

fn item(txn: u64, kind: &str) -> Value {
    json!({"txnId": txn, "personId": 79111234567_u64, "date": format!("2024-01-{:02}T10:00:00+03:00", txn % 28 + 1),
        "errorCode": 0, "error": null, "type": kind, "status": "SUCCESS",
        "sum": {"amount": "1.10", "currency": 643}})
}

fn page(items: Vec<Value>, next: Option<u64>) -> Value {
    match next {
        Some(id) => {
            json!({"data": items, "nextTxnId": id, "nextTxnDate": format!("2024-01-{:02}T10:00:00+03:00", id % 28 + 1)})
        }
        None => json!({"data": items}),
    }
}

/// A history of three pages: the second repeats the first's boundary payment and holds a
/// conversion (one id, `IN` and `OUT`); the third has no cursor.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PAYMENTS))
        .respond_with(|request: &wiremock::Request| {
            let cursor = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "nextTxnId")
                .map(|(_, v)| v.into_owned());
            let body = match cursor.as_deref() {
                None => page(vec![item(5, "OUT"), item(4, "OUT")], Some(4)),
                Some("4") => page(vec![item(4, "OUT"), item(3, "IN"), item(3, "OUT")], Some(3)),
                Some("3") => page(vec![item(2, "IN"), item(1, "IN")], None),
                Some(other) => panic!("no page after {other}"),
            };
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    server
}

async fn keys(stream: HistoryStream) -> Vec<String> {
    stream
        .map(|item| {
            let item = item.unwrap();
            format!("{} {}", item.txn_id, item.kind)
        })
        .collect()
        .await
}

const ALL: [&str; 6] = ["5 OUT", "4 OUT", "3 IN", "3 OUT", "2 IN", "1 IN"];

#[tokio::test]
async fn a_history_of_several_pages_ends_exactly_and_a_repeated_boundary_item_comes_once() {
    let server = three_pages().await;
    let stream = client(&server).history(3, HistoryFilter::default());
    assert_eq!(keys(stream).await, ALL);
    assert_eq!(received(&server).await.len(), 3, "one request per page");
}

#[tokio::test]
async fn pages_are_fetched_one_ahead_at_most() {
    let server = three_pages().await;
    let mut stream = client(&server).history(3, HistoryFilter::default());
    stream.next().await.unwrap().unwrap();
    // Time for a request started too early to arrive.
    TokioSleep.sleep(Duration::from_millis(100)).await;
    let asked: Vec<_> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert!(asked.len() <= 2, "{asked:?}");
    assert!(
        asked.iter().all(|q| !q.contains("nextTxnId=3")),
        "{asked:?}"
    );
}

#[tokio::test]
async fn a_stream_resumes_from_a_saved_checkpoint_where_it_stopped() {
    let server = three_pages().await;
    let client = client(&server);
    let mut stream = client.history(3, HistoryFilter::default());
    let mut seen = Vec::new();
    for _ in 0..3 {
        let item = stream.next().await.unwrap().unwrap();
        seen.push(format!("{} {}", item.txn_id, item.kind));
    }
    let saved = serde_json::to_string(&stream.checkpoint()).unwrap();
    drop(stream);
    let checkpoint: HistoryCheckpoint = serde_json::from_str(&saved).unwrap();
    seen.extend(keys(client.history_from(3, HistoryFilter::default(), checkpoint)).await);
    assert_eq!(seen, ALL);
}

#[tokio::test]
async fn an_empty_page_or_no_payments_match_ends_the_stream_without_an_error() {
    for (second, label) in [
        (
            ResponseTemplate::new(200).set_body_json(page(vec![], Some(9))),
            "empty page",
        ),
        (
            ResponseTemplate::new(404).set_body_json(
                json!({"errorCode": "payment.not.found", "userMessage": "no payments"}),
            ),
            "404",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(PAYMENTS))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(page(vec![item(5, "IN")], Some(5))),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(PAYMENTS))
            .respond_with(second)
            .mount(&server)
            .await;
        let stream = client(&server).history(1, HistoryFilter::default());
        assert_eq!(keys(stream).await, ["5 IN"], "{label}");
        assert_eq!(received(&server).await.len(), 2, "{label}");
    }
}

#[tokio::test]
async fn a_cursor_that_does_not_move_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PAYMENTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(vec![item(5, "IN")], Some(5))))
        .mount(&server)
        .await;
    let stream = client(&server).history(1, HistoryFilter::default());
    assert_eq!(keys(stream).await, ["5 IN"]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_423_mid_stream_comes_after_the_limiters_wait_and_holds_later_calls() {
    let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
    let body = |value: Value| Reply::json(value.to_string());
    let transport = ScriptedTransport::new([
        body(page(vec![item(5, "IN")], Some(5))),
        body(page(vec![item(4, "IN")], Some(4))),
        Reply::status(423, "").with_header("retry-after", "300"),
        body(page(vec![item(3, "IN")], None)),
    ]);
    let client = WalletClient::builder()
        .token(SecretString::from("token-for-the-stream"))
        .wallet("79111234567".parse().unwrap())
        .transport(Arc::new(transport.clone()))
        .time_source(Arc::new(time))
        .sleep(Arc::new(sleep.clone()))
        .history_limiter(Some(HistoryLimiter::new(2, Duration::from_secs(60))))
        .build()
        .unwrap();

    let results: Vec<Result<_, Error>> =
        client.history(1, HistoryFilter::default()).collect().await;
    assert_eq!(
        results.len(),
        3,
        "two payments, then the error, then the end"
    );
    assert!(results[0].is_ok() && results[1].is_ok());
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(300)),
        "{error}"
    );
    assert_eq!(transport.count(), 3, "the server saw three requests");
    assert_eq!(
        sleep.sleeps(),
        [Duration::from_secs(60)],
        "the third waited for the window"
    );

    let later = client
        .history_page(1, &HistoryFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(later.data.len(), 1);
    assert_eq!(
        sleep.sleeps(),
        [Duration::from_secs(60), Duration::from_secs(300)],
        "held for the announced wait"
    );
    assert_eq!(transport.count(), 4);
}

#[tokio::test]
async fn resuming_after_the_last_payment_of_a_page_does_not_yield_its_repeat() {
    let server = three_pages().await;
    let client = client(&server);
    let mut stream = client.history(3, HistoryFilter::default());
    for _ in 0..2 {
        stream.next().await.unwrap().unwrap();
    }
    let checkpoint = stream.checkpoint();
    drop(stream);
    let rest = keys(client.history_from(3, HistoryFilter::default(), checkpoint)).await;
    assert_eq!(rest, ALL[2..]);
}

#[tokio::test]
async fn a_stream_runs_in_a_task_of_its_own() {
    let server = three_pages().await;
    let stream = client(&server).history(3, HistoryFilter::default());
    let collected = tokio::spawn(keys(stream)).await.unwrap();
    assert_eq!(collected, ALL);
}

/// What a stream over a hostile history yields, its items as keys and an error as `error`,
/// read to its end but never past 50 entries or 5 seconds (a stream that loops fails here).
async fn ending(stream: HistoryStream) -> Vec<String> {
    let read = stream
        .take(50)
        .map(|item| match item {
            Ok(item) => format!("{} {}", item.txn_id, item.kind),
            Err(Error::Decode(e)) => {
                assert_eq!(e.path, "nextTxnDate", "{e}");
                "error".to_owned()
            }
            Err(other) => panic!("{other}"),
        })
        .collect::<Vec<_>>();
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("the stream ends")
}

/// The page of a history after a `nextTxnId`, or the first.
type Pages = fn(Option<u64>) -> Value;

/// A history whose page after `nextTxnId` is `pages(nextTxnId)`.
async fn history_of(pages: Pages) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PAYMENTS))
        .respond_with(move |request: &wiremock::Request| {
            let cursor = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "nextTxnId")
                .map(|(_, v)| v.parse().unwrap());
            ResponseTemplate::new(200).set_body_json(pages(cursor))
        })
        .mount(&server)
        .await;
    server
}

fn at(items: Vec<Value>, next: u64, date: &str) -> Value {
    json!({"data": items, "nextTxnId": next, "nextTxnDate": date})
}

const NOON: &str = "2024-01-05T12:00:00+03:00";

#[tokio::test]
async fn a_cursor_that_goes_back_or_cannot_be_read_ends_the_stream_with_an_error() {
    let cases: [(Pages, &[&str]); 3] = [
        // The second page's cursor is newer than the first's.
        (
            |cursor| match cursor {
                None => at(vec![item(5, "IN"), item(4, "IN")], 4, NOON),
                _ => at(
                    vec![item(3, "IN"), item(2, "IN")],
                    2,
                    "2024-01-09T12:00:00+03:00",
                ),
            },
            &["5 IN", "4 IN", "3 IN", "2 IN", "error"],
        ),
        // Two pages of one instant point at each other.
        (
            |cursor| match cursor {
                None | Some(6) => at(vec![item(9, "IN"), item(8, "IN")], 8, NOON),
                _ => at(vec![item(7, "IN"), item(6, "IN")], 6, NOON),
            },
            &["9 IN", "8 IN", "7 IN", "6 IN", "9 IN", "8 IN", "error"],
        ),
        // A date that is no time: whether the cursor moves back cannot be told.
        (
            |_| at(vec![item(5, "IN"), item(4, "IN")], 4, "yesterday"),
            &["5 IN", "4 IN", "error"],
        ),
    ];
    for (pages, expected) in cases {
        let server = history_of(pages).await;
        let stream = client(&server).history(2, HistoryFilter::default());
        assert_eq!(ending(stream).await, expected);
    }
}

#[tokio::test]
async fn the_same_page_under_a_moving_cursor_ends_the_stream_with_an_error() {
    // Every answer is the same two payments; only the cursor's id moves.
    let server = history_of(|cursor| {
        at(
            vec![item(5, "IN"), item(4, "IN")],
            cursor.unwrap_or(100) + 1,
            NOON,
        )
    })
    .await;
    let stream = client(&server).history(2, HistoryFilter::default());
    assert_eq!(ending(stream).await, ["5 IN", "4 IN", "error"]);
    assert_eq!(received(&server).await.len(), 2);
}
