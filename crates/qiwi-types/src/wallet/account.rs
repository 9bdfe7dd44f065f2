//! Balances: the wallet's accounts (E10), creating one (E11), the accounts that may be created
//! (E12) and choosing the default one (E13).

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::{Currency, Decimal, InvalidValue, Money};

/// The alias of an account in a wallet, such as `qw_wallet_rub` or `mc_beeline_rub`.
///
/// [`AccountAlias::new`] checks a caller's text before it goes into a path; an alias read from
/// the server is kept as written.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountAlias(#[serde(deserialize_with = "crate::lenient::string_or_number")] String);

impl AccountAlias {
    /// Checks a caller's alias: not empty, no spaces or control characters.
    ///
    /// # Errors
    /// [`InvalidValue`] when the text is empty or holds a space or a control character.
    ///
    /// ```
    /// use qiwi_types::wallet::AccountAlias;
    ///
    /// let alias = AccountAlias::new("qw_wallet_eur").unwrap();
    /// assert_eq!(alias.as_str(), "qw_wallet_eur");
    /// assert!(AccountAlias::new("").is_err());
    /// assert!(AccountAlias::new("qw wallet").is_err());
    /// ```
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        if text.is_empty() {
            return Err(InvalidValue::new(
                "account alias",
                "the account alias is empty; give one from the accounts list, e.g. qw_wallet_rub",
            ));
        }
        if let Some(bad) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidValue::new(
                "account alias",
                format!(
                    "the account alias may not hold spaces or control characters; found {bad:?}"
                ),
            ));
        }
        Ok(Self(text))
    }
}

crate::text_type::text_type!(AccountAlias, from_str = Self::new);

crate::open_enum! {
    /// The kind of an account (`type.id`).
    pub enum AccountTypeId {
        /// A QIWI Wallet balance.
        Wallet = "WALLET",
        /// A mobile-operator account ("mobile commerce").
        MobileCommerce = "MC",
    }
}

/// An account's kind and its human-readable title (`type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountType {
    /// The kind (`WALLET`, `MC`).
    pub id: AccountTypeId,
    /// The title, e.g. `QIWI Wallet` or `Счет мобильного кошелька`.
    pub title: String,
}

/// What is known about an account's balance.
///
/// The server writes `balance: null` both for accounts that have no QIWI balance
/// (`hasBalance: false`: a linked card or a phone account) and, transiently, for real balances it
/// could not read in time (`hasBalance: true`, with `null` or `{}`, reference §7 and §14 item
/// 13). The second case is [`Balance::Unknown`]: the reference says to ask again for that
/// account, which the client does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Balance {
    /// The amount and its currency.
    Known(Money),
    /// The account has a balance but the server did not report it (yet).
    Unknown,
    /// The account has no QIWI balance (`hasBalance: false`).
    NotApplicable,
}

impl Balance {
    /// The amount, when known.
    ///
    /// ```
    /// use qiwi_types::{Currency, Decimal, Money};
    /// use qiwi_types::wallet::Balance;
    ///
    /// let known = Balance::Known(Money::new(Decimal::new(874, 2), Currency::RUB));
    /// assert_eq!(known.money().map(|m| m.amount.to_string()), Some("8.74".into()));
    /// assert_eq!(Balance::Unknown.money(), None);
    /// ```
    pub fn money(&self) -> Option<&Money> {
        match self {
            Balance::Known(money) => Some(money),
            Balance::Unknown | Balance::NotApplicable => None,
        }
    }

    /// Whether the account has a balance the server did not report.
    ///
    /// ```
    /// use qiwi_types::wallet::Balance;
    ///
    /// assert!(Balance::Unknown.is_unknown());
    /// assert!(!Balance::NotApplicable.is_unknown());
    /// ```
    pub fn is_unknown(&self) -> bool {
        matches!(self, Balance::Unknown)
    }
}

impl Serialize for Balance {
    /// Writes the wire form: the money object, or `null` when there is none.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Balance::Known(money) => money.serialize(s),
            Balance::Unknown | Balance::NotApplicable => s.serialize_none(),
        }
    }
}

/// One account of the wallet (`accounts[]` of E10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "AccountWire")]
pub struct Account {
    /// The account's alias, e.g. `qw_wallet_rub`; used to create it and to make it the default.
    pub alias: AccountAlias,
    /// The funding-source alias, e.g. `qb_wallet`.
    pub fs_alias: String,
    /// The bank's alias, e.g. `QIWI`.
    pub bank_alias: String,
    /// The account's name, e.g. `WALLET` or `MC`.
    pub title: String,
    /// The account's kind.
    #[serde(rename = "type")]
    pub account_type: AccountType,
    /// Whether this is a real QIWI balance (not a linked card or a phone account).
    pub has_balance: bool,
    /// The balance; see [`Balance`] for what `null` means.
    pub balance: Balance,
    /// The account's currency (643, 840 or 978 per the reference).
    pub currency: Currency,
    /// Whether payments are funded from this account by default. Not in the reference's
    /// response description but sent by the real service (§15); `None` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_account: Option<bool>,
}

impl Account {
    /// Whether this is the wallet's default account (`defaultAccount: true`).
    ///
    /// ```
    /// # let accounts: qiwi_types::wallet::Accounts = serde_json::from_str(r#"{"accounts": [
    /// #   {"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
    /// #    "type": {"id": "WALLET", "title": "QIWI Wallet"}, "hasBalance": true,
    /// #    "balance": {"amount": 8.74, "currency": 643}, "currency": 643, "defaultAccount": true}]}"#).unwrap();
    /// assert!(accounts.accounts[0].is_default());
    /// ```
    pub fn is_default(&self) -> bool {
        self.default_account == Some(true)
    }
}

/// The wire shape of an account, before `hasBalance` and `balance` are read together.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountWire {
    alias: AccountAlias,
    fs_alias: String,
    bank_alias: String,
    title: String,
    #[serde(rename = "type")]
    account_type: AccountType,
    has_balance: bool,
    #[serde(default)]
    balance: Option<BalanceWire>,
    currency: Currency,
    #[serde(default)]
    default_account: Option<bool>,
}

/// `balance` as sent: `{amount, currency}`, or `{}` (§14 item 13).
#[derive(Deserialize)]
struct BalanceWire {
    #[serde(with = "crate::money::decimal_opt", default)]
    amount: Option<Decimal>,
    #[serde(default)]
    currency: Option<Currency>,
}

impl From<AccountWire> for Account {
    fn from(wire: AccountWire) -> Self {
        let balance = match wire.balance {
            // A balance without its own currency is in the account's currency.
            Some(BalanceWire {
                amount: Some(amount),
                currency,
            }) => Balance::Known(Money::new(
                amount,
                currency.unwrap_or_else(|| wire.currency.clone()),
            )),
            Some(BalanceWire { amount: None, .. }) | None if wire.has_balance => Balance::Unknown,
            Some(BalanceWire { amount: None, .. }) | None => Balance::NotApplicable,
        };
        Account {
            alias: wire.alias,
            fs_alias: wire.fs_alias,
            bank_alias: wire.bank_alias,
            title: wire.title,
            account_type: wire.account_type,
            has_balance: wire.has_balance,
            balance,
            currency: wire.currency,
            default_account: wire.default_account,
        }
    }
}

/// The wallet's accounts and their balances (E10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    /// Every active account, in the server's order.
    pub accounts: Vec<Account>,
}

impl Accounts {
    /// The account with this alias.
    ///
    /// ```
    /// # let accounts: qiwi_types::wallet::Accounts = serde_json::from_str(r#"{"accounts": [
    /// #   {"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
    /// #    "type": {"id": "WALLET", "title": "QIWI Wallet"}, "hasBalance": true,
    /// #    "balance": {"amount": 8.74, "currency": 643}, "currency": 643}]}"#).unwrap();
    /// let rub = accounts.get("qw_wallet_rub").unwrap();
    /// assert_eq!(rub.balance.money().unwrap().amount.to_string(), "8.74");
    /// assert!(accounts.get("qw_wallet_usd").is_none());
    /// ```
    pub fn get(&self, alias: impl AsRef<str>) -> Option<&Account> {
        let alias = alias.as_ref();
        self.accounts.iter().find(|a| a.alias.as_str() == alias)
    }

    /// The default account (`defaultAccount: true`), when the server said which it is.
    ///
    /// ```
    /// # let accounts: qiwi_types::wallet::Accounts = serde_json::from_str(r#"{"accounts": [
    /// #   {"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
    /// #    "type": {"id": "WALLET", "title": "QIWI Wallet"}, "hasBalance": true,
    /// #    "balance": {"amount": 8.74, "currency": 643}, "currency": 643, "defaultAccount": true}]}"#).unwrap();
    /// assert_eq!(accounts.default_account().unwrap().alias.as_str(), "qw_wallet_rub");
    /// ```
    pub fn default_account(&self) -> Option<&Account> {
        self.accounts.iter().find(|a| a.is_default())
    }

    /// The accounts that have a balance the server did not report ([`Balance::Unknown`]).
    ///
    /// ```
    /// # let accounts: qiwi_types::wallet::Accounts = serde_json::from_str(r#"{"accounts": [
    /// #   {"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
    /// #    "type": {"id": "WALLET", "title": "QIWI Wallet"}, "hasBalance": true,
    /// #    "balance": null, "currency": 643}]}"#).unwrap();
    /// let unknown: Vec<_> = accounts.unknown_balances().map(|a| a.alias.as_str()).collect();
    /// assert_eq!(unknown, ["qw_wallet_rub"]);
    /// ```
    pub fn unknown_balances(&self) -> impl Iterator<Item = &Account> + '_ {
        self.accounts.iter().filter(|a| a.balance.is_unknown())
    }

    /// Fills unknown balances from a later answer: every account here whose balance is
    /// [`Balance::Unknown`] takes the balance of the account with the same alias in `newer`
    /// when that one is known. Returns how many balances were filled.
    ///
    /// ```
    /// use qiwi_types::wallet::Accounts;
    ///
    /// let account = |balance: &str| format!(r#"{{"accounts": [
    ///   {{"alias": "qw_wallet_rub", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
    ///    "type": {{"id": "WALLET", "title": "QIWI Wallet"}}, "hasBalance": true,
    ///    "balance": {balance}, "currency": 643}}]}}"#);
    /// let mut first: Accounts = serde_json::from_str(&account("null")).unwrap();
    /// let retry: Accounts = serde_json::from_str(&account(r#"{"amount": 8.74, "currency": 643}"#)).unwrap();
    /// assert_eq!(first.fill_unknown_balances(&retry), 1);
    /// assert_eq!(first.unknown_balances().count(), 0);
    /// ```
    pub fn fill_unknown_balances(&mut self, newer: &Accounts) -> usize {
        let mut filled = 0;
        for account in self.accounts.iter_mut().filter(|a| a.balance.is_unknown()) {
            if let Some(Balance::Known(money)) = newer.get(&account.alias).map(|a| &a.balance) {
                account.balance = Balance::Known(money.clone());
                filled += 1;
            }
        }
        filled
    }
}

/// An account the wallet may create (E12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOffer {
    /// The alias to pass to account creation, e.g. `qw_wallet_eur`.
    pub alias: AccountAlias,
    /// The account's currency.
    pub currency: Currency,
}

/// The accounts the wallet may create (E12): a JSON array of offers, or an object holding one.
///
/// The reference's example, `{ { "alias": "qw_wallet_eur", "currency": 978 }, {} }`, is not
/// JSON (§14 item 15). Read as the array it stands for, it ends with an empty object `{}`, which
/// says nothing and is skipped; read as the object its braces say, it wraps that array, so an
/// object whose one array member holds the offers (`{"offers": [...]}`, whatever the key) is
/// read too. An entry with only one of `alias` and `currency` is an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AccountOffers(pub Vec<AccountOffer>);

impl<'de> Deserialize<'de> for AccountOffers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OffersVisitor)
    }
}

#[derive(Deserialize)]
struct OfferWire {
    #[serde(default)]
    alias: Option<AccountAlias>,
    #[serde(default)]
    currency: Option<Currency>,
}

/// Reads the bare array, or the object wrapping it.
struct OffersVisitor;

impl<'de> de::Visitor<'de> for OffersVisitor {
    type Value = AccountOffers;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of account offers, or an object holding one")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AccountOffers, A::Error> {
        let mut offers = Vec::new();
        while let Some(entry) = seq.next_element::<OfferWire>()? {
            let index = offers.len();
            match (entry.alias, entry.currency) {
                (Some(alias), Some(currency)) => offers.push(AccountOffer { alias, currency }),
                (None, None) => {}
                (Some(_), None) => {
                    return Err(de::Error::custom(format!(
                        "offer [{index}] has an alias but no currency"
                    )));
                }
                (None, Some(_)) => {
                    return Err(de::Error::custom(format!(
                        "offer [{index}] has a currency but no alias"
                    )));
                }
            }
        }
        Ok(AccountOffers(offers))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<AccountOffers, A::Error> {
        let mut found = None;
        while map.next_key::<de::IgnoredAny>()?.is_some() {
            if let Member::Offers(offers) = map.next_value()? {
                if found.replace(offers).is_some() {
                    return Err(de::Error::custom(
                        "the object holds more than one array; which one lists the offers is unclear",
                    ));
                }
            }
        }
        found.ok_or_else(|| de::Error::custom("the object holds no array of offers"))
    }
}

/// A member of the wrapping object: the array of offers, or anything else (skipped).
enum Member {
    Offers(AccountOffers),
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MemberVisitor)
    }
}

struct MemberVisitor;

impl<'de> de::Visitor<'de> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Member, A::Error> {
        OffersVisitor.visit_seq(seq).map(Member::Offers)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Member::Other)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Member, E> {
        Ok(Member::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Member, E> {
        Ok(Member::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Member, E> {
        Ok(Member::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Member, E> {
        Ok(Member::Other)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Member, E> {
        Ok(Member::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Member, E> {
        Ok(Member::Other)
    }
}

/// The body of account creation (E11): `{"alias": "qw_wallet_eur"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountRequest {
    /// The alias of the account to create, one of the offered ones.
    pub alias: AccountAlias,
}

/// The body of choosing the default account (E13): `{"defaultAccount": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetDefaultAccountRequest {
    /// Whether the account becomes the default one.
    pub default_account: bool,
}
