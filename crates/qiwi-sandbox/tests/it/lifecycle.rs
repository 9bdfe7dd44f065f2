//! Starting, serving, resetting and stopping the sandbox; loading demo data from a file.

use crate::common;

use std::time::Duration;

use common::{admin, client, sandbox, sandbox_with, wallet_get, wallet_send};
use qiwi_sandbox::{DemoData, SandboxConfig, demo};
use reqwest::Method;

#[tokio::test]
async fn urls_and_banner() {
    let sb = sandbox().await;
    assert!(sb.addr().ip().is_loopback());
    assert_eq!(sb.base_url(), format!("http://{}", sb.addr()));
    assert_eq!(
        sb.agent_url(),
        format!("http://{}/xml/topup.jsp", sb.addr())
    );
    let banner = sb.credentials_banner();
    for needle in [
        sb.base_url().as_str(),
        sb.agent_url().as_str(),
        demo::QIWI_TOKEN,
        demo::QIWI_WALLET,
        demo::AGENT_TERMINAL_ID,
        demo::AGENT_PASSWORD,
        demo::TREEZOR_CLIENT_ID,
        demo::TREEZOR_CLIENT_SECRET,
        "3645800, 3645801, 3645802",
        "100200",
    ] {
        assert!(banner.contains(needle), "{needle} missing from:\n{banner}");
    }
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sb = sandbox().await;
    let url = format!("{}/__sandbox/healthz", sb.base_url());
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    sb.shutdown().await.unwrap();
    assert!(client().get(&url).send().await.is_err());
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sb = sandbox().await;
    let url = format!("{}/__sandbox/healthz", sb.base_url());
    drop(sb);
    let mut stopped = false;
    for _ in 0..20 {
        if reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(&url)
            .send()
            .await
            .is_err()
        {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(stopped);
}

#[tokio::test]
async fn serve_on_a_given_listener() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(qiwi_sandbox::serve_with_shutdown(
        SandboxConfig::default(),
        listener,
        async {
            let _ = rx.await;
        },
    ));
    let r = client()
        .get(format!("http://{addr}/__sandbox/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "ok");
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(qiwi_sandbox::serve(SandboxConfig::default(), listener));
    let r = client()
        .get(format!("http://{addr}/__sandbox/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    server.abort();
}

#[tokio::test]
async fn demo_data_from_a_file() {
    let path = std::env::temp_dir().join(format!("qiwi-sandbox-demo-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"qiwi": {"token": "file-token", "accounts": [
              {"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
               "typeId": "WALLET", "typeTitle": "QIWI Wallet", "hasBalance": true, "balance": "29.58",
               "currency": 643, "defaultAccount": true}]}}"#,
    )
    .unwrap();
    let data = DemoData::from_path(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert!(DemoData::from_path(&path).is_err());
    let sb = sandbox_with(SandboxConfig::default().with_data(data)).await;
    let r = client()
        .get(format!(
            "{}/funding-sources/v2/persons/{}/accounts",
            sb.base_url(),
            demo::QIWI_WALLET
        ))
        .header("Authorization", "Bearer file-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains(r#""amount":29.58"#), "{text}");
    assert!(sb.credentials_banner().contains("file-token"));
}

#[tokio::test]
async fn reset_returns_to_the_initial_data() {
    let sb = sandbox().await;
    let accounts = format!("/funding-sources/v2/persons/{}/accounts", demo::QIWI_WALLET);
    let offer_path = format!("{accounts}/offer");
    let r = wallet_send(
        &sb,
        Method::POST,
        &accounts,
        r#"{"alias": "qw_wallet_eur"}"#,
    )
    .await;
    assert_eq!(r.status(), 201);
    let (_, offer) = wallet_get(&sb, &offer_path).await;
    assert_eq!(offer.as_array().unwrap().len(), 0);
    assert_eq!(admin(&sb, Method::POST, "reset").await.status(), 204);
    let (_, offer) = wallet_get(&sb, &offer_path).await;
    assert_eq!(offer.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let sb = sandbox().await;
    let (status, body) = wallet_get(&sb, "/nope").await;
    assert_eq!(status, 404);
    assert_eq!(body["errorCode"], "not.found");
    let r = client()
        .get(format!("{}/v1/nope", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["errors"].is_array());
}

#[tokio::test]
async fn debug_output_is_short() {
    let sb = sandbox().await;
    let text = format!("{sb:?}");
    assert_eq!(
        text,
        format!("Sandbox {{ addr: {}, running: true }}", sb.addr())
    );
}
