//! `widgetry status --integration ID [--wait]`: the integration (code, visibility, published
//! version), its versions with their states, and the latest submission with its state and,
//! when rejected, the moderators' reasons.
//!
//! `--wait` follows the integration's server-sent events until the latest submission is
//! decided (at once when it already is), reconnecting with `Last-Event-ID` when the
//! connection drops. Exit status: 0 approved, 1 rejected (the reasons are printed), 2
//! withdrawn, timed out, nothing submitted, or an error.

use crate::api::{self, Integration, Submission, Version};
use crate::client::{self, Client, Problem};
use crate::sse;
use anyhow::{Result, bail};
use futures_util::StreamExt;
use std::process::ExitCode;
use std::time::Duration;
use tokio::time::Instant;

// Arguments of `widgetry status` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The integration.
    #[arg(long, env = "WIDGETRY_INTEGRATION")]
    pub integration: u64,
    /// Wait until the latest submission is decided.
    #[arg(long)]
    pub wait: bool,
    /// With `--wait`: give up after this many seconds (exit 2) [default: wait as long as it
    /// takes].
    #[arg(long, value_name = "SECS", requires = "wait")]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub server: client::ServerArg,
}

/// How long a connection may stay silent before it is taken for dead and reopened.
const IDLE: Duration = Duration::from_secs(60);
/// Reconnections in a row that get no answer before `--wait` gives up.
const MAX_FAILURES: u32 = 10;
/// The longest pause between reconnections.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Runs `widgetry status`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    client::runtime()?.block_on(status(&client, &args))
}

async fn status(client: &Client, args: &Args) -> Result<ExitCode> {
    let id = args.integration;
    let deadline = args
        .timeout
        .map(|secs| Instant::now() + Duration::from_secs(secs));
    let integration = api::integration(client, id).await?;
    let versions = api::versions(client, id).await?;
    let submissions = api::submissions(client, id).await?;
    crate::shell::print(render(&integration, &versions, submissions.first()));
    if !args.wait {
        return Ok(ExitCode::SUCCESS);
    }
    let Some(latest) = submissions.first() else {
        crate::shell::error(format!(
            "nothing to wait for: integration {id} has no submission"
        ));
        return Ok(ExitCode::from(2));
    };
    if latest.state != "in_review" {
        return Ok(outcome(latest, false));
    }
    crate::shell::progress(format!(
        "waiting for the moderators' decision on submission {}{} ...",
        latest.id,
        args.timeout
            .map(|s| format!(" (at most {s} s)"))
            .unwrap_or_default()
    ));
    match follow(client, id, latest.id, deadline).await? {
        Some(decided) => Ok(outcome(&decided, true)),
        None => {
            crate::shell::error(format!(
                "no decision on submission {} within {} s",
                latest.id,
                args.timeout.unwrap_or_default()
            ));
            Ok(ExitCode::from(2))
        }
    }
}

/// The status report.
fn render(integration: &Integration, versions: &[Version], latest: Option<&Submission>) -> String {
    let mut out = String::new();
    let published = versions.iter().find(|v| v.state == "published");
    out.push_str(&format!(
        "integration {} `{}` ({}): {}, {}\n",
        integration.id,
        integration.code.as_deref().unwrap_or("no code yet"),
        api::display_name(integration),
        integration.visibility,
        match published {
            Some(v) => format!(
                "published version {} (widget.version {})",
                v.number, v.widget_version
            ),
            None => "nothing published".to_string(),
        }
    ));
    if versions.is_empty() {
        out.push_str(&format!(
            "no versions yet: widgetry push my-widget --integration {}\n",
            integration.id
        ));
    } else {
        out.push_str("versions:\n");
        for v in versions {
            out.push_str(&format!(
                "  {:>4}  {:<14}  {:<11}  uploaded {}\n",
                v.number,
                v.widget_version,
                v.state,
                api::utc(v.created_at)
            ));
        }
    }
    match latest {
        None => out.push_str(&format!(
            "no submission yet: widgetry submit --integration {} ...\n",
            integration.id
        )),
        Some(s) => {
            out.push_str(&format!("latest {}\n", api::submission_line(s)));
            out.push_str(&api::reasons(s.decision.as_ref()));
            if let Some(note) = s.decision.as_ref().and_then(|d| d.note.as_deref())
                && !note.is_empty()
            {
                out.push_str(&format!("  note: {note}\n"));
            }
        }
    }
    out
}

/// Prints what was decided; the exit status for it.
fn outcome(s: &Submission, with_reasons: bool) -> ExitCode {
    let version = format!(
        "version {} (widget.version {})",
        s.version.number, s.version.widget_version
    );
    match s.state.as_str() {
        "approved" => {
            crate::say!("approved: {version} is published");
            ExitCode::SUCCESS
        }
        "rejected" => {
            crate::say!("rejected: {version}");
            if with_reasons {
                crate::shell::print(api::reasons(s.decision.as_ref()));
            }
            crate::say!("next: fix the reasons above, push a new version and submit it");
            ExitCode::from(1)
        }
        state => {
            crate::say!("{state}: submission {} of {version}", s.id);
            ExitCode::from(2)
        }
    }
}

/// Waits until `until` (if any); `None` when it passed first.
async fn before<F: std::future::Future>(until: Option<Instant>, f: F) -> Option<F::Output> {
    match until {
        Some(until) => tokio::time::timeout_at(until, f).await.ok(),
        None => Some(f.await),
    }
}

/// Follows the event stream until submission `sid` is decided: the decided submission, or
/// `None` at the deadline. The first connection takes the events from now on (the state is
/// read once connected, so nothing decided before is missed); a reconnection resumes after
/// the last event id received.
async fn follow(
    client: &Client,
    id: u64,
    sid: i64,
    deadline: Option<Instant>,
) -> Result<Option<Submission>> {
    let mut parser = sse::Parser::default();
    let mut failures = 0u32;
    loop {
        let request = client
            .request(
                reqwest::Method::GET,
                &format!("/api/v1/integrations/{id}/events"),
            )
            .header(reqwest::header::ACCEPT, "text/event-stream");
        let request = match parser.last_id() {
            Some(last_id) => request.header("Last-Event-ID", last_id),
            None => request,
        };
        let Some(sent) = before(deadline, request.send()).await else {
            return Ok(None);
        };
        let response = match sent {
            Ok(response) => match client::check(response).await {
                Ok(response) => Some(response),
                Err(e) => match e.downcast::<Problem>() {
                    Ok(p) if p.status >= 500 || p.status == 429 => None,
                    Ok(p) => return Err(p.into()),
                    Err(e) => return Err(e),
                },
            },
            Err(_) => None,
        };
        if let Some(response) = response {
            // Connected: from here on every change arrives as an event; look at the state once
            // for what happened before.
            let s = api::submission(client, id, sid).await?;
            if s.state != "in_review" {
                return Ok(Some(s));
            }
            let mut lines = sse::Lines::default();
            let mut body = response.bytes_stream();
            loop {
                let Some(next) = before(deadline, tokio::time::timeout(IDLE, body.next())).await
                else {
                    return Ok(None);
                };
                let chunk = match next {
                    Ok(Some(Ok(chunk))) => chunk,
                    _ => break, // silent too long, failed, or closed: reconnect
                };
                failures = 0;
                for line in lines.push(&chunk) {
                    let Some(event) = parser.line(&line) else {
                        continue;
                    };
                    progress(&event);
                    if event.kind.starts_with("submission.") {
                        let s = api::submission(client, id, sid).await?;
                        if s.state != "in_review" {
                            return Ok(Some(s));
                        }
                    }
                }
            }
            parser.reset();
        }
        failures += 1;
        if failures > MAX_FAILURES {
            bail!("lost the connection to the server's event stream {MAX_FAILURES} times in a row");
        }
        let first = parser
            .retry_ms()
            .map_or(Duration::from_secs(1), Duration::from_millis);
        let pause = first
            .saturating_mul(1 << failures.min(5).saturating_sub(1))
            .min(MAX_BACKOFF);
        if before(deadline, tokio::time::sleep(pause)).await.is_none() {
            return Ok(None);
        }
    }
}

/// One line on standard error for an event: `  2025-06-01 12:30 UTC  submission.created (uploaded -> in_review)`.
fn progress(event: &sse::Event) {
    let (when, states) = match serde_json::from_str::<api::Event>(&event.data) {
        Ok(e) => (
            format!("{}  ", api::utc(e.at)),
            match (e.from_state, e.to_state) {
                (Some(from), Some(to)) => format!(" ({from} -> {to})"),
                (None, Some(to)) => format!(" (-> {to})"),
                _ => String::new(),
            },
        ),
        Err(_) => (String::new(), String::new()),
    };
    crate::shell::progress(format!("  {when}{}{states}", event.kind));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sample;
    use serde_json::json;

    #[test]
    fn the_report() {
        let integration = sample::integration(json!({"visibility": "public"}));
        let versions = vec![
            sample::version(3, "1.0.2", "rejected"),
            sample::version(2, "1.0.1", "published"),
        ];
        let mut decision = sample::rejection(&[("script.debugger", "remove `debugger`")]);
        decision["note"] = "see the reasons".into();
        let latest = sample::submission(json!({"state": "rejected", "decision": decision}));
        let out = render(&integration, &versions, Some(&latest));
        assert!(
            out.starts_with("integration 5 `deal_notes_ab12cd` (Deal Notes): public, published version 2 (widget.version 1.0.1)\nversions:\n     3  1.0.2           rejected     uploaded 1970-01-01 00:00 UTC\n"),
            "{out}"
        );
        assert!(
            out.contains("latest submission 7: version 3 (1.0.2), rejected at 1970-01-01 00:00 UTC\n  - script.debugger: remove `debugger`\n  note: see the reasons\n"),
            "{out}"
        );
        let out = render(&sample::integration(json!({"code": null})), &[], None);
        assert!(out.contains("`no code yet`") && out.contains("nothing published"));
        assert!(out.contains("no versions yet: widgetry push my-widget --integration 5"));
        assert!(out.contains("no submission yet: widgetry submit --integration 5"));
    }

    #[test]
    fn exit_status_by_decision() {
        let code = |state: &str| outcome(&sample::submission(json!({ "state": state })), true);
        assert_eq!(code("approved"), ExitCode::SUCCESS);
        assert_eq!(code("rejected"), ExitCode::from(1));
        assert_eq!(code("withdrawn"), ExitCode::from(2));
    }
}
