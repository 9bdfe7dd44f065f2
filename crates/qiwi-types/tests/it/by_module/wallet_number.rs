use qiwi_types::wallet_number::*;

#[test]
fn accepts_digits_and_strips_a_leading_plus() {
    assert_eq!(
        WalletNumber::parse("79111234567").unwrap().as_str(),
        "79111234567"
    );
    assert_eq!(
        WalletNumber::parse("+79111234567").unwrap().as_str(),
        "79111234567"
    );
    assert_eq!(
        WalletNumber::parse(" +380501234567 ").unwrap().as_str(),
        "380501234567"
    );
}

#[test]
fn rejects_letters_signs_and_wrong_lengths_clearly() {
    let reason = |text: &str| {
        let err = WalletNumber::parse(text).unwrap_err();
        assert_eq!(err.what(), "wallet number");
        err.reason().to_owned()
    };
    assert!(reason("").starts_with("the wallet number is empty"));
    assert!(reason("+").starts_with("the wallet number is empty"));
    assert!(reason("7911abc4567").ends_with("found 'a'"));
    assert!(reason("++79111234567").ends_with("found '+'"));
    assert!(reason("7 911 123 45 67").ends_with("found ' '"));
    assert!(reason("7911123456").ends_with("this one has 10"));
    assert!(reason("7911123456789012").ends_with("this one has 16"));
    let msg = WalletNumber::parse("7911abc4567").unwrap_err().to_string();
    assert!(
        msg.contains("invalid wallet number") && msg.contains("digits only"),
        "{msg}"
    );
}

#[test]
fn decodes_from_string_or_number() {
    let a: WalletNumber = serde_json::from_str("79111234567").unwrap();
    let b: WalletNumber = serde_json::from_str(r#""+79111234567""#).unwrap();
    assert_eq!(a, b);
    assert!(serde_json::from_str::<WalletNumber>(r#""abc""#).is_err());
}
