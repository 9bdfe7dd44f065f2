//! Profile: E01.

use qiwi_types::wallet::{Profile, ProfileSections};

use crate::scope::PROFILE;
use crate::{Error, WalletClient};

impl WalletClient {
    /// The owner's profile (E01), with the sections asked for ([`ProfileSections::ALL`] for
    /// everything). A section not asked for is `None` in the answer.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::ProfileSections;
    ///
    /// let profile = client.profile(ProfileSections::ALL).await?;
    /// if let Some(contract) = &profile.contract_info {
    ///     println!("blocked: {}", contract.blocked);
    /// }
    /// let no_auth = ProfileSections { auth_info: false, ..ProfileSections::ALL };
    /// assert!(client.profile(no_auth).await?.auth_info.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn profile(&self, sections: ProfileSections) -> Result<Profile, Error> {
        let mut request = self.request(&PROFILE, &[])?;
        request
            .url
            .query_pairs_mut()
            .extend_pairs(sections.query_pairs());
        self.send_json(request, &PROFILE).await
    }
}
