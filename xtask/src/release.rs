//! `cargo xtask release <version> [--execute]`.
//!
//! Without `--execute` it changes nothing outside the work tree: it bumps the version, dates the
//! changelog, runs `ci` and packages every crate, so the result can be reviewed as a diff.
//! With `--execute` it also commits, publishes the crates in dependency order, and tags.

use std::fs;

use crate::cmd;

/// Publish order: each crate after the crates it depends on.
const PUBLISH_ORDER: &[&str] = &[
    "qiwi-types",
    "qiwi-transport",
    "qiwi-wallet",
    "qiwi-agent",
    "balances-core",
    "qiwi-sandbox",
    "qiwi-cli",
];

/// Entry point.
pub fn run(args: &[String]) -> Result<(), String> {
    let version = args
        .first()
        .ok_or("usage: cargo xtask release <version> [--execute]")?;
    let execute = args.iter().any(|a| a == "--execute");
    validate_version(version)?;
    if !cmd::git_output(&["status", "--porcelain"])?
        .trim()
        .is_empty()
    {
        return Err("the work tree has uncommitted changes; commit or stash them first".into());
    }
    let root = cmd::root();
    let manifest_path = root.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
    fs::write(&manifest_path, bump_manifest(&manifest, version)?).map_err(|e| e.to_string())?;
    let changelog_path = root.join("CHANGELOG.md");
    let changelog = fs::read_to_string(&changelog_path).map_err(|e| e.to_string())?;
    let today = cmd::git_output(&["log", "-1", "--format=%cs"])?;
    fs::write(
        &changelog_path,
        date_changelog(&changelog, version, today.trim())?,
    )
    .map_err(|e| e.to_string())?;
    crate::ci()?;
    cmd::cargo(
        &["package", "--workspace", "--no-verify", "--allow-dirty"],
        &[],
    )?;
    if !execute {
        println!("release {version} prepared; review `git diff`, then run again with --execute");
        return Ok(());
    }
    cmd::git_output(&["commit", "-am", &format!("Release {version}")])?;
    for package in PUBLISH_ORDER {
        cmd::cargo(&["publish", "--package", package], &[])?;
    }
    cmd::git_output(&[
        "tag",
        "-a",
        &format!("v{version}"),
        "-m",
        &format!("Release {version}"),
    ])?;
    println!("released {version}; push the commit and the tag");
    Ok(())
}

/// Accepts `MAJOR.MINOR.PATCH` with an optional `-pre` suffix.
fn validate_version(version: &str) -> Result<(), String> {
    let core = version.split_once('-').map_or(version, |(core, _)| core);
    let parts: Vec<_> = core.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(format!("{version:?} is not a version like 1.2.3"))
    }
}

/// Sets `[workspace.package] version` and the `version` of every path dependency.
fn bump_manifest(manifest: &str, version: &str) -> Result<String, String> {
    let mut in_package = false;
    let mut bumped_package = false;
    let mut lines = Vec::new();
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_package = line.trim() == "[workspace.package]";
        }
        let new_line = if in_package && line.starts_with("version = ") {
            bumped_package = true;
            format!("version = \"{version}\"")
        } else if line.contains("path = \"crates/") && line.contains("version = \"") {
            replace_version(line, version)
        } else {
            line.to_owned()
        };
        lines.push(new_line);
    }
    if !bumped_package {
        return Err("no version in [workspace.package]".into());
    }
    Ok(lines.join("\n") + "\n")
}

fn replace_version(line: &str, version: &str) -> String {
    let Some(start) = line.find("version = \"") else {
        return line.to_owned();
    };
    let value_start = start + "version = \"".len();
    let Some(len) = line[value_start..].find('"') else {
        return line.to_owned();
    };
    format!(
        "{}{}{}",
        &line[..value_start],
        version,
        &line[value_start + len..]
    )
}

/// Turns `## Unreleased` into `## <version> - <date>` under a fresh `## Unreleased`.
fn date_changelog(changelog: &str, version: &str, date: &str) -> Result<String, String> {
    if !changelog.contains("## Unreleased") {
        return Err("CHANGELOG.md has no `## Unreleased` section".into());
    }
    Ok(changelog.replacen(
        "## Unreleased",
        &format!("## Unreleased\n\n## {version} - {date}"),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_the_package_and_path_dependency_versions_only() {
        let manifest = "[workspace.package]\nversion = \"0.1.0\"\n\n[workspace.dependencies]\nqiwi-types = { path = \"crates/qiwi-types\", version = \"0.1.0\" }\nserde = { version = \"1\" }\n";
        let bumped = bump_manifest(manifest, "0.2.0").unwrap();
        assert_eq!(
            bumped,
            "[workspace.package]\nversion = \"0.2.0\"\n\n[workspace.dependencies]\nqiwi-types = { path = \"crates/qiwi-types\", version = \"0.2.0\" }\nserde = { version = \"1\" }\n"
        );
    }

    #[test]
    fn validates_versions() {
        assert!(validate_version("1.2.3").is_ok());
        assert!(validate_version("0.2.0-rc.1").is_ok());
        assert!(validate_version("1.2").is_err());
        assert!(validate_version("v1.2.3").is_err());
    }

    #[test]
    fn dates_the_unreleased_section() {
        let out = date_changelog(
            "# Changelog\n\n## Unreleased\n\n- x\n",
            "0.2.0",
            "2026-11-26",
        )
        .unwrap();
        assert_eq!(
            out,
            "# Changelog\n\n## Unreleased\n\n## 0.2.0 - 2026-11-26\n\n- x\n"
        );
        assert!(date_changelog("# Changelog\n", "0.2.0", "d").is_err());
    }
}
