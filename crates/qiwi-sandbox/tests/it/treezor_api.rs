//! Treezor: OAuth token, balances and balance history, requests shaped as in the reference.

use crate::common;

use std::time::Duration;

use common::{
    admin, admin_post, client, sandbox, sandbox_with, token_request, treezor_get, treezor_token,
};
use qiwi_sandbox::{Amount, SandboxConfig, TreezorOperation, demo};
use reqwest::Method;
use serde_json::{Value, json};

fn check_error_shape(text: &str, code: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let e = &v["errors"][0];
    let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["code", "docUrl", "message", "requestId", "type"],
        "{text}"
    );
    assert_eq!(e["code"], code, "{text}");
    assert_eq!(e["requestId"].as_str().unwrap().len(), 36);
    v
}

#[tokio::test]
async fn token_from_form_multipart_and_json_bodies() {
    let sb = sandbox().await;
    let id = demo::TREEZOR_CLIENT_ID;
    let secret = demo::TREEZOR_CLIENT_SECRET;

    let boundary = "------------------------d74496d66958873e";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n{id}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\n{secret}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"scope\"\r\n\r\nread_only\r\n--{boundary}--\r\n"
    );
    let bodies = [
        ("application/x-www-form-urlencoded".to_owned(), format!("grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=read_only")),
        (format!("multipart/form-data; boundary={boundary}"), multipart),
        ("application/json".to_owned(), json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "scope": "read_only"}).to_string()),
    ];
    let mut tokens = Vec::new();
    for (content_type, body) in bodies {
        let r = token_request(&sb, &content_type, body).await;
        assert_eq!(r.status(), 200, "{content_type}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["token_type"], "Bearer");
        assert_eq!(v["expires_in"], 3600);
        let token = v["access_token"].as_str().unwrap().to_owned();
        let (status, _) = treezor_get(
            &sb,
            &token,
            &format!("/v1/balances?walletId={}", demo::TREEZOR_WALLET_IDS[0]),
        )
        .await;
        assert_eq!(status, 200, "{content_type}");
        tokens.push(token);
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 3);
}

#[tokio::test]
async fn bad_client_credentials_and_grant_types_are_refused() {
    let sb = sandbox().await;
    let form = "application/x-www-form-urlencoded";
    let r = token_request(
        &sb,
        form,
        format!(
            "grant_type=client_credentials&client_id={}&client_secret=nope",
            demo::TREEZOR_CLIENT_ID
        ),
    )
    .await;
    assert_eq!(r.status(), 401);
    let v = check_error_shape(&r.text().await.unwrap(), "authorization_error");
    assert_eq!(v["errors"][0]["type"], "invalid_client");
    let r = token_request(&sb, form, "grant_type=password&client_id=1&client_secret=2").await;
    assert_eq!(r.status(), 400);
    check_error_shape(&r.text().await.unwrap(), "unsupported_grant_type");
}

#[tokio::test]
async fn unknown_missing_and_expired_tokens_get_401() {
    let sb =
        sandbox_with(SandboxConfig::default().with_treezor_token_ttl(Duration::from_millis(150)))
            .await;
    let path = format!("/v1/balances?walletId={}", demo::TREEZOR_WALLET_IDS[0]);
    let (status, text) = treezor_get(&sb, "not-a-token", &path).await;
    assert_eq!(status, 401);
    check_error_shape(&text, "authorization_error");
    let r = client()
        .get(format!("{}{path}", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // Expiry by TTL.
    let token = treezor_token(&sb).await;
    assert_eq!(treezor_get(&sb, &token, &path).await.0, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, text) = treezor_get(&sb, &token, &path).await;
    assert_eq!(status, 401);
    let v = check_error_shape(&text, "authorization_error");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    // Expiry through the test hook and the admin endpoint.
    let sb = sandbox().await;
    let token = treezor_token(&sb).await;
    assert_eq!(treezor_get(&sb, &token, &path).await.0, 200);
    sb.expire_treezor_tokens();
    assert_eq!(treezor_get(&sb, &token, &path).await.0, 401);
    let token = treezor_token(&sb).await;
    let r = admin(&sb, Method::POST, "treezor/expire-tokens").await;
    assert_eq!(r.status(), 204);
    assert_eq!(treezor_get(&sb, &token, &path).await.0, 401);
}

#[tokio::test]
async fn balances_by_wallet_and_by_user() {
    let sb = sandbox().await;
    let token = treezor_token(&sb).await;
    let (status, text) = treezor_get(
        &sb,
        &token,
        &format!("/v1/balances?walletId={}", demo::TREEZOR_WALLET_IDS[1]),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.contains(r#""currentBalance":100"#), "{text}");
    assert!(text.contains(r#""authorizations":50"#), "{text}");
    assert!(text.contains(r#""authorizedBalance":50"#), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let b = &v["balances"][0];
    assert_eq!(b["walletId"], demo::TREEZOR_WALLET_IDS[1]);
    assert_eq!(b["currency"], "EUR");
    let date = b["calculationDate"].as_str().unwrap();
    assert_eq!(
        (date.len(), &date[4..5], &date[10..11], &date[13..14]),
        (19, "-", " ", ":"),
        "{date}"
    );

    let (status, text) = treezor_get(
        &sb,
        &token,
        &format!("/v1/balances?userId={}", demo::TREEZOR_USER_ID),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.contains(r#""currentBalance":4002.5"#), "{text}");
    assert!(text.contains(r#""currentBalance":302.5"#), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<&Value> = v["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["walletId"])
        .collect();
    assert_eq!(
        ids,
        demo::TREEZOR_WALLET_IDS
            .iter()
            .map(|i| json!(i))
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );

    let (status, text) = treezor_get(&sb, &token, "/v1/balances?walletId=999").await;
    assert_eq!((status, text.as_str()), (200, r#"{"balances":[]}"#));
    let (status, text) = treezor_get(&sb, &token, "/v1/balances").await;
    assert_eq!(status, 400);
    check_error_shape(&text, "invalid_parameter_in_request");
    let (status, _) = treezor_get(&sb, &token, "/v1/balances?walletId=abc").await;
    assert_eq!(status, 400);

    // POST is not allowed (the old documentation's curl example used it).
    let r = client()
        .post(format!(
            "{}/v1/balances?walletId={}",
            sb.base_url(),
            demo::TREEZOR_WALLET_IDS[0]
        ))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    check_error_shape(&r.text().await.unwrap(), "method_not_allowed");
}

fn history_keys(text: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap();
    let map = v.as_object().unwrap();
    // The body lists the newest point first; read the keys in text order.
    let mut keys: Vec<(usize, String)> = map
        .keys()
        .map(|k| (text.find(&format!("\"{k}\"")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[tokio::test]
async fn history_has_daily_points_filters_by_date_and_grows() {
    let sb = sandbox().await;
    let token = treezor_token(&sb).await;
    let wallet = demo::TREEZOR_WALLET_IDS[1];
    let (status, text) =
        treezor_get(&sb, &token, &format!("/core-connect/balances/{wallet}")).await;
    assert_eq!(status, 200);
    let keys = history_keys(&text);
    assert_eq!(keys.len(), 31, "30 days and today's point");
    assert!(
        keys.windows(2).all(|w| w[0] > w[1]),
        "newest first: {keys:?}"
    );
    for k in &keys {
        assert_eq!((k.len(), &k[4..5], &k[10..11]), (19, "-", " "), "{k}");
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    let newest = &v[&keys[0]];
    assert_eq!(
        *newest,
        json!({"solde": 100, "authorizedBalance": 50, "currency": "EUR"})
    );

    // Filter to a window of three days.
    let day = |k: &String| k[..10].to_owned();
    let (from, to) = (day(&keys[5]), day(&keys[3]));
    let (status, text) = treezor_get(
        &sb,
        &token,
        &format!("/core-connect/balances/{wallet}?dateFrom={from}&dateTo={to}"),
    )
    .await;
    assert_eq!(status, 200);
    let filtered = history_keys(&text);
    assert_eq!(filtered.len(), 3, "{text}");
    assert!(filtered.iter().all(|k| k[..10] >= *from && k[..10] <= *to));

    // A change appends a point.
    sb.treezor_operation(wallet, TreezorOperation::Payin, Amount::new(10, 25))
        .unwrap();
    let r = admin_post(
        &sb,
        "treezor/operations",
        &json!({"walletId": wallet, "type": "authorization", "amount": "5.00"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json().await.unwrap();
    assert_eq!(after["authorizedBalance"].to_string(), "55.25");
    let (_, text) = treezor_get(&sb, &token, &format!("/core-connect/balances/{wallet}")).await;
    let keys = history_keys(&text);
    // Points are keyed by the second: a change within the same second as the last point
    // replaces it, a later one appends (see the state unit tests).
    assert!(keys.len() >= 31, "{}", keys.len());
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v[&keys[0]]["solde"].to_string(), "110.25");
    assert_eq!(v[&keys[0]]["authorizedBalance"].to_string(), "55.25");
    let (_, text) = treezor_get(&sb, &token, &format!("/v1/balances?walletId={wallet}")).await;
    assert!(
        text.contains(r#""authorizations":55"#) && text.contains(r#""currentBalance":110.25"#),
        "{text}"
    );
    assert_eq!(
        sb.treezor_balance(wallet),
        Some((Amount::new(110, 25), Amount::new(55, 0)))
    );
}

#[tokio::test]
async fn history_rejects_bad_dates_and_unknown_wallets() {
    let sb = sandbox().await;
    let token = treezor_token(&sb).await;
    let wallet = demo::TREEZOR_WALLET_IDS[0];
    for query in [
        "dateFrom=2024-13-01",
        "dateFrom=01/12/2024",
        "dateTo=2024-12-1",
        "dateFrom=2025-02-10&dateTo=2024-12-01",
    ] {
        let (status, text) = treezor_get(
            &sb,
            &token,
            &format!("/core-connect/balances/{wallet}?{query}"),
        )
        .await;
        assert_eq!(status, 400, "{query}");
        check_error_shape(&text, "invalid_parameter_in_request");
    }
    let (status, text) = treezor_get(&sb, &token, "/core-connect/balances/42").await;
    assert_eq!(status, 404);
    check_error_shape(&text, "resource_not_found_error");
    let (status, text) = treezor_get(
        &sb,
        &token,
        "/core-connect/balances/42?dateFrom=2000-01-01&dateTo=2000-01-02",
    )
    .await;
    assert_eq!(status, 404, "{text}");
    let (status, text) = treezor_get(
        &sb,
        &token,
        &format!("/core-connect/balances/{wallet}?dateFrom=2000-01-01&dateTo=2000-01-02"),
    )
    .await;
    assert_eq!((status, text.as_str()), (200, "{}"));
}
