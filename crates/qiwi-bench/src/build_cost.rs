//! Build cost for a user: a consumer crate depending on one or all of the SDK's crates, built
//! from clean in the dev profile.
//!
//! Each consumer is generated in a temporary folder with path dependencies on this workspace
//! (default features, as `cargo add` gives them), gets a copy of the workspace `Cargo.lock` so
//! that it resolves the same versions, and builds into its own fresh `CARGO_TARGET_DIR`. The
//! count is the number of `compiler-artifact` messages of `--message-format=json` (one per
//! library, build script and the consumer itself).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One consumer to build.
#[derive(Debug, Clone)]
pub struct Consumer {
    /// Its name in the report.
    pub label: String,
    /// The workspace crates it depends on.
    pub crates: Vec<String>,
}

/// What one clean build cost.
#[derive(Debug, Clone)]
pub struct BuildCost {
    /// The consumer.
    pub consumer: Consumer,
    /// `compiler-artifact` messages.
    pub artifacts: usize,
    /// Distinct packages among them (a package with a build script counts once).
    pub packages: usize,
    /// Wall time of `cargo build`.
    pub elapsed: Duration,
}

/// The SDK's library crates: every `crates/*` with a `src/lib.rs` and no `src/main.rs` (a
/// program's library target, such as the command line's, is not something users depend on).
pub fn library_crates(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("crates");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.join("Cargo.toml").is_file()
                && p.join("src/lib.rs").is_file()
                && !p.join("src/main.rs").exists()
        })
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

/// The three consumers of the report.
pub fn consumers(root: &Path) -> Result<Vec<Consumer>, String> {
    let all = library_crates(root)?;
    Ok(vec![
        Consumer {
            label: "`balances-core` only".into(),
            crates: vec!["balances-core".into()],
        },
        Consumer {
            label: "`qiwi-wallet` only".into(),
            crates: vec!["qiwi-wallet".into()],
        },
        Consumer {
            label: format!("every SDK library crate ({})", all.join(", ")),
            crates: all,
        },
    ])
}

fn manifest(root: &Path, consumer: &Consumer) -> String {
    let mut text = String::from(
        "[package]\nname = \"build-cost-consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n# Its own workspace: not part of any enclosing one.\n[workspace]\n\n[dependencies]\n",
    );
    for name in &consumer.crates {
        let path = root.join("crates").join(name);
        text.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            path.display().to_string()
        ));
    }
    text
}

fn library(consumer: &Consumer) -> String {
    let mut text = String::from("//! Depends on the measured crates and nothing else.\n\n");
    for name in &consumer.crates {
        text.push_str(&format!("pub use {};\n", name.replace('-', "_")));
    }
    text
}

/// Generates and builds one consumer under `scratch`, then removes its folder.
pub fn measure(root: &Path, scratch: &Path, consumer: &Consumer) -> Result<BuildCost, String> {
    let dir = scratch.join(format!(
        "consumer-{}",
        consumer.crates.len().to_string() + &consumer.crates.join("-")
    ));
    let target = dir.join("target");
    let result = generate_and_build(root, &dir, &target, consumer);
    // The target folder is large; it is of no use once measured.
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn generate_and_build(
    root: &Path,
    dir: &Path,
    target: &Path,
    consumer: &Consumer,
) -> Result<BuildCost, String> {
    let write = |path: PathBuf, text: String| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write(dir.join("Cargo.toml"), manifest(root, consumer))?;
    write(dir.join("src/lib.rs"), library(consumer))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["build", "--offline", "--message-format=json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "building the consumer of {} failed: {}",
            consumer.crates.join(", "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut artifacts = 0;
    let mut packages = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] == "compiler-artifact" {
            artifacts += 1;
            if let Some(id) = message["package_id"].as_str() {
                packages.insert(id.to_owned());
            }
        }
    }
    Ok(BuildCost {
        consumer: consumer.clone(),
        artifacts,
        packages: packages.len(),
        elapsed,
    })
}
