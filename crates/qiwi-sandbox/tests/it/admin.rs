//! The admin endpoints under abuse: cross-site POSTs, oversized bodies and rule lists, rules
//! for routes that do not exist.

use crate::common;

use common::{admin_get, client, sandbox};
use qiwi_sandbox::{Fault, FaultRule, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post(
    sb: &qiwi_sandbox::Sandbox,
    path: &str,
    content_type: &str,
    body: String,
) -> (StatusCode, Value) {
    let r = client()
        .post(format!("{}/__sandbox/{path}", sb.base_url()))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn rule(route: &str) -> Value {
    json!({ "route": route, "fault": "status", "status": 503 })
}

#[tokio::test]
async fn a_cross_site_post_that_is_not_json_changes_nothing() {
    let sb = sandbox().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, body) = post(&sb, "faults", content_type, rule("wallet").to_string()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert!(
            body["error"].as_str().unwrap().contains("application/json"),
            "{body}"
        );
    }
    assert_eq!(admin_get(&sb, "faults").await["rules"], json!([]));

    let wallet = qiwi_sandbox::demo::TREEZOR_WALLET_IDS[0];
    let before = sb.treezor_balance(wallet);
    let op = json!({ "walletId": wallet, "type": "payin", "amount": "25.00" }).to_string();
    let (status, _) = post(&sb, "treezor/operations", "text/plain", op.clone()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(sb.treezor_balance(wallet), before);
    let (status, _) = post(&sb, "treezor/operations", "application/json", op).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post(&sb, "reset", "text/plain", String::new()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_ne!(
        sb.treezor_balance(wallet),
        before,
        "a text/plain reset was refused"
    );
    let (status, _) = post(&sb, "reset", "application/json", String::new()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(sb.treezor_balance(wallet), before);
}

#[tokio::test]
async fn bodies_and_rule_lists_are_bounded() {
    let sb = sandbox().await;
    let huge: Vec<Value> = (0..2000).map(|_| rule("wallet.accounts.list")).collect();
    let (status, _) = post(&sb, "faults", "application/json", json!(huge).to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(admin_get(&sb, "faults").await["rules"], json!([]));

    let batch: Vec<Value> = (0..400).map(|_| rule("treezor")).collect();
    for _ in 0..2 {
        let (status, _) = post(&sb, "faults", "application/json", json!(batch).to_string()).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = post(&sb, "faults", "application/json", json!(batch).to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().unwrap().contains("1000"), "{body}");
    assert_eq!(
        admin_get(&sb, "faults").await["rules"]
            .as_array()
            .unwrap()
            .len(),
        800
    );
    // The sandbox still answers at once with the rules it has.
    let (status, _) = post(
        &sb,
        "faults",
        "application/json",
        json!(batch[..200]).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_rule_for_a_route_that_is_not_served_is_refused() {
    let sb = sandbox().await;
    for refused in [
        rule("walet"),
        rule("wallet.accounts.lists"),
        rule("GET /v2/balances"),
        json!({ "route": "treezor", "fault": "nullBalance" }),
        json!({ "route": "wallet", "fault": "agentResultCode", "code": 13 }),
    ] {
        let (status, body) = post(
            &sb,
            "faults",
            "application/json",
            json!([rule("agent"), refused]).to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        let message = body["error"].as_str().unwrap();
        assert!(
            message.starts_with("rule 1: no route the sandbox serves matches"),
            "{message}"
        );
    }
    assert_eq!(
        admin_get(&sb, "faults").await["rules"],
        json!([]),
        "nothing of a refused list is added"
    );
    for accepted in [
        rule("*"),
        rule("agent.pay.status"),
        rule("agent.provider"),
        rule("GET /v1/balances"),
        rule("/funding-sources/v2/persons/{personId}/accounts"),
        json!({ "route": "wallet", "fault": "nullBalance" }),
        json!({ "route": "agent", "fault": "agentResultCode", "code": 13 }),
    ] {
        let (status, body) = post(&sb, "faults", "application/json", accepted.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{accepted}: {body}");
    }
}

#[tokio::test]
async fn a_start_with_a_rule_for_a_route_that_is_not_served_fails() {
    let config =
        SandboxConfig::default().with_fault(FaultRule::new("treezor.balance", Fault::Drop));
    let err = qiwi_sandbox::start(config).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("\"treezor.balance\""), "{err}");
}

#[tokio::test]
async fn only_loopback_unless_remote_access_is_allowed() {
    let err = qiwi_sandbox::bind("0.0.0.0:0".parse().unwrap(), SandboxConfig::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("not a loopback address"), "{err}");
    let listener = tokio::net::TcpListener::bind("[::1]:0").await;
    if let Ok(listener) = listener {
        // IPv6 loopback is loopback.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(qiwi_sandbox::serve_with_shutdown(
            SandboxConfig::default(),
            listener,
            async {
                let _ = rx.await;
            },
        ));
        let _ = tx.send(());
        server.await.unwrap().unwrap();
    }
}
