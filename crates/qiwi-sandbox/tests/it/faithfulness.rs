//! What the real services do that the sandbox now does too: the provider lookup on
//! `xmlcp.jsp`, signed agent requests, the `Accept` check, the token encodings refused, and HTTP
//! Basic client authentication on `/oauth/token`.

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{attr, client, envelope, sandbox, sandbox_with, text, token_request};
use qiwi_sandbox::{DemoData, SandboxConfig, demo};
use reqwest::StatusCode;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};

fn lookup(phone: &str) -> String {
    envelope(
        "get-provider-by-phone-number",
        &format!("  <phonenumber>{phone}</phonenumber>\n"),
    )
}

async fn post_xml(url: String, body: String, headers: &[(&str, String)]) -> String {
    let mut request = client()
        .post(url)
        .header("Content-Type", "application/xml")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let r = request.send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

fn result_code(doc: &str) -> String {
    text(doc, "result-code").unwrap_or_default()
}

#[tokio::test]
async fn the_provider_lookup_is_served_on_xmlcp() {
    let sb = sandbox().await;
    let url = format!("{}/xml/xmlcp.jsp", sb.base_url());
    let doc = post_xml(url.clone(), lookup("9161234567"), &[]).await;
    assert_eq!(result_code(&doc), "0", "{doc}");
    assert_eq!(attr(&doc, "provider", "id").as_deref(), Some("42"), "{doc}");
    let doc = post_xml(url.clone(), lookup("9881112233"), &[]).await;
    assert_eq!(attr(&doc, "provider", "id").as_deref(), Some("2"), "{doc}");
    // With the country code, or not a number: refused.
    for phone in ["79161234567", "916123456", "abc"] {
        let doc = post_xml(url.clone(), lookup(phone), &[]).await;
        assert_eq!(result_code(&doc), "300", "{phone}: {doc}");
    }
    let wrong = lookup("9161234567").replace(demo::AGENT_PASSWORD, "wrong");
    let doc = post_xml(url, wrong, &[]).await;
    assert_eq!(result_code(&doc), "150", "{doc}");
    assert_eq!(sb.hits("agent.provider"), 6);
}

fn ping_without_password() -> String {
    envelope("ping", "").replace(
        &format!(
            "  <extra name=\"password\">{}</extra>\n",
            demo::AGENT_PASSWORD
        ),
        "",
    )
}

fn sign(body: &str, algorithm: &str) -> String {
    let key = RsaPrivateKey::from_pkcs8_pem(demo::AGENT_SIGNING_KEY).unwrap();
    let signature = match algorithm {
        "MD5withRSA" => SigningKey::<md5::Md5>::new(key)
            .sign(body.as_bytes())
            .to_vec(),
        _ => SigningKey::<sha1::Sha1>::new(key)
            .sign(body.as_bytes())
            .to_vec(),
    };
    STANDARD.encode(signature)
}

fn signed(signature: String, algorithm: &str) -> Vec<(&'static str, String)> {
    vec![
        ("X-Digital-Sign", signature),
        ("X-Digital-Sign-Alg", algorithm.to_owned()),
    ]
}

#[tokio::test]
async fn signed_requests_are_verified_with_the_agents_public_key() {
    let sb = sandbox().await;
    let body = ping_without_password();
    assert!(!body.contains("password"));
    for algorithm in ["SHA1withRSA", "MD5withRSA"] {
        let doc = post_xml(
            sb.agent_url(),
            body.clone(),
            &signed(sign(&body, algorithm), algorithm),
        )
        .await;
        assert_eq!(result_code(&doc), "0", "{algorithm}: {doc}");
        assert!(doc.contains("<balance code=\"643\">"), "{doc}");
    }
    let lookup_body = lookup("9161234567");
    let doc = post_xml(
        format!("{}/xml/xmlcp.jsp", sb.base_url()),
        lookup_body.clone(),
        &signed(sign(&lookup_body, "SHA1withRSA"), "SHA1withRSA"),
    )
    .await;
    assert_eq!(attr(&doc, "provider", "id").as_deref(), Some("42"), "{doc}");

    // The signature covers the exact bytes: another body, another algorithm, garbage, or a
    // good password with a bad signature are all refused.
    let tampered = body.replace("ping", "ping ");
    let refusals = [
        (
            tampered.clone(),
            signed(sign(&body, "SHA1withRSA"), "SHA1withRSA"),
        ),
        (
            body.clone(),
            signed(sign(&body, "SHA1withRSA"), "MD5withRSA"),
        ),
        (
            body.clone(),
            signed(sign(&body, "SHA1withRSA"), "SHA256withRSA"),
        ),
        (body.clone(), signed("not base64!".into(), "SHA1withRSA")),
        (
            envelope("ping", ""),
            signed(sign(&body, "SHA1withRSA"), "SHA1withRSA"),
        ),
    ];
    for (request, headers) in refusals {
        let doc = post_xml(sb.agent_url(), request, &headers).await;
        assert_eq!(result_code(&doc), "150", "{headers:?}: {doc}");
        assert_eq!(attr(&doc, "result-code", "fatal").as_deref(), Some("true"));
    }
}

#[tokio::test]
async fn without_a_public_key_a_signed_request_is_refused() {
    let mut data = DemoData::default();
    data.agent.public_key = None;
    let sb = sandbox_with(SandboxConfig::default().with_data(data)).await;
    let body = ping_without_password();
    let doc = post_xml(
        sb.agent_url(),
        body.clone(),
        &signed(sign(&body, "SHA1withRSA"), "SHA1withRSA"),
    )
    .await;
    assert_eq!(result_code(&doc), "150", "{doc}");
    assert!(doc.contains("no signature key is registered"), "{doc}");
}

#[test]
fn a_public_key_that_is_not_one_is_refused_at_start() {
    let err = DemoData::from_json(
        r#"{"agent": {"publicKey": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("agent.publicKey"), "{err}");
}

#[tokio::test]
async fn json_endpoints_check_the_accept_header() {
    let sb = sandbox().await;
    let accounts = format!(
        "{}/funding-sources/v2/persons/{}/accounts",
        sb.base_url(),
        demo::QIWI_WALLET
    );
    let wallet = |accept: &'static str| {
        client()
            .get(&accounts)
            .header("Authorization", common::bearer())
            .header("Accept", accept)
            .send()
    };
    for accept in [
        "application/json",
        "*/*",
        "application/*",
        "text/html, application/json;q=0.5",
    ] {
        assert_eq!(
            wallet(accept).await.unwrap().status(),
            StatusCode::OK,
            "{accept}"
        );
    }
    for accept in [
        "text/html",
        "application/xml",
        "application/vnd.qiwi.v1+json",
        "application/json;q=0",
    ] {
        let r = wallet(accept).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{accept}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["errorCode"], "http.media.type.not.acceptable");
    }

    let token = common::treezor_token(&sb).await;
    let balances = format!(
        "{}/v1/balances?walletId={}",
        sb.base_url(),
        demo::TREEZOR_WALLET_IDS[0]
    );
    let treezor = |accept: &'static str| {
        client()
            .get(&balances)
            .header("Authorization", format!("Bearer {token}"))
            .header("Accept", accept)
            .send()
    };
    assert_eq!(
        treezor("application/json").await.unwrap().status(),
        StatusCode::OK
    );
    let r = treezor("application/xml").await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_ACCEPTABLE);
    assert!(r.text().await.unwrap().contains("\"not_acceptable\""));

    // The agent reference documents no Accept: any is taken.
    let r = client()
        .post(sb.agent_url())
        .header("Accept", "text/html")
        .body(envelope("ping", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(result_code(&r.text().await.unwrap()), "0");
}

fn credentials() -> String {
    format!(
        "client_id={}&client_secret={}",
        demo::TREEZOR_CLIENT_ID,
        demo::TREEZOR_CLIENT_SECRET
    )
}

#[tokio::test]
async fn token_encodings_the_real_service_refuses_are_refused() {
    let sb = sandbox().await;
    let form = "application/x-www-form-urlencoded";
    let url = format!("{}/oauth/token", sb.base_url());
    let without_type = client()
        .post(&url)
        .body(format!("grant_type=client_credentials&{}", credentials()))
        .send()
        .await
        .unwrap();
    assert_eq!(without_type.status(), StatusCode::BAD_REQUEST);
    assert!(without_type.text().await.unwrap().contains("Content-Type"));
    for body in [
        format!(
            "grant_type=client_credentials&{}&client_id=1",
            credentials()
        ),
        format!(
            "grant_type=client_credentials&grant_type=client_credentials&{}",
            credentials()
        ),
    ] {
        let r = token_request(&sb, form, body).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("more than once"));
    }
    let r = token_request(
        &sb,
        "text/plain",
        format!("grant_type=client_credentials&{}", credentials()),
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

#[tokio::test]
async fn http_basic_client_authentication_is_accepted_on_the_token_endpoint() {
    let sb = sandbox().await;
    let url = format!("{}/oauth/token", sb.base_url());
    let send = |authorization: String, body: String| {
        client()
            .post(&url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", authorization)
            .body(body)
            .send()
    };
    let good = basic(demo::TREEZOR_CLIENT_ID, demo::TREEZOR_CLIENT_SECRET);
    let r = send(
        good.clone(),
        "grant_type=client_credentials&scope=read_only".into(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let token: serde_json::Value = r.json().await.unwrap();
    let (status, _) = common::treezor_get(
        &sb,
        token["access_token"].as_str().unwrap(),
        &format!("/v1/balances?walletId={}", demo::TREEZOR_WALLET_IDS[0]),
    )
    .await;
    assert_eq!(status, 200);
    // The same client_id in the body is allowed.
    let with_id = format!(
        "grant_type=client_credentials&client_id={}",
        demo::TREEZOR_CLIENT_ID
    );
    assert_eq!(
        send(good.clone(), with_id).await.unwrap().status(),
        StatusCode::OK
    );

    let r = send(
        basic(demo::TREEZOR_CLIENT_ID, "wrong"),
        "grant_type=client_credentials".into(),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    let r = send("Basic !!!".into(), "grant_type=client_credentials".into())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Two authentication methods in one request are refused (RFC 6749 section 2.3).
    let r = send(
        good,
        format!("grant_type=client_credentials&{}", credentials()),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
