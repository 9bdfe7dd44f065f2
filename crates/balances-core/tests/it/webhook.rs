//! The `balance.update` webhook: signature checked against the payload as sent.

use crate::common;

use balances_core::webhook::{WebhookError, WebhookVerifier};
use common::fixture;

const SECRET: &str = "test-webhook-secret";

fn body() -> String {
    String::from_utf8(fixture("webhooks/constructed_balance_update.json")).unwrap()
}

#[test]
fn the_fixture_signed_by_the_vendor_sample_verifies() {
    let update = WebhookVerifier::new(SECRET)
        .balance_update(body().as_bytes())
        .unwrap();
    let b = &update.balances[0];
    assert_eq!(b.wallet_id.get(), 4330619);
    assert_eq!(b.current_balance.unwrap().to_string(), "1250.00");
    assert_eq!(b.authorizations.unwrap().to_string(), "150.00");
    assert_eq!(b.authorized_balance.unwrap().to_string(), "1100.00");
    assert_eq!(
        update.webhook_id.as_deref(),
        Some("5b9f6c9e-1c2d-4f1e-9a7b-3f0d2e1c4b5a")
    );
    assert_eq!(update.created_at.as_deref(), Some("17339121680123"));
}

#[test]
fn the_same_payload_reformatted_still_verifies() {
    // Pretty-printed, `/` unescaped and `é`/`€` as raw UTF-8: the signed text is the same.
    let reformatted = body()
        .replace(r"\u00e9", "é")
        .replace(r"\u20ac", "€")
        .replace(r"\/", "/")
        .replace(",\"", ",\n  \"")
        .replace(":{", ": {");
    assert_ne!(reformatted, body());
    WebhookVerifier::new(SECRET)
        .balance_update(reformatted.as_bytes())
        .unwrap();
}

#[test]
fn altered_or_unsigned_webhooks_are_refused() {
    let verifier = WebhookVerifier::new(SECRET);
    let tampered = body().replace("\"1250.00\"", "\"9250.00\"");
    let reordered = body().replace(
        r#""currentBalance":"1250.00","authorizations":"150.00""#,
        r#""authorizations":"150.00","currentBalance":"1250.00""#,
    );
    let unsigned = body().replace("\"object_payload_signature\"", "\"other\"");
    let bad_base64 = body().replace("Vv3pKwnlOXvsB4FumJbBl5KTxefD1", "!!!");
    let truncated_signature = body().replace("XE=\"", "\"");
    #[rustfmt::skip]
    let cases: [(&str, &[u8], WebhookError); 7] = [
        ("amount changed", tampered.as_bytes(), WebhookError::InvalidSignature),
        ("keys reordered", reordered.as_bytes(), WebhookError::InvalidSignature),
        ("no signature", unsigned.as_bytes(), WebhookError::MissingSignature),
        ("signature not base64", bad_base64.as_bytes(), WebhookError::InvalidSignature),
        ("signature cut short", truncated_signature.as_bytes(), WebhookError::InvalidSignature),
        ("empty body", b"", WebhookError::Malformed("EOF while parsing a value at line 1 column 0".into())),
        ("no payload", br#"{"webhook":"balance.update"}"#, WebhookError::Malformed("missing field `object_payload` at line 1 column 28".into())),
    ];
    for (name, body, expected) in cases {
        assert_eq!(
            verifier.balance_update(body).unwrap_err(),
            expected,
            "{name}"
        );
    }
    let other_secret = WebhookVerifier::new("another-secret");
    assert_eq!(
        other_secret.balance_update(body().as_bytes()).unwrap_err(),
        WebhookError::InvalidSignature
    );
}

#[test]
fn another_event_or_a_wrong_payload_is_reported_after_the_signature() {
    let verifier = WebhookVerifier::new(SECRET);
    let payload = r#"{"wallets":[{"walletId":"1"}]}"#;
    let other_event = format!(
        r#"{{"webhook":"wallet.update","object_payload":{payload},"object_payload_signature":"{}"}}"#,
        verifier.sign(payload).unwrap()
    );
    assert_eq!(
        verifier.balance_update(other_event.as_bytes()).unwrap_err(),
        WebhookError::UnexpectedEvent {
            expected: "balance.update",
            found: "wallet.update".into()
        }
    );
    let generic = verifier.verify(other_event.as_bytes()).unwrap();
    assert_eq!(
        (generic.event.as_str(), generic.payload_json()),
        ("wallet.update", payload)
    );

    let bad_amount = r#"{"balances":[{"walletId":"1","currentBalance":"abc","currency":"EUR"}]}"#;
    let body = format!(
        r#"{{"webhook":"balance.update","object_payload":{bad_amount},"object_payload_signature":"{}"}}"#,
        verifier.sign(bad_amount).unwrap()
    );
    let err = verifier.balance_update(body.as_bytes()).unwrap_err();
    let WebhookError::Payload { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "balances[0].currentBalance");
}

#[test]
fn a_payload_sent_as_a_json_string_is_read_too() {
    let verifier = WebhookVerifier::new(SECRET);
    let inner = r#"{"balances":[{"walletId":"7","currentBalance":"1.00","currency":"EUR"}]}"#;
    let as_string = serde_json::to_string(inner).unwrap();
    let body = format!(
        r#"{{"webhook":"balance.update","object_payload":{as_string},"object_payload_signature":"{}"}}"#,
        verifier.sign(&as_string).unwrap()
    );
    let update = verifier.balance_update(body.as_bytes()).unwrap();
    assert_eq!(
        update.balances[0].current_balance.unwrap().to_string(),
        "1.00"
    );
}
