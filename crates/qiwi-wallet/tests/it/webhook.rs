//! Notification signatures (E56, reference §12.1): the reference's worked vector, every way a
//! notification can be altered, the trailing-zeros fallback, and no panic on any input.

use proptest::prelude::*;
use qiwi_wallet::SecretString;
use qiwi_wallet::webhook::{Refusal, Verified, VerifiedPayment, WebhookVerifier};

use crate::common::model_fixture;

/// The key of the reference's worked example.
const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
/// HMAC-SHA256 of `643|1|IN|+79161112233|13353941550` with [`KEY`] (the reference's step 4).
const SPEC_DIGEST: &str = "f05c4e7bdf00620205d47696d77f924bfd3ba4d02b0398ac8a626e737dc27243";
/// The `hash` printed in the docs' sample notification, which does not match (§14 item 52).
const DOCS_SAMPLE_HASH: &str = "76687ffe5c516c793faa46fafba0994e7ca7a6d735966e0e0c0b65eaa43bdca0";

fn verifier(key: &str) -> WebhookVerifier {
    WebhookVerifier::new(&SecretString::from(key)).unwrap()
}

/// The reference's sample notification, exactly as printed (its `hash` is the docs' one).
fn docs_sample() -> String {
    model_fixture("e56_notification/spec_e56.json")
}

/// The sample with the digest the reference computes in its walkthrough.
fn spec_vector() -> String {
    docs_sample().replace(DOCS_SAMPLE_HASH, SPEC_DIGEST)
}

fn verify(key: &str, body: &str) -> Result<Verified, Refusal> {
    verifier(key).verify(body.as_bytes())
}

fn payment(result: Result<Verified, Refusal>) -> VerifiedPayment {
    match result {
        Ok(Verified::Payment(payment)) => *payment,
        other => panic!("expected a verified payment, got {other:?}"),
    }
}

#[test]
fn verification_table() {
    let vector = spec_vector();
    let other_key = "L8UVF3JkLVUr6r70LiE0A9/5WoGGwWKG2pI/e+l/9fs=";
    #[rustfmt::skip]
    let refused: [(&str, String, Refusal); 9] = [
        ("changed amount", vector.replace(r#""sum":{"amount":1,"#, r#""sum":{"amount":2,"#), Refusal::BadSignature),
        ("changed account", vector.replace("+79161112233", "+79161112234"), Refusal::BadSignature),
        ("reordered signFields", vector.replace("sum.currency,sum.amount,", "sum.amount,sum.currency,"), Refusal::BadSignature),
        ("truncated hash", vector.replace(SPEC_DIGEST, &SPEC_DIGEST[..62]), Refusal::BadSignature),
        ("half a hash", vector.replace(SPEC_DIGEST, &SPEC_DIGEST[..32]), Refusal::BadSignature),
        ("hash not hexadecimal", vector.replace(SPEC_DIGEST, &"z".repeat(64)), Refusal::BadSignature),
        ("signFields without txnId", vector.replace(",txnId\"", "\""), Refusal::InsufficientSignFields { missing: vec!["txnId"] }),
        ("signFields names a missing field", vector.replace(",txnId\"", ",txnId,nothing\""), Refusal::UnknownSignField("nothing".into())),
        ("signFields names an object", vector.replace(",txnId\"", ",txnId,sum\""), Refusal::UnknownSignField("sum".into())),
    ];
    for (case, body, expected) in refused {
        assert_eq!(verify(KEY, &body), Err(expected), "{case}");
    }
    assert_eq!(
        verify(other_key, &vector),
        Err(Refusal::BadSignature),
        "wrong key"
    );

    let verified = payment(verify(KEY, &vector));
    assert_eq!(verified.payment.txn_id.as_str(), "13353941550");
    assert_eq!(verified.message_id, "7814c49d-2d29-4b14-b2dc-36b377c76156");
    assert_eq!(
        verified.signed_fields,
        ["sum.currency", "sum.amount", "type", "account", "txnId"]
    );
    assert!(!verified.matched_without_trailing_zeros);
    for unsigned in ["status", "errorCode", "date", "commission.amount"] {
        assert!(!verified.is_signed(unsigned), "{unsigned}");
    }
}

/// The docs' sample notification carries a `hash` that no formatting of its fields
/// reproduces; the digest their own walkthrough computes is the one that verifies.
#[test]
fn the_docs_sample_hash_does_not_match_its_payment() {
    assert_eq!(verify(KEY, &docs_sample()), Err(Refusal::BadSignature));
    assert!(verify(KEY, &spec_vector()).is_ok());
}

#[test]
fn an_amount_written_1_0_verifies_through_the_trailing_zeros_fallback() {
    let body = spec_vector().replace(r#""sum":{"amount":1,"#, r#""sum":{"amount":1.0,"#);
    let verified = payment(verify(KEY, &body));
    assert!(verified.matched_without_trailing_zeros);
    assert_eq!(verified.payment.sum.amount.to_string(), "1.0");
    // The fallback strips zeros after the point only: 10 is not 1.
    let ten = spec_vector().replace(r#""sum":{"amount":1,"#, r#""sum":{"amount":10,"#);
    assert_eq!(verify(KEY, &ten), Err(Refusal::BadSignature));
}

#[test]
fn strings_are_signed_as_their_unescaped_text() {
    let escaped = spec_vector().replace("+79161112233", r"\u002b79161112233");
    assert!(verify(KEY, &escaped).is_ok());
}

#[test]
fn the_signature_follows_signfields_whatever_it_names() {
    let verifier = verifier(KEY);
    let with_status = spec_vector().replace(",txnId\"", ",txnId,status,commission.amount\"");
    let body: serde_json::Value = serde_json::from_str(&with_status).unwrap();
    let hash = verifier.sign(&body["payment"].to_string()).unwrap();
    let signed = with_status.replace(SPEC_DIGEST, &hash);
    let verified = payment(verifier.verify(signed.as_bytes()));
    assert!(verified.is_signed("status"));
    assert!(verified.is_signed("commission.amount"));
    // Now the status is covered: changing it breaks the signature.
    let replayed = signed.replace("SUCCESS", "WAITING");
    assert_eq!(
        verifier.verify(replayed.as_bytes()),
        Err(Refusal::BadSignature)
    );
    // Unsigned by default: the same change to the documented list still verifies.
    let unsigned = spec_vector().replace("SUCCESS", "WAITING");
    assert!(payment(verify(KEY, &unsigned)).payment.status.as_str() == "WAITING");
}

#[test]
fn a_test_notification_is_told_apart_and_not_authenticated() {
    let body = model_fixture("e56_notification/tolerance_test_message_without_payment.json");
    match verify(KEY, &body) {
        Ok(Verified::Test(test)) => {
            assert_eq!(
                test.message_id.as_deref(),
                Some("a1b2c3d4-0000-4000-8000-000000000001")
            );
        }
        other => panic!("expected a test notification, got {other:?}"),
    }
}

#[test]
fn malformed_bodies_are_refused_with_the_reason() {
    let vector = spec_vector();
    for (case, body) in [
        ("not JSON", "<html>".to_owned()),
        ("empty", String::new()),
        (
            "no payment",
            r#"{"messageId":"m","hookId":"h","hash":"00","test":false}"#.to_owned(),
        ),
        (
            "no hash",
            vector.replace(&format!(r#""hash":"{SPEC_DIGEST}","#), ""),
        ),
        (
            "no messageId",
            vector.replace(r#""messageId":"7814c49d-2d29-4b14-b2dc-36b377c76156","#, ""),
        ),
        (
            "signed amount not a number",
            vector.replace(r#""sum":{"amount":1,"#, r#""sum":{"amount":true,"#),
        ),
        (
            "unsigned total not a number",
            vector.replace(r#""total":{"amount":1,"#, r#""total":{"amount":true,"#),
        ),
    ] {
        assert!(
            matches!(
                verify(KEY, &body),
                Err(Refusal::Malformed(_) | Refusal::UnknownSignField(_))
            ),
            "{case}: {:?}",
            verify(KEY, &body)
        );
    }
}

proptest! {
    /// Whatever arrives, the verifier answers without panicking, and noise never verifies.
    #[test]
    fn no_input_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let result = verifier(KEY).verify(&bytes);
        prop_assert!(!matches!(result, Ok(Verified::Payment(_))));
    }

    /// The sample with one byte replaced and its end cut off never panics, and when it still
    /// verifies, every signed field is the one the service signed.
    #[test]
    fn an_altered_sample_never_panics_nor_changes_a_signed_field(
        at in 0usize..700, byte in any::<u8>(), cut in 1usize..700,
    ) {
        let original = payment(verify(KEY, &spec_vector())).payment;
        let mut body = spec_vector().into_bytes();
        let at = at % body.len();
        body[at] = byte;
        body.truncate(cut);
        if let Ok(Verified::Payment(verified)) = verifier(KEY).verify(&body) {
            let p = verified.payment;
            prop_assert_eq!(&p.txn_id, &original.txn_id);
            prop_assert_eq!(&p.sum, &original.sum);
            prop_assert_eq!(&p.kind, &original.kind);
            prop_assert_eq!(&p.account, &original.account);
        }
    }
}

/// A repeated key puts two values under one name: the signature must not cover one value
/// while the notification reports the other.
#[test]
fn a_repeated_key_never_reports_a_value_the_signature_does_not_cover() {
    let vector = spec_vector();
    let cases = [
        (
            "amount",
            vector.replace(
                r#""sum":{"amount":1,"#,
                r#""sum":{"amount":100,"amount":1,"#,
            ),
        ),
        (
            "sum",
            vector.replace(
                r#""sum":{"#,
                r#""sum":{"amount":100,"currency":643},"sum":{"#,
            ),
        ),
        (
            "txnId",
            vector.replace(
                r#""txnId":"13353941550""#,
                r#""txnId":"1","txnId":"13353941550""#,
            ),
        ),
    ];
    for (case, body) in cases {
        assert_ne!(body, vector, "{case}: the fixture changed");
        if let Ok(Verified::Payment(verified)) = verify(KEY, &body) {
            assert_eq!(verified.payment.sum.amount.to_string(), "1", "{case}");
            assert_eq!(verified.payment.txn_id.as_str(), "13353941550", "{case}");
        }
    }
}

/// A `signFields` far too long is refused by its count: the refusal, which a receiver logs,
/// does not carry the list an unauthenticated sender wrote.
#[test]
fn a_huge_signfields_is_refused_with_a_short_reason() {
    let huge = format!("{},txnId", "sum.amount,".repeat(10_000));
    let body = spec_vector().replace(
        r#""signFields":"sum.currency,sum.amount,type,account,txnId""#,
        &format!(r#""signFields":"{huge}""#),
    );
    let refusal = verify(KEY, &body).unwrap_err();
    assert!(matches!(refusal, Refusal::Malformed(_)), "{refusal:?}");
    assert!(
        refusal.to_string().len() < 200,
        "{} bytes",
        refusal.to_string().len()
    );
}
