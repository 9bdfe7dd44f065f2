use qiwi_types::treezor::ids::*;

#[test]
fn reads_numbers_and_digit_strings() {
    let a: WalletId = serde_json::from_str("1317558").unwrap();
    let b: WalletId = serde_json::from_str(r#""1317558""#).unwrap();
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).unwrap(), "1317558");
    assert_eq!(format!("{a:?} {a}"), "WalletId(1317558) 1317558");
    assert_eq!(" 42 ".parse::<UserId>().unwrap(), UserId::new(42));
}

#[test]
fn rejects_what_is_not_an_id_with_a_clear_message() {
    for bad in [
        r#""""#,
        r#""12a""#,
        "-1",
        "1.5",
        r#""99999999999999999999""#,
        "true",
    ] {
        assert!(serde_json::from_str::<WalletId>(bad).is_err(), "{bad}");
    }
    let err = WalletId::parse("12a").unwrap_err().to_string();
    assert!(
        err.contains("wallet id") && err.contains("digits only"),
        "{err}"
    );
    assert!(
        UserId::parse("")
            .unwrap_err()
            .to_string()
            .contains("user id is empty")
    );
}
