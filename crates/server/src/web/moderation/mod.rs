//! The moderators' console: the queue (oldest first) and the recently decided submissions;
//! one submission with its automated report, the submitted texts, the test data, the files
//! and the diff against the published version, with approve and reject forms; a file viewer
//! (text with line numbers, images) and the raw bytes behind it, served so that nothing a
//! widget ships can run in the site's origin. Platform moderators only: anyone else signed
//! in gets a 403 page.
//!
//! One file a job: `texts`, `queue`, `diff`, `decide` (the submission page, approve,
//! reject), `files` (the viewer), `runs` (saved preview runs); this module holds the routes,
//! limits and shared helpers.

use super::failure::{PageError, PageResult};
use super::i18n;
use super::render::{Template, page, page_with};
use super::report;
use super::session::{SignedIn, check_csrf};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use widgetry_registry::{
    AccountId, ChangeKind, Diagnostic, Error, FileChange, FileEntry, IntegrationId,
    MODERATION_REASONS, Reason, Registry, StateCase, Submission, SubmissionId, SubmissionState,
    Timestamp, is_reason_code,
};
use widgetry_validator::Lang;

mod decide;
mod diff;
mod files;
mod queue;
mod runs;
mod texts;

use decide::*;
use diff::*;
use files::*;
use queue::*;

pub(crate) use texts::TEMPLATES;

/// Lines the viewer shows at most.
const MAX_VIEW_LINES: usize = 5_000;
/// Bytes of a file the viewer reads at most (a minified script can be one huge line).
const MAX_VIEW_BYTES: usize = 2 * 1024 * 1024;
/// Files larger than this are not read for the report's source lines.
const MAX_SOURCE_BYTES: i64 = 1024 * 1024;
/// Diffs of an update up to this many lines are shown open; longer ones, and a first
/// publication's files (all new, readable in the viewer), start folded.
const OPEN_DIFF_LINES: usize = 200;
/// Reason rows the reject form offers at least.
const MIN_REASON_ROWS: usize = 3;
/// Decided submissions listed.
const HISTORY_LIMIT: i64 = 100;

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/moderation", get(queue))
        .route("/moderation/{sid}", get(submission))
        .route("/moderation/{sid}/approve", post(approve))
        .route("/moderation/{sid}/reject", post(reject))
        .route(
            "/moderation/{sid}/preview-runs",
            post(runs::save).layer(axum::extract::DefaultBodyLimit::max(runs::MAX_SAVE_BODY)),
        )
        .route(
            "/moderation/{sid}/preview-runs/{run}/screenshot.png",
            get(runs::screenshot),
        )
        .route("/moderation/{sid}/files/{*path}", get(file))
        .route("/moderation/{sid}/raw/{*path}", get(raw))
}

/// Refuses anyone signed in who is not a moderator (403).
fn moderators_only(user: &SignedIn) -> Result<(), PageError> {
    if user.principal.user.is_moderator {
        Ok(())
    } else {
        Err(PageError::refused(
            StatusCode::FORBIDDEN,
            "moderation-forbidden_title",
            "moderation-forbidden_text",
        ))
    }
}

/// Whole days between two unix-ms times (0 for less than a day).
fn days_between(from: Timestamp, to: Timestamp) -> u64 {
    to.since(from).as_secs() / 86_400
}

/// The account's subdomain, for the moderator's eyes (`#id` when it cannot be read).
async fn account_label(registry: &Registry, id: AccountId) -> String {
    match registry.account_by_id(id).await {
        Ok(Some(account)) => account.subdomain,
        Ok(None) => format!("#{id}"),
        Err(e) => {
            tracing::warn!(account_id = %id, error = %e, "cannot read the account");
            format!("#{id}")
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn diff_lines_are_classified_and_numbered() {
        let diff = "--- a/script.js\n+++ b/script.js\n@@ -2,3 +2,4 @@\n keep\n-old\n+new\n+more\n--- not a header\n\\ No newline at end of file\n";
        let lines = diff_lines(diff);
        let got: Vec<(&str, Option<u32>, Option<u32>)> =
            lines.iter().map(|l| (l.kind, l.old, l.new)).collect();
        assert_eq!(
            got,
            [
                ("file", None, None),
                ("file", None, None),
                ("hunk", None, None),
                ("ctx", Some(2), Some(2)),
                ("del", Some(3), None),
                ("add", None, Some(3)),
                ("add", None, Some(4)),
                // Inside a hunk a line starting with `---` is a removed `--` line.
                ("del", Some(4), None),
                ("note", None, None),
            ]
        );
        // The +/- prefixes stay in the text: colour is not the only cue.
        assert_eq!(lines[4].text, "-old");
        assert_eq!(lines[5].text, "+new");
    }

    #[test]
    fn hunk_headers() {
        assert_eq!(hunk_start("@@ -1,3 +1,4 @@"), Some((1, 1)));
        assert_eq!(hunk_start("@@ -0,0 +1 @@ fn main"), Some((0, 1)));
        assert_eq!(hunk_start("@@ -12 +15,2 @@"), Some((12, 15)));
        assert_eq!(hunk_start("@@ nonsense"), None);
        assert_eq!(hunk_start(" @@ -1 +1 @@"), None);
    }

    #[test]
    fn a_new_file_is_all_additions() {
        let c = change_view(FileChange {
            path: "script.js".into(),
            change: ChangeKind::Added,
            old_sha256: None,
            new_sha256: Some("n".into()),
            old_size: None,
            new_size: Some(4),
            text_diff: Some("--- a/script.js\n+++ b/script.js\n@@ -0,0 +1,2 @@\n+a\n+b\n".into()),
            truncated: false,
        });
        assert_eq!((c.added, c.removed, c.change), (2, 0, "added"));
        assert!(c.viewable && c.has_diff);
        assert_eq!(c.lines.len(), 3, "the file headers are not shown");
    }

    fn entry(path: &str, size: i64) -> FileEntry {
        FileEntry {
            path: path.into(),
            sha256: format!("sha-{path}"),
            size,
            content_type: "text/plain".into(),
        }
    }

    fn change(path: &str, kind: ChangeKind) -> FileChange {
        FileChange {
            path: path.into(),
            change: kind,
            old_sha256: None,
            new_sha256: None,
            old_size: Some(7),
            new_size: None,
            text_diff: None,
            truncated: false,
        }
    }

    #[test]
    fn files_are_marked_against_the_base() {
        let files = [entry("a.js", 1), entry("b.js", 2), entry("c.js", 3)];
        let diff = [
            change("a.js", ChangeKind::Changed),
            change("c.js", ChangeKind::Added),
            change("old.js", ChangeKind::Removed),
        ];
        let rows = file_rows(&files, &diff);
        let got: Vec<(&str, &str, bool)> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.change, r.viewable))
            .collect();
        assert_eq!(
            got,
            [
                ("a.js", "changed", true),
                ("b.js", "unchanged", true),
                ("c.js", "added", true),
                ("old.js", "removed", false),
            ]
        );
        assert_eq!(rows[3].size, 7);
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reject_rows_skip_empty_ones_and_mark_errors() {
        let mut rows = reason_rows(&fields(&[
            ("csrf", "x"),
            ("code_0", "moderation.not_working"),
            ("text_0", "  the button does nothing "),
            ("code_1", ""),
            ("text_1", ""),
            ("code_2", "script.debugger"),
            ("text_2", "remove the debugger statement"),
        ]));
        assert_eq!(rows.len(), 3);
        let reasons = check_rows(&mut rows).unwrap();
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].text, "the button does nothing");
        assert_eq!(reasons[1].code, "script.debugger");

        let mut rows = reason_rows(&fields(&[
            ("code_0", "moderation.ui"),
            ("text_0", ""),
            ("code_1", "no.such_code"),
            ("text_1", "x"),
            ("code_2", ""),
            ("text_2", "text without a code"),
        ]));
        assert_eq!(check_rows(&mut rows), Err("moderation-err_reject_form"));
        assert_eq!(rows[0].text_error, Some("moderation-err_text_missing"));
        assert_eq!(rows[0].code_error, None);
        assert_eq!(rows[1].code_error, Some("moderation-err_code_unknown"));
        assert_eq!(rows[2].code_error, Some("moderation-err_code_missing"));

        let mut empty = reason_rows(&fields(&[("code_0", ""), ("text_0", " ")]));
        assert_eq!(check_rows(&mut empty), Err("moderation-err_no_reason"));
    }

    #[test]
    fn every_error_key_exists() {
        for key in [
            "moderation-err_code_missing",
            "moderation-err_code_unknown",
            "moderation-err_text_missing",
            "moderation-err_reject_form",
            "moderation-err_no_reason",
            "moderation-err_bad_form",
            "moderation-err_decided",
            "moderation-err_published_changed",
            "moderation-err_outdated",
            "moderation-notice_approved",
            "moderation-notice_rejected",
        ] {
            assert!(i18n::has(key), "{key}");
        }
    }

    #[test]
    fn reason_codes_offered() {
        assert_eq!(moderation_options(Lang::En).len(), MODERATION_REASONS.len());
        assert!(
            moderation_options(Lang::Ru)
                .iter()
                .all(|o| o.title.chars().any(|c| ('а'..='я').contains(&c)))
        );
        let d = |code: &str| Diagnostic {
            code: code.into(),
            severity: widgetry_registry::Severity::Warning,
            message: format!("{code} says"),
            file: None,
            pointer: None,
            line: None,
            column: None,
            hint: String::new(),
        };
        let options =
            finding_options(&[d("script.console"), d("i18n.missing"), d("script.console")]);
        let codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes, ["script.console", "i18n.missing"]);
    }

    #[test]
    fn viewer_lines_are_capped() {
        let big: String = (1..=6_000).map(|n| format!("line {n}\n")).collect();
        let (lines, total) = text_lines(big.as_bytes()).unwrap();
        assert_eq!((lines.len(), total), (MAX_VIEW_LINES, 6_000));
        assert_eq!(lines[0], (1, "line 1"));
        assert_eq!(text_lines(b"a\nb").unwrap().1, 2);
        assert!(text_lines(b"PNG\0\x01").is_none());
        assert!(text_lines(&[0xff, 0xfe, b'a']).is_none());
        // A cut inside a multi-byte character keeps the whole characters before it.
        let wide = format!("a{}", "я".repeat(MAX_VIEW_BYTES));
        let (lines, _) = text_lines(wide.as_bytes()).unwrap();
        assert_eq!(lines[0].1.len(), MAX_VIEW_BYTES - 1);
        // Invalid UTF-8 at the very end of a short file is not text.
        assert!(text_lines(&[b'a', 0xd1]).is_none());
    }

    #[test]
    fn only_bitmap_images_are_shown_as_images() {
        assert!(is_image("image/png"));
        assert!(is_image("image/jpeg"));
        assert!(!is_image("image/svg+xml"));
        assert!(!is_image("text/html; charset=utf-8"));
    }

    #[test]
    fn waiting_days() {
        let t = Timestamp::from_millis;
        assert_eq!(days_between(t(0), t(86_399_999)), 0);
        assert_eq!(days_between(t(0), t(3 * 86_400_000 + 5)), 3);
        assert_eq!(days_between(t(10), t(0)), 0);
        assert_eq!(parse_sid("12"), Some(SubmissionId(12)));
        assert_eq!(parse_sid("-1"), None);
        assert_eq!(parse_sid("x"), None);
    }
}
