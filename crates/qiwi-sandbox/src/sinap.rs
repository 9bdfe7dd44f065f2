//! Wallet payments (E19-E35) in the emulator's state: money really moves.
//!
//! A payment debits the payer's account by the amount plus the commission at once, counts
//! against the payer's E07 limits and E08 count, and is `WAITING` until the processing delay has
//! passed on the sandbox's clock; it then turns `SUCCESS` (a sandbox wallet that receives is
//! credited) or `ERROR` (a wallet whose top-ups fail: the payer gets the money back). An `id` sent
//! again by the same wallet with the same request answers the first answer again without paying;
//! with a different request it is refused (`QWPRC-1000`). Every wallet's payments, in and out,
//! are kept in [`SinapState::by_wallet`] with the payer's `id` as `trm_txn_id`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::history_log::{Txn, whole_seconds};
use crate::money::Amount;
use crate::state::State;
use crate::webhooks::Payment;

/// Card providers (E26), with the foreign ones whose transfers are suspended.
const CARD_PROVIDERS: &[u32] = &[1963, 21013, 31652, 22351, 36390];
const SUSPENDED_CARD_PROVIDERS: &[u32] = &[1960, 21012];
/// Banks of the transfers by card or account number (E30, E31).
const BANK_PROVIDERS: &[u32] = &[
    313, 464, 804, 810, 815, 816, 819, 821, 868, 870, 881, 1134, 27324,
];
/// Mobile operators the sandbox tops up (E25).
pub(crate) const MOBILE_PROVIDERS: &[(u32, &str)] =
    &[(1, "МТС"), (2, "Билайн"), (3, "МегаФон Столичный филиал")];
/// Services with one account field (E32), also what provider search (E34) finds.
pub(crate) const SERVICES: &[(u32, &str, &str)] = &[
    (674, "OnLime", "Интернет, ТВ, IP-телефония"),
    (1239, "Подари жизнь", "Благотворительность"),
    (
        23729,
        "МТС Домашний интернет, ТВ и Телефония РФ",
        "Интернет, ТВ, IP-телефония",
    ),
];
/// Transfer to a wallet, conversion, payment by requisites, Kazakhstan card.
const WALLET_TRANSFER: u32 = 99;
const CONVERSION: u32 = 1099;
const REQUISITES: u32 = 1717;
const KZ_CARD: u32 = 27292;
/// The account every payment is taken from: roubles. A Kazakhstan card transfer (E29) names
/// the tenge account (`accountId` 398) on the wire; the sandbox takes its tenge from the rouble
/// account at the E24 rate, as a conversion does, so that it pays like every other transfer.
const FUNDING: u16 = 643;
/// The fields a payment by requisites (E33) must have.
const REQUISITES_FIELDS: &[&str] = &[
    "name", "to_bik", "city", "to_name", "to_inn", "account", "goal", "nds", "urgent",
];

/// A payment request as read from the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PayRequest {
    pub id: String,
    pub provider: u32,
    /// `sum.amount`, in minor units of `sum.currency`.
    pub amount: i64,
    pub currency: u16,
    /// `paymentMethod.accountId`.
    pub source_currency: u16,
    pub fields: BTreeMap<String, String>,
    pub comment: Option<String>,
}

/// A refusal (answered 400): the `QWPRC-` code of the body and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub code: u32,
    pub message: &'static str,
}

const fn refuse(code: u32, message: &'static str) -> Refusal {
    Refusal { code, message }
}

/// What a payment costs: taken from the source account, and the commission in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quote {
    /// Minor units of the source currency taken in all (converted amount plus commission).
    pub withdraw: i64,
    pub commission: i64,
    /// Source-currency units per `sum.currency` unit, in hundredths (100 = 1).
    pub rate: i64,
}

/// The state of a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TxnStatus {
    Waiting,
    Success,
    /// Failed with a history `errorCode`; the money went back.
    Error(u32),
}

/// Whether a payment left or reached the wallet whose list holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    In,
    Out,
}

/// One payment in a wallet's list.
#[derive(Clone, Debug)]
pub(crate) struct SinapTxn {
    /// The QIWI transaction id (`txnId`).
    pub txn_id: u64,
    /// The payer's client id (`trmTxnId`).
    pub trm_txn_id: String,
    pub direction: Direction,
    pub provider: u32,
    /// The requisite paid to (`account`, card masked) or, for money in, the payer's wallet.
    pub account: String,
    pub amount: i64,
    pub currency: u16,
    /// Taken from the payer: the converted amount plus the commission, in `source_currency`.
    pub withdraw: i64,
    pub commission: i64,
    pub source_currency: u16,
    pub comment: Option<String>,
    pub status: TxnStatus,
    pub accepted: Instant,
    pub date: Timestamp,
    /// The request, to tell an id sent again with the same request from a different one.
    request: PayRequest,
    /// The answer given (sent again for a repeated id).
    pub answer: Value,
    /// Which sandbox wallet gets what on success: (wallet, currency, minor units).
    credit: Option<(String, u16, i64)>,
}

/// Every wallet's payments.
#[derive(Debug)]
pub(crate) struct SinapState {
    /// By wallet number, oldest first: what the payment history lists.
    pub by_wallet: BTreeMap<String, Vec<SinapTxn>>,
    pub next_txn_id: u64,
}

impl Default for SinapState {
    fn default() -> Self {
        Self {
            by_wallet: BTreeMap::new(),
            next_txn_id: 11_155_897_070,
        }
    }
}

/// The sandbox's commission: none for wallet transfers, conversions, mobile top-ups and
/// services; 1 % (at least 50.00 RUB) for cards, banks, requisites and Kazakhstan cards.
pub(crate) fn commission(provider: u32, withdraw: i64) -> i64 {
    let payout = CARD_PROVIDERS.contains(&provider)
        || BANK_PROVIDERS.contains(&provider)
        || provider == REQUISITES
        || provider == KZ_CARD;
    if payout {
        (withdraw.saturating_add(99) / 100).max(5_000)
    } else {
        0
    }
}

/// A card number as the service echoes it: first four and last four digits.
pub(crate) fn mask(value: &str) -> String {
    let n = value.chars().count();
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' })
        .collect()
}

pub(crate) fn is_card(value: &str) -> bool {
    (13..=19).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

impl State {
    /// The rate of `from` into roubles in hundredths, from the demo rates (E24).
    pub(crate) fn rub_rate(&self, from: u16) -> Option<i64> {
        self.agent
            .rates
            .iter()
            .find(|r| r.from == from && r.to == 643)
            .map(|r| r.rate.minor())
    }

    /// What `amount` of `currency` to `provider` costs, or why it cannot be paid.
    pub(crate) fn quote(
        &self,
        provider: u32,
        amount: i64,
        currency: u16,
    ) -> Result<Quote, Refusal> {
        if amount <= 0 {
            return Err(refuse(241, "Сумма платежа должна быть больше 1 рубля"));
        }
        let rate = if currency == FUNDING {
            100
        } else if provider == CONVERSION || provider == KZ_CARD {
            self.rub_rate(currency)
                .ok_or(refuse(131, "Перевод в эту валюту недоступен"))?
        } else {
            return Err(refuse(131, "Платеж в этой валюте недоступен"));
        };
        // Round the converted amount up to the kopeck.
        let converted = i64::try_from((i128::from(amount) * i128::from(rate) + 99) / 100)
            .map_err(|_| refuse(242, "Сумма платежа больше максимальной"))?;
        let commission = commission(provider, converted);
        Ok(Quote {
            withdraw: converted.saturating_add(commission),
            commission,
            rate,
        })
    }

    /// The balance of `wallet` in `currency`, when it has such an account.
    pub(crate) fn balance(&self, wallet: &str, currency: u16) -> Option<i64> {
        if wallet == self.qiwi.wallet {
            return self
                .qiwi
                .accounts
                .iter()
                .find(|a| a.has_balance && a.currency == currency)
                .map(|a| a.balance.map_or(0, Amount::minor));
        }
        self.directory.get(wallet)?.balances.get(&currency).copied()
    }

    /// Whether a credit of `currency` to `wallet` would land (an account exists or is offered).
    fn can_credit(&self, wallet: &str, currency: u16) -> bool {
        if wallet == self.qiwi.wallet {
            return self.balance(wallet, currency).is_some()
                || self.qiwi.offers.iter().any(|o| o.currency == currency);
        }
        true
    }

    /// Checks the requisites against the provider; returns the sandbox wallet to credit.
    fn recipient(&self, req: &PayRequest) -> Result<Option<String>, Refusal> {
        let account = req.fields.get("account").map(String::as_str).unwrap_or("");
        if account.trim().is_empty() {
            return Err(refuse(4, "Не указан номер счета получателя"));
        }
        match req.provider {
            WALLET_TRANSFER | CONVERSION => {
                let wallet = account.strip_prefix('+').unwrap_or(account);
                if !crate::demo::is_wallet_number(wallet) {
                    return Err(refuse(4, "Неверный номер кошелька получателя"));
                }
                if !self.can_credit(wallet, req.currency) {
                    return Err(refuse(
                        131,
                        "Кошелек получателя не имеет счета в этой валюте",
                    ));
                }
                Ok(Some(wallet.to_owned()))
            }
            p if SUSPENDED_CARD_PROVIDERS.contains(&p) => Err(refuse(
                131,
                "Переводы на карты зарубежных банков приостановлены",
            )),
            p if CARD_PROVIDERS.contains(&p) || BANK_PROVIDERS.contains(&p) || p == KZ_CARD => {
                let card = req.fields.get("cardNumber").map_or(account, String::as_str);
                let by_card = CARD_PROVIDERS.contains(&p) || p == KZ_CARD;
                let digits = !card.is_empty() && card.bytes().all(|b| b.is_ascii_digit());
                if !digits || (by_card && !is_card(card)) {
                    return Err(refuse(522, "Неверный номер карты или счета получателя"));
                }
                Ok(None)
            }
            p if MOBILE_PROVIDERS.iter().any(|(id, _)| *id == p) => {
                if account.len() != 10 || !account.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(refuse(303, "Неверный номер телефона (нужно 10 цифр)"));
                }
                Ok(None)
            }
            REQUISITES => match REQUISITES_FIELDS
                .iter()
                .find(|f| req.fields.get(**f).is_none_or(|v| v.trim().is_empty()))
            {
                Some(_) => Err(refuse(4, "Не заполнены реквизиты получателя")),
                None => Ok(None),
            },
            p if SERVICES.iter().any(|(id, _, _)| *id == p) => Ok(None),
            p if crate::cards::is_card_payment(p) => Ok(None),
            _ => Err(refuse(131, "Провайдер недоступен")),
        }
    }

    /// Makes a payment from `payer`, or answers a repeated id; returns the answer body.
    pub(crate) fn pay(
        &mut self,
        payer: &str,
        req: &PayRequest,
        now: Instant,
        wall: Timestamp,
    ) -> Result<Value, Refusal> {
        if let Some(first) = self
            .sinap
            .by_wallet
            .get(payer)
            .into_iter()
            .flatten()
            .find(|t| t.direction == Direction::Out && t.trm_txn_id == req.id)
        {
            return if first.request == *req {
                Ok(first.answer.clone())
            } else {
                Err(refuse(
                    1000,
                    "Платеж с таким id уже проведен с другими параметрами",
                ))
            };
        }
        let credit_wallet = self.recipient(req)?;
        if crate::cards::is_card_payment(req.provider) {
            self.cards.check_payment(&self.qiwi.wallet, payer, req)?;
        }
        let quote = self.quote(req.provider, req.amount, req.currency)?;
        // The account the request must name, whichever the money comes from.
        let named = if req.provider == KZ_CARD {
            398
        } else {
            FUNDING
        };
        if req.source_currency != named {
            return Err(refuse(131, "Платеж с этого счета недоступен"));
        }
        let balance = self.balance(payer, FUNDING).unwrap_or(0);
        if balance < quote.withdraw {
            return Err(refuse(220, "Недостаточно средств"));
        }
        let is_primary = payer == self.qiwi.wallet;
        let p2p = req.provider == WALLET_TRANSFER;
        if is_primary {
            self.check_limits(req.provider, quote.withdraw)?;
            if p2p && self.qiwi.p2p_payment_count >= self.qiwi.p2p_payment_count_max {
                return Err(refuse(757, "Превышен лимит на количество платежей"));
            }
        }
        // Everything checked: the money leaves now.
        self.debit(payer, FUNDING, quote.withdraw);
        if is_primary {
            self.count_limits(req.provider, quote.withdraw);
            if p2p {
                self.qiwi.p2p_payment_count = self.qiwi.p2p_payment_count.saturating_add(1);
            }
        }
        let txn_id = self.sinap.next_txn_id;
        self.sinap.next_txn_id += 1;
        let answer = payment_info(req, txn_id);
        let account = req.fields.get("account").cloned().unwrap_or_default();
        let txn = SinapTxn {
            txn_id,
            trm_txn_id: req.id.clone(),
            direction: Direction::Out,
            provider: req.provider,
            account: if is_card(&account) {
                mask(&account)
            } else {
                account
            },
            amount: req.amount,
            currency: req.currency,
            withdraw: quote.withdraw,
            commission: quote.commission,
            source_currency: FUNDING,
            comment: req.comment.clone(),
            status: TxnStatus::Waiting,
            accepted: now,
            date: wall,
            request: req.clone(),
            answer: answer.clone(),
            credit: credit_wallet.map(|w| (w, req.currency, req.amount)),
        };
        self.sinap
            .by_wallet
            .entry(payer.to_owned())
            .or_default()
            .push(txn);
        self.cards.paid(req, wall);
        Ok(answer)
    }

    /// The E07 limits a payment counts against.
    fn limit_types(provider: u32) -> &'static [&'static str] {
        if provider == WALLET_TRANSFER {
            &["TURNOVER", "PAYMENTS_P2P"]
        } else if provider == CONVERSION
            || MOBILE_PROVIDERS.iter().any(|(id, _)| *id == provider)
            || SERVICES.iter().any(|(id, _, _)| *id == provider)
            || crate::cards::is_card_payment(provider)
        {
            &["TURNOVER"]
        } else {
            &["TURNOVER", "PAYMENTS_PROVIDER_PAYOUT"]
        }
    }

    fn check_limits(&self, provider: u32, withdraw: i64) -> Result<(), Refusal> {
        let types = Self::limit_types(provider);
        let exceeded = self.qiwi.limits.iter().any(|l| {
            types.contains(&l.limit_type.as_str())
                && l.spent.minor().saturating_add(withdraw) > l.max.minor()
        });
        if exceeded {
            return Err(refuse(705, "Превышен месячный лимит на платежи"));
        }
        Ok(())
    }

    fn count_limits(&mut self, provider: u32, withdraw: i64) {
        let types = Self::limit_types(provider);
        for l in &mut self.qiwi.limits {
            if types.contains(&l.limit_type.as_str()) {
                l.spent = Amount(l.spent.minor().saturating_add(withdraw));
            }
        }
    }

    pub(crate) fn debit(&mut self, wallet: &str, currency: u16, minor: i64) {
        if wallet == self.qiwi.wallet {
            if let Some(a) = self
                .qiwi
                .accounts
                .iter_mut()
                .find(|a| a.has_balance && a.currency == currency)
            {
                a.balance = Some(Amount(a.balance.map_or(0, Amount::minor) - minor));
            }
        } else if let Some(b) = self
            .directory
            .get_mut(wallet)
            .and_then(|w| w.balances.get_mut(&currency))
        {
            *b -= minor;
        }
    }

    /// Turns the payments whose delay has passed `SUCCESS` or `ERROR`.
    pub(crate) fn settle_sinap(&mut self, now: Instant, delay: Duration) {
        let mut due = Vec::new();
        for (wallet, txns) in &self.sinap.by_wallet {
            for (i, t) in txns.iter().enumerate() {
                if t.status == TxnStatus::Waiting
                    && now.saturating_duration_since(t.accepted) >= delay
                {
                    due.push((wallet.clone(), i));
                }
            }
        }
        for (payer, i) in due {
            let Some(txn) = self
                .sinap
                .by_wallet
                .get(&payer)
                .and_then(|l| l.get(i))
                .cloned()
            else {
                continue;
            };
            let fails = txn
                .credit
                .as_ref()
                .is_some_and(|(w, _, _)| self.directory.get(w).is_some_and(|d| d.fail_top_ups));
            let status = if fails {
                self.credit_wallet(&payer, txn.source_currency, txn.withdraw);
                TxnStatus::Error(500)
            } else {
                if let Some((wallet, currency, minor)) = &txn.credit {
                    self.credit_wallet(wallet, *currency, *minor);
                    let incoming = SinapTxn {
                        direction: Direction::In,
                        account: payer.clone(),
                        status: TxnStatus::Success,
                        withdraw: 0,
                        commission: 0,
                        credit: None,
                        ..txn.clone()
                    };
                    self.sinap
                        .by_wallet
                        .entry(wallet.clone())
                        .or_default()
                        .push(incoming);
                }
                TxnStatus::Success
            };
            if let Some(t) = self
                .sinap
                .by_wallet
                .get_mut(&payer)
                .and_then(|l| l.get_mut(i))
            {
                t.status = status;
            }
            self.notify_settled(&payer, &txn, status);
        }
    }

    /// Notifies the demo wallet's hook of a payment that settled: `OUT` when the demo wallet
    /// paid, `IN` when it received (only a payment that succeeded reaches the receiver).
    fn notify_settled(&mut self, payer: &str, txn: &SinapTxn, status: TxnStatus) {
        let demo = self.qiwi.wallet.clone();
        if payer == demo {
            let payment = Payment {
                txn_id: txn.txn_id,
                direction: "OUT",
                person_id: &demo,
                account: &txn.account,
                amount: Amount(txn.amount),
                currency: txn.currency,
                provider: txn.provider,
                error_code: match status {
                    TxnStatus::Error(code) => Some(code),
                    TxnStatus::Waiting | TxnStatus::Success => None,
                },
                commission: Amount(txn.commission),
                total: (Amount(txn.withdraw), txn.source_currency),
                comment: txn.comment.as_deref().unwrap_or(""),
            };
            self.webhooks.payment(&payment);
        }
        let received = txn.credit.as_ref().is_some_and(|(w, _, _)| *w == demo);
        if received && status == TxnStatus::Success {
            let mut payment = Payment::incoming(
                txn.txn_id,
                &demo,
                payer,
                Amount(txn.amount),
                txn.currency,
                txn.provider,
            );
            payment.comment = txn.comment.as_deref().unwrap_or("");
            self.webhooks.payment(&payment);
        }
    }
}

/// The PaymentInfo answer (§9.0), written by the sandbox's own code.
fn payment_info(req: &PayRequest, txn_id: u64) -> Value {
    let fields: Map<String, Value> = req
        .fields
        .iter()
        .map(|(k, v)| {
            let shown = if is_card(v) { mask(v) } else { v.clone() };
            (k.clone(), Value::String(shown))
        })
        .collect();
    let mut body = json!({
        "id": req.id,
        "terms": req.provider.to_string(),
        "fields": fields,
        "sum": {"amount": Amount(req.amount).json_number(), "currency": format!("{:03}", req.currency)},
        "source": format!("account_{:03}", req.source_currency),
        "transaction": {"id": txn_id.to_string(), "state": {"code": "Accepted"}},
    });
    if let Some(comment) = &req.comment {
        body["comment"] = Value::String(comment.clone());
    }
    body
}

impl SinapTxn {
    /// The payment as the payment history lists it.
    pub(crate) fn history_txn(&self) -> Txn {
        let (status, error_code, error) = match self.status {
            TxnStatus::Waiting => ("WAITING", 0, None),
            TxnStatus::Success => ("SUCCESS", 0, None),
            TxnStatus::Error(code) => (
                "ERROR",
                i32::try_from(code).unwrap_or(i32::MAX),
                Some("Ошибка проведения платежа"),
            ),
        };
        let source = match self.source_currency {
            840 => "QW_USD",
            978 => "QW_EUR",
            _ => "QW_RUB",
        };
        let provider_name = match self.provider {
            WALLET_TRANSFER => "QIWI Кошелек",
            CONVERSION => "Обмен валюты",
            _ => "Платеж",
        };
        Txn {
            id: self.txn_id,
            at: whole_seconds(self.date),
            kind: match self.direction {
                Direction::In => "IN",
                Direction::Out => "OUT",
            },
            status,
            error_code,
            error,
            account: self.account.clone(),
            sum: Amount(self.amount),
            commission: Amount(self.commission),
            currency: self.currency,
            source,
            provider_id: self.provider,
            provider_name,
            comment: self.comment.clone().unwrap_or_default(),
            rate: None,
            trm_txn_id: Some(self.trm_txn_id.clone()),
        }
    }
}

/// Every wallet's payments as the admin endpoint lists them.
pub(crate) fn payments_json(sinap: &SinapState) -> Value {
    let wallets: Map<String, Value> = sinap
        .by_wallet
        .iter()
        .map(|(wallet, txns)| {
            let items: Vec<Value> = txns
                .iter()
                .map(|t| {
                    let (status, error_code) = match t.status {
                        TxnStatus::Waiting => ("WAITING", 0),
                        TxnStatus::Success => ("SUCCESS", 0),
                        TxnStatus::Error(code) => ("ERROR", code),
                    };
                    json!({
                        "txnId": t.txn_id,
                        "trmTxnId": t.trm_txn_id,
                        "type": if t.direction == Direction::In { "IN" } else { "OUT" },
                        "provider": t.provider,
                        "account": t.account,
                        "sum": {"amount": Amount(t.amount).json_number(), "currency": t.currency},
                        "withdraw": {"amount": Amount(t.withdraw).json_number(), "currency": t.source_currency},
                        "commission": {"amount": Amount(t.commission).json_number(), "currency": t.source_currency},
                        "comment": t.comment,
                        "status": status,
                        "errorCode": error_code,
                        "date": crate::clock::edge_datetime(t.date),
                    })
                })
                .collect();
            (wallet.clone(), Value::Array(items))
        })
        .collect();
    Value::Object(wallets)
}
