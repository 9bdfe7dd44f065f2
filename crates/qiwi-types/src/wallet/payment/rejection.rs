//! The body of a rejected payment: `{"code": "QWPRC-<n>", "message": <text>}` (§11.3 of the
//! reference, not in the official documentation), and what its code means.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// A `QWPRC-` code as sent. Its number is often a history `errorCode` (§11.2) but not always
/// (`QWPRC-1021`, outgoing payments restricted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QwprcCode(String);

impl QwprcCode {
    /// The prefix every payment refusal code has.
    pub const PREFIX: &'static str = "QWPRC-";

    /// The code as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number after `QWPRC-`, when it is one.
    ///
    /// ```
    /// use qiwi_types::wallet::QwprcCode;
    /// let code: QwprcCode = serde_json::from_str(r#""QWPRC-220""#).unwrap();
    /// assert_eq!(code.number(), Some(220));
    /// ```
    pub fn number(&self) -> Option<u32> {
        self.0.trim().strip_prefix(Self::PREFIX)?.parse().ok()
    }

    /// Whether the code has the `QWPRC-` prefix of a payment refusal.
    pub fn is_payment_refusal(&self) -> bool {
        self.0.trim().starts_with(Self::PREFIX)
    }

    /// What the code means.
    pub fn meaning(&self) -> RejectionMeaning {
        self.number()
            .map_or(RejectionMeaning::Other, RejectionMeaning::from_number)
    }
}

impl fmt::Display for QwprcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a `QWPRC-` refusal means, from the codes the reference documents (§11.2, §11.3). Every
/// one of them says the payment was refused: the money did not move.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionMeaning {
    /// Not enough money on the wallet or the card (220, 407, 472).
    InsufficientFunds,
    /// A limit of the wallet, the recipient or the operation was reached (700, 702, 704, 705,
    /// 710, 711, 716, 717, 746, 747, 757, 852, 866, 867, 943, 1050).
    LimitExceeded,
    /// The amount is below the minimum or above the maximum (241, 242, 254, 558).
    AmountOutOfRange,
    /// The recipient's requisites are wrong: account, phone or card number, card expiry (4, 5,
    /// 303, 522, 547, 548, 7000).
    WrongRequisites,
    /// The payer's wallet may not make this payment (131, 166, 319, 455, 1021).
    PayerRestricted,
    /// The recipient or the recipient's bank refuses it (57, 167, 561, 7600).
    RecipientRefused,
    /// An identical payment is still pending (408).
    DuplicatePending,
    /// A technical error on the service's or the recipient bank's side (3, 8, 202, 271, 300,
    /// 500, 749, 750).
    TechnicalError,
    /// A code not listed above.
    Other,
}

impl RejectionMeaning {
    /// The meaning of a code's number.
    pub fn from_number(code: u32) -> Self {
        match code {
            220 | 407 | 472 => Self::InsufficientFunds,
            700 | 702 | 704 | 705 | 710 | 711 | 716 | 717 | 746 | 747 | 757 | 852 | 866 | 867
            | 943 | 1050 => Self::LimitExceeded,
            241 | 242 | 254 | 558 => Self::AmountOutOfRange,
            4 | 5 | 303 | 522 | 547 | 548 | 7000 => Self::WrongRequisites,
            131 | 166 | 319 | 455 | 1021 => Self::PayerRestricted,
            57 | 167 | 561 | 7600 => Self::RecipientRefused,
            408 => Self::DuplicatePending,
            3 | 8 | 202 | 271 | 300 | 500 | 749 | 750 => Self::TechnicalError,
            _ => Self::Other,
        }
    }

    /// In English, for a message.
    pub fn description(self) -> &'static str {
        match self {
            Self::InsufficientFunds => "insufficient funds",
            Self::LimitExceeded => "a limit was exceeded",
            Self::AmountOutOfRange => "the amount is below the minimum or above the maximum",
            Self::WrongRequisites => "the recipient's requisites are wrong",
            Self::PayerRestricted => "this wallet may not make this payment",
            Self::RecipientRefused => "the recipient or the recipient's bank refuses the payment",
            Self::DuplicatePending => "an identical payment is still pending",
            Self::TechnicalError => "a technical error; try again later",
            Self::Other => "the payment was refused",
        }
    }
}

/// The body of a rejected payment. Read from the flat form `{"code", "message"}` and from the
/// older envelope `{"data": {"body": {"code", "message"}}, ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRejection {
    /// The refusal code.
    pub code: QwprcCode,
    /// The service's explanation (Russian).
    pub message: Option<String>,
}

impl PaymentRejection {
    /// What the code means.
    pub fn meaning(&self) -> RejectionMeaning {
        self.code.meaning()
    }
}

impl<'de> Deserialize<'de> for PaymentRejection {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flat {
            code: QwprcCode,
            #[serde(default)]
            message: Option<String>,
        }
        #[derive(Deserialize)]
        struct Data {
            body: Flat,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Flat(Flat),
            Envelope { data: Data },
        }
        let flat = match Wire::deserialize(d)? {
            Wire::Flat(flat)
            | Wire::Envelope {
                data: Data { body: flat },
            } => flat,
        };
        Ok(Self {
            code: flat.code,
            message: flat.message,
        })
    }
}
