//! The payment history: the whole generated history of the demo wallet streamed through
//! [`WalletClient::history`] against bare reqwest paging the same data, and the peak memory
//! of a child process streaming a small and a large part of it.
//!
//! The request limits are off on both sides: the sandbox's (`history_limit: None`) and the
//! client's ([`WalletClientBuilder::history_limiter`](qiwi_wallet::WalletClientBuilder::history_limiter)
//! with `None`), so that the figures are those of paging and decoding alone.

use std::collections::HashSet;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::Instant;

use futures_util::StreamExt;
use qiwi_sandbox::{DemoData, HistoryDemo, Sandbox, SandboxConfig, demo};
use qiwi_transport::SecretString;
use qiwi_wallet::{HistoryFilter, WalletClient, WalletNumber};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde_json::Value;

use crate::report::{History, Memory};
use crate::stats;

/// The sandbox's name for the history page route (E14).
pub const ROUTE: &str = "wallet.history.payments";
/// Payments per page, the most the service allows.
pub const ROWS: u32 = 50;
/// The hidden subcommand that makes the binary a history memory child.
pub const CHILD_COMMAND: &str = "history-child";

/// How the history is measured.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Payments the sandbox generates (a conversion is listed twice, as `IN` and `OUT`).
    pub payments: u32,
    /// Timed rounds of both sides.
    pub rounds: usize,
    /// Items streamed by the small and the large memory child.
    pub memory_items: (usize, usize),
    /// Runs of each memory child.
    pub memory_runs: usize,
}

/// The sandbox serving `payments` generated payments, its history limit off.
pub fn sandbox_config(payments: u32) -> SandboxConfig {
    let mut data = DemoData::default();
    data.qiwi.history = HistoryDemo {
        generated: payments,
        ..HistoryDemo::default()
    };
    SandboxConfig::default()
        .with_data(data)
        .with_history_limit(None)
}

/// The SDK's client for the demo wallet, its history limiter off.
fn sdk_client(base_url: &str) -> Result<WalletClient, String> {
    let wallet = WalletNumber::parse(demo::QIWI_WALLET).map_err(|e| format!("demo wallet: {e}"))?;
    WalletClient::builder()
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(wallet)
        .base_url(base_url.to_owned())
        .allow_http(true)
        .history_limiter(None)
        .build()
        .map_err(|e| format!("WalletClient: {e}"))
}

/// Streams the history through the SDK, at most `limit` items; the items read.
async fn stream_sdk(client: &WalletClient, limit: Option<usize>) -> Result<u64, String> {
    let mut items = client.history(ROWS, HistoryFilter::default());
    let mut count = 0_u64;
    while let Some(item) = items.next().await {
        black_box(item.map_err(|e| format!("SDK history: {e}"))?);
        count += 1;
        if limit.is_some_and(|limit| count >= limit as u64) {
            break;
        }
    }
    Ok(count)
}

/// Bare reqwest's side: the page URL and the headers the SDK sends.
#[derive(Debug)]
struct Bare {
    client: reqwest::Client,
    url: reqwest::Url,
    auth: HeaderValue,
}

impl Bare {
    fn new(base_url: &str) -> Result<Self, String> {
        let url = format!(
            "{}/payment-history/v2/persons/{}/payments",
            base_url.trim_end_matches('/'),
            demo::QIWI_WALLET
        );
        Ok(Self {
            client: crate::families::bare_client()?,
            url: reqwest::Url::parse(&url).map_err(|e| format!("{url}: {e}"))?,
            auth: crate::families::bearer(demo::QIWI_TOKEN)?,
        })
    }

    /// Pages through the whole history; the items read and the requests made.
    async fn stream(&self) -> Result<(u64, u64), String> {
        let mut pager = Pager::default();
        let mut requests = 0_u64;
        loop {
            let mut url = self.url.clone();
            {
                let mut query = url.query_pairs_mut();
                query.append_pair("rows", &ROWS.to_string());
                if let Some((id, date)) = &pager.cursor {
                    query.append_pair("nextTxnId", id);
                    query.append_pair("nextTxnDate", date);
                }
            }
            let response = self
                .client
                .get(url)
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .header(AUTHORIZATION, self.auth.clone())
                .send()
                .await
                .map_err(|e| format!("bare history: {e}"))?;
            requests += 1;
            let status = response.status();
            let body = response
                .bytes()
                .await
                .map_err(|e| format!("bare history: {e}"))?;
            // 404: no payment matches, the end of the history.
            if status == StatusCode::NOT_FOUND {
                break;
            }
            if !status.is_success() {
                return Err(format!("bare history: status {status}"));
            }
            let page: Value =
                serde_json::from_slice(&body).map_err(|e| format!("bare history: {e}"))?;
            if !pager.read(&page)? {
                break;
            }
        }
        Ok((pager.items, requests))
    }
}

/// What a bare client keeps between pages: the cursor to send next, the keys of the page
/// read last (a payment the service repeats at a boundary is counted once, keyed on `txnId`
/// and `type` as a conversion is listed twice), and the items counted.
#[derive(Debug, Default)]
struct Pager {
    /// `nextTxnId` and `nextTxnDate`, copied exactly as received.
    cursor: Option<(String, String)>,
    keys: HashSet<(String, String)>,
    items: u64,
}

impl Pager {
    /// Reads a page: counts its new items and takes its cursor. `Ok(false)` at the end: no
    /// cursor (absent or `null`), an empty page, or a cursor that did not move.
    fn read(&mut self, page: &Value) -> Result<bool, String> {
        let data = page
            .get("data")
            .and_then(Value::as_array)
            .ok_or("bare history: a page without a data array")?;
        let mut keys = HashSet::with_capacity(data.len());
        for item in data {
            let key = (text(&item["txnId"]), text(&item["type"]));
            if !self.keys.contains(&key) {
                black_box(item);
                self.items += 1;
            }
            keys.insert(key);
        }
        self.keys = keys;
        let next = match (text(&page["nextTxnId"]), text(&page["nextTxnDate"])) {
            (id, date) if id.is_empty() || date.is_empty() => None,
            pair => Some(pair),
        };
        let moved = next.is_some() && next != self.cursor;
        self.cursor = next;
        Ok(moved && !data.is_empty())
    }
}

/// A member's text as the service wrote it (a number's digits, a string's content); empty
/// for `null` or an absent member.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One round's figures: items per second of each side.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    /// The SDK stream's items per second.
    pub sdk: f64,
    /// Bare reqwest's items per second.
    pub bare: f64,
}

/// Checks that the sandbox received `expected` page requests since its counts were reset: one
/// per page, no retry, no page asked for twice.
fn check_hits(sandbox: &Sandbox, side: &str, expected: u64) -> Result<(), String> {
    let hits = sandbox.hits(ROUTE);
    if hits == expected {
        Ok(())
    } else {
        Err(format!(
            "the sandbox received {hits} history requests from the {side} side for {expected} pages: the two sides did not do the same work"
        ))
    }
}

/// Streams the whole history through both sides, `rounds` times, alternating which side goes
/// first; checks both read the same items in the same number of requests.
async fn rounds(
    sandbox: &Sandbox,
    rounds: usize,
    progress: &dyn Fn(&str),
) -> Result<(u64, u64, Vec<Round>), String> {
    let base_url = sandbox.base_url();
    let sdk = sdk_client(&base_url)?;
    let bare = Bare::new(&base_url)?;
    // A pass of each side to open connections, not timed; it also fixes the counts to expect.
    let (items, pages) = bare.stream().await?;
    let warm = stream_sdk(&sdk, None).await?;
    if warm != items {
        return Err(format!(
            "the SDK streamed {warm} items, bare reqwest {items}"
        ));
    }
    let mut out = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (mut sdk_rate, mut bare_rate) = (0.0, 0.0);
        let sdk_first = round % 2 == 0;
        for sdk_turn in [sdk_first, !sdk_first] {
            sandbox.reset_request_counts();
            let started = Instant::now();
            let (read, side) = if sdk_turn {
                (stream_sdk(&sdk, None).await?, "SDK")
            } else {
                let (read, requests) = bare.stream().await?;
                if requests != pages {
                    return Err(format!(
                        "bare reqwest made {requests} page requests in this pass, {pages} in the first"
                    ));
                }
                (read, "bare")
            };
            let rate = stats::per_second(read, started.elapsed());
            if read != items {
                return Err(format!(
                    "the {side} side read {read} items, the other {items}"
                ));
            }
            check_hits(sandbox, side, pages)?;
            if sdk_turn {
                sdk_rate = rate;
            } else {
                bare_rate = rate;
            }
        }
        progress(&format!(
            "history round {}/{rounds}: SDK {sdk_rate:.0} items/s, bare {bare_rate:.0} items/s",
            round + 1
        ));
        out.push(Round {
            sdk: sdk_rate,
            bare: bare_rate,
        });
    }
    Ok((items, pages, out))
}

/// Starts a sandbox with the generated history and measures both sides and the memory.
pub fn measure(settings: &Settings, progress: &dyn Fn(&str)) -> Result<History, String> {
    let sandbox_runtime = crate::sandbox_runtime()?;
    let sandbox = sandbox_runtime
        .block_on(qiwi_sandbox::start(sandbox_config(settings.payments)))
        .map_err(|e| format!("cannot start the history sandbox: {e}"))?;
    progress(&format!(
        "history: {} payments on {}",
        settings.payments,
        sandbox.base_url()
    ));
    let client_runtime = crate::client_runtime()?;
    let (items, pages, runs) =
        client_runtime.block_on(rounds(&sandbox, settings.rounds, progress))?;
    drop(client_runtime);

    let (small, large) = settings.memory_items;
    if large as u64 > items {
        return Err(format!(
            "the history holds {items} items, fewer than the {large} of the memory run"
        ));
    }
    let mut memory = Memory {
        small_calls: small,
        large_calls: large,
        concurrency: 1,
        small_kib: Vec::new(),
        large_kib: Vec::new(),
    };
    for run in 0..settings.memory_runs {
        for count in [small, large] {
            let peak = child_peak(&sandbox.base_url(), count)?;
            progress(&format!(
                "history memory run {}/{}: {count} items, peak {peak} KiB",
                run + 1,
                settings.memory_runs
            ));
            if count == small {
                memory.small_kib.push(peak);
            } else {
                memory.large_kib.push(peak);
            }
        }
    }
    sandbox_runtime.block_on(async {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), sandbox.shutdown()).await;
    });
    Ok(History {
        payments: settings.payments,
        items,
        pages,
        rows: ROWS,
        rounds: runs,
        memory,
    })
}

/// What a history memory child does.
#[derive(Debug, Clone, clap::Args)]
pub struct ChildArgs {
    /// Items to stream.
    pub items: usize,
    /// The sandbox's base URL.
    pub base_url: String,
}

/// The child's side: stream the items, then print `vmhwm_kib=<peak>` on standard output.
pub fn child_main(args: &ChildArgs) -> Result<String, String> {
    let runtime = crate::client_runtime()?;
    let read = runtime.block_on(async {
        let client = sdk_client(&args.base_url)?;
        stream_sdk(&client, Some(args.items)).await
    })?;
    drop(runtime);
    if read != args.items as u64 {
        return Err(format!("streamed {read} items of {}", args.items));
    }
    let peak = crate::memory::status_kib("VmHWM")?;
    Ok(format!("vmhwm_kib={peak}"))
}

/// Runs a child streaming `items` items and returns its peak resident memory in KiB.
fn child_peak(base_url: &str, items: usize) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let output = Command::new(exe)
        .args([CHILD_COMMAND, &items.to_string(), base_url])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start the history child: {e}"))?;
    crate::memory::read_peak(&output, &format!("{items} items"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Pager;

    #[test]
    fn the_pager_copies_the_cursor_exactly_and_counts_a_repeated_boundary_item_once() {
        let mut pager = Pager::default();
        let first = json!({
            "data": [
                {"txnId": 12, "type": "OUT"},
                {"txnId": 11, "type": "OUT"},
            ],
            "nextTxnId": 11,
            "nextTxnDate": "2017-01-31T15:24:10+03:00",
        });
        assert_eq!(pager.read(&first), Ok(true));
        assert_eq!(
            pager.cursor,
            Some(("11".to_owned(), "2017-01-31T15:24:10+03:00".to_owned()))
        );
        // The conversion's OUT comes again with its IN; the IN is new.
        let second = json!({
            "data": [
                {"txnId": 11, "type": "OUT"},
                {"txnId": 11, "type": "IN"},
                {"txnId": 9, "type": "IN"},
            ],
            "nextTxnId": null,
        });
        assert_eq!(pager.read(&second), Ok(false));
        assert_eq!((pager.items, pager.cursor), (4, None));
    }

    #[test]
    fn the_pager_ends_on_an_empty_page_or_a_cursor_that_does_not_move() {
        let page = json!({"data": [{"txnId": 1, "type": "IN"}], "nextTxnId": 1, "nextTxnDate": "2017-01-31T15:24:10+03:00"});
        let mut pager = Pager::default();
        assert_eq!(pager.read(&page), Ok(true));
        assert_eq!(pager.read(&page), Ok(false));
        assert_eq!(pager.items, 1);

        let empty = json!({"data": [], "nextTxnId": 5, "nextTxnDate": "2017-01-31T15:24:10+03:00"});
        assert_eq!(Pager::default().read(&empty), Ok(false));
        assert!(Pager::default().read(&json!({"errorCode": "x"})).is_err());
    }
}
