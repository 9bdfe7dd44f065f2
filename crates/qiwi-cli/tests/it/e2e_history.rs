//! The payment history end to end: `WalletClient` and the `qiwi` program against the sandbox
//! over loopback.

use crate::common;
use crate::program;

use std::collections::BTreeMap;
use std::process::Output;
use std::time::Duration;

use futures_util::StreamExt;
use qiwi_sandbox::{DemoData, HistoryDemo, Sandbox, SandboxConfig, demo};
use qiwi_wallet::{
    HistoryFilter, HistoryLimiter, SecretString, WalletClient, WalletClientBuilder, WalletNumber,
};

fn builder(sandbox: &Sandbox) -> WalletClientBuilder {
    WalletClient::builder()
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(WalletNumber::parse(demo::QIWI_WALLET).unwrap())
        .base_url(sandbox.base_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
}

fn env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_BASE_URL", sandbox.base_url()),
        ("QIWI_TOKEN", demo::QIWI_TOKEN.into()),
        ("QIWI_WALLET", demo::QIWI_WALLET.into()),
    ]
}

/// `qiwi ARGS` off the runtime's threads, so that the in-process sandbox keeps answering.
async fn qiwi(args: &[&str], env: Vec<(&'static str, String)>) -> Output {
    program::qiwi_async(args, &env).await
}

/// Every payment of the history, by (`txnId`, `type`): its amount as the service wrote it.
async fn whole_history(client: &WalletClient) -> BTreeMap<(String, String), String> {
    let mut all = BTreeMap::new();
    let mut stream = client.history(50, HistoryFilter::default());
    while let Some(item) = stream.next().await {
        let item = item.unwrap();
        let amount = item.sum.as_ref().unwrap().amount.to_string();
        let key = (item.txn_id.to_string(), item.kind.to_string());
        assert!(all.insert(key, amount).is_none(), "no payment twice");
    }
    all
}

#[tokio::test]
async fn the_whole_demo_history_as_csv_has_every_payment_once_with_exact_amounts() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let expected = whole_history(&builder(&sandbox).build().unwrap()).await;
    assert!(expected.len() >= 300, "{}", expected.len());

    let output = qiwi(
        &["wallet", "history", "--all", "--format", "csv"],
        env(&sandbox),
    )
    .await;
    let (out, err) = (program::stdout(&output), program::stderr(&output));
    assert!(output.status.success(), "{err}");
    assert!(
        !err.contains("payments"),
        "no progress when stderr is not a terminal: {err}"
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "txn_id,type,status,date,amount,currency,commission,total,account,provider,comment,error_code"
        )
    );
    let mut exported = BTreeMap::new();
    for line in lines {
        assert!(
            !line.contains('"'),
            "the demo data needs no quoting: {line}"
        );
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 12, "{line}");
        let key = (cells[0].to_owned(), cells[1].to_owned());
        assert!(
            exported.insert(key, cells[4].to_owned()).is_none(),
            "twice: {line}"
        );
    }
    assert_eq!(exported, expected);
}

#[tokio::test]
async fn jsonl_writes_one_object_per_payment_and_one_page_names_its_cursor() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let output = qiwi(
        &["wallet", "history", "--rows", "5", "--format", "jsonl"],
        env(&sandbox),
    )
    .await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let lines: Vec<serde_json::Value> = program::stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines
            .iter()
            .all(|l| l["sandbox"] == false && l["txn_id"].is_string())
    );

    let output = qiwi(&["wallet", "history", "--rows", "5"], env(&sandbox)).await;
    assert!(program::stderr(&output).contains("more: --next-txn-id "));
    let both = qiwi(
        &["--json", "wallet", "history", "--format", "csv"],
        env(&sandbox),
    )
    .await;
    assert_eq!(
        both.status.code(),
        Some(2),
        "--json and --format csv exclude each other"
    );
    let refused = qiwi(
        &[
            "wallet",
            "history",
            "--format",
            "csv",
            "--operation",
            "qiwi-card",
        ],
        vec![
            ("QIWI_TOKEN", "wrong-token".into()),
            ("QIWI_WALLET", demo::QIWI_WALLET.into()),
            ("QIWI_BASE_URL", sandbox.base_url()),
        ],
    )
    .await;
    assert_eq!(
        refused.status.code(),
        Some(3),
        "{}",
        program::stderr(&refused)
    );
    assert!(
        program::stdout(&refused).is_empty(),
        "no CSV header for a failed export"
    );
    let none = qiwi(
        &[
            "wallet",
            "history",
            "--all",
            "--format",
            "csv",
            "--operation",
            "qiwi-card",
        ],
        env(&sandbox),
    )
    .await;
    assert!(none.status.success(), "{}", program::stderr(&none));
    assert_eq!(
        program::stdout(&none).lines().count(),
        1,
        "the header alone: no payment matches"
    );
}

#[tokio::test]
async fn receipts_are_saved_as_files_and_sent_by_email() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = builder(&sandbox).build().unwrap();
    let page = client
        .history_page(1, &HistoryFilter::default(), None)
        .await
        .unwrap();
    let id = page.data[0].txn_id.to_string();
    let dir = std::env::temp_dir().join(format!("qiwi-receipt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("receipt.pdf");
    let file_text = file.display().to_string();
    let output = qiwi(
        &[
            "--json", "wallet", "receipt", &id, "--format", "pdf", "--out", &file_text,
        ],
        env(&sandbox),
    )
    .await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let saved = std::fs::read(&file).unwrap();
    assert!(saved.starts_with(b"%PDF-1.4"));
    let document: serde_json::Value = serde_json::from_str(&program::stdout(&output)).unwrap();
    assert_eq!(document["result"], "saved");
    assert_eq!(document["content_type"], "application/pdf");
    assert_eq!(document["bytes"], saved.len());
    std::fs::remove_dir_all(&dir).unwrap();

    let output = qiwi(
        &["wallet", "receipt", &id, "--email", "me@example.com"],
        env(&sandbox),
    )
    .await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    assert!(program::stdout(&output).contains("sent"));
    let missing = qiwi(&["wallet", "receipt", "1", "--out", "x.pdf"], env(&sandbox)).await;
    assert_eq!(
        missing.status.code(),
        Some(4),
        "{}",
        program::stderr(&missing)
    );
}

/// A sandbox that allows 5 history requests per half second, and a history of 60 payments.
async fn small_limit_sandbox() -> Sandbox {
    let mut data = DemoData::default();
    data.qiwi.history = HistoryDemo {
        generated: 60,
        months: 2,
    };
    let config = SandboxConfig::default()
        .with_data(data)
        .with_history_limit(Some(5))
        .with_history_window(Duration::from_millis(500))
        .with_history_block(Duration::from_secs(60));
    qiwi_sandbox::start(config).await.unwrap()
}

#[tokio::test]
async fn a_limiter_under_the_servers_limit_streams_the_whole_history_without_a_423() {
    let sandbox = small_limit_sandbox().await;
    let limiter = HistoryLimiter::new(4, Duration::from_millis(600));
    let client = builder(&sandbox)
        .history_limiter(Some(limiter))
        .build()
        .unwrap();
    let mut count = 0;
    let mut stream = client.history(3, HistoryFilter::default());
    while let Some(item) = stream.next().await {
        item.unwrap();
        count += 1;
    }
    assert!(count >= 60, "{count}");
    assert!(
        sandbox.hits("wallet.history.payments") >= 20,
        "many pages of 3"
    );
}

#[tokio::test]
async fn without_the_limiter_the_same_stream_is_blocked_with_the_typed_error() {
    let sandbox = small_limit_sandbox().await;
    let client = builder(&sandbox).history_limiter(None).build().unwrap();
    let mut stream = client.history(3, HistoryFilter::default());
    let mut error = None;
    while let Some(item) = stream.next().await {
        if let Err(e) = item {
            error = Some(e);
        }
    }
    let error = error.expect("the server blocked the stream");
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(60)),
        "{error}"
    );
    assert_eq!(
        sandbox.hits("wallet.history.payments"),
        6,
        "five pages, then the 423"
    );
}
