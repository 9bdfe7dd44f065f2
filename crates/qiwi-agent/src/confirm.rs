//! Sending a payout and following it to a final status, as the protocol's algorithm says.
//!
//! A payment is never reported failed on anything but a final status. Waiting uses the client's
//! [`Sleep`](qiwi_transport::time::Sleep), so tests that drive it do not sleep.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use qiwi_types::WalletNumber;
use serde::Serialize;

use crate::client::AgentClient;
use crate::error::Error;
use crate::payout::Payout;
use qiwi_transport::RefusalKind;
use qiwi_types::agent::{
    Balances, DepositCheck, Payment, PaymentCode, PaymentState, PaymentStatus, ServiceId,
    TransactionNumber,
};

type ProgressFn = dyn Fn(&Progress) + Send + Sync;

/// How [`AgentClient::pay_and_confirm`] waits.
#[derive(Clone)]
pub struct ConfirmOptions {
    interval: Duration,
    timeout: Duration,
    check_deposit_first: bool,
    on_progress: Option<Arc<ProgressFn>>,
}

impl Default for ConfirmOptions {
    fn default() -> Self {
        Self {
            interval: Self::DEFAULT_INTERVAL,
            timeout: Self::DEFAULT_TIMEOUT,
            check_deposit_first: false,
            on_progress: None,
        }
    }
}

impl fmt::Debug for ConfirmOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmOptions")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("check_deposit_first", &self.check_deposit_first)
            .field("on_progress", &self.on_progress.as_ref().map(|_| "Fn"))
            .finish()
    }
}

impl ConfirmOptions {
    /// The protocol's spacing of status checks for one payment: 10 minutes.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(600);
    /// How long to follow a payment by default: one hour.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3600);

    /// Default options: a status check every 10 minutes for at most an hour, no deposit check
    /// first, no progress callback.
    ///
    /// ```
    /// let options = qiwi_agent::ConfirmOptions::new();
    /// assert_eq!(options.get_interval().as_secs(), 600);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    qiwi_transport::setters! {
        /// The wait between two requests. The protocol asks for at least 10 minutes between
        /// status checks of one payment; a shorter interval is the caller's decision.
        interval: Duration;
        /// How long to follow the payment before returning [`Outcome::Pending`], measured from
        /// the first request; a request still running then is given up (its answer would not
        /// settle the payment's fate in time).
        timeout: Duration;
        /// Runs `check-deposit-possible` before a wallet top-up (service 99), as the protocol's
        /// algorithm starts; a "not possible" answer ends with [`Outcome::DepositNotPossible`]
        /// and nothing is paid. Off by default: when resuming a payout that may already have
        /// been paid, the check can answer "not possible" because of that very payment (limits).
        check_deposit_first: bool;
    }

    /// Called after every step (a command-line program prints it to stderr).
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    /// The wait between two requests.
    pub fn get_interval(&self) -> Duration {
        self.interval
    }

    /// How long the payment is followed.
    pub fn get_timeout(&self) -> Duration {
        self.timeout
    }
}

/// What [`AgentClient::pay_and_confirm`] does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextStep {
    /// Send the same `pay` again.
    Resend,
    /// Check the payment's status.
    CheckStatus,
}

impl fmt::Display for NextStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Resend => "send the payment again",
            Self::CheckStatus => "check the status",
        })
    }
}

/// One step of [`AgentClient::pay_and_confirm`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProgressEvent {
    /// Checking whether the wallet can be topped up.
    CheckingDeposit,
    /// Sending `pay` (again, when `resend`).
    Sending {
        /// Whether this is a repeat of an earlier send.
        resend: bool,
    },
    /// Sending a status check.
    CheckingStatus,
    /// The server reported the payment.
    Seen {
        /// Its status.
        status: Option<PaymentStatus>,
        /// What its attributes say together.
        state: PaymentState,
        /// Its payment result code.
        result_code: Option<PaymentCode>,
    },
    /// A status answer did not contain the payment.
    NotFound,
    /// The answer did not say anything about the payment (transport error, request-level
    /// error, unreadable answer).
    Unknown {
        /// What happened.
        reason: String,
    },
    /// Waiting before the next request.
    Waiting {
        /// How long.
        wait: Duration,
        /// What comes after.
        next: NextStep,
    },
}

/// A progress report: which payment, how far, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The payment.
    pub transaction_number: TransactionNumber,
    /// How many `pay`/status requests were sent so far.
    pub requests: u32,
    /// Time since the start.
    pub elapsed: Duration,
    /// What happened.
    pub event: ProgressEvent,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "payment {} [{} s]: ",
            self.transaction_number,
            self.elapsed.as_secs()
        )?;
        match &self.event {
            ProgressEvent::CheckingDeposit => {
                f.write_str("checking that the wallet can be topped up")
            }
            ProgressEvent::Sending { resend: false } => f.write_str("sending"),
            ProgressEvent::Sending { resend: true } => {
                f.write_str("sending again (same transaction number)")
            }
            ProgressEvent::CheckingStatus => f.write_str("checking the status"),
            ProgressEvent::Seen {
                status,
                state,
                result_code,
            } => {
                write!(f, "{state}")?;
                // A conflict's status describes the refused resend, not the payment.
                if let Some(status) = status.filter(|_| *state != PaymentState::Conflict) {
                    write!(f, ", status {status}")?;
                }
                match result_code {
                    Some(code) if !code.is_ok() => write!(f, ", result code {code}"),
                    _ => Ok(()),
                }
            }
            ProgressEvent::NotFound => f.write_str("not found by the status check"),
            ProgressEvent::Unknown { reason } => write!(f, "status unknown: {reason}"),
            ProgressEvent::Waiting { wait, next } => {
                write!(f, "waiting {} s, then: {next}", wait.as_secs())
            }
        }
    }
}

/// What a payment's outcome means for the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fate {
    /// The money reached the recipient.
    Paid,
    /// The payment was not made: nothing was debited, or the money is back on the agent
    /// balance.
    NotPaid,
    /// The payment may have been made, may still be, or may not: find out before paying again
    /// (check its status, or send it again with the same transaction number).
    Unknown,
}

impl Fate {
    /// Whether money moved to the recipient: `None` when that is not known.
    ///
    /// ```
    /// use qiwi_agent::Fate;
    /// assert_eq!(Fate::Paid.money_moved(), Some(true));
    /// assert_eq!(Fate::Unknown.money_moved(), None);
    /// ```
    pub fn money_moved(self) -> Option<bool> {
        match self {
            Self::Paid => Some(true),
            Self::NotPaid => Some(false),
            Self::Unknown => None,
        }
    }
}

/// How [`AgentClient::pay_and_confirm`] ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// Final status 60: the money reached the recipient.
    Succeeded,
    /// A final status above 100: the payment failed and its money is back on the agent
    /// balance; the agent returns it to its client.
    Failed {
        /// The payment result code that explains why.
        reason: Option<PaymentCode>,
    },
    /// The server said the payment is not registered (status `-1`, or neither a status nor a
    /// `txn_id`) and that sending it again unchanged would fail the same way (a fatal payment
    /// error). Nothing was debited.
    Rejected {
        /// The payment result code.
        reason: Option<PaymentCode>,
    },
    /// Result code 215: the transaction number belongs to an earlier payment with other
    /// details (amount, currency, recipient or service). This payout was not made under that
    /// number, but the earlier payment may have been: its fate is unknown here. Ask its
    /// status (with its own recipient) before anything else; never refund on this outcome.
    Conflict {
        /// The number, which identifies the earlier payment.
        transaction_number: TransactionNumber,
    },
    /// `check-deposit-possible` answered that the wallet cannot be topped up; nothing was
    /// paid.
    DepositNotPossible(DepositCheck),
    /// The service refused the request (authentication, IP restriction) before any request
    /// of this run could have registered the payment: nothing was paid. Fix the configuration
    /// and send it again (the same transaction number is safe).
    Refused(Error),
    /// A fatal request-level error (authentication, IP restriction, `fatal="true"`) stopped
    /// the confirmation after a request that may have registered the payment: waiting cannot
    /// help until the configuration is fixed. The payment's fate is unknown: never treat it
    /// as failed.
    Stopped(Error),
    /// The time limit was reached before a final status; the payment's fate is unknown or it
    /// is still in progress. Check it later (or run this again: resending is safe).
    Pending {
        /// What was last seen of the payment, if it was seen at all.
        last_state: Option<PaymentState>,
    },
}

impl Outcome {
    /// Whether the money reached the recipient.
    ///
    /// ```
    /// assert!(qiwi_agent::Outcome::Succeeded.is_success());
    /// ```
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Succeeded)
    }

    /// Whether the payment's fate is settled: paid or not paid.
    ///
    /// ```
    /// assert!(!qiwi_agent::Outcome::Pending { last_state: None }.is_settled());
    /// ```
    pub fn is_settled(&self) -> bool {
        self.fate() != Fate::Unknown
    }

    /// What the outcome means for the money.
    ///
    /// ```
    /// use qiwi_agent::{Fate, Outcome};
    /// assert_eq!(Outcome::Succeeded.fate(), Fate::Paid);
    /// assert_eq!(Outcome::Failed { reason: None }.fate(), Fate::NotPaid);
    /// assert_eq!(Outcome::Pending { last_state: None }.fate(), Fate::Unknown);
    /// ```
    pub fn fate(&self) -> Fate {
        match self {
            Self::Succeeded => Fate::Paid,
            Self::Failed { .. }
            | Self::Rejected { .. }
            | Self::DepositNotPossible(_)
            | Self::Refused(_) => Fate::NotPaid,
            Self::Conflict { .. } | Self::Stopped(_) | Self::Pending { .. } => Fate::Unknown,
        }
    }

    /// A stable `snake_case` name of the variant.
    ///
    /// ```
    /// assert_eq!(qiwi_agent::Outcome::Pending { last_state: None }.name(), "pending");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed { .. } => "failed",
            Self::Rejected { .. } => "rejected",
            Self::Conflict { .. } => "conflict",
            Self::DepositNotPossible(_) => "deposit_not_possible",
            Self::Refused(_) => "refused",
            Self::Stopped(_) => "stopped",
            Self::Pending { .. } => "pending",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Succeeded => f.write_str("succeeded"),
            Self::Failed { reason: Some(code) } => {
                write!(f, "failed, money returned to the agent: {code}")
            }
            Self::Failed { reason: None } => f.write_str("failed, money returned to the agent"),
            Self::Rejected { reason: Some(code) } => write!(
                f,
                "rejected, not registered: {code}; fix the cause before sending it again"
            ),
            Self::Rejected { reason: None } => {
                f.write_str("rejected, not registered; fix the cause before sending it again")
            }
            Self::Conflict { transaction_number } => write!(
                f,
                "transaction number {transaction_number} already belongs to a payment with other details (amount, currency, recipient or service); this payout was not made under it, and that payment's fate is unknown here: check its status before paying again"
            ),
            Self::DepositNotPossible(check) => match check.reason() {
                Some(code) => write!(f, "the wallet cannot be topped up: {code}"),
                None => f.write_str("the wallet cannot be topped up"),
            },
            Self::Refused(error) => write!(f, "refused, nothing was paid: {error}"),
            Self::Stopped(error) => write!(
                f,
                "stopped, the payment's fate is unknown (do not treat it as failed): {error}"
            ),
            Self::Pending {
                last_state: Some(state),
            } => write!(
                f,
                "not final yet (last seen: {state}); check its status later"
            ),
            Self::Pending { last_state: None } => f.write_str(
                "not confirmed yet, its fate is unknown; check its status later or send it again",
            ),
        }
    }
}

/// What [`AgentClient::pay_and_confirm`] found out.
#[derive(Debug)]
#[non_exhaustive]
pub struct Confirmation {
    /// The payment.
    pub transaction_number: TransactionNumber,
    /// How it ended.
    pub outcome: Outcome,
    /// The payment as last reported by the server.
    pub payment: Option<Payment>,
    /// The agent's balances as last reported.
    pub balances: Option<Balances>,
    /// How many `pay`/status requests were sent.
    pub requests: u32,
    /// Time from the first request to the end.
    pub elapsed: Duration,
}

/// What one request said about the payment.
enum Observation {
    Seen(Box<Payment>),
    NotFound,
    Unknown(String),
}

struct Run<'a> {
    client: &'a AgentClient,
    options: &'a ConfirmOptions,
    number: TransactionNumber,
    start: Instant,
    requests: u32,
}

impl Run<'_> {
    fn elapsed(&self) -> Duration {
        self.client
            .executor()
            .time_source()
            .now()
            .saturating_duration_since(self.start)
    }

    fn report(&self, event: ProgressEvent) {
        let progress = Progress {
            transaction_number: self.number.clone(),
            requests: self.requests,
            elapsed: self.elapsed(),
            event,
        };
        tracing::debug!(transaction_number = self.number.as_str(), "{progress}");
        if let Some(callback) = &self.options.on_progress {
            callback(&progress);
        }
    }
}

impl AgentClient {
    /// Sends a payout and follows it until its status is final or the time limit is reached,
    /// following the protocol's algorithm: after anything that leaves the payment's fate
    /// unknown it waits and checks the status; when the payment is not registered it sends
    /// the same `pay` again (the transaction number makes that safe); it stops on a final
    /// status or on an error that waiting cannot fix. A payment is never reported failed on
    /// anything but a final status.
    ///
    /// The rules (the protocol's flowchart and error matrix):
    ///
    /// | what came back | the payment is | next step |
    /// |---|---|---|
    /// | the first `pay` could not connect (nothing sent) | not made | return the error |
    /// | transport error, HTTP error, unreadable answer | unknown | wait, check the status |
    /// | request-level code ≠ 0, not fatal | unknown | wait, check the status |
    /// | 150 or 339 (or HTTP 401, 403) before any `pay` could have registered the payment | not made | stop: [`Outcome::Refused`] |
    /// | request-level code ≠ 0, fatal (150, 339, `fatal="true"`) | unknown | stop: [`Outcome::Stopped`] |
    /// | status answer without this payment | not found | wait, send the same `pay` again (or keep checking once it was seen registered) |
    /// | status `-1` or empty `txn_id` | not registered | wait, send the same `pay` again; stop with [`Outcome::Rejected`] if its error is fatal and no status contradicts it (or once seen registered: keep checking) |
    /// | payment result code 215 | the number belongs to an earlier payment | stop: [`Outcome::Conflict`] |
    /// | `final-status="false"` | in progress | wait, check the status |
    /// | final, status 60 | succeeded | [`Outcome::Succeeded`] |
    /// | final, status > 100 | failed, money back to the agent | [`Outcome::Failed`] |
    ///
    /// Progress goes to [`ConfirmOptions::on_progress`]; waits use the client's clock.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_agent::{ConfirmOptions, FundsSource, Outcome, Payout, PayoutAmount, Recipient, TransactionNumber};
    /// let to = Recipient::Wallet {
    ///     wallet: "79181234567".parse()?,
    ///     funds: FundsSource::NonCash,
    ///     comment: None,
    /// };
    /// let payout = Payout::new(TransactionNumber::parse("12345678")?, to, PayoutAmount::parse("100.00")?)?;
    /// let options = ConfirmOptions::new().on_progress(|p| eprintln!("{p}"));
    /// let confirmation = client.pay_and_confirm(&payout, &options).await?;
    /// match confirmation.outcome {
    ///     Outcome::Succeeded => println!("paid"),
    ///     other => println!("{other}"),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Only when the payment was never sent ([`Error::is_not_sent`]): [`Error::NotSent`]
    /// (a value cannot be encoded, or this client already sent the transaction number with
    /// other details), [`Error::Transport`] when the first `pay` got no connection, or any
    /// error of the deposit check when [`ConfirmOptions::check_deposit_first`] is on.
    /// Everything after the first send is reported in [`Confirmation::outcome`].
    pub async fn pay_and_confirm(
        &self,
        payout: &Payout,
        options: &ConfirmOptions,
    ) -> Result<Confirmation, Error> {
        if options.interval.is_zero() {
            return Err(Error::invalid_input(
                "the confirmation interval must be longer than zero",
            ));
        }
        // Checked before anything is reported or sent, and encoded once for every resend.
        let body = self.pay_body(payout)?;
        let mut run = Run {
            client: self,
            options,
            number: payout.transaction_number().clone(),
            start: self.executor().time_source().now(),
            requests: 0,
        };
        let query = payout.status_query();
        let mut last: Option<Payment> = None;
        let mut balances: Option<Balances> = None;
        let done = |run: &Run<'_>, outcome, payment, balances| {
            Ok(Confirmation {
                transaction_number: run.number.clone(),
                outcome,
                payment,
                balances,
                requests: run.requests,
                elapsed: run.elapsed(),
            })
        };

        let wire = crate::wire::encode::lower(payout);
        if options.check_deposit_first && wire.service_id == ServiceId::WALLET {
            if let Some(funds) = wire.funds {
                run.report(ProgressEvent::CheckingDeposit);
                let wallet = WalletNumber::parse(&wire.account_number)?;
                let check = self
                    .check_deposit_possible(&wallet, funds, payout.to_currency.as_ref())
                    .await?;
                if check.deposit_possible == Some(false) {
                    return done(&run, Outcome::DepositNotPossible(check), None, None);
                }
            }
        }

        // Whether the payment was ever seen registered: from then on it is only polled.
        let mut registered = false;
        // Whether a `pay` of this run may have registered the payment: until one did, a
        // refusal of the credentials means that nothing was paid.
        let mut reached = false;
        let mut next: Option<NextStep> = None;
        // A request gets what remains of the time limit and no more: a slow answer ends the
        // run on time, as pending (the payment's fate is then unknown, never failed).
        let sleep = self.executor().sleep_impl().clone();
        loop {
            let remaining = options.timeout.saturating_sub(run.elapsed());
            let pending = |run: &Run<'_>, last: Option<Payment>, balances| {
                let last_state = last.as_ref().map(Payment::state);
                done(run, Outcome::Pending { last_state }, last, balances)
            };
            let observation = match next {
                None | Some(NextStep::Resend) => {
                    run.report(ProgressEvent::Sending {
                        resend: next.is_some(),
                    });
                    run.requests += 1;
                    let sent = self.send_pay(payout, body.clone());
                    let Ok(sent) = qiwi_transport::time::timeout(&*sleep, remaining, sent).await
                    else {
                        return pending(&run, last, balances);
                    };
                    match sent {
                        Ok(response) => {
                            if response.balances.is_some() {
                                balances = response.balances;
                            }
                            match response.payment {
                                Some(payment) => {
                                    reached = !says_not_registered(&payment);
                                    Observation::Seen(Box::new(payment))
                                }
                                None => {
                                    reached = true;
                                    Observation::Unknown(
                                        "the answer to pay holds no payment".into(),
                                    )
                                }
                            }
                        }
                        Err(error) if error.is_not_sent() && run.requests == 1 => {
                            return Err(error);
                        }
                        Err(error) if is_fatal(&error) => {
                            return done(&run, stopped(error, reached), last, balances);
                        }
                        Err(error) => {
                            reached |= !error.is_not_sent();
                            Observation::Unknown(error.to_string())
                        }
                    }
                }
                Some(NextStep::CheckStatus) => {
                    run.report(ProgressEvent::CheckingStatus);
                    run.requests += 1;
                    let read =
                        qiwi_transport::time::timeout(&*sleep, remaining, self.status(&query));
                    let Ok(read) = read.await else {
                        return pending(&run, last, balances);
                    };
                    match read {
                        Ok(response) => {
                            if response.balances.is_some() {
                                balances = response.balances.clone();
                            }
                            match response.payment(&run.number) {
                                Some(payment) => Observation::Seen(Box::new(payment.clone())),
                                None => Observation::NotFound,
                            }
                        }
                        Err(error) if is_fatal(&error) => {
                            return done(&run, stopped(error, reached), last, balances);
                        }
                        Err(error) => Observation::Unknown(error.to_string()),
                    }
                }
            };

            let step = match observation {
                Observation::Seen(payment) => {
                    let payment = *payment;
                    let state = payment.state();
                    run.report(ProgressEvent::Seen {
                        status: payment.status,
                        state,
                        result_code: payment.result_code,
                    });
                    let reason = payment.result_code;
                    let step = match state {
                        PaymentState::Succeeded => {
                            return done(&run, Outcome::Succeeded, Some(payment), balances);
                        }
                        PaymentState::Failed => {
                            return done(&run, Outcome::Failed { reason }, Some(payment), balances);
                        }
                        PaymentState::Conflict => {
                            let outcome = Outcome::Conflict {
                                transaction_number: run.number.clone(),
                            };
                            return done(&run, outcome, Some(payment), balances);
                        }
                        PaymentState::NotRegistered if registered => NextStep::CheckStatus,
                        PaymentState::NotRegistered
                            if !payment.may_retry_same_request()
                                && says_not_registered(&payment) =>
                        {
                            return done(
                                &run,
                                Outcome::Rejected { reason },
                                Some(payment),
                                balances,
                            );
                        }
                        PaymentState::NotRegistered => NextStep::Resend,
                        PaymentState::InProgress => {
                            registered = true;
                            NextStep::CheckStatus
                        }
                        // A state this client does not know settles nothing: keep checking.
                        _ => NextStep::CheckStatus,
                    };
                    last = Some(payment);
                    step
                }
                Observation::NotFound => {
                    run.report(ProgressEvent::NotFound);
                    if registered {
                        NextStep::CheckStatus
                    } else {
                        NextStep::Resend
                    }
                }
                Observation::Unknown(reason) => {
                    run.report(ProgressEvent::Unknown { reason });
                    NextStep::CheckStatus
                }
            };

            if run.elapsed().saturating_add(options.interval) > options.timeout {
                return pending(&run, last, balances);
            }
            run.report(ProgressEvent::Waiting {
                wait: options.interval,
                next: step,
            });
            self.executor().sleep_impl().sleep(options.interval).await;
            next = Some(step);
        }
    }
}

/// Whether the payment is plainly not registered: no status contradicts the missing `txn_id`
/// (a status of 50 with an empty `txn_id` says the money was debited).
fn says_not_registered(payment: &Payment) -> bool {
    payment.state() == PaymentState::NotRegistered
        && payment
            .status
            .is_none_or(|status| status == PaymentStatus::NotRegistered)
}

/// The outcome of a fatal error: refused when the credentials or the address were refused
/// before any `pay` could have registered the payment, stopped (fate unknown) otherwise.
fn stopped(error: Error, reached: bool) -> Outcome {
    match error.kind() {
        Some(RefusalKind::Authentication | RefusalKind::Permission { .. }) if !reached => {
            Outcome::Refused(error)
        }
        _ => Outcome::Stopped(error),
    }
}

/// Whether waiting cannot help: the request is wrong, or the refusal is fatal.
fn is_fatal(error: &Error) -> bool {
    matches!(error, Error::NotSent(_)) || error.detail().is_some_and(|detail| detail.fatal)
}
