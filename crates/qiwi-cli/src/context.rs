//! Turning flags and variables (or the embedded sandbox) into configured clients.

use std::net::IpAddr;

use qiwi_sandbox::{DemoData, Sandbox, SandboxConfig, demo};
use qiwi_transport::BaseUrl;
use secrecy::{ExposeSecret, SecretString};

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

    /// Settings that point every family at a freshly started embedded sandbox. What the user
    /// chose to look at is kept: the wallet number and terminal id become the sandbox's own,
    /// the Treezor wallet ids and user id are asked for; credentials and URLs are the sandbox's.
    pub async fn sandbox(why: &str, user: ConfigArgs) -> Result<Self, Failure> {
        let mut data = DemoData::default();
        // Checked here, as the sandbox's data requires, so that an error names the setting
        // without its value.
        let digits = |v: &str, lengths: std::ops::RangeInclusive<usize>| {
            lengths.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
        };
        if let Some(wallet) = non_empty(&user.qiwi_wallet) {
            if !digits(wallet, 10..=15) {
                return Err(bad_setting(
                    "qiwi-wallet",
                    "QIWI_WALLET",
                    "a wallet number: 10 to 15 digits",
                ));
            }
            data.qiwi.wallet = wallet.to_owned();
        }
        if let Some(terminal) = non_empty(&user.agent_terminal) {
            if !digits(terminal, 1..=20) {
                return Err(bad_setting(
                    "agent-terminal",
                    "QIWI_AGENT_TERMINAL",
                    "a number (the terminal id)",
                ));
            }
            data.agent.terminal_id = terminal.to_owned();
        }
        let replaced = user.replaced_by_sandbox();
        let sandbox = qiwi_sandbox::start(SandboxConfig::default().with_data(data.clone()))
            .await
            .map_err(|e| Failure::Other(format!("could not start the embedded sandbox: {e}")))?;
        notice(&format!(
            "{why}: using the embedded sandbox with demo data at {} (see README.md)",
            sandbox.base_url()
        ));
        if !replaced.is_empty() {
            notice(&format!(
                "the embedded sandbox uses its own {} instead of the values set",
                replaced.join(", ")
            ));
        }
        let base = sandbox.base_url();
        let user_id = match (&user.treezor_user_id, user.treezor_wallet_ids.is_empty()) {
            (Some(user_id), _) => Some(user_id.clone()),
            (None, true) => Some(demo::TREEZOR_USER_ID.to_string()),
            (None, false) => None,
        };
        let config = ConfigArgs {
            qiwi_token: Some(data.qiwi.token.as_str().into()),
            qiwi_wallet: Some(data.qiwi.wallet),
            qiwi_base_url: Some(base.clone()),
            agent_url: Some(sandbox.agent_url()),
            agent_terminal: Some(data.agent.terminal_id),
            agent_password: Some(data.agent.password.as_str().into()),
            treezor_base_url: Some(base),
            treezor_client_id: Some(data.treezor.client_id.as_str().into()),
            treezor_client_secret: Some(data.treezor.client_secret.as_str().into()),
            treezor_wallet_ids: user.treezor_wallet_ids,
            treezor_user_id: user_id,
        };
        Ok(Self {
            config,
            sandbox: Some(sandbox),
        })
    }

    /// Whether the settings are those of the embedded sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Whether no family has any credential configured (token, password, client id or secret).
    /// Other settings (a wallet number, a terminal id, Treezor wallet ids) choose what the
    /// sandbox shows.
    pub fn nothing_configured(config: &ConfigArgs) -> bool {
        config.qiwi_token.is_none()
            && config.agent_password.is_none()
            && config.treezor_client_id.is_none()
            && config.treezor_client_secret.is_none()
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

/// A setting's value when it is set to more than blanks.
fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
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
        .ok_or_else(|| not_set(flag, variable))
}

/// A required secret setting, or a usage failure naming its flag and variable.
pub fn required_secret(
    value: &Option<SecretString>,
    flag: &str,
    variable: &str,
) -> Result<SecretString, Failure> {
    value
        .as_ref()
        .filter(|v| !v.expose_secret().trim().is_empty())
        .cloned()
        .ok_or_else(|| not_set(flag, variable))
}

fn not_set(flag: &str, variable: &str) -> Failure {
    Failure::Usage(format!(
        "{flag} is not set: set {variable} or pass --{flag}"
    ))
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
