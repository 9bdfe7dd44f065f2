//! Wall-clock helpers: the zones and text formats each API family writes its times in.

use std::sync::OnceLock;

use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

fn zone(
    name: &'static str,
    fallback_hours: i8,
    cell: &'static OnceLock<TimeZone>,
) -> &'static TimeZone {
    cell.get_or_init(|| {
        TimeZone::get(name).unwrap_or_else(|_| TimeZone::fixed(Offset::constant(fallback_hours)))
    })
}

/// Moscow time, in which QIWI writes its zone-less times.
pub(crate) fn moscow_tz() -> &'static TimeZone {
    static CELL: OnceLock<TimeZone> = OnceLock::new();
    zone("Europe/Moscow", 3, &CELL)
}

/// Paris time, in which Treezor writes its zone-less times.
pub(crate) fn paris_tz() -> &'static TimeZone {
    static CELL: OnceLock<TimeZone> = OnceLock::new();
    zone("Europe/Paris", 1, &CELL)
}

/// The current instant.
pub(crate) fn now() -> Timestamp {
    Timestamp::now()
}

/// `ts` in Moscow time.
pub(crate) fn in_moscow(ts: Timestamp) -> ZonedDateTime {
    ts.to_zoned_datetime(moscow_tz().clone())
}

/// `ts` in Paris time.
pub(crate) fn in_paris(ts: Timestamp) -> ZonedDateTime {
    ts.to_zoned_datetime(paris_tz().clone())
}

/// Treezor's `YYYY-MM-DD HH:mm:ss`, Paris time (`calculationDate`, history keys).
pub(crate) fn treezor_datetime(ts: Timestamp) -> String {
    in_paris(ts).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The agent protocol's `txn-date`: `dd.MM.yyyy HH:mm:ss`, Moscow time.
pub(crate) fn agent_txn_date(ts: Timestamp) -> String {
    in_moscow(ts).strftime("%d.%m.%Y %H:%M:%S").to_string()
}

/// QIWI edge error `dateTime`: `2018-08-21T12:13:34.514+03:00`, Moscow time.
pub(crate) fn edge_datetime(ts: Timestamp) -> String {
    in_moscow(ts)
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// QIWI limit interval bounds: `2019-11-01T00:00:00+03:00`.
pub(crate) fn moscow_offset_datetime(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_right_zones() {
        // 2025-01-09 10:46:44 UTC is 11:46:44 in Paris (winter) and 13:46:44 in Moscow.
        let ts: Timestamp = "2025-01-09T10:46:44Z".parse().unwrap();
        assert_eq!(treezor_datetime(ts), "2025-01-09 11:46:44");
        assert_eq!(agent_txn_date(ts), "09.01.2025 13:46:44");
        assert_eq!(edge_datetime(ts), "2025-01-09T13:46:44.000+03:00");
        // Summer time in Paris: UTC+2.
        let ts: Timestamp = "2024-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(treezor_datetime(ts), "2024-07-01 12:00:00");
    }
}
