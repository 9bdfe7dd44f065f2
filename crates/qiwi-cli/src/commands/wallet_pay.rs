//! `qiwi wallet pay ...` and `qiwi wallet convert`: one payment, sent once. Each kind builds
//! its [`Payment`] (looking up the operator or the card's provider first when it must), then
//! every kind goes through [`execute`]: the commission shown, the prompt, the payment, the
//! report. The exit code and the report's `outcome` say the same thing: paid (0), not paid (7),
//! unknown or still pending (8).

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use qiwi_types::invalid::check_digits;
use qiwi_types::mask_card;
use qiwi_wallet::models::{CardOrderId, Commission};
use qiwi_wallet::payment::{
    AccountKind, BankId, CardNumber, CardProvider, CompanyRequisites, InvalidValue, Payment,
    PaymentId, PayoutAmount, PersonName, Recipient, Urgency, Vat,
};
use qiwi_wallet::{
    Accepted, ConfirmOptions, Confirmed, Currency, FateUnknown, NotMoved, PaymentOutcome,
    WalletClient, WalletNumber,
};
use serde::Serialize;

use crate::cli::{
    BankPayArgs, CardOrderPayArgs, CardPayArgs, ConvertArgs, MobilePayArgs, PayCommand, PayOptions,
    RequisitesPayArgs, ServicePayArgs, VatArg, WalletPayArgs,
};
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

/// The cross rate (E24) a conversion is shown with: one `from_currency` buys `rate` of
/// `to_currency`.
#[derive(Debug, Clone, Serialize)]
struct RateShown {
    from_currency: String,
    to_currency: String,
    rate: String,
}

/// Who a payment goes to, as every output shows it: a card number masked.
struct Shown {
    /// `wallet`, `mobile`, `card`, `bank`, `requisites`, `service`, `card-order`, `qiwi-master`
    /// or `conversion`.
    kind: &'static str,
    recipient: String,
    rate: Option<RateShown>,
}

impl Shown {
    fn new(kind: &'static str, recipient: String) -> Self {
        Self {
            kind,
            recipient,
            rate: None,
        }
    }
}

/// The `--json` form, and what the table and the exit code are made from.
#[derive(Debug, Serialize)]
struct PayReport {
    /// The payment's own id: running the command again with `--id` is the same payment.
    payment_id: String,
    kind: &'static str,
    provider_id: u32,
    recipient: String,
    /// What the recipient gets, in `amount_currency`; what leaves the wallet and the
    /// commission in it, in `currency` (E19's quote).
    amount: String,
    amount_currency: String,
    withdraw: String,
    commission: String,
    currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<RateShown>,
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

/// What every payment has, read before anything is sent.
struct Draft {
    id: PaymentId,
    amount: PayoutAmount,
}

impl Draft {
    /// Reads `--amount` and `--id`, and refuses to go on when it could neither ask nor was
    /// told `--yes`: all before any request, the lookups and the quote included.
    fn read(options: &PayOptions) -> Result<Self, Failure> {
        let amount = amount(&options.amount)?;
        let id = match &options.id {
            Some(text) => PaymentId::parse(text).map_err(usage("--id"))?,
            None => PaymentId::next(),
        };
        if !options.yes && !std::io::stdin().is_terminal() {
            return Err(Failure::Usage(
                "not a terminal: add --yes to pay without being asked (nothing was sent)".into(),
            ));
        }
        Ok(Self { id, amount })
    }

    /// The payment to `recipient`, checked against what its provider needs; the refusal
    /// names the requisite.
    fn payment(&self, recipient: Recipient) -> Result<Payment, Failure> {
        Payment::new(self.id.clone(), recipient, self.amount)
            .map_err(|e| Failure::Usage(e.to_string()))
    }

    /// A payment not made because a lookup it needs failed: nothing was sent.
    fn not_sent(&self, what: &str, why: impl std::fmt::Display) -> Failure {
        Failure::NotPaid(format!(
            "payment {} was not made, nothing was sent: {what}: {why}",
            self.id.as_str()
        ))
    }
}

/// A usage failure naming the flag or argument whose value is wrong.
pub fn usage(what: &'static str) -> impl Fn(InvalidValue) -> Failure {
    move |e| Failure::Usage(format!("{what}: {}", e.reason()))
}

/// An amount of at most 2 decimals; more is refused, never cut.
pub fn amount(text: &str) -> Result<PayoutAmount, Failure> {
    PayoutAmount::parse(text).map_err(usage("--amount"))
}

/// A QIWI wallet number, digits only.
pub fn wallet_number(text: &str) -> Result<WalletNumber, Failure> {
    WalletNumber::parse(text).map_err(usage("wallet number"))
}

/// Runs one `qiwi wallet pay` command.
pub async fn pay(client: &WalletClient, out: Output, command: PayCommand) -> Result<(), Failure> {
    match command {
        PayCommand::Wallet(args) => wallet(client, out, args).await,
        PayCommand::Mobile(args) => mobile(client, out, args).await,
        PayCommand::Card(args) => card(client, out, args).await,
        PayCommand::Bank(args) => bank(client, out, *args).await,
        PayCommand::Requisites(args) => requisites(client, out, *args).await,
        PayCommand::Service(args) => service(client, out, args).await,
        PayCommand::CardOrder(args) => card_order(client, out, args).await,
        PayCommand::QiwiMaster { pay } => {
            let draft = Draft::read(&pay)?;
            let wallet = client.wallet().clone();
            let shown = Shown::new("qiwi-master", wallet.to_string());
            let payment = draft.payment(Recipient::QiwiMasterPackage { wallet })?;
            execute(client, out, &pay, &payment, shown).await
        }
    }
}

async fn card_order(
    client: &WalletClient,
    out: Output,
    args: CardOrderPayArgs,
) -> Result<(), Failure> {
    let draft = Draft::read(&args.pay)?;
    let order = CardOrderId::new(args.order).map_err(usage("order id"))?;
    let shown = Shown::new("card-order", order.to_string());
    let payment = draft.payment(Recipient::CardOrder {
        wallet: client.wallet().clone(),
        order,
    })?;
    execute(client, out, &args.pay, &payment, shown).await
}

async fn wallet(client: &WalletClient, out: Output, args: WalletPayArgs) -> Result<(), Failure> {
    let number = wallet_number(&args.number)?;
    let draft = Draft::read(&args.pay)?;
    let shown = Shown::new("wallet", number.to_string());
    let payment = draft.payment(Recipient::wallet(number, args.comment.as_deref()))?;
    execute(client, out, &args.pay, &payment, shown).await
}

async fn mobile(client: &WalletClient, out: Output, args: MobilePayArgs) -> Result<(), Failure> {
    let phone = ten_digit_phone(&args.phone)?;
    let draft = Draft::read(&args.pay)?;
    let provider_id = match args.provider {
        Some(id) => id,
        None => operator(client, &phone, &draft).await?,
    };
    let shown = Shown::new("mobile", phone.clone());
    let payment = draft.payment(Recipient::Mobile { provider_id, phone })?;
    execute(client, out, &args.pay, &payment, shown).await
}

/// A phone as a top-up takes it: 10 digits, from `9161112233`, `79161112233`, `89161112233`
/// or `+79161112233`.
fn ten_digit_phone(text: &str) -> Result<String, Failure> {
    let text = text.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    let ten = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        _ => digits,
    };
    if ten.len() != 10 || !ten.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::Usage(format!(
            "phone number: {text:?} is not 10 digits (9161112233) nor 11 starting with 7 or 8"
        )));
    }
    Ok(ten.to_owned())
}

/// The operator of a phone (E35): the first one listed.
async fn operator(client: &WalletClient, phone: &str, draft: &Draft) -> Result<u32, Failure> {
    let what = "the phone's operator could not be found (give it with --provider)";
    let number = WalletNumber::parse(&format!("7{phone}")).map_err(usage("phone number"))?;
    let found = client
        .mobile_provider(&number)
        .await
        .map_err(|e| draft.not_sent(what, Failure::from(e)))?;
    found
        .mobile_operator_provider_list
        .iter()
        .find_map(|p| p.id.parse().ok())
        .ok_or_else(|| draft.not_sent(what, "the service lists no operator for it"))
}

async fn card(client: &WalletClient, out: Output, args: CardPayArgs) -> Result<(), Failure> {
    let card = CardNumber::parse(&args.number).map_err(usage("card number"))?;
    let draft = Draft::read(&args.pay)?;
    let shown = Shown::new("card", mask_card(card.as_str()));
    let recipient = if args.kazakhstan {
        kz_card(client, card, args.comment, &draft).await?
    } else {
        let provider = match args.provider {
            Some(id) => CardProvider::from_id(id),
            None => card_provider(client, &card, &draft).await?,
        };
        Recipient::Card { provider, card }
    };
    let payment = draft.payment(recipient)?;
    execute(client, out, &args.pay, &payment, shown).await
}

/// A transfer to a Kazakhstan card, with what its preparation (E28) answers.
async fn kz_card(
    client: &WalletClient,
    card: CardNumber,
    comment: Option<String>,
    draft: &Draft,
) -> Result<Recipient, Failure> {
    let what = "the Kazakhstan card transfer could not be prepared";
    let prepared = client
        .prepare_kz_card(&card)
        .await
        .map_err(|e| draft.not_sent(what, Failure::from(e)))?;
    match (prepared.field("account"), prepared.field("ev_account1")) {
        (Some(account), Some(ev_account1)) => Ok(Recipient::KzCard {
            card,
            account: account.to_owned(),
            ev_account1: ev_account1.to_owned(),
            comment,
        }),
        _ => Err(draft.not_sent(what, "the answer lacks account or ev_account1")),
    }
}

/// The provider of a card (E27).
async fn card_provider(
    client: &WalletClient,
    card: &CardNumber,
    draft: &Draft,
) -> Result<CardProvider, Failure> {
    let what = "the card's provider could not be found (give it with --provider)";
    let found = client
        .card_provider(card)
        .await
        .map_err(|e| draft.not_sent(what, Failure::from(e)))?;
    found
        .terms_id()
        .and_then(|id| id.parse().ok())
        .map(CardProvider::from_id)
        .ok_or_else(|| draft.not_sent(what, "the answer names no provider"))
}

async fn bank(client: &WalletClient, out: Output, args: BankPayArgs) -> Result<(), Failure> {
    let bank = BankId::from_id(args.bank).ok_or_else(|| {
        let known: Vec<String> = BankId::ALL.iter().map(|b| b.id().to_string()).collect();
        Failure::Usage(format!(
            "--bank: {} is not a bank this command knows ({})",
            args.bank,
            known.join(", ")
        ))
    })?;
    let name = person(
        args.last_name.as_deref(),
        args.first_name.as_deref(),
        args.middle_name.as_deref(),
        "--last-name and --first-name",
    )?;
    let (recipient, shown) = if let Some(card) = &args.card {
        let card = CardNumber::parse(card).map_err(usage("--card"))?;
        let shown = format!("{} at bank {}", mask_card(card.as_str()), bank.id());
        let recipient = Recipient::BankCard {
            bank,
            card,
            expiry: args.expiry.clone(),
            bik: args.bik.clone(),
            name,
        };
        (recipient, shown)
    } else {
        let (kind, number) = match (&args.account, &args.contract) {
            (Some(account), _) => (AccountKind::Account, account.clone()),
            (None, Some(contract)) => (AccountKind::Contract, contract.clone()),
            (None, None) => {
                return Err(Failure::Usage(
                    "give --card, --account or --contract".into(),
                ));
            }
        };
        let needed =
            |what: &str| Failure::Usage(format!("{what} is required with --account or --contract"));
        let shown = format!("{number} at bank {}", bank.id());
        let recipient = Recipient::BankAccount {
            bank,
            kind,
            number,
            bik: args.bik.clone().ok_or_else(|| needed("--bik"))?,
            name: name.ok_or_else(|| needed("--last-name and --first-name"))?,
            urgency: urgency(args.urgent),
            contract: args.agreement.clone(),
        };
        (recipient, shown)
    };
    let draft = Draft::read(&args.pay)?;
    let payment = draft.payment(recipient)?;
    execute(client, out, &args.pay, &payment, Shown::new("bank", shown)).await
}

/// `--urgent`.
fn urgency(urgent: bool) -> Urgency {
    if urgent {
        Urgency::Urgent
    } else {
        Urgency::Normal
    }
}

/// A person's name from its flags: none, or the last and the first name (the middle one
/// optional).
fn person(
    last: Option<&str>,
    first: Option<&str>,
    middle: Option<&str>,
    flags: &str,
) -> Result<Option<PersonName>, Failure> {
    match (last, first) {
        (Some(last), Some(first)) => Ok(Some(PersonName {
            last: last.to_owned(),
            first: first.to_owned(),
            middle: middle.map(str::to_owned),
        })),
        (None, None) if middle.is_none() => Ok(None),
        _ => Err(Failure::Usage(format!("{flags} go together"))),
    }
}

async fn requisites(
    client: &WalletClient,
    out: Output,
    args: RequisitesPayArgs,
) -> Result<(), Failure> {
    let shown = format!(
        "{} (INN {}), account {}",
        args.company, args.inn, args.account
    );
    let payer = person(
        Some(&args.payer_last_name),
        Some(&args.payer_first_name),
        args.payer_middle_name.as_deref(),
        "--payer-last-name and --payer-first-name",
    )?
    .ok_or_else(|| Failure::Usage("the payer's name is required".into()))?;
    let company = CompanyRequisites {
        bank_name: args.bank_name,
        bik: args.bik,
        city: args.city,
        company: args.company,
        inn: args.inn,
        kpp: args.kpp,
        account: args.account,
        vat: match args.vat {
            VatArg::None => Vat::NotApplicable,
            VatArg::Included => Vat::Included,
        },
        purpose: args.purpose,
        urgency: urgency(args.urgent),
        payer,
    };
    let draft = Draft::read(&args.pay)?;
    let payment = draft.payment(Recipient::Company(Box::new(company)))?;
    execute(
        client,
        out,
        &args.pay,
        &payment,
        Shown::new("requisites", shown),
    )
    .await
}

async fn service(client: &WalletClient, out: Output, args: ServicePayArgs) -> Result<(), Failure> {
    let draft = Draft::read(&args.pay)?;
    // An account shaped like a card number is shown masked, check digit right or not.
    let shown = check_digits("account", &args.account, 13..=19)
        .map_or_else(|_| args.account.clone(), |()| mask_card(&args.account));
    let payment = draft.payment(Recipient::Service {
        provider_id: args.provider,
        account: args.account,
    })?;
    execute(
        client,
        out,
        &args.pay,
        &payment,
        Shown::new("service", shown),
    )
    .await
}

/// Runs `qiwi wallet convert`: roubles into the wallet's own `--to` account (E23), shown
/// with the cross rate (E24) before paying.
pub async fn convert(client: &WalletClient, out: Output, args: ConvertArgs) -> Result<(), Failure> {
    let from = Currency::parse(&args.from);
    if from != Currency::RUB {
        return Err(Failure::Usage(format!(
            "--from {}: a conversion takes roubles from the RUB account",
            args.from
        )));
    }
    let to = Currency::parse(&args.to);
    let draft = Draft::read(&args.pay)?;
    let wallet = client.wallet().clone();
    // Checked before the rates are read: a currency no conversion goes to is a usage error.
    let payment = draft.payment(Recipient::Conversion {
        wallet: wallet.clone(),
        to: to.clone(),
        comment: args.comment,
    })?;
    let rates = client
        .cross_rates()
        .await
        .map_err(|e| draft.not_sent("the cross rates could not be read", Failure::from(e)))?;
    let rate = [(&to, &from), (&from, &to)]
        .into_iter()
        .find_map(|(a, b)| {
            rates.rate(a, b).map(|rate| RateShown {
                from_currency: a.code(),
                to_currency: b.code(),
                rate: rate.to_string(),
            })
        })
        .ok_or_else(|| {
            draft.not_sent(
                "the cross rates",
                format!("no rate between {from} and {to} is listed"),
            )
        })?;
    let shown = Shown {
        kind: "conversion",
        recipient: format!("{to} account of wallet {wallet}"),
        rate: Some(rate),
    };
    execute(client, out, &args.pay, &payment, shown).await
}

/// The one path of every payment: the quote shown, the prompt, the payment sent once and
/// followed to its final status (unless `--no-confirm`), the report, the exit code.
async fn execute(
    client: &WalletClient,
    out: Output,
    options: &PayOptions,
    payment: &Payment,
    shown: Shown,
) -> Result<(), Failure> {
    let id = payment.id().as_str().to_owned();
    let quote = client.commission(payment).await.map_err(|error| {
        Failure::NotPaid(format!(
            "payment {id} was not made, nothing was sent: the commission could not be read: {}",
            Failure::from(error)
        ))
    })?;
    notice(&format!(
        "paying {} to {} {}: {} leaves the wallet, commission {}",
        quote.enrollment_sum, shown.kind, shown.recipient, quote.withdraw_sum, quote.qw_commission
    ));
    if let Some(rate) = &shown.rate {
        notice(&format!(
            "cross rate: 1 {} = {} {}",
            rate.from_currency, rate.rate, rate.to_currency
        ));
    }
    if !options.yes && !confirmed_on_terminal()? {
        return Err(Failure::NotPaid(format!(
            "payment {id} was not made: not confirmed"
        )));
    }
    let ending = if !options.no_confirm {
        let options = confirm_options(options);
        notice(&format!(
            "following payment {id}: its status every {} s, for at most {} s",
            options.interval.as_secs(),
            options.timeout.as_secs()
        ));
        confirmed_ending(client.pay_and_confirm(payment, options).await)
    } else {
        outcome_ending(client.pay(payment).await)
    };
    let report = report(payment, shown, &quote, ending);
    out.emit("payment", &report, || report_table(&report))?;
    report.outcome.end(report.message)
}

/// `--wait` and `--interval` over the library's defaults.
fn confirm_options(options: &PayOptions) -> ConfirmOptions {
    let defaults = ConfirmOptions::default();
    ConfirmOptions {
        interval: options
            .interval
            .map_or(defaults.interval, Duration::from_secs),
        timeout: options.wait.map_or(defaults.timeout, Duration::from_secs),
        ..defaults
    }
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

/// With `--no-confirm`: an accepted payment is not final yet (`WAITING`, and it may still end
/// in `ERROR` with the money back), so it is pending, not paid.
fn outcome_ending(outcome: PaymentOutcome) -> Ending {
    match outcome {
        PaymentOutcome::Accepted(accepted) => Ending {
            fate: Fate::Unknown,
            ..accepted_ending(&accepted, "accepted")
        },
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
        Accepted::History(_) => "the answer did not tell, the history lists the payment",
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
            format!("the answer did not tell ({cause}) and the history does not list it"),
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
    let lookup = match (&why.lookup, &why.other) {
        (Some(error), _) => format!("the history could not be read: {error}"),
        (None, Some(other)) => format!(
            "the history lists this id for another payment (transaction {}, {}): the id was used before",
            other.txn_id,
            other
                .sum
                .as_ref()
                .map_or_else(|| "no sum".into(), |sum| sum.amount.to_string())
        ),
        (None, None) => "the history pages allowed ran out".into(),
    };
    Ending {
        fate: Fate::Unknown,
        result: "unknown",
        transaction: None,
        why: format!("the answer did not tell ({}) and {lookup}", why.cause),
    }
}

fn report(payment: &Payment, shown: Shown, quote: &Commission, ending: Ending) -> PayReport {
    let id = payment.id().as_str();
    let why = &ending.why;
    let to = format!("{} {}", shown.kind, shown.recipient);
    let message = match (ending.fate, ending.result) {
        (Fate::Unknown, "accepted") => format!(
            "payment {id} to {to} was accepted and is not final yet ({why}); follow it with `qiwi wallet history`, never pay it again under a new id"
        ),
        (Fate::Unknown, "pending") => format!(
            "payment {id}: accepted and still pending when the wait ran out ({why}); follow it with `qiwi wallet history`, never pay it again under a new id"
        ),
        (Fate::Paid, _) => format!("payment {id} to {to} is paid: {why}"),
        // Only a payment the history does not list may be sent again under its id: a refusal
        // may be of the id itself (reused with other details).
        (Fate::NotPaid, "not_found") => {
            format!("payment {id} was not made: {why}; sending it again with --id {id} is safe")
        }
        (Fate::NotPaid, _) => format!("payment {id} was not made, no money moved: {why}"),
        (Fate::Unknown, _) => format!(
            "payment {id}: its fate is unknown: {why}; before paying again, look for it in `qiwi wallet history` or run this command again with --id {id} (the same payment, never a second one)"
        ),
    };
    PayReport {
        payment_id: id.to_owned(),
        kind: shown.kind,
        provider_id: payment.provider_id(),
        recipient: shown.recipient,
        amount: quote.enrollment_sum.amount.to_string(),
        amount_currency: quote.enrollment_sum.currency.to_string(),
        withdraw: quote.withdraw_sum.amount.to_string(),
        commission: quote.qw_commission.amount.to_string(),
        currency: quote.withdraw_sum.currency.to_string(),
        rate: shown.rate,
        outcome: ending.fate,
        money_moved: ending.fate.money_moved(),
        result: ending.result,
        transaction: ending.transaction,
        message,
    }
}

fn report_table(report: &PayReport) -> Table {
    let mut t = Table::new(&[
        ("PAYMENT ID", Align::Left),
        ("TO", Align::Left),
        ("OUTCOME", Align::Left),
        ("RESULT", Align::Left),
        ("TXN ID", Align::Left),
        ("AMOUNT", Align::Right),
        ("COMMISSION", Align::Right),
        ("CURRENCY", Align::Left),
    ]);
    t.row(vec![
        report.payment_id.clone(),
        format!("{} {}", report.kind, report.recipient),
        report.outcome.label().into(),
        report.result.into(),
        report.transaction.clone().unwrap_or_default(),
        format!("{} {}", report.amount, report.amount_currency),
        report.commission.clone(),
        report.currency.clone(),
    ]);
    t
}

/// What `qiwi wallet providers search` prints for one provider.
#[derive(Debug, Serialize)]
struct ProviderShown {
    id: String,
    name: String,
    category: Option<String>,
}

/// Runs `qiwi wallet providers search WORDS` (E34).
pub async fn search_providers(
    client: &WalletClient,
    out: Output,
    words: &[String],
) -> Result<(), Failure> {
    let found = client.search_providers(&words.join(" ")).await?;
    let list: Vec<ProviderShown> = found
        .items
        .into_iter()
        .map(|item| ProviderShown {
            id: item.data.id,
            name: item.name,
            category: item.data.category.and_then(|c| c.name),
        })
        .collect();
    out.emit("providers", &list, || {
        let mut t = Table::new(&[
            ("ID", Align::Right),
            ("NAME", Align::Left),
            ("CATEGORY", Align::Left),
        ]);
        for p in &list {
            t.row(vec![
                p.id.clone(),
                p.name.clone(),
                p.category.clone().unwrap_or_default(),
            ]);
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_is_read_as_ten_digits_whatever_its_prefix() {
        for text in ["9161112233", "79161112233", "89161112233", "+79161112233"] {
            assert_eq!(ten_digit_phone(text).unwrap(), "9161112233", "{text}");
        }
        for text in ["916111223", "69161112233", "91611122ab", ""] {
            assert!(ten_digit_phone(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_name_is_both_flags_or_none() {
        assert!(person(None, None, None, "x").unwrap().is_none());
        assert!(person(Some("Ivanov"), None, None, "x").is_err());
        assert!(person(None, None, Some("Ivanovich"), "x").is_err());
        let name = person(Some("Ivanov"), Some("Ivan"), None, "x").unwrap();
        assert_eq!(name.map(|n| n.first), Some("Ivan".to_owned()));
    }
}
