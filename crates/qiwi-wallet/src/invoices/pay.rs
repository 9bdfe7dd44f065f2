//! Paying an invoice from the wallet (E38), once, and telling paid, not paid and unknown
//! apart.

use http::StatusCode;
use qiwi_types::Currency;
use qiwi_types::wallet::{InvoiceId, InvoicePayment, PayInvoiceRequest};

use super::{InvoiceAuth, InvoiceQuery, MAX_INVOICE_ROWS};
use crate::payment::fate::PaymentFate;
use crate::scope::INVOICE_PAY;
use crate::{Error, FateLookup, WalletClient};

/// The content type of E38, as the reference's examples send it.
const PAY_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// What became of an invoice payment ([`WalletClient::pay_invoice`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum InvoicePayOutcome {
    /// `PAID_STATUS`: the invoice is paid.
    Paid(InvoicePayment),
    /// The money did not move: paying the invoice again is safe.
    NotPaid(InvoiceNotPaid),
    /// The money may have moved: look at the unpaid invoices and the history before paying
    /// again.
    Unknown(InvoiceFateUnknown),
}

impl InvoicePayOutcome {
    /// `Some(true)` when paid, `Some(false)` when not, `None` when unknown.
    pub fn money_moved(&self) -> Option<bool> {
        match self {
            Self::Paid(_) => Some(true),
            Self::NotPaid(_) => Some(false),
            Self::Unknown(_) => None,
        }
    }
}

/// Why an invoice was not paid.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvoiceNotPaid {
    /// Refused before sending or by the service (`400`, `401`, `403`, `404`, a `QWPRC-`
    /// refusal).
    Refused(Error),
    /// The service answered `200` with a status other than `PAID_STATUS`, and the invoice is
    /// still listed unpaid.
    Status(InvoicePayment),
}

/// Why the fate of an invoice payment is unknown.
#[derive(Debug)]
pub struct InvoiceFateUnknown {
    /// What came back: the error, or the answer whose status was not `PAID_STATUS`.
    pub cause: Result<InvoicePayment, Error>,
    /// What the list of unpaid invoices said.
    pub lookup: InvoiceLookup,
}

/// What the list of unpaid invoices said of an invoice whose payment's fate was unknown.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvoiceLookup {
    /// It is still listed unpaid: most likely not paid, but a request the service is still
    /// working on may pay it yet. Paying it again cannot pay it twice.
    StillUnpaid,
    /// It is no longer listed: paid, rejected or expired meanwhile.
    NoLongerUnpaid,
    /// The pages allowed ran out before the list did.
    PagesRanOut,
    /// The list could not be read.
    Failed(Error),
}

/// Whether an invoice is still listed unpaid.
enum Listed {
    Yes,
    No(InvoiceLookup),
}

impl WalletClient {
    /// Pays the invoice `id` in `currency` (its `sum.currency`) from the wallet (E38),
    /// sending `Content-Type: application/json;charset=UTF-8`, once; an answer that does not
    /// say paid or refused is looked up in the unpaid invoices as `lookup` bounds it (its
    /// `wait`, then at most `pages` pages of 50).
    ///
    /// The request is never resent by the client. What came back decides:
    ///
    /// | what came back | outcome |
    /// |---|---|
    /// | `200` with `PAID_STATUS` | paid |
    /// | the request was never sent; `400`, `401`, `403`, `404` (no such unpaid invoice), a `QWPRC-` refusal | not paid |
    /// | `200` with another status | looked up: not paid while the invoice is still listed unpaid, unknown otherwise |
    /// | another `2xx` with another status | looked up: unknown |
    /// | `5xx`, `423`, another error status, no answer after sending, an unreadable answer | looked up: unknown |
    ///
    /// The lookup reads the unpaid invoices (E37), and the fate stays unknown whatever it finds:
    /// an invoice no longer listed was paid, rejected or expired meanwhile; one still listed may
    /// yet be paid by a request the service is still working on, though paying it again cannot
    /// pay it twice (a paid invoice leaves the list and is refused).
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::{FateLookup, InvoiceAuth, InvoicePayOutcome};
    ///
    /// let id = "1063702405".parse().expect("an invoice id");
    /// let rub = qiwi_wallet::Currency::from_numeric(643);
    /// match client.pay_invoice(&InvoiceAuth::WalletToken, id, rub, FateLookup::default()).await {
    ///     InvoicePayOutcome::Paid(_) => println!("paid"),
    ///     InvoicePayOutcome::NotPaid(why) => println!("not paid: {why:?}"),
    ///     InvoicePayOutcome::Unknown(why) => println!("unknown, do not pay again yet: {why:?}"),
    ///     _ => {}
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn pay_invoice(
        &self,
        auth: &InvoiceAuth,
        id: InvoiceId,
        currency: Currency,
        lookup: FateLookup,
    ) -> InvoicePayOutcome {
        let (cause, documented) = match self.send_invoice_payment(auth, id, &currency).await {
            Ok((_, payment)) if payment.is_paid() => return InvoicePayOutcome::Paid(payment),
            // Only `200` is documented: another success status (`202 Accepted`) may still be
            // at work on the payment, whatever status its body names.
            Ok((status, payment)) => (Ok(payment), status == StatusCode::OK),
            Err(error) if invoice_fate(&error) == PaymentFate::NotMoved => {
                return InvoicePayOutcome::NotPaid(InvoiceNotPaid::Refused(error));
            }
            Err(error) => (Err(error), false),
        };
        self.time().1.sleep(lookup.wait).await;
        match (self.still_unpaid(auth, id, lookup.pages).await, cause) {
            (Listed::Yes, Ok(payment)) if documented => {
                InvoicePayOutcome::NotPaid(InvoiceNotPaid::Status(payment))
            }
            (Listed::Yes, cause) => InvoicePayOutcome::Unknown(InvoiceFateUnknown {
                cause,
                lookup: InvoiceLookup::StillUnpaid,
            }),
            (Listed::No(lookup), cause) => {
                InvoicePayOutcome::Unknown(InvoiceFateUnknown { cause, lookup })
            }
        }
    }

    async fn send_invoice_payment(
        &self,
        auth: &InvoiceAuth,
        id: InvoiceId,
        currency: &Currency,
    ) -> Result<(StatusCode, InvoicePayment), Error> {
        let Some(numeric) = currency.numeric() else {
            return Err(Error::invalid_input(format!(
                "the invoice's currency {currency} has no numeric code"
            )));
        };
        let body = PayInvoiceRequest {
            invoice_uid: id.to_string(),
            currency: numeric.to_string(),
        };
        let request = self.invoice_request(&INVOICE_PAY, auth)?.body(
            PAY_CONTENT_TYPE,
            qiwi_transport::codec::json::encode(&body)?,
        );
        let response = self.send_invoice(request, &INVOICE_PAY, auth).await?;
        Ok((response.status, self.decode_invoice(&response, auth)?))
    }

    /// Reads the unpaid invoices, at most `pages` pages, for `id`.
    async fn still_unpaid(&self, auth: &InvoiceAuth, id: InvoiceId, pages: u32) -> Listed {
        let query = InvoiceQuery::default().rows(MAX_INVOICE_ROWS);
        let mut cursor = None;
        for _ in 0..pages {
            let page = match self.invoices_page(auth, &query, cursor.as_ref()).await {
                Ok(page) => page,
                Err(error) => return Listed::No(InvoiceLookup::Failed(error)),
            };
            if page.bills.iter().any(|bill| bill.id == id) {
                return Listed::Yes;
            }
            let next = page.cursor(query.rows);
            if next.is_none() || next == cursor {
                return Listed::No(InvoiceLookup::NoLongerUnpaid);
            }
            cursor = next;
        }
        Listed::No(InvoiceLookup::PagesRanOut)
    }
}

/// The fate of an invoice payment whose answer was an error: as a wallet payment's, except
/// that `404` (no such unpaid invoice) moved nothing.
fn invoice_fate(error: &Error) -> PaymentFate {
    match error.refusal() {
        Some(refusal) if refusal.answer.status.as_u16() == 404 => PaymentFate::NotMoved,
        _ => crate::pay::fate_of(error).0,
    }
}
