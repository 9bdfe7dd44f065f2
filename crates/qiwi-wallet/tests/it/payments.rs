//! Payments built before anything is sent: what each kind lowers to (path and exact body), what
//! is refused, the fate table, and the payment-form link.

use qiwi_types::wallet::{PaymentInfo, PaymentRejection};
use qiwi_wallet::Currency;
use qiwi_wallet::payment::fate::{AnswerBody, PaymentAnswer, PaymentFate, payment_fate};
use qiwi_wallet::payment::form::{AccountType, Blocked, PaymentForm};
use qiwi_wallet::payment::{
    AccountKind, BankId, CardNumber, CardProvider, CompanyRequisites, Payment, PaymentId,
    PayoutAmount, PersonName, Recipient, Urgency, Vat,
};
use serde_json::{Value, json};

const ID: &str = "21131343";

fn card(digits: &str) -> CardNumber {
    CardNumber::parse(digits).unwrap()
}

fn name() -> PersonName {
    PersonName {
        last: "Иванов".into(),
        first: "Иван".into(),
        middle: Some("Иванович".into()),
    }
}

fn requisites() -> CompanyRequisites {
    CompanyRequisites {
        bank_name: "ТКБ".into(),
        bik: "044525388".into(),
        city: "МОСКВА".into(),
        company: "ООО \"ЛЕГКИЙ ПЛАТЕЖ\"".into(),
        inn: "7707083893".into(),
        kpp: "773601001".into(),
        account: "40702810100000000001".into(),
        vat: Vat::NotApplicable,
        purpose: "Оплата счета".into(),
        urgency: Urgency::Normal,
        payer: name(),
    }
}

fn pay(recipient: Recipient, amount: &str) -> Payment {
    Payment::new(
        PaymentId::parse(ID).unwrap(),
        recipient,
        PayoutAmount::parse(amount).unwrap(),
    )
    .unwrap()
}

fn body(fields: Value, amount: Value, currency: &str) -> Value {
    json!({
        "id": ID,
        "sum": {"amount": amount, "currency": currency},
        "paymentMethod": {"type": "Account", "accountId": "643"},
        "fields": fields,
    })
}

fn number(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Each kind of payment, lowered: the provider id in the path, `sum.currency` a string,
/// `paymentMethod`, every field name.
#[test]
fn every_kind_of_payment_lowers_to_the_documented_path_and_body() {
    let mut with_comment = body(json!({"account": "+79121238345"}), number("100"), "643");
    with_comment["comment"] = json!("test");
    let mut conversion = body(json!({"account": "+79121238345"}), number("10.5"), "398");
    conversion["comment"] = json!("на тенге");
    let kz = json!({
        "id": ID,
        "sum": {"amount": number("1000"), "currency": "398"},
        "paymentMethod": {"type": "Account", "accountId": "398"},
        "comment": "",
        "fields": {
            "cardNumber": "4400123412341230", "account": "440012******1230", "ev_account1": "opaque",
            "transferSum": "100", "accept": "1", "version": "2",
            "info": "Для продолжения оплаты, подтвердите, что являетесь держателем указанного банковского счета."
        }
    });
    let cases: Vec<(Payment, &str, Value)> = vec![
        (
            pay(
                Recipient::wallet("+79121238345".parse().unwrap(), Some("test")),
                "100",
            ),
            "/sinap/api/v2/terms/99/payments",
            with_comment,
        ),
        (
            pay(
                Recipient::Conversion {
                    wallet: "79121238345".parse().unwrap(),
                    to: Currency::KZT,
                    comment: Some("на тенге".into()),
                },
                "10.50",
            ),
            "/sinap/api/v2/terms/1099/payments",
            conversion,
        ),
        (
            pay(
                Recipient::Mobile {
                    provider_id: 1,
                    phone: "9161112233".into(),
                },
                "1000",
            ),
            "/sinap/api/v2/terms/1/payments",
            body(json!({"account": "9161112233"}), number("1000"), "643"),
        ),
        (
            pay(
                Recipient::Card {
                    provider: CardProvider::VisaRu,
                    card: card("4256123412341235"),
                },
                "1000",
            ),
            "/sinap/api/v2/terms/1963/payments",
            body(
                json!({"account": "4256123412341235"}),
                number("1000"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::Card {
                    provider: CardProvider::from_id(36390),
                    card: card("2200123412341236"),
                },
                "0.01",
            ),
            "/sinap/api/v2/terms/36390/payments",
            body(
                json!({"account": "2200123412341236"}),
                number("0.01"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::KzCard {
                    card: card("4400123412341230"),
                    account: "440012******1230".into(),
                    ev_account1: "opaque".into(),
                    comment: None,
                },
                "1000",
            ),
            "/sinap/api/terms/27292/payments",
            kz,
        ),
        (
            pay(
                Recipient::BankCard {
                    bank: BankId::Alfa,
                    card: card("4256123412341235"),
                    expiry: Some("0423".into()),
                    bik: None,
                    name: None,
                },
                "1000",
            ),
            "/sinap/api/v2/terms/464/payments",
            body(
                json!({"account": "4256123412341235", "account_type": "1", "exp_date": "0423"}),
                number("1000"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::BankCard {
                    bank: BankId::Sberbank,
                    card: card("4276123412341231"),
                    expiry: None,
                    bik: Some("044525225".into()),
                    name: Some(name()),
                },
                "1000",
            ),
            "/sinap/api/v2/terms/870/payments",
            body(
                json!({"account": "4276123412341231", "account_type": "5", "mfo": "044525225",
                       "lname": "Иванов", "fname": "Иван", "mname": "Иванович"}),
                number("1000"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::BankAccount {
                    bank: BankId::Alfa,
                    kind: AccountKind::Account,
                    number: "40817810000000000001".into(),
                    bik: "044525593".into(),
                    name: name(),
                    urgency: Urgency::Urgent,
                    contract: None,
                },
                "1000",
            ),
            "/sinap/api/v2/terms/464/payments",
            body(
                json!({"account": "40817810000000000001", "account_type": "2", "urgent": "1",
                       "mfo": "044525593", "lname": "Иванов", "fname": "Иван", "mname": "Иванович"}),
                number("1000"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::BankAccount {
                    bank: BankId::HomeCredit,
                    kind: AccountKind::Contract,
                    number: "2212345678".into(),
                    bik: "044525245".into(),
                    name: PersonName {
                        middle: None,
                        ..name()
                    },
                    urgency: Urgency::Normal,
                    contract: Some("2212345678".into()),
                },
                "1000",
            ),
            "/sinap/api/v2/terms/313/payments",
            body(
                json!({"account": "2212345678", "account_type": "6", "urgent": "0",
                       "mfo": "044525245", "lname": "Иванов", "fname": "Иван", "agrnum": "2212345678"}),
                number("1000"),
                "643",
            ),
        ),
        (
            pay(
                Recipient::Service {
                    provider_id: 674,
                    account: "111000".into(),
                },
                "100",
            ),
            "/sinap/api/v2/terms/674/payments",
            body(json!({"account": "111000"}), number("100"), "643"),
        ),
        (
            pay(Recipient::Company(Box::new(requisites())), "100"),
            "/sinap/api/v2/terms/1717/payments",
            body(
                serde_json::from_str::<Value>(&super::common::model_fixture(
                    "e33_payment_request/field_table_request.json",
                ))
                .unwrap()["fields"]
                    .clone(),
                number("100"),
                "643",
            ),
        ),
    ];
    for (payment, path, expected) in cases {
        assert_eq!(payment.path(), path);
        let written = serde_json::to_value(payment.body()).unwrap();
        assert_eq!(written, expected, "{path}");
    }
}

#[test]
fn a_request_body_writes_the_amount_as_a_number_and_the_currency_as_a_string() {
    let payment = pay(
        Recipient::wallet("79991234568".parse().unwrap(), None),
        "10.50",
    );
    assert_eq!(
        serde_json::to_string(&payment.body()).unwrap(),
        r#"{"id":"21131343","sum":{"amount":10.5,"currency":"643"},"paymentMethod":{"type":"Account","accountId":"643"},"fields":{"account":"+79991234568"}}"#
    );
    let (path, quote) = payment.commission_request();
    assert_eq!(path, "/sinap/providers/99/onlineCommission");
    assert_eq!(
        serde_json::to_string(&quote).unwrap(),
        r#"{"account":"+79991234568","paymentMethod":{"type":"Account","accountId":"643"},"purchaseTotals":{"total":{"amount":10.5,"currency":"643"}}}"#
    );
}

/// What is refused before anything could be sent, and why.
#[test]
fn bad_input_is_refused_before_sending() {
    type Build = Box<dyn Fn() -> Result<(), qiwi_wallet::payment::InvalidValue>>;
    let id = || PaymentId::parse(ID).unwrap();
    let amount = || PayoutAmount::parse("10").unwrap();
    let cases: Vec<(&str, Build, &str)> = vec![
        (
            "a third decimal",
            Box::new(|| PayoutAmount::parse("10.555").map(drop)),
            "amount",
        ),
        (
            "a zero amount",
            Box::new(|| PayoutAmount::parse("0").map(drop)),
            "amount",
        ),
        (
            "an 11-digit card",
            Box::new(|| CardNumber::parse("42561234123").map(drop)),
            "card number",
        ),
        (
            "a wallet with letters",
            Box::new(|| "7912abc8345".parse::<qiwi_wallet::WalletNumber>().map(drop)),
            "wallet number",
        ),
        (
            "a 21-digit id",
            Box::new(|| PaymentId::parse("123456789012345678901").map(drop)),
            "payment id",
        ),
        (
            "Alfa without the card's expiry",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankCard {
                        bank: BankId::Alfa,
                        card: card("4256123412341235"),
                        expiry: None,
                        bik: None,
                        name: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "card expiry",
        ),
        (
            "an expiry month 13",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankCard {
                        bank: BankId::Otp,
                        card: card("4256123412341235"),
                        expiry: Some("1324".into()),
                        bik: None,
                        name: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "card expiry",
        ),
        (
            "Raiffeisen by card number",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankCard {
                        bank: BankId::Raiffeisen,
                        card: card("4256123412341235"),
                        expiry: None,
                        bik: None,
                        name: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "bank",
        ),
        (
            "a Visa card of a foreign bank",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Card {
                        provider: CardProvider::VisaForeign,
                        card: card("4256123412341235"),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "card provider",
        ),
        (
            "a Mastercard of a foreign bank",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Card {
                        provider: CardProvider::from_id(21012),
                        card: card("5256123412341232"),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "card provider",
        ),
        (
            "a 9-digit phone",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Mobile {
                        provider_id: 1,
                        phone: "916111223".into(),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "phone number",
        ),
        (
            "a phone with its 8",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Mobile {
                        provider_id: 1,
                        phone: "89161112233".into(),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "phone number",
        ),
        (
            "a conversion to roubles",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Conversion {
                        wallet: "79121238345".parse().unwrap(),
                        to: Currency::RUB,
                        comment: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "conversion currency",
        ),
        (
            "a missing service account",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Service {
                        provider_id: 674,
                        account: " ".into(),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "account",
        ),
        (
            "provider 0",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Service {
                        provider_id: 0,
                        account: "1".into(),
                    },
                    amount(),
                )
                .map(drop)
            }),
            "provider id",
        ),
        (
            "Home Credit without agrnum",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankAccount {
                        bank: BankId::HomeCredit,
                        kind: AccountKind::Contract,
                        number: "2212345678".into(),
                        bik: "044525245".into(),
                        name: name(),
                        urgency: Urgency::Normal,
                        contract: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "contract number (agrnum)",
        ),
        (
            "a 19-digit bank account",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankAccount {
                        bank: BankId::Vtb,
                        kind: AccountKind::Account,
                        number: "4081781000000000000".into(),
                        bik: "044525187".into(),
                        name: name(),
                        urgency: Urgency::Normal,
                        contract: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "bank account number",
        ),
        (
            "a missing first name",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::BankAccount {
                        bank: BankId::Vtb,
                        kind: AccountKind::Account,
                        number: "40817810000000000001".into(),
                        bik: "044525187".into(),
                        name: PersonName {
                            first: String::new(),
                            ..name()
                        },
                        urgency: Urgency::Normal,
                        contract: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "recipient name",
        ),
        (
            "an 11-digit INN",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Company(Box::new(CompanyRequisites {
                        inn: "77070838931".into(),
                        ..requisites()
                    })),
                    amount(),
                )
                .map(drop)
            }),
            "INN",
        ),
        (
            "a missing company purpose",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::Company(Box::new(CompanyRequisites {
                        purpose: String::new(),
                        ..requisites()
                    })),
                    amount(),
                )
                .map(drop)
            }),
            "payment purpose",
        ),
        (
            "a missing ev_account1",
            Box::new(move || {
                Payment::new(
                    id(),
                    Recipient::KzCard {
                        card: card("4400123412341230"),
                        account: "440012******1230".into(),
                        ev_account1: String::new(),
                        comment: None,
                    },
                    amount(),
                )
                .map(drop)
            }),
            "ev_account1 (from the card's preparation)",
        ),
    ];
    for (case, build, what) in cases {
        let refusal = build().expect_err(case);
        assert_eq!(refusal.what(), what, "{case}: {refusal}");
    }
}

#[test]
fn a_suspended_transfer_says_why() {
    let refusal = Payment::new(
        PaymentId::next(),
        Recipient::Card {
            provider: CardProvider::VisaForeign,
            card: card("4256123412341235"),
        },
        PayoutAmount::parse("1").unwrap(),
    )
    .unwrap_err();
    assert!(refusal.to_string().contains("suspended"), "{refusal}");
}

#[test]
fn a_payment_shows_no_card_number_in_debug() {
    let payment = pay(
        Recipient::Card {
            provider: CardProvider::Mir,
            card: card("2200123412341236"),
        },
        "1",
    );
    for shown in [format!("{payment:?}"), format!("{:?}", payment.body())] {
        assert!(!shown.contains("2200123412341236"), "{shown}");
        assert!(shown.contains("220012******1236"), "{shown}");
    }
}

/// The documented table of what a payment's answer says about its money.
#[test]
fn fate_table() {
    let info: PaymentInfo = serde_json::from_str(&super::common::model_fixture(
        "e22_payment_info/spec_e22.json",
    ))
    .unwrap();
    let rejection: PaymentRejection =
        serde_json::from_str(r#"{"code": "QWPRC-220", "message": "Недостаточно средств"}"#)
            .unwrap();
    let other_code: PaymentRejection =
        serde_json::from_str(r#"{"code": "auth.forbidden"}"#).unwrap();
    use AnswerBody::{Info, Other, Rejection};
    use PaymentFate::{Accepted, NotMoved, Unknown};
    let answered = |status, body| PaymentAnswer::Answered { status, body };
    let table = [
        (PaymentAnswer::NotSent, NotMoved),
        (PaymentAnswer::NoAnswer, Unknown),
        (answered(200, Info(&info)), Accepted),
        (answered(200, Other), Unknown),
        (answered(200, Rejection(&rejection)), Unknown),
        (answered(400, Other), NotMoved),
        (answered(400, Rejection(&rejection)), NotMoved),
        (answered(401, Other), NotMoved),
        (answered(403, Other), NotMoved),
        (answered(404, Rejection(&rejection)), NotMoved),
        (answered(422, Rejection(&rejection)), NotMoved),
        (answered(422, Rejection(&other_code)), Unknown),
        (answered(404, Other), Unknown),
        (answered(423, Other), Unknown),
        (answered(423, Rejection(&rejection)), Unknown),
        (answered(500, Other), Unknown),
        (answered(500, Rejection(&rejection)), Unknown),
        (answered(502, Other), Unknown),
        (answered(302, Other), Unknown),
    ];
    for (answer, fate) in table {
        assert_eq!(payment_fate(answer), fate, "{answer:?}");
    }
}

#[test]
fn form_links_carry_the_documented_parameters() {
    let nickname = PaymentForm::new(99999)
        .unwrap()
        .account("NICKNAME")
        .account_type(AccountType::Nickname)
        .block(Blocked::Account)
        .block(Blocked::Account)
        .url()
        .unwrap();
    assert_eq!(
        nickname.as_str(),
        "https://qiwi.com/payment/form/99999?extra%5B%27account%27%5D=NICKNAME&extra%5B%27accountType%27%5D=nickname&blocked%5B0%5D=account"
    );
    let largest = PaymentForm::new(1963)
        .unwrap()
        .amount(PayoutAmount::parse("99999.99").unwrap())
        .url()
        .unwrap();
    assert_eq!(
        largest.as_str(),
        "https://qiwi.com/payment/form/1963?amountInteger=99999&amountFraction=99&currency=643"
    );
    assert_eq!(
        PaymentForm::new(1717).unwrap().url().unwrap().as_str(),
        "https://qiwi.com/payment/form/1717"
    );
    let too_much = PaymentForm::new(99)
        .unwrap()
        .amount(PayoutAmount::parse("100000").unwrap())
        .url()
        .unwrap_err();
    assert_eq!(too_much.what(), "form amount");
    assert_eq!(PaymentForm::new(674).unwrap_err().what(), "form provider");
    let comment_elsewhere = PaymentForm::new(1963)
        .unwrap()
        .comment("x")
        .url()
        .unwrap_err();
    assert_eq!(comment_elsewhere.what(), "form comment");
    let type_elsewhere = PaymentForm::new(99)
        .unwrap()
        .account_type(AccountType::Phone)
        .url()
        .unwrap_err();
    assert_eq!(type_elsewhere.what(), "form account type");
}
