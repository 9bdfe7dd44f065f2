//! `qiwi wallet webhook ...` and `qiwi wallet watch` against an in-process sandbox: the
//! program's state outlives one run, and a watch runs while a top-up is made.

use crate::common;
use crate::json_contract::plain;
use crate::program;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use qiwi_agent::{AgentClient, FundsSource, Payout, PayoutAmount, Recipient, TransactionNumber};
use qiwi_sandbox::{Sandbox, SandboxConfig, demo};
use qiwi_types::{Decimal, WalletNumber};
use secrecy::SecretString;
use serde_json::Value;

async fn sandbox() -> Sandbox {
    let config = SandboxConfig::default().with_processing_delay(Duration::ZERO);
    qiwi_sandbox::start(config).await.unwrap()
}

fn env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_BASE_URL", sandbox.base_url()),
        ("QIWI_TOKEN", demo::QIWI_TOKEN.into()),
        ("QIWI_WALLET", demo::QIWI_WALLET.into()),
    ]
}

/// `qiwi --json ARGS` off the runtime's threads, so that the sandbox keeps answering.
async fn qiwi(sandbox: &Sandbox, args: &[&str]) -> Output {
    let mut all = vec!["--json".to_owned()];
    all.extend(args.iter().map(|a| a.to_string()));
    let env = env(sandbox);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        program::qiwi_owned(&args, &env)
    })
    .await
    .unwrap()
}

fn document(output: &Output) -> Value {
    assert!(output.status.success(), "{}", program::stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn failure(output: &Output) -> Value {
    let stderr = program::stderr(output);
    serde_json::from_str(stderr.lines().last().unwrap()).unwrap()
}

#[tokio::test]
async fn webhook_commands_register_show_rekey_test_and_delete() {
    let sandbox = sandbox().await;
    assert_eq!(
        document(&qiwi(&sandbox, &["wallet", "webhook", "show"]).await)["hook"],
        Value::Null
    );
    let url = "http://127.0.0.1:9/hook";
    let registered = document(
        &qiwi(
            &sandbox,
            &["wallet", "webhook", "register", url, "--type", "in"],
        )
        .await,
    );
    let hook = &registered["hook"];
    assert_eq!(
        (
            hook["hook_parameters"]["url"].as_str(),
            hook["txn_type"].as_str()
        ),
        (Some(url), Some("IN"))
    );
    let id = hook["hook_id"].as_str().unwrap();
    assert_eq!(
        document(&qiwi(&sandbox, &["wallet", "webhook", "show"]).await)["hook"],
        *hook
    );

    let again = qiwi(&sandbox, &["wallet", "webhook", "register", url]).await;
    assert_eq!(again.status.code(), Some(4));
    let error = failure(&again);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("already registered"),
        "{error}"
    );

    let key = document(&qiwi(&sandbox, &["wallet", "webhook", "key"]).await);
    let new = document(&qiwi(&sandbox, &["wallet", "webhook", "key", "--new"]).await);
    assert_eq!(
        (key["result"].as_str(), new["result"].as_str()),
        (Some("key"), Some("new_key"))
    );
    assert_ne!(key["key"], new["key"]);
    assert_eq!(key["hook_id"].as_str(), Some(id));

    let test = document(&qiwi(&sandbox, &["wallet", "webhook", "test"]).await);
    assert_eq!(test["result"], "test_sent");
    let deleted = document(&qiwi(&sandbox, &["wallet", "webhook", "delete"]).await);
    assert_eq!(
        (deleted["result"].as_str(), deleted["hook_id"].as_str()),
        (Some("deleted"), Some(id))
    );
    let none = qiwi(&sandbox, &["wallet", "webhook", "delete"]).await;
    assert_eq!(none.status.code(), Some(4), "{}", program::stderr(&none));

    let long = format!("http://127.0.0.1/{}", "a".repeat(90));
    let refused = qiwi(&sandbox, &["wallet", "webhook", "register", &long]).await;
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        program::stderr(&refused)
    );
}

/// A running `qiwi --json wallet watch ARGS`, its stdout and stderr lines as they come.
struct Watch {
    child: Child,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Watch {
    fn start(sandbox: &Sandbox, args: &[&str]) -> Self {
        Self::start_with(env(sandbox), args)
    }

    fn start_with(env: Vec<(&'static str, String)>, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qiwi"))
            .args(["--json", "wallet", "watch"])
            .args(args)
            .env_clear()
            .envs(env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |reader: Box<dyn std::io::Read + Send>| {
            let (send, receive) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(reader).lines().map_while(Result::ok) {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
            receive
        };
        let stdout = lines(Box::new(child.stdout.take().unwrap()));
        let stderr = lines(Box::new(child.stderr.take().unwrap()));
        Self {
            child,
            stdout,
            stderr,
        }
    }

    /// Waits (off the runtime) for a stderr line containing `text`.
    async fn ready(&mut self, text: &'static str) {
        let stderr = std::mem::replace(&mut self.stderr, mpsc::channel().1);
        self.stderr = tokio::task::spawn_blocking(move || {
            loop {
                let line = stderr
                    .recv_timeout(Duration::from_secs(10))
                    .expect("the watch started");
                if line.contains(text) {
                    return stderr;
                }
            }
        })
        .await
        .unwrap();
    }

    /// The next stdout line, within `limit`.
    async fn line(&mut self, limit: Duration) -> Value {
        let stdout = std::mem::replace(&mut self.stdout, mpsc::channel().1);
        let (stdout, line) = tokio::task::spawn_blocking(move || {
            let line = stdout.recv_timeout(limit);
            (stdout, line)
        })
        .await
        .unwrap();
        self.stdout = stdout;
        serde_json::from_str(&line.expect("a payment line in time")).unwrap()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn top_up(sandbox: &Sandbox, txn: &str, amount: &str) {
    agent(&sandbox.agent_url())
        .pay(&payout(txn, amount))
        .await
        .unwrap();
}

fn agent(url: &str) -> AgentClient {
    AgentClient::builder()
        .terminal_id(demo::AGENT_TERMINAL_ID.parse().unwrap())
        .password(SecretString::from(demo::AGENT_PASSWORD))
        .base_url(url)
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap()
}

fn payout(txn: &str, amount: &str) -> Payout {
    Payout::new(
        TransactionNumber::parse(txn).unwrap(),
        Recipient::Wallet {
            wallet: WalletNumber::parse(demo::QIWI_WALLET).unwrap(),
            funds: FundsSource::NonCash,
            comment: None,
        },
        PayoutAmount::parse(amount).unwrap(),
    )
    .unwrap()
}

fn check_line(line: &Value, amount: &str, source: &str) {
    assert_eq!(line["type"], "IN", "{line}");
    assert_eq!(line["status"], "SUCCESS", "{line}");
    // Exact, as each wire wrote it: the notification writes `5` for 5.00.
    let written: Decimal = line["total"]["amount"].as_str().unwrap().parse().unwrap();
    assert_eq!(written, amount.parse::<Decimal>().unwrap(), "{line}");
    assert_eq!(line["total"]["currency"]["code"], "RUB", "{line}");
    assert_eq!(line["origin"]["source"], source, "{line}");
    assert_eq!(line["sandbox"], false, "{line}");
    assert!(
        line["txn_id"].as_str().is_some_and(|id| !id.is_empty()),
        "{line}"
    );
}

#[tokio::test]
async fn watch_by_polling_prints_a_top_up_within_two_seconds() {
    let sandbox = sandbox().await;
    let mut watch = Watch::start(&sandbox, &["--interval", "1"]);
    watch.ready("watching payments").await;
    let started = Instant::now();
    top_up(&sandbox, "20261207000000000001", "12.34").await;
    let line = watch.line(Duration::from_secs(2)).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    check_line(&line, "12.34", "polling");
    insta::assert_json_snapshot!("wallet_watch_polling_line", plain(&line), {
        ".txn_id" => "[txn id]", ".date" => "[date]"
    });
    assert_eq!(line["origin"]["previous_status"], Value::Null);
}

#[tokio::test]
async fn watch_with_a_receiver_prints_a_top_up_within_a_second_through_its_hook() {
    let sandbox = sandbox().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut watch = Watch::start(&sandbox, &["--listen", &listen]);
    watch.ready("receiving payments").await;
    let started = Instant::now();
    top_up(&sandbox, "20261207000000000002", "5.00").await;
    let line = watch.line(Duration::from_secs(1)).await;
    assert!(started.elapsed() < Duration::from_secs(1));
    check_line(&line, "5.00", "webhook");
    insta::assert_json_snapshot!("wallet_watch_webhook_line", plain(&line), {
        ".txn_id" => "[txn id]", ".date" => "[date]", ".origin.message_id" => "[message id]"
    });
    let signed = line["origin"]["authenticated"].as_array().unwrap();
    assert!(signed.iter().any(|f| f == "sum.amount"), "{line}");
    let hook = document(&qiwi(&sandbox, &["wallet", "webhook", "show"]).await);
    assert_eq!(
        hook["hook"]["hook_parameters"]["url"],
        format!("http://{listen}/")
    );
}

#[tokio::test]
async fn with_one_sandbox_serve_polling_and_a_receiver_each_show_a_settled_top_up_in_time() {
    let (_server, ready) = program::sandbox_serve();
    let text = |path: &str| {
        ready
            .pointer(path)
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    };
    let env = || {
        vec![
            ("QIWI_BASE_URL", text("/base_url")),
            ("QIWI_TOKEN", text("/qiwi/token")),
            ("QIWI_WALLET", text("/qiwi/wallet")),
        ]
    };
    let mut polling = Watch::start_with(env(), &["--interval", "1"]);
    polling.ready("watching payments").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut receiving = Watch::start_with(env(), &["--listen", &listen]);
    receiving.ready("receiving payments").await;

    // Another program tops the wallet up and waits until the sandbox settles it.
    let options = qiwi_agent::ConfirmOptions::new()
        .interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(10));
    agent(&text("/agent/url"))
        .pay_and_confirm(&payout("20261207000000000003", "7.25"), &options)
        .await
        .unwrap();
    let settled = Instant::now();
    let pushed = receiving.line(Duration::from_secs(1)).await;
    check_line(&pushed, "7.25", "webhook");
    let polled = polling.line(Duration::from_secs(2)).await;
    check_line(&polled, "7.25", "polling");
    assert!(settled.elapsed() < Duration::from_secs(2));
    assert_eq!(pushed["txn_id"], polled["txn_id"]);
}
