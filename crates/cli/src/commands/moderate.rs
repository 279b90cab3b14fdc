//! `widgetry moderate queue|show|approve|reject|reasons`: the moderators' side. `queue` lists
//! the submissions in review, oldest first; `show` prints one with its automated report, every
//! field (test credentials included: moderators may see them) and the diff against the
//! published version; `approve` publishes it; `reject` sends it back with reasons, each a
//! rule or reason code and a text. Needs a token with the `moderate` scope (`widgetry login`
//! asks for it when the user is a moderator).

use crate::api::{self, Submission};
use crate::client::{self, Client};
use crate::commands::lint;
use crate::pairs;
use crate::render::severity_word;
use anyhow::Result;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::process::ExitCode;
use widgetry_validator::Lang;

// Arguments of `widgetry moderate` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    server: client::ServerArg,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The submissions in review, oldest first.
    Queue {
        /// Print the queue as JSON.
        #[arg(long)]
        json: bool,
    },
    /// A submission: its report, fields, test credentials and the diff.
    Show {
        /// The submission's id.
        sid: u64,
        /// Also print the unified diff of every changed text file.
        #[arg(long)]
        diff: bool,
        /// Print the server's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve and publish a submission.
    Approve {
        /// The submission's id.
        sid: u64,
        /// A note for the integrator.
        #[arg(long)]
        note: Option<String>,
        /// The published version you reviewed against: refused if another was published
        /// meanwhile.
        #[arg(long, value_name = "N")]
        base_version: Option<i64>,
    },
    /// Reject a submission with reasons.
    Reject {
        /// The submission's id.
        sid: u64,
        /// A reason, as `CODE=TEXT` (a rule code or one of `widgetry moderate reasons`);
        /// repeat for each.
        #[arg(long = "reason", value_name = "CODE=TEXT", required = true, value_parser = pairs::key_text)]
        reasons: Vec<(String, String)>,
    },
    /// The moderators' reason codes (rule codes are accepted too).
    Reasons,
}

/// `GET /api/v1/moderation/submissions/{sid}` (the parts shown).
#[derive(Debug, Deserialize)]
struct Review {
    submission: Submission,
    integration: api::Integration,
    base_version: Option<api::Version>,
    diff: Vec<FileChange>,
}

/// One file added, removed or changed since the published version.
#[derive(Debug, Deserialize)]
struct FileChange {
    path: String,
    change: String,
    #[serde(default)]
    text_diff: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ReasonCode {
    code: String,
    title_en: String,
    title_ru: String,
}

#[derive(Debug, Deserialize)]
struct ReasonList {
    reasons: Vec<ReasonCode>,
}

/// Runs `widgetry moderate`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    client::runtime()?.block_on(moderate(&client, args.command))
}

async fn moderate(client: &Client, command: Command) -> Result<ExitCode> {
    match command {
        Command::Queue { json } => {
            let queue: Value = client.get("/api/v1/moderation/queue").await?;
            if json {
                crate::say!("{}", serde_json::to_string_pretty(&queue)?);
            } else {
                let list: api::SubmissionList = serde_json::from_value(queue)?;
                crate::shell::print(render_queue(&list.submissions));
            }
        }
        Command::Show { sid, diff, json } => {
            let detail: Value = client
                .get(&format!("/api/v1/moderation/submissions/{sid}"))
                .await?;
            if json {
                crate::say!("{}", serde_json::to_string_pretty(&detail)?);
            } else {
                let lang = lint::resolve_lang(None);
                crate::shell::print(render_review(&serde_json::from_value(detail)?, diff, lang));
            }
        }
        Command::Approve {
            sid,
            note,
            base_version,
        } => {
            let mut body = Map::new();
            if let Some(note) = note {
                body.insert("note".into(), note.into());
            }
            if let Some(base) = base_version {
                body.insert("base_version".into(), base.into());
            }
            let answer: Result<Submission> = client
                .post(
                    &format!("/api/v1/moderation/submissions/{sid}/approve"),
                    &body,
                )
                .await;
            match answer {
                Ok(s) => crate::say!(
                    "approved submission {sid}: version {} (widget.version {}) of `{}` is published",
                    s.version.number,
                    s.version.widget_version,
                    s.code
                ),
                Err(e) => return client::refused(e, "the approval"),
            }
        }
        Command::Reject { sid, reasons } => {
            let body = reject_body(&reasons);
            let answer: Result<Submission> = client
                .post(
                    &format!("/api/v1/moderation/submissions/{sid}/reject"),
                    &body,
                )
                .await;
            match answer {
                Ok(s) => {
                    crate::say!(
                        "rejected submission {sid} (version {} of `{}`):",
                        s.version.number,
                        s.code
                    );
                    crate::shell::print(api::reasons(s.decision.as_ref()));
                }
                Err(e) => return client::refused(e, "the rejection"),
            }
        }
        Command::Reasons => {
            let list: ReasonList = client.get("/api/v1/moderation/reasons").await?;
            let lang = lint::resolve_lang(None);
            for r in list.reasons {
                let title = match lang {
                    Lang::Ru if !r.title_ru.is_empty() => &r.title_ru,
                    _ => &r.title_en,
                };
                crate::say!("{:<36}  {title}", r.code);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn reject_body(reasons: &[(String, String)]) -> Value {
    let reasons: Vec<Value> = reasons
        .iter()
        .map(|(code, text)| json!({"code": code, "text": text}))
        .collect();
    json!({ "reasons": reasons })
}

fn render_queue(items: &[Submission]) -> String {
    if items.is_empty() {
        return "the queue is empty\n".to_string();
    }
    let mut out = format!(
        "{:>6}  {:>11}  {:<28}  {:<18}  {:<10}  submitted\n",
        "sid", "integration", "code", "version", "languages"
    );
    for s in items {
        out.push_str(&format!(
            "{:>6}  {:>11}  {:<28}  {:<18}  {:<10}  {}\n",
            s.id,
            s.integration_id,
            s.code,
            format!("{} ({})", s.version.number, s.version.widget_version),
            s.languages.join(","),
            api::utc(s.created_at)
        ));
    }
    out
}

/// `  [en] text`, with the text's further lines indented.
fn texts(out: &mut String, title: &str, texts: &BTreeMap<String, String>) {
    out.push_str(&format!("{title}:\n"));
    for (lang, text) in texts {
        out.push_str(&format!("  [{lang}] {}\n", text.replace('\n', "\n       ")));
    }
}

fn render_review(review: &Review, with_diff: bool, lang: Lang) -> String {
    let s = &review.submission;
    let mut out = format!(
        "submission {} of integration {} `{}` ({}): version {} (widget.version {}), {}\n",
        s.id,
        s.integration_id,
        s.code,
        api::display_name(&review.integration),
        s.version.number,
        s.version.widget_version,
        api::state_since(s),
    );
    let report = &s.report;
    out.push_str(&format!(
        "report: {} errors, {} warnings (profile `{}`)\n",
        report.errors,
        report.warnings,
        report.profile.as_str()
    ));
    for d in &report.diagnostics {
        let at = match (&d.file, d.line, &d.pointer) {
            (Some(f), Some(l), _) => format!(" {f}:{l}"),
            (Some(f), None, _) => format!(" {f}"),
            (None, _, Some(pointer)) => format!(" submission {pointer}"),
            (None, _, None) => String::new(),
        };
        out.push_str(&format!(
            "  {}[{}]{at}: {}\n",
            severity_word(d.severity, lang),
            d.code,
            d.message
        ));
    }
    out.push_str(&format!("languages: {}\n", s.languages.join(", ")));
    texts(&mut out, "description", &s.description);
    texts(&mut out, "instructions", &s.instructions);
    match &s.test_credentials {
        Some(creds) if !creds.is_empty() => {
            out.push_str(&format!(
                "test credentials:\n  {}\n",
                creds.replace('\n', "\n  ")
            ));
        }
        _ => out.push_str("test credentials: none\n"),
    }
    out.push_str(&format!(
        "support: {}, {}\n",
        s.support_phone, s.support_email
    ));
    for (field, texts) in [
        ("name", &s.changes.name),
        ("description", &s.changes.description),
    ] {
        for (l, text) in texts {
            out.push_str(&format!("change: {field} [{l}] -> {text}\n"));
        }
    }
    let count = |kind: &str| review.diff.iter().filter(|f| f.change == kind).count();
    match &review.base_version {
        Some(base) => out.push_str(&format!(
            "diff against the published version {} (widget.version {}): {} added, {} removed, {} changed\n",
            base.number,
            base.widget_version,
            count("added"),
            count("removed"),
            count("changed"),
        )),
        None => out.push_str(&format!(
            "nothing published yet: {} files, all new\n",
            review.diff.len()
        )),
    }
    if review.base_version.is_some() {
        for f in &review.diff {
            out.push_str(&format!("  {:<8} {}\n", f.change, f.path));
        }
    }
    if with_diff {
        for f in &review.diff {
            if let Some(diff) = &f.text_diff {
                out.push_str(diff);
                if !diff.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&format!(
        "next: widgetry moderate approve {id} | widgetry moderate reject {id} --reason CODE=TEXT\n",
        id = s.id
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_into_the_body() {
        let body = reject_body(&[
            ("script.debugger".into(), "remove `debugger`".into()),
            (
                "moderation.unclear_instructions".into(),
                "say where the key is".into(),
            ),
        ]);
        assert_eq!(
            body,
            json!({"reasons": [
                {"code": "script.debugger", "text": "remove `debugger`"},
                {"code": "moderation.unclear_instructions", "text": "say where the key is"},
            ]})
        );
    }

    #[test]
    fn the_review() {
        let submission = api::sample::submission(json!({
            "integration_id": 3, "languages": ["en", "ru"],
            "description": {"en": "Notes. +1 555 0100, a@b.io", "ru": "Заметки.\nВторая строка"},
            "test_credentials": "login: demo\npassword: pw", "has_test_credentials": true,
            "changes": {"name": {"en": "Deal Notes 2"}, "description": {}},
            "report": {"validator": {"version": "1", "rules_hash": "x"}, "profile": "publication",
                       "valid": true, "errors": 0, "warnings": 2,
                       "diagnostics": [
                           {"code": "script.console_log", "severity": "warning", "message": "console.log",
                            "file": "script.js", "pointer": null, "line": 4, "column": 2, "hint": ""},
                           {"code": "submission.no_test_credentials", "severity": "warning", "message": "no test data",
                            "file": null, "pointer": "/test_credentials", "line": null, "column": null, "hint": ""}]}
        }));
        let review: Review = serde_json::from_value(json!({
            "submission": serde_json::to_value(&submission).unwrap(),
            "integration": serde_json::to_value(api::sample::integration(json!({"id": 3}))).unwrap(),
            "version": {"ignored": true},
            "base_version": serde_json::to_value(api::sample::version(1, "1.0.0", "published")).unwrap(),
            "diff": [
                {"path": "script.js", "change": "changed", "text_diff": "--- a/script.js\n+++ b/script.js\n@@ -1 +1 @@\n-a\n+b", "truncated": false},
                {"path": "new.js", "change": "added", "text_diff": null}
            ]
        }))
        .unwrap();
        let out = render_review(&review, true, Lang::En);
        for expected in [
            "submission 7 of integration 3 `deal_notes_ab12cd` (Deal Notes): version 3 (widget.version 1.0.2), in_review since 1970-01-01 00:00 UTC\n",
            "report: 0 errors, 2 warnings (profile `publication`)\n  warning[script.console_log] script.js:4: console.log\n  warning[submission.no_test_credentials] submission /test_credentials: no test data\n",
            "  [ru] Заметки.\n       Вторая строка\n",
            "test credentials:\n  login: demo\n  password: pw\n",
            "change: name [en] -> Deal Notes 2\n",
            "diff against the published version 1 (widget.version 1.0.0): 1 added, 0 removed, 1 changed\n  changed  script.js\n  added    new.js\n--- a/script.js\n+++ b/script.js\n@@ -1 +1 @@\n-a\n+b\nnext:",
            "next: widgetry moderate approve 7 | widgetry moderate reject 7 --reason CODE=TEXT\n",
        ] {
            assert!(out.contains(expected), "{expected}\nnot in\n{out}");
        }
    }

    #[test]
    fn the_queue() {
        assert_eq!(render_queue(&[]), "the queue is empty\n");
        let items = vec![api::sample::submission(json!({
            "integration_id": 3, "code": "c", "languages": ["en", "ru"],
            "version": {"number": 2, "widget_version": "1.0.1"}
        }))];
        let out = render_queue(&items);
        assert!(
            out.lines().nth(1).unwrap().contains("7            3  c"),
            "{out}"
        );
        assert!(out.contains("2 (1.0.1)") && out.contains("en,ru"), "{out}");
    }
}
