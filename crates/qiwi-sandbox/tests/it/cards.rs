//! QIWI Master virtual cards (E40 to E49): a card's whole life in the sandbox, with its state
//! kept between calls.

use qiwi_sandbox::{Amount, DemoData, Sandbox, SandboxConfig, demo};
use reqwest::Method;
use serde_json::{Value, json};

use super::common::{admin_post, sandbox_with, wallet_get, wallet_request, wallet_send};
use super::wallet_payments::{pay, rub_balance};

const WALLET: &str = demo::QIWI_WALLET;
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The demo data with 5000 roubles on the wallet and its monthly turnover unused, enough for a
/// paid card and the package.
async fn funded() -> Sandbox {
    let mut data = DemoData::default();
    for limit in &mut data.qiwi.limits {
        limit.spent = Amount::new(0, 0);
    }
    for account in &mut data.qiwi.accounts {
        if account.alias == "qw_wallet_rub" {
            account.balance = Some(Amount::new(5_000, 0));
        }
    }
    sandbox_with(SandboxConfig::default().with_data(data)).await
}

async fn send_json(sb: &Sandbox, method: Method, path: &str, body: Value) -> (u16, Value) {
    let r = wallet_send(sb, method, path, body.to_string()).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Orders a card and submits the order: the submission's answer.
async fn order_and_submit(sb: &Sandbox, alias: &str) -> Value {
    let orders = format!("/cards/v2/persons/{WALLET}/orders");
    let (status, draft) = send_json(sb, Method::POST, &orders, json!({"cardAlias": alias})).await;
    assert_eq!(status, 200, "{draft}");
    assert_eq!(draft["status"], "DRAFT");
    assert_eq!(
        (&draft["price"], &draft["cardId"]),
        (&Value::Null, &Value::Null)
    );
    let id = draft["id"].as_str().unwrap();
    let submit = format!("/cards/v2/persons/{WALLET}/orders/{id}/submit");
    let r = wallet_request(sb, Method::PUT, &submit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

async fn balance(sb: &Sandbox) -> String {
    rub_balance(sb, demo::QIWI_TOKEN, WALLET).await
}

async fn cards(sb: &Sandbox) -> Vec<Value> {
    let (status, list) = wallet_get(sb, "/cards/v1/cards?vas-alias=qvc-master").await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn payment(id: &str, provider_fields: Value, amount: &str) -> Value {
    json!({
        "id": id,
        "sum": {"amount": serde_json::from_str::<Value>(amount).unwrap(), "currency": "643"},
        "paymentMethod": {"type": "Account", "accountId": "643"},
        "fields": provider_fields,
    })
}

async fn put(sb: &Sandbox, path: &str) -> (u16, String) {
    let r = wallet_request(sb, Method::PUT, path).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn five_cards_are_free_and_the_sixth_is_issued_once_paid() {
    let sb = funded().await;
    for n in 0..5 {
        let free = order_and_submit(&sb, "qvc-cpa").await;
        assert_eq!(free["status"], "COMPLETED", "card {n}: {free}");
        assert_eq!(free["price"], json!({"amount": 0, "currency": 643}));
        assert!(free["cardId"].is_string(), "{free}");
    }
    let sixth = order_and_submit(&sb, "qvc-cpa-debit").await;
    assert_eq!(sixth["status"], "PAYMENT_REQUIRED", "{sixth}");
    assert_eq!(sixth["price"], json!({"amount": 99, "currency": 643}));
    assert_eq!(sixth["cardId"], Value::Null);
    assert_eq!(cards(&sb).await.len(), 5);

    let order = sixth["id"].as_str().unwrap();
    let fields = json!({"account": WALLET, "order_id": order});
    // The price is the order's: another amount is refused and moves nothing.
    let (status, refused) = pay(
        &sb,
        demo::QIWI_TOKEN,
        32064,
        &payment("1", fields.clone(), "98"),
    )
    .await
    .unwrap();
    assert_eq!(status, 400, "{refused}");
    assert_eq!(balance(&sb).await, "5000");
    let (status, paid) = pay(
        &sb,
        demo::QIWI_TOKEN,
        32064,
        &payment("2", fields.clone(), "99"),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["terms"], "32064");
    assert_eq!(balance(&sb).await, "4901");
    let listed = cards(&sb).await;
    assert_eq!(listed.len(), 6);
    assert_eq!(listed[5]["info"]["alias"], "qvc-cpa-debit");
    // The order is paid: it cannot be paid again, and its submission names the card.
    let (status, _) = pay(&sb, demo::QIWI_TOKEN, 32064, &payment("3", fields, "99"))
        .await
        .unwrap();
    assert_eq!(status, 400);
    let (_, again) = put(
        &sb,
        &format!("/cards/v2/persons/{WALLET}/orders/{order}/submit"),
    )
    .await;
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["status"], "COMPLETED");
    assert_eq!(again["cardId"], listed[5]["qvx"]["id"].to_string());
}

#[tokio::test]
async fn the_package_is_a_payment_bought_once() {
    let sb = funded().await;
    let fields = json!({"account": WALLET, "vas_alias": "qvc-master"});
    let (status, paid) = pay(
        &sb,
        demo::QIWI_TOKEN,
        28004,
        &payment("10", fields.clone(), "2999"),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{paid}");
    assert_eq!(balance(&sb).await, "2001");
    let (status, _) = pay(&sb, demo::QIWI_TOKEN, 28004, &payment("11", fields, "2999"))
        .await
        .unwrap();
    assert_eq!(status, 400, "bought already");
    assert_eq!(balance(&sb).await, "2001");
}

#[tokio::test]
async fn block_unblock_details_rename_and_statement_keep_the_cards_state() {
    let sb = funded().await;
    let issued = order_and_submit(&sb, "qvc-cpa").await;
    let id = issued["cardId"].as_str().unwrap().to_owned();
    let card_path = format!("/cards/v2/persons/{WALLET}/cards/{id}");

    let (status, body) = put(&sb, &format!("{card_path}/block")).await;
    assert_eq!((status, body.as_str()), (202, ""));
    assert_eq!(cards(&sb).await[0]["qvx"]["status"], "BLOCKED");
    let details = format!("/cards/v1/cards/{id}/details");
    let op = json!({"operationId": "7f3b2e0a-3c1d-4d5e-9f60-0123456789ab"});
    let (_, blocked) = send_json(&sb, Method::PUT, &details, op.clone()).await;
    assert_eq!(
        (&blocked["status"], &blocked["pan"]),
        (&json!("FAIL"), &Value::Null)
    );

    let (status, body) = put(&sb, &format!("{card_path}/unblock")).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["status"],
        "OK"
    );
    assert_eq!(cards(&sb).await[0]["qvx"]["status"], "ACTIVE");
    let (_, open) = send_json(&sb, Method::PUT, &details, op).await;
    assert_eq!(open["status"], "OK");
    let pan = open["pan"].as_str().unwrap();
    assert_eq!(pan.len(), 16);
    assert_eq!(
        cards(&sb).await[0]["qvx"]["maskedPan"],
        format!("****{}", &pan[12..])
    );
    assert_eq!(open["cvv"].as_str().unwrap().len(), 3);

    let alias = format!("/cards/v1/cards/{id}/alias");
    let (_, renamed) = send_json(&sb, Method::PUT, &alias, json!({"alias": "Покупки"})).await;
    assert_eq!(renamed["status"], "OK");
    assert_eq!(cards(&sb).await[0]["qvx"]["cardAlias"], "Покупки");
    let (_, refused) = send_json(&sb, Method::PUT, &alias, json!({"alias": " "})).await;
    assert_eq!(refused["status"], "FAIL");
    // A control character is refused as the client refuses it, and the name stays.
    let (_, refused) = send_json(&sb, Method::PUT, &alias, json!({"alias": "a\u{1b}[2J"})).await;
    assert_eq!(refused["status"], "FAIL");
    assert_eq!(cards(&sb).await[0]["qvx"]["cardAlias"], "Покупки");

    // 90 days after a block the card can no longer be unblocked through the API.
    put(&sb, &format!("{card_path}/block")).await;
    admin_post(&sb, "clock", &json!({"advanceMs": 91 * DAY_MS})).await;
    let (_, late) = put(&sb, &format!("{card_path}/unblock")).await;
    assert_eq!(
        serde_json::from_str::<Value>(&late).unwrap()["status"],
        "FAIL"
    );

    let statement = format!("/payment-history/v1/persons/{WALLET}/cards/{id}/statement");
    let window = "from=2020-01-01T00%3A00%3A00%2B03%3A00&till=2020-03-31T00%3A00%3A00%2B03%3A00";
    let r = wallet_request(&sb, Method::GET, &format!("{statement}?{window}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let too_long = "from=2020-01-01T00%3A00%3A00%2B03%3A00&till=2020-04-01T00%3A00%3A01%2B03%3A00";
    let (status, _) = wallet_get(&sb, &format!("{statement}?{too_long}")).await;
    assert_eq!(status, 400);

    let (status, missing) = put(&sb, &format!("/cards/v2/persons/{WALLET}/cards/1/block")).await;
    assert_eq!(status, 404, "{missing}");
}
