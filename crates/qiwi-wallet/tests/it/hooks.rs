//! Webhook management (E50 to E55) on the wire: what is refused before sending, a `404` that
//! means "no hook", and a `422` told apart by the active hook.

use crate::common;

use common::{client, expected, model_fixture, received};
use http::Method;
use qiwi_wallet::models::HookTxnType;
use qiwi_wallet::{Error, MAX_HOOK_URL_CHARS, NotSentError, RefusalKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HOOKS: &str = "/payment-notifier/v1/hooks";
const ACTIVE: &str = "/payment-notifier/v1/hooks/active";

fn json(status: u16, body: impl AsRef<str>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body.as_ref().as_bytes().to_vec(), "application/json")
}

fn edge_error(status: u16, code: &str) -> ResponseTemplate {
    json(
        status,
        format!(
            r#"{{"serviceName":"payment-notifier","errorCode":"{code}","description":"refused","userMessage":"refused"}}"#
        ),
    )
}

async fn server_with(register: ResponseTemplate, active: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(HOOKS))
        .respond_with(register)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(ACTIVE))
        .respond_with(active)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn e50_a_422_with_an_active_hook_is_a_conflict() {
    let active = json(200, model_fixture("e50_hook/spec_e50.json"));
    let server = server_with(edge_error(422, "hook.invalid"), active).await;
    let error = client(&server)
        .register_hook("https://example.com/qiwi", HookTxnType::Both)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Conflict), "{error}");
    assert_eq!(error.refusal().unwrap().answer.status.as_u16(), 422);
    assert!(error.to_string().contains("already registered"), "{error}");
    let requests = received(&server).await;
    let query = "hookType=1&param=https%3A%2F%2Fexample.com%2Fqiwi&txnType=2";
    common::assert_sent(
        &requests[0],
        &expected(Method::PUT, HOOKS, Some(query), None),
    );
    common::assert_sent(&requests[1], &expected(Method::GET, ACTIVE, None, None));
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn e50_a_422_without_an_active_hook_is_a_validation_refusal() {
    for active in [
        edge_error(404, "hook.not.found"),
        edge_error(500, "internal.error"),
    ] {
        let server = server_with(edge_error(422, "hook.invalid"), active).await;
        let error = client(&server)
            .register_hook("https://unreachable.example/", HookTxnType::In)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), Some(RefusalKind::Validation), "{error}");
    }
}

/// The answer of E50 for a hook of `url` reporting `txn` payments.
fn hook(url: &str, kind: &str, txn: &str) -> ResponseTemplate {
    let hook = serde_json::json!({
        "hookId": "d63a8729-f5c8-486f-907d-9fb8758afcfc",
        "hookParameters": {"url": url}, "hookType": kind, "txnType": txn
    });
    json(200, hook.to_string())
}

#[tokio::test]
async fn e50_a_url_over_100_characters_or_empty_is_not_sent() {
    // The limit counts characters before encoding, not bytes: 100 Cyrillic letters pass.
    let cyrillic = format!("https://пример.рф/{}", "ж".repeat(MAX_HOOK_URL_CHARS - 18));
    let server = server_with(hook(&cyrillic, "WEB", "BOTH"), json(404, "")).await;
    let client = client(&server);
    let long = format!(
        "https://example.com/{}",
        "a".repeat(MAX_HOOK_URL_CHARS - 19)
    );
    assert_eq!(long.chars().count(), MAX_HOOK_URL_CHARS + 1);
    for url in [long.as_str(), ""] {
        let error = client
            .register_hook(url, HookTxnType::Both)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::NotSent(NotSentError::InvalidInput(_))),
            "{error}"
        );
    }
    let unknown = HookTxnType::Unknown("SIDEWAYS".into());
    let error = client
        .register_hook("https://example.com/", unknown)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::NotSent(NotSentError::InvalidInput(_))),
        "{error}"
    );
    assert!(received(&server).await.is_empty());
    assert_eq!(cyrillic.chars().count(), MAX_HOOK_URL_CHARS);
    client
        .register_hook(&cyrillic, HookTxnType::Both)
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn e54_no_active_hook_is_none_and_other_refusals_stay_errors() {
    let server = server_with(json(200, ""), edge_error(404, "hook.not.found")).await;
    assert_eq!(client(&server).active_hook().await.unwrap(), None);
    let server = server_with(json(200, ""), edge_error(401, "token.invalid")).await;
    let error = client(&server).active_hook().await.unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Authentication), "{error}");
}

#[tokio::test]
async fn e51_an_empty_hook_id_is_not_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    for error in [
        client.delete_hook("").await.unwrap_err(),
        client.hook_key("").await.unwrap_err(),
        client.new_hook_key("").await.unwrap_err(),
    ] {
        assert!(
            matches!(error, Error::NotSent(NotSentError::InvalidInput(_))),
            "{error}"
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn replace_stops_at_the_first_failing_step_and_names_it() {
    let server = server_with(
        edge_error(422, "hook.invalid"),
        edge_error(404, "hook.not.found"),
    )
    .await;
    let error = client(&server)
        .replace_hook("https://example.com/qiwi")
        .await
        .unwrap_err();
    assert_eq!(error.detail().unwrap().endpoint, "E50", "{error}");
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    // No hook to delete: register, then the check of the 422, and nothing after it.
    assert_eq!(
        methods,
        [
            format!("GET {ACTIVE}"),
            format!("PUT {HOOKS}"),
            format!("GET {ACTIVE}")
        ]
    );
}

/// An error body quoting `secrets` as a reflecting server or proxy would: raw and JSON-escaped.
fn echoing(status: u16, secrets: &[&str]) -> ResponseTemplate {
    let echo: Vec<String> = secrets
        .iter()
        .map(|s| qiwi_transport::test_util::echo::json_escaped(s))
        .collect();
    json(
        status,
        format!(
            r#"{{"serviceName":"payment-notifier","errorCode":"{e}","description":"{e}","userMessage":"bad key {e}"}}"#,
            e = echo.join(" ")
        ),
    )
}

#[tokio::test]
async fn a_hook_key_received_never_shows_in_a_later_error_that_echoes_it() {
    use qiwi_transport::test_util::echo::{leaks, shown};

    const ID: &str = "5e2027d1-f5f3-4ad1-b409-058b8b8a8c22";
    const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
    const NEW: &str = "n3w/Key+With/Slashes+And+Plus/0123456789ab=";
    let server = MockServer::start().await;
    let key_path = format!("{HOOKS}/{ID}/key");
    Mock::given(method("GET"))
        .and(path(key_path.as_str()))
        .respond_with(json(201, format!(r#"{{"key":"{KEY}"}}"#)))
        .mount(&server)
        .await;
    let new_key_path = format!("{HOOKS}/{ID}/newkey");
    Mock::given(method("POST"))
        .and(path(new_key_path.as_str()))
        .respond_with(json(201, format!(r#"{{"key":"{NEW}"}}"#)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{HOOKS}/test")))
        .respond_with(echoing(500, &[KEY, NEW]))
        .mount(&server)
        .await;
    // A proxy's plain-text page quoting the key as it was.
    Mock::given(method("DELETE"))
        .and(path(format!("{HOOKS}/{ID}")))
        .respond_with(ResponseTemplate::new(502).set_body_string(format!("upstream said {KEY}")))
        .mount(&server)
        .await;

    let client = client(&server);
    let key = client.hook_key(ID).await.unwrap();
    assert_eq!(qiwi_transport::ExposeSecret::expose_secret(&key.key), KEY);
    for error in [
        client.test_hook().await.unwrap_err(),
        client.delete_hook(ID).await.unwrap_err(),
    ] {
        let shown = shown(&error);
        assert!(leaks(&shown, &[KEY]).is_empty(), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }

    // A new key joins the old one: an echo of either is cut out.
    client.new_hook_key(ID).await.unwrap();
    let shown = shown(&client.test_hook().await.unwrap_err());
    assert!(leaks(&shown, &[KEY, NEW]).is_empty(), "{shown}");
}

/// Keys learnt later (P2P key pairs, a renewed hook key) do not push the first hook key out
/// of what errors are scrubbed of.
#[tokio::test]
async fn a_hook_key_stays_scrubbed_after_several_other_keys_are_learnt() {
    use qiwi_transport::test_util::echo::{leaks, shown};

    const ID: &str = "5e2027d1-f5f3-4ad1-b409-058b8b8a8c22";
    const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{HOOKS}/{ID}/key")))
        .respond_with(json(201, format!(r#"{{"key":"{KEY}"}}"#)))
        .mount(&server)
        .await;
    let pairs: Vec<String> = (0..3)
        .map(|i| format!("p2p-secret-key-{i}-0123456789"))
        .collect();
    for pair in &pairs {
        Mock::given(method("POST"))
            .and(path("/widgets-api/api/p2p/protected/keys/create"))
            .respond_with(json(
                200,
                format!(r#"{{"PublicKey":"public-{pair}","SecretKey":"{pair}"}}"#),
            ))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("{HOOKS}/test")))
        .respond_with(echoing(500, &[KEY]))
        .mount(&server)
        .await;

    let client = client(&server);
    client.hook_key(ID).await.unwrap();
    for pair in &pairs {
        let created = client.create_p2p_keys("shop", None).await.unwrap();
        assert_eq!(
            qiwi_transport::ExposeSecret::expose_secret(&created.secret_key),
            pair
        );
    }
    let shown = shown(&client.test_hook().await.unwrap_err());
    assert!(leaks(&shown, &[KEY]).is_empty(), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

/// A key answer this client cannot read is not kept in the error: it may quote the key in a
/// shape the decoder does not know, or cut off.
#[tokio::test]
async fn a_key_answer_that_cannot_be_decoded_never_shows_the_key() {
    use qiwi_transport::test_util::echo::{leaks, shown};

    const ID: &str = "5e2027d1-f5f3-4ad1-b409-058b8b8a8c22";
    const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
    for body in [
        format!(r#"{{"data":{{"key":"{KEY}"}}}}"#),
        format!(r#"{{"key":"{KEY}","#),
        format!(r#"{{"key":["{KEY}"]}}"#),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("{HOOKS}/{ID}/key")))
            .respond_with(json(201, &body))
            .mount(&server)
            .await;
        let error = client(&server).hook_key(ID).await.unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
        let shown = shown(&error);
        assert!(leaks(&shown, &[KEY]).is_empty(), "{body}: {shown}");
    }
}

#[tokio::test]
async fn e50_an_answer_naming_another_url_or_payments_is_an_error_that_names_the_hook() {
    let asked = "https://example.com/qiwi";
    for (answer, field) in [
        (
            hook("https://evil.example/qiwi", "WEB", "BOTH"),
            "hookParameters.url",
        ),
        (hook(asked, "WEB", "IN"), "txnType"),
        (hook(asked, "MAIL", "BOTH"), "hookType"),
    ] {
        let server = server_with(answer, json(404, "{}")).await;
        let error = client(&server)
            .register_hook(asked, HookTxnType::Both)
            .await
            .unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(decode.path, field, "{error}");
        assert!(
            error
                .to_string()
                .contains("d63a8729-f5c8-486f-907d-9fb8758afcfc"),
            "the hook to delete is named: {error}"
        );
        assert_eq!(received(&server).await.len(), 1, "never resent");
    }
    // The same URL written with another case of host is the same hook.
    let server = server_with(
        hook("https://EXAMPLE.com/qiwi", "WEB", "BOTH"),
        json(404, "{}"),
    )
    .await;
    let registered = client(&server)
        .register_hook(asked, HookTxnType::Both)
        .await
        .unwrap();
    assert_eq!(registered.hook_parameters.url, "https://EXAMPLE.com/qiwi");
}

#[tokio::test]
async fn e52_e53_a_key_in_a_refused_answer_never_reaches_the_error() {
    use qiwi_transport::test_util::echo::{leaks, shown};

    const ID: &str = "5e2027d1-f5f3-4ad1-b409-058b8b8a8c22";
    const KEY: &str = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";
    // The key under a status the reference does not give it, alone or with an error's fields.
    for (status, body) in [
        (500, format!(r#"{{"key":"{KEY}"}}"#)),
        (
            422,
            format!(r#"{{"errorCode":"hook.key","userMessage":"refused","key":"{KEY}"}}"#),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(json(status, &body))
            .mount(&server)
            .await;
        let client = client(&server);
        for error in [
            client.hook_key(ID).await.unwrap_err(),
            client.new_hook_key(ID).await.unwrap_err(),
        ] {
            assert!(error.refusal().is_some(), "{error:?}");
            let shown = shown(&error);
            assert!(leaks(&shown, &[KEY]).is_empty(), "{status}: {shown}");
        }
    }
}
