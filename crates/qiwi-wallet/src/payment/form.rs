//! The payment-form link (E21): a browser URL that opens QIWI's payment form filled in. No call
//! is made and no token is involved.

use qiwi_transport::Url;
use qiwi_types::{InvalidValue, PayoutAmount};

/// Where the forms live.
pub const FORM_BASE: &str = "https://qiwi.com/payment/form/";

/// The providers a form link may name: those whose only requisite is `fields.account`.
pub const FORM_PROVIDERS: [u32; 7] = [99, 99999, 1963, 21013, 31652, 22351, 1717];

/// The largest whole amount a form takes (`amountInteger`).
pub const MAX_AMOUNT_INTEGER: u64 = 99_999;

/// What the user of the form may not change (`blocked[n]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Blocked {
    /// `sum`.
    Sum,
    /// `account`.
    Account,
    /// `comment`.
    Comment,
}

impl Blocked {
    fn wire(self) -> &'static str {
        match self {
            Self::Sum => "sum",
            Self::Account => "account",
            Self::Comment => "comment",
        }
    }
}

/// How the account of a nickname transfer (99999) is given (`extra['accountType']`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountType {
    /// `phone`.
    Phone,
    /// `nickname`.
    Nickname,
}

/// A payment-form link.
///
/// ```
/// use qiwi_wallet::payment::form::{Blocked, PaymentForm};
/// use qiwi_wallet::payment::PayoutAmount;
///
/// let url = PaymentForm::new(99)?
///     .amount(PayoutAmount::parse("10.50")?)
///     .account("79991112233")
///     .comment("Спасибо")
///     .block(Blocked::Sum)
///     .url()?;
/// assert_eq!(
///     url.as_str(),
///     "https://qiwi.com/payment/form/99?amountInteger=10&amountFraction=50&currency=643\
///      &extra%5B%27account%27%5D=79991112233\
///      &extra%5B%27comment%27%5D=%D0%A1%D0%BF%D0%B0%D1%81%D0%B8%D0%B1%D0%BE&blocked%5B0%5D=sum"
/// );
/// # Ok::<(), qiwi_types::InvalidValue>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentForm {
    provider_id: u32,
    amount: Option<PayoutAmount>,
    account: Option<String>,
    comment: Option<String>,
    account_type: Option<AccountType>,
    blocked: Vec<Blocked>,
}

impl PaymentForm {
    /// A form for a provider of [`FORM_PROVIDERS`].
    ///
    /// # Errors
    /// [`InvalidValue`] when the provider takes requisites other than `account`.
    pub fn new(provider_id: u32) -> Result<Self, InvalidValue> {
        if !FORM_PROVIDERS.contains(&provider_id) {
            return Err(InvalidValue::new(
                "form provider",
                format!(
                    "provider {provider_id} has no payment form link; these do: {FORM_PROVIDERS:?}"
                ),
            ));
        }
        Ok(Self {
            provider_id,
            amount: None,
            account: None,
            comment: None,
            account_type: None,
            blocked: Vec::new(),
        })
    }

    qiwi_transport::setters! {
        /// The amount in roubles (the form's field is empty without it).
        amount: Option<PayoutAmount>;
        /// The recipient, in the provider's `fields.account` form (wallet or phone without `8`,
        /// card without spaces, nickname for 99999).
        account: Option<impl Into<String>>;
        /// The comment: transfers to a wallet (99) only.
        comment: Option<impl Into<String>>;
        /// How the account is given: nickname transfers (99999) only.
        account_type: Option<AccountType>;
    }

    /// A field the user may not change.
    pub fn block(mut self, field: Blocked) -> Self {
        if !self.blocked.contains(&field) {
            self.blocked.push(field);
        }
        self
    }

    /// The link.
    ///
    /// # Errors
    /// [`InvalidValue`] when the amount has more than 99 999 whole roubles, a comment is given
    /// for a provider other than 99, or an account type for a provider other than 99999.
    pub fn url(&self) -> Result<Url, InvalidValue> {
        if self.comment.is_some() && self.provider_id != 99 {
            return Err(InvalidValue::new(
                "form comment",
                "only transfers to a wallet (99) take a comment",
            ));
        }
        if self.account_type.is_some() && self.provider_id != 99999 {
            return Err(InvalidValue::new(
                "form account type",
                "only nickname transfers (99999) take an account type",
            ));
        }
        let mut url = Url::parse(FORM_BASE)
            .and_then(|base| base.join(&self.provider_id.to_string()))
            .map_err(|e| InvalidValue::new("form link", e))?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(amount) = self.amount {
                let value = amount.value();
                let whole = value.trunc();
                let integer = u64::try_from(whole).unwrap_or(u64::MAX);
                if integer > MAX_AMOUNT_INTEGER {
                    return Err(InvalidValue::new(
                        "form amount",
                        format!("{value}: a form takes at most {MAX_AMOUNT_INTEGER} whole roubles"),
                    ));
                }
                let kopecks = ((value - whole) * qiwi_types::Decimal::ONE_HUNDRED).trunc();
                query
                    .append_pair("amountInteger", &integer.to_string())
                    .append_pair("amountFraction", &kopecks.to_string())
                    .append_pair("currency", "643");
            }
            if let Some(account) = &self.account {
                query.append_pair("extra['account']", account);
            }
            if let Some(kind) = self.account_type {
                let wire = match kind {
                    AccountType::Phone => "phone",
                    AccountType::Nickname => "nickname",
                };
                query.append_pair("extra['accountType']", wire);
            }
            if let Some(comment) = &self.comment {
                query.append_pair("extra['comment']", comment);
            }
            for (n, field) in self.blocked.iter().enumerate() {
                query.append_pair(&format!("blocked[{n}]"), field.wire());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }
}
