//! Demo credentials and the demo data set the sandbox starts with.
//!
//! [`DemoData::default()`] builds the data set in code from the constants below; the same
//! structure can be read from a JSON file ([`DemoData::from_path`], [`DemoData::from_json`]) to
//! start the sandbox with other wallets, balances or credentials. Every field has a default, so
//! a file only needs the parts it changes.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::agent_auth::parse_public_key;
use crate::history_log::HistoryDemo;
use crate::money::Amount;

/// Bearer token accepted by the QIWI Wallet API.
pub const QIWI_TOKEN: &str = "5ba7d9e1c3f04a8b9e2d6c1f0a7b3e58";
/// Number of the demo QIWI wallet (digits only, no `+`).
pub const QIWI_WALLET: &str = "79991234567";
/// A second demo QIWI wallet, with its own token: it receives and makes payments (E19-E35) and
/// lists its balances (E10).
pub const QIWI_SECOND_WALLET: &str = "79991234568";
/// Bearer token of [`QIWI_SECOND_WALLET`].
pub const QIWI_SECOND_TOKEN: &str = "8e2f4a6c1b3d5e7f9a0b2c4d6e8f1a3b";
/// Agent id (`<terminal-id>`) accepted by the agent XML protocol.
pub const AGENT_TERMINAL_ID: &str = "10001";
/// Agent password (`<extra name="password">`).
pub const AGENT_PASSWORD: &str = "sandbox-agent-pass";
/// The demo agent's RSA private key (PKCS#8 PEM), to sign requests with (`X-Digital-Sign`).
/// Published with the sandbox: it protects nothing.
pub const AGENT_SIGNING_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCj0asnYBJf/el1
lSvrFceYO4p8suhC9TdAsInJN654IfU+2NVslEl5NLd/ky+I3UpEiXxQYkm8D9cL
1MsNmlD9C3j4YhccIkb05v13HZnRpFO11u2VBiDbOsUEU4J5D+KcY7oXZl4p8dCr
SBG6hWPIcKZiEC02UK8iICO1u43RzuFs1VroPgpzwtrJpIopAbESrFfWI8ibTNHp
xeAdzzuT617Zgs7tzJ7F3ut06B/59RrxyJyHYhejiuQ01oPY3C5enlqdJQxD9fMF
La6mAACku3KsB6yRPahEFQObCc4FVDNXMUu2v9nu2ZnXaXPqjzbqEXumXZxAFybD
5+f82Dy5AgMBAAECggEABbrUafLoCZ/7ra9rQxR2r/orKJvoWEkz5skV9KoEKfME
HS/f3SWdoUXpAicPg1G8IoQNi1E4w4FpU+JcPMxQN12SnFtv8/217iRzKpqoMec1
v1c2ZZ86gHiAght6pYna8v3g+ScNNZnd4tPJPPUj7ZOVGjp3Hl55la+6mAVomzU7
HJWW+WPNSnPQQvAGiwbecVW1TS5fEzKwBMNHxEIkZcuatDIaE6kSO5V3oedpSarP
ru8s9IcSoxSu21rRZv4/c5BhHcLUXkmQ5kb+0L97V8+o7aqwhHyJ75EuWAs4OHpB
oLP/qv9XrjXV8+tJzNmcZ1dY3Pxd7lgUQKh99ORQYQKBgQDbeQUoBhAOdE/yn7ts
miZE0fQfXIAL5DHRGrC1ZWIaPODXO5AaUoRpi1BacAQRuUiuBiSArJtwA7GLt9ki
mZyLGVBVOFXPJqrA88FZvYAqezHaNubjU5wWl52SFAxqNpGHi39D44dpdRZEW+D3
O98YrNr81wcPGl4mHNDvot/WCQKBgQC/FW9A37Ea7tMfsmFXg7LqAqoFnfHF+hzL
NS5nRmHx2tL3/XTsMbowoexFM8q17rBZ2fu8ENOJFywGNArywpigIwKBO2HOHmPU
BcOn1PMxSfPVOy45GOHEJDslVgK/ugvWi8WlGYzZnflB6PQJ+Iv2ChdJI1oiabUG
76ejvQddMQKBgEBboqlz7a1vaipJsNpN8b7oml+/7kSObBVXcE4hJr1u8Lfs3Xr6
i52vnqaGhorz/F4bqwSYmRQl4SCJjwDYbtFTYP08gd03B4eBc0dvjG/opFvLEbXD
xNfTKf+2JVXYHqDSxUURKZpBHYB6OOQHCIrh1W2jWIyTPNyMQrCi4GSRAoGBAIVg
f8yHl0aWZ1WbnGiKq+q9u1G6YpVvNIP+9gnuTdWUiWfCScfIGg9yJspTEW6WUhAV
oKowEIeDXh5iWzYB8KjuZwQvn+BQxButfll6wdmopgMzkNsX7BaNt58i/z42raau
32GTiQYpR1/jK9x92av+dSx++Z5FrK9PvvMCsc4xAoGANKfVcWtCmZJhyUp8rSKU
CjiWddZIiQ5NQSRIb1nLAEQOoJxxd5qnGyabfWRsKlyOuQr+aaff0GQpcJuUFI7l
uk9kXywJWAtj1rLb7PmNB4JihUCg5vbwPg4TD3GxVkKRpGP6DfpTF5R4nXAAecCd
4x5oEGjsYonZ2xrS2HLtweY=
-----END PRIVATE KEY-----\n";
/// The demo agent's public key (SPKI PEM), which the sandbox verifies signatures with.
pub const AGENT_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAo9GrJ2ASX/3pdZUr6xXH
mDuKfLLoQvU3QLCJyTeueCH1PtjVbJRJeTS3f5MviN1KRIl8UGJJvA/XC9TLDZpQ
/Qt4+GIXHCJG9Ob9dx2Z0aRTtdbtlQYg2zrFBFOCeQ/inGO6F2ZeKfHQq0gRuoVj
yHCmYhAtNlCvIiAjtbuN0c7hbNVa6D4Kc8LayaSKKQGxEqxX1iPIm0zR6cXgHc87
k+te2YLO7cyexd7rdOgf+fUa8cich2IXo4rkNNaD2NwuXp5anSUMQ/XzBS2upgAA
pLtyrAeskT2oRBUDmwnOBVQzVzFLtr/Z7tmZ12lz6o826hF7pl2cQBcmw+fn/Ng8
uQIDAQAB
-----END PUBLIC KEY-----\n";
/// Treezor OAuth `client_id`.
pub const TREEZOR_CLIENT_ID: &str = "900100";
/// Treezor OAuth `client_secret`.
pub const TREEZOR_CLIENT_SECRET: &str = "tz-sandbox-secret-4b1d9c";
/// Treezor user that owns the demo wallets.
pub const TREEZOR_USER_ID: u64 = 100_200;
/// Treezor demo wallet ids, all owned by [`TREEZOR_USER_ID`]. The second one carries pending
/// card authorizations.
pub const TREEZOR_WALLET_IDS: [u64; 3] = [3_645_800, 3_645_801, 3_645_802];
/// A Treezor wallet owned by [`TREEZOR_OTHER_USER_ID`].
pub const TREEZOR_OTHER_WALLET_ID: u64 = 1_317_558;
/// A second Treezor user.
pub const TREEZOR_OTHER_USER_ID: u64 = 100_201;
/// A known QIWI wallet (not the demo wallet) that agent top-ups may target.
pub const AGENT_OTHER_WALLET: &str = "79181234567";
/// A QIWI wallet whose identification level forbids top-ups: `check-deposit-possible` answers
/// 204 and a `pay` is declined with payment result code 204.
pub const AGENT_UNIDENTIFIED_WALLET: &str = "79990000204";
/// A QIWI wallet whose top-ups are accepted and then fail (final status 160, money returned to
/// the agent).
pub const AGENT_FAILING_WALLET: &str = "79990000160";

/// The largest generated payment history (`qiwi.history.generated`): a bound on the memory a
/// data file can make the sandbox take.
pub const MAX_GENERATED_HISTORY: u32 = 2_000_000;

/// Why a [`DemoData`] could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoDataError {
    /// The file could not be read.
    #[error("cannot read the demo data file {path}: {source}")]
    Io {
        /// The path that was read.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text is not a valid demo data document.
    #[error("the demo data is not valid JSON for this format: {0}")]
    Json(#[from] serde_json::Error),
    /// The document parsed but its content is inconsistent.
    #[error("the demo data is inconsistent: {0}")]
    Invalid(String),
}

/// The whole demo data set: one part per API family.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct DemoData {
    /// QIWI Wallet personal API data.
    pub qiwi: QiwiDemo,
    /// QIWI agent protocol data.
    pub agent: AgentDemo,
    /// Treezor data.
    pub treezor: TreezorDemo,
}

impl DemoData {
    /// Reads a demo data set from a JSON file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, DemoDataError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| DemoDataError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Parses a demo data set from JSON text and checks that it is consistent.
    pub fn from_json(text: &str) -> Result<Self, DemoDataError> {
        let data: DemoData = serde_json::from_str(text)?;
        data.validate()?;
        Ok(data)
    }

    /// The data set as pretty-printed JSON, in the format [`DemoData::from_json`] reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the rules the sandbox relies on: digit-only wallet numbers, unique aliases and
    /// wallet ids, exactly one default account, non-negative balances.
    pub fn validate(&self) -> Result<(), DemoDataError> {
        let bad = |msg: String| Err(DemoDataError::Invalid(msg));
        let q = &self.qiwi;
        if !is_wallet_number(&q.wallet) {
            return bad(format!(
                "qiwi.wallet {:?} must be 10 to 15 digits",
                q.wallet
            ));
        }
        if q.token.is_empty() {
            return bad("qiwi.token must not be empty".into());
        }
        let mut aliases = BTreeSet::new();
        for a in &q.accounts {
            if !aliases.insert(a.alias.as_str()) {
                return bad(format!("qiwi.accounts: alias {:?} appears twice", a.alias));
            }
            if a.has_balance != a.balance.is_some() {
                return bad(format!(
                    "qiwi.accounts: {:?} must have a balance exactly when hasBalance is true",
                    a.alias
                ));
            }
        }
        for o in &q.offers {
            if !aliases.insert(o.alias.as_str()) {
                return bad(format!(
                    "qiwi.offers: alias {:?} is already an account or offered twice",
                    o.alias
                ));
            }
        }
        if q.accounts.iter().filter(|a| a.default_account).count() != 1 {
            return bad("qiwi.accounts: exactly one account must have defaultAccount: true".into());
        }
        let mut tokens = BTreeSet::from([q.token.as_str()]);
        for w in &q.other_wallets {
            if let Some(token) = &w.token {
                if token.is_empty() || !tokens.insert(token.as_str()) {
                    return bad(format!(
                        "qiwi.otherWallets: {:?} needs a token of its own, not empty",
                        w.phone
                    ));
                }
            }
            if !is_wallet_number(&w.phone) || w.phone == q.wallet {
                return bad(format!(
                    "qiwi.otherWallets: {:?} is not a distinct wallet number",
                    w.phone
                ));
            }
        }
        let h = &q.history;
        if h.generated > MAX_GENERATED_HISTORY || !(1..=120).contains(&h.months) {
            return bad(format!(
                "qiwi.history: generated must be at most {MAX_GENERATED_HISTORY} and months 1 to 120"
            ));
        }
        let a = &self.agent;
        if a.terminal_id.is_empty() || !a.terminal_id.bytes().all(|b| b.is_ascii_digit()) {
            return bad("agent.terminalId must be a positive integer".into());
        }
        if a.balances.iter().any(|b| b.amount.minor() < 0) {
            return bad("agent.balances must not be negative".into());
        }
        if let Some(Err(e)) = a.public_key.as_deref().map(parse_public_key) {
            return bad(format!("agent.publicKey: {e}"));
        }
        let t = &self.treezor;
        let mut ids = BTreeSet::new();
        for w in &t.wallets {
            if !ids.insert(w.wallet_id) {
                return bad(format!(
                    "treezor.wallets: walletId {} appears twice",
                    w.wallet_id
                ));
            }
            if w.authorizations.minor() < 0 {
                return bad(format!(
                    "treezor.wallets: {} has negative authorizations",
                    w.wallet_id
                ));
            }
        }
        Ok(())
    }
}

/// Whether `s` looks like a QIWI wallet number: digits only, 10 to 15 of them.
pub(crate) fn is_wallet_number(s: &str) -> bool {
    (10..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// QIWI Wallet personal API data: the demo wallet, its accounts and profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct QiwiDemo {
    /// Accepted bearer token.
    pub token: String,
    /// The wallet the token belongs to (digits only).
    pub wallet: String,
    /// Funding-source accounts of the wallet, in the order E10 lists them.
    pub accounts: Vec<QiwiAccount>,
    /// Accounts that may still be created (E12), and E11 accepts.
    pub offers: Vec<QiwiOffer>,
    /// Owner data and identification level.
    pub identification: Identification,
    /// Profile details (E01).
    pub profile: Profile,
    /// Limits by type (E07), in RUB.
    pub limits: Vec<Limit>,
    /// E08 `p2pPaymentCountLimit`: transfers to other wallets made this month.
    pub p2p_payment_count: u32,
    /// Transfers to other wallets allowed in a month: a payment to provider 99 beyond it is
    /// refused with `QWPRC-757`.
    pub p2p_payment_count_max: u32,
    /// E09 outgoing-payment restrictions.
    pub restrictions: Vec<Restriction>,
    /// Other QIWI wallets known to the agent protocol (targets of top-ups).
    pub other_wallets: Vec<OtherWallet>,
    /// How much payment history the wallet starts with (E14 to E18).
    pub history: HistoryDemo,
}

impl Default for QiwiDemo {
    fn default() -> Self {
        Self {
            token: QIWI_TOKEN.into(),
            wallet: QIWI_WALLET.into(),
            accounts: vec![
                QiwiAccount {
                    alias: "mc_beeline_rub".into(),
                    fs_alias: "qb_mc_beeline".into(),
                    bank_alias: "QIWI".into(),
                    title: "MC".into(),
                    type_id: "MC".into(),
                    type_title: "Счет мобильного кошелька".into(),
                    has_balance: false,
                    balance: None,
                    currency: 643,
                    default_account: false,
                },
                QiwiAccount {
                    default_account: true,
                    ..QiwiAccount::wallet("qw_wallet_rub", 643, Amount::new(1_008, 74))
                },
                QiwiAccount::wallet("qw_wallet_usd", 840, Amount::new(10, 50)),
            ],
            offers: vec![QiwiOffer {
                alias: "qw_wallet_eur".into(),
                currency: 978,
            }],
            identification: Identification::default(),
            profile: Profile::default(),
            limits: vec![
                Limit {
                    limit_type: "REFILL".into(),
                    max: Amount::new(600_000, 0),
                    spent: Amount::new(0, 0),
                },
                Limit {
                    limit_type: "TURNOVER".into(),
                    max: Amount::new(40_000, 0),
                    spent: Amount::new(39_800, 0),
                },
                Limit {
                    limit_type: "PAYMENTS_P2P".into(),
                    max: Amount::new(200_000, 0),
                    spent: Amount::new(1_500, 0),
                },
                Limit {
                    limit_type: "PAYMENTS_PROVIDER_INTERNATIONALS".into(),
                    max: Amount::new(200_000, 0),
                    spent: Amount::new(0, 0),
                },
                Limit {
                    limit_type: "PAYMENTS_PROVIDER_PAYOUT".into(),
                    max: Amount::new(200_000, 0),
                    spent: Amount::new(250, 50),
                },
                Limit {
                    limit_type: "WITHDRAW_CASH".into(),
                    max: Amount::new(100_000, 0),
                    spent: Amount::new(0, 0),
                },
            ],
            p2p_payment_count: 1,
            p2p_payment_count_max: 100,
            restrictions: Vec::new(),
            other_wallets: vec![
                OtherWallet {
                    phone: QIWI_SECOND_WALLET.into(),
                    rub_balance: Amount::new(5_000, 0),
                    deposit_possible: true,
                    fail_top_ups: false,
                    token: Some(QIWI_SECOND_TOKEN.into()),
                },
                OtherWallet {
                    phone: AGENT_OTHER_WALLET.into(),
                    rub_balance: Amount::new(120, 0),
                    deposit_possible: true,
                    fail_top_ups: false,
                    token: None,
                },
                OtherWallet {
                    phone: AGENT_UNIDENTIFIED_WALLET.into(),
                    rub_balance: Amount::new(0, 0),
                    deposit_possible: false,
                    fail_top_ups: false,
                    token: None,
                },
                OtherWallet {
                    phone: AGENT_FAILING_WALLET.into(),
                    rub_balance: Amount::new(0, 0),
                    deposit_possible: true,
                    fail_top_ups: true,
                    token: None,
                },
            ],
            history: HistoryDemo::default(),
        }
    }
}

/// One funding-source account of the demo wallet (E10 `accounts[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QiwiAccount {
    /// `alias`, e.g. `qw_wallet_rub`.
    pub alias: String,
    /// `fsAlias`, e.g. `qb_wallet`.
    pub fs_alias: String,
    /// `bankAlias`, e.g. `QIWI`.
    pub bank_alias: String,
    /// `title`, e.g. `WALLET`.
    pub title: String,
    /// `type.id`, e.g. `WALLET`.
    pub type_id: String,
    /// `type.title`, e.g. `QIWI Wallet`.
    pub type_title: String,
    /// `hasBalance`.
    pub has_balance: bool,
    /// The balance; present exactly when `has_balance`.
    pub balance: Option<Amount>,
    /// ISO 4217 numeric currency.
    pub currency: u16,
    /// `defaultAccount`.
    #[serde(default)]
    pub default_account: bool,
}

impl QiwiAccount {
    /// A QIWI Wallet account (`qb_wallet`) with a balance, not the default one: the shape of the
    /// demo wallet's own accounts and of those created from an offer.
    pub(crate) fn wallet(alias: &str, currency: u16, balance: Amount) -> Self {
        Self {
            alias: alias.into(),
            fs_alias: "qb_wallet".into(),
            bank_alias: "QIWI".into(),
            title: "WALLET".into(),
            type_id: "WALLET".into(),
            type_title: "QIWI Wallet".into(),
            has_balance: true,
            balance: Some(balance),
            currency,
            default_account: false,
        }
    }
}

/// An account that may be created (E12 item).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QiwiOffer {
    /// Alias of the account to create, e.g. `qw_wallet_eur`.
    pub alias: String,
    /// ISO 4217 numeric currency.
    pub currency: u16,
}

/// Owner data of the demo wallet (E02/E03) and its identification level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Identification {
    /// `ANONYMOUS`, `SIMPLE`, `VERIFIED` or `FULL`.
    pub level: String,
    /// `firstName`.
    pub first_name: String,
    /// `middleName` (patronymic).
    pub middle_name: String,
    /// `lastName`.
    pub last_name: String,
    /// `birthDate`, `YYYY-MM-DD`.
    pub birth_date: String,
    /// Passport series and number, digits only.
    pub passport: String,
    /// INN; `None` is written as `null`.
    pub inn: Option<String>,
    /// SNILS; `None` is written as `null`.
    pub snils: Option<String>,
    /// OMS policy number; `None` is written as `null`.
    pub oms: Option<String>,
}

impl Default for Identification {
    fn default() -> Self {
        Self {
            level: "FULL".into(),
            first_name: "Иван".into(),
            middle_name: "Иванович".into(),
            last_name: "Иванов".into(),
            birth_date: "1996-03-18".into(),
            passport: "4400111111".into(),
            inn: Some("7710000001".into()),
            snils: None,
            oms: Some(String::new()),
        }
    }
}

/// Profile details of the demo wallet (E01).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Profile {
    /// `authInfo.boundEmail`.
    pub bound_email: Option<String>,
    /// `authInfo.ip`.
    pub ip: String,
    /// `authInfo.registrationDate` and `contractInfo.creationDate`.
    pub registration_date: String,
    /// `authInfo.lastLoginDate`.
    pub last_login_date: String,
    /// `contractInfo.blocked`.
    pub blocked: bool,
    /// `contractInfo.nickname.nickname`.
    pub nickname: Option<String>,
    /// `userInfo.email`.
    pub email: Option<String>,
    /// `userInfo.firstTxnId`.
    pub first_txn_id: u64,
    /// `userInfo.language`.
    pub language: String,
    /// `userInfo.operator`.
    pub operator: String,
    /// `userInfo.phoneHash`.
    pub phone_hash: String,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            bound_email: Some("demo@example.com".into()),
            ip: "81.210.201.22".into(),
            registration_date: "2017-01-07T16:51:06.100Z".into(),
            last_login_date: "2017-07-27T06:51:06.099Z".into(),
            blocked: false,
            nickname: Some("SANDBOX".into()),
            email: None,
            first_txn_id: 10_807_097_143,
            language: "ru".into(),
            operator: "Beeline".into(),
            phone_hash: "lgsco87234f0287".into(),
        }
    }
}

/// One limit (E07): `rest` is computed as `max - spent`, except for `REFILL`, whose `spent` is
/// the current RUB balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Limit {
    /// Limit type, e.g. `TURNOVER`.
    #[serde(rename = "type")]
    pub limit_type: String,
    /// `max`.
    pub max: Amount,
    /// `spent`.
    pub spent: Amount,
}

/// An outgoing-payment restriction (E09 item).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Restriction {
    /// `restrictionCode`, e.g. `OUTGOING_PAYMENTS`.
    pub code: String,
    /// `restrictionDescription`.
    pub description: String,
}

/// A QIWI wallet other than the demo wallet, known to the agent protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtherWallet {
    /// Wallet number (digits only).
    pub phone: String,
    /// RUB balance.
    pub rub_balance: Amount,
    /// Whether top-ups are allowed (`false`: code 204, insufficient identification).
    #[serde(default = "yes")]
    pub deposit_possible: bool,
    /// Whether accepted top-ups end in failure (status 160, money returned to the agent), and
    /// payments to it end in `ERROR` (money returned to the payer).
    #[serde(default)]
    pub fail_top_ups: bool,
    /// A bearer token of its own: the wallet can then make payments and list its balances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn yes() -> bool {
    true
}

/// QIWI agent protocol data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AgentDemo {
    /// Accepted `<terminal-id>`.
    pub terminal_id: String,
    /// Accepted password.
    pub password: String,
    /// Agent account balances, one per currency.
    pub balances: Vec<AgentBalance>,
    /// Conversion rates for payments whose `from/ccy` differs from `to/ccy`.
    pub rates: Vec<Rate>,
    /// Smallest top-up amount (below: payment result code 241).
    pub min_amount: Amount,
    /// Largest top-up amount (above: payment result code 242).
    pub max_amount: Amount,
    /// The agent's RSA public key (PEM) that signed requests are verified with; without one,
    /// a signed request is refused (result code 150).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

impl Default for AgentDemo {
    fn default() -> Self {
        Self {
            terminal_id: AGENT_TERMINAL_ID.into(),
            password: AGENT_PASSWORD.into(),
            balances: vec![
                AgentBalance {
                    currency: 643,
                    amount: Amount::new(200_000, 26),
                },
                AgentBalance {
                    currency: 840,
                    amount: Amount::new(300, 0),
                },
                AgentBalance {
                    currency: 978,
                    amount: Amount::new(150, 0),
                },
            ],
            rates: vec![
                Rate {
                    from: 840,
                    to: 643,
                    rate: Amount::new(90, 0),
                },
                Rate {
                    from: 978,
                    to: 643,
                    rate: Amount::new(100, 0),
                },
                Rate {
                    from: 398,
                    to: 643,
                    rate: Amount::new(0, 18),
                },
            ],
            min_amount: Amount::new(1, 0),
            max_amount: Amount::new(600_000, 0),
            public_key: Some(AGENT_PUBLIC_KEY.into()),
        }
    }
}

/// One agent account balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AgentBalance {
    /// ISO 4217 numeric currency.
    pub currency: u16,
    /// Balance.
    pub amount: Amount,
}

/// A conversion rate: one unit of `from` buys `rate` units of `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rate {
    /// Debited currency (ISO 4217 numeric).
    pub from: u16,
    /// Credited currency (ISO 4217 numeric).
    pub to: u16,
    /// Units of `to` per unit of `from`, two decimals.
    pub rate: Amount,
}

/// Treezor data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TreezorDemo {
    /// Accepted `client_id`.
    pub client_id: String,
    /// Accepted `client_secret`.
    pub client_secret: String,
    /// Wallets and their balances.
    pub wallets: Vec<TreezorWallet>,
    /// How many days of daily history points to generate before the start.
    pub history_days: u32,
}

impl Default for TreezorDemo {
    fn default() -> Self {
        let wallet = |wallet_id, user_id, current: Amount, authorizations: Amount| TreezorWallet {
            wallet_id,
            user_id,
            currency: "EUR".into(),
            current_balance: current,
            authorizations,
        };
        Self {
            client_id: TREEZOR_CLIENT_ID.into(),
            client_secret: TREEZOR_CLIENT_SECRET.into(),
            wallets: vec![
                wallet(
                    TREEZOR_WALLET_IDS[0],
                    TREEZOR_USER_ID,
                    Amount::new(4002, 50),
                    Amount::new(0, 0),
                ),
                wallet(
                    TREEZOR_WALLET_IDS[1],
                    TREEZOR_USER_ID,
                    Amount::new(100, 0),
                    Amount::new(50, 0),
                ),
                wallet(
                    TREEZOR_WALLET_IDS[2],
                    TREEZOR_USER_ID,
                    Amount::new(302, 50),
                    Amount::new(0, 0),
                ),
                wallet(
                    TREEZOR_OTHER_WALLET_ID,
                    TREEZOR_OTHER_USER_ID,
                    Amount::new(280, 0),
                    Amount::new(0, 0),
                ),
            ],
            history_days: 30,
        }
    }
}

/// One Treezor wallet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TreezorWallet {
    /// `walletId`.
    pub wallet_id: u64,
    /// Owner `userId`.
    pub user_id: u64,
    /// ISO 4217 alpha currency, e.g. `EUR`.
    pub currency: String,
    /// `currentBalance`.
    pub current_balance: Amount,
    /// Pending `authorizations`; `authorizedBalance` is `currentBalance - authorizations`.
    pub authorizations: Amount,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_is_valid_and_round_trips() {
        let data = DemoData::default();
        data.validate().unwrap();
        let back = DemoData::from_json(&data.to_json()).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn partial_documents_fill_in_defaults() {
        let data = DemoData::from_json(r#"{"agent": {"password": "other"}}"#).unwrap();
        assert_eq!(data.agent.password, "other");
        assert_eq!(data.agent.terminal_id, AGENT_TERMINAL_ID);
        assert_eq!(data.qiwi.wallet, QIWI_WALLET);
    }

    #[test]
    fn inconsistent_documents_are_rejected() {
        let err = DemoData::from_json(r#"{"qiwi": {"wallet": "+7999"}}"#).unwrap_err();
        assert!(matches!(err, DemoDataError::Invalid(_)), "{err}");
        let err = DemoData::from_json(r#"{"qiwi": {"unknown": 1}}"#).unwrap_err();
        assert!(matches!(err, DemoDataError::Json(_)), "{err}");
        for history in [r#"{"generated": 4000000000}"#, r#"{"months": 0}"#] {
            let text = format!(r#"{{"qiwi": {{"history": {history}}}}}"#);
            let err = DemoData::from_json(&text).unwrap_err();
            assert!(err.to_string().contains("qiwi.history"), "{err}");
        }
    }
}
