use qiwi_types::CardNumber;

/// Numbers whose last digit is their Luhn check digit, of the lengths cards have.
const VALID: &[&str] = &[
    "4265111122334417",    // 16, Visa
    "4111111111111111",    // 16, the classic test Visa
    "2200123412341236",    // 16, Mir
    "5256123412341232",    // 16, Mastercard
    "4222222222222",       // 13
    "220012341234123451",  // 18
    "6762123412341234563", // 19, Maestro
    "4000000000000002",    // zeros but one
];

#[test]
fn numbers_with_a_valid_check_digit_are_accepted_as_written() {
    for &digits in VALID {
        let card = CardNumber::parse(digits).unwrap_or_else(|e| panic!("{digits}: {e}"));
        assert_eq!(card.as_str(), digits);
    }
    // Surrounding blanks are trimmed, as before.
    assert_eq!(
        CardNumber::parse(" 4265111122334417\n").unwrap().as_str(),
        "4265111122334417"
    );
}

#[test]
fn a_mistyped_or_swapped_digit_is_refused_with_the_number_masked() {
    let cases = [
        (
            "4265111122334418",
            "426511******4418",
            "last digit off by one",
        ),
        (
            "4265111122384417",
            "426511******4417",
            "a middle digit off by one",
        ),
        (
            "4265111122334471",
            "426511******4471",
            "the last two swapped",
        ),
        (
            "2465111122334417",
            "246511******4417",
            "the first two swapped",
        ),
        (
            "220012341234123452",
            "220012********3452",
            "18 digits, last off by one",
        ),
        (
            "6762123412341234564",
            "676212*********4564",
            "19 digits, last off by one",
        ),
    ];
    for (digits, masked, why) in cases {
        let err = CardNumber::parse(digits).expect_err(why);
        assert_eq!(err.what(), "card number", "{why}");
        assert_eq!(
            err.to_string(),
            format!(
                "invalid card number: the check digit of {masked} is wrong (Luhn checksum): \
                 a digit is mistyped or two are swapped"
            ),
            "{why}"
        );
        assert!(
            !err.to_string().contains(digits),
            "{why}: the number is echoed"
        );
    }
}

#[test]
fn all_zeros_passes_luhn_but_is_refused() {
    let err = CardNumber::parse("0000000000000000").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid card number: it is all zeros, which no card has"
    );
}

#[test]
fn the_shape_is_checked_before_the_check_digit() {
    for (text, reason) in [
        ("4265 1111 2233 4417", "only the digits 0-9 are allowed"),
        (
            "426511112233",
            "it must have 13 to 19 digits; this one has 12",
        ),
        (
            "42651111223344170000",
            "it must have 13 to 19 digits; this one has 20",
        ),
    ] {
        let err = CardNumber::parse(text).unwrap_err();
        assert!(err.reason().starts_with(reason), "{text}: {err}");
    }
}
