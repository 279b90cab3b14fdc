//! `widgetry withdraw --integration ID [--submission SID]`: takes a submission (by default
//! the one in review) out of moderation; its version can be submitted again later.

use crate::api::{self, Submission};
use crate::client::{self, Client};
use anyhow::{Result, bail};
use serde_json::json;
use std::process::ExitCode;

// Arguments of `widgetry withdraw` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The integration.
    #[arg(long, env = "WIDGETRY_INTEGRATION")]
    pub integration: u64,
    /// The submission [default: the one in review].
    #[arg(long, value_name = "SID")]
    pub submission: Option<u64>,
    #[command(flatten)]
    pub server: client::ServerArg,
}

/// Runs `widgetry withdraw`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    client::runtime()?.block_on(withdraw(&client, &args))
}

async fn withdraw(client: &Client, args: &Args) -> Result<ExitCode> {
    let id = args.integration;
    let sid = match args.submission {
        Some(sid) => sid,
        None => open_submission(&api::submissions(client, id).await?, id)?,
    };
    let answer: Result<Submission> = client
        .post(
            &format!("/api/v1/integrations/{id}/submissions/{sid}/withdraw"),
            &json!({}),
        )
        .await;
    match answer {
        Ok(s) => {
            crate::say!(
                "withdrew submission {} of version {} (widget.version {})",
                s.id,
                s.version.number,
                s.version.widget_version
            );
            crate::say!(
                "next: widgetry submit --integration {id} --version {} ... to submit it again",
                s.version.number
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => client::refused(e, "the withdrawal"),
    }
}

/// The id of the submission in review.
fn open_submission(submissions: &[Submission], id: u64) -> Result<u64> {
    match submissions.iter().find(|s| s.state == "in_review") {
        Some(s) => Ok(u64::try_from(s.id)?),
        None => bail!("integration {id} has no submission in review"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_submission_by_default() {
        let list: Vec<Submission> = [(9, "rejected"), (8, "in_review"), (7, "approved")]
            .iter()
            .map(|(id, state)| {
                api::sample::submission(serde_json::json!({"id": id, "state": state}))
            })
            .collect();
        assert_eq!(open_submission(&list, 5).unwrap(), 8);
        let err = open_submission(&list[..1], 5).unwrap_err();
        assert_eq!(err.to_string(), "integration 5 has no submission in review");
    }
}
