//! Starting and stopping the sandbox: configuration, the running [`Sandbox`] handle, and the
//! standalone [`serve`] entry point.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::conn::{self, Limits};
use crate::demo::DemoData;
use crate::faults::FaultRule;
use crate::history_log::HistoryLimit;
use crate::money::Amount;
use crate::routes::{AGENT_PATH, LOOKUP_PATH, check_fault_rule, router};
use crate::state::{Settings, Shared, TreezorOperation, lock};

/// How to run a sandbox.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The data the sandbox starts with (and returns to on `POST /__sandbox/reset`).
    pub data: DemoData,
    /// Fault rules active from the start.
    pub faults: Vec<FaultRule>,
    /// How long an accepted agent payment stays in progress (status 50) before it completes
    /// (status 60, or 160 for a failing wallet); also how long a confirmed identification
    /// downgrade stays `IN_PROGRESS`. Default: 2 s.
    pub processing_delay: Duration,
    /// Lifetime of Treezor access tokens (`expires_in`). Default: 3600 s.
    pub treezor_token_ttl: Duration,
    /// Most Treezor tokens valid at once: issuing one more drops the oldest. Default: 10,000.
    pub treezor_token_limit: usize,
    /// Connections open at once; more are closed as soon as they are accepted. Default: 1,024.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers (an idle keep-alive connection
    /// included) before it is disconnected. Default: 10 s.
    pub header_read_timeout: Duration,
    /// Whether the server may listen on an address other than loopback. The demo credentials
    /// are public, so this is off by default.
    pub allow_remote: bool,
    /// Payment-history requests (E14 to E18) allowed per [`history_window`](Self::history_window)
    /// and wallet, as the real service allows 100 a minute; one more blocks the wallet's history
    /// for [`history_block`](Self::history_block) with `423`. `None` switches the limit off.
    /// Default: 100.
    pub history_limit: Option<u32>,
    /// The window the history limit counts over. Default: 60 s.
    pub history_window: Duration,
    /// How long a wallet over the history limit stays blocked. Default: 5 minutes.
    pub history_block: Duration,
    /// When a payment notification not answered `200` is sent again: after the first failed
    /// attempt, then after the second. Default: the service's 10 minutes and 1 hour.
    pub webhook_retry_delays: [Duration; 2],
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            data: DemoData::default(),
            faults: Vec::new(),
            processing_delay: Duration::from_secs(2),
            treezor_token_ttl: Duration::from_secs(3600),
            treezor_token_limit: 10_000,
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            allow_remote: false,
            history_limit: Some(100),
            history_window: Duration::from_secs(60),
            history_block: Duration::from_secs(5 * 60),
            webhook_retry_delays: [Duration::from_secs(600), Duration::from_secs(3600)],
        }
    }
}

impl SandboxConfig {
    /// Uses another data set.
    pub fn with_data(mut self, data: DemoData) -> Self {
        self.data = data;
        self
    }

    /// Adds a fault rule active from the start.
    pub fn with_fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// Sets how long accepted work stays in progress.
    pub fn with_processing_delay(mut self, delay: Duration) -> Self {
        self.processing_delay = delay;
        self
    }

    /// Sets the Treezor token lifetime.
    pub fn with_treezor_token_ttl(mut self, ttl: Duration) -> Self {
        self.treezor_token_ttl = ttl;
        self
    }

    /// Sets the most Treezor tokens valid at once.
    pub fn with_treezor_token_limit(mut self, limit: usize) -> Self {
        self.treezor_token_limit = limit;
        self
    }

    /// Sets the most connections open at once.
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
        self
    }

    /// Sets how long a client may take to send a request's headers.
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets when an unanswered notification is sent again (short delays for tests).
    pub fn with_webhook_retry_delays(mut self, delays: [Duration; 2]) -> Self {
        self.webhook_retry_delays = delays;
        self
    }

    /// Allows listening on an address other than loopback (the demo credentials are public).
    pub fn with_remote_access(mut self, allow: bool) -> Self {
        self.allow_remote = allow;
        self
    }

    /// Sets the payment-history requests allowed per window (`None`: no limit).
    pub fn with_history_limit(mut self, limit: Option<u32>) -> Self {
        self.history_limit = limit;
        self
    }

    /// Sets the window the history limit counts over (short ones keep tests short).
    pub fn with_history_window(mut self, window: Duration) -> Self {
        self.history_window = window;
        self
    }

    /// Sets how long a wallet over the history limit stays blocked.
    pub fn with_history_block(mut self, block: Duration) -> Self {
        self.history_block = block;
        self
    }

    /// Checks the configuration against the address to listen on, and builds the shared
    /// state and the server's limits.
    fn prepare(self, addr: SocketAddr) -> io::Result<(Arc<Shared>, Limits)> {
        let invalid = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
        check_listen_address(addr, self.allow_remote).map_err(|e| invalid(e.to_string()))?;
        self.data.validate().map_err(|e| invalid(e.to_string()))?;
        for rule in &self.faults {
            check_fault_rule(rule).map_err(|e| invalid(e.to_string()))?;
        }
        let settings = Settings {
            processing_delay: self.processing_delay,
            token_ttl: self.treezor_token_ttl,
            token_limit: self.treezor_token_limit,
            history_limit: HistoryLimit {
                requests: self.history_limit,
                window: self.history_window,
                block: self.history_block,
            },
            webhook_retry_delays: self.webhook_retry_delays,
        };
        let limits = Limits {
            max_connections: self.max_connections,
            header_read_timeout: self.header_read_timeout,
        };
        let shared = Arc::new(Shared::new(self.data, settings));
        lock(&shared.faults).add(self.faults);
        crate::webhooks::spawn_worker(&shared);
        Ok((shared, limits))
    }
}

/// A sandbox was asked to listen on an address other than loopback without
/// [`SandboxConfig::allow_remote`].
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} is not a loopback address: the sandbox's credentials are public demo values, so it listens on loopback only unless remote access is allowed"
)]
pub struct RemoteListenRefused(pub SocketAddr);

/// Checks that the sandbox may listen on `addr`: a loopback address, or any address when
/// `allow_remote` is set.
///
/// ```
/// use qiwi_sandbox::check_listen_address;
/// assert!(check_listen_address("127.0.0.1:8080".parse().unwrap(), false).is_ok());
/// assert!(check_listen_address("[::1]:8080".parse().unwrap(), false).is_ok());
/// assert!(check_listen_address("0.0.0.0:8080".parse().unwrap(), false).is_err());
/// assert!(check_listen_address("0.0.0.0:8080".parse().unwrap(), true).is_ok());
/// ```
///
/// # Errors
/// [`RemoteListenRefused`] for any other address.
pub fn check_listen_address(
    addr: SocketAddr,
    allow_remote: bool,
) -> Result<(), RemoteListenRefused> {
    if allow_remote || addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(RemoteListenRefused(addr))
    }
}

/// A Treezor balance change that [`Sandbox::treezor_operation`] refused.
#[derive(Debug, thiserror::Error)]
#[error("the Treezor operation was refused: {0}")]
pub struct OperationError(String);

/// A running sandbox. Dropping it stops the server (gracefully, in the background);
/// [`Sandbox::shutdown`] stops it and waits.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// Starts a sandbox on a free loopback port (`127.0.0.1:0`).
pub async fn start(config: SandboxConfig) -> io::Result<Sandbox> {
    bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
}

/// Starts a sandbox on `addr`.
///
/// # Errors
/// [`io::ErrorKind::InvalidInput`] for an address that is not loopback without
/// [`SandboxConfig::allow_remote`], or a fault rule that [`check_fault_rule`] refuses; the
/// error of binding the address.
pub async fn bind(addr: SocketAddr, config: SandboxConfig) -> io::Result<Sandbox> {
    let (shared, limits) = config.prepare(addr)?;
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(conn::serve(
        listener,
        router(shared.clone()),
        limits,
        async {
            let _ = stopped.await;
        },
    ));
    Ok(Sandbox {
        addr,
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Serves the sandbox on `listener` until the process ends.
///
/// # Errors
/// As [`bind`].
pub async fn serve(config: SandboxConfig, listener: TcpListener) -> io::Result<()> {
    serve_with_shutdown(config, listener, std::future::pending()).await
}

/// Serves the sandbox on `listener` until `signal` completes, then shuts down gracefully.
///
/// # Errors
/// As [`bind`].
pub async fn serve_with_shutdown(
    config: SandboxConfig,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (shared, limits) = config.prepare(listener.local_addr()?)?;
    conn::serve(listener, router(shared), limits, signal).await
}

impl Sandbox {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of all three families, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The agent protocol endpoint: the base URL plus `/xml/topup.jsp`.
    pub fn agent_url(&self) -> String {
        format!("{}{AGENT_PATH}", self.base_url())
    }

    /// The human-readable text listing the URLs and demo credentials.
    pub fn credentials_banner(&self) -> String {
        credentials_banner(&self.base_url(), &self.shared.initial)
    }

    /// Adds a fault rule.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).add([rule]);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many requests a route received (faulted and dropped ones included). A prefix such
    /// as `agent.pay` or `wallet` sums the routes under it.
    pub fn hits(&self, route: &str) -> u64 {
        lock(&self.shared.hits).count(route)
    }

    /// Request counts by route name.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.hits).routes.clone()
    }

    /// Sets every request count back to zero.
    pub fn reset_request_counts(&self) {
        *lock(&self.shared.hits) = Default::default();
    }

    /// Puts the state back to the initial demo data.
    pub fn reset_state(&self) {
        self.shared.reset();
    }

    /// Moves the sandbox's clock ahead: accepted work (agent and wallet payments, downgrades)
    /// whose processing delay has then passed completes at the next request.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// Makes every Treezor token issued so far expire now.
    pub fn expire_treezor_tokens(&self) {
        self.shared.expire_treezor_tokens();
    }

    /// Changes a Treezor wallet's balance, appending a history point.
    pub fn treezor_operation(
        &self,
        wallet_id: u64,
        op: TreezorOperation,
        amount: Amount,
    ) -> Result<(), OperationError> {
        self.shared
            .state()
            .treezor_operation(wallet_id, op, amount.minor(), crate::clock::now())
            .map_err(OperationError)
    }

    /// The balance of a QIWI demo wallet account (`None` for an unknown alias or an account
    /// without a balance).
    pub fn qiwi_balance(&self, alias: &str) -> Option<Amount> {
        self.shared
            .state()
            .qiwi
            .accounts
            .iter()
            .find(|a| a.alias == alias)
            .and_then(|a| a.balance)
    }

    /// The agent's balance in a currency (ISO 4217 numeric).
    pub fn agent_balance(&self, currency: u16) -> Option<Amount> {
        self.shared
            .state()
            .agent
            .balances
            .get(&currency)
            .map(|m| Amount(*m))
    }

    /// A Treezor wallet's `(currentBalance, authorizations)`.
    pub fn treezor_balance(&self, wallet_id: u64) -> Option<(Amount, Amount)> {
        self.shared
            .state()
            .treezor
            .wallets
            .get(&wallet_id)
            .map(|w| (Amount(w.current), Amount(w.authorizations)))
    }

    /// Stops the server gracefully and waits for it to finish.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("running", &self.stop.is_some())
            .finish()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The text listing URLs and credentials for a sandbox at `base_url` serving `data`.
pub fn credentials_banner(base_url: &str, data: &DemoData) -> String {
    let q = &data.qiwi;
    let a = &data.agent;
    let t = &data.treezor;
    let mut out = String::new();
    let _ = writeln!(out, "QIWI sandbox listening on {base_url}");
    let _ = writeln!(out);
    let _ = writeln!(out, "QIWI Wallet API (JSON)");
    let _ = writeln!(out, "  base URL       {base_url}");
    let _ = writeln!(out, "  token          {}", q.token);
    let _ = writeln!(out, "  wallet         {}", q.wallet);
    for w in q.other_wallets.iter().filter(|w| w.token.is_some()) {
        let _ = writeln!(
            out,
            "  second token   {}",
            w.token.as_deref().unwrap_or_default()
        );
        let _ = writeln!(out, "  second wallet  {}", w.phone);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "QIWI agent protocol (XML)");
    let _ = writeln!(out, "  URL            {base_url}{AGENT_PATH}");
    let _ = writeln!(out, "  lookup URL     {base_url}{LOOKUP_PATH}");
    let _ = writeln!(out, "  terminal-id    {}", a.terminal_id);
    let _ = writeln!(out, "  password       {}", a.password);
    let _ = writeln!(out);
    let _ = writeln!(out, "Treezor balances (JSON)");
    let _ = writeln!(out, "  base URL       {base_url}");
    let _ = writeln!(out, "  token URL      {base_url}/oauth/token");
    let _ = writeln!(out, "  client_id      {}", t.client_id);
    let _ = writeln!(out, "  client_secret  {}", t.client_secret);
    let mut users: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for w in &t.wallets {
        users.entry(w.user_id).or_default().push(w.wallet_id);
    }
    for (user, wallets) in users {
        let list: Vec<String> = wallets.iter().map(u64::to_string).collect();
        let _ = writeln!(out, "  userId {user:<8} walletIds {}", list.join(", "));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Admin");
    let _ = writeln!(
        out,
        "  faults         {base_url}/__sandbox/faults  (GET, POST, DELETE)"
    );
    let _ = writeln!(
        out,
        "  request counts {base_url}/__sandbox/requests  (GET, DELETE)"
    );
    let _ = writeln!(out, "  routes         {base_url}/__sandbox/routes");
    let _ = writeln!(out, "  reset state    {base_url}/__sandbox/reset  (POST)");
    out
}
