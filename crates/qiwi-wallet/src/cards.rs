//! QIWI Master virtual cards: E41, E42 and E44 to E49. The package (E40) and a paid card
//! (E43) are payments: [`Recipient::QiwiMasterPackage`](crate::payment::Recipient) and
//! [`Recipient::CardOrder`](crate::payment::Recipient) through [`WalletClient::pay`].
//!
//! The card calls take the card's id in their path. Which id the service means there is not
//! stated (reference §14 item 48); [`Card::id`] is `qvx.id`, the form of the reference's
//! example URLs. That choice is not verified against the live service: `qvx.cardId` stays in
//! [`CardQvx::card_id`](qiwi_types::wallet::CardQvx) for a caller who needs it.

use std::borrow::Cow;

use qiwi_transport::scrub::REDACTED;
use qiwi_transport::{Bytes, Request, Response, header};
use qiwi_types::UniqueNumber;
use qiwi_types::wallet::card::mask_pan;
use qiwi_types::wallet::{
    Card, CardAlias, CardDetails, CardDetailsRequest, CardId, CardOperation, CardOrder,
    CardOrderId, CardOrderRequest, CardOrderStatus, CardRenameRequest, CardRenameResult,
    HistoryWindow,
};
use serde::de::DeserializeOwned;

use crate::scope::{
    CARD_BLOCK, CARD_DETAILS, CARD_ORDER, CARD_ORDER_SUBMIT, CARD_RENAME, CARD_STATEMENT,
    CARD_UNBLOCK, CARDS, Endpoint,
};
use crate::{Error, Receipt, WalletClient};

/// The `vas-alias` of the cards list: QIWI Master cards.
const VAS_ALIAS: &str = "qvc-master";

/// The most characters a card's name (E49) may have: the reference documents no limit, so
/// this bound is the client's own (the sandbox applies the same one).
pub const MAX_CARD_NAME_CHARS: usize = 64;

/// A submitted card order (E42), by what it asks of the owner.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubmittedOrder {
    /// `COMPLETED`: the card was free and is issued; `card_id` names it.
    Issued(CardOrder),
    /// `PAYMENT_REQUIRED`: beyond the free cards. Pay `price` with
    /// [`Recipient::CardOrder`](crate::payment::Recipient) (E43); the card then appears in the
    /// cards list.
    PaymentRequired(CardOrder),
    /// Another status.
    Other(CardOrder),
}

impl SubmittedOrder {
    /// The order as answered.
    pub fn order(&self) -> &CardOrder {
        match self {
            Self::Issued(order) | Self::PaymentRequired(order) | Self::Other(order) => order,
        }
    }
}

impl From<CardOrder> for SubmittedOrder {
    fn from(order: CardOrder) -> Self {
        match order.status {
            CardOrderStatus::Completed => Self::Issued(order),
            CardOrderStatus::PaymentRequired => Self::PaymentRequired(order),
            _ => Self::Other(order),
        }
    }
}

impl WalletClient {
    /// Orders a card of kind `alias` (E41): a `DRAFT` order to submit with
    /// [`submit_card_order`](Self::submit_card_order). Never resent.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn order_card(&self, alias: CardAlias) -> Result<CardOrder, Error> {
        let request = self.request(&CARD_ORDER, &[self.wallet().as_str()])?;
        let body = CardOrderRequest { card_alias: alias };
        self.card_json(Self::with_json(request, &body)?, &CARD_ORDER)
            .await
    }

    /// Submits a card order (E42): issued at once when free, or waiting for its payment
    /// beyond the free cards. Never resent.
    ///
    /// ```no_run
    /// # async fn run(client: qiwi_wallet::WalletClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use qiwi_wallet::SubmittedOrder;
    /// use qiwi_wallet::models::CardAlias;
    ///
    /// let order = client.order_card(CardAlias::Prepaid).await?;
    /// match client.submit_card_order(&order.id).await? {
    ///     SubmittedOrder::Issued(order) => println!("card {:?}", order.card_id),
    ///     SubmittedOrder::PaymentRequired(order) => println!("pay {:?} first", order.price),
    ///     other => println!("{:?}", other.order().status),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn submit_card_order(&self, order: &CardOrderId) -> Result<SubmittedOrder, Error> {
        let params = [self.wallet().as_str(), order.as_str()];
        let request = self.request(&CARD_ORDER_SUBMIT, &params)?;
        let order: CardOrder = self.card_json(request, &CARD_ORDER_SUBMIT).await?;
        Ok(order.into())
    }

    /// The wallet's QIWI Master cards with their balances and tariffs (E44).
    ///
    /// A list that cannot be decoded may hold a card number (`qvx.fullPan`): its body is
    /// withheld from the error with the decoder's message, which keeps the status and the
    /// failing field's path.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn cards(&self) -> Result<Vec<Card>, Error> {
        let mut request = self.request(&CARDS, &[])?;
        request
            .url
            .query_pairs_mut()
            .append_pair("vas-alias", VAS_ALIAS);
        self.send_json(request, &CARDS).await.map_err(|mut error| {
            if let Error::Decode(e) = &mut error {
                e.withhold();
            }
            without_card_numbers(error)
        })
    }

    /// A card's statement for `window` (E45, at most 90 days, which [`HistoryWindow`]
    /// guarantees): the PDF's bytes, as the service sent them. A history call: it waits for
    /// the history limiter.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn card_statement(
        &self,
        card: &CardId,
        window: &HistoryWindow,
    ) -> Result<Receipt, Error> {
        let params = [self.wallet().as_str(), card.as_str()];
        let mut request = self.request(&CARD_STATEMENT, &params)?;
        request
            .url
            .query_pairs_mut()
            .append_pair("from", &window.start_text())
            .append_pair("till", &window.end_text());
        let response = self.card_call(request, &CARD_STATEMENT).await?;
        Ok(Receipt {
            content_type: response.header_str(header::CONTENT_TYPE).map(str::to_owned),
            bytes: response.body,
        })
    }

    /// Blocks a card (E46, answered `202 Accepted`). It can be unblocked through the API for
    /// 90 days.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn block_card(&self, card: &CardId) -> Result<(), Error> {
        let params = [self.wallet().as_str(), card.as_str()];
        let request = self.request(&CARD_BLOCK, &params)?;
        self.card_call(request, &CARD_BLOCK).await.map(drop)
    }

    /// Unblocks a card blocked through the API within the last 90 days (E47): its
    /// [`status`](CardOperation::status) says `OK`, `FAIL`, `CONFIRMATION_REQUIRED` or
    /// `CONFIRMATION_LIMIT_EXCEED`.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn unblock_card(&self, card: &CardId) -> Result<CardOperation, Error> {
        let params = [self.wallet().as_str(), card.as_str()];
        let request = self.request(&CARD_UNBLOCK, &params)?;
        self.card_json(request, &CARD_UNBLOCK).await
    }

    /// The card's number and CVV (E48), as secrets (see [`CardDetails::expose`]).
    ///
    /// An answer that is not understood or refused may hold them: its body, the decoder's
    /// message and the service's code and message are withheld from the error, which keeps
    /// the status, the trace id and the failing field's path.
    ///
    /// # Errors
    /// Any [`Error`] of the call.
    pub async fn card_details(&self, card: &CardId) -> Result<CardDetails, Error> {
        let request = self.request(&CARD_DETAILS, &[card.as_str()])?;
        let body = CardDetailsRequest {
            operation_id: operation_uuid(),
        };
        self.send_json(Self::with_json(request, &body)?, &CARD_DETAILS)
            .await
            .map_err(withhold_card_data)
    }

    /// Renames a card (E49): `name` is what the owner sees (`qvx.cardAlias`), 1 to
    /// [`MAX_CARD_NAME_CHARS`] characters.
    ///
    /// # Errors
    /// [`Error::NotSent`] for an empty, over-long or control-character name; otherwise any
    /// [`Error`] of the call.
    pub async fn rename_card(&self, card: &CardId, name: &str) -> Result<CardRenameResult, Error> {
        let chars = name.chars().count();
        if name.trim().is_empty() || chars > MAX_CARD_NAME_CHARS {
            return Err(Error::invalid_input(format!(
                "a card's name has 1 to {MAX_CARD_NAME_CHARS} characters; this one has {chars}"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::invalid_input(
                "a card's name cannot hold a control character",
            ));
        }
        let request = self.request(&CARD_RENAME, &[card.as_str()])?;
        let body = CardRenameRequest {
            alias: name.to_owned(),
        };
        self.card_json(Self::with_json(request, &body)?, &CARD_RENAME)
            .await
    }

    /// Sends a card call; its errors are [`without_card_numbers`].
    async fn card_call(&self, request: Request, endpoint: &Endpoint) -> Result<Response, Error> {
        self.send(request, endpoint)
            .await
            .map_err(without_card_numbers)
    }

    /// Sends a card call and decodes its JSON answer; its errors are [`without_card_numbers`].
    async fn card_json<T: DeserializeOwned>(
        &self,
        request: Request,
        endpoint: &Endpoint,
    ) -> Result<T, Error> {
        self.send_json(request, endpoint)
            .await
            .map_err(without_card_numbers)
    }
}

/// A fresh UUID-shaped id (E48's `operationId` takes any UUID): a number unique on this host.
fn operation_uuid() -> String {
    let hex = format!("{:032x}", UniqueNumber::next().get());
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// An error of a card call with every card-number-shaped run of digits in what it shows
/// masked (the body, the service's code and message, the decoder's message): a server that
/// echoes a card in an answer it refuses or garbles must not put it in a message or a log.
fn without_card_numbers(mut error: Error) -> Error {
    let mask_text = |text: &mut String| {
        if let Cow::Owned(masked) = mask_card_numbers(text) {
            *text = masked;
        }
    };
    let mask_body = |body: &mut Bytes| {
        if let Cow::Owned(masked) = mask_card_numbers(&String::from_utf8_lossy(body)) {
            *body = Bytes::from(masked);
        }
    };
    match &mut error {
        Error::Service(refusal) => {
            let answer = &mut refusal.answer;
            mask_body(&mut answer.body);
            answer.code.iter_mut().for_each(mask_text);
            answer.message.iter_mut().for_each(mask_text);
        }
        Error::Decode(e) => {
            mask_body(&mut e.body);
            mask_text(&mut e.message);
        }
        _ => {}
    }
    error
}

/// The fewest and most digits of a card number.
const PAN_DIGITS: std::ops::RangeInclusive<usize> = 13..=19;

/// `text` with each run of 13 to 19 digits, alone or in groups joined by one space or dash,
/// replaced by [`mask_pan`] of its digits.
fn mask_card_numbers(text: &str) -> Cow<'_, str> {
    let grouped = mask_runs(text, true);
    // A number next to another (`4444111122223333 2024-01-05`) joins it into one long run.
    if let Cow::Owned(masked) = mask_runs(&grouped, false) {
        return Cow::Owned(masked);
    }
    grouped
}

/// `text` with each run of 13 to 19 digits masked; `grouped`: a space or a dash between two
/// digits continues a run.
fn mask_runs(text: &str, grouped: bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        // The run: digits, and a separator only between two digits.
        let start = at;
        let mut end = at;
        let continues = |at: usize| {
            bytes[at].is_ascii_digit()
                || (grouped
                    && matches!(bytes[at], b' ' | b'-')
                    && bytes.get(at + 1).is_some_and(u8::is_ascii_digit))
        };
        while end < bytes.len() && continues(end) {
            end += 1;
        }
        let run = &text[start..end];
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        if PAN_DIGITS.contains(&digits.len()) {
            out.push_str(&text[copied..start]);
            out.push_str(&mask_pan(&digits));
            copied = end;
        }
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The body of a failed E48 answer, and the decoder's message or the service's code and
/// message read from it, which may hold the card's number and CVV, replaced by [`REDACTED`].
fn withhold_card_data(error: Error) -> Error {
    let withheld_text = |text: Option<String>| text.map(|_| REDACTED.to_owned());
    match error {
        Error::Decode(mut e) => {
            e.withhold();
            Error::Decode(e)
        }
        Error::Service(mut refusal) => {
            let answer = &mut refusal.answer;
            answer.body = Bytes::from_static(REDACTED.as_bytes());
            answer.code = withheld_text(answer.code.take());
            answer.message = withheld_text(answer.message.take());
            Error::Service(refusal)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_runs_of_13_to_19_digits_are_masked() {
        for (text, masked) in [
            ("card 4444111122223333 blocked", "card ****3333 blocked"),
            ("4444 1111 2222 3333-1", "****3331"),
            ("4444111122223333 2024-01-05", "****3333 2024-01-05"),
            ("****3333, id 133789472, wallet 79111234567", ""),
            ("12345678901234567890 2024-01-05 10:00", ""),
            ("", ""),
        ] {
            let expected = if masked.is_empty() { text } else { masked };
            assert_eq!(mask_card_numbers(text), expected, "{text}");
        }
    }

    #[test]
    fn operation_ids_are_uuid_shaped_and_distinct() {
        let (a, b) = (operation_uuid(), operation_uuid());
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{a}");
        assert!(a.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit()));
    }
}
