//! `qiwi wallet cards` against one `qiwi sandbox serve`: five free cards and a sixth that asks
//! for payment; block, unblock and rename round trips; the card's number and CVV in clear only
//! on a terminal; a statement written as bytes, and a window over 90 days never sent; the
//! `--json` documents of the card commands, snapshotted.

use crate::json_contract::plain;
use crate::program;

use qiwi_types::{Decimal, WalletNumber};
use qiwi_wallet::models::CardId;
use qiwi_wallet::{SecretString, WalletClient};
use serde_json::Value;

/// `qiwi --json wallet cards ARGS`: the exit code and the document.
async fn cards(env: &[(&'static str, String)], args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["--json", "wallet", "cards"];
    all.extend_from_slice(args);
    let output = program::qiwi_async(&all, env).await;
    let document = serde_json::from_str(&program::stdout(&output)).unwrap_or(Value::Null);
    (
        output.status.code().unwrap_or(-1),
        document,
        program::stderr(&output),
    )
}

/// The request count of `route` in the served sandbox.
fn hits(served: &program::Served, route: &str) -> u64 {
    served.admin("/__sandbox/requests", None)["routes"][route]
        .as_u64()
        .unwrap_or(0)
}

/// `qiwi wallet cards details ID` on a terminal (util-linux `script` gives it one).
#[cfg(target_os = "linux")]
async fn details_on_a_terminal(env: &[(&'static str, String)], id: &str) -> String {
    let line = format!("{} wallet cards details {id}", env!("CARGO_BIN_EXE_qiwi"));
    let env = env.to_vec();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("util-linux script runs")
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", program::stderr(&output));
    program::stdout(&output)
}

#[tokio::test(flavor = "multi_thread")]
async fn with_one_sandbox_serve_a_sixth_card_asks_for_payment_and_a_card_round_trips() {
    let served = program::Served::start(&[]);
    let env = served.wallet_env();

    for n in 0..5 {
        let (code, order, stderr) = cards(&env, &["order", "prepaid"]).await;
        assert_eq!(code, 0, "card {n}: {stderr}");
        assert_eq!(order["status"], "COMPLETED", "{order}");
        assert!(order["card_id"].is_string(), "{order}");
    }
    let (code, sixth, stderr) = cards(&env, &["order", "qvc-cpa-debit"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(sixth["status"], "PAYMENT_REQUIRED", "{sixth}");
    assert_eq!(sixth["price"]["amount"], "99");
    assert_eq!(sixth["price"]["currency"]["code"], "RUB");
    assert_eq!(sixth["card_id"], Value::Null);
    assert!(stderr.contains("waits for a payment of 99"), "{stderr}");

    let (code, list, _) = cards(&env, &[]).await;
    assert_eq!(code, 0);
    assert_eq!(
        list["cards"].as_array().unwrap().len(),
        5,
        "no card before payment"
    );

    // The program pays the order through the one payment path, and the card is issued.
    let order = sixth["id"].as_str().unwrap();
    assert!(
        stderr.contains(&format!("qiwi wallet pay card-order {order}")),
        "{stderr}"
    );
    let rub = || crate::e2e_pay_kinds::shown_balance(env.clone(), "qw_wallet_rub");
    let before = rub().await;
    let args = [
        "--json",
        "wallet",
        "pay",
        "card-order",
        order,
        "--amount",
        "99",
        "--yes",
    ];
    let paid = program::qiwi_async(&[&args[..], &["--interval", "1"]].concat(), &env).await;
    assert_eq!(paid.status.code(), Some(0), "{}", program::stderr(&paid));
    let paid: Value = serde_json::from_slice(&paid.stdout).unwrap();
    assert_eq!(
        (&paid["outcome"], &paid["kind"]),
        (&Value::from("paid"), &Value::from("card-order"))
    );
    assert_eq!(
        before - rub().await,
        paid["withdraw"]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap()
    );
    let (code, list, _) = cards(&env, &[]).await;
    assert_eq!(code, 0);
    let listed = list["cards"].as_array().unwrap();
    assert_eq!(listed.len(), 6, "the paid order's card is issued");
    let id = listed[0]["qvx"]["id"].as_str().unwrap().to_owned();
    let first = |list: &Value| list["cards"][0]["qvx"].clone();

    let (code, blocked, _) = cards(&env, &["block", &id]).await;
    assert_eq!((code, &blocked["result"]), (0, &Value::from("blocked")));
    assert_eq!(first(&cards(&env, &["list"]).await.1)["status"], "BLOCKED");
    let (code, _, stderr) = cards(&env, &["details", &id]).await;
    assert_eq!(code, 4, "a blocked card's details are refused: {stderr}");
    let (code, unblocked, _) = cards(&env, &["unblock", &id]).await;
    assert_eq!((code, &unblocked["result"]), (0, &Value::from("unblocked")));
    assert_eq!(first(&cards(&env, &["list"]).await.1)["status"], "ACTIVE");
    let (code, _, _) = cards(&env, &["rename", &id, "Покупки"]).await;
    assert_eq!(code, 0);
    assert_eq!(
        first(&cards(&env, &["list"]).await.1)["card_alias"],
        "Покупки"
    );

    // The number and the CVV, as the service gives them, are shown only on a terminal.
    let client = WalletClient::builder()
        .token(SecretString::from(env[1].1.clone()))
        .wallet(WalletNumber::parse(&env[2].1).unwrap())
        .base_url(env[0].1.as_str())
        .allow_http(true)
        .build()
        .unwrap();
    let details = client
        .card_details(&CardId::new(&id).unwrap())
        .await
        .unwrap();
    let (pan, cvv) = details.expose();
    let (pan, cvv) = (pan.unwrap().to_owned(), cvv.unwrap().to_owned());
    let masked = format!("****{}", &pan[pan.len() - 4..]);
    let (code, json, _) = cards(&env, &["details", &id]).await;
    assert_eq!(code, 0);
    assert_eq!(
        (&json["pan"], &json["cvv"]),
        (&Value::from(masked.clone()), &Value::from("***"))
    );
    assert!(!json.to_string().contains(&pan));
    let piped = program::qiwi_async(&["wallet", "cards", "details", &id], &env).await;
    let piped = program::stdout(&piped);
    assert!(piped.contains(&masked) && !piped.contains(&pan), "{piped}");
    #[cfg(target_os = "linux")]
    {
        let shown = details_on_a_terminal(&env, &id).await;
        assert!(shown.contains(&pan) && shown.contains(&cvv), "{shown}");
    }

    let file = std::env::temp_dir().join(format!("qiwi-card-statement-{}.pdf", std::process::id()));
    let path = file.display().to_string();
    let window = [
        "--from",
        "2024-01-01T00:00:00+03:00",
        "--to",
        "2024-03-31T00:00:00+03:00",
    ];
    let mut args = vec!["statement", id.as_str(), "--out", path.as_str()];
    args.extend_from_slice(&window);
    let (code, saved, stderr) = cards(&env, &args).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(saved["content_type"], "application/pdf");
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    std::fs::remove_file(&file).unwrap();
    assert_eq!(hits(&served, "wallet.cards.statement"), 1);
    let too_long = [
        "statement",
        &id,
        "--out",
        &path,
        "--from",
        "2024-01-01T00:00:00+03:00",
        "--to",
        "2024-04-01T00:00:01+03:00",
    ];
    let (code, _, stderr) = cards(&env, &too_long).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("90 days"), "{stderr}");
    assert!(!file.exists());
    assert_eq!(hits(&served, "wallet.cards.statement"), 1, "never sent");
}

/// A time the sandbox wrote, as a placeholder.
fn time() -> insta::internals::Redaction {
    insta::dynamic_redaction(|value, _| {
        let text = value.as_str().unwrap_or_default();
        assert!(text.parse::<jiff::Timestamp>().is_ok(), "{text}");
        "[time]"
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn card_documents_follow_the_json_contract() {
    let served = program::Served::start(&[]);
    let env = served.wallet_env();
    let (_, order, _) = cards(&env, &["order", "prepaid"]).await;
    insta::assert_json_snapshot!("cards_order", plain(&order), { ".id" => "[order id]" });
    let (_, list, _) = cards(&env, &["list"]).await;
    insta::assert_json_snapshot!("cards_list", plain(&list), {
        ".cards[].qvx.activated" => time(),
        ".cards[].qvx.card_expire" => time(),
        ".cards[].qvx.card_expire_month" => "[month]",
        ".cards[].qvx.card_expire_year" => "[year]",
    });
    let (_, details, _) = cards(&env, &["details", "133789472"]).await;
    insta::assert_json_snapshot!("cards_details", plain(&details));
    let (_, blocked, _) = cards(&env, &["block", "133789472"]).await;
    insta::assert_json_snapshot!("cards_block", plain(&blocked));
    let (_, renamed, _) = cards(&env, &["rename", "133789472", "Покупки"]).await;
    insta::assert_json_snapshot!("cards_rename", plain(&renamed));
    let (_, unblocked, _) = cards(&env, &["unblock", "133789472"]).await;
    insta::assert_json_snapshot!("cards_unblock", plain(&unblocked));
    // Unblocked already: the service answers FAIL, a refusal (exit 4).
    let again =
        program::qiwi_async(&["--json", "wallet", "cards", "unblock", "133789472"], &env).await;
    assert_eq!(again.status.code(), Some(4));
    let error = program::stderr(&again);
    let error: Value = serde_json::from_str(error.lines().last().unwrap()).unwrap();
    insta::assert_json_snapshot!("cards_unblock_fail", plain(&error));
}

/// The client against the sandbox: a paid sixth card and the package are payments sent once
/// through `pay`, each debiting the wallet by its price; the paid card is then listed.
#[tokio::test]
async fn the_client_pays_for_a_sixth_card_and_the_package_through_pay() {
    use qiwi_sandbox::{Amount, DemoData, SandboxConfig, demo};
    use qiwi_wallet::models::CardAlias;
    use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
    use qiwi_wallet::{PaymentOutcome, SubmittedOrder};

    let mut data = DemoData::default();
    for limit in &mut data.qiwi.limits {
        limit.spent = Amount::new(0, 0);
    }
    for account in &mut data.qiwi.accounts {
        if account.alias == "qw_wallet_rub" {
            account.balance = Some(Amount::new(5_000, 0));
        }
    }
    let sandbox = qiwi_sandbox::start(SandboxConfig::default().with_data(data))
        .await
        .unwrap();
    let wallet = WalletNumber::parse(demo::QIWI_WALLET).unwrap();
    let client = WalletClient::builder()
        .token(SecretString::from(demo::QIWI_TOKEN))
        .wallet(wallet.clone())
        .base_url(sandbox.base_url())
        .allow_http(true)
        .build()
        .unwrap();
    let rub = || async {
        let accounts = client.list_accounts().await.unwrap();
        let balance = &accounts.get("qw_wallet_rub").unwrap().balance;
        balance.money().unwrap().amount.to_string()
    };
    let mut submitted = Vec::new();
    for _ in 0..6 {
        let order = client.order_card(CardAlias::Prepaid).await.unwrap();
        submitted.push(client.submit_card_order(&order.id).await.unwrap());
    }
    assert!(
        submitted[..5]
            .iter()
            .all(|s| matches!(s, SubmittedOrder::Issued(_)))
    );
    let SubmittedOrder::PaymentRequired(order) = &submitted[5] else {
        panic!("{:?}", submitted[5]);
    };
    let price = order.price.as_ref().unwrap().amount.to_string();
    assert_eq!(price, "99");
    let pay = |recipient: Recipient, amount: &str| {
        Payment::new(
            PaymentId::next(),
            recipient,
            PayoutAmount::parse(amount).unwrap(),
        )
        .unwrap()
    };
    let card = pay(
        Recipient::CardOrder {
            wallet: wallet.clone(),
            order: order.id.clone(),
        },
        &price,
    );
    let outcome = client.pay(&card).await;
    assert!(
        matches!(outcome, PaymentOutcome::Accepted(_)),
        "{outcome:?}"
    );
    assert_eq!(rub().await, "4901");
    assert_eq!(client.cards().await.unwrap().len(), 6);
    let package = pay(Recipient::QiwiMasterPackage { wallet }, "2999");
    let outcome = client.pay(&package).await;
    assert!(
        matches!(outcome, PaymentOutcome::Accepted(_)),
        "{outcome:?}"
    );
    assert_eq!(rub().await, "1902");
    assert_eq!(sandbox.hits("wallet.pay"), 2, "each payment sent once");
}
