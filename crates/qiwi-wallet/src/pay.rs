//! Sending a payment exactly once, finding out what became of it, and following it to its
//! final status.
//!
//! A payment is sent once and never again by the client. Its answer is read with
//! [`payment_fate`]: accepted, not moved, or unknown; an unknown fate is looked up in the
//! payment history by the payment's id (`trmTxnId`), so that a payment is never reported failed
//! while its money may have moved. An answer is only taken for this payment's when it echoes
//! its id and its `sum`: one that describes another payment (a misrouted or cached answer)
//! says nothing of this one.

use std::time::{Duration, SystemTime};

use jiff::{SignedDuration, Timestamp};
use qiwi_transport::{DecodeError, RefusalKind, Response};
use qiwi_types::wallet::{
    HistoryCursor, HistoryOperation, PaymentHistoryItem, PaymentInfo, PaymentRejection,
    Transaction, TransactionId, TransactionStatus, TransactionType,
};

use crate::payment::fate::{AnswerBody, PaymentAnswer, PaymentFate, payment_fate};
use crate::payment::{Payment, PaymentId};
use crate::{Error, HistoryFilter, MAX_HISTORY_ROWS, WalletClient};

/// How the history is read for a payment whose answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FateLookup {
    /// The wait before the first history request, so that the payment has time to appear.
    pub wait: Duration,
    /// The most history pages (of 50 outgoing payments) read; the lookup ends sooner at a
    /// payment older than the request minus [`skew`](Self::skew).
    pub pages: u32,
    /// How far the service's clock may be behind this machine's.
    pub skew: Duration,
}

impl Default for FateLookup {
    /// A 3-second wait, at most 4 pages (200 payments), 10 minutes of clock skew.
    fn default() -> Self {
        Self {
            wait: Duration::from_secs(3),
            pages: 4,
            skew: Duration::from_secs(600),
        }
    }
}

/// What became of a payment.
#[derive(Debug)]
#[non_exhaustive]
pub enum PaymentOutcome {
    /// The service accepted it: it has a transaction, whose final status the history tells
    /// (see [`WalletClient::pay_and_confirm`]).
    Accepted(Accepted),
    /// The money did not move: sending the same payment again, with the same id, is safe.
    NotMoved(NotMoved),
    /// The money may have moved: neither the answer nor the history said. Look the id up
    /// again later ([`WalletClient::find_payment`]) before sending anything.
    Unknown(FateUnknown),
}

/// How the acceptance of a payment is known.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Accepted {
    /// The answer to the payment (PaymentInfo).
    Answer(PaymentInfo),
    /// The answer was lost; the history lists the payment by its id.
    History(Box<PaymentHistoryItem>),
}

impl Accepted {
    /// The QIWI transaction id, for [`WalletClient::transaction`]; `None` only when the
    /// answer's id is not one.
    pub fn transaction_id(&self) -> Option<TransactionId> {
        match self {
            Self::Answer(info) => TransactionId::new(info.transaction.id.as_str()).ok(),
            Self::History(item) => Some(item.txn_id.clone()),
        }
    }
}

/// Why the money of a payment did not move.
#[derive(Debug)]
#[non_exhaustive]
pub enum NotMoved {
    /// It was refused before sending or by the service (400, 401, 403, a `QWPRC-` rejection).
    Refused {
        /// What came back.
        error: Error,
        /// The `QWPRC-` rejection, when the answer was one: its code and
        /// [`meaning`](PaymentRejection::meaning) (insufficient funds, a limit, wrong
        /// requisites...).
        rejection: Option<PaymentRejection>,
    },
    /// The answer was lost, and the history, read back past the time the payment was sent,
    /// does not list its id.
    NotFound {
        /// Why the answer was not known.
        cause: Error,
    },
}

/// Why the fate of a payment is unknown.
#[derive(Debug)]
pub struct FateUnknown {
    /// Why the answer did not tell.
    pub cause: Error,
    /// Why the history did not tell: its error, or `None` when the pages allowed ran out
    /// before the time the payment was sent or the id names another payment
    /// ([`other`](Self::other)).
    pub lookup: Option<Error>,
    /// The payment the history lists under this id with another amount: the id was used
    /// before, and that payment says nothing of this one.
    pub other: Option<Box<PaymentHistoryItem>>,
}

/// A payment followed to its final status by [`WalletClient::pay_and_confirm`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Confirmed {
    /// `SUCCESS`: the recipient has the money.
    Success(Box<Transaction>),
    /// `ERROR`: the payment failed and its money went back; `errorCode` and `error` say why.
    Error(Box<Transaction>),
    /// Accepted, and not final when the wait ran out.
    Pending {
        /// How the payment was accepted.
        accepted: Accepted,
        /// The last status read, when one was.
        last: Option<Box<Transaction>>,
    },
    /// The money did not move.
    NotMoved(NotMoved),
    /// The money may have moved.
    Unknown(FateUnknown),
}

/// How [`WalletClient::pay_and_confirm`] waits for a final status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmOptions {
    /// The wait between two status requests (E16). Zero asks as often as the client's
    /// history limiter allows (E16 is a history call); without a limiter, back to back.
    pub interval: Duration,
    /// How long to follow the payment, from its acceptance.
    pub timeout: Duration,
    /// How a lost answer is looked up.
    pub lookup: FateLookup,
}

impl Default for ConfirmOptions {
    /// A status request every 5 seconds for at most 5 minutes.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(300),
            lookup: FateLookup::default(),
        }
    }
}

/// What the history says of a payment id ([`WalletClient::find_payment`]).
#[derive(Debug, Clone)]
pub enum HistoryLookup {
    /// The history lists it: it was accepted.
    Found(Box<PaymentHistoryItem>),
    /// The history, read back past the time the payment was sent, does not list it.
    NotFound,
    /// The pages allowed ran out before the time the payment was sent.
    PagesRanOut,
}

impl WalletClient {
    /// Sends `payment` once and says what became of it, looking a lost answer up in the
    /// history with [`FateLookup::default`] (see [`pay_with`](Self::pay_with)).
    pub async fn pay(&self, payment: &Payment) -> PaymentOutcome {
        self.pay_with(payment, FateLookup::default()).await
    }

    /// Sends `payment` once (the client never sends it again) and reads the answer with the
    /// [fate table](crate::payment::fate): an accepted payment, a refusal (the money did not
    /// move), or, when the answer does not tell (timeout or reset after sending, 5xx, 423, an
    /// unreadable answer, a PaymentInfo of another payment), the payment's id looked up in the
    /// recent outgoing history, through the history limiter, as `lookup` bounds it. A payment
    /// listed under the id with another amount in the same currency is an earlier use of the
    /// id, not this payment: the fate stays unknown.
    ///
    /// A PaymentInfo describes this payment when it echoes its id (as a number) and its `sum`
    /// (the amount as a value, `10.5` for `10.50`, and the currency); one that does not is an
    /// [`Error::Decode`] naming the field that differs (`id`, `sum.amount`, `sum.currency`) and
    /// keeping the answer's body, in [`NotMoved::NotFound`] or [`FateUnknown`] as the history
    /// decides, or dropped when the history lists the payment. An answer that echoes the id
    /// with another `sum` is never [`NotMoved`]: the service took the id.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
    /// use qiwi_wallet::{FateLookup, PaymentOutcome};
    ///
    /// let payment = Payment::new(
    ///     PaymentId::next(),
    ///     Recipient::wallet("79121238345".parse()?, Some("rent")),
    ///     PayoutAmount::parse("10.50")?,
    /// )?;
    /// match client.pay_with(&payment, FateLookup::default()).await {
    ///     PaymentOutcome::Accepted(accepted) => println!("accepted: {:?}", accepted.transaction_id()),
    ///     PaymentOutcome::NotMoved(why) => println!("not paid, safe to send again: {why:?}"),
    ///     PaymentOutcome::Unknown(why) => println!("unknown, do not resend yet: {}", why.cause),
    ///     _ => {}
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn pay_with(&self, payment: &Payment, lookup: FateLookup) -> PaymentOutcome {
        let sent_at = self.time().0.wall();
        let cause = match self.send_payment(payment).await {
            Ok(info) => return PaymentOutcome::Accepted(Accepted::Answer(info)),
            Err(error) => error,
        };
        let (fate, rejection) = fate_of(&cause);
        if fate == PaymentFate::NotMoved {
            return PaymentOutcome::NotMoved(NotMoved::Refused {
                error: cause,
                rejection,
            });
        }
        // An answer that echoes this payment's id (its `sum` aside) shows the service took the
        // id: a history that does not list it (yet) does not prove the money did not move.
        let id_taken = matches!(&cause, Error::Decode(decode) if decode.path.starts_with("sum."));
        self.time().1.sleep(lookup.wait).await;
        let unknown = |cause, lookup, other| {
            PaymentOutcome::Unknown(FateUnknown {
                cause,
                lookup,
                other,
            })
        };
        match self.find_payment(payment.id(), sent_at, lookup).await {
            // An id reused with another amount finds the earlier payment, not this one. A sum
            // in another currency (a conversion listed in roubles, say) cannot be compared.
            Ok(HistoryLookup::Found(item))
                if item.sum.as_ref().is_some_and(|sum| {
                    sum.currency == payment.currency() && sum.amount != payment.amount().value()
                }) =>
            {
                unknown(cause, None, Some(item))
            }
            Ok(HistoryLookup::Found(item)) => PaymentOutcome::Accepted(Accepted::History(item)),
            Ok(HistoryLookup::NotFound) if id_taken => unknown(cause, None, None),
            Ok(HistoryLookup::NotFound) => PaymentOutcome::NotMoved(NotMoved::NotFound { cause }),
            Ok(HistoryLookup::PagesRanOut) => unknown(cause, None, None),
            Err(error) => unknown(cause, Some(error), None),
        }
    }

    /// Sends `payment` as [`pay_with`](Self::pay_with) does, then follows its transaction
    /// (E16) until `SUCCESS` or `ERROR`, a request every `options.interval`, for at most
    /// `options.timeout` in all (a status read still running then is dropped, so a zero
    /// timeout reads no status); waits use the client's injected sleep and time source. A status
    /// read refused for the token (authentication, permission: no history scope) ends it at
    /// once as [`Confirmed::Pending`]: the payment was accepted, its end is not known here.
    pub async fn pay_and_confirm(&self, payment: &Payment, options: ConfirmOptions) -> Confirmed {
        let accepted = match self.pay_with(payment, options.lookup).await {
            PaymentOutcome::Accepted(accepted) => accepted,
            PaymentOutcome::NotMoved(why) => return Confirmed::NotMoved(why),
            PaymentOutcome::Unknown(why) => return Confirmed::Unknown(why),
        };
        let Some(id) = accepted.transaction_id() else {
            return Confirmed::Pending {
                accepted,
                last: None,
            };
        };
        let (time, sleep) = self.time();
        let started = time.now();
        let mut last = None;
        loop {
            // A read gets what remains of the wait and no more: a slow answer, or a long
            // `Retry-After` held by the history limiter, ends the following on time.
            let remaining = options
                .timeout
                .saturating_sub(time.now().saturating_duration_since(started));
            let read = self.transaction(&id, Some(&TransactionType::Out));
            let Ok(read) = qiwi_transport::time::timeout(sleep, remaining, read).await else {
                return Confirmed::Pending { accepted, last };
            };
            // An error reading the status is waited out like a pending status, unless waiting
            // cannot help: a token that may pay but not read the history.
            match read {
                Ok(transaction) => match transaction.item.status {
                    TransactionStatus::Success => return Confirmed::Success(Box::new(transaction)),
                    TransactionStatus::Error => return Confirmed::Error(Box::new(transaction)),
                    _ => last = Some(Box::new(transaction)),
                },
                Err(error)
                    if matches!(
                        error.kind(),
                        Some(RefusalKind::Authentication | RefusalKind::Permission { .. })
                    ) =>
                {
                    return Confirmed::Pending { accepted, last };
                }
                Err(_) => {}
            }
            let elapsed = time.now().saturating_duration_since(started);
            if elapsed.saturating_add(options.interval) > options.timeout {
                return Confirmed::Pending { accepted, last };
            }
            sleep.sleep(options.interval).await;
        }
    }

    /// Sends the payment once; an answer that is not a PaymentInfo of this payment is an
    /// [`Error::Decode`].
    async fn send_payment(&self, payment: &Payment) -> Result<PaymentInfo, Error> {
        let endpoint = payment.endpoint();
        let provider = payment.provider_id().to_string();
        let request = Self::with_json(self.request(endpoint, &[&provider])?, &payment.body())?;
        let response: Response = self.send(request, endpoint).await?;
        let info: PaymentInfo = self.decode_json(&response)?;
        match other_payment(payment, &info) {
            None => Ok(info),
            Some((path, differs)) => Err(self.undecodable(DecodeError {
                status: response.status,
                format: "JSON",
                path: path.into(),
                message: format!("the answer describes another payment: {differs}"),
                body: response.body,
            })),
        }
    }

    /// Looks the outgoing payment with client id `id` (`trmTxnId`, compared as a number:
    /// leading zeros aside), sent no earlier than
    /// `sent_at`, up in the recent history (the service's default window, the last day),
    /// newest first, through the history limiter, reading at most `lookup.pages` pages.
    ///
    /// # Errors
    /// Any [`Error`] of the history calls.
    pub async fn find_payment(
        &self,
        id: &PaymentId,
        sent_at: SystemTime,
        lookup: FateLookup,
    ) -> Result<HistoryLookup, Error> {
        let skew = SignedDuration::try_from(lookup.skew).unwrap_or(SignedDuration::MAX);
        let oldest = Timestamp::try_from(sent_at)
            .ok()
            .and_then(|t| t.checked_sub(skew).ok());
        let filter = HistoryFilter::default().operation(HistoryOperation::Out);
        let mut cursor: Option<HistoryCursor> = None;
        for _ in 0..lookup.pages {
            let page = self
                .history_page(MAX_HISTORY_ROWS, &filter, cursor.as_ref())
                .await?;
            for item in &page.data {
                if item
                    .trm_txn_id
                    .as_deref()
                    .is_some_and(|listed| same_number(listed, id.as_str()))
                {
                    return Ok(HistoryLookup::Found(Box::new(item.clone())));
                }
                let before = item
                    .date
                    .timestamp()
                    .zip(oldest)
                    .is_some_and(|(a, b)| a < b);
                if before {
                    return Ok(HistoryLookup::NotFound);
                }
            }
            cursor = page.cursor();
            if cursor.is_none() {
                return Ok(HistoryLookup::NotFound);
            }
        }
        Ok(HistoryLookup::PagesRanOut)
    }
}

/// Whether two ids are the same number: the reference documents the id as a number, so the
/// history may list it without the leading zeros it was sent with.
fn same_number(a: &str, b: &str) -> bool {
    a.trim_start_matches('0') == b.trim_start_matches('0')
}

/// The field of `info` that shows it is the answer to another payment than `payment`, and
/// what it says: the id (as a number) or the `sum` (the amount as a value, the currency as a
/// code), which every PaymentInfo echoes. The requisites come back masked and `terms` is
/// misstated in the reference's own examples, so neither tells.
fn other_payment(payment: &Payment, info: &PaymentInfo) -> Option<(&'static str, String)> {
    let sum = &info.sum;
    let amount = payment.amount().value();
    let currency = payment.currency();
    if !same_number(info.id.as_str(), payment.id().as_str()) {
        Some(("id", format!("id {}, not {}", info.id, payment.id())))
    } else if sum.amount != amount {
        Some(("sum.amount", format!("amount {}, not {amount}", sum.amount)))
    } else if sum.currency != currency {
        Some((
            "sum.currency",
            format!("currency {}, not {}", sum.currency.code(), currency.code()),
        ))
    } else {
        None
    }
}

/// The fate of a payment whose answer was an error, and the rejection it carried.
pub(crate) fn fate_of(error: &Error) -> (PaymentFate, Option<PaymentRejection>) {
    let answer = match error {
        _ if error.is_not_sent() => PaymentAnswer::NotSent,
        Error::Service(refusal) => {
            let rejection: Option<PaymentRejection> =
                serde_json::from_slice(&refusal.answer.body).ok();
            let body = rejection
                .as_ref()
                .map_or(AnswerBody::Other, AnswerBody::Rejection);
            let status = refusal.answer.status.as_u16();
            let fate = payment_fate(PaymentAnswer::Answered { status, body });
            return (fate, rejection);
        }
        Error::Decode(_) => PaymentAnswer::Answered {
            status: 200,
            body: AnswerBody::Other,
        },
        _ => PaymentAnswer::NoAnswer,
    };
    (payment_fate(answer), None)
}
