//! Payments, built and checked before anything is sent (E19 to E35 of the reference).
//!
//! A [`Payment`] is a client transaction id, a [`Recipient`] (one variant per kind of payment)
//! and an amount. [`Payment::new`] checks the recipient against what its provider needs, and
//! refuses the transfers the reference says are suspended; [`Payment::body`] and
//! [`Payment::path`] are the exact request the service expects. Nothing here does I/O.
//!
//! [`fate`] says, from what came back, whether the money of a payment did not move or whether
//! its fate is unknown; [`form`] builds the payment-form link (E21).
//!
//! ```
//! use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
//!
//! let payment = Payment::new(
//!     PaymentId::parse("150217833198900")?,
//!     Recipient::wallet("79121238345".parse()?, Some("test")),
//!     PayoutAmount::parse("100")?,
//! )?;
//! assert_eq!(payment.path(), "/sinap/api/v2/terms/99/payments");
//! assert_eq!(payment.body().fields.get("account"), Some("+79121238345"));
//! # Ok::<(), qiwi_wallet::payment::InvalidValue>(())
//! ```

pub mod fate;
pub mod form;
mod providers;
mod recipient;

pub use providers::{AccountKind, BankId, CardProvider, Urgency, Vat};
pub use qiwi_types::wallet::PaymentId;
pub use qiwi_types::{CardNumber, InvalidValue, PayoutAmount};
pub use recipient::{CompanyRequisites, PersonName, Recipient};

use qiwi_types::Currency;

use crate::scope::{
    CARD_ORDER_PAYMENT, CARD_PACKAGE_PAYMENT, COMMISSION, Endpoint, KZ_CARD_PAYMENT, PAYMENT,
};
use qiwi_types::wallet::{
    CommissionRequest, PaymentMethod, PaymentRequest, PaymentSum, PurchaseTotals,
};

/// A payment ready to send: checked, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    id: PaymentId,
    recipient: Recipient,
    amount: PayoutAmount,
}

impl Payment {
    /// Checks the recipient against its provider's rules.
    ///
    /// # Errors
    /// [`InvalidValue`] naming the first requisite that is missing or malformed, or the reason
    /// a suspended transfer is refused.
    pub fn new(
        id: PaymentId,
        recipient: Recipient,
        amount: PayoutAmount,
    ) -> Result<Self, InvalidValue> {
        recipient.validate()?;
        Ok(Self {
            id,
            recipient,
            amount,
        })
    }

    /// The client transaction id (`id`, later the history's `trmTxnId`).
    pub fn id(&self) -> &PaymentId {
        &self.id
    }

    /// The recipient.
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// The amount the recipient gets, in [`Payment::currency`].
    pub fn amount(&self) -> PayoutAmount {
        self.amount
    }

    /// The provider id (`terms`), which goes in the path.
    pub fn provider_id(&self) -> u32 {
        self.recipient.provider_id()
    }

    /// The currency of `sum`: the target currency of a conversion, tenge for a Kazakhstan card,
    /// roubles otherwise.
    pub fn currency(&self) -> Currency {
        self.recipient.sum_currency()
    }

    /// The request path, with the provider id.
    pub fn path(&self) -> String {
        with_provider(self.endpoint(), self.provider_id())
    }

    /// The endpoint the payment goes to: the Kazakhstan card transfer has its own.
    pub(crate) fn endpoint(&self) -> &'static Endpoint {
        match self.recipient {
            Recipient::KzCard { .. } => &KZ_CARD_PAYMENT,
            Recipient::QiwiMasterPackage { .. } => &CARD_PACKAGE_PAYMENT,
            Recipient::CardOrder { .. } => &CARD_ORDER_PAYMENT,
            _ => &PAYMENT,
        }
    }

    /// The request body.
    pub fn body(&self) -> PaymentRequest {
        PaymentRequest {
            id: self.id.clone(),
            sum: PaymentSum::new(self.amount, self.currency()),
            payment_method: PaymentMethod::account(self.recipient.source_currency()),
            fields: self.recipient.fields(),
            comment: self.recipient.comment(),
        }
    }

    /// The commission quote of this payment (E19): its path and body.
    pub fn commission_request(&self) -> (String, CommissionRequest) {
        let body = self.body();
        let request = CommissionRequest {
            account: body.fields.get("account").unwrap_or_default().to_owned(),
            payment_method: body.payment_method,
            purchase_totals: PurchaseTotals { total: body.sum },
        };
        (with_provider(&COMMISSION, self.provider_id()), request)
    }
}

/// The route of `endpoint` with its one parameter, the provider id.
fn with_provider(endpoint: &Endpoint, provider: u32) -> String {
    let route = endpoint.route_name();
    match (route.find('{'), route.find('}')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{provider}{}", &route[..open], &route[close + 1..])
        }
        _ => route.to_owned(),
    }
}
