//! The calendar date of a balance history request: `YYYY-MM-DD`.
//!
//! Treezor expects `dateFrom`/`dateTo` as `YYYY-MM-DD` ("Date expected format is YYYY-MM-DD",
//! balances guide) and documents no error for other forms, so a wrong date is refused here
//! with a message instead of being passed on.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::InvalidValue;

/// A calendar date written `YYYY-MM-DD`, as the history endpoint expects it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HistoryDate(Date);

impl HistoryDate {
    /// Reads exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) naming a real
    /// calendar date.
    ///
    /// # Errors
    /// [`InvalidValue`] for any other form (`2024-1-5`, `2024/01/05`, `2024-01-05T00:00`)
    /// and for dates that do not exist (`2023-02-29`, `2024-13-01`).
    ///
    /// ```
    /// use qiwi_types::treezor::HistoryDate;
    /// assert_eq!(HistoryDate::parse("2024-02-29")?.to_string(), "2024-02-29");
    /// assert!(HistoryDate::parse("2023-02-29").is_err());
    /// assert!(HistoryDate::parse("01/12/2024").is_err());
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(InvalidValue::new(
                "date",
                format!("the date {text:?} must be written YYYY-MM-DD, e.g. 2024-12-01"),
            ));
        }
        // The shape check makes these slices digits.
        let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        calendar_date(year, month as i8, day as i8)
            .ok_or_else(|| InvalidValue::new("date", format!("the date {text:?} does not exist")))
    }

    /// A date from its parts.
    ///
    /// # Errors
    /// [`InvalidValue`] when the parts name no calendar date.
    ///
    /// ```
    /// use qiwi_types::treezor::HistoryDate;
    /// assert_eq!(HistoryDate::from_ymd(2025, 2, 10)?.to_string(), "2025-02-10");
    /// # Ok::<(), qiwi_types::InvalidValue>(())
    /// ```
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Result<Self, InvalidValue> {
        calendar_date(year, month, day).ok_or_else(|| {
            InvalidValue::new(
                "date",
                format!("{year:04}-{month:02}-{day:02} is not a calendar date"),
            )
        })
    }

    /// The date.
    pub fn date(self) -> Date {
        self.0
    }
}

/// Year 0 and negative years are valid in `jiff` but name no date Treezor could hold.
fn calendar_date(year: i16, month: i8, day: i8) -> Option<HistoryDate> {
    Date::new(year, month, day)
        .ok()
        .filter(|d| d.year() >= 1)
        .map(HistoryDate)
}

impl FromStr for HistoryDate {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        Self::parse(text)
    }
}

impl fmt::Display for HistoryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl fmt::Debug for HistoryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HistoryDate({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_yyyy_mm_dd_dates_pass() {
        for good in ["2024-02-29", "2021-11-01", "2025-12-31", "0001-01-01"] {
            assert_eq!(HistoryDate::parse(good).unwrap().to_string(), good);
        }
        #[rustfmt::skip]
        let bad = [
            ("", "YYYY-MM-DD"), ("2024-1-05", "YYYY-MM-DD"), ("2024/01/05", "YYYY-MM-DD"),
            ("05-01-2024", "YYYY-MM-DD"), ("2024-01-05T00:00:00", "YYYY-MM-DD"),
            (" 2024-01-05", "YYYY-MM-DD"), ("2024-01-05Z", "YYYY-MM-DD"), ("+024-01-05", "YYYY-MM-DD"),
            ("２０２４-01-05", "YYYY-MM-DD"), ("2023-02-29", "does not exist"),
            ("2024-13-01", "does not exist"), ("2024-00-10", "does not exist"),
            ("2024-04-31", "does not exist"), ("0000-01-01", "does not exist"),
        ];
        for (text, why) in bad {
            let err = HistoryDate::parse(text).expect_err(text).to_string();
            assert!(err.contains(why), "{text}: {err}");
            assert!(err.starts_with("invalid date: the date"), "{err}");
        }
    }

    #[test]
    fn from_parts() {
        assert!(HistoryDate::from_ymd(2023, 2, 29).is_err());
        assert!(HistoryDate::from_ymd(0, 1, 1).is_err());
        assert_eq!(
            HistoryDate::from_ymd(2024, 2, 29).unwrap().to_string(),
            "2024-02-29"
        );
    }
}
