//! Every call sends exactly the request the reference documents: method, path, query,
//! `Accept`, `Authorization`, `Content-Type` on bodies, and the JSON body. One table row per
//! endpoint, run twice: in memory (each scripted answer checks the request it answers) and over
//! loopback (the request as it reached the server).

use crate::common;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use common::{builder, client, expected, model_fixture, received};
use http::Method;
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_transport::test_util::{ReplayEvent, Reply, ScriptedTransport};
use qiwi_wallet::models::HookTxnType;
use qiwi_wallet::{
    AccountAlias, DowngradeOperationId, DowngradeRequest, Error, LimitType, NotSentError,
    ProfileSections, WalletClient,
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PERSON: &str = "/funding-sources/v2/persons/79111234567/accounts";
const DOWNGRADE: &str =
    "/qw-ident-downgrade-api/v1/persons/79111234567/identification-downgrade/operations";
const DOWNGRADE_ID: &str = "1747ea28-1082-41bc-bde4-72994b3ffeb4";
const HOOKS: &str = "/payment-notifier/v1/hooks";
const HOOK_ID: &str = "d63a8729-f5c8-486f-907d-9fb8758afcfc";

/// The calls of a row, and what they return, in short.
type Calls = fn(WalletClient) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send>>;

/// One endpoint: the calls made, the request each sends with the answer it gets, and what the
/// calls return.
struct Row {
    name: &'static str,
    calls: Calls,
    exchanges: Vec<(ExpectedRequest, Reply)>,
    returns: &'static str,
}

/// A JSON answer.
fn answer(status: u16, body: impl Into<String>) -> Reply {
    Reply::status(status, body.into()).with_header("content-type", "application/json")
}

/// The answer of E50 for the hook of `url` reporting `txn` payments, as the service echoes
/// what was registered.
fn hook(url: &str, txn: &str) -> String {
    json!({
        "hookId": "d63a8729-f5c8-486f-907d-9fb8758afcfc",
        "hookParameters": {"url": url}, "hookType": "WEB", "txnType": txn
    })
    .to_string()
}

/// A request body from the models crate's fixtures.
fn body(fixture: &str) -> Value {
    serde_json::from_str(&model_fixture(fixture)).unwrap()
}

fn rows() -> Vec<Row> {
    let profile = "/person-profile/v1/profile/current";
    let identification = "/identification/v1/persons/79111234567/identification";
    let limits = "/qw-limits/v1/persons/79111234567/actual-limits";
    let offer = "/funding-sources/v2/persons/79111234567/accounts/offer";
    let confirm = format!("{DOWNGRADE}/{DOWNGRADE_ID}/confirm");
    let status = format!("{DOWNGRADE}/{DOWNGRADE_ID}");
    let e01 = || answer(200, model_fixture("e01_profile/spec_e01.json"));
    let e07 = || answer(200, model_fixture("e07_actual_limits/spec_e07.json"));
    let e12 = |fixture: &'static str, name: &'static str| Row {
        name,
        calls: |c| {
            Box::pin(async move {
                let offers = c.account_offers().await?;
                Ok(format!(
                    "{:?}",
                    (offers.len(), offers[0].alias.as_str(), &offers[0].currency)
                ))
            })
        },
        exchanges: vec![(
            expected(Method::GET, offer, None, None),
            answer(200, model_fixture(fixture)),
        )],
        returns: "(1, \"qw_wallet_eur\", Currency(EUR))",
    };
    vec![
        Row {
            name: "E01 the profile sends the three flags",
            calls: |c| {
                Box::pin(async move {
                    let profile = c.profile(ProfileSections::ALL).await?;
                    let contract = profile.contract_info.unwrap();
                    let level = &contract.identification_info.unwrap()[0].identification_level;
                    let sections = ProfileSections {
                        auth_info: false,
                        ..ProfileSections::ALL
                    };
                    c.profile(sections).await?;
                    Ok(format!("{:?}", (contract.blocked, level)))
                })
            },
            exchanges: vec![
                (
                    expected(
                        Method::GET,
                        profile,
                        Some("authInfoEnabled=true&contractInfoEnabled=true&userInfoEnabled=true"),
                        None,
                    ),
                    e01(),
                ),
                (
                    expected(
                        Method::GET,
                        profile,
                        Some("authInfoEnabled=false&contractInfoEnabled=true&userInfoEnabled=true"),
                        None,
                    ),
                    e01(),
                ),
            ],
            returns: "(false, Simple)",
        },
        Row {
            name: "E02 identify posts the seed's owner data, field for field",
            calls: |c| {
                Box::pin(async move {
                    let answer = c.identify(&common::identification_request()).await?;
                    Ok(format!("{:?}", (answer.level, answer.inn)))
                })
            },
            exchanges: vec![(
                expected(
                    Method::POST,
                    identification,
                    None,
                    Some(body("e02_identification_request/seed002_request.json")),
                ),
                answer(200, model_fixture("e02_identification/spec_e02.json")),
            )],
            returns: "(Verified, Some(\"7710000001\"))",
        },
        Row {
            name: "E03 identification is a GET",
            calls: |c| {
                Box::pin(async move {
                    let answer = c.identification().await?;
                    Ok(format!("{:?}", (answer.passport, answer.snils)))
                })
            },
            exchanges: vec![(
                expected(Method::GET, identification, None, None),
                answer(200, model_fixture("e03_identification/spec_e03.json")),
            )],
            returns: "(\"43***11\", None)",
        },
        Row {
            name: "E04 E05 E06 identification downgrade: start, confirm, status",
            calls: |c| {
                Box::pin(async move {
                    let created = c
                        .start_identification_downgrade(&DowngradeRequest::default())
                        .await?;
                    let confirmed = c.confirm_identification_downgrade(&created).await?;
                    let done = c.identification_downgrade(&created).await?;
                    Ok(format!(
                        "{:?}",
                        (
                            created == DowngradeOperationId::new(DOWNGRADE_ID),
                            confirmed.status.status_type,
                            done.status.status_type
                        )
                    ))
                })
            },
            exchanges: vec![
                (
                    expected(
                        Method::POST,
                        DOWNGRADE,
                        None,
                        Some(json!({"identificationLevel": "VERIFIED"})),
                    ),
                    answer(200, model_fixture("e04_downgrade_created/spec_e04.json")),
                ),
                (
                    expected(Method::PUT, &confirm, None, Some(json!({}))),
                    answer(200, model_fixture("e05_downgrade_operation/spec_e05.json")),
                ),
                (
                    expected(Method::GET, &status, None, None),
                    answer(200, model_fixture("e06_downgrade_operation/spec_e06.json")),
                ),
            ],
            returns: "(true, InProgress, Success)",
        },
        Row {
            name: "E07 limit types are indexed with encoded brackets",
            calls: |c| {
                Box::pin(async move {
                    let limits = c.actual_limits(&[LimitType::Turnover]).await?;
                    c.actual_limits(&[LimitType::Turnover, LimitType::Refill])
                        .await?;
                    c.actual_limits(LimitType::KNOWN).await?;
                    Ok(limits.limits["RU"][0].rest.to_string())
                })
            },
            exchanges: vec![
                (
                    expected(Method::GET, limits, Some("types%5B0%5D=TURNOVER"), None),
                    e07(),
                ),
                (
                    expected(
                        Method::GET,
                        limits,
                        Some("types%5B0%5D=TURNOVER&types%5B1%5D=REFILL"),
                        None,
                    ),
                    e07(),
                ),
                (
                    expected(
                        Method::GET,
                        limits,
                        Some(
                            "types%5B0%5D=REFILL&types%5B1%5D=TURNOVER&types%5B2%5D=PAYMENTS_P2P\
                             &types%5B3%5D=PAYMENTS_PROVIDER_INTERNATIONALS\
                             &types%5B4%5D=PAYMENTS_PROVIDER_PAYOUT&types%5B5%5D=WITHDRAW_CASH",
                        ),
                        None,
                    ),
                    e07(),
                ),
            ],
            returns: "200.00",
        },
        Row {
            name: "E08 the p2p payment count",
            calls: |c| Box::pin(async move { Ok(c.p2p_payment_count().await?.to_string()) }),
            exchanges: vec![(
                expected(
                    Method::GET,
                    "/qw-limits/v1/persons/79111234567/p2p-payment-count-limit",
                    None,
                    None,
                ),
                answer(200, model_fixture("e08_p2p_payment_count/spec_e08.json")),
            )],
            returns: "1",
        },
        Row {
            name: "E09 restrictions",
            calls: |c| {
                Box::pin(async move {
                    let restrictions = c.restrictions().await?;
                    Ok(format!("{:?}", restrictions[0].restriction_code))
                })
            },
            exchanges: vec![(
                expected(
                    Method::GET,
                    "/person-profile/v1/persons/79111234567/status/restrictions",
                    None,
                    None,
                ),
                answer(200, model_fixture("e09_restrictions/spec_e09.json")),
            )],
            returns: "OutgoingPayments",
        },
        Row {
            name: "E10 accounts without unknown balances are one request",
            calls: |c| {
                Box::pin(async move {
                    let accounts = c.list_accounts().await?;
                    Ok(format!(
                        "{:?}",
                        (
                            accounts.accounts.len(),
                            accounts.default_account().unwrap().alias.as_str(),
                            &accounts.get("mc_mts_rub").unwrap().balance
                        )
                    ))
                })
            },
            exchanges: vec![(
                expected(Method::GET, PERSON, None, None),
                answer(
                    200,
                    model_fixture("e10_accounts/s15_default_account_and_mc_mts.json"),
                ),
            )],
            returns: "(3, \"qw_wallet_rub\", NotApplicable)",
        },
        Row {
            name: "E11 create an account: the seed's alias, and a 201 without a body",
            calls: |c| {
                Box::pin(async move {
                    let alias = AccountAlias::new("qw_wallet_eur").unwrap();
                    c.create_account(&alias).await.map(|()| "created".into())
                })
            },
            exchanges: vec![(
                expected(
                    Method::POST,
                    PERSON,
                    None,
                    Some(body("e11_create_account_request/seed000_request.json")),
                ),
                answer(201, ""),
            )],
            returns: "created",
        },
        e12(
            "e12_account_offers/seed000_outer_braces_replaced_by_brackets.json",
            "E12 account offers: the seed's example as an array",
        ),
        e12(
            "e12_account_offers/tolerance_object_wrapped.json",
            "E12 account offers: the seed's example wrapped in an object",
        ),
        Row {
            name: "E13 set the default account: a PATCH of the seed's body, and a 204",
            calls: |c| {
                Box::pin(async move {
                    let alias = AccountAlias::new("qw_wallet_usd").unwrap();
                    c.set_default_account(&alias).await.map(|()| "set".into())
                })
            },
            exchanges: vec![(
                expected(
                    Method::PATCH,
                    &format!("{PERSON}/qw_wallet_usd"),
                    None,
                    Some(body("e13_set_default_account_request/seed000_request.json")),
                ),
                answer(204, ""),
            )],
            returns: "set",
        },
        Row {
            name: "E13 an alias cannot change the path",
            calls: |c| {
                Box::pin(async move {
                    let alias = AccountAlias::new("../../x?y").unwrap();
                    c.set_default_account(&alias).await.map(|()| "set".into())
                })
            },
            exchanges: vec![(
                expected(
                    Method::PATCH,
                    &format!("{PERSON}/..%2F..%2Fx%3Fy"),
                    None,
                    Some(body("e13_set_default_account_request/seed000_request.json")),
                ),
                answer(204, ""),
            )],
            returns: "set",
        },
        Row {
            name: "E50 registers with the query in its order, the URL encoded",
            calls: |c| {
                Box::pin(async move {
                    let hook = c
                        .register_hook("http://example.com/callbacks/?a=1 b", HookTxnType::Both)
                        .await?;
                    Ok(format!("{} {}", hook.hook_id, hook.txn_type))
                })
            },
            exchanges: vec![(
                expected(
                    Method::PUT,
                    HOOKS,
                    Some(
                        "hookType=1&param=http%3A%2F%2Fexample.com%2Fcallbacks%2F%3Fa%3D1+b&txnType=2",
                    ),
                    None,
                ),
                answer(200, hook("http://example.com/callbacks/?a=1 b", "BOTH")),
            )],
            returns: "d63a8729-f5c8-486f-907d-9fb8758afcfc BOTH",
        },
        Row {
            name: "E50 incoming and outgoing payments are 0 and 1",
            calls: |c| {
                Box::pin(async move {
                    c.register_hook("https://example.com/", HookTxnType::In)
                        .await?;
                    c.register_hook("https://example.com/", HookTxnType::Out)
                        .await?;
                    Ok("registered".into())
                })
            },
            exchanges: [("0", "IN"), ("1", "OUT")]
                .map(|(txn, named)| {
                    (
                        expected(
                            Method::PUT,
                            HOOKS,
                            Some(&format!(
                                "hookType=1&param=https%3A%2F%2Fexample.com%2F&txnType={txn}"
                            )),
                            None,
                        ),
                        answer(200, hook("https://example.com/", named)),
                    )
                })
                .into(),
            returns: "registered",
        },
        Row {
            name: "E51 deletes the hook by its id",
            calls: |c| Box::pin(async move { Ok(c.delete_hook(HOOK_ID).await?.response) }),
            exchanges: vec![(
                expected(Method::DELETE, &format!("{HOOKS}/{HOOK_ID}"), None, None),
                answer(200, model_fixture("e51_hook_response/spec_e51.json")),
            )],
            returns: "Hook deleted",
        },
        Row {
            name: "E52 reads the key answered 201 to a GET",
            calls: |c| {
                Box::pin(async move {
                    let key = c.hook_key(HOOK_ID).await?;
                    Ok(key.key.expose_secret().to_owned())
                })
            },
            exchanges: vec![(
                expected(Method::GET, &format!("{HOOKS}/{HOOK_ID}/key"), None, None),
                answer(201, model_fixture("e52_hook_key/spec_e52.json")),
            )],
            returns: "L8UVF3JkLVUr6r70LiE0A9/5WoGGwWKG2pI/e+l/9fs=",
        },
        Row {
            name: "E53 asks for a new key with a bodiless POST",
            calls: |c| {
                Box::pin(async move {
                    let key = c.new_hook_key(HOOK_ID).await?;
                    Ok(key.key.expose_secret().to_owned())
                })
            },
            exchanges: vec![(
                expected(
                    Method::POST,
                    &format!("{HOOKS}/{HOOK_ID}/newkey"),
                    None,
                    None,
                ),
                answer(201, model_fixture("e53_hook_key/spec_e53.json")),
            )],
            returns: "OikS4/CcIbSf+yYGnLbnOige8RGoYmGxs/LNMwkJy7Q=",
        },
        Row {
            name: "E54 reads the active hook",
            calls: |c| {
                Box::pin(async move {
                    let hook = c.active_hook().await?.expect("a hook");
                    Ok(format!("{} {}", hook.hook_parameters.url, hook.txn_type))
                })
            },
            exchanges: vec![(
                expected(Method::GET, &format!("{HOOKS}/active"), None, None),
                answer(
                    200,
                    model_fixture("e54_hook/tolerance_incoming_only_and_unknown_field.json"),
                ),
            )],
            returns: "https://example.com/qiwi/ IN",
        },
        Row {
            name: "E55 asks for a test notification",
            calls: |c| Box::pin(async move { Ok(c.test_hook().await?.response) }),
            exchanges: vec![(
                expected(Method::GET, &format!("{HOOKS}/test"), None, None),
                answer(200, model_fixture("e55_hook_response/spec_e55.json")),
            )],
            returns: "Webhook sent",
        },
        Row {
            name: "E54 E51 E50 E52 E55 replace the hook in the documented order",
            calls: |c| {
                Box::pin(async move {
                    let (hook, key) = c.replace_hook("http://example.com/callbacks/").await?;
                    Ok(format!("{} {}", hook.txn_type, key.key.expose_secret()))
                })
            },
            exchanges: vec![
                (
                    expected(Method::GET, &format!("{HOOKS}/active"), None, None),
                    answer(
                        200,
                        model_fixture("e54_hook/tolerance_incoming_only_and_unknown_field.json"),
                    ),
                ),
                (
                    expected(Method::DELETE, &format!("{HOOKS}/{HOOK_ID}"), None, None),
                    answer(200, model_fixture("e51_hook_response/spec_e51.json")),
                ),
                (
                    expected(
                        Method::PUT,
                        HOOKS,
                        Some("hookType=1&param=http%3A%2F%2Fexample.com%2Fcallbacks%2F&txnType=0"),
                        None,
                    ),
                    answer(200, hook("http://example.com/callbacks/", "IN")),
                ),
                (
                    expected(Method::GET, &format!("{HOOKS}/{HOOK_ID}/key"), None, None),
                    answer(201, model_fixture("e52_hook_key/spec_e52.json")),
                ),
                (
                    expected(Method::GET, &format!("{HOOKS}/test"), None, None),
                    answer(200, model_fixture("e55_hook_response/spec_e55.json")),
                ),
            ],
            returns: "IN L8UVF3JkLVUr6r70LiE0A9/5WoGGwWKG2pI/e+l/9fs=",
        },
    ]
}

#[tokio::test]
async fn each_endpoint_sends_its_pinned_request_in_memory() {
    for row in rows() {
        let transport = ScriptedTransport::replay(
            row.exchanges
                .into_iter()
                .map(|(expected, reply)| ReplayEvent::new(expected, reply)),
        );
        let server = MockServer::start().await;
        let client = builder(&server)
            .transport(Arc::new(transport.clone()))
            .build()
            .unwrap();
        let returned = (row.calls)(client)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", row.name));
        assert_eq!(returned, row.returns, "{}", row.name);
        if let Err(mismatch) = transport.check_requests() {
            panic!("{}: {mismatch}", row.name);
        }
        assert!(received(&server).await.is_empty(), "{}", row.name);
    }
}

#[tokio::test]
async fn each_endpoint_sends_its_pinned_request_over_loopback() {
    for row in rows() {
        let (expectations, replies): (Vec<_>, VecDeque<_>) = row.exchanges.into_iter().unzip();
        let replies = Arc::new(Mutex::new(replies));
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                move |_: &wiremock::Request| match replies.lock().unwrap().pop_front() {
                    Some(Reply::Respond(response)) => {
                        ResponseTemplate::new(response.status.as_u16())
                            .append_headers(response.headers.iter())
                            .set_body_bytes(response.body.to_vec())
                    }
                    other => panic!("no scripted answer: {other:?}"),
                },
            )
            .mount(&server)
            .await;
        let returned = (row.calls)(client(&server))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", row.name));
        assert_eq!(returned, row.returns, "{}", row.name);
        let requests = received(&server).await;
        assert_eq!(requests.len(), expectations.len(), "{}", row.name);
        for (request, expected) in requests.iter().zip(&expectations) {
            let r = request;
            if let Err(mismatch) = expected.compare_parts(&r.method, &r.url, &r.headers, &r.body) {
                panic!("{}: {mismatch}", row.name);
            }
        }
    }
}

#[tokio::test]
async fn e02_an_invalid_request_is_not_sent() {
    let server = MockServer::start().await;
    let mut request = common::identification_request();
    request.passport = "4400 111222".into();
    let error = client(&server).identify(&request).await.unwrap_err();
    assert!(
        matches!(error, Error::NotSent(NotSentError::InvalidInput(ref m)) if m.contains("passport")),
        "{error:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn e05_e06_an_empty_operation_id_is_not_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let empty = DowngradeOperationId::new("");
    assert!(matches!(
        client.confirm_identification_downgrade(&empty).await,
        Err(Error::NotSent(_))
    ));
    assert!(matches!(
        client.identification_downgrade(&empty).await,
        Err(Error::NotSent(_))
    ));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn e07_no_limit_type_is_not_sent() {
    let server = MockServer::start().await;
    let error = client(&server).actual_limits(&[]).await.unwrap_err();
    assert!(matches!(error, Error::NotSent(_)), "{error:?}");
    assert!(error.to_string().contains("at least one"), "{error}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_alias_read_from_the_server_is_checked_before_use() {
    let server = MockServer::start().await;
    let alias: AccountAlias = serde_json::from_str(r#""""#).unwrap();
    let error = client(&server).create_account(&alias).await.unwrap_err();
    assert!(matches!(error, Error::NotSent(_)), "{error:?}");
    assert!(received(&server).await.is_empty());
}
