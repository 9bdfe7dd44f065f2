//! The three API families, called through the SDK and through bare reqwest.
//!
//! Both sides send the same request (method, URL, `Accept`, `Authorization`, `Content-Type`,
//! `User-Agent`, body), read the whole answer and check its status. The SDK side decodes into
//! its typed models, as a caller would; the bare side decodes JSON into `serde_json::Value`
//! and runs a quick-xml event loop over XML.

use std::hint::black_box;
use std::sync::Arc;

use balances_core::{BalancesClient, WalletId};
use qiwi_agent::AgentClient;
use qiwi_sandbox::demo;
use qiwi_transport::{Bytes, SecretString, Transport};
use qiwi_wallet::{WalletClient, WalletNumber};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};

/// One family and the call measured for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// QIWI Wallet: the accounts list (`GET .../accounts`).
    Wallet,
    /// Treezor: one wallet's balance (`GET /v1/balances?walletId=`).
    Balances,
    /// QIWI agent: `ping` (`POST /xml/topup.jsp`).
    Agent,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 3] = [Family::Wallet, Family::Balances, Family::Agent];

    /// The family's position in [`ALL`](Self::ALL).
    pub fn index(self) -> usize {
        match self {
            Family::Wallet => 0,
            Family::Balances => 1,
            Family::Agent => 2,
        }
    }

    /// The sandbox's name for the route the measured call hits.
    pub fn route(self) -> &'static str {
        match self {
            Family::Wallet => "wallet.accounts.list",
            Family::Balances => "treezor.balances",
            Family::Agent => "agent.ping",
        }
    }

    /// The family's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Family::Wallet => "QIWI Wallet",
            Family::Balances => "Treezor balances",
            Family::Agent => "QIWI agent (XML)",
        }
    }

    /// The call, as the SDK names it.
    pub fn call(self) -> &'static str {
        match self {
            Family::Wallet => "`WalletClient::list_accounts`",
            Family::Balances => "`BalancesClient::wallet_balance`",
            Family::Agent => "`AgentClient::ping`",
        }
    }
}

/// Where the sandbox listens.
#[derive(Debug, Clone)]
pub struct Targets {
    /// The base URL of all three families.
    pub base_url: String,
    /// The agent endpoint.
    pub agent_url: String,
}

/// The Treezor wallet whose balance is read.
pub const TREEZOR_WALLET: u64 = demo::TREEZOR_WALLET_IDS[0];

/// The `ping` request both sides send, as the SDK writes it.
pub fn ping_body() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<request>\n  <request-type>ping</request-type>\n  <terminal-id>{}</terminal-id>\n  <extra name=\"password\">{}</extra>\n</request>\n",
        demo::AGENT_TERMINAL_ID,
        demo::AGENT_PASSWORD
    )
}

/// The three SDK clients, with their default transport, timeouts and retry policy.
#[derive(Debug, Clone)]
pub struct Sdk {
    wallet: WalletClient,
    balances: BalancesClient,
    agent: AgentClient,
}

impl Sdk {
    /// Builds the clients for the sandbox at `targets`.
    pub fn new(targets: &Targets) -> Result<Self, String> {
        Self::with_transport(targets, None)
    }

    /// Builds the clients for the sandbox at `targets`, sending through `transport` when given
    /// (else each client's default reqwest transport).
    pub fn with_transport(
        targets: &Targets,
        transport: Option<Arc<dyn Transport>>,
    ) -> Result<Self, String> {
        let wallet_number =
            WalletNumber::parse(demo::QIWI_WALLET).map_err(|e| format!("demo wallet: {e}"))?;
        let mut wallet = WalletClient::builder()
            .token(SecretString::from(demo::QIWI_TOKEN))
            .wallet(wallet_number)
            .base_url(targets.base_url.clone())
            .allow_http(true);
        let mut balances = BalancesClient::builder()
            .base_url(targets.base_url.clone())
            .allow_http(true)
            .client_credentials(demo::TREEZOR_CLIENT_ID, demo::TREEZOR_CLIENT_SECRET);
        let terminal_id: u64 = demo::AGENT_TERMINAL_ID
            .parse()
            .map_err(|e| format!("demo terminal id: {e}"))?;
        let mut agent = AgentClient::builder()
            .terminal_id(terminal_id)
            .password(SecretString::from(demo::AGENT_PASSWORD))
            .base_url(targets.agent_url.clone())
            .allow_http(true);
        if let Some(transport) = transport {
            wallet = wallet.transport(transport.clone());
            balances = balances.transport(transport.clone());
            agent = agent.transport(transport);
        }
        let wallet = wallet.build().map_err(|e| format!("WalletClient: {e}"))?;
        let balances = balances
            .build()
            .map_err(|e| format!("BalancesClient: {e}"))?;
        let agent = agent.build().map_err(|e| format!("AgentClient: {e}"))?;
        Ok(Self {
            wallet,
            balances,
            agent,
        })
    }

    /// One call of `family`, its answer decoded into the SDK's models.
    pub async fn call(&self, family: Family) -> Result<(), String> {
        match family {
            Family::Wallet => {
                let accounts = self
                    .wallet
                    .list_accounts()
                    .await
                    .map_err(|e| e.to_string())?;
                black_box(accounts);
            }
            Family::Balances => {
                let balance = self
                    .balances
                    .wallet_balance(WalletId::new(TREEZOR_WALLET))
                    .await
                    .map_err(|e| e.to_string())?;
                black_box(balance);
            }
            Family::Agent => {
                let balances = self.agent.ping().await.map_err(|e| e.to_string())?;
                black_box(balances);
            }
        }
        Ok(())
    }
}

/// The same calls made with a bare `reqwest::Client`.
#[derive(Debug, Clone)]
pub struct Bare {
    inner: Arc<BareInner>,
}

#[derive(Debug)]
struct BareInner {
    client: reqwest::Client,
    wallet_url: String,
    wallet_auth: HeaderValue,
    balances_url: String,
    balances_auth: HeaderValue,
    agent_url: String,
    ping: Bytes,
}

fn json() -> HeaderValue {
    HeaderValue::from_static("application/json")
}

fn xml() -> HeaderValue {
    HeaderValue::from_static("application/xml")
}

impl Bare {
    /// Builds the client (same `User-Agent` as the SDK's transport) and gets a Treezor token
    /// once, as the SDK does on its first call.
    pub async fn connect(targets: &Targets) -> Result<Self, String> {
        let client = bare_client()?;
        let base = targets.base_url.trim_end_matches('/');
        let token = treezor_token(&client, base).await?;
        Ok(Self {
            inner: Arc::new(BareInner {
                wallet_url: format!(
                    "{base}/funding-sources/v2/persons/{}/accounts",
                    demo::QIWI_WALLET
                ),
                wallet_auth: bearer(demo::QIWI_TOKEN)?,
                balances_url: format!("{base}/v1/balances?walletId={TREEZOR_WALLET}"),
                balances_auth: bearer(&token)?,
                agent_url: targets.agent_url.clone(),
                ping: Bytes::from(ping_body()),
                client,
            }),
        })
    }

    /// One call of `family`: the whole body read, JSON parsed into `serde_json::Value`, XML
    /// run through a quick-xml event loop.
    pub async fn call(&self, family: Family) -> Result<(), String> {
        let inner = &*self.inner;
        let request = match family {
            Family::Wallet => inner
                .client
                .get(&inner.wallet_url)
                .header(ACCEPT, json())
                .header(AUTHORIZATION, inner.wallet_auth.clone()),
            Family::Balances => inner
                .client
                .get(&inner.balances_url)
                .header(ACCEPT, json())
                .header(AUTHORIZATION, inner.balances_auth.clone()),
            Family::Agent => inner
                .client
                .post(&inner.agent_url)
                .header(CONTENT_TYPE, xml())
                .body(inner.ping.clone()),
        };
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("status {status}"));
        }
        match family {
            Family::Wallet | Family::Balances => {
                let value: serde_json::Value =
                    serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                black_box(value);
            }
            Family::Agent => {
                let elements = count_xml_elements(&body)?;
                if elements == 0 {
                    return Err("the answer holds no element".into());
                }
                black_box(elements);
            }
        }
        Ok(())
    }
}

/// The bare reqwest client: the SDK transport's `User-Agent`, no redirects, no proxy.
pub fn bare_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(qiwi_transport::USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|e| format!("reqwest client: {e}"))
}

/// An `Authorization: Bearer` value, marked sensitive.
pub fn bearer(token: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::try_from(format!("Bearer {token}"))
        .map_err(|_| "the token cannot go into a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

/// `POST /oauth/token` with client credentials; the access token.
async fn treezor_token(client: &reqwest::Client, base: &str) -> Result<String, String> {
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
        demo::TREEZOR_CLIENT_ID,
        demo::TREEZOR_CLIENT_SECRET,
        balances_core::DEFAULT_SCOPE
    );
    let response = client
        .post(format!("{base}/oauth/token"))
        .header(ACCEPT, json())
        .header(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        )
        .body(form)
        .send()
        .await
        .map_err(|e| format!("token request: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("token answer: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "the token request was refused with status {status}"
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("token answer: {e}"))?;
    value["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "the token answer has no access_token".into())
}

/// The XML baseline: a quick-xml event loop over `body` that counts elements.
pub fn count_xml_elements(body: &[u8]) -> Result<u64, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut elements = 0u64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_) | Event::Empty(_)) => elements += 1,
            Ok(Event::Eof) => return Ok(elements),
            Ok(_) => {}
            Err(e) => return Err(format!("XML: {e}")),
        }
    }
}
