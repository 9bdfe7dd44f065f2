//! Watching the history: each new payment once, again on a status change, from a saved mark,
//! within the history limiter; and the one event type shared with webhook notifications.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use qiwi_transport::test_util::{
    Advance, Reply, ScriptedTransport, TickAdvanceSleep, tick_advance_time_and_sleep,
};
use qiwi_wallet::webhook::{Verified, WebhookVerifier};
use qiwi_wallet::{
    ErrorCode, EventOrigin, HistoryFilter, HistoryLimiter, PaymentEvent, RefusalKind, SecretString,
    TransactionStatus, WalletClient, WatchMark, WatchStream,
};
use serde_json::{Value, json};

const INTERVAL: Duration = Duration::from_secs(2);

fn item(txn: u64, minute: u32, kind: &str, status: &str) -> Value {
    json!({"txnId": txn, "personId": 79111234567_u64,
        "date": format!("2024-01-10T10:{minute:02}:00+03:00"),
        "errorCode": 0, "error": null, "type": kind, "status": status,
        "sum": {"amount": "1.10", "currency": 643}, "provider": {"id": 7, "shortName": "QIWI"}})
}

fn page(items: Vec<Value>) -> Reply {
    Reply::json(json!({"data": items}).to_string())
}

fn scripted(
    transport: &ScriptedTransport,
    limiter: Option<HistoryLimiter>,
) -> (WalletClient, TickAdvanceSleep) {
    let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
    let client = WalletClient::builder()
        .token(SecretString::from("token-for-the-watch"))
        .wallet("79111234567".parse().unwrap())
        .transport(Arc::new(transport.clone()))
        .time_source(Arc::new(time))
        .sleep(Arc::new(sleep.clone()))
        .history_limiter(limiter)
        .build()
        .unwrap();
    (client, sleep)
}

fn summary(event: &PaymentEvent) -> String {
    let before = match &event.origin {
        EventOrigin::Polling { previous_status } => previous_status
            .as_ref()
            .map_or("new".to_owned(), ToString::to_string),
        other => panic!("not polled: {other:?}"),
    };
    format!("{} {} {before}->{}", event.txn_id, event.kind, event.status)
}

async fn take(stream: &mut WatchStream, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(summary(&stream.next().await.unwrap().unwrap()));
    }
    out
}

#[tokio::test]
async fn each_new_payment_once_and_again_when_its_status_changes() {
    let transport = ScriptedTransport::new([
        // What the history holds when the watch starts: recorded, not reported.
        page(vec![item(1, 0, "IN", "SUCCESS")]),
        page(vec![
            item(2, 5, "IN", "WAITING"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
        page(vec![
            item(2, 5, "IN", "WAITING"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
        page(vec![
            item(3, 7, "OUT", "SUCCESS"),
            item(2, 5, "IN", "SUCCESS"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
    ]);
    let (client, sleep) = scripted(&transport, None);
    let mut watch = client.watch(HistoryFilter::default(), INTERVAL);
    assert_eq!(
        take(&mut watch, 3).await,
        [
            "2 IN new->WAITING",
            "2 IN WAITING->SUCCESS",
            "3 OUT new->SUCCESS"
        ]
    );
    assert_eq!(transport.count(), 4, "one page a poll");
    assert_eq!(sleep.sleeps(), [INTERVAL; 3], "the interval between polls");
    for request in transport.requests() {
        // Always the newest page: the paging cursor is not where a watch resumes.
        assert_eq!(request.url.query(), Some("rows=50"));
    }
}

#[tokio::test]
async fn a_saved_mark_resumes_without_repeats_or_gaps() {
    let transport = ScriptedTransport::new([
        page(vec![item(1, 0, "IN", "SUCCESS")]),
        page(vec![
            item(2, 5, "IN", "WAITING"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
    ]);
    let (client, _) = scripted(&transport, None);
    let mut watch = client.watch(HistoryFilter::default(), INTERVAL);
    assert_eq!(take(&mut watch, 1).await, ["2 IN new->WAITING"]);
    let saved = serde_json::to_string(watch.mark()).unwrap();
    drop(watch);

    // Meanwhile: payment 2 succeeded, 3 came in, and a conversion (one id, IN and OUT).
    let transport = ScriptedTransport::new([page(vec![
        item(4, 9, "OUT", "SUCCESS"),
        item(4, 9, "IN", "SUCCESS"),
        item(3, 7, "IN", "SUCCESS"),
        item(2, 5, "IN", "SUCCESS"),
        item(1, 0, "IN", "SUCCESS"),
    ])]);
    let (client, sleep) = scripted(&transport, None);
    let mark: WatchMark = serde_json::from_str(&saved).unwrap();
    let mut watch = client.watch_from(HistoryFilter::default(), INTERVAL, mark);
    assert_eq!(
        take(&mut watch, 4).await,
        [
            "2 IN WAITING->SUCCESS",
            "3 IN new->SUCCESS",
            "4 IN new->SUCCESS",
            "4 OUT new->SUCCESS"
        ]
    );
    assert!(sleep.sleeps().is_empty(), "a resumed watch polls at once");
}

#[tokio::test]
async fn a_failed_poll_yields_its_error_and_the_watch_goes_on() {
    let transport = ScriptedTransport::new([
        page(vec![item(1, 0, "IN", "SUCCESS")]),
        Reply::status(401, ""),
        page(vec![
            item(2, 5, "IN", "SUCCESS"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
    ]);
    let (client, _) = scripted(&transport, None);
    let mut watch = client.watch(HistoryFilter::default(), INTERVAL);
    let error = watch.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Authentication), "{error}");
    assert_eq!(take(&mut watch, 1).await, ["2 IN new->SUCCESS"]);
}

#[tokio::test]
async fn polls_wait_for_the_history_limiter() {
    let quiet = || page(vec![item(1, 0, "IN", "SUCCESS")]);
    let transport = ScriptedTransport::new([
        quiet(),
        quiet(),
        page(vec![
            item(2, 5, "IN", "SUCCESS"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
    ]);
    let limiter = HistoryLimiter::new(2, Duration::from_secs(60));
    let (client, sleep) = scripted(&transport, Some(limiter));
    let mut watch = client.watch(HistoryFilter::default(), INTERVAL);
    assert_eq!(take(&mut watch, 1).await, ["2 IN new->SUCCESS"]);
    // Two calls a minute: the third poll waits out the window after its interval.
    assert_eq!(
        sleep.sleeps(),
        [INTERVAL, INTERVAL, Duration::from_secs(60) - INTERVAL * 2]
    );
    assert_eq!(transport.count(), 3);
}

#[test]
fn a_notification_and_a_polled_payment_make_the_same_event() {
    let key = SecretString::from("JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=");
    let body = br#"{"messageId":"7814c49d-2d29-4b14-b2dc-36b377c76156",
      "hookId":"5e2027d1-f5f3-4ad1-b409-058b8b8a8c22","version":"1.0.0","test":false,
      "hash":"f05c4e7bdf00620205d47696d77f924bfd3ba4d02b0398ac8a626e737dc27243",
      "payment":{"txnId":"13353941550","date":"2018-06-27T13:39:00+03:00","type":"IN",
        "status":"SUCCESS","errorCode":"0","personId":78000008000,"account":"+79161112233",
        "comment":"","provider":7,"sum":{"amount":1,"currency":643},
        "commission":{"amount":0,"currency":643},"total":{"amount":1,"currency":643},
        "signFields":"sum.currency,sum.amount,type,account,txnId"}}"#;
    let Verified::Payment(verified) = WebhookVerifier::new(&key).unwrap().verify(body).unwrap()
    else {
        panic!("a payment")
    };
    let pushed = PaymentEvent::from(*verified);
    // The same payment as the history writes it: numbers for txnId and errorCode, a provider
    // object.
    let polled: qiwi_wallet::PaymentHistoryItem = serde_json::from_value(json!({
        "txnId": 13353941550_u64, "personId": 78000008000_u64, "date": "2018-06-27T13:39:00+03:00",
        "errorCode": 0, "type": "IN", "status": "SUCCESS", "account": "+79161112233", "comment": "",
        "provider": {"id": 7, "shortName": "QIWI Wallet"},
        "sum": {"amount": 1, "currency": 643}, "commission": {"amount": 0, "currency": 643},
        "total": {"amount": 1, "currency": 643}}))
    .unwrap();
    let polled = PaymentEvent::polled(polled, None);

    let without_origin = |e: &PaymentEvent| {
        let mut value = serde_json::to_value(e).unwrap();
        value.as_object_mut().unwrap().remove("origin");
        value
    };
    assert_eq!(without_origin(&pushed), without_origin(&polled));
    assert_eq!(pushed.txn_id.as_str(), "13353941550");
    assert_eq!(pushed.provider.as_deref(), Some("7"));
    assert_eq!(pushed.error_code, ErrorCode::Ok);
    assert_eq!(pushed.status, TransactionStatus::Success);
    assert!(pushed.is_authenticated("sum.amount") && pushed.is_authenticated("txnId"));
    assert!(!pushed.is_authenticated("status"), "status is not signed");
    assert!(
        !polled.is_authenticated("txnId"),
        "nothing polled is signed"
    );
    assert_eq!(
        serde_json::to_value(&pushed.origin).unwrap(),
        json!({"source": "webhook", "messageId": "7814c49d-2d29-4b14-b2dc-36b377c76156",
            "authenticated": ["sum.currency", "sum.amount", "type", "account", "txnId"]})
    );
    assert_eq!(
        serde_json::to_value(&polled.origin).unwrap(),
        json!({"source": "polling", "previousStatus": null})
    );
}

#[tokio::test]
async fn a_mark_taken_now_reports_what_comes_after_it_at_the_first_poll() {
    let transport = ScriptedTransport::new([
        page(vec![item(1, 0, "IN", "SUCCESS")]),
        page(vec![
            item(2, 5, "OUT", "SUCCESS"),
            item(1, 0, "IN", "SUCCESS"),
        ]),
    ]);
    let (client, sleep) = scripted(&transport, None);
    let mark = client.watch_mark(&HistoryFilter::default()).await.unwrap();
    let mut watch = client.watch_from(HistoryFilter::default(), INTERVAL, mark);
    assert_eq!(take(&mut watch, 1).await, ["2 OUT new->SUCCESS"]);
    assert!(sleep.sleeps().is_empty());
}
