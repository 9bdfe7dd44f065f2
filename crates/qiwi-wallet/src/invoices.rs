//! Invoices addressed to the wallet and P2P keys: E36 to E39.
//!
//! The reference's headers ask for the P2P secret key on E37 to E39, while its examples and
//! the clients that ran against the service use the wallet token (reference §14 item 42):
//! every invoice call takes an [`InvoiceAuth`], the wallet token by default.

mod pay;
mod stream;

use jiff::Timestamp;
use qiwi_transport::auth::BearerToken;
use qiwi_transport::codec::json;
use qiwi_transport::{ExposeSecret, Response};
use qiwi_transport::{Request, Scrub, Scrubber, SecretString, header};
use qiwi_types::wallet::{
    InvoiceCursor, InvoiceId, InvoicePage, P2pKeyPair, P2pKeysRequest, RejectInvoiceRequest,
    UnixMillis,
};

pub use pay::{InvoiceFateUnknown, InvoiceLookup, InvoiceNotPaid, InvoicePayOutcome};
pub use stream::InvoiceStream;

use crate::scope::{Endpoint, INVOICE_REJECT, INVOICES, P2P_KEYS_CREATE};
use crate::{Error, WalletClient};

/// The most invoices one page of the search may hold (`rows`).
pub const MAX_INVOICE_ROWS: u32 = 50;

/// The only status the search takes (`statuses`): unpaid invoices.
const READY_FOR_PAY: &str = "READY_FOR_PAY";

/// The token an invoice call (E37 to E39) is sent with.
///
/// `Debug` never shows the key.
#[derive(Debug, Clone, Default)]
pub enum InvoiceAuth {
    /// The client's wallet token.
    #[default]
    WalletToken,
    /// A P2P secret key ([`P2pKeyPair::secret_key`]); every error of the call is scrubbed of
    /// it.
    P2pSecretKey(BearerToken),
}

impl InvoiceAuth {
    /// Calls sent with a P2P secret key.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the key is empty or cannot go into a header (the message does
    /// not repeat it).
    ///
    /// ```
    /// use qiwi_wallet::{InvoiceAuth, SecretString};
    ///
    /// let auth = InvoiceAuth::p2p_secret_key(SecretString::from("eyJ2ZXJzaW9uIjoi")).unwrap();
    /// assert_eq!(format!("{auth:?}"), "P2pSecretKey(BearerToken([REDACTED]))");
    /// assert!(InvoiceAuth::p2p_secret_key(SecretString::from(" ")).is_err());
    /// ```
    pub fn p2p_secret_key(key: SecretString) -> Result<Self, Error> {
        Ok(Self::P2pSecretKey(BearerToken::new(key)?))
    }
}

/// Which unpaid invoices the search (E37) asks for, and how many to a page.
///
/// The creation-time bounds go out as Unix time in **milliseconds**
/// (`min_creation_datetime`, `max_creation_datetime`): the reference gives no unit
/// (§14 item 44), and every time the invoice API writes is in milliseconds.
///
/// ```
/// use qiwi_wallet::InvoiceQuery;
///
/// let query = InvoiceQuery::default()
///     .rows(10)
///     .created_from("2024-01-01T00:00:00Z".parse().unwrap());
/// assert_eq!(query.rows, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceQuery {
    /// Invoices to a page (`rows`), 1 to [`MAX_INVOICE_ROWS`]; the default is 50.
    pub rows: u32,
    /// Only invoices created at or after this instant (`min_creation_datetime`).
    pub created_from: Option<Timestamp>,
    /// Only invoices created at or before this instant (`max_creation_datetime`).
    pub created_to: Option<Timestamp>,
}

impl Default for InvoiceQuery {
    fn default() -> Self {
        Self {
            rows: MAX_INVOICE_ROWS,
            created_from: None,
            created_to: None,
        }
    }
}

impl InvoiceQuery {
    qiwi_transport::setters! {
        /// Sets the page size.
        rows: u32;
        /// Sets the lower creation-time bound.
        created_from: Option<Timestamp>;
        /// Sets the upper creation-time bound.
        created_to: Option<Timestamp>;
    }

    fn check(&self) -> Result<(), Error> {
        if !(1..=MAX_INVOICE_ROWS).contains(&self.rows) {
            return Err(Error::invalid_input(format!(
                "an invoice page holds 1 to {MAX_INVOICE_ROWS} invoices (rows); got {}",
                self.rows
            )));
        }
        if let (Some(from), Some(to)) = (self.created_from, self.created_to) {
            if from > to {
                return Err(Error::invalid_input(format!(
                    "the creation window ends ({to}) before it starts ({from})"
                )));
            }
        }
        Ok(())
    }
}

fn millis(at: Timestamp) -> String {
    UnixMillis::from_timestamp(at).get().to_string()
}

impl WalletClient {
    /// Creates a P2P key pair named `name` (E36), with the wallet token; `notify_url`, when
    /// given, receives the invoice-payment notifications.
    ///
    /// Never resent. The secret key is a [`SecretString`]: `Debug` hides it, and this client
    /// cuts it (with the previous key created) out of every later error. An answer that cannot
    /// be decoded is reported without its body, which may hold the key.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `name` is blank; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// let pair = client.create_p2p_keys("shop", Some("https://example.com/qiwi")).await?;
    /// println!("public key {}", pair.public_key);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_p2p_keys(
        &self,
        name: &str,
        notify_url: Option<&str>,
    ) -> Result<P2pKeyPair, Error> {
        if name.trim().is_empty() {
            return Err(Error::invalid_input("a key pair needs a name"));
        }
        let body = P2pKeysRequest {
            keys_pair_name: name.to_owned(),
            server_notifications_url: notify_url.map(str::to_owned),
        };
        let request = Self::with_json(self.request(&P2P_KEYS_CREATE, &[])?, &body)?;
        let response = self.send(request, &P2P_KEYS_CREATE).await?;
        match json::decode::<P2pKeyPair>(&response) {
            Ok(pair) => {
                self.secrets().rotate(pair.secret_key.expose_secret());
                Ok(pair)
            }
            Err(mut error) => {
                error.withhold();
                error.message =
                    "the key pair answer is not {\"PublicKey\", \"SecretKey\"} strings".into();
                Err(Error::Decode(error))
            }
        }
    }

    /// One page of the unpaid invoices addressed to the wallet (E37), newest first, from the
    /// start or from `cursor` (the [`InvoicePage::cursor`] of the page before).
    ///
    /// # Errors
    /// [`Error::NotSent`] when `query` is out of range; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::{InvoiceAuth, InvoiceQuery};
    ///
    /// let query = InvoiceQuery::default();
    /// let page = client.invoices_page(&InvoiceAuth::WalletToken, &query, None).await?;
    /// for invoice in &page.bills {
    ///     println!("{} {} {}", invoice.id, invoice.sum, invoice.comment.as_deref().unwrap_or(""));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn invoices_page(
        &self,
        auth: &InvoiceAuth,
        query: &InvoiceQuery,
        cursor: Option<&InvoiceCursor>,
    ) -> Result<InvoicePage, Error> {
        query.check()?;
        let mut request = self.invoice_request(&INVOICES, auth)?;
        {
            let mut pairs = request.url.query_pairs_mut();
            pairs
                .append_pair("statuses", READY_FOR_PAY)
                .append_pair("rows", &query.rows.to_string());
            if let Some(from) = query.created_from {
                pairs.append_pair("min_creation_datetime", &millis(from));
            }
            if let Some(to) = query.created_to {
                pairs.append_pair("max_creation_datetime", &millis(to));
            }
            if let Some(cursor) = cursor {
                pairs
                    .append_pair("next_id", &cursor.next_id.to_string())
                    .append_pair(
                        "next_creation_datetime",
                        &cursor.next_creation_datetime.get().to_string(),
                    );
            }
        }
        let response = self.send_invoice(request, &INVOICES, auth).await?;
        self.decode_invoice(&response, auth)
    }

    /// Every unpaid invoice matching `query`, page after page; see [`InvoiceStream`].
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use futures_util::StreamExt;
    /// use qiwi_wallet::{InvoiceAuth, InvoiceQuery};
    ///
    /// let mut invoices = client.invoices(InvoiceAuth::WalletToken, InvoiceQuery::default());
    /// while let Some(invoice) = invoices.next().await {
    ///     println!("{}", invoice?.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn invoices(&self, auth: InvoiceAuth, query: InvoiceQuery) -> InvoiceStream {
        InvoiceStream::new(self.clone(), auth, query)
    }

    /// Rejects the unpaid invoice `id` (E39); the service answers `200` without a body.
    ///
    /// # Errors
    /// A [`RefusalKind::NotFound`](qiwi_transport::RefusalKind::NotFound) refusal when there
    /// is no such unpaid invoice; otherwise any [`Error`] of the call.
    pub async fn reject_invoice(&self, auth: &InvoiceAuth, id: InvoiceId) -> Result<(), Error> {
        let request = self.invoice_request(&INVOICE_REJECT, auth)?;
        let request = Self::with_json(request, &RejectInvoiceRequest { id })?;
        self.send_invoice(request, &INVOICE_REJECT, auth).await?;
        Ok(())
    }

    /// The request of an invoice call, with the token `auth` names.
    fn invoice_request(&self, endpoint: &Endpoint, auth: &InvoiceAuth) -> Result<Request, Error> {
        let mut request = self.request(endpoint, &[])?;
        if let InvoiceAuth::P2pSecretKey(key) = auth {
            request
                .headers
                .insert(header::AUTHORIZATION, key.header_value());
        }
        Ok(request)
    }

    /// Decodes the JSON answer of an invoice call; an undecodable one is scrubbed of the P2P
    /// key the call carried too.
    fn decode_invoice<T: serde::de::DeserializeOwned>(
        &self,
        response: &Response,
        auth: &InvoiceAuth,
    ) -> Result<T, Error> {
        self.decode_json(response)
            .map_err(|e: Error| e.scrubbed(&auth_scrubber(auth)))
    }

    /// Sends an invoice call; its error is scrubbed of the P2P key it carried too.
    async fn send_invoice(
        &self,
        request: Request,
        endpoint: &Endpoint,
        auth: &InvoiceAuth,
    ) -> Result<Response, Error> {
        self.send(request, endpoint)
            .await
            .map_err(|e| e.scrubbed(&auth_scrubber(auth)))
    }
}

/// The scrubber of the key a call was sent with (none for the wallet token, which the client
/// scrubs anyway).
fn auth_scrubber(auth: &InvoiceAuth) -> Scrubber {
    match auth {
        InvoiceAuth::WalletToken => Scrubber::default(),
        InvoiceAuth::P2pSecretKey(key) => Scrubber::new([key.expose()]),
    }
}
