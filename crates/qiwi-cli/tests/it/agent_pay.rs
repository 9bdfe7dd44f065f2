//! `qiwi agent pay` as a script runs it: the exit code and the `outcome` field tell paid (0),
//! not paid (7) and unknown or pending (8) apart, whatever the server does; stdout and stderr
//! never contradict each other; numbers never collide between concurrent runs.

use crate::program;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use program::stderr;
use qiwi_sandbox::{Amount, Fault, FaultRule, Sandbox, SandboxConfig, demo};
use serde_json::Value;

/// `qiwi --json agent pay --wallet W --amount A [extra...]` against `agent_url`.
fn pay_with(agent_url: &str, password: &str, wallet: &str, amount: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qiwi"))
        .args([
            "--json", "agent", "pay", "--wallet", wallet, "--amount", amount,
        ])
        .args(extra)
        .env_clear()
        .env("QIWI_AGENT_URL", agent_url)
        .env("QIWI_AGENT_TERMINAL", demo::AGENT_TERMINAL_ID)
        .env("QIWI_AGENT_PASSWORD", password)
        .output()
        .expect("the qiwi binary runs")
}

/// [`pay_with`] off the runtime's threads, so that an in-process sandbox keeps answering.
async fn pay_as(
    agent_url: &str,
    password: &str,
    wallet: &str,
    amount: &str,
    extra: &[&str],
) -> Output {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let texts = owned(&[agent_url, password, wallet, amount]);
    let extra = owned(extra);
    tokio::task::spawn_blocking(move || {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        pay_with(&texts[0], &texts[1], &texts[2], &texts[3], &extra)
    })
    .await
    .unwrap()
}

/// A payout to the demo recipient with the demo password.
async fn pay(agent_url: &str, amount: &str, extra: &[&str]) -> Output {
    pay_as(
        agent_url,
        demo::AGENT_PASSWORD,
        demo::AGENT_OTHER_WALLET,
        amount,
        extra,
    )
    .await
}

/// The JSON report on stdout.
fn report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {:?} / {}", output.stdout, stderr(output)))
}

/// Checks the exit code and that stdout and stderr tell the same story: the report's outcome
/// matches the code, and the last stderr line is the error object with the report's message,
/// exit code and `money_moved`.
fn assert_ends(output: &Output, code: i32, outcome: &str, money_moved: Value) -> Value {
    let report = report(output);
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "{report}\n{err}");
    assert_eq!(report["outcome"], outcome, "{report}");
    assert_eq!(report["money_moved"], money_moved, "{report}");
    let message = report["message"].as_str().unwrap();
    if code == 0 {
        assert!(!err.contains("qiwi:") && !err.contains('{'), "{err}");
    } else {
        let error: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
        assert_eq!(error["message"], message, "{err}");
        assert_eq!(error["exit_code"], code, "{err}");
        assert_eq!(error["money_moved"], report["money_moved"], "{err}");
        assert_eq!(err.matches(message).count(), 1, "one message: {err}");
    }
    report
}

async fn sandbox(delay: Duration) -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(delay))
        .await
        .unwrap()
}

/// A loopback server that answers every request with `answer(request line)`, or closes the
/// connection without a byte when it gives `None`. Counts the requests it read.
fn raw_server(answer: fn(&str) -> Option<String>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/xml/topup.jsp", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(request_line) = read_request(&mut stream) else {
                continue;
            };
            seen.fetch_add(1, Ordering::SeqCst);
            if let Some(response) = answer(&request_line) {
                let _ = stream.write_all(response.as_bytes());
            }
        }
    });
    (url, count)
}

/// Reads one HTTP request (head and `Content-Length` body); returns its first line.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).ok().filter(|n| *n > 0)?;
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return text.lines().next().map(str::to_owned);
            }
        }
    }
}

fn http(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paid_payout_exits_0_and_says_paid() {
    let sandbox = sandbox(Duration::ZERO).await;
    let output = pay(&sandbox.agent_url(), "15.00", &["--transaction", "900001"]).await;
    let report = assert_ends(&output, 0, "paid", Value::Bool(true));
    assert_eq!(report["result"], "succeeded");
    assert_eq!(report["transaction"], "900001");
}

#[test]
fn connection_refused_exits_7_nothing_sent() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/xml/topup.jsp");
    let started = Instant::now();
    let output = pay_with(
        &url,
        demo::AGENT_PASSWORD,
        demo::AGENT_OTHER_WALLET,
        "1.00",
        &[],
    );
    let report = assert_ends(&output, 7, "not_paid", Value::Bool(false));
    assert_eq!(report["result"], "not_sent");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "no waiting for a payout never sent"
    );
}

#[test]
fn an_unreadable_answer_or_a_connection_dropped_after_sending_exits_8() {
    let garbage: fn(&str) -> Option<String> = |_| Some(http("200 OK", "this is not XML"));
    let dropped: fn(&str) -> Option<String> = |_| None;
    for (name, answer) in [("garbage", garbage), ("dropped", dropped)] {
        let (url, _) = raw_server(answer);
        let output = pay_with(
            &url,
            demo::AGENT_PASSWORD,
            demo::AGENT_OTHER_WALLET,
            "1.00",
            &["--wait", "0"],
        );
        let report = assert_ends(&output, 8, "unknown", Value::Null);
        assert_eq!(report["result"], "pending", "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_busy_answers_and_code_300_exit_8() {
    let faults = [
        (
            "500",
            Fault::Status {
                status: 500,
                retry_after: None,
            },
        ),
        (
            "503",
            Fault::Status {
                status: 503,
                retry_after: None,
            },
        ),
        (
            "423",
            Fault::Status {
                status: 423,
                retry_after: Some(1),
            },
        ),
        (
            "429",
            Fault::Status {
                status: 429,
                retry_after: Some(1),
            },
        ),
        (
            "code 300",
            Fault::AgentResultCode {
                code: 300,
                fatal: false,
            },
        ),
        (
            "code 13",
            Fault::AgentResultCode {
                code: 13,
                fatal: false,
            },
        ),
    ];
    for (name, fault) in faults {
        let sandbox = sandbox(Duration::ZERO).await;
        sandbox.add_fault(FaultRule::new("agent.pay", fault));
        let before = sandbox.agent_balance(643).unwrap();
        let output = pay(&sandbox.agent_url(), "1.00", &["--wait", "0"]).await;
        let report = assert_ends(&output, 8, "unknown", Value::Null);
        assert_eq!(report["result"], "pending", "{name}");
        assert_eq!(sandbox.agent_balance(643), Some(before), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_that_runs_out_exits_8_and_a_later_run_with_the_number_pays_once() {
    let sandbox = sandbox(Duration::from_secs(3)).await;
    let before = sandbox.agent_balance(643).unwrap();
    let output = pay(&sandbox.agent_url(), "2.00", &["--wait", "1"]).await;
    let report = assert_ends(&output, 8, "unknown", Value::Null);
    assert_eq!(report["result"], "pending");
    let number = report["transaction"].as_str().unwrap().to_owned();
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .contains(&format!("--transaction {number}")),
        "{report}"
    );

    let output = pay(&sandbox.agent_url(), "2.00", &["--transaction", &number]).await;
    assert_ends(&output, 0, "paid", Value::Bool(true));
    assert_eq!(sandbox.agent_balance(643), Some(Amount(before.0 - 200)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_or_failed_payout_exits_7() {
    let sandbox = sandbox(Duration::ZERO).await;
    let url = sandbox.agent_url();
    let before = sandbox.agent_balance(643).unwrap();

    let output = pay_as(
        &url,
        "wrong-password",
        demo::AGENT_OTHER_WALLET,
        "1.00",
        &[],
    )
    .await;
    let report = assert_ends(&output, 7, "not_paid", Value::Bool(false));
    assert_eq!(report["result"], "refused");
    assert!(!stderr(&output).contains("wrong-password"));

    let failing = demo::AGENT_FAILING_WALLET;
    let output = pay_as(&url, demo::AGENT_PASSWORD, failing, "1.00", &[]).await;
    let report = assert_ends(&output, 7, "not_paid", Value::Bool(false));
    assert_eq!(report["result"], "failed");
    assert_eq!(sandbox.agent_balance(643), Some(before));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_reused_with_another_amount_is_a_conflict_with_one_message() {
    let sandbox = sandbox(Duration::ZERO).await;
    let url = sandbox.agent_url();
    let first = pay(&url, "10.00", &["--transaction", "900215"]).await;
    assert_ends(&first, 0, "paid", Value::Bool(true));

    let output = pay(&url, "11.00", &["--transaction", "900215"]).await;
    let report = assert_ends(&output, 8, "unknown", Value::Null);
    assert_eq!(report["result"], "conflict");
    let message = report["message"].as_str().unwrap();
    assert!(message.contains("qiwi agent status") && message.contains("900215"));
    let err = stderr(&output);
    for wrong in ["failed", "returned", "declined", "not registered"] {
        assert!(!err.contains(wrong), "{wrong}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_currency_is_a_usage_error_and_is_never_sent() {
    let sandbox = sandbox(Duration::ZERO).await;
    let output = pay(&sandbox.agent_url(), "1.00", &["--currency", "XYZ"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    let error: Value = serde_json::from_str(err.lines().last().unwrap()).unwrap();
    assert_eq!(
        (&error["kind"], &error["money_moved"]),
        (&Value::from("usage"), &Value::Bool(false)),
        "{err}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("\"XYZ\" is not an ISO-4217 currency code"),
        "{err}"
    );
    assert!(!err.contains("sending"), "{err}");
    assert_eq!(sandbox.hits("agent.pay.auth"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn forty_concurrent_runs_get_forty_numbers_and_forty_payouts() {
    let sandbox = sandbox(Duration::ZERO).await;
    let url = sandbox.agent_url();
    let before = sandbox.agent_balance(643).unwrap();
    let runs: Vec<_> = (0..40)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { pay(&url, "1.00", &[]).await })
        })
        .collect();
    let mut numbers = HashSet::new();
    for run in runs {
        let output = run.await.unwrap();
        let report = assert_ends(&output, 0, "paid", Value::Bool(true));
        numbers.insert(report["transaction"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers.len(), 40);
    assert_eq!(
        sandbox.agent_balance(643),
        Some(Amount(before.0 - 40 * 100))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_served_sandbox_is_polled_every_second_without_interval() {
    let sandbox = sandbox(Duration::from_millis(1500)).await;
    let started = Instant::now();
    let output = pay(&sandbox.agent_url(), "1.00", &[]).await;
    assert_ends(&output, 0, "paid", Value::Bool(true));
    assert!(
        stderr(&output).contains("status every 1 s"),
        "{}",
        stderr(&output)
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn another_loopback_server_is_polled_at_the_protocol_interval() {
    let (url, requests) = raw_server(|line| {
        Some(if line.starts_with("GET /__sandbox/about") {
            http("404 Not Found", "")
        } else {
            http(
                "200 OK",
                "<response><result-code fatal='false'>0</result-code><payment status='50' txn_id='7' transaction-number='900600' final-status='false'/></response>",
            )
        })
    });
    let output = pay_with(
        &url,
        demo::AGENT_PASSWORD,
        demo::AGENT_OTHER_WALLET,
        "1.00",
        &["--transaction", "900600", "--wait", "5"],
    );
    let report = assert_ends(&output, 8, "unknown", Value::Null);
    assert_eq!(report["result"], "pending");
    assert!(
        stderr(&output).contains("status every 600 s"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        requests.load(Ordering::SeqCst),
        2,
        "the question, and one pay"
    );
}
