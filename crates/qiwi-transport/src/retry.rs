//! When to try a request again, as a pure function.
//!
//! [`decide`] looks only at its arguments (the policy, whether the request is idempotent, what
//! happened, the attempt number, the `Retry-After` value and a jitter sample), so every case is a
//! row in a table test and nothing sleeps.

use std::time::{Duration, SystemTime};

use http::StatusCode;

use crate::TransportErrorKind;

/// Bounds on retrying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts in all, the first included. `1` turns retrying off.
    pub max_attempts: u32,
    /// The backoff ceiling before the second attempt; it doubles for each attempt after.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest `Retry-After` that is waited for as given; a longer one is cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// What happened on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An answer arrived with this status.
    Status(StatusCode),
    /// No answer arrived.
    Failed(TransportErrorKind),
    /// A success status whose body asks for the same request again after this wait, which
    /// must be honoured: [`Classification::RetryAfter`](crate::Classification).
    Busy(Duration),
    /// A success status whose body says the request's effect is unknown:
    /// [`Classification::FateUnknown`](crate::Classification).
    FateUnknown,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Stop and report this outcome.
    Stop(StopReason),
}

/// Why no further attempt is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The attempt succeeded.
    Success,
    /// The outcome is not one that another attempt could change.
    NotRetryable,
    /// The request is not idempotent: sending it again could repeat its effect.
    NotIdempotent,
    /// The policy's attempts are used up.
    AttemptsExhausted,
    /// The request's effect is unknown: sending it again could repeat it.
    FateUnknown,
    /// The service asks for a wait longer than the policy's `max_retry_after`; a wait that
    /// must be honoured is never cut short.
    WaitTooLong,
}

/// Statuses worth another attempt: the server may answer differently next time.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Failures worth another attempt.
pub fn is_retryable_failure(kind: TransportErrorKind) -> bool {
    matches!(
        kind,
        TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Reset
    )
}

/// Decides whether attempt number `attempt` (1 for the first) is followed by another.
///
/// `retry_after` is the parsed `Retry-After` of the answer, if any; `jitter` is a sample from
/// `[0, 1)` that scales the backoff ceiling ("full jitter").
pub fn decide(
    policy: &RetryPolicy,
    idempotent: bool,
    outcome: Outcome,
    attempt: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Decision {
    let retryable = match outcome {
        Outcome::Status(status) if status.is_success() => {
            return Decision::Stop(StopReason::Success);
        }
        Outcome::Status(status) => is_retryable_status(status),
        Outcome::Failed(kind) => is_retryable_failure(kind),
        Outcome::FateUnknown => return Decision::Stop(StopReason::FateUnknown),
        Outcome::Busy(_) => true,
    };
    if !retryable {
        return Decision::Stop(StopReason::NotRetryable);
    }
    if !idempotent {
        return Decision::Stop(StopReason::NotIdempotent);
    }
    if attempt >= policy.max_attempts {
        return Decision::Stop(StopReason::AttemptsExhausted);
    }
    let wait = match (outcome, retry_after) {
        (Outcome::Busy(wait), _) if wait > policy.max_retry_after => {
            return Decision::Stop(StopReason::WaitTooLong);
        }
        (Outcome::Busy(wait), _) => wait,
        (_, Some(wait)) => wait.min(policy.max_retry_after),
        (_, None) => jittered(backoff(policy, attempt), jitter),
    };
    Decision::Retry(wait)
}

/// `ceiling` scaled by a jitter sample, clamped to `[0, 1]` (NaN counts as 1). Integer
/// arithmetic on nanoseconds: exact, and at most `ceiling` even for `Duration::MAX`.
fn jittered(ceiling: Duration, jitter: f64) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    let jitter = if jitter.is_nan() {
        1.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    let billionths = Duration::from_secs_f64(jitter).as_nanos();
    let scaled = ceiling.as_nanos() * billionths / NANOS_PER_SEC;
    let secs = u64::try_from(scaled / NANOS_PER_SEC).unwrap_or(u64::MAX);
    let nanos = u32::try_from(scaled % NANOS_PER_SEC).unwrap_or(0);
    Duration::new(secs, nanos)
}

/// The backoff ceiling after attempt number `attempt`: doubling from the initial value, capped.
pub fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(31);
    policy
        .initial_backoff
        .saturating_mul(1u32 << doublings)
        .min(policy.max_backoff)
}

/// The longest wait a `Retry-After` is read as: one hour. A service that asks for more (up to
/// `18446744073709551615` seconds has been seen) is taken to mean "a long while", and every
/// error and message then shows a wait a caller can act on.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// Reads a `Retry-After` value: delay seconds (`120`) or an HTTP date, relative to `now`,
/// bounded by [`MAX_RETRY_AFTER`].
///
/// A date in the past gives zero; anything unreadable gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        // More seconds than a `u64` holds.
        Err(_) if digits => MAX_RETRY_AFTER,
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            at.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;
    use StopReason::*;

    const GET: bool = true;
    const POST: bool = false;
    const POST_IDEMPOTENT: bool = true;

    fn status(code: u16) -> Outcome {
        Outcome::Status(StatusCode::from_u16(code).unwrap())
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(10),
        }
    }

    /// (case, idempotent, outcome, attempt, Retry-After, jitter, expected)
    type Row = (
        &'static str,
        bool,
        Outcome,
        u32,
        Option<Duration>,
        f64,
        Decision,
    );

    #[test]
    fn decision_table() {
        let ms = Duration::from_millis;
        let s = Duration::from_secs;
        #[rustfmt::skip]
        let table: &[Row] = &[
            ("GET 200",                      GET, status(200), 1, None, 0.5, Stop(Success)),
            ("GET 204",                      GET, status(204), 1, None, 0.5, Stop(Success)),
            ("GET 500",                      GET, status(500), 1, None, 1.0, Retry(ms(100))),
            ("GET 502",                      GET, status(502), 1, None, 1.0, Retry(ms(100))),
            ("GET 503",                      GET, status(503), 2, None, 1.0, Retry(ms(200))),
            ("GET 504",                      GET, status(504), 3, None, 1.0, Retry(ms(400))),
            ("GET 429",                      GET, status(429), 1, None, 1.0, Retry(ms(100))),
            ("GET 408",                      GET, status(408), 1, None, 1.0, Retry(ms(100))),
            ("GET connect error",            GET, Outcome::Failed(TransportErrorKind::Connect), 1, None, 1.0, Retry(ms(100))),
            ("GET timeout",                  GET, Outcome::Failed(TransportErrorKind::Timeout), 1, None, 1.0, Retry(ms(100))),
            ("GET reset",                    GET, Outcome::Failed(TransportErrorKind::Reset), 1, None, 1.0, Retry(ms(100))),
            ("GET body too large",           GET, Outcome::Failed(TransportErrorKind::BodyTooLarge { limit: 1 }), 1, None, 1.0, Stop(NotRetryable)),
            ("full jitter scales the wait",  GET, status(503), 1, None, 0.25, Retry(ms(25))),
            ("zero jitter retries at once",  GET, status(503), 1, None, 0.0, Retry(ms(0))),
            ("backoff is capped",            GET, status(503), 3, None, 1.0, Retry(ms(400))),
            ("POST 500 never",               POST, status(500), 1, None, 1.0, Stop(NotIdempotent)),
            ("POST 503 never",               POST, status(503), 1, None, 1.0, Stop(NotIdempotent)),
            ("POST timeout never",           POST, Outcome::Failed(TransportErrorKind::Timeout), 1, None, 1.0, Stop(NotIdempotent)),
            ("POST connect error never",     POST, Outcome::Failed(TransportErrorKind::Connect), 1, None, 1.0, Stop(NotIdempotent)),
            ("POST idempotent 503",          POST_IDEMPOTENT, status(503), 1, None, 1.0, Retry(ms(100))),
            ("POST idempotent timeout",      POST_IDEMPOTENT, Outcome::Failed(TransportErrorKind::Timeout), 2, None, 1.0, Retry(ms(200))),
            ("400 never",                    GET, status(400), 1, None, 1.0, Stop(NotRetryable)),
            ("401 never",                    GET, status(401), 1, None, 1.0, Stop(NotRetryable)),
            ("403 never",                    GET, status(403), 1, None, 1.0, Stop(NotRetryable)),
            ("404 never",                    GET, status(404), 1, None, 1.0, Stop(NotRetryable)),
            ("423 never (a block lasts minutes)", GET, status(423), 1, None, 1.0, Stop(NotRetryable)),
            ("Retry-After honoured",         GET, status(429), 1, Some(s(3)), 0.1, Retry(s(3))),
            ("Retry-After on 503",           GET, status(503), 1, Some(s(2)), 0.9, Retry(s(2))),
            ("Retry-After capped",           GET, status(429), 1, Some(s(3600)), 0.5, Retry(s(10))),
            ("attempts exhausted",           GET, status(503), 4, None, 1.0, Stop(AttemptsExhausted)),
            ("exhausted despite Retry-After", GET, status(429), 4, Some(s(1)), 1.0, Stop(AttemptsExhausted)),
            ("busy read waits as asked",     GET, Outcome::Busy(s(10)), 1, None, 0.5, Retry(s(10))),
            ("busy read, wait too long",     GET, Outcome::Busy(s(60)), 1, None, 0.5, Stop(WaitTooLong)),
            ("busy read, attempts used",     GET, Outcome::Busy(s(1)), 4, None, 0.5, Stop(AttemptsExhausted)),
            ("busy write never",             POST, Outcome::Busy(s(1)), 1, None, 0.5, Stop(NotIdempotent)),
            ("busy resendable write waits",  POST_IDEMPOTENT, Outcome::Busy(s(1)), 1, None, 0.5, Retry(s(1))),
            ("fate unknown never",           POST_IDEMPOTENT, Outcome::FateUnknown, 1, None, 0.5, Stop(FateUnknown)),
            ("fate unknown, even a read",    GET, Outcome::FateUnknown, 1, None, 0.5, Stop(FateUnknown)),
        ];
        for (name, idempotent, outcome, attempt, retry_after, jitter, expected) in table {
            let got = decide(
                &policy(),
                *idempotent,
                *outcome,
                *attempt,
                *retry_after,
                *jitter,
            );
            assert_eq!(got, *expected, "{name}");
        }
    }

    #[test]
    fn backoff_doubles_then_caps_without_overflow() {
        let p = policy();
        let ceilings: Vec<_> = (1..=6).map(|a| backoff(&p, a).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff(&p, u32::MAX), p.max_backoff);
    }

    #[test]
    fn unbounded_policies_and_odd_jitter_saturate() {
        let unbounded = RetryPolicy {
            max_attempts: u32::MAX,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            max_retry_after: Duration::MAX,
        };
        let huge = Duration::from_secs(u64::MAX);
        for (jitter, expected) in [
            (1.0, Duration::MAX),
            (f64::NAN, Duration::MAX),
            (f64::INFINITY, Duration::MAX),
            (-1.0, Duration::ZERO),
        ] {
            let got = decide(&unbounded, GET, status(503), 1, None, jitter);
            assert_eq!(got, Retry(expected), "jitter {jitter}");
        }
        let got = decide(&unbounded, GET, status(429), 1, Some(huge), 0.5);
        assert_eq!(got, Retry(huge));
        assert_eq!(
            decide(&policy(), GET, status(429), 1, Some(huge), 0.5),
            Retry(policy().max_retry_after)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
