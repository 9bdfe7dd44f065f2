//! The details each transaction number was first sent with by one client, so that a number
//! reused for another payout is refused before it leaves: the server would answer 215, or,
//! when the first payment has not reached it, register the wrong one.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use qiwi_types::Currency;

use crate::error::Error;
use crate::payout::Payout;
use crate::wire::encode::lower;
use qiwi_types::agent::{Extra, PayoutAmount, ServiceId, TransactionNumber};

/// How many numbers a client remembers; the oldest is forgotten first.
const CAPACITY: usize = 10_000;

/// What makes two payouts the same payment for the protocol.
#[derive(Debug, PartialEq, Eq)]
struct Details {
    amount: PayoutAmount,
    to_currency: Option<Currency>,
    from_currency: Currency,
    account_number: String,
    service_id: ServiceId,
    /// The `to` extras, which name the recipient beside the account: the card of a payout by
    /// phone, the operator and phone of a mobile top-up, the SBP bank, the card holder, and
    /// the caller's own. A comment is not part of it.
    recipient_extras: Vec<Extra>,
}

impl Details {
    fn of(payout: &Payout) -> Self {
        let wire = lower(payout);
        Self {
            amount: payout.amount,
            to_currency: payout.to_currency.clone(),
            from_currency: payout.from_currency.clone(),
            account_number: wire.account_number,
            service_id: wire.service_id,
            recipient_extras: wire
                .to_extra
                .into_iter()
                .filter(|extra| extra.name != "comment")
                .collect(),
        }
    }

    /// The names of the details that differ (never their values: an account may be a card).
    fn differences(&self, other: &Self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.amount != other.amount {
            names.push("amount");
        }
        if self.to_currency != other.to_currency || self.from_currency != other.from_currency {
            names.push("currency");
        }
        if self.account_number != other.account_number
            || self.recipient_extras != other.recipient_extras
        {
            names.push("recipient");
        }
        if self.service_id != other.service_id {
            names.push("service");
        }
        names
    }
}

#[derive(Debug, Default)]
pub(crate) struct FirstUses {
    memo: Mutex<Memo>,
}

#[derive(Debug, Default)]
struct Memo {
    details: HashMap<TransactionNumber, Details>,
    order: VecDeque<TransactionNumber>,
}

impl FirstUses {
    /// Remembers the payout's details under its number, or refuses the payout when the number
    /// was first sent with other details.
    pub(crate) fn check(&self, payout: &Payout) -> Result<(), Error> {
        let details = Details::of(payout);
        let number = &payout.transaction_number;
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        match memo.details.get(number) {
            Some(first) if *first == details => Ok(()),
            Some(first) => Err(Error::invalid_input(format!(
                "transaction number {number} was already sent by this client for a payout with another {}; a number identifies one payment: send this payout under a new number, or the first one unchanged",
                first.differences(&details).join(" and ")
            ))),
            None => {
                if memo.order.len() == CAPACITY {
                    if let Some(oldest) = memo.order.pop_front() {
                        memo.details.remove(&oldest);
                    }
                }
                memo.order.push_back(number.clone());
                memo.details.insert(number.clone(), details);
                Ok(())
            }
        }
    }
}
