//! Payout requests (`pay` with `<auth>`): one [`Payout`], its [`Recipient`] naming the service.
//!
//! | recipient | service | account |
//! |---|---|---|
//! | [`Recipient::Wallet`] | 99 | QIWI Wallet (phone number, no `+`) |
//! | [`Recipient::Card`] | 34020 | card issued by a Russian bank |
//! | [`Recipient::CardByPhone`] | 32911 | card issued by a Russian bank, client phone with `+` as account |
//! | [`Recipient::ForeignCard`] | 36655 | card issued by a foreign bank (stopped by QIWI for now) |
//! | [`Recipient::Mobile`] | 29130 | mobile phone account, through the client's wallet |
//! | [`Recipient::Sbp`] | 38413 | SBP: phone number and the recipient bank's SBP id |
//! | [`Recipient::Service`] | any | a service this crate has no variant for |

use std::fmt;

pub use qiwi_types::agent::{CardNumber, Comment, FundsSource, Sender};
use qiwi_types::agent::{
    Extra, PayoutAmount, ServiceId, TransactionNumber, mask_card, text::check_xml_text,
};

use qiwi_types::{Currency, WalletNumber};

use crate::client::StatusQuery;
use crate::wire::encode::lower;
use qiwi_types::InvalidValue;
use qiwi_types::invalid::check_digits;

/// Who receives a payout, one variant per service; the wire encoder lowers each to its service
/// id, account number and extras.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recipient {
    /// A QIWI Wallet, service 99. The protocol requires the kind of funds for wallet payments.
    Wallet {
        /// The wallet number, without `+`.
        wallet: WalletNumber,
        /// Where the client's money came from (`income_wire_transfer`).
        funds: FundsSource,
        /// `to/extra name="comment"`.
        comment: Option<Comment>,
    },
    /// A card issued by a Russian bank, service 34020 (RUB only).
    Card(CardNumber),
    /// A card issued by a Russian bank, service 32911: the account is the client's phone written
    /// with `+` (not checked by QIWI, no SMS is sent), the card goes in `extra name="account1"`.
    CardByPhone {
        /// The client's phone.
        phone: WalletNumber,
        /// The card to credit.
        card: CardNumber,
    },
    /// A card issued by a foreign bank, service 36655 (QIWI says these payouts are temporarily
    /// stopped): RUB, USD or EUR, the sender's details and the holder's Latin name required.
    ForeignCard {
        /// The card to credit.
        card: CardNumber,
        /// `target_card_holder`: "LastName FirstName" in Latin letters.
        holder: String,
        /// The `source_*` extras.
        sender: Sender,
        /// `to/extra name="comment"`.
        comment: Option<Comment>,
    },
    /// A mobile phone account, service 29130: the money goes to the client's wallet and on to
    /// the operator in one transit transaction (`extra name="account0"` =
    /// `id:<provider>;acc:<phone without country code>;sum:<amount charged>`). The provider id
    /// comes from [`AgentClient::provider_by_phone`](crate::AgentClient::provider_by_phone).
    Mobile {
        /// The client's wallet.
        wallet: WalletNumber,
        /// The operator's provider id.
        provider_id: u32,
        /// The phone without its country code: 5 to 15 digits.
        local_phone: String,
        /// The amount charged including tariffs (`sum:`); the payout amount when `None`.
        charged: Option<PayoutAmount>,
    },
    /// SBP, service 38413 (RUB only): the phone (`7xxxxxxxxxx`) and the SBP member id of the
    /// recipient's bank (`extra name="bankId"`).
    Sbp {
        /// The recipient's phone.
        phone: WalletNumber,
        /// The bank's SBP member id: digits.
        bank_id: String,
    },
    /// Any other service, by its id and account number.
    Service {
        /// `to/service-id`.
        service_id: ServiceId,
        /// `to/account-number`: at most 100 characters.
        account_number: String,
        /// `income_wire_transfer`, when the service asks for it.
        funds: Option<FundsSource>,
    },
}

impl Recipient {
    /// Checks the service's rules and trims what is trimmed.
    fn validated(mut self) -> Result<Self, InvalidValue> {
        match &mut self {
            Self::ForeignCard { holder, sender, .. } => {
                let latin = holder
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'));
                if holder.trim().is_empty() || !latin {
                    return Err(InvalidValue::new(
                        "card holder",
                        "give the recipient as \"LastName FirstName\" in Latin letters",
                    ));
                }
                sender.validate()?;
            }
            Self::Mobile { local_phone, .. } => {
                *local_phone = local_phone.trim().to_owned();
                check_digits("phone number without country code", local_phone, 5..=15)?;
            }
            Self::Sbp { phone, bank_id } => {
                if phone.as_str().len() != 11 || !phone.as_str().starts_with('7') {
                    return Err(InvalidValue::new(
                        "SBP phone number",
                        "it must be written as 7xxxxxxxxxx (7 and ten digits)",
                    ));
                }
                *bank_id = bank_id.trim().to_owned();
                check_digits("SBP bank id", bank_id, 1..=32)?;
            }
            Self::Service { account_number, .. } => {
                check_account("account number", account_number)?
            }
            Self::Wallet { .. } | Self::Card(_) | Self::CardByPhone { .. } => {}
        }
        Ok(self)
    }
}

/// The payment as sent: the `<payment>` of a `pay` request with `<auth>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Payout {
    pub(crate) transaction_number: TransactionNumber,
    pub(crate) to: Recipient,
    pub(crate) amount: PayoutAmount,
    pub(crate) from_currency: Currency,
    pub(crate) to_currency: Option<Currency>,
    pub(crate) source_channel: Option<u32>,
    pub(crate) from_extra: Vec<Extra>,
    pub(crate) to_extra: Vec<Extra>,
}

impl Payout {
    /// A payout in RUB from the agent's RUB account.
    ///
    /// ```
    /// use qiwi_agent::{FundsSource, Payout, PayoutAmount, Recipient, TransactionNumber};
    /// let payout = Payout::new(
    ///     TransactionNumber::parse("12345678")?,
    ///     Recipient::Wallet {
    ///         wallet: "79181234567".parse()?,
    ///         funds: FundsSource::NonCash,
    ///         comment: None,
    ///     },
    ///     PayoutAmount::parse("10.00")?,
    /// )?
    /// .with_to_currency(Some(qiwi_types::Currency::KZT));
    /// assert_eq!(payout.account_number(), "79181234567");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the recipient breaks its service's rules: a foreign card's holder
    /// not in Latin letters or a sender detail empty or malformed, a mobile phone not 5 to 15
    /// digits, an SBP phone not `7` and ten digits or a bank id not digits, another service's
    /// account number empty, longer than 100 characters or holding a control character.
    pub fn new(
        transaction_number: TransactionNumber,
        to: Recipient,
        amount: PayoutAmount,
    ) -> Result<Self, InvalidValue> {
        Ok(Self {
            transaction_number,
            to: to.validated()?,
            amount,
            from_currency: Currency::RUB,
            to_currency: Some(Currency::RUB),
            source_channel: None,
            from_extra: Vec::new(),
            to_extra: Vec::new(),
        })
    }

    /// The currency of the agent account to debit (`from/ccy`), RUB unless set.
    pub fn with_from_currency(mut self, currency: Currency) -> Self {
        self.from_currency = currency;
        self
    }

    /// The recipient's currency (`to/ccy`), RUB unless set; `None` leaves the element out (the
    /// mobile service calls it optional). A foreign card takes RUB, USD or EUR, checked before
    /// sending.
    pub fn with_to_currency(mut self, currency: Option<Currency>) -> Self {
        self.to_currency = currency;
        self
    }

    /// The agent's own top-up channel id (`from/service-id`), to split flows on one balance.
    pub fn with_source_channel(mut self, channel: u32) -> Self {
        self.source_channel = Some(channel);
        self
    }

    /// Adds an `extra` inside `<to>`, after the recipient's own.
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

    /// Adds an `extra` inside `<from>`, after the recipient's own.
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
    pub fn transaction_number(&self) -> &TransactionNumber {
        &self.transaction_number
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.to
    }

    /// The service (`to/service-id`).
    pub fn service_id(&self) -> ServiceId {
        lower(self).service_id
    }

    /// The recipient's account (`to/account-number`), which a status check repeats.
    pub fn account_number(&self) -> String {
        lower(self).account_number
    }

    /// The amount to credit (`to/amount`).
    pub fn amount(&self) -> PayoutAmount {
        self.amount
    }

    /// The status query for this payment: its transaction number and recipient.
    ///
    /// ```
    /// # use qiwi_agent::{Payout, PayoutAmount, Recipient, TransactionNumber};
    /// let card = qiwi_agent::CardNumber::parse("4265111122334417")?;
    /// let payout = Payout::new(TransactionNumber::parse("12")?, Recipient::Card(card), PayoutAmount::parse("1")?)?;
    /// let query = payout.status_query();
    /// assert_eq!(query.transaction_number().as_str(), "12");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    pub fn status_query(&self) -> StatusQuery {
        StatusQuery::from_parts(self.transaction_number.clone(), self.account_number())
    }
}

impl fmt::Debug for Payout {
    /// Card numbers are masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wire = lower(self);
        let account = if wire.service_id.is_card() {
            mask_card(&wire.account_number)
        } else {
            wire.account_number
        };
        let to_extra: Vec<(&str, String)> = wire
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
        let from_extra: Vec<(&str, &str)> = wire
            .from_extra
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        f.debug_struct("Payout")
            .field("transaction_number", &self.transaction_number)
            .field("service_id", &wire.service_id)
            .field("account_number", &account)
            .field("amount", &self.amount)
            .field("to_currency", &self.to_currency)
            .field("from_currency", &self.from_currency)
            .field("source_channel", &self.source_channel)
            .field("income_wire_transfer", &wire.funds)
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

#[cfg(test)]
mod tests {
    use super::*;
    use qiwi_types::CalendarDate;

    fn txn() -> TransactionNumber {
        TransactionNumber::parse("12345678").unwrap()
    }

    fn payout(to: Recipient) -> Result<Payout, InvalidValue> {
        Payout::new(txn(), to, PayoutAmount::parse("1").unwrap())
    }

    fn card() -> CardNumber {
        CardNumber::parse("4265111122334417").unwrap()
    }

    #[test]
    fn card_numbers_are_masked_in_debug() {
        assert_eq!(mask_card("4265111122334417"), "426511******4417");
        let debug = format!("{:?}", payout(Recipient::Card(card())).unwrap());
        assert!(!debug.contains("4265111122334417"), "{debug}");
        assert!(debug.contains("426511******4417"), "{debug}");
        let by_phone = payout(Recipient::CardByPhone {
            phone: "79991112233".parse().unwrap(),
            card: card(),
        })
        .unwrap();
        assert!(!format!("{by_phone:?}").contains("4265111122334417"));
    }

    #[test]
    fn recipients_validate_their_service_rules() {
        let sbp = |phone: &str, bank_id: &str| Recipient::Sbp {
            phone: phone.parse().unwrap(),
            bank_id: bank_id.into(),
        };
        assert!(payout(sbp("380501234567", "1")).is_err());
        assert!(payout(sbp("70070310009", "12a")).is_err());
        assert!(
            payout(Recipient::Mobile {
                wallet: "79881110000".parse().unwrap(),
                provider_id: 2,
                local_phone: "988-111".into(),
                charged: None,
            })
            .is_err()
        );
        let sender = Sender {
            first_name: "A".into(),
            last_name: "B".into(),
            address: "C".into(),
            city: "D".into(),
            country_code: "RUS".into(),
            zip_code: "1".into(),
            resident: true,
            birthday: CalendarDate::new(1990, 1, 1).unwrap(),
        };
        let foreign = |sender: &Sender, holder: &str| Recipient::ForeignCard {
            card: card(),
            holder: holder.into(),
            sender: sender.clone(),
            comment: None,
        };
        let err = payout(foreign(&sender, "B A")).unwrap_err();
        assert_eq!(err.what(), "sender country code");
        let ok_sender = Sender {
            country_code: "RU".into(),
            ..sender
        };
        let err = payout(foreign(&ok_sender, "Петров")).unwrap_err();
        assert_eq!(err.what(), "card holder");
        let bad_birthday = Sender {
            birthday: CalendarDate::lenient("1990-13-01"),
            ..ok_sender
        };
        assert!(payout(foreign(&bad_birthday, "B A")).is_err());
        let service = |account: &str| Recipient::Service {
            service_id: ServiceId::WALLET,
            account_number: account.into(),
            funds: None,
        };
        assert!(payout(service(" ")).is_err());
        assert!(payout(service("x\u{0}")).is_err());
        assert!(
            payout(service("79181234567"))
                .unwrap()
                .with_to_extra("", "v")
                .is_err()
        );
    }
}
