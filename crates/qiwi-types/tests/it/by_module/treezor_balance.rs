use qiwi_types::treezor::balance::*;

fn balance(amount_json: &str) -> Result<Balance, serde_json::Error> {
    serde_json::from_str(&format!(
        r#"{{"walletId": "1317558", "currentBalance": {amount_json}, "authorizations": 0,
            "authorizedBalance": {amount_json}, "currency": "EUR",
            "calculationDate": "2022-03-01 15:52:40"}}"#
    ))
}

#[test]
fn amount_forms() {
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("280", Some("280")),
        ("4002.5", Some("4002.5")),
        (r#""5.76""#, Some("5.76")),
        (r#""0.00""#, Some("0.00")),
        ("170.00", Some("170.00")),
        ("-15.5", Some("-15.5")),
        (r#""""#, None),
        ("null", None),
    ];
    for (json, expected) in cases {
        let b = balance(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        let got = b.current_balance.map(|d| d.to_string());
        assert_eq!(got.as_deref(), *expected, "{json}");
        assert_eq!(b.authorized_balance, b.current_balance, "{json}");
    }
}

#[test]
fn garbage_amounts_are_decode_errors_naming_the_field() {
    for json in [r#""abc""#, "true", "[1]", r#""1.2.3""#] {
        let err = balance(json).expect_err(json).to_string();
        assert!(err.contains("amount"), "{json}: {err}");
    }
}

#[test]
fn calculation_date_is_paris_time_and_the_zero_date_stays_raw() {
    let b = balance("280").unwrap();
    let date = b.calculation_date.unwrap();
    assert_eq!(
        date.timestamp().unwrap().to_string(),
        "2022-03-01T14:52:40Z"
    );
    let zero: Balance = serde_json::from_str(
        r#"{"walletId": 1, "currency": "EUR", "calculationDate": "0000-00-00 00:00:00"}"#,
    )
    .unwrap();
    let zero_date = zero.calculation_date.unwrap();
    assert_eq!(
        (zero_date.raw(), zero_date.timestamp()),
        ("0000-00-00 00:00:00", None)
    );
    assert_eq!(zero.current_balance, None);
}
