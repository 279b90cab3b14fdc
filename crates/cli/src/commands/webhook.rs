//! `widgetry webhook set|show|delete --integration ID`: the URL the server POSTs every status
//! change of the integration to, signed with HMAC-SHA256 (`X-Widgetry-Signature`). `set`
//! prints the signing secret, once; `show` lists the deliveries with every attempt.

use crate::api;
use crate::client::{self, Client};
use anyhow::Result;
use serde::Deserialize;
use serde_json::{Value, json};
use std::process::ExitCode;
use widgetry_api::webhooks::DeliveryView as Delivery;

// Arguments of `widgetry webhook` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// The integration.
    #[arg(long, global = true, env = "WIDGETRY_INTEGRATION")]
    integration: Option<u64>,
    #[command(flatten)]
    server: client::ServerArg,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Set (or replace) the webhook; prints its new secret, once.
    Set {
        /// Where to POST the events (https).
        #[arg(long)]
        url: String,
    },
    /// The webhook and its deliveries, with every attempt.
    Show {
        /// Print the server's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove the webhook.
    Delete,
}

/// Runs `widgetry webhook`.
pub fn run(args: Args) -> Result<ExitCode> {
    let Some(id) = args.integration else {
        anyhow::bail!("which integration? give --integration ID or set WIDGETRY_INTEGRATION");
    };
    let client = args.server.client()?;
    client::runtime()?.block_on(webhook(&client, id, args.command))
}

/// `GET|PUT /api/v1/integrations/{id}/webhook` answer.
#[derive(Debug, Deserialize)]
struct Webhook {
    url: String,
    /// Only in the answer to `PUT`.
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    deliveries: Vec<Delivery>,
}

async fn webhook(client: &Client, id: u64, command: Command) -> Result<ExitCode> {
    let path = format!("/api/v1/integrations/{id}/webhook");
    match command {
        Command::Set { url } => {
            let answer: Result<Webhook> = client.put(&path, &json!({ "url": url })).await;
            let answer = match answer {
                Ok(answer) => answer,
                Err(e) => return client::refused(e, "the webhook"),
            };
            crate::say!("webhook of integration {id}: {}", answer.url);
            crate::say!("  secret: {}", answer.secret.unwrap_or_default());
            crate::shell::note(
                "the secret is shown only this once; check `X-Widgetry-Signature: sha256=HMAC-SHA256(secret, \"<X-Widgetry-Timestamp>.<body>\")` with it",
            );
        }
        Command::Show { json } => {
            let answer: Value = client.get(&path).await?;
            if json {
                crate::say!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                crate::shell::print(render(id, &serde_json::from_value(answer)?));
            }
        }
        Command::Delete => {
            if let Err(e) = client.delete(&path).await {
                return client::refused(e, "the deletion");
            }
            crate::say!("deleted the webhook of integration {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render(id: u64, webhook: &Webhook) -> String {
    let mut out = format!("webhook of integration {id}: {}\n", webhook.url);
    if webhook.deliveries.is_empty() {
        out.push_str("no deliveries yet\n");
        return out;
    }
    out.push_str("deliveries:\n");
    for d in &webhook.deliveries {
        let attempts = match d.attempts {
            1 => "1 attempt".to_string(),
            n => format!("{n} attempts"),
        };
        let next = match d.next_attempt_at {
            Some(at) if d.state == "pending" => format!(", next at {}", api::utc(at)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {:>5}  {:<28}  {:<9}  {attempts}{next}\n",
            d.id, d.kind, d.state
        ));
        for a in &d.attempt_log {
            let outcome = match (a.status, &a.error) {
                (Some(status), Some(error)) => format!("HTTP {status}: {error}"),
                (Some(status), None) => format!("HTTP {status}"),
                (None, Some(error)) => error.clone(),
                (None, None) => "no answer".to_string(),
            };
            out.push_str(&format!(
                "         #{} {}  {outcome} ({} ms)\n",
                a.attempt,
                api::utc(a.at),
                a.duration_ms
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_with_attempts() {
        let webhook: Webhook = serde_json::from_value(json!({
            "url": "https://hooks.vendor.io/widgetry", "created_at": 0, "updated_at": 0,
            "deliveries": [
                {"id": 12, "event_id": 40, "kind": "submission.approved", "url": "https://hooks.vendor.io/widgetry",
                 "state": "delivered", "attempts": 2, "next_attempt_at": null, "last_status": 200,
                 "last_error": null, "created_at": 0, "delivered_at": 60000, "attempt_log": [
                    {"attempt": 1, "at": 0, "status": 500, "error": null, "duration_ms": 34},
                    {"attempt": 2, "at": 60000, "status": 200, "error": null, "duration_ms": 12}
                ]},
                {"id": 13, "event_id": 41, "kind": "version.published", "url": "https://hooks.vendor.io/widgetry",
                 "state": "pending", "attempts": 1, "next_attempt_at": 120000, "last_status": null,
                 "last_error": "connection refused", "created_at": 0, "delivered_at": null, "attempt_log": [
                    {"attempt": 1, "at": 0, "status": null, "error": "connection refused", "duration_ms": 3}
                ]}
            ]
        }))
        .unwrap();
        assert_eq!(
            render(5, &webhook),
            "webhook of integration 5: https://hooks.vendor.io/widgetry\n\
             deliveries:\n\
             \x20    12  submission.approved           delivered  2 attempts\n\
             \x20        #1 1970-01-01 00:00 UTC  HTTP 500 (34 ms)\n\
             \x20        #2 1970-01-01 00:01 UTC  HTTP 200 (12 ms)\n\
             \x20    13  version.published             pending    1 attempt, next at 1970-01-01 00:02 UTC\n\
             \x20        #1 1970-01-01 00:00 UTC  connection refused (3 ms)\n"
        );
        let none: Webhook = serde_json::from_value(json!({"url": "https://x.io/h"})).unwrap();
        assert_eq!(
            render(5, &none),
            "webhook of integration 5: https://x.io/h\nno deliveries yet\n"
        );
    }
}
