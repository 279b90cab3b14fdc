//! The moderators' side: the queue (oldest first), a submission with its report, files, test
//! data and the diff against the published version, approval (which publishes) and rejection
//! with reasons. Also the integrator's rollback, which publishes an earlier approved version
//! through the same path.

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::diff::{self, FileChange};
use crate::error::{Error, Result};
use crate::input::{InputCode, StateCase};
use crate::integrations::{Integration, Visibility};
use crate::submissions::{
    ListingChanges, Reason, SUBMISSION_COLUMNS, SUBMISSION_FROM, Submission, SubmissionState,
    decided, lock_integration, set_version_state, submission_from_row, to_json,
};
use crate::time::Timestamp;
use crate::versions::{FileEntry, Version, VersionDetail, VersionState};
use crate::{IntegrationId, Registry, SubmissionId, VersionId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::Any;

/// The moderators' own reason codes, besides the validator's rule codes: what only a human
/// can judge (widget-format.md 6.3). Their titles, in every language, are the server's texts
/// (`reason-*` in its Fluent files).
pub const MODERATION_REASONS: &[&str] = &[
    "moderation.unclear_instructions",
    "moderation.inaccurate_description",
    "moderation.not_working",
    "moderation.test_access",
    "moderation.data_consent",
    "moderation.ui",
    "moderation.localisation",
    "moderation.branding",
    "moderation.support",
    "moderation.duplicate",
    "moderation.other",
];

/// Whether a reason code is known: a moderators' code or a rule of the validator's catalogue.
pub fn is_reason_code(code: &str) -> bool {
    MODERATION_REASONS.contains(&code) || widgetry_validator::catalog::find(code).is_some()
}

/// Everything a moderator looks at for one submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDetail {
    /// The submission, with the test credentials.
    pub submission: Submission,
    /// The integration as it is now.
    pub integration: Integration,
    /// The submitted version with its manifest, upload report and files.
    pub version: VersionDetail,
    /// The version published now (the diff's base), if any.
    pub base_version: Option<Version>,
    /// Files added, removed and changed since the published version (all files are "added"
    /// for a first publication), with line diffs for text files.
    pub diff: Vec<FileChange>,
}

/// Text files larger than this are listed as changed without a line diff.
const MAX_TEXT_DIFF_BYTES: i64 = 1024 * 1024;

impl Registry {
    /// The submissions in review, oldest first ([`Scope::Moderate`]).
    pub async fn review_queue(&self, actor: &Principal) -> Result<Vec<Submission>> {
        actor.require_scope(Scope::Moderate)?;
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} WHERE s.state = 'in_review' ORDER BY s.created_at, s.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| submission_from_row(r, Some(self.secrets())))
            .collect()
    }

    /// Decided submissions, newest first, at most `limit` ([`Scope::Moderate`]).
    pub async fn review_history(&self, actor: &Principal, limit: i64) -> Result<Vec<Submission>> {
        actor.require_scope(Scope::Moderate)?;
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} WHERE s.state <> 'in_review' \
             ORDER BY s.updated_at DESC, s.id DESC LIMIT $1"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit.clamp(1, 500))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| submission_from_row(r, Some(self.secrets())))
            .collect()
    }

    /// One submission with everything a moderator needs ([`Scope::Moderate`]).
    pub async fn review_detail(&self, actor: &Principal, id: SubmissionId) -> Result<ReviewDetail> {
        actor.require_scope(Scope::Moderate)?;
        let submission = self.submission_by_id(id, true).await?;
        let integration = self
            .integration_by_id(submission.integration_id)
            .await?
            .ok_or(Error::NotFound)?;
        let version = self.version_detail_by_id(submission.version_id).await?;
        let base = match integration.published_version_id {
            Some(b) if b != submission.version_id => Some(self.version_detail_by_id(b).await?),
            _ => None,
        };
        let old_files = base.as_ref().map(|b| b.files.as_slice()).unwrap_or(&[]);
        let mut changes = diff::file_changes(old_files, &version.files);
        for change in &mut changes {
            self.fill_text_diff(change).await?;
        }
        Ok(ReviewDetail {
            submission,
            integration,
            version,
            base_version: base.map(|b| b.version),
            diff: changes,
        })
    }

    async fn fill_text_diff(&self, change: &mut FileChange) -> Result<()> {
        let too_big = |size: Option<i64>| size.unwrap_or(0) > MAX_TEXT_DIFF_BYTES;
        if !diff::is_text_path(&change.path) || too_big(change.old_size) || too_big(change.new_size)
        {
            return Ok(());
        }
        let old = self.blob_or_empty(change.old_sha256.as_deref()).await?;
        let new = self.blob_or_empty(change.new_sha256.as_deref()).await?;
        if let Some((text, truncated)) = diff::text_diff(&change.path, &old, &new) {
            change.text_diff = Some(text);
            change.truncated = truncated;
        }
        Ok(())
    }

    async fn blob_or_empty(&self, sha256: Option<&str>) -> Result<bytes::Bytes> {
        let Some(sha256) = sha256 else {
            return Ok(bytes::Bytes::new());
        };
        self.blobs
            .get(sha256)
            .await
            .map_err(Error::Blob)?
            .ok_or_else(|| Error::internal(format!("blob {sha256} is missing")))
    }

    /// A file of a submitted version, for the moderators' viewer ([`Scope::Moderate`]).
    pub async fn review_file(
        &self,
        actor: &Principal,
        id: SubmissionId,
        path: &str,
    ) -> Result<FileEntry> {
        actor.require_scope(Scope::Moderate)?;
        let submission = self.submission_by_id(id, false).await?;
        self.version_files(submission.version_id)
            .await?
            .into_iter()
            .find(|f| f.path == path.trim_start_matches('/'))
            .ok_or(Error::NotFound)
    }

    /// Approves a submission and publishes its version ([`Scope::Moderate`]).
    ///
    /// `base_version` is the published version (sequence number, `None` for none) the
    /// moderator reviewed the diff against; when absent, the one published at submission
    /// time. If another version was published meanwhile the approval is refused
    /// (`submission.published_changed`), so of two submissions of one integration approved
    /// at once exactly one wins. The integration becomes public, the listing changes apply,
    /// the earlier published version is superseded and installations in other accounts move
    /// to the new version, in one transaction with its audit events.
    pub async fn approve(
        &self,
        actor: &Principal,
        id: SubmissionId,
        base_version: Option<Option<i64>>,
        note: Option<String>,
    ) -> Result<Submission> {
        actor.require_scope(Scope::Moderate)?;
        let submission = self.submission_by_id(id, false).await?;
        let expected_base = match base_version {
            Some(Some(n)) => Some(self.version_id_of(submission.integration_id, n).await?),
            Some(None) => None,
            None => self.base_version_id(id).await?,
        };
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        let published = lock_integration(&mut tx, submission.integration_id, now).await?;
        let done = sqlx::query(
            "UPDATE submissions SET state = 'approved', decided_by = $1, decided_at = $2, decision_note = $3, \
             updated_at = $2 WHERE id = $4 AND state = 'in_review'",
        )
        .bind(actor.user.id)
        .bind(now)
        .bind(note.as_deref())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(decided(&self.submission_by_id(id, false).await?));
        }
        if published != expected_base {
            drop(tx);
            return Err(self.published_changed(&submission, published).await);
        }
        if let Some(current) = published {
            let (number, widget_version) = seq_of(&mut tx, current).await?;
            if number > submission.version.number {
                return Err(Error::state(StateCase::Outdated)
                    .with("number", number)
                    .with("widget_version", widget_version)
                    .with("submitted", submission.version.number)
                    .with("id", id));
            }
        }
        let event = |kind| {
            Event::new(kind)
                .actor(actor.user.id)
                .account(submission.account_id)
        };
        audit::record(
            &mut tx,
            event("submission.approved")
                .integration(submission.integration_id)
                .states(
                    SubmissionState::InReview.as_str(),
                    SubmissionState::Approved.as_str(),
                )
                .detail(serde_json::json!({
                    "submission_id": id,
                    "number": submission.version.number,
                    "widget_version": submission.version.widget_version,
                    "note": note,
                })),
        )
        .await?;
        set_version_state(
            &mut tx,
            submission.version_id,
            VersionState::InReview,
            VersionState::Approved,
        )
        .await?;
        publish(
            &mut tx,
            Publication {
                integration_id: submission.integration_id,
                account_id: submission.account_id,
                actor: actor.user.id,
                version_id: submission.version_id,
                from_state: VersionState::Approved,
                previous: published,
                changes: Some(&submission.changes),
                why: format!("submission {id} approved"),
            },
            now,
        )
        .await?;
        self.commit_events(tx).await?;
        tracing::info!(
            submission_id = %id,
            integration_id = %submission.integration_id,
            number = submission.version.number,
            "submission approved and published"
        );
        self.submission_by_id(id, false).await
    }

    /// Rejects a submission with reasons ([`Scope::Moderate`]): at least one, each with a
    /// known code and a text. The version becomes `rejected` and stays private.
    pub async fn reject(
        &self,
        actor: &Principal,
        id: SubmissionId,
        reasons: Vec<Reason>,
        note: Option<String>,
    ) -> Result<Submission> {
        actor.require_scope(Scope::Moderate)?;
        let reasons = check_reasons(reasons)?;
        let submission = self.submission_by_id(id, false).await?;
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        lock_integration(&mut tx, submission.integration_id, now).await?;
        let done = sqlx::query(
            "UPDATE submissions SET state = 'rejected', decided_by = $1, decided_at = $2, reasons_json = $3, \
             decision_note = $4, updated_at = $2 WHERE id = $5 AND state = 'in_review'",
        )
        .bind(actor.user.id)
        .bind(now)
        .bind(to_json(&reasons)?)
        .bind(note.as_deref())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(decided(&self.submission_by_id(id, false).await?));
        }
        set_version_state(
            &mut tx,
            submission.version_id,
            VersionState::InReview,
            VersionState::Rejected,
        )
        .await?;
        audit::record(
            &mut tx,
            Event::new("submission.rejected")
                .actor(actor.user.id)
                .account(submission.account_id)
                .integration(submission.integration_id)
                .states(
                    SubmissionState::InReview.as_str(),
                    SubmissionState::Rejected.as_str(),
                )
                .detail(serde_json::json!({
                    "submission_id": id,
                    "number": submission.version.number,
                    "widget_version": submission.version.widget_version,
                    "reasons": reasons,
                    "note": note,
                })),
        )
        .await?;
        self.commit_events(tx).await?;
        self.submission_by_id(id, false).await
    }

    /// Publishes an earlier approved version of a public integration again, without a new
    /// review ([`Scope::Submit`], owner account). The current published version is
    /// superseded; history is kept (new audit events, nothing rewritten).
    pub async fn rollback(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        number: i64,
    ) -> Result<Integration> {
        actor.require_scope(Scope::Submit)?;
        let integration = self.own_integration(actor, integration_id).await?;
        let target = self.version_id_of(integration_id, number).await?;
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        let published = lock_integration(&mut tx, integration_id, now).await?;
        let Some(current) = published else {
            return Err(Error::state(StateCase::NothingPublished));
        };
        let state = crate::submissions::version_state(&mut tx, target).await?;
        if target == current {
            return Err(Error::state(StateCase::RollbackToCurrent).with("number", number));
        }
        if state != VersionState::Superseded {
            return Err(Error::state(StateCase::RollbackNotApproved)
                .with("number", number)
                .with("state", state.as_str())
                .with("state_words", state.as_str().replace('_', " ")));
        }
        publish(
            &mut tx,
            Publication {
                integration_id,
                account_id: integration.account_id,
                actor: actor.user.id,
                version_id: target,
                from_state: VersionState::Superseded,
                previous: Some(current),
                changes: None,
                why: format!("rolled back to version {number}"),
            },
            now,
        )
        .await?;
        let from = seq_of(&mut tx, current).await?;
        let to = seq_of(&mut tx, target).await?;
        audit::record(
            &mut tx,
            Event::by("integration.rolled_back", actor, integration_id)
                .states(&from.1, &to.1)
                .detail(serde_json::json!({"from": from.0, "to": number})),
        )
        .await?;
        self.commit_events(tx).await?;
        tracing::info!(%integration_id, number, "integration rolled back");
        self.integration_by_id(integration_id)
            .await?
            .ok_or(Error::NotFound)
    }

    async fn version_id_of(&self, integration_id: IntegrationId, number: i64) -> Result<VersionId> {
        let row = sqlx::query("SELECT id FROM versions WHERE integration_id = $1 AND seq = $2")
            .bind(integration_id)
            .bind(number)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                Error::input("/version", InputCode::VersionUnknown)
                    .with("integration", integration_id)
                    .with("number", number)
            })?;
        Ok(row.try_get("id")?)
    }

    async fn base_version_id(&self, id: SubmissionId) -> Result<Option<VersionId>> {
        Ok(
            sqlx::query("SELECT base_version_id FROM submissions WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                .try_get("base_version_id")?,
        )
    }

    async fn published_changed(&self, s: &Submission, now: Option<VersionId>) -> Error {
        // `now_number` is the version's number, `none` or `unknown`, for texts to select on.
        let (now, now_number, now_version) = match now {
            Some(id) => match self.version_detail_by_id(id).await {
                Ok(v) => (
                    format!(
                        "version {} (`{}`)",
                        v.version.number, v.version.widget_version
                    ),
                    v.version.number.to_string(),
                    v.version.widget_version,
                ),
                Err(_) => (
                    "another version".to_string(),
                    "unknown".to_string(),
                    String::new(),
                ),
            },
            None => ("no version".to_string(), "none".to_string(), String::new()),
        };
        Error::state(StateCase::PublishedChanged)
            .with("code", &s.code)
            .with("id", s.id)
            .with("now", now)
            .with("now_number", now_number)
            .with("now_version", now_version)
    }
}

/// Checks rejection reasons: at least one, each a known code with a text.
fn check_reasons(reasons: Vec<Reason>) -> Result<Vec<Reason>> {
    if reasons.is_empty() {
        return Err(Error::input("/reasons", InputCode::ReasonsMissing));
    }
    reasons
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let code = r.code.trim().to_string();
            let text = r.text.trim().to_string();
            if !is_reason_code(&code) {
                return Err(Error::input(
                    format!("/reasons/{i}/code"),
                    InputCode::ReasonCodeUnknown,
                )
                .with("index", i + 1)
                .with("code", code));
            }
            if text.is_empty() {
                return Err(Error::input(
                    format!("/reasons/{i}/text"),
                    InputCode::ReasonTextMissing,
                )
                .with("index", i + 1)
                .with("code", code));
            }
            Ok(Reason { code, text })
        })
        .collect()
}

/// What one publication changes.
struct Publication<'a> {
    integration_id: IntegrationId,
    account_id: crate::AccountId,
    actor: crate::UserId,
    version_id: VersionId,
    from_state: VersionState,
    previous: Option<VersionId>,
    changes: Option<&'a ListingChanges>,
    why: String,
}

/// Publishes a version inside the caller's transaction: the previous published version is
/// superseded, the integration becomes public and points at the version, listing changes
/// apply, other accounts' installations move to it; every change is audited.
async fn publish(
    tx: &mut sqlx::Transaction<'static, Any>,
    p: Publication<'_>,
    now: Timestamp,
) -> Result<()> {
    let event = |kind| {
        Event::new(kind)
            .actor(p.actor)
            .account(p.account_id)
            .integration(p.integration_id)
    };
    if let Some(previous) = p.previous {
        set_version_state(
            tx,
            previous,
            VersionState::Published,
            VersionState::Superseded,
        )
        .await?;
        let (number, widget_version) = seq_of(tx, previous).await?;
        audit::record(
            tx,
            event("version.superseded")
                .states(
                    VersionState::Published.as_str(),
                    VersionState::Superseded.as_str(),
                )
                .detail(serde_json::json!({"number": number, "widget_version": widget_version, "why": p.why})),
        )
        .await?;
    }
    set_version_state(tx, p.version_id, p.from_state, VersionState::Published).await?;
    let (number, widget_version) = seq_of(tx, p.version_id).await?;
    audit::record(
        tx,
        event("version.published")
            .states(p.from_state.as_str(), VersionState::Published.as_str())
            .detail(serde_json::json!({"number": number, "widget_version": widget_version, "why": p.why})),
    )
    .await?;
    let row = sqlx::query(
        "SELECT visibility, name_json, description_json FROM integrations WHERE id = $1",
    )
    .bind(p.integration_id)
    .fetch_one(&mut **tx)
    .await?;
    let visibility: String = row.try_get("visibility")?;
    let mut name: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&row.try_get::<String, _>("name_json")?).map_err(Error::internal)?;
    let mut description: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&row.try_get::<String, _>("description_json")?)
            .map_err(Error::internal)?;
    if let Some(changes) = p.changes {
        name.extend(changes.name.clone());
        description.extend(changes.description.clone());
    }
    sqlx::query(
        "UPDATE integrations SET visibility = 'public', published_version_id = $1, name_json = $2, \
         description_json = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(p.version_id)
    .bind(to_json(&name)?)
    .bind(to_json(&description)?)
    .bind(now)
    .bind(p.integration_id)
    .execute(&mut **tx)
    .await?;
    if visibility != Visibility::Public.as_str() {
        audit::record(
            tx,
            event("integration.published")
                .states(&visibility, Visibility::Public.as_str())
                .detail(serde_json::json!({"why": p.why})),
        )
        .await?;
    }
    if let Some(changes) = p
        .changes
        .filter(|c| !c.name.is_empty() || !c.description.is_empty())
    {
        audit::record(
            tx,
            event("integration.listing_changed").detail(serde_json::json!({
                "name": changes.name, "description": changes.description, "why": p.why,
            })),
        )
        .await?;
    }
    let moved = sqlx::query(
        "UPDATE installations SET version_id = $1, updated_at = $2 \
         WHERE integration_id = $3 AND account_id <> $4 AND active = 1",
    )
    .bind(p.version_id)
    .bind(now)
    .bind(p.integration_id)
    .bind(p.account_id)
    .execute(&mut **tx)
    .await?;
    tracing::debug!(
        integration_id = %p.integration_id,
        installations = moved.rows_affected(),
        "installations moved to the published version"
    );
    Ok(())
}

async fn seq_of(
    tx: &mut sqlx::Transaction<'static, Any>,
    version_id: VersionId,
) -> Result<(i64, String)> {
    let row = sqlx::query("SELECT seq, widget_version FROM versions WHERE id = $1")
        .bind(version_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok((row.try_get("seq")?, row.try_get("widget_version")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_need_known_codes_and_texts() {
        let ok = check_reasons(vec![Reason {
            code: " script.debugger ".into(),
            text: " remove it ".into(),
        }])
        .unwrap_or_default();
        assert_eq!(ok[0].code, "script.debugger");
        assert!(check_reasons(vec![]).is_err());
        assert!(
            check_reasons(vec![Reason {
                code: "nonsense".into(),
                text: "x".into()
            }])
            .is_err()
        );
        assert!(
            check_reasons(vec![Reason {
                code: "moderation.unclear_instructions".into(),
                text: " ".into()
            }])
            .is_err()
        );
    }

    #[test]
    fn moderation_codes_are_unique_and_namespaced() {
        let mut codes: Vec<_> = MODERATION_REASONS.to_vec();
        assert!(codes.iter().all(|c| c.starts_with("moderation.")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), MODERATION_REASONS.len());
    }
}
