//! Webhooks end to end against one `qiwi sandbox serve` process: a receiver running here is
//! registered with `qiwi wallet webhook register`, a wallet payment and an agent top-up are made
//! with `qiwi wallet pay` and `qiwi agent pay`, and the handler gets each notification exactly
//! once, verified, although the sandbox sends the first one twice and the handler refuses the
//! first delivery of the second (the sandbox then sends it again).

use crate::program::{self, Served};

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qiwi_wallet::SecretString;
use qiwi_webhook_receiver::webhook::{Verified, VerifiedPayment, WebhookVerifier};
use qiwi_webhook_receiver::{HandlerError, Receiver};
use serde_json::Value;

/// The sandbox's retry delay for a refused notification.
const RETRY_MS: u64 = 200;

/// `qiwi --json ARGS` with `env`; its stdout document, after checking it succeeded.
async fn run(args: &[&str], env: &[(&'static str, String)]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = program::qiwi_async(&all, env).await;
    assert!(
        output.status.success(),
        "{args:?}: {}",
        program::stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What the handler was given, and how often it ran.
#[derive(Default)]
struct Handled {
    payments: Mutex<Vec<VerifiedPayment>>,
    runs: AtomicUsize,
    refuse_next: AtomicBool,
}

impl Handled {
    fn count(&self) -> usize {
        self.payments.lock().unwrap().len()
    }

    /// Waits up to 5 s until `n` payments were handled.
    async fn until(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.count() < n {
            assert!(Instant::now() < deadline, "{} of {n} handled", self.count());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_and_a_top_up_are_each_handled_once_verified_despite_a_duplicate_and_a_refusal() {
    let retry = format!("{RETRY_MS},{RETRY_MS}");
    let served = Served::start(&["--processing-ms", "50", "--webhook-retry-ms", &retry]);
    let wallet = served.wallet_env();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/qiwi", listener.local_addr().unwrap());
    let hook = run(
        &["wallet", "webhook", "register", &url, "--type", "both"],
        &wallet,
    )
    .await;
    assert_eq!(hook["hook"]["txn_type"], "BOTH", "{hook}");
    let key = run(&["wallet", "webhook", "key"], &wallet).await;
    let key = SecretString::from(key["key"].as_str().unwrap());

    let handled = Arc::new(Handled::default());
    let seen = handled.clone();
    let receiver = Receiver::builder(
        WebhookVerifier::new(&key).unwrap(),
        move |notification: Verified| {
            let seen = seen.clone();
            async move {
                seen.runs.fetch_add(1, Ordering::SeqCst);
                if seen.refuse_next.swap(false, Ordering::SeqCst) {
                    return Err(HandlerError::from("not now"));
                }
                let Verified::Payment(payment) = notification else {
                    return Err(HandlerError::from("a payment was expected"));
                };
                seen.payments.lock().unwrap().push(*payment);
                Ok(())
            }
        },
    )
    .build();
    tokio::spawn(async move { receiver.serve(listener, "/qiwi").await });

    // The wallet payment's notification is sent twice, with one messageId.
    let twice = served.admin("/__sandbox/webhooks/deliver-twice", Some(r#"{"times": 1}"#));
    assert_eq!(twice["deliverTwice"], 1, "{twice}");
    let paid = run(
        &[
            "wallet",
            "pay",
            "wallet",
            "79991234568",
            "--amount",
            "1.25",
            "--yes",
            "--interval",
            "1",
        ],
        &wallet,
    )
    .await;
    assert_eq!(paid["outcome"], "paid", "{paid}");
    handled.until(1).await;

    // The top-up's first delivery is refused by the handler: the sandbox sends it again.
    handled.refuse_next.store(true, Ordering::SeqCst);
    let mut agent = served.agent_env();
    agent.extend(wallet.iter().cloned());
    let wallet_number = served.text("/qiwi/wallet");
    let topped = run(
        &[
            "agent",
            "pay",
            "--wallet",
            &wallet_number,
            "--amount",
            "3.50",
        ],
        &agent,
    )
    .await;
    assert_eq!(topped["outcome"], "paid", "{topped}");
    handled.until(2).await;

    // Longer than every retry the sandbox could still make: nothing more arrives.
    tokio::time::sleep(Duration::from_millis(RETRY_MS * 4)).await;
    let payments = handled.payments.lock().unwrap().clone();
    assert_eq!(payments.len(), 2, "each handled once");
    assert_eq!(
        handled.runs.load(Ordering::SeqCst),
        3,
        "the refusal, then one run each"
    );
    let [payment, top_up] = &payments[..] else {
        unreachable!()
    };
    assert_eq!(
        (
            payment.payment.txn_id.to_string(),
            payment.payment.kind.to_string(),
            payment.payment.sum.amount.to_string(),
        ),
        (
            paid["transaction"].as_str().unwrap().to_owned(),
            "OUT".to_owned(),
            "1.25".to_owned()
        )
    );
    assert_eq!(
        (
            top_up.payment.kind.to_string(),
            top_up.payment.sum.amount.to_string()
        ),
        ("IN".to_owned(), "3.5".to_owned())
    );
    for verified in &payments {
        for field in ["txnId", "sum.amount", "sum.currency", "type", "account"] {
            assert!(verified.is_signed(field), "{field} unsigned");
        }
    }

    // The sandbox's own record: the first sent twice in one attempt, the second in two.
    let log = served.admin("/__sandbox/webhooks", None);
    let deliveries: Vec<(String, u64, u64, String)> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["messageId"].as_str().unwrap().to_owned(),
                d["copies"].as_u64().unwrap(),
                d["attempts"].as_u64().unwrap(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        deliveries,
        [
            (payment.message_id.clone(), 2, 1, "delivered".to_owned()),
            (top_up.message_id.clone(), 1, 2, "delivered".to_owned()),
        ]
    );
}
