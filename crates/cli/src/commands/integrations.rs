//! `widgetry integrations create|list`: the integrations of the logged-in account.

use crate::client;
use crate::pairs;
use anyhow::Result;
use serde_json::{Value, json};
use std::process::ExitCode;

// Arguments of `widgetry integrations` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    server: client::ServerArg,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create an integration; prints its id and, once, its secret key.
    Create {
        /// The name, as `text` (English) or `lang=text`; repeat for each language.
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        /// The description, as `text` (English) or `lang=text`; repeat for each language.
        #[arg(long = "description")]
        descriptions: Vec<String>,
        /// Where the CRM redirects after authorisation (an https URL).
        #[arg(long)]
        redirect_uri: String,
        /// Print the created integration as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Replace an integration's secret key; prints the new key, once.
    RotateSecret {
        /// The integration's id.
        id: i64,
    },
    /// List the account's integrations.
    List {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `en=Text` or `Text` pairs into a localized map.
fn localized(values: &[String]) -> Value {
    Value::Object(pairs::localized_map(values))
}

/// Runs `widgetry integrations`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    client::runtime()?.block_on(async {
        match args.command {
            Command::Create { names, descriptions, redirect_uri, json } => {
                let body = json!({
                    "name": localized(&names),
                    "description": localized(&descriptions),
                    "redirect_uri": redirect_uri,
                });
                let created: Value = client.post("/api/v1/integrations", &body).await?;
                if json {
                    crate::say!("{}", serde_json::to_string_pretty(&created)?);
                } else {
                    let id = created.pointer("/integration/id").or_else(|| created.get("id")).cloned().unwrap_or(Value::Null);
                    crate::say!("created integration {id}");
                    if let Some(uuid) = created.pointer("/integration/client_uuid").or_else(|| created.get("client_uuid")) {
                        crate::say!("  client uuid: {}", uuid.as_str().unwrap_or_default());
                    }
                    if let Some(secret) = created.get("secret_key").and_then(Value::as_str) {
                        crate::say!("  secret key:  {secret}");
                        crate::shell::note("the secret key is shown only this once; store it now");
                    }
                    crate::say!("next: widgetry push my-widget --integration {id}");
                }
            }
            Command::RotateSecret { id } => {
                let answer: Value = client
                    .post(&format!("/api/v1/integrations/{id}/secret"), &json!({}))
                    .await?;
                let secret = answer.get("secret_key").and_then(Value::as_str).unwrap_or_default();
                crate::say!("new secret key of integration {id}: {secret}");
                crate::shell::note("the key is shown only this once; the old key no longer works");
            }
            Command::List { json } => {
                let list: Value = client.get("/api/v1/integrations").await?;
                if json {
                    crate::say!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    let items = list.get("integrations").and_then(Value::as_array).cloned().unwrap_or_default();
                    if items.is_empty() {
                        crate::say!("no integrations yet: widgetry integrations create --name ... --redirect-uri ...");
                    }
                    crate::say!("{:>6}  {:<28}  {:<24}  {:<8}  {:<8}", "id", "name", "code", "scheme", "visibility");
                    for i in items {
                        let name = i.pointer("/name/en").or_else(|| i.get("name").and_then(|n| n.as_object()).and_then(|m| m.values().next())).and_then(Value::as_str).unwrap_or("");
                        crate::say!(
                            "{:>6}  {:<28}  {:<24}  {:<8}  {:<8}",
                            i.get("id").map(Value::to_string).unwrap_or_default(),
                            name,
                            i.get("code").and_then(Value::as_str).unwrap_or("-"),
                            i.get("scheme").and_then(Value::as_str).unwrap_or(""),
                            i.get("visibility").and_then(Value::as_str).unwrap_or(""),
                        );
                    }
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
