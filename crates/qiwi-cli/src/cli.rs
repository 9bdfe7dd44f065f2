//! The `qiwi` program's command line.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use secrecy::SecretString;

use crate::history_cli::{HistoryArgs, ReceiptArgs, TotalsArgs, TransactionArgs};

/// Every balance from QIWI Wallet, the QIWI top-up agent protocol and Treezor, in one table.
///
/// With no credentials configured, `qiwi balances` starts an embedded sandbox with demo data.
#[derive(Debug, Parser)]
#[command(name = "qiwi", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// Print stable JSON on stdout instead of tables (amounts as exact decimal strings).
    #[arg(long, global = true)]
    pub json: bool,

    /// Use the embedded sandbox with demo data, whatever is configured.
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Logs on stderr: -v what each call does, -vv every request and the HTTP and TLS crates'
    /// debug output. RUST_LOG, when set, chooses instead (e.g. RUST_LOG=qiwi_transport=debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(flatten)]
    pub config: ConfigArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments with [`command`].
    pub fn try_parse_args() -> Result<Self, clap::Error> {
        let matches = command().try_get_matches()?;
        Self::from_arg_matches(&matches)
    }
}

/// The program's command line: global flags are listed once, in `qiwi --help`; a subcommand's
/// help lists its own and points there (they are still accepted after any subcommand). Each
/// subcommand gets hidden copies of them, which clap then does not propagate again.
pub fn command() -> clap::Command {
    let command = Cli::command();
    let globals: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .map(|arg| arg.clone().hide(true))
        .collect();
    with_hidden_globals(command, &globals)
}

const SEE_GLOBAL: &str = "Global options (--json, --sandbox, -v, connection settings and their variables): see `qiwi --help`.";

fn with_hidden_globals(command: clap::Command, globals: &[clap::Arg]) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    names.into_iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| {
            let sub = sub.args(globals.iter().cloned()).after_help(SEE_GLOBAL);
            with_hidden_globals(sub, globals)
        })
    })
}

/// Exit codes, shown at the end of `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success (for `agent pay`, `wallet pay`, `wallet convert`: paid)
  1  a local failure: a port in use, a full disk, a file that cannot be read or written
  2  usage or configuration error (a flag or variable is missing or invalid)
  3  authentication failed (wrong or expired token, password or client secret)
  4  the service answered with an error (permission, not found, rate limit, validation, server)
  5  network failure (could not connect, timed out, connection dropped)
  6  the service's answer could not be understood
  7  `agent pay`, `wallet pay`, `wallet convert`: the payment was not made, no money reached
     the recipient
  8  `agent pay`, `wallet pay`, `wallet convert`: the payment's fate is unknown or it is still
     pending (with --no-confirm: accepted, not final): check it before paying again
  9  partial failure: `qiwi balances` showed some sources, at least one failed";

/// Where and how to reach each API; every flag falls back to an environment variable. Help never
/// shows a variable's value: any of them may hold a credential (a URL with a token, a secret
/// pasted into the wrong variable). Credentials are `SecretString`, so `Debug` never shows them.
#[derive(Debug, Default, Args)]
pub struct ConfigArgs {
    /// QIWI Wallet API token.
    #[arg(long, env = "QIWI_TOKEN", hide_env_values = true, global = true)]
    pub qiwi_token: Option<SecretString>,
    /// QIWI wallet number (digits, international form, e.g. 79111234567).
    #[arg(long, env = "QIWI_WALLET", hide_env_values = true, global = true)]
    pub qiwi_wallet: Option<String>,
    #[arg(
        long,
        env = "QIWI_BASE_URL",
        hide_env_values = true,
        global = true,
        help = "QIWI Wallet API base URL (default https://edge.qiwi.com; http:// only for loopback hosts)"
    )]
    pub qiwi_base_url: Option<String>,
    #[arg(
        long,
        env = "QIWI_AGENT_URL",
        hide_env_values = true,
        global = true,
        help = "QIWI agent XML endpoint (default https://api.qiwi.com/xml/topup.jsp)"
    )]
    pub agent_url: Option<String>,
    /// QIWI agent terminal id.
    #[arg(
        long,
        env = "QIWI_AGENT_TERMINAL",
        hide_env_values = true,
        global = true
    )]
    pub agent_terminal: Option<String>,
    /// QIWI agent password.
    #[arg(
        long,
        env = "QIWI_AGENT_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub agent_password: Option<SecretString>,
    #[arg(
        long,
        env = "TREEZOR_BASE_URL",
        hide_env_values = true,
        global = true,
        help = "Treezor API base URL (e.g. https://<company>.sandbox.treezor.co)"
    )]
    pub treezor_base_url: Option<String>,
    /// Treezor OAuth2 client id.
    #[arg(long, env = "TREEZOR_CLIENT_ID", hide_env_values = true, global = true)]
    pub treezor_client_id: Option<SecretString>,
    /// Treezor OAuth2 client secret.
    #[arg(
        long,
        env = "TREEZOR_CLIENT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub treezor_client_secret: Option<SecretString>,
    /// Treezor wallet ids whose balances `qiwi balances` shows (comma-separated).
    #[arg(
        long,
        env = "TREEZOR_WALLET_IDS",
        value_delimiter = ',',
        hide_env_values = true,
        global = true
    )]
    pub treezor_wallet_ids: Vec<String>,
    /// Treezor user id whose wallets `qiwi balances` shows.
    #[arg(long, env = "TREEZOR_USER_ID", hide_env_values = true, global = true)]
    pub treezor_user_id: Option<String>,
    /// PEM file of certificates to trust besides the built-in roots, for every family (a
    /// private certificate authority, a TLS-inspecting proxy).
    #[arg(
        long,
        env = "QIWI_CA_FILE",
        hide_env_values = true,
        global = true,
        value_name = "PATH"
    )]
    pub ca_file: Option<std::path::PathBuf>,
}

impl ConfigArgs {
    /// The variables set whose values the embedded sandbox replaces with its own: credentials
    /// and URLs.
    pub fn replaced_by_sandbox(&self) -> Vec<&'static str> {
        [
            ("QIWI_TOKEN", self.qiwi_token.is_some()),
            ("QIWI_BASE_URL", self.qiwi_base_url.is_some()),
            ("QIWI_AGENT_URL", self.agent_url.is_some()),
            ("QIWI_AGENT_PASSWORD", self.agent_password.is_some()),
            ("TREEZOR_BASE_URL", self.treezor_base_url.is_some()),
            ("TREEZOR_CLIENT_ID", self.treezor_client_id.is_some()),
            (
                "TREEZOR_CLIENT_SECRET",
                self.treezor_client_secret.is_some(),
            ),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every balance from every configured source in one table (the sandbox when none is).
    Balances,
    /// QIWI Wallet personal API.
    #[command(subcommand)]
    Wallet(WalletCommand),
    /// QIWI top-up agent XML protocol.
    #[command(subcommand)]
    Agent(AgentCommand),
    /// Treezor balances API.
    #[command(subcommand)]
    Treezor(TreezorCommand),
    /// The local emulator of all three APIs.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// A completion script for a shell, on stdout, e.g. `qiwi completions bash >
    /// ~/.local/share/bash-completion/completions/qiwi`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

impl Command {
    /// Whether the command can move money (its failures say whether money moved).
    pub fn moves_money(&self) -> bool {
        matches!(
            self,
            Command::Agent(AgentCommand::Pay(_))
                | Command::Wallet(
                    WalletCommand::Pay(_)
                        | WalletCommand::Convert(_)
                        | WalletCommand::PayInvoice { .. }
                )
        )
    }
}

/// QIWI Wallet commands.
#[derive(Debug, Subcommand)]
pub enum WalletCommand {
    /// Accounts and their balances.
    Accounts,
    /// Accounts that can still be created.
    Offer,
    /// Creates an account, e.g. `qw_wallet_eur`.
    CreateAccount {
        /// The account alias.
        alias: String,
    },
    /// Makes an account the default one.
    SetDefault {
        /// The account alias.
        alias: String,
    },
    /// The wallet's profile.
    Profile,
    /// The owner's identification data.
    Identification,
    /// Actual limits (all types when none is given).
    Limits {
        /// Limit types, e.g. REFILL TURNOVER.
        types: Vec<String>,
    },
    /// Restrictions on outgoing payments.
    Restrictions,
    /// Conversion rates between the wallet's currencies.
    Rates,
    /// What a transfer to a QIWI wallet would cost (nothing is paid).
    Commission {
        /// The recipient's wallet number, digits only.
        wallet: String,
        /// The amount the recipient gets, in roubles, at most 2 decimals.
        #[arg(long)]
        amount: String,
    },
    /// Pays from the wallet, once, after showing the commission and asking on a terminal
    /// and follows it to its final status (exit 0 paid, 7 not paid, 8 unknown or pending;
    /// with --no-confirm, accepted and not followed).
    #[command(subcommand)]
    Pay(PayCommand),
    /// Converts roubles into a currency account of the wallet (e.g. `--to USD --amount 10`),
    /// once, after showing the cross rate and the commission; exits as `pay` does.
    Convert(ConvertArgs),
    /// Payment providers.
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// Payment history: one page, or every page with --all (e.g. `--all --format csv`).
    History(HistoryArgs),
    /// Incoming and outgoing totals per currency for a date window (--from and --to).
    Totals(TotalsArgs),
    /// One transaction with its details.
    Transaction(TransactionArgs),
    /// A transaction's receipt: to a file (--out, PDF or JPEG) or by e-mail (--email).
    Receipt(ReceiptArgs),
    /// QIWI Master virtual cards: list (the default), order, block, unblock, details, rename,
    /// statement.
    Cards(crate::cards_cli::CardsArgs),
    /// The wallet's webhook: register, show, delete, its signing key, a test notification.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Prints each incoming and outgoing payment as it happens, by polling the history (the
    /// default) or through a local webhook receiver (--listen); Ctrl-C stops.
    Watch(WatchArgs),
    /// Unpaid invoices addressed to the wallet: the first page (50), or every page with --all.
    Invoices {
        /// Every page.
        #[arg(long)]
        all: bool,
    },
    /// Pays an unpaid invoice from the wallet, once, after showing it and asking on a terminal
    /// (exit 0 paid, 7 not paid, 8 unknown).
    PayInvoice {
        /// The invoice id, as `qiwi wallet invoices` lists it.
        id: String,
        /// Pay without being asked (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Rejects an unpaid invoice.
    RejectInvoice {
        /// The invoice id, as `qiwi wallet invoices` lists it.
        id: String,
    },
    /// P2P key pairs, for the P2P invoice API.
    #[command(subcommand)]
    P2pKeys(P2pKeysCommand),
}

/// `qiwi wallet p2p-keys ...`.
#[derive(Debug, Subcommand)]
pub enum P2pKeysCommand {
    /// Creates a key pair named NAME. The secret key cannot be read again, so it is printed:
    /// on a terminal, with --json, or with --show-secret; otherwise nothing is created.
    Create {
        /// Any name for the pair.
        name: String,
        /// Where the service notifies invoice payments.
        #[arg(long)]
        notify_url: Option<String>,
        /// Print the secret key even when stdout is not a terminal.
        #[arg(long)]
        show_secret: bool,
    },
}

/// `qiwi wallet pay ...`.
#[derive(Debug, Subcommand)]
pub enum PayCommand {
    /// A transfer to another QIWI wallet, e.g. `wallet 79991234568 --amount 10.50`.
    Wallet(WalletPayArgs),
    /// A mobile phone top-up, e.g. `mobile 9161112233 --amount 100`; the operator is found
    /// from the number unless --provider gives it.
    Mobile(MobilePayArgs),
    /// A transfer to a bank card, e.g. `card 4256123412341235 --amount 1000`; the card's
    /// provider is found from the number unless --provider gives it.
    Card(CardPayArgs),
    /// A bank transfer by card number (--card) or by account or contract number (--account,
    /// --contract), e.g. `bank --bank 464 --card 4256123412341235 --expiry 0427`.
    Bank(Box<BankPayArgs>),
    /// A payment to a company by its bank requisites.
    Requisites(Box<RequisitesPayArgs>),
    /// A service that needs one account field (a provider found by `providers search`), e.g.
    /// `service 674 111000 --amount 100`.
    Service(ServicePayArgs),
    /// A QIWI Master card ordered beyond the free ones: its order (`wallet cards order`
    /// prints it) paid at its price, e.g. `card-order 3355c267-... --amount 99`.
    CardOrder(CardOrderPayArgs),
    /// The QIWI Master package for this wallet, e.g. `qiwi-master --amount 2999`.
    QiwiMaster {
        #[command(flatten)]
        pay: PayOptions,
    },
}

/// `qiwi wallet pay card-order`.
#[derive(Debug, Args)]
pub struct CardOrderPayArgs {
    /// The order's id.
    pub order: String,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet pay service`.
#[derive(Debug, Args)]
pub struct ServicePayArgs {
    /// The provider id.
    pub provider: u32,
    /// The user's identifier at the provider.
    pub account: String,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// What every payment command takes: the amount, the id, the prompt and the following.
#[derive(Debug, Args)]
pub struct PayOptions {
    /// The amount the recipient gets, at most 2 decimals: roubles (`convert`: the --to
    /// currency; `card --kazakhstan`: tenge).
    #[arg(long)]
    pub amount: String,
    /// The payment's id (digits, at most 20); sending the same id again is the same payment.
    /// Default: a new id, unique on this host.
    #[arg(long)]
    pub id: Option<String>,
    /// Pay without being asked (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Return once the payment is accepted, without following it to its final status: it
    /// is not final yet, so the command exits 8.
    #[arg(long)]
    pub no_confirm: bool,
    /// How long to follow the payment to a final status, in seconds (default 300).
    #[arg(long, conflicts_with = "no_confirm")]
    pub wait: Option<u64>,
    /// Seconds between status checks while following the payment (default 5).
    #[arg(long, conflicts_with = "no_confirm", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: Option<u64>,
}

/// `qiwi wallet pay wallet`.
#[derive(Debug, Args)]
pub struct WalletPayArgs {
    /// The recipient's wallet number, digits only.
    pub number: String,
    /// A comment the recipient sees.
    #[arg(long)]
    pub comment: Option<String>,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet pay mobile`.
#[derive(Debug, Args)]
pub struct MobilePayArgs {
    /// The phone number: 10 digits (`9161112233`), or 11 starting with 7 or 8, or +7....
    pub phone: String,
    /// The operator's provider id (default: looked up from the number).
    #[arg(long)]
    pub provider: Option<u32>,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet pay card`.
#[derive(Debug, Args)]
pub struct CardPayArgs {
    /// The card number, 13 to 19 digits, no spaces.
    pub number: String,
    /// The provider id: 1963 Visa, 21013 Mastercard, 31652 MIR, 22351 QIWI Virtual Card
    /// (default: looked up from the number).
    #[arg(long)]
    pub provider: Option<u32>,
    /// A card of a Kazakhstan bank: prepared first, then paid in tenge (--amount in KZT).
    #[arg(long, conflicts_with = "provider")]
    pub kazakhstan: bool,
    /// A comment (Kazakhstan cards only).
    #[arg(long, requires = "kazakhstan")]
    pub comment: Option<String>,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet pay bank`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["card", "account", "contract"])))]
pub struct BankPayArgs {
    /// The bank's provider id, e.g. 464 Alfa-Bank, 870 Sberbank, 816 VTB.
    #[arg(long)]
    pub bank: u32,
    /// The recipient's card number.
    #[arg(long)]
    pub card: Option<String>,
    /// The recipient's account number (20 digits).
    #[arg(long)]
    pub account: Option<String>,
    /// The recipient's contract number.
    #[arg(long)]
    pub contract: Option<String>,
    /// The card's expiry, MMYY (required by 464 and 821).
    #[arg(long, requires = "card")]
    pub expiry: Option<String>,
    /// The recipient bank's BIK, 9 digits (required with --account or --contract).
    #[arg(long)]
    pub bik: Option<String>,
    /// The recipient's last name (required with --account or --contract).
    #[arg(long)]
    pub last_name: Option<String>,
    /// The recipient's first name (required with --account or --contract).
    #[arg(long)]
    pub first_name: Option<String>,
    /// The recipient's middle name.
    #[arg(long)]
    pub middle_name: Option<String>,
    /// The contract number Home Credit (313) asks for besides the account (`agrnum`).
    #[arg(long)]
    pub agreement: Option<String>,
    /// Urgent transfer through the Central Bank (09:00 to 19:30, within an hour, extra
    /// commission); account and contract transfers only.
    #[arg(long, conflicts_with = "card")]
    pub urgent: bool,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet pay requisites`.
#[derive(Debug, Args)]
pub struct RequisitesPayArgs {
    /// The recipient bank's name.
    #[arg(long)]
    pub bank_name: String,
    /// The recipient bank's BIK, 9 digits.
    #[arg(long)]
    pub bik: String,
    /// The recipient bank's city.
    #[arg(long)]
    pub city: String,
    /// The company's name.
    #[arg(long)]
    pub company: String,
    /// The company's INN, 10 digits (12 for a sole trader).
    #[arg(long)]
    pub inn: String,
    /// The company's KPP, 9 digits.
    #[arg(long)]
    pub kpp: String,
    /// The company's account, 20 digits.
    #[arg(long)]
    pub account: String,
    /// The VAT statement.
    #[arg(long, value_enum)]
    pub vat: VatArg,
    /// The purpose of the payment.
    #[arg(long)]
    pub purpose: String,
    /// The payer's last name.
    #[arg(long)]
    pub payer_last_name: String,
    /// The payer's first name.
    #[arg(long)]
    pub payer_first_name: String,
    /// The payer's middle name.
    #[arg(long)]
    pub payer_middle_name: Option<String>,
    /// Urgent transfer (weekdays 09:00 to 20:30 Moscow time, 25 RUB more).
    #[arg(long)]
    pub urgent: bool,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `--vat` of `qiwi wallet pay requisites`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VatArg {
    /// No VAT.
    None,
    /// VAT included.
    Included,
}

/// `qiwi wallet convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The currency converted from: the rouble account (RUB) is the only source.
    #[arg(long, default_value = "RUB")]
    pub from: String,
    /// The currency converted to: USD, EUR or KZT.
    #[arg(long)]
    pub to: String,
    /// A comment.
    #[arg(long)]
    pub comment: Option<String>,
    #[command(flatten)]
    pub pay: PayOptions,
}

/// `qiwi wallet providers ...`.
#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// The providers whose name has every word, e.g. `search onlime`: their ids pay with
    /// `qiwi wallet pay`.
    Search {
        /// Words to search for.
        #[arg(required = true)]
        words: Vec<String>,
    },
}

/// `qiwi wallet webhook ...`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Registers URL (at most 100 characters) as the wallet's webhook.
    Register {
        /// Where the service posts notifications.
        url: String,
        /// Which payments it reports.
        #[arg(long = "type", value_enum, default_value_t = HookTypeArg::Both)]
        kind: HookTypeArg,
    },
    /// The active webhook.
    Show,
    /// Deletes the active webhook.
    Delete,
    /// The active webhook's signing key (Base64), for checking notifications.
    Key {
        /// Replace the key first: the old one no longer checks notifications.
        #[arg(long)]
        new: bool,
    },
    /// Has the service send a test notification to the active webhook.
    Test,
}

/// `--type` of `qiwi wallet webhook register`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookTypeArg {
    /// Incoming payments.
    In,
    /// Outgoing payments.
    Out,
    /// Both.
    Both,
}

/// `qiwi wallet watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Instead of polling: receive notifications on ADDR (e.g. 127.0.0.1:8080), registered as
    /// the wallet's webhook (replacing any other) until Ctrl-C.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// The URL the service posts to, when it is not http://ADDR/ (a tunnel, a proxy).
    #[arg(long, value_name = "URL", requires = "listen")]
    pub public_url: Option<String>,
    /// Seconds between two polls of the history (polling only; history calls stay under
    /// 100 a minute whatever the value).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub interval: u64,
}

/// QIWI agent commands.
#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// The agent's balances.
    Ping,
    /// Whether a QIWI wallet exists.
    CheckUser {
        /// The wallet's phone number.
        phone: String,
    },
    /// Tops up a QIWI wallet and waits for a final status (progress on stderr; exit 0 paid,
    /// 7 not paid, 8 unknown or pending).
    Pay(PayArgs),
    /// The status of payments by transaction number.
    Status {
        /// The recipient's account (for a wallet top-up: the wallet's phone number).
        #[arg(long)]
        account: String,
        /// Transaction numbers.
        #[arg(required = true)]
        transactions: Vec<String>,
    },
}

/// `qiwi agent pay`.
#[derive(Debug, Args)]
pub struct PayArgs {
    /// The wallet's phone number.
    #[arg(long)]
    pub wallet: String,
    /// The amount, e.g. 150.00 (positive).
    #[arg(long, allow_negative_numbers = true)]
    pub amount: String,
    /// Currency of the amount (ISO-4217, default RUB); an unknown code is refused.
    #[arg(long, default_value = "643")]
    pub currency: String,
    /// The transaction number (digits); sending the same number again is the same payment.
    /// Default: a new number, unique on this host.
    #[arg(long)]
    pub transaction: Option<String>,
    /// How long to wait for a final status, in seconds.
    #[arg(long, default_value_t = 3600)]
    pub wait: u64,
    /// Seconds between status checks. Default: 600, the protocol's documented minimum; 1 when
    /// the endpoint is a qiwi sandbox (a loopback http:// URL answering GET /__sandbox/about).
    #[arg(long)]
    pub interval: Option<u64>,
}

/// Treezor commands.
#[derive(Debug, Subcommand)]
pub enum TreezorCommand {
    /// Balances of one wallet or of all wallets of a user.
    Balances {
        /// A wallet id.
        #[arg(long, conflicts_with = "user_id", required_unless_present = "user_id")]
        wallet_id: Option<String>,
        /// A user id.
        #[arg(long)]
        user_id: Option<String>,
    },
    /// A wallet's balance over time, with a chart when stdout is a terminal.
    History {
        /// The wallet id.
        #[arg(long)]
        wallet_id: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
    },
}

/// Sandbox commands.
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Runs the sandbox until interrupted and prints its demo credentials.
    Serve {
        /// Address to listen on (loopback only, unless --allow-remote).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Allow --listen on an address other than loopback; the demo credentials are
        /// public, so anyone who can reach the address can use them.
        #[arg(long)]
        allow_remote: bool,
        /// Demo data file (JSON, every field optional; see docs/sandbox-data.json) instead of
        /// the built-in data.
        #[arg(long)]
        data: Option<std::path::PathBuf>,
        /// A fault rule active from the start, in the JSON form of `POST /__sandbox/faults`,
        /// e.g. '{"route":"GET /v1/balances","fault":"status","status":503,"times":2}'.
        /// Repeatable.
        #[arg(long, value_name = "JSON")]
        fault: Vec<String>,
        /// How long a payment stays WAITING before it settles, in milliseconds (default 2000).
        #[arg(long, value_name = "MS")]
        processing_ms: Option<u64>,
        /// When a webhook notification not answered 200 is sent again: the delays after the
        /// first and the second attempt, in milliseconds (default: the service's 10 minutes,
        /// then an hour), e.g. `200,200` for tests.
        #[arg(long, value_name = "MS,MS", value_parser = retry_delays)]
        webhook_retry_ms: Option<[Duration; 2]>,
    },
}

/// `--webhook-retry-ms A,B`: two delays in milliseconds.
fn retry_delays(text: &str) -> Result<[Duration; 2], String> {
    let delay = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|e| format!("{part:?}: {e}"))
    };
    match text.split(',').collect::<Vec<_>>()[..] {
        [first, second] => Ok([delay(first)?, delay(second)?]),
        _ => Err("two delays in milliseconds, separated by a comma".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_credential() {
        let config = ConfigArgs {
            qiwi_token: Some("token-1".into()),
            agent_password: Some("password-2".into()),
            treezor_client_id: Some("id-3".into()),
            treezor_client_secret: Some("secret-4".into()),
            qiwi_wallet: Some("79111234567".into()),
            ..ConfigArgs::default()
        };
        assert_eq!(
            format!("{config:?}"),
            "ConfigArgs { qiwi_token: Some(SecretBox<str>([REDACTED])), qiwi_wallet: Some(\"79111234567\"), \
             qiwi_base_url: None, agent_url: None, agent_terminal: None, \
             agent_password: Some(SecretBox<str>([REDACTED])), treezor_base_url: None, \
             treezor_client_id: Some(SecretBox<str>([REDACTED])), \
             treezor_client_secret: Some(SecretBox<str>([REDACTED])), treezor_wallet_ids: [], \
             treezor_user_id: None, ca_file: None }"
        );
    }
}
