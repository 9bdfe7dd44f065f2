//! Identification: E02 to E06.

use qiwi_transport::NotSentError;
use qiwi_types::wallet::{
    ConfirmDowngradeRequest, DowngradeOperation, DowngradeOperationCreated, DowngradeOperationId,
    DowngradeOperationResponse, DowngradeRequest, Identification, IdentificationRequest,
};

use crate::scope::{
    DOWNGRADE_CONFIRM, DOWNGRADE_START, DOWNGRADE_STATUS, IDENTIFICATION, IDENTIFY,
};
use crate::{Error, WalletClient};

impl WalletClient {
    /// The wallet's identification data and level (E03); passport, INN, SNILS and OMS come
    /// masked (`"77***01"`).
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// let identification = client.identification().await?;
    /// println!("level {}", identification.level);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn identification(&self) -> Result<Identification, Error> {
        let request = self.request(&IDENTIFICATION, &[self.wallet().as_str()])?;
        self.send_json(request, &IDENTIFICATION).await
    }

    /// Sends the owner's data to get the "main" (`VERIFIED`) status (E02). If the answer has an
    /// `inn` that was not sent, identification succeeded.
    ///
    /// The request is checked first (names not blank, a real birth date, passport digits
    /// only). Never retried.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the request is not acceptable; otherwise any [`Error`] of the
    /// call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::IdentificationRequest;
    ///
    /// let request = IdentificationRequest {
    ///     birth_date: "1998-02-11".parse().expect("a date"),
    ///     first_name: "Иван".into(),
    ///     middle_name: "Иванович".into(),
    ///     last_name: "Иванов".into(),
    ///     passport: "4400111222".into(),
    ///     inn: None,
    ///     snils: None,
    ///     oms: None,
    /// };
    /// let identification = client.identify(&request).await?;
    /// println!("level {}", identification.level);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn identify(&self, request: &IdentificationRequest) -> Result<Identification, Error> {
        request.validate().map_err(NotSentError::InvalidInput)?;
        let http = self.request(&IDENTIFY, &[self.wallet().as_str()])?;
        self.send_json(Self::with_json(http, request)?, &IDENTIFY)
            .await
    }

    /// Starts lowering the identification level (E04; only `FULL` → `VERIFIED` exists). The
    /// operation then needs confirming with
    /// [`confirm_identification_downgrade`](Self::confirm_identification_downgrade).
    ///
    /// Never retried.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::DowngradeRequest;
    ///
    /// let id = client.start_identification_downgrade(&DowngradeRequest::default()).await?;
    /// let operation = client.confirm_identification_downgrade(&id).await?;
    /// println!("{}", operation.status.status_type);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_identification_downgrade(
        &self,
        request: &DowngradeRequest,
    ) -> Result<DowngradeOperationId, Error> {
        let http = self.request(&DOWNGRADE_START, &[self.wallet().as_str()])?;
        let http = Self::with_json(http, request)?;
        let created: DowngradeOperationCreated = self.send_json(http, &DOWNGRADE_START).await?;
        Ok(created.downgrade_operation_id)
    }

    /// Confirms a downgrade started with
    /// [`start_identification_downgrade`](Self::start_identification_downgrade) (E05).
    ///
    /// Never retried.
    ///
    /// # Errors
    /// [`Error::NotSent`] when the id is empty; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::DowngradeOperationId;
    ///
    /// let id = DowngradeOperationId::new("1747ea28-1082-41bc-bde4-72994b3ffeb4");
    /// let operation = client.confirm_identification_downgrade(&id).await?;
    /// println!("{}", operation.status.status_type);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn confirm_identification_downgrade(
        &self,
        id: &DowngradeOperationId,
    ) -> Result<DowngradeOperation, Error> {
        check_id(id)?;
        let http = self.request(&DOWNGRADE_CONFIRM, &[self.wallet().as_str(), id.as_str()])?;
        let http = Self::with_json(http, &ConfirmDowngradeRequest {})?;
        let answer: DowngradeOperationResponse = self.send_json(http, &DOWNGRADE_CONFIRM).await?;
        Ok(answer.downgrade_operation)
    }

    /// The state of a downgrade operation (E06).
    ///
    /// # Errors
    /// [`Error::NotSent`] when the id is empty; otherwise any [`Error`] of the call.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), qiwi_wallet::Error> {
    /// use qiwi_wallet::{DowngradeOperationId, DowngradeStatusType};
    ///
    /// let id = DowngradeOperationId::new("1747ea28-1082-41bc-bde4-72994b3ffeb4");
    /// let operation = client.identification_downgrade(&id).await?;
    /// if operation.status.status_type == DowngradeStatusType::Success {
    ///     println!("the level was lowered");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn identification_downgrade(
        &self,
        id: &DowngradeOperationId,
    ) -> Result<DowngradeOperation, Error> {
        check_id(id)?;
        let http = self.request(&DOWNGRADE_STATUS, &[self.wallet().as_str(), id.as_str()])?;
        let answer: DowngradeOperationResponse = self.send_json(http, &DOWNGRADE_STATUS).await?;
        Ok(answer.downgrade_operation)
    }
}

fn check_id(id: &DowngradeOperationId) -> Result<(), Error> {
    if id.as_str().trim().is_empty() {
        return Err(
            NotSentError::InvalidInput("the downgrade operation id is empty".into()).into(),
        );
    }
    Ok(())
}
