//! The accounts list applies the reference's rule: an account with `hasBalance: true` and no
//! balance (`null` or `{}`) is asked for again with `timeout=1000&alias=<alias>`, a bounded
//! number of times, and what arrives is merged in.

use crate::common;

use std::time::Duration;

use common::{assert_sent, builder, client, expected, received};
use http::Method;
use qiwi_transport::time::{SystemTimeSource, TimeSource};
use qiwi_wallet::{Balance, Timeouts};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const AT: &str = "/funding-sources/v2/persons/79111234567/accounts";

fn account(alias: &str, currency: u16, has_balance: bool, balance: &str, default: bool) -> String {
    format!(
        r#"{{"alias": "{alias}", "fsAlias": "qb_wallet", "bankAlias": "QIWI", "title": "WALLET",
            "type": {{"id": "WALLET", "title": "QIWI Wallet"}}, "hasBalance": {has_balance},
            "balance": {balance}, "currency": {currency}, "defaultAccount": {default}}}"#
    )
}

fn accounts(items: &[String]) -> String {
    format!(r#"{{"accounts": [{}]}}"#, items.join(","))
}

fn mts() -> String {
    account("mc_mts_rub", 643, false, "null", false)
}

async fn first_answer(server: &MockServer, body: String) {
    Mock::given(method("GET"))
        .and(path(AT))
        .and(query_param_is_missing("alias"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(server)
        .await;
}

async fn refresh_answer(server: &MockServer, alias: &str, body: String, times: u64) {
    Mock::given(method("GET"))
        .and(path(AT))
        .and(query_param("timeout", "1000"))
        .and(query_param("alias", alias))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(times)
        .mount(server)
        .await;
}

fn refresh_query(alias: &str) -> String {
    format!("timeout=1000&alias={alias}")
}

#[tokio::test]
async fn a_null_balance_filled_on_the_second_answer_is_merged() {
    let server = MockServer::start().await;
    first_answer(
        &server,
        accounts(&[mts(), account("qw_wallet_rub", 643, true, "null", true)]),
    )
    .await;
    refresh_answer(
        &server,
        "qw_wallet_rub",
        accounts(&[
            mts(),
            account(
                "qw_wallet_rub",
                643,
                true,
                r#"{"amount": 8.74, "currency": 643}"#,
                true,
            ),
        ]),
        1,
    )
    .await;

    let result = client(&server).list_accounts().await.unwrap();
    let rub = result.get("qw_wallet_rub").unwrap();
    assert_eq!(rub.balance.money().unwrap().amount.to_string(), "8.74");
    assert!(rub.is_default());
    assert_eq!(
        result.get("mc_mts_rub").unwrap().balance,
        Balance::NotApplicable
    );
    assert_eq!(result.unknown_balances().count(), 0);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "one list and one refresh");
    assert_sent(
        &requests[1],
        &expected(Method::GET, AT, Some(&refresh_query("qw_wallet_rub")), None),
    );
}

#[tokio::test]
async fn an_empty_balance_object_is_asked_for_again_too() {
    let server = MockServer::start().await;
    first_answer(
        &server,
        accounts(&[account("qw_wallet_eur", 978, true, "{}", false)]),
    )
    .await;
    refresh_answer(
        &server,
        "qw_wallet_eur",
        accounts(&[account(
            "qw_wallet_eur",
            978,
            true,
            r#"{"amount": 0.00, "currency": 978}"#,
            false,
        )]),
        1,
    )
    .await;

    let result = client(&server).list_accounts().await.unwrap();
    let eur = &result.get("qw_wallet_eur").unwrap().balance;
    assert_eq!(eur.money().unwrap().amount.to_string(), "0.00");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_balance_that_stays_null_is_unknown_after_the_bounded_attempts() {
    let server = MockServer::start().await;
    let still_null = accounts(&[mts(), account("qw_wallet_rub", 643, true, "null", true)]);
    first_answer(&server, still_null.clone()).await;
    // The mock server counts: exactly three refreshes, no more.
    refresh_answer(&server, "qw_wallet_rub", still_null, 3).await;

    let result = builder(&server)
        .balance_refresh_attempts(3)
        .build()
        .unwrap()
        .list_accounts()
        .await
        .unwrap();
    let unknown: Vec<&str> = result
        .unknown_balances()
        .map(|a| a.alias.as_str())
        .collect();
    assert_eq!(unknown, ["qw_wallet_rub"]);
    assert_eq!(
        result.get("qw_wallet_rub").unwrap().balance,
        Balance::Unknown
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1 + 3);
    for request in &requests[1..] {
        assert_eq!(
            request.url.query(),
            Some(refresh_query("qw_wallet_rub").as_str())
        );
    }
}

#[tokio::test]
async fn the_default_bound_is_two_refreshes() {
    let server = MockServer::start().await;
    let still_null = accounts(&[account("qw_wallet_rub", 643, true, "null", true)]);
    first_answer(&server, still_null.clone()).await;
    refresh_answer(&server, "qw_wallet_rub", still_null, 2).await;

    let result = client(&server).list_accounts().await.unwrap();
    assert_eq!(result.unknown_balances().count(), 1);
    assert_eq!(
        received(&server).await.len(),
        1 + qiwi_wallet::DEFAULT_BALANCE_REFRESH_ATTEMPTS as usize
    );
}

#[tokio::test]
async fn each_unknown_account_is_asked_for_separately() {
    let server = MockServer::start().await;
    let rub_null = account("qw_wallet_rub", 643, true, "null", true);
    let eur_empty = account("qw_wallet_eur", 978, true, "{}", false);
    first_answer(&server, accounts(&[rub_null.clone(), eur_empty.clone()])).await;
    // RUB arrives on its first refresh; EUR never does.
    refresh_answer(
        &server,
        "qw_wallet_rub",
        accounts(&[
            account(
                "qw_wallet_rub",
                643,
                true,
                r#"{"amount": 4002.5, "currency": 643}"#,
                true,
            ),
            eur_empty.clone(),
        ]),
        1,
    )
    .await;
    refresh_answer(
        &server,
        "qw_wallet_eur",
        accounts(&[rub_null, eur_empty]),
        2,
    )
    .await;

    let result = client(&server).list_accounts().await.unwrap();
    assert_eq!(
        result
            .get("qw_wallet_rub")
            .unwrap()
            .balance
            .money()
            .unwrap()
            .amount
            .to_string(),
        "4002.5"
    );
    let unknown: Vec<&str> = result
        .unknown_balances()
        .map(|a| a.alias.as_str())
        .collect();
    assert_eq!(unknown, ["qw_wallet_eur"]);
    let queries: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            None,
            Some(refresh_query("qw_wallet_rub")),
            Some(refresh_query("qw_wallet_eur")),
            Some(refresh_query("qw_wallet_eur")),
        ]
    );
}

#[tokio::test]
async fn zero_attempts_turns_the_rule_off() {
    let server = MockServer::start().await;
    first_answer(
        &server,
        accounts(&[account("qw_wallet_rub", 643, true, "null", true)]),
    )
    .await;
    let result = builder(&server)
        .balance_refresh_attempts(0)
        .build()
        .unwrap()
        .list_accounts()
        .await
        .unwrap();
    assert_eq!(result.unknown_balances().count(), 1);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_failed_request_asking_again_keeps_the_first_answer() {
    let server = MockServer::start().await;
    let rub_null = account("qw_wallet_rub", 643, true, "null", true);
    let eur_null = account("qw_wallet_eur", 978, true, "null", false);
    first_answer(&server, accounts(&[rub_null.clone(), eur_null])).await;
    Mock::given(method("GET"))
        .and(path(AT))
        .and(query_param("alias", "qw_wallet_rub"))
        .respond_with(ResponseTemplate::new(423).insert_header("Retry-After", "60"))
        .expect(1)
        .mount(&server)
        .await;
    refresh_answer(
        &server,
        "qw_wallet_eur",
        accounts(&[
            rub_null,
            account(
                "qw_wallet_eur",
                978,
                true,
                r#"{"amount": 3.5, "currency": 978}"#,
                false,
            ),
        ]),
        1,
    )
    .await;

    let result = client(&server).list_accounts().await.unwrap();
    // The refused RUB request is not asked again; EUR still is.
    let unknown: Vec<&str> = result
        .unknown_balances()
        .map(|a| a.alias.as_str())
        .collect();
    assert_eq!(unknown, ["qw_wallet_rub"]);
    let eur = &result.get("qw_wallet_eur").unwrap().balance;
    assert_eq!(eur.money().unwrap().amount.to_string(), "3.5");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn asking_again_stops_where_the_call_budget_runs_out() {
    let server = MockServer::start().await;
    let aliases = [
        ("qw_wallet_rub", 643),
        ("qw_wallet_eur", 978),
        ("qw_wallet_usd", 840),
    ];
    let nulls: Vec<String> = aliases
        .iter()
        .map(|(alias, currency)| account(alias, *currency, true, "null", false))
        .collect();
    first_answer(&server, accounts(&nulls)).await;
    for (alias, currency) in aliases {
        let balance = format!(r#"{{"amount": 1, "currency": {currency}}}"#);
        let filled = account(alias, currency, true, &balance, false);
        Mock::given(method("GET"))
            .and(path(AT))
            .and(query_param("alias", alias))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(accounts(&[filled]), "application/json")
                    .set_delay(Duration::from_millis(800)),
            )
            .mount(&server)
            .await;
    }
    let total = Duration::from_secs(2);
    let client = builder(&server)
        .timeouts(Timeouts {
            attempt: total,
            total,
        })
        .build()
        .unwrap();

    // 800 ms per balance: RUB and EUR arrive, USD is cut at the call's 2 s.
    let started = SystemTimeSource.now();
    let result = client.list_accounts().await.unwrap();
    let took = started.elapsed();
    assert!(took < total + Duration::from_millis(300), "took {took:?}");
    let unknown: Vec<&str> = result
        .unknown_balances()
        .map(|a| a.alias.as_str())
        .collect();
    assert_eq!(unknown, ["qw_wallet_usd"]);
    assert_eq!(received(&server).await.len(), 1 + 3);
}
