//! Invoices and P2P keys (E36-E39): the demo wallet's unpaid invoices page by page, paying one
//! (the wallet debited, the history grown by its amount), rejecting one, and the P2P secret
//! keys that open the invoice calls.

use qiwi_sandbox::{Sandbox, demo};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{client, sandbox, wallet_get, wallet_request};

const SEARCH: &str = "/checkout-api/api/bill/search?statuses=READY_FOR_PAY";
const PAY: &str = "/checkout-api/invoice/pay/wallet";
const REJECT: &str = "/checkout-api/api/bill/reject";
const KEYS: &str = "/widgets-api/api/p2p/protected/keys/create";

async fn bills(sb: &Sandbox, query: &str) -> Vec<Value> {
    let (status, body) = wallet_get(sb, &format!("{SEARCH}{query}")).await;
    assert_eq!(status, 200, "{body}");
    body["bills"].as_array().unwrap().clone()
}

fn ids(bills: &[Value]) -> Vec<u64> {
    bills.iter().map(|b| b["id"].as_u64().unwrap()).collect()
}

async fn post(sb: &Sandbox, path: &str, content_type: Option<&str>, body: Value) -> (u16, String) {
    let mut request = wallet_request(sb, Method::POST, path);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    let response = request.body(body.to_string()).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn rub_balance(sb: &Sandbox) -> f64 {
    let path = format!("/funding-sources/v2/persons/{}/accounts", demo::QIWI_WALLET);
    let (_, body) = wallet_get(sb, &path).await;
    let account = body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == "qw_wallet_rub")
        .unwrap()
        .clone();
    account["balance"]["amount"].as_f64().unwrap()
}

async fn newest_payment(sb: &Sandbox) -> Value {
    let path = format!(
        "/payment-history/v2/persons/{}/payments?rows=1",
        demo::QIWI_WALLET
    );
    wallet_get(sb, &path).await.1["data"][0].clone()
}

#[tokio::test]
async fn the_search_lists_unpaid_invoices_newest_first_across_pages() {
    let sb = sandbox().await;
    let all = bills(&sb, "").await;
    assert_eq!(all.len(), 7);
    let times: Vec<i64> = all
        .iter()
        .map(|b| b["creation_datetime"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]), "{times:?}");
    assert!(
        times.iter().all(|t| *t > 1_000_000_000_000),
        "milliseconds: {times:?}"
    );
    for key in [
        "external_id",
        "expiration_datetime",
        "sum",
        "status",
        "type",
        "provider",
        "pay_url",
    ] {
        assert!(all[0].get(key).is_some(), "{key}: {}", all[0]);
    }
    // Pages of 3 follow the cursor; each page starts with the cursor's own invoice again.
    let mut seen = Vec::new();
    let mut page = bills(&sb, "&rows=3").await;
    loop {
        for id in ids(&page) {
            if !seen.contains(&id) {
                seen.push(id);
            }
        }
        if page.len() < 3 {
            break;
        }
        let last = page.last().unwrap();
        let cursor = format!(
            "&rows=3&next_id={}&next_creation_datetime={}",
            last["id"], last["creation_datetime"]
        );
        let next = bills(&sb, &cursor).await;
        assert_eq!(next[0]["id"], last["id"]);
        page = next;
    }
    assert_eq!(seen, ids(&all));
    // Creation-time bounds in milliseconds, both included.
    let window = format!(
        "&min_creation_datetime={}&max_creation_datetime={}",
        times[3], times[1]
    );
    assert_eq!(ids(&bills(&sb, &window).await), ids(&all[1..=3]));
}

#[tokio::test]
async fn the_search_refuses_seconds_a_missing_status_and_rows_out_of_range() {
    let sb = sandbox().await;
    for path in [
        format!("{SEARCH}&min_creation_datetime=1523025585"),
        format!("{SEARCH}&rows=51"),
        "/checkout-api/api/bill/search".to_owned(),
    ] {
        let (status, body) = wallet_get(&sb, &path).await;
        assert_eq!(status, 400, "{path}: {body}");
    }
}

#[tokio::test]
async fn paying_an_invoice_debits_the_wallet_and_records_it_in_the_history() {
    let sb = sandbox().await;
    let before = rub_balance(&sb).await;
    let invoice = bills(&sb, "").await[0].clone();
    let amount = invoice["sum"]["amount"].as_f64().unwrap();
    let body = json!({"invoice_uid": invoice["id"].to_string(), "currency": "643"});
    let (status, text) = post(
        &sb,
        PAY,
        Some("application/json;charset=UTF-8"),
        body.clone(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["invoice_status"], "PAID_STATUS");
    assert_eq!(answer["is_sms_confirm"], "false");
    let after = rub_balance(&sb).await;
    assert!(
        (before - after - amount).abs() < 1e-9,
        "{before} - {amount} != {after}"
    );
    let payment = newest_payment(&sb).await;
    assert_eq!(payment["type"], "OUT");
    assert_eq!(payment["status"], "SUCCESS");
    assert_eq!(payment["sum"]["amount"].as_f64(), Some(amount));
    assert_eq!(payment["comment"], invoice["comment"]);
    assert!(!ids(&bills(&sb, "").await).contains(&invoice["id"].as_u64().unwrap()));
    // Paid once: the invoice is no longer there to pay.
    let (again, _) = post(&sb, PAY, Some("application/json"), body).await;
    assert_eq!(again, 404);
    assert_eq!(rub_balance(&sb).await, after);
}

#[tokio::test]
async fn two_concurrent_payments_of_one_invoice_debit_it_once() {
    // The balance one payment leaves, on a sandbox of its own.
    let once = sandbox().await;
    let invoice = bills(&once, "").await[0].clone();
    let body = json!({"invoice_uid": invoice["id"].to_string(), "currency": "643"});
    let (paid, _) = post(&once, PAY, Some("application/json"), body.clone()).await;
    assert_eq!(paid, 200);

    let sb = sandbox().await;
    let (a, b) = tokio::join!(
        post(&sb, PAY, Some("application/json"), body.clone()),
        post(&sb, PAY, Some("application/json"), body),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 404], "{a:?} {b:?}");
    assert_eq!(rub_balance(&sb).await, rub_balance(&once).await);
}

#[tokio::test]
async fn an_invoice_beyond_the_balance_is_refused_and_nothing_moves() {
    let sb = sandbox().await;
    let before = rub_balance(&sb).await;
    let all = bills(&sb, "").await;
    let large = all
        .iter()
        .find(|b| b["sum"]["amount"].as_f64().unwrap() > before)
        .unwrap();
    let body = json!({"invoice_uid": large["id"].to_string(), "currency": "643"});
    let (status, text) = post(&sb, PAY, Some("application/json"), body).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("QWPRC-220"), "{text}");
    assert_eq!(rub_balance(&sb).await, before);
    assert_eq!(bills(&sb, "").await.len(), all.len());
}

#[tokio::test]
async fn rejecting_an_invoice_removes_it_and_answers_without_a_body() {
    let sb = sandbox().await;
    let before = rub_balance(&sb).await;
    let id = bills(&sb, "").await[1]["id"].as_u64().unwrap();
    // The reference's curl sends no Content-Type.
    let (status, text) = post(&sb, REJECT, None, json!({"id": id})).await;
    assert_eq!((status, text.as_str()), (200, ""));
    assert!(!ids(&bills(&sb, "").await).contains(&id));
    let (again, _) = post(&sb, REJECT, Some("application/json"), json!({"id": id})).await;
    assert_eq!(again, 404);
    assert_eq!(rub_balance(&sb).await, before);
}

#[tokio::test]
async fn a_p2p_secret_key_opens_the_invoice_calls() {
    let sb = sandbox().await;
    let (status, text) = post(
        &sb,
        KEYS,
        Some("application/json"),
        json!({"keysPairName": "shop", "serverNotificationsUrl": "https://example.com/qiwi"}),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let pair: Value = serde_json::from_str(&text).unwrap();
    let secret = pair["SecretKey"].as_str().unwrap();
    assert!(pair["PublicKey"].as_str().is_some_and(|k| !k.is_empty()));
    let search = |token: String| {
        client()
            .get(format!("{}{SEARCH}", sb.base_url()))
            .header("Accept", "application/json")
            .header("Authorization", format!("Bearer {token}"))
            .send()
    };
    assert_eq!(search(secret.to_owned()).await.unwrap().status(), 200);
    assert_eq!(search("sk-unknown".to_owned()).await.unwrap().status(), 401);
    // Keys created in a loop: the newest hundred are kept, the first no longer opens them.
    let mut newest = String::new();
    for _ in 0..100 {
        let (_, text) = post(
            &sb,
            KEYS,
            Some("application/json"),
            json!({"keysPairName": "x"}),
        )
        .await;
        let pair: Value = serde_json::from_str(&text).unwrap();
        newest = pair["SecretKey"].as_str().unwrap().to_owned();
    }
    assert_eq!(search(secret.to_owned()).await.unwrap().status(), 401);
    assert_eq!(search(newest).await.unwrap().status(), 200);
    for body in [
        json!({}),
        json!({"keysPairName": "x", "serverNotificationsUrl": "ftp://x"}),
    ] {
        let (status, _) = post(&sb, KEYS, Some("application/json"), body).await;
        assert_eq!(status, 400);
    }
}
