//! The history limiter's arithmetic, in process with a clock the test drives: no window ever
//! holds more requests than the limit, and every wait is exactly what the window implies.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use qiwi_transport::test_util::{
    Advance, TickAdvanceSleep, TickAdvanceTime, tick_advance_time_and_sleep,
};
use qiwi_transport::time::TimeSource;
use qiwi_transport::{Request, Response, StatusCode, Transport, TransportError};
use qiwi_wallet::{
    DEFAULT_HISTORY_LIMIT, HISTORY_WINDOW, HistoryFilter, HistoryLimiter, SecretString,
    WalletClient,
};

/// Answers every request with an empty history page and notes when it was sent.
#[derive(Debug, Clone)]
struct Clocked {
    time: TickAdvanceTime,
    sent: Arc<Mutex<Vec<Instant>>>,
}

#[async_trait]
impl Transport for Clocked {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        self.sent.lock().unwrap().push(self.time.now());
        Ok(Response::new(StatusCode::OK, r#"{"data": []}"#))
    }
}

struct Setup {
    time: TickAdvanceTime,
    sleep: TickAdvanceSleep,
    transport: Clocked,
    start: Instant,
}

impl Setup {
    fn new() -> Self {
        let (time, sleep) = tick_advance_time_and_sleep(Advance::OnSleep);
        let transport = Clocked {
            time: time.clone(),
            sent: Arc::default(),
        };
        let start = time.now();
        Self {
            time,
            sleep,
            transport,
            start,
        }
    }

    fn client(&self, limiter: Option<HistoryLimiter>) -> WalletClient {
        WalletClient::builder()
            .token(SecretString::from("token-for-the-limiter"))
            .wallet("79111234567".parse().unwrap())
            .transport(Arc::new(self.transport.clone()))
            .time_source(Arc::new(self.time.clone()))
            .sleep(Arc::new(self.sleep.clone()))
            .history_limiter(limiter)
            .build()
            .unwrap()
    }

    /// When each request was sent, from the start.
    fn sent(&self) -> Vec<Duration> {
        let sent = self.transport.sent.lock().unwrap();
        sent.iter().map(|t| t.duration_since(self.start)).collect()
    }
}

/// The most requests sent within any one window.
fn busiest_window(sent: &[Duration]) -> usize {
    let mut sorted = sent.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| {
            sorted[i..]
                .iter()
                .take_while(|t| **t < sorted[i] + HISTORY_WINDOW)
                .count()
        })
        .max()
        .unwrap_or(0)
}

async fn one_page(client: &WalletClient) {
    client
        .history_page(50, &HistoryFilter::default(), None)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_hundred_and_fifty_calls_through_clones_and_a_second_client_wait_exactly_what_the_window_implies()
 {
    let setup = Setup::new();
    let shared = HistoryLimiter::default();
    let first = setup.client(Some(shared.clone()));
    let clients = [first.clone(), first, setup.client(Some(shared))];
    let limit = DEFAULT_HISTORY_LIMIT as usize;

    // The model: call k wants to go `pause` after the one before; it goes then, or when the
    // call `limit` places earlier leaves the window, whichever is later.
    let mut expected_sent: Vec<Duration> = Vec::new();
    let mut expected_waits = Vec::new();
    let mut now = Duration::ZERO;
    for k in 0..150 {
        let pause = Duration::from_millis(150 * (k % 7));
        setup.time.tick(pause);
        now += pause;
        let at = match k.checked_sub(limit as u64) {
            Some(earlier) => now.max(expected_sent[earlier as usize] + HISTORY_WINDOW),
            None => now,
        };
        if at > now {
            expected_waits.push(at - now);
        }
        now = at;
        expected_sent.push(at);
        one_page(&clients[k as usize % clients.len()]).await;
    }

    let sent = setup.sent();
    assert_eq!(sent, expected_sent);
    assert_eq!(setup.sleep.sleeps(), expected_waits);
    assert!(!expected_waits.is_empty(), "the test reaches the limit");
    assert_eq!(busiest_window(&sent), limit);
    assert!(limit < 100, "a margin under the documented 100");
}

#[tokio::test]
async fn a_hundred_and_fifty_concurrent_callers_never_exceed_the_limit() {
    let setup = Setup::new();
    let client = setup.client(Some(HistoryLimiter::new(20, HISTORY_WINDOW)));
    let tasks: Vec<_> = (0..150)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { one_page(&client).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let sent = setup.sent();
    assert_eq!(sent.len(), 150);
    assert_eq!(busiest_window(&sent), 20);
    // 150 requests at 20 a window: the last goes after 7 full windows.
    assert_eq!(sent.iter().max(), Some(&(HISTORY_WINDOW * 7)));
}

#[tokio::test]
async fn switched_off_the_limiter_never_waits() {
    let setup = Setup::new();
    let client = setup.client(None);
    for _ in 0..150 {
        one_page(&client).await;
    }
    assert_eq!(setup.sent().len(), 150);
    assert!(setup.sleep.sleeps().is_empty());
}
