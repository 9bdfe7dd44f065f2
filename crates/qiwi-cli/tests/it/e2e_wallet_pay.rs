//! `qiwi wallet pay wallet` against one sandbox over loopback (in process, or one
//! `qiwi sandbox serve`): the balances, the history and the exit code agree on what became of
//! each payment.

use crate::common;
use crate::program;

use std::process::Output;
use std::time::Duration;

use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_wallet::{Decimal, SecretString, WalletClient};
use serde_json::Value;

pub(crate) async fn sandbox() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// The settings of a wallet of the sandbox at `base_url`.
fn env(base_url: String, token: &str, wallet: &str) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_BASE_URL", base_url),
        ("QIWI_TOKEN", token.into()),
        ("QIWI_WALLET", wallet.into()),
    ]
}

pub(crate) fn first(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    env(sandbox.base_url(), demo::QIWI_TOKEN, demo::QIWI_WALLET)
}

pub(crate) fn second(sandbox: &Sandbox) -> Vec<(&'static str, String)> {
    env(
        sandbox.base_url(),
        demo::QIWI_SECOND_TOKEN,
        demo::QIWI_SECOND_WALLET,
    )
}

/// `qiwi --json wallet pay wallet TO --amount AMOUNT --yes ...` with `env`.
async fn pay(to: &str, amount: &str, more: &[&str], env: Vec<(&'static str, String)>) -> Output {
    let mut args = vec!["--json", "wallet", "pay", "wallet", to, "--amount", amount];
    args.extend_from_slice(more);
    program::qiwi_async(&args, &env).await
}

pub(crate) fn report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", program::stderr(output));
    })
}

pub(crate) fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

/// A wallet's RUB balance, as the sandbox's E10 shows it.
pub(crate) async fn rub(sandbox: &Sandbox, token: &str, wallet: &str) -> Decimal {
    balance(sandbox, token, wallet, "qw_wallet_rub")
        .await
        .expect("a rouble account")
}

/// A wallet's balance on the account `alias`, as the sandbox's E10 shows it; `None` without
/// such an account.
pub(crate) async fn balance(
    sandbox: &Sandbox,
    token: &str,
    wallet: &str,
    alias: &str,
) -> Option<Decimal> {
    let client = WalletClient::builder()
        .token(SecretString::from(token.to_owned()))
        .wallet(wallet.parse().unwrap())
        .base_url(sandbox.base_url())
        .allow_http(true)
        .retry(common::fast_retry())
        .timeouts(common::tight_timeouts())
        .build()
        .unwrap();
    let accounts = client.list_accounts().await.unwrap();
    let account = accounts.get(alias)?;
    Some(account.balance.money().unwrap().amount)
}

/// A wallet's RUB balance, as `qiwi --json wallet accounts` prints it with `env`.
async fn printed_rub(env: &[(&'static str, String)]) -> Decimal {
    let output = program::qiwi_async(&["--json", "wallet", "accounts"], env).await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let accounts = report(&output);
    let rub = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == "qw_wallet_rub")
        .unwrap_or_else(|| panic!("a rouble account: {accounts}"));
    decimal(&rub["balance"]["amount"])
}

/// The payment with the transaction id `txn` among the newest that
/// `qiwi --json wallet history` prints with `env`.
async fn listed(env: &[(&'static str, String)], txn: &Value) -> Value {
    let output = program::qiwi_async(&["--json", "wallet", "history", "--rows", "5"], env).await;
    assert!(output.status.success(), "{}", program::stderr(&output));
    let history = report(&output);
    let payments = history["payments"].as_array().unwrap();
    let found = payments.iter().find(|p| &p["txn_id"] == txn);
    found.cloned().unwrap_or_else(|| panic!("{txn}: {history}"))
}

/// The report of a command that must have exited with `code`.
fn exited(output: &Output, code: i32) -> Value {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        program::stderr(output)
    );
    report(output)
}

/// As a user runs it, against one `qiwi sandbox serve` with its printed credentials: the demo
/// wallet pays 10.50 RUB to the second one (exit 0), then more than it holds (exit 7), then
/// a payment whose answer is lost and whose history cannot be read (exit 8).
#[tokio::test(flavor = "multi_thread")]
async fn with_one_sandbox_serve_the_demo_wallet_pays_the_second_and_exits_0_7_and_8() {
    let served = program::Served::start(&[]);
    let payer = served.wallet_env();
    assert_eq!(payer[2].1, demo::QIWI_WALLET, "the printed wallet pays");
    let payee = env(
        served.text("/base_url"),
        demo::QIWI_SECOND_TOKEN,
        demo::QIWI_SECOND_WALLET,
    );
    let payer_before = printed_rub(&payer).await;
    let payee_before = printed_rub(&payee).await;
    let follow = ["--yes", "--interval", "1"];

    let output = pay(demo::QIWI_SECOND_WALLET, "10.50", &follow, payer.clone()).await;
    let paid = exited(&output, 0);
    assert_eq!(
        (paid["outcome"].as_str(), paid["result"].as_str()),
        (Some("paid"), Some("success")),
        "{paid}"
    );
    assert_eq!(paid["money_moved"], true);
    let (amount, withdraw) = (decimal(&paid["amount"]), decimal(&paid["withdraw"]));
    assert_eq!(amount, Decimal::new(1050, 2));
    assert_eq!(withdraw, amount + decimal(&paid["commission"]));
    let payer_after = printed_rub(&payer).await;
    assert_eq!(payer_before - payer_after, withdraw);
    assert_eq!(printed_rub(&payee).await - payee_before, amount);

    let debit = listed(&payer, &paid["transaction"]).await;
    assert_eq!(debit["type"], "OUT");
    assert_eq!(debit["status"], "SUCCESS");
    assert_eq!(debit["trm_txn_id"], paid["payment_id"]);
    assert_eq!(decimal(&debit["sum"]["amount"]), amount);

    // More than the wallet holds: refused, nothing moved.
    let output = pay(demo::QIWI_SECOND_WALLET, "5000", &follow, payer.clone()).await;
    let refused = exited(&output, 7);
    assert_eq!(
        (refused["outcome"].as_str(), &refused["money_moved"]),
        (Some("not_paid"), &Value::Bool(false)),
        "{refused}"
    );
    assert_eq!(printed_rub(&payer).await, payer_after);

    // The answer is lost after the payment was made and the history cannot be read: unknown,
    // never "not paid"; the wallet was debited once.
    let faults = r#"[{"route":"wallet.pay","fault":"dropAnswer","times":1},
        {"route":"wallet.history.payments","fault":"status","status":403}]"#;
    served.admin("/__sandbox/faults", Some(faults));
    let output = pay(demo::QIWI_SECOND_WALLET, "1.25", &follow, payer.clone()).await;
    let unknown = exited(&output, 8);
    assert_eq!(
        (unknown["outcome"].as_str(), &unknown["money_moved"]),
        (Some("unknown"), &Value::Null),
        "{unknown}"
    );
    assert_eq!(
        payer_after - printed_rub(&payer).await,
        decimal(&unknown["withdraw"])
    );
    let hits = served.admin("/__sandbox/requests", None);
    assert_eq!(hits["routes"]["wallet.pay"], 3, "each payment sent once");
}

#[tokio::test(flavor = "multi_thread")]
async fn paying_from_the_second_wallet_moves_exactly_the_amounts_shown_and_is_in_the_history() {
    let sb = sandbox().await;
    let payer_before = rub(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    let payee_before = rub(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET).await;
    let output = pay(
        demo::QIWI_WALLET,
        "10.50",
        &["--yes", "--interval", "1"],
        second(&sb),
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        program::stderr(&output)
    );
    let report = report(&output);
    assert_eq!(report["outcome"], "paid");
    assert_eq!(report["money_moved"], true);
    assert_eq!(decimal(&report["amount"]), Decimal::new(1050, 2));
    assert!(
        program::stderr(&output).contains("commission"),
        "the quote is shown first"
    );
    sb.advance_clock(SandboxConfig::default().processing_delay);
    let payer_after = rub(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    let payee_after = rub(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET).await;
    assert_eq!(payer_before - payer_after, decimal(&report["withdraw"]));
    assert_eq!(payee_after - payee_before, decimal(&report["amount"]));

    // The second wallet's token serves balances and payments only: the payee's history shows it.
    let credit = listed(&first(&sb), &report["transaction"]).await;
    assert_eq!(credit["type"], "IN");
    assert_eq!(
        decimal(&credit["sum"]["amount"]),
        decimal(&report["amount"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_payment_exits_7_and_says_no_money_moved() {
    let sb = sandbox().await;
    // More than the demo wallet's 1008.74 RUB.
    let output = pay(demo::QIWI_SECOND_WALLET, "2000.00", &["--yes"], first(&sb)).await;
    assert_eq!(
        output.status.code(),
        Some(7),
        "{}",
        program::stderr(&output)
    );
    let report = report(&output);
    assert_eq!(report["outcome"], "not_paid");
    assert_eq!(report["money_moved"], false);
    assert_eq!(report["result"], "refused");
    assert_eq!(
        rub(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET)
            .await
            .to_string(),
        "1008.74"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_found_in_the_history_and_never_said_not_paid() {
    let sb = sandbox().await;
    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    let output = pay(
        demo::QIWI_SECOND_WALLET,
        "1.25",
        &["--yes", "--no-confirm"],
        first(&sb),
    )
    .await;
    // Not followed: accepted is not final, so pending.
    assert_eq!(
        output.status.code(),
        Some(8),
        "{}",
        program::stderr(&output)
    );
    let report = report(&output);
    assert_eq!(report["money_moved"], Value::Null);
    assert_eq!(report["result"], "accepted", "{report}");
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .contains("history lists")
    );
    assert_eq!(sb.hits("wallet.pay"), 1, "sent once");
    assert_eq!(
        rub(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET)
            .await
            .to_string(),
        "1007.49"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_yes_off_a_terminal_nothing_is_sent_and_it_exits_2() {
    let sb = sandbox().await;
    let output = pay(demo::QIWI_SECOND_WALLET, "1.25", &[], first(&sb)).await;
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        program::stderr(&output)
    );
    assert!(program::stderr(&output).contains("--yes"));
    assert_eq!(sb.hits("wallet.pay"), 0);
    assert_eq!(sb.hits("wallet.commission"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_is_followed_to_success_with_progress_on_stderr() {
    let sb = qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(Duration::ZERO))
        .await
        .unwrap();
    let output = pay(demo::QIWI_SECOND_WALLET, "1.25", &["--yes"], first(&sb)).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        program::stderr(&output)
    );
    assert_eq!(report(&output)["result"], "success");
    assert!(program::stderr(&output).contains("following payment"));
}

/// `qiwi wallet pay wallet TO --amount 1.25` on a terminal (util-linux `script` gives it one),
/// answering `answer` at the prompt.
#[cfg(target_os = "linux")]
async fn pay_on_a_terminal(sb: &Sandbox, answer: &'static str) -> Output {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let line = format!(
        "{} wallet pay wallet {} --amount 1.25 --interval 1",
        env!("CARGO_BIN_EXE_qiwi"),
        demo::QIWI_SECOND_WALLET
    );
    let env = first(sb);
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux script runs");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(answer.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_the_prompt_decides_after_the_quote() {
    let sb = sandbox().await;
    let declined = pay_on_a_terminal(&sb, "n\n").await;
    assert_eq!(
        declined.status.code(),
        Some(7),
        "{}",
        program::stdout(&declined)
    );
    assert!(program::stdout(&declined).contains("pay? [y/N]"));
    assert_eq!(sb.hits("wallet.commission"), 1, "the quote comes first");
    assert_eq!(sb.hits("wallet.pay"), 0, "declined: nothing sent");

    let accepted = pay_on_a_terminal(&sb, "y\n").await;
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        program::stdout(&accepted)
    );
    assert_eq!(sb.hits("wallet.pay"), 1);
}
