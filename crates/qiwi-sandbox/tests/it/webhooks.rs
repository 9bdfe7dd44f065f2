//! Webhooks (E50-E56): the management routes, and notifications signed, delivered to loopback
//! only, retried and duplicated on request.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use qiwi_sandbox::{Sandbox, SandboxConfig, demo};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{admin_get, admin_post, agent, envelope, sandbox_with, wallet_request};

async fn call(sb: &Sandbox, method: Method, path: &str) -> (u16, Value) {
    let r = wallet_request(sb, method, path).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn register(sb: &Sandbox, url: &str, txn_type: &str) -> (u16, Value) {
    let query = format!(
        "/payment-notifier/v1/hooks?hookType=1&param={}&txnType={txn_type}",
        url.replace(':', "%3A").replace('/', "%2F")
    );
    call(sb, Method::PUT, &query).await
}

/// A loopback receiver answering each POST with the next status of `answers` (then 200); it
/// keeps the bodies.
pub async fn receiver(answers: Vec<u16>) -> (String, Arc<Mutex<Vec<Value>>>) {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let answers = Arc::new(Mutex::new(answers.into_iter()));
    let seen = bodies.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let (seen, answers) = (seen.clone(), answers.clone());
            async move {
                seen.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap_or(Value::Null));
                let status = answers.lock().unwrap().next().unwrap_or(200);
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, bodies)
}

fn top_up(number: &str, amount: &str) -> String {
    envelope(
        "pay",
        &format!(
            "  <auth>\n    <payment>\n      <transaction-number>{number}</transaction-number>\n      <from>\n        <ccy>RUB</ccy>\n      </from>\n      <to>\n        <amount>{amount}</amount>\n        <ccy>RUB</ccy>\n        <service-id>99</service-id>\n        <account-number>{}</account-number>\n      </to>\n    </payment>\n  </auth>\n",
            demo::QIWI_WALLET
        ),
    )
}

/// Polls until `count` bodies arrived (at most 5 s).
pub async fn wait_for(bodies: &Mutex<Vec<Value>>, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        if bodies.lock().unwrap().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bodies.lock().unwrap().clone()
}

pub fn fast() -> SandboxConfig {
    SandboxConfig::default()
        .with_webhook_retry_delays([Duration::from_millis(100), Duration::from_millis(200)])
}

#[tokio::test]
async fn the_management_routes_follow_the_reference() {
    let sb = sandbox_with(fast()).await;
    let none = call(&sb, Method::GET, "/payment-notifier/v1/hooks/active").await;
    assert_eq!(none.0, 404, "no hook yet");
    assert_eq!(register(&sb, "http://127.0.0.1:9/hook", "5").await.0, 422);
    let long = format!("http://127.0.0.1/{}", "a".repeat(100));
    assert_eq!(
        register(&sb, &long, "2").await.0,
        500,
        "URL over 100 characters"
    );
    let (status, hook) = register(&sb, "http://127.0.0.1:9/hook", "2").await;
    assert_eq!(status, 200);
    assert_eq!(
        (hook["hookType"].as_str(), hook["txnType"].as_str()),
        (Some("WEB"), Some("BOTH"))
    );
    assert_eq!(hook["hookParameters"]["url"], "http://127.0.0.1:9/hook");
    assert_eq!(
        register(&sb, "http://127.0.0.1:9/other", "0").await.0,
        422,
        "one hook at a time"
    );
    let id = hook["hookId"].as_str().unwrap();
    assert_eq!(
        call(&sb, Method::GET, "/payment-notifier/v1/hooks/active").await,
        (200, hook.clone())
    );
    let (status, key) = call(
        &sb,
        Method::GET,
        &format!("/payment-notifier/v1/hooks/{id}/key"),
    )
    .await;
    assert_eq!(status, 201, "201 on a GET, as documented");
    let (status, new_key) = call(
        &sb,
        Method::POST,
        &format!("/payment-notifier/v1/hooks/{id}/newkey"),
    )
    .await;
    assert_eq!(status, 201);
    assert_ne!(key["key"], new_key["key"]);
    assert_eq!(
        call(&sb, Method::GET, "/payment-notifier/v1/hooks/test").await,
        (200, json!({"response": "Webhook sent"}))
    );
    assert_eq!(
        call(&sb, Method::DELETE, "/payment-notifier/v1/hooks/other-id")
            .await
            .0,
        404
    );
    assert_eq!(
        call(
            &sb,
            Method::DELETE,
            &format!("/payment-notifier/v1/hooks/{id}")
        )
        .await,
        (200, json!({"response": "Hook deleted"}))
    );
    assert_eq!(
        call(&sb, Method::GET, "/payment-notifier/v1/hooks/test")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_top_up_is_notified_signed_and_retried_until_answered_200() {
    let sb = sandbox_with(fast()).await;
    let (url, bodies) = receiver(vec![500, 503]).await;
    let hook = register(&sb, &url, "0").await.1;
    agent(&sb, &top_up("5550001", "12.50")).await;
    let received = wait_for(&bodies, 3).await;
    assert_eq!(received.len(), 3, "two refusals, then a 200: {received:?}");
    assert!(
        received.windows(2).all(|w| w[0] == w[1]),
        "the same notification each time"
    );
    let n = &received[0];
    assert_eq!(n["hookId"], hook["hookId"]);
    assert_eq!(n["test"], false);
    assert_eq!(n["payment"]["type"], "IN");
    assert_eq!(n["payment"]["sum"]["amount"].to_string(), "12.5");
    assert_eq!(
        n["payment"]["signFields"],
        "sum.currency,sum.amount,type,account,txnId"
    );
    // The hash is HMAC-SHA256 over the joined signed fields (checked independently by the
    // SDK's verifier in the receiver crate's end-to-end test).
    assert_eq!(n["hash"].as_str().map(str::len), Some(64));
    let log = admin_get(&sb, "webhooks").await;
    let delivery = &log["deliveries"][0];
    assert_eq!(
        (delivery["status"].as_str(), delivery["attempts"].as_u64()),
        (Some("delivered"), Some(3))
    );
}

#[tokio::test]
async fn retries_stop_after_the_documented_two() {
    let sb = sandbox_with(fast()).await;
    let (url, bodies) = receiver(vec![500, 500, 500, 500]).await;
    register(&sb, &url, "2").await;
    call(&sb, Method::GET, "/payment-notifier/v1/hooks/test").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        bodies.lock().unwrap().len(),
        3,
        "the first attempt and two retries"
    );
    let log = admin_get(&sb, "webhooks").await;
    assert_eq!(log["deliveries"][0]["status"], "failed");
}

#[tokio::test]
async fn the_deliver_twice_fault_sends_one_notification_twice() {
    let sb = sandbox_with(fast()).await;
    let (url, bodies) = receiver(vec![]).await;
    register(&sb, &url, "2").await;
    let r = admin_post(&sb, "webhooks/deliver-twice", &json!({"times": 1})).await;
    assert_eq!(r.status().as_u16(), 200);
    call(&sb, Method::GET, "/payment-notifier/v1/hooks/test").await;
    let received = wait_for(&bodies, 2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0]["messageId"], received[1]["messageId"]);
    assert_eq!(received[0]["test"], true);
}

#[tokio::test]
async fn a_hook_on_another_host_is_stored_but_never_sent_to() {
    let sb = sandbox_with(fast()).await;
    assert_eq!(register(&sb, "https://example.com/qiwi", "2").await.0, 200);
    agent(&sb, &top_up("5550002", "3")).await;
    call(&sb, Method::GET, "/payment-notifier/v1/hooks/test").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = admin_get(&sb, "webhooks").await;
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2, "{log}");
    for delivery in deliveries {
        assert_eq!(delivery["status"], "held");
        assert_eq!(delivery["attempts"], 0);
    }
    assert_eq!(log["hook"]["key"].as_str().map(str::len), Some(44));
}
