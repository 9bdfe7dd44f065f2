//! The reqwest transport against real sockets (wiremock on loopback).

use std::sync::Arc;
use std::time::Duration;

use qiwi_transport::auth::BearerToken;
use qiwi_transport::test_util::{Advance, tick_advance_time_and_sleep};
use qiwi_transport::time::{Sleep, Sleeping, SystemTimeSource, TimeSource, TokioSleep};
use qiwi_transport::{
    Error, Executor, Method, Request, ReqwestTransport, RetryPolicy, Timeouts, TransportErrorKind,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request(server: &MockServer, route: &'static str) -> Request {
    Request::new(
        Method::GET,
        format!("{}{route}", server.uri()).parse().unwrap(),
        route,
    )
}

fn executor(transport: ReqwestTransport) -> Executor {
    Executor::new(Arc::new(transport))
        .with_retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(50),
        })
        .with_timeouts(Timeouts {
            attempt: Duration::from_millis(300),
            total: Duration::from_secs(2),
        })
}

#[tokio::test]
async fn a_server_that_never_answers_ends_in_a_timeout_within_the_bound() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let exec = executor(ReqwestTransport::new().unwrap()).with_retry(RetryPolicy::never());
    let started = SystemTimeSource.now();
    let err = exec.send(&request(&server, "/slow")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );
    // The bound is the 300 ms attempt limit; allow scheduling slack but far below 30 s.
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    let host = server.address().to_string();
    assert!(
        err.to_string()
            .starts_with(&format!("timed out waiting for {host}: ")),
        "{err}"
    );
}

#[tokio::test]
async fn a_huge_retry_after_is_read_as_the_one_hour_ceiling() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615"),
        )
        .mount(&server)
        .await;
    let exec = executor(ReqwestTransport::new().unwrap()).with_retry(RetryPolicy::never());
    let err = exec.send(&request(&server, "/busy")).await.unwrap_err();
    let Some(answer) = err.refusal().map(|r| &r.answer) else {
        panic!("{err:?}")
    };
    assert_eq!(answer.retry_after, Some(Duration::from_secs(3600)));
    assert!(err.to_string().ends_with("retry after 3600 s"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind and drop a listener so that the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let exec = executor(ReqwestTransport::new().unwrap());
    let req = Request::new(
        Method::GET,
        format!("http://127.0.0.1:{port}/x").parse().unwrap(),
        "/x",
    );
    let err = exec.send(&req).await.unwrap_err();
    let Error::Transport(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Connect);
    assert_eq!(e.attempts(), 3, "connect errors are retried for reads");
    let host = format!("127.0.0.1:{port}");
    assert_eq!(e.host(), Some(host.as_str()));
    assert!(
        err.to_string()
            .starts_with(&format!("could not connect to {host}: ")),
        "{err}"
    );
}

#[tokio::test]
async fn three_attempts_503_503_200_succeed_and_the_server_counts_three_hits() {
    let server = MockServer::start().await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"ok\":true}"))
        .with_priority(2)
        .mount(&server)
        .await;
    let exec = executor(ReqwestTransport::new().unwrap());
    let response = exec.send(&request(&server, "/flaky")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(&response.body[..], b"{\"ok\":true}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Attempt deadlines are waits of the injected sleep: over a real socket, a tick-advance pair
/// keeps an attempt open however long the answer takes until the test moves its time past
/// the attempt limit, and then the attempt ends at once.
#[tokio::test]
async fn a_test_drives_attempt_deadlines_over_a_real_socket() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let (time, sleep) = tick_advance_time_and_sleep(Advance::OnTick);
    let exec = executor(ReqwestTransport::new().unwrap())
        .with_retry(RetryPolicy::never())
        .with_time_source(Arc::new(time.clone()))
        .with_sleep(Arc::new(sleep.clone()));
    let slow = request(&server, "/slow");
    let call = tokio::spawn(async move { exec.send(&slow).await });
    while sleep.sleeps().is_empty() {
        TokioSleep.sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(
        sleep.sleeps(),
        [Duration::from_millis(300)],
        "the attempt limit"
    );
    // Past the 300 ms of real time the limit stands for, the attempt is still open.
    TokioSleep.sleep(Duration::from_millis(400)).await;
    time.tick(Duration::from_millis(299));
    TokioSleep.sleep(Duration::from_millis(20)).await;
    assert!(
        !call.is_finished(),
        "ended before its time reached the limit"
    );
    time.tick(Duration::from_millis(1));
    let started = SystemTimeSource.now();
    let err = call.await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the tick ended it"
    );
}

/// tokio's timer with the largest jitter sample: backoffs reach their ceiling.
#[derive(Debug)]
struct FullJitter;

impl Sleep for FullJitter {
    fn sleep(&self, duration: Duration) -> Sleeping {
        TokioSleep.sleep(duration)
    }

    fn jitter(&self) -> f64 {
        1.0
    }
}

#[tokio::test]
async fn huge_waits_from_the_wire_or_the_policy_saturate_and_stop_at_the_total_limit() {
    let unbounded = RetryPolicy {
        max_attempts: u32::MAX,
        initial_backoff: Duration::MAX,
        max_backoff: Duration::MAX,
        max_retry_after: Duration::MAX,
    };
    for (case, retry_after) in [
        ("Retry-After: 2^64-1", Some("18446744073709551615")),
        ("a backoff of Duration::MAX", None),
    ] {
        let server = MockServer::start().await;
        let mut answer = ResponseTemplate::new(503);
        if let Some(value) = retry_after {
            answer = answer.insert_header("retry-after", value);
        }
        Mock::given(path("/busy"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let exec = executor(ReqwestTransport::new().unwrap())
            .with_retry(unbounded.clone())
            .with_sleep(Arc::new(FullJitter));
        let started = SystemTimeSource.now();
        let err = exec.send(&request(&server, "/busy")).await.unwrap_err();
        let Some(service) = err.refusal().map(|r| &r.answer) else {
            panic!("{case}: {err:?}")
        };
        assert_eq!(service.status, 503, "{case}");
        assert_eq!(
            service.retry_after,
            retry_after.map(|_| qiwi_transport::retry::MAX_RETRY_AFTER),
            "{case}"
        );
        // The wait would pass the 2 s total limit: it is not started.
        assert_eq!(service.attempts, 1, "{case}");
        assert!(started.elapsed() < Duration::from_secs(2), "{case}");
    }
}

#[tokio::test]
async fn requests_sent_within_one_call_budget_share_it() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(600)))
        .mount(&server)
        .await;
    let exec = executor(ReqwestTransport::new().unwrap())
        .with_retry(RetryPolicy::never())
        .with_timeouts(Timeouts {
            attempt: Duration::from_secs(5),
            total: Duration::from_secs(1),
        });
    let started = SystemTimeSource.now();
    let budget = exec.start_call();
    let request = request(&server, "/slow");
    exec.send_within(&request, budget).await.unwrap();
    // 600 ms are spent: the second request gets the 400 ms left, not a second of its own.
    let err = exec.send_within(&request, budget).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1300), "took {elapsed:?}");
    // Spent: a third request is not even sent, and neither is a wait started.
    let err = exec.send_within(&request, budget).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout));
    let waited = exec.wait_within(budget, std::future::pending::<()>()).await;
    assert_eq!(
        waited.map_err(|e| e.kind()),
        Err(TransportErrorKind::Timeout)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_wait_within_a_budget_ends_at_the_budget() {
    let exec = executor(ReqwestTransport::new().unwrap()).with_timeouts(Timeouts {
        attempt: Duration::from_secs(5),
        total: Duration::from_millis(300),
    });
    let started = SystemTimeSource.now();
    let budget = exec.start_call();
    let done = exec.wait_within(budget, async { 7 }).await.unwrap();
    assert_eq!(done, 7);
    let err = exec
        .wait_within(budget, std::future::pending::<()>())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    let elapsed = started.elapsed();
    assert!(
        (Duration::from_millis(280)..Duration::from_millis(800)).contains(&elapsed),
        "took {elapsed:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_is_an_error_not_a_truncated_body() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 10_000]))
        .mount(&server)
        .await;
    let transport = ReqwestTransport::builder()
        .max_response_bytes(4096)
        .build()
        .unwrap();
    let err = executor(transport)
        .send(&request(&server, "/big"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::BodyTooLarge { limit: 4096 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("4096"), "{err}");
}

#[tokio::test]
async fn an_html_502_page_becomes_a_service_error_that_keeps_the_raw_body() {
    let server = MockServer::start().await;
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    Mock::given(path("/gw"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .insert_header("x-request-id", "req-42")
                .set_body_string(page),
        )
        .mount(&server)
        .await;
    let err = executor(ReqwestTransport::new().unwrap())
        .send(&request(&server, "/gw"))
        .await
        .unwrap_err();
    let Some(service) = err.refusal().map(|r| &r.answer) else {
        panic!("{err:?}")
    };
    assert_eq!(service.status, 502);
    assert_eq!(service.body_text(), page);
    assert_eq!(service.trace_id.as_deref(), Some("req-42"));
    assert_eq!(service.attempts, 3);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn sends_method_headers_body_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/echo"))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", qiwi_transport::USER_AGENT))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let token = BearerToken::new("tok-123").unwrap();
    let req = Request::new(
        Method::POST,
        format!("{}/echo", server.uri()).parse().unwrap(),
        "/echo",
    )
    .header(qiwi_transport::header::AUTHORIZATION, token.header_value())
    .body("application/json", "{\"a\":1}");
    let response = executor(ReqwestTransport::new().unwrap())
        .send(&req)
        .await
        .unwrap();
    assert_eq!(response.status, 201);
    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(received.body, b"{\"a\":1}");
}

#[tokio::test]
async fn no_error_or_debug_shows_the_token_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(401).set_body_string("{\"error\":\"unauthorized\"}"))
        .mount(&server)
        .await;
    let secret = "very-secret-token-value";
    let token = BearerToken::new(secret).unwrap();
    let req = request(&server, "/secret")
        .header(qiwi_transport::header::AUTHORIZATION, token.header_value());
    assert!(!format!("{req:?}").contains(secret), "request Debug");
    let err = executor(ReqwestTransport::new().unwrap())
        .send(&req)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Service(e) if e.answer.status == 401 && e.answer.attempts == 1));
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(secret), "{text}");
    }
}

/// A loopback server that answers one request with a chunked body, writing each piece
/// separately after a pause so that the client receives them one by one.
async fn chunked_server(pieces: &'static [&'static str]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 1024];
        let _ = socket.read(&mut request).await.unwrap();
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            .await
            .unwrap();
        for piece in pieces {
            let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
            socket.write_all(chunk.as_bytes()).await.unwrap();
            socket.flush().await.unwrap();
            TokioSleep.sleep(Duration::from_millis(20)).await;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    format!("http://{address}/chunked")
}

fn chunked_request(url: &str) -> Request {
    Request::new(Method::GET, url.parse().unwrap(), "/chunked")
}

/// An executor for the chunked answers: they are about how the body arrives, not about time
/// limits, so a loaded machine must not turn their pauses into a timeout.
fn patient_executor(transport: ReqwestTransport) -> Executor {
    executor(transport)
        .with_retry(RetryPolicy::never())
        .with_timeouts(Timeouts {
            attempt: Duration::from_secs(10),
            total: Duration::from_secs(10),
        })
}

#[tokio::test]
async fn a_body_in_several_pieces_arrives_whole() {
    let url = chunked_server(&["{\"a\":", "[1,2,", "3]}"]).await;
    let response = patient_executor(ReqwestTransport::new().unwrap())
        .send(&chunked_request(&url))
        .await
        .unwrap();
    assert_eq!(&response.body[..], b"{\"a\":[1,2,3]}");
}

#[tokio::test]
async fn an_unannounced_body_over_the_cap_is_an_error_whichever_piece_passes_it() {
    // The first piece alone passes the cap, then the second piece does.
    for pieces in [&["0123456789"][..], &["01234", "56789"][..]] {
        let pieces: &'static [&'static str] = pieces;
        let url = chunked_server(pieces).await;
        let transport = ReqwestTransport::builder()
            .max_response_bytes(8)
            .build()
            .unwrap();
        let err = patient_executor(transport)
            .send(&chunked_request(&url))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Transport(e) if e.kind() == TransportErrorKind::BodyTooLarge { limit: 8 }),
            "{pieces:?}: {err:?}"
        );
    }
}
