//! Decode throughput: every fixture of the three families decoded into the typed models, against
//! the same bytes decoded into `serde_json::Value` (JSON) or counted by a quick-xml event loop
//! (XML).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use balances_core::{AccessToken, BalanceHistory, Balances};
use qiwi_transport::codec::json;
use qiwi_transport::{Bytes, StatusCode};
use qiwi_types::wallet as w;
use serde::de::DeserializeOwned;

use crate::families::{Family, count_xml_elements};
use crate::stats;

/// Decodes a body the way the SDK does after a `200`.
type Decoder = fn(&Bytes) -> Result<(), String>;
/// Decodes a body another way (plain `serde_json`, `Value`, an XML event loop).
type Reader = fn(&[u8]) -> Result<(), String>;

/// One fixture file and how to decode it.
#[derive(Debug)]
pub struct Fixture {
    /// The path from the workspace root.
    pub path: String,
    bytes: Bytes,
    /// The SDK's decode path (the codec with field paths for JSON, the agent's tolerant
    /// decoder for XML).
    sdk: Decoder,
    /// The typed model through plain `serde_json::from_slice` (JSON only).
    plain: Option<Reader>,
    /// The untyped baseline.
    baseline: Reader,
}

/// A fixture left out, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The path from the workspace root.
    pub path: String,
    /// Why it is not part of the measurement.
    pub reason: &'static str,
}

/// A family's fixtures.
#[derive(Debug)]
pub struct FamilyFixtures {
    /// The family.
    pub family: Family,
    /// The baseline's name in the report.
    pub baseline: &'static str,
    /// The fixtures measured.
    pub fixtures: Vec<Fixture>,
    /// The fixtures left out.
    pub skipped: Vec<Skipped>,
}

impl FamilyFixtures {
    fn bytes(&self) -> u64 {
        self.fixtures.iter().map(|f| f.bytes.len() as u64).sum()
    }

    /// The bytes of the fixtures that have a plain `serde_json` model.
    fn plain_bytes(&self) -> u64 {
        self.fixtures
            .iter()
            .filter(|f| f.plain.is_some())
            .map(|f| f.bytes.len() as u64)
            .sum()
    }
}

/// Throughputs of one family, medians over rounds, in MB/s (10^6 bytes per second).
#[derive(Debug, Clone)]
pub struct Throughput {
    /// The family.
    pub family: Family,
    /// The baseline's name.
    pub baseline: &'static str,
    /// Fixture files measured.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// The SDK's decoder.
    pub sdk: f64,
    /// Typed models through plain `serde_json::from_slice` (JSON families; over the fixtures
    /// that have a serde model, which leaves out token answers).
    pub plain: Option<f64>,
    /// The untyped baseline.
    pub baseline_rate: f64,
    /// Median over rounds of SDK / baseline, each round's pair measured back to back.
    pub ratio: f64,
}

fn sdk_json<T: DeserializeOwned>(body: &Bytes) -> Result<(), String> {
    let value: T = json::decode_body(StatusCode::OK, body).map_err(|e| e.to_string())?;
    black_box(value);
    Ok(())
}

fn plain_json<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    let value: T = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    black_box(value);
    Ok(())
}

fn json_value(body: &[u8]) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    black_box(value);
    Ok(())
}

fn xml_events(body: &[u8]) -> Result<(), String> {
    black_box(count_xml_elements(body)?);
    Ok(())
}

fn token(body: &Bytes) -> Result<(), String> {
    let token = AccessToken::from_json(body).map_err(|e| e.to_string())?;
    black_box(token);
    Ok(())
}

/// An agent answer is understood when it decodes into a model or into the error its result
/// code stands for; only a decode error is a failure.
fn understood<T>(result: Result<T, qiwi_agent::Error>) -> Result<(), String> {
    match result {
        Ok(value) => {
            black_box(value);
            Ok(())
        }
        Err(qiwi_agent::Error::Decode(e)) => Err(e.to_string()),
        Err(other) => {
            black_box(other);
            Ok(())
        }
    }
}

fn agent_ping(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_ping(body))
}

fn agent_user_check(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_user_check(body))
}

fn agent_deposit_check(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_deposit_check(body))
}

fn agent_pay(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_pay(body))
}

fn agent_status(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_status(body))
}

fn agent_provider(body: &Bytes) -> Result<(), String> {
    understood(qiwi_agent::wire::decode_provider(body))
}

/// The JSON decoders of a model.
fn typed<T: DeserializeOwned>() -> (Decoder, Option<Reader>) {
    (sdk_json::<T>, Some(plain_json::<T>))
}

/// The model of each QIWI Wallet fixture folder (as `qiwi-types/tests/it/wallet_fixtures.rs`).
fn wallet_model(folder: &str) -> Option<(Decoder, Option<Reader>)> {
    Some(match folder {
        "e01_profile" => typed::<w::Profile>(),
        "e02_identification_request" => typed::<w::IdentificationRequest>(),
        "e02_identification" | "e03_identification" => typed::<w::Identification>(),
        "e04_downgrade_request" => typed::<w::DowngradeRequest>(),
        "e04_downgrade_created" => typed::<w::DowngradeOperationCreated>(),
        "e05_downgrade_operation" | "e06_downgrade_operation" => {
            typed::<w::DowngradeOperationResponse>()
        }
        "e07_actual_limits" => typed::<w::ActualLimits>(),
        "e08_p2p_payment_count" => typed::<w::P2pPaymentCount>(),
        "e09_restrictions" => typed::<Vec<w::Restriction>>(),
        "e10_accounts" => typed::<w::Accounts>(),
        "e11_create_account_request" => typed::<w::CreateAccountRequest>(),
        "e12_account_offers" => typed::<w::AccountOffers>(),
        "e13_set_default_account_request" => typed::<w::SetDefaultAccountRequest>(),
        "e14_history_page" => typed::<w::HistoryPage>(),
        "e15_totals" => typed::<w::HistoryTotals>(),
        "e16_transaction" => typed::<w::Transaction>(),
        "e18_send_receipt_request" => typed::<w::SendReceiptRequest>(),
        "e19_commission_request" => typed::<w::CommissionRequest>(),
        "e19_commission" => typed::<w::Commission>(),
        "e20_nickname" => typed::<w::Nickname>(),
        "e24_cross_rates" => typed::<w::CrossRates>(),
        "e27_card_provider_request" => typed::<w::CardProviderRequest>(),
        "e28_kz_card_request" => typed::<w::KzCardRequest>(),
        "e27_card_provider" | "e28_kz_card" => typed::<w::RefElements>(),
        "e34_provider_search" => typed::<w::ProviderSearch>(),
        "e35_mobile_providers" => typed::<w::MobileProviders>(),
        "e36_p2p_keys_request" => typed::<w::P2pKeysRequest>(),
        "e36_p2p_keys" => typed::<w::P2pKeyPair>(),
        "e37_invoices" => typed::<w::InvoicePage>(),
        "e38_pay_invoice_request" => typed::<w::PayInvoiceRequest>(),
        "e38_invoice_payment" => typed::<w::InvoicePayment>(),
        "e39_reject_invoice_request" => typed::<w::RejectInvoiceRequest>(),
        "qwprc_rejection" => typed::<w::PaymentRejection>(),
        payment if payment.ends_with("_payment_request") => typed::<w::PaymentRequest>(),
        payment if payment.ends_with("_payment_info") => typed::<w::PaymentInfo>(),
        "e41_card_order_request" => typed::<w::CardOrderRequest>(),
        "e41_card_order" | "e42_card_order" => typed::<w::CardOrder>(),
        "e44_cards" => typed::<Vec<w::Card>>(),
        "e47_card_operation" => typed::<w::CardOperation>(),
        "e48_card_details_request" => typed::<w::CardDetailsRequest>(),
        "e48_card_details" => typed::<w::CardDetails>(),
        "e49_card_rename_request" => typed::<w::CardRenameRequest>(),
        "e49_card_rename" => typed::<w::CardRenameResult>(),
        "e50_hook" | "e54_hook" => typed::<w::Hook>(),
        "e51_hook_response" | "e55_hook_response" => typed::<w::HookResponse>(),
        "e52_hook_key" | "e53_hook_key" => typed::<w::HookKey>(),
        "e56_notification" => typed::<w::Notification>(),
        _ => return None,
    })
}

/// The decoder of each agent answer, by file name prefix.
fn agent_decoder(name: &str) -> Result<Decoder, &'static str> {
    let table: [(&str, Decoder); 7] = [
        ("ping_", agent_ping),
        // A generic error answer, which any request may receive.
        ("error_", agent_ping),
        ("check_user_", agent_user_check),
        ("deposit_", agent_deposit_check),
        ("pay_", agent_pay),
        ("status_", agent_status),
        ("provider_", agent_provider),
    ];
    if name.starts_with("balances_") {
        return Err("a `<balances>` block quoted from the reference, not a whole answer");
    }
    table
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, decoder)| *decoder)
        .ok_or("no decoder for this file name")
}

/// Reads every fixture of the three families under the workspace `root`, checking that each
/// one decodes both ways.
pub fn load(root: &Path) -> Result<Vec<FamilyFixtures>, String> {
    let mut families = vec![
        wallet_fixtures(root)?,
        balances_fixtures(root)?,
        agent_fixtures(root)?,
    ];
    for family in &mut families {
        for fixture in &family.fixtures {
            (fixture.sdk)(&fixture.bytes)
                .and_then(|()| fixture.plain.map_or(Ok(()), |plain| plain(&fixture.bytes)))
                .and_then(|()| (fixture.baseline)(&fixture.bytes))
                .map_err(|e| format!("{} does not decode: {e}", fixture.path))?;
        }
        if family.fixtures.is_empty() {
            return Err(format!("no fixture found for {}", family.family.name()));
        }
    }
    Ok(families)
}

fn files(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == extension))
        .collect();
    paths.sort();
    Ok(paths)
}

fn subfolders(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    paths.sort();
    Ok(paths)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn fixture(
    root: &Path,
    path: &Path,
    sdk: Decoder,
    plain: Option<Reader>,
    baseline: Reader,
) -> Result<Fixture, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Fixture {
        path: relative(root, path),
        bytes: Bytes::from(bytes),
        sdk,
        plain,
        baseline,
    })
}

fn wallet_fixtures(root: &Path) -> Result<FamilyFixtures, String> {
    let dir = root.join("crates/qiwi-types/tests/fixtures/wallet");
    let mut fixtures = Vec::new();
    for folder in subfolders(&dir)? {
        let name = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let (sdk, plain) = wallet_model(name).ok_or_else(|| {
            format!(
                "no model known for the wallet fixture folder {}; add it to decode.rs",
                relative(root, &folder)
            )
        })?;
        for path in files(&folder, "json")? {
            fixtures.push(fixture(root, &path, sdk, plain, json_value)?);
        }
    }
    Ok(FamilyFixtures {
        family: Family::Wallet,
        baseline: "`serde_json::Value`",
        fixtures,
        skipped: Vec::new(),
    })
}

fn balances_fixtures(root: &Path) -> Result<FamilyFixtures, String> {
    let dir = root.join("crates/balances-core/tests/fixtures");
    let mut fixtures = Vec::new();
    let models: [(&str, Decoder, Option<Reader>); 3] = [
        (
            "balances",
            sdk_json::<Balances>,
            Some(plain_json::<Balances>),
        ),
        (
            "history",
            sdk_json::<BalanceHistory>,
            Some(plain_json::<BalanceHistory>),
        ),
        // The token answer goes through `AccessToken::from_json`, its public decoder.
        ("token", token, None),
    ];
    for (folder, sdk, plain) in models {
        for path in files(&dir.join(folder), "json")? {
            fixtures.push(fixture(root, &path, sdk, plain, json_value)?);
        }
    }
    let mut skipped = Vec::new();
    for (folder, reason) in [
        (
            "errors",
            "error bodies of any shape are read through `serde_json::Value` by design (`ErrorEntry::parse_body`), so there is no typed decode to compare",
        ),
        (
            "webhooks",
            "a webhook is read after its HMAC signature is checked: not a decode alone",
        ),
    ] {
        let folder = dir.join(folder);
        if folder.is_dir() {
            let entries = std::fs::read_dir(&folder)
                .map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            paths.sort();
            skipped.extend(paths.iter().map(|p| Skipped {
                path: relative(root, p),
                reason,
            }));
        }
    }
    Ok(FamilyFixtures {
        family: Family::Balances,
        baseline: "`serde_json::Value`",
        fixtures,
        skipped,
    })
}

fn agent_fixtures(root: &Path) -> Result<FamilyFixtures, String> {
    let dir = root.join("crates/qiwi-agent/tests/fixtures/responses");
    let mut fixtures = Vec::new();
    let mut skipped = Vec::new();
    for path in files(&dir, "xml")? {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match agent_decoder(name) {
            Ok(sdk) => fixtures.push(fixture(root, &path, sdk, None, xml_events)?),
            Err(reason) => skipped.push(Skipped {
                path: relative(root, &path),
                reason,
            }),
        }
    }
    Ok(FamilyFixtures {
        family: Family::Agent,
        baseline: "quick-xml event loop counting elements",
        fixtures,
        skipped,
    })
}

/// Which decoder one timed pass uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Sdk,
    Plain,
    Baseline,
}

/// One pass over every fixture, `passes` times; the time it took.
fn timed(family: &FamilyFixtures, way: Way, passes: u64) -> Result<Duration, String> {
    let started = Instant::now();
    for _ in 0..passes {
        for f in &family.fixtures {
            match way {
                Way::Sdk => (f.sdk)(black_box(&f.bytes))?,
                Way::Plain => {
                    if let Some(plain) = f.plain {
                        plain(black_box(&f.bytes))?;
                    }
                }
                Way::Baseline => (f.baseline)(black_box(&f.bytes))?,
            }
        }
    }
    Ok(started.elapsed())
}

/// Measures each family `rounds` times, each timing lasting about `budget`, the ways taking
/// turns to go first; medians of MB/s.
pub fn measure(
    families: &[FamilyFixtures],
    rounds: usize,
    budget: Duration,
) -> Result<Vec<Throughput>, String> {
    let mut results = Vec::new();
    for family in families {
        let bytes = family.bytes();
        let plain_bytes = family.plain_bytes();
        let has_plain = plain_bytes > 0;
        // Calibrate: how many passes fill the budget (at least one).
        timed(family, Way::Sdk, 10)?;
        let one = timed(family, Way::Sdk, 10)? / 10;
        let passes = (budget.as_nanos() / one.as_nanos().max(1)).clamp(1, 10_000_000) as u64;
        let mut ways = vec![Way::Sdk, Way::Baseline];
        if has_plain {
            ways.push(Way::Plain);
        }
        let (mut sdk, mut plain, mut baseline, mut ratios) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            ways.rotate_left(usize::from(round > 0));
            let mut this_round = (0.0, 0.0);
            for &way in &ways {
                let elapsed = timed(family, way, passes)?;
                let counted = if way == Way::Plain {
                    plain_bytes
                } else {
                    bytes
                };
                let rate = stats::per_second(counted * passes, elapsed) / 1e6;
                match way {
                    Way::Sdk => {
                        sdk.push(rate);
                        this_round.0 = rate;
                    }
                    Way::Plain => plain.push(rate),
                    Way::Baseline => {
                        baseline.push(rate);
                        this_round.1 = rate;
                    }
                }
            }
            ratios.push(this_round.0 / this_round.1);
        }
        let median = |v: &[f64]| stats::median(v).unwrap_or_default();
        results.push(Throughput {
            family: family.family,
            baseline: family.baseline,
            files: family.fixtures.len(),
            bytes,
            sdk: median(&sdk),
            plain: has_plain.then(|| median(&plain)),
            baseline_rate: median(&baseline),
            ratio: median(&ratios),
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new fixture folder without a model stops `cargo xtask bench`: caught here instead.
    #[test]
    fn every_wallet_fixture_has_a_model_that_reads_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let wallet = wallet_fixtures(&root).unwrap();
        assert!(wallet.fixtures.len() > 100, "{}", wallet.fixtures.len());
        for fixture in &wallet.fixtures {
            (fixture.sdk)(&fixture.bytes).unwrap_or_else(|e| panic!("{}: {e}", fixture.path));
        }
    }
}
