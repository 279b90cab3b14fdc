//! `widgetry lint` (being written).

use std::process::ExitCode;

/// Arguments of `widgetry lint`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `widgetry lint`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`widgetry lint` is not implemented yet")
}
