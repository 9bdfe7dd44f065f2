use qiwi_types::Decimal;

use qiwi_types::agent::amount::*;

#[test]
fn writes_exactly_two_decimals_with_a_dot() {
    for (input, wire) in [
        ("1115", "1115.00"),
        ("1115.5", "1115.50"),
        ("1115.55", "1115.55"),
        ("0.01", "0.01"),
        ("10.500", "10.50"),
        ("10007.03", "10007.03"),
        ("12345678901234567890.12", "12345678901234567890.12"),
    ] {
        assert_eq!(
            PayoutAmount::parse(input).unwrap().to_string(),
            wire,
            "{input}"
        );
    }
}

#[test]
fn refuses_more_than_two_decimals_zero_and_negatives() {
    let cases = [
        (
            "10.555",
            "invalid amount: 10.555 has more than two decimal places; amounts are sent in hundredths (e.g. 10.55)",
        ),
        (
            "0.001",
            "invalid amount: 0.001 has more than two decimal places; amounts are sent in hundredths (e.g. 0.00)",
        ),
        ("0", "invalid amount: 0 is not greater than zero"),
        ("0.00", "invalid amount: 0.00 is not greater than zero"),
    ];
    for (input, message) in cases {
        assert_eq!(PayoutAmount::parse(input).unwrap_err().to_string(), message);
    }
    assert_eq!(
        PayoutAmount::new(Decimal::new(-5, 0))
            .unwrap_err()
            .to_string(),
        "invalid amount: -5 is not greater than zero"
    );
}

#[test]
fn refuses_text_that_is_not_a_plain_number() {
    for bad in [
        "", "abc", "10,50", "-1", "+1", "1e3", ".5", "5.", "1.2.3", " ", "1 000",
    ] {
        assert!(PayoutAmount::parse(bad).is_err(), "{bad:?}");
    }
    let huge = "9".repeat(40);
    assert!(PayoutAmount::parse(&huge).is_err());
}
