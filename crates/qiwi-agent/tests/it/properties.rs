//! Properties of transaction numbers and payout amounts over generated values.

use proptest::prelude::*;
use qiwi_agent::{PayoutAmount, TransactionNumber};
use qiwi_types::Decimal;

/// The largest transaction number: twenty nines.
const MAX: u128 = 99_999_999_999_999_999_999;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every integer from 1 to twenty nines is a transaction number, spelled one way, ordered
    /// as the integers are; zero and anything longer are refused.
    #[test]
    fn transaction_numbers_are_positive_integers_of_up_to_twenty_digits(a in 0..=MAX * 2, b in 1..=MAX) {
        match TransactionNumber::from_u128(a) {
            Ok(n) => {
                prop_assert!((1..=MAX).contains(&a));
                prop_assert_eq!(n.as_str(), a.to_string());
                prop_assert_eq!(TransactionNumber::parse(n.as_str()).unwrap(), n.clone());
                let other = TransactionNumber::from_u128(b).unwrap();
                prop_assert_eq!(n.cmp(&other), a.cmp(&b));
            }
            Err(_) => prop_assert!(a == 0 || a > MAX),
        }
        let leading_zero = format!("0{b}");
        prop_assert!(TransactionNumber::parse(&leading_zero).is_err());
    }

    /// Any text is a transaction number or an error, never a panic; accepted text is digits.
    #[test]
    fn any_text_is_a_transaction_number_or_an_error(text in any::<String>()) {
        if let Ok(n) = TransactionNumber::parse(&text) {
            prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    /// A positive amount with at most two decimals keeps its value and is written with exactly
    /// two; anything else is refused, never rounded.
    #[test]
    fn payout_amounts_keep_their_value(mantissa in -(1i128 << 96) + 1..(1i128 << 96), scale in 0u32..=28) {
        let amount = Decimal::from_i128_with_scale(mantissa, scale);
        match PayoutAmount::new(amount) {
            Ok(p) => {
                prop_assert!(amount > Decimal::ZERO);
                prop_assert_eq!(p.value(), amount);
                prop_assert_eq!(p.value().scale(), 2);
                let written = p.to_string();
                prop_assert_eq!(PayoutAmount::parse(&written).unwrap().value(), amount);
            }
            Err(_) => {
                let exact = amount.normalize();
                let hundredths = exact.scale() <= 2
                    && exact.mantissa().abs() * 10i128.pow(2 - exact.scale()) < 1i128 << 96;
                prop_assert!(amount <= Decimal::ZERO || !hundredths);
            }
        }
    }
}

/// A 27-digit amount was accepted with one decimal (`Decimal` had no room for two) and would
/// have been sent so.
#[test]
fn an_amount_too_large_for_two_decimals_is_refused() {
    for text in ["792281625142643375935439504", "999999999999999999999999999"] {
        let err = PayoutAmount::parse(text).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
    }
    let large = PayoutAmount::parse("792281625142643375935439503.35").unwrap();
    assert_eq!(large.to_string(), "792281625142643375935439503.35");
}
