//! What a payment is prepared with: the commission quote (E19), the wallet's nickname (E20),
//! cross rates (E24), a card's provider (E27), a Kazakhstan card's preparation (E28), provider search (E34) and the mobile operator of
//! a phone (E35).

use qiwi_transport::NotSentError;
use qiwi_types::wallet::{
    CardProviderRequest, Commission, CrossRates, KzCardRequest, MobileProviders, Nickname,
    ProviderSearch, RefElements,
};
use qiwi_types::{CardNumber, WalletNumber};

use crate::payment::Payment;
use crate::scope::{
    CARD_PROVIDER, COMMISSION, CROSS_RATES, KZ_CARD_PREPARE, MOBILE_PROVIDER, NICKNAME,
    PROVIDER_SEARCH,
};
use crate::{Error, WalletClient};

impl WalletClient {
    /// What `payment` would cost (E19): the sum taken from the wallet, the sum credited and the
    /// commission. Nothing is paid.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use qiwi_wallet::payment::{Payment, PaymentId, PayoutAmount, Recipient};
    ///
    /// let payment = Payment::new(
    ///     PaymentId::next(),
    ///     Recipient::wallet("79121238345".parse()?, None),
    ///     PayoutAmount::parse("100")?,
    /// )?;
    /// let quote = client.commission(&payment).await?;
    /// println!("commission {}", quote.qw_commission);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn commission(&self, payment: &Payment) -> Result<Commission, Error> {
        let (_, body) = payment.commission_request();
        let provider = payment.provider_id().to_string();
        let request = Self::with_json(self.request(&COMMISSION, &[&provider])?, &body)?;
        self.send_json(request, &COMMISSION).await
    }

    /// The wallet's nickname (E20).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn nickname(&self) -> Result<Nickname, Error> {
        let request = self.request(&NICKNAME, &[self.wallet().as_str()])?;
        self.send_json(request, &NICKNAME).await
    }

    /// The conversion rates between the wallet's currencies (E24).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn cross_rates(&self) -> Result<CrossRates, Error> {
        let request = self.request(&CROSS_RATES, &[])?;
        self.send_json(request, &CROSS_RATES).await
    }

    /// The provider id to pay `card` with (E27, Russian and Belarusian cards): the answer's
    /// [`RefElements::terms_id`]. The card number is sent with a space after every four
    /// digits, as the reference asks.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn card_provider(&self, card: &CardNumber) -> Result<RefElements, Error> {
        let body = CardProviderRequest::new(card);
        let request = Self::with_json(self.request(&CARD_PROVIDER, &[])?, &body)?;
        self.send_json(request, &CARD_PROVIDER).await
    }

    /// The preparation of a transfer to a Kazakhstan card (E28): the answer's `account` and
    /// `ev_account1` values go into [`Recipient::KzCard`](crate::payment::Recipient::KzCard).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn prepare_kz_card(&self, card: &CardNumber) -> Result<RefElements, Error> {
        let body = KzCardRequest::new(card);
        let request = Self::with_json(self.request(&KZ_CARD_PREPARE, &[])?, &body)?;
        self.send_json(request, &KZ_CARD_PREPARE).await
    }

    /// The providers matching `keywords` (E34, space-separated words); a provider's id is
    /// `items[].data.id`.
    ///
    /// # Errors
    /// [`Error::NotSent`] when `keywords` is blank; otherwise any [`Error`] of the call.
    pub async fn search_providers(&self, keywords: &str) -> Result<ProviderSearch, Error> {
        if keywords.trim().is_empty() {
            return Err(
                NotSentError::InvalidInput("give at least one word to search for".into()).into(),
            );
        }
        let mut request = self.request(&PROVIDER_SEARCH, &[])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("query", keywords.trim());
        self.send_json(request, &PROVIDER_SEARCH).await
    }

    /// The mobile operators of `phone` (E35; Russian and Kazakh numbers, 11 digits starting
    /// with 7): the provider id to top it up with (E25).
    ///
    /// # Errors
    /// [`Error::NotSent`] when `phone` is not 11 digits starting with 7; otherwise any
    /// [`Error`] of the call.
    pub async fn mobile_provider(&self, phone: &WalletNumber) -> Result<MobileProviders, Error> {
        let digits = phone.as_str();
        if digits.len() != 11 || !digits.starts_with('7') {
            return Err(NotSentError::InvalidInput(format!(
                "the operator lookup takes a Russian or Kazakh number: 11 digits starting with 7; got {} digits",
                digits.len()
            ))
            .into());
        }
        let mut request = self.request(&MOBILE_PROVIDER, &[])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("phoneNumber", digits);
        self.send_json(request, &MOBILE_PROVIDER).await
    }
}
