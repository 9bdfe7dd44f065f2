//! The balance history of a wallet, as `GET /core-connect/balances/{walletId}` gives it.
//!
//! The wire form is one JSON object keyed by timestamps (`{"2025-01-09 11:46:44": {"solde":
//! 101.25, "authorizedBalance": 80, "currency": "EUR"}}`), in no promised order. The keys are
//! `YYYY-MM-DD HH:mm:ss` Paris time per the spec, or ISO 8601 with an offset per a guide page;
//! both are read, and each point keeps the key exactly as sent.

use std::cmp::Ordering;
use std::fmt;

use crate::money::decimal_opt;
use crate::{ApiTime, Currency, Decimal, Paris};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A wallet's balance history: points sorted by time, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BalanceHistory {
    /// The points, oldest first; points whose key is not a readable time come last, by key.
    pub points: Vec<BalancePoint>,
}

/// The balance of a wallet at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BalancePoint {
    /// The moment, read from the key (Paris time when the key has no offset). The key exactly
    /// as sent is [`BalancePoint::key`].
    pub time: ApiTime<Paris>,
    /// The balance (`solde` on the wire), exact; `None` when sent as `null` or `""`.
    pub balance: Option<Decimal>,
    /// The authorized balance (balance minus pending operations), exact.
    pub authorized_balance: Option<Decimal>,
    /// The currency.
    pub currency: Currency,
}

impl BalancePoint {
    /// The map key exactly as the server wrote it (`2025-01-09 11:46:44`,
    /// `2021-03-31T09:50:02+00:00`).
    pub fn key(&self) -> &str {
        self.time.raw()
    }
}

impl BalanceHistory {
    /// The latest point, when there is one with a readable time.
    pub fn latest(&self) -> Option<&BalancePoint> {
        self.points
            .iter()
            .rev()
            .find(|p| p.time.timestamp().is_some())
    }

    fn from_entries(entries: Vec<(String, Entry)>) -> Self {
        let mut points: Vec<BalancePoint> = entries
            .into_iter()
            .map(|(key, entry)| BalancePoint {
                time: ApiTime::parse(&key),
                balance: entry.solde,
                authorized_balance: entry.authorized_balance,
                currency: entry.currency,
            })
            .collect();
        points.sort_by(chronological);
        Self { points }
    }
}

/// Readable times first, by instant (the same instant written two ways keeps wire order), then
/// unreadable keys by text.
fn chronological(a: &BalancePoint, b: &BalancePoint) -> Ordering {
    match (a.time.timestamp(), b.time.timestamp()) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.key().cmp(b.key()),
    }
}

/// One value of the wire map.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(with = "decimal_opt", default)]
    solde: Option<Decimal>,
    #[serde(with = "decimal_opt", default)]
    authorized_balance: Option<Decimal>,
    currency: Currency,
}

impl<'de> Deserialize<'de> for BalanceHistory {
    /// Reads the timestamp-keyed object (duplicate keys all kept), or `[]`, which is how a PHP
    /// server writes an empty map.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HistoryVisitor)
    }
}

struct HistoryVisitor;

impl<'de> Visitor<'de> for HistoryVisitor {
    type Value = BalanceHistory;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object keyed by timestamps")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BalanceHistory, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            let entry = map.next_value::<Entry>()?;
            entries.push((key, entry));
        }
        Ok(BalanceHistory::from_entries(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<BalanceHistory, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => Ok(BalanceHistory::default()),
            Some(_) => Err(de::Error::custom(
                "expected an object keyed by timestamps, found a non-empty array",
            )),
        }
    }
}

impl Serialize for BalanceHistory {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&self.points)
    }
}

impl Serialize for BalancePoint {
    /// `{key, time, solde, authorizedBalance, currency}`: the raw key beside the resolved time.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            key: &'a str,
            time: &'a ApiTime<Paris>,
            #[serde(with = "decimal_opt")]
            solde: Option<Decimal>,
            #[serde(with = "decimal_opt")]
            authorized_balance: Option<Decimal>,
            currency: &'a Currency,
        }
        Wire {
            key: self.key(),
            time: &self.time,
            solde: self.balance,
            authorized_balance: self.authorized_balance,
            currency: &self.currency,
        }
        .serialize(s)
    }
}
