//! Writes the `qiwi` man pages (`qiwi.1` and one per subcommand) into the folder given as the
//! first argument: `cargo xtask man` runs it with `target/man`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(folder) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: man <folder>");
        return ExitCode::from(2);
    };
    let written = std::fs::create_dir_all(&folder)
        .and_then(|()| clap_mangen::generate_to(qiwi_cli::cli::command(), &folder));
    match written {
        Ok(()) => {
            eprintln!("man pages written to {}", folder.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("could not write the man pages to {}: {e}", folder.display());
            ExitCode::FAILURE
        }
    }
}
