//! One test of the settings every client shares, written once and run by each client crate
//! ([`client_settings_tests!`](crate::client_settings_tests)): the shared setters are there
//! with the same names and refuse the same things, and `with_timeouts` / `with_retry` change
//! the calls made through them only, on the wire.

use std::time::Duration;

use crate::{RetryPolicy, Timeouts};

/// Per-attempt and total limits, both `millis`.
pub fn limits(millis: u64) -> Timeouts {
    let limit = Duration::from_millis(millis);
    Timeouts {
        attempt: limit,
        total: limit,
    }
}

/// Three attempts with millisecond backoffs.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// Writes the shared-settings tests into a client crate's test file, which has `tokio` and
/// `wiremock`. `builder(&MockServer)` gives a builder pointed at the server (plain HTTP
/// allowed, credentials set, `RetryPolicy::never()`); `call(&Client)` makes one read whose
/// 200 answer is `answer(200)`; `pem` is the path of a client certificate in PEM.
#[macro_export]
macro_rules! client_settings_tests {
    (builder: $builder:path, call: $call:path, answer: $answer:path, pem: $pem:expr $(,)?) => {
        #[tokio::test]
        async fn the_shared_settings_behave_as_in_every_client() {
            let server = ::wiremock::MockServer::start().await;
            ::wiremock::Mock::given(::wiremock::matchers::header("user-agent", "settings/1"))
                .respond_with($answer(200))
                .expect(1)
                .mount(&server)
                .await;
            let client = $builder(&server).user_agent("settings/1").build().unwrap();
            $call(&client).await.unwrap();

            let pem = ::std::fs::read($pem).unwrap();
            let identity = || $crate::ClientIdentity::from_pem(&pem).unwrap();
            let given = || ::std::sync::Arc::new($crate::test_util::ScriptedTransport::default());
            let refused = [
                ($builder(&server).allow_http(false), "plain http://"),
                ($builder(&server).base_url("not a url"), "not a valid URL"),
                (
                    $builder(&server).transport(given()).user_agent("x"),
                    "with the user agent",
                ),
                (
                    $builder(&server)
                        .transport(given())
                        .client_certificate(identity()),
                    "certificate",
                ),
            ];
            for (builder, expected) in refused {
                let err = builder.build().unwrap_err().to_string();
                assert!(err.contains(expected), "{expected}: {err}");
            }
        }

        #[tokio::test]
        async fn with_timeouts_changes_the_limits_of_its_calls_only() {
            use $crate::test_util::settings::limits;
            let server = ::wiremock::MockServer::start().await;
            let slow = $answer(200).set_delay(::std::time::Duration::from_millis(300));
            ::wiremock::Mock::given(::wiremock::matchers::any())
                .respond_with(slow)
                .mount(&server)
                .await;
            let client = $builder(&server).timeouts(limits(100)).build().unwrap();
            let patient = client.with_timeouts(limits(5_000));

            $call(&patient).await.unwrap();
            let err = $call(&client).await.unwrap_err().to_string();
            // The attempt limit or the total one, whichever came first: both say "within".
            assert!(err.contains("timed out") && err.contains("within"), "{err}");
            $call(&patient).await.unwrap();
        }

        #[tokio::test]
        async fn with_retry_changes_the_policy_of_its_calls_only() {
            use $crate::test_util::settings::fast_retry;
            let server = ::wiremock::MockServer::start().await;
            let busy = $answer(503);
            ::wiremock::Mock::given(::wiremock::matchers::any())
                .respond_with(busy)
                .mount(&server)
                .await;
            let client = $builder(&server).build().unwrap();
            let count = || async { server.received_requests().await.unwrap().len() };

            $call(&client.with_retry(fast_retry())).await.unwrap_err();
            assert_eq!(count().await, 3);
            $call(&client).await.unwrap_err();
            assert_eq!(count().await, 4);
        }
    };
}
