//! `Receiver::serve` over loopback with real HTTP: what each delivery is answered and how often
//! the handler runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use qiwi_wallet::SecretString;
use qiwi_wallet::transport::time::{Sleep, SystemTimeSource, TimeSource, TokioSleep};
use qiwi_webhook_receiver::webhook::{Verified, WebhookVerifier};
use qiwi_webhook_receiver::{Acknowledge, HandlerError, Receiver, ReceiverBuilder};

const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
const PATH: &str = "/qiwi/hook";

fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(&SecretString::from(KEY)).unwrap()
}

/// A signed notification of `amount` with its own `messageId`.
fn notification(message_id: &str, amount: &str) -> String {
    let payment = format!(
        r#"{{"txnId":"13353941550","date":"2018-06-27T13:39:00+03:00","type":"IN","status":"SUCCESS","errorCode":"0","personId":78000008000,"account":"+79161112233","comment":"","provider":7,"sum":{{"amount":{amount},"currency":643}},"commission":null,"total":{{"amount":{amount},"currency":643}},"signFields":"sum.currency,sum.amount,type,account,txnId"}}"#
    );
    let hash = verifier().sign(&payment).unwrap();
    format!(
        r#"{{"messageId":"{message_id}","hookId":"5e2027d1-f5f3-4ad1-b409-058b8b8a8c22","payment":{payment},"hash":"{hash}","version":"1.0.0","test":false}}"#
    )
}

/// How the test handler behaves.
#[derive(Clone, Copy)]
enum Behaviour {
    Succeed,
    Fail,
    NeverFinish,
    /// Succeeds after this long.
    Slowly(Duration),
}

/// A receiver served with `Receiver::serve` on a free loopback port, its URL and the number of
/// handler runs.
async fn serve(
    behaviour: Behaviour,
    configure: impl FnOnce(ReceiverBuilder) -> ReceiverBuilder,
) -> (String, Arc<AtomicUsize>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let handler = move |_: Verified| {
        let counter = counter.clone();
        async move {
            match behaviour {
                Behaviour::Succeed => {}
                Behaviour::Fail => {
                    counter.fetch_add(1, Ordering::SeqCst);
                    return Err(HandlerError::from("database down"));
                }
                Behaviour::NeverFinish => {
                    counter.fetch_add(1, Ordering::SeqCst);
                    std::future::pending::<()>().await;
                }
                Behaviour::Slowly(delay) => TokioSleep.sleep(delay).await,
            }
            // Counted once done: a 200 seen by the sender must find it counted.
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    };
    let receiver = configure(Receiver::builder(verifier(), handler)).build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { receiver.serve(listener, PATH).await });
    (format!("http://{address}{PATH}"), runs)
}

async fn post(url: &str, body: impl Into<reqwest::Body>, forwarded_for: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_verified_notification_runs_the_handler_once_and_a_repeat_is_acknowledged() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b).await;
    let body = notification("m-1", "1");
    assert_eq!(post(&url, body.clone(), None).await, 200);
    assert_eq!(
        post(&url, body, None).await,
        200,
        "the repeat is acknowledged"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1, "and not handled again");
    assert_eq!(post(&url, notification("m-2", "1"), None).await, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_bad_signature_or_a_malformed_body_is_refused_without_running_the_handler() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b).await;
    let altered = notification("m-1", "1").replace(r#""amount":1,"#, r#""amount":100,"#);
    assert_eq!(post(&url, altered, None).await, 400);
    assert_eq!(post(&url, "not json", None).await, 400);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_failed_handler_gets_a_non_200_and_runs_again_on_the_resend() {
    let (url, runs) = serve(Behaviour::Fail, |b| b).await;
    let body = notification("m-1", "1");
    assert_eq!(post(&url, body.clone(), None).await, 500);
    assert_eq!(
        post(&url, body, None).await,
        500,
        "a failure is not remembered"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_slow_handler_is_stopped_at_its_deadline_with_a_non_200() {
    let (url, runs) = serve(Behaviour::NeverFinish, |b| {
        b.handler_deadline(Duration::from_millis(100))
    })
    .await;
    let body = notification("m-1", "1");
    assert_eq!(post(&url, body.clone(), None).await, 503);
    assert_eq!(
        post(&url, body, None).await,
        503,
        "resent, it is tried again"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_repeat_arriving_while_the_first_is_handled_gets_a_non_200() {
    let (url, runs) = serve(Behaviour::NeverFinish, |b| {
        b.handler_deadline(Duration::from_secs(2))
    })
    .await;
    let body = notification("m-1", "1");
    let first = tokio::spawn({
        let (url, body) = (url.clone(), body.clone());
        async move { post(&url, body, None).await }
    });
    while runs.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    assert_eq!(post(&url, body, None).await, 409);
    assert_eq!(first.await.unwrap(), 503);
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b.body_limit(1024)).await;
    assert_eq!(post(&url, vec![b' '; 2048], None).await, 413);
    assert_eq!(post(&url, notification("m-1", "1"), None).await, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn acknowledge_first_answers_200_even_when_the_handler_then_fails() {
    let (url, runs) = serve(Behaviour::Fail, |b| b.acknowledge(Acknowledge::First)).await;
    assert_eq!(post(&url, notification("m-1", "1"), None).await, 200);
    while runs.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn the_source_check_admits_only_the_documented_ranges_through_a_trusted_proxy() {
    let loopback = "127.0.0.1".parse().unwrap();
    let (direct, _) = serve(Behaviour::Succeed, |b| b.check_source([])).await;
    assert_eq!(post(&direct, notification("m-1", "1"), None).await, 403);
    assert_eq!(
        post(&direct, notification("m-1", "1"), Some("91.213.51.9")).await,
        403,
        "a forwarded address counts only from a trusted proxy"
    );
    let (proxied, runs) = serve(Behaviour::Succeed, |b| b.check_source([loopback])).await;
    assert_eq!(
        post(&proxied, notification("m-1", "1"), Some("8.8.8.8")).await,
        403
    );
    assert_eq!(
        post(&proxied, notification("m-1", "1"), Some("91.213.51.9")).await,
        200
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_200_comes_only_once_the_handler_has_finished() {
    let delay = Duration::from_millis(150);
    let (url, runs) = serve(Behaviour::Slowly(delay), |b| b).await;
    let started = SystemTimeSource.now();
    assert_eq!(post(&url, notification("m-1", "1"), None).await, 200);
    assert!(SystemTimeSource.now().duration_since(started) >= delay);
    assert_eq!(runs.load(Ordering::SeqCst), 1, "handled before the answer");
}

#[tokio::test]
async fn serve_answers_only_a_post_on_its_path() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b).await;
    let client = reqwest::Client::new();
    let get = client.get(&url).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let elsewhere = url.replace(PATH, "/other");
    assert_eq!(post(&elsewhere, notification("m-1", "1"), None).await, 404);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_default_body_cap_refuses_a_body_one_byte_over_it() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b).await;
    let over = vec![b' '; qiwi_webhook_receiver::DEFAULT_BODY_LIMIT + 1];
    assert_eq!(post(&url, over, None).await, 413);
    // Whitespace after the object keeps a signed notification valid JSON, at the cap exactly.
    let mut at_cap = notification("m-1", "1").into_bytes();
    at_cap.resize(qiwi_webhook_receiver::DEFAULT_BODY_LIMIT, b' ');
    assert_eq!(post(&url, at_cap, None).await, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_slow_handler_past_the_default_deadline_gets_a_non_200_within_the_services_two_seconds() {
    let (url, _) = serve(Behaviour::NeverFinish, |b| b).await;
    let started = SystemTimeSource.now();
    assert_eq!(post(&url, notification("m-1", "1"), None).await, 503);
    let took = SystemTimeSource.now().duration_since(started);
    assert!(
        took >= qiwi_webhook_receiver::DEFAULT_HANDLER_DEADLINE && took < Duration::from_secs(2),
        "{took:?}"
    );
}

/// A sender that gives up while the handler runs (its connection closed) must not leave the
/// `messageId` taken: the handling goes on, and the resend finds it handled.
#[tokio::test]
async fn a_sender_that_hangs_up_mid_handling_leaves_the_notification_handled_once() {
    let delay = Duration::from_millis(300);
    let (url, runs) = serve(Behaviour::Slowly(delay), |b| b).await;
    let body = notification("m-1", "1");
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let hung_up = impatient
        .post(&url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await;
    assert!(hung_up.is_err(), "the sender gave up first");
    TokioSleep.sleep(delay * 2).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the handling went on");
    assert_eq!(
        post(&url, body, None).await,
        200,
        "the resend is acknowledged, not refused as being handled"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1, "and not handled twice");
}

/// A handler that panics is a failed handling: a non-200, and the resend runs it again
/// instead of being refused as "being handled" forever.
#[tokio::test]
async fn a_panicking_handler_gets_a_non_200_and_the_resend_runs_it_again() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let handler = move |_: Verified| {
        let counter = counter.clone();
        async move {
            if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("the handler's own bug");
            }
            Ok::<(), HandlerError>(())
        }
    };
    let receiver = Receiver::builder(verifier(), handler).build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{PATH}", listener.local_addr().unwrap());
    tokio::spawn(async move { receiver.serve(listener, PATH).await });
    let body = notification("m-1", "1");
    let first = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await;
    assert!(
        first.is_err() || first.is_ok_and(|r| r.status() != 200),
        "a panic is no acknowledgement"
    );
    assert_eq!(post(&url, body, None).await, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// A sender that announces a body and sends it slowly (or never) is answered within the
/// handler deadline instead of holding the connection open.
#[tokio::test]
async fn a_body_that_never_arrives_is_answered_within_the_deadline() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (url, runs) = serve(Behaviour::Succeed, |b| {
        b.handler_deadline(Duration::from_millis(200))
    })
    .await;
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches(PATH)
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{{"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut answer))
        .await
        .expect("answered before the sender finished")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

/// The `host:port` of a receiver URL.
fn address_of(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches(PATH)
        .to_owned()
}

/// Reads until the server closes the connection (or resets it); panics past `limit`.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut buffer = [0u8; 256];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    });
    read.await.expect("the server kept the connection open");
    received
}

/// A peer that starts a request head and never finishes it is disconnected at the header
/// timeout, not kept for ever (one connection at a time would otherwise starve the receiver).
#[tokio::test]
async fn a_request_head_never_finished_is_disconnected_at_the_header_timeout() {
    use tokio::io::AsyncWriteExt;
    let timeout = Duration::from_millis(300);
    let (url, runs) = serve(Behaviour::Succeed, |b| b.header_timeout(timeout)).await;
    let address = address_of(&url);
    let time = SystemTimeSource;
    let started = time.now();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!("POST {PATH} HTTP/1.1\r\nhost: {address}\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    closed_within(&mut stream, Duration::from_secs(5)).await;
    assert!(time.now().saturating_duration_since(started) >= timeout);
    // An idle connection is closed alike, and the receiver still answers a whole request.
    let mut idle = tokio::net::TcpStream::connect(&address).await.unwrap();
    closed_within(&mut idle, Duration::from_secs(5)).await;
    assert_eq!(post(&url, notification("m-1", "1"), None).await, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Connections beyond the cap are closed on accept without an answer; once one closes, its
/// slot serves again.
#[tokio::test]
async fn a_connection_beyond_the_cap_is_closed_and_a_freed_slot_serves_again() {
    let (url, runs) = serve(Behaviour::Succeed, |b| b.max_connections(2)).await;
    let address = address_of(&url);
    let first = tokio::net::TcpStream::connect(&address).await.unwrap();
    let _second = tokio::net::TcpStream::connect(&address).await.unwrap();
    let mut third = tokio::net::TcpStream::connect(&address).await.unwrap();
    assert!(
        closed_within(&mut third, Duration::from_secs(5))
            .await
            .is_empty()
    );
    drop(first);
    // The server notices the close on its own time: try until the freed slot is taken.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let time = SystemTimeSource;
    let started = time.now();
    loop {
        let sent = client
            .post(&url)
            .header("content-type", "application/json")
            .body(notification("m-1", "1"))
            .send()
            .await;
        if let Ok(response) = sent {
            assert_eq!(response.status().as_u16(), 200);
            break;
        }
        assert!(
            time.now().saturating_duration_since(started) < Duration::from_secs(5),
            "the freed slot was never served"
        );
        TokioSleep.sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Limits beyond what the runtime can hold mean "no limit" in practice: the receiver still
/// serves, instead of its accept loop or each connection panicking.
#[tokio::test]
async fn the_largest_limits_still_serve() {
    let (url, runs) = serve(Behaviour::Succeed, |b| {
        b.header_timeout(Duration::MAX).max_connections(usize::MAX)
    })
    .await;
    let client = reqwest::Client::new();
    let sent = client
        .post(&url)
        .header("content-type", "application/json")
        .body(notification("m-1", "1"))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert_eq!(sent.map(|r| r.status().as_u16()).ok(), Some(200));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Reads from `stream` until `received` holds `count` status lines, within five seconds.
async fn read_answers(stream: &mut tokio::net::TcpStream, count: usize) -> String {
    use tokio::io::AsyncReadExt;
    let mut received = String::new();
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buffer = [0u8; 1024];
        while received.matches("HTTP/1.1 ").count() < count {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.push_str(&String::from_utf8_lossy(&buffer[..n])),
            }
        }
    });
    let _ = read.await;
    received
}

/// A sender that asks `Expect: 100-continue` gets the go-ahead and then its `200`; two
/// requests pipelined on one keep-alive connection get two answers, in order.
#[tokio::test]
async fn expect_continue_and_pipelined_requests_are_answered() {
    use tokio::io::AsyncWriteExt;
    let (url, runs) = serve(Behaviour::Succeed, |b| b).await;
    let address = address_of(&url);
    let request = |body: &str, expect: &str| {
        format!(
            "POST {PATH} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n{expect}content-length: {}\r\n\r\n",
            body.len()
        )
    };
    let first = notification("m-1", "1");
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = request(&first, "expect: 100-continue\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_answers(&mut stream, 1).await;
    assert!(answer.starts_with("HTTP/1.1 100"), "{answer}");
    stream.write_all(first.as_bytes()).await.unwrap();
    let answer = read_answers(&mut stream, 1).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    let (second, third) = (notification("m-2", "2"), notification("m-3", "3"));
    let pipelined = format!(
        "{}{second}{}{third}",
        request(&second, ""),
        request(&third, "")
    );
    stream.write_all(pipelined.as_bytes()).await.unwrap();
    let answers = read_answers(&mut stream, 2).await;
    // A body does not end in a line break, so the next status line follows it directly.
    let statuses: Vec<&str> = answers
        .match_indices("HTTP/1.1 ")
        .map(|(at, _)| &answers[at..at + 12])
        .collect();
    assert_eq!(statuses, ["HTTP/1.1 200", "HTTP/1.1 200"], "{answers}");
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}
