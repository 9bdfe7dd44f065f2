//! Limits and restrictions: E07 to E09.

use qiwi_transport::NotSentError;
use qiwi_types::wallet::{ActualLimits, LimitType, P2pPaymentCount, Restriction};

use crate::scope::{ACTUAL_LIMITS, P2P_COUNT, RESTRICTIONS};
use crate::{Error, WalletClient};

impl WalletClient {
    /// The wallet's current limits of the given kinds (E07); [`LimitType::KNOWN`] asks for
    /// every documented kind. Sent as `types[0]=...&types[1]=...` with the brackets
    /// percent-encoded, as in the reference's examples.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `types` is empty or holds an empty value (the reference requires
    /// at least one); otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::LimitType;
    ///
    /// let limits = client.actual_limits(LimitType::KNOWN).await?;
    /// for (country, limit) in limits.iter() {
    ///     println!("{country} {}: {} of {} {} left", limit.limit_type, limit.rest, limit.max, limit.currency);
    /// }
    /// let turnover = client.actual_limits(&[LimitType::Turnover]).await?;
    /// # let _ = turnover;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn actual_limits(&self, types: &[LimitType]) -> Result<ActualLimits, Error> {
        if types.is_empty() {
            return Err(NotSentError::InvalidInput(
                "ask for at least one limit type, e.g. LimitType::Turnover".into(),
            )
            .into());
        }
        if types.iter().any(|t| t.as_str().trim().is_empty()) {
            return Err(NotSentError::InvalidInput("a limit type is empty".into()).into());
        }
        let mut request = self.request(&ACTUAL_LIMITS, &[self.wallet().as_str()])?;
        {
            let mut query = request.url.query_pairs_mut();
            for (index, kind) in types.iter().enumerate() {
                query.append_pair(&format!("types[{index}]"), kind.as_str());
            }
        }
        self.send_json(request, &ACTUAL_LIMITS).await
    }

    /// The number of person-to-person payments made this month (E08; `p2pPaymentCountLimit`).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// let count = client.p2p_payment_count().await?;
    /// println!("{count} transfers to other wallets this month");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn p2p_payment_count(&self) -> Result<u64, Error> {
        let request = self.request(&P2P_COUNT, &[self.wallet().as_str()])?;
        let answer: P2pPaymentCount = self.send_json(request, &P2P_COUNT).await?;
        Ok(answer.p2p_payment_count_limit)
    }

    /// The restrictions on outgoing payments (E09); empty when there are none.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::RestrictionCode;
    ///
    /// let restrictions = client.restrictions().await?;
    /// let blocked = restrictions
    ///     .iter()
    ///     .any(|r| r.restriction_code == RestrictionCode::OutgoingPayments);
    /// println!("outgoing payments blocked: {blocked}");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn restrictions(&self) -> Result<Vec<Restriction>, Error> {
        let request = self.request(&RESTRICTIONS, &[self.wallet().as_str()])?;
        self.send_json(request, &RESTRICTIONS).await
    }
}
