//! The fixtures and the client's requests checked against Treezor's own OpenAPI description
//! (`tests/openapi/treezor-openapi-balances.yaml`, a verbatim copy of the vendor subset).
//!
//! Where a documented example contradicts the schema, the contradiction is listed in
//! [`EXPECTED_VIOLATIONS`] with its reason: the test fails both on a new violation and on a
//! listed one that no longer occurs.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use balances_core::{BalancesClient, HistoryRange, RetryPolicy, WalletId};
use jsonschema::{Draft, Validator};
use qiwi_transport::Method;
use qiwi_transport::test_util::{Reply, ScriptedTransport};
use serde_json::{Value, json};

use common::{fixture, multipart_fields};

/// (what was checked, instance path, failing keyword, why it is expected)
const EXPECTED_VIOLATIONS: &[(&str, &str, &str, &str)] = &[
    // calculationDate: the schema says `format: date-time` (RFC 3339, `T` between date and
    // time) while its own description, the guide and every example write
    // `YYYY-MM-DD HH:mm:ss` (reference §10.5).
    (
        "balances/seed_user_three_wallets.json",
        "/balances/0/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/seed_user_three_wallets.json",
        "/balances/1/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/seed_user_three_wallets.json",
        "/balances/2/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/seed_wallet_1317558.json",
        "/balances/0/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/spec_user_three_wallets.json",
        "/balances/0/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/spec_user_three_wallets.json",
        "/balances/1/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/spec_user_three_wallets.json",
        "/balances/2/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/spec_wallet_1317558.json",
        "/balances/0/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    // The OpenAPI's own example writes `2000-01-23 04:56:07+00:00`: a space, not `T`.
    (
        "balances/openapi_example.json",
        "/balances/0/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    (
        "balances/openapi_example.json",
        "/balances/1/calculationDate",
        "format",
        CALCULATION_DATE,
    ),
    // Bare arrays of error entries (reference §5 shape 2) are documented for other
    // core-connect operations, not as the balance operations' `DefaultError` object.
    (
        "errors/shape_bare_array.json",
        "",
        "type",
        "a bare array is not the DefaultError object",
    ),
    // `postAuth_200_response` is a oneOf of `postAuth_200_response_oneOf`,
    // `postAuth_200_response_oneOf_1` and `postAuth_200_response_oneOf_1` again; no branch has
    // required fields, so every answer matches several branches and oneOf can never pass. The
    // answers are checked against the client-credentials branch below, and pass.
    ("token/openapi_example.json", "", "oneOf", TOKEN_ONE_OF),
    (
        "token/spec_client_credentials.json",
        "",
        "oneOf",
        TOKEN_ONE_OF,
    ),
    // `postAuth_request` is a oneOf of three grants whose `grant_type` is only a `default`, not
    // a constant, and with no required fields: a client-credentials form matches all three.
    // The form is checked against `postAuth_request_oneOf` (client credentials), and passes.
    ("client POST /oauth/token form", "", "oneOf", REQUEST_ONE_OF),
];

const CALCULATION_DATE: &str = "calculationDate is `YYYY-MM-DD HH:mm:ss`, not RFC 3339 date-time";
const TOKEN_ONE_OF: &str = "postAuth_200_response's oneOf branches overlap (one is listed twice)";
const REQUEST_ONE_OF: &str =
    "postAuth_request's oneOf branches overlap (no required fields or constants)";

fn spec() -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi/treezor-openapi-balances.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// A validator for the schema at `pointer` (a JSON pointer into the OpenAPI document), with
/// `#/components/...` references resolved in the same document. OpenAPI 3.0 schemas are a
/// draft-4 dialect; formats are checked (unknown ones such as `float` are ignored).
fn validator(spec: &Value, pointer: &str) -> Validator {
    assert!(spec.pointer(pointer).is_some(), "no schema at {pointer}");
    let fragment: String = pointer
        .chars()
        .map(|c| match c {
            '{' => "%7B".to_owned(),
            '}' => "%7D".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let root = json!({
        "$ref": format!("#{fragment}"),
        "components": spec["components"],
        "paths": spec["paths"],
    });
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema at {pointer}: {e}"))
}

fn response_schema(path: &str, status: &str) -> String {
    format!(
        "/paths/{}/get/responses/{status}/content/application~1json/schema",
        path.replace('~', "~0").replace('/', "~1")
    )
}

/// Violations as (checked, instance path, keyword).
fn violations(
    validator: &Validator,
    what: &str,
    instance: &Value,
) -> Vec<(String, String, String)> {
    validator
        .iter_errors(instance)
        .map(|e| {
            let schema_path = e.schema_path().to_string();
            let keyword = schema_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            (what.to_owned(), e.instance_path().to_string(), keyword)
        })
        .collect()
}

fn json_fixtures(folder: &str) -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = format!("{folder}/{}", p.file_name().unwrap().to_string_lossy());
            let value = serde_json::from_slice(&std::fs::read(&p).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, value)
        })
        .collect()
}

/// What the client sends for a balance read, a history read and its token.
async fn client_requests() -> Vec<qiwi_transport::Request> {
    let transport = ScriptedTransport::new([
        Reply::json(fixture("token/spec_client_credentials.json")),
        Reply::json(fixture("balances/spec_wallet_1317558.json")),
        Reply::json(fixture("history/spec_example.json")),
    ]);
    let client = BalancesClient::builder()
        .base_url("https://acme.sandbox.treezor.co")
        .client_credentials("client-id-1", "client-secret-1")
        .transport(Arc::new(transport.clone()))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    client.wallet_balance(WalletId::new(1317558)).await.unwrap();
    let range = HistoryRange::parse(Some("2024-12-01"), Some("2025-02-10")).unwrap();
    client
        .balance_history(WalletId::new(1317558), range)
        .await
        .unwrap();
    transport.requests()
}

#[tokio::test]
async fn fixtures_and_requests_against_the_vendor_openapi() {
    let spec = spec();
    let mut found = Vec::new();

    let balances = validator(&spec, &response_schema("/v1/balances", "200"));
    for (name, value) in json_fixtures("balances") {
        found.extend(violations(&balances, &name, &value));
    }
    let history = validator(
        &spec,
        &response_schema("/core-connect/balances/{walletId}", "200"),
    );
    for (name, value) in json_fixtures("history") {
        found.extend(violations(&history, &name, &value));
    }
    let default_error = validator(&spec, "/components/schemas/DefaultError");
    for (name, value) in json_fixtures("errors") {
        found.extend(violations(&default_error, &name, &value));
    }
    let token_answer = validator(&spec, "/components/schemas/postAuth_200_response");
    let client_credentials_answer =
        validator(&spec, "/components/schemas/postAuth_200_response_oneOf");
    for (name, value) in json_fixtures("token") {
        found.extend(violations(&token_answer, &name, &value));
        let branch = violations(&client_credentials_answer, &name, &value);
        assert!(
            branch.is_empty(),
            "{name} against the client-credentials branch: {branch:?}"
        );
    }

    // The token request: its media type is the one the operation declares, and its fields,
    // as a JSON object, against the request schema.
    let requests = client_requests().await;
    let token = &requests[0];
    assert_eq!(
        (token.method.clone(), token.url.path()),
        (Method::POST, "/oauth/token")
    );
    let content_type = token.headers["content-type"].to_str().unwrap();
    let media_type = content_type.split(';').next().unwrap();
    assert!(
        spec["paths"]["/oauth/token"]["post"]["requestBody"]["content"]
            .get(media_type)
            .is_some(),
        "{media_type} is not a declared request body type"
    );
    let form: serde_json::Map<String, Value> = multipart_fields(content_type, &token.body)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    assert_eq!(
        form.keys().map(String::as_str).collect::<Vec<_>>(),
        ["client_id", "client_secret", "grant_type", "scope"]
    );
    let form = Value::Object(form);
    let token_request = validator(&spec, "/components/schemas/postAuth_request");
    found.extend(violations(
        &token_request,
        "client POST /oauth/token form",
        &form,
    ));
    let client_credentials = validator(&spec, "/components/schemas/postAuth_request_oneOf");
    let branch = violations(&client_credentials, "form", &form);
    assert!(
        branch.is_empty(),
        "the form against the client-credentials branch: {branch:?}"
    );
    assert_eq!(
        form["grant_type"],
        spec.pointer("/components/schemas/postAuth_request_oneOf/properties/grant_type/default")
            .unwrap()
            .clone()
    );

    // The reads: every query parameter is declared for the operation and its value is valid.
    for (request, path) in [
        (&requests[1], "/v1/balances"),
        (&requests[2], "/core-connect/balances/{walletId}"),
    ] {
        assert_eq!(request.method, Method::GET);
        let operation = &spec["paths"][path]["get"];
        let parameters = operation["parameters"].as_array().unwrap();
        for (name, value) in request.url.query_pairs() {
            let declared = parameters
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == name.as_ref())
                .unwrap_or_else(|| panic!("{path}: query parameter {name} is not declared"));
            let schema = &declared["schema"];
            let instance = match schema["type"].as_str() {
                Some("integer") => json!(value.parse::<i64>().unwrap()),
                _ => json!(value),
            };
            assert!(
                jsonschema::draft4::is_valid(schema, &instance),
                "{path}: {name}={value} does not match {schema}"
            );
        }
    }
    assert_eq!(requests[1].url.query(), Some("walletId=1317558"));
    assert_eq!(requests[2].url.path(), "/core-connect/balances/1317558");
    assert_eq!(
        requests[2].url.query(),
        Some("dateFrom=2024-12-01&dateTo=2025-02-10")
    );

    let found: BTreeSet<(String, String, String)> = found.into_iter().collect();
    let expected: BTreeSet<(String, String, String)> = EXPECTED_VIOLATIONS
        .iter()
        .map(|(what, at, keyword, _why)| (what.to_string(), at.to_string(), keyword.to_string()))
        .collect();
    let unexpected: Vec<_> = found.difference(&expected).collect();
    let gone: Vec<_> = expected.difference(&found).collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "violations not in the expected list: {unexpected:#?}\nexpected violations that no longer occur: {gone:#?}"
    );
}

#[test]
fn the_vendor_examples_embedded_in_the_openapi_are_the_fixtures() {
    let spec = spec();
    let pairs = [
        (
            "/components/schemas/getBalances_200_response/example",
            "balances/openapi_example.json",
        ),
        (
            "/components/schemas/DefaultError/example",
            "errors/openapi_default_error_example.json",
        ),
        (
            "/components/schemas/postAuth_200_response_oneOf/example",
            "token/openapi_example.json",
        ),
        (
            "/paths/~1core-connect~1balances~1{walletId}/get/responses/200/content/application~1json/schema/example",
            "history/spec_example.json",
        ),
    ];
    for (pointer, file) in pairs {
        let embedded = spec.pointer(pointer).unwrap_or_else(|| panic!("{pointer}"));
        let fixture: Value = serde_json::from_slice(&fixture(file)).unwrap();
        // Compare as f64-free text: both sides through the same serialiser.
        assert_eq!(
            normalize(embedded),
            normalize(&fixture),
            "{file} differs from the example at {pointer}"
        );
    }
}

/// Numbers from YAML arrive as floats (`80.0`) and from JSON as written (`80`): compare them
/// as decimal values.
fn normalize(value: &Value) -> Value {
    match value {
        Value::Number(n) => {
            let text = n.to_string();
            let trimmed = if text.contains('.') {
                text.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                text
            };
            Value::String(trimmed)
        }
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}
