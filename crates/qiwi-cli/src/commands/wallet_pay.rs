//! `qiwi wallet pay wallet`: one transfer to a QIWI wallet, sent once. The exit code and the
//! report's `outcome` say the same thing: paid (0), not paid (7), unknown or still pending (8).

use std::io::{BufRead, IsTerminal};

use qiwi_wallet::models::Commission;
use qiwi_wallet::payment::Payment;
use qiwi_wallet::{
    Accepted, ConfirmOptions, Confirmed, FateUnknown, NotMoved, PaymentOutcome, WalletClient,
};
use serde::Serialize;

use crate::cli::WalletPayArgs;
use crate::commands::wallet::wallet_transfer;
use crate::failure::Failure;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// What became of the payment, as the exit code tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Fate {
    Paid,
    NotPaid,
    Unknown,
}

impl Fate {
    pub(crate) fn money_moved(self) -> Option<bool> {
        match self {
            Fate::Paid => Some(true),
            Fate::NotPaid => Some(false),
            Fate::Unknown => None,
        }
    }

    /// How the command ends: the message on stderr when paid, otherwise the failure with the
    /// exit code of the fate.
    pub(crate) fn end(self, message: String) -> Result<(), Failure> {
        match self {
            Fate::Paid => {
                notice(&message);
                Ok(())
            }
            Fate::NotPaid => Err(Failure::NotPaid(message)),
            Fate::Unknown => Err(Failure::PaymentUnknown(message)),
        }
    }

    /// The table's word for it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Fate::Paid => "paid",
            Fate::NotPaid => "not paid",
            Fate::Unknown => "unknown",
        }
    }
}

/// The `--json` form, and what the table and the exit code are made from.
#[derive(Debug, Serialize)]
struct WalletPayReport {
    /// The payment's own id: running the command again with `--id` is the same payment.
    payment_id: String,
    recipient: String,
    /// What the recipient gets, what leaves the wallet, and the difference (E19's quote).
    amount: String,
    withdraw: String,
    commission: String,
    currency: String,
    outcome: Fate,
    money_moved: Option<bool>,
    /// `accepted`, `success`, `error`, `pending`, `refused`, `not_found` or `unknown`.
    result: &'static str,
    /// The QIWI transaction id, when the payment has one.
    transaction: Option<String>,
    /// One sentence: what happened and what to do; also the last line on stderr.
    message: String,
}

/// How the payment ended: its fate, the result's name, its transaction, and why.
struct Ending {
    fate: Fate,
    result: &'static str,
    transaction: Option<String>,
    why: String,
}

/// Runs `qiwi wallet pay wallet`.
pub async fn wallet(
    client: &WalletClient,
    out: Output,
    args: WalletPayArgs,
) -> Result<(), Failure> {
    let payment = wallet_transfer(
        &args.number,
        &args.amount,
        args.comment.as_deref(),
        args.id.as_deref(),
    )?;
    // Checked before anything is sent, the quote included.
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "not a terminal: add --yes to pay without being asked (nothing was sent)".into(),
        ));
    }
    let id = payment.id().as_str().to_owned();
    let quote = client.commission(&payment).await.map_err(|error| {
        Failure::NotPaid(format!(
            "payment {id} was not made, nothing was sent: the commission could not be read: {}",
            Failure::from(error)
        ))
    })?;
    notice(&format!(
        "paying {} to wallet {}: {} leaves the wallet, commission {}",
        quote.enrollment_sum, args.number, quote.withdraw_sum, quote.qw_commission
    ));
    if !args.yes && !confirmed_on_terminal()? {
        return Err(Failure::NotPaid(format!(
            "payment {id} was not made: not confirmed"
        )));
    }
    let ending = if args.confirm {
        let options = ConfirmOptions::default();
        notice(&format!(
            "following payment {id}: its status every {} s, for at most {} s",
            options.interval.as_secs(),
            options.timeout.as_secs()
        ));
        confirmed_ending(client.pay_and_confirm(&payment, options).await)
    } else {
        outcome_ending(client.pay(&payment).await)
    };
    let report = report(&payment, &args.number, &quote, ending);
    out.emit("payment", &report, || report_table(&report))?;
    report.outcome.end(report.message)
}

/// Asks on stderr and reads the answer from the terminal: `y` or `yes` pays.
pub(crate) fn confirmed_on_terminal() -> Result<bool, Failure> {
    notice("pay? [y/N]");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn outcome_ending(outcome: PaymentOutcome) -> Ending {
    match outcome {
        PaymentOutcome::Accepted(accepted) => accepted_ending(&accepted, "accepted"),
        PaymentOutcome::NotMoved(why) => not_moved_ending(why),
        PaymentOutcome::Unknown(why) => unknown_ending(&why),
        _ => unfamiliar_ending(),
    }
}

fn confirmed_ending(confirmed: Confirmed) -> Ending {
    match confirmed {
        Confirmed::Success(transaction) => Ending {
            fate: Fate::Paid,
            result: "success",
            transaction: Some(transaction.item.txn_id.to_string()),
            why: "the recipient has the money".into(),
        },
        Confirmed::Error(transaction) => Ending {
            fate: Fate::NotPaid,
            result: "error",
            transaction: Some(transaction.item.txn_id.to_string()),
            why: format!(
                "the payment failed and its money went back: {}",
                transaction
                    .item
                    .error
                    .as_deref()
                    .unwrap_or("no reason given")
            ),
        },
        Confirmed::Pending { accepted, .. } => Ending {
            fate: Fate::Unknown,
            ..accepted_ending(&accepted, "pending")
        },
        Confirmed::NotMoved(why) => not_moved_ending(why),
        Confirmed::Unknown(why) => unknown_ending(&why),
        _ => unfamiliar_ending(),
    }
}

/// A later kind of ending is told as unknown: money is never said unmoved unless known.
fn unfamiliar_ending() -> Ending {
    Ending {
        fate: Fate::Unknown,
        result: "unknown",
        transaction: None,
        why: "the ending is not one this program knows".into(),
    }
}

fn accepted_ending(accepted: &Accepted, result: &'static str) -> Ending {
    let why = match accepted {
        Accepted::History(_) => "the answer was lost, the history lists the payment",
        _ => "the service accepted it",
    };
    Ending {
        fate: Fate::Paid,
        result,
        transaction: accepted.transaction_id().map(|id| id.to_string()),
        why: why.into(),
    }
}

fn not_moved_ending(why: NotMoved) -> Ending {
    let (result, why) = match why {
        NotMoved::Refused { error, .. } => ("refused", Failure::from(error).to_string()),
        NotMoved::NotFound { cause } => (
            "not_found",
            format!("the answer was lost ({cause}) and the history does not list it"),
        ),
        _ => ("refused", "the money did not move".into()),
    };
    Ending {
        fate: Fate::NotPaid,
        result,
        transaction: None,
        why,
    }
}

fn unknown_ending(why: &FateUnknown) -> Ending {
    let lookup = match &why.lookup {
        Some(error) => format!("the history could not be read: {error}"),
        None => "the history pages allowed ran out".into(),
    };
    Ending {
        fate: Fate::Unknown,
        result: "unknown",
        transaction: None,
        why: format!("the answer was lost ({}) and {lookup}", why.cause),
    }
}

fn report(
    payment: &Payment,
    recipient: &str,
    quote: &Commission,
    ending: Ending,
) -> WalletPayReport {
    let id = payment.id().as_str();
    let why = &ending.why;
    let message = match ending.fate {
        Fate::Unknown if ending.result == "pending" => format!(
            "payment {id}: accepted and still pending when the wait ran out ({why}); follow it with `qiwi wallet history`, never pay it again under a new id"
        ),
        Fate::Paid => format!("payment {id} to wallet {recipient} is paid: {why}"),
        Fate::NotPaid => {
            format!("payment {id} was not made: {why}; sending it again with --id {id} is safe")
        }
        Fate::Unknown => format!(
            "payment {id}: its fate is unknown: {why}; before paying again, look for it in `qiwi wallet history` or run this command again with --id {id} (the same payment, never a second one)"
        ),
    };
    WalletPayReport {
        payment_id: id.to_owned(),
        recipient: recipient.to_owned(),
        amount: quote.enrollment_sum.amount.to_string(),
        withdraw: quote.withdraw_sum.amount.to_string(),
        commission: quote.qw_commission.amount.to_string(),
        currency: quote.withdraw_sum.currency.to_string(),
        outcome: ending.fate,
        money_moved: ending.fate.money_moved(),
        result: ending.result,
        transaction: ending.transaction,
        message,
    }
}

fn report_table(report: &WalletPayReport) -> Table {
    let mut t = Table::new(&[
        ("PAYMENT ID", Align::Left),
        ("OUTCOME", Align::Left),
        ("RESULT", Align::Left),
        ("TXN ID", Align::Left),
        ("AMOUNT", Align::Right),
        ("COMMISSION", Align::Right),
        ("CURRENCY", Align::Left),
    ]);
    t.row(vec![
        report.payment_id.clone(),
        report.outcome.label().into(),
        report.result.into(),
        report.transaction.clone().unwrap_or_default(),
        report.amount.clone(),
        report.commission.clone(),
        report.currency.clone(),
    ]);
    t
}
