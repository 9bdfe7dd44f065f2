//! Dependency and publishing rules, checked from `cargo metadata` and `cargo tree`.
//!
//! They keep the promise that users compile only what they use: a Treezor-only user never
//! builds an XML parser or a web server, and each heavy crate stays in the one crate that owns it.
//! And every published crate is the one `cargo xtask release` publishes and carries what
//! crates.io and docs.rs show: a README, keywords, categories, docs built with all features.

use std::path::Path;

use serde_json::Value;

use crate::cmd;
use crate::release::PUBLISHED;

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

/// (package, a crate in its tree, features of that crate the package alone must not enable):
/// a Treezor-only user compiles no QIWI model.
const FORBIDDEN_FEATURES: &[(&str, &str, &[&str])] =
    &[("balances-core", "qiwi-types", &["agent", "wallet"])];

/// What a published package lacks; also a package that is published without being in the
/// release's list, or the reverse.
fn publishing_problems(name: &str, package: &Value) -> Vec<String> {
    // `publish = false` reads as an empty list of registries.
    let published = package["publish"].as_array().is_none_or(|r| !r.is_empty());
    let listed = PUBLISHED.contains(&name);
    if !published {
        return if listed {
            vec![format!(
                "{name} has publish = false but the release publishes it"
            )]
        } else {
            Vec::new()
        };
    }
    let mut problems = Vec::new();
    if !listed {
        problems.push(format!(
            "{name} can be published but is not in the release's list (or set publish = false)"
        ));
    }
    let manifest_dir = Path::new(package["manifest_path"].as_str().unwrap_or_default())
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    match package["readme"].as_str() {
        Some(readme) if manifest_dir.join(readme).is_file() => {}
        _ => problems.push(format!("{name} has no readme file")),
    }
    for field in ["description", "keywords", "categories"] {
        let value = &package[field];
        if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
            problems.push(format!("{name} has no {field}"));
        }
    }
    let docs_rs = &package["metadata"]["docs"]["rs"];
    let rustdoc_args = docs_rs["rustdoc-args"].as_array().into_iter().flatten();
    let docsrs_cfg = rustdoc_args
        .filter_map(Value::as_str)
        .any(|a| a == "docsrs");
    if docs_rs["all-features"] != true || !docsrs_cfg {
        problems.push(format!(
            "{name} lacks [package.metadata.docs.rs] all-features = true, rustdoc-args = [\"--cfg\", \"docsrs\"]"
        ));
    }
    problems
}

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
        problems.extend(publishing_problems(name, package));
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
        let tree = normal_tree(package)?;
        problems.extend(forbidden_in_tree(package, forbidden, &tree));
    }
    for (package, dependency, features) in FORBIDDEN_FEATURES {
        let tree = normal_tree(package)?;
        problems.extend(forbidden_features(package, dependency, features, &tree));
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

/// `package`'s normal dependency tree, one `name version (path)|feature,feature` per line,
/// with the features resolved for `package` alone.
fn normal_tree(package: &str) -> Result<String, String> {
    cmd::cargo_output(&[
        "tree",
        "--package",
        package,
        "--edges",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}|{f}",
        "--offline",
    ])
}

fn forbidden_in_tree(package: &str, forbidden: &[&str], tree: &str) -> Vec<String> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| forbidden.contains(name))
        .map(|name| format!("{package} pulls in {name} as a normal dependency"))
        .collect()
}

fn forbidden_features(
    package: &str,
    dependency: &str,
    features: &[&str],
    tree: &str,
) -> Vec<String> {
    tree.lines()
        .filter(|line| line.split_whitespace().next() == Some(dependency))
        .filter_map(|line| line.split_once('|'))
        .flat_map(|(_, enabled)| enabled.trim_end_matches(" (*)").split(','))
        .filter(|feature| features.contains(feature))
        .map(|feature| format!("{package} enables {dependency}'s feature {feature}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{forbidden_features, forbidden_in_tree, publishing_problems};

    #[test]
    fn tree_rules_name_the_crate_and_the_feature() {
        let tree = "balances-core v0.1.0 (/w/crates/balances-core)|default,reqwest\n\
                    qiwi-types v0.1.0 (/w/crates/qiwi-types)|agent,treezor\n\
                    quick-xml v0.37.0|default\n\
                    qiwi-types v0.1.0 (/w/crates/qiwi-types)|agent,treezor (*)\n";
        assert_eq!(
            forbidden_in_tree("balances-core", &["quick-xml", "axum"], tree),
            ["balances-core pulls in quick-xml as a normal dependency"]
        );
        let mut found =
            forbidden_features("balances-core", "qiwi-types", &["agent", "wallet"], tree);
        found.dedup();
        assert_eq!(found, ["balances-core enables qiwi-types's feature agent"]);
        let clean = "qiwi-types v0.1.0 (/w/crates/qiwi-types)|treezor\n";
        assert!(
            forbidden_features("balances-core", "qiwi-types", &["agent", "wallet"], clean)
                .is_empty()
        );
    }

    #[test]
    fn publishing_rules_name_what_is_missing() {
        let bare = json!({"publish": null, "manifest_path": "/nowhere/Cargo.toml", "readme": null,
            "description": "d", "keywords": [], "categories": ["finance"], "metadata": null});
        assert_eq!(
            publishing_problems("qiwi-new", &bare),
            [
                "qiwi-new can be published but is not in the release's list (or set publish = false)",
                "qiwi-new has no readme file",
                "qiwi-new has no keywords",
                "qiwi-new lacks [package.metadata.docs.rs] all-features = true, rustdoc-args = [\"--cfg\", \"docsrs\"]",
            ]
        );
        let unpublished = json!({"publish": []});
        assert!(publishing_problems("qiwi-bench", &unpublished).is_empty());
        assert_eq!(
            publishing_problems("qiwi-types", &unpublished),
            ["qiwi-types has publish = false but the release publishes it"]
        );
    }

    #[test]
    fn tidy() {
        if let Err(problems) = super::check() {
            panic!("{problems}");
        }
    }
}
