//! `widgetry pack` (being written).

use std::process::ExitCode;

/// Arguments of `widgetry pack`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `widgetry pack`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`widgetry pack` is not implemented yet")
}
