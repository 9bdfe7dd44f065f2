//! The client and its builder.

use std::fmt;
use std::sync::Arc;

use http::StatusCode;
use qiwi_transport::{
    BaseUrl, Bytes, ClientSettings, Endpoint, Executor, Request, Scrub, Scrubber, UrlSetting,
};
use qiwi_types::{Currency, WalletNumber};
use secrecy::SecretString;

use crate::credentials::{Credentials, TerminalId};
use crate::endpoints;
use crate::error::Error;
use crate::first_use::FirstUses;
use crate::payout::{FundsSource, Payout};
use crate::wire::{self, encode};
use qiwi_types::InvalidValue;
use qiwi_types::agent::{
    Balances, DepositCheck, PayResponse, StatusResponse, TransactionNumber, UserCheck,
    text::check_xml_text,
};
use qiwi_types::invalid::check_digits;

/// One payment to look up with `pay`/`<status>`: its transaction number and the recipient as
/// sent in the payment (`to/account-number`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusQuery {
    transaction_number: TransactionNumber,
    account_number: String,
}

impl StatusQuery {
    /// A query for one payment.
    ///
    /// ```
    /// use qiwi_agent::{StatusQuery, TransactionNumber};
    /// let query = StatusQuery::new(TransactionNumber::parse("12345678")?, "79181234567")?;
    /// assert_eq!(query.account_number(), "79181234567");
    /// # Ok::<(), qiwi_agent::InvalidValue>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidValue`] when the account number is empty, longer than 100 characters or holds a
    /// control character.
    pub fn new(
        transaction_number: TransactionNumber,
        account_number: impl Into<String>,
    ) -> Result<Self, InvalidValue> {
        let account_number = account_number.into();
        if account_number.trim().is_empty() {
            return Err(InvalidValue::new("account number", "it is empty"));
        }
        if account_number.chars().count() > 100 {
            return Err(InvalidValue::new(
                "account number",
                "it is longer than 100 characters",
            ));
        }
        check_xml_text("account number", &account_number, false)?;
        Ok(Self::from_parts(transaction_number, account_number))
    }

    pub(crate) fn from_parts(
        transaction_number: TransactionNumber,
        account_number: String,
    ) -> Self {
        Self {
            transaction_number,
            account_number,
        }
    }

    /// The transaction number.
    pub fn transaction_number(&self) -> &TransactionNumber {
        &self.transaction_number
    }

    /// The recipient as sent in the payment.
    pub fn account_number(&self) -> &str {
        &self.account_number
    }
}

/// Client for the QIWI top-up agent XML protocol.
///
/// Cheap to clone (clones share one connection pool and configuration); `Send + Sync`.
/// Every request is idempotent (reads, and `pay`, which its transaction number makes
/// idempotent), so the executor may retry any of them after a transport error or a 5xx.
#[derive(Clone)]
pub struct AgentClient {
    /// Outside `inner`, so that a per-call override shares everything else.
    executor: Executor,
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    endpoint: BaseUrl,
    lookup_endpoint: BaseUrl,
    /// The `ping` request, built (and signed) once: it depends only on the credentials. Its
    /// body holds the password, so it is never shown.
    ping: Request,
    posts: Posts,
    first_uses: FirstUses,
    /// Cuts the password out of every error.
    secrets: Scrubber,
}

/// Builds the requests of this protocol: XML posted to an endpoint, signed when a key is set.
struct Posts {
    #[cfg(feature = "signing")]
    signing_key: Option<crate::signing::SigningKey>,
}

impl Posts {
    fn post(
        &self,
        url: &BaseUrl,
        endpoint: &Endpoint,
        body: impl Into<Bytes>,
    ) -> Result<Request, Error> {
        #[allow(unused_mut)]
        let mut request = endpoint.request(url, &[])?.body(crate::CONTENT_TYPE, body);
        #[cfg(feature = "signing")]
        if let Some(key) = &self.signing_key {
            request = key.sign_request(request)?;
        }
        Ok(request)
    }
}

impl fmt::Debug for AgentClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut s = f.debug_struct("AgentClient");
        s.field("credentials", &inner.credentials)
            .field("endpoint", &inner.endpoint.as_url().as_str())
            .field("lookup_endpoint", &inner.lookup_endpoint.as_url().as_str());
        #[cfg(feature = "signing")]
        s.field("signing_key", &inner.posts.signing_key);
        s.finish_non_exhaustive()
    }
}

impl AgentClient {
    qiwi_transport::call_settings!(executor);

    /// The endpoint for password or signature authentication.
    pub const DEFAULT_ENDPOINT: &'static str = "https://api.qiwi.com/xml/topup.jsp";
    /// The endpoint for client-certificate authentication.
    pub const PRIVATE_ENDPOINT: &'static str = "https://private-api.qiwi.com/xml/topup.jsp";
    /// The mobile-operator lookup endpoint.
    pub const DEFAULT_LOOKUP_ENDPOINT: &'static str = "https://api.qiwi.com/xml/xmlcp.jsp";
    /// The mobile-operator lookup endpoint with a client certificate.
    pub const PRIVATE_LOOKUP_ENDPOINT: &'static str = "https://private-api.qiwi.com/xml/xmlcp.jsp";

    /// Settings for a client.
    ///
    /// ```no_run
    /// use qiwi_agent::{AgentClient, SecretString};
    /// let client = AgentClient::builder()
    ///     .terminal_id(44)
    ///     .password(SecretString::from("password"))
    ///     .build()?;
    /// # Ok::<(), qiwi_agent::Error>(())
    /// ```
    pub fn builder() -> AgentClientBuilder {
        AgentClientBuilder::default()
    }

    /// The agent's terminal id.
    pub fn terminal_id(&self) -> TerminalId {
        self.inner.credentials.terminal_id()
    }

    /// The top-up endpoint in use.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.endpoint
    }

    /// The mobile-operator lookup endpoint in use.
    pub fn lookup_endpoint(&self) -> &str {
        self.inner.lookup_endpoint.as_url().as_str()
    }

    /// The executor, whose time source and sleep the client's own waits use.
    pub(crate) fn executor(&self) -> &Executor {
        &self.executor
    }

    /// The agent's balances, one per active agent account (`ping`).
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// for balance in client.ping().await?.iter() {
    ///     println!("{} {}", balance.amount, balance.currency);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Service`] with [`RefusalKind::Authentication`](crate::RefusalKind::Authentication)
    /// for a wrong terminal id or password (code 150) and the other kinds for other codes,
    /// [`Error::Transport`], [`Error::Decode`].
    pub async fn ping(&self) -> Result<Balances, Error> {
        self.call(&self.inner.ping, wire::ping).await
    }

    /// Whether a wallet exists (`check-user`); with a currency, whether it has an account in
    /// that currency. Optional before a top-up: `pay` creates a missing wallet.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_types::{Currency, WalletNumber};
    /// let check = client.check_user(&WalletNumber::parse("79031234567")?, Some(&Currency::RUB)).await?;
    /// println!("exists: {:?}", check.exists);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`AgentClient::ping`].
    pub async fn check_user(
        &self,
        phone: &WalletNumber,
        currency: Option<&Currency>,
    ) -> Result<UserCheck, Error> {
        let body = encode::check_user(&self.inner.credentials, phone, currency)?;
        self.post(
            &self.inner.endpoint,
            &endpoints::CHECK_USER,
            body,
            wire::user_check,
        )
        .await
    }

    /// Whether a wallet can be topped up with the declared kind of funds
    /// (`check-deposit-possible`). The protocol asks agents to call it before every wallet
    /// top-up; a "not possible" answer (even with a non-zero code such as 204) is returned as a
    /// [`DepositCheck`], not as an error.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_agent::FundsSource;
    /// use qiwi_types::WalletNumber;
    /// let check = client
    ///     .check_deposit_possible(&WalletNumber::parse("79031234567")?, FundsSource::NonCash, None)
    ///     .await?;
    /// if !check.is_possible() {
    ///     println!("not possible: {:?}", check.reason());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`AgentClient::ping`].
    pub async fn check_deposit_possible(
        &self,
        phone: &WalletNumber,
        funds: FundsSource,
        currency: Option<&Currency>,
    ) -> Result<DepositCheck, Error> {
        let body = encode::check_deposit(&self.inner.credentials, phone, funds, currency)?;
        self.post(
            &self.inner.endpoint,
            &endpoints::CHECK_DEPOSIT,
            body,
            wire::deposit_check,
        )
        .await
    }

    /// Registers a payout (`pay` with `<auth>`) and returns what the server reported.
    ///
    /// Sending the same payout again (same transaction number, same details) is safe and is
    /// how a payout is retried; the client (and its clones) refuses, before sending, a number
    /// it already sent with another amount, currency, recipient or service. The answer's
    /// payment status is usually not final: follow it with [`AgentClient::status`], or use
    /// [`AgentClient::pay_and_confirm`].
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_agent::{FundsSource, Payout, PayoutAmount, Recipient, TransactionNumber};
    /// let to = Recipient::Wallet {
    ///     wallet: "79181234567".parse()?,
    ///     funds: FundsSource::NonCash,
    ///     comment: None,
    /// };
    /// let payout = Payout::new(TransactionNumber::parse("12345678")?, to, PayoutAmount::parse("1115.00")?)?;
    /// let response = client.pay(&payout).await?;
    /// if let Some(payment) = &response.payment {
    ///     println!("{}", payment.state());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotSent`] for a payout that cannot be encoded (a currency this crate does
    /// not know) or a transaction number reused with other details; otherwise as
    /// [`AgentClient::ping`], and [`Error::Decode`] for an answer whose payment names another
    /// transaction number (another payment's answer). [`Error::write_fate`] says whether the
    /// payment was not made or its fate is unknown; it is never failed.
    pub async fn pay(&self, payout: &Payout) -> Result<PayResponse, Error> {
        let body = self.pay_body(payout)?;
        self.send_pay(payout, body).await
    }

    /// The `pay` document for a payout, refused when it cannot be encoded or reuses a number
    /// this client sent with other details.
    pub(crate) fn pay_body(&self, payout: &Payout) -> Result<Bytes, Error> {
        let body = encode::pay(&self.inner.credentials, payout)?;
        self.inner.first_uses.check(payout)?;
        Ok(body.into())
    }

    /// Sends a `pay` document made by [`AgentClient::pay_body`].
    pub(crate) async fn send_pay(
        &self,
        payout: &Payout,
        body: Bytes,
    ) -> Result<PayResponse, Error> {
        tracing::debug!(
            transaction_number = payout.transaction_number().as_str(),
            service_id = payout.service_id().0,
            "sending pay/auth"
        );
        let number = payout.transaction_number();
        self.post(
            &self.inner.endpoint,
            &endpoints::PAY,
            body,
            |status, body| wire::pay_of(number, status, body),
        )
        .await
    }

    /// The status of one payment (`pay` with `<status>`). A payment QIWI does not know is
    /// absent from the answer: [`StatusResponse::payment`] returns `None`.
    ///
    /// The protocol asks for no more than one status check of a payment every 10 minutes.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_agent::{StatusQuery, TransactionNumber};
    /// let number = TransactionNumber::parse("12345678")?;
    /// let response = client.status(&StatusQuery::new(number.clone(), "79181234567")?).await?;
    /// match response.payment(&number) {
    ///     Some(payment) => println!("{}", payment.state()),
    ///     None => println!("not found (yet)"),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`AgentClient::ping`].
    pub async fn status(&self, query: &StatusQuery) -> Result<StatusResponse, Error> {
        self.status_many(std::slice::from_ref(query)).await
    }

    /// The status of several payments in one request.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// use qiwi_agent::{StatusQuery, TransactionNumber};
    /// let queries = [
    ///     StatusQuery::new(TransactionNumber::parse("1")?, "79181234567")?,
    ///     StatusQuery::new(TransactionNumber::parse("2")?, "79181234568")?,
    /// ];
    /// let response = client.status_many(&queries).await?;
    /// println!("{} found", response.payments.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotSent`] for an empty list; otherwise as [`AgentClient::ping`].
    pub async fn status_many(&self, queries: &[StatusQuery]) -> Result<StatusResponse, Error> {
        let body = encode::status(&self.inner.credentials, queries)?;
        self.post(
            &self.inner.endpoint,
            &endpoints::PAY_STATUS,
            body,
            wire::payment_status,
        )
        .await
    }

    /// The mobile operator's provider id for a phone number written without its country code
    /// (`get-provider-by-phone-number`, on the lookup endpoint), for [`Recipient::Mobile`](crate::Recipient::Mobile).
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_agent::AgentClient) -> Result<(), qiwi_agent::Error> {
    /// let provider_id = client.provider_by_phone("9161234567").await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::NotSent`] when the number is not 5 to 15 digits; otherwise as
    /// [`AgentClient::ping`].
    pub async fn provider_by_phone(&self, local_phone: &str) -> Result<u32, Error> {
        let local_phone = local_phone.trim();
        check_digits("phone number without country code", local_phone, 5..=15)?;
        let body = encode::provider_lookup(&self.inner.credentials, local_phone)?;
        self.post(
            &self.inner.lookup_endpoint,
            &endpoints::PROVIDER,
            body,
            wire::provider,
        )
        .await
    }

    /// Posts `body` to `url` as `endpoint` and decodes the answer with `decode`.
    async fn post<T>(
        &self,
        url: &BaseUrl,
        endpoint: &Endpoint,
        body: impl Into<Bytes>,
        decode: impl FnOnce(StatusCode, &Bytes) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let request = self.inner.posts.post(url, endpoint, body)?;
        self.call(&request, decode).await
    }

    /// Sends `request` and decodes the answer with `decode`; every error, whether the answer
    /// was refused or could not be read, is scrubbed of the password.
    async fn call<T>(
        &self,
        request: &Request,
        decode: impl FnOnce(StatusCode, &Bytes) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let result = match self.executor.send(request).await {
            Ok(response) => decode(response.status, &response.body),
            Err(error) => Err(error.refine(crate::error::refusal)),
        };
        result.map_err(|e| e.scrubbed(&self.inner.secrets))
    }
}

/// Settings for an [`AgentClient`]. `Debug` never shows the password.
#[derive(Debug, Default)]
#[must_use]
pub struct AgentClientBuilder {
    terminal_id: Option<u64>,
    password: Option<SecretString>,
    credentials: Option<Credentials>,
    lookup_endpoint: Option<UrlSetting>,
    http: ClientSettings,
    #[cfg(feature = "signing")]
    signing_key: Option<crate::signing::SigningKey>,
}

impl AgentClientBuilder {
    qiwi_transport::client_settings!(
        http,
        base_url = "The top-up endpoint: [`AgentClient::DEFAULT_ENDPOINT`] unless set, or [`AgentClient::PRIVATE_ENDPOINT`] with a client certificate."
    );

    qiwi_transport::setters! {
        /// The agent's terminal id (a positive integer issued by QIWI).
        terminal_id: Option<u64>;
        /// The agent's password (`<extra name="password">`). It may be left out when requests
        /// are signed (feature `signing`).
        password: Option<impl Into<SecretString>>;
        /// Terminal id and password together; replaces [`terminal_id`](Self::terminal_id) and
        /// [`password`](Self::password).
        credentials: Option<Credentials>;
        /// Signs every request (`X-Digital-Sign`, `X-Digital-Sign-Alg`). The password may then
        /// be left out: the protocol does not use it with signed requests.
        #[cfg(feature = "signing")]
        signing_key: Option<crate::signing::SigningKey>;
    }

    /// The mobile-operator lookup endpoint; default: `xmlcp.jsp` in place of the last path
    /// segment of the top-up endpoint.
    pub fn lookup_endpoint(mut self, url: impl Into<String>) -> Self {
        self.lookup_endpoint = Some(UrlSetting::new(url));
        self
    }

    /// Builds the client.
    ///
    /// ```no_run
    /// use qiwi_agent::SecretString;
    /// let client = qiwi_agent::AgentClient::builder()
    ///     .terminal_id(44)
    ///     .password(SecretString::from("pw"))
    ///     .build()?;
    /// # Ok::<(), qiwi_agent::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NotSent`] for a missing or zero terminal id, no password (unless signing),
    /// an unusable password or endpoint URL, a transport given together with a client
    /// identity, or no transport without the `reqwest` feature.
    pub fn build(self) -> Result<AgentClient, Error> {
        #[cfg(feature = "signing")]
        let signing = self.signing_key.is_some();
        #[cfg(not(feature = "signing"))]
        let signing = false;

        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => {
                let id = self
                    .terminal_id
                    .ok_or_else(|| Error::configuration("the terminal id is not set"))?;
                let id = TerminalId::new(id).map_err(|e| Error::configuration(e.to_string()))?;
                match self.password {
                    Some(password) => Credentials::new(id, password)?,
                    None => Credentials::without_password(id),
                }
            }
        };
        if !credentials.has_password() && !signing {
            return Err(Error::configuration(
                "no password is set; requests need the agent password unless they are signed",
            ));
        }

        let default_endpoint = if self.http.has_client_certificate() {
            AgentClient::PRIVATE_ENDPOINT
        } else {
            AgentClient::DEFAULT_ENDPOINT
        };
        let endpoint = self.http.base_url_or(default_endpoint)?;
        let lookup_endpoint = match &self.lookup_endpoint {
            Some(url) => self.http.parse_url(url)?,
            None => BaseUrl::parse_with(&sibling(&endpoint, "xmlcp.jsp"), self.http.allow_http)?,
        };

        let executor = self.http.build()?;
        let posts = Posts {
            #[cfg(feature = "signing")]
            signing_key: self.signing_key,
        };
        let ping = posts.post(&endpoint, &endpoints::PING, encode::ping(&credentials)?)?;
        Ok(AgentClient {
            executor,
            inner: Arc::new(Inner {
                ping,
                posts,
                first_uses: FirstUses::default(),
                secrets: Scrubber::new(credentials.password()),
                credentials,
                endpoint,
                lookup_endpoint,
            }),
        })
    }
}

/// The URL with its last path segment replaced.
fn sibling(base: &BaseUrl, segment: &str) -> String {
    let mut url = base.as_url().clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop().push(segment);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_endpoint_sits_next_to_the_top_up_endpoint() {
        let base = BaseUrl::parse("https://private-api.qiwi.com/xml/topup.jsp").unwrap();
        assert_eq!(
            sibling(&base, "xmlcp.jsp"),
            "https://private-api.qiwi.com/xml/xmlcp.jsp"
        );
    }
}
