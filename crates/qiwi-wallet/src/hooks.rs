//! Webhook management: E50 to E55.

use qiwi_transport::{DecodeError, ExposeSecret, RefusalKind, Scrub, Scrubber, StatusCode, Url};
use qiwi_types::wallet::{Hook, HookKey, HookKind, HookResponse, HookTxnType};

use crate::scope::{
    Endpoint, HOOK_ACTIVE, HOOK_DELETE, HOOK_KEY, HOOK_NEW_KEY, HOOK_REGISTER, HOOK_TEST,
};
use crate::{Error, WalletClient};

/// The longest hook URL the service accepts, in characters before URL-encoding (E50).
pub const MAX_HOOK_URL_CHARS: usize = 100;

impl WalletClient {
    /// Registers `url` as the wallet's web hook for the payments `txn_type` names (E50).
    ///
    /// Never retried. The service keeps one hook per wallet: when it refuses with `422` and
    /// the active hook (E54) shows one is registered, the refusal's kind is
    /// [`RefusalKind::Conflict`] (delete it first, or use
    /// [`replace_hook`](Self::replace_hook)); any other `422` stays a
    /// [`RefusalKind::Validation`] (a bad URL or host).
    ///
    /// # Errors
    /// [`Error::NotSent`] when the URL is empty or longer than [`MAX_HOOK_URL_CHARS`]
    /// characters, or `txn_type` is unknown; an [`Error::Decode`] naming the hook (registered,
    /// to delete) when the answer's hook has another URL, payments or type than asked;
    /// otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::models::HookTxnType;
    ///
    /// let hook = client.register_hook("https://example.com/qiwi", HookTxnType::Both).await?;
    /// println!("hook {}", hook.hook_id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn register_hook(&self, url: &str, txn_type: HookTxnType) -> Result<Hook, Error> {
        let txn = txn_type
            .query_value()
            .ok_or_else(|| Error::invalid_input(format!("unknown hook payments {txn_type}")))?;
        let length = url.chars().count();
        if length == 0 || length > MAX_HOOK_URL_CHARS {
            return Err(Error::invalid_input(format!(
                "a hook URL has 1 to {MAX_HOOK_URL_CHARS} characters, this one has {length}"
            )));
        }
        let mut request = self.request(&HOOK_REGISTER, &[])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("hookType", "1")
            .append_pair("param", url)
            .append_pair("txnType", txn);
        match self.send_json(request, &HOOK_REGISTER).await {
            Err(Error::Service(mut refusal))
                if refusal.answer.status == StatusCode::UNPROCESSABLE_ENTITY
                    && matches!(self.active_hook().await, Ok(Some(_))) =>
            {
                refusal.kind = RefusalKind::Conflict;
                Err(Error::Service(refusal))
            }
            Ok(hook) => registered_as_asked(hook, url, &txn_type),
            other => other,
        }
    }

    /// Deletes the hook `hook_id` (E51); the service answers `"Hook deleted"`.
    ///
    /// # Errors
    /// [`RefusalKind::NotFound`] when no such hook is active; otherwise any [`Error`] of the
    /// call.
    pub async fn delete_hook(&self, hook_id: &str) -> Result<HookResponse, Error> {
        let request = self.request(&HOOK_DELETE, &[check_hook_id(hook_id)?])?;
        self.send_json(request, &HOOK_DELETE).await
    }

    /// The wallet's active hook (E54), or `None` when there is none (the service's `404`).
    ///
    /// # Errors
    /// Any [`Error`] of the call but a `404`.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// match client.active_hook().await? {
    ///     Some(hook) => println!("{} -> {}", hook.hook_id, hook.hook_parameters.url),
    ///     None => println!("no hook"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn active_hook(&self) -> Result<Option<Hook>, Error> {
        let request = self.request(&HOOK_ACTIVE, &[])?;
        match self.send_json(request, &HOOK_ACTIVE).await {
            Ok(hook) => Ok(Some(hook)),
            Err(error) if error.kind() == Some(RefusalKind::NotFound) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The signing key of the hook `hook_id` (E52, answered `201` although a read); give it
    /// to [`WebhookVerifier::new`](crate::webhook::WebhookVerifier::new).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn hook_key(&self, hook_id: &str) -> Result<HookKey, Error> {
        self.key_call(&HOOK_KEY, hook_id).await
    }

    /// Replaces the signing key of the hook `hook_id` (E53) and returns the new one; the old
    /// key no longer verifies notifications.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn new_hook_key(&self, hook_id: &str) -> Result<HookKey, Error> {
        self.key_call(&HOOK_NEW_KEY, hook_id).await
    }

    /// A key received is cut out of this client's later errors, as its token is: a server
    /// or proxy that echoes requests would otherwise put it in messages and logs. It is
    /// learnt from the raw answer, before the answer is decoded, and an answer that cannot
    /// be decoded is not kept in the error: it may hold a key in a shape this client does
    /// not read.
    async fn key_call(&self, endpoint: &Endpoint, hook_id: &str) -> Result<HookKey, Error> {
        let request = self.request(endpoint, &[check_hook_id(hook_id)?])?;
        let response = self
            .send(request, endpoint)
            .await
            .map_err(without_refused_key)?;
        if let Ok(HookKey { key }) = serde_json::from_slice(&response.body) {
            self.learn_secret(&key);
        }
        self.decode_json(&response).map_err(|mut error| {
            if let Error::Decode(decode) = &mut error {
                decode.withhold();
            }
            error
        })
    }

    /// Asks the service to send a test notification to the active hook (E55).
    ///
    /// # Errors
    /// Any [`Error`] of the call ([`RefusalKind::NotFound`] without an active hook).
    pub async fn test_hook(&self) -> Result<HookResponse, Error> {
        let request = self.request(&HOOK_TEST, &[])?;
        self.send_json(request, &HOOK_TEST).await
    }

    /// Moves the wallet's hook to `url` in the order the reference documents for a change of
    /// URL: deletes the active hook (found through E54; none is fine), registers `url`
    /// (E50), fetches its new key (E52) and sends a test notification (E55).
    ///
    /// The new hook reports what the old one did ([`HookTxnType::Both`] without one, or
    /// when the old one's kind is unknown). It
    /// stops at the first failure: the error says which step failed through its endpoint
    /// ([`WalletDetail::endpoint`](crate::WalletDetail)), and the steps before it have
    /// taken effect.
    ///
    /// # Errors
    /// As [`register_hook`](Self::register_hook), and any [`Error`] of the other calls.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::webhook::WebhookVerifier;
    ///
    /// let (hook, key) = client.replace_hook("https://example.com/qiwi").await?;
    /// let verifier = WebhookVerifier::new(&key.key).expect("a Base64 key");
    /// # let _ = (hook, verifier);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn replace_hook(&self, url: &str) -> Result<(Hook, HookKey), Error> {
        let old = self.active_hook().await?;
        let txn_type = old
            .as_ref()
            .map(|h| h.txn_type.clone())
            .filter(|t| t.query_value().is_some())
            .unwrap_or(HookTxnType::Both);
        if let Some(old) = &old {
            self.delete_hook(&old.hook_id).await?;
        }
        let hook = self.register_hook(url, txn_type).await?;
        let key = self.hook_key(&hook.hook_id).await?;
        self.test_hook().await?;
        Ok((hook, key))
    }
}

/// The hook E50 answered, when it is the one asked for: notifications sent elsewhere, or of
/// other payments, would be lost or unexpected. A URL is compared as parsed, so that the
/// service may write its host in another case.
fn registered_as_asked(hook: Hook, url: &str, txn_type: &HookTxnType) -> Result<Hook, Error> {
    let same_url = |answered: &str| match (Url::parse(answered), Url::parse(url)) {
        (Ok(a), Ok(b)) => a == b,
        _ => answered == url,
    };
    let (path, answered, asked) = if !same_url(&hook.hook_parameters.url) {
        ("hookParameters.url", hook.hook_parameters.url.as_str(), url)
    } else if hook.txn_type != *txn_type {
        ("txnType", hook.txn_type.as_str(), txn_type.as_str())
    } else if hook.hook_type != HookKind::Web {
        ("hookType", hook.hook_type.as_str(), HookKind::Web.as_str())
    } else {
        return Ok(hook);
    };
    Err(Error::Decode(DecodeError {
        status: StatusCode::OK,
        format: "JSON",
        path: path.into(),
        message: format!(
            "the hook registered ({}) has {answered:?}, not the {asked:?} asked: delete it",
            hook.hook_id
        ),
        body: Default::default(),
    }))
}

/// A refusal of E52 or E53 whose body holds a key anyway, with that key cut out: the
/// answer was refused, so the key is not learnt (it would push out a key that is).
fn without_refused_key(error: Error) -> Error {
    let Error::Service(refusal) = &error else {
        return error;
    };
    match serde_json::from_slice::<HookKey>(&refusal.answer.body) {
        Ok(HookKey { key }) => error.scrubbed(&Scrubber::new([key.expose_secret()])),
        Err(_) => error,
    }
}

/// A hook id read from an answer goes into a path: it must not be empty.
fn check_hook_id(hook_id: &str) -> Result<&str, Error> {
    if hook_id.is_empty() {
        return Err(Error::invalid_input("the hook id is empty"));
    }
    Ok(hook_id)
}
