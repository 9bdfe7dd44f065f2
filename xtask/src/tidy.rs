//! Dependency and publishing rules, checked from `cargo metadata` and `cargo tree`.
//!
//! They keep the promise that users compile only what they use: a Treezor-only user never
//! builds an XML parser or a web server, and each heavy crate stays in the one crate that owns it.
//! And every published crate is the one `cargo xtask release` publishes and carries what
//! crates.io and docs.rs show: a README, keywords, categories, docs built with all features.
//! And the library sources stay small, read time only through their time module (clippy's
//! `disallowed-methods`, from each library's `clippy.toml`), and name each other through
//! `[workspace.dependencies]` at the versions the crates have.

use std::path::{Path, PathBuf};

use serde_json::Value;
use toml_edit::{DocumentMut, Item};

use crate::cmd;
use crate::release::PUBLISHED;

/// Client crates: none may depend on another.
const CLIENTS: &[&str] = &["qiwi-wallet", "qiwi-agent", "balances-core"];

/// (dependency, the workspace members allowed to use it as a normal dependency)
const OWNERS: &[(&str, &[&str])] = &[
    // The benchmark compares the SDK with bare reqwest, so it needs reqwest itself.
    ("reqwest", &["qiwi-transport", "qiwi-bench"]),
    ("axum", &["qiwi-sandbox", "qiwi-webhook-receiver"]),
    // The two servers: their accept loops bound request heads and connections.
    ("hyper", &["qiwi-sandbox", "qiwi-webhook-receiver"]),
    ("clap", &["qiwi-cli", "qiwi-bench", "xtask"]),
];

/// (package, crates that must not be in its normal dependency tree)
const FORBIDDEN_IN_TREE: &[(&str, &[&str])] = &[
    ("balances-core", &["quick-xml", "axum"]),
    // Webhook receivers live in qiwi-webhook-receiver: a wallet client compiles no server.
    ("qiwi-wallet", &["axum"]),
];

/// The library crates, whose sources the source rules cover.
const LIBRARIES: &[&str] = &[
    "qiwi-types",
    "qiwi-transport",
    "qiwi-wallet",
    "qiwi-agent",
    "balances-core",
    "qiwi-webhook-receiver",
];

/// The most lines a library source file may have, its unit tests included.
const MAX_LINES: usize = 800;

/// Library files over [`MAX_LINES`] today. This list only shrinks: a file that gets under the
/// limit must leave it, and no file may join it.
const TOO_LONG_ALLOWED: &[&str] = &[];

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Library files over the line limit and not allowed, and allowed files no longer over it.
fn length_problems(lengths: &[(String, usize)], allowed: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, lines) in lengths {
        let listed = allowed.contains(&file.as_str());
        if *lines > MAX_LINES && !listed {
            problems.push(format!(
                "{file} has {lines} lines, more than {MAX_LINES}: split it (move big test tables to tests/)"
            ));
        }
        if *lines <= MAX_LINES && listed {
            problems.push(format!(
                "{file} is within {MAX_LINES} lines now: remove it from TOO_LONG_ALLOWED"
            ));
        }
    }
    problems
}

/// The source rules of the library crates: file length and the clippy configuration that keeps
/// clocks and sleeps in the time module.
fn source_problems(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut lengths = Vec::new();
    for library in LIBRARIES {
        let dir = root.join("crates").join(library);
        let clippy = std::fs::read_to_string(dir.join("clippy.toml")).unwrap_or_default();
        if !clippy.contains("disallowed-methods") {
            problems.push(format!(
                "crates/{library}/clippy.toml does not keep time reads in the time module (disallowed-methods)"
            ));
        }
        for file in rust_files(&dir.join("src")) {
            let lines = std::fs::read_to_string(&file).map_or(0, |text| text.lines().count());
            let relative = file.strip_prefix(root).unwrap_or(&file);
            lengths.push((relative.to_string_lossy().replace('\\', "/"), lines));
        }
    }
    problems.extend(length_problems(&lengths, TOO_LONG_ALLOWED));
    problems
}

/// The dependency tables of a manifest, target-specific ones included.
fn dependency_tables(manifest: &DocumentMut) -> Vec<(String, &toml_edit::Table)> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut scopes = vec![(String::new(), manifest.as_table())];
    if let Some(targets) = manifest.get("target").and_then(Item::as_table) {
        for (target, table) in targets {
            if let Some(table) = table.as_table() {
                scopes.push((format!("target.{target}."), table));
            }
        }
    }
    let mut tables = Vec::new();
    for (prefix, scope) in scopes {
        for kind in KINDS {
            if let Some(deps) = scope.get(kind).and_then(Item::as_table) {
                tables.push((format!("{prefix}{kind}"), deps));
            }
        }
    }
    tables
}

/// Internal dependencies that bypass `[workspace.dependencies]`, and entries there whose
/// version is not the crate's. `members` holds (name, version, manifest text).
fn internal_dependency_problems(
    workspace: &DocumentMut,
    members: &[(String, String, String)],
) -> Vec<String> {
    let mut problems = Vec::new();
    let is_member = |name: &str| members.iter().any(|(n, _, _)| n == name);
    let declared = workspace["workspace"]["dependencies"].as_table();
    for (name, version, _) in members {
        let Some(entry) = declared.and_then(|t| t.get(name)) else {
            continue;
        };
        let declared_version = entry.get("version").and_then(Item::as_str);
        if declared_version != Some(version.as_str()) {
            problems.push(format!(
                "[workspace.dependencies] {name} has version {declared_version:?}, the crate is {version}"
            ));
        }
    }
    for (name, _, text) in members {
        let Ok(manifest) = text.parse::<DocumentMut>() else {
            problems.push(format!("{name}: Cargo.toml does not parse"));
            continue;
        };
        for (table, deps) in dependency_tables(&manifest) {
            for (key, dep) in deps {
                let target = dep.get("package").and_then(Item::as_str).unwrap_or(key);
                // A crate's dev-dependency on itself only turns features on for its tests.
                if target == name || !is_member(target) {
                    continue;
                }
                let inherited = dep.get("workspace").and_then(Item::as_bool) == Some(true);
                if !inherited {
                    problems.push(format!(
                        "{name} [{table}] {key}: use `workspace = true` for a workspace crate"
                    ));
                }
            }
        }
    }
    problems
}

/// (package, a crate in its tree, features of that crate the package alone must not enable):
/// a Treezor-only user compiles no QIWI model.
const FORBIDDEN_FEATURES: &[(&str, &str, &[&str])] = &[
    ("balances-core", "qiwi-types", &["agent", "wallet"]),
    // The HTTP client's hyper, never its server half.
    ("qiwi-wallet", "hyper", &["server"]),
    (
        "qiwi-wallet",
        "hyper-util",
        &["server", "server-auto", "server-graceful"],
    ),
];

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
    let root = cmd::root();
    let mut problems = source_problems(&root);
    let mut members = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default();
        let manifest = package["manifest_path"].as_str().unwrap_or_default();
        members.push((
            name.to_owned(),
            package["version"].as_str().unwrap_or_default().to_owned(),
            std::fs::read_to_string(manifest).map_err(|e| format!("{manifest}: {e}"))?,
        ));
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
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("Cargo.toml: {e}"))?
        .parse::<DocumentMut>()
        .map_err(|e| format!("Cargo.toml: {e}"))?;
    problems.extend(internal_dependency_problems(&workspace, &members));
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

    use super::{
        forbidden_features, forbidden_in_tree, internal_dependency_problems, length_problems,
        publishing_problems,
    };

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
        let wallet = "qiwi-wallet v0.1.0 (/w/crates/qiwi-wallet)|default\n\
                      hyper v1.12.0|client,http1,server\n";
        assert_eq!(
            forbidden_features("qiwi-wallet", "hyper", &["server"], wallet),
            ["qiwi-wallet enables hyper's feature server"]
        );
        assert!(
            forbidden_features("qiwi-wallet", "hyper", &["server"], "hyper v1|client\n").is_empty()
        );
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
    fn long_files_are_refused_and_the_allow_list_only_shrinks() {
        let lengths = [
            ("a.rs".to_owned(), 801),
            ("b.rs".to_owned(), 800),
            ("c.rs".to_owned(), 2000),
        ];
        assert_eq!(
            length_problems(&lengths, &["b.rs", "c.rs"]),
            [
                "a.rs has 801 lines, more than 800: split it (move big test tables to tests/)",
                "b.rs is within 800 lines now: remove it from TOO_LONG_ALLOWED",
            ]
        );
    }

    #[test]
    fn internal_dependencies_go_through_the_workspace_at_the_crates_versions() {
        let workspace = r#"
            [workspace.dependencies]
            core = { path = "crates/core", version = "0.1.0" }
            http = { path = "crates/http", version = "0.2.0" }
            "#
        .parse()
        .unwrap();
        let member = |name: &str, version: &str, manifest: &str| {
            (name.to_owned(), version.to_owned(), manifest.to_owned())
        };
        let members = [
            member(
                "core",
                "0.1.0",
                "[dev-dependencies]\ncore = { path = \".\" }\n",
            ),
            member("http", "0.3.0", "[dependencies]\ncore.workspace = true\n"),
            member(
                "cli",
                "0.3.0",
                "[target.'cfg(unix)'.dependencies]\nhttp = { path = \"../http\" }\n",
            ),
        ];
        assert_eq!(
            internal_dependency_problems(&workspace, &members),
            [
                "[workspace.dependencies] http has version Some(\"0.2.0\"), the crate is 0.3.0",
                "cli [target.cfg(unix).dependencies] http: use `workspace = true` for a workspace crate",
            ]
        );
    }

    #[test]
    fn tidy() {
        if let Err(problems) = super::check() {
            panic!("{problems}");
        }
    }
}
