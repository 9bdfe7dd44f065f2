//! The `--json` contract (`docs/cli.md`), pinned for every command: each success is one object
//! on stdout, each failure one object on stderr, against the embedded sandbox (`--sandbox`)
//! unless the command needs state that outlives one run. Times, generated numbers and ports
//! are redacted.

use crate::program;

use std::process::Output;

use std::collections::BTreeMap;

use qiwi_sandbox::{Sandbox, SandboxConfig, demo};
use serde::Serialize;
use serde_json::Value;

/// A document as insta can snapshot it: `serde_json`'s arbitrary-precision numbers would reach
/// insta as a private struct. Every number the contract writes is an integer (amounts are
/// strings), which this checks.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Plain {
    Null,
    Bool(bool),
    Integer(i64),
    Text(String),
    List(Vec<Plain>),
    Object(BTreeMap<String, Plain>),
}

pub(crate) fn plain(value: &Value) -> Plain {
    match value {
        Value::Null => Plain::Null,
        Value::Bool(b) => Plain::Bool(*b),
        Value::Number(n) => Plain::Integer(
            n.as_i64()
                .unwrap_or_else(|| panic!("{n}: only integers are JSON numbers")),
        ),
        Value::String(s) => Plain::Text(s.clone()),
        Value::Array(items) => Plain::List(items.iter().map(plain).collect()),
        Value::Object(map) => {
            Plain::Object(map.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
        }
    }
}

/// `insta::assert_json_snapshot!` of a document, numbers kept as numbers.
macro_rules! assert_json_snapshot {
    ($name:expr, $value:expr $(, $redactions:tt)?) => {
        insta::assert_json_snapshot!($name, plain(&$value) $(, $redactions)?)
    };
    ($value:expr) => {
        insta::assert_json_snapshot!(plain(&$value))
    };
}

use program::{qiwi, qiwi_async};

/// `qiwi --sandbox --json ARGS`: its stdout document, after checking it succeeded.
fn success(args: &[&str]) -> Value {
    let mut all = vec!["--sandbox", "--json"];
    all.extend_from_slice(args);
    document(&qiwi(&all, &[]), true)
}

/// The stdout document of a run that succeeded (`ok`) or failed.
fn document(output: &Output, ok: bool) -> Value {
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.success(), ok, "{err}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// The error object: the last line of stderr, and its `exit_code` is the process's.
fn error(output: &Output) -> Value {
    let err = String::from_utf8_lossy(&output.stderr);
    let last = err.lines().last().unwrap_or_default();
    let error: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(
        error["exit_code"].as_i64(),
        output.status.code().map(i64::from),
        "{err}"
    );
    assert_eq!(
        err.lines().filter(|l| l.starts_with('{')).count(),
        1,
        "one error object: {err}"
    );
    error
}

/// `qiwi --sandbox --json ARGS` failing: its error object.
fn failure(args: &[&str]) -> Value {
    let mut all = vec!["--sandbox", "--json"];
    all.extend_from_slice(args);
    error(&qiwi(&all, &[]))
}

/// Whether `text` is an RFC 3339 time with an offset (`2026-01-31T10:00:00+03:00`).
fn assert_rfc3339(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is no time"));
    let offset = &text[text.len().saturating_sub(6)..];
    assert!(
        text.get(10..11) == Some("T")
            && (text.ends_with('Z')
                || (offset.starts_with(['+', '-']) && offset.get(3..4) == Some(":"))),
        "{text}"
    );
}

/// Redacts the random trace id the sandbox puts in QIWI error bodies (`[trace id 1a2b...]`).
fn trace_id() -> insta::internals::Redaction {
    insta::dynamic_redaction(|value, _| {
        let text = value.as_str().unwrap_or_default().to_owned();
        let redacted = match text.split_once("[trace id ") {
            Some((before, after)) => {
                let rest = after.split_once(']').map_or("", |(_, rest)| rest);
                format!("{before}[trace id]{rest}")
            }
            None => text,
        };
        insta::internals::Content::from(redacted)
    })
}

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(std::time::Duration::ZERO))
        .await
        .unwrap()
}

/// The agent settings for a sandbox started by the test (state shared between runs).
fn agent_env(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_AGENT_URL", sandbox.agent_url()),
        ("QIWI_AGENT_TERMINAL", demo::AGENT_TERMINAL_ID.into()),
        ("QIWI_AGENT_PASSWORD", demo::AGENT_PASSWORD.into()),
    ]
}

#[test]
fn balances() {
    assert_json_snapshot!(success(&["balances"]));
}

#[test]
fn wallet_reads() {
    assert_json_snapshot!("wallet_accounts", success(&["wallet", "accounts"]));
    assert_json_snapshot!("wallet_offer", success(&["wallet", "offer"]));
    assert_json_snapshot!("wallet_profile", success(&["wallet", "profile"]));
    assert_json_snapshot!(
        "wallet_identification",
        success(&["wallet", "identification"])
    );
    assert_json_snapshot!("wallet_restrictions", success(&["wallet", "restrictions"]));
    assert_json_snapshot!("wallet_rates", success(&["wallet", "rates"]));
    assert_json_snapshot!(
        "wallet_commission",
        success(&[
            "wallet",
            "commission",
            demo::QIWI_SECOND_WALLET,
            "--amount",
            "10.50"
        ])
    );
    assert_json_snapshot!(
        "wallet_limits",
        success(&["wallet", "limits", "REFILL"]),
        { ".limits.*[].interval.*" => "[time]" }
    );
}

/// Redacts a time after checking it is RFC 3339 (the history's times follow the start).
fn dates() -> insta::internals::Redaction {
    insta::dynamic_redaction(|value, _| {
        assert_rfc3339(&Value::String(
            value.as_str().unwrap_or_default().to_owned(),
        ));
        "[time]"
    })
}

#[test]
fn wallet_history_totals_transaction_and_receipt() {
    let page = success(&["wallet", "history", "--rows", "2"]);
    assert_json_snapshot!("wallet_history", page, {
        ".payments[].date" => dates(),
        ".next_txn_date" => dates(),
    });
    let newest: jiff::Timestamp = page["payments"][0]["date"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let write = |t: jiff::Timestamp| {
        t.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(3)))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let from = write(newest - jiff::SignedDuration::from_hours(30 * 24));
    let to = write(newest + jiff::SignedDuration::from_hours(24));
    assert_json_snapshot!(
        "wallet_totals",
        success(&["wallet", "totals", "--from", &from, "--to", &to])
    );
    let id = page["payments"][0]["txn_id"].as_str().unwrap();
    assert_json_snapshot!(
        "wallet_transaction",
        success(&["wallet", "transaction", id, "--type", "in"]),
        { ".date" => dates() }
    );
    assert_json_snapshot!(
        "wallet_receipt_email",
        success(&["wallet", "receipt", id, "--email", "me@example.com"])
    );
    assert_json_snapshot!(
        "wallet_history_error",
        failure(&["wallet", "history", "--rows", "51"])
    );
    assert_json_snapshot!(
        "wallet_transaction_not_found",
        failure(&["wallet", "transaction", "1"]),
        { ".message" => trace_id() }
    );
}

#[test]
fn wallet_webhook() {
    assert_json_snapshot!(
        "wallet_webhook_show_none",
        success(&["wallet", "webhook", "show"])
    );
    assert_json_snapshot!(
        "wallet_webhook_register",
        success(&["wallet", "webhook", "register", "http://127.0.0.1:9/hook", "--type", "out"]),
        { ".hook.hook_id" => "[hook id]" }
    );
    assert_json_snapshot!(
        "wallet_webhook_delete_none",
        failure(&["wallet", "webhook", "delete"])
    );
}

#[test]
fn wallet_writes() {
    assert_json_snapshot!(
        "wallet_create_account",
        success(&["wallet", "create-account", "qw_wallet_eur"])
    );
    assert_json_snapshot!(
        "wallet_set_default",
        success(&["wallet", "set-default", "qw_wallet_usd"])
    );
}

#[test]
fn agent_reads_and_pay() {
    assert_json_snapshot!("agent_ping", success(&["agent", "ping"]));
    assert_json_snapshot!(
        "agent_check_user",
        success(&["agent", "check-user", demo::AGENT_OTHER_WALLET])
    );
    let pay = [
        "agent",
        "pay",
        "--wallet",
        demo::AGENT_OTHER_WALLET,
        "--amount",
        "15.00",
        "--transaction",
        "900001",
        "--wait",
        "30",
    ];
    let report = success(&pay);
    assert_rfc3339(&report["payment"]["txn_date"]);
    assert_json_snapshot!("agent_pay", report, {
        ".payment.txn_id" => "[txn id]",
        ".payment.txn_date" => "[time]",
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_status_of_a_payment_made_before() {
    let sandbox = sandbox().await;
    let env = agent_env(&sandbox);
    let paid = qiwi_async(
        &[
            "agent",
            "pay",
            "--wallet",
            demo::AGENT_OTHER_WALLET,
            "--amount",
            "2.50",
            "--transaction",
            "900002",
        ],
        &env,
    )
    .await;
    assert!(paid.status.success());
    let status = [
        "--json",
        "agent",
        "status",
        "--account",
        demo::AGENT_OTHER_WALLET,
        "900002",
    ];
    let output = qiwi_async(&status, &env).await;
    assert_json_snapshot!("agent_status", document(&output, true), {
        ".payments[].txn_id" => "[txn id]",
        ".payments[].txn_date" => "[time]",
    });
}

#[test]
fn treezor_balances_and_history() {
    assert_json_snapshot!(
        "treezor_balances",
        success(&["treezor", "balances", "--wallet-id", "3645801"]),
        { ".balances[].calculation_date" => "[time]" }
    );
    let history = success(&["treezor", "history", "--wallet-id", "3645802"]);
    let points = history["points"].as_array().unwrap();
    assert!(points.len() > 2, "{history}");
    points.iter().for_each(|p| assert_rfc3339(&p["time"]));
    // The history is generated back from today: one point checked whole, the times redacted.
    assert_json_snapshot!("treezor_history_point", points.last().unwrap(), {
        ".time" => "[time]",
        ".key" => "[time]",
    });
    assert_eq!(history["sandbox"], true);
}

#[test]
fn sandbox_serve() {
    let served = crate::program::Served::start(&[]);
    let document = served.ready.clone();
    assert!(served.terminate());
    assert_json_snapshot!("sandbox_serve", document, {
        ".base_url" => "[url]",
        ".agent.url" => "[url]",
        ".agent.lookup_url" => "[url]",
        ".treezor.base_url" => "[url]",
    });
}

#[test]
fn errors_of_the_sandboxed_commands() {
    assert_json_snapshot!(
        "error_usage_flag",
        error(&qiwi(&["--json", "wallet", "--no-such-flag"], &[]))
    );
    assert_json_snapshot!(
        "error_usage_alias",
        failure(&["wallet", "create-account", "no such alias"])
    );
    assert_json_snapshot!(
        "error_refused_limits",
        failure(&["wallet", "limits", "BOGUS"]),
        { ".message" => trace_id() }
    );
    assert_json_snapshot!(
        "error_agent_status_not_found",
        failure(&[
            "agent",
            "status",
            "--account",
            demo::AGENT_OTHER_WALLET,
            "123"
        ])
    );
    assert_json_snapshot!(
        "error_agent_status_account",
        failure(&["agent", "status", "--account", "abc", "123"])
    );
    assert_json_snapshot!(
        "error_treezor_not_found",
        failure(&["treezor", "balances", "--wallet-id", "999"])
    );
    assert_json_snapshot!(
        "error_treezor_history_dates",
        failure(&[
            "treezor",
            "history",
            "--wallet-id",
            "3645800",
            "--from",
            "2024-13-01"
        ])
    );
    assert_json_snapshot!(
        "error_sandbox_fault",
        error(&qiwi(
            &[
                "--json",
                "sandbox",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--fault",
                r#"{"route":"walet","fault":"drop"}"#
            ],
            &[]
        ))
    );
}

#[test]
fn a_payment_that_was_not_made_says_money_did_not_move() {
    let output = qiwi(
        &[
            "--sandbox",
            "--json",
            "agent",
            "pay",
            "--wallet",
            demo::AGENT_FAILING_WALLET,
            "--amount",
            "1.00",
            "--transaction",
            "900003",
        ],
        &[],
    );
    assert_json_snapshot!("agent_pay_not_paid", document(&output, false), {
        ".payment.txn_id" => "[txn id]",
        ".payment.txn_date" => "[time]",
    });
    assert_json_snapshot!("error_agent_pay_not_paid", error(&output));
}

#[test]
fn authentication_and_network_errors() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let env = [
        ("QIWI_TOKEN", demo::QIWI_TOKEN),
        ("QIWI_WALLET", demo::QIWI_WALLET),
        ("QIWI_BASE_URL", base.as_str()),
    ];
    let network = error(&qiwi(&["--json", "wallet", "accounts"], &env));
    assert_eq!(network["kind"], "network");
    let message = network["message"]
        .as_str()
        .unwrap()
        .replace(&port.to_string(), "[port]");
    assert_json_snapshot!("error_network", Value::from(message));
}

#[tokio::test(flavor = "multi_thread")]
async fn partial_and_authentication_errors() {
    let sandbox = sandbox().await;
    let base = sandbox.base_url();
    let env = vec![
        ("QIWI_TOKEN", "0123456789abcdef0123456789abcdef".to_owned()),
        ("QIWI_WALLET", demo::QIWI_WALLET.to_owned()),
        ("QIWI_BASE_URL", base.clone()),
        ("TREEZOR_BASE_URL", base),
        ("TREEZOR_CLIENT_ID", demo::TREEZOR_CLIENT_ID.to_owned()),
        (
            "TREEZOR_CLIENT_SECRET",
            demo::TREEZOR_CLIENT_SECRET.to_owned(),
        ),
        ("TREEZOR_WALLET_IDS", "3645800".to_owned()),
    ];
    let auth = qiwi_async(&["--json", "wallet", "accounts"], &env).await;
    assert_json_snapshot!("error_authentication", error(&auth), { ".message" => trace_id() });
    let partial = qiwi_async(&["--json", "balances"], &env).await;
    assert_json_snapshot!("balances_partial", document(&partial, false), {
        ".errors[].message" => trace_id(),
    });
    assert_json_snapshot!("error_partial", error(&partial));
}

#[test]
fn wallet_pay_paid_and_not_paid() {
    let pay = |amount: &'static str, id: &'static str| {
        let pay = [
            "wallet",
            "pay",
            "wallet",
            demo::QIWI_SECOND_WALLET,
            "--amount",
            amount,
            "--id",
            id,
            "--yes",
            "--interval",
            "1",
        ];
        let mut all = vec!["--sandbox", "--json"];
        all.extend_from_slice(&pay);
        qiwi(&all, &[])
    };
    assert_json_snapshot!("wallet_pay", document(&pay("1.25", "900003"), true), {
        ".transaction" => "[txn id]",
    });
    // More than the demo wallet's 1008.74 RUB.
    let refused = pay("2000.00", "900004");
    assert_eq!(refused.status.code(), Some(7));
    assert_json_snapshot!("wallet_pay_not_paid", document(&refused, false), {
        ".message" => trace_id(),
    });
    assert_json_snapshot!("error_wallet_pay_not_paid", error(&refused), {
        ".message" => trace_id(),
    });
}
