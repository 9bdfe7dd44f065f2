//! A calendar date written `YYYY-MM-DD` (identification `birthDate`).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidValue;

/// A calendar date as QIWI writes it (`1996-03-18`), with its raw text.
///
/// Read from the caller it must be a real date ([`FromStr`] refuses anything else); read from
/// the server it is kept as written even when it is not a date, so an odd value never fails a
/// response that was otherwise understood.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CalendarDate {
    raw: String,
    date: Option<Date>,
}

fn not_a_date(text: String) -> InvalidValue {
    InvalidValue::new(
        "date",
        format!("{text:?} is not a calendar date; write it as YYYY-MM-DD, e.g. 1996-03-18"),
    )
}

impl CalendarDate {
    /// A date from its year, month and day.
    ///
    /// # Errors
    /// [`InvalidValue`] when there is no such day.
    ///
    /// ```
    /// use qiwi_types::wallet::CalendarDate;
    ///
    /// let date = CalendarDate::new(1996, 3, 18).unwrap();
    /// assert_eq!(date.to_string(), "1996-03-18");
    /// assert!(CalendarDate::new(1996, 2, 30).is_err());
    /// ```
    pub fn new(year: i16, month: i8, day: i8) -> Result<Self, InvalidValue> {
        Date::new(year, month, day)
            .map(Self::from_date)
            .map_err(|_| not_a_date(format!("{year:04}-{month:02}-{day:02}")))
    }

    /// A date from a [`jiff::civil::Date`].
    ///
    /// ```
    /// use qiwi_types::wallet::CalendarDate;
    ///
    /// let date = CalendarDate::from_date(jiff::civil::date(1998, 2, 11));
    /// assert_eq!(date.raw(), "1998-02-11");
    /// ```
    pub fn from_date(date: Date) -> Self {
        Self {
            raw: date.strftime("%Y-%m-%d").to_string(),
            date: Some(date),
        }
    }

    /// Keeps a text from the wire, reading the date when it is one.
    ///
    /// ```
    /// use qiwi_types::wallet::CalendarDate;
    ///
    /// assert!(CalendarDate::lenient("1996-03-18").date().is_some());
    /// let odd = CalendarDate::lenient("18.03.1996");
    /// assert_eq!((odd.date(), odd.raw()), (None, "18.03.1996"));
    /// ```
    pub fn lenient(text: &str) -> Self {
        Self {
            raw: text.to_owned(),
            date: parse(text),
        }
    }

    /// The date, when the text is one.
    ///
    /// ```
    /// use qiwi_types::wallet::CalendarDate;
    ///
    /// let date: CalendarDate = "1996-03-18".parse().unwrap();
    /// assert_eq!(date.date(), Some(jiff::civil::date(1996, 3, 18)));
    /// ```
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// The text exactly as written.
    ///
    /// ```
    /// use qiwi_types::wallet::CalendarDate;
    ///
    /// assert_eq!(CalendarDate::lenient("1996-03-18").raw(), "1996-03-18");
    /// ```
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

fn parse(text: &str) -> Option<Date> {
    let text = text.trim();
    // Exactly `YYYY-MM-DD`: jiff also reads other ISO 8601 forms that QIWI does not write.
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped { text.parse().ok() } else { None }
}

impl FromStr for CalendarDate {
    type Err = InvalidValue;

    /// Reads a caller's `YYYY-MM-DD`; anything else is an error.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match parse(text) {
            Some(date) => Ok(Self::from_date(date)),
            None => Err(not_a_date(text.to_owned())),
        }
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Debug for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.date {
            Some(_) => write!(f, "CalendarDate({})", self.raw),
            None => write!(f, "CalendarDate(unparsed {:?})", self.raw),
        }
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(Self::lenient(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_input_must_be_a_real_date() {
        assert!("1996-03-18".parse::<CalendarDate>().is_ok());
        for bad in [
            "1996-3-18",
            "18.03.1996",
            "1996-02-30",
            "",
            "1996-03-18T00:00",
        ] {
            let err = bad.parse::<CalendarDate>().unwrap_err().to_string();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
    }

    #[test]
    fn wire_text_is_kept_whatever_it_is() {
        let odd: CalendarDate = serde_json::from_str(r#""xxxx""#).unwrap();
        assert_eq!(odd.date(), None);
        assert_eq!(format!("{odd:?}"), r#"CalendarDate(unparsed "xxxx")"#);
        assert_eq!(serde_json::to_string(&odd).unwrap(), r#""xxxx""#);
        let good: CalendarDate = serde_json::from_str(r#""1984-01-09""#).unwrap();
        assert_eq!(format!("{good:?}"), "CalendarDate(1984-01-09)");
    }
}
