//! Every fixture decoded with the crate's own types and snapshotted.

use std::fs;
use std::path::Path;

use balances_core::webhook::WebhookVerifier;
use balances_core::{AccessToken, BalanceHistory, Balances, ErrorEntry};
use serde::Serialize;

#[derive(Serialize)]
struct TokenView<'a> {
    token_type: Option<&'a str>,
    expires_in_s: u64,
    access_token_len: usize,
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn balances_fixtures() {
    insta::glob!("../fixtures", "balances/*.json", |path| {
        let decoded: Balances = serde_json::from_slice(&read(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        insta::assert_json_snapshot!(decoded);
    });
}

#[test]
fn history_fixtures() {
    insta::glob!("../fixtures", "history/*.json", |path| {
        let decoded: BalanceHistory = serde_json::from_slice(&read(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        insta::assert_json_snapshot!(decoded);
    });
}

#[test]
fn token_fixtures() {
    insta::glob!("../fixtures", "token/*.json", |path| {
        let token = AccessToken::from_json(&read(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The token itself is shown only by its length: snapshots are not a place for tokens.
        insta::assert_json_snapshot!(TokenView {
            token_type: token.token_type(),
            expires_in_s: token.expires_in().as_secs(),
            access_token_len: token.bearer().expose().len(),
        });
    });
}

#[test]
fn error_fixtures() {
    insta::glob!("../fixtures", "errors/*", |path| {
        insta::assert_json_snapshot!(ErrorEntry::parse_body(&read(path)));
    });
}

#[test]
fn webhook_fixtures() {
    let verifier = WebhookVerifier::new("test-webhook-secret");
    insta::glob!("../fixtures", "webhooks/*.json", |path| {
        let update = verifier
            .balance_update(&read(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        insta::assert_json_snapshot!(update);
    });
}
