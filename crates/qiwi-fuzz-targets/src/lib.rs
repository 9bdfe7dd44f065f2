//! The SDK's decoders as fuzz targets: one list ([`TARGETS`]) that both the cargo-fuzz targets
//! in `fuzz/` and the stable mutation harness (`cargo xtask fuzz`, [`harness`]) run.
//!
//! A target takes any bytes and must never panic: every decoder answers bad input with an
//! error. Model targets also check that what decodes writes back a form that decodes again
//! and writes the same bytes (a stable round trip). Each target is seeded from the fixture
//! folders it names (paths from the workspace root).

pub mod harness;
pub mod mutate;
mod targets;

use std::path::{Path, PathBuf};

pub use targets::TARGETS;

/// The groups the figures are reported by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// QIWI Wallet JSON models (E01-E18).
    WalletJson,
    /// The QIWI agent's XML answers.
    AgentXml,
    /// Treezor JSON models (balances, history).
    TreezorJson,
    /// Error bodies of the JSON families and the Treezor token answer.
    ErrorsAndToken,
    /// Treezor `balance.update` webhook verification and decoding.
    Webhook,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 5] = [
        Family::WalletJson,
        Family::AgentXml,
        Family::TreezorJson,
        Family::ErrorsAndToken,
        Family::Webhook,
    ];

    /// The family's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::WalletJson => "QIWI Wallet JSON",
            Family::AgentXml => "agent XML",
            Family::TreezorJson => "Treezor JSON",
            Family::ErrorsAndToken => "error bodies, token answer",
            Family::Webhook => "webhook",
        }
    }

    /// The family's targets.
    pub fn targets(self) -> impl Iterator<Item = &'static Target> {
        TARGETS.iter().filter(move |t| t.family == self)
    }
}

/// One decoder under fuzzing.
#[derive(Debug)]
pub struct Target {
    /// The name (also the cargo-fuzz target's name).
    pub name: &'static str,
    /// The report group.
    pub family: Family,
    /// Fixture folders, from the workspace root, whose files seed the target.
    pub seeds: &'static [&'static str],
    /// Runs the decoder on one input; panics only on a defect.
    pub run: fn(&[u8]),
}

impl Target {
    /// The seed inputs: every file of the seed folders, sorted by path.
    ///
    /// # Errors
    /// The I/O error of a folder or file that cannot be read.
    pub fn seed_inputs(&self) -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut paths = Vec::new();
        for folder in self.seeds {
            for entry in std::fs::read_dir(workspace_root().join(folder))? {
                let path = entry?.path();
                if path.is_file() && !is_documentation(&path) {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        paths
            .into_iter()
            .map(|path| std::fs::read(&path).map(|bytes| (path, bytes)))
            .collect()
    }
}

fn is_documentation(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Runs the target named `name` on `data` (what each cargo-fuzz target calls). An unknown
/// name runs nothing.
pub fn run(name: &str, data: &[u8]) {
    if let Some(t) = target(name) {
        (t.run)(data);
    }
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}
