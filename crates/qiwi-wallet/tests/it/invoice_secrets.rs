//! The P2P secret key never shows: not in `Debug`, not in an error from a server that
//! reflects the request or echoes the key, not in an undecodable key-pair answer, not in the
//! traces of the calls that carry it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::common;

use common::{client, model_fixture};
use qiwi_transport::test_util::echo::{EchoLog, json_escaped, leaks, shown};
use qiwi_wallet::models::InvoiceId;
use qiwi_wallet::{
    Currency, FateLookup, InvoiceAuth, InvoicePayOutcome, InvoiceQuery, SecretString,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Visible ASCII with the characters encoders treat apart.
const P2P_KEY: &str = "p2p/k+ey\"&<>s3cret=~";
/// The secret key the key-pair answers carry.
const CREATED: &str = "eyJ2ZXJzaW9uIjoiUDJQIiwiZGF0YSI6e30=";

fn json_error(echo: &str) -> String {
    format!(
        r#"{{"errorCode":"{e}","userMessage":"{e}","traceId":"{e}"}}"#,
        e = json_escaped(echo)
    )
}

fn auth() -> InvoiceAuth {
    InvoiceAuth::p2p_secret_key(SecretString::from(P2P_KEY)).unwrap()
}

fn lookup() -> FateLookup {
    FateLookup {
        wait: std::time::Duration::ZERO,
        pages: 1,
        ..FateLookup::default()
    }
}

#[test]
fn debug_of_the_auth_hides_the_key() {
    assert_eq!(
        format!("{:?}", auth()),
        "P2pSecretKey(BearerToken([REDACTED]))"
    );
}

#[tokio::test]
async fn an_echoing_server_never_shows_the_p2p_key_in_an_invoice_error() {
    for status in [500, 403, 404] {
        let server = common::echo_server(status, json_error, EchoLog::new(&[P2P_KEY])).await;
        let client = client(&server);
        let search = client
            .invoices_page(&auth(), &InvoiceQuery::default(), None)
            .await
            .unwrap_err();
        let reject = client
            .reject_invoice(&auth(), InvoiceId::new(7))
            .await
            .unwrap_err();
        let outcome = client
            .pay_invoice(
                &auth(),
                InvoiceId::new(7),
                Currency::from_numeric(643),
                lookup(),
            )
            .await;
        for text in [shown(&search), shown(&reject), format!("{outcome:?}")] {
            assert!(leaks(&text, &[P2P_KEY]).is_empty(), "{status}: {text}");
            assert!(text.contains("[REDACTED]"), "{status}: {text}");
        }
    }
}

#[tokio::test]
async fn an_undecodable_invoice_payment_answer_never_shows_the_p2p_key() {
    let server = common::echo_server(
        200,
        |echo| format!(r#"{{"invoice_status":{{"x":"{}"}}}}"#, json_escaped(echo)),
        EchoLog::new(&[P2P_KEY]),
    )
    .await;
    let outcome = client(&server)
        .pay_invoice(
            &auth(),
            InvoiceId::new(7),
            Currency::from_numeric(643),
            lookup(),
        )
        .await;
    assert!(
        matches!(outcome, InvoicePayOutcome::Unknown(_)),
        "{outcome:?}"
    );
    let text = format!("{outcome:?}");
    assert!(leaks(&text, &[P2P_KEY]).is_empty(), "{text}");
}

async fn server_answering_keys(keys: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widgets-api/api/p2p/protected/keys/create"))
        .respond_with(keys)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_created_key_is_cut_out_of_every_later_error() {
    let pair = format!(r#"{{"PublicKey":"pub","SecretKey":"{CREATED}"}}"#);
    let server = server_answering_keys(ResponseTemplate::new(200).set_body_string(pair)).await;
    // A gateway that quotes the key back on the next call.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502).set_body_string(format!("upstream said {CREATED}")),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    client.create_p2p_keys("shop", None).await.unwrap();
    let error = client.list_accounts().await.unwrap_err();
    let text = shown(&error);
    assert!(!text.contains(CREATED), "{text}");
    assert!(text.contains("[REDACTED]"), "{text}");
}

#[tokio::test]
async fn an_undecodable_key_pair_answer_never_shows_the_key() {
    for body in [
        format!(r#"{{"PublicKey":5,"SecretKey":"{CREATED}"}}"#),
        r#"{"PublicKey":"pub","SecretKey":123456789012345}"#.to_owned(),
        format!(r#"{{"SecretKey":"{CREATED}""#),
    ] {
        let server = server_answering_keys(ResponseTemplate::new(200).set_body_string(&body)).await;
        let error = client(&server)
            .create_p2p_keys("shop", None)
            .await
            .unwrap_err();
        let text = shown(&error);
        assert!(
            !text.contains(CREATED) && !text.contains("123456789012345"),
            "{text}"
        );
        assert!(text.contains("SecretKey"), "{text}");
    }
}

/// A writer into a shared buffer, for the subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_traces_of_every_invoice_call_never_show_a_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let pair = format!(r#"{{"PublicKey":"pub","SecretKey":"{CREATED}"}}"#);
    let server = server_answering_keys(ResponseTemplate::new(200).set_body_string(pair)).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(model_fixture("e37_invoices/spec_e37.json")),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let created = client.create_p2p_keys("shop", None).await.unwrap();
    let page = client
        .invoices_page(&auth(), &InvoiceQuery::default(), None)
        .await
        .unwrap();
    let outcome = client
        .pay_invoice(
            &auth(),
            page.bills[0].id,
            Currency::from_numeric(643),
            lookup(),
        )
        .await;
    let _ = client.reject_invoice(&auth(), page.bills[0].id).await;

    let text = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        text.contains("E36") && text.contains("E37"),
        "no trace captured: {text}"
    );
    assert!(leaks(&text, &[P2P_KEY, CREATED]).is_empty(), "{text}");
    assert!(!format!("{created:?} {outcome:?}").contains(CREATED));
}
