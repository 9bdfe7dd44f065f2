use std::fmt;
use std::sync::Arc;

use crate::time::{Sleep, TimeSource};
use crate::{Executor, NotSentError, RetryPolicy, Timeouts, Transport};

/// What a client builder lets the caller choose about the HTTP layer, and how it becomes an
/// [`Executor`]: one place for the defaults every client shares.
#[derive(Default)]
pub struct ExecutorSettings {
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
    /// A client certificate for the default transport (mutual TLS).
    #[cfg(feature = "reqwest")]
    pub identity: Option<crate::ClientIdentity>,
}

impl ExecutorSettings {
    /// Whether a client certificate was given.
    pub fn has_identity(&self) -> bool {
        #[cfg(feature = "reqwest")]
        return self.identity.is_some();
        #[cfg(not(feature = "reqwest"))]
        false
    }

    /// Builds the executor.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when a transport and a client certificate are both given
    /// (the certificate belongs inside that transport), when no transport is given and the
    /// `reqwest` feature is off, or when the default transport cannot be built.
    pub fn build(self) -> Result<Executor, NotSentError> {
        let has_identity = self.has_identity();
        let transport = match self.transport {
            Some(_) if has_identity => {
                return Err(NotSentError::Configuration(
                    "a client certificate cannot be added to a transport given with .transport(); build that transport with the certificate instead".into(),
                ));
            }
            Some(transport) => transport,
            None => self.default_transport_parts()?,
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
    fn default_transport_parts(&self) -> Result<Arc<dyn Transport>, NotSentError> {
        let mut builder = crate::ReqwestTransport::builder();
        if let Some(identity) = &self.identity {
            builder = builder.identity(identity.clone());
        }
        Ok(Arc::new(builder.build()?))
    }

    #[cfg(not(feature = "reqwest"))]
    fn default_transport_parts(&self) -> Result<Arc<dyn Transport>, NotSentError> {
        Err(NotSentError::Configuration(
            "no transport is set and the `reqwest` feature is off; set one with .transport(..)"
                .into(),
        ))
    }
}

impl fmt::Debug for ExecutorSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let custom = |set: bool| if set { "custom" } else { "default" };
        let mut s = f.debug_struct("ExecutorSettings");
        s.field("transport", &custom(self.transport.is_some()))
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            // One field for both halves of time, so that the `Debug` text stays as it was.
            .field(
                "clock",
                &custom(self.time_source.is_some() || self.sleep.is_some()),
            );
        #[cfg(feature = "reqwest")]
        s.field("identity", &self.identity);
        // The same shape whatever the features, so that `Debug` text is stable.
        #[cfg(not(feature = "reqwest"))]
        s.field("identity", &None::<()>);
        s.finish()
    }
}
