//! Fault injection: latency, error statuses, dropped connections, null balances, agent result
//! codes, and the admin endpoints that manage them.

use crate::common;

use std::time::{Duration, Instant};

use common::{
    admin, admin_get, admin_post, agent, attr, bearer, client, envelope, sandbox,
    sandbox_with_fault, text, token_request, treezor_get, treezor_token, wallet_get,
    wallet_request,
};
use qiwi_sandbox::{Fault, FaultRule};
use reqwest::Method;
use serde_json::{Value, json};

const ACCOUNTS: &str = "/funding-sources/v2/persons/79991234567/accounts";

fn status(s: u16) -> Fault {
    Fault::Status {
        status: s,
        retry_after: None,
    }
}

#[tokio::test]
async fn latency_delays_the_response() {
    let sb = sandbox_with_fault(FaultRule::new(
        "wallet.profile",
        Fault::Latency(Duration::from_millis(150)),
    ))
    .await;
    let started = Instant::now();
    let (status, _) = wallet_get(&sb, "/person-profile/v1/profile/current").await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(wallet_get(&sb, ACCOUNTS).await.0, 200);
    assert_eq!(sb.hits("wallet"), 2);
}

#[tokio::test]
async fn error_statuses_have_family_shaped_bodies() {
    let sb = sandbox().await;
    for code in [500, 503, 423] {
        sb.add_fault(FaultRule::new("wallet.accounts.list", status(code)).times(1));
        let (got, body) = wallet_get(&sb, ACCOUNTS).await;
        assert_eq!(got, code);
        assert_eq!(body["serviceName"], "funding-sources", "{code}");
        assert!(
            body["errorCode"].is_string() && body["traceId"].is_string(),
            "{code}: {body}"
        );
    }
    // The rule was for one request only.
    assert_eq!(wallet_get(&sb, ACCOUNTS).await.0, 200);

    // 502 is an HTML page from the gateway, whatever the family.
    sb.add_fault(FaultRule::new("treezor", status(502)).times(1));
    let token_response = token_request(
        &sb,
        "application/x-www-form-urlencoded",
        "grant_type=client_credentials&client_id=1&client_secret=2",
    )
    .await;
    assert_eq!(token_response.status(), 502);
    assert_eq!(token_response.headers()["content-type"], "text/html");
    assert!(
        token_response
            .text()
            .await
            .unwrap()
            .contains("<h1>502 Bad Gateway</h1>")
    );

    // Treezor errors keep Treezor's shape.
    let token = treezor_token(&sb).await;
    sb.add_fault(FaultRule::new("GET /v1/balances", status(503)).times(1));
    let (got, text) = treezor_get(&sb, &token, "/v1/balances?userId=100200").await;
    assert_eq!(got, 503);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["errors"][0]["requestId"].is_string(), "{text}");
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let sb = sandbox().await;
    sb.add_fault(
        FaultRule::new(
            "wallet",
            Fault::Status {
                status: 429,
                retry_after: Some(7),
            },
        )
        .times(1),
    );
    sb.add_fault(FaultRule::new("wallet", status(429)).times(1));
    let accounts = async || {
        wallet_request(&sb, Method::GET, ACCOUNTS)
            .send()
            .await
            .unwrap()
    };
    let r = accounts().await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let r = accounts().await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        r.headers()["retry-after"],
        "1",
        "429 always says when to retry"
    );
    let r = accounts().await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn dropped_connections_are_connection_errors_and_are_counted() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule::new("wallet.accounts.list", Fault::Drop).times(2));
    let client = client();
    for _ in 0..2 {
        let err = client
            .get(format!("{}{ACCOUNTS}", sb.base_url()))
            .header("Authorization", bearer())
            .send()
            .await
            .expect_err("the connection is dropped without a response");
        assert!(
            !err.is_status() && !err.is_decode() && !err.is_timeout(),
            "{err:?}"
        );
        assert!(err.is_request() || err.is_connect(), "{err:?}");
    }
    // The same client recovers on a fresh connection.
    let r = client
        .get(format!("{}{ACCOUNTS}", sb.base_url()))
        .header("Authorization", bearer())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sb.hits("wallet.accounts.list"), 3);

    // Raw TCP: the server closes the socket without writing a single byte.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    sb.add_fault(FaultRule::new("agent", Fault::Drop).times(1));
    let mut socket = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let body = "<request><request-type>ping</request-type></request>";
    let request = format!(
        "POST /xml/topup.jsp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n{body}",
        sb.addr(),
        body.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(2), socket.read_to_end(&mut received))
        .await
        .unwrap();
    assert!(
        received.is_empty(),
        "nothing is written: {:?}",
        String::from_utf8_lossy(&received)
    );
    let _ = read;
    assert_eq!(sb.hits("agent.ping"), 1);
}

#[tokio::test]
async fn null_balance_first_then_the_real_value() {
    let sb =
        sandbox_with_fault(FaultRule::new("wallet.accounts.list", Fault::NullBalance).times(2))
            .await;
    let (_, first) = wallet_get(&sb, ACCOUNTS).await;
    let accounts = first["accounts"].as_array().unwrap();
    assert!(accounts.iter().all(|a| a["balance"].is_null()), "{first}");
    assert!(accounts.iter().any(|a| a["hasBalance"] == true));
    // The documented retry with timeout and alias is null once more, then real.
    let retry = format!("{ACCOUNTS}?timeout=1000&alias=qw_wallet_rub");
    let (_, second) = wallet_get(&sb, &retry).await;
    assert_eq!(second["accounts"][0]["balance"], Value::Null, "{second}");
    let (_, third) = wallet_get(&sb, &retry).await;
    assert_eq!(
        third["accounts"][0]["balance"]["amount"].to_string(),
        "1008.74",
        "{third}"
    );
    assert_eq!(sb.hits("wallet.accounts.list"), 3);
}

#[tokio::test]
async fn timeout_caps_a_slow_balance_to_null() {
    let sb = sandbox_with_fault(FaultRule::new(
        "wallet.accounts.list",
        Fault::Latency(Duration::from_millis(1000)),
    ))
    .await;
    assert_a_50_ms_timeout_caps_the_balance_to_null(&sb).await;
}

/// A balance asked for with `timeout=50` comes back null, well before the injected latency.
async fn assert_a_50_ms_timeout_caps_the_balance_to_null(sb: &qiwi_sandbox::Sandbox) {
    let started = Instant::now();
    let (status, body) =
        wallet_get(sb, &format!("{ACCOUNTS}?timeout=50&alias=qw_wallet_rub")).await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(body["accounts"][0]["balance"], Value::Null);
}

#[tokio::test]
async fn huge_latency_rules_add_up_without_overflow() {
    let sb = sandbox_with_fault(FaultRule::new(
        "wallet.accounts.list",
        Fault::Latency(Duration::MAX),
    ))
    .await;
    let rule = json!({"route": "wallet.accounts", "fault": "latency", "ms": u64::MAX});
    let added = admin_post(&sb, "faults", &rule).await;
    assert!(added.status().is_success(), "{}", added.status());
    // The summed delay saturates, and the request's own `timeout` still bounds it.
    assert_a_50_ms_timeout_caps_the_balance_to_null(&sb).await;
}

#[tokio::test]
async fn agent_result_codes_and_http_errors() {
    let sb = sandbox().await;
    let ping = envelope("ping", "");
    sb.add_fault(
        FaultRule::new(
            "agent.ping",
            Fault::AgentResultCode {
                code: 13,
                fatal: false,
            },
        )
        .times(1),
    );
    let doc = agent(&sb, &ping).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("13"), "{doc}");
    assert_eq!(attr(&doc, "result-code", "fatal").as_deref(), Some("false"));
    assert!(!doc.contains("<balances>"));
    sb.add_fault(
        FaultRule::new(
            "agent",
            Fault::AgentResultCode {
                code: 339,
                fatal: true,
            },
        )
        .times(1),
    );
    let doc = agent(&sb, &ping).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("339"), "{doc}");
    assert_eq!(attr(&doc, "result-code", "fatal").as_deref(), Some("true"));
    let doc = agent(&sb, &ping).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("0"));

    sb.add_fault(FaultRule::new("agent", status(503)).times(1));
    let r = client()
        .post(sb.agent_url())
        .body(ping.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["content-type"], "text/html");
}

#[tokio::test]
async fn admin_endpoints_add_list_clear_and_count() {
    let sb = sandbox().await;
    let r = admin_post(
        &sb,
        "faults",
        &json!({"route": "wallet.accounts.list", "fault": "status", "status": 503, "times": 1}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = admin_post(
        &sb,
        "faults",
        &json!({"rules": [
            {"route": "treezor", "fault": "status", "status": 429, "retryAfter": 3, "skip": 1},
            {"route": "*", "fault": "latency", "ms": 1}
        ]}),
    )
    .await;
    let listed: Value = r.json().await.unwrap();
    let rules = listed["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[0]["id"], 1);
    assert_eq!(rules[1]["retryAfter"], 3);
    assert_eq!(rules[1]["skip"], 1);

    let r = admin_post(&sb, "faults", &json!([{"route": "x", "fault": "teleport"}])).await;
    assert_eq!(r.status(), 400);
    let r = admin_post(
        &sb,
        "faults",
        &json!({"route": "x", "fault": "status", "status": 200}),
    )
    .await;
    assert_eq!(r.status(), 400);

    assert_eq!(wallet_get(&sb, ACCOUNTS).await.0, 503);
    assert_eq!(wallet_get(&sb, ACCOUNTS).await.0, 200);
    let token = treezor_token(&sb).await; // skipped by the treezor rule
    assert_eq!(
        treezor_get(&sb, &token, "/v1/balances?userId=100200")
            .await
            .0,
        429
    );

    let listed = admin_get(&sb, "faults").await;
    assert_eq!(
        listed["rules"].as_array().unwrap().len(),
        2,
        "the counted rule is spent: {listed}"
    );
    assert_eq!(admin(&sb, Method::DELETE, "faults").await.status(), 204);
    assert_eq!(
        treezor_get(&sb, &token, "/v1/balances?userId=100200")
            .await
            .0,
        200
    );

    let c = admin_get(&sb, "requests").await;
    assert_eq!(c["routes"]["wallet.accounts.list"], 2, "{c}");
    assert_eq!(c["routes"]["treezor.token"], 1);
    assert_eq!(c["routes"]["treezor.balances"], 2);
    assert_eq!(c["total"], 5);
    assert_eq!(admin(&sb, Method::DELETE, "requests").await.status(), 204);
    assert_eq!(admin_get(&sb, "requests").await["total"], 0);

    let routes = admin_get(&sb, "routes").await;
    assert!(
        routes["routes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "wallet.limits")
    );
}

#[tokio::test]
async fn always_rules_apply_until_cleared() {
    let sb = sandbox().await;
    let p2p_count = "/qw-limits/v1/persons/79991234567/p2p-payment-count-limit";
    sb.add_fault(FaultRule::new("wallet.p2p-count", status(500)));
    for _ in 0..3 {
        assert_eq!(wallet_get(&sb, p2p_count).await.0, 500);
    }
    sb.clear_faults();
    assert_eq!(wallet_get(&sb, p2p_count).await.0, 200);
    assert_eq!(sb.hits("wallet"), 4);
}
