//! QIWI agent XML protocol, requests shaped as in the reference's examples.

use crate::common;

use common::{agent, attr, envelope, sandbox, text, wait_for_processing, wallet_get};
use qiwi_sandbox::{Amount, demo};

fn pay(number: &str, amount: &str, service: &str, account: &str, to_extra: &str) -> String {
    envelope(
        "pay",
        &format!(
            "  <extra name=\"income_wire_transfer\">1</extra>\n  <auth>\n    <payment>\n      <transaction-number>{number}</transaction-number>\n      <from>\n        <ccy>RUB</ccy>\n      </from>\n      <to>\n        <amount>{amount}</amount>\n        <ccy>RUB</ccy>\n        <service-id>{service}</service-id>\n        <account-number>{account}</account-number>\n{to_extra}      </to>\n    </payment>\n  </auth>\n"
        ),
    )
}

fn status_request(numbers: &[(&str, &str)]) -> String {
    let payments: String = numbers
        .iter()
        .map(|(n, a)| {
            format!("      <payment>\n        <transaction-number>{n}</transaction-number>\n        <to>\n          <account-number>{a}</account-number>\n        </to>\n      </payment>\n")
        })
        .collect();
    // The status example puts the password before terminal-id; order is not significant.
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n  <request>\n    <request-type>pay</request-type>\n    <extra name=\"password\">{}</extra>\n    <terminal-id>{}</terminal-id>\n    <status>\n{payments}    </status>\n  </request>",
        demo::AGENT_PASSWORD,
        demo::AGENT_TERMINAL_ID
    )
}

fn balance(doc: &str, code: u16) -> Option<String> {
    let key = format!("<balance code=\"{code}\">");
    let i = doc.find(&key)? + key.len();
    Some(doc[i..i + doc[i..].find('<')?].to_owned())
}

#[tokio::test]
async fn ping_lists_the_agent_balances() {
    let sb = sandbox().await;
    let doc = agent(&sb, &envelope("ping", "")).await;
    assert!(
        doc.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{doc}"
    );
    assert!(
        doc.contains("<result-code fatal=\"false\">0</result-code>"),
        "{doc}"
    );
    assert_eq!(balance(&doc, 643).as_deref(), Some("200000.26"));
    assert_eq!(balance(&doc, 840).as_deref(), Some("300.00"));
    assert_eq!(balance(&doc, 978).as_deref(), Some("150.00"));
}

#[tokio::test]
async fn wrong_credentials_give_fatal_150() {
    let sb = sandbox().await;
    for body in [
        envelope("ping", "").replace(demo::AGENT_PASSWORD, "wrong"),
        envelope("ping", "").replace(
            &format!("<terminal-id>{}</terminal-id>", demo::AGENT_TERMINAL_ID),
            "<terminal-id>44</terminal-id>",
        ),
        "<request><request-type>ping</request-type><terminal-id>10001</terminal-id></request>"
            .to_owned(),
    ] {
        let doc = agent(&sb, &body).await;
        assert_eq!(
            attr(&doc, "result-code", "fatal").as_deref(),
            Some("true"),
            "{doc}"
        );
        assert_eq!(text(&doc, "result-code").as_deref(), Some("150"), "{doc}");
        assert!(!doc.contains("<balances>"));
    }
    let doc = agent(&sb, "this is not xml").await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("300"), "{doc}");
}

#[tokio::test]
async fn check_user_and_check_deposit_possible() {
    let sb = sandbox().await;
    let check_user = |phone: &str, ccy: &str| {
        envelope(
            "check-user",
            &format!(
                "  <extra name=\"phone\">{phone}</extra>\n  <extra name=\"ccy\">{ccy}</extra>\n"
            ),
        )
    };
    let doc = agent(&sb, &check_user(demo::QIWI_WALLET, "RUB")).await;
    assert_eq!(text(&doc, "exist").as_deref(), Some("1"), "{doc}");
    let doc = agent(&sb, &check_user(demo::QIWI_WALLET, "978")).await;
    assert_eq!(
        text(&doc, "exist").as_deref(),
        Some("0"),
        "no EUR account yet: {doc}"
    );
    let doc = agent(&sb, &check_user("79000000001", "RUB")).await;
    assert_eq!(text(&doc, "exist").as_deref(), Some("0"), "{doc}");

    let check_deposit = |phone: &str| {
        envelope(
            "check-deposit-possible",
            &format!(
                "  <extra name=\"phone\">{phone}</extra>\n  <extra name=\"income_wire_transfer\">1</extra>\n"
            ),
        )
    };
    let doc = agent(&sb, &check_deposit(demo::QIWI_WALLET)).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("0"));
    assert_eq!(text(&doc, "exist").as_deref(), Some("1"));
    assert_eq!(text(&doc, "deposit-possible").as_deref(), Some("1"));
    let doc = agent(&sb, &check_deposit("79000000001")).await;
    assert_eq!(text(&doc, "exist").as_deref(), Some("0"));
    assert_eq!(
        text(&doc, "deposit-possible").as_deref(),
        Some("1"),
        "a missing wallet is created on payment"
    );
    let doc = agent(&sb, &check_deposit(demo::AGENT_UNIDENTIFIED_WALLET)).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("204"), "{doc}");
    assert_eq!(attr(&doc, "result-code", "fatal").as_deref(), Some("true"));
    assert!(attr(&doc, "result-code", "message").is_some());
    assert_eq!(text(&doc, "exist").as_deref(), Some("1"));
    assert_eq!(text(&doc, "deposit-possible").as_deref(), Some("0"));
    let doc = agent(&sb, &check_deposit("12ab")).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("298"), "{doc}");
}

#[tokio::test]
async fn top_up_moves_balances_and_completes_after_the_delay() {
    let sb = sandbox().await;
    let doc = agent(
        &sb,
        &pay("12345678", "1115.00", "99", demo::QIWI_WALLET, ""),
    )
    .await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("0"), "{doc}");
    assert_eq!(
        attr(&doc, "payment", "status").as_deref(),
        Some("50"),
        "{doc}"
    );
    assert_eq!(
        attr(&doc, "payment", "final-status").as_deref(),
        Some("false")
    );
    assert_eq!(
        attr(&doc, "payment", "fatal-error").as_deref(),
        Some("false")
    );
    assert_eq!(attr(&doc, "payment", "result-code").as_deref(), Some("0"));
    assert_eq!(
        attr(&doc, "payment", "transaction-number").as_deref(),
        Some("12345678")
    );
    let txn_id = attr(&doc, "payment", "txn_id").unwrap();
    assert!(
        txn_id.len() >= 11 && txn_id.bytes().all(|b| b.is_ascii_digit()),
        "{txn_id}"
    );
    let date = attr(&doc, "payment", "txn-date").unwrap();
    assert_eq!(
        (date.len(), &date[2..3], &date[5..6], &date[10..11]),
        (19, ".", ".", " "),
        "{date}"
    );
    assert!(
        doc.contains("<from>\n<amount>1115.00</amount>\n<ccy>643</ccy>\n</from>"),
        "{doc}"
    );
    assert!(doc.contains("<service-id>99</service-id>\n<amount>1115.00</amount>\n<ccy>643</ccy>\n<account-number>79991234567</account-number>"), "{doc}");
    assert_eq!(
        balance(&doc, 643).as_deref(),
        Some("198885.26"),
        "debited at acceptance"
    );
    assert_eq!(
        sb.qiwi_balance("qw_wallet_rub"),
        Some(Amount::new(1_008, 74)),
        "not credited yet"
    );

    wait_for_processing().await;
    let doc = agent(&sb, &status_request(&[("12345678", demo::QIWI_WALLET)])).await;
    assert_eq!(
        attr(&doc, "payment", "status").as_deref(),
        Some("60"),
        "{doc}"
    );
    assert_eq!(
        attr(&doc, "payment", "final-status").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&doc, "payment", "txn_id").as_deref(),
        Some(txn_id.as_str())
    );
    assert!(
        doc.contains("<payment ") && doc.contains("/>"),
        "the status payment is an empty element: {doc}"
    );
    assert_eq!(balance(&doc, 643).as_deref(), Some("198885.26"));

    // The Wallet API sees the same money.
    let (_, list) = wallet_get(
        &sb,
        &format!(
            "/funding-sources/v2/persons/{}/accounts?alias=qw_wallet_rub",
            demo::QIWI_WALLET
        ),
    )
    .await;
    assert_eq!(
        list["accounts"][0]["balance"]["amount"].to_string(),
        "2123.74"
    );
    assert_eq!(sb.agent_balance(643), Some(Amount::new(198_885, 26)));
}

#[tokio::test]
async fn re_sending_a_payment_is_idempotent_and_mismatches_get_215() {
    let sb = sandbox().await;
    let first = agent(
        &sb,
        &pay("555", "100.00", "99", demo::AGENT_OTHER_WALLET, ""),
    )
    .await;
    let txn = attr(&first, "payment", "txn_id").unwrap();
    // Same data written differently (no decimals) is the same payment.
    let again = agent(&sb, &pay("555", "100", "99", demo::AGENT_OTHER_WALLET, "")).await;
    assert_eq!(
        attr(&again, "payment", "txn_id").as_deref(),
        Some(txn.as_str()),
        "{again}"
    );
    assert_eq!(attr(&again, "payment", "result-code").as_deref(), Some("0"));
    assert_eq!(
        balance(&again, 643).as_deref(),
        Some("199900.26"),
        "debited once"
    );

    let other = agent(
        &sb,
        &pay("555", "101.00", "99", demo::AGENT_OTHER_WALLET, ""),
    )
    .await;
    assert_eq!(
        attr(&other, "payment", "result-code").as_deref(),
        Some("215"),
        "{other}"
    );
    assert_eq!(
        attr(&other, "payment", "fatal-error").as_deref(),
        Some("true")
    );
    assert_eq!(balance(&other, 643).as_deref(), Some("199900.26"));
    let other = agent(&sb, &pay("555", "100.00", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        attr(&other, "payment", "result-code").as_deref(),
        Some("215"),
        "{other}"
    );

    wait_for_processing().await;
    let replay = agent(
        &sb,
        &pay("555", "100.00", "99", demo::AGENT_OTHER_WALLET, ""),
    )
    .await;
    assert_eq!(
        attr(&replay, "payment", "status").as_deref(),
        Some("60"),
        "{replay}"
    );
    assert_eq!(sb.agent_balance(643), Some(Amount::new(199_900, 26)));
}

#[tokio::test]
async fn insufficient_funds_limits_and_unknown_services() {
    let sb = sandbox().await;
    let doc = agent(&sb, &pay("1", "250000.00", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("220"),
        "{doc}"
    );
    assert_eq!(attr(&doc, "payment", "status").as_deref(), Some("150"));
    assert_eq!(
        attr(&doc, "payment", "final-status").as_deref(),
        Some("true")
    );
    assert_eq!(
        balance(&doc, 643).as_deref(),
        Some("200000.26"),
        "nothing debited"
    );
    let doc = agent(&sb, &pay("2", "0.50", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("241"),
        "{doc}"
    );
    let doc = agent(&sb, &pay("3", "600000.01", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("242"),
        "{doc}"
    );
    let doc = agent(&sb, &pay("4", "10.00", "12345", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("155"),
        "{doc}"
    );
    let doc = agent(
        &sb,
        &pay("5", "10.00", "99", demo::AGENT_UNIDENTIFIED_WALLET, ""),
    )
    .await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("204"),
        "{doc}"
    );
    let doc = agent(&sb, &pay("6", "10.00", "99", "+7999", "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("298"),
        "{doc}"
    );
    let doc = agent(&sb, &pay("7", "10.001", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(
        text(&doc, "result-code").as_deref(),
        Some("300"),
        "three decimals: {doc}"
    );
    let doc = agent(&sb, &pay("x7", "10.00", "99", demo::QIWI_WALLET, "")).await;
    assert_eq!(text(&doc, "result-code").as_deref(), Some("300"), "{doc}");
    // A declined payment stays declined in status checks.
    let doc = agent(&sb, &status_request(&[("1", demo::QIWI_WALLET)])).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("220"),
        "{doc}"
    );
}

#[tokio::test]
async fn failing_wallet_returns_the_money_with_status_160() {
    let sb = sandbox().await;
    let doc = agent(
        &sb,
        &pay("77", "500.00", "99", demo::AGENT_FAILING_WALLET, ""),
    )
    .await;
    assert_eq!(
        attr(&doc, "payment", "status").as_deref(),
        Some("50"),
        "{doc}"
    );
    assert_eq!(balance(&doc, 643).as_deref(), Some("199500.26"));
    wait_for_processing().await;
    let doc = agent(&sb, &status_request(&[("77", demo::AGENT_FAILING_WALLET)])).await;
    assert_eq!(
        attr(&doc, "payment", "status").as_deref(),
        Some("160"),
        "{doc}"
    );
    assert_eq!(
        attr(&doc, "payment", "final-status").as_deref(),
        Some("true")
    );
    assert_eq!(balance(&doc, 643).as_deref(), Some("200000.26"), "refunded");
}

#[tokio::test]
async fn status_of_several_payments_omits_unknown_ones() {
    let sb = sandbox().await;
    agent(&sb, &pay("100", "10.00", "99", demo::QIWI_WALLET, "")).await;
    agent(
        &sb,
        &pay("101", "20.00", "99", demo::AGENT_OTHER_WALLET, ""),
    )
    .await;
    let doc = agent(
        &sb,
        &status_request(&[
            ("100", demo::QIWI_WALLET),
            ("999", demo::QIWI_WALLET),
            ("101", demo::AGENT_OTHER_WALLET),
        ]),
    )
    .await;
    assert_eq!(doc.matches("<payment ").count(), 2, "{doc}");
    assert!(doc.contains("transaction-number='100'") && doc.contains("transaction-number='101'"));
    assert!(!doc.contains("transaction-number='999'"));
    // Looking a payment up with another recipient does not find it.
    let doc = agent(&sb, &status_request(&[("100", demo::AGENT_OTHER_WALLET)])).await;
    assert_eq!(doc.matches("<payment ").count(), 0, "{doc}");
    assert_eq!(text(&doc, "result-code").as_deref(), Some("0"));
}

#[tokio::test]
async fn other_payout_services() {
    let sb = sandbox().await;
    // RU card 34020: masked card number; rrn and billRegId on a replay once final.
    let card = pay("201", "1115.00", "34020", "4265111122334417", "");
    let doc = agent(&sb, &card).await;
    assert!(
        doc.contains("<account-number>4265********4417</account-number>"),
        "{doc}"
    );
    wait_for_processing().await;
    let doc = agent(&sb, &card).await;
    assert_eq!(
        attr(&doc, "payment", "status").as_deref(),
        Some("60"),
        "{doc}"
    );
    assert!(
        doc.contains("<extra name=\"rrn\">") && doc.contains("<extra name=\"billRegId\">"),
        "{doc}"
    );

    // 32911: the phone (with +) is echoed, escaped; the card goes in account1.
    let doc = agent(
        &sb,
        &pay(
            "202",
            "10.00",
            "32911",
            "+7999<&>",
            "        <extra name=\"account1\">4265111122334417</extra>\n",
        ),
    )
    .await;
    assert_eq!(
        text(&doc, "result-code").as_deref(),
        Some("300"),
        "raw < in XML text is malformed: {doc}"
    );
    assert!(!doc.contains("<payment"));
    let doc = agent(
        &sb,
        &pay(
            "203",
            "10.00",
            "32911",
            "+7999&lt;&amp;&gt;",
            "        <extra name=\"account1\">4265111122334417</extra>\n",
        ),
    )
    .await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("0"),
        "{doc}"
    );
    assert!(
        doc.contains("<account-number>+7999&lt;&amp;&gt;</account-number>"),
        "{doc}"
    );
    let doc = agent(&sb, &pay("204", "10.00", "32911", "+79991112233", "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("300"),
        "account1 is required: {doc}"
    );

    // Foreign cards are stopped.
    let doc = agent(&sb, &pay("205", "10.00", "36655", "4265111122334417", "")).await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("155"),
        "{doc}"
    );

    // Mobile 29130 needs account0.
    let doc = agent(
        &sb,
        &pay(
            "206",
            "115.00",
            "29130",
            "79881110000",
            "        <extra name=\"account0\">id:2;acc:9881110000;sum:115.00</extra>\n",
        ),
    )
    .await;
    assert_eq!(
        attr(&doc, "payment", "result-code").as_deref(),
        Some("0"),
        "{doc}"
    );

    // SBP 38413: wrapped in <payments>, as in the captured response.
    let doc = agent(
        &sb,
        &pay(
            "207",
            "10007.03",
            "38413",
            "70070310009",
            "        <extra name=\"bankId\">100000000008</extra>\n",
        ),
    )
    .await;
    assert!(doc.contains("<payments>\n<payment "), "{doc}");
    assert!(doc.contains("<amount>10007.03</amount>"));
}

#[tokio::test]
async fn cross_currency_payment_uses_the_demo_rate() {
    let sb = sandbox().await;
    let body = pay("300", "1115.00", "99", demo::AGENT_OTHER_WALLET, "").replacen(
        "<ccy>RUB</ccy>",
        "<ccy>EUR</ccy>",
        1,
    );
    let doc = agent(&sb, &body).await;
    // 1115.00 RUB at 100.00 RUB per EUR is 11.15 EUR.
    assert!(
        doc.contains("<from>\n<amount>11.15</amount>\n<ccy>978</ccy>"),
        "{doc}"
    );
    assert_eq!(balance(&doc, 978).as_deref(), Some("138.85"));
}
