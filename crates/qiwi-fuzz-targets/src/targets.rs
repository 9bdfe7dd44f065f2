//! The target list and the functions each target runs.

use std::hint::black_box;
use std::sync::Arc;

use async_trait::async_trait;
use balances_core::webhook::WebhookVerifier;
use balances_core::{AccessToken, BalanceHistory, Balances, ErrorEntry};
use qiwi_transport::codec::json;
use qiwi_transport::{
    Bytes, HeaderMap, Request, Response, RetryPolicy, SecretString, StatusCode, Transport,
    TransportError,
};
use qiwi_types::wallet::{
    AccountOffers, Accounts, ActualLimits, CreateAccountRequest, DowngradeOperationCreated,
    DowngradeOperationResponse, DowngradeRequest, HistoryPage, HistoryTotals, Identification,
    IdentificationRequest, P2pPaymentCount, Profile, Restriction, SendReceiptRequest,
    SetDefaultAccountRequest, Transaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Family, Target};

const AGENT_ANSWERS: &str = "crates/qiwi-agent/tests/fixtures/responses";

macro_rules! wallet_model {
    ($name:literal, $ty:ty, $($folder:literal),+) => {
        Target {
            name: $name,
            family: Family::WalletJson,
            seeds: &[$(concat!("crates/qiwi-types/tests/fixtures/wallet/", $folder)),+],
            run: |data| round_trip::<$ty>(data),
        }
    };
}

macro_rules! agent_answer {
    ($name:literal, $decode:path) => {
        Target {
            name: $name,
            family: Family::AgentXml,
            seeds: &[AGENT_ANSWERS],
            run: |data| {
                let _ = black_box($decode(data));
            },
        }
    };
}

/// Every target. The cargo-fuzz targets in `fuzz/fuzz_targets/` are one file per entry, named
/// after it (a test checks that they match).
pub static TARGETS: &[Target] = &[
    wallet_model!("wallet_profile", Profile, "e01_profile"),
    wallet_model!(
        "wallet_identification",
        Identification,
        "e02_identification",
        "e03_identification"
    ),
    wallet_model!(
        "wallet_identification_request",
        IdentificationRequest,
        "e02_identification_request"
    ),
    wallet_model!(
        "wallet_downgrade_request",
        DowngradeRequest,
        "e04_downgrade_request"
    ),
    wallet_model!(
        "wallet_downgrade_created",
        DowngradeOperationCreated,
        "e04_downgrade_created"
    ),
    wallet_model!(
        "wallet_downgrade_operation",
        DowngradeOperationResponse,
        "e05_downgrade_operation",
        "e06_downgrade_operation"
    ),
    wallet_model!("wallet_actual_limits", ActualLimits, "e07_actual_limits"),
    wallet_model!(
        "wallet_p2p_payment_count",
        P2pPaymentCount,
        "e08_p2p_payment_count"
    ),
    wallet_model!("wallet_restrictions", Vec<Restriction>, "e09_restrictions"),
    wallet_model!("wallet_accounts", Accounts, "e10_accounts"),
    wallet_model!(
        "wallet_create_account_request",
        CreateAccountRequest,
        "e11_create_account_request"
    ),
    wallet_model!("wallet_account_offers", AccountOffers, "e12_account_offers"),
    wallet_model!(
        "wallet_set_default_account_request",
        SetDefaultAccountRequest,
        "e13_set_default_account_request"
    ),
    wallet_model!("wallet_history_page", HistoryPage, "e14_history_page"),
    wallet_model!("wallet_history_totals", HistoryTotals, "e15_totals"),
    wallet_model!("wallet_transaction", Transaction, "e16_transaction"),
    wallet_model!(
        "wallet_send_receipt_request",
        SendReceiptRequest,
        "e18_send_receipt_request"
    ),
    agent_answer!("agent_ping", qiwi_agent::wire::decode_ping),
    agent_answer!("agent_user_check", qiwi_agent::wire::decode_user_check),
    agent_answer!(
        "agent_deposit_check",
        qiwi_agent::wire::decode_deposit_check
    ),
    agent_answer!("agent_pay", qiwi_agent::wire::decode_pay),
    agent_answer!("agent_status", qiwi_agent::wire::decode_status),
    agent_answer!("agent_provider", qiwi_agent::wire::decode_provider),
    Target {
        name: "treezor_balances",
        family: Family::TreezorJson,
        seeds: &["crates/balances-core/tests/fixtures/balances"],
        run: round_trip::<Balances>,
    },
    Target {
        name: "treezor_history",
        family: Family::TreezorJson,
        seeds: &["crates/balances-core/tests/fixtures/history"],
        // Written back as sorted points (its snapshot form), not as the wire's map: decode only.
        run: |data| {
            let body = Bytes::copy_from_slice(data);
            let _ = black_box(json::decode_body::<BalanceHistory>(StatusCode::OK, &body));
        },
    },
    Target {
        name: "wallet_error_body",
        family: Family::ErrorsAndToken,
        seeds: &["crates/qiwi-wallet/tests/fixtures/errors"],
        run: wallet_error,
    },
    Target {
        name: "treezor_error_body",
        family: Family::ErrorsAndToken,
        seeds: &["crates/balances-core/tests/fixtures/errors"],
        run: |data| {
            let _ = black_box(ErrorEntry::parse_body(data));
        },
    },
    Target {
        name: "treezor_token",
        family: Family::ErrorsAndToken,
        seeds: &["crates/balances-core/tests/fixtures/token"],
        run: |data| {
            if let Ok(token) = AccessToken::from_json(data) {
                let _ = black_box(token.expires_in());
            }
        },
    },
    Target {
        name: "treezor_webhook_verify",
        family: Family::Webhook,
        seeds: &["crates/balances-core/tests/fixtures/webhooks"],
        run: |data| {
            let _ = black_box(webhook_verifier().balance_update(data));
        },
    },
    Target {
        name: "treezor_webhook_payload",
        family: Family::Webhook,
        seeds: &["crates/balances-core/tests/fixtures/balances"],
        run: webhook_payload,
    },
];

/// Decodes `data` as `T` the way the clients do; what decodes must write a form that decodes
/// again and writes the same bytes.
fn round_trip<T: DeserializeOwned + Serialize>(data: &[u8]) {
    let Ok(value) = json::decode_body::<T>(StatusCode::OK, &Bytes::copy_from_slice(data)) else {
        return;
    };
    let written = write(&value);
    let again = json::decode_body::<T>(StatusCode::OK, &Bytes::from(written.clone()))
        .unwrap_or_else(|e| panic!("a decoded value wrote a form that does not decode: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&write(&again)),
        String::from_utf8_lossy(&written),
        "a decoded value does not write the same form twice"
    );
}

fn write<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value)
        .unwrap_or_else(|e| panic!("a decoded value could not be written: {e}"))
}

/// The secret of the webhook fixtures.
const WEBHOOK_SECRET: &str = "test-webhook-secret";

fn webhook_verifier() -> WebhookVerifier {
    WebhookVerifier::new(WEBHOOK_SECRET)
}

/// `data` as the payload of a correctly signed `balance.update` envelope, so that decoding is
/// reached past the signature check.
fn webhook_payload(data: &[u8]) {
    let Ok(payload) = std::str::from_utf8(data) else {
        return;
    };
    if serde_json::from_str::<serde::de::IgnoredAny>(payload).is_err() {
        return;
    }
    let verifier = webhook_verifier();
    let Ok(signature) = verifier.sign(payload) else {
        return;
    };
    let body = format!(
        r#"{{"webhook":"balance.update","object_payload":{payload},"object_payload_signature":"{signature}"}}"#
    );
    let _ = black_box(verifier.balance_update(body.as_bytes()));
}

/// The statuses an error answer is tried with; the first input byte picks one.
const ERROR_STATUSES: [u16; 12] = [400, 401, 403, 404, 409, 422, 423, 429, 500, 502, 503, 504];

/// Answers every request with one error status and body.
#[derive(Debug)]
struct Answer(Response);

#[async_trait]
impl Transport for Answer {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        Ok(self.0.clone())
    }
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap_or_else(|e| panic!("the fuzz harness needs a Tokio runtime: {e}"));
}

/// An error answer (status from the first byte, body from the rest) through the whole client:
/// error body reading, mapping to the error model, `Display` and `Debug`.
fn wallet_error(data: &[u8]) {
    let Some((first, body)) = data.split_first() else {
        return;
    };
    let status = ERROR_STATUSES[usize::from(*first) % ERROR_STATUSES.len()];
    let answer = Response {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        headers: HeaderMap::new(),
        body: Bytes::copy_from_slice(body),
    };
    let client = qiwi_wallet::WalletClient::builder()
        .token(SecretString::from("fuzz-wallet-token"))
        .wallet(
            "79111234567"
                .parse()
                .unwrap_or_else(|e| panic!("a valid wallet number: {e}")),
        )
        .transport(Arc::new(Answer(answer)))
        .retry(RetryPolicy::never())
        .build()
        .unwrap_or_else(|e| panic!("the fuzz client builds: {e}"));
    RUNTIME.with(|rt| {
        if let Err(e) = rt.block_on(client.restrictions()) {
            let text = black_box(format!("{e} {e:?}"));
            assert!(
                !text.contains("fuzz-wallet-token"),
                "an error shows the token: {text}"
            );
        }
    });
}
