use qiwi_types::invalid::*;

#[test]
fn digits_are_checked_for_content_and_length() {
    assert!(check_digits("card number", "4265111122334417", 13..=19).is_ok());
    assert_eq!(
        check_digits("card number", "4265 1111", 13..=19)
            .unwrap_err()
            .to_string(),
        "invalid card number: only the digits 0-9 are allowed (no spaces or signs); found ' '"
    );
    assert!(check_digits("card number", "", 13..=19).is_err());
    assert!(check_digits("card number", "123", 13..=19).is_err());
}
