//! What the answer to a payment says about its money.
//!
//! A payment's money either did not move (the service refused it, or the request never left)
//! or its fate is unknown until the history says otherwise; a payment is never reported as
//! failed while its money may have moved. The table (also in `docs/reliability.md`):
//!
//! | what came back | fate |
//! |---|---|
//! | nothing: the request was never sent (bad input, connection refused) | not moved |
//! | 2xx with a PaymentInfo of this payment (its id and `sum` echoed) | accepted (the final status is in the history) |
//! | 2xx with anything else, a PaymentInfo of another payment too | unknown |
//! | 400, 401, 403 | not moved |
//! | another 4xx (except 423) with a `QWPRC-` body | not moved |
//! | 423 (throttled or temporarily unavailable) | unknown |
//! | 5xx, whatever the body | unknown |
//! | any other status without a `QWPRC-` body | unknown |
//! | no answer after sending (timeout, reset), an unreadable answer | unknown |

use qiwi_types::wallet::{PaymentInfo, PaymentRejection};

/// What came back from a payment request.
#[derive(Debug, Clone, Copy)]
pub enum PaymentAnswer<'a> {
    /// The request never left the machine (refused before sending, connection refused).
    NotSent,
    /// The request was sent and no complete answer came back (timeout, reset, dropped).
    NoAnswer,
    /// An answer with its status and what its body was read as.
    Answered {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: AnswerBody<'a>,
    },
}

/// The body of an answer to a payment, as far as it could be read.
#[derive(Debug, Clone, Copy)]
pub enum AnswerBody<'a> {
    /// A PaymentInfo of this payment: its id and `sum` are the ones sent.
    Info(&'a PaymentInfo),
    /// A `{"code": "QWPRC-…", "message": …}` refusal.
    Rejection(&'a PaymentRejection),
    /// Anything else: empty, another JSON shape, not JSON, a PaymentInfo of another payment.
    Other,
}

/// The fate of a payment's money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentFate {
    /// The service accepted the payment: it has a transaction, whose final status the history
    /// tells.
    Accepted,
    /// The money did not move: sending it again (with the same id) is safe.
    NotMoved,
    /// The money may have moved: look the id up in the history before anything else.
    Unknown,
}

/// The fate of a payment's money from what came back.
pub fn payment_fate(answer: PaymentAnswer<'_>) -> PaymentFate {
    match answer {
        PaymentAnswer::NotSent => PaymentFate::NotMoved,
        PaymentAnswer::NoAnswer => PaymentFate::Unknown,
        PaymentAnswer::Answered { status, body } => match (status, body) {
            (200..=299, AnswerBody::Info(_)) => PaymentFate::Accepted,
            (200..=299, _) | (423, _) | (500..=599, _) => PaymentFate::Unknown,
            (400 | 401 | 403, _) => PaymentFate::NotMoved,
            (400..=499, AnswerBody::Rejection(rejection))
                if rejection.code.is_payment_refusal() =>
            {
                PaymentFate::NotMoved
            }
            _ => PaymentFate::Unknown,
        },
    }
}
