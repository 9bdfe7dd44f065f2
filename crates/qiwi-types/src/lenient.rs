//! Decoders for fields whose JSON type varies between endpoints or API generations.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Reads a string or a number (integer or decimal) as its text.
///
/// QIWI writes ids as numbers in one place and strings in another; the text keeps every digit
/// (a `u64` would not hold a 20-digit agent transaction number).
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    with_text(d, str::to_owned)
}

/// Reads a string or a number as text and hands it to `read` without keeping a copy of a
/// string: how a forward-compatible enum reads its wire value (most are known words).
///
/// # Errors
/// As [`string_or_number`].
pub fn with_text<'de, D: Deserializer<'de>, T>(
    d: D,
    read: impl FnOnce(&str) -> T,
) -> Result<T, D::Error> {
    d.deserialize_any(WithText(read))
}

struct WithText<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for WithText<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok((self.0)(itoa::Buffer::new().format(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok((self.0)(itoa::Buffer::new().format(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok((self.0)(&v.to_string()))
    }

    /// `serde_json` with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        json_number_text(&mut map, "a string or a number").map(|text| (self.0)(&text))
    }
}

/// The key under which `serde_json` (with `arbitrary_precision`) passes a number's text; the
/// wallet's free-form `JsonValue` looks at an object's first key before deciding whether it is
/// a number, which [`json_number_text`] cannot do.
pub(crate) const JSON_NUMBER_KEY: &str = "$serde_json::private::Number";

/// Takes a number's text out of the one-entry map that `serde_json` with `arbitrary_precision`
/// passes for a number; any other map is an error naming what was `expected`.
pub(crate) fn json_number_text<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    expected: &str,
) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(key) if key == JSON_NUMBER_KEY => map.next_value::<String>(),
        _ => Err(de::Error::custom(format!(
            "expected {expected}, found an object"
        ))),
    }
}

/// `#[serde(with = "qiwi_types::lenient::text")]`: a `String` field that the server may send as
/// a number.
pub mod text {
    use super::*;

    /// Writes the text as a string.
    pub fn serialize<S: Serializer>(value: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }

    /// Reads a string or a number as text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        string_or_number(d)
    }
}

/// `#[serde(with = "qiwi_types::lenient::text_opt", default)]`: like [`text`], with `null`
/// giving `None`.
pub mod text_opt {
    use super::*;

    /// Writes `Some` as a string, `None` as `null`.
    pub fn serialize<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads a string, a number, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(ScalarText::PLAIN)
    }
}

/// Reads a string, a number or an object's `member` as text, and `null` as `None`: QIWI writes
/// a provider as its id in one place and as an object in another, an error code as a number,
/// its text or `{"code": …}`.
#[cfg(feature = "wallet")]
pub(crate) fn text_or_member<'de, D: Deserializer<'de>>(
    d: D,
    member: &'static str,
) -> Result<Option<String>, D::Error> {
    d.deserialize_any(ScalarText {
        member: Some(member),
        ..ScalarText::PLAIN
    })
}

/// Reads a string, a number or (when `accept_bool` is set) a boolean as text; `null` gives
/// `None`, and so does an empty (or blank) string when `blank_is_none` is set. Numbers keep every
/// digit (a `u64` would not hold a 20-digit agent transaction number). With a `member`, an
/// object is read as that member of it (`None` when it is absent).
#[derive(Clone, Copy)]
struct ScalarText {
    blank_is_none: bool,
    accept_bool: bool,
    member: Option<&'static str>,
}

impl ScalarText {
    const PLAIN: Self = Self {
        blank_is_none: false,
        accept_bool: false,
        member: None,
    };
}

impl<'de> de::DeserializeSeed<'de> for ScalarText {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.accept_bool, self.member) {
            (true, _) => f.write_str("a string, a number, a boolean or null"),
            (false, Some(member)) => {
                write!(f, "a string, a number, null or an object's `{member}`")
            }
            (false, None) => f.write_str("a string, a number or null"),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if self.blank_is_none && v.trim().is_empty() {
            Ok(None)
        } else {
            Ok(Some(v.to_owned()))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(itoa::Buffer::new().format(v).to_owned()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(itoa::Buffer::new().format(v).to_owned()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if self.accept_bool {
            Ok(Some(v.to_string()))
        } else {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    /// `serde_json` with `arbitrary_precision` hands numbers over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(member) = self.member else {
            return json_number_text(&mut map, "a string, a number or null").map(Some);
        };
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == JSON_NUMBER_KEY {
                return map.next_value().map(Some);
            }
            if key == member {
                found = map.next_value_seed(self)?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// `#[serde(with = "blank_text_opt", default)]`: an optional text that the server writes as a
/// string, a number, `null` or `""`; both `null` and `""` mean "not given" and give `None`.
///
/// Used for `inn`, `snils`, `oms` (§14 item 7 and §15: `null` as well as `""` occurs). `None` is
/// written back as `""`, the form the request examples use.
#[cfg(feature = "wallet")]
pub(crate) mod blank_text_opt {
    use super::*;
    use serde::Serializer;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<String>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(value.as_deref().unwrap_or(""))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(ScalarText {
            blank_is_none: true,
            ..ScalarText::PLAIN
        })
    }
}

/// `#[serde(with = "scalar_text_opt", default)]`: an optional service field documented as a
/// string that may come as a string, a number, a boolean or `null`; kept as text.
#[cfg(feature = "wallet")]
pub(crate) mod scalar_text_opt {
    pub(crate) use super::text_opt::serialize;
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(ScalarText {
            accept_bool: true,
            ..ScalarText::PLAIN
        })
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(with = "super::text")]
        id: String,
        #[serde(with = "super::text_opt", default)]
        other: Option<String>,
    }

    #[test]
    fn numbers_and_strings_become_the_same_text() {
        let a: T =
            serde_json::from_str(r#"{"id": 12345678901234567890123, "other": null}"#).unwrap();
        assert_eq!(a.id, "12345678901234567890123");
        assert_eq!(a.other, None);
        let b: T = serde_json::from_str(r#"{"id": "42", "other": 7}"#).unwrap();
        assert_eq!((b.id.as_str(), b.other.as_deref()), ("42", Some("7")));
        assert!(serde_json::from_str::<T>(r#"{"id": true}"#).is_err());
    }
}

#[cfg(all(test, feature = "wallet"))]
mod wallet_tests {
    use serde::{Deserialize, Serialize};

    #[derive(Deserialize, Serialize)]
    struct T {
        #[serde(with = "super::blank_text_opt", default)]
        blank: Option<String>,
        #[serde(with = "super::scalar_text_opt", default)]
        scalar: Option<String>,
    }

    fn read(json: &str) -> T {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn blank_and_null_are_none_numbers_are_text() {
        assert_eq!(read(r#"{"blank": ""}"#).blank, None);
        assert_eq!(read(r#"{"blank": null}"#).blank, None);
        assert_eq!(read(r#"{}"#).blank, None);
        assert_eq!(
            read(r#"{"blank": "77***01"}"#).blank.as_deref(),
            Some("77***01")
        );
        assert_eq!(
            read(r#"{"blank": 7710000001}"#).blank.as_deref(),
            Some("7710000001")
        );
        assert!(serde_json::from_str::<T>(r#"{"blank": true}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"blank": {"a": 1}}"#).is_err());
    }

    #[test]
    fn scalar_text_accepts_booleans() {
        assert_eq!(read(r#"{"scalar": true}"#).scalar.as_deref(), Some("true"));
        assert_eq!(read(r#"{"scalar": null}"#).scalar, None);
        assert_eq!(read(r#"{"scalar": ""}"#).scalar.as_deref(), Some(""));
        assert_eq!(read(r#"{"scalar": 1.50}"#).scalar.as_deref(), Some("1.50"));
    }

    #[test]
    fn blank_writes_empty_string() {
        let t = read(r#"{"blank": null, "scalar": null}"#);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"blank":"","scalar":null}"#
        );
    }
}
