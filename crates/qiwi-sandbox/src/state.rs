//! The sandbox's in-memory state, shared by the three API families.
//!
//! One [`State`] sits behind a mutex that is never held across an `.await`. Work that the real
//! services finish later (agent payments, identification downgrades) is stored with the
//! instant it started and settled lazily: every handler calls [`State::settle`] before it
//! reads anything, so what a client observes only depends on elapsed time.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::agent_auth::parse_public_key;
use crate::clock;
use crate::demo::{DemoData, QiwiAccount, QiwiDemo, Rate};
use crate::faults::FaultSet;
use crate::history_log::{HistoryLimit, HistoryLog};
use crate::money::Amount;
use crate::tokens::TokenTable;
use crate::webhooks::{Payment, Webhooks};

/// Timing settings of a running sandbox.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    /// How long accepted work (agent payments, wallet payments, downgrades) stays in progress.
    pub processing_delay: Duration,
    /// Lifetime of Treezor access tokens.
    pub token_ttl: Duration,
    /// Most Treezor access tokens valid at once.
    pub token_limit: usize,
    /// The payment history's request limit.
    pub history_limit: HistoryLimit,
    /// When a notification not answered `200` is sent again, after each failed attempt.
    pub webhook_retry_delays: [Duration; 2],
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub faults: Mutex<FaultSet>,
    pub hits: Mutex<Hits>,
    pub settings: Settings,
    pub initial: DemoData,
    /// How far the sandbox's clock was moved ahead of the real one (`POST /__sandbox/clock`).
    pub clock_offset: Mutex<Duration>,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn new(data: DemoData, settings: Settings) -> Self {
        Self {
            state: Mutex::new(State::new(&data, settings.token_limit, clock::now())),
            faults: Mutex::new(FaultSet::default()),
            hits: Mutex::new(Hits::default()),
            settings,
            initial: data,
            clock_offset: Mutex::new(Duration::ZERO),
        }
    }

    /// The sandbox's monotonic now: the real one moved ahead by the clock offset, so that
    /// tests make accepted work complete without waiting.
    pub(crate) fn now(&self) -> Instant {
        let offset = *lock(&self.clock_offset);
        let real = Instant::now();
        real.checked_add(offset).unwrap_or(real)
    }

    /// Moves the sandbox's clock ahead (saturating).
    pub(crate) fn advance_clock(&self, by: Duration) {
        let mut offset = lock(&self.clock_offset);
        *offset = offset.saturating_add(by);
    }

    /// Locks the state after settling the work that is due.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        let now = self.now();
        let mut guard = lock(&self.state);
        guard.settle(now, self.settings.processing_delay);
        guard
    }

    /// Puts the state back to the initial demo data (faults and hit counts are kept).
    pub(crate) fn reset(&self) {
        *lock(&self.state) = State::new(&self.initial, self.settings.token_limit, clock::now());
    }

    /// Makes every Treezor token issued so far expire now.
    pub(crate) fn expire_treezor_tokens(&self) {
        lock(&self.state).treezor.tokens.expire_all(Instant::now());
    }
}

/// Per-route request counts.
#[derive(Debug, Default)]
pub(crate) struct Hits {
    pub total: u64,
    pub unmatched: u64,
    pub routes: BTreeMap<String, u64>,
}

impl Hits {
    pub(crate) fn record(&mut self, name: &str) {
        self.total += 1;
        *self.routes.entry(name.to_owned()).or_default() += 1;
    }

    /// Hits of `name`, or of every route under it when `name` is a prefix (`agent.pay`).
    pub(crate) fn count(&self, name: &str) -> u64 {
        self.routes
            .iter()
            .filter(|(k, _)| {
                *k == name
                    || k.strip_prefix(name)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
            .map(|(_, v)| v)
            .sum()
    }
}

/// The whole mutable state.
#[derive(Debug)]
pub(crate) struct State {
    /// The demo QIWI wallet, changed in place by the Wallet API and agent top-ups. Its
    /// `other_wallets` stay empty: those wallets live in `directory`.
    pub qiwi: QiwiDemo,
    /// Identification downgrade operations of the demo wallet (E04-E06), by id.
    pub downgrades: BTreeMap<String, Downgrade>,
    /// Other QIWI wallets, by number.
    pub directory: BTreeMap<String, DirWallet>,
    /// Wallet payments (E22-E33), by wallet.
    pub sinap: crate::sinap::SinapState,
    pub agent: AgentState,
    pub treezor: TreezorState,
    /// The demo wallet's payment history.
    pub history: HistoryLog,
    /// The notification hook and its deliveries (E50-E56).
    pub webhooks: Webhooks,
    /// The demo wallet's unpaid invoices and the P2P keys issued (E36-E39).
    pub invoices: crate::invoices::Invoices,
    /// The demo wallet's QIWI Master orders and cards (E40-E49).
    pub cards: crate::cards::CardsState,
}

/// An identification downgrade operation (E04-E06).
#[derive(Debug)]
pub(crate) struct Downgrade {
    /// When it was confirmed (E05); it succeeds one processing delay later.
    pub confirmed: Option<Instant>,
    /// `IN_PROGRESS`, `SUCCESS` or `FAIL`.
    pub status: &'static str,
}

/// A QIWI wallet other than the demo wallet.
#[derive(Debug)]
pub(crate) struct DirWallet {
    /// Balances by ISO 4217 numeric currency, in minor units.
    pub balances: BTreeMap<u16, i64>,
    pub deposit_possible: bool,
    pub fail_top_ups: bool,
    /// Its own bearer token, when it has one.
    pub token: Option<String>,
}

/// The agent's accounts and payments.
#[derive(Debug)]
pub(crate) struct AgentState {
    pub terminal_id: String,
    pub password: String,
    /// The key signed requests are verified with.
    pub public_key: Option<rsa::RsaPublicKey>,
    /// Balances by ISO 4217 numeric currency, in minor units.
    pub balances: BTreeMap<u16, i64>,
    pub rates: Vec<Rate>,
    pub min_amount: i64,
    pub max_amount: i64,
    /// Payments by transaction number.
    pub payments: BTreeMap<String, AgentPayment>,
    pub next_txn_id: u64,
}

/// What happens to an accepted agent payment when it settles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Settlement {
    /// Credit the target QIWI wallet.
    CreditWallet,
    /// Pay out outside QIWI (card, phone, SBP): nothing else to credit.
    Payout,
    /// Fail and return the money to the agent.
    Fail,
}

/// An agent payment, as registered by `pay`/`auth`.
#[derive(Clone, Debug)]
pub(crate) struct AgentPayment {
    pub number: String,
    pub service: String,
    pub account: String,
    pub to_amount: i64,
    pub to_ccy: u16,
    pub from_amount: i64,
    pub from_ccy: u16,
    pub from_service: Option<String>,
    pub txn_id: u64,
    pub txn_date: String,
    pub accepted: Instant,
    /// Payment status (§7.3): 50 processing, 60 success, 150 declined, 160 failed.
    pub status: i32,
    /// Payment result code (§7.2).
    pub result_code: i32,
    pub fatal_error: bool,
    pub message: String,
    pub settlement: Settlement,
}

impl AgentPayment {
    pub(crate) fn is_final(&self) -> bool {
        self.status == 60 || self.status > 100
    }
}

/// Treezor wallets and issued tokens.
#[derive(Debug)]
pub(crate) struct TreezorState {
    pub client_id: String,
    pub client_secret: String,
    pub wallets: BTreeMap<u64, TzWallet>,
    /// Access tokens and when they expire.
    pub tokens: TokenTable,
}

/// One Treezor wallet.
#[derive(Debug)]
pub(crate) struct TzWallet {
    pub user_id: u64,
    pub currency: String,
    pub current: i64,
    pub authorizations: i64,
    /// When the balance was last calculated.
    pub calculated: Timestamp,
    /// History points, oldest first: (Paris `YYYY-MM-DD HH:mm:ss`, solde, authorizedBalance).
    pub history: Vec<HistoryPoint>,
}

/// One point of a Treezor wallet's balance history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HistoryPoint {
    pub key: String,
    pub solde: i64,
    pub authorized: i64,
}

impl TzWallet {
    pub(crate) fn authorized(&self) -> i64 {
        self.current - self.authorizations
    }

    /// Records the current balance as of `at` (replacing a point with the same key).
    pub(crate) fn push_point(&mut self, at: Timestamp) {
        self.calculated = at;
        let point = HistoryPoint {
            key: clock::treezor_datetime(at),
            solde: self.current,
            authorized: self.authorized(),
        };
        match self.history.last_mut() {
            Some(last) if last.key == point.key => *last = point,
            _ => self.history.push(point),
        }
    }
}

/// A change to a Treezor wallet's balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TreezorOperation {
    /// Money arrives: `currentBalance` grows.
    Payin,
    /// Money leaves: `currentBalance` shrinks (refused beyond the authorized balance).
    Payout,
    /// A card authorization: `authorizations` grows, so `authorizedBalance` shrinks.
    Authorization,
    /// An authorization settles: both `authorizations` and `currentBalance` shrink.
    Settlement,
    /// An authorization is released: `authorizations` shrinks.
    Reversal,
}

impl TreezorOperation {
    /// Reads `payin`, `payout`, `authorization`, `settlement` or `reversal`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "payin" => Self::Payin,
            "payout" => Self::Payout,
            "authorization" => Self::Authorization,
            "settlement" => Self::Settlement,
            "reversal" => Self::Reversal,
            _ => return None,
        })
    }
}

impl State {
    pub(crate) fn new(data: &DemoData, token_limit: usize, wall: Timestamp) -> Self {
        let q = &data.qiwi;
        let directory = q
            .other_wallets
            .iter()
            .map(|w| {
                (
                    w.phone.clone(),
                    DirWallet {
                        balances: BTreeMap::from([(643, w.rub_balance.minor())]),
                        deposit_possible: w.deposit_possible,
                        fail_top_ups: w.fail_top_ups,
                        token: w.token.clone(),
                    },
                )
            })
            .collect();
        let a = &data.agent;
        let t = &data.treezor;
        let wallets = t
            .wallets
            .iter()
            .map(|w| (w.wallet_id, initial_treezor_wallet(w, t.history_days, wall)))
            .collect();
        Self {
            qiwi: QiwiDemo {
                other_wallets: Vec::new(),
                ..q.clone()
            },
            downgrades: BTreeMap::new(),
            directory,
            sinap: crate::sinap::SinapState::default(),
            agent: AgentState {
                terminal_id: a.terminal_id.clone(),
                password: a.password.clone(),
                // Checked by `DemoData::validate`, which every start runs.
                public_key: a
                    .public_key
                    .as_deref()
                    .and_then(|pem| parse_public_key(pem).ok()),
                balances: a
                    .balances
                    .iter()
                    .map(|b| (b.currency, b.amount.minor()))
                    .collect(),
                rates: a.rates.clone(),
                min_amount: a.min_amount.minor(),
                max_amount: a.max_amount.minor(),
                payments: BTreeMap::new(),
                next_txn_id: 20_323_739_405,
            },
            treezor: TreezorState {
                client_id: t.client_id.clone(),
                client_secret: t.client_secret.clone(),
                wallets,
                tokens: TokenTable::new(token_limit),
            },
            history: HistoryLog::generate(&q.history, &q.wallet, wall),
            webhooks: Webhooks::default(),
            invoices: crate::invoices::Invoices::generate(wall),
            cards: crate::cards::CardsState::default(),
        }
    }

    /// Completes the work whose processing delay has passed.
    pub(crate) fn settle(&mut self, now: Instant, delay: Duration) {
        let due: Vec<String> = self
            .agent
            .payments
            .values()
            .filter(|p| p.status == 50 && now.duration_since(p.accepted) >= delay)
            .map(|p| p.number.clone())
            .collect();
        for number in due {
            let Some(p) = self.agent.payments.get(&number).cloned() else {
                continue;
            };
            let credited = match p.settlement {
                Settlement::CreditWallet => self.credit_wallet(&p.account, p.to_ccy, p.to_amount),
                Settlement::Payout => true,
                Settlement::Fail => false,
            };
            if credited && p.settlement == Settlement::CreditWallet && p.account == self.qiwi.wallet
            {
                let agent = format!("agent {}", self.agent.terminal_id);
                let txn_id =
                    self.history
                        .record_top_up(clock::now(), p.to_ccy, p.to_amount, &agent);
                // Notified with the history's transaction, so that E16 confirms it.
                let payment = Payment::incoming(
                    txn_id,
                    &self.qiwi.wallet,
                    &agent,
                    Amount(p.to_amount),
                    p.to_ccy,
                    7,
                );
                self.webhooks.payment(&payment);
            }
            let entry = self.agent.payments.get_mut(&number);
            if let Some(entry) = entry {
                if credited {
                    entry.status = 60;
                    entry.message = "Ok".into();
                } else {
                    entry.status = 160;
                    entry.result_code = 300;
                    entry.fatal_error = false;
                    entry.message =
                        "Платеж не проведен, средства возвращены на баланс агента".into();
                    *self.agent.balances.entry(p.from_ccy).or_default() += p.from_amount;
                }
            }
        }
        self.settle_sinap(now, delay);
        for op in self.downgrades.values_mut() {
            if op.status == "IN_PROGRESS"
                && op.confirmed.is_some_and(|c| now.duration_since(c) >= delay)
            {
                op.status = "SUCCESS";
                self.qiwi.identification.level = "VERIFIED".into();
            }
        }
    }

    /// Whether a QIWI wallet exists (and, with `ccy`, has an account in that currency).
    pub(crate) fn wallet_exists(&self, phone: &str, ccy: Option<u16>) -> bool {
        if phone == self.qiwi.wallet {
            return match ccy {
                None => true,
                Some(c) => self
                    .qiwi
                    .accounts
                    .iter()
                    .any(|a| a.has_balance && a.currency == c),
            };
        }
        match self.directory.get(phone) {
            None => false,
            Some(w) => ccy.is_none_or(|c| w.balances.contains_key(&c)),
        }
    }

    /// Credits a QIWI wallet's account in `ccy`, creating the wallet or the account as the real
    /// service would. Returns `false` when the demo wallet cannot hold that currency.
    pub(crate) fn credit_wallet(&mut self, phone: &str, ccy: u16, minor: i64) -> bool {
        if phone == self.qiwi.wallet {
            if let Some(acc) = self
                .qiwi
                .accounts
                .iter_mut()
                .find(|a| a.has_balance && a.currency == ccy)
            {
                let current = acc.balance.map_or(0, Amount::minor);
                acc.balance = Some(Amount(current + minor));
                return true;
            }
            if let Some(pos) = self.qiwi.offers.iter().position(|o| o.currency == ccy) {
                let offer = self.qiwi.offers.remove(pos);
                self.qiwi.accounts.push(QiwiAccount::wallet(
                    &offer.alias,
                    offer.currency,
                    Amount(minor),
                ));
                return true;
            }
            return false;
        }
        let w = self
            .directory
            .entry(phone.to_owned())
            .or_insert_with(|| DirWallet {
                balances: BTreeMap::new(),
                deposit_possible: true,
                fail_top_ups: false,
                token: None,
            });
        *w.balances.entry(ccy).or_default() += minor;
        true
    }

    /// The RUB balance of the demo wallet's default-currency wallet account.
    pub(crate) fn qiwi_rub_balance(&self) -> i64 {
        self.qiwi
            .accounts
            .iter()
            .find(|a| a.has_balance && a.currency == 643)
            .and_then(|a| a.balance)
            .map_or(0, Amount::minor)
    }

    /// Applies a Treezor balance change and records a history point.
    pub(crate) fn treezor_operation(
        &mut self,
        wallet_id: u64,
        op: TreezorOperation,
        amount: i64,
        at: Timestamp,
    ) -> Result<(), String> {
        if amount <= 0 {
            return Err("the amount must be positive".into());
        }
        let w = self
            .treezor
            .wallets
            .get_mut(&wallet_id)
            .ok_or_else(|| format!("no wallet {wallet_id}"))?;
        match op {
            TreezorOperation::Payin => w.current += amount,
            TreezorOperation::Payout => {
                if amount > w.authorized() {
                    return Err("insufficient authorized balance".into());
                }
                w.current -= amount;
            }
            TreezorOperation::Authorization => {
                if amount > w.authorized() {
                    return Err("insufficient authorized balance".into());
                }
                w.authorizations += amount;
            }
            TreezorOperation::Settlement | TreezorOperation::Reversal => {
                if amount > w.authorizations {
                    return Err("the amount exceeds the pending authorizations".into());
                }
                w.authorizations -= amount;
                if op == TreezorOperation::Settlement {
                    w.current -= amount;
                }
            }
        }
        w.push_point(at);
        Ok(())
    }
}

/// A Treezor wallet with a deterministic daily history over the last `days` days, ending with
/// a point for the current balance at `now`.
fn initial_treezor_wallet(w: &crate::demo::TreezorWallet, days: u32, now: Timestamp) -> TzWallet {
    let current = w.current_balance.minor();
    let authorizations = w.authorizations.minor();
    let mut history = Vec::new();
    let today = clock::in_paris(now).date();
    for back in (1..=i64::from(days)).rev() {
        let Ok(day) = today.checked_sub(jiff::Span::new().days(back)) else {
            continue;
        };
        // Each day ends at 23:59:59 Paris time with a balance that wanders around today's.
        let step = ((back * 37 + (w.wallet_id % 11) as i64) % 9) - 4;
        let solde = (current + step * 1250).max(0);
        let pending = if back % 5 == 0 {
            authorizations.min(solde)
        } else {
            0
        };
        let key = format!("{} 23:59:59", day.strftime("%Y-%m-%d"));
        history.push(HistoryPoint {
            key,
            solde,
            authorized: solde - pending,
        });
    }
    let mut wallet = TzWallet {
        user_id: w.user_id,
        currency: w.currency.clone(),
        current,
        authorizations,
        calculated: now,
        history,
    };
    wallet.push_point(now);
    wallet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State::new(&DemoData::default(), 10, clock::now())
    }

    #[test]
    fn treezor_history_has_a_point_per_day_and_grows() {
        let mut s = state();
        let id = crate::demo::TREEZOR_WALLET_IDS[1];
        let w = &s.treezor.wallets[&id];
        assert_eq!(w.history.len(), 31);
        assert!(w.history.windows(2).all(|p| p[0].key < p[1].key));
        let later = clock::now() + jiff::SignedDuration::from_secs(5);
        s.treezor_operation(id, TreezorOperation::Authorization, 1000, later)
            .unwrap();
        let w = &s.treezor.wallets[&id];
        assert_eq!(w.history.len(), 32);
        assert_eq!(w.authorizations, 6000);
        assert_eq!(w.history.last().unwrap().authorized, 10_000 - 6000);
        assert!(
            s.treezor_operation(id, TreezorOperation::Reversal, 10_000, later)
                .is_err()
        );
    }

    #[test]
    fn credits_create_missing_accounts() {
        let mut s = state();
        let wallet = s.qiwi.wallet.clone();
        assert!(s.credit_wallet(&wallet, 978, 500));
        assert!(s.qiwi.offers.is_empty());
        assert!(s.wallet_exists(&wallet, Some(978)));
        assert!(!s.credit_wallet(&wallet, 398, 500));
        assert!(!s.wallet_exists("79000000001", None));
        assert!(s.credit_wallet("79000000001", 643, 100));
        assert!(s.wallet_exists("79000000001", Some(643)));
    }
}
