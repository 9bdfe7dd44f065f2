//! The period of a balance history request, checked before anything is sent.
//!
//! Treezor expects `dateFrom`/`dateTo` as `YYYY-MM-DD` ("Date expected format is YYYY-MM-DD",
//! balances guide) and documents no error for other forms, so a wrong date is refused here
//! with a message instead of being passed on.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::Error;

/// A calendar date written `YYYY-MM-DD`, as the history endpoint expects it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HistoryDate(Date);

impl HistoryDate {
    /// Reads exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) naming a real
    /// calendar date.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for any other form (`2024-1-5`, `2024/01/05`, `2024-01-05T00:00`)
    /// and for dates that do not exist (`2023-02-29`, `2024-13-01`).
    ///
    /// ```
    /// use balances_core::HistoryDate;
    /// assert_eq!(HistoryDate::parse("2024-02-29")?.to_string(), "2024-02-29");
    /// assert!(HistoryDate::parse("2023-02-29").is_err());
    /// assert!(HistoryDate::parse("01/12/2024").is_err());
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(Error::InvalidInput(format!(
                "the date {text:?} must be written YYYY-MM-DD, e.g. 2024-12-01"
            )));
        }
        // The shape check makes these slices digits.
        let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        calendar_date(year, month as i8, day as i8)
            .ok_or_else(|| Error::InvalidInput(format!("the date {text:?} does not exist")))
    }

    /// A date from its parts.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the parts name no calendar date.
    ///
    /// ```
    /// use balances_core::HistoryDate;
    /// assert_eq!(HistoryDate::from_ymd(2025, 2, 10)?.to_string(), "2025-02-10");
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Result<Self, Error> {
        calendar_date(year, month, day).ok_or_else(|| {
            Error::InvalidInput(format!(
                "{year:04}-{month:02}-{day:02} is not a calendar date"
            ))
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
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
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

/// The optional period of a balance history request: `dateFrom` and `dateTo`, both inclusive
/// days, the start not after the end. [`HistoryRange::default`] asks for the whole history.
///
/// Treezor documents no pagination, no maximum range and no default window for this endpoint:
/// for long periods, ask for several shorter ranges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryRange {
    from: Option<HistoryDate>,
    to: Option<HistoryDate>,
}

impl HistoryRange {
    /// No bounds: the server's whole history.
    pub fn all() -> Self {
        Self::default()
    }

    /// A period with optional bounds.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `from` is after `to`.
    ///
    /// ```
    /// use balances_core::{HistoryDate, HistoryRange};
    /// let from = HistoryDate::parse("2024-12-01")?;
    /// let range = HistoryRange::new(Some(from), None)?;
    /// assert_eq!(range.from(), Some(from));
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn new(from: Option<HistoryDate>, to: Option<HistoryDate>) -> Result<Self, Error> {
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(Error::InvalidInput(format!(
                    "the start date {from} is after the end date {to}"
                )));
            }
        }
        Ok(Self { from, to })
    }

    /// A period from optional `YYYY-MM-DD` texts, as a command line gives them.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a text is not a `YYYY-MM-DD` calendar date, or the start is
    /// after the end.
    ///
    /// ```
    /// use balances_core::HistoryRange;
    /// let range = HistoryRange::parse(Some("2021-11-01"), Some("2022-10-01"))?;
    /// assert_eq!(range.to().unwrap().to_string(), "2022-10-01");
    /// assert!(HistoryRange::parse(Some("2022-10-01"), Some("2021-11-01")).is_err());
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, Error> {
        Self::new(
            from.map(HistoryDate::parse).transpose()?,
            to.map(HistoryDate::parse).transpose()?,
        )
    }

    /// The first day, when bounded.
    pub fn from(&self) -> Option<HistoryDate> {
        self.from
    }

    /// The last day, when bounded.
    pub fn to(&self) -> Option<HistoryDate> {
        self.to
    }

    /// The query pairs: `dateFrom` then `dateTo`, each only when set.
    pub(crate) fn query_pairs(&self) -> impl Iterator<Item = (&'static str, String)> {
        [("dateFrom", self.from), ("dateTo", self.to)]
            .into_iter()
            .filter_map(|(name, date)| date.map(|d| (name, d.to_string())))
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
            assert!(err.starts_with("invalid input, nothing was sent"), "{err}");
        }
    }

    #[test]
    fn the_start_may_not_be_after_the_end() {
        let err = HistoryRange::parse(Some("2022-10-02"), Some("2022-10-01"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("2022-10-02 is after the end date 2022-10-01"),
            "{err}"
        );
        let same_day = HistoryRange::parse(Some("2022-10-01"), Some("2022-10-01")).unwrap();
        let pairs: Vec<_> = same_day.query_pairs().collect();
        assert_eq!(
            pairs,
            [
                ("dateFrom", "2022-10-01".to_owned()),
                ("dateTo", "2022-10-01".to_owned())
            ]
        );
        assert_eq!(HistoryRange::all().query_pairs().count(), 0);
        let open_end = HistoryRange::parse(None, Some("2022-10-01")).unwrap();
        assert_eq!(
            open_end.query_pairs().map(|p| p.0).collect::<Vec<_>>(),
            ["dateTo"]
        );
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
