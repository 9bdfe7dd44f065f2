//! One clear line on stderr and a distinct exit code for each kind of failure.

use std::fmt;
use std::process::ExitCode;

use qiwi_transport::{Detail, Error, RefusalKind};

use crate::table::printable;

/// Why a command failed, by what the user can do about it.
#[derive(Debug)]
pub enum Failure {
    /// A flag or variable is missing or invalid (exit 2).
    Usage(String),
    /// Credentials were refused (exit 3).
    Authentication(String),
    /// The service answered with an error (exit 4).
    Service(String),
    /// No answer arrived (exit 5).
    Network(String),
    /// The answer could not be understood (exit 6).
    Decode(String),
    /// Some results were printed, at least one part failed and was reported (exit 9).
    Partial(String),
    /// Anything else, such as a local I/O error (exit 1).
    Other(String),
    /// A payment was not made: refused, or never sent; no money reached the recipient (exit 7).
    NotPaid(String),
    /// A payment's fate is unknown or it is still pending (exit 8).
    PaymentUnknown(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// The exit code as a number (also in the `--json` error document).
    pub fn code(&self) -> u8 {
        match self {
            Failure::Other(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Authentication(_) => 3,
            Failure::Service(_) => 4,
            Failure::Network(_) => 5,
            Failure::Decode(_) => 6,
            Failure::NotPaid(_) => 7,
            Failure::PaymentUnknown(_) => 8,
            Failure::Partial(_) => 9,
        }
    }

    /// The `kind` of the `--json` error document (`docs/cli.md`).
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Other(_) => "local",
            Failure::Usage(_) => "usage",
            Failure::Authentication(_) => "authentication",
            Failure::Service(_) => "refused",
            Failure::Network(_) => "network",
            Failure::Decode(_) => "undecodable",
            Failure::NotPaid(_) => "not_paid",
            Failure::PaymentUnknown(_) => "payment_unknown",
            Failure::Partial(_) => "partial",
        }
    }

    /// Prefixes the message with what was being done.
    pub fn context(self, what: &str) -> Self {
        self.map(|m| format!("{what}: {m}"))
    }

    /// The same kind of failure, told by `message`.
    pub fn with_message(self, message: String) -> Self {
        self.map(|_| message)
    }

    fn map(self, wrap: impl FnOnce(String) -> String) -> Self {
        match self {
            Failure::Usage(m) => Failure::Usage(wrap(m)),
            Failure::Authentication(m) => Failure::Authentication(wrap(m)),
            Failure::Service(m) => Failure::Service(wrap(m)),
            Failure::Network(m) => Failure::Network(wrap(m)),
            Failure::Decode(m) => Failure::Decode(wrap(m)),
            Failure::Partial(m) => Failure::Partial(wrap(m)),
            Failure::Other(m) => Failure::Other(wrap(m)),
            Failure::NotPaid(m) => Failure::NotPaid(wrap(m)),
            Failure::PaymentUnknown(m) => Failure::PaymentUnknown(wrap(m)),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (Failure::Usage(m)
        | Failure::Authentication(m)
        | Failure::Service(m)
        | Failure::Network(m)
        | Failure::Decode(m)
        | Failure::Partial(m)
        | Failure::Other(m)
        | Failure::NotPaid(m)
        | Failure::PaymentUnknown(m)) = self;
        // One line, whatever the service put in its message, and no control character that
        // could rewrite what the terminal shows.
        f.write_str(&printable(&m.replace(['\n', '\r'], " ")))
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.to_string())
    }
}

/// The one table from an error of any client to what the user can do about it.
impl<D: Detail> From<Error<D>> for Failure {
    fn from(e: Error<D>) -> Self {
        let m = e.to_string();
        match e {
            Error::NotSent(_) => Failure::Usage(m),
            Error::Transport(_) => Failure::Network(m),
            Error::Decode(_) => Failure::Decode(m),
            _ if e.kind() == Some(RefusalKind::Authentication) => Failure::Authentication(m),
            _ => Failure::Service(m),
        }
    }
}

impl From<qiwi_agent::InvalidValue> for Failure {
    fn from(e: qiwi_agent::InvalidValue) -> Self {
        Failure::Usage(e.to_string())
    }
}
