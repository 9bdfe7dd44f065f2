//! Writing results: tables for people, stable JSON for programs, progress on stderr only.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::failure::Failure;
use crate::table::Table;

/// Where results go and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// JSON on stdout instead of tables.
    pub json: bool,
}

impl Output {
    /// Whether stdout is a terminal (charts are drawn only then).
    pub fn is_terminal(&self) -> bool {
        std::io::stdout().is_terminal()
    }

    /// Prints `value` as pretty JSON, or `table` as text.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        table: impl FnOnce() -> Table,
    ) -> Result<(), Failure> {
        if self.json {
            let text = serde_json::to_string_pretty(value)
                .map_err(|e| Failure::Other(format!("could not write JSON: {e}")))?;
            self.write(&format!("{text}\n"))
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
