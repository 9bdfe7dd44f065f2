//! End to end with the emulator: a registered receiver gets each top-up's notification,
//! verified with the hook's key (E52), handled exactly once even when the sandbox sends it
//! twice and when the first delivery is refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use qiwi_sandbox::{SandboxConfig, demo};
use qiwi_wallet::SecretString;
use qiwi_webhook_receiver::webhook::{Verified, WebhookVerifier};
use qiwi_webhook_receiver::{HandlerError, Receiver};
use serde_json::Value;
use tokio::sync::mpsc;

fn top_up(number: &str, amount: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request>\n<request-type>pay</request-type>\n<terminal-id>{}</terminal-id>\n<extra name=\"password\">{}</extra>\n<auth>\n<payment>\n<transaction-number>{number}</transaction-number>\n<from>\n<ccy>RUB</ccy>\n</from>\n<to>\n<amount>{amount}</amount>\n<ccy>RUB</ccy>\n<service-id>99</service-id>\n<account-number>{}</account-number>\n</to>\n</payment>\n</auth>\n</request>\n",
        demo::AGENT_TERMINAL_ID,
        demo::AGENT_PASSWORD,
        demo::QIWI_WALLET
    )
}

async fn wallet(client: &reqwest::Client, method: reqwest::Method, url: String) -> Value {
    let response = client
        .request(method, url)
        .header("accept", "application/json")
        .header("authorization", format!("Bearer {}", demo::QIWI_TOKEN))
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// The next event of `handled`, within 5 s.
async fn next(handled: &mut mpsc::UnboundedReceiver<Verified>) -> Verified {
    tokio::time::timeout(Duration::from_secs(5), handled.recv())
        .await
        .expect("a notification within 5 s")
        .unwrap()
}

#[tokio::test]
async fn each_top_up_is_handled_once_verified_despite_duplicates_and_a_refused_delivery() {
    let retry = Duration::from_millis(200);
    let sandbox = qiwi_sandbox::start(
        SandboxConfig::default()
            .with_processing_delay(Duration::from_millis(50))
            .with_webhook_retry_delays([retry, retry]),
    )
    .await
    .unwrap();
    let base = sandbox.base_url();
    let client = reqwest::Client::new();

    // Register the receiver's URL, then read the hook's key (E52) to verify with.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/qiwi", listener.local_addr().unwrap());
    let hook = wallet(
        &client,
        reqwest::Method::PUT,
        format!(
            "{base}/payment-notifier/v1/hooks?hookType=1&txnType=0&param={}",
            url.replace(':', "%3A").replace('/', "%2F")
        ),
    )
    .await;
    let hook_id = hook["hookId"].as_str().unwrap();
    let key = wallet(
        &client,
        reqwest::Method::GET,
        format!("{base}/payment-notifier/v1/hooks/{hook_id}/key"),
    )
    .await;
    let verifier = WebhookVerifier::new(&SecretString::from(key["key"].as_str().unwrap())).unwrap();

    let (sender, mut handled) = mpsc::unbounded_channel();
    let fail_next = Arc::new(AtomicBool::new(false));
    let failing = fail_next.clone();
    let receiver = Receiver::builder(verifier, move |notification: Verified| {
        let (sender, failing) = (sender.clone(), failing.clone());
        async move {
            if failing.swap(false, Ordering::SeqCst) {
                return Err(HandlerError::from("refused once"));
            }
            sender.send(notification).map_err(HandlerError::from)
        }
    })
    .build();
    tokio::spawn(async move { receiver.serve(listener, "/qiwi").await });
    let agent = |body: String| client.post(sandbox.agent_url()).body(body).send();

    // Sent twice by the sandbox: handled once.
    let twice = client
        .post(format!("{base}/__sandbox/webhooks/deliver-twice"))
        .header("content-type", "application/json")
        .body(r#"{"times": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status().as_u16(), 200);
    agent(top_up("7770001", "25.10")).await.unwrap();
    let Verified::Payment(first) = next(&mut handled).await else {
        panic!("a payment");
    };
    assert_eq!(first.payment.sum.amount.to_string(), "25.1");
    assert!(first.is_signed("sum.amount") && first.is_signed("txnId"));

    // Refused by the handler the first time: handled on the sandbox's retry.
    fail_next.store(true, Ordering::SeqCst);
    agent(top_up("7770002", "3")).await.unwrap();
    let Verified::Payment(second) = next(&mut handled).await else {
        panic!("a payment");
    };
    assert_eq!(second.payment.sum.amount.to_string(), "3");
    assert_ne!(first.payment.txn_id, second.payment.txn_id);
    // The status is not signed: the transaction call (E16) on the signed txnId confirms it.
    let confirmed = wallet(
        &client,
        reqwest::Method::GET,
        format!(
            "{base}/payment-history/v2/transactions/{}?type=IN",
            second.payment.txn_id
        ),
    )
    .await;
    assert_eq!(confirmed["status"], "SUCCESS", "{confirmed}");
    assert_eq!(confirmed["sum"]["amount"].to_string(), "3");

    // Nothing else arrives: no second handling of either.
    let quiet = tokio::time::timeout(retry * 3, handled.recv()).await;
    assert!(quiet.is_err(), "handled again: {quiet:?}");
    let log: Value = client
        .get(format!("{base}/__sandbox/webhooks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deliveries = log["deliveries"].as_array().unwrap();
    let summary: Vec<(u64, u64, &str)> = deliveries
        .iter()
        .map(|d| {
            (
                d["copies"].as_u64().unwrap(),
                d["attempts"].as_u64().unwrap(),
                d["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [(2, 1, "delivered"), (1, 2, "delivered")]);
}
