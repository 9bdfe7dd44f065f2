//! `qiwi wallet pay mobile|card|bank|requisites|service`, `qiwi wallet convert` and `qiwi
//! wallet providers search` against one sandbox over loopback: each payment moves the balances
//! by exactly the amounts it showed, card numbers never appear whole, bad input is refused
//! before any request, and the exit code tells paid, not moved and unknown apart.

use crate::e2e_wallet_pay::{balance, decimal, first, report, rub, second};
use crate::program;

use std::process::Output;
use std::time::Duration;

use qiwi_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, demo};
use qiwi_wallet::Decimal;
use serde_json::Value;

const CARD: &str = "4256123412341235";
const HOUR: Duration = Duration::from_secs(3600);

/// A sandbox whose payments settle as soon as they are accepted: following one ends at its
/// first status check.
async fn settling() -> Sandbox {
    qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(Duration::ZERO))
        .await
        .unwrap()
}

/// `qiwi --json wallet ARGS` with `env`.
async fn wallet(args: &[&str], env: Vec<(&'static str, String)>) -> Output {
    let mut all = vec!["--json", "wallet"];
    all.extend_from_slice(args);
    program::qiwi_async(&all, &env).await
}

/// Everything the program wrote.
fn text(output: &Output) -> String {
    format!("{}{}", program::stdout(output), program::stderr(output))
}

/// `qiwi --json wallet pay ARGS --yes` from the second wallet: it must exit 0,
/// paid, with the rouble balance down by exactly the `withdraw` shown, which is the amount
/// plus the commission shown. Returns the report and everything the program wrote.
async fn paid_from_second(sb: &Sandbox, args: &[&str]) -> (Value, String) {
    let before = rub(sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    let mut all = vec!["pay"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--yes", "--interval", "1"]);
    let output = wallet(&all, second(sb)).await;
    assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "paid", "{report}");
    assert_eq!(report["result"], "success", "{report}");
    assert_eq!(report["money_moved"], true);
    let after = rub(sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    assert_eq!(before - after, decimal(&report["withdraw"]), "{report}");
    if report["amount_currency"] == report["currency"] {
        assert_eq!(
            decimal(&report["withdraw"]),
            decimal(&report["amount"]) + decimal(&report["commission"]),
            "{report}"
        );
    }
    let text = text(&output);
    assert!(text.contains("commission"), "the quote is shown: {text}");
    (report, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_mobile_finds_the_operator_by_the_number_and_moves_exactly_the_amounts_shown() {
    let sb = settling().await;
    let (report, _) =
        paid_from_second(&sb, &["mobile", "+79161112233", "--amount", "100.50"]).await;
    assert_eq!(report["kind"], "mobile");
    assert_eq!(report["recipient"], "9161112233");
    assert_eq!(report["provider_id"], 1, "E35 names МТС for 916");
    assert_eq!(sb.hits("wallet.providers.mobile"), 1);

    let (report, _) = paid_from_second(
        &sb,
        &["mobile", "9031112233", "--provider", "2", "--amount", "10"],
    )
    .await;
    assert_eq!(report["provider_id"], 2);
    assert_eq!(
        sb.hits("wallet.providers.mobile"),
        1,
        "--provider: no lookup"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_card_finds_the_provider_masks_the_number_and_moves_exactly_the_amounts_shown() {
    let sb = settling().await;
    let (report, written) = paid_from_second(&sb, &["card", CARD, "--amount", "1000"]).await;
    assert_eq!(report["provider_id"], 1963, "E27: a Visa card");
    assert_eq!(report["recipient"], "425612******1235");
    assert_eq!(decimal(&report["commission"]), Decimal::from(50));
    assert!(!written.contains(CARD), "{written}");
    assert_eq!(sb.hits("wallet.card-provider"), 1);

    let (report, written) = paid_from_second(
        &sb,
        &[
            "card",
            "2200123412341236",
            "--provider",
            "31652",
            "--amount",
            "100",
        ],
    )
    .await;
    assert_eq!(report["provider_id"], 31652);
    assert!(!written.contains("2200123412341236"), "{written}");
    assert_eq!(sb.hits("wallet.card-provider"), 1, "--provider: no lookup");

    let (report, written) = paid_from_second(
        &sb,
        &[
            "card",
            "4400123412341230",
            "--kazakhstan",
            "--comment",
            "rent",
            "--amount",
            "1000",
        ],
    )
    .await;
    assert_eq!(report["provider_id"], 27292);
    assert_eq!(report["amount_currency"]["code"], "KZT");
    assert_eq!(
        decimal(&report["withdraw"]),
        Decimal::from(230),
        "0.18 RUB a tenge, 50 commission"
    );
    assert!(!written.contains("4400123412341230"), "{written}");
    assert_eq!(sb.hits("wallet.kz-card-prepare"), 1);

    // The history echoes the cards masked too.
    let history = wallet(&["history", "--rows", "10"], second(&sb)).await;
    assert!(history.status.success(), "{}", text(&history));
    let history = program::stdout(&history);
    assert!(history.contains("4256********1235"), "{history}");
    for card in [CARD, "2200123412341236", "4400123412341230"] {
        assert!(!history.contains(card), "{history}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_bank_by_card_account_and_contract_moves_exactly_the_amounts_shown() {
    let sb = settling().await;
    let (report, written) = paid_from_second(
        &sb,
        &[
            "bank", "--bank", "464", "--card", CARD, "--expiry", "0427", "--amount", "10",
        ],
    )
    .await;
    assert_eq!(report["provider_id"], 464);
    assert!(!written.contains(CARD), "{written}");
    let person = [
        "--bik",
        "044525225",
        "--last-name",
        "Ivanov",
        "--first-name",
        "Ivan",
    ];
    let mut account = vec!["bank", "--bank", "870", "--account", "40817810099910004312"];
    account.extend_from_slice(&person);
    account.extend_from_slice(&["--urgent", "--amount", "20"]);
    let (report, _) = paid_from_second(&sb, &account).await;
    assert_eq!(report["provider_id"], 870);
    let mut contract = vec!["bank", "--bank", "816", "--contract", "2041557"];
    contract.extend_from_slice(&person);
    contract.extend_from_slice(&["--amount", "30"]);
    let (report, _) = paid_from_second(&sb, &contract).await;
    assert_eq!(report["recipient"], "2041557 at bank 816");
}

#[tokio::test(flavor = "multi_thread")]
async fn pay_requisites_moves_exactly_the_amounts_shown() {
    let sb = settling().await;
    let (report, _) = paid_from_second(
        &sb,
        &[
            "requisites",
            "--bank-name",
            "ПАО Сбербанк",
            "--bik",
            "044525225",
            "--city",
            "Москва",
            "--company",
            "ООО Ромашка",
            "--inn",
            "7707083893",
            "--kpp",
            "773601001",
            "--account",
            "40702810938000000001",
            "--vat",
            "included",
            "--purpose",
            "Оплата по счету 17",
            "--payer-last-name",
            "Иванов",
            "--payer-first-name",
            "Иван",
            "--amount",
            "1500.25",
        ],
    )
    .await;
    assert_eq!(report["provider_id"], 1717);
    assert_eq!(report["kind"], "requisites");
}

#[tokio::test(flavor = "multi_thread")]
async fn providers_search_lists_the_ids_that_pay_service_pays() {
    let sb = settling().await;
    let found = wallet(&["providers", "search", "onlime"], second(&sb)).await;
    assert!(found.status.success(), "{}", text(&found));
    let found = report(&found);
    assert_eq!(found["providers"][0]["id"], "674", "{found}");
    assert_eq!(found["providers"][0]["name"], "OnLime");
    let id = found["providers"][0]["id"].as_str().unwrap().to_owned();
    let (paid, _) = paid_from_second(&sb, &["service", &id, "111000", "--amount", "5"]).await;
    assert_eq!(paid["provider_id"], 674);

    let none = wallet(&["providers", "search", "nothing", "matches"], second(&sb)).await;
    assert!(none.status.success(), "{}", text(&none));
    assert_eq!(report(&none)["providers"], Value::Array(Vec::new()));
}

#[tokio::test(flavor = "multi_thread")]
async fn convert_credits_the_usd_account_by_the_cross_rate_shown() {
    let sb = settling().await;
    let (token, number) = (demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET);
    let usd_before = balance(&sb, token, number, "qw_wallet_usd").await;
    let before = rub(&sb, token, number).await;
    let all = [
        "convert",
        "--from",
        "RUB",
        "--to",
        "USD",
        "--amount",
        "2.50",
        "--yes",
        "--interval",
        "1",
    ];
    let output = wallet(&all, second(&sb)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let report = report(&output);
    assert_eq!(report["outcome"], "paid");
    assert_eq!(report["amount_currency"]["code"], "USD");
    assert!(program::stderr(&output).contains("cross rate: 1 USD = 90 RUB"));

    // The rate shown is E24's, and the roubles taken are the dollars at that rate.
    let rates = wallet(&["rates"], second(&sb)).await;
    let listed = report_rate(&rates);
    assert_eq!(report["rate"]["rate"], listed, "{report}");
    let rate = decimal(&report["rate"]["rate"]);
    let after = rub(&sb, token, number).await;
    assert_eq!(before - after, decimal(&report["withdraw"]));
    assert_eq!(decimal(&report["withdraw"]), Decimal::new(250, 2) * rate);
    let usd_after = balance(&sb, token, number, "qw_wallet_usd").await;
    assert_eq!(
        usd_after.unwrap_or_default() - usd_before.unwrap_or_default(),
        decimal(&report["amount"])
    );
}

/// The USD to RUB rate `qiwi --json wallet rates` lists.
fn report_rate(output: &Output) -> Value {
    report(output)["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from_currency"]["code"] == "USD" && r["to_currency"]["code"] == "RUB")
        .map(|r| r["rate"].clone())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_card_payment_exits_0_paid_7_not_moved_and_8_unknown() {
    let sb = settling().await;
    paid_from_second(&sb, &["card", CARD, "--amount", "100"]).await;

    // 2000 RUB and its commission from a wallet of 1008.74 RUB: refused, nothing moved.
    let refused = wallet(
        &["pay", "card", CARD, "--amount", "2000", "--yes"],
        first(&sb),
    )
    .await;
    assert_eq!(refused.status.code(), Some(7), "{}", text(&refused));
    let refused_report = report(&refused);
    assert_eq!(refused_report["outcome"], "not_paid");
    assert_eq!(refused_report["money_moved"], false);
    assert_eq!(refused_report["result"], "refused");
    assert_eq!(
        rub(&sb, demo::QIWI_TOKEN, demo::QIWI_WALLET).await,
        Decimal::new(100_874, 2)
    );

    // The answer is lost after the payment was made and the history cannot be read: unknown,
    // never "not paid"; the sandbox counts one payment and one debit.
    let before = rub(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    let pays = sb.hits("wallet.pay");
    sb.add_fault(FaultRule::new("wallet.pay", Fault::DropAnswer).times(1));
    sb.add_fault(FaultRule::new(
        "wallet.history.payments",
        Fault::Status {
            status: 403,
            retry_after: None,
        },
    ));
    let unknown = wallet(
        &["pay", "card", CARD, "--amount", "100", "--yes"],
        second(&sb),
    )
    .await;
    assert_eq!(unknown.status.code(), Some(8), "{}", text(&unknown));
    let unknown_report = report(&unknown);
    assert_eq!(unknown_report["outcome"], "unknown");
    assert_eq!(unknown_report["money_moved"], Value::Null);
    assert_eq!(unknown_report["result"], "unknown");
    assert_eq!(sb.hits("wallet.pay"), pays + 1, "sent once");
    sb.clear_faults();
    let after = rub(&sb, demo::QIWI_SECOND_TOKEN, demo::QIWI_SECOND_WALLET).await;
    assert_eq!(before - after, decimal(&unknown_report["withdraw"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_payment_not_followed_or_still_waiting_is_pending_and_exits_8() {
    let sb = qiwi_sandbox::start(SandboxConfig::default().with_processing_delay(HOUR))
        .await
        .unwrap();
    let pay = ["pay", "mobile", "9161112233", "--amount", "1", "--yes"];
    let mut unfollowed = pay.to_vec();
    unfollowed.push("--no-confirm");
    let accepted = wallet(&unfollowed, second(&sb)).await;
    assert_eq!(accepted.status.code(), Some(8), "{}", text(&accepted));
    let accepted = report(&accepted);
    assert_eq!(accepted["result"], "accepted");
    assert_eq!(accepted["outcome"], "unknown");
    assert_eq!(accepted["money_moved"], Value::Null);
    assert!(accepted["message"].as_str().unwrap().contains("not final"));

    let mut follow = pay.to_vec();
    follow.extend_from_slice(&["--interval", "1", "--wait", "1"]);
    let waiting = wallet(&follow, second(&sb)).await;
    assert_eq!(waiting.status.code(), Some(8), "{}", text(&waiting));
    assert!(program::stderr(&waiting).contains("every 1 s, for at most 1 s"));
    let waiting = report(&waiting);
    assert_eq!(waiting["result"], "pending");
    assert_eq!(waiting["money_moved"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_anything_is_sent() {
    let sb = settling().await;
    let bank_account = [
        "pay",
        "bank",
        "--bank",
        "870",
        "--account",
        "40817810099910004312",
        "--amount",
        "1",
    ];
    let requisites_without_inn = [
        "pay",
        "requisites",
        "--bank-name",
        "Bank",
        "--bik",
        "044525225",
        "--city",
        "Moscow",
        "--company",
        "Company",
        "--kpp",
        "773601001",
        "--account",
        "40702810938000000001",
        "--vat",
        "none",
        "--purpose",
        "Invoice",
        "--payer-last-name",
        "Ivanov",
        "--payer-first-name",
        "Ivan",
        "--amount",
        "1",
    ];
    let cases: [(&str, &[&str], &str); 15] = [
        (
            "a card number with its last digit mistyped",
            &["pay", "card", "4256123412341236", "--amount", "1"],
            "card number: the check digit of 425612******1236 is wrong",
        ),
        (
            "a Kazakhstan card with two digits swapped",
            &[
                "pay",
                "card",
                "4400123412341203",
                "--kazakhstan",
                "--amount",
                "1",
            ],
            "check digit of 440012******1203 is wrong",
        ),
        (
            "a bank card with a wrong check digit",
            &[
                "pay",
                "bank",
                "--bank",
                "464",
                "--card",
                "4256123412341239",
                "--expiry",
                "0427",
                "--amount",
                "1",
            ],
            "check digit of 425612******1239 is wrong",
        ),
        (
            "a conversion to a currency the wallet has no account in",
            &["convert", "--to", "GBP", "--amount", "1"],
            "GBP",
        ),
        (
            "a service account with a line break",
            &["pay", "service", "674", "12345\n678", "--amount", "1"],
            "account",
        ),
        (
            "a 3-decimal amount",
            &["pay", "card", CARD, "--amount", "10.005"],
            "--amount",
        ),
        (
            "an 11-digit card number",
            &["pay", "card", "42561234123", "--amount", "10"],
            "card number",
        ),
        (
            "a wallet number with letters",
            &["pay", "wallet", "7999123456a", "--amount", "10"],
            "wallet number",
        ),
        ("a missing required field", &requisites_without_inn, "--inn"),
        (
            "an account transfer without the BIK and name",
            &bank_account,
            "--bik",
        ),
        (
            "a bank card without its required expiry",
            &[
                "pay", "bank", "--bank", "464", "--card", CARD, "--amount", "1",
            ],
            "expiry",
        ),
        (
            "a phone of 9 digits",
            &["pay", "mobile", "916111223", "--amount", "1"],
            "phone number",
        ),
        (
            "a suspended foreign card provider",
            &["pay", "card", CARD, "--provider", "1960", "--amount", "1"],
            "suspended",
        ),
        (
            "a conversion from dollars",
            &["convert", "--from", "USD", "--to", "EUR", "--amount", "1"],
            "--from",
        ),
        (
            "--wait with --no-confirm",
            &[
                "pay",
                "card",
                CARD,
                "--amount",
                "1",
                "--no-confirm",
                "--wait",
                "5",
            ],
            "--no-confirm",
        ),
    ];
    for (what, args, named) in cases {
        let mut all = args.to_vec();
        all.push("--yes");
        let output = wallet(&all, second(&sb)).await;
        assert_eq!(output.status.code(), Some(2), "{what}: {}", text(&output));
        assert!(text(&output).contains(named), "{what}: {}", text(&output));
        for card in args.iter().filter(|a| a.len() >= 13 && a.len() <= 19) {
            let digits = card.bytes().all(|b| b.is_ascii_digit());
            assert!(!digits || !text(&output).contains(card), "{what}: echoed");
        }
        let sent: u64 = sb.request_counts().values().sum();
        assert_eq!(sent, 0, "{what}: {:?}", sb.request_counts());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lookup_that_fails_before_paying_exits_7_and_sends_no_payment() {
    let sb = settling().await;
    let refused = Fault::Status {
        status: 403,
        retry_after: None,
    };
    sb.add_fault(FaultRule::new("wallet.providers.mobile", refused.clone()));
    sb.add_fault(FaultRule::new("wallet.card-provider", refused.clone()));
    sb.add_fault(FaultRule::new("wallet.rates", refused));
    let cases: [&[&str]; 3] = [
        &["pay", "mobile", "9161112233", "--amount", "1", "--yes"],
        &["pay", "card", CARD, "--amount", "1", "--yes"],
        &["convert", "--to", "USD", "--amount", "1", "--yes"],
    ];
    for args in cases {
        let output = wallet(args, second(&sb)).await;
        assert_eq!(output.status.code(), Some(7), "{args:?}: {}", text(&output));
        let error: Value =
            serde_json::from_str(program::stderr(&output).lines().last().unwrap_or_default())
                .unwrap();
        assert_eq!(error["money_moved"], false, "{error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("nothing was sent")
        );
    }
    assert_eq!(sb.hits("wallet.pay"), 0);
    assert_eq!(sb.hits("wallet.commission"), 0);
}

/// A wallet's balance on `alias` as `qiwi --json wallet accounts` shows it.
pub(crate) async fn shown_balance(env: Vec<(&'static str, String)>, alias: &str) -> Decimal {
    let output = wallet(&["accounts"], env).await;
    assert!(output.status.success(), "{}", text(&output));
    let accounts = report(&output);
    let account = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["alias"] == alias)
        .unwrap_or_else(|| panic!("{alias}: {accounts}"))
        .clone();
    decimal(&account["balance"]["amount"])
}

#[tokio::test(flavor = "multi_thread")]
async fn with_one_sandbox_serve_each_kind_moves_the_balance_by_the_amounts_shown() {
    let served = crate::program::Served::start(&[]);
    let base = served.text("/base_url");
    let env = || {
        vec![
            ("QIWI_BASE_URL", base.clone()),
            ("QIWI_TOKEN", demo::QIWI_SECOND_TOKEN.to_owned()),
            ("QIWI_WALLET", demo::QIWI_SECOND_WALLET.to_owned()),
        ]
    };
    let kinds: [&[&str]; 4] = [
        &["pay", "mobile", "9161112233", "--amount", "12.34"],
        &["pay", "card", CARD, "--amount", "100"],
        &["pay", "service", "674", "111000", "--amount", "7"],
        &["convert", "--to", "EUR", "--amount", "1.50"],
    ];
    for args in kinds {
        let before = shown_balance(env(), "qw_wallet_rub").await;
        let mut all = args.to_vec();
        all.extend_from_slice(&["--yes", "--interval", "1", "--wait", "30"]);
        let output = wallet(&all, env()).await;
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output));
        let paid = report(&output);
        assert!(!text(&output).contains(CARD));
        let after = shown_balance(env(), "qw_wallet_rub").await;
        assert_eq!(
            before - after,
            decimal(&paid["withdraw"]),
            "{args:?}: {paid}"
        );
    }
    assert_eq!(
        shown_balance(env(), "qw_wallet_eur").await,
        Decimal::new(150, 2)
    );
}
