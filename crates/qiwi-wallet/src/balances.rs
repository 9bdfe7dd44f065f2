//! Balances: E10 to E13.

use qiwi_transport::CallBudget;
use qiwi_types::wallet::{
    AccountAlias, AccountOffer, AccountOffers, Accounts, CreateAccountRequest,
    SetDefaultAccountRequest,
};

use crate::client::BALANCE_REFRESH_TIMEOUT;
use crate::scope::{ACCOUNT_OFFERS, ACCOUNTS, CREATE_ACCOUNT, SET_DEFAULT_ACCOUNT};
use crate::{Error, WalletClient};

impl WalletClient {
    /// Lists the wallet's accounts with their balances, alias, currency and default flag (E10).
    ///
    /// The reference's rule is applied here: when an account has `hasBalance: true` but no
    /// balance (`null` or `{}`), the list is asked for again with
    /// `timeout=1000&alias=<that alias>`, up to
    /// [`balance_refresh_attempts`](crate::WalletClientBuilder::balance_refresh_attempts) times
    /// per account, and the balances that arrive are merged in. A balance still missing after
    /// that is [`Balance::Unknown`](crate::Balance::Unknown); [`Accounts::unknown_balances`]
    /// lists those accounts. Each request asking again is a read like any other, retried on
    /// failures as the [`RetryPolicy`](crate::RetryPolicy) allows. All the requests share one
    /// time limit, [`Timeouts::total`](crate::Timeouts): asking again stops where it runs out.
    /// A request asking again that fails leaves that balance unknown and keeps the first
    /// answer.
    ///
    /// # Errors
    /// Any [`Error`] of the first request.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::Balance;
    ///
    /// let accounts = client.list_accounts().await?;
    /// for account in &accounts.accounts {
    ///     let default = if account.is_default() { " (default)" } else { "" };
    ///     match &account.balance {
    ///         Balance::Known(money) => println!("{}{default}: {money}", account.alias),
    ///         Balance::Unknown => println!("{}{default}: balance not reported", account.alias),
    ///         Balance::NotApplicable => println!("{}{default}: {}", account.alias, account.currency),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_accounts(&self) -> Result<Accounts, Error> {
        let budget = self.start_call();
        let mut accounts = self.fetch_accounts(None, budget).await?;
        let pending: Vec<AccountAlias> = accounts
            .unknown_balances()
            .map(|a| a.alias.clone())
            .collect();
        for alias in pending {
            for attempt in 1..=self.balance_refresh_attempts() {
                if !accounts.get(&alias).is_some_and(|a| a.balance.is_unknown()) {
                    break;
                }
                tracing::debug!(
                    alias = alias.as_str(),
                    attempt,
                    "asking again for a balance"
                );
                match self.fetch_accounts(Some(&alias), budget).await {
                    Ok(newer) => {
                        accounts.fill_unknown_balances(&newer);
                    }
                    Err(error) => {
                        tracing::debug!(
                            alias = alias.as_str(),
                            %error,
                            "asking again for a balance failed; it stays unknown"
                        );
                        break;
                    }
                }
            }
        }
        Ok(accounts)
    }

    /// One request of the accounts list, optionally asking for one account's balance again.
    async fn fetch_accounts(
        &self,
        refresh: Option<&AccountAlias>,
        budget: CallBudget,
    ) -> Result<Accounts, Error> {
        let mut request = self.request(&ACCOUNTS, &[self.wallet().as_str()])?;
        if let Some(alias) = refresh {
            request
                .url
                .query_pairs_mut()
                .append_pair("timeout", &BALANCE_REFRESH_TIMEOUT.to_string())
                .append_pair("alias", alias.as_str());
        }
        self.send_json_within(request, &ACCOUNTS, budget).await
    }

    /// Creates an account in the wallet (E11); `alias` is one of [`account_offers`](Self::account_offers).
    ///
    /// Never retried: a repeated creation could fail or duplicate.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the alias is empty; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// let alias = "qw_wallet_eur".parse().expect("an alias");
    /// client.create_account(&alias).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_account(&self, alias: &AccountAlias) -> Result<(), Error> {
        check_alias(alias)?;
        let body = CreateAccountRequest {
            alias: alias.clone(),
        };
        let request = self.request(&CREATE_ACCOUNT, &[self.wallet().as_str()])?;
        let request = Self::with_json(request, &body)?;
        self.send(request, &CREATE_ACCOUNT).await.map(drop)
    }

    /// The accounts the wallet may create (E12).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// for offer in client.account_offers().await? {
    ///     println!("{} ({})", offer.alias, offer.currency);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn account_offers(&self) -> Result<Vec<AccountOffer>, Error> {
        let request = self.request(&ACCOUNT_OFFERS, &[self.wallet().as_str()])?;
        let offers: AccountOffers = self.send_json(request, &ACCOUNT_OFFERS).await?;
        Ok(offers.0)
    }

    /// Makes an account the wallet's default one for funding payments (E13).
    ///
    /// Never retried.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the alias is empty; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// let alias = "qw_wallet_usd".parse().expect("an alias");
    /// client.set_default_account(&alias).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn set_default_account(&self, alias: &AccountAlias) -> Result<(), Error> {
        check_alias(alias)?;
        let body = SetDefaultAccountRequest {
            default_account: true,
        };
        let params = [self.wallet().as_str(), alias.as_str()];
        let request = Self::with_json(self.request(&SET_DEFAULT_ACCOUNT, &params)?, &body)?;
        self.send(request, &SET_DEFAULT_ACCOUNT).await.map(drop)
    }
}

/// An alias read from the server is not checked; one going into a request must be usable.
fn check_alias(alias: &AccountAlias) -> Result<(), Error> {
    AccountAlias::new(alias.as_str())
        .map(drop)
        .map_err(|e| qiwi_transport::NotSentError::InvalidInput(e.to_string()).into())
}
