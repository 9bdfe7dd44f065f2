//! The period of a balance history request, checked before anything is sent.
//!
//! Treezor expects `dateFrom`/`dateTo` as `YYYY-MM-DD` ("Date expected format is YYYY-MM-DD",
//! balances guide) and documents no error for other forms, so a wrong date is refused here
//! with a message instead of being passed on.

use jiff::civil::Date;
use qiwi_types::CalendarDate;

use crate::Error;

/// The optional period of a balance history request: `dateFrom` and `dateTo`, both inclusive
/// days, the start not after the end. [`HistoryRange::default`] asks for the whole history.
///
/// Treezor documents no pagination, no maximum range and no default window for this endpoint:
/// for long periods, ask for several shorter ranges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryRange {
    from: Option<Date>,
    to: Option<Date>,
}

impl HistoryRange {
    /// No bounds: the server's whole history.
    pub fn all() -> Self {
        Self::default()
    }

    /// A period with optional bounds.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `from` is after `to`, or a bound is a text kept from the
    /// wire that names no day.
    ///
    /// ```
    /// use balances_core::{CalendarDate, HistoryRange};
    /// let from = CalendarDate::parse("2024-12-01")?;
    /// let range = HistoryRange::new(Some(&from), None)?;
    /// assert_eq!(range.from(), Some(from));
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn new(from: Option<&CalendarDate>, to: Option<&CalendarDate>) -> Result<Self, Error> {
        let day = |date: Option<&CalendarDate>| -> Result<Option<Date>, Error> {
            date.map(|d| {
                d.date().ok_or_else(|| {
                    Error::invalid_input(format!("the date {:?} does not exist", d.raw()))
                })
            })
            .transpose()
        };
        let (from, to) = (day(from)?, day(to)?);
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(Error::invalid_input(format!(
                    "the start date {} is after the end date {}",
                    CalendarDate::from_date(from),
                    CalendarDate::from_date(to)
                )));
            }
        }
        Ok(Self { from, to })
    }

    /// A period from optional `YYYY-MM-DD` texts, as a command line gives them.
    ///
    /// # Errors
    /// [`Error::NotSent`] when a text is not a `YYYY-MM-DD` calendar date, or the start is
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
            from.map(date).transpose()?.as_ref(),
            to.map(date).transpose()?.as_ref(),
        )
    }

    /// The first day, when bounded.
    pub fn from(&self) -> Option<CalendarDate> {
        self.from.map(CalendarDate::from_date)
    }

    /// The last day, when bounded.
    pub fn to(&self) -> Option<CalendarDate> {
        self.to.map(CalendarDate::from_date)
    }

    /// The query pairs: `dateFrom` then `dateTo`, each only when set.
    pub(crate) fn query_pairs(&self) -> impl Iterator<Item = (&'static str, String)> {
        [("dateFrom", self.from), ("dateTo", self.to)]
            .into_iter()
            .filter_map(|(name, date)| date.map(|d| (name, CalendarDate::from_date(d).to_string())))
    }
}

/// A `YYYY-MM-DD` text as a date; the reason alone names the text.
fn date(text: &str) -> Result<CalendarDate, Error> {
    CalendarDate::parse(text).map_err(|e| Error::invalid_input(e.reason()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bad_dates_are_invalid_input() {
        let err = HistoryRange::parse(Some("2023-02-29"), None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "invalid input, nothing was sent: the date \"2023-02-29\" does not exist"
        );
    }
}
