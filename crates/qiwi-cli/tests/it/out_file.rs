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

/// A command that downloads a file to `--out`.
enum Download {
    /// `qiwi wallet receipt TXN --out FILE [--force]`.
    Receipt(String),
    /// `qiwi wallet cards statement CARD --from .. --to .. --out FILE [--force]`.
    Statement(String),
}

impl Download {
    /// Both commands, for a transaction and a card of the demo wallet.
    async fn both(sandbox: &Sandbox) -> [Download; 2] {
        [
            Download::Receipt(transaction_id(sandbox).await),
            Download::Statement(card_id(sandbox).await),
        ]
    }

    async fn run(&self, sandbox: &Sandbox, file: &Path, force: bool) -> Output {
        let file = file.display().to_string();
        let mut args = match self {
            Download::Receipt(id) => vec!["wallet", "receipt", id],
            Download::Statement(id) => vec![
                "wallet",
                "cards",
                "statement",
                id,
                "--from",
                "2024-01-01T00:00:00+03:00",
                "--to",
                "2024-03-31T00:00:00+03:00",
            ],
        };
        args.extend(["--out", &file]);
        if force {
            args.push("--force");
        }
        program::qiwi_async(&args, &env(sandbox)).await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_out_file_is_kept_unless_force_replaces_it() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = fresh_dir("kept");
    let file = dir.join("download.pdf");
    for download in Download::both(&sandbox).await {
        std::fs::write(&file, MINE).unwrap();
        let before = sent(&sandbox);
        let kept = download.run(&sandbox, &file, false).await;
        let stderr = program::stderr(&kept);
        assert_eq!(kept.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&file.display().to_string()) && stderr.contains("--force"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), MINE, "kept byte for byte");
        assert_eq!(sent(&sandbox), before, "nothing asked of the service");

        let forced = download.run(&sandbox, &file, true).await;
        assert!(forced.status.success(), "{}", program::stderr(&forced));
        assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
        assert_eq!(names(&dir), ["download.pdf"], "no temporary file left");
    }
    assert_eq!(sandbox.hits("wallet.history.cheque.file"), 1);
    assert_eq!(sandbox.hits("wallet.cards.statement"), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_download_leaves_no_file_and_no_temporary_file() {
    let sandbox = qiwi_sandbox::start(SandboxConfig::default()).await.unwrap();
    let downloads = Download::both(&sandbox).await;
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
        for download in &downloads {
            let output = download.run(&sandbox, &file, force).await;
            let stderr = program::stderr(&output);
            assert_eq!(output.status.code(), Some(4), "{stderr}");
            assert!(names(&dir).is_empty(), "{:?}: {stderr}", names(&dir));
        }
    }
    assert!(sandbox.hits("wallet.history.cheque.file") >= 2);
    assert!(sandbox.hits("wallet.cards.statement") >= 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
