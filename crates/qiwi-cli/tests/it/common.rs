//! Settings shared by the end-to-end tests: fast retries and tight limits so that faults over
//! loopback are observed in milliseconds, and the list of server faults every client survives.

use std::time::Duration;

use qiwi_sandbox::Fault;
use qiwi_transport::{RetryPolicy, Timeouts};

/// Three attempts with millisecond backoffs; a `Retry-After` up to 1.5 s is honoured.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(1500),
    }
}

/// Half a second per attempt, five in all.
pub fn tight_timeouts() -> Timeouts {
    Timeouts {
        attempt: Duration::from_millis(500),
        total: Duration::from_secs(5),
    }
}

/// Every fault a read must get through when it happens twice.
pub fn passing_faults() -> Vec<(&'static str, Fault)> {
    vec![
        (
            "500",
            Fault::Status {
                status: 500,
                retry_after: None,
            },
        ),
        (
            "502 html",
            Fault::Status {
                status: 502,
                retry_after: None,
            },
        ),
        (
            "503",
            Fault::Status {
                status: 503,
                retry_after: None,
            },
        ),
        (
            "429 retry-after",
            Fault::Status {
                status: 429,
                retry_after: Some(1),
            },
        ),
        ("dropped connection", Fault::Drop),
    ]
}
