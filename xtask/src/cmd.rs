//! Running cargo and reading its output.

use std::path::PathBuf;
use std::process::{Command, ExitStatus};

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn cargo_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(root());
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Runs cargo with `args`, its output going to the terminal, and says how it ended.
pub fn cargo_status(args: &[&str], env: &[(&str, &str)]) -> Result<ExitStatus, String> {
    eprintln!("$ cargo {}", args.join(" "));
    cargo_command(args, env)
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))
}

/// Runs cargo with `args`, its output going to the terminal.
pub fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let status = cargo_status(args, env)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

/// Runs cargo with `args` and returns its standard output.
pub fn cargo_output(args: &[&str]) -> Result<String, String> {
    let output = cargo_command(args, &[])
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("cargo printed invalid UTF-8: {e}"))
}

/// Runs git with `args` and returns its standard output.
pub fn git_output(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
