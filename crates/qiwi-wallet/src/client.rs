//! The client, its builder, and how a call is sent.

use std::fmt;
use std::sync::Arc;

use qiwi_transport::auth::BearerToken;
use qiwi_transport::codec::json;
use qiwi_transport::time::{Sleep, TimeSource};
use qiwi_transport::{
    BaseUrl, CallBudget, Executor, ExecutorSettings, HeaderValue, Method, NotSentError, Request,
    Response, RetryPolicy, Scrub, Scrubber, SecretString, Timeouts, Transport, header, redact_url,
};
use qiwi_types::WalletNumber;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::Error;
use crate::error::from_transport;
use crate::history::HistoryLimiter;
use crate::scope::Endpoint;

/// The service's address: `https://edge.qiwi.com`.
pub const DEFAULT_BASE_URL: &str = "https://edge.qiwi.com";

/// How many times, by default, the accounts list asks again for a balance the server did not
/// report (see [`WalletClientBuilder::balance_refresh_attempts`]).
pub const DEFAULT_BALANCE_REFRESH_ATTEMPTS: u32 = 2;

/// The `timeout` value the reference gives for asking again for a balance (`timeout=1000`).
pub const BALANCE_REFRESH_TIMEOUT: u32 = 1000;

/// A client for the QIWI Wallet personal API of one wallet.
///
/// Cheap to clone (clones share the connection pool and configuration) and `Send + Sync`, so
/// one client can serve many tasks. Build it with [`WalletClient::builder`].
///
/// Reads are retried on connection failures, timeouts and 5xx/408/429 answers as the
/// [`RetryPolicy`] allows; writes (creating an account, choosing the default one,
/// identification, downgrades) are never retried, since sending one twice could repeat it.
#[derive(Clone)]
pub struct WalletClient {
    inner: Arc<Inner>,
}

struct Inner {
    executor: Executor,
    base: BaseUrl,
    /// Cuts the token out of every error.
    secrets: Scrubber,
    /// `Bearer <token>`, formatted once (marked sensitive).
    authorization: HeaderValue,
    wallet: WalletNumber,
    balance_refresh_attempts: u32,
    /// Keeps the payment history's calls under the service's limit; `None` when switched off.
    history_limiter: Option<HistoryLimiter>,
}

impl fmt::Debug for WalletClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalletClient")
            .field("base_url", &self.inner.base.as_url().as_str())
            .field("wallet", &self.inner.wallet)
            .field("token", &"[REDACTED]")
            .field("timeouts", &self.inner.executor.timeouts())
            .field("retry", self.inner.executor.retry_policy())
            .field(
                "balance_refresh_attempts",
                &self.inner.balance_refresh_attempts,
            )
            .field("history_limiter", &self.inner.history_limiter)
            .finish()
    }
}

impl WalletClient {
    /// Starts configuring a client; the token and the wallet number are required.
    ///
    /// ```no_run
    /// use qiwi_wallet::{SecretString, WalletClient};
    ///
    /// # fn main() -> Result<(), qiwi_wallet::Error> {
    /// let client = WalletClient::builder()
    ///     .token(SecretString::from("your-api-token"))
    ///     .wallet("79111234567".parse().expect("a wallet number"))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> WalletClientBuilder {
        WalletClientBuilder::default()
    }

    /// The wallet this client works on.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), qiwi_wallet::Error> {
    /// # let client = qiwi_wallet::WalletClient::builder()
    /// #     .token(qiwi_wallet::SecretString::from("token"))
    /// #     .wallet("79111234567".parse().unwrap())
    /// #     .build()?;
    /// assert_eq!(client.wallet().as_str(), "79111234567");
    /// # Ok(())
    /// # }
    /// ```
    pub fn wallet(&self) -> &WalletNumber {
        &self.inner.wallet
    }

    /// The base URL calls go to.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), qiwi_wallet::Error> {
    /// # let client = qiwi_wallet::WalletClient::builder()
    /// #     .token(qiwi_wallet::SecretString::from("token"))
    /// #     .wallet("79111234567".parse().unwrap())
    /// #     .build()?;
    /// assert_eq!(client.base_url().as_url().host_str(), Some("edge.qiwi.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    pub(crate) fn balance_refresh_attempts(&self) -> u32 {
        self.inner.balance_refresh_attempts
    }

    pub(crate) fn history_limiter(&self) -> Option<&HistoryLimiter> {
        self.inner.history_limiter.as_ref()
    }

    /// The injected time source and sleep.
    pub(crate) fn time(&self) -> (&dyn TimeSource, &dyn Sleep) {
        let executor = &self.inner.executor;
        (
            executor.time_source().as_ref(),
            executor.sleep_impl().as_ref(),
        )
    }

    /// The URL of `segments` under the base, each segment percent-encoded.
    pub(crate) fn url<'a>(&self, segments: impl IntoIterator<Item = &'a str>) -> Url {
        self.inner.base.join(segments)
    }

    /// A request with the headers every call carries: `Accept` and `Authorization`.
    pub(crate) fn request(&self, method: Method, url: Url, endpoint: Endpoint) -> Request {
        Request::new(method, url, endpoint.route)
            .header(header::ACCEPT, HeaderValue::from_static(json::CONTENT_TYPE))
            .header(header::AUTHORIZATION, self.inner.authorization.clone())
    }

    /// Adds a JSON body (and its `Content-Type`).
    pub(crate) fn with_json<T: Serialize + ?Sized>(
        request: Request,
        body: &T,
    ) -> Result<Request, Error> {
        Ok(request.body(json::CONTENT_TYPE, json::encode(body)?))
    }

    /// Sends a request as a call of its own and returns its 2xx answer, mapping error answers
    /// to [`Error`].
    pub(crate) async fn send(
        &self,
        request: Request,
        endpoint: Endpoint,
    ) -> Result<Response, Error> {
        self.send_within(request, endpoint, self.start_call()).await
    }

    /// Starts the time budget of a call that makes several requests.
    pub(crate) fn start_call(&self) -> CallBudget {
        self.inner.executor.start_call()
    }

    /// Sends one of the requests of a call, within the call's `budget`.
    pub(crate) async fn send_within(
        &self,
        request: Request,
        endpoint: Endpoint,
        budget: CallBudget,
    ) -> Result<Response, Error> {
        let span = tracing::debug_span!("qiwi_wallet.call", endpoint = endpoint.id);
        self.inner
            .executor
            .send_within(&request, budget)
            .instrument(span)
            .await
            .map_err(|e| from_transport(e, endpoint).scrubbed(&self.inner.secrets))
    }

    /// Sends a request as a call of its own and decodes its JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: Request,
        endpoint: Endpoint,
    ) -> Result<T, Error> {
        self.send_json_within(request, endpoint, self.start_call())
            .await
    }

    /// Sends one of the requests of a call and decodes its JSON answer; an answer that cannot
    /// be decoded is scrubbed of the token as a refusal is.
    pub(crate) async fn send_json_within<T: DeserializeOwned>(
        &self,
        request: Request,
        endpoint: Endpoint,
        budget: CallBudget,
    ) -> Result<T, Error> {
        let response = self.send_within(request, endpoint, budget).await?;
        self.decode_json(&response)
    }

    /// Decodes a JSON answer; an answer that cannot be decoded is scrubbed of the token.
    pub(crate) fn decode_json<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error> {
        json::decode(response).map_err(|e| Error::Decode(e).scrubbed(&self.inner.secrets))
    }
}

/// Configuration of a [`WalletClient`].
pub struct WalletClientBuilder {
    token: Option<SecretString>,
    wallet: Option<WalletNumber>,
    base_url: String,
    allow_http: bool,
    http: ExecutorSettings,
    balance_refresh_attempts: u32,
    history_limiter: Option<HistoryLimiter>,
}

impl Default for WalletClientBuilder {
    fn default() -> Self {
        Self {
            token: None,
            wallet: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            allow_http: false,
            http: ExecutorSettings::default(),
            balance_refresh_attempts: DEFAULT_BALANCE_REFRESH_ATTEMPTS,
            history_limiter: Some(HistoryLimiter::default()),
        }
    }
}

impl fmt::Debug for WalletClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalletClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("wallet", &self.wallet)
            .field("base_url", &redact_url(&self.base_url))
            .field("allow_http", &self.allow_http)
            .field("http", &self.http)
            .field("balance_refresh_attempts", &self.balance_refresh_attempts)
            .field("history_limiter", &self.history_limiter)
            .finish()
    }
}

impl WalletClientBuilder {
    /// The API token (required), sent as `Authorization: Bearer <token>`.
    ///
    /// ```no_run
    /// use qiwi_wallet::{SecretString, WalletClient};
    ///
    /// let token = std::env::var("QIWI_TOKEN").expect("QIWI_TOKEN is set");
    /// let builder = WalletClient::builder().token(SecretString::from(token));
    /// # let _ = builder;
    /// ```
    pub fn token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The wallet number (required): the owner's phone number, digits only.
    ///
    /// ```no_run
    /// use qiwi_wallet::{WalletClient, WalletNumber};
    ///
    /// let wallet = WalletNumber::parse("+79111234567").expect("a wallet number");
    /// let builder = WalletClient::builder().wallet(wallet);
    /// # let _ = builder;
    /// ```
    pub fn wallet(mut self, wallet: WalletNumber) -> Self {
        self.wallet = Some(wallet);
        self
    }

    /// The service's address; [`DEFAULT_BASE_URL`] unless set. Must be `https://` unless
    /// [`allow_http`](Self::allow_http) is set.
    ///
    /// ```no_run
    /// let builder = qiwi_wallet::WalletClient::builder().base_url("https://edge.qiwi.com");
    /// # let _ = builder;
    /// ```
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Accepts a plain `http://` base URL, for a local emulator or a loopback test.
    ///
    /// ```no_run
    /// let builder = qiwi_wallet::WalletClient::builder()
    ///     .base_url("http://127.0.0.1:8080")
    ///     .allow_http(true);
    /// # let _ = builder;
    /// ```
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// The transport that sends requests; the `reqwest` one unless set.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use qiwi_wallet::transport::ReqwestTransport;
    ///
    /// # fn main() -> Result<(), qiwi_wallet::Error> {
    /// let transport = ReqwestTransport::builder()
    ///     .connect_timeout(std::time::Duration::from_secs(5))
    ///     .build()?;
    /// let builder = qiwi_wallet::WalletClient::builder().transport(Arc::new(transport));
    /// # let _ = builder;
    /// # Ok(())
    /// # }
    /// ```
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.http.transport = Some(transport);
        self
    }

    /// Per-attempt and total time limits.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use qiwi_wallet::Timeouts;
    ///
    /// let builder = qiwi_wallet::WalletClient::builder().timeouts(Timeouts {
    ///     attempt: Duration::from_secs(10),
    ///     total: Duration::from_secs(30),
    /// });
    /// # let _ = builder;
    /// ```
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.http.timeouts = timeouts;
        self
    }

    /// How reads are retried; writes are never retried.
    ///
    /// ```no_run
    /// use qiwi_wallet::RetryPolicy;
    ///
    /// let builder = qiwi_wallet::WalletClient::builder().retry(RetryPolicy::never());
    /// # let _ = builder;
    /// ```
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.http.retry = retry;
        self
    }

    /// The monotonic time source for budgets and token ages, and the wall time for
    /// `Retry-After` dates (tests use one they drive).
    pub fn time_source(mut self, time_source: Arc<dyn TimeSource>) -> Self {
        self.http.time_source = Some(time_source);
        self
    }

    /// The sleep for backoffs, polls and attempt deadlines (tests use one they drive).
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.http.sleep = Some(sleep);
        self
    }

    /// How many more times [`WalletClient::list_accounts`] asks for each balance the server did
    /// not report (default [`DEFAULT_BALANCE_REFRESH_ATTEMPTS`]; `0` turns asking again off).
    ///
    /// ```no_run
    /// let builder = qiwi_wallet::WalletClient::builder().balance_refresh_attempts(3);
    /// # let _ = builder;
    /// ```
    pub fn balance_refresh_attempts(mut self, attempts: u32) -> Self {
        self.balance_refresh_attempts = attempts;
        self
    }

    /// The limiter that keeps payment-history calls (E14 to E18) under the service's limit of
    /// 100 a minute per wallet; by default each client (and its clones) has its own
    /// [`HistoryLimiter::default`]. Give several clients of one wallet the same limiter to
    /// share it, or `None` to switch limiting off (an emulator without the limit, a
    /// benchmark).
    ///
    /// ```no_run
    /// use qiwi_wallet::HistoryLimiter;
    ///
    /// let shared = HistoryLimiter::default();
    /// let first = qiwi_wallet::WalletClient::builder().history_limiter(Some(shared.clone()));
    /// let second = qiwi_wallet::WalletClient::builder().history_limiter(Some(shared));
    /// let unlimited = qiwi_wallet::WalletClient::builder().history_limiter(None);
    /// # let _ = (first, second, unlimited);
    /// ```
    pub fn history_limiter(mut self, limiter: Option<HistoryLimiter>) -> Self {
        self.history_limiter = limiter;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::NotSent`] with a configuration error when the token or the wallet number is
    /// missing, the token is empty or cannot go into a header, the base URL is not acceptable,
    /// or no transport is set and the `reqwest` feature is off.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), qiwi_wallet::Error> {
    /// let client = qiwi_wallet::WalletClient::builder()
    ///     .token(qiwi_wallet::SecretString::from("your-api-token"))
    ///     .wallet("79111234567".parse().expect("a wallet number"))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok(())
    /// # }
    /// ```
    pub fn build(self) -> Result<WalletClient, Error> {
        let config = |message: &str| Error::NotSent(NotSentError::Configuration(message.into()));
        let token = self
            .token
            .ok_or_else(|| config("the API token is missing; set it with .token(..)"))?;
        let token = BearerToken::new(token)?;
        let wallet = self
            .wallet
            .ok_or_else(|| config("the wallet number is missing; set it with .wallet(..)"))?;
        let base = BaseUrl::parse_with(&self.base_url, self.allow_http)?;
        let executor = self.http.build()?;
        Ok(WalletClient {
            inner: Arc::new(Inner {
                executor,
                base,
                authorization: token.header_value(),
                secrets: Scrubber::new([token.expose()]),
                wallet,
                balance_refresh_attempts: self.balance_refresh_attempts,
                history_limiter: self.history_limiter,
            }),
        })
    }
}
