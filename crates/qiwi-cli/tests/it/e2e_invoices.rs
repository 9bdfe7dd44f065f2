//! Invoices and P2P keys against one `qiwi sandbox serve`: paying an invoice moves the balance
//! and the history by its amount, and the exit code tells paid (0), not paid (7) and unknown
//! (8); the P2P secret key is printed only where it is asked for, never in the logs.

use std::process::Output;

use crate::program;

use qiwi_types::Decimal;
use serde_json::Value;

/// A served sandbox and the demo wallet's settings.
struct Served {
    _served: program::Served,
    env: Vec<(&'static str, String)>,
}

fn serve(more: &[&str]) -> Served {
    let served = program::Served::start(more);
    Served {
        env: served.wallet_env(),
        _served: served,
    }
}

impl Served {
    fn run(&self, args: &[&str]) -> Output {
        program::qiwi_owned(args, &self.env)
    }

    /// `qiwi --json ARGS`, which must succeed: its document.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let output = self.run(&all);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            program::stderr(&output)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }

    fn invoices(&self) -> Vec<Value> {
        self.json(&["wallet", "invoices", "--all"])["invoices"]
            .as_array()
            .unwrap()
            .clone()
    }

    fn rub(&self) -> Decimal {
        let accounts = self.json(&["wallet", "accounts"]);
        let rub = accounts["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["alias"] == "qw_wallet_rub")
            .unwrap()
            .clone();
        decimal(&rub["balance"]["amount"])
    }

    fn newest_payment(&self) -> Value {
        self.json(&["wallet", "history", "--rows", "1"])["payments"][0].clone()
    }

    fn pay(&self, id: &str) -> (Option<i32>, Value) {
        let output = self.run(&["--json", "wallet", "pay-invoice", id, "--yes"]);
        let document = if output.stdout.is_empty() {
            serde_json::from_str(program::stderr(&output).lines().last().unwrap()).unwrap()
        } else {
            serde_json::from_slice(&output.stdout).unwrap()
        };
        (output.status.code(), document)
    }
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn id(invoice: &Value) -> String {
    invoice["id"].to_string()
}

#[test]
fn paying_an_invoice_changes_the_balance_and_the_history_by_its_amount() {
    let served = serve(&[]);
    let invoices = served.invoices();
    assert_eq!(invoices.len(), 7);
    let invoice = &invoices[0];
    let amount = decimal(&invoice["amount"]);
    let before = served.rub();

    let (code, report) = served.pay(&id(invoice));
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["outcome"], "paid");
    assert_eq!(report["money_moved"], true);
    assert_eq!(report["invoice_status"], "PAID_STATUS");
    assert_eq!(decimal(&report["amount"]), amount);

    assert_eq!(served.rub(), before - amount);
    let payment = served.newest_payment();
    assert_eq!(payment["type"], "OUT", "{payment}");
    assert_eq!(payment["status"], "SUCCESS");
    assert_eq!(decimal(&payment["sum"]["amount"]), amount);
    assert_eq!(payment["comment"], invoice["comment"]);
    let left: Vec<String> = served.invoices().iter().map(id).collect();
    assert_eq!(left.len(), 6);
    assert!(!left.contains(&id(invoice)));

    // Paid once: paying it again is not a payment (7), and nothing moves.
    let (again, document) = served.pay(&id(invoice));
    assert_eq!(again, Some(7), "{document}");
    assert_eq!(document["money_moved"], false);
    assert_eq!(served.rub(), before - amount);
}

#[test]
fn a_refused_invoice_payment_exits_7_and_a_lost_answer_exits_8() {
    let served = serve(&[]);
    let before = served.rub();
    let invoices = served.invoices();
    let large = invoices
        .iter()
        .find(|i| decimal(&i["amount"]) > before)
        .unwrap();
    let (code, report) = served.pay(&id(large));
    assert_eq!(code, Some(7), "{report}");
    assert_eq!(
        (report["outcome"].as_str(), report["result"].as_str()),
        (Some("not_paid"), Some("refused"))
    );
    assert_eq!(served.rub(), before);

    // The answer is lost after the payment went through: the invoice is no longer listed,
    // so the program cannot say it was not paid.
    let fault = r#"{"route":"wallet.invoices.pay","fault":"dropAnswer","times":1}"#;
    let lossy = serve(&["--fault", fault]);
    let before = lossy.rub();
    let invoice = lossy.invoices()[0].clone();
    let (code, report) = lossy.pay(&id(&invoice));
    assert_eq!(code, Some(8), "{report}");
    assert_eq!(report["outcome"], "unknown");
    assert_eq!(report["money_moved"], Value::Null);
    assert_eq!(lossy.rub(), before - decimal(&invoice["amount"]));
}

#[test]
fn rejecting_an_invoice_removes_it_and_a_missing_one_is_refused() {
    let served = serve(&[]);
    let invoice = served.invoices()[2].clone();
    let before = served.rub();
    let rejected = served.json(&["wallet", "reject-invoice", &id(&invoice)]);
    assert_eq!(rejected["result"], "rejected");
    assert!(!served.invoices().iter().any(|i| i["id"] == invoice["id"]));
    assert_eq!(served.rub(), before);
    let again = served.run(&["wallet", "reject-invoice", &id(&invoice)]);
    assert_eq!(again.status.code(), Some(4), "{}", program::stderr(&again));
    let bad = served.run(&["wallet", "reject-invoice", "12a"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn pay_invoice_asks_before_paying_and_checks_its_id_before_sending() {
    let served = serve(&[]);
    let first = id(&served.invoices()[0]);
    let before = served.rub();
    let not_asked = served.run(&["wallet", "pay-invoice", &first]);
    assert_eq!(
        not_asked.status.code(),
        Some(2),
        "{}",
        program::stderr(&not_asked)
    );
    let unknown = served.run(&["wallet", "pay-invoice", "42", "--yes"]);
    assert_eq!(
        unknown.status.code(),
        Some(7),
        "{}",
        program::stderr(&unknown)
    );
    let bad = served.run(&["wallet", "pay-invoice", "x1", "--yes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(served.rub(), before);
    assert_eq!(served.invoices().len(), 7);
}

#[test]
fn a_p2p_secret_key_is_printed_only_where_asked_and_never_logged() {
    let served = serve(&[]);
    // Not a terminal and not asked for: nothing is created.
    let refused = served.run(&["wallet", "p2p-keys", "create", "shop"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        program::stderr(&refused)
    );
    assert!(program::stdout(&refused).is_empty());

    let mut env = served.env.clone();
    env.push(("RUST_LOG", "trace".into()));
    let args = [
        "-vv",
        "--json",
        "wallet",
        "p2p-keys",
        "create",
        "shop",
        "--notify-url",
        "https://example.com/qiwi",
    ];
    let output = program::qiwi_owned(&args, &env);
    assert!(output.status.success(), "{}", program::stderr(&output));
    let keys: Value = serde_json::from_slice(&output.stdout).unwrap();
    let secret = keys["secret_key"].as_str().unwrap();
    assert!(!secret.is_empty() && keys["public_key"].as_str().is_some());
    let logs = program::stderr(&output);
    assert!(logs.contains("E36"), "no trace of the call: {logs}");
    assert!(!logs.contains(secret), "{logs}");

    let shown = served.run(&["wallet", "p2p-keys", "create", "other", "--show-secret"]);
    assert!(shown.status.success(), "{}", program::stderr(&shown));
    assert!(
        program::stdout(&shown).contains("secret  sk-"),
        "{}",
        program::stdout(&shown)
    );
}

/// The variables that point `qiwi` at `server` as the wallet's service.
fn wallet_env(server: &wiremock::MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_BASE_URL", server.uri()),
        ("QIWI_TOKEN", "t0ken-for-the-test".to_owned()),
        ("QIWI_WALLET", "79111234567".to_owned()),
    ]
}

/// Serves the list of unpaid invoices (E37) at `server` with `answer`.
async fn serve_list(server: &wiremock::MockServer, answer: impl wiremock::Respond + 'static) {
    wiremock::Mock::given(wiremock::matchers::path("/checkout-api/api/bill/search"))
        .respond_with(answer)
        .mount(server)
        .await;
}

#[tokio::test]
async fn an_invoice_cannot_rewrite_the_line_shown_before_paying_it() {
    // A merchant whose comment returns to the start of the line and clears it, then shows a
    // smaller amount.
    let disguise = "\r\u{1b}[2Kpaying invoice 7: 0.01 RUB to Shop";
    let server = wiremock::MockServer::start().await;
    let bill = serde_json::json!({
        "id": 7, "creation_datetime": 1_700_000_000_000_i64,
        "sum": {"currency": 643, "amount": 120}, "status": "READY_FOR_PAY", "type": "MERCHANT",
        "provider": {"id": 1, "short_name": "Shop\u{1b}[8m"}, "comment": disguise
    });
    serve_list(
        &server,
        wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"bills": [bill]})),
    )
    .await;
    wiremock::Mock::given(wiremock::matchers::path("/checkout-api/invoice/pay/wallet"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"invoice_status": "PAID_STATUS"})),
        )
        .mount(&server)
        .await;
    let env = wallet_env(&server);
    let output = program::qiwi_async(&["wallet", "pay-invoice", "7", "--yes"], &env).await;
    let stderr = program::stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains(['\r', '\u{1b}']),
        "a control character reached the terminal: {stderr:?}"
    );
    assert!(stderr.contains("120"), "{stderr}");
    // Nor can it in the list the owner chooses from.
    let listed = program::qiwi_async(&["wallet", "invoices"], &env).await;
    let stdout = program::stdout(&listed);
    assert!(listed.status.success(), "{}", program::stderr(&listed));
    assert!(
        stdout.contains("0.01 RUB") && !stdout.contains(['\r', '\u{1b}']),
        "{stdout:?}"
    );
}

/// Runs `pay-invoice 7 --yes` against a list of the one invoice `sum` and no payment route;
/// returns the exit code, stderr, and whether anything but the list was asked.
async fn pay_listed(sum: serde_json::Value) -> (Option<i32>, String, bool) {
    let server = wiremock::MockServer::start().await;
    let bill = serde_json::json!({
        "id": 7, "creation_datetime": 1_700_000_000_000_i64,
        "sum": sum, "status": "READY_FOR_PAY", "type": "MERCHANT"
    });
    serve_list(
        &server,
        wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"bills": [bill]})),
    )
    .await;
    let env = wallet_env(&server);
    let output = program::qiwi_async(&["wallet", "pay-invoice", "7", "--yes"], &env).await;
    let requests = server.received_requests().await.unwrap();
    let sent = requests.iter().any(|r| r.method.as_str() != "GET");
    (output.status.code(), program::stderr(&output), sent)
}

#[tokio::test]
async fn an_invoice_listed_with_an_absurd_amount_is_not_paid() {
    // Not positive; beyond any decimal; more decimal places than one holds; no number at all.
    let digits30 = format!("0.{}1", "0".repeat(29));
    for amount in ["-120", "0", "1e400", &digits30, "сто"] {
        let (code, stderr, sent) =
            pay_listed(serde_json::json!({"currency": 643, "amount": amount})).await;
        assert_eq!(code, Some(7), "{amount}: {stderr}");
        assert!(stderr.contains("nothing was sent"), "{stderr}");
        assert!(!sent, "{amount}: a payment was sent");
    }
}

#[tokio::test]
async fn an_invoice_currency_cannot_rewrite_the_line_shown_before_paying_it() {
    let disguise = "\r\u{1b}[2Kpaying invoice 7: 0.01 RUB";
    let (code, stderr, sent) =
        pay_listed(serde_json::json!({"currency": disguise, "amount": 120})).await;
    // A currency without a numeric code cannot be paid in.
    assert_eq!(code, Some(7), "{stderr}");
    assert!(!sent);
    assert!(
        !stderr.contains(['\r', '\u{1b}']),
        "a control character reached the terminal: {stderr:?}"
    );
}

#[tokio::test]
async fn pay_invoice_stops_searching_a_list_that_never_ends() {
    // Every page is full and lists 50 invoices older than the cursor: the list never ends,
    // and the invoice asked for is not in it. Past 200 pages the server fails, so that a
    // search without an end fails this test rather than hangs it.
    let server = wiremock::MockServer::start().await;
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let answer = move |request: &wiremock::Request| {
        if pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 200 {
            return wiremock::ResponseTemplate::new(400);
        }
        let below: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "next_id")
            .map_or(u64::MAX / 2, |(_, v)| v.parse().unwrap());
        let bills: Vec<Value> = (0..50)
            .map(|n| {
                serde_json::json!({
                    "id": below - n, "creation_datetime": 1_700_000_000_000_i64,
                    "sum": {"currency": 643, "amount": 1}, "status": "READY_FOR_PAY",
                    "type": "MERCHANT"
                })
            })
            .collect();
        wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({"bills": bills}))
    };
    serve_list(&server, answer).await;
    let env = wallet_env(&server);
    let output = program::qiwi_async(&["wallet", "pay-invoice", "7", "--yes"], &env).await;
    let stderr = program::stderr(&output);
    assert_eq!(output.status.code(), Some(7), "{stderr}");
    assert!(
        stderr.contains("among the first 5000 listed (nothing was sent)"),
        "{stderr}"
    );
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.method.as_str() == "GET"));
    // 5000 invoices, 49 new to a page after the first (each repeats the cursor's).
    assert!(requests.len() <= 103, "{} pages read", requests.len());
}
