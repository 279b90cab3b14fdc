//! `widgetry serve` and `widgetry admin` in a client-only build (`--no-default-features`):
//! say what is missing and how to get it, instead of clap's "unrecognized subcommand".

use anyhow::Result;
use std::process::ExitCode;

// Whatever follows the command: ignored (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    rest: Vec<String>,
}

/// Explains that this build has no server; exit code 2 (usage).
pub fn run(command: &str) -> Result<ExitCode> {
    crate::shell::error(format!(
        "`widgetry {command}` is not in this build: it was built without the server \
         (--no-default-features), for checking, packing and publishing widgets only.\n\
         To run a server, install widgetry with its default features \
         (cargo install --path crates/cli)."
    ));
    Ok(ExitCode::from(2))
}
