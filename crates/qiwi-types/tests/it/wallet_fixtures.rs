//! Every QIWI Wallet example (reference and seeds) and every tolerance case decodes; the decoded
//! values are snapshots, so a model change shows up as a snapshot diff.

use std::path::Path;

use qiwi_types::wallet::{
    AccountOffers, Accounts, ActualLimits, CardProviderRequest, Commission, CommissionRequest,
    CreateAccountRequest, CrossRates, DowngradeOperationCreated, DowngradeOperationResponse,
    DowngradeRequest, HistoryPage, HistoryTotals, Hook, HookKey, HookResponse, Identification,
    IdentificationRequest, InvoicePage, InvoicePayment, KzCardRequest, MobileProviders, Nickname,
    Notification, P2pKeyPair, P2pKeysRequest, P2pPaymentCount, PayInvoiceRequest, PaymentInfo,
    PaymentRejection, PaymentRequest, Profile, ProviderSearch, RefElements, RejectInvoiceRequest,
    Restriction, SendReceiptRequest, SetDefaultAccountRequest, Transaction,
};
use qiwi_types::wallet::{
    Card, CardDetails, CardDetailsRequest, CardOperation, CardOrder, CardOrderRequest,
    CardRenameRequest, CardRenameResult,
};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned>(path: &Path, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A request body written back gives the same JSON as the example.
fn assert_round_trip<T: DeserializeOwned + Serialize>(path: &Path, text: &str) {
    let value: T = decode(path, text);
    let written = serde_json::to_value(&value).unwrap();
    let original: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(written, original, "{}", path.display());
}

/// An answer written back (a page a caller keeps as JSON) decodes again and writes the same
/// form (free-form values write fractional numbers as strings, so the form, not the value, is
/// compared).
fn assert_written_form_decodes_again<T: DeserializeOwned + Serialize>(path: &Path, text: &str) {
    let written = serde_json::to_string(&decode::<T>(path, text)).unwrap();
    let again = serde_json::to_string(&decode::<T>(path, &written)).unwrap();
    assert_eq!(again, written, "{}", path.display());
}

macro_rules! snapshot {
    ($ty:ty, $path:expr, $text:expr) => {{
        let value: $ty = decode($path, $text);
        insta::with_settings!({ sort_maps => true }, {
            insta::assert_json_snapshot!(value);
        });
    }};
}

/// For the models that write `sum.amount` as a JSON number: insta's own serializer does not know
/// `serde_json`'s exact-number form, so the snapshot is the JSON text the model writes.
macro_rules! snapshot_wire {
    ($ty:ty, $path:expr, $text:expr) => {{
        let value: $ty = decode($path, $text);
        insta::assert_snapshot!(serde_json::to_string_pretty(&value).unwrap());
    }};
}

#[test]
fn every_wallet_fixture_decodes_and_matches_its_snapshot() {
    insta::glob!("../fixtures", "wallet/**/*.json", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match folder {
            "e01_profile" => snapshot!(Profile, path, &text),
            "e02_identification_request" => {
                assert_round_trip::<IdentificationRequest>(path, &text);
                snapshot!(IdentificationRequest, path, &text)
            }
            "e02_identification" | "e03_identification" => {
                snapshot!(Identification, path, &text)
            }
            "e04_downgrade_request" => {
                assert_round_trip::<DowngradeRequest>(path, &text);
                snapshot!(DowngradeRequest, path, &text)
            }
            "e04_downgrade_created" => snapshot!(DowngradeOperationCreated, path, &text),
            "e05_downgrade_operation" | "e06_downgrade_operation" => {
                snapshot!(DowngradeOperationResponse, path, &text)
            }
            "e07_actual_limits" => snapshot!(ActualLimits, path, &text),
            "e08_p2p_payment_count" => snapshot!(P2pPaymentCount, path, &text),
            "e09_restrictions" => snapshot!(Vec<Restriction>, path, &text),
            "e10_accounts" => snapshot!(Accounts, path, &text),
            "e11_create_account_request" => {
                assert_round_trip::<CreateAccountRequest>(path, &text);
                snapshot!(CreateAccountRequest, path, &text)
            }
            "e12_account_offers" => snapshot!(AccountOffers, path, &text),
            "e13_set_default_account_request" => {
                assert_round_trip::<SetDefaultAccountRequest>(path, &text);
                snapshot!(SetDefaultAccountRequest, path, &text)
            }
            "e14_history_page" => {
                assert_written_form_decodes_again::<HistoryPage>(path, &text);
                snapshot!(HistoryPage, path, &text)
            }
            "e15_totals" => {
                assert_written_form_decodes_again::<HistoryTotals>(path, &text);
                snapshot!(HistoryTotals, path, &text)
            }
            "e16_transaction" => {
                assert_written_form_decodes_again::<Transaction>(path, &text);
                snapshot!(Transaction, path, &text)
            }
            "e18_send_receipt_request" => {
                assert_round_trip::<SendReceiptRequest>(path, &text);
                snapshot!(SendReceiptRequest, path, &text)
            }
            "e19_commission_request" => {
                assert_round_trip::<CommissionRequest>(path, &text);
                snapshot_wire!(CommissionRequest, path, &text)
            }
            "e19_commission" => snapshot!(Commission, path, &text),
            "e20_nickname" => snapshot!(Nickname, path, &text),
            "e24_cross_rates" => snapshot!(CrossRates, path, &text),
            "e27_card_provider_request" => {
                assert_round_trip::<CardProviderRequest>(path, &text);
                snapshot!(CardProviderRequest, path, &text)
            }
            "e28_kz_card_request" => {
                assert_round_trip::<KzCardRequest>(path, &text);
                snapshot!(KzCardRequest, path, &text)
            }
            "e27_card_provider" | "e28_kz_card" => snapshot!(RefElements, path, &text),
            "e34_provider_search" => snapshot!(ProviderSearch, path, &text),
            "e35_mobile_providers" => snapshot!(MobileProviders, path, &text),
            "e36_p2p_keys_request" => {
                assert_round_trip::<P2pKeysRequest>(path, &text);
                snapshot!(P2pKeysRequest, path, &text)
            }
            "e36_p2p_keys" => {
                // The secret key is read whole and never shown: the snapshot is the Debug form.
                let pair: P2pKeyPair = decode(path, &text);
                let wire: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    Some(pair.secret_key.expose_secret()),
                    wire["SecretKey"].as_str()
                );
                insta::assert_debug_snapshot!(pair);
            }
            "e37_invoices" => {
                assert_written_form_decodes_again::<InvoicePage>(path, &text);
                snapshot!(InvoicePage, path, &text)
            }
            "e38_pay_invoice_request" => {
                assert_round_trip::<PayInvoiceRequest>(path, &text);
                snapshot!(PayInvoiceRequest, path, &text)
            }
            "e38_invoice_payment" => snapshot!(InvoicePayment, path, &text),
            "e39_reject_invoice_request" => {
                assert_round_trip::<RejectInvoiceRequest>(path, &text);
                snapshot!(RejectInvoiceRequest, path, &text)
            }
            "qwprc_rejection" => snapshot!(PaymentRejection, path, &text),
            payment if payment.ends_with("_payment_request") => {
                assert_round_trip::<PaymentRequest>(path, &text);
                snapshot_wire!(PaymentRequest, path, &text)
            }
            payment if payment.ends_with("_payment_info") => {
                snapshot_wire!(PaymentInfo, path, &text)
            }
            "e50_hook" | "e54_hook" => snapshot!(Hook, path, &text),
            "e51_hook_response" | "e55_hook_response" => snapshot!(HookResponse, path, &text),
            "e52_hook_key" | "e53_hook_key" => {
                // The key is read whole and never shown: the snapshot is its Debug form.
                let key: HookKey = decode(path, &text);
                let wire: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(Some(key.key.expose_secret()), wire["key"].as_str());
                insta::assert_debug_snapshot!(key);
            }
            "e56_notification" => snapshot!(Notification, path, &text),
            "e41_card_order_request" => {
                assert_round_trip::<CardOrderRequest>(path, &text);
                snapshot!(CardOrderRequest, path, &text)
            }
            "e41_card_order" | "e42_card_order" => snapshot!(CardOrder, path, &text),
            "e44_cards" => snapshot!(Vec<Card>, path, &text),
            "e47_card_operation" => snapshot!(CardOperation, path, &text),
            "e48_card_details_request" => {
                assert_round_trip::<CardDetailsRequest>(path, &text);
                snapshot!(CardDetailsRequest, path, &text)
            }
            "e48_card_details" => {
                // The numbers are read whole and written masked: the snapshot is the masked form.
                let details: CardDetails = decode(path, &text);
                let wire: serde_json::Value = serde_json::from_str(&text).unwrap();
                let (pan, cvv) = details.expose();
                assert_eq!((pan, cvv), (wire["pan"].as_str(), wire["cvv"].as_str()));
                snapshot!(CardDetails, path, &text)
            }
            "e49_card_rename_request" => {
                assert_round_trip::<CardRenameRequest>(path, &text);
                snapshot!(CardRenameRequest, path, &text)
            }
            "e49_card_rename" => snapshot!(CardRenameResult, path, &text),
            other => panic!("no model for fixture folder {other:?} ({})", path.display()),
        }
    });
}

/// Guards the glob: a moved fixture folder would otherwise make the test above pass on nothing.
/// E17 answers with a file, not JSON.
#[test]
fn every_json_endpoint_e01_to_e35_and_e50_to_e56_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wallet");
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    // E17 answers with a file and E21 is a browser link: neither has a JSON body.
    for id in (1..=35)
        .filter(|id| ![17, 21].contains(id))
        .chain(36..=39)
        .chain(50..=56)
    {
        let prefix = format!("e{id:02}_");
        assert!(
            folders.iter().any(|f| f.starts_with(&prefix)),
            "no fixtures for E{id:02}: {folders:?}"
        );
    }
    let files = walk(&root);
    assert!(files >= 85, "only {files} fixture files");
}

/// The QIWI Master calls with a JSON body: E45 answers with a PDF and E46 with `202` alone.
#[test]
fn every_json_card_endpoint_e40_to_e49_has_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wallet");
    for id in [40, 41, 42, 43, 44, 47, 48, 49] {
        let prefix = format!("e{id}_");
        let found = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(&prefix) && walk(&e.path()) > 0);
        assert!(found, "no fixtures for E{id}");
    }
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk(&path)
            } else {
                usize::from(path.extension().is_some_and(|x| x == "json"))
            }
        })
        .sum()
}
