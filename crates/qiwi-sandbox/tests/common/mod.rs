//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::Duration;

use qiwi_sandbox::{Sandbox, SandboxConfig, demo};

/// A sandbox whose accepted work completes after 50 ms.
pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    qiwi_sandbox::start(config.with_processing_delay(Duration::from_millis(50)))
        .await
        .expect("sandbox starts")
}

/// A plain HTTP client (no proxy, short timeout).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

pub fn bearer() -> String {
    format!("Bearer {}", demo::QIWI_TOKEN)
}

/// GET on the QIWI Wallet API with the demo token; returns (status, JSON body or Null).
pub async fn wallet_get(sb: &Sandbox, path: &str) -> (u16, serde_json::Value) {
    let r = client()
        .get(format!("{}{path}", sb.base_url()))
        .header("Accept", "application/json")
        .header("Authorization", bearer())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// POSTs an agent XML request; returns the response text.
pub async fn agent(sb: &Sandbox, body: &str) -> String {
    let r = client()
        .post(sb.agent_url())
        .header("Content-Type", "application/xml")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// The value of attribute `name` in the first element `<tag ...>` of `doc` (either quote style).
pub fn attr(doc: &str, tag: &str, name: &str) -> Option<String> {
    let start = doc.find(&format!("<{tag} "))?;
    let rest = &doc[start..];
    let end = rest.find('>')?;
    let head = &rest[..end];
    for quote in ['\'', '"'] {
        let key = format!(" {name}={quote}");
        if let Some(i) = head.find(&key) {
            let value = &head[i + key.len()..];
            return value.find(quote).map(|j| value[..j].to_owned());
        }
    }
    None
}

/// The text of the first `<tag ...>text</tag>` of `doc`.
pub fn text(doc: &str, tag: &str) -> Option<String> {
    let open = doc
        .find(&format!("<{tag}"))
        .and_then(|i| doc[i..].find('>').map(|j| i + j + 1))?;
    let close = doc[open..].find(&format!("</{tag}>"))?;
    Some(doc[open..open + close].to_owned())
}

/// A Treezor token for the demo client.
pub async fn treezor_token(sb: &Sandbox) -> String {
    let r = client()
        .post(format!("{}/oauth/token", sb.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=read_only",
            demo::TREEZOR_CLIENT_ID,
            demo::TREEZOR_CLIENT_SECRET
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// GET on the Treezor API with a bearer token; returns (status, raw text).
pub async fn treezor_get(sb: &Sandbox, token: &str, path: &str) -> (u16, String) {
    let r = client()
        .get(format!("{}{path}", sb.base_url()))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}
