//! The widget preview's registry side: who may run a version in it (the owner account, any
//! of its versions; a platform moderator, any version that was submitted for review;
//! everyone else is told the version does not exist), and the runs moderators save with a
//! submission: the host's events, bounded, the `preview.*` findings made of them, and the
//! screenshot of the area the host drew (a checked PNG).

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::columns::JsonText;
use crate::error::{Error, Result};
use crate::input::{DenialCase, InputCode};
use crate::integrations::Integration;
use crate::time::Timestamp;
use crate::versions::VersionDetail;
use crate::{Registry, SubmissionId, UserId, VersionId};
use serde::Serialize;
use sqlx::Row;
use widgetry_validator::preview::{self, Event as HostEvent, MAX_EVENTS};
use widgetry_validator::{Lang, Profile, Report};

/// Most bytes of events one saved run may hold (as JSON).
pub const MAX_RUN_BYTES: usize = 1024 * 1024;

/// A version as the preview runs it: its integration and everything about the version.
#[derive(Debug, Clone)]
pub struct PreviewTarget {
    /// The integration.
    pub integration: Integration,
    /// The version, its manifest and files.
    pub version: VersionDetail,
    /// Whether the caller previews as a moderator (the version is not their account's).
    pub as_moderator: bool,
    /// The version's latest submission, for a moderator to save a run with.
    pub submission_id: Option<SubmissionId>,
}

/// A run of the preview saved with a submission.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PreviewRun {
    /// Numeric id.
    pub id: i64,
    /// The submission.
    pub submission_id: SubmissionId,
    /// The area it ran in (`lcard`, `settings`, ...).
    pub area: String,
    /// The language.
    pub lang: String,
    /// The `preview.*` findings, under the publication profile, in English.
    #[sqlx(rename = "report_json", try_from = "JsonText<Report>")]
    pub report: Report,
    /// Errors among the findings.
    pub errors: i64,
    /// Warnings among the findings.
    pub warnings: i64,
    /// The moderator who ran it.
    pub run_by: UserId,
    /// When it was saved.
    pub created_at: Timestamp,
    /// The screenshot's width in pixels, when the run has one.
    pub screenshot_width: Option<i64>,
    /// The screenshot's height in pixels, when the run has one.
    pub screenshot_height: Option<i64>,
}

impl Registry {
    /// The version `widget_version` of the integration with `code`, when `actor` may preview
    /// it (see the module); [`Error::NotFound`] otherwise.
    pub async fn preview_target(
        &self,
        actor: &Principal,
        code: &str,
        widget_version: &str,
    ) -> Result<PreviewTarget> {
        let integration = self
            .integration_by_code(code)
            .await?
            .ok_or(Error::NotFound)?;
        let row = sqlx::query(
            "SELECT v.id, (SELECT MAX(s.id) FROM submissions s WHERE s.version_id = v.id) AS submission_id \
             FROM versions v WHERE v.integration_id = $1 AND v.widget_version = $2",
        )
        .bind(integration.id)
        .bind(widget_version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let id: VersionId = row.try_get("id")?;
        let submission_id: Option<SubmissionId> = row.try_get("submission_id")?;
        let owner = integration.account_id == actor.account.id;
        let moderator =
            actor.user.is_moderator && actor.has_scope(Scope::Moderate) && submission_id.is_some();
        if !owner && !moderator {
            return Err(Error::NotFound);
        }
        let version = self.version_detail_by_id(id).await?;
        Ok(PreviewTarget {
            integration,
            version,
            as_moderator: !owner,
            submission_id,
        })
    }

    /// Saves a moderator's run of the preview with a submission: the events (at most
    /// [`MAX_EVENTS`], [`MAX_RUN_BYTES`] as JSON), the findings made of them, and the
    /// screenshot when there is one (a PNG data URL, refused unless
    /// `widgetry_validator::preview::screenshot` accepts it). Audited.
    pub async fn save_preview_run(
        &self,
        actor: &Principal,
        submission_id: SubmissionId,
        area: &str,
        lang: &str,
        events: Vec<HostEvent>,
        screenshot: Option<&str>,
    ) -> Result<PreviewRun> {
        actor.require_scope(Scope::Moderate)?;
        if !actor.user.is_moderator {
            return Err(Error::denied(DenialCase::ModeratorsOnly));
        }
        let word = |s: &str| {
            !s.is_empty()
                && s.len() <= 32
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !word(area) {
            return Err(Error::input("/area", InputCode::PreviewArea));
        }
        if !word(lang) {
            return Err(Error::input("/lang", InputCode::PreviewLang));
        }
        if events.len() > MAX_EVENTS {
            return Err(Error::input("/events", InputCode::PreviewEvents)
                .with("max", MAX_EVENTS)
                .with("max_bytes", MAX_RUN_BYTES));
        }
        let events_json = serde_json::to_string(&events).map_err(Error::internal)?;
        if events_json.len() > MAX_RUN_BYTES {
            return Err(Error::input("/events", InputCode::PreviewEvents)
                .with("max", MAX_EVENTS)
                .with("max_bytes", MAX_RUN_BYTES));
        }
        let shot = screenshot
            .map(preview::screenshot)
            .transpose()
            .map_err(|e| {
                Error::input("/screenshot", InputCode::PreviewScreenshot)
                    .with("max_bytes", preview::MAX_SCREENSHOT_BYTES)
                    .with("max_side", preview::MAX_SCREENSHOT_SIDE)
                    .with("error", e.to_string())
            })?;
        let submission = self.submission_by_id(submission_id, false).await?;
        let report = widgetry_validator::preview::report(&events, Profile::Publication, Lang::En);
        let report_json = serde_json::to_string(&report).map_err(Error::internal)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO preview_runs (submission_id, area, lang, events_json, report_json, errors, warnings, run_by, created_at, \
             screenshot, screenshot_width, screenshot_height) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(submission_id)
        .bind(area)
        .bind(lang)
        .bind(&events_json)
        .bind(&report_json)
        .bind(i64::try_from(report.errors).unwrap_or(i64::MAX))
        .bind(i64::try_from(report.warnings).unwrap_or(i64::MAX))
        .bind(actor.user.id)
        .bind(Timestamp::now())
        .bind(shot.as_ref().map(|s| s.png.clone()))
        .bind(shot.as_ref().map(|s| i64::try_from(s.width).unwrap_or(i64::MAX)))
        .bind(shot.as_ref().map(|s| i64::try_from(s.height).unwrap_or(i64::MAX)))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit::record(
            &mut tx,
            Event::new("submission.previewed")
                .actor(actor.user.id)
                .account(submission.account_id)
                .integration(submission.integration_id)
                .detail(serde_json::json!({
                    "submission_id": submission_id,
                    "run_id": id,
                    "area": area,
                    "errors": report.errors,
                    "warnings": report.warnings,
                })),
        )
        .await?;
        self.commit_events(tx).await?;
        self.preview_runs(actor, submission_id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(Error::NotFound)
    }

    /// The runs saved with a submission, newest first ([`Scope::Moderate`]).
    pub async fn preview_runs(
        &self,
        actor: &Principal,
        submission_id: SubmissionId,
    ) -> Result<Vec<PreviewRun>> {
        actor.require_scope(Scope::Moderate)?;
        Ok(sqlx::query_as(
            "SELECT id, submission_id, area, lang, report_json, errors, warnings, run_by, created_at, \
             screenshot_width, screenshot_height \
             FROM preview_runs WHERE submission_id = $1 ORDER BY id DESC",
        )
        .bind(submission_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The PNG screenshot of run `run_id` of a submission ([`Scope::Moderate`]); `NotFound`
    /// when the run is another submission's or has none.
    pub async fn preview_screenshot(
        &self,
        actor: &Principal,
        submission_id: SubmissionId,
        run_id: i64,
    ) -> Result<Vec<u8>> {
        actor.require_scope(Scope::Moderate)?;
        if !actor.user.is_moderator {
            return Err(Error::denied(DenialCase::ModeratorsOnly));
        }
        let png: Option<Option<Vec<u8>>> = sqlx::query_scalar(
            "SELECT screenshot FROM preview_runs WHERE id = $1 AND submission_id = $2",
        )
        .bind(run_id)
        .bind(submission_id)
        .fetch_optional(&self.pool)
        .await?;
        png.flatten().ok_or(Error::NotFound)
    }
}
