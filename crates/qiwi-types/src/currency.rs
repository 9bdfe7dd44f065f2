//! ISO-4217 currency codes in every form the three APIs use.
//!
//! QIWI writes `643` (a JSON number) or `"643"` (a string) depending on the endpoint, its limits
//! endpoint writes `"RUB"`, Treezor writes `"EUR"`, and the agent protocol may write either form.
//! A [`Currency`] reads all of them, compares equal across forms (`643` == `"RUB"`), and writes
//! back the form it was read in. A code outside ISO 4217 (`XYZ`) is kept as it was written.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A currency, as an ISO-4217 numeric or alphabetic code.
#[derive(Clone)]
pub struct Currency {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Known {
        index: u8,
        form: Form,
    },
    /// A numeric code outside the table, written as a JSON number.
    UnknownNumber(u32),
    /// Any other text, kept verbatim.
    UnknownText(Box<str>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Form {
    Number,
    NumericText,
    Alpha,
}

/// (numeric, alphabetic, minor unit digits): the ISO-4217 currencies in circulation, plus the
/// withdrawn Latvian lats (`LVL`) that older QIWI answers name. The first four are the associated
/// constants below.
const TABLE: &[(u16, &str, u8)] = &[
    (643, "RUB", 2),
    (840, "USD", 2),
    (978, "EUR", 2),
    (398, "KZT", 2),
    (784, "AED", 2),
    (971, "AFN", 2),
    (8, "ALL", 2),
    (51, "AMD", 2),
    (973, "AOA", 2),
    (32, "ARS", 2),
    (36, "AUD", 2),
    (533, "AWG", 2),
    (944, "AZN", 2),
    (977, "BAM", 2),
    (52, "BBD", 2),
    (50, "BDT", 2),
    (975, "BGN", 2),
    (48, "BHD", 3),
    (108, "BIF", 0),
    (60, "BMD", 2),
    (96, "BND", 2),
    (68, "BOB", 2),
    (984, "BOV", 2),
    (986, "BRL", 2),
    (44, "BSD", 2),
    (64, "BTN", 2),
    (72, "BWP", 2),
    (933, "BYN", 2),
    (84, "BZD", 2),
    (124, "CAD", 2),
    (976, "CDF", 2),
    (947, "CHE", 2),
    (756, "CHF", 2),
    (948, "CHW", 2),
    (990, "CLF", 4),
    (152, "CLP", 0),
    (156, "CNY", 2),
    (170, "COP", 2),
    (970, "COU", 2),
    (188, "CRC", 2),
    (192, "CUP", 2),
    (132, "CVE", 2),
    (203, "CZK", 2),
    (262, "DJF", 0),
    (208, "DKK", 2),
    (214, "DOP", 2),
    (12, "DZD", 2),
    (818, "EGP", 2),
    (232, "ERN", 2),
    (230, "ETB", 2),
    (242, "FJD", 2),
    (238, "FKP", 2),
    (826, "GBP", 2),
    (981, "GEL", 2),
    (936, "GHS", 2),
    (292, "GIP", 2),
    (270, "GMD", 2),
    (324, "GNF", 0),
    (320, "GTQ", 2),
    (328, "GYD", 2),
    (344, "HKD", 2),
    (340, "HNL", 2),
    (332, "HTG", 2),
    (348, "HUF", 2),
    (360, "IDR", 2),
    (376, "ILS", 2),
    (356, "INR", 2),
    (368, "IQD", 3),
    (364, "IRR", 2),
    (352, "ISK", 0),
    (388, "JMD", 2),
    (400, "JOD", 3),
    (392, "JPY", 0),
    (404, "KES", 2),
    (417, "KGS", 2),
    (116, "KHR", 2),
    (174, "KMF", 0),
    (408, "KPW", 2),
    (410, "KRW", 0),
    (414, "KWD", 3),
    (136, "KYD", 2),
    (418, "LAK", 2),
    (422, "LBP", 2),
    (144, "LKR", 2),
    (430, "LRD", 2),
    (426, "LSL", 2),
    (434, "LYD", 3),
    (504, "MAD", 2),
    (498, "MDL", 2),
    (969, "MGA", 2),
    (807, "MKD", 2),
    (104, "MMK", 2),
    (496, "MNT", 2),
    (446, "MOP", 2),
    (929, "MRU", 2),
    (480, "MUR", 2),
    (462, "MVR", 2),
    (454, "MWK", 2),
    (484, "MXN", 2),
    (979, "MXV", 2),
    (458, "MYR", 2),
    (943, "MZN", 2),
    (516, "NAD", 2),
    (566, "NGN", 2),
    (558, "NIO", 2),
    (578, "NOK", 2),
    (524, "NPR", 2),
    (554, "NZD", 2),
    (512, "OMR", 3),
    (590, "PAB", 2),
    (604, "PEN", 2),
    (598, "PGK", 2),
    (608, "PHP", 2),
    (586, "PKR", 2),
    (985, "PLN", 2),
    (600, "PYG", 0),
    (634, "QAR", 2),
    (946, "RON", 2),
    (941, "RSD", 2),
    (646, "RWF", 0),
    (682, "SAR", 2),
    (90, "SBD", 2),
    (690, "SCR", 2),
    (938, "SDG", 2),
    (752, "SEK", 2),
    (702, "SGD", 2),
    (654, "SHP", 2),
    (925, "SLE", 2),
    (706, "SOS", 2),
    (968, "SRD", 2),
    (728, "SSP", 2),
    (930, "STN", 2),
    (222, "SVC", 2),
    (760, "SYP", 2),
    (748, "SZL", 2),
    (764, "THB", 2),
    (972, "TJS", 2),
    (934, "TMT", 2),
    (788, "TND", 3),
    (776, "TOP", 2),
    (949, "TRY", 2),
    (780, "TTD", 2),
    (901, "TWD", 2),
    (834, "TZS", 2),
    (980, "UAH", 2),
    (800, "UGX", 0),
    (997, "USN", 2),
    (940, "UYI", 0),
    (858, "UYU", 2),
    (927, "UYW", 4),
    (860, "UZS", 2),
    (926, "VED", 2),
    (928, "VES", 2),
    (704, "VND", 0),
    (548, "VUV", 0),
    (882, "WST", 2),
    (950, "XAF", 0),
    (951, "XCD", 2),
    (532, "XCG", 2),
    (952, "XOF", 0),
    (953, "XPF", 0),
    (886, "YER", 2),
    (710, "ZAR", 2),
    (967, "ZMW", 2),
    (924, "ZWG", 2),
    (428, "LVL", 2),
];

impl Currency {
    /// Russian rouble (643).
    pub const RUB: Currency = Currency::known(0);
    /// US dollar (840).
    pub const USD: Currency = Currency::known(1);
    /// Euro (978).
    pub const EUR: Currency = Currency::known(2);
    /// Kazakhstani tenge (398).
    pub const KZT: Currency = Currency::known(3);

    const fn known(index: u8) -> Self {
        Currency {
            repr: Repr::Known {
                index,
                form: Form::Alpha,
            },
        }
    }

    /// Reads a code as text: `"643"`, `"RUB"` (any case), or anything else (kept verbatim).
    pub fn parse(code: &str) -> Currency {
        let trimmed = code.trim();
        if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(index) = trimmed.parse::<u16>().ok().and_then(index_of_numeric) {
                return Self::with(index, Form::NumericText);
            }
        } else if let Some(index) = TABLE
            .iter()
            .position(|(_, alpha, _)| alpha.eq_ignore_ascii_case(trimmed))
        {
            return Self::with(index as u8, Form::Alpha);
        }
        Currency {
            repr: Repr::UnknownText(code.into()),
        }
    }

    /// Reads a numeric code written as a JSON number (`643`).
    pub fn from_numeric(code: u32) -> Currency {
        match u16::try_from(code).ok().and_then(index_of_numeric) {
            Some(index) => Self::with(index, Form::Number),
            None => Currency {
                repr: Repr::UnknownNumber(code),
            },
        }
    }

    fn with(index: u8, form: Form) -> Self {
        Currency {
            repr: Repr::Known { index, form },
        }
    }

    fn entry(&self) -> Option<&'static (u16, &'static str, u8)> {
        match self.repr {
            Repr::Known { index, .. } => TABLE.get(index as usize),
            _ => None,
        }
    }

    /// The ISO-4217 numeric code, when known (also for an unknown code written as digits).
    pub fn numeric(&self) -> Option<u16> {
        match &self.repr {
            Repr::Known { .. } => self.entry().map(|e| e.0),
            Repr::UnknownNumber(n) => u16::try_from(*n).ok(),
            Repr::UnknownText(t) => t.trim().parse().ok(),
        }
    }

    /// The ISO-4217 alphabetic code, when known.
    pub fn alpha(&self) -> Option<&'static str> {
        self.entry().map(|e| e.1)
    }

    /// Digits after the decimal point in this currency's minor unit, when known.
    pub fn minor_unit_digits(&self) -> Option<u8> {
        self.entry().map(|e| e.2)
    }

    /// Whether the code names an ISO-4217 currency in circulation (or `LVL`).
    pub fn is_known(&self) -> bool {
        self.entry().is_some()
    }

    /// The code as it is best shown to a person: the alphabetic code when known, else as written.
    pub fn code(&self) -> String {
        match &self.repr {
            Repr::Known { .. } => self.alpha().unwrap_or_default().to_owned(),
            Repr::UnknownNumber(n) => n.to_string(),
            Repr::UnknownText(t) => t.to_string(),
        }
    }
}

fn index_of_numeric(code: u16) -> Option<u8> {
    TABLE
        .iter()
        .position(|(numeric, _, _)| *numeric == code)
        .map(|i| i as u8)
}

impl PartialEq for Currency {
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Known { index: a, .. }, Repr::Known { index: b, .. }) => a == b,
            (Repr::Known { .. }, _) | (_, Repr::Known { .. }) => false,
            _ => self.code() == other.code(),
        }
    }
}

impl Eq for Currency {}

impl std::hash::Hash for Currency {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match &self.repr {
            Repr::Known { index, .. } => index.hash(state),
            _ => self.code().hash(state),
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Known { .. } => write!(f, "Currency({})", self.code()),
            Repr::UnknownNumber(n) => write!(f, "Currency(unknown {n})"),
            Repr::UnknownText(t) => write!(f, "Currency(unknown {t:?})"),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Currency::parse(s))
    }
}

impl Serialize for Currency {
    /// Writes the form that was read: a number stays a number, `"643"` stays `"643"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.repr {
            Repr::Known { form, .. } => {
                let (numeric, alpha, _) = self.entry().copied().unwrap_or((0, "", 0));
                match form {
                    Form::Number => s.serialize_u16(numeric),
                    Form::NumericText => s.collect_str(&format_args!("{numeric:03}")),
                    Form::Alpha => s.serialize_str(alpha),
                }
            }
            Repr::UnknownNumber(n) => s.serialize_u32(*n),
            Repr::UnknownText(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CurrencyVisitor)
    }
}

struct CurrencyVisitor;

impl<'de> Visitor<'de> for CurrencyVisitor {
    type Value = Currency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO-4217 currency code as a number or a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Currency, E> {
        Ok(Currency::parse(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Currency, E> {
        u32::try_from(v)
            .map(Currency::from_numeric)
            .map_err(|_| E::custom(format!("currency code {v} is out of range")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Currency, E> {
        u64::try_from(v)
            .map_err(|_| E::custom(format!("currency code {v} is negative")))
            .and_then(|v| self.visit_u64(v))
    }

    /// `serde_json` with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Currency, A::Error> {
        let text = crate::lenient::json_number_text(&mut map, "a currency code")?;
        match text.parse::<u32>() {
            Ok(n) => Ok(Currency::from_numeric(n)),
            Err(_) => Err(de::Error::custom(format!(
                "currency code {text} is not a whole number"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Currency {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn reads_numeric_and_alphabetic_forms_as_the_same_currency() {
        for json in ["643", r#""643""#, r#""RUB""#, r#""rub""#] {
            let c = read(json);
            assert_eq!(c, Currency::RUB, "{json}");
            assert_eq!(c.numeric(), Some(643));
            assert_eq!(c.alpha(), Some("RUB"));
        }
        assert_eq!(read(r#""EUR""#), read("978"));
        assert_ne!(read("840"), Currency::RUB);
    }

    #[test]
    fn round_trips_the_form_it_read() {
        for json in [
            "643",
            r#""643""#,
            r#""EUR""#,
            "999",
            r#""XTS1""#,
            r#""051""#,
        ] {
            assert_eq!(serde_json::to_string(&read(json)).unwrap(), json);
        }
    }

    #[test]
    fn knows_every_currency_in_circulation_once() {
        for (alpha, numeric, digits) in [
            ("MXN", 484, 2),
            ("BHD", 48, 3),
            ("XOF", 952, 0),
            ("CLF", 990, 4),
            ("ZWG", 924, 2),
        ] {
            let c = Currency::parse(alpha);
            assert!(c.is_known(), "{alpha}");
            assert_eq!(c.numeric(), Some(numeric), "{alpha}");
            assert_eq!(c.minor_unit_digits(), Some(digits), "{alpha}");
            assert_eq!(Currency::from_numeric(u32::from(numeric)), c, "{alpha}");
        }
        let mut numerics: Vec<u16> = TABLE.iter().map(|e| e.0).collect();
        let mut alphas: Vec<&str> = TABLE.iter().map(|e| e.1).collect();
        numerics.sort_unstable();
        numerics.dedup();
        alphas.sort_unstable();
        alphas.dedup();
        assert_eq!(numerics.len(), TABLE.len(), "a numeric code twice");
        assert_eq!(alphas.len(), TABLE.len(), "an alphabetic code twice");
        assert!(TABLE.len() <= usize::from(u8::MAX), "indexes are u8");
    }

    #[test]
    fn keeps_unknown_codes() {
        let c = read(r#""XBT""#);
        assert!(!c.is_known());
        assert_eq!(c.code(), "XBT");
        assert_eq!(format!("{c:?}"), r#"Currency(unknown "XBT")"#);
        let n = read("999");
        assert_eq!(n.numeric(), Some(999));
        assert_eq!(n.code(), "999");
    }

    #[test]
    fn rejects_what_is_not_a_code() {
        for bad in ["-1", "true", "[643]", "1.5", "99999999999"] {
            assert!(serde_json::from_str::<Currency>(bad).is_err(), "{bad}");
        }
    }
}
