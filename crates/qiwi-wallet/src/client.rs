//! The client, its builder, and how a call is sent.

use std::fmt;
use std::sync::Arc;

use qiwi_transport::auth::BearerToken;
use qiwi_transport::codec::json;
use qiwi_transport::time::{Sleep, TimeSource};
use qiwi_transport::{
    BaseUrl, CallBudget, ClientSettings, DecodeError, Executor, ExposeSecret, HeaderValue,
    NotSentError, Request, Response, Scrub, Scrubber, SecretString, header,
};
use qiwi_types::WalletNumber;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::error::refusal;
use crate::history::HistoryLimiter;
use crate::scope::{Endpoint, HISTORY_GROUP};

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
/// [`RetryPolicy`](qiwi_transport::RetryPolicy) allows; writes (creating an account, choosing
/// the default one, identification, downgrades) are never retried, since sending one twice
/// could repeat it.
#[derive(Clone)]
pub struct WalletClient {
    /// Outside `inner`, so that a per-call override shares everything else.
    executor: Executor,
    inner: Arc<Inner>,
}

struct Inner {
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
            .field("timeouts", &self.executor.timeouts())
            .field("retry", self.executor.retry_policy())
            .field(
                "balance_refresh_attempts",
                &self.inner.balance_refresh_attempts,
            )
            .field("history_limiter", &self.inner.history_limiter)
            .finish()
    }
}

impl WalletClient {
    qiwi_transport::call_settings!(executor);

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
    pub fn wallet(&self) -> &WalletNumber {
        &self.inner.wallet
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    pub(crate) fn balance_refresh_attempts(&self) -> u32 {
        self.inner.balance_refresh_attempts
    }

    /// The request of `endpoint`, `params` filling its route, with the token.
    pub(crate) fn request(&self, endpoint: &Endpoint, params: &[&str]) -> Result<Request, Error> {
        let request = endpoint.request(&self.inner.base, params)?;
        Ok(request.header(header::AUTHORIZATION, self.inner.authorization.clone()))
    }

    /// The secrets cut out of every error; learns the P2P keys this client creates.
    pub(crate) fn secrets(&self) -> &Scrubber {
        &self.inner.secrets
    }

    pub(crate) fn history_limiter(&self) -> Option<&HistoryLimiter> {
        self.inner.history_limiter.as_ref()
    }

    /// The injected time source and sleep.
    pub(crate) fn time(&self) -> (&dyn TimeSource, &dyn Sleep) {
        (
            self.executor.time_source().as_ref(),
            self.executor.sleep_impl().as_ref(),
        )
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
    ///
    /// A call in the history's rate-limit group first waits for the client's
    /// [`HistoryLimiter`] (before its own time limit starts), and a rate-limit answer holds
    /// the limiter for the announced wait.
    pub(crate) async fn send(
        &self,
        request: Request,
        endpoint: &Endpoint,
    ) -> Result<Response, Error> {
        let limiter = self
            .history_limiter()
            .filter(|_| endpoint.rate_limit_group == Some(HISTORY_GROUP));
        let Some(limiter) = limiter else {
            return self.send_within(request, endpoint, self.start_call()).await;
        };
        let (time, sleep) = self.time();
        limiter.acquire(time, sleep).await;
        let result = self.send_within(request, endpoint, self.start_call()).await;
        if let Some(wait) = result.as_ref().err().and_then(Error::retry_after) {
            limiter.hold(time.now(), wait);
        }
        result
    }

    /// Starts the time budget of a call that makes several requests.
    pub(crate) fn start_call(&self) -> CallBudget {
        self.executor.start_call()
    }

    /// Sends one of the requests of a call, within the call's `budget`.
    pub(crate) async fn send_within(
        &self,
        request: Request,
        endpoint: &Endpoint,
        budget: CallBudget,
    ) -> Result<Response, Error> {
        self.executor
            .send_within(&request, budget)
            .await
            .map_err(|e| {
                e.refine(|answer| refusal(answer, endpoint))
                    .scrubbed(&self.inner.secrets)
            })
    }

    /// Sends a request as a call of its own and decodes its JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: Request,
        endpoint: &Endpoint,
    ) -> Result<T, Error> {
        self.send_json_within(request, endpoint, self.start_call())
            .await
    }

    /// Sends one of the requests of a call and decodes its JSON answer; an answer that cannot
    /// be decoded is scrubbed of the token as a refusal is.
    pub(crate) async fn send_json_within<T: DeserializeOwned>(
        &self,
        request: Request,
        endpoint: &Endpoint,
        budget: CallBudget,
    ) -> Result<T, Error> {
        let response = self.send_within(request, endpoint, budget).await?;
        self.decode_json(&response)
    }

    /// Adds a secret the service handed out (a webhook's signing key) to those cut out of every
    /// later error, with the others learnt before it (the newest
    /// [`LEARNT_KEPT`](qiwi_transport::scrub::LEARNT_KEPT)).
    pub(crate) fn learn_secret(&self, secret: &SecretString) {
        self.inner.secrets.rotate(secret.expose_secret());
    }

    /// Decodes a JSON answer; an answer that cannot be decoded is scrubbed of the token.
    pub(crate) fn decode_json<T: DeserializeOwned>(&self, response: &Response) -> Result<T, Error> {
        json::decode(response).map_err(|e| self.undecodable(e))
    }

    /// An answer that cannot be understood, scrubbed of the token.
    pub(crate) fn undecodable(&self, error: DecodeError) -> Error {
        Error::Decode(error).scrubbed(&self.inner.secrets)
    }
}

/// Configuration of a [`WalletClient`]; the token and the wallet number are required.
#[derive(Debug)]
#[must_use]
pub struct WalletClientBuilder {
    token: Option<SecretString>,
    wallet: Option<WalletNumber>,
    http: ClientSettings,
    balance_refresh_attempts: u32,
    history_limiter: Option<HistoryLimiter>,
}

impl Default for WalletClientBuilder {
    fn default() -> Self {
        Self {
            token: None,
            wallet: None,
            http: ClientSettings::default(),
            balance_refresh_attempts: DEFAULT_BALANCE_REFRESH_ATTEMPTS,
            history_limiter: Some(HistoryLimiter::default()),
        }
    }
}

impl WalletClientBuilder {
    qiwi_transport::client_settings!(
        http,
        base_url = "The service's address; [`DEFAULT_BASE_URL`] unless set."
    );

    qiwi_transport::setters! {
        /// The API token (required), sent as `Authorization: Bearer <token>`.
        token: Option<impl Into<SecretString>>;
        /// The wallet number (required): the owner's phone number, digits only.
        wallet: Option<WalletNumber>;
        /// How many more times [`WalletClient::list_accounts`] asks for each balance the
        /// server did not report (default [`DEFAULT_BALANCE_REFRESH_ATTEMPTS`]; `0` turns
        /// asking again off).
        balance_refresh_attempts: u32;
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
    ///     .token("your-api-token")
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
        let base = self.http.base_url_or(DEFAULT_BASE_URL)?;
        let executor = self.http.build()?;
        Ok(WalletClient {
            executor,
            inner: Arc::new(Inner {
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
