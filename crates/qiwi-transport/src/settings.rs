//! The settings every client builder shares, written once: [`ClientSettings`] holds them,
//! [`client_settings!`](crate::client_settings) writes their setters into a builder,
//! [`setters!`](crate::setters) writes each family's own setters by one naming rule, and
//! [`call_settings!`](crate::call_settings) writes a client's per-call overrides.
//!
//! Every client builder has the same setters with the same names: `base_url`, `allow_http`,
//! `transport`, `timeouts`, `retry`, `time_source`, `sleep`, `user_agent` and (feature
//! `reqwest`) `client_certificate`. Every client has `with_timeouts` and `with_retry`: a cheap
//! clone whose calls use other limits and share everything else (connections, token cache,
//! the payments already sent).

use std::fmt;
use std::sync::Arc;

use crate::time::{Sleep, TimeSource};
use crate::{BaseUrl, Executor, NotSentError, RetryPolicy, Timeouts, Transport, redact_url};

/// A URL as a builder received it, read when the client is built. `Debug` shows it as
/// [`redact_url`] does: without credentials, query or fragment.
#[derive(Clone, PartialEq, Eq)]
pub struct UrlSetting(String);

impl UrlSetting {
    /// Keeps `url` as given.
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }
}

impl fmt::Debug for UrlSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&redact_url(&self.0), f)
    }
}

/// The settings every client builder shares, and how they become a base URL and an
/// [`Executor`].
#[derive(Default)]
pub struct ClientSettings {
    /// Where the service is; each client has its default.
    pub base_url: Option<UrlSetting>,
    /// Whether a plain `http://` URL is accepted.
    pub allow_http: bool,
    /// The transport; `None` builds the default HTTPS transport (feature `reqwest`).
    pub transport: Option<Arc<dyn Transport>>,
    /// Per-attempt and total time limits.
    pub timeouts: Timeouts,
    /// When to retry.
    pub retry: RetryPolicy,
    /// The time source; `None` is the system's clocks.
    pub time_source: Option<Arc<dyn TimeSource>>,
    /// The sleep; `None` is tokio's timer.
    pub sleep: Option<Arc<dyn Sleep>>,
    /// The `User-Agent` of the default transport; `None` is [`crate::USER_AGENT`].
    pub user_agent: Option<String>,
    /// A client certificate for the default transport (mutual TLS).
    #[cfg(feature = "reqwest")]
    pub client_certificate: Option<crate::ClientIdentity>,
}

impl ClientSettings {
    /// Whether a client certificate was given.
    pub fn has_client_certificate(&self) -> bool {
        #[cfg(feature = "reqwest")]
        return self.client_certificate.is_some();
        #[cfg(not(feature = "reqwest"))]
        false
    }

    /// Reads `url`: `https://` only, unless plain HTTP is allowed.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when it is not an acceptable base URL.
    pub fn parse_url(&self, url: &UrlSetting) -> Result<BaseUrl, NotSentError> {
        BaseUrl::parse_with(&url.0, self.allow_http)
    }

    /// The base URL set, or `default`.
    ///
    /// # Errors
    /// As [`parse_url`](Self::parse_url).
    pub fn base_url_or(&self, default: &str) -> Result<BaseUrl, NotSentError> {
        match &self.base_url {
            Some(url) => self.parse_url(url),
            None => BaseUrl::parse_with(default, self.allow_http),
        }
    }

    /// Builds the executor.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when a transport is given with a client certificate or a
    /// user agent (those belong inside that transport), when no transport is given and the
    /// `reqwest` feature is off, or when the default transport cannot be built.
    pub fn build(self) -> Result<Executor, NotSentError> {
        let transport = match self.transport.clone() {
            Some(_) if self.has_client_certificate() || self.user_agent.is_some() => {
                let what = match self.user_agent {
                    Some(_) => "user agent",
                    None => "certificate",
                };
                return Err(NotSentError::Configuration(format!(
                    "a {what} cannot be added to a transport given with .transport(); build that transport with the {what} instead"
                )));
            }
            Some(transport) => transport,
            None => self.default_transport()?,
        };
        let mut executor = Executor::new(transport)
            .with_retry(self.retry)
            .with_timeouts(self.timeouts);
        if let Some(time_source) = self.time_source {
            executor = executor.with_time_source(time_source);
        }
        if let Some(sleep) = self.sleep {
            executor = executor.with_sleep(sleep);
        }
        Ok(executor)
    }

    #[cfg(feature = "reqwest")]
    fn default_transport(&self) -> Result<Arc<dyn Transport>, NotSentError> {
        let mut builder = crate::ReqwestTransport::builder();
        if let Some(identity) = &self.client_certificate {
            builder = builder.identity(identity.clone());
        }
        if let Some(user_agent) = &self.user_agent {
            builder = builder.user_agent(user_agent);
        }
        Ok(Arc::new(builder.build()?))
    }

    #[cfg(not(feature = "reqwest"))]
    fn default_transport(&self) -> Result<Arc<dyn Transport>, NotSentError> {
        Err(NotSentError::Configuration(
            "no transport is set and the `reqwest` feature is off; set one with .transport(..)"
                .into(),
        ))
    }
}

/// Written by hand to show whether a transport or a clock was given, never what it holds (a
/// recording transport holds request bodies, and those can hold a password).
impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let custom = |set: bool| if set { "custom" } else { "default" };
        let mut s = f.debug_struct("ClientSettings");
        s.field("base_url", &self.base_url)
            .field("allow_http", &self.allow_http)
            .field("transport", &custom(self.transport.is_some()))
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field(
                "clock",
                &custom(self.time_source.is_some() || self.sleep.is_some()),
            )
            .field("user_agent", &self.user_agent);
        #[cfg(feature = "reqwest")]
        s.field("client_certificate", &self.client_certificate);
        // The same shape whatever the features, so that `Debug` text is stable.
        #[cfg(not(feature = "reqwest"))]
        s.field("client_certificate", &None::<()>);
        s.finish()
    }
}

/// Writes the setters of [`ClientSettings`] into a client builder's `impl` block, over the
/// builder's field `$field`. `base_url` takes its documentation from the caller, since each
/// service has its own default. The calling crate has a `reqwest` feature that turns on this
/// crate's, for `client_certificate`.
#[macro_export]
macro_rules! client_settings {
    ($field:ident, base_url = $base_url_doc:literal) => {
        #[doc = $base_url_doc]
        pub fn base_url(mut self, url: impl Into<String>) -> Self {
            self.$field.base_url = Some($crate::UrlSetting::new(url));
            self
        }

        /// Accepts a plain `http://` base URL: for a local emulator or a loopback test only.
        pub fn allow_http(mut self, allow: bool) -> Self {
            self.$field.allow_http = allow;
            self
        }

        /// Sends requests through this transport instead of the built-in HTTPS one; a client
        /// certificate or a user agent then belongs to that transport.
        pub fn transport(mut self, transport: ::std::sync::Arc<dyn $crate::Transport>) -> Self {
            self.$field.transport = Some(transport);
            self
        }

        /// Per-attempt and total time limits of every call. Default 30 s and 60 s; the
        /// client's `with_timeouts` changes them for some calls only.
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.$field.timeouts = timeouts;
            self
        }

        /// When a failed request is sent again (never a write the service cannot
        /// de-duplicate). Default: 3 attempts with capped, jittered backoff; the client's
        /// `with_retry` changes it for some calls only.
        pub fn retry(mut self, retry: $crate::RetryPolicy) -> Self {
            self.$field.retry = retry;
            self
        }

        /// The monotonic time source for budgets and ages, and the wall time for `Retry-After`
        /// dates (tests use one they drive).
        pub fn time_source(
            mut self,
            time_source: ::std::sync::Arc<dyn $crate::time::TimeSource>,
        ) -> Self {
            self.$field.time_source = Some(time_source);
            self
        }

        /// The sleep for backoffs, polls and attempt deadlines (tests use one they drive).
        pub fn sleep(mut self, sleep: ::std::sync::Arc<dyn $crate::time::Sleep>) -> Self {
            self.$field.sleep = Some(sleep);
            self
        }

        /// The `User-Agent` the built-in HTTPS transport sends; default `qiwi-transport/<version>`.
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.$field.user_agent = Some(user_agent.into());
            self
        }

        /// Presents a client certificate (mutual TLS) with the built-in HTTPS transport.
        #[cfg(feature = "reqwest")]
        pub fn client_certificate(mut self, identity: $crate::ClientIdentity) -> Self {
            self.$field.client_certificate = Some(identity);
            self
        }
    };
}

/// Writes builder setters named after the field they set, so that every family setter follows
/// the one rule: `name: Option<T>;` stores `Some(value.into())` from a `T` argument, `name: T;`
/// stores `value.into()`.
#[macro_export]
macro_rules! setters {
    () => {};
    ($(#[$doc:meta])* $name:ident: Option<$arg:ty>; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(mut self, $name: $arg) -> Self {
            self.$name = Some($name.into());
            self
        }
        $crate::setters!($($rest)*);
    };
    ($(#[$doc:meta])* $name:ident: $arg:ty; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(mut self, $name: $arg) -> Self {
            self.$name = $name.into();
            self
        }
        $crate::setters!($($rest)*);
    };
}

/// Writes a client's per-call overrides into its `impl` block, over the client's
/// [`Executor`] field `$executor`. The client is `Clone`, and a clone shares its state.
#[macro_export]
macro_rules! call_settings {
    ($executor:ident) => {
        /// A clone of this client whose calls have these time limits (a long export, a quick
        /// probe). It shares connections, caches and state with this client, which keeps its
        /// own limits.
        pub fn with_timeouts(&self, timeouts: $crate::Timeouts) -> Self {
            let mut client = self.clone();
            client.$executor = client.$executor.with_timeouts(timeouts);
            client
        }

        /// A clone of this client whose calls follow this retry policy. It shares connections,
        /// caches and state with this client, which keeps its own policy.
        pub fn with_retry(&self, retry: $crate::RetryPolicy) -> Self {
            let mut client = self.clone();
            client.$executor = client.$executor.with_retry(retry);
            client
        }
    };
}
