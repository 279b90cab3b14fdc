//! `widgetry rollback --integration ID --to VERSION`: publishes an earlier approved version of
//! a public integration again, without a new review. VERSION is a sequence number or a
//! `widget.version`.

use crate::api::{self, VersionSpec};
use crate::client::{self, Client};
use anyhow::Result;
use serde_json::{Value, json};
use std::process::ExitCode;

// Arguments of `widgetry rollback` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The integration.
    #[arg(long, env = "WIDGETRY_INTEGRATION")]
    pub integration: u64,
    /// The version to publish again: its sequence number or its `widget.version`.
    #[arg(long, value_name = "VERSION")]
    pub to: VersionSpec,
    #[command(flatten)]
    pub server: client::ServerArg,
}

/// Runs `widgetry rollback`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    client::runtime()?.block_on(rollback(&client, &args))
}

async fn rollback(client: &Client, args: &Args) -> Result<ExitCode> {
    let id = args.integration;
    let versions = api::versions(client, id).await?;
    let number = args.to.resolve(&versions)?;
    let answer: Result<Value> = client
        .post(
            &format!("/api/v1/integrations/{id}/rollback"),
            &json!({ "version": number }),
        )
        .await;
    if let Err(e) = answer {
        return client::refused(e, "the rollback");
    }
    let widget_version = versions
        .iter()
        .find(|v| v.number == number)
        .map(|v| format!(" (widget.version {})", v.widget_version))
        .unwrap_or_default();
    crate::say!(
        "rolled back integration {id}: version {number}{widget_version} is published again"
    );
    Ok(ExitCode::SUCCESS)
}
