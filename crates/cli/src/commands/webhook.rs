//! `widgetry webhook set|show|delete --integration ID`: the URL the server POSTs every status
//! change of the integration to, signed with HMAC-SHA256 (`X-Widgetry-Signature`). `set`
//! prints the signing secret, once; `show` lists the deliveries with every attempt.

use crate::api;
use crate::client::{self, Client};
use anyhow::Result;
use serde_json::{Value, json};
use std::process::ExitCode;

/// Arguments of `widgetry webhook`.
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

async fn webhook(client: &Client, id: u64, command: Command) -> Result<ExitCode> {
    let path = format!("/api/v1/integrations/{id}/webhook");
    match command {
        Command::Set { url } => {
            let answer: Result<Value> = client.put(&path, &json!({ "url": url })).await;
            let answer = match answer {
                Ok(answer) => answer,
                Err(e) => return client::refused(e, "the webhook"),
            };
            println!(
                "webhook of integration {id}: {}",
                text(answer.get("url")).unwrap_or(url)
            );
            println!(
                "  secret: {}",
                text(answer.get("secret")).unwrap_or_default()
            );
            eprintln!(
                "note: the secret is shown only this once; check `X-Widgetry-Signature: sha256=HMAC-SHA256(secret, \"<X-Widgetry-Timestamp>.<body>\")` with it"
            );
        }
        Command::Show { json } => {
            let answer: Value = client.get(&path).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                print!("{}", render(id, &answer));
            }
        }
        Command::Delete => {
            if let Err(e) = client.delete(&path).await {
                return client::refused(e, "the deletion");
            }
            println!("deleted the webhook of integration {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A JSON string or number as text.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The first of `keys` that `v` has, as text.
fn first(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| text(v.get(*k)))
}

fn render(id: u64, answer: &Value) -> String {
    let mut out = format!(
        "webhook of integration {id}: {}\n",
        first(answer, &["url"]).unwrap_or_else(|| "none".to_string())
    );
    let deliveries = answer
        .get("deliveries")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if deliveries.is_empty() {
        out.push_str("no deliveries yet\n");
        return out;
    }
    out.push_str("deliveries:\n");
    for d in deliveries {
        let kind = first(d, &["kind", "event_kind", "event"])
            .or_else(|| d.pointer("/payload/kind").and_then(|k| text(Some(k))))
            .unwrap_or_default();
        let attempts = d.get("attempts").and_then(Value::as_array);
        let count = attempts
            .map(Vec::len)
            .or_else(|| {
                d.get("attempts")
                    .and_then(Value::as_u64)
                    .map(|n| n as usize)
            })
            .unwrap_or(0);
        out.push_str(&format!(
            "  {:>5}  {:<28}  {:<9}  {}\n",
            first(d, &["id"]).unwrap_or_default(),
            kind,
            first(d, &["state"]).unwrap_or_default(),
            match count {
                1 => "1 attempt".to_string(),
                n => format!("{n} attempts"),
            }
        ));
        for a in attempts.map(Vec::as_slice).unwrap_or_default() {
            let at = a.get("at").and_then(Value::as_i64).map(api::utc);
            let outcome = match (first(a, &["status"]), first(a, &["error"])) {
                (Some(status), Some(error)) => format!("HTTP {status}: {error}"),
                (Some(status), None) => format!("HTTP {status}"),
                (None, Some(error)) => error,
                (None, None) => "no answer".to_string(),
            };
            let took = first(a, &["duration_ms"])
                .map(|ms| format!(" ({ms} ms)"))
                .unwrap_or_default();
            out.push_str(&format!(
                "         #{} {}  {outcome}{took}\n",
                first(a, &["attempt"]).unwrap_or_default(),
                at.unwrap_or_default()
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
        let answer = json!({
            "url": "https://hooks.vendor.io/widgetry",
            "deliveries": [
                {"id": 12, "kind": "submission.approved", "state": "delivered", "attempts": [
                    {"attempt": 1, "at": 0, "status": 500, "error": null, "duration_ms": 34},
                    {"attempt": 2, "at": 60000, "status": 200, "duration_ms": 12}
                ]},
                {"id": 13, "payload": {"kind": "version.published"}, "state": "pending", "attempts": 0},
                {"id": 14, "state": "failed", "attempts": [{"attempt": 1, "error": "connection refused"}]}
            ]
        });
        let out = render(5, &answer);
        assert_eq!(
            out,
            "webhook of integration 5: https://hooks.vendor.io/widgetry\n\
             deliveries:\n\
             \x20    12  submission.approved           delivered  2 attempts\n\
             \x20        #1 1970-01-01 00:00 UTC  HTTP 500 (34 ms)\n\
             \x20        #2 1970-01-01 00:01 UTC  HTTP 200 (12 ms)\n\
             \x20    13  version.published             pending    0 attempts\n\
             \x20    14                                failed     1 attempt\n\
             \x20        #1   connection refused\n"
        );
        assert_eq!(
            render(5, &json!({"url": null})),
            "webhook of integration 5: none\nno deliveries yet\n"
        );
    }
}
