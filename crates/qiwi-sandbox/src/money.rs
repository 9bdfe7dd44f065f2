//! Exact money: amounts are integer minor units (kopecks, cents) and are parsed from and written
//! to decimal text by hand, never through a binary float.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in minor units (1/100 of the currency unit), for example `874` for `8.74`.
///
/// It reads from JSON as a decimal string (`"8.74"`) or a JSON number (`8.74`, read from its exact
/// digits), and writes itself as a decimal string with two fraction digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub i64);

impl Amount {
    /// The amount `units.cents`, e.g. `Amount::new(8, 74)` is `8.74`.
    pub const fn new(units: i64, cents: i64) -> Self {
        Self(units * 100 + cents)
    }

    /// The amount in minor units.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Parses decimal text with at most two fraction digits (`"8.74"`, `"8.7"`, `"8"`, `"-1.50"`).
    pub fn parse(text: &str) -> Option<Self> {
        parse_minor(text).map(Self)
    }

    /// The amount with exactly two fraction digits (`"8.70"`), as the agent protocol writes it.
    pub fn fixed2(self) -> String {
        format_fixed2(self.0)
    }

    /// The amount with trailing fraction zeros removed (`"8.7"`, `"280"`), as JSON numbers are
    /// written by the QIWI and Treezor services.
    pub fn compact(self) -> String {
        format_compact(self.0)
    }

    /// The amount as an exact JSON number in compact form.
    pub fn json_number(self) -> serde_json::Value {
        json_number(&self.compact())
    }

    /// The amount as an exact JSON number with exactly two fraction digits (`40000.00`).
    pub fn json_number_fixed2(self) -> serde_json::Value {
        json_number(&self.fixed2())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fixed2())
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.fixed2())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(D::Error::custom(format!(
                    "expected an amount as a decimal string or number, found {other}"
                )));
            }
        };
        Amount::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "invalid amount {text:?}: expected a decimal with at most two fraction digits"
            ))
        })
    }
}

/// Builds an exact JSON number from decimal text that is known to be a valid JSON number.
pub(crate) fn json_number(text: &str) -> serde_json::Value {
    match text.parse::<serde_json::Number>() {
        Ok(n) => serde_json::Value::Number(n),
        // Only reachable with malformed text, which this module never produces.
        Err(_) => serde_json::Value::String(text.to_owned()),
    }
}

/// Parses `[-]digits[.d[d]]` into minor units.
pub(crate) fn parse_minor(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac_part.len() > 2 || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if body.contains('.') && frac_part.is_empty() {
        return None;
    }
    let units: i64 = int_part.parse().ok()?;
    let mut cents: i64 = 0;
    for (i, b) in frac_part.bytes().enumerate() {
        let digit = i64::from(b - b'0');
        cents += if i == 0 { digit * 10 } else { digit };
    }
    let minor = units.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -minor } else { minor })
}

/// Formats minor units as `[-]units.cc`.
pub(crate) fn format_fixed2(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Formats minor units without trailing fraction zeros: `8.74`, `8.7`, `280`.
pub(crate) fn format_compact(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (units, cents) = (abs / 100, abs % 100);
    if cents == 0 {
        format!("{sign}{units}")
    } else if cents % 10 == 0 {
        format!("{sign}{units}.{}", cents / 10)
    } else {
        format!("{sign}{units}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_text_exactly() {
        assert_eq!(parse_minor("8.74"), Some(874));
        assert_eq!(parse_minor("8.7"), Some(870));
        assert_eq!(parse_minor("1115"), Some(111_500));
        assert_eq!(parse_minor("0.01"), Some(1));
        assert_eq!(parse_minor("-1.50"), Some(-150));
        assert_eq!(parse_minor("29.58"), Some(2958));
        assert_eq!(parse_minor("1.234"), None);
        assert_eq!(parse_minor("1."), None);
        assert_eq!(parse_minor(".5"), None);
        assert_eq!(parse_minor("1e3"), None);
        assert_eq!(parse_minor(""), None);
        assert_eq!(parse_minor("99999999999999999999"), None);
    }

    #[test]
    fn formats_both_ways() {
        assert_eq!(format_fixed2(874), "8.74");
        assert_eq!(format_fixed2(5), "0.05");
        assert_eq!(format_fixed2(-150), "-1.50");
        assert_eq!(format_compact(874), "8.74");
        assert_eq!(format_compact(400_250), "4002.5");
        assert_eq!(format_compact(28_000), "280");
        assert_eq!(format_compact(0), "0");
        assert_eq!(format_compact(5), "0.05");
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let v = serde_json::json!({ "amount": Amount(874).json_number(), "max": Amount(4_000_000).json_number_fixed2() });
        assert_eq!(v.to_string(), r#"{"amount":8.74,"max":40000.00}"#);
    }

    #[test]
    fn amount_reads_strings_and_numbers() {
        let a: Amount = serde_json::from_str("\"8.74\"").unwrap();
        let b: Amount = serde_json::from_str("8.74").unwrap();
        assert_eq!(a, b);
        assert!(serde_json::from_str::<Amount>("8.745").is_err());
        assert_eq!(serde_json::to_string(&Amount(870)).unwrap(), "\"8.70\"");
    }
}
