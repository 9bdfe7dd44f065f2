//! Who a payment goes to, one variant per kind of payment, and the `fields` each one writes.

use qiwi_types::invalid::check_digits;
use qiwi_types::wallet::{CardOrderId, PaymentFields};
use qiwi_types::{CardNumber, Currency, InvalidValue, WalletNumber};

use super::providers::{AccountKind, BankId, CardProvider, Urgency, Vat};

/// The sentence the Kazakhstan card transfer (E29) sends in `fields.info`.
const KZ_CARD_INFO: &str =
    "Для продолжения оплаты, подтвердите, что являетесь держателем указанного банковского счета.";

/// The most characters a free-text requisite may have.
const MAX_TEXT: usize = 255;

/// A person's name, as bank transfers ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    /// Last name.
    pub last: String,
    /// First name.
    pub first: String,
    /// Middle name (patronymic), when the person has one.
    pub middle: Option<String>,
}

impl PersonName {
    fn validate(&self, whose: &'static str) -> Result<(), InvalidValue> {
        check_text(whose, &self.last)?;
        check_text(whose, &self.first)?;
        self.middle
            .as_deref()
            .map_or(Ok(()), |m| check_text(whose, m))
    }
}

/// The requisites of a payment to a company by bank requisites (E33).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyRequisites {
    /// The recipient bank's name (`name`).
    pub bank_name: String,
    /// The recipient bank's BIK, 9 digits (`to_bik`, `extra_to_bik`).
    pub bik: String,
    /// The recipient bank's city (`city`).
    pub city: String,
    /// The company's name (`to_name`).
    pub company: String,
    /// The company's INN, 10 digits (12 for a sole trader) (`to_inn`).
    pub inn: String,
    /// The company's KPP, 9 digits (`to_kpp`).
    pub kpp: String,
    /// The company's account, 20 digits (`account`).
    pub account: String,
    /// The VAT statement (`nds`).
    pub vat: Vat,
    /// The purpose of the payment (`goal`).
    pub purpose: String,
    /// Normal or urgent (`urgent`).
    pub urgency: Urgency,
    /// The payer (`from_name`, `from_name_p`, `from_name_f`: the Russian reference says payer,
    /// the English one recipient, §14 item 37).
    pub payer: PersonName,
}

/// Who a payment goes to.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A QIWI wallet, provider 99 (E22).
    Wallet {
        /// The recipient's wallet.
        wallet: WalletNumber,
        /// The comment the recipient sees.
        comment: Option<String>,
    },
    /// A conversion into a currency account of a wallet, provider 1099 (E23): `sum` is in the
    /// target currency, the money comes from the rouble account.
    Conversion {
        /// The wallet whose currency account is credited (one's own for a conversion).
        wallet: WalletNumber,
        /// The target currency: USD, EUR or KZT.
        to: Currency,
        /// The comment.
        comment: Option<String>,
    },
    /// A mobile phone top-up (E25), with the operator's provider id (E35).
    Mobile {
        /// The operator's provider id.
        provider_id: u32,
        /// The phone number without the country code or `8`: 10 digits (`9161112233`).
        phone: String,
    },
    /// A card transfer (E26).
    Card {
        /// The card network (provider id).
        provider: CardProvider,
        /// The card.
        card: CardNumber,
    },
    /// A transfer to a Kazakhstan bank card, provider 27292 (E29), after its preparation (E28).
    KzCard {
        /// The card.
        card: CardNumber,
        /// `account` of the E28 answer (the masked card).
        account: String,
        /// `ev_account1` of the E28 answer.
        ev_account1: String,
        /// The comment (sent empty when `None`).
        comment: Option<String>,
    },
    /// A bank transfer by card number (E30).
    BankCard {
        /// The bank.
        bank: BankId,
        /// The card.
        card: CardNumber,
        /// The card's expiry as `MMYY`: required by Alfa-Bank (464) and Promsvyazbank (821).
        expiry: Option<String>,
        /// The recipient's BIK (`mfo`), 9 digits.
        bik: Option<String>,
        /// The recipient's name.
        name: Option<PersonName>,
    },
    /// A bank transfer by account or contract number (E31).
    BankAccount {
        /// The bank.
        bank: BankId,
        /// Whether `number` is an account or a contract number.
        kind: AccountKind,
        /// The account (20 digits) or contract number.
        number: String,
        /// The bank's BIK (`mfo`), 9 digits.
        bik: String,
        /// The recipient's name.
        name: PersonName,
        /// Normal or urgent.
        urgency: Urgency,
        /// The contract number (`agrnum`), required by Home Credit (313).
        contract: Option<String>,
    },
    /// A service that needs one identifier only (E32), such as OnLime (674) or a provider
    /// found by search (E34).
    Service {
        /// The provider id.
        provider_id: u32,
        /// The user's identifier at the provider.
        account: String,
    },
    /// A company, by its bank requisites, provider 1717 (E33).
    Company(Box<CompanyRequisites>),
    /// The QIWI Master package for a wallet, provider 28004 (E40; 2999 roubles in the
    /// reference's example).
    QiwiMasterPackage {
        /// The wallet that gets the package (one's own).
        wallet: WalletNumber,
    },
    /// A card ordered beyond the free ones, provider 32064 (E43), for the price its submission
    /// (E42) answered.
    CardOrder {
        /// The wallet that ordered it (one's own).
        wallet: WalletNumber,
        /// The order (E41).
        order: CardOrderId,
    },
}

impl Recipient {
    /// A transfer to a wallet.
    pub fn wallet(wallet: WalletNumber, comment: Option<&str>) -> Self {
        Self::Wallet {
            wallet,
            comment: comment.map(str::to_owned),
        }
    }

    /// Checks the requisites against what the provider needs.
    pub(crate) fn validate(&self) -> Result<(), InvalidValue> {
        match self {
            Self::Wallet { comment, .. } => check_comment(comment.as_deref()),
            // Both are checked by their types.
            Self::QiwiMasterPackage { .. } | Self::CardOrder { .. } => Ok(()),
            Self::Conversion { to, comment, .. } => {
                if ![Currency::USD, Currency::EUR, Currency::KZT].contains(to) {
                    return Err(InvalidValue::new(
                        "conversion currency",
                        format!("{to}: a conversion goes from roubles to USD, EUR or KZT"),
                    ));
                }
                check_comment(comment.as_deref())
            }
            Self::Mobile { provider_id, phone } => {
                check_provider_id(*provider_id)?;
                check_digits("phone number", phone, 10..=10)
            }
            Self::Card { provider, .. } => {
                check_provider_id(provider.id())?;
                provider.check_available()
            }
            Self::KzCard {
                account,
                ev_account1,
                comment,
                ..
            } => {
                check_text("Kazakhstan card account (from its preparation)", account)?;
                check_opaque("ev_account1 (from the card's preparation)", ev_account1)?;
                check_comment(comment.as_deref())
            }
            Self::BankCard {
                bank,
                expiry,
                bik,
                name,
                ..
            } => {
                if bank.card_account_type().is_none() {
                    return Err(InvalidValue::new(
                        "bank",
                        format!("bank {} takes no transfer by card number", bank.id()),
                    ));
                }
                match expiry {
                    Some(expiry) => check_expiry(expiry)?,
                    None if bank.card_needs_expiry() => {
                        return Err(InvalidValue::new(
                            "card expiry",
                            format!("bank {} requires the card's expiry (MMYY)", bank.id()),
                        ));
                    }
                    None => {}
                }
                if let Some(bik) = bik {
                    check_digits("BIK", bik, 9..=9)?;
                }
                name.as_ref()
                    .map_or(Ok(()), |n| n.validate("recipient name"))
            }
            Self::BankAccount {
                bank,
                kind,
                number,
                bik,
                name,
                contract,
                ..
            } => {
                match kind {
                    AccountKind::Account => check_digits("bank account number", number, 20..=20)?,
                    AccountKind::Contract => check_text("contract number", number)?,
                }
                check_digits("BIK", bik, 9..=9)?;
                name.validate("recipient name")?;
                match contract {
                    Some(contract) => check_text("contract number (agrnum)", contract),
                    None if *bank == BankId::HomeCredit => Err(InvalidValue::new(
                        "contract number (agrnum)",
                        "Home Credit (313) requires the contract number",
                    )),
                    None => Ok(()),
                }
            }
            Self::Service {
                provider_id,
                account,
            } => {
                check_provider_id(*provider_id)?;
                check_text("account", account)
            }
            Self::Company(req) => {
                check_text("bank name", &req.bank_name)?;
                check_digits("BIK", &req.bik, 9..=9)?;
                check_text("bank city", &req.city)?;
                check_text("company name", &req.company)?;
                check_digits("INN", &req.inn, 10..=12)?;
                if req.inn.len() == 11 {
                    return Err(InvalidValue::new("INN", "an INN has 10 or 12 digits"));
                }
                check_digits("KPP", &req.kpp, 9..=9)?;
                check_digits("company account", &req.account, 20..=20)?;
                check_text("payment purpose", &req.purpose)?;
                req.payer.validate("payer name")
            }
        }
    }

    /// The provider id.
    pub fn provider_id(&self) -> u32 {
        match self {
            Self::Wallet { .. } => 99,
            Self::Conversion { .. } => 1099,
            Self::Mobile { provider_id, .. } | Self::Service { provider_id, .. } => *provider_id,
            Self::Card { provider, .. } => provider.id(),
            Self::KzCard { .. } => 27292,
            Self::BankCard { bank, .. } | Self::BankAccount { bank, .. } => bank.id(),
            Self::Company(_) => 1717,
            Self::QiwiMasterPackage { .. } => 28004,
            Self::CardOrder { .. } => 32064,
        }
    }

    /// The currency of `sum`.
    pub(crate) fn sum_currency(&self) -> Currency {
        match self {
            Self::Conversion { to, .. } => to.clone(),
            Self::KzCard { .. } => Currency::KZT,
            _ => Currency::RUB,
        }
    }

    /// The currency of the account the money comes from (`paymentMethod.accountId`).
    pub(crate) fn source_currency(&self) -> Currency {
        match self {
            Self::KzCard { .. } => Currency::KZT,
            _ => Currency::RUB,
        }
    }

    /// `comment`: only wallet transfers, conversions and the Kazakhstan card transfer have one.
    pub(crate) fn comment(&self) -> Option<String> {
        match self {
            Self::Wallet { comment, .. } | Self::Conversion { comment, .. } => comment.clone(),
            Self::KzCard { comment, .. } => Some(comment.clone().unwrap_or_default()),
            _ => None,
        }
    }

    /// `fields`.
    pub(crate) fn fields(&self) -> PaymentFields {
        let mut fields = PaymentFields::default();
        let mut put = |name: &str, value: &str| {
            fields.0.insert(name.to_owned(), value.to_owned());
        };
        match self {
            Self::Wallet { wallet, .. } | Self::Conversion { wallet, .. } => {
                put("account", &format!("+{wallet}"));
            }
            Self::Mobile { phone, .. } => put("account", phone),
            Self::Card { card, .. } => put("account", card.as_str()),
            Self::KzCard {
                card,
                account,
                ev_account1,
                ..
            } => {
                put("cardNumber", card.as_str());
                put("account", account);
                put("ev_account1", ev_account1);
                put("transferSum", "100");
                put("accept", "1");
                put("version", "2");
                put("info", KZ_CARD_INFO);
            }
            Self::BankCard {
                bank,
                card,
                expiry,
                bik,
                name,
            } => {
                put("account", card.as_str());
                put("account_type", bank.card_account_type().unwrap_or("1"));
                if let Some(expiry) = expiry {
                    put("exp_date", expiry);
                }
                if let Some(bik) = bik {
                    put("mfo", bik);
                }
                if let Some(name) = name {
                    put_name(&mut put, name);
                }
            }
            Self::BankAccount {
                bank,
                kind,
                number,
                bik,
                name,
                urgency,
                contract,
            } => {
                put("account", number);
                put("account_type", bank.account_type(*kind));
                put("urgent", urgency.wire());
                put("mfo", bik);
                put_name(&mut put, name);
                if let Some(contract) = contract {
                    put("agrnum", contract);
                }
            }
            Self::Service { account, .. } => put("account", account),
            // The wallet as the card paths write it: digits, no `+`.
            Self::QiwiMasterPackage { wallet } => {
                put("account", wallet.as_str());
                put("vas_alias", "qvc-master");
            }
            Self::CardOrder { wallet, order } => {
                put("account", wallet.as_str());
                put("order_id", order.as_str());
            }
            Self::Company(req) => {
                put("name", &req.bank_name);
                put("extra_to_bik", &req.bik);
                put("to_bik", &req.bik);
                put("city", &req.city);
                put("info", "Коммерческие организации");
                put("is_commercial", "1");
                put("to_name", &req.company);
                put("to_inn", &req.inn);
                put("to_kpp", &req.kpp);
                put("nds", req.vat.wire());
                put("goal", &req.purpose);
                put("urgent", req.urgency.wire());
                put("account", &req.account);
                put("from_name", &req.payer.first);
                put(
                    "from_name_p",
                    req.payer.middle.as_deref().unwrap_or_default(),
                );
                put("from_name_f", &req.payer.last);
                put("requestProtocol", "qw1");
                put("toServiceId", "1717");
            }
        }
        fields
    }
}

fn put_name(put: &mut impl FnMut(&str, &str), name: &PersonName) {
    put("lname", &name.last);
    put("fname", &name.first);
    if let Some(middle) = &name.middle {
        put("mname", middle);
    }
}

fn check_provider_id(id: u32) -> Result<(), InvalidValue> {
    if id == 0 {
        return Err(InvalidValue::new("provider id", "it is zero"));
    }
    Ok(())
}

/// A requisite written by a person: not blank, no control characters, at most 255 characters.
fn check_text(what: &'static str, text: &str) -> Result<(), InvalidValue> {
    check_opaque(what, text)?;
    let chars = text.chars().count();
    if chars > MAX_TEXT {
        return Err(InvalidValue::new(
            what,
            format!("it has {chars} characters; at most {MAX_TEXT} are allowed"),
        ));
    }
    Ok(())
}

/// A value passed through as received: not blank, no control characters.
fn check_opaque(what: &'static str, text: &str) -> Result<(), InvalidValue> {
    if text.trim().is_empty() {
        return Err(InvalidValue::new(what, "it is missing (empty)"));
    }
    if text.chars().any(char::is_control) {
        return Err(InvalidValue::new(what, "it holds a control character"));
    }
    Ok(())
}

fn check_comment(comment: Option<&str>) -> Result<(), InvalidValue> {
    match comment {
        Some(c) if c.chars().any(|ch| ch.is_control() && ch != '\n') => Err(InvalidValue::new(
            "comment",
            "it holds a control character other than a line break",
        )),
        _ => Ok(()),
    }
}

/// `MMYY` with a month from 01 to 12.
fn check_expiry(expiry: &str) -> Result<(), InvalidValue> {
    check_digits("card expiry", expiry, 4..=4)?;
    let month: u8 = expiry[..2].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(InvalidValue::new(
            "card expiry",
            format!("{expiry:?} is not MMYY with a month from 01 to 12"),
        ));
    }
    Ok(())
}
