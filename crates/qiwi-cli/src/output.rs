//! Writing results: tables for people, stable JSON for programs, progress on stderr only.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::contract;
use crate::failure::Failure;
use crate::table::Table;

/// Where results go and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// JSON on stdout instead of tables.
    pub json: bool,
    /// Whether the embedded sandbox answers (said in every JSON document).
    pub sandbox: bool,
}

impl Output {
    /// Whether stdout is a terminal (charts are drawn only then).
    pub fn is_terminal(&self) -> bool {
        std::io::stdout().is_terminal()
    }

    /// Prints `value` as a JSON document (a list goes under `key`), or `table` as text.
    pub fn emit<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        table: impl FnOnce() -> Table,
    ) -> Result<(), Failure> {
        if self.json {
            let document = contract::document(key, value, self.sandbox)?;
            self.write(&format!("{document:#}\n"))
        } else {
            self.write(&table().render())
        }
    }

    /// Writes text to stdout; a closed pipe (`qiwi ... | head`) is not an error.
    pub fn write(&self, text: &str) -> Result<(), Failure> {
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(()),
        }
    }
}

/// A progress or notice line on stderr, never on stdout.
pub fn notice(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

/// How a failure is told: one `qiwi: ...` line, or with `--json` one JSON object (`payment`:
/// the command can move money, so the object says whether it did).
pub fn report_failure(failure: &Failure, out: Output, payment: bool) {
    if out.json {
        let document = contract::error(failure, payment, out.sandbox);
        notice(&document.to_string());
    } else {
        notice(&format!("qiwi: {failure}"));
    }
}
