//! The Treezor balances client.

use std::fmt;
use std::sync::Arc;

use qiwi_transport::codec::json;
use qiwi_transport::{
    BaseUrl, CallBudget, Endpoint, Executor, Request, Response, Scrub, Scrubber, StatusCode,
};
use serde::de::DeserializeOwned;
use url::Url;

use crate::builder::BalancesClientBuilder;
use crate::endpoints::{BALANCES, HISTORY};
use crate::error;
use crate::oauth::Auth;
use crate::{Balance, BalanceHistory, Balances, Error, HistoryRange, UserId, WalletId};

/// Whose balances to read with [`BalancesClient::balances`]: exactly one of a wallet or a
/// user (the API takes either and documents nothing for both or neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BalancesQuery {
    /// One wallet: `?walletId=`.
    Wallet(WalletId),
    /// Every wallet of a user: `?userId=`.
    User(UserId),
}

impl fmt::Display for BalancesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BalancesQuery::Wallet(id) => write!(f, "wallet {id}"),
            BalancesQuery::User(id) => write!(f, "user {id}"),
        }
    }
}

/// A client for Treezor's balance endpoints.
///
/// Cheap to clone; clones share the connection pool and the access token. Built with
/// [`BalancesClient::builder`].
///
/// ```no_run
/// use balances_core::{BalancesClient, Environment, HistoryRange, UserId, WalletId};
/// # async fn run() -> Result<(), balances_core::Error> {
/// let client = BalancesClient::builder()
///     .company("acme", Environment::Sandbox)
///     .client_credentials("client-id", "client-secret")
///     .build()?;
/// let balance = client.wallet_balance(WalletId::new(1317558)).await?;
/// println!("{:?} {}", balance.authorized_balance, balance.currency);
/// let all = client.user_balances(UserId::new(100_655)).await?;
/// let range = HistoryRange::parse(Some("2021-11-01"), Some("2022-10-01"))?;
/// let history = client.balance_history(WalletId::new(1317558), range).await?;
/// # let _ = (all, history);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct BalancesClient {
    /// Outside `inner`, so that a per-call override shares the token cache.
    executor: Executor,
    inner: Arc<Inner>,
}

struct Inner {
    base: BaseUrl,
    /// `{base}/v1/balances`, the most called endpoint, built once.
    balances_url: Url,
    auth: Auth,
    /// Cuts the credentials and tokens out of every error.
    secrets: Scrubber,
}

impl BalancesClient {
    qiwi_transport::call_settings!(executor);

    /// Settings for a client.
    ///
    /// ```
    /// use balances_core::BalancesClient;
    /// let client = BalancesClient::builder()
    ///     .base_url("https://acme.sandbox.treezor.co")
    ///     .token("eyJ0eX...")
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn builder() -> BalancesClientBuilder {
        BalancesClientBuilder::default()
    }

    pub(crate) fn new(
        base: BaseUrl,
        executor: Executor,
        auth: Auth,
        secrets: Scrubber,
    ) -> Result<Self, Error> {
        Ok(Self {
            executor,
            inner: Arc::new(Inner {
                balances_url: BALANCES.url(&base, &[])?,
                base,
                auth,
                secrets,
            }),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base
    }

    /// `GET /v1/balances?walletId=` or `?userId=`: the balances as the server lists them.
    ///
    /// # Errors
    /// [`Error`]: authentication, not found, validation, rate limited, server errors from the
    /// answer, transport failures, or a body that is not a balance list. A wallet whose answer
    /// lists no balance is a [`RefusalKind::NotFound`](crate::RefusalKind::NotFound) refusal
    /// (a user may have no wallet: that is an empty list).
    ///
    /// ```no_run
    /// # async fn run(client: balances_core::BalancesClient) -> Result<(), balances_core::Error> {
    /// use balances_core::{BalancesQuery, UserId};
    /// let balances = client.balances(BalancesQuery::User(UserId::new(100_655))).await?;
    /// # let _ = balances;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn balances(&self, query: BalancesQuery) -> Result<Vec<Balance>, Error> {
        self.balances_within(query, self.executor.start_call())
            .await
    }

    async fn balances_within(
        &self,
        query: BalancesQuery,
        budget: CallBudget,
    ) -> Result<Vec<Balance>, Error> {
        let mut url = self.inner.balances_url.clone();
        match query {
            BalancesQuery::Wallet(id) => url
                .query_pairs_mut()
                .append_pair("walletId", &id.to_string()),
            BalancesQuery::User(id) => url.query_pairs_mut().append_pair("userId", &id.to_string()),
        };
        let answer: Balances = self
            .get(&BALANCES, url, budget)
            .await
            .map_err(|e| error::about(e, query))?;
        if answer.balances.is_empty() && matches!(query, BalancesQuery::Wallet(_)) {
            return Err(error::not_listed(&BALANCES, query));
        }
        Ok(answer.balances)
    }

    /// The balance of one wallet (`GET /v1/balances?walletId=`).
    ///
    /// # Errors
    /// As [`balances`](Self::balances) (a [`RefusalKind::NotFound`](crate::RefusalKind::NotFound)
    /// refusal for a wallet Treezor does not list),
    /// and [`Error::Decode`] when the answer holds several balances or another wallet's.
    ///
    /// ```no_run
    /// # async fn run(client: balances_core::BalancesClient) -> Result<(), balances_core::Error> {
    /// use balances_core::WalletId;
    /// let balance = client.wallet_balance(WalletId::new(1317558)).await?;
    /// println!("{:?} {}", balance.authorized_balance, balance.currency);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wallet_balance(&self, wallet_id: WalletId) -> Result<Balance, Error> {
        self.wallet_balance_within(wallet_id, self.executor.start_call())
            .await
    }

    async fn wallet_balance_within(
        &self,
        wallet_id: WalletId,
        budget: CallBudget,
    ) -> Result<Balance, Error> {
        let mut balances = self
            .balances_within(BalancesQuery::Wallet(wallet_id), budget)
            .await?;
        let found: Vec<WalletId> = balances.iter().map(|b| b.wallet_id).collect();
        match balances.pop() {
            Some(balance) if balances.is_empty() && balance.wallet_id == wallet_id => Ok(balance),
            _ => Err(Error::Decode(qiwi_transport::DecodeError {
                status: StatusCode::OK,
                format: "JSON",
                path: "balances".into(),
                message: format!(
                    "expected exactly the balance of wallet {wallet_id}, found wallets {found:?}"
                ),
                body: Default::default(),
            })),
        }
    }

    /// The balances of several wallets, one request per wallet, in the order given (one
    /// balance per id), all within one call's time limit ([`Timeouts::total`](crate::Timeouts)).
    ///
    /// # Errors
    /// [`Error::NotSent`] for an empty list; otherwise the first error of
    /// [`wallet_balance`](Self::wallet_balance) (call it per wallet to get each wallet's own
    /// result).
    ///
    /// ```no_run
    /// # async fn run(client: balances_core::BalancesClient) -> Result<(), balances_core::Error> {
    /// use balances_core::WalletId;
    /// let ids = [WalletId::new(3645800), WalletId::new(3645801)];
    /// for balance in client.wallet_balances(&ids).await? {
    ///     println!("{} {:?}", balance.wallet_id, balance.current_balance);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wallet_balances(&self, wallet_ids: &[WalletId]) -> Result<Vec<Balance>, Error> {
        if wallet_ids.is_empty() {
            return Err(Error::invalid_input("give at least one wallet id"));
        }
        let budget = self.executor.start_call();
        let mut all = Vec::with_capacity(wallet_ids.len());
        for id in wallet_ids {
            all.push(self.wallet_balance_within(*id, budget).await?);
        }
        Ok(all)
    }

    /// The balances of every wallet of a user (`GET /v1/balances?userId=`).
    ///
    /// # Errors
    /// As [`balances`](Self::balances).
    ///
    /// ```no_run
    /// # async fn run(client: balances_core::BalancesClient) -> Result<(), balances_core::Error> {
    /// use balances_core::UserId;
    /// let balances = client.user_balances(UserId::new(100_655)).await?;
    /// # let _ = balances;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn user_balances(&self, user_id: UserId) -> Result<Vec<Balance>, Error> {
        self.balances(BalancesQuery::User(user_id)).await
    }

    /// The balance history of a wallet (`GET /core-connect/balances/{walletId}` with optional
    /// `dateFrom`/`dateTo`), sorted oldest first. The range was checked when it was built.
    ///
    /// # Errors
    /// As [`balances`](Self::balances), and [`Error::Decode`] when the body is not an object
    /// keyed by timestamps.
    ///
    /// ```no_run
    /// # async fn run(client: balances_core::BalancesClient) -> Result<(), balances_core::Error> {
    /// use balances_core::{HistoryRange, WalletId};
    /// let range = HistoryRange::parse(Some("2024-12-01"), Some("2025-02-10"))?;
    /// let history = client.balance_history(WalletId::new(1317558), range).await?;
    /// for point in &history.points {
    ///     println!("{} {:?}", point.time, point.balance);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn balance_history(
        &self,
        wallet_id: WalletId,
        range: HistoryRange,
    ) -> Result<BalanceHistory, Error> {
        let mut url = HISTORY.url(&self.inner.base, &[&wallet_id.to_string()])?;
        {
            let mut pairs = range.query_pairs().peekable();
            if pairs.peek().is_some() {
                url.query_pairs_mut().extend_pairs(pairs);
            }
        }
        self.get(&HISTORY, url, self.executor.start_call())
            .await
            .map_err(|e| error::about(e, BalancesQuery::Wallet(wallet_id)))
    }

    async fn get<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        url: Url,
        budget: CallBudget,
    ) -> Result<T, Error> {
        let request = endpoint.request_at(url);
        let result = match self.send_authorized(request, endpoint, budget).await {
            Ok(response) => json::decode(&response).map_err(Error::Decode),
            Err(error) => Err(error),
        };
        result.map_err(|e| e.scrubbed(&self.inner.secrets))
    }

    /// Sends `request` with the current token. A 401 with a token obtained from client
    /// credentials renews the token once and sends once more; a second 401 is reported. The
    /// token requests, the request and its resend all fit in `budget`.
    async fn send_authorized(
        &self,
        mut request: Request,
        endpoint: &Endpoint,
        budget: CallBudget,
    ) -> Result<Response, Error> {
        let (executor, auth) = (&self.executor, &self.inner.auth);
        let lease = auth.lease(executor, budget).await?;
        lease.authorize(&mut request);
        let result = match executor.send_within(&request, budget).await {
            Err(qiwi_transport::Error::Service(e))
                if e.answer.status == StatusCode::UNAUTHORIZED && auth.renewable() =>
            {
                tracing::debug!(
                    endpoint = endpoint.id,
                    "the token was refused; renewing it once"
                );
                auth.invalidate(&lease);
                let lease = auth.lease(executor, budget).await?;
                lease.authorize(&mut request);
                executor.send_within(&request, budget).await
            }
            other => other,
        };
        result.map_err(|e| e.refine(|answer| error::refusal(answer, endpoint)))
    }
}

impl fmt::Debug for BalancesClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BalancesClient")
            .field("base_url", &self.inner.base.as_url().as_str())
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}
