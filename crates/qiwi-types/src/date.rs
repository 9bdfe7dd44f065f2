//! A calendar date written `YYYY-MM-DD`: QIWI identification `birthDate`, the days of a Treezor
//! balance history request.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidValue;

/// A calendar date as QIWI and Treezor write it (`1996-03-18`), with its raw text.
///
/// Read from the caller it must be a real date ([`FromStr`] refuses anything else); read from
/// the server it is kept as written even when it is not a date, so an odd value never fails a
/// response that was otherwise understood.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CalendarDate {
    raw: String,
    date: Option<Date>,
}

impl CalendarDate {
    /// A date from its year, month and day.
    ///
    /// # Errors
    /// [`InvalidValue`] when there is no such day.
    ///
    /// ```
    /// use qiwi_types::CalendarDate;
    ///
    /// let date = CalendarDate::new(1996, 3, 18).unwrap();
    /// assert_eq!(date.to_string(), "1996-03-18");
    /// assert!(CalendarDate::new(1996, 2, 30).is_err());
    /// ```
    pub fn new(year: i16, month: i8, day: i8) -> Result<Self, InvalidValue> {
        real(Date::new(year, month, day).ok())
            .map(Self::from_date)
            .ok_or_else(|| {
                InvalidValue::new(
                    "date",
                    format!("{year:04}-{month:02}-{day:02} is not a calendar date"),
                )
            })
    }

    /// Reads a caller's date: exactly `YYYY-MM-DD` (four-digit year, two-digit month and day,
    /// nothing around it) naming a real day of year 1 or later.
    ///
    /// # Errors
    /// [`InvalidValue`] for any other form (`2024-1-5`, `2024/01/05`, `2024-01-05T00:00`) and
    /// for days that do not exist (`2023-02-29`, `2024-13-01`, `0000-01-01`).
    ///
    /// ```
    /// use qiwi_types::CalendarDate;
    /// assert_eq!(CalendarDate::parse("2024-02-29")?.to_string(), "2024-02-29");
    /// assert!(CalendarDate::parse("2023-02-29").is_err());
    /// assert!(CalendarDate::parse("01/12/2024").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        if !shaped(text) {
            return Err(InvalidValue::new(
                "date",
                format!("the date {text:?} must be written YYYY-MM-DD, e.g. 2024-12-01"),
            ));
        }
        real(text.parse().ok())
            .map(Self::from_date)
            .ok_or_else(|| InvalidValue::new("date", format!("the date {text:?} does not exist")))
    }

    /// A date from a [`jiff::civil::Date`].
    ///
    /// ```
    /// use qiwi_types::CalendarDate;
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
    /// use qiwi_types::CalendarDate;
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
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// The text exactly as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }
}

/// Exactly `YYYY-MM-DD`: jiff also reads other ISO 8601 forms that neither API writes.
fn shaped(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Year 0 and negative years are valid in `jiff` but name no day either API could hold.
fn real(date: Option<Date>) -> Option<Date> {
    date.filter(|d| d.year() >= 1)
}

/// A wire text's date, spaces around it ignored.
fn parse(text: &str) -> Option<Date> {
    let text = text.trim();
    if shaped(text) {
        text.parse().ok()
    } else {
        None
    }
}

impl FromStr for CalendarDate {
    type Err = InvalidValue;

    /// As [`CalendarDate::parse`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
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
