//! Every call sends exactly the request the reference documents: method, path, query,
//! `Accept`, `Authorization`, `Content-Type` on bodies, and the JSON body.

use crate::common;

use common::{Expected, assert_request, client, model_fixture, received};
use qiwi_wallet::{
    AccountAlias, Balance, DowngradeOperationId, DowngradeRequest, DowngradeStatusType, Error,
    IdentificationLevel, LimitType, NotSentError, ProfileSections, RestrictionCode,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PERSON: &str = "/funding-sources/v2/persons/79111234567/accounts";

async fn serve(server: &MockServer, verb: &str, at: &str, status: u16, body: &str) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .expect(1)
        .mount(server)
        .await;
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn e01_profile_sends_the_three_flags() {
    let server = MockServer::start().await;
    let at = "/person-profile/v1/profile/current";
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            model_fixture("e01_profile/spec_e01.json"),
            "application/json",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);

    let profile = client.profile(ProfileSections::ALL).await.unwrap();
    let contract = profile.contract_info.unwrap();
    assert!(!contract.blocked);
    assert_eq!(
        contract.identification_info.unwrap()[0].identification_level,
        IdentificationLevel::Simple
    );
    let sections = ProfileSections {
        auth_info: false,
        ..ProfileSections::ALL
    };
    client.profile(sections).await.unwrap();

    let requests = received(&server).await;
    assert_request(
        &requests[0],
        &Expected {
            method: "GET",
            path: at,
            query: Some("authInfoEnabled=true&contractInfoEnabled=true&userInfoEnabled=true"),
            body: None,
        },
    );
    assert_request(
        &requests[1],
        &Expected {
            method: "GET",
            path: at,
            query: Some("authInfoEnabled=false&contractInfoEnabled=true&userInfoEnabled=true"),
            body: None,
        },
    );
}

#[tokio::test]
async fn e02_identify_posts_the_owner_data() {
    let server = MockServer::start().await;
    let at = "/identification/v1/persons/79111234567/identification";
    serve(
        &server,
        "POST",
        at,
        200,
        &model_fixture("e02_identification/spec_e02.json"),
    )
    .await;

    let answer = client(&server)
        .identify(&common::identification_request())
        .await
        .unwrap();
    assert_eq!(answer.level, IdentificationLevel::Verified);
    assert_eq!(answer.inn.as_deref(), Some("7710000001"));

    // The body is the seed's example request, field for field.
    let seed: serde_json::Value = serde_json::from_str(&model_fixture(
        "e02_identification_request/seed002_request.json",
    ))
    .unwrap();
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "POST",
            path: at,
            query: None,
            body: Some(seed),
        },
    );
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
async fn e03_identification_is_a_get() {
    let server = MockServer::start().await;
    let at = "/identification/v1/persons/79111234567/identification";
    serve(
        &server,
        "GET",
        at,
        200,
        &model_fixture("e03_identification/spec_e03.json"),
    )
    .await;

    let answer = client(&server).identification().await.unwrap();
    assert_eq!(answer.passport, "43***11");
    assert_eq!(answer.snils, None);
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "GET",
            path: at,
            query: None,
            body: None,
        },
    );
}

#[tokio::test]
async fn e04_e05_e06_identification_downgrade() {
    let server = MockServer::start().await;
    let base = "/qw-ident-downgrade-api/v1/persons/79111234567/identification-downgrade/operations";
    let id = "1747ea28-1082-41bc-bde4-72994b3ffeb4";
    let confirm = format!("{base}/{id}/confirm");
    let status = format!("{base}/{id}");
    serve(
        &server,
        "POST",
        base,
        200,
        &model_fixture("e04_downgrade_created/spec_e04.json"),
    )
    .await;
    serve(
        &server,
        "PUT",
        &confirm,
        200,
        &model_fixture("e05_downgrade_operation/spec_e05.json"),
    )
    .await;
    serve(
        &server,
        "GET",
        &status,
        200,
        &model_fixture("e06_downgrade_operation/spec_e06.json"),
    )
    .await;
    let client = client(&server);

    let created = client
        .start_identification_downgrade(&DowngradeRequest::default())
        .await
        .unwrap();
    assert_eq!(created, DowngradeOperationId::new(id));
    let confirmed = client
        .confirm_identification_downgrade(&created)
        .await
        .unwrap();
    assert_eq!(
        confirmed.status.status_type,
        DowngradeStatusType::InProgress
    );
    let done = client.identification_downgrade(&created).await.unwrap();
    assert_eq!(done.status.status_type, DowngradeStatusType::Success);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_request(
        &requests[0],
        &Expected {
            method: "POST",
            path: base,
            query: None,
            body: Some(json!({"identificationLevel": "VERIFIED"})),
        },
    );
    assert_request(
        &requests[1],
        &Expected {
            method: "PUT",
            path: &confirm,
            query: None,
            body: Some(json!({})),
        },
    );
    assert_request(
        &requests[2],
        &Expected {
            method: "GET",
            path: &status,
            query: None,
            body: None,
        },
    );
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
async fn e07_limit_types_are_indexed_with_encoded_brackets() {
    let server = MockServer::start().await;
    let at = "/qw-limits/v1/persons/79111234567/actual-limits";
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            model_fixture("e07_actual_limits/spec_e07.json"),
            "application/json",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);

    let limits = client.actual_limits(&[LimitType::Turnover]).await.unwrap();
    assert_eq!(limits.limits["RU"][0].rest.to_string(), "200.00");
    client
        .actual_limits(&[LimitType::Turnover, LimitType::Refill])
        .await
        .unwrap();
    client.actual_limits(LimitType::KNOWN).await.unwrap();

    let requests = received(&server).await;
    let queries = [
        "types%5B0%5D=TURNOVER",
        "types%5B0%5D=TURNOVER&types%5B1%5D=REFILL",
        "types%5B0%5D=REFILL&types%5B1%5D=TURNOVER&types%5B2%5D=PAYMENTS_P2P\
         &types%5B3%5D=PAYMENTS_PROVIDER_INTERNATIONALS&types%5B4%5D=PAYMENTS_PROVIDER_PAYOUT\
         &types%5B5%5D=WITHDRAW_CASH",
    ];
    for (request, query) in requests.iter().zip(queries) {
        assert_request(
            request,
            &Expected {
                method: "GET",
                path: at,
                query: Some(query),
                body: None,
            },
        );
    }
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
async fn e08_p2p_payment_count() {
    let server = MockServer::start().await;
    let at = "/qw-limits/v1/persons/79111234567/p2p-payment-count-limit";
    serve(
        &server,
        "GET",
        at,
        200,
        &model_fixture("e08_p2p_payment_count/spec_e08.json"),
    )
    .await;

    assert_eq!(client(&server).p2p_payment_count().await.unwrap(), 1);
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "GET",
            path: at,
            query: None,
            body: None,
        },
    );
}

#[tokio::test]
async fn e09_restrictions() {
    let server = MockServer::start().await;
    let at = "/person-profile/v1/persons/79111234567/status/restrictions";
    serve(
        &server,
        "GET",
        at,
        200,
        &model_fixture("e09_restrictions/spec_e09.json"),
    )
    .await;

    let restrictions = client(&server).restrictions().await.unwrap();
    assert_eq!(
        restrictions[0].restriction_code,
        RestrictionCode::OutgoingPayments
    );
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "GET",
            path: at,
            query: None,
            body: None,
        },
    );
}

#[tokio::test]
async fn e10_list_accounts_without_unknown_balances_is_one_request() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        PERSON,
        200,
        &model_fixture("e10_accounts/s15_default_account_and_mc_mts.json"),
    )
    .await;

    let accounts = client(&server).list_accounts().await.unwrap();
    assert_eq!(accounts.accounts.len(), 3);
    assert_eq!(
        accounts.default_account().unwrap().alias.as_str(),
        "qw_wallet_rub"
    );
    assert_eq!(
        accounts.get("mc_mts_rub").unwrap().balance,
        Balance::NotApplicable
    );
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "GET",
            path: PERSON,
            query: None,
            body: None,
        },
    );
}

#[tokio::test]
async fn e11_create_account_posts_the_alias_and_accepts_201_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PERSON))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;

    let alias = AccountAlias::new("qw_wallet_eur").unwrap();
    client(&server).create_account(&alias).await.unwrap();

    let seed: serde_json::Value = serde_json::from_str(&model_fixture(
        "e11_create_account_request/seed000_request.json",
    ))
    .unwrap();
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "POST",
            path: PERSON,
            query: None,
            body: Some(seed),
        },
    );
}

#[tokio::test]
async fn e12_account_offers_reads_the_seed_example_as_an_array_or_as_an_object() {
    for fixture in [
        "e12_account_offers/seed000_outer_braces_replaced_by_brackets.json",
        "e12_account_offers/tolerance_object_wrapped.json",
    ] {
        let server = MockServer::start().await;
        let at = "/funding-sources/v2/persons/79111234567/accounts/offer";
        serve(&server, "GET", at, 200, &model_fixture(fixture)).await;

        let offers = client(&server).account_offers().await.unwrap();
        assert_eq!(offers.len(), 1, "{fixture}");
        assert_eq!(offers[0].alias.as_str(), "qw_wallet_eur", "{fixture}");
        assert_eq!(offers[0].currency, qiwi_wallet::Currency::EUR, "{fixture}");
        assert_request(
            &only_request(&server).await,
            &Expected {
                method: "GET",
                path: at,
                query: None,
                body: None,
            },
        );
    }
}

#[tokio::test]
async fn e13_set_default_account_patches_and_accepts_204() {
    let server = MockServer::start().await;
    let at = "/funding-sources/v2/persons/79111234567/accounts/qw_wallet_usd";
    Mock::given(method("PATCH"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let alias = AccountAlias::new("qw_wallet_usd").unwrap();
    client(&server).set_default_account(&alias).await.unwrap();

    let seed: serde_json::Value = serde_json::from_str(&model_fixture(
        "e13_set_default_account_request/seed000_request.json",
    ))
    .unwrap();
    assert_request(
        &only_request(&server).await,
        &Expected {
            method: "PATCH",
            path: at,
            query: None,
            body: Some(seed),
        },
    );
}

#[tokio::test]
async fn an_alias_cannot_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let alias = AccountAlias::new("../../x?y").unwrap();
    client(&server).set_default_account(&alias).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/funding-sources/v2/persons/79111234567/accounts/..%2F..%2Fx%3Fy"
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn an_alias_read_from_the_server_is_checked_before_use() {
    let server = MockServer::start().await;
    let alias: AccountAlias = serde_json::from_str(r#""""#).unwrap();
    let error = client(&server).create_account(&alias).await.unwrap_err();
    assert!(matches!(error, Error::NotSent(_)), "{error:?}");
    assert!(received(&server).await.is_empty());
}
