//! The server under abuse, over real sockets: clients that never finish their headers, more
//! connections than the cap, and floods of token requests.

use crate::common;

use std::time::{Duration, Instant};

use common::{client, sandbox_with, treezor_get, treezor_token};
use qiwi_sandbox::{SandboxConfig, demo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; returns what it sent and how long it took,
/// or `None` if it still holds the connection after `limit`.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> Option<(Vec<u8>, Duration)> {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some((received, started.elapsed())),
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_that_sends_half_a_header_is_disconnected_after_the_header_timeout() {
    let timeout = Duration::from_millis(300);
    let sb = sandbox_with(SandboxConfig::default().with_header_read_timeout(timeout)).await;
    let connected = Instant::now();
    let mut half = TcpStream::connect(sb.addr()).await.unwrap();
    half.write_all(b"GET /__sandbox/healthz HTTP/1.1\r\nHost: sandbox\r\nX-Slow: ")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(sb.addr()).await.unwrap();
    for stream in [&mut half, &mut silent] {
        let (received, _) = until_closed(stream, Duration::from_secs(5))
            .await
            .expect("the server closes a connection whose header never ends");
        let after = connected.elapsed();
        assert!(after >= timeout, "closed after {after:?}");
        assert!(
            received.is_empty() || received.starts_with(b"HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&received)
        );
    }
    // A whole request in time is served.
    let mut whole = TcpStream::connect(sb.addr()).await.unwrap();
    whole
        .write_all(b"GET /__sandbox/healthz HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (received, _) = until_closed(&mut whole, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        received.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_and_service_resumes_when_they_go() {
    let sb = sandbox_with(
        SandboxConfig::default()
            .with_max_connections(4)
            .with_header_read_timeout(Duration::from_secs(30)),
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(sb.addr()).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(sb.addr()).await.unwrap();
    let (received, _) = until_closed(&mut extra, Duration::from_secs(2))
        .await
        .expect("a connection beyond the cap is closed at once");
    assert!(received.is_empty());
    for s in &mut held {
        assert!(
            until_closed(s, Duration::from_millis(50)).await.is_none(),
            "the connections within the cap stay open"
        );
    }
    drop(held);
    let url = format!("{}/__sandbox/healthz", sb.base_url());
    let mut served = false;
    for _ in 0..50 {
        if client()
            .get(&url)
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        served,
        "a normal request is served once the held connections are gone"
    );
}

#[tokio::test]
async fn the_token_table_keeps_the_newest_tokens_under_a_flood() {
    let sb = sandbox_with(SandboxConfig::default().with_treezor_token_limit(5)).await;
    let mut tokens = Vec::new();
    for _ in 0..12 {
        tokens.push(treezor_token(&sb).await);
    }
    let path = format!("/v1/balances?walletId={}", demo::TREEZOR_WALLET_IDS[0]);
    for (i, token) in tokens.iter().enumerate() {
        let (status, text) = treezor_get(&sb, token, &path).await;
        if i < 7 {
            assert_eq!(status, 401, "token {i} was dropped as one of the oldest");
            assert!(text.contains("The access token is invalid"), "{text}");
        } else {
            assert_eq!(status, 200, "token {i}: {text}");
        }
    }

    // Two hundred callers at once: five tokens stay valid, whichever they are.
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        demo::TREEZOR_CLIENT_ID,
        demo::TREEZOR_CLIENT_SECRET
    );
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let (url, form) = (format!("{}/oauth/token", sb.base_url()), form.clone());
        callers.spawn(async move {
            let answer: serde_json::Value = client()
                .post(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            answer["access_token"].as_str().unwrap().to_owned()
        });
    }
    let flood = callers.join_all().await;
    let mut valid = 0;
    for token in tokens.iter().chain(&flood) {
        if treezor_get(&sb, token, &path).await.0 == 200 {
            valid += 1;
        }
    }
    assert_eq!(valid, 5);
}
