//! Wallet payments seen by the rest of the emulator: the hook's notifications, the history's
//! totals, and the second demo wallet's own history.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use qiwi_sandbox::{Amount, Sandbox, demo};
use reqwest::Method;
use serde_json::Value;
use sha2::Sha256;

use crate::common::{admin_get, sandbox, wait_for_processing};
use crate::wallet_payments::{get_json, pay, payment, request};
use crate::webhooks::{fast, receiver, register, wait_for};

const HOUR: Duration = Duration::from_secs(3600);

/// A sandbox whose payments settle when its clock is moved an hour ahead, with fast retries.
async fn sandbox_waiting() -> Sandbox {
    qiwi_sandbox::start(fast().with_processing_delay(HOUR))
        .await
        .unwrap()
}

/// The hook's key, as E52 gives it.
async fn hook_key(sb: &Sandbox, hook: &Value) -> String {
    let path = format!(
        "/payment-notifier/v1/hooks/{}/key",
        hook["hookId"].as_str().unwrap()
    );
    get_json(sb, demo::QIWI_TOKEN, &path).await["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Whether `notification` is signed with `key` as §12.1 says: the `signFields` values, from
/// their JSON text, joined with `|`, HMAC-SHA256 with the decoded key, lowercase hex.
fn verifies(notification: &Value, key: &str) -> bool {
    let payment = &notification["payment"];
    let message: Vec<String> = payment["signFields"]
        .as_str()
        .unwrap()
        .split(',')
        .map(|path| {
            let value = path.split('.').fold(payment, |v, part| &v[part]);
            match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        })
        .collect();
    let key = base64::engine::general_purpose::STANDARD
        .decode(key)
        .unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(message.join("|").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    notification["hash"] == hex
}

#[tokio::test]
async fn a_payment_from_the_demo_wallet_is_notified_once_when_it_settles() {
    let sb = sandbox_waiting().await;
    let (url, bodies) = receiver(vec![]).await;
    let hook = register(&sb, &url, "1").await.1;
    assert_eq!(hook["txnType"], "OUT");
    let key = hook_key(&sb, &hook).await;
    let out = payment(
        "7001",
        "1.25",
        "643",
        &format!("+{}", demo::QIWI_SECOND_WALLET),
    );
    let (status, answer) = pay(&sb, demo::QIWI_TOKEN, 99, &out).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    // Money in is not for an `OUT` hook.
    let back = payment("7002", "3", "643", &format!("+{}", demo::QIWI_WALLET));
    assert_eq!(
        pay(&sb, demo::QIWI_SECOND_TOKEN, 99, &back)
            .await
            .unwrap()
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(bodies.lock().unwrap().is_empty(), "nothing while WAITING");

    sb.advance_clock(HOUR);
    let received = wait_for(&bodies, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bodies.lock().unwrap().len(), 1, "exactly one: {received:?}");
    let n = &received[0];
    assert!(verifies(n, &key), "{n}");
    assert_eq!(n["hookId"], hook["hookId"]);
    let p = &n["payment"];
    assert_eq!(p["txnId"], answer["transaction"]["id"]);
    assert_eq!(p["type"], "OUT");
    assert_eq!(p["status"], "SUCCESS");
    assert_eq!(p["errorCode"], "0");
    assert_eq!(p["account"], format!("+{}", demo::QIWI_SECOND_WALLET));
    assert_eq!(p["sum"]["amount"].to_string(), "1.25");
    assert_eq!(
        p["signFields"],
        "sum.currency,sum.amount,type,account,txnId"
    );
}

#[tokio::test]
async fn a_payment_to_the_demo_wallet_is_notified_in_and_a_failed_one_out_as_error() {
    let sb = sandbox_waiting().await;
    let (url, bodies) = receiver(vec![]).await;
    let hook = register(&sb, &url, "2").await.1;
    let key = hook_key(&sb, &hook).await;
    let back = payment("7003", "3", "643", &format!("+{}", demo::QIWI_WALLET));
    let (_, incoming) = pay(&sb, demo::QIWI_SECOND_TOKEN, 99, &back).await.unwrap();
    let failing = payment("7004", "2", "643", demo::AGENT_FAILING_WALLET);
    let (_, failed) = pay(&sb, demo::QIWI_TOKEN, 99, &failing).await.unwrap();
    sb.advance_clock(HOUR);
    wait_for(&bodies, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = bodies.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "{received:?}");
    assert!(received.iter().all(|n| verifies(n, &key)), "{received:?}");
    let find = |txn: &Value| {
        received
            .iter()
            .find(|n| n["payment"]["txnId"] == *txn)
            .map(|n| n["payment"].clone())
            .unwrap()
    };
    let got_in = find(&incoming["transaction"]["id"]);
    assert_eq!(
        (&got_in["type"], &got_in["status"], &got_in["account"]),
        (
            &"IN".into(),
            &"SUCCESS".into(),
            &demo::QIWI_SECOND_WALLET.into()
        )
    );
    assert_eq!(got_in["sum"]["amount"].to_string(), "3");
    let got_err = find(&failed["transaction"]["id"]);
    assert_eq!(
        (&got_err["type"], &got_err["status"]),
        (&"OUT".into(), &"ERROR".into())
    );
    assert_ne!(got_err["errorCode"], "0");
    assert!(got_err["commission"].is_null(), "null on ERROR");
    let log = admin_get(&sb, "webhooks").await;
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 2);
}

/// Per currency, in minor units.
type Sums = BTreeMap<u64, i64>;

fn minor(amount: &Value) -> i64 {
    Amount::parse(&amount.to_string()).unwrap().minor()
}

/// `startDate=..&endDate=..` from a day ago to an hour ahead, at Moscow's offset, encoded.
fn last_day() -> String {
    let write = |t: jiff::Timestamp| {
        t.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(3)))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
            .replace('+', "%2B")
            .replace(':', "%3A")
    };
    let now = jiff::Timestamp::now();
    let start = now - jiff::SignedDuration::from_hours(24);
    let end = now + jiff::SignedDuration::from_hours(1);
    format!("startDate={}&endDate={}", write(start), write(end))
}

/// Every E14 item of `wallet` in `window`, following the cursor, each once.
async fn listed(sb: &Sandbox, token: &str, wallet: &str, window: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    let mut cursor = String::new();
    loop {
        let path =
            format!("/payment-history/v2/persons/{wallet}/payments?rows=50&{window}{cursor}");
        let page = get_json(sb, token, &path).await;
        let data = page["data"].as_array().unwrap_or_else(|| panic!("{page}"));
        for item in data {
            if seen.insert((item["txnId"].as_u64(), item["type"].to_string())) {
                items.push(item.clone());
            }
        }
        match (&page["nextTxnId"], &page["nextTxnDate"]) {
            (Value::Number(id), Value::String(date)) => {
                let date = date.replace('+', "%2B").replace(':', "%3A");
                cursor = format!("&nextTxnId={id}&nextTxnDate={date}");
            }
            _ => return items,
        }
    }
}

/// What E15 should say of `items`: the successful ones' sums in, totals out.
fn sums_of(items: &[Value]) -> (Sums, Sums) {
    let (mut incoming, mut outgoing) = (Sums::new(), Sums::new());
    for item in items.iter().filter(|i| i["status"] == "SUCCESS") {
        let (sums, money) = if item["type"] == "IN" {
            (&mut incoming, &item["sum"])
        } else {
            (&mut outgoing, &item["total"])
        };
        *sums.entry(money["currency"].as_u64().unwrap()).or_default() += minor(&money["amount"]);
    }
    (incoming, outgoing)
}

/// E15's totals of `wallet` in `window`.
async fn totals(sb: &Sandbox, token: &str, wallet: &str, window: &str) -> (Sums, Sums) {
    let path = format!("/payment-history/v2/persons/{wallet}/payments/total?{window}");
    let body = get_json(sb, token, &path).await;
    let read = |list: &Value| -> Sums {
        list.as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|m| (m["currency"].as_u64().unwrap(), minor(&m["amount"])))
            .collect()
    };
    (read(&body["incomingTotal"]), read(&body["outgoingTotal"]))
}

/// The demo wallet pays the second 1.25 RUB and the second pays it back 3 RUB; both settle.
async fn pay_both_ways(sb: &Sandbox) {
    let out = payment(
        "7005",
        "1.25",
        "643",
        &format!("+{}", demo::QIWI_SECOND_WALLET),
    );
    assert_eq!(pay(sb, demo::QIWI_TOKEN, 99, &out).await.unwrap().0, 200);
    let back = payment("7006", "3", "643", &format!("+{}", demo::QIWI_WALLET));
    assert_eq!(
        pay(sb, demo::QIWI_SECOND_TOKEN, 99, &back).await.unwrap().0,
        200
    );
    wait_for_processing().await;
}

fn trm_ids(items: &[Value]) -> Vec<(String, String)> {
    items
        .iter()
        .filter(|i| i["trmTxnId"] == "7005" || i["trmTxnId"] == "7006")
        .map(|i| {
            (
                i["trmTxnId"].as_str().unwrap().to_owned(),
                i["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_totals_count_the_wallet_payments_the_history_lists() {
    let sb = sandbox().await;
    pay_both_ways(&sb).await;
    let window = last_day();
    let items = listed(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET, &window).await;
    let mut paid = trm_ids(&items);
    paid.sort();
    assert_eq!(
        paid,
        [("7005".into(), "OUT".into()), ("7006".into(), "IN".into())],
        "both payments are listed"
    );
    let expected = sums_of(&items);
    assert!(
        expected.0.get(&643).is_some_and(|rub| *rub >= 300),
        "{expected:?}"
    );
    assert_eq!(
        totals(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET, &window).await,
        expected
    );
}

#[tokio::test]
async fn the_second_wallet_has_its_own_history_with_its_token() {
    let sb = sandbox().await;
    pay_both_ways(&sb).await;
    let (token, wallet) = (demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET);
    let window = last_day();
    let items = listed(&sb, token, wallet, &window).await;
    assert_eq!(
        trm_ids(&items),
        [("7006".into(), "OUT".into()), ("7005".into(), "IN".into())],
        "its payments, newest first, and nothing else: {items:?}"
    );
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|i| i["personId"].as_u64() == wallet.parse().ok())
    );
    assert_eq!(items[1]["account"], demo::QIWI_WALLET);
    let (incoming, outgoing) = totals(&sb, token, wallet, &window).await;
    assert_eq!((incoming.clone(), outgoing.clone()), sums_of(&items));
    assert_eq!((incoming[&643], outgoing[&643]), (125, 300));

    let txn_id = items[0]["txnId"].to_string();
    let one = get_json(
        &sb,
        token,
        &format!("/payment-history/v2/transactions/{txn_id}?type=OUT"),
    )
    .await;
    assert_eq!(
        (one["trmTxnId"].as_str(), one["status"].as_str()),
        (Some("7006"), Some("SUCCESS")),
        "{one}"
    );
    let demo_path = format!(
        "/payment-history/v2/persons/{}/payments?rows=50",
        demo::QIWI_WALLET
    );
    let demo_page = get_json(&sb, demo::QIWI_TOKEN, &demo_path).await;
    let theirs = demo_page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["trmTxnId"] != "7005" && i["trmTxnId"] != "7006")
        .unwrap();
    let other = request(
        &sb,
        token,
        Method::GET,
        &format!("/payment-history/v2/transactions/{}", theirs["txnId"]),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        other.status().as_u16(),
        404,
        "the demo wallet's records are not its"
    );
    let foreign = request(&sb, token, Method::GET, &demo_path)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status().as_u16(), 404, "another wallet's history");
}
