use qiwi_types::wallet::{
    CardProviderRequest, KzCardRequest, PaymentFields, PaymentId, PaymentRejection,
    RejectionMeaning,
};
use qiwi_types::{CardNumber, UniqueNumber};

#[test]
fn card_numbers_are_masked_in_debug() {
    let card = CardNumber::parse("4256123412341235").unwrap();
    let fields = PaymentFields::from([
        ("account", card.as_str().to_owned()),
        ("exp_date", "0423".to_owned()),
    ]);
    assert_eq!(
        format!("{fields:?}"),
        r#"{"account": "425612******1235", "exp_date": "0423"}"#
    );
    assert_eq!(
        format!("{:?}", CardProviderRequest::new(&card)),
        "CardProviderRequest(425612******1235)"
    );
    assert_eq!(
        CardProviderRequest::new(&card).account,
        "4256 1234 1234 1235"
    );
    let kz = format!("{:?}", KzCardRequest::new(&card));
    assert!(
        kz.contains("425612******1235") && !kz.contains(card.as_str()),
        "{kz}"
    );
}

#[test]
fn payment_ids_have_at_most_twenty_digits() {
    assert!(PaymentId::parse(&"9".repeat(20)).is_ok());
    for bad in ["", "123456789012345678901", "12 3", "-1", "1.5"] {
        assert!(PaymentId::parse(bad).is_err(), "{bad:?}");
    }
    let a = PaymentId::from(UniqueNumber::next());
    let b = PaymentId::next();
    assert!(a.as_str().len() <= 20 && b.as_str().len() <= 20);
    assert_ne!(a, b);
}

#[test]
fn qwprc_codes_keep_the_code_and_name_the_documented_meaning() {
    for (code, meaning) in [
        ("QWPRC-220", RejectionMeaning::InsufficientFunds),
        ("QWPRC-472", RejectionMeaning::InsufficientFunds),
        ("QWPRC-705", RejectionMeaning::LimitExceeded),
        ("QWPRC-522", RejectionMeaning::WrongRequisites),
        ("QWPRC-1021", RejectionMeaning::PayerRestricted),
        ("QWPRC-241", RejectionMeaning::AmountOutOfRange),
        ("QWPRC-99999", RejectionMeaning::Other),
        ("QWPRC-x", RejectionMeaning::Other),
    ] {
        let body = format!(r#"{{"code": "{code}", "message": "m"}}"#);
        let rejection: PaymentRejection = serde_json::from_str(&body).unwrap();
        assert_eq!(rejection.code.as_str(), code);
        assert!(rejection.code.is_payment_refusal());
        assert_eq!(rejection.meaning(), meaning, "{code}");
    }
}
