//! QIWI Wallet payment history (E14-E18): paging, filters, totals, receipts, errors in the
//! documented shapes, and the 100-a-minute limit.

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{
    agent, envelope, sandbox, sandbox_with, text, wait_for_processing, wallet_get, wallet_request,
    wallet_send,
};
use qiwi_sandbox::{Amount, DemoData, HistoryDemo, SandboxConfig, demo};
use reqwest::Method;
use serde_json::{Value, json};

const PAYMENTS: &str = "/payment-history/v2/persons/79991234567/payments";

fn enc(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

/// Every page of the history for `query`, following the cursor; the items in order.
async fn all_pages(sb: &qiwi_sandbox::Sandbox, query: &str) -> (Vec<Value>, usize) {
    pages_of(sb, 50, query).await
}

async fn pages_of(sb: &qiwi_sandbox::Sandbox, rows: u32, query: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let (status, body) =
            wallet_get(sb, &format!("{PAYMENTS}?rows={rows}{query}{cursor}")).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        items.extend(body["data"].as_array().unwrap().iter().cloned());
        match (&body["nextTxnId"], &body["nextTxnDate"]) {
            (Value::Number(id), Value::String(date)) => {
                cursor = format!("&nextTxnId={id}&nextTxnDate={}", enc(date));
            }
            _ => return (items, pages),
        }
    }
}

/// An amount in minor units, read from its exact digits.
fn minor(amount: &Value) -> i64 {
    Amount::parse(&amount.to_string()).unwrap().minor()
}

/// `&startDate=..&endDate=..` from `start` to `end`, written at UTC+`hours` and encoded.
fn window(start: jiff::Timestamp, end: jiff::Timestamp, hours: i8) -> String {
    let write = |t: jiff::Timestamp| {
        let text = t
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(hours)))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string();
        enc(&text)
    };
    format!("&startDate={}&endDate={}", write(start), write(end))
}

fn key(item: &Value) -> (u64, String) {
    (
        item["txnId"].as_u64().unwrap(),
        item["type"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn the_demo_history_pages_to_its_end_with_every_kind_of_payment() {
    let sb = sandbox().await;
    let (items, pages) = all_pages(&sb, "").await;
    assert!(items.len() >= 300, "{}", items.len());
    assert!(pages >= 7);
    let mut seen = BTreeSet::new();
    let repeats = items.iter().filter(|i| !seen.insert(key(i))).count();
    assert!(
        repeats <= pages,
        "only a conversion split by a page boundary comes twice"
    );
    for (field, value) in [
        ("type", "IN"),
        ("type", "OUT"),
        ("status", "ERROR"),
        ("status", "SUCCESS"),
    ] {
        assert!(items.iter().any(|i| i[field] == value), "{field} {value}");
    }
    for currency in [643, 840, 978] {
        assert!(items.iter().any(|i| i["sum"]["currency"] == currency));
    }
    let first = &items[0];
    for field in [
        "txnId",
        "personId",
        "date",
        "errorCode",
        "error",
        "status",
        "type",
        "statusText",
        "trmTxnId",
        "account",
        "sum",
        "commission",
        "total",
        "provider",
        "source",
        "comment",
        "currencyRate",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(first["date"].as_str().unwrap().ends_with("+03:00"));
}

#[tokio::test]
async fn filters_narrow_the_history_and_dates_follow_the_requested_offset() {
    let sb = sandbox().await;
    let (all, _) = all_pages(&sb, "").await;
    let (incoming, _) = all_pages(&sb, "&operation=IN").await;
    assert!(!incoming.is_empty() && incoming.iter().all(|i| i["type"] == "IN"));
    let (dollars, _) = all_pages(&sb, "&sources%5B0%5D=QW_USD").await;
    assert!(!dollars.is_empty() && dollars.iter().all(|i| i["sum"]["currency"] == 840));
    let (two, _) = all_pages(&sb, "&sources%5B0%5D=QW_USD&sources%5B1%5D=QW_EUR").await;
    assert!(two.len() > dollars.len());

    // The newest payment's day, as a window written at UTC+5.
    let newest: jiff::Timestamp = all[0]["date"].as_str().unwrap().parse().unwrap();
    let start = newest - jiff::SignedDuration::from_hours(30 * 24);
    let window = window(start, newest, 5);
    let (recent, _) = all_pages(&sb, &window).await;
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(
        recent
            .iter()
            .all(|i| i["date"].as_str().unwrap().ends_with("+05:00"))
    );
}

#[tokio::test]
async fn validation_errors_and_no_match_come_in_the_documented_shapes() {
    let sb = sandbox().await;
    let long = format!(
        "&startDate={}&endDate={}",
        enc("2024-01-01T00:00:00+03:00"),
        enc("2024-04-01T00:00:01+03:00")
    );
    let mixed = format!(
        "&startDate={}&endDate={}",
        enc("2024-01-01T00:00:00+03:00"),
        enc("2024-01-02T00:00:00+00:00")
    );
    for query in [
        String::new(),
        "rows=0".into(),
        "rows=51".into(),
        "rows=5&operation=SIDEWAYS".into(),
        "rows=5&sources%5B0%5D=GOLD".into(),
        format!("rows=5&startDate={}", enc("2024-01-01T00:00:00+03:00")),
        format!("rows=5{long}"),
        format!("rows=5{mixed}"),
        "rows=5&startDate=2024-01-01T00:00:00+03:00&endDate=2024-01-02T00:00:00+03:00".into(),
        "rows=5&nextTxnId=1".into(),
    ] {
        let (status, body) = wallet_get(&sb, &format!("{PAYMENTS}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["serviceName"], "payment-history", "{query}");
        assert_eq!(body["errorCode"], "validation.error");
    }
    let (status, body) = wallet_get(&sb, &format!("{PAYMENTS}?rows=5&operation=QIWI_CARD")).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["errorCode"], "payment.history.not.found");
    let (status, _) = wallet_get(&sb, "/payment-history/v2/transactions/1").await;
    assert_eq!(status, 404);
    let (status, _) = wallet_get(
        &sb,
        "/payment-history/v2/persons/79000000000/payments?rows=5",
    )
    .await;
    assert_eq!(status, 404, "another wallet");
}

#[tokio::test]
async fn totals_add_up_the_successful_payments_of_the_window() {
    let sb = sandbox().await;
    let newest = {
        let (_, body) = wallet_get(&sb, &format!("{PAYMENTS}?rows=1")).await;
        body["data"][0]["date"].as_str().unwrap().to_owned()
    };
    let end: jiff::Timestamp = newest.parse().unwrap();
    let start = end - jiff::SignedDuration::from_hours(90 * 24);
    let window = window(start, end, 3);
    let (items, _) = all_pages(&sb, &window).await;
    let mut seen = BTreeSet::new();
    let mut expected_in = std::collections::BTreeMap::<u64, i64>::new();
    for item in items
        .iter()
        .filter(|i| i["status"] == "SUCCESS" && i["type"] == "IN")
    {
        if seen.insert(key(item)) {
            *expected_in
                .entry(item["sum"]["currency"].as_u64().unwrap())
                .or_default() += minor(&item["sum"]["amount"]);
        }
    }
    let (status, totals) = wallet_get(
        &sb,
        &format!(
            "/payment-history/v2/persons/79991234567/payments/total?{}",
            &window[1..]
        ),
    )
    .await;
    assert_eq!(status, 200, "{totals}");
    let got: std::collections::BTreeMap<u64, i64> = totals["incomingTotal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["currency"].as_u64().unwrap(), minor(&m["amount"])))
        .collect();
    assert_eq!(got, expected_in);
    assert!(!totals["outgoingTotal"].as_array().unwrap().is_empty());
    let (status, _) = wallet_get(
        &sb,
        "/payment-history/v2/persons/79991234567/payments/total",
    )
    .await;
    assert_eq!(status, 400, "the window is required");
}

#[tokio::test]
async fn an_agent_top_up_appears_first_in_the_history_and_has_receipts() {
    let sb = sandbox().await;
    let pay = envelope(
        "pay",
        &format!(
            "  <auth>\n    <payment>\n      <transaction-number>555000111</transaction-number>\n      <from>\n        <ccy>RUB</ccy>\n      </from>\n      <to>\n        <amount>123.45</amount>\n        <ccy>RUB</ccy>\n        <service-id>99</service-id>\n        <account-number>{}</account-number>\n      </to>\n    </payment>\n  </auth>\n",
            demo::QIWI_WALLET
        ),
    );
    let doc = agent(&sb, &pay).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("0"), "{doc}");
    wait_for_processing().await;
    let (_, body) = wallet_get(&sb, &format!("{PAYMENTS}?rows=1")).await;
    let top_up = &body["data"][0];
    assert_eq!(top_up["type"], "IN");
    assert_eq!(top_up["sum"], json!({"amount": 123.45, "currency": 643}));
    let id = top_up["txnId"].as_u64().unwrap();

    let (status, details) = wallet_get(
        &sb,
        &format!("/payment-history/v2/transactions/{id}?type=IN"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(details["features"]["chequeReady"], true);
    assert!(details["view"].is_object() && details["paymentExtras"].is_array());

    let file = |format: &str| {
        wallet_request(
            &sb,
            Method::GET,
            &format!("/payment-history/v1/transactions/{id}/cheque/file?type=IN&format={format}"),
        )
        .send()
    };
    let pdf = file("PDF").await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
    assert!(String::from_utf8_lossy(&pdf).contains(&format!("(Transaction {id} \\(IN\\)) Tj")));
    let jpeg = file("JPEG").await.unwrap();
    assert_eq!(jpeg.headers()["content-type"], "image/jpeg");
    let jpeg = jpeg.bytes().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]) && jpeg.ends_with(&[0xFF, 0xD9]));
    assert_eq!(file("GIF").await.unwrap().status(), 400);

    let send_to = format!("/payment-history/v1/transactions/{id}/cheque/send?type=IN");
    let sent = wallet_send(
        &sb,
        Method::POST,
        &send_to,
        r#"{"email": "me@example.com"}"#,
    )
    .await;
    assert_eq!(sent.status(), 201);
    assert!(sent.bytes().await.unwrap().is_empty());
    let refused = wallet_send(&sb, Method::POST, &send_to, r#"{"email": "nobody"}"#).await;
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn one_request_over_the_limit_blocks_the_history_with_423() {
    let sb = sandbox_with(
        SandboxConfig::default()
            .with_history_limit(Some(3))
            .with_history_block(Duration::from_secs(2)),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(wallet_get(&sb, &format!("{PAYMENTS}?rows=1")).await.0, 200);
    }
    let blocked = wallet_request(&sb, Method::GET, &format!("{PAYMENTS}?rows=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 423);
    assert_eq!(blocked.headers()["retry-after"], "2");
    let body: Value = blocked.json().await.unwrap();
    assert_eq!(body["errorCode"], "request.blocked");
    // Every history endpoint is blocked; the rest of the API is not.
    assert_eq!(
        wallet_get(&sb, "/payment-history/v2/transactions/1")
            .await
            .0,
        423
    );
    assert_eq!(
        wallet_get(&sb, "/funding-sources/v2/persons/79991234567/accounts")
            .await
            .0,
        200
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(wallet_get(&sb, &format!("{PAYMENTS}?rows=1")).await.0, 200);

    let unlimited = sandbox_with(SandboxConfig::default().with_history_limit(None)).await;
    for _ in 0..150 {
        assert_eq!(
            wallet_get(&unlimited, &format!("{PAYMENTS}?rows=1"))
                .await
                .0,
            200
        );
    }
}

#[tokio::test]
async fn a_large_generated_history_is_a_setting() {
    let mut data = DemoData::default();
    data.qiwi.history = HistoryDemo {
        generated: 5_000,
        months: 24,
    };
    let sb = sandbox_with(
        SandboxConfig::default()
            .with_data(data)
            .with_history_limit(None),
    )
    .await;
    let (items, _) = all_pages(&sb, "").await;
    assert!(items.len() >= 5_000, "{}", items.len());
}
