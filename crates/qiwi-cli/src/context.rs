//! Turning flags and variables (or the embedded sandbox) into configured clients.

use std::net::IpAddr;

use qiwi_sandbox::{Sandbox, SandboxConfig, demo};
use qiwi_transport::BaseUrl;
use secrecy::SecretString;

use crate::cli::ConfigArgs;
use crate::failure::Failure;
use crate::output::notice;

/// Connection settings for the three families, from flags, variables or the sandbox.
#[derive(Debug)]
pub struct Context {
    config: ConfigArgs,
    /// Keeps the embedded sandbox running for the life of the command.
    sandbox: Option<Sandbox>,
}

impl Context {
    /// Settings as configured by the user.
    pub fn configured(config: ConfigArgs) -> Self {
        Self {
            config,
            sandbox: None,
        }
    }

    /// Settings that point every family at a freshly started embedded sandbox.
    pub async fn sandbox(why: &str) -> Result<Self, Failure> {
        let sandbox = qiwi_sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| Failure::Other(format!("could not start the embedded sandbox: {e}")))?;
        notice(&format!(
            "{why}: using the embedded sandbox with demo data at {} (see README.md)",
            sandbox.base_url()
        ));
        let base = sandbox.base_url();
        let config = ConfigArgs {
            qiwi_token: Some(demo::QIWI_TOKEN.into()),
            qiwi_wallet: Some(demo::QIWI_WALLET.into()),
            qiwi_base_url: Some(base.clone()),
            agent_url: Some(sandbox.agent_url()),
            agent_terminal: Some(demo::AGENT_TERMINAL_ID.into()),
            agent_password: Some(demo::AGENT_PASSWORD.into()),
            treezor_base_url: Some(base),
            treezor_client_id: Some(demo::TREEZOR_CLIENT_ID.into()),
            treezor_client_secret: Some(demo::TREEZOR_CLIENT_SECRET.into()),
            treezor_wallet_ids: Vec::new(),
            treezor_user_id: Some(demo::TREEZOR_USER_ID.to_string()),
        };
        Ok(Self {
            config,
            sandbox: Some(sandbox),
        })
    }

    /// Whether no family has any credential configured.
    pub fn nothing_configured(config: &ConfigArgs) -> bool {
        config.qiwi_token.is_none()
            && config.agent_terminal.is_none()
            && config.treezor_client_id.is_none()
    }

    /// The settings.
    pub fn config(&self) -> &ConfigArgs {
        &self.config
    }

    /// Which families are configured (a credential present), in display order.
    pub fn wallet_configured(&self) -> bool {
        self.config.qiwi_token.is_some()
    }

    /// Whether the agent family has credentials.
    pub fn agent_configured(&self) -> bool {
        self.config.agent_terminal.is_some()
    }

    /// Whether the Treezor family has credentials.
    pub fn treezor_configured(&self) -> bool {
        self.config.treezor_client_id.is_some()
    }

    /// Stops the embedded sandbox, if any.
    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            let _ = sandbox.shutdown().await;
        }
    }
}

/// A required setting, or a usage failure naming its flag and variable.
pub fn required<'a>(
    value: &'a Option<String>,
    flag: &str,
    variable: &str,
) -> Result<&'a str, Failure> {
    value
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            Failure::Usage(format!(
                "{flag} is not set: set {variable} or pass --{flag}"
            ))
        })
}

/// A secret setting, wrapped at once so it is never printed.
pub fn required_secret(
    value: &Option<String>,
    flag: &str,
    variable: &str,
) -> Result<SecretString, Failure> {
    required(value, flag, variable).map(|v| SecretString::from(v.to_owned()))
}

/// Checks a base URL setting here, so that an error names the setting, and says whether plain
/// `http://` is allowed for it. A message shows the URL without its credentials or query, and
/// nothing of a value that is not a URL.
pub fn url_setting(value: &str, flag: &str, variable: &str) -> Result<bool, Failure> {
    let allow_http = allow_http_for(value, variable)?;
    BaseUrl::parse_with(value, allow_http)
        .map_err(|e| Failure::Usage(format!("{variable} (--{flag}): {e}")))?;
    Ok(allow_http)
}

/// A usage failure for a setting whose value is refused: it names the setting and what is
/// expected, never the value (a secret pasted into the wrong variable must not be printed).
pub fn bad_setting(flag: &str, variable: &str, expected: &str) -> Failure {
    Failure::Usage(format!("{variable} (--{flag}) must be {expected}"))
}

/// Whether plain `http://` is to be allowed for `url`, the value of `variable`: yes for a
/// loopback host; an `http://` URL to any other host is a usage failure (the program has no
/// switch to allow it, so its advice names the rule instead).
pub fn allow_http_for(url: &str, variable: &str) -> Result<bool, Failure> {
    let Some(rest) = url.trim().strip_prefix("http://") else {
        return Ok(false);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    {
        Ok(true)
    } else {
        Err(Failure::Usage(format!(
            "{variable} is a plain http:// URL to a host that is not loopback; use https:// (plain http:// is accepted only for 127.0.0.1, ::1 and localhost, as for `qiwi sandbox serve`)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::allow_http_for;

    #[test]
    fn plain_http_only_for_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost/x",
            "http://[::1]:1",
            "http://127.9.9.9",
        ] {
            assert!(allow_http_for(url, "X").unwrap(), "{url}");
        }
        assert!(!allow_http_for("https://127.0.0.1", "X").unwrap());
        for url in [
            "http://example.com",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(allow_http_for(url, "X").is_err(), "{url}");
        }
    }
}
