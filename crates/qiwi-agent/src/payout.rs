//! Payout requests (`pay` with `<auth>`), one type per service, all lowered to a [`Payout`].
//!
//! | type | service | recipient |
//! |---|---|---|
//! | [`WalletTopUp`] | 99 | QIWI Wallet (phone number, no `+`) |
//! | [`CardPayout`] | 34020 | card issued by a Russian bank |
//! | [`CardPayoutByPhone`] | 32911 | card issued by a Russian bank, client phone with `+` as account |
//! | [`ForeignCardPayout`] | 36655 | card issued by a foreign bank (stopped by QIWI for now) |
//! | [`MobileTopUp`] | 29130 | mobile phone account, through the client's wallet |
//! | [`SbpPayout`] | 38413 | SBP: phone number and the recipient bank's SBP id |
//!
//! A [`Payout`] can also be built directly for a service this crate has no type for.

use std::fmt;

use qiwi_types::{Currency, WalletNumber};

use crate::amount::PayoutAmount;
use crate::client::StatusQuery;
use crate::ids::TransactionNumber;
use crate::model::{Extra, ServiceId};
use crate::value::{InvalidValue, check_digits, check_xml_text};

/// Where the money the agent pays out came from (`income_wire_transfer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FundsSource {
    /// `0`: the client paid the agent in cash.
    Cash,
    /// `1`: the client paid the agent by a non-cash transfer.
    NonCash,
}

impl FundsSource {
    /// The wire value, `0` or `1`.
    ///
    /// ```
    /// use qiwi_agent::FundsSource;
    /// assert_eq!(FundsSource::NonCash.wire(), "1");
    /// ```
    pub fn wire(self) -> &'static str {
        match self {
            Self::Cash => "0",
            Self::NonCash => "1",
        }
    }
}

/// A payment comment (`<extra name="comment">`), at most 1000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comment(String);

impl Comment {
    /// The most characters a comment may have.
    pub const MAX_CHARS: usize = 1000;

    /// Validates a comment.
    ///
    /// ```
    /// use qiwi_agent::Comment;
    /// assert_eq!(Comment::new("Перевод на карту")?.as_str(), "Перевод на карту");
    /// assert!(Comment::new("x".repeat(1001)).is_err());
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text has more than 1000 characters or a control character.
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidValue> {
        let text = text.into();
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(InvalidValue::new(
                "comment",
                format!(
                    "it has {chars} characters; at most {} are allowed",
                    Self::MAX_CHARS
                ),
            ));
        }
        check_xml_text("comment", &text, false)?;
        Ok(Self(text))
    }

    /// The text.
    ///
    /// ```
    /// # use qiwi_agent::Comment;
    /// assert_eq!(Comment::new("hi")?.as_str(), "hi");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A card number: 13 to 19 digits, no spaces. `Debug` masks it (`426511******4411`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// Validates a card number.
    ///
    /// ```
    /// use qiwi_agent::CardNumber;
    /// let card = CardNumber::parse("4265111122334411")?;
    /// assert_eq!(format!("{card:?}"), "CardNumber(426511******4411)");
    /// assert!(CardNumber::parse("4265 1111 2233 4411").is_err());
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the text holds anything but digits or has fewer than 13 or more
    /// than 19 of them.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let text = text.trim();
        check_digits("card number", text, 13..=19)?;
        Ok(Self(text.to_owned()))
    }

    /// The digits.
    ///
    /// ```
    /// # use qiwi_agent::CardNumber;
    /// assert_eq!(CardNumber::parse("4265111122334411")?.as_str(), "4265111122334411");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The first six and last four digits, the rest as `*`, as card numbers are shown in logs.
pub(crate) fn mask_card(digits: &str) -> String {
    digits
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < 6 || i + 4 >= digits.chars().count() {
                c
            } else {
                '*'
            }
        })
        .collect()
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", mask_card(&self.0))
    }
}

/// The payment as sent: the `<payment>` of a `pay` request with `<auth>`.
///
/// Build it from one of the typed payouts (`WalletTopUp::new(..).into()`) or directly with
/// [`Payout::new`] for another service.
#[derive(Clone, PartialEq, Eq)]
pub struct Payout {
    pub(crate) transaction_number: TransactionNumber,
    pub(crate) from_currency: Currency,
    pub(crate) source_channel: Option<u32>,
    pub(crate) from_extra: Vec<Extra>,
    pub(crate) amount: PayoutAmount,
    pub(crate) to_currency: Option<Currency>,
    pub(crate) service_id: ServiceId,
    pub(crate) account_number: String,
    pub(crate) to_extra: Vec<Extra>,
    pub(crate) income_wire_transfer: Option<FundsSource>,
}

impl Payout {
    /// A payout to any service: RUB from the agent balance, RUB to the recipient.
    ///
    /// ```
    /// use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// let payout = Payout::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     ServiceId::WALLET,
    ///     "79181234567",
    ///     PayoutAmount::parse("10.00")?,
    /// )?;
    /// assert_eq!(payout.account_number(), "79181234567");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the account number is empty, longer than 100 characters or holds a
    /// control character.
    pub fn new(
        transaction_number: TransactionNumber,
        service_id: ServiceId,
        account_number: impl Into<String>,
        amount: PayoutAmount,
    ) -> Result<Self, InvalidValue> {
        let account_number = account_number.into();
        check_account("account number", &account_number)?;
        Ok(Self {
            transaction_number,
            from_currency: Currency::RUB,
            source_channel: None,
            from_extra: Vec::new(),
            amount,
            to_currency: Some(Currency::RUB),
            service_id,
            account_number,
            to_extra: Vec::new(),
            income_wire_transfer: None,
        })
    }

    /// The currency of the agent account to debit (`from/ccy`), RUB unless set.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_from_currency(qiwi_types::Currency::EUR);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn with_from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }

    /// The recipient's currency (`to/ccy`), RUB unless set; `None` leaves the element out (the
    /// mobile service calls it optional).
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_to_currency(Some(qiwi_types::Currency::USD));
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn with_to_currency(mut self, currency: Option<Currency>) -> Self {
        self.to_currency = currency;
        self
    }

    /// The agent's own top-up channel id (`from/service-id`), to split flows on one balance.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_source_channel(7);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn with_source_channel(mut self, channel: u32) -> Self {
        self.source_channel = Some(channel);
        self
    }

    /// Where the client's money came from (`income_wire_transfer`, request level).
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_funds_source(FundsSource::Cash);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn with_funds_source(mut self, funds: FundsSource) -> Self {
        self.income_wire_transfer = Some(funds);
        self
    }

    /// Adds an `extra` inside `<to>`.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::SBP, "70070310009", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_to_extra("bankId", "100000000008")?;
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the name is empty or either text holds a control character.
    pub fn with_to_extra(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, InvalidValue> {
        self.to_extra
            .push(checked_extra(name.into(), value.into())?);
        Ok(self)
    }

    /// Adds an `extra` inside `<from>`.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("1")?, ServiceId::FOREIGN_CARD, "4265111122334411", PayoutAmount::parse("1")?)?;
    /// let payout = payout.with_from_extra("source_city", "Moscow")?;
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// As [`Payout::with_to_extra`].
    pub fn with_from_extra(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, InvalidValue> {
        self.from_extra
            .push(checked_extra(name.into(), value.into())?);
        Ok(self)
    }

    /// The transaction number that identifies the payment.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("12")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// assert_eq!(payout.transaction_number().as_str(), "12");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn transaction_number(&self) -> &TransactionNumber {
        &self.transaction_number
    }

    /// The service (`to/service-id`).
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("12")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// assert_eq!(payout.service_id(), ServiceId::WALLET);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn service_id(&self) -> ServiceId {
        self.service_id
    }

    /// The recipient (`to/account-number`), which a status check repeats.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("12")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// assert_eq!(payout.account_number(), "79181234567");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn account_number(&self) -> &str {
        &self.account_number
    }

    /// The amount to credit (`to/amount`).
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("12")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// assert_eq!(payout.amount().to_string(), "1.00");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn amount(&self) -> PayoutAmount {
        self.amount
    }

    /// The status query for this payment: its transaction number and recipient.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, ServiceId, TransactionNumber};
    /// # let payout = Payout::new(TransactionNumber::parse("12")?, ServiceId::WALLET, "79181234567", PayoutAmount::parse("1")?)?;
    /// let query = payout.status_query();
    /// assert_eq!(query.transaction_number().as_str(), "12");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn status_query(&self) -> StatusQuery {
        StatusQuery::from_parts(self.transaction_number.clone(), self.account_number.clone())
    }
}

impl fmt::Debug for Payout {
    /// Card numbers are masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let account = if self.service_id.is_card() {
            mask_card(&self.account_number)
        } else {
            self.account_number.clone()
        };
        let to_extra: Vec<(&str, String)> = self
            .to_extra
            .iter()
            .map(|e| {
                let value = if e.name == "account1" {
                    mask_card(&e.value)
                } else {
                    e.value.clone()
                };
                (e.name.as_str(), value)
            })
            .collect();
        let from_extra: Vec<(&str, &str)> = self
            .from_extra
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        f.debug_struct("Payout")
            .field("transaction_number", &self.transaction_number)
            .field("service_id", &self.service_id)
            .field("account_number", &account)
            .field("amount", &self.amount)
            .field("to_currency", &self.to_currency)
            .field("from_currency", &self.from_currency)
            .field("source_channel", &self.source_channel)
            .field("income_wire_transfer", &self.income_wire_transfer)
            .field("to_extra", &to_extra)
            .field("from_extra", &from_extra)
            .finish()
    }
}

fn check_account(what: &'static str, text: &str) -> Result<(), InvalidValue> {
    if text.trim().is_empty() {
        return Err(InvalidValue::new(what, "it is empty"));
    }
    if text.chars().count() > 100 {
        return Err(InvalidValue::new(what, "it is longer than 100 characters"));
    }
    check_xml_text(what, text, false)
}

fn checked_extra(name: String, value: String) -> Result<Extra, InvalidValue> {
    if name.trim().is_empty() {
        return Err(InvalidValue::new("extra field name", "it is empty"));
    }
    check_xml_text("extra field name", &name, false)?;
    check_xml_text("extra field value", &value, false)?;
    Ok(Extra::new(name, value))
}

/// A QIWI Wallet top-up, service 99 (`to/account-number` = wallet number without `+`).
///
/// The protocol requires `income_wire_transfer` for wallet payments, so the kind of funds is
/// a constructor argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletTopUp {
    transaction_number: TransactionNumber,
    wallet: WalletNumber,
    amount: PayoutAmount,
    funds: FundsSource,
    currency: Currency,
    from_currency: Currency,
    comment: Option<Comment>,
    source_channel: Option<u32>,
}

impl WalletTopUp {
    /// A top-up in RUB from the agent's RUB account.
    ///
    /// ```
    /// use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// use qiwi_types::WalletNumber;
    /// let top_up = WalletTopUp::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     WalletNumber::parse("79181234567")?,
    ///     PayoutAmount::parse("1115.00")?,
    ///     FundsSource::NonCash,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        transaction_number: TransactionNumber,
        wallet: WalletNumber,
        amount: PayoutAmount,
        funds: FundsSource,
    ) -> Self {
        Self {
            transaction_number,
            wallet,
            amount,
            funds,
            currency: Currency::RUB,
            from_currency: Currency::RUB,
            comment: None,
            source_channel: None,
        }
    }

    /// The wallet account's currency (`to/ccy`).
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// let top_up = top_up.currency(qiwi_types::Currency::KZT);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// The agent account to debit (`from/ccy`).
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// let top_up = top_up.from_currency(qiwi_types::Currency::EUR);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }

    /// A comment for the payment (`to/extra name="comment"`).
    ///
    /// ```
    /// # use qiwi_agent::{Comment, FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// let top_up = top_up.comment(Comment::new("salary")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn comment(mut self, comment: Comment) -> Self {
        self.comment = Some(comment);
        self
    }

    /// The agent's own channel id (`from/service-id`).
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// let top_up = top_up.source_channel(3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn source_channel(mut self, channel: u32) -> Self {
        self.source_channel = Some(channel);
        self
    }

    /// The wallet to top up.
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// assert_eq!(top_up.wallet().as_str(), "79181234567");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wallet(&self) -> &WalletNumber {
        &self.wallet
    }

    /// The kind of funds declared.
    ///
    /// ```
    /// # use qiwi_agent::{FundsSource, PayoutAmount, TransactionNumber, WalletTopUp};
    /// # let top_up = WalletTopUp::new(TransactionNumber::parse("1")?, "79181234567".parse()?, PayoutAmount::parse("1")?, FundsSource::Cash);
    /// assert_eq!(top_up.funds(), FundsSource::Cash);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funds(&self) -> FundsSource {
        self.funds
    }
}

impl From<WalletTopUp> for Payout {
    fn from(t: WalletTopUp) -> Payout {
        let mut to_extra = Vec::new();
        if let Some(comment) = t.comment {
            to_extra.push(Extra::new("comment", comment.0));
        }
        Payout {
            transaction_number: t.transaction_number,
            from_currency: t.from_currency,
            source_channel: t.source_channel,
            from_extra: Vec::new(),
            amount: t.amount,
            to_currency: Some(t.currency),
            service_id: ServiceId::WALLET,
            account_number: t.wallet.as_str().to_owned(),
            to_extra,
            income_wire_transfer: Some(t.funds),
        }
    }
}

/// A payout to a card issued by a Russian bank, service 34020 (RUB only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPayout {
    transaction_number: TransactionNumber,
    card: CardNumber,
    amount: PayoutAmount,
    from_currency: Currency,
    source_channel: Option<u32>,
}

impl CardPayout {
    /// A card payout in RUB from the agent's RUB account.
    ///
    /// ```
    /// use qiwi_agent::{CardNumber, CardPayout, PayoutAmount, TransactionNumber};
    /// let payout = CardPayout::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     CardNumber::parse("4265111122334411")?,
    ///     PayoutAmount::parse("1115.00")?,
    /// );
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn new(
        transaction_number: TransactionNumber,
        card: CardNumber,
        amount: PayoutAmount,
    ) -> Self {
        Self {
            transaction_number,
            card,
            amount,
            from_currency: Currency::RUB,
            source_channel: None,
        }
    }

    /// The agent account to debit (`from/ccy`).
    ///
    /// ```
    /// # use qiwi_agent::{CardNumber, CardPayout, PayoutAmount, TransactionNumber};
    /// # let payout = CardPayout::new(TransactionNumber::parse("1")?, CardNumber::parse("4265111122334411")?, PayoutAmount::parse("1")?);
    /// let payout = payout.from_currency(qiwi_types::Currency::USD);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }

    /// The agent's own channel id (`from/service-id`).
    ///
    /// ```
    /// # use qiwi_agent::{CardNumber, CardPayout, PayoutAmount, TransactionNumber};
    /// # let payout = CardPayout::new(TransactionNumber::parse("1")?, CardNumber::parse("4265111122334411")?, PayoutAmount::parse("1")?);
    /// let payout = payout.source_channel(2);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn source_channel(mut self, channel: u32) -> Self {
        self.source_channel = Some(channel);
        self
    }
}

impl From<CardPayout> for Payout {
    fn from(c: CardPayout) -> Payout {
        Payout {
            transaction_number: c.transaction_number,
            from_currency: c.from_currency,
            source_channel: c.source_channel,
            from_extra: Vec::new(),
            amount: c.amount,
            to_currency: Some(Currency::RUB),
            service_id: ServiceId::CARD,
            account_number: c.card.0,
            to_extra: Vec::new(),
            income_wire_transfer: None,
        }
    }
}

/// A payout to a card issued by a Russian bank, service 32911: the account is the client's
/// phone number written with `+` (not checked by QIWI, no SMS is sent), the card goes in
/// `extra name="account1"`. RUB only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPayoutByPhone {
    transaction_number: TransactionNumber,
    phone: WalletNumber,
    card: CardNumber,
    amount: PayoutAmount,
    from_currency: Currency,
}

impl CardPayoutByPhone {
    /// A card payout in RUB, with the client's phone.
    ///
    /// ```
    /// use qiwi_agent::{CardNumber, CardPayoutByPhone, PayoutAmount, TransactionNumber};
    /// let payout = CardPayoutByPhone::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     "79991112233".parse()?,
    ///     CardNumber::parse("4265111122334411")?,
    ///     PayoutAmount::parse("1115.00")?,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        transaction_number: TransactionNumber,
        phone: WalletNumber,
        card: CardNumber,
        amount: PayoutAmount,
    ) -> Self {
        Self {
            transaction_number,
            phone,
            card,
            amount,
            from_currency: Currency::RUB,
        }
    }

    /// The agent account to debit (`from/ccy`).
    ///
    /// ```
    /// # use qiwi_agent::{CardNumber, CardPayoutByPhone, PayoutAmount, TransactionNumber};
    /// # let payout = CardPayoutByPhone::new(TransactionNumber::parse("1")?, "79991112233".parse()?, CardNumber::parse("4265111122334411")?, PayoutAmount::parse("1")?);
    /// let payout = payout.from_currency(qiwi_types::Currency::USD);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }
}

impl From<CardPayoutByPhone> for Payout {
    fn from(c: CardPayoutByPhone) -> Payout {
        Payout {
            transaction_number: c.transaction_number,
            from_currency: c.from_currency,
            source_channel: None,
            from_extra: Vec::new(),
            amount: c.amount,
            to_currency: Some(Currency::RUB),
            service_id: ServiceId::CARD_BY_PHONE,
            account_number: format!("+{}", c.phone.as_str()),
            to_extra: vec![Extra::new("account1", c.card.0)],
            income_wire_transfer: None,
        }
    }
}

/// The sender of a foreign-card payout (the `source_*` extras inside `<from>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// `source_first_name`.
    pub first_name: String,
    /// `source_last_name`.
    pub last_name: String,
    /// `source_address`.
    pub address: String,
    /// `source_city`.
    pub city: String,
    /// `source_country_code`: ISO 3166-1 alpha-2 (`RU`).
    pub country_code: String,
    /// `source_zip_code`: digits.
    pub zip_code: String,
    /// `source_resident`: `true` for a resident (`1`), `false` for a non-resident (`0`).
    pub resident: bool,
    /// `source_birthday`: `dd.mm.yyyy`.
    pub birthday: String,
}

impl Sender {
    fn validate(&self) -> Result<(), InvalidValue> {
        for (what, text) in [
            ("sender first name", &self.first_name),
            ("sender last name", &self.last_name),
            ("sender address", &self.address),
            ("sender city", &self.city),
        ] {
            if text.trim().is_empty() {
                return Err(InvalidValue::new(what, "it is empty"));
            }
            check_xml_text(what, text, false)?;
        }
        if self.country_code.len() != 2
            || !self.country_code.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(InvalidValue::new(
                "sender country code",
                format!(
                    "{:?} is not an ISO 3166-1 alpha-2 code such as RU",
                    self.country_code
                ),
            ));
        }
        check_digits("sender zip code", &self.zip_code, 1..=10)?;
        let b = self.birthday.as_bytes();
        let shaped = b.len() == 10
            && b[2] == b'.'
            && b[5] == b'.'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
        if !shaped {
            return Err(InvalidValue::new(
                "sender birthday",
                format!("{:?} is not written as dd.mm.yyyy", self.birthday),
            ));
        }
        Ok(())
    }
}

/// A payout to a card issued by a foreign bank, service 36655 (QIWI says these payouts are
/// temporarily stopped). RUB, USD or EUR; the sender's details and the card holder's Latin name
/// are required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignCardPayout {
    transaction_number: TransactionNumber,
    card: CardNumber,
    amount: PayoutAmount,
    currency: Currency,
    sender: Sender,
    card_holder: String,
    comment: Option<Comment>,
    from_currency: Currency,
}

impl ForeignCardPayout {
    /// A foreign-card payout.
    ///
    /// ```
    /// use qiwi_agent::{CardNumber, ForeignCardPayout, PayoutAmount, Sender, TransactionNumber};
    /// use qiwi_types::Currency;
    /// let sender = Sender {
    ///     first_name: "Иван".into(),
    ///     last_name: "Иванов".into(),
    ///     address: "Можайское шоссе 38-2-46".into(),
    ///     city: "Moscow".into(),
    ///     country_code: "RU".into(),
    ///     zip_code: "121354".into(),
    ///     resident: false,
    ///     birthday: "16.12.1990".into(),
    /// };
    /// let payout = ForeignCardPayout::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     CardNumber::parse("4265111122334411")?,
    ///     PayoutAmount::parse("1115.00")?,
    ///     Currency::RUB,
    ///     sender,
    ///     "Petrov Petr",
    /// )?;
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the currency is not RUB, USD or EUR, the card holder is not a Latin
    /// name, or a sender detail is empty or malformed.
    pub fn new(
        transaction_number: TransactionNumber,
        card: CardNumber,
        amount: PayoutAmount,
        currency: Currency,
        sender: Sender,
        card_holder: impl Into<String>,
    ) -> Result<Self, InvalidValue> {
        if ![Currency::RUB, Currency::USD, Currency::EUR].contains(&currency) {
            return Err(InvalidValue::new(
                "currency",
                format!("foreign-card payouts are made in RUB, USD or EUR, not {currency}"),
            ));
        }
        let card_holder = card_holder.into();
        let latin = card_holder
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'));
        if card_holder.trim().is_empty() || !latin {
            return Err(InvalidValue::new(
                "card holder",
                "give the recipient as \"LastName FirstName\" in Latin letters",
            ));
        }
        sender.validate()?;
        Ok(Self {
            transaction_number,
            card,
            amount,
            currency,
            sender,
            card_holder,
            comment: None,
            from_currency: Currency::RUB,
        })
    }

    /// A comment for the payment.
    ///
    /// ```
    /// # use qiwi_agent::{CardNumber, Comment, ForeignCardPayout, PayoutAmount, Sender, TransactionNumber};
    /// # let sender = Sender { first_name: "A".into(), last_name: "B".into(), address: "C".into(), city: "D".into(), country_code: "RU".into(), zip_code: "1".into(), resident: true, birthday: "01.01.1990".into() };
    /// # let payout = ForeignCardPayout::new(TransactionNumber::parse("1")?, CardNumber::parse("4265111122334411")?, PayoutAmount::parse("1")?, qiwi_types::Currency::RUB, sender, "B A")?;
    /// let payout = payout.comment(Comment::new("Перевод на карту")?);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn comment(mut self, comment: Comment) -> Self {
        self.comment = Some(comment);
        self
    }

    /// The agent account to debit (`from/ccy`).
    ///
    /// ```
    /// # use qiwi_agent::{CardNumber, ForeignCardPayout, PayoutAmount, Sender, TransactionNumber};
    /// # let sender = Sender { first_name: "A".into(), last_name: "B".into(), address: "C".into(), city: "D".into(), country_code: "RU".into(), zip_code: "1".into(), resident: true, birthday: "01.01.1990".into() };
    /// # let payout = ForeignCardPayout::new(TransactionNumber::parse("1")?, CardNumber::parse("4265111122334411")?, PayoutAmount::parse("1")?, qiwi_types::Currency::RUB, sender, "B A")?;
    /// let payout = payout.from_currency(qiwi_types::Currency::USD);
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }
}

impl From<ForeignCardPayout> for Payout {
    fn from(c: ForeignCardPayout) -> Payout {
        let s = c.sender;
        let from_extra = vec![
            Extra::new("source_first_name", s.first_name),
            Extra::new("source_last_name", s.last_name),
            Extra::new("source_address", s.address),
            Extra::new("source_city", s.city),
            Extra::new("source_country_code", s.country_code),
            Extra::new("source_zip_code", s.zip_code),
            Extra::new("source_resident", if s.resident { "1" } else { "0" }),
            Extra::new("source_birthday", s.birthday),
        ];
        let mut to_extra = Vec::new();
        if let Some(comment) = c.comment {
            to_extra.push(Extra::new("comment", comment.0));
        }
        to_extra.push(Extra::new("target_card_holder", c.card_holder));
        Payout {
            transaction_number: c.transaction_number,
            from_currency: c.from_currency,
            source_channel: None,
            from_extra,
            amount: c.amount,
            to_currency: Some(c.currency),
            service_id: ServiceId::FOREIGN_CARD,
            account_number: c.card.0,
            to_extra,
            income_wire_transfer: None,
        }
    }
}

/// A mobile phone top-up, service 29130: the money goes to the client's wallet and on to the
/// operator in one transit transaction (`extra name="account0"` =
/// `id:<provider>;acc:<phone without country code>;sum:<amount charged>`).
///
/// The provider id comes from [`AgentClient::provider_by_phone`](crate::AgentClient::provider_by_phone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileTopUp {
    transaction_number: TransactionNumber,
    wallet: WalletNumber,
    provider_id: u32,
    local_phone: String,
    amount: PayoutAmount,
    sum: PayoutAmount,
    currency: Option<Currency>,
    from_currency: Currency,
}

impl MobileTopUp {
    /// A mobile top-up in RUB; the `sum` charged is the amount unless set with
    /// [`MobileTopUp::charged`].
    ///
    /// ```
    /// use qiwi_agent::{MobileTopUp, PayoutAmount, TransactionNumber};
    /// let top_up = MobileTopUp::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     "79881110000".parse()?,
    ///     2,
    ///     "9881110000",
    ///     PayoutAmount::parse("115.00")?,
    /// )?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the local phone number is not 5 to 15 digits.
    pub fn new(
        transaction_number: TransactionNumber,
        wallet: WalletNumber,
        provider_id: u32,
        local_phone: &str,
        amount: PayoutAmount,
    ) -> Result<Self, InvalidValue> {
        let local_phone = local_phone.trim();
        check_digits("phone number without country code", local_phone, 5..=15)?;
        Ok(Self {
            transaction_number,
            wallet,
            provider_id,
            local_phone: local_phone.to_owned(),
            amount,
            sum: amount,
            currency: Some(Currency::RUB),
            from_currency: Currency::RUB,
        })
    }

    /// The amount charged including tariffs (`sum:` in `account0`).
    ///
    /// ```
    /// # use qiwi_agent::{MobileTopUp, PayoutAmount, TransactionNumber};
    /// # let top_up = MobileTopUp::new(TransactionNumber::parse("1")?, "79881110000".parse()?, 2, "9881110000", PayoutAmount::parse("100")?)?;
    /// let top_up = top_up.charged(PayoutAmount::parse("103.50")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charged(mut self, sum: PayoutAmount) -> Self {
        self.sum = sum;
        self
    }

    /// The wallet account's currency (`to/ccy`, optional for this service).
    ///
    /// ```
    /// # use qiwi_agent::{MobileTopUp, PayoutAmount, TransactionNumber};
    /// # let top_up = MobileTopUp::new(TransactionNumber::parse("1")?, "79881110000".parse()?, 2, "9881110000", PayoutAmount::parse("100")?)?;
    /// let top_up = top_up.currency(None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn currency(mut self, currency: Option<Currency>) -> Self {
        self.currency = currency;
        self
    }
}

impl From<MobileTopUp> for Payout {
    fn from(m: MobileTopUp) -> Payout {
        let account0 = format!("id:{};acc:{};sum:{}", m.provider_id, m.local_phone, m.sum);
        Payout {
            transaction_number: m.transaction_number,
            from_currency: m.from_currency,
            source_channel: None,
            from_extra: Vec::new(),
            amount: m.amount,
            to_currency: m.currency,
            service_id: ServiceId::MOBILE,
            account_number: m.wallet.as_str().to_owned(),
            to_extra: vec![Extra::new("account0", account0)],
            income_wire_transfer: None,
        }
    }
}

/// An SBP payout, service 38413 (RUB only): the recipient's phone (`7xxxxxxxxxx`) and the SBP
/// member id of the recipient's bank (`extra name="bankId"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SbpPayout {
    transaction_number: TransactionNumber,
    phone: WalletNumber,
    bank_id: String,
    amount: PayoutAmount,
    from_currency: Currency,
}

impl SbpPayout {
    /// An SBP payout in RUB.
    ///
    /// ```
    /// use qiwi_agent::{PayoutAmount, SbpPayout, TransactionNumber};
    /// let payout = SbpPayout::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     "70070310009".parse()?,
    ///     "100000000008",
    ///     PayoutAmount::parse("10007.03")?,
    /// )?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the phone is not `7` and ten digits or the bank id is not digits.
    pub fn new(
        transaction_number: TransactionNumber,
        phone: WalletNumber,
        bank_id: &str,
        amount: PayoutAmount,
    ) -> Result<Self, InvalidValue> {
        if phone.as_str().len() != 11 || !phone.as_str().starts_with('7') {
            return Err(InvalidValue::new(
                "SBP phone number",
                "it must be written as 7xxxxxxxxxx (7 and ten digits)",
            ));
        }
        let bank_id = bank_id.trim();
        check_digits("SBP bank id", bank_id, 1..=32)?;
        Ok(Self {
            transaction_number,
            phone,
            bank_id: bank_id.to_owned(),
            amount,
            from_currency: Currency::RUB,
        })
    }
}

impl From<SbpPayout> for Payout {
    fn from(s: SbpPayout) -> Payout {
        Payout {
            transaction_number: s.transaction_number,
            from_currency: s.from_currency,
            source_channel: None,
            from_extra: Vec::new(),
            amount: s.amount,
            to_currency: Some(Currency::RUB),
            service_id: ServiceId::SBP,
            account_number: s.phone.as_str().to_owned(),
            to_extra: vec![Extra::new("bankId", s.bank_id)],
            income_wire_transfer: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn() -> TransactionNumber {
        TransactionNumber::parse("12345678").unwrap()
    }

    #[test]
    fn card_numbers_are_masked_in_debug() {
        assert_eq!(mask_card("4265111122334411"), "426511******4411");
        let payout: Payout = CardPayout::new(
            txn(),
            CardNumber::parse("4265111122334411").unwrap(),
            PayoutAmount::parse("1").unwrap(),
        )
        .into();
        let debug = format!("{payout:?}");
        assert!(!debug.contains("4265111122334411"), "{debug}");
        assert!(debug.contains("426511******4411"), "{debug}");
        let by_phone: Payout = CardPayoutByPhone::new(
            txn(),
            "79991112233".parse().unwrap(),
            CardNumber::parse("4265111122334411").unwrap(),
            PayoutAmount::parse("1").unwrap(),
        )
        .into();
        assert!(!format!("{by_phone:?}").contains("4265111122334411"));
    }

    #[test]
    fn typed_payouts_validate_their_service_rules() {
        let amount = PayoutAmount::parse("1").unwrap();
        assert!(SbpPayout::new(txn(), "380501234567".parse().unwrap(), "1", amount).is_err());
        assert!(SbpPayout::new(txn(), "70070310009".parse().unwrap(), "12a", amount).is_err());
        assert!(
            MobileTopUp::new(txn(), "79881110000".parse().unwrap(), 2, "988-111", amount).is_err()
        );
        let sender = Sender {
            first_name: "A".into(),
            last_name: "B".into(),
            address: "C".into(),
            city: "D".into(),
            country_code: "RUS".into(),
            zip_code: "1".into(),
            resident: true,
            birthday: "01.01.1990".into(),
        };
        let card = CardNumber::parse("4265111122334411").unwrap();
        let err = ForeignCardPayout::new(
            txn(),
            card.clone(),
            amount,
            Currency::RUB,
            sender.clone(),
            "B A",
        )
        .unwrap_err();
        assert_eq!(err.what(), "sender country code");
        let ok_sender = Sender {
            country_code: "RU".into(),
            ..sender
        };
        let err = ForeignCardPayout::new(
            txn(),
            card.clone(),
            amount,
            Currency::KZT,
            ok_sender.clone(),
            "B A",
        )
        .unwrap_err();
        assert_eq!(err.what(), "currency");
        let err = ForeignCardPayout::new(
            txn(),
            card.clone(),
            amount,
            Currency::RUB,
            ok_sender.clone(),
            "Петров",
        )
        .unwrap_err();
        assert_eq!(err.what(), "card holder");
        let bad_birthday = Sender {
            birthday: "1990-01-01".into(),
            ..ok_sender
        };
        assert!(
            ForeignCardPayout::new(txn(), card, amount, Currency::RUB, bad_birthday, "B A")
                .is_err()
        );
        assert!(Payout::new(txn(), ServiceId::WALLET, " ", amount).is_err());
        assert!(Payout::new(txn(), ServiceId::WALLET, "x\u{0}", amount).is_err());
        assert!(
            Payout::new(txn(), ServiceId::WALLET, "79181234567", amount)
                .unwrap()
                .with_to_extra("", "v")
                .is_err()
        );
    }
}
