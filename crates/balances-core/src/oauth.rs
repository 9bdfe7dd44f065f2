//! OAuth 2.0 client credentials against `POST /oauth/token`, and the token cache.
//!
//! The token request is `multipart/form-data`: it is the only encoding Treezor documents (the
//! OpenAPI `requestBody` of `/oauth/token` and the guide's `curl --form` example). Other
//! encodings seen in the wild (form-urlencoded in a Go SDK, JSON in a JavaScript sample) are
//! undocumented and could stop working without notice.
//!
//! A token lives an hour (`expires_in: 3600`). It is kept until shortly before it runs out and
//! shared by every call; when it must be renewed, one task asks for a new one while the others
//! wait for it (an async mutex around the renewal, and a re-check once it is held). A renewal's
//! outcome, token or error, is handed to every caller that waited for it: a failing token
//! endpoint gets one renewal, not one per caller. Each wait, like the renewal itself, lasts no
//! longer than what remains of the waiting call's own budget.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use qiwi_transport::auth::BearerToken;
use qiwi_transport::codec::json;
use qiwi_transport::{
    Bytes, CallBudget, DecodeError, Executor, ExposeSecret, HeaderValue, Request, Scrubber,
    SecretString, StatusCode, TransportErrorKind, header,
};
use serde::Deserialize;
use url::Url;

use crate::endpoints::TOKEN;
use crate::{Error, multipart};

/// `expires_in` when the answer leaves it out: the OpenAPI default.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// A token is renewed this long before it runs out (at most a tenth of its lifetime), so that
/// a call made just before expiry does not reach Treezor with a dead token.
const RENEWAL_MARGIN: Duration = Duration::from_secs(60);
/// The shortest time a token is used before it is renewed, whatever `expires_in` says: a zero
/// or tiny lifetime would otherwise make every call ask for a new token. A token refused
/// sooner is renewed on its 401, once per call.
const MIN_REUSE: Duration = Duration::from_secs(10);

/// The client id, secret and requested scope.
pub(crate) struct ClientCredentials {
    pub(crate) client_id: SecretString,
    pub(crate) client_secret: SecretString,
    /// Space-separated scopes; empty sends no `scope` field.
    pub(crate) scope: String,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &format_args!("[REDACTED]"))
            .field("client_secret", &format_args!("[REDACTED]"))
            .field("scope", &self.scope)
            .finish()
    }
}

/// How calls are authorized.
pub(crate) enum Auth {
    /// A token given by the caller (as its sensitive `Authorization` value): used as is,
    /// never renewed.
    Static(HeaderValue),
    /// Tokens obtained with client credentials and renewed as needed.
    Credentials(Box<TokenCache>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Static(_) => f.write_str("StaticToken([REDACTED])"),
            Auth::Credentials(cache) => write!(
                f,
                "ClientCredentials {{ scope: {:?} }}",
                cache.credentials.scope
            ),
        }
    }
}

/// A token to send, and which renewal it came from (so that a 401 clears only that one).
#[derive(Clone)]
pub(crate) struct Lease {
    header: HeaderValue,
    generation: u64,
}

impl Lease {
    /// Sets the `Authorization: Bearer ...` header of `request` (marked sensitive), replacing
    /// the one of an earlier lease.
    pub(crate) fn authorize(&self, request: &mut Request) {
        request
            .headers
            .insert(header::AUTHORIZATION, self.header.clone());
    }
}

impl Auth {
    /// The token to use now, obtaining one first when needed, within the call's `budget`.
    pub(crate) async fn lease(
        &self,
        executor: &Executor,
        budget: CallBudget,
    ) -> Result<Lease, Error> {
        match self {
            Auth::Static(header) => Ok(Lease {
                header: header.clone(),
                generation: 0,
            }),
            Auth::Credentials(cache) => cache.lease(executor, budget).await,
        }
    }

    /// Whether a refused token can be replaced by a new one.
    pub(crate) fn renewable(&self) -> bool {
        matches!(self, Auth::Credentials(_))
    }

    /// Forgets the token of `lease` after Treezor refused it, unless it was already replaced.
    pub(crate) fn invalidate(&self, lease: &Lease) {
        if let Auth::Credentials(cache) = self {
            let mut state = cache.state();
            if state
                .cached
                .as_ref()
                .is_some_and(|c| c.generation == lease.generation)
            {
                state.cached = None;
            }
        }
    }
}

/// The shared token and the lock that makes one task at a time renew it.
pub(crate) struct TokenCache {
    credentials: ClientCredentials,
    /// Learns each token obtained, so that errors are scrubbed of it.
    secrets: Scrubber,
    token_url: Url,
    state: Mutex<TokenState>,
    renewal: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct TokenState {
    cached: Option<Cached>,
    /// How many tokens were obtained so far: names the token a lease came from.
    generation: u64,
    /// How many renewals ended so far, with a token or an error; a waiter that sees it move
    /// knows that a renewal ended while it waited.
    renewals: u64,
    /// The error of the last renewal, when it failed: what its waiters get.
    failure: Option<Error>,
}

struct Cached {
    /// The formatted `Authorization` value, kept rather than the token so that a call only
    /// clones it.
    header: HeaderValue,
    obtained_at: Instant,
    /// How long after `obtained_at` the token is renewed; a duration rather than an instant,
    /// so that no `expires_in` can overflow the clock.
    reuse_for: Duration,
    generation: u64,
}

impl Cached {
    fn lease(&self) -> Lease {
        Lease {
            header: self.header.clone(),
            generation: self.generation,
        }
    }

    fn fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.obtained_at) < self.reuse_for
    }
}

impl TokenCache {
    pub(crate) fn new(credentials: ClientCredentials, token_url: Url, secrets: Scrubber) -> Self {
        Self {
            credentials,
            secrets,
            token_url,
            state: Mutex::default(),
            renewal: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> MutexGuard<'_, TokenState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token if it is still fresh; else how many renewals had ended.
    fn fresh(&self, now: Instant) -> Result<Lease, u64> {
        let state = self.state();
        match &state.cached {
            Some(c) if c.fresh(now) => Ok(c.lease()),
            _ => Err(state.renewals),
        }
    }

    async fn lease(&self, executor: &Executor, budget: CallBudget) -> Result<Lease, Error> {
        let time = executor.time_source();
        let seen = match self.fresh(time.now()) {
            Ok(lease) => return Ok(lease),
            Err(renewals) => renewals,
        };
        let _renewing = executor
            .wait_within(budget, self.renewal.lock())
            .await
            .map_err(Error::Transport)?;
        {
            // A renewal that ended while this call waited answers for it too.
            let state = self.state();
            if state.renewals != seen {
                if let Some(failure) = &state.failure {
                    return Err(failure.clone());
                }
                if let Some(c) = &state.cached {
                    return Ok(c.lease());
                }
            }
        }
        let requested_at = time.now();
        let answer = match self.request_token(executor, budget).await {
            Ok(answer) => answer,
            Err(error) => {
                // Running out of this call's own time says nothing of the token endpoint: the
                // next waiter, with time of its own, renews instead of failing with it.
                let out_of_time = budget.remaining(time.now()).is_zero()
                    && matches!(&error, Error::Transport(e) if e.kind() == TransportErrorKind::Timeout);
                if !out_of_time {
                    let mut state = self.state();
                    state.renewals += 1;
                    state.failure = Some(error.clone());
                }
                return Err(error);
            }
        };
        let lifetime = answer.expires_in;
        let lease = {
            let mut state = self.state();
            state.generation += 1;
            state.renewals += 1;
            state.failure = None;
            let cached = Cached {
                header: answer.token.header_value(),
                obtained_at: requested_at,
                reuse_for: reuse_for(lifetime),
                generation: state.generation,
            };
            state.cached.insert(cached).lease()
        };
        tracing::debug!(
            generation = lease.generation,
            lifetime_s = lifetime.as_secs(),
            "obtained a Treezor access token"
        );
        Ok(lease)
    }

    async fn request_token(
        &self,
        executor: &Executor,
        budget: CallBudget,
    ) -> Result<AccessToken, Error> {
        let credentials = &self.credentials;
        let mut fields: Vec<(&'static str, &[u8])> = vec![
            ("grant_type", b"client_credentials"),
            (
                "client_id",
                credentials.client_id.expose_secret().as_bytes(),
            ),
            (
                "client_secret",
                credentials.client_secret.expose_secret().as_bytes(),
            ),
        ];
        if !credentials.scope.is_empty() {
            fields.push(("scope", credentials.scope.as_bytes()));
        }
        let form = multipart::encode(&fields);
        let mut request = TOKEN.request_at(self.token_url.clone());
        let content_type = HeaderValue::try_from(form.content_type).map_err(|_| {
            Error::configuration("the token request's content type is not a header value")
        })?;
        request.headers.insert(header::CONTENT_TYPE, content_type);
        request.body = form.body;
        let response = executor
            .send_within(&request, budget)
            .await
            .map_err(|e| e.refine(|answer| crate::error::refusal(answer, &TOKEN)))?;
        let answer = AccessToken::decode(response.status, &response.body)?;
        self.secrets.rotate(answer.token.expose());
        Ok(answer)
    }
}

fn renewal_margin(lifetime: Duration) -> Duration {
    RENEWAL_MARGIN.min(lifetime / 10)
}

/// How long a token of `lifetime` is used before it is renewed: its lifetime less the margin,
/// and at least [`MIN_REUSE`].
fn reuse_for(lifetime: Duration) -> Duration {
    lifetime
        .saturating_sub(renewal_margin(lifetime))
        .max(MIN_REUSE)
}

/// A non-negative number of seconds as JSON writes it (`3600`, `3600.0`, `3.6e3`); one too
/// large for a `Duration` is the largest. The lifetime only says when to renew: a token
/// refused sooner is renewed on its 401, so an odd but readable figure must not cost the token.
fn lifetime(text: &str) -> Option<Duration> {
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Digits first: rules out a sign and the words `inf` and `NaN`, which `f64` also reads.
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let seconds = text.parse::<f64>().ok()?;
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::from_secs(u64::MAX)))
}

/// The body of a successful token answer, as sent.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: SecretString,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, with = "qiwi_types::lenient::text_opt")]
    expires_in: Option<String>,
}

/// A token from `POST /oauth/token`: `{"token_type": "Bearer", "expires_in": 3600,
/// "access_token": "..."}`.
#[derive(Clone, Debug)]
pub struct AccessToken {
    token: BearerToken,
    token_type: Option<String>,
    expires_in: Duration,
}

impl AccessToken {
    /// Reads the body of a successful token answer. A missing or empty `expires_in` is the
    /// OpenAPI default, 3600 s; a fraction or an exponent is read, a figure too large for a
    /// `Duration` is the largest; `token_type`, when given, must be `Bearer` (any case).
    ///
    /// # Errors
    /// [`Error::Decode`] naming the field; the error never holds the body, which may hold a
    /// token.
    ///
    /// ```
    /// use balances_core::AccessToken;
    /// let token = AccessToken::from_json(br#"{"token_type": "Bearer", "expires_in": 3600, "access_token": "eyJ0eX"}"#)?;
    /// assert_eq!(token.expires_in().as_secs(), 3600);
    /// assert_eq!(format!("{token:?}"), "AccessToken { token: BearerToken([REDACTED]), token_type: Some(\"Bearer\"), expires_in: 3600s }");
    /// # Ok::<(), balances_core::Error>(())
    /// ```
    pub fn from_json(body: &[u8]) -> Result<Self, Error> {
        Self::decode(StatusCode::OK, body)
    }

    fn decode(status: StatusCode, body: &[u8]) -> Result<Self, Error> {
        let withheld = |path: &str, message: String| DecodeError {
            status,
            format: "JSON",
            path: path.to_owned(),
            message: format!("{message} (the body is withheld: it may hold a token)"),
            body: Bytes::new(),
        };
        let answer: TokenAnswer = json::decode_body(status, &Bytes::copy_from_slice(body))
            .map_err(|e| withheld(&e.path, e.message))?;
        if let Some(kind) = answer
            .token_type
            .as_deref()
            .filter(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(withheld(
                "token_type",
                format!("the token type is {kind:?}; only Bearer tokens are supported"),
            )
            .into());
        }
        let expires_in = match answer.expires_in.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIFETIME,
            Some(text) => lifetime(text).ok_or_else(|| {
                withheld(
                    "expires_in",
                    format!("expires_in {text:?} is not a number of seconds"),
                )
            })?,
        };
        let token = BearerToken::new(answer.access_token).map_err(|_| {
            withheld(
                "access_token",
                "the access token is empty or holds characters that cannot go into a header".into(),
            )
        })?;
        Ok(Self {
            token,
            token_type: answer.token_type,
            expires_in,
        })
    }

    /// The token, for the `Authorization` header.
    pub fn bearer(&self) -> &BearerToken {
        &self.token
    }

    /// `token_type` as sent (`Bearer`), when sent.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// How long the token lives from when it was issued.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &'static str) -> Result<(BearerToken, Duration), Error> {
        AccessToken::from_json(body.as_bytes()).map(|t| (t.token, t.expires_in))
    }

    #[test]
    fn reads_the_documented_answer() {
        let (token, lifetime) = read(
            r#"{"token_type": "Bearer", "expires_in": 3600, "access_token": "eyJ0eX[...]PcOIkQ"}"#,
        )
        .unwrap();
        assert_eq!(token.expose(), "eyJ0eX[...]PcOIkQ");
        assert_eq!(lifetime, Duration::from_secs(3600));
        let (_, lifetime) = read(r#"{"access_token": "t", "expires_in": "120"}"#).unwrap();
        assert_eq!(lifetime, Duration::from_secs(120));
        let (_, lifetime) = read(r#"{"access_token": "t"}"#).unwrap();
        assert_eq!(lifetime, DEFAULT_LIFETIME);
    }

    #[test]
    fn bad_answers_are_errors_that_never_show_the_token() {
        #[rustfmt::skip]
        let cases = [
            (r#"{"token_type": "mac", "access_token": "SECRET-1"}"#, "token_type"),
            (r#"{"access_token": "SECRET-1", "expires_in": "soon"}"#, "expires_in"),
            (r#"{"access_token": "SECRET 1"}"#, "access_token"),
            (r#"{"access_token": "SECRET-1", "expires_in": -5}"#, "expires_in"),
            (r#"{"token": "SECRET-1"}"#, "."),
            ("SECRET-1", "."),
        ];
        for (body, path) in cases {
            let err = read(body).expect_err(body);
            let Error::Decode(decode) = &err else {
                panic!("{body}: {err:?}")
            };
            assert_eq!(decode.path, path, "{body}");
            assert!(decode.body.is_empty(), "{body}");
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("SECRET"), "{body}: {shown}");
            }
        }
    }

    #[test]
    fn the_margin_is_a_minute_or_a_tenth_of_short_lifetimes() {
        assert_eq!(
            renewal_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(100)),
            Duration::from_secs(10)
        );
        assert_eq!(renewal_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_token_is_reused_for_its_lifetime_less_the_margin_and_at_least_the_floor() {
        let s = Duration::from_secs;
        assert_eq!(reuse_for(s(3600)), s(3540));
        assert_eq!(reuse_for(s(100)), s(90));
        assert_eq!(reuse_for(s(5)), MIN_REUSE);
        assert_eq!(reuse_for(Duration::ZERO), MIN_REUSE);
        assert_eq!(reuse_for(s(u64::MAX)), s(u64::MAX - 60));
    }

    #[test]
    fn credentials_debug_is_redacted() {
        let credentials = ClientCredentials {
            client_id: SecretString::from("id-123"),
            client_secret: SecretString::from("secret-456"),
            scope: "read_only".into(),
        };
        assert_eq!(
            format!("{credentials:?}"),
            r#"ClientCredentials { client_id: [REDACTED], client_secret: [REDACTED], scope: "read_only" }"#
        );
    }
}
