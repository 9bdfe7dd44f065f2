//! The provider ids of the reference (§2.3) and what each one asks for.

use qiwi_types::InvalidValue;

/// The card networks of a card transfer (E26), by provider id.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardProvider {
    /// 1963: Visa cards of Russian banks.
    VisaRu,
    /// 21013: Mastercard cards of Russian banks.
    MastercardRu,
    /// 31652: MIR cards.
    Mir,
    /// 22351: the QIWI Virtual Card.
    QiwiVirtualCard,
    /// 1960: Visa cards of foreign banks (suspended).
    VisaForeign,
    /// 21012: Mastercard cards of foreign banks (suspended).
    MastercardForeign,
    /// Another id, such as the `termsId` the card lookup (E27) answers.
    Other(u32),
}

impl CardProvider {
    /// The provider id.
    pub fn id(self) -> u32 {
        match self {
            Self::VisaRu => 1963,
            Self::MastercardRu => 21013,
            Self::Mir => 31652,
            Self::QiwiVirtualCard => 22351,
            Self::VisaForeign => 1960,
            Self::MastercardForeign => 21012,
            Self::Other(id) => id,
        }
    }

    /// The provider of an id (a listed id gets its variant).
    pub fn from_id(id: u32) -> Self {
        match id {
            1963 => Self::VisaRu,
            21013 => Self::MastercardRu,
            31652 => Self::Mir,
            22351 => Self::QiwiVirtualCard,
            1960 => Self::VisaForeign,
            21012 => Self::MastercardForeign,
            other => Self::Other(other),
        }
    }

    /// Refuses the providers whose transfers the reference says are suspended.
    pub(crate) fn check_available(self) -> Result<(), InvalidValue> {
        match self {
            Self::VisaForeign | Self::MastercardForeign => Err(InvalidValue::new(
                "card provider",
                format!(
                    "provider {}: transfers to Visa and Mastercard cards issued by foreign banks are suspended by QIWI",
                    self.id()
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// A bank of the bank transfers (E30 by card number, E31 by account or contract number).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BankId {
    /// 313: Home Credit (account transfers only).
    HomeCredit,
    /// 464: Alfa-Bank.
    Alfa,
    /// 804: OTP Bank.
    Otp,
    /// 810: Rosselkhozbank.
    Rosselkhozbank,
    /// 815: Russkiy Standart.
    RusskiyStandart,
    /// 816: VTB.
    Vtb,
    /// 819: Unicredit (account transfers only).
    Unicredit,
    /// 821: Promsvyazbank.
    Promsvyazbank,
    /// 868: QIWI Bank (account transfers only).
    QiwiBank,
    /// 870: Sberbank.
    Sberbank,
    /// 881: Renaissance Credit.
    Renaissance,
    /// 1134: MKB.
    Mkb,
    /// 27324: Raiffeisen (account transfers only).
    Raiffeisen,
}

impl BankId {
    /// Every bank the reference lists.
    pub const ALL: [BankId; 13] = [
        Self::HomeCredit,
        Self::Alfa,
        Self::Otp,
        Self::Rosselkhozbank,
        Self::RusskiyStandart,
        Self::Vtb,
        Self::Unicredit,
        Self::Promsvyazbank,
        Self::QiwiBank,
        Self::Sberbank,
        Self::Renaissance,
        Self::Mkb,
        Self::Raiffeisen,
    ];

    /// The provider id.
    pub fn id(self) -> u32 {
        match self {
            Self::HomeCredit => 313,
            Self::Alfa => 464,
            Self::Otp => 804,
            Self::Rosselkhozbank => 810,
            Self::RusskiyStandart => 815,
            Self::Vtb => 816,
            Self::Unicredit => 819,
            Self::Promsvyazbank => 821,
            Self::QiwiBank => 868,
            Self::Sberbank => 870,
            Self::Renaissance => 881,
            Self::Mkb => 1134,
            Self::Raiffeisen => 27324,
        }
    }

    /// The bank of a provider id, when listed.
    pub fn from_id(id: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|bank| bank.id() == id)
    }

    /// `account_type` of a transfer by card number (E30), or `None` when the bank takes no
    /// transfer by card number.
    pub(crate) fn card_account_type(self) -> Option<&'static str> {
        match self {
            Self::Alfa | Self::Otp | Self::RusskiyStandart | Self::Renaissance => Some("1"),
            Self::Rosselkhozbank | Self::Vtb | Self::Sberbank | Self::Mkb => Some("5"),
            Self::Promsvyazbank => Some("7"),
            Self::HomeCredit | Self::Unicredit | Self::QiwiBank | Self::Raiffeisen => None,
        }
    }

    /// Whether a transfer by card number needs the card's expiry (`exp_date`).
    pub(crate) fn card_needs_expiry(self) -> bool {
        matches!(self, Self::Alfa | Self::Promsvyazbank)
    }

    /// `account_type` of a transfer by account or contract number (E31), from the Russian
    /// reference's rule (§14 item 35: the English list contradicts itself).
    pub(crate) fn account_type(self, kind: AccountKind) -> &'static str {
        match (self, kind) {
            (Self::Promsvyazbank, _) => "9",
            (Self::Vtb, _) => "5",
            (Self::HomeCredit, _) => "6",
            (_, AccountKind::Account) => "2",
            (_, AccountKind::Contract) => "3",
        }
    }
}

/// What the number of a bank transfer by account (E31) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    /// A bank account number.
    Account,
    /// A contract number.
    Contract,
}

/// How fast a bank transfer goes (`urgent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Urgency {
    /// `"0"`: the normal transfer.
    #[default]
    Normal,
    /// `"1"`: through the Central Bank's urgent service, for an extra commission. To a bank
    /// account (E31): 09:00 to 19:30, arrives within one hour. To a company by requisites
    /// (E33): weekdays 09:00 to 20:30 Moscow time, at least 10 minutes, 25 RUB.
    Urgent,
}

impl Urgency {
    /// The wire value.
    pub(crate) fn wire(self) -> &'static str {
        match self {
            Self::Normal => "0",
            Self::Urgent => "1",
        }
    }
}

/// The VAT statement of a payment to a company (`nds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vat {
    /// `НДС не облагается`: no VAT.
    NotApplicable,
    /// `В т.ч. НДС`: VAT included.
    Included,
}

impl Vat {
    /// The wire value.
    pub(crate) fn wire(self) -> &'static str {
        match self {
            Self::NotApplicable => "НДС не облагается",
            Self::Included => "В т.ч. НДС",
        }
    }
}
