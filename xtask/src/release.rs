//! `cargo xtask release <version> [--baseline-rev REV] [--execute]`.
//!
//! Without `--execute` (the default) it changes nothing outside the work tree: it sets the new
//! version in the workspace manifest, dates the changelog and runs every check, so the result
//! can be reviewed as a diff. A failed check puts the files back as they were. The checks:
//!
//! 1. the public API of every published crate against the baseline, the tag of the current
//!    version or `--baseline-rev` (`cargo semver-checks`, installed when missing): a change
//!    that the version bump does not allow stops the release;
//! 2. `ci`, whose clippy run denies `clippy::incompatible_msrv` (no API newer than the declared
//!    `rust-version`);
//! 3. every published crate packaged and built from its package (`cargo package`, verified).
//!
//! With `--execute` it then commits, publishes the crates in dependency order, and tags.

use std::fs;
use std::path::{Path, PathBuf};

use semver::Version;
use toml_edit::{DocumentMut, Item, Value};

use crate::cmd;

/// The published crates, each after the crates it depends on (the publish order).
pub const PUBLISHED: &[&str] = &[
    "qiwi-types",
    "qiwi-transport",
    "qiwi-wallet",
    "qiwi-agent",
    "balances-core",
    "qiwi-webhook-receiver",
    "qiwi-sandbox",
    "qiwi-cli",
];

/// The exit code of `cargo semver-checks` when it found changes the release type does not
/// allow; other failures (a build error, a missing baseline) exit with another code.
const SEMVER_CHECKS_FOUND_BREAKS: i32 = 100;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new version, greater than the current one (e.g. 0.2.0).
    version: Version,
    /// The git revision whose public API the release is compared with (default: the tag of
    /// the current version, such as v0.1.0).
    #[arg(long, value_name = "REV")]
    baseline_rev: Option<String>,
    /// After the checks, commit, publish the crates to crates.io and tag.
    #[arg(long)]
    execute: bool,
}

/// Entry point.
pub fn run(args: &Args) -> Result<(), String> {
    if !cmd::git_output(&["status", "--porcelain"])?
        .trim()
        .is_empty()
    {
        return Err("the work tree has uncommitted changes; commit or stash them first".into());
    }
    let root = cmd::root();
    let manifest = root.join("Cargo.toml");
    let current = current_version(&read(&manifest)?)?;
    let next = &args.version;
    let release = ReleaseType::between(&current, next)?;
    let baseline = baseline_commit(args.baseline_rev.as_deref(), &current)?;
    println!("release {current} -> {next}: {release}; public API compared with {baseline}");
    ensure_semver_checks()?;

    let touched = [manifest, root.join("CHANGELOG.md"), root.join("Cargo.lock")];
    let originals = touched
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let result = prepare(&touched, next, release, &baseline);
    if let Err(message) = result {
        for (path, text) in touched.iter().zip(&originals) {
            write(path, text)?;
        }
        return Err(format!(
            "{message}\nthe version bump and the changelog were put back"
        ));
    }
    if !args.execute {
        println!(
            "release {next} prepared and checked; review `git diff`, then run again with --execute"
        );
        return Ok(());
    }
    cmd::git_output(&["commit", "-am", &format!("Release {next}")])?;
    for package in PUBLISHED {
        cmd::cargo(&["publish", "--package", package], &[])?;
    }
    cmd::git_output(&[
        "tag",
        "-a",
        &format!("v{next}"),
        "-m",
        &format!("Release {next}"),
    ])?;
    println!("released {next}; push the commit and the tag");
    Ok(())
}

/// Bumps, dates and runs the checks; `touched` is the manifest, the changelog and the lock file.
fn prepare(
    touched: &[PathBuf; 3],
    next: &Version,
    release: ReleaseType,
    baseline: &str,
) -> Result<(), String> {
    let [manifest, changelog, _] = touched;
    write(manifest, &bump_manifest(&read(manifest)?, next)?)?;
    let today = jiff::ZonedDateTime::now().date().to_string();
    write(changelog, &date_changelog(&read(changelog)?, next, &today)?)?;
    check_published_versions(next)?;

    let mut semver_checks = vec![
        "semver-checks",
        "check-release",
        "--baseline-rev",
        baseline,
        "--release-type",
        release.as_arg(),
    ];
    for package in PUBLISHED {
        semver_checks.extend(["--package", *package]);
    }
    match cmd::cargo_status(&semver_checks, &[])?.code() {
        Some(0) => {}
        Some(SEMVER_CHECKS_FOUND_BREAKS) => {
            return Err(format!(
                "the public API changed in a way a {release} does not allow (see above); \
                 restore it, or release a version that allows it (e.g. {})",
                ReleaseType::next_breaking(next)
            ));
        }
        other => {
            return Err(format!(
                "cargo semver-checks could not compare the public API (exit code {other:?})"
            ));
        }
    }
    crate::ci()?;
    let mut package = vec!["package", "--allow-dirty"];
    for name in PUBLISHED {
        package.extend(["--package", *name]);
    }
    cmd::cargo(&package, &[])
}

/// What a release may change in the public API, in cargo-semver-checks' terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReleaseType {
    /// Anything, breaking changes included.
    Major,
    /// Additions, nothing that breaks a user.
    Minor,
    /// No change to the public API.
    Patch,
}

impl ReleaseType {
    /// Cargo's rule: the left-most non-zero component is the one whose change may break users
    /// (`0.1.0 -> 0.2.0` is a major release, `0.1.0 -> 0.1.1` a minor one); a pre-release
    /// promises nothing.
    fn between(current: &Version, next: &Version) -> Result<Self, String> {
        if next <= current {
            return Err(format!(
                "{next} is not greater than the current version {current}"
            ));
        }
        let changed = (
            next.major != current.major,
            next.minor != current.minor,
            next.patch != current.patch,
        );
        Ok(match (current.major, current.minor, changed) {
            _ if !current.pre.is_empty() => Self::Major,
            (_, _, (true, _, _)) | (0, _, (false, true, _)) | (0, 0, (false, false, true)) => {
                Self::Major
            }
            (_, _, (false, true, _)) | (0, _, (false, false, true)) => Self::Minor,
            (_, _, (false, false, true)) => Self::Patch,
            // Same numbers and `current` not a pre-release: `next` would be smaller (refused
            // above); here only for the match to be exhaustive.
            (_, _, (false, false, false)) => Self::Major,
        })
    }

    /// The smallest version after `version` that allows breaking changes.
    fn next_breaking(version: &Version) -> Version {
        match (version.major, version.minor) {
            (0, 0) => Version::new(0, 0, version.patch + 1),
            (0, minor) => Version::new(0, minor + 1, 0),
            (major, _) => Version::new(major + 1, 0, 0),
        }
    }

    fn as_arg(self) -> &'static str {
        match self {
            Self::Major => "major",
            Self::Minor => "minor",
            Self::Patch => "patch",
        }
    }
}

impl std::fmt::Display for ReleaseType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Major => "major release (breaking changes allowed)",
            Self::Minor => "minor release (additions only, nothing breaking)",
            Self::Patch => "patch release (no change to the public API)",
        })
    }
}

/// The commit the public API is compared with: `rev` when given, else the tag of the current
/// version.
fn baseline_commit(rev: Option<&str>, current: &Version) -> Result<String, String> {
    let tag = format!("v{current}");
    let rev_name = rev.unwrap_or(&tag);
    let commit = cmd::git_output(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev_name}^{{commit}}"),
    ]);
    match (commit, rev) {
        (Ok(commit), _) => Ok(commit.trim().to_owned()),
        (Err(_), Some(rev)) => Err(format!(
            "--baseline-rev {rev} is not a commit of this repository"
        )),
        (Err(_), None) => Err(format!(
            "there is no tag {tag} for the current version; give the revision whose public API \
             the release is compared with: --baseline-rev REV"
        )),
    }
}

/// Installs cargo-semver-checks when `cargo semver-checks` is not available.
fn ensure_semver_checks() -> Result<(), String> {
    if cmd::cargo_output(&["semver-checks", "--version"]).is_ok() {
        return Ok(());
    }
    eprintln!("cargo-semver-checks is missing; installing it (a long build)");
    cmd::cargo(&["install", "cargo-semver-checks", "--locked"], &[])
}

/// `[workspace.package] version`.
fn current_version(manifest: &str) -> Result<Version, String> {
    let doc = parse(manifest)?;
    let text = doc
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(Item::as_str)
        .ok_or("Cargo.toml has no version in [workspace.package]")?;
    Version::parse(text).map_err(|e| format!("[workspace.package] version {text:?}: {e}"))
}

/// Sets `[workspace.package] version` and the `version` of every path dependency in
/// `[workspace.dependencies]` (a published crate names its workspace dependencies by version),
/// keeping the rest of the file as it was.
fn bump_manifest(manifest: &str, version: &Version) -> Result<String, String> {
    let mut doc = parse(manifest)?;
    let version = version.to_string();
    // `TableLike::get_mut` looks up; `Item::get_mut` would insert what it does not find.
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or("Cargo.toml has no [workspace]")?;
    let package_version = workspace
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
        .and_then(|p| p.get_mut("version"))
        .ok_or("Cargo.toml has no version in [workspace.package]")?;
    set_string(package_version, &version);
    let dependencies = workspace
        .get_mut("dependencies")
        .and_then(Item::as_table_like_mut);
    for (name, dependency) in dependencies.into_iter().flat_map(|d| d.iter_mut()) {
        let Some(dependency) = dependency.as_table_like_mut() else {
            continue;
        };
        if !dependency.contains_key("path") {
            continue;
        }
        let Some(dependency_version) = dependency.get_mut("version") else {
            return Err(format!(
                "the workspace dependency {name} has a path but no version; a published crate \
                 that uses it cannot be packaged"
            ));
        };
        set_string(dependency_version, &version);
    }
    Ok(doc.to_string())
}

/// Replaces a string value, keeping the spaces and comments around it.
fn set_string(item: &mut Item, text: &str) {
    let new = Value::from(text);
    match item.as_value_mut() {
        Some(value) => {
            let decor = value.decor().clone();
            *value = new;
            *value.decor_mut() = decor;
        }
        None => *item = Item::Value(new),
    }
}

/// Every published crate takes the workspace version: a crate with a version of its own would
/// be published with it.
fn check_published_versions(version: &Version) -> Result<(), String> {
    let metadata: serde_json::Value = serde_json::from_str(&cmd::cargo_output(&[
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
    ])?)
    .map_err(|e| format!("cargo metadata is not JSON: {e}"))?;
    let version = version.to_string();
    let stale: Vec<String> = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| PUBLISHED.contains(&p["name"].as_str().unwrap_or_default()))
        .filter(|p| p["version"].as_str() != Some(version.as_str()))
        .map(|p| {
            let field = |key: &str| p[key].as_str().unwrap_or_default().to_owned();
            format!("{} {}", field("name"), field("version"))
        })
        .collect();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not at {version} after the bump (use `version.workspace = true`): {}",
            stale.join(", ")
        ))
    }
}

/// Turns `## Unreleased` into `## <version> - <date>` under a fresh `## Unreleased`.
fn date_changelog(changelog: &str, version: &Version, date: &str) -> Result<String, String> {
    if !changelog.contains("## Unreleased") {
        return Err("CHANGELOG.md has no `## Unreleased` section".into());
    }
    Ok(changelog.replacen(
        "## Unreleased",
        &format!("## Unreleased\n\n## {version} - {date}"),
        1,
    ))
}

fn parse(manifest: &str) -> Result<DocumentMut, String> {
    manifest
        .parse()
        .map_err(|e| format!("Cargo.toml is not valid TOML: {e}"))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn bumps_the_package_and_path_dependency_versions_only() {
        let manifest = r#"[workspace.package]
version = "0.1.0"   # the release version
edition = "2024"

[workspace.dependencies]
qiwi-types = { path = "crates/qiwi-types", version = "0.1.0" }
qiwi-transport = { path = "crates/qiwi-transport", version = "0.1.0", default-features = false }
# not ours: untouched
serde = { version = "1", features = ["derive"] }
url = "2"

[workspace.dependencies.qiwi-wallet]
path = "crates/qiwi-wallet"
version = "0.1.0"
"#;
        let bumped = bump_manifest(manifest, &v("0.2.0")).unwrap();
        assert_eq!(
            bumped,
            manifest
                .replace(r#"version = "0.1.0""#, r#"version = "0.2.0""#)
                .as_str()
        );
        assert_eq!(current_version(&bumped).unwrap(), v("0.2.0"));
    }

    #[test]
    fn a_path_dependency_without_a_version_is_refused() {
        let manifest = "[workspace.package]\nversion = \"0.1.0\"\n\n[workspace.dependencies]\nqiwi-types = { path = \"crates/qiwi-types\" }\n";
        let err = bump_manifest(manifest, &v("0.2.0")).unwrap_err();
        assert!(err.contains("qiwi-types"), "{err}");
        assert!(bump_manifest("[workspace]\n", &v("0.2.0")).is_err());
        assert!(current_version("[workspace.package\n").is_err());
    }

    #[test]
    fn release_types_follow_cargo_rules() {
        use ReleaseType::*;
        let table = [
            ("0.1.0", "0.1.1", Minor),
            ("0.1.0", "0.2.0", Major),
            ("0.1.3", "1.0.0", Major),
            ("0.0.1", "0.0.2", Major),
            ("1.2.3", "1.2.4", Patch),
            ("1.2.3", "1.3.0", Minor),
            ("1.2.3", "2.0.0", Major),
            ("1.0.0-rc.1", "1.0.0", Major),
            ("1.2.3", "1.2.4-rc.1", Patch),
            ("1.3.0-rc.1", "1.3.0-rc.2", Major),
        ];
        for (current, next, expected) in table {
            assert_eq!(
                ReleaseType::between(&v(current), &v(next)),
                Ok(expected),
                "{current} -> {next}"
            );
        }
        for (current, next) in [
            ("0.1.0", "0.1.0"),
            ("0.2.0", "0.1.9"),
            ("1.0.0", "1.0.0-rc.1"),
        ] {
            assert!(
                ReleaseType::between(&v(current), &v(next)).is_err(),
                "{current} -> {next}"
            );
        }
    }

    #[test]
    fn suggests_the_smallest_breaking_version() {
        assert_eq!(ReleaseType::next_breaking(&v("0.1.1")), v("0.2.0"));
        assert_eq!(ReleaseType::next_breaking(&v("0.0.3")), v("0.0.4"));
        assert_eq!(ReleaseType::next_breaking(&v("1.4.2")), v("2.0.0"));
    }

    #[test]
    fn dates_the_unreleased_section() {
        let out = date_changelog(
            "# Changelog\n\n## Unreleased\n\n- x\n",
            &v("0.2.0"),
            "2026-11-26",
        )
        .unwrap();
        assert_eq!(
            out,
            "# Changelog\n\n## Unreleased\n\n## 0.2.0 - 2026-11-26\n\n- x\n"
        );
        assert!(date_changelog("# Changelog\n", &v("0.2.0"), "d").is_err());
    }
}
