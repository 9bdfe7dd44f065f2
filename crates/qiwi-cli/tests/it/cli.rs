//! The `qiwi` binary as a user runs it: output, JSON, exit codes, stderr.

use crate::program;

use std::process::Command;

use program::{qiwi, qiwi_owned, stderr, stdout};
use qiwi_sandbox::{Sandbox, SandboxConfig, demo};

async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default()).await.unwrap()
}

#[test]
fn balances_without_credentials_uses_the_embedded_sandbox() {
    let output = qiwi(&["balances"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("embedded sandbox"),
        "{}",
        stderr(&output)
    );
    insta::assert_snapshot!("balances_table", stdout(&output));
}

#[test]
fn balances_json_is_stable_and_amounts_are_exact_strings() {
    let output = qiwi(&["--json", "balances"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let balances = report["balances"].as_array().unwrap();
    let sources: std::collections::BTreeSet<_> = balances
        .iter()
        .map(|b| b["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources.into_iter().collect::<Vec<_>>(),
        ["qiwi-agent", "qiwi-wallet", "treezor"]
    );
    let rub = balances
        .iter()
        .find(|b| b["account"] == "qw_wallet_rub")
        .unwrap();
    assert_eq!(rub["balance"], "1008.74");
    assert_eq!(
        rub["currency"],
        serde_json::json!({"code": "RUB", "numeric": 643})
    );
    let pending = balances
        .iter()
        .find(|b| b["account"] == "wallet 3645801")
        .unwrap();
    assert_eq!(
        (pending["balance"].as_str(), pending["available"].as_str()),
        (Some("100"), Some("50"))
    );
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_token_exits_3_with_one_line_and_no_secret() {
    let sandbox = sandbox().await;
    let token = "0123456789abcdef0123456789abcdef";
    let base = sandbox.base_url();
    let output = qiwi(
        &["wallet", "accounts"],
        &[
            ("QIWI_TOKEN", token),
            ("QIWI_WALLET", demo::QIWI_WALLET),
            ("QIWI_BASE_URL", &base),
        ],
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("token"), "{err}");
    assert!(!err.contains(token) && !stdout(&output).contains(token));
}

#[test]
fn an_unreachable_host_exits_5() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let output = qiwi(
        &["wallet", "accounts"],
        &[
            ("QIWI_TOKEN", demo::QIWI_TOKEN),
            ("QIWI_WALLET", demo::QIWI_WALLET),
            ("QIWI_BASE_URL", &base),
        ],
    );
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("could not connect to 127.0.0.1:{port}")),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_2_and_name_what_to_set() {
    let output = qiwi(&["wallet"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let output = qiwi(&["no-such-command"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let output = qiwi(&["wallet", "accounts"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("QIWI_TOKEN"),
        "{}",
        stderr(&output)
    );
    let output = qiwi(
        &["wallet", "accounts"],
        &[("QIWI_TOKEN", "t"), ("QIWI_WALLET", "7911abc")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("digits"), "{}", stderr(&output));
    let output = qiwi(
        &["wallet", "accounts"],
        &[
            ("QIWI_TOKEN", "t"),
            ("QIWI_WALLET", demo::QIWI_WALLET),
            ("QIWI_BASE_URL", "http://example.com"),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "plain http only for loopback"
    );
    let err = stderr(&output);
    assert!(err.contains("QIWI_BASE_URL"), "{err}");
    assert!(
        err.contains("accepted only for 127.0.0.1, ::1 and localhost"),
        "{err}"
    );
    assert!(!err.contains("allow plain HTTP explicitly"), "{err}");
    let output = qiwi(
        &[
            "--sandbox",
            "treezor",
            "history",
            "--wallet-id",
            "3645800",
            "--from",
            "2024-13-01",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn help_documents_the_exit_codes() {
    let output = qiwi(&["--help"], &[]);
    assert!(output.status.success());
    let help = stdout(&output);
    for line in [
        "0  success",
        "1  a local failure: a port in use, a full disk",
        "2  usage or configuration error",
        "3  authentication failed",
        "4  the service answered with an error",
        "5  network failure",
        "6  the service's answer could not be understood",
        "7  `agent pay`, `wallet pay`, `wallet convert`: the payment was not made",
        "8  `agent pay`, `wallet pay`, `wallet convert`: the payment's fate is unknown",
        "9  partial failure",
        "QIWI_AGENT_PASSWORD",
        "TREEZOR_WALLET_IDS",
    ] {
        assert!(help.contains(line), "{line}\n{help}");
    }
}

#[test]
fn every_family_answers_through_its_subcommands_on_the_sandbox() {
    for args in [
        &["--sandbox", "wallet", "profile"][..],
        &["--sandbox", "wallet", "limits", "REFILL", "TURNOVER"],
        &["--sandbox", "wallet", "offer"],
        &["--sandbox", "wallet", "restrictions"],
        &["--sandbox", "wallet", "identification"],
        &["--sandbox", "wallet", "rates"],
        &["--sandbox", "agent", "ping"],
        &["--sandbox", "agent", "check-user", demo::AGENT_OTHER_WALLET],
        &["--sandbox", "treezor", "balances", "--user-id", "100200"],
        &["--sandbox", "treezor", "balances", "--wallet-id", "3645801"],
    ] {
        let output = qiwi(args, &[]);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(!stdout(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn wallet_rates_show_each_rate_exactly() {
    let output = qiwi(&["--sandbox", "wallet", "rates"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["FROM", "TO", "RATE"]);
    assert!(rows.contains(&vec!["USD", "RUB", "90"]), "{table}");
    assert!(rows.contains(&vec!["EUR", "RUB", "100"]), "{table}");
}

#[test]
fn a_commission_quote_with_a_bad_amount_or_wallet_is_a_usage_error() {
    for (args, named) in [
        (["79991234568", "--amount", "10.505"], "--amount"),
        (["7999123456x", "--amount", "10"], "wallet number"),
    ] {
        let mut all = vec!["--sandbox", "wallet", "commission"];
        all.extend(args);
        let output = qiwi(&all, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(named), "{}", stderr(&output));
    }
}

#[test]
fn history_pipes_get_data_only() {
    let output = qiwi(
        &[
            "--sandbox",
            "--json",
            "treezor",
            "history",
            "--wallet-id",
            "3645800",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let history: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let points = history["points"].as_array().unwrap();
    assert!(points.len() > 2);
    assert!(
        points
            .iter()
            .all(|p| p["solde"].is_string() && p["time"].is_string()),
        "{history}"
    );
    let table = qiwi(
        &["--sandbox", "treezor", "history", "--wallet-id", "3645800"],
        &[],
    );
    assert!(
        stdout(&table).starts_with("TIME"),
        "no chart when stdout is not a terminal"
    );
    assert!(!stdout(&table).contains('⠀') && !stdout(&table).contains("days since"));
}

#[test]
fn agent_pay_reports_progress_on_stderr_and_the_result_on_stdout() {
    let output = qiwi(
        &[
            "--sandbox",
            "--json",
            "agent",
            "pay",
            "--wallet",
            demo::AGENT_OTHER_WALLET,
            "--amount",
            "15.00",
            "--transaction",
            "1234567890123456789",
            "--wait",
            "30",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["outcome"], "paid");
    assert_eq!(report["transaction"], "1234567890123456789");
    assert!(
        stderr(&output).contains("payment 1234567890123456789"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_serve_prints_its_credentials_and_answers_any_client() {
    let (child, mut lines, base) = serve(&[]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let banner: Vec<String> = lines.by_ref().take(5).map(Result::unwrap).collect();
    assert!(
        banner.iter().any(|l| l.contains(demo::QIWI_TOKEN)),
        "{banner:?}"
    );

    let client = qiwi_wallet::WalletClient::builder()
        .token(demo::QIWI_TOKEN)
        .wallet(demo::QIWI_WALLET.parse().unwrap())
        .base_url(base)
        .allow_http(true)
        .build()
        .unwrap();
    assert!(!client.list_accounts().await.unwrap().accounts.is_empty());

    stop(child);
}

/// Every family pointed at `sandbox`, Treezor showing `wallet_ids`.
fn all_families(sandbox: &Sandbox, wallet_ids: &str) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_TOKEN", demo::QIWI_TOKEN.into()),
        ("QIWI_WALLET", demo::QIWI_WALLET.into()),
        ("QIWI_BASE_URL", sandbox.base_url()),
        ("QIWI_AGENT_URL", sandbox.agent_url()),
        ("QIWI_AGENT_TERMINAL", demo::AGENT_TERMINAL_ID.into()),
        ("QIWI_AGENT_PASSWORD", demo::AGENT_PASSWORD.into()),
        ("TREEZOR_BASE_URL", sandbox.base_url()),
        ("TREEZOR_CLIENT_ID", demo::TREEZOR_CLIENT_ID.into()),
        ("TREEZOR_CLIENT_SECRET", demo::TREEZOR_CLIENT_SECRET.into()),
        ("TREEZOR_WALLET_IDS", wallet_ids.into()),
    ]
}

#[test]
fn an_unknown_treezor_wallet_is_not_found_naming_it() {
    let output = qiwi(
        &["--sandbox", "treezor", "balances", "--wallet-id", "999"],
        &[],
    );
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("qiwi: not found: Treezor listed no balance for wallet 999"),
        "{err}"
    );
    assert!(!err.contains("decode"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn balances_with_an_unknown_treezor_wallet_shows_the_rest_and_exits_9() {
    let sandbox = sandbox().await;
    let env = all_families(&sandbox, "3645800,999");
    let output = qiwi_owned(&["balances"], &env);
    assert_eq!(output.status.code(), Some(9), "{}", stderr(&output));
    let table = stdout(&output);
    for shown in ["qw_wallet_rub", "terminal 10001", "wallet 3645800"] {
        assert!(table.contains(shown), "{shown}: {table}");
    }
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "qiwi: treezor: not found: Treezor listed no balance for wallet 999; check the id and that it belongs to this environment",
            "qiwi: incomplete: 1 of 4 balance sources failed (above); the others are shown",
        ],
        "{err}"
    );

    let output = qiwi_owned(&["--json", "balances"], &env);
    assert_eq!(output.status.code(), Some(9), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["source"], "treezor");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("wallet 999"),
        "{report}"
    );
    assert_eq!(report["balances"].as_array().unwrap().len(), 7, "{report}");
    let err = stderr(&output);
    assert_eq!(
        err.lines().count(),
        1,
        "one JSON object, no text line: {err}"
    );
    let error: serde_json::Value = serde_json::from_str(&err).unwrap();
    assert_eq!(error["kind"], "partial", "{err}");
    assert_eq!(error["exit_code"], 9, "{err}");
    assert!(!err.contains("wallet 999"), "said once, in `errors`: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn balances_prints_each_failure_once_when_every_source_fails() {
    let sandbox = sandbox().await;
    let mut env = all_families(&sandbox, "999");
    env.retain(|(name, _)| !name.starts_with("QIWI_AGENT"));
    env.retain(|(name, _)| *name != "QIWI_TOKEN");
    env.push(("QIWI_TOKEN", "0123456789abcdef0123456789abcdef".into()));
    let output = qiwi_owned(&["balances"], &env);
    assert_eq!(
        output.status.code(),
        Some(3),
        "the first failure's code: {}",
        stderr(&output)
    );
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert_eq!(err.matches("qiwi-wallet: ").count(), 1, "{err}");
    assert_eq!(err.matches("wallet 999").count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_keeps_the_servers_explanation() {
    let sandbox = sandbox().await;
    let env = all_families(&sandbox, "3645800");
    let output = qiwi_owned(&["wallet", "limits", "BOGUS"], &env);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains(r#"Unknown limit type "BOGUS""#), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_base_url_path_is_reported_with_the_servers_explanation() {
    let sandbox = sandbox().await;
    let mut env = all_families(&sandbox, "3645800");
    env.retain(|(name, _)| *name != "QIWI_BASE_URL");
    env.push((
        "QIWI_BASE_URL",
        format!("{}/wrong-prefix", sandbox.base_url()),
    ));
    let output = qiwi_owned(&["wallet", "accounts"], &env);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("No endpoint /wrong-prefix/"), "{err}");
    assert!(err.contains("the base URL"), "{err}");
}

#[test]
fn sandbox_serve_wants_two_webhook_retry_delays_in_milliseconds() {
    for bad in ["200", "200,x", "1,2,3", " ,5"] {
        let output = qiwi(&["sandbox", "serve", "--webhook-retry-ms", bad], &[]);
        assert_eq!(output.status.code(), Some(2), "{bad}: {}", stderr(&output));
        assert!(stderr(&output).contains("--webhook-retry-ms"), "{bad}");
    }
}

#[test]
fn sandbox_serve_refuses_a_non_loopback_address_unless_allowed() {
    let output = qiwi(&["sandbox", "serve", "--listen", "0.0.0.0:0"], &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not a loopback address"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("--allow-remote"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_embedded_sandbox_shows_what_the_user_selected() {
    let output = qiwi(
        &["--json", "balances"],
        &[
            ("TREEZOR_WALLET_IDS", "3645801"),
            ("QIWI_WALLET", "79990001122"),
            ("QIWI_AGENT_TERMINAL", "20002"),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["sandbox"], true);
    let accounts: Vec<&str> = report["balances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["source"] != "qiwi-wallet")
        .map(|b| b["account"].as_str().unwrap())
        .collect();
    assert_eq!(
        accounts,
        [
            "terminal 20002",
            "terminal 20002",
            "terminal 20002",
            "wallet 3645801"
        ]
    );
    let output = qiwi(&["balances"], &[("QIWI_WALLET", "7999abc")]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("QIWI_WALLET"),
        "{}",
        stderr(&output)
    );
    let output = qiwi(
        &["--sandbox", "agent", "ping"],
        &[("QIWI_AGENT_PASSWORD", "mine"), ("QIWI_TOKEN", "mine")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("uses its own QIWI_TOKEN, QIWI_AGENT_PASSWORD instead of the values set"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn agent_status_refuses_an_account_that_is_not_digits_and_says_not_found() {
    let output = qiwi(
        &["--sandbox", "agent", "status", "--account", "abc", "123"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--account must be"),
        "{}",
        stderr(&output)
    );
    let output = qiwi(
        &[
            "--sandbox",
            "agent",
            "status",
            "--account",
            demo::AGENT_OTHER_WALLET,
            "123",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "no empty table");
    assert!(
        stderr(&output).contains("not found: the service knows no payment 123"),
        "{}",
        stderr(&output)
    );
}

type Lines = std::io::Lines<std::io::BufReader<std::process::ChildStdout>>;

/// `qiwi sandbox serve` on a free loopback port: the process, the rest of its banner and its
/// base URL (from the banner's first line).
fn serve(extra: &[&str]) -> (std::process::Child, Lines, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiwi"))
        .args(["sandbox", "serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.rsplit(' ').next().unwrap().to_owned();
    (child, lines, base)
}

/// Stops a served sandbox with SIGTERM, as a service manager does, and checks it ends cleanly.
fn stop(mut child: std::process::Child) {
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(
        child.wait().unwrap().success(),
        "SIGTERM stops the server cleanly"
    );
}

/// Reads a sandbox admin answer over loopback.
fn admin_get(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn sandbox_serve_loads_the_documented_data_file_and_faults() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sandbox-data.json");
    let fault = r#"{"route":"GET /v1/balances","fault":"status","status":503,"times":2}"#;
    let (child, _banner, base) = serve(&["--data", data, "--fault", fault]);

    let faults = admin_get(&base, "/__sandbox/faults");
    assert!(
        faults.contains(r#""route":"GET /v1/balances""#) && faults.contains(r#""times":2"#),
        "{faults}"
    );
    let env = [
        ("QIWI_TOKEN", demo::QIWI_TOKEN),
        ("QIWI_WALLET", "79990001122"),
        ("QIWI_BASE_URL", base.as_str()),
    ];
    let output = qiwi(&["wallet", "accounts"], &env);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("1250.4"), "{}", stdout(&output));

    stop(child);
}

#[test]
fn global_flags_are_listed_once_and_no_usage_line_names_a_setting() {
    let top = stdout(&qiwi(&["--help"], &[]));
    for flag in [
        "--json",
        "--sandbox",
        "--verbose",
        "--qiwi-token",
        "--treezor-user-id",
    ] {
        assert_eq!(top.matches(flag).count(), 1, "{flag}: {top}");
    }
    for args in [
        &["balances", "--help"][..],
        &["wallet", "--help"],
        &["wallet", "accounts", "--help"],
        &["agent", "pay", "--help"],
        &["agent", "status", "--help"],
        &["treezor", "history", "--help"],
        &["sandbox", "serve", "--help"],
        &["completions", "--help"],
    ] {
        let output = qiwi(args, &[]);
        assert!(output.status.success(), "{args:?}");
        let help = stdout(&output);
        assert!(help.contains("see `qiwi --help`"), "{args:?}: {help}");
        let help = help.split("Global options").next().unwrap();
        for global in [
            "--json",
            "--sandbox",
            "--verbose",
            "--qiwi-token",
            "QIWI_TOKEN",
            "TREEZOR",
        ] {
            assert!(!help.contains(global), "{args:?} repeats {global}: {help}");
        }
    }
    // Still accepted after a subcommand.
    let output = qiwi(&["agent", "ping", "--sandbox", "--json"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("\"sandbox\": true"));
}

#[test]
fn a_negative_amount_is_refused_as_such() {
    for extra in [&[][..], &["--json"]] {
        let mut args = vec![
            "--sandbox",
            "agent",
            "pay",
            "--wallet",
            demo::AGENT_OTHER_WALLET,
        ];
        args.extend_from_slice(&["--amount", "-5"]);
        args.extend_from_slice(extra);
        let output = qiwi(&args, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(output.stdout.is_empty());
        let err = stderr(&output);
        assert!(err.contains("--amount must be positive"), "{err}");
        assert!(!err.contains("unexpected argument"), "{err}");
        if !extra.is_empty() {
            let error: serde_json::Value =
                serde_json::from_str(err.lines().last().unwrap()).unwrap();
            assert_eq!(error["money_moved"], false, "{err}");
        }
    }
}

#[test]
fn completions_for_each_shell_and_bash_parses_them() {
    use std::io::Write;
    use std::process::Stdio;

    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = qiwi(&["completions", shell], &[]);
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        assert!(
            script.contains("qiwi") && script.contains("balances"),
            "{shell}"
        );
    }
    let script = qiwi(&["completions", "bash"], &[]).stdout;
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin.take().unwrap().write_all(&script).unwrap();
    let checked = bash.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}
