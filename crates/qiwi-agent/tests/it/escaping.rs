//! Values holding `<`, `&` or quotes stay values: they cannot add an element or an attribute.
//! And amounts are validated before anything is sent.

use crate::support;

use qiwi_agent::{
    Comment, Error, FundsSource, Payout, PayoutAmount, Recipient, ServiceId, StatusQuery,
    TransactionNumber, wire,
};
use support::{parse, scripted_client_with, xml};

const PAY_OK: &str = "<response><result-code fatal='false'>0</result-code><payment status='50' txn_id='1' transaction-number='12345678' final-status='false'/></response>";

const INJECTION: &str = "</extra><extra name=\"password\">stolen</extra><x a='1'>&amp;</x>";

#[tokio::test]
async fn hostile_values_cannot_inject_elements_or_attributes() {
    let password = "pw</extra><terminal-id>1</terminal-id>&\"'";
    let second = PAY_OK.replace("12345678", "12345679");
    let (client, transport, _) =
        scripted_client_with(123, password, vec![xml(PAY_OK), xml(&second)]);
    let payout: Payout = Payout::new(
        TransactionNumber::parse("12345678").unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::NonCash,
            comment: Some(Comment::new(INJECTION).unwrap()),
        },
        PayoutAmount::parse("10").unwrap(),
    )
    .unwrap();
    client.pay(&payout).await.unwrap();

    let generic = Payout::new(
        TransactionNumber::parse("12345679").unwrap(),
        Recipient::Service {
            service_id: ServiceId(555),
            account_number: "acc\"<&>'".into(),
            funds: None,
        },
        PayoutAmount::parse("1").unwrap(),
    )
    .unwrap()
    .with_to_extra("k\" injected=\"1", "<v/>")
    .unwrap();
    client.pay(&generic).await.unwrap();

    // The first document: exactly the elements a wallet top-up has, and the hostile texts come
    // back unchanged as text.
    let body = support::body(&transport, 0);
    let tree = parse(&body);
    assert_eq!(
        tree.names(),
        [
            "request",
            "request-type",
            "terminal-id",
            "extra",
            "extra",
            "auth",
            "payment",
            "transaction-number",
            "from",
            "ccy",
            "to",
            "amount",
            "ccy",
            "service-id",
            "account-number",
            "extra",
        ]
    );
    let extras: Vec<(&str, &str)> = tree
        .children
        .iter()
        .filter(|c| c.name == "extra")
        .map(|c| (c.attributes[0].1.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        extras,
        [("password", password), ("income_wire_transfer", "1")]
    );
    assert_eq!(tree.find("terminal-id").unwrap().text, "123");
    let comment = tree.find("to").unwrap().find("extra").unwrap();
    assert_eq!(
        comment.attributes,
        [("name".to_owned(), "comment".to_owned())]
    );
    assert_eq!(comment.text, INJECTION);

    // The second: an attribute value with quotes stays one attribute.
    let tree = parse(&support::body(&transport, 1));
    let to = tree.find("to").unwrap();
    assert_eq!(to.find("account-number").unwrap().text, "acc\"<&>'");
    let extra = to.find("extra").unwrap();
    assert_eq!(
        extra.attributes,
        [("name".to_owned(), "k\" injected=\"1".to_owned())]
    );
    assert_eq!(extra.text, "<v/>");
    assert!(extra.children.is_empty());
}

#[tokio::test]
async fn a_status_query_cannot_inject_either() {
    let (client, transport, _) = scripted_client_with(
        123,
        "pw",
        vec![xml(
            "<response><result-code fatal='false'>0</result-code></response>",
        )],
    );
    let query = StatusQuery::new(
        TransactionNumber::parse("1").unwrap(),
        "</to></payment><payment>",
    )
    .unwrap();
    assert!(client.status(&query).await.unwrap().payments.is_empty());
    let tree = parse(&support::body(&transport, 0));
    assert_eq!(tree.find("status").unwrap().children.len(), 1);
    assert_eq!(
        tree.find("account-number").unwrap().text,
        "</to></payment><payment>"
    );
}

#[tokio::test]
async fn bad_amounts_are_refused_before_sending() {
    for (input, message) in [
        (
            "10.555",
            "invalid amount: 10.555 has more than two decimal places",
        ),
        ("0", "invalid amount: 0 is not greater than zero"),
        ("-1", "invalid amount: \"-1\" is not a decimal number"),
        ("1,50", "invalid amount: \"1,50\" is not a decimal number"),
    ] {
        let err = Error::from(PayoutAmount::parse(input).unwrap_err());
        assert!(err.is_not_sent());
        assert!(
            err.to_string()
                .starts_with(&format!("invalid input, nothing was sent: {message}")),
            "{err}"
        );
    }
    // What can be built is written with two decimals and a dot.
    let (client, transport, _) = scripted_client_with(123, "pw", vec![xml(PAY_OK)]);
    let payout: Payout = Payout::new(
        TransactionNumber::parse("12345678").unwrap(),
        Recipient::Wallet {
            wallet: "79181234567".parse().unwrap(),
            funds: FundsSource::Cash,
            comment: None,
        },
        PayoutAmount::parse("7.5").unwrap(),
    )
    .unwrap();
    client.pay(&payout).await.unwrap();
    assert_eq!(
        parse(&support::body(&transport, 0))
            .find("amount")
            .unwrap()
            .text,
        "7.50"
    );
}

#[test]
fn answers_are_unescaped_and_never_expand_entities() {
    let response = wire::decode_status(
        b"<response><result-code fatal='false' message='a &lt;b&gt; &amp; &quot;c&quot;'>0</result-code>\
          <payment transaction-number='1' status='50' txn_id='1' message='x &#x41; &unknown;'><extra name='n&amp;m'>&lt;v&gt;</extra></payment></response>",
    )
    .unwrap();
    assert_eq!(
        response.result.unwrap().message.as_deref(),
        Some("a <b> & \"c\"")
    );
    let payment = &response.payments[0];
    assert_eq!(payment.message.as_deref(), Some("x A &unknown;"));
    assert_eq!(payment.extra("n&m"), Some("<v>"));

    for hostile in [
        "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><response><result-code>&b;</result-code></response>",
        "<!DOCTYPE r SYSTEM 'file:///etc/passwd'><response/>",
    ] {
        let err = wire::decode_ping(hostile.as_bytes()).unwrap_err();
        match err {
            Error::Decode(e) => assert!(e.message.contains("DTD"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn garbage_answers_are_errors_never_panics() {
    let deep = "<response>".repeat(100_000);
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"\xff\xfe\x00<",
        b"<response",
        b"<response><payment status='1'",
        b"<response><balances><balance code='643'>1e999999</balance></balances></response>",
        b"<response><payment transaction-number='123456789012345678901'/></response>",
        b"<response><payment status='99999999999'/></response>",
        b"<response><provider id='-1'/></response>",
        deep.as_bytes(),
        b"<response></responsE>",
    ];
    for body in bodies {
        for result in [
            wire::decode_ping(body).err(),
            wire::decode_pay(body).err(),
            wire::decode_status(body).err(),
            wire::decode_user_check(body).err(),
            wire::decode_deposit_check(body).err(),
            wire::decode_provider(body).err(),
        ] {
            assert!(
                result.is_some(),
                "{:?}",
                String::from_utf8_lossy(&body[..body.len().min(60)])
            );
        }
    }
}
