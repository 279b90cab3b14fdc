//! `widgetry init` (being written).

use std::process::ExitCode;

/// Arguments of `widgetry init`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `widgetry init`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`widgetry init` is not implemented yet")
}
