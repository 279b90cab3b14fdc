//! Submissions, the integrator's side of moderation: submitting a version (checked with the
//! publication profile and the submission rules, all findings at once), listing them, and
//! withdrawing one still in review.

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::input::StateCase;
use crate::integrations::Integration;
use crate::time::Timestamp;
use crate::versions::{Version, VersionState};
use crate::{AccountId, IntegrationId, Registry, SubmissionId, UserId, VersionId};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::{Any, AnyRow};
use std::collections::BTreeMap;
use std::fmt;
use widgetry_validator::{Input, Lang, Report};

/// Test credentials for a third-party system: readable by moderators only. `Debug` never
/// shows the value, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TestCredentials(pub String);

impl fmt::Debug for TestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TestCredentials([redacted])")
    }
}

/// Name and description changes to apply to the integration when the submission is approved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingChanges {
    /// New names by language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub name: BTreeMap<String, String>,
    /// New listing descriptions by language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: BTreeMap<String, String>,
}

/// What an integrator submits for moderation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct NewSubmission {
    /// Sequence number of the version; the latest version when absent.
    #[serde(default)]
    pub version: Option<i64>,
    /// Publication languages.
    #[serde(default)]
    pub languages: Vec<String>,
    /// What the widget does, by language (must name a support phone and e-mail).
    #[serde(default)]
    pub description: BTreeMap<String, String>,
    /// How to connect and use it, by language.
    #[serde(default)]
    pub instructions: BTreeMap<String, String>,
    /// Test credentials for any third-party system (moderators only).
    #[serde(default)]
    pub test_credentials: Option<TestCredentials>,
    /// Support phone.
    #[serde(default)]
    pub support_phone: String,
    /// Support e-mail.
    #[serde(default)]
    pub support_email: String,
    /// Name/description changes to apply on approval.
    #[serde(default)]
    pub changes: ListingChanges,
}

/// The state of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Waiting for a moderator.
    InReview,
    /// Approved: its version was published.
    Approved,
    /// Rejected with reasons.
    Rejected,
    /// Withdrawn by the integrator.
    Withdrawn,
}

impl SubmissionState {
    /// The snake_case name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::InReview => "in_review",
            SubmissionState::Approved => "approved",
            SubmissionState::Rejected => "rejected",
            SubmissionState::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Option<SubmissionState> {
        Some(match s {
            "in_review" => SubmissionState::InReview,
            "approved" => SubmissionState::Approved,
            "rejected" => SubmissionState::Rejected,
            "withdrawn" => SubmissionState::Withdrawn,
            _ => return None,
        })
    }
}

/// One reason for a decision: a rule code (from the validator's catalogue or the moderators'
/// list) and free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Rule code, e.g. `script.debugger` or `moderation.unclear_instructions`.
    pub code: String,
    /// What the moderator says.
    pub text: String,
}

/// A moderator's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The moderator.
    pub by: UserId,
    /// When, unix ms (for withdrawals: when withdrawn).
    pub at: Timestamp,
    /// `approved`, `rejected` or `withdrawn`.
    pub outcome: SubmissionState,
    /// Reasons (rejections).
    pub reasons: Vec<Reason>,
    /// The moderator's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The version a submission is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRef {
    /// Sequence number.
    pub number: i64,
    /// `widget.version`.
    pub widget_version: String,
}

/// A submission. `test_credentials` is filled only on the moderators' paths.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Submission {
    /// Id.
    pub id: SubmissionId,
    /// The integration.
    pub integration_id: IntegrationId,
    /// Its widget code.
    pub code: String,
    /// The owner account.
    pub account_id: AccountId,
    /// The submitted version.
    pub version: VersionRef,
    /// State.
    pub state: SubmissionState,
    /// Publication languages.
    pub languages: Vec<String>,
    /// What the widget does, by language.
    pub description: BTreeMap<String, String>,
    /// Instructions, by language.
    pub instructions: BTreeMap<String, String>,
    /// Whether test credentials were given.
    pub has_test_credentials: bool,
    /// The test credentials (moderators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_credentials: Option<TestCredentials>,
    /// Support phone.
    pub support_phone: String,
    /// Support e-mail.
    pub support_email: String,
    /// Changes applied on approval.
    pub changes: ListingChanges,
    /// The automated publication report.
    pub report: Report,
    /// The published version when submitted (sequence number), if any.
    pub base_version: Option<i64>,
    /// The decision, once made.
    pub decision: Option<Decision>,
    /// Who submitted it.
    pub submitted_by: UserId,
    /// Submission time, unix ms.
    pub created_at: Timestamp,
    /// Last change, unix ms.
    pub updated_at: Timestamp,
    #[serde(skip)]
    pub(crate) version_id: VersionId,
}

pub(crate) const SUBMISSION_COLUMNS: &str = "s.id AS s_id, s.integration_id AS s_integration_id, s.code AS s_code, \
    s.account_id AS s_account_id, s.version_id AS s_version_id, v.seq AS s_seq, v.widget_version AS s_widget_version, \
    s.state AS s_state, s.languages_json AS s_languages_json, s.description_json AS s_description_json, \
    s.instructions_json AS s_instructions_json, s.test_credentials AS s_test_credentials, \
    s.support_phone AS s_support_phone, s.support_email AS s_support_email, s.changes_json AS s_changes_json, \
    s.report_json AS s_report_json, b.seq AS s_base_seq, s.decided_by AS s_decided_by, s.decided_at AS s_decided_at, \
    s.reasons_json AS s_reasons_json, s.decision_note AS s_decision_note, s.submitted_by AS s_submitted_by, \
    s.created_at AS s_created_at, s.updated_at AS s_updated_at";

pub(crate) const SUBMISSION_FROM: &str = "FROM submissions s JOIN versions v ON v.id = s.version_id \
    LEFT JOIN versions b ON b.id = s.base_version_id";

fn from_json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T> {
    serde_json::from_str(&row.try_get::<String, _>(column)?).map_err(Error::internal)
}

/// Reads a submission row; the test credentials leave the registry (opened with `secrets`)
/// only when `secrets` is given (moderators only).
pub(crate) fn submission_from_row(
    row: &AnyRow,
    secrets: Option<&crate::SecretBox>,
) -> Result<Submission> {
    let state: String = row.try_get("s_state")?;
    let state = SubmissionState::parse(&state)
        .ok_or_else(|| Error::internal(format!("unknown submission state `{state}`")))?;
    let credentials: Option<String> = row.try_get("s_test_credentials")?;
    let decided_by: Option<UserId> = row.try_get("s_decided_by")?;
    let decided_at: Option<Timestamp> = row.try_get("s_decided_at")?;
    let decision = match (decided_by, decided_at) {
        (Some(by), Some(at)) if state != SubmissionState::InReview => Some(Decision {
            by,
            at,
            outcome: state,
            reasons: from_json(row, "s_reasons_json")?,
            note: row.try_get("s_decision_note")?,
        }),
        _ => None,
    };
    Ok(Submission {
        id: row.try_get("s_id")?,
        integration_id: row.try_get("s_integration_id")?,
        code: row.try_get("s_code")?,
        account_id: row.try_get("s_account_id")?,
        version: VersionRef {
            number: row.try_get("s_seq")?,
            widget_version: row.try_get("s_widget_version")?,
        },
        state,
        languages: from_json(row, "s_languages_json")?,
        description: from_json(row, "s_description_json")?,
        instructions: from_json(row, "s_instructions_json")?,
        has_test_credentials: credentials.is_some(),
        test_credentials: match (secrets, credentials) {
            (Some(keys), Some(stored)) if crate::SecretBox::is_sealed(&stored) => {
                Some(TestCredentials(keys.open(&stored)?))
            }
            (Some(_), Some(clear)) => Some(TestCredentials(clear)),
            _ => None,
        },
        support_phone: row.try_get("s_support_phone")?,
        support_email: row.try_get("s_support_email")?,
        changes: from_json(row, "s_changes_json")?,
        report: from_json(row, "s_report_json")?,
        base_version: row.try_get("s_base_seq")?,
        decision,
        submitted_by: row.try_get("s_submitted_by")?,
        created_at: row.try_get("s_created_at")?,
        updated_at: row.try_get("s_updated_at")?,
        version_id: row.try_get("s_version_id")?,
    })
}

/// Trims every text and drops blank test credentials.
fn normalize(mut s: NewSubmission) -> NewSubmission {
    let trim = |m: BTreeMap<String, String>| {
        m.into_iter()
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect::<BTreeMap<_, _>>()
    };
    s.languages = s.languages.iter().map(|l| l.trim().to_string()).collect();
    s.description = trim(s.description);
    s.instructions = trim(s.instructions);
    s.changes.name = trim(s.changes.name);
    s.changes.description = trim(s.changes.description);
    s.support_phone = s.support_phone.trim().to_string();
    s.support_email = s.support_email.trim().to_string();
    s.test_credentials = s
        .test_credentials
        .map(|c| TestCredentials(c.0.trim().to_string()))
        .filter(|c| !c.0.is_empty());
    s
}

/// The version states a submission may start from.
const SUBMITTABLE: [VersionState; 3] = [
    VersionState::Uploaded,
    VersionState::Rejected,
    VersionState::Withdrawn,
];

/// Checks a stored archive for publication with the submission's fields, off the async
/// threads.
async fn check_for_publication(
    archive: bytes::Bytes,
    integration: &Integration,
    fields: &NewSubmission,
    lang: Lang,
    limits: widgetry_validator::Limits,
) -> Result<Report> {
    let fields = fields.clone();
    crate::versions::with_integration_options(
        integration,
        widgetry_validator::Profile::Publication,
        lang,
        limits,
        move |options| {
            let submission = widgetry_validator::SubmissionFields {
                languages: &fields.languages,
                description: &fields.description,
                instructions: &fields.instructions,
                support_phone: &fields.support_phone,
                support_email: &fields.support_email,
                test_credentials: fields.test_credentials.as_ref().map(|c| c.0.as_str()),
                name_changes: &fields.changes.name,
                description_changes: &fields.changes.description,
            };
            widgetry_validator::check_submission(Input::Zip(&archive), options, &submission).report
        },
    )
    .await
}

impl Registry {
    /// Submits a version for moderation ([`Scope::Submit`], owner account).
    ///
    /// The stored archive is checked with the publication profile plus the submission rules;
    /// any error refuses with [`Error::SubmissionBlocked`] listing every finding (messages in
    /// `lang`) and nothing is queued. A version already in review, published, or older than
    /// the published one is an [`Error::StateConflict`]. On success the version is
    /// `in_review`, the submission is queued and the change is audited.
    pub async fn submit(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        new: NewSubmission,
        lang: Lang,
    ) -> Result<Submission> {
        actor.require_scope(Scope::Submit)?;
        let integration = self.own_integration(actor, integration_id).await?;
        let new = normalize(new);
        let versions = self.list_versions(actor, integration_id).await?;
        let version = match new.version {
            Some(n) => versions.iter().find(|v| v.number == n),
            None => versions.first(),
        }
        .cloned()
        .ok_or_else(|| match new.version {
            Some(n) => Error::state(StateCase::NoSuchVersion)
                .with("integration", integration_id)
                .with("number", n),
            None => Error::state(StateCase::NoVersionYet),
        })?;
        let published = versions
            .iter()
            .find(|v| Some(v.id) == integration.published_version_id);
        check_submittable(&version, published)?;
        // Inflating the archive again: a turn like an upload's (a blocked submission changes
        // nothing, so it could otherwise be repeated in parallel at will).
        let _slot = self.check_slot().await?;
        let archive = self
            .blobs
            .get(&version.archive_sha256)
            .await
            .map_err(Error::Blob)?
            .ok_or_else(|| Error::internal("the version's archive is missing"))?;
        let report =
            check_for_publication(archive, &integration, &new, lang, self.limits.clone()).await?;
        if !report.valid {
            return Err(Error::SubmissionBlocked(Box::new(report)));
        }
        let id = crate::with_retry(|_| {
            self.insert_submission(actor, &integration, &version, &new, &report)
        })
        .await?;
        tracing::info!(
            %integration_id,
            submission_id = %id,
            number = version.number,
            "version submitted for moderation"
        );
        self.submission_by_id(id, false).await
    }

    async fn insert_submission(
        &self,
        actor: &Principal,
        integration: &Integration,
        version: &Version,
        new: &NewSubmission,
        report: &Report,
    ) -> Result<SubmissionId> {
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        let base = lock_integration(&mut tx, integration.id, now).await?;
        let from = version_state(&mut tx, version.id).await?;
        if !SUBMITTABLE.contains(&from) {
            return Err(already(version, from));
        }
        sqlx::query("UPDATE versions SET state = 'in_review' WHERE id = $1")
            .bind(version.id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "INSERT INTO submissions (integration_id, version_id, account_id, code, base_version_id, submitted_by, \
             languages_json, description_json, instructions_json, test_credentials, support_phone, support_email, \
             changes_json, report_json, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'in_review', $15, $15) RETURNING id",
        )
        .bind(integration.id)
        .bind(version.id)
        .bind(integration.account_id)
        .bind(&version.code)
        .bind(base)
        .bind(actor.user.id)
        .bind(to_json(&new.languages)?)
        .bind(to_json(&new.description)?)
        .bind(to_json(&new.instructions)?)
        .bind(
            new.test_credentials
                .as_ref()
                .map(|c| self.secrets().seal(&c.0))
                .transpose()?,
        )
        .bind(&new.support_phone)
        .bind(&new.support_email)
        .bind(to_json(&new.changes)?)
        .bind(to_json(report)?)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: SubmissionId = row.try_get("id")?;
        audit::record(
            &mut tx,
            Event::by("submission.created", actor, integration.id)
                .states(from.as_str(), VersionState::InReview.as_str())
                .detail(serde_json::json!({
                    "submission_id": id,
                    "number": version.number,
                    "widget_version": version.widget_version,
                    "languages": new.languages,
                })),
        )
        .await?;
        self.commit_events(tx).await?;
        Ok(id)
    }

    /// The submissions of an integration, newest first (owner account; others: not found).
    pub async fn list_submissions(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
    ) -> Result<Vec<Submission>> {
        self.own_integration(actor, integration_id).await?;
        let sql = format!(
            "SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} WHERE s.integration_id = $1 ORDER BY s.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(integration_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| submission_from_row(r, None)).collect()
    }

    /// One submission of an integration (owner account; without the test credentials).
    pub async fn get_submission(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        id: SubmissionId,
    ) -> Result<Submission> {
        self.own_integration(actor, integration_id).await?;
        let s = self.submission_by_id(id, false).await?;
        if s.integration_id != integration_id {
            return Err(Error::NotFound);
        }
        Ok(s)
    }

    /// Withdraws a submission still in review ([`Scope::Submit`], owner account): the
    /// submission and its version become `withdrawn`; audited.
    pub async fn withdraw(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        id: SubmissionId,
    ) -> Result<Submission> {
        actor.require_scope(Scope::Submit)?;
        let submission = self.get_submission(actor, integration_id, id).await?;
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        lock_integration(&mut tx, integration_id, now).await?;
        let done = sqlx::query(
            "UPDATE submissions SET state = 'withdrawn', decided_by = $1, decided_at = $2, updated_at = $2 \
             WHERE id = $3 AND state = 'in_review'",
        )
        .bind(actor.user.id)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            let current = self.submission_by_id(id, false).await?;
            return Err(decided(&current));
        }
        set_version_state(
            &mut tx,
            submission.version_id,
            VersionState::InReview,
            VersionState::Withdrawn,
        )
        .await?;
        audit::record(
            &mut tx,
            Event::by("submission.withdrawn", actor, integration_id)
                .states(
                    SubmissionState::InReview.as_str(),
                    SubmissionState::Withdrawn.as_str(),
                )
                .detail(serde_json::json!({
                    "submission_id": id,
                    "number": submission.version.number,
                    "widget_version": submission.version.widget_version,
                })),
        )
        .await?;
        self.commit_events(tx).await?;
        self.submission_by_id(id, false).await
    }

    /// A submission by id, whoever owns it.
    pub(crate) async fn submission_by_id(
        &self,
        id: SubmissionId,
        with_credentials: bool,
    ) -> Result<Submission> {
        let sql = format!("SELECT {SUBMISSION_COLUMNS} {SUBMISSION_FROM} WHERE s.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        submission_from_row(&row, with_credentials.then(|| self.secrets()))
    }

    /// An integration of the caller's account; any other is [`Error::NotFound`] (even a
    /// public one: its submissions and history are the owner's business).
    pub(crate) async fn own_integration(
        &self,
        actor: &Principal,
        id: IntegrationId,
    ) -> Result<Integration> {
        match self.integration_by_id(id).await? {
            Some(i) if i.account_id == actor.account.id => Ok(i),
            _ => Err(Error::NotFound),
        }
    }
}

/// Refuses versions that cannot be submitted, saying why.
fn check_submittable(version: &Version, published: Option<&Version>) -> Result<()> {
    if !SUBMITTABLE.contains(&version.state) {
        return Err(already(version, version.state));
    }
    if let Some(p) = published
        && p.number > version.number
    {
        return Err(Error::state(StateCase::OlderThanPublished)
            .with("number", version.number)
            .with("widget_version", &version.widget_version)
            .with("published", p.number)
            .with("published_version", &p.widget_version));
    }
    Ok(())
}

fn already(version: &Version, state: VersionState) -> Error {
    let case = match state {
        VersionState::InReview => StateCase::InReview,
        VersionState::Published => StateCase::IsPublished,
        _ => StateCase::WasApproved,
    };
    Error::state(case)
        .with("number", version.number)
        .with("widget_version", &version.widget_version)
}

/// The refusal for a submission that is no longer in review.
pub(crate) fn decided(s: &Submission) -> Error {
    Error::state(StateCase::Decided)
        .with("id", s.id)
        .with("state", s.state.as_str())
        .with("state_words", s.state.as_str().replace('_', " "))
}

/// Locks the integration's row for the rest of the transaction (PostgreSQL row lock; SQLite
/// already holds the write lock) and returns its published version id.
pub(crate) async fn lock_integration(
    tx: &mut sqlx::Transaction<'static, Any>,
    integration_id: IntegrationId,
    now: Timestamp,
) -> Result<Option<VersionId>> {
    let row = sqlx::query(
        "UPDATE integrations SET updated_at = $1 WHERE id = $2 RETURNING published_version_id",
    )
    .bind(now)
    .bind(integration_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(row.try_get("published_version_id")?)
}

pub(crate) async fn version_state(
    tx: &mut sqlx::Transaction<'static, Any>,
    version_id: VersionId,
) -> Result<VersionState> {
    let state: String = sqlx::query("SELECT state FROM versions WHERE id = $1")
        .bind(version_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("state")?;
    VersionState::parse(&state)
        .ok_or_else(|| Error::internal(format!("unknown version state `{state}`")))
}

/// Moves a version from one state to another; a version not in `from` is a broken invariant.
pub(crate) async fn set_version_state(
    tx: &mut sqlx::Transaction<'static, Any>,
    version_id: VersionId,
    from: VersionState,
    to: VersionState,
) -> Result<()> {
    let done = sqlx::query("UPDATE versions SET state = $1 WHERE id = $2 AND state = $3")
        .bind(to.as_str())
        .bind(version_id)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(Error::internal(format!(
            "version {version_id} was not {} when moving it to {}",
            from.as_str(),
            to.as_str()
        )))
    }
}

/// A value as a stored JSON column.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_debug_print() {
        let s = NewSubmission {
            test_credentials: Some(TestCredentials("hunter2".into())),
            ..NewSubmission::default()
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn normalize_trims_and_drops_blank_credentials() {
        let s = normalize(NewSubmission {
            languages: vec![" en ".into()],
            support_email: " a@b.ru ".into(),
            test_credentials: Some(TestCredentials("   ".into())),
            ..NewSubmission::default()
        });
        assert_eq!(s.languages, vec!["en".to_string()]);
        assert_eq!(s.support_email, "a@b.ru");
        assert!(s.test_credentials.is_none());
    }
}
