//! The command-line arguments of `qiwi wallet cards` (QIWI Master virtual cards).

use clap::{Args, Subcommand, ValueEnum};

/// `qiwi wallet cards`: the list when no command is given.
#[derive(Debug, Args)]
pub struct CardsArgs {
    #[command(subcommand)]
    pub command: Option<CardsCommand>,
}

/// `qiwi wallet cards ...`.
#[derive(Debug, Subcommand)]
pub enum CardsCommand {
    /// The wallet's cards with their status, balance and tariff (the default).
    List,
    /// Orders a card and submits the order: issued at once while free (5 cards), otherwise
    /// the order waits for its payment (printed with its price).
    Order {
        /// The kind of card.
        #[arg(value_enum)]
        kind: CardKindArg,
    },
    /// Blocks a card (it can be unblocked for 90 days).
    Block {
        /// The card's id (`id` in the list).
        id: String,
    },
    /// Unblocks a card blocked within the last 90 days.
    Unblock {
        /// The card's id (`id` in the list).
        id: String,
    },
    /// The card's number and CVV: in clear only on a terminal, masked otherwise (and with
    /// --json).
    Details {
        /// The card's id (`id` in the list).
        id: String,
    },
    /// Renames a card (the name shown in the list).
    Rename {
        /// The card's id (`id` in the list).
        id: String,
        /// The new name, 1 to 64 characters.
        name: String,
    },
    /// Writes a card's statement (PDF) for a window of at most 90 days to a file.
    Statement {
        /// The card's id (`id` in the list).
        id: String,
        /// Start of the window, with its offset (e.g. 2024-01-01T00:00:00+03:00).
        #[arg(long)]
        from: String,
        /// End of the window, in the same offset, at most 90 days after --from.
        #[arg(long)]
        to: String,
        /// The file to write; an existing file is kept (exit 2) unless --force is given.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Replace the --out file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// The kind of card to order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardKindArg {
    /// The prepaid virtual card (`qvc-cpa`).
    #[value(alias = "qvc-cpa")]
    Prepaid,
    /// The debit virtual card (`qvc-cpa-debit`).
    #[value(alias = "qvc-cpa-debit")]
    Debit,
}
