//! `widgetry rules` (being written).

use std::process::ExitCode;

/// Arguments of `widgetry rules`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `widgetry rules`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`widgetry rules` is not implemented yet")
}
