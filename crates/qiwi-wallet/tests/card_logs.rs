//! Traces never carry a card's number or CVV. A test binary of its own: tracing caches per
//! call site, for the whole process, whether anyone listens, so tests running in parallel
//! without a subscriber would hide events from this one.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use qiwi_types::wallet::CardId;
use qiwi_wallet::{SecretString, WalletClient};
use tracing::field::{Field, Visit};
use tracing::span;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAN: &str = "44441111222233333";
const CVV: &str = "739";

/// Records every span field and event field as text.
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &span::Attributes<'_>) -> span::Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nspan {} ", attributes.metadata().name());
        attributes.record(&mut Fields(&mut out));
        span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &span::Id, values: &span::Record<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("\nrecord ");
        values.record(&mut Fields(&mut out));
    }

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nevent {} ", event.metadata().target());
        event.record(&mut Fields(&mut out));
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

#[tokio::test]
async fn traces_never_carry_the_card_number_or_cvv() {
    let out = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture {
        out: out.clone(),
        next_id: AtomicU64::new(1),
    });
    let server = MockServer::start().await;
    let details =
        format!(r#"{{"status": "OK", "cvv": "{CVV}", "pan": "{PAN}", "errorCode": "0"}}"#);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(details, "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let malformed = format!(r#"{{"status": "OK", "cvv": {{}}, "pan": "{PAN}"}}"#);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(malformed, "application/json"))
        .mount(&server)
        .await;
    let client = WalletClient::builder()
        .token(SecretString::from("tok-card-logs"))
        .wallet("79111234567".parse().unwrap())
        .base_url(server.uri())
        .allow_http(true)
        .build()
        .unwrap();
    let card = CardId::new("133789472").unwrap();
    let details = client.card_details(&card).await.unwrap();
    tracing::info!(?details, "details read");
    let error = client.card_details(&card).await.unwrap_err();
    tracing::warn!(%error, ?error, "details failed");

    let logged = out.lock().unwrap().clone();
    // The capture works: the executor's span names the call.
    assert!(logged.contains("span http.request"), "{logged}");
    assert!(logged.contains("E48"), "{logged}");
    assert!(logged.contains("****3333"), "{logged}");
    assert!(!logged.contains(PAN), "{logged}");
    assert!(!logged.contains(CVV), "{logged}");
}
