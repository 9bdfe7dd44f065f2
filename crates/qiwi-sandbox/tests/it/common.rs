//! Helpers shared by the integration tests.

use std::time::Duration;

use qiwi_sandbox::{FaultRule, Sandbox, SandboxConfig, demo};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

/// How long the test sandboxes keep accepted work in progress.
pub const PROCESSING_DELAY: Duration = Duration::from_millis(50);

/// A sandbox whose accepted work completes after [`PROCESSING_DELAY`].
pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    qiwi_sandbox::start(config.with_processing_delay(PROCESSING_DELAY))
        .await
        .expect("sandbox starts")
}

/// A sandbox with one fault rule active from the start.
pub async fn sandbox_with_fault(rule: FaultRule) -> Sandbox {
    sandbox_with(SandboxConfig::default().with_fault(rule)).await
}

/// Waits until the work accepted so far has completed ([`PROCESSING_DELAY`] and a margin).
pub async fn wait_for_processing() {
    tokio::time::sleep(Duration::from_millis(80)).await;
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

/// A request to the QIWI Wallet API with the demo token, accepting JSON.
pub fn wallet_request(sb: &Sandbox, method: Method, path: &str) -> RequestBuilder {
    client()
        .request(method, format!("{}{path}", sb.base_url()))
        .header("Accept", "application/json")
        .header("Authorization", bearer())
}

/// GET on the QIWI Wallet API with the demo token; returns (status, JSON body or Null).
pub async fn wallet_get(sb: &Sandbox, path: &str) -> (u16, Value) {
    let r = wallet_request(sb, Method::GET, path).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Sends a JSON body to the QIWI Wallet API with the demo token.
pub async fn wallet_send(
    sb: &Sandbox,
    method: Method,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> Response {
    wallet_request(sb, method, path)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// An agent request of `request_type` with the demo credentials and `inner` elements.
pub fn envelope(request_type: &str, inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request>\n  <request-type>{request_type}</request-type>\n  <terminal-id>{}</terminal-id>\n  <extra name=\"password\">{}</extra>\n{inner}</request>\n",
        demo::AGENT_TERMINAL_ID,
        demo::AGENT_PASSWORD
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

/// POSTs a Treezor token request.
pub async fn token_request(
    sb: &Sandbox,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> Response {
    client()
        .post(format!("{}/oauth/token", sb.base_url()))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A Treezor token for the demo client.
pub async fn treezor_token(sb: &Sandbox) -> String {
    let r = token_request(
        sb,
        "application/x-www-form-urlencoded",
        format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=read_only",
            demo::TREEZOR_CLIENT_ID,
            demo::TREEZOR_CLIENT_SECRET
        ),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
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

/// Sends a bodiless request to the admin endpoint `/__sandbox/{path}` (as JSON, which admin
/// POSTs must be).
pub async fn admin(sb: &Sandbox, method: Method, path: &str) -> Response {
    client()
        .request(method, format!("{}/__sandbox/{path}", sb.base_url()))
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap()
}

/// GET on the admin endpoint `/__sandbox/{path}`; returns the JSON body.
pub async fn admin_get(sb: &Sandbox, path: &str) -> Value {
    admin(sb, Method::GET, path).await.json().await.unwrap()
}

/// POSTs a JSON body to the admin endpoint `/__sandbox/{path}`.
pub async fn admin_post(sb: &Sandbox, path: &str, body: &Value) -> Response {
    client()
        .post(format!("{}/__sandbox/{path}", sb.base_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}
