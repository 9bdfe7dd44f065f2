//! `--out FILE` (`qiwi wallet receipt`, `qiwi wallet cards statement`) against the sandbox over
//! loopback: a file already there is kept byte for byte (exit 2, nothing asked of the service)
//! unless `--force`, and a failed download leaves neither the file nor a temporary one.

use crate::program;

use std::path::{Path, PathBuf};
use std::process::Output;

use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use serde_json::Value;

const MINE: &[u8] = b"my own notes, not a receipt\n";

fn env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_BASE_URL", sandbox.base_url()),
        ("QIWI_TOKEN", demo::QIWI_TOKEN.into()),
        ("QIWI_WALLET", demo::QIWI_WALLET.into()),
    ]
}

/// An empty directory of its own for `test`.
fn fresh_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qiwi-out-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sent(sandbox: &Sandbox) -> u64 {
    sandbox.request_counts().values().sum()
}

/// The id of a transaction of the demo wallet.
async fn transaction_id(sandbox: &Sandbox) -> String {
    let output = program::qiwi_async(
        &["--json", "wallet", "history", "--rows", "1"],
        &env(sandbox),
    )
    .await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let history: Value = serde_json::from_str(&program::stdout(&output)).unwrap();
    let first = &history["payments"][0]["txn_id"];
    first
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| first.to_string())
}

/// A card ordered for the demo wallet: its id.
async fn card_id(sandbox: &Sandbox) -> String {
    let args = ["--json", "wallet", "cards", "order", "prepaid"];
    let output = program::qiwi_async(&args, &env(sandbox)).await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let order: Value = serde_json::from_str(&program::stdout(&output)).unwrap();
    order["card_id"].as_str().unwrap().to_owned()
}

/// `qiwi wallet receipt ID --out FILE [--force]`.
async fn receipt(sandbox: &Sandbox, id: &str, file: &Path, force: bool) -> Output {
    let file = file.display().to_string();
    let mut args = vec!["wallet", "receipt", id, "--out", &file];
    if force {
        args.push("--force");
    }
    program::qiwi_async(&args, &env(sandbox)).await
}

/// `qiwi wallet cards statement ID --from .. --to .. --out FILE [--force]`.
async fn statement(sandbox: &Sandbox, id: &str, file: &Path, force: bool) -> Output {
    let file = file.display().to_string();
    let mut args = vec![
        "wallet",
        "cards",
        "statement",
        id,
        "--from",
        "2024-01-01T00:00:00+03:00",
        "--to",
        "2024-03-31T00:00:00+03:00",
        "--out",
        &file,
    ];
    if force {
        args.push("--force");
    }
    program::qiwi_async(&args, &env(sandbox)).await
}

/// Without `--force`: exit 2 naming the file and `--force`, the file untouched, nothing sent.
fn assert_kept(output: &Output, file: &Path, sandbox: &Sandbox, sent_before: u64) {
    let stderr = program::stderr(output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&file.display().to_string()) && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(file).unwrap(), MINE, "kept byte for byte");
    assert_eq!(sent(sandbox), sent_before, "nothing asked of the service");
}

#[tokio::test(flavor = "multi_thread")]
async fn receipt_out_keeps_an_existing_file_unless_force_replaces_it() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let id = transaction_id(&sandbox).await;
    let dir = fresh_dir("receipt");
    let file = dir.join("receipt.pdf");
    std::fs::write(&file, MINE).unwrap();

    let before = sent(&sandbox);
    let kept = receipt(&sandbox, &id, &file, false).await;
    assert_kept(&kept, &file, &sandbox, before);

    let forced = receipt(&sandbox, &id, &file, true).await;
    assert!(forced.status.success(), "{}", program::stderr(&forced));
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    assert_eq!(names(&dir), ["receipt.pdf"], "no temporary file left");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn statement_out_keeps_an_existing_file_unless_force_replaces_it() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let id = card_id(&sandbox).await;
    let dir = fresh_dir("statement");
    let file = dir.join("statement.pdf");
    std::fs::write(&file, MINE).unwrap();

    let before = sent(&sandbox);
    let kept = statement(&sandbox, &id, &file, false).await;
    assert_kept(&kept, &file, &sandbox, before);

    let forced = statement(&sandbox, &id, &file, true).await;
    assert!(forced.status.success(), "{}", program::stderr(&forced));
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    assert_eq!(names(&dir), ["statement.pdf"], "no temporary file left");
    assert_eq!(sandbox.hits("wallet.cards.statement"), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_download_leaves_no_file_and_no_temporary_file() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let txn = transaction_id(&sandbox).await;
    let card = card_id(&sandbox).await;
    for route in ["wallet.history.cheque.file", "wallet.cards.statement"] {
        sandbox.add_fault(FaultRule::new(
            route,
            Fault::Status {
                status: 500,
                retry_after: None,
            },
        ));
    }
    let dir = fresh_dir("failed");
    let file = dir.join("download.pdf");
    for force in [false, true] {
        let failed = [
            receipt(&sandbox, &txn, &file, force).await,
            statement(&sandbox, &card, &file, force).await,
        ];
        for output in failed {
            let stderr = program::stderr(&output);
            assert_eq!(output.status.code(), Some(4), "{stderr}");
            assert!(names(&dir).is_empty(), "{:?}: {stderr}", names(&dir));
        }
    }
    assert!(sandbox.hits("wallet.history.cheque.file") >= 2);
    assert!(sandbox.hits("wallet.cards.statement") >= 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
