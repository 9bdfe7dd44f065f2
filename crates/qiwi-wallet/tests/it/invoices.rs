//! Invoices and P2P keys (E36 to E39) on the wire: the exact requests (snake_case search
//! query, E38's content type, E39's body), the search's paging, the token each call carries,
//! and what an invoice payment reports for every kind of answer.

use std::time::Duration;

use crate::common;

use common::{TOKEN, client, expected, model_fixture, received};
use futures_util::StreamExt;
use http::Method;
use qiwi_transport::TransportErrorKind;
use qiwi_transport::test_util::expect::ExpectedRequest;
use qiwi_wallet::models::{InvoiceCursor, InvoiceId, UnixMillis};
use qiwi_wallet::{
    Currency, Error, FateLookup, InvoiceAuth, InvoiceLookup, InvoiceNotPaid, InvoicePayOutcome,
    InvoiceQuery, NotSentError, RefusalKind, SecretString, Timeouts,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEYS: &str = "/widgets-api/api/p2p/protected/keys/create";
const SEARCH: &str = "/checkout-api/api/bill/search";
const PAY: &str = "/checkout-api/invoice/pay/wallet";
const REJECT: &str = "/checkout-api/api/bill/reject";
const P2P_KEY: &str = "p2p-secret-9d41e7-key";

fn json(status: u16, body: impl AsRef<str>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body.as_ref().as_bytes().to_vec(), "application/json")
}

/// An unpaid invoice as E37 lists it.
fn bill(id: u64, created: i64) -> serde_json::Value {
    json!({
        "id": id, "external_id": id.to_string(), "creation_datetime": created,
        "expiration_datetime": created + 3_600_000, "sum": {"currency": 643, "amount": 100},
        "status": "READY_FOR_PAY", "type": "MERCHANT", "repetitive": false,
        "provider": {"id": 480706, "short_name": "Цветы", "long_name": "ООО «Цветы»", "logo_url": null},
        "comment": "test", "pay_url": "https://oplata.qiwi.com/form"
    })
}

fn page(bills: &[serde_json::Value]) -> ResponseTemplate {
    json(200, json!({ "bills": bills }).to_string())
}

/// Looks a lost answer up at once, in at most two pages.
fn quick_lookup() -> FateLookup {
    FateLookup {
        wait: Duration::ZERO,
        pages: 2,
        ..FateLookup::default()
    }
}

fn rub() -> Currency {
    Currency::from_numeric(643)
}

async fn mount(server: &MockServer, verb: &str, route: &str, answer: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Pays invoice `id` in roubles with the wallet token, looking a lost answer up at once.
async fn pay(server: &MockServer, id: u64) -> InvoicePayOutcome {
    client(server)
        .pay_invoice(
            &InvoiceAuth::WalletToken,
            InvoiceId::new(id),
            rub(),
            quick_lookup(),
        )
        .await
}

fn pay_request(token: &str) -> ExpectedRequest {
    ExpectedRequest::new(Method::POST, PAY)
        .header("accept", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json;charset=UTF-8")
        .json(json!({"invoice_uid": "1063702405", "currency": "643"}))
}

#[tokio::test]
async fn e36_creates_a_key_pair_with_the_wallet_token() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        KEYS,
        json(200, model_fixture("e36_p2p_keys/spec_e36.json")),
    )
    .await;
    let client = client(&server);
    let pair = client
        .create_p2p_keys("shop-keys", Some("https://example.com/qiwi/invoices"))
        .await
        .unwrap();
    assert_eq!(pair.public_key, "XXX");
    assert!(!format!("{pair:?}").contains("YYY"));
    client.create_p2p_keys("bare", None).await.unwrap();
    let requests = received(&server).await;
    let body = json!({"keysPairName": "shop-keys", "serverNotificationsUrl": "https://example.com/qiwi/invoices"});
    common::assert_sent(
        &requests[0],
        &expected(Method::POST, KEYS, None, Some(body)),
    );
    let bare = json!({"keysPairName": "bare"});
    common::assert_sent(
        &requests[1],
        &expected(Method::POST, KEYS, None, Some(bare)),
    );
    let blank = client.create_p2p_keys(" ", None).await.unwrap_err();
    assert!(
        matches!(blank, Error::NotSent(NotSentError::InvalidInput(_))),
        "{blank}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn e36_is_never_resent_after_a_server_error() {
    let server = MockServer::start().await;
    mount(&server, "POST", KEYS, json(500, "{}")).await;
    let error = client(&server)
        .create_p2p_keys("shop", None)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Server), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn e37_sends_the_documented_snake_case_query_in_milliseconds() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        SEARCH,
        json(200, model_fixture("e37_invoices/spec_e37.json")),
    )
    .await;
    let client = client(&server);
    let query = InvoiceQuery::default()
        .rows(2)
        .created_from("2018-04-06T00:00:00Z".parse().unwrap())
        .created_to("2018-04-07T00:00:00.5Z".parse().unwrap());
    let cursor = InvoiceCursor {
        next_id: InvoiceId::new(1_063_702_405),
        next_creation_datetime: UnixMillis::new(1_523_025_585_000),
    };
    let page = client
        .invoices_page(&InvoiceAuth::WalletToken, &query, Some(&cursor))
        .await
        .unwrap();
    assert_eq!(page.bills.len(), 1);
    assert_eq!(page.bills[0].id, InvoiceId::new(1_063_702_405));
    client
        .invoices_page(&InvoiceAuth::WalletToken, &InvoiceQuery::default(), None)
        .await
        .unwrap();
    let requests = received(&server).await;
    let full = "statuses=READY_FOR_PAY&rows=2&min_creation_datetime=1522972800000\
                &max_creation_datetime=1523059200500&next_id=1063702405\
                &next_creation_datetime=1523025585000";
    common::assert_sent(
        &requests[0],
        &expected(Method::GET, SEARCH, Some(full), None),
    );
    let plain = "statuses=READY_FOR_PAY&rows=50";
    common::assert_sent(
        &requests[1],
        &expected(Method::GET, SEARCH, Some(plain), None),
    );
}

#[tokio::test]
async fn e37_a_query_out_of_range_is_not_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    let from = "2024-02-01T00:00:00Z".parse().unwrap();
    let to = "2024-01-01T00:00:00Z".parse().unwrap();
    for query in [
        InvoiceQuery::default().rows(0),
        InvoiceQuery::default().rows(51),
        InvoiceQuery::default().created_from(from).created_to(to),
    ] {
        let error = client
            .invoices_page(&InvoiceAuth::WalletToken, &query, None)
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::NotSent(NotSentError::InvalidInput(_))),
            "{error}"
        );
    }
    assert!(received(&server).await.is_empty());
}

/// A search whose first page lists 9 and 8 (created at 9 and 8 s), its cursor at 8.
async fn first_page_9_and_8() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param_is_missing("next_id"))
        .respond_with(page(&[bill(9, 9_000), bill(8, 8_000)]))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn e37_the_stream_follows_the_cursor_and_yields_a_repeated_invoice_once() {
    let server = first_page_9_and_8().await;
    // The service lists invoices up to the cursor's id included: 8 comes again.
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("next_id", "8"))
        .and(query_param("next_creation_datetime", "8000"))
        .respond_with(page(&[bill(8, 8_000), bill(7, 7_000)]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("next_id", "7"))
        .respond_with(page(&[bill(7, 7_000)]))
        .mount(&server)
        .await;
    let ids: Vec<u64> = client(&server)
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default().rows(2))
        .map(|bill| bill.unwrap().id.get())
        .collect()
        .await;
    assert_eq!(ids, [9, 8, 7]);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn e37_a_cursor_that_cycles_ends_the_stream_with_each_invoice_once() {
    // A hostile search: from 8 it lists 8 and 9 again, otherwise 9 and 8; each page moves the
    // cursor, never forward.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .respond_with(|r: &wiremock::Request| {
            let from = r.url.query_pairs().find(|(k, _)| k == "next_id");
            match from.map(|(_, id)| id.into_owned()).as_deref() {
                Some("8") => page(&[bill(8, 8_000), bill(9, 9_000)]),
                _ => page(&[bill(9, 9_000), bill(8, 8_000)]),
            }
        })
        .mount(&server)
        .await;
    let stream = client(&server)
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default().rows(2))
        .map(|bill| bill.unwrap().id.get())
        .collect::<Vec<u64>>();
    let ids = tokio::time::timeout(Duration::from_secs(10), stream)
        .await
        .expect("the stream ends");
    assert_eq!(ids, [9, 8]);
    assert_eq!(received(&server).await.len(), 2);
}

/// A search that lists `ids` (newest first, created at `created(id)` ms) as the reference
/// says: `rows` to a page, from the cursor's invoice included.
async fn listing(ids: &'static [u64], created: fn(u64) -> i64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .respond_with(move |r: &wiremock::Request| {
            let param = |name: &str| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.parse::<u64>().unwrap())
            };
            let rows = param("rows").unwrap() as usize;
            let upto = param("next_id").unwrap_or(u64::MAX);
            let bills: Vec<_> = ids
                .iter()
                .filter(|id| **id <= upto)
                .take(rows)
                .map(|id| bill(*id, created(*id)))
                .collect();
            page(&bills)
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn e37_the_stream_reads_every_invoice_once_whatever_the_page_size() {
    const IDS: &[u64] = &[9, 8, 7, 6, 5];
    for rows in [1, 2, 3, 5, 50] {
        let server = listing(IDS, |id| id as i64).await;
        let ids: Vec<u64> = client(&server)
            .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default().rows(rows))
            .map(|bill| bill.unwrap().id.get())
            .collect()
            .await;
        assert_eq!(ids, IDS, "rows {rows}");
    }
}

#[tokio::test]
async fn e37_invoices_created_at_one_instant_across_pages_are_each_read_once() {
    // Five invoices of one millisecond: the cursor's time never moves, only its id.
    const IDS: &[u64] = &[9, 8, 7, 6, 5];
    let server = listing(IDS, |_| 1_000).await;
    let ids: Vec<u64> = client(&server)
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default().rows(2))
        .map(|bill| bill.unwrap().id.get())
        .collect()
        .await;
    assert_eq!(ids, IDS);
}

#[tokio::test]
async fn e37_an_invoice_newer_than_the_cursor_is_passed_over_and_a_cursor_to_newer_ones_ends() {
    let server = first_page_9_and_8().await;
    // From 8, a page holding an invoice newer than the cursor, then one whose cursor goes
    // back to newer invoices.
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("next_id", "8"))
        .respond_with(page(&[bill(8, 8_000), bill(10, 10_000), bill(7, 7_000)]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .and(query_param("next_id", "7"))
        .respond_with(page(&[bill(6, 6_000), bill(11, 11_000)]))
        .mount(&server)
        .await;
    let ids: Vec<u64> = client(&server)
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default().rows(2))
        .map(|bill| bill.unwrap().id.get())
        .collect()
        .await;
    assert_eq!(ids, [9, 8, 7, 6]);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn e37_a_stream_error_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    mount(&server, "GET", SEARCH, json(401, "{}")).await;
    let items: Vec<_> = client(&server)
        .invoices(InvoiceAuth::WalletToken, InvoiceQuery::default())
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    let error = items.into_iter().next().unwrap().unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::Authentication), "{error}");
}

#[tokio::test]
async fn e37_to_e39_carry_the_p2p_secret_key_when_the_caller_gives_one() {
    let server = MockServer::start().await;
    mount(&server, "GET", SEARCH, page(&[])).await;
    mount(&server, "POST", REJECT, ResponseTemplate::new(200)).await;
    mount(
        &server,
        "POST",
        PAY,
        json(200, model_fixture("e38_invoice_payment/spec_e38.json")),
    )
    .await;
    let client = client(&server);
    let auth = InvoiceAuth::p2p_secret_key(SecretString::from(P2P_KEY)).unwrap();
    client
        .invoices_page(&auth, &InvoiceQuery::default(), None)
        .await
        .unwrap();
    let id = InvoiceId::new(1_063_702_405);
    let outcome = client.pay_invoice(&auth, id, rub(), quick_lookup()).await;
    assert!(matches!(outcome, InvoicePayOutcome::Paid(_)), "{outcome:?}");
    client.reject_invoice(&auth, id).await.unwrap();
    for request in received(&server).await {
        let values: Vec<_> = request.headers.get_all("authorization").iter().collect();
        assert_eq!(values.len(), 1, "{}", request.url);
        assert_eq!(values[0].to_str().unwrap(), format!("Bearer {P2P_KEY}"));
    }
}

#[tokio::test]
async fn e38_paid_stays_paid_whatever_type_is_sms_confirm_has() {
    for flag in ["0", "1", r#"{"x": 1}"#, "[]", r#""maybe""#] {
        let server = MockServer::start().await;
        let answer = format!(r#"{{"invoice_status": "PAID_STATUS", "is_sms_confirm": {flag}}}"#);
        mount(&server, "POST", PAY, json(200, answer)).await;
        let outcome = pay(&server, 1_063_702_405).await;
        let InvoicePayOutcome::Paid(payment) = &outcome else {
            panic!("{flag}: {outcome:?}");
        };
        assert_eq!(payment.is_sms_confirm, None, "{flag}");
        assert_eq!(received(&server).await.len(), 1, "{flag}: no lookup");
    }
}

#[tokio::test]
async fn e38_pays_once_with_the_charset_content_type() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        PAY,
        json(200, model_fixture("e38_invoice_payment/spec_e38.json")),
    )
    .await;
    let id = "1063702405".parse().unwrap();
    let outcome = client(&server)
        .pay_invoice(&InvoiceAuth::WalletToken, id, rub(), quick_lookup())
        .await;
    let InvoicePayOutcome::Paid(payment) = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(payment.is_sms_confirm, Some(false));
    assert_eq!(outcome.money_moved(), Some(true));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    common::assert_sent(&requests[0], &pay_request(TOKEN));
}

#[tokio::test]
async fn e38_another_status_is_not_paid_while_the_invoice_is_still_unpaid() {
    let other = model_fixture("e38_invoice_payment/tolerance_other_status.json");
    for (listed, paid) in [(vec![bill(1_063_702_405, 1)], Some(false)), (vec![], None)] {
        let server = MockServer::start().await;
        mount(&server, "POST", PAY, json(200, &other)).await;
        mount(&server, "GET", SEARCH, page(&listed)).await;
        let outcome = pay(&server, 1_063_702_405).await;
        assert_eq!(outcome.money_moved(), paid, "{outcome:?}");
        match outcome {
            InvoicePayOutcome::NotPaid(InvoiceNotPaid::Status(payment)) => {
                assert_eq!(payment.invoice_status.as_str(), "REJECTED_STATUS");
                assert_eq!(payment.is_sms_confirm, Some(true));
            }
            InvoicePayOutcome::Unknown(why) => {
                assert!(why.cause.is_ok(), "{why:?}");
                assert!(
                    matches!(why.lookup, InvoiceLookup::NoLongerUnpaid),
                    "{why:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        let posts = received(&server)
            .await
            .into_iter()
            .filter(|r| r.method == http::Method::POST)
            .count();
        assert_eq!(posts, 1);
    }
}

#[tokio::test]
async fn e38_another_status_under_an_undocumented_success_status_is_unknown() {
    // Only `200` is documented: a `202 Accepted` may still be at work on the payment.
    let other = model_fixture("e38_invoice_payment/tolerance_other_status.json");
    for status in [201, 202, 203] {
        let server = MockServer::start().await;
        mount(&server, "POST", PAY, json(status, &other)).await;
        mount(&server, "GET", SEARCH, page(&[bill(1_063_702_405, 1)])).await;
        let outcome = pay(&server, 1_063_702_405).await;
        let InvoicePayOutcome::Unknown(why) = &outcome else {
            panic!("{status}: {outcome:?}");
        };
        assert!(why.cause.is_ok(), "{status}: {why:?}");
        assert!(matches!(why.lookup, InvoiceLookup::StillUnpaid), "{why:?}");
    }
    // `204` after the money moved: no body to say anything.
    let server = MockServer::start().await;
    mount(&server, "POST", PAY, ResponseTemplate::new(204)).await;
    mount(&server, "GET", SEARCH, page(&[bill(1_063_702_405, 1)])).await;
    let outcome = pay(&server, 1_063_702_405).await;
    assert_eq!(outcome.money_moved(), None, "{outcome:?}");
}

#[tokio::test]
async fn e38_a_refusal_is_not_paid_without_a_lookup() {
    for status in [400, 401, 403, 404] {
        let server = MockServer::start().await;
        mount(&server, "POST", PAY, json(status, "{}")).await;
        let outcome = pay(&server, 5).await;
        assert!(
            matches!(
                outcome,
                InvoicePayOutcome::NotPaid(InvoiceNotPaid::Refused(_))
            ),
            "{status}: {outcome:?}"
        );
        assert_eq!(received(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn e38_a_lost_answer_is_never_resent_and_is_looked_up() {
    // A 500, then an answer that cannot be read: neither says whether the money moved.
    for answer in [json(500, "{}"), json(200, "<html>")] {
        // Still listed or not, the money may have moved: a request the service is still
        // working on may pay it yet.
        for (listed, still) in [(vec![bill(5, 1)], true), (vec![bill(6, 1)], false)] {
            let server = MockServer::start().await;
            mount(&server, "POST", PAY, answer.clone()).await;
            mount(&server, "GET", SEARCH, page(&listed)).await;
            let outcome = pay(&server, 5).await;
            assert_eq!(outcome.money_moved(), None, "{outcome:?}");
            let InvoicePayOutcome::Unknown(why) = &outcome else {
                panic!("{outcome:?}");
            };
            assert!(why.cause.is_err());
            match (&why.lookup, still) {
                (InvoiceLookup::StillUnpaid, true) | (InvoiceLookup::NoLongerUnpaid, false) => {}
                (other, _) => panic!("{other:?}"),
            }
            let requests = received(&server).await;
            assert_eq!(
                requests.iter().filter(|r| r.method == Method::POST).count(),
                1
            );
        }
    }
}

#[tokio::test]
async fn e38_a_timeout_after_sending_is_never_resent_and_is_looked_up() {
    let server = MockServer::start().await;
    let paid = model_fixture("e38_invoice_payment/spec_e38.json");
    mount(
        &server,
        "POST",
        PAY,
        json(200, paid).set_delay(Duration::from_secs(2)),
    )
    .await;
    mount(&server, "GET", SEARCH, page(&[])).await;
    let client = common::builder(&server)
        .timeouts(Timeouts {
            attempt: Duration::from_millis(200),
            total: Duration::from_millis(500),
        })
        .build()
        .unwrap();
    let outcome = client
        .pay_invoice(
            &InvoiceAuth::WalletToken,
            InvoiceId::new(5),
            rub(),
            quick_lookup(),
        )
        .await;
    let InvoicePayOutcome::Unknown(why) = outcome else {
        panic!("{outcome:?}");
    };
    let timed_out =
        matches!(&why.cause, Err(Error::Transport(e)) if e.kind() == TransportErrorKind::Timeout);
    assert!(timed_out, "{why:?}");
    let methods: Vec<Method> = received(&server)
        .await
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(
        methods,
        [Method::POST, Method::GET],
        "a timed-out payment is never sent again"
    );
}

#[tokio::test]
async fn e38_an_unreadable_invoice_list_leaves_the_fate_unknown() {
    let server = MockServer::start().await;
    mount(&server, "POST", PAY, json(502, "bad gateway")).await;
    mount(&server, "GET", SEARCH, json(503, "{}")).await;
    let outcome = pay(&server, 5).await;
    let InvoicePayOutcome::Unknown(why) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(matches!(why.lookup, InvoiceLookup::Failed(_)), "{why:?}");
}

#[tokio::test]
async fn e38_a_lookup_reads_at_most_the_pages_allowed() {
    let server = MockServer::start().await;
    mount(&server, "POST", PAY, json(500, "{}")).await;
    Mock::given(method("GET"))
        .and(path(SEARCH))
        .respond_with(move |r: &wiremock::Request| {
            // Every page is full and ends lower: the list never ends.
            let below: u64 = r
                .url
                .query_pairs()
                .find(|(k, _)| k == "next_id")
                .map_or(1_000, |(_, v)| v.parse().unwrap());
            let bills: Vec<_> = (0..50)
                .map(|n| bill(below - n, (below - n) as i64))
                .collect();
            page(&bills)
        })
        .mount(&server)
        .await;
    let outcome = pay(&server, 5).await;
    let InvoicePayOutcome::Unknown(why) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(matches!(why.lookup, InvoiceLookup::PagesRanOut), "{why:?}");
    let searches = received(&server)
        .await
        .iter()
        .filter(|r| r.method == Method::GET)
        .count();
    assert_eq!(searches, 2);
}

#[tokio::test]
async fn e38_a_currency_without_a_numeric_code_is_not_sent() {
    let server = MockServer::start().await;
    let outcome = client(&server)
        .pay_invoice(
            &InvoiceAuth::WalletToken,
            InvoiceId::new(5),
            Currency::parse("XYZ"),
            quick_lookup(),
        )
        .await;
    assert!(
        matches!(&outcome, InvoicePayOutcome::NotPaid(InvoiceNotPaid::Refused(e)) if e.is_not_sent()),
        "{outcome:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn e39_rejects_with_an_integer_id_and_takes_200_without_a_body() {
    let server = MockServer::start().await;
    mount(&server, "POST", REJECT, ResponseTemplate::new(200)).await;
    let client = client(&server);
    client
        .reject_invoice(&InvoiceAuth::WalletToken, InvoiceId::new(1_034_353_453))
        .await
        .unwrap();
    let requests = received(&server).await;
    let body =
        serde_json::from_str(&model_fixture("e39_reject_invoice_request/spec_e39.json")).unwrap();
    common::assert_sent(
        &requests[0],
        &expected(Method::POST, REJECT, None, Some(body)),
    );
}

#[tokio::test]
async fn e39_an_unknown_invoice_is_not_found_and_not_resent() {
    let server = MockServer::start().await;
    mount(&server, "POST", REJECT, json(404, "{}")).await;
    let error = client(&server)
        .reject_invoice(&InvoiceAuth::WalletToken, InvoiceId::new(1))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), Some(RefusalKind::NotFound), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}
