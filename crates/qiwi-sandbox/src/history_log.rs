//! The demo wallet's payment history: generated from the demo data at start, grown by every
//! top-up the sandbox executes, and the history's request limit (100 a minute per wallet, then
//! a 5-minute block).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::money::Amount;

/// How much history the demo wallet starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HistoryDemo {
    /// How many payments to generate (a conversion counts once and is listed twice, as `IN`
    /// and `OUT`). Default: 300; raise it for benchmarks.
    pub generated: u32,
    /// Over how many months before the start they are spread. Default: 6.
    pub months: u32,
}

impl Default for HistoryDemo {
    fn default() -> Self {
        Self {
            generated: 300,
            months: 6,
        }
    }
}

/// The history's request limit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HistoryLimit {
    /// Requests allowed per window; `None`: no limit.
    pub requests: Option<u32>,
    pub window: Duration,
    /// How long a wallet over the limit is blocked.
    pub block: Duration,
}

/// One entry of the history (a conversion is two: `IN` and `OUT` with one id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Txn {
    pub id: u64,
    pub at: Timestamp,
    /// `IN` or `OUT`.
    pub kind: &'static str,
    /// `SUCCESS`, `ERROR` or `WAITING`.
    pub status: &'static str,
    pub error_code: i32,
    pub error: Option<&'static str>,
    pub account: String,
    pub sum: Amount,
    pub commission: Amount,
    /// ISO 4217 numeric.
    pub currency: u16,
    /// The funding source filter value: `QW_RUB`, `QW_USD`, `QW_EUR`, `CARD`, `MK`.
    pub source: &'static str,
    pub provider_id: u32,
    pub provider_name: &'static str,
    pub comment: String,
    /// The conversion rate, when one applied (in 1/10000).
    pub rate: Option<i64>,
    /// The payer's client id of a payment made through the sandbox; generated records write
    /// one derived from `id`.
    pub trm_txn_id: Option<String>,
}

impl Txn {
    pub(crate) fn total(&self) -> Amount {
        Amount(self.sum.minor().saturating_add(self.commission.minor()))
    }

    /// The order of the history: newest first, then by id, `OUT` before `IN`.
    pub(crate) fn order_key(&self) -> (Timestamp, u64, &'static str) {
        (self.at, self.id, self.kind)
    }
}

/// The history of the demo wallet, newest first, and its request limit.
#[derive(Debug)]
pub(crate) struct HistoryLog {
    pub txns: Vec<Txn>,
    next_id: u64,
    /// When each history request within the last minute arrived.
    recent: VecDeque<Instant>,
    blocked_until: Option<Instant>,
}

pub(crate) fn whole_seconds(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second()).unwrap_or(at)
}

/// A small deterministic generator (xorshift), so that every start has the same history.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const MOBILE: [(u32, &str); 3] = [(1, "MTS"), (2, "Билайн"), (3, "МегаФон")];

impl HistoryLog {
    /// `demo.generated` payments spread over `demo.months` before `start`.
    pub(crate) fn generate(demo: &HistoryDemo, wallet: &str, start: Timestamp) -> Self {
        // Whole seconds: the history writes its times (and so its cursors) to the second.
        let start = whole_seconds(start);
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        // `DemoData::validate` bounds both, so the products below stay small.
        let span = SignedDuration::from_hours(i64::from(demo.months.max(1)) * 30 * 24);
        let count = i32::try_from(demo.generated).unwrap_or(i32::MAX);
        let step = span.checked_div(count.max(1)).unwrap_or(span);
        let mut txns = Vec::with_capacity(demo.generated as usize + demo.generated as usize / 10);
        let mut id = 20_000_000_000_u64;
        for n in 0..count {
            // Oldest first: the payment n steps after the start of the span.
            let offset = step.saturating_mul(n);
            let jitter = SignedDuration::from_secs(dice.below(3600) as i64);
            let at = start
                .checked_sub(span)
                .and_then(|t| t.checked_add(offset))
                .and_then(|t| t.checked_add(jitter))
                .unwrap_or(start);
            id += 1 + dice.below(5);
            let roll = dice.below(100);
            let cents = |dice: &mut Dice, max: u64| Amount((100 + dice.below(max)) as i64);
            let base = Txn {
                id,
                at,
                kind: "OUT",
                status: "SUCCESS",
                error_code: 0,
                error: None,
                account: String::new(),
                sum: Amount(0),
                commission: Amount(0),
                currency: 643,
                source: "QW_RUB",
                provider_id: 99,
                provider_name: "QIWI Кошелек",
                comment: String::new(),
                rate: None,
                trm_txn_id: None,
            };
            match roll {
                0..=34 => txns.push(Txn {
                    kind: "IN",
                    account: "+79161112233".into(),
                    sum: cents(&mut dice, 2_000_000),
                    provider_id: 7,
                    comment: format!("перевод {n}"),
                    ..base
                }),
                35..=44 => txns.push(Txn {
                    kind: "IN",
                    account: "4256****1234".into(),
                    sum: cents(&mut dice, 500_000),
                    source: "CARD",
                    provider_id: 1963,
                    provider_name: "Visa (банки РФ)",
                    ..base
                }),
                45..=69 => {
                    let (provider_id, provider_name) = MOBILE[dice.below(3) as usize];
                    txns.push(Txn {
                        account: format!("79{:09}", dice.below(1_000_000_000)),
                        sum: cents(&mut dice, 100_000),
                        provider_id,
                        provider_name,
                        ..base
                    });
                }
                70..=84 => {
                    let sum = cents(&mut dice, 300_000);
                    txns.push(Txn {
                        account: "+79181234567".into(),
                        commission: Amount(sum.minor() / 100),
                        sum,
                        comment: "за обед".into(),
                        ..base
                    });
                }
                85..=89 => txns.push(Txn {
                    status: "ERROR",
                    error_code: 220,
                    error: Some("Недостаточно средств"),
                    account: "+79181234567".into(),
                    sum: cents(&mut dice, 10_000_000),
                    ..base
                }),
                90..=91 => txns.push(Txn {
                    status: "ERROR",
                    error_code: 561,
                    error: Some("Платеж отклонен банком получателя"),
                    account: "5469****9876".into(),
                    sum: cents(&mut dice, 1_000_000),
                    provider_id: 21013,
                    provider_name: "MasterCard (банки РФ)",
                    source: "QW_RUB",
                    ..base
                }),
                92..=95 => txns.push(Txn {
                    currency: 840,
                    source: "QW_USD",
                    account: "+79181234567".into(),
                    sum: cents(&mut dice, 10_000),
                    ..base
                }),
                _ => {
                    // A conversion: RUB out of the rouble account, dollars or euros in.
                    let (currency, source, rate) = if roll % 2 == 0 {
                        (840, "QW_USD", 742_500)
                    } else {
                        (978, "QW_EUR", 811_000)
                    };
                    let foreign = cents(&mut dice, 20_000);
                    let roubles = Amount(foreign.minor().saturating_mul(rate) / 10_000);
                    let conversion = Txn {
                        account: format!("+{wallet}"),
                        provider_id: 1099,
                        provider_name: "Конвертация",
                        rate: Some(rate),
                        ..base
                    };
                    txns.push(Txn {
                        sum: roubles,
                        ..conversion.clone()
                    });
                    txns.push(Txn {
                        kind: "IN",
                        sum: foreign,
                        currency,
                        source,
                        ..conversion
                    });
                }
            }
        }
        let mut log = Self {
            txns,
            next_id: id + 1,
            recent: VecDeque::new(),
            blocked_until: None,
        };
        log.sort();
        log
    }

    fn sort(&mut self) {
        self.txns.sort_by(|a, b| b.order_key().cmp(&a.order_key()));
    }

    /// Records money that arrived (an agent top-up of the demo wallet); returns its
    /// transaction id.
    pub(crate) fn record_top_up(
        &mut self,
        at: Timestamp,
        currency: u16,
        minor: i64,
        agent: &str,
    ) -> u64 {
        let source = match currency {
            840 => "QW_USD",
            978 => "QW_EUR",
            _ => "QW_RUB",
        };
        self.record(Txn {
            id: 0,
            at: whole_seconds(at),
            kind: "IN",
            status: "SUCCESS",
            error_code: 0,
            error: None,
            account: agent.to_owned(),
            sum: Amount(minor),
            commission: Amount(0),
            currency,
            source,
            provider_id: 7,
            provider_name: "Пополнение агентом",
            comment: String::new(),
            rate: None,
            trm_txn_id: None,
        })
    }

    /// Records an invoice paid from the demo wallet (E38); returns its transaction id.
    pub(crate) fn record_invoice_payment(
        &mut self,
        at: Timestamp,
        currency: u16,
        minor: i64,
        merchant: u32,
        comment: &str,
    ) -> u64 {
        self.record(Txn {
            id: 0,
            at: whole_seconds(at),
            kind: "OUT",
            status: "SUCCESS",
            error_code: 0,
            error: None,
            account: merchant.to_string(),
            sum: Amount(minor),
            commission: Amount(0),
            currency,
            source: "QW_RUB",
            provider_id: merchant,
            provider_name: "Оплата счета",
            comment: comment.to_owned(),
            rate: None,
            trm_txn_id: None,
        })
    }

    /// Adds `txn` under the next transaction id, and returns the id.
    fn record(&mut self, mut txn: Txn) -> u64 {
        txn.id = self.next_id;
        self.next_id += 1;
        self.txns.push(txn);
        self.sort();
        self.next_id - 1
    }

    /// Counts a history request at `now`: `Err(wait)` when the wallet is blocked, or blocked
    /// by this request (one more than the limit in a window blocks it for `block`).
    pub(crate) fn admit(&mut self, now: Instant, limit: &HistoryLimit) -> Result<(), Duration> {
        let HistoryLimit {
            requests: Some(limit),
            window,
            block,
        } = *limit
        else {
            return Ok(());
        };
        if let Some(until) = self.blocked_until {
            if until > now {
                return Err(until.saturating_duration_since(now));
            }
            self.blocked_until = None;
            self.recent.clear();
        }
        while self
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= limit as usize {
            self.blocked_until = now.checked_add(block);
            return Err(block);
        }
        self.recent.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_history_has_every_kind_and_is_newest_first() {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let log = HistoryLog::generate(&HistoryDemo::default(), "79991234567", start);
        assert!(log.txns.len() >= 300);
        assert!(
            log.txns
                .windows(2)
                .all(|w| w[0].order_key() >= w[1].order_key())
        );
        for kind in ["IN", "OUT"] {
            assert!(log.txns.iter().any(|t| t.kind == kind));
        }
        assert!(log.txns.iter().any(|t| t.status == "ERROR"));
        for currency in [643, 840, 978] {
            assert!(
                log.txns.iter().any(|t| t.currency == currency),
                "{currency}"
            );
        }
        let oldest = log.txns.last().unwrap().at;
        assert!(start.duration_since(oldest) > SignedDuration::from_hours(150 * 24));
        assert!(
            log.txns
                .iter()
                .all(|t| t.at <= start + SignedDuration::from_hours(1))
        );
    }

    #[test]
    fn the_hundred_and_first_request_in_a_minute_blocks_for_the_block() {
        let demo = HistoryDemo {
            generated: 1,
            months: 1,
        };
        let mut log = HistoryLog::generate(&demo, "1", Timestamp::UNIX_EPOCH);
        let t0 = Instant::now();
        let block = Duration::from_secs(300);
        let limit = HistoryLimit {
            requests: Some(100),
            window: Duration::from_secs(60),
            block,
        };
        for _ in 0..100 {
            assert_eq!(log.admit(t0, &limit), Ok(()));
        }
        assert_eq!(log.admit(t0, &limit), Err(block));
        let later = t0 + Duration::from_secs(120);
        assert_eq!(log.admit(later, &limit), Err(Duration::from_secs(180)));
        assert_eq!(log.admit(t0 + block, &limit), Ok(()));
        let off = HistoryLimit {
            requests: None,
            ..limit
        };
        assert_eq!(log.admit(t0, &off), Ok(()));
    }
}
