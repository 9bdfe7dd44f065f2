//! What happened to a write, asked of the error every client returns: not moved only when
//! nothing was sent or a 4xx refused it; unknown once it may have been processed.

use std::sync::Arc;

use qiwi_transport::test_util::{Advance, Reply, ScriptedTransport, tick_advance_time_and_sleep};
use qiwi_transport::{Executor, Method, Request, RetryPolicy, TransportErrorKind, WriteFate};

#[tokio::test]
async fn every_way_a_write_ends_has_one_fate() {
    let cases = [
        (
            "connection refused",
            Reply::Fail(TransportErrorKind::Connect),
            WriteFate::NotMoved,
        ),
        (
            "timeout after sending",
            Reply::Fail(TransportErrorKind::Timeout),
            WriteFate::Unknown,
        ),
        (
            "reset",
            Reply::Fail(TransportErrorKind::Reset),
            WriteFate::Unknown,
        ),
        ("400", Reply::status(400, "bad"), WriteFate::NotMoved),
        ("409", Reply::status(409, "conflict"), WriteFate::NotMoved),
        ("500", Reply::status(500, "oops"), WriteFate::Unknown),
        ("502 page", Reply::status(502, "<html>"), WriteFate::Unknown),
    ];
    for (name, reply, fate) in cases {
        let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
        let executor = Executor::new(Arc::new(ScriptedTransport::new([reply])))
            .with_time_source(Arc::new(time))
            .with_sleep(Arc::new(sleep))
            .with_retry(RetryPolicy::never());
        let pay = Request::new(
            Method::POST,
            "https://example.test/pay".parse().unwrap(),
            "/pay",
        );
        let error = executor.send(&pay).await.unwrap_err();
        assert_eq!(error.write_fate(), fate, "{name}: {error}");
        assert_eq!(error.is_not_sent(), name == "connection refused", "{name}");
    }
}
