//! Properties of money, currencies and wallet numbers over generated values: exact decoding,
//! round trips through JSON, and no panic on any text.

use proptest::prelude::*;
use qiwi_types::money::parse_decimal;
use qiwi_types::{ApiTime, Currency, Decimal, Money, Moscow, Paris, WalletNumber};

/// Any `Decimal`: a 96-bit mantissa with a scale of 0 to 28.
fn decimal() -> impl Strategy<Value = Decimal> {
    let max = (1i128 << 96) - 1;
    (-max..=max, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
}

fn currency_json() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u32>().prop_map(|n| n.to_string()),
        prop::sample::select(vec!["643", "840", "978", "398", "392", "999"])
            .prop_map(|n| format!("\"{n}\"")),
        prop::sample::select(vec!["RUB", "rub", "EUR", "KZT", "XTS", "???", ""])
            .prop_map(|a| format!("\"{a}\"")),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// An amount reads exactly as written, digits and scale, from a JSON number or a string.
    #[test]
    fn amounts_read_exactly_as_written(d in decimal(), c in currency_json()) {
        let text = d.to_string();
        for amount in [text.clone(), format!("\"{text}\"")] {
            let json = format!(r#"{{"amount": {amount}, "currency": {c}}}"#);
            let money: Money = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(money.amount, d);
            prop_assert_eq!(money.amount.to_string(), text.clone());
        }
        prop_assert_eq!(parse_decimal(&text).unwrap().to_string(), text);
    }

    /// Scientific notation reads as the same number.
    #[test]
    fn scientific_amounts_read_as_the_same_number(d in decimal()) {
        let text = format!("{}e-{}", d.mantissa(), d.scale());
        prop_assert_eq!(parse_decimal(&text).unwrap(), d);
    }

    /// What is read writes back as what reads the same again, in the same form.
    #[test]
    fn money_round_trips_through_json(d in decimal(), c in currency_json()) {
        let json = format!(r#"{{"amount": {d}, "currency": {c}}}"#);
        let money: Money = serde_json::from_str(&json).unwrap();
        let written = serde_json::to_string(&money).unwrap();
        let again: Money = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(&again, &money);
        prop_assert_eq!(again.amount.to_string(), money.amount.to_string());
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), written);
    }

    /// A currency compares equal across the forms it can be written in, and keeps its form.
    #[test]
    fn currencies_round_trip_and_forms_compare_equal(c in currency_json()) {
        let currency: Currency = serde_json::from_str(&c).unwrap();
        let written = serde_json::to_string(&currency).unwrap();
        let again: Currency = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(&again, &currency);
        prop_assert_eq!(serde_json::to_string(&again).unwrap(), written);
        if let (Some(n), Some(alpha)) = (currency.numeric(), currency.alpha()) {
            prop_assert_eq!(Currency::from_numeric(n.into()), Currency::parse(alpha));
            prop_assert_eq!(Currency::parse(&format!("{n:03}")), currency);
        }
    }

    /// No text makes the money or currency decoders panic.
    #[test]
    fn any_text_is_an_answer_or_an_error(text in any::<String>()) {
        let _ = parse_decimal(&text);
        let _ = Currency::parse(&text);
        let _ = serde_json::from_str::<Money>(&text);
        let quoted = serde_json::to_string(&text).unwrap();
        let _ = serde_json::from_str::<Money>(&format!(r#"{{"amount": {quoted}, "currency": {quoted}}}"#));
    }

    /// A wallet number is 11 to 15 digits after an optional `+`, and nothing else.
    #[test]
    fn wallet_numbers_are_digits_only(digits in "[0-9]{1,20}", plus in any::<bool>(), junk in any::<char>()) {
        let text = if plus { format!("+{digits}") } else { digits.clone() };
        match WalletNumber::parse(&text) {
            Ok(number) => {
                prop_assert!((11..=15).contains(&digits.len()));
                prop_assert_eq!(number.as_str(), digits.as_str());
                prop_assert_eq!(WalletNumber::parse(number.as_str()).unwrap(), number.clone());
                let json = serde_json::to_string(&number).unwrap();
                prop_assert_eq!(serde_json::from_str::<WalletNumber>(&json).unwrap(), number);
            }
            Err(_) => prop_assert!(!(11..=15).contains(&digits.len())),
        }
        if !junk.is_ascii_digit() && !junk.is_whitespace() {
            let mut spoiled = digits.clone();
            spoiled.insert(digits.len() / 2, junk);
            prop_assert!(WalletNumber::parse(&spoiled).is_err());
        }
    }

    /// Any instant from year 1 to 9999 written by a time model reads back as the same instant,
    /// in both documented zones.
    #[test]
    fn times_round_trip_exactly(seconds in -62_135_596_800i64..253_402_300_799, nanos in 0i32..1_000_000_000) {
        let instant = jiff::Timestamp::new(seconds, nanos).unwrap();
        let paris = ApiTime::<Paris>::from_timestamp(instant);
        let read: ApiTime<Paris> = serde_json::from_str(&serde_json::to_string(&paris).unwrap()).unwrap();
        prop_assert_eq!(read.timestamp(), Some(instant));
        let moscow = ApiTime::<Moscow>::from_timestamp(instant);
        let read: ApiTime<Moscow> = serde_json::from_str(&serde_json::to_string(&moscow).unwrap()).unwrap();
        prop_assert_eq!(read.timestamp(), Some(instant));
    }
}
