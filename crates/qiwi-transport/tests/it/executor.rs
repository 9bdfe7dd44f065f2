//! The executor's retries and timeouts against scripted transports and a time and sleep that
//! end every wait at once: nothing here sleeps.

use std::sync::Arc;
use std::time::Duration;

use qiwi_transport::test_util::{
    Advance, NeverRespond, Reply, ScriptedTransport, TickAdvanceSleep, TickAdvanceTime,
    tick_advance_time_and_sleep,
};
use qiwi_transport::{Error, Executor, Method, Request, RetryPolicy, Timeouts, TransportErrorKind};

fn get() -> Request {
    Request::new(
        Method::GET,
        "https://example.test/accounts".parse().unwrap(),
        "/accounts",
    )
}

fn post() -> Request {
    Request::new(
        Method::POST,
        "https://example.test/pay".parse().unwrap(),
        "/pay",
    )
    .body("application/json", "{}")
}

fn executor(
    transport: Arc<dyn qiwi_transport::Transport>,
    time: &TickAdvanceTime,
    clock: &TickAdvanceSleep,
) -> Executor {
    Executor::new(transport)
        .with_time_source(Arc::new(time.clone()))
        .with_sleep(Arc::new(clock.clone()))
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(5),
        })
}

#[tokio::test]
async fn get_retries_503_twice_then_succeeds() {
    let transport = ScriptedTransport::new([
        Reply::status(503, ""),
        Reply::status(503, ""),
        Reply::json("{}"),
    ]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let response = executor(Arc::new(transport.clone()), &time, &clock)
        .send(&get())
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(transport.count(), 3);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn post_is_not_retried_unless_idempotent() {
    let transport = ScriptedTransport::new([Reply::status(503, "busy"), Reply::json("{}")]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = executor(Arc::new(transport.clone()), &time, &clock);
    let err = exec.send(&post()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.answer.status == 503 && e.answer.attempts == 1),
        "{err:?}"
    );
    assert_eq!(transport.count(), 1);

    let response = exec.send(&post().idempotent(true)).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(transport.count(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let transport = ScriptedTransport::new([
        Reply::status(429, "").with_header("retry-after", "2"),
        Reply::status(429, "").with_header("retry-after", "3600"),
        Reply::json("{}"),
    ]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = executor(Arc::new(transport.clone()), &time, &clock).with_timeouts(Timeouts {
        attempt: Duration::from_secs(5),
        total: Duration::from_secs(60),
    });
    exec.send(&get()).await.unwrap();
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(2), Duration::from_secs(5)]
    );
}

#[tokio::test]
async fn attempts_exhausted_reports_the_last_answer_with_its_body() {
    let transport = ScriptedTransport::new([
        Reply::status(502, "<html>bad gateway</html>"),
        Reply::status(502, "<html>bad gateway</html>"),
        Reply::status(502, "<html>bad gateway</html>"),
    ]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let err = executor(Arc::new(transport.clone()), &time, &clock)
        .send(&get())
        .await
        .unwrap_err();
    let Error::Service(refusal) = err else {
        panic!("{err:?}")
    };
    let service = refusal.answer;
    assert_eq!(service.attempts, 3);
    assert_eq!(&service.body[..], b"<html>bad gateway</html>");
    assert_eq!(transport.count(), 3);
}

#[tokio::test]
async fn never_responding_server_times_out_per_attempt_and_in_total() {
    let never = NeverRespond::default();
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = executor(Arc::new(never.clone()), &time, &clock).with_timeouts(Timeouts {
        attempt: Duration::from_secs(2),
        total: Duration::from_secs(5),
    });
    let err = exec.send(&get()).await.unwrap_err();
    let Error::Transport(transport) = err else {
        panic!("{err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    // 2 s + backoff 0.1 s + 2 s + backoff 0.2 s leaves 0.7 s: a third, shorter attempt.
    assert_eq!(never.count(), 3);
    assert_eq!(
        clock.sleeps(),
        [
            Duration::from_secs(2),
            Duration::from_millis(100),
            Duration::from_secs(2),
            Duration::from_millis(200),
            Duration::from_millis(700),
        ]
    );
    assert!(transport.to_string().contains("timed out"), "{transport}");
}

#[tokio::test]
async fn backoff_that_would_pass_the_total_limit_stops_early() {
    let transport = ScriptedTransport::new([
        Reply::status(503, "").with_header("retry-after", "5"),
        Reply::json("{}"),
    ]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = executor(Arc::new(transport.clone()), &time, &clock).with_timeouts(Timeouts {
        attempt: Duration::from_secs(1),
        total: Duration::from_secs(3),
    });
    let err = exec.send(&get()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.answer.retry_after == Some(Duration::from_secs(5))),
        "{err:?}"
    );
    assert_eq!(transport.count(), 1);
}

#[tokio::test]
async fn transport_failures_are_retried_for_reads_only() {
    let transport = ScriptedTransport::new([
        Reply::Fail(TransportErrorKind::Reset),
        Reply::Fail(TransportErrorKind::Connect),
        Reply::json("{}"),
    ]);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = executor(Arc::new(transport.clone()), &time, &clock);
    exec.send(&get()).await.unwrap();
    assert_eq!(transport.count(), 3);

    transport.push(Reply::Fail(TransportErrorKind::Reset));
    let err = exec.send(&post()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Reset && e.attempts() == 1)
    );
}

/// A payment needs to know whether a failed call may have reached the server: only when no
/// attempt got a connection was nothing sent.
#[tokio::test]
async fn a_call_says_whether_any_attempt_may_have_been_sent() {
    let sent = |err: &Error| match err {
        Error::Transport(e) => e.may_have_been_sent(),
        other => panic!("{other:?}"),
    };
    let refused = || Reply::Fail(TransportErrorKind::Connect);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let transport = ScriptedTransport::new([refused(), refused(), refused()]);
    let exec = executor(Arc::new(transport.clone()), &time, &clock);
    let idempotent_post = post().idempotent(true);
    let err = exec.send(&idempotent_post).await.unwrap_err();
    assert!(!sent(&err), "three refused connections: nothing sent");
    assert_eq!(transport.count(), 3);

    // A reset first, then refused connections: the first attempt may have been processed.
    transport.push(Reply::Fail(TransportErrorKind::Reset));
    transport.push(refused());
    transport.push(refused());
    let err = exec.send(&idempotent_post).await.unwrap_err();
    assert!(sent(&err), "{err}");
}

#[tokio::test]
async fn limits_and_waits_of_duration_max_neither_panic_nor_hang() {
    let never = NeverRespond::default();
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let exec = Executor::new(Arc::new(never.clone()))
        .with_time_source(Arc::new(time))
        .with_sleep(Arc::new(clock.clone()))
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            max_retry_after: Duration::MAX,
        })
        .with_timeouts(Timeouts {
            attempt: Duration::MAX,
            total: Duration::MAX,
        });
    let err = exec.send(&get()).await.unwrap_err();
    let Error::Transport(transport) = err else {
        panic!("{err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    // A backoff of Duration::MAX never fits in what remains of the call: no second attempt.
    assert_eq!(never.count(), 1);
    assert_eq!(clock.sleeps(), [Duration::MAX]);
}
