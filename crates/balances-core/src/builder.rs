//! Configuration of a [`BalancesClient`].

use qiwi_transport::auth::BearerToken;
use qiwi_transport::{BaseUrl, ClientSettings, ExposeSecret, Scrubber, SecretString};

use crate::Error;
use crate::client::BalancesClient;
use crate::endpoints::TOKEN;
use crate::oauth::{Auth, ClientCredentials, TokenCache};

/// The scope asked for unless [`BalancesClientBuilder::scope`] says otherwise: the balance
/// endpoints need `read_only` (or `read_write`), and a token should carry no more than it needs.
pub const DEFAULT_SCOPE: &str = "read_only";

/// A Treezor environment, for [`BalancesClientBuilder::company`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://<company>.sandbox.treezor.co`
    Sandbox,
    /// `https://<company>.api.treezor.com` (spec 25.04.03; an older spec wrote `.co`)
    Production,
}

impl Environment {
    /// The Connect API base URL of `company` in this environment, from the host patterns of
    /// Treezor's OpenAPI `servers`.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `company` is not a DNS label (letters, digits and inner
    /// hyphens, at most 63 characters).
    ///
    /// ```
    /// use balances_core::Environment;
    /// let url = Environment::Sandbox.base_url("acme")?;
    /// assert_eq!(url.to_string(), "https://acme.sandbox.treezor.co/");
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn base_url(self, company: &str) -> Result<BaseUrl, Error> {
        let label = company.trim().to_ascii_lowercase();
        let valid = (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !valid {
            return Err(Error::configuration(format!(
                "the company name {company:?} cannot be a host name: use the letters, digits and hyphens Treezor gave you, or set the base URL itself"
            )));
        }
        let host = match self {
            Environment::Sandbox => format!("https://{label}.sandbox.treezor.co"),
            Environment::Production => format!("https://{label}.api.treezor.com"),
        };
        BaseUrl::parse(&host).map_err(|e| Error::configuration(e.to_string()))
    }
}

/// Settings for a [`BalancesClient`]; see [`BalancesClient::builder`].
///
/// Needed: where (a base URL, or a company name and environment) and how to authenticate
/// (client credentials, or a token). Everything else has a default.
#[derive(Debug)]
#[must_use]
pub struct BalancesClientBuilder {
    company: Option<(String, Environment)>,
    client_id: Option<SecretString>,
    client_secret: Option<SecretString>,
    scope: String,
    token: Option<SecretString>,
    http: ClientSettings,
}

impl Default for BalancesClientBuilder {
    fn default() -> Self {
        Self {
            company: None,
            client_id: None,
            client_secret: None,
            scope: DEFAULT_SCOPE.to_owned(),
            token: None,
            http: ClientSettings::default(),
        }
    }
}

impl BalancesClientBuilder {
    qiwi_transport::client_settings!(
        http,
        base_url = "The Connect API base URL Treezor gave for the environment, such as `https://acme.sandbox.treezor.co`; or see [`company`](Self::company)."
    );

    /// The base URL from the company name and environment (see [`Environment::base_url`]);
    /// not together with [`base_url`](Self::base_url). Treezor supplies the base URL per
    /// environment; when it gave one, prefer [`base_url`](Self::base_url).
    pub fn company(mut self, company: impl Into<String>, environment: Environment) -> Self {
        self.company = Some((company.into(), environment));
        self
    }

    /// Authenticates with OAuth 2.0 client credentials; tokens are obtained, cached and
    /// renewed by the client.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<SecretString>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret.into());
        self
    }

    qiwi_transport::setters! {
        /// The scopes asked for with client credentials, space separated. Default
        /// [`DEFAULT_SCOPE`] (`read_only`); an empty text sends no `scope` field.
        scope: impl Into<String>;
        /// Authenticates with a token obtained elsewhere. It is sent as is and never renewed:
        /// a 401 is reported as a
        /// [`RefusalKind::Authentication`](crate::RefusalKind::Authentication) refusal.
        token: Option<impl Into<SecretString>>;
    }

    /// Builds the client. Nothing is sent: the first token is requested by the first call.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the base URL is missing, not `https://` (unless
    /// [`allow_http`](Self::allow_http)) or not a URL; when neither or both of client
    /// credentials and a token are given, or one of them is empty or unusable in a header;
    /// when the scope holds characters OAuth does not allow; when a client certificate is
    /// combined with a custom transport; or when no transport is given and the `reqwest`
    /// feature is off.
    ///
    /// ```
    /// use balances_core::{BalancesClient, Environment};
    /// let client = BalancesClient::builder()
    ///     .company("acme", Environment::Sandbox)
    ///     .client_credentials("client-id", "client-secret")
    ///     .build()?;
    /// assert_eq!(client.base_url().to_string(), "https://acme.sandbox.treezor.co/");
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn build(self) -> Result<BalancesClient, Error> {
        let base = match (&self.http.base_url, &self.company) {
            (None, None) => {
                return Err(Error::configuration(
                    "no base URL: set the one Treezor gave you (.base_url) or the company name and environment (.company)",
                ));
            }
            (Some(url), None) => self.http.parse_url(url)?,
            (None, Some((name, environment))) => environment.base_url(name)?,
            (Some(_), Some(_)) => {
                return Err(Error::configuration(
                    "both a base URL and a company were given: choose one",
                ));
            }
        };
        let (auth, secrets) = self.auth(&base)?;
        let executor = self.http.build()?;
        BalancesClient::new(base, executor, auth, secrets)
    }

    /// How calls are authorized, and the scrubber that knows every credential involved.
    fn auth(&self, base: &BaseUrl) -> Result<(Auth, Scrubber), Error> {
        let not_empty = |secret: &SecretString, what: &str| {
            if secret.expose_secret().trim().is_empty() {
                Err(Error::configuration(format!("the {what} is empty")))
            } else {
                Ok(())
            }
        };
        match (&self.client_id, &self.client_secret, &self.token) {
            (Some(id), Some(secret), None) => {
                not_empty(id, "client id")?;
                not_empty(secret, "client secret")?;
                let scope = normalize_scope(&self.scope)?;
                let secrets =
                    Scrubber::for_client_credentials(id.expose_secret(), secret.expose_secret());
                let cache = TokenCache::new(
                    ClientCredentials {
                        client_id: id.clone(),
                        client_secret: secret.clone(),
                        scope,
                    },
                    TOKEN.url(base, &[])?,
                    secrets.clone(),
                );
                Ok((Auth::Credentials(Box::new(cache)), secrets))
            }
            (None, None, Some(token)) => BearerToken::new(token.clone())
                .map(|token| {
                    let secrets = Scrubber::new([token.expose()]);
                    (Auth::Static(token.header_value()), secrets)
                })
                .map_err(|e| Error::configuration(e.to_string())),
            (None, None, None) => Err(Error::configuration(
                "no credentials: give the client id and secret (.client_credentials) or a token (.token)",
            )),
            _ => Err(Error::configuration(
                "both client credentials and a token were given: choose one",
            )),
        }
    }
}

/// Checks scope tokens against RFC 6749 §3.3 (printable ASCII except `"` and `\`) and joins
/// them with single spaces.
fn normalize_scope(scope: &str) -> Result<String, Error> {
    let tokens: Vec<&str> = scope.split_ascii_whitespace().collect();
    if let Some(bad) = tokens.iter().find(|t| {
        !t.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    }) {
        return Err(Error::configuration(format!(
            "the scope {bad:?} holds characters OAuth does not allow"
        )));
    }
    Ok(tokens.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use qiwi_transport::NotSentError;

    #[test]
    fn company_hosts_follow_the_documented_patterns() {
        assert_eq!(
            Environment::Production
                .base_url(" Acme-Corp ")
                .unwrap()
                .to_string(),
            "https://acme-corp.api.treezor.com/"
        );
        for bad in [
            "",
            "-acme",
            "acme-",
            "ac.me",
            "acme/x",
            "a b",
            &"a".repeat(64),
        ] {
            let err = Environment::Sandbox.base_url(bad).unwrap_err();
            assert!(
                matches!(err, Error::NotSent(NotSentError::Configuration(_))),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn scopes_are_normalized_and_checked() {
        assert_eq!(
            normalize_scope(" read_only  read_write ").unwrap(),
            "read_only read_write"
        );
        assert_eq!(normalize_scope("").unwrap(), "");
        assert!(normalize_scope("read\"only").is_err());
        assert!(normalize_scope("lecture_é").is_err());
    }
}
