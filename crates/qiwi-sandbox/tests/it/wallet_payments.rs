//! Wallet payments (E19-E35) move money in the sandbox's state, once per id.

use std::time::Duration;

use qiwi_sandbox::{DemoData, Fault, FaultRule, Sandbox, SandboxConfig, demo};
use reqwest::Method;
use serde_json::{Value, json};

use super::common::{admin_get, admin_post, client, sandbox_with};

const HOUR: Duration = Duration::from_secs(3600);

/// A sandbox whose payments stay `WAITING` until its clock is moved an hour ahead.
async fn sandbox_waiting(data: DemoData) -> Sandbox {
    qiwi_sandbox::start(
        SandboxConfig::default()
            .with_data(data)
            .with_processing_delay(HOUR),
    )
    .await
    .unwrap()
}

pub fn request(sb: &Sandbox, token: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{}{path}", sb.base_url()))
        .header("Accept", "application/json")
        .header("Authorization", format!("Bearer {token}"))
}

/// Sends a payment; `None` when no answer came back.
pub async fn pay(sb: &Sandbox, token: &str, provider: u32, body: &Value) -> Option<(u16, Value)> {
    let sent = request(
        sb,
        token,
        Method::POST,
        &format!("/sinap/api/v2/terms/{provider}/payments"),
    )
    .header("Content-Type", "application/json")
    .body(body.to_string())
    .send()
    .await
    .ok()?;
    let status = sent.status().as_u16();
    let text = sent.text().await.ok()?;
    Some((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

pub fn payment(id: &str, amount: &str, currency: &str, account: &str) -> Value {
    json!({
        "id": id,
        "sum": {"amount": serde_json::from_str::<Value>(amount).unwrap(), "currency": currency},
        "paymentMethod": {"type": "Account", "accountId": "643"},
        "fields": {"account": account},
        "comment": "sandbox",
    })
}

/// The RUB balance E10 shows for a wallet, as text.
pub async fn rub_balance(sb: &Sandbox, token: &str, wallet: &str) -> String {
    let path = format!("/funding-sources/v2/persons/{wallet}/accounts");
    get_json(sb, token, &path).await["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == "qw_wallet_rub")
        .map(|a| a["balance"]["amount"].to_string())
        .unwrap()
}

/// GET with a token; the JSON body.
pub async fn get_json(sb: &Sandbox, token: &str, path: &str) -> Value {
    let text = request(sb, token, Method::GET, path)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

async fn payments_of(sb: &Sandbox, wallet: &str) -> Vec<Value> {
    admin_get(sb, "wallet/payments").await[wallet]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_transfer_debits_the_payer_and_credits_the_second_wallet_when_it_succeeds() {
    let sb = sandbox_waiting(DemoData::default()).await;
    let (first, second) = (demo::QIWI_TOKEN, demo::QIWI_SECOND_TOKEN);
    assert_eq!(rub_balance(&sb, first, demo::QIWI_WALLET).await, "1008.74");
    assert_eq!(
        rub_balance(&sb, second, demo::QIWI_SECOND_WALLET).await,
        "5000"
    );
    let profile = request(
        &sb,
        second,
        Method::GET,
        "/person-profile/v1/profile/current",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(profile.status().as_u16(), 401, "balances and payments only");

    let body = payment("1001", "10.50", "643", &format!("+{}", demo::QIWI_WALLET));
    let (status, answer) = pay(&sb, second, 99, &body).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["id"], "1001");
    assert_eq!(answer["terms"], "99");
    assert_eq!(answer["sum"], json!({"amount": 10.5, "currency": "643"}));
    assert_eq!(answer["transaction"]["state"]["code"], "Accepted");
    assert_eq!(
        rub_balance(&sb, second, demo::QIWI_SECOND_WALLET).await,
        "4989.5"
    );
    assert_eq!(
        rub_balance(&sb, first, demo::QIWI_WALLET).await,
        "1008.74",
        "not yet credited"
    );
    assert_eq!(
        payments_of(&sb, demo::QIWI_SECOND_WALLET).await[0]["status"],
        "WAITING"
    );

    sb.advance_clock(HOUR);
    assert_eq!(rub_balance(&sb, first, demo::QIWI_WALLET).await, "1019.24");
    let out = payments_of(&sb, demo::QIWI_SECOND_WALLET).await;
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["status"], "SUCCESS");
    assert_eq!(out[0]["trmTxnId"], "1001");
    assert_eq!(
        out[0]["txnId"].to_string(),
        answer["transaction"]["id"].as_str().unwrap()
    );
    let incoming = payments_of(&sb, demo::QIWI_WALLET).await;
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0]["type"], "IN");
    assert_eq!(incoming[0]["account"], demo::QIWI_SECOND_WALLET);
}

#[tokio::test]
async fn an_id_sent_again_never_pays_twice() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    let token = demo::QIWI_SECOND_TOKEN;
    let body = payment("2002", "100", "643", "79181234567");
    let (s1, first) = pay(&sb, token, 99, &body).await.unwrap();
    let (s2, again) = pay(&sb, token, 99, &body).await.unwrap();
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(first, again, "the first answer, sent again");
    let other = payment("2002", "200", "643", "79181234567");
    let (s3, refused) = pay(&sb, token, 99, &other).await.unwrap();
    assert_eq!(s3, 400);
    assert_eq!(refused["code"], "QWPRC-1000");
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "4900"
    );
    assert_eq!(payments_of(&sb, demo::QIWI_SECOND_WALLET).await.len(), 1);
}

#[tokio::test]
async fn a_dropped_answer_was_executed_once_and_the_resend_reports_it() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    let token = demo::QIWI_SECOND_TOKEN;
    let body = payment("3003", "25", "643", "79181234567");
    assert!(pay(&sb, token, 99, &body).await.is_none(), "no answer");
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "4975"
    );
    let (status, answer) = pay(&sb, token, 99, &body).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(answer["id"], "3003");
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "4975"
    );
    let out = payments_of(&sb, demo::QIWI_SECOND_WALLET).await;
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(sb.hits("wallet.pay"), 2);
}

#[tokio::test]
async fn a_dropped_request_was_not_executed() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    sb.add_fault(FaultRule::new("wallet.pay", Fault::Drop).times(1));
    let token = demo::QIWI_SECOND_TOKEN;
    let body = payment("3004", "25", "643", "79181234567");
    assert!(pay(&sb, token, 99, &body).await.is_none());
    assert!(payments_of(&sb, demo::QIWI_SECOND_WALLET).await.is_empty());
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "5000"
    );
}

#[tokio::test]
async fn refusals_move_no_money() {
    let mut data = DemoData::default();
    for account in &mut data.qiwi.accounts {
        if account.alias == "qw_wallet_rub" {
            account.balance = Some(qiwi_sandbox::Amount::new(100_000, 0));
        }
    }
    data.qiwi.p2p_payment_count_max = 1;
    let sb = sandbox_with(SandboxConfig::default().with_data(data)).await;
    let token = demo::QIWI_TOKEN;
    let cases = [
        // TURNOVER: 39 800 of 40 000 spent.
        (
            21013,
            payment("1", "300", "643", "5256123412341232"),
            "QWPRC-705",
        ),
        // One p2p transfer made this month, one allowed.
        (99, payment("2", "10", "643", "79181234567"), "QWPRC-757"),
        (
            1960,
            payment("3", "10", "643", "4256123412341235"),
            "QWPRC-131",
        ),
        (1963, payment("4", "10", "643", "42561234123"), "QWPRC-522"),
        (1, payment("5", "10", "643", "89161112233"), "QWPRC-303"),
    ];
    for (provider, body, code) in cases {
        let (status, answer) = pay(&sb, token, provider, &body).await.unwrap();
        assert_eq!(
            (status, answer["code"].as_str()),
            (400, Some(code)),
            "{provider}"
        );
    }
    assert_eq!(rub_balance(&sb, token, demo::QIWI_WALLET).await, "100000");
    // More than the demo wallet's 1008.74 RUB.
    let poor = sandbox_with(SandboxConfig::default()).await;
    let (status, answer) = pay(&poor, token, 1, &payment("6", "2000", "643", "9161112233"))
        .await
        .unwrap();
    assert_eq!((status, answer["code"].as_str()), (400, Some("QWPRC-220")));
    assert_eq!(
        rub_balance(&poor, token, demo::QIWI_WALLET).await,
        "1008.74"
    );
}

#[tokio::test]
async fn a_payment_to_a_failing_wallet_ends_in_error_and_the_money_comes_back() {
    let sb = sandbox_waiting(DemoData::default()).await;
    let token = demo::QIWI_SECOND_TOKEN;
    let body = payment("4004", "40", "643", demo::AGENT_FAILING_WALLET);
    assert_eq!(pay(&sb, token, 99, &body).await.unwrap().0, 200);
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "4960"
    );
    let advanced = admin_post(&sb, "clock", &json!({"advanceMs": 3_600_000})).await;
    assert_eq!(advanced.status().as_u16(), 200);
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "5000"
    );
    let out = payments_of(&sb, demo::QIWI_SECOND_WALLET).await;
    assert_eq!(out[0]["status"], "ERROR");
}

#[tokio::test]
async fn commission_rates_conversion_search_and_operator_agree() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    let token = demo::QIWI_SECOND_TOKEN;
    let quote = request(&sb, token, Method::POST, "/sinap/providers/1963/onlineCommission")
        .header("Content-Type", "application/json")
        .body(
            json!({"account": "4256123412341235", "paymentMethod": {"type": "Account", "accountId": "643"},
                   "purchaseTotals": {"total": {"amount": 1000, "currency": "643"}}})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    let quote: Value = serde_json::from_str(&quote.text().await.unwrap()).unwrap();
    assert_eq!(quote["qwCommission"]["amount"].to_string(), "50");
    assert_eq!(quote["withdrawSum"]["amount"].to_string(), "1050");
    assert_eq!(quote["enrollmentSum"]["amount"].to_string(), "1000");

    let rates = get_json(&sb, token, "/sinap/crossRates").await;
    let usd = rates["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from"] == "840" && r["to"] == "643")
        .unwrap()["rate"]
        .to_string();
    assert_eq!(usd, "90");
    // 10 USD at 90 RUB: 900 RUB leave the rouble account, 10 USD arrive.
    let convert = json!({"id": "5005", "sum": {"amount": 10, "currency": "840"},
        "paymentMethod": {"type": "Account", "accountId": "643"},
        "fields": {"account": format!("+{}", demo::QIWI_SECOND_WALLET)}});
    assert_eq!(pay(&sb, token, 1099, &convert).await.unwrap().0, 200);
    assert_eq!(
        rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await,
        "4100"
    );
    let path = format!(
        "/funding-sources/v2/persons/{}/accounts",
        demo::QIWI_SECOND_WALLET
    );
    sb.advance_clock(HOUR); // credited when the payment succeeds
    let accounts = get_json(&sb, token, &path).await;
    let usd = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == "qw_wallet_usd")
        .map(|a| a["balance"]["amount"].to_string());
    assert_eq!(usd.as_deref(), Some("10"));

    let found = get_json(&sb, token, "/search/v1/search?query=onlime").await;
    assert_eq!(found["items"][0]["data"]["id"], 674);
    let operator = get_json(
        &sb,
        token,
        "/qw-mobile-providers-resolver/v1/providers?phoneNumber=79161112233",
    )
    .await;
    assert_eq!(operator["mobileOperatorProviderList"][0]["id"], 1);
}

#[tokio::test]
async fn a_transfer_counts_in_the_limits_and_the_p2p_count() {
    let mut data = DemoData::default();
    for account in &mut data.qiwi.accounts {
        if account.alias == "qw_wallet_rub" {
            account.balance = Some(qiwi_sandbox::Amount::new(1_000, 0));
        }
    }
    let sb = sandbox_with(SandboxConfig::default().with_data(data)).await;
    let token = demo::QIWI_TOKEN;
    let wallet = demo::QIWI_WALLET;
    let count = format!("/qw-limits/v1/persons/{wallet}/p2p-payment-count-limit");
    assert_eq!(
        get_json(&sb, token, &count).await["p2pPaymentCountLimit"],
        1
    );
    let body = payment("6006", "10", "643", "79181234567");
    assert_eq!(pay(&sb, token, 99, &body).await.unwrap().0, 200);
    assert_eq!(
        get_json(&sb, token, &count).await["p2pPaymentCountLimit"],
        2
    );
    let limits = get_json(
        &sb,
        token,
        &format!("/qw-limits/v1/persons/{wallet}/actual-limits?types%5B0%5D=TURNOVER"),
    )
    .await;
    assert_eq!(limits["limits"]["RU"][0]["spent"].to_string(), "39810.00");
    assert_eq!(rub_balance(&sb, token, wallet).await, "990");
}

#[tokio::test]
async fn nickname_and_card_provider_lookups() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    let first = format!("/qw-nicknames/v1/persons/{}/nickname", demo::QIWI_WALLET);
    let nickname = get_json(&sb, demo::QIWI_TOKEN, &first).await;
    assert_eq!(nickname["nickname"], "SANDBOX");
    assert_eq!(nickname["canUse"], true);
    let second = format!(
        "/qw-nicknames/v1/persons/{}/nickname",
        demo::QIWI_SECOND_WALLET
    );
    assert_eq!(
        get_json(&sb, demo::QIWI_SECOND_TOKEN, &second).await["nickname"],
        Value::Null
    );
    let lookup = |account: &'static str| {
        request(
            &sb,
            demo::QIWI_TOKEN,
            Method::POST,
            "/sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers",
        )
        .header("Accept", "application/vnd.qiwi.v1+json")
        .header("Content-Type", "application/json")
        .body(json!({ "account": account }).to_string())
        .send()
    };
    let found: Value = lookup("2200 1234 1234 1236")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        found,
        json!({"elements": [{"type": "field", "name": "termsId", "value": "31652"}]})
    );
    let refused = lookup("4256 1234 123").await.unwrap();
    assert_eq!(refused.status().as_u16(), 400);
}

#[tokio::test]
async fn the_history_lists_payments_made_and_received_with_their_ids() {
    let sb = sandbox_waiting(DemoData::default()).await;
    let (first, second) = (demo::QIWI_TOKEN, demo::QIWI_SECOND_TOKEN);
    let out = payment(
        "4004",
        "1.25",
        "643",
        &format!("+{}", demo::QIWI_SECOND_WALLET),
    );
    let (status, answer) = pay(&sb, first, 99, &out).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    let back = payment("4005", "3", "643", &format!("+{}", demo::QIWI_WALLET));
    assert_eq!(pay(&sb, second, 99, &back).await.unwrap().0, 200);
    let history = format!(
        "/payment-history/v2/persons/{}/payments?rows=50&operation=OUT",
        demo::QIWI_WALLET
    );
    let newest = &get_json(&sb, first, &history).await["data"][0];
    assert_eq!(newest["trmTxnId"], "4004");
    assert_eq!(newest["type"], "OUT");
    assert_eq!(newest["status"], "WAITING");
    assert_eq!(newest["sum"]["amount"].to_string(), "1.25");
    assert_eq!(newest["account"], format!("+{}", demo::QIWI_SECOND_WALLET));
    let txn_id = answer["transaction"]["id"].as_str().unwrap();
    assert_eq!(newest["txnId"].to_string(), txn_id);

    sb.advance_clock(HOUR);
    let path = format!("/payment-history/v2/transactions/{txn_id}?type=OUT");
    let settled = get_json(&sb, first, &path).await;
    assert_eq!(settled["status"], "SUCCESS", "{settled}");
    assert_eq!(settled["trmTxnId"], "4004");
    let incoming = format!(
        "/payment-history/v2/persons/{}/payments?rows=50&operation=IN",
        demo::QIWI_WALLET
    );
    let received = &get_json(&sb, first, &incoming).await["data"][0];
    assert_eq!(received["trmTxnId"], "4005", "{received}");
    assert_eq!(received["account"], demo::QIWI_SECOND_WALLET);
    assert_eq!(received["sum"]["amount"].to_string(), "3");
}

const CARD: &str = "4256123412341235";

/// A payment body of `provider`'s kind: `fields` and, for E29, tenge.
fn body_with(id: &str, amount: &str, currency: &str, fields: Value) -> Value {
    json!({
        "id": id,
        "sum": {"amount": serde_json::from_str::<Value>(amount).unwrap(), "currency": currency},
        "paymentMethod": {"type": "Account", "accountId": currency},
        "fields": fields,
    })
}

/// E19's `withdrawSum` for `amount` of `currency` to `provider`, as text.
async fn quoted_withdraw(
    sb: &Sandbox,
    token: &str,
    provider: u32,
    amount: &str,
    currency: &str,
) -> String {
    let quote = request(
        sb,
        token,
        Method::POST,
        &format!("/sinap/providers/{provider}/onlineCommission"),
    )
    .header("Content-Type", "application/json")
    .body(
        json!({"account": "1", "paymentMethod": {"type": "Account", "accountId": "643"},
               "purchaseTotals": {"total": {"amount": serde_json::from_str::<Value>(amount).unwrap(),
                                            "currency": currency}}})
        .to_string(),
    )
    .send()
    .await
    .unwrap();
    let quote: Value = serde_json::from_str(&quote.text().await.unwrap()).unwrap();
    quote["withdrawSum"]["amount"].to_string()
}

/// Minor units of a decimal text (`4989.5` is 498950).
fn minor(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = format!("{fraction:0<2}");
    whole.parse::<i64>().unwrap() * 100 + fraction[..2].parse::<i64>().unwrap()
}

#[tokio::test]
async fn every_kind_of_payment_takes_its_quoted_sum_once_and_never_echoes_a_card() {
    let sb = sandbox_waiting(DemoData::default()).await;
    let token = demo::QIWI_SECOND_TOKEN;
    let kz_fields = json!({"cardNumber": "4400123412341230", "account": "440012******1230",
        "ev_account1": "opaque", "transferSum": "100", "accept": "1", "version": "2", "info": "ok"});
    let kinds: [(&str, u32, &str, &str, Value); 9] = [
        (
            "mobile (E25)",
            1,
            "100",
            "643",
            json!({"account": "9161112233"}),
        ),
        ("card (E26)", 1963, "1000", "643", json!({"account": CARD})),
        ("Kazakhstan card (E29)", 27292, "1000", "398", kz_fields),
        (
            "bank card (E30)",
            464,
            "10",
            "643",
            json!({"account": CARD, "account_type": "1", "exp_date": "0427"}),
        ),
        (
            "bank account (E31)",
            870,
            "20",
            "643",
            json!({"account": "40817810099910004312", "account_type": "2", "urgent": "1",
                "mfo": "044525225", "lname": "Ivanov", "fname": "Ivan"}),
        ),
        (
            "service (E32)",
            674,
            "5",
            "643",
            json!({"account": "111000"}),
        ),
        (
            "requisites (E33)",
            1717,
            "30",
            "643",
            json!({"name": "Bank", "to_bik": "044525225", "extra_to_bik": "044525225",
                "city": "Moscow", "to_name": "Company", "to_inn": "7707083893",
                "to_kpp": "773601001", "account": "40702810938000000001", "goal": "Invoice",
                "nds": "НДС не облагается", "urgent": "0"}),
        ),
        (
            "conversion (E23)",
            1099,
            "1.50",
            "840",
            json!({"account": format!("+{}", demo::QIWI_SECOND_WALLET)}),
        ),
        (
            "wallet (E22)",
            99,
            "7",
            "643",
            json!({"account": "+79181234567"}),
        ),
    ];
    for (i, (what, provider, amount, currency, fields)) in kinds.into_iter().enumerate() {
        let before = minor(&rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await);
        let withdraw = minor(&quoted_withdraw(&sb, token, provider, amount, currency).await);
        let mut body = body_with(&format!("70{i}"), amount, currency, fields);
        if provider == 1099 {
            body["paymentMethod"]["accountId"] = json!("643");
        }
        let path = if provider == 27292 {
            "/sinap/api/terms/27292/payments".to_owned()
        } else {
            format!("/sinap/api/v2/terms/{provider}/payments")
        };
        let answer = request(&sb, token, Method::POST, &path)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        let answer = answer.text().await.unwrap();
        assert_eq!(status, 200, "{what}: {answer}");
        assert!(
            !answer.contains(CARD) && !answer.contains("4400123412341230"),
            "{what}: {answer}"
        );
        let after = minor(&rub_balance(&sb, token, demo::QIWI_SECOND_WALLET).await);
        assert_eq!(
            before - after,
            withdraw,
            "{what}: sum plus commission, once"
        );
    }
    // 1000 KZT at the E24 rate of 0.18 RUB, and the 50 RUB minimum commission.
    assert_eq!(
        quoted_withdraw(&sb, token, 27292, "1000", "398").await,
        "230"
    );
    sb.advance_clock(HOUR);
    let listed = payments_of(&sb, demo::QIWI_SECOND_WALLET).await;
    assert!(
        listed.iter().all(|p| p["status"] == "SUCCESS"),
        "{listed:?}"
    );
    let history = format!(
        "/payment-history/v2/persons/{}/payments?rows=50&operation=OUT",
        demo::QIWI_SECOND_WALLET
    );
    let history = get_json(&sb, token, &history).await.to_string();
    let admin = serde_json::to_string(&listed).unwrap();
    for text in [&history, &admin] {
        assert!(
            !text.contains(CARD) && !text.contains("4400123412341230"),
            "{text}"
        );
    }
    assert!(history.contains("4256********1235"), "{history}");
}

#[tokio::test]
async fn the_kazakhstan_card_preparation_answers_the_card_masked_and_an_opaque_value() {
    let sb = sandbox_with(SandboxConfig::default()).await;
    let prepare = |card: &'static str| {
        request(
            &sb,
            demo::QIWI_SECOND_TOKEN,
            Method::POST,
            "/sinap/api/refs/a42ebc79-0584-4271-b8a0-15cb4ea8b340/containers",
        )
        .header("Accept", "application/vnd.qiwi.v1+json")
        .header("Content-Type", "application/json")
        .body(
            json!({"cardNumber": card, "version": "2", "transferSum": "100", "src": "sinap"})
                .to_string(),
        )
        .send()
    };
    let answer = prepare("4400123412341230").await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let text = answer.text().await.unwrap();
    assert!(!text.contains("4400123412341230"), "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    let field = |name: &str| {
        answer["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].clone())
    };
    assert_eq!(field("account"), Some(json!("4400********1230")));
    assert!(field("ev_account1").is_some_and(|v| v.is_string()));
    let refused = prepare("44001234").await.unwrap();
    assert_eq!(refused.status().as_u16(), 400);
}
