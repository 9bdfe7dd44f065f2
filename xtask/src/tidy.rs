//! Dependency rules, checked from `cargo metadata` and `cargo tree`.
//!
//! They keep the promise that users compile only what they use: a Treezor-only user never
//! builds an XML parser or a web server, and each heavy crate stays in the one crate that owns it.

use serde_json::Value;

use crate::cmd;

/// Client crates: none may depend on another.
const CLIENTS: &[&str] = &["qiwi-wallet", "qiwi-agent", "balances-core"];

/// (dependency, the workspace members allowed to use it as a normal dependency)
const OWNERS: &[(&str, &[&str])] = &[
    // The benchmark compares the SDK with bare reqwest, so it needs reqwest itself.
    ("reqwest", &["qiwi-transport", "qiwi-bench"]),
    ("axum", &["qiwi-sandbox"]),
    ("hyper", &["qiwi-sandbox"]),
    ("clap", &["qiwi-cli", "xtask"]),
];

/// (package, crates that must not be in its normal dependency tree)
const FORBIDDEN_IN_TREE: &[(&str, &[&str])] = &[("balances-core", &["quick-xml", "axum"])];

/// Runs every rule and reports all violations at once.
pub fn check() -> Result<(), String> {
    let metadata: Value = serde_json::from_str(&cmd::cargo_output(&[
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ])?)
    .map_err(|e| format!("cargo metadata is not JSON: {e}"))?;
    let mut problems = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default();
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            let dep_name = dep["name"].as_str().unwrap_or_default();
            let normal = dep["kind"].is_null();
            if normal && CLIENTS.contains(&name) && CLIENTS.contains(&dep_name) {
                problems.push(format!(
                    "client crate {name} depends on client crate {dep_name}"
                ));
            }
            for (owned, owners) in OWNERS {
                if normal && dep_name == *owned && !owners.contains(&name) {
                    problems.push(format!(
                        "{name} depends on {owned}, which belongs to {}",
                        owners.join(", ")
                    ));
                }
            }
        }
    }
    for (package, forbidden) in FORBIDDEN_IN_TREE {
        let tree = cmd::cargo_output(&[
            "tree",
            "--package",
            package,
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--offline",
        ])?;
        for line in tree.lines() {
            let crate_name = line.split_whitespace().next().unwrap_or_default();
            if forbidden.contains(&crate_name) {
                problems.push(format!(
                    "{package} pulls in {crate_name} as a normal dependency"
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "tidy found {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy() {
        if let Err(problems) = super::check() {
            panic!("{problems}");
        }
    }
}
