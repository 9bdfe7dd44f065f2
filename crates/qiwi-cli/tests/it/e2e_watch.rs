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

/// A running `qiwi wallet watch ARGS`, its stdout and stderr lines as they come.
struct Watch {
    child: Child,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Watch {
    fn start(sandbox: &Sandbox, args: &[&str]) -> Self {
        Self::start_with(env(sandbox), args)
    }

    /// `qiwi --json wallet watch ARGS`.
    fn start_with(env: Vec<(&'static str, String)>, args: &[&str]) -> Self {
        Self::spawn(env, &[&["--json"], args].concat())
    }

    /// `qiwi wallet watch ARGS`.
    fn spawn(env: Vec<(&'static str, String)>, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qiwi"))
            .args(["wallet", "watch"])
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
    async fn text(&mut self, limit: Duration) -> String {
        let stdout = std::mem::replace(&mut self.stdout, mpsc::channel().1);
        let (stdout, line) = tokio::task::spawn_blocking(move || {
            let line = stdout.recv_timeout(limit);
            (stdout, line)
        })
        .await
        .unwrap();
        self.stdout = stdout;
        line.expect("a payment line in time")
    }

    /// The next stdout line as JSON, within `limit`.
    async fn line(&mut self, limit: Duration) -> Value {
        serde_json::from_str(&self.text(limit).await).unwrap()
    }

    /// Sends SIGINT, as Ctrl-C does, and waits up to 10 s for the exit code.
    async fn interrupt(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "still running after SIGINT");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
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
    let listen = free_address();
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
    let served = program::Served::start(&[]);
    let (mut polling, mut receiving) = both_ways(&served, &["--json"]).await;

    // Another program tops the wallet up and waits until the sandbox settles it.
    let options = qiwi_agent::ConfirmOptions::new()
        .interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(10));
    agent(&served.text("/agent/url"))
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

/// A loopback address with a port free a moment ago, for `--listen`.
fn free_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// A polling watch and a receiving one on `served`, each ready, with `flags`.
async fn both_ways(served: &program::Served, flags: &[&str]) -> (Watch, Watch) {
    let mut polling = Watch::spawn(served.wallet_env(), &[flags, &["--interval", "1"]].concat());
    polling.ready("watching payments").await;
    let listen = free_address();
    let receiving_args = [flags, &["--listen", &listen]].concat();
    let mut receiving = Watch::spawn(served.wallet_env(), &receiving_args);
    receiving.ready("receiving payments").await;
    (polling, receiving)
}

/// A `qiwi sandbox serve` whose payments settle in 50 ms.
fn served() -> program::Served {
    program::Served::start(&["--processing-ms", "50"])
}

/// The demo wallet pays 1.25 RUB to the second one with `qiwi wallet pay`, a process of its
/// own; its result document.
async fn pay_from_another_process(served: &program::Served) -> Value {
    let args = [
        "--json",
        "wallet",
        "pay",
        "wallet",
        demo::QIWI_SECOND_WALLET,
        "--amount",
        "1.25",
        "--yes",
        "--interval",
        "1",
    ];
    let output = program::qiwi_async(&args, &served.wallet_env()).await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let paid: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(paid["outcome"], "paid", "{paid}");
    paid
}

/// A `--json` stream line as docs/cli.md describes it: one compact object with snake_case keys,
/// exact amounts as strings, currencies as `{code, numeric}`, an RFC 3339 time with its offset,
/// and `sandbox`.
fn stream_line(text: &str) -> Value {
    fn snake_case_keys(value: &Value) {
        match value {
            Value::Object(map) => map.iter().for_each(|(key, value)| {
                let snake = key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                assert!(snake, "{key}");
                snake_case_keys(value);
            }),
            Value::Array(items) => items.iter().for_each(snake_case_keys),
            _ => {}
        }
    }
    let line: Value = serde_json::from_str(text).unwrap();
    assert!(line.is_object(), "{text}");
    assert_eq!(serde_json::to_string(&line).unwrap(), text, "compact");
    snake_case_keys(&line);
    for money in ["sum", "total"] {
        assert!(line[money]["amount"].is_string(), "{text}");
        assert!(line[money]["currency"]["code"].is_string(), "{text}");
        assert!(line[money]["currency"]["numeric"].is_u64(), "{text}");
    }
    let date = line["date"].as_str().unwrap();
    assert!(date.parse::<jiff::Timestamp>().is_ok(), "{date}");
    assert!(line["sandbox"].is_boolean(), "{text}");
    line
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wallet_payment_from_another_process_shows_within_two_seconds_polling_and_one_listening()
{
    let served = served();
    let (mut polling, mut receiving) = both_ways(&served, &["--json"]).await;

    let paid = pay_from_another_process(&served).await;
    let made = Instant::now();
    let pushed = stream_line(&receiving.text(Duration::from_secs(1)).await);
    assert!(made.elapsed() < Duration::from_secs(1));
    let polled = stream_line(&polling.text(Duration::from_secs(2)).await);
    assert!(made.elapsed() < Duration::from_secs(2));
    for (line, source) in [(&pushed, "webhook"), (&polled, "polling")] {
        assert_eq!(line["txn_id"], paid["transaction"], "{line}");
        assert_eq!(line["type"], "OUT", "{line}");
        assert_eq!(line["sum"]["amount"], "1.25", "{line}");
        assert_eq!(line["origin"]["source"], source, "{line}");
    }
    assert_eq!(pushed["status"], "SUCCESS", "notified once settled");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_json_each_payment_is_one_table_line_saying_how_it_came() {
    let served = served();
    let (mut polling, mut receiving) = both_ways(&served, &[]).await;

    let paid = pay_from_another_process(&served).await;
    let txn = paid["transaction"].as_str().unwrap();
    for (watch, via) in [
        (&mut receiving, "[webhook, signed]"),
        (&mut polling, "[polling]"),
    ] {
        let line = watch.text(Duration::from_secs(2)).await;
        let columns: Vec<&str> = line.split("  ").map(str::trim).collect();
        assert_eq!(columns.get(1..3), Some(&["OUT", txn][..]), "{line}");
        assert!(columns[0].parse::<jiff::Timestamp>().is_ok(), "{line}");
        assert!(line.ends_with(via), "{line}");
        assert!(line.contains(demo::QIWI_SECOND_WALLET), "{line}");
        assert!(!line.starts_with('{'), "{line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_ends_a_watch_with_0_and_a_listening_one_deletes_its_webhook() {
    // The key (E52) comes slowly once: a Ctrl-C can arrive while the watch still sets itself up.
    let slow_key = r#"{"route":"wallet.webhooks.key","fault":"latency","ms":300,"times":1}"#;
    let served = program::Served::start(&["--processing-ms", "50", "--fault", slow_key]);
    let wallet = served.wallet_env();
    let hook = || async {
        let output = program::qiwi_async(&["--json", "wallet", "webhook", "show"], &wallet).await;
        assert!(output.status.success(), "{}", program::stderr(&output));
        serde_json::from_slice::<Value>(&output.stdout).unwrap()["hook"].clone()
    };

    // Interrupted as soon as its hook exists, while it waits for the key.
    let starting = Watch::start_with(served.wallet_env(), &["--listen", &free_address()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while served.admin("/__sandbox/webhooks", None)["hook"].is_null() {
        assert!(Instant::now() < deadline, "no hook registered");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(starting.interrupt().await, Some(0));
    assert_eq!(hook().await, Value::Null, "E54 finds no hook");

    // Interrupted while receiving.
    let mut receiving = Watch::start_with(served.wallet_env(), &["--listen", &free_address()]);
    receiving.ready("receiving payments").await;
    assert_ne!(hook().await, Value::Null);
    assert_eq!(receiving.interrupt().await, Some(0));
    assert_eq!(hook().await, Value::Null, "E54 finds no hook");

    let mut polling = Watch::start_with(served.wallet_env(), &["--interval", "1"]);
    polling.ready("watching payments").await;
    assert_eq!(polling.interrupt().await, Some(0));

    // A failure after the hook was registered (its key refused) deletes it too.
    let refused = r#"{"route":"wallet.webhooks.key","fault":"status","status":403,"times":1}"#;
    served.admin("/__sandbox/faults", Some(refused));
    let args = ["--json", "wallet", "watch", "--listen", &free_address()];
    let failed = program::qiwi_async(&args, &wallet).await;
    assert_eq!(
        failed.status.code(),
        Some(4),
        "{}",
        program::stderr(&failed)
    );
    assert_eq!(hook().await, Value::Null, "E54 finds no hook");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_ends_the_watch_with_the_error_object_on_stderr() {
    let served = served();
    let mut env = served.wallet_env();
    env.retain(|(name, _)| *name != "QIWI_TOKEN");
    env.push(("QIWI_TOKEN", "not-the-demo-token-0000".into()));
    let listen = free_address();
    for way in [&["--interval", "1"][..], &["--listen", &listen]] {
        let args = [&["--json", "wallet", "watch"][..], way].concat();
        let output = program::qiwi_async(&args, &env).await;
        assert_eq!(
            output.status.code(),
            Some(3),
            "{}",
            program::stderr(&output)
        );
        assert!(output.stdout.is_empty());
        let stderr = program::stderr(&output);
        let error: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
        assert_eq!(error["kind"], "authentication", "{error}");
        assert_eq!(error["exit_code"], 3, "{error}");
    }
}

/// The wallet's webhook belongs to whoever registered it: a watch through a receiver refuses
/// to replace it (exit 2) and leaves it registered.
#[tokio::test]
async fn watch_with_a_receiver_leaves_an_existing_webhook_alone() {
    let sandbox = sandbox().await;
    let url = "http://127.0.0.1:9/theirs";
    let registered =
        document(&qiwi(&sandbox, &["wallet", "webhook", "register", url]).await)["hook"].clone();
    let mut watch = Watch::start(&sandbox, &["--listen", "127.0.0.1:0"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(status) = watch.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            Instant::now() < deadline,
            "still running: it replaced the webhook"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(code, Some(2));
    let shown = document(&qiwi(&sandbox, &["wallet", "webhook", "show"]).await);
    assert_eq!(shown["hook"], registered);
}

/// A watch whose webhook cannot be deleted when it stops (the token refused by then) says so
/// with the refusal's exit code, not 0: the webhook stays registered.
#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_left_registered_at_the_end_of_a_watch_is_not_exit_0() {
    let served = served();
    let mut receiving = Watch::start_with(served.wallet_env(), &["--listen", &free_address()]);
    receiving.ready("receiving payments").await;
    let revoked = r#"{"route":"wallet.webhooks.delete","fault":"status","status":401,"times":1}"#;
    served.admin("/__sandbox/faults", Some(revoked));
    assert_eq!(receiving.interrupt().await, Some(3));
    assert!(!served.admin("/__sandbox/webhooks", None)["hook"].is_null());
}
