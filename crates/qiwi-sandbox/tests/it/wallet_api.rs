//! QIWI Wallet personal API (E01-E13), requests shaped as in the reference's examples.

use crate::common;

use common::{
    client, sandbox, sandbox_with, wait_for_processing, wallet_get, wallet_request, wallet_send,
};
use qiwi_sandbox::{DemoData, SandboxConfig, demo};
use reqwest::Method;
use serde_json::{Value, json};

const W: &str = demo::QIWI_WALLET;

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn profile_has_the_documented_and_the_real_fields() {
    let sb = sandbox().await;
    let (status, p) = wallet_get(&sb, "/person-profile/v1/profile/current").await;
    assert_eq!(status, 200);
    assert_eq!(keys(&p), ["authInfo", "contractInfo", "userInfo"]);
    let auth = &p["authInfo"];
    assert_eq!(auth["personId"], json!(79_991_234_567_u64));
    assert_eq!(auth["ip"], "81.210.201.22");
    assert!(auth["emailSettings"].is_object());
    assert_eq!(auth["mobilePinInfo"]["mobilePinUsed"], true);
    assert_eq!(auth["passInfo"]["passwordUsed"], true);
    assert_eq!(auth["pinInfo"]["pinUsed"], true);
    let contract = &p["contractInfo"];
    assert_eq!(contract["contractId"], json!(79_991_234_567_u64));
    assert_eq!(contract["blocked"], false);
    assert_eq!(contract["identificationInfo"][0]["bankAlias"], "QIWI");
    assert_eq!(
        contract["identificationInfo"][0]["identificationLevel"],
        "FULL"
    );
    assert_eq!(
        keys(&contract["nickname"]),
        ["canChange", "canUse", "description", "nickname"]
    );
    assert_eq!(
        keys(&contract["smsNotification"]),
        ["active", "enabled", "endDate", "price"]
    );
    let user = &p["userInfo"];
    assert_eq!(user["defaultPayAccountAlias"], "qw_wallet_rub");
    assert_eq!(user["defaultPayCurrency"], 643);
    assert_eq!(user["email"], Value::Null);
    assert_eq!(user["promoEnabled"], Value::Null);

    let (status, p) = wallet_get(
        &sb,
        "/person-profile/v1/profile/current?authInfoEnabled=false&contractInfoEnabled=false&userInfoEnabled=true",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(keys(&p), ["userInfo"]);
    let (status, err) = wallet_get(
        &sb,
        "/person-profile/v1/profile/current?authInfoEnabled=maybe",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["errorCode"], "validation.error");
}

#[tokio::test]
async fn missing_and_wrong_tokens_get_401_with_an_edge_error_body() {
    let sb = sandbox().await;
    let url = format!("{}/funding-sources/v2/persons/{W}/accounts", sb.base_url());
    for auth in [None, Some("Bearer wrong-token"), Some("Basic dXNlcjpwYXNz")] {
        let mut req = client().get(&url).header("Accept", "application/json");
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401, "{auth:?}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            keys(&body),
            [
                "dateTime",
                "description",
                "errorCode",
                "serviceName",
                "traceId",
                "userMessage"
            ]
        );
        assert_eq!(body["errorCode"], "auth.unauthorized");
        assert_eq!(body["serviceName"], "funding-sources");
        assert_eq!(body["traceId"].as_str().unwrap().len(), 16);
        assert!(body["dateTime"].as_str().unwrap().ends_with("+03:00"));
    }
}

#[tokio::test]
async fn another_wallet_in_the_path_is_not_found() {
    let sb = sandbox().await;
    for path in [
        "/funding-sources/v2/persons/79990000000/accounts",
        "/identification/v1/persons/79990000000/identification",
        "/qw-limits/v1/persons/79990000000/p2p-payment-count-limit",
        "/person-profile/v1/persons/79990000000/status/restrictions",
    ] {
        let (status, body) = wallet_get(&sb, path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["errorCode"], "person.not.found", "{path}");
    }
}

#[tokio::test]
async fn identification_submit_then_read_masked() {
    let sb = sandbox().await;
    let path = format!("/identification/v1/persons/{W}/identification");
    let (status, current) = wallet_get(&sb, &path).await;
    assert_eq!(status, 200);
    assert_eq!(current["type"], "FULL");
    assert_eq!(current["inn"], "77***01");
    assert_eq!(current["snils"], Value::Null);
    assert_eq!(current["oms"], "");

    let body = json!({"birthDate": "1996-03-18", "firstName": "Иван", "middleName": "Иванович", "lastName": "Иванов",
                      "passport": "1122333000", "inn": "", "snils": "", "oms": ""});
    let r = wallet_send(&sb, Method::POST, &path, body.to_string()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["id"], json!(79_991_234_567_u64));
    assert_eq!(v["passport"], "1122333000");
    assert_eq!(
        v["inn"], "7710000001",
        "a filled INN that was not sent means success"
    );
    assert_eq!(v["type"], "FULL");
    let (_, masked) = wallet_get(&sb, &path).await;
    assert_eq!(masked["passport"], "11***00");
    assert_eq!(masked["firstName"], "Иван");

    let r = wallet_send(&sb, Method::POST, &path, r#"{"firstName": "Иван"}"#).await;
    assert_eq!(r.status(), 400);
    let r = wallet_request(&sb, Method::POST, &path)
        .header("Content-Type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "only application/json is accepted");
}

#[tokio::test]
async fn identification_downgrade_create_confirm_and_poll() {
    let sb = sandbox().await;
    let base =
        format!("/qw-ident-downgrade-api/v1/persons/{W}/identification-downgrade/operations");
    let create = async || {
        let body = r#"{"identificationLevel": "VERIFIED"}"#;
        wallet_send(&sb, Method::POST, &base, body).await
    };
    let r = create().await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let id = v["downgradeOperationId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);

    let (_, before) = wallet_get(&sb, &format!("{base}/{id}")).await;
    assert_eq!(
        before,
        json!({"downgradeOperation": {"downgradeOperationId": id, "status": {"type": "IN_PROGRESS"}}})
    );

    let r = wallet_send(&sb, Method::PUT, &format!("{base}/{id}/confirm"), "{}").await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["downgradeOperation"]["status"]["type"], "IN_PROGRESS");

    wait_for_processing().await;
    let (_, after) = wallet_get(&sb, &format!("{base}/{id}")).await;
    assert_eq!(after["downgradeOperation"]["status"]["type"], "SUCCESS");
    let (_, profile) = wallet_get(&sb, "/person-profile/v1/profile/current").await;
    assert_eq!(
        profile["contractInfo"]["identificationInfo"][0]["identificationLevel"],
        "VERIFIED"
    );

    let (status, _) = wallet_get(&sb, &format!("{base}/nope")).await;
    assert_eq!(status, 404);
    // VERIFIED cannot be lowered again.
    let r = create().await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn limits_accept_encoded_and_literal_brackets() {
    let sb = sandbox().await;
    let (status, v) = wallet_get(
        &sb,
        &format!(
            "/qw-limits/v1/persons/{W}/actual-limits?types%5B0%5D=REFILL&types%5B1%5D=TURNOVER"
        ),
    )
    .await;
    assert_eq!(status, 200);
    let items = v["limits"]["RU"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["type"], "REFILL");
    assert_eq!(items[0]["currency"], "RUB");
    assert_eq!(items[1]["type"], "TURNOVER");
    assert_eq!(
        keys(&items[1]),
        ["currency", "interval", "max", "rest", "spent", "type"]
    );
    assert!(
        items[1]["interval"]["dateFrom"]
            .as_str()
            .unwrap()
            .ends_with("T00:00:00+03:00")
    );
    // Exact decimal text, as in the reference's example.
    let raw = v.to_string();
    assert!(raw.contains(r#""max":40000.00"#), "{raw}");
    assert!(raw.contains(r#""rest":200.00"#), "{raw}");
    assert!(raw.contains(r#""spent":39800.00"#), "{raw}");
    // REFILL: spent is the RUB balance (1008.74), rest what the balance may still grow by.
    assert!(raw.contains(r#""spent":1008.74"#), "{raw}");
    assert!(raw.contains(r#""rest":598991.26"#), "{raw}");

    let (status, v) = wallet_get(
        &sb,
        &format!("/qw-limits/v1/persons/{W}/actual-limits?types[0]=WITHDRAW_CASH"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["limits"]["RU"][0]["type"], "WITHDRAW_CASH");

    let (status, _) = wallet_get(&sb, &format!("/qw-limits/v1/persons/{W}/actual-limits")).await;
    assert_eq!(status, 400);
    let (status, _) = wallet_get(
        &sb,
        &format!("/qw-limits/v1/persons/{W}/actual-limits?types%5B0%5D=NOPE"),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn p2p_count_and_restrictions() {
    let data = DemoData::from_json(
        r#"{"qiwi": {"restrictions": [{"code": "OUTGOING_PAYMENTS", "description": "Исходящие платежи заблокированы"}],
                     "p2pPaymentCount": 3}}"#,
    )
    .unwrap();
    let sb = sandbox_with(SandboxConfig::default().with_data(data)).await;
    let (status, v) = wallet_get(
        &sb,
        &format!("/qw-limits/v1/persons/{W}/p2p-payment-count-limit"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v, json!({"p2pPaymentCountLimit": 3}));
    let (status, v) = wallet_get(
        &sb,
        &format!("/person-profile/v1/persons/{W}/status/restrictions"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        v,
        json!([{"restrictionCode": "OUTGOING_PAYMENTS", "restrictionDescription": "Исходящие платежи заблокированы"}])
    );

    let sb = sandbox().await;
    let (_, v) = wallet_get(
        &sb,
        &format!("/person-profile/v1/persons/{W}/status/restrictions"),
    )
    .await;
    assert_eq!(v, json!([]));
}

#[tokio::test]
async fn accounts_list_shape_and_alias_filter() {
    let sb = sandbox().await;
    let r = wallet_request(
        &sb,
        Method::GET,
        &format!("/funding-sources/v2/persons/{W}/accounts"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let raw = r.text().await.unwrap();
    assert!(
        raw.contains(r#""balance":{"amount":1008.74,"currency":643}"#),
        "{raw}"
    );
    assert!(
        raw.contains(r#""balance":{"amount":10.5,"currency":840}"#),
        "{raw}"
    );
    let v: Value = serde_json::from_str(&raw).unwrap();
    let accounts = v["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let mc = &accounts[0];
    assert_eq!(
        *mc,
        json!({"alias": "mc_beeline_rub", "fsAlias": "qb_mc_beeline", "bankAlias": "QIWI", "title": "MC",
               "type": {"id": "MC", "title": "Счет мобильного кошелька"}, "hasBalance": false, "balance": null,
               "currency": 643, "defaultAccount": false})
    );
    assert_eq!(
        accounts
            .iter()
            .filter(|a| a["defaultAccount"] == true)
            .count(),
        1
    );

    let (status, v) = wallet_get(
        &sb,
        &format!("/funding-sources/v2/persons/{W}/accounts?timeout=1000&alias=qw_wallet_usd"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(v["accounts"][0]["alias"], "qw_wallet_usd");
    let (status, _) = wallet_get(
        &sb,
        &format!("/funding-sources/v2/persons/{W}/accounts?timeout=soon"),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn create_account_from_the_offer_and_move_the_default() {
    let sb = sandbox().await;
    let base = format!("/funding-sources/v2/persons/{W}/accounts");
    let (status, offer) = wallet_get(&sb, &format!("{base}/offer")).await;
    assert_eq!(status, 200);
    assert_eq!(offer, json!([{"alias": "qw_wallet_eur", "currency": 978}]));

    let post = async |alias: &str| {
        let body = json!({ "alias": alias }).to_string();
        wallet_send(&sb, Method::POST, &base, body).await
    };
    let r = post("qw_wallet_eur").await;
    assert_eq!(r.status(), 201);
    assert!(r.text().await.unwrap().is_empty(), "201 has an empty body");
    let (_, list) = wallet_get(&sb, &base).await;
    let eur = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == "qw_wallet_eur")
        .unwrap()
        .clone();
    assert_eq!(eur["balance"], json!({"amount": 0, "currency": 978}));
    assert_eq!(eur["defaultAccount"], false);
    let (_, offer) = wallet_get(&sb, &format!("{base}/offer")).await;
    assert_eq!(offer, json!([]));

    // Unknown or already existing aliases are refused.
    for alias in ["qw_wallet_xyz", "qw_wallet_eur"] {
        let r = post(alias).await;
        assert_eq!(r.status(), 400, "{alias}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["serviceName"], "funding-sources");
    }

    let patch = async |alias: &str, flag: bool| {
        let body = json!({ "defaultAccount": flag }).to_string();
        wallet_send(&sb, Method::PATCH, &format!("{base}/{alias}"), body).await
    };
    let r = patch("qw_wallet_eur", true).await;
    assert_eq!(r.status(), 204);
    let (_, list) = wallet_get(&sb, &base).await;
    let defaults: Vec<&Value> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["defaultAccount"] == true)
        .map(|a| &a["alias"])
        .collect();
    assert_eq!(defaults, [&json!("qw_wallet_eur")]);
    let (_, profile) = wallet_get(&sb, "/person-profile/v1/profile/current").await;
    assert_eq!(
        profile["userInfo"]["defaultPayAccountAlias"],
        "qw_wallet_eur"
    );
    assert_eq!(profile["userInfo"]["defaultPayCurrency"], 978);

    let r = patch("qw_wallet_nope", true).await;
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errorCode"], "account.not.found");
    let r = patch("qw_wallet_eur", false).await;
    assert_eq!(r.status(), 400, "the only default cannot be unset");
}
