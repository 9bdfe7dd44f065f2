use std::cmp::Ordering;

use qiwi_types::agent::ids::*;

#[test]
fn accepts_up_to_twenty_digits_beyond_u64() {
    let max = "9".repeat(20);
    assert_eq!(TransactionNumber::parse(&max).unwrap().as_str(), max);
    assert!(max.parse::<u64>().is_err(), "20 nines exceed u64");
    assert_eq!(TransactionNumber::parse(" 1 ").unwrap().as_str(), "1");
    assert_eq!(
        TransactionNumber::from_u128(u128::from(u64::MAX) + 1)
            .unwrap()
            .as_str(),
        "18446744073709551616"
    );
}

#[test]
fn refuses_what_is_not_a_positive_integer() {
    for bad in [
        "",
        "0",
        "007",
        "-1",
        "+1",
        "1.0",
        "12 34",
        "１２",
        &"1".repeat(21),
    ] {
        assert!(TransactionNumber::parse(bad).is_err(), "{bad:?}");
    }
    assert!(TransactionNumber::from_u128(0).is_err());
    assert!(TransactionNumber::from_u128(u128::MAX).is_err());
    let err = TransactionNumber::parse("12a").unwrap_err().to_string();
    assert!(err.starts_with("invalid transaction number: "), "{err}");
}

#[test]
fn orders_numerically() {
    let n = |s| TransactionNumber::parse(s).unwrap();
    assert!(n("9") < n("10"));
    assert!(n("99999999999999999999") > n("18446744073709551615"));
    assert_eq!(n("5").cmp(&n("5")), Ordering::Equal);
}
