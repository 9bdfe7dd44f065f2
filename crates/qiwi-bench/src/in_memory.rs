//! The SDK's own work per call, without the network: each client is given an in-memory
//! transport that returns a recorded answer of the sandbox, and calls are timed in short
//! batches on one thread. Against it: decoding the same body into `serde_json::Value` (JSON) or running
//! the quick-xml event loop over it (XML), which is what bare reqwest does besides HTTP.
//!
//! The difference between the two is the SDK's cost per call beyond decoding: building the
//! request, the executor (timeouts, retry decision, tracing spans), typed decoding.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use qiwi_sandbox::demo;
use qiwi_transport::{
    Bytes, HeaderMap, Request, Response, StatusCode, Transport, TransportError, TransportErrorKind,
};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};

use crate::families::{Family, Sdk, Targets, count_xml_elements, ping_body};
use crate::stats;

/// Answers every request with the recorded answer for its path (the query is ignored).
#[derive(Debug)]
struct Recorded {
    answers: Vec<(String, Response)>,
}

#[async_trait]
impl Transport for Recorded {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let path = request.url.path();
        self.answers
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, answer)| answer.clone())
            .ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Other,
                    format!("no recorded answer for {path}"),
                )
            })
    }
}

/// The hidden subcommand that makes the binary a work child.
pub const CHILD_COMMAND: &str = "work-child";

/// What a work child does.
#[derive(Debug, Clone, clap::Args)]
pub struct ChildArgs {
    /// The family: `wallet`, `balances` or `agent`.
    #[arg(value_parser = family)]
    pub family: Family,
    /// Calls to make after the warm-up.
    pub calls: usize,
}

fn family(name: &str) -> Result<Family, String> {
    Family::ALL
        .into_iter()
        .find(|f| format!("{f:?}").eq_ignore_ascii_case(name))
        .ok_or_else(|| format!("{name:?} is not a family (wallet, balances, agent)"))
}

/// The child's side: start the sandbox, record its answers, then make the calls in memory on
/// one thread. Everything but the calls is the same for any count, so the difference between
/// two counts under callgrind is the SDK's work per call.
pub fn child_main(args: &ChildArgs) -> Result<String, String> {
    let sandbox_runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let sandbox = sandbox_runtime
        .block_on(qiwi_sandbox::start(qiwi_sandbox::SandboxConfig::default()))
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let targets = Targets {
        base_url: sandbox.base_url(),
        agent_url: sandbox.agent_url(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(async {
        let recorded = recordings(&targets).await?;
        let transport: Arc<dyn Transport> = Arc::new(Recorded {
            answers: recorded.answers(),
        });
        let sdk = Sdk::with_transport(&targets, Some(transport))?;
        for _ in 0..100 + args.calls {
            sdk.call(args.family).await?;
        }
        Ok::<_, String>(())
    })?;
    Ok(format!("calls={}", args.calls))
}

/// Calls per timed batch.
const BATCH: usize = 200;
const BATCH_U32: u32 = BATCH as u32;

/// One family's figures: the median over batches of the time per call on one thread.
#[derive(Debug, Clone)]
pub struct Work {
    /// The family.
    pub family: Family,
    /// The body's size.
    pub body_bytes: usize,
    /// A call through the SDK with the in-memory transport.
    pub sdk: Duration,
    /// Decoding the body the bare way.
    pub baseline: Duration,
}

async fn record(request: reqwest::RequestBuilder) -> Result<Response, String> {
    let answer = request.send().await.map_err(|e| e.to_string())?;
    let status = StatusCode::from_u16(answer.status().as_u16()).map_err(|e| e.to_string())?;
    let mut headers = HeaderMap::new();
    for (name, value) in answer.headers() {
        headers.append(name.clone(), value.clone());
    }
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("the sandbox answered {status} while recording"));
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The sandbox's answers to the measured calls, and to the token request.
#[derive(Debug)]
struct Recordings {
    token: Response,
    wallet: (String, Response),
    balances: Response,
    agent: (String, Response),
}

impl Recordings {
    /// The answers by path.
    fn answers(&self) -> Vec<(String, Response)> {
        vec![
            ("/oauth/token".to_owned(), self.token.clone()),
            self.wallet.clone(),
            ("/v1/balances".to_owned(), self.balances.clone()),
            self.agent.clone(),
        ]
    }

    /// The body a family's call receives.
    fn body(&self, family: Family) -> Bytes {
        match family {
            Family::Wallet => self.wallet.1.body.clone(),
            Family::Balances => self.balances.body.clone(),
            Family::Agent => self.agent.1.body.clone(),
        }
    }
}

async fn recordings(targets: &Targets) -> Result<Recordings, String> {
    let client = reqwest::Client::new();
    let base = targets.base_url.trim_end_matches('/');
    let json = || HeaderValue::from_static("application/json");
    let wallet_path = format!("/funding-sources/v2/persons/{}/accounts", demo::QIWI_WALLET);
    let token = record(
        client
            .post(format!("{base}/oauth/token"))
            .header(ACCEPT, json())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(format!(
                "grant_type=client_credentials&client_id={}&client_secret={}",
                demo::TREEZOR_CLIENT_ID,
                demo::TREEZOR_CLIENT_SECRET
            )),
    )
    .await?;
    let access: serde_json::Value =
        serde_json::from_slice(&token.body).map_err(|e| format!("token answer: {e}"))?;
    let access = access["access_token"]
        .as_str()
        .ok_or("the token answer has no access_token")?
        .to_owned();
    let wallet = record(
        client
            .get(format!("{base}{wallet_path}"))
            .header(ACCEPT, json())
            .header(AUTHORIZATION, format!("Bearer {}", demo::QIWI_TOKEN)),
    )
    .await?;
    let balances = record(
        client
            .get(format!(
                "{base}/v1/balances?walletId={}",
                crate::families::TREEZOR_WALLET
            ))
            .header(ACCEPT, json())
            .header(AUTHORIZATION, format!("Bearer {access}")),
    )
    .await?;
    let agent = record(
        client
            .post(&targets.agent_url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/xml"))
            .body(ping_body()),
    )
    .await?;
    let agent_path = reqwest::Url::parse(&targets.agent_url)
        .map_err(|e| e.to_string())?
        .path()
        .to_owned();
    Ok(Recordings {
        token,
        wallet: (wallet_path, wallet),
        balances,
        agent: (agent_path, agent),
    })
}

fn bare_decode(family: Family, body: &Bytes) -> Result<(), String> {
    match family {
        Family::Wallet | Family::Balances => {
            let value: serde_json::Value =
                serde_json::from_slice(body).map_err(|e| e.to_string())?;
            black_box(value);
        }
        Family::Agent => {
            black_box(count_xml_elements(body)?);
        }
    }
    Ok(())
}

/// Records the sandbox's answers, then measures every family `rounds` times, `calls` calls
/// each, on a single-threaded runtime.
pub fn measure(targets: &Targets, calls: usize, rounds: usize) -> Result<Vec<Work>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(async {
        let recorded = recordings(targets).await?;
        let transport: Arc<dyn Transport> = Arc::new(Recorded {
            answers: recorded.answers(),
        });
        let sdk = Sdk::with_transport(targets, Some(transport))?;
        let mut results = Vec::new();
        for family in Family::ALL {
            let body = &recorded.body(family);
            // Warm up (and obtain the Treezor token) before timing.
            for _ in 0..100 {
                sdk.call(family).await?;
                bare_decode(family, body)?;
            }
            // Short batches, SDK and bare in turn, timed by the wall clock: a batch that the
            // scheduler interrupted is an outlier that the median leaves out.
            let batches = (calls / BATCH).max(1);
            let (mut sdk_times, mut bare_times) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                for _ in 0..batches {
                    let start = Instant::now();
                    for _ in 0..BATCH {
                        sdk.call(family).await?;
                    }
                    let middle = Instant::now();
                    for _ in 0..BATCH {
                        bare_decode(family, black_box(body))?;
                    }
                    let end = Instant::now();
                    sdk_times.push((middle - start) / BATCH_U32);
                    bare_times.push((end - middle) / BATCH_U32);
                }
            }
            results.push(Work {
                family,
                body_bytes: body.len(),
                sdk: stats::median_duration(&sdk_times).unwrap_or_default(),
                baseline: stats::median_duration(&bare_times).unwrap_or_default(),
            });
        }
        Ok(results)
    })
}
