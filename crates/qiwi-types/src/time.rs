//! Timestamps read in the zone their API documents.
//!
//! QIWI writes most times with an offset (`2017-01-21T11:41:07+03:00`) but some without one, to
//! be read as Moscow time; Treezor writes `2022-03-01 15:52:40` meaning Paris time, and sometimes
//! `0000-00-00 00:00:00`. An [`ApiTime`] resolves what it can to an instant and always keeps the
//! text it was given, so an odd value never fails a response that was otherwise understood.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The zone in which an API's zone-less timestamps are to be read.
pub trait DocumentedZone: Send + Sync + 'static {
    /// The IANA name of the zone.
    const NAME: &'static str;
}

/// Europe/Moscow: QIWI's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moscow;
impl DocumentedZone for Moscow {
    const NAME: &'static str = "Europe/Moscow";
}

/// Europe/Paris: Treezor's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paris;
impl DocumentedZone for Paris {
    const NAME: &'static str = "Europe/Paris";
}

/// A timestamp from the wire: the instant when the text could be read, and the text itself.
pub struct ApiTime<Z: DocumentedZone> {
    raw: String,
    instant: Option<Timestamp>,
    zone: PhantomData<Z>,
}

impl<Z: DocumentedZone> ApiTime<Z> {
    /// Reads a timestamp: with an offset (`...+03:00`, `...Z`) as written; without one
    /// (`2022-03-01 15:52:40`, `2022-03-01T15:52:40`) in the zone `Z`. Anything else is kept
    /// as raw text with no instant.
    pub fn parse(text: &str) -> Self {
        Self {
            instant: resolve(text.trim(), Z::NAME),
            raw: text.to_owned(),
            zone: PhantomData,
        }
    }

    /// An instant, written the way this API's servers write it.
    pub fn from_timestamp(instant: Timestamp) -> Self {
        let raw = writable(instant.to_zoned_datetime(zone(Z::NAME).into_owned()))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string();
        Self {
            raw,
            instant: Some(instant),
            zone: PhantomData,
        }
    }

    /// The instant, when the text could be read.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.instant
    }

    /// The instant in the API's documented zone, when the text could be read.
    pub fn zoned(&self) -> Option<ZonedDateTime> {
        self.instant
            .map(|t| t.to_zoned_datetime(zone(Z::NAME).into_owned()))
    }

    /// The text exactly as the server wrote it.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// An RFC 3339 form with the documented zone's offset, or the raw text when unreadable.
    fn normalized(&self) -> String {
        match self.zoned().map(writable) {
            Some(z) => {
                let offset = z.offset();
                z.timestamp().display_with_offset(offset).to_string()
            }
            None => self.raw.clone(),
        }
    }
}

/// `z`, or the same instant in UTC when its offset has seconds (local mean time, before the
/// zones were standardised: Paris +00:09:21 until 1911): an offset is written in whole
/// minutes, so writing that one would name another instant.
fn writable(z: ZonedDateTime) -> ZonedDateTime {
    if z.offset().seconds() % 60 == 0 {
        z
    } else {
        z.timestamp().to_zoned_datetime(TimeZone::UTC)
    }
}

fn zone(name: &str) -> Cow<'static, TimeZone> {
    // Looked up once per zone: `TimeZone::get` searches jiff's global database behind a lock.
    // The database is bundled, so the documented zones are always present.
    static MOSCOW: OnceLock<TimeZone> = OnceLock::new();
    static PARIS: OnceLock<TimeZone> = OnceLock::new();
    let lookup = || TimeZone::get(name).unwrap_or(TimeZone::UTC);
    match name {
        Moscow::NAME => Cow::Borrowed(MOSCOW.get_or_init(lookup)),
        Paris::NAME => Cow::Borrowed(PARIS.get_or_init(lookup)),
        _ => Cow::Owned(lookup()),
    }
}

fn resolve(text: &str, zone_name: &str) -> Option<Timestamp> {
    // Only a text with `Z` or an offset after the date can be an instant; trying the others
    // would build an error for every naive time, the common case.
    let may_have_offset = text
        .get(10..)
        .is_some_and(|rest| rest.contains(['Z', 'z', '+', '-']));
    if may_have_offset {
        if let Ok(t) = text.parse::<Timestamp>() {
            return Some(t);
        }
    }
    let civil: DateTime = text.parse().ok()?;
    zone(zone_name).to_timestamp(civil).ok()
}

impl<Z: DocumentedZone> Clone for ApiTime<Z> {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
            instant: self.instant,
            zone: PhantomData,
        }
    }
}

impl<Z: DocumentedZone> PartialEq for ApiTime<Z> {
    fn eq(&self, other: &Self) -> bool {
        match (self.instant, other.instant) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.raw == other.raw,
            _ => false,
        }
    }
}

impl<Z: DocumentedZone> Eq for ApiTime<Z> {}

impl<Z: DocumentedZone> fmt::Debug for ApiTime<Z> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.instant {
            Some(_) => write!(f, "ApiTime({})", self.normalized()),
            None => write!(f, "ApiTime(unparsed {:?})", self.raw),
        }
    }
}

impl<Z: DocumentedZone> fmt::Display for ApiTime<Z> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized())
    }
}

impl<Z: DocumentedZone> Serialize for ApiTime<Z> {
    /// Writes the resolved instant with the documented zone's offset, or the raw text.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.normalized())
    }
}

impl<'de, Z: DocumentedZone> Deserialize<'de> for ApiTime<Z> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::string_or_number(d).map(|text| Self::parse(&text))
    }
}

/// The wall-clock time since the Unix epoch (zero before it): the one read of the system clock
/// in this crate, for identifiers that must differ across runs.
#[allow(
    clippy::disallowed_methods,
    reason = "the time module is where the clock is read"
)]
pub(crate) fn since_unix_epoch() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}
