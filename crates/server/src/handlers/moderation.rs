//! The moderators' routes (`moderate` scope, moderator flag): the queue, one submission with
//! its report, files, diff and test data, a file viewer, approve, reject, and the reason codes.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path, Query};
use crate::handlers::submissions::SubmissionList;
use crate::handlers::versions::VersionDetailView;
use crate::views::{IntegrationView, ReasonView, SubmissionView, VersionView};
use axum::extract::State;
use widgetry_registry::SubmissionId;

use axum::response::Response;
use serde::{Deserialize, Serialize};
use widgetry_registry::{ChangeKind, FileChange, Lang, MODERATION_REASONS, Reason, Scope};

/// One file's change against the published version.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileChangeView {
    /// Path inside the package.
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// SHA-256 before.
    pub old_sha256: Option<String>,
    /// SHA-256 after.
    pub new_sha256: Option<String>,
    /// Size before.
    pub old_size: Option<i64>,
    /// Size after.
    pub new_size: Option<i64>,
    /// A unified line diff, for text files.
    pub text_diff: Option<String>,
    /// The line diff was cut short.
    pub truncated: bool,
}

impl From<FileChange> for FileChangeView {
    fn from(c: FileChange) -> Self {
        FileChangeView {
            path: c.path,
            change: match c.change {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            }
            .to_string(),
            old_sha256: c.old_sha256,
            new_sha256: c.new_sha256,
            old_size: c.old_size,
            new_size: c.new_size,
            text_diff: c.text_diff,
            truncated: c.truncated,
        }
    }
}

/// Everything a moderator needs for one submission.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReviewView {
    /// The submission, with the test credentials.
    pub submission: SubmissionView,
    /// The integration as it is now.
    pub integration: IntegrationView,
    /// The submitted version: manifest, upload report, files.
    pub version: VersionDetailView,
    /// The published version the diff is against (send its `number` as `base_version` when
    /// approving).
    pub base_version: Option<VersionView>,
    /// Files added, removed and changed since the published version.
    pub diff: Vec<FileChangeView>,
}

/// `POST .../approve` body.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ApproveRequest {
    /// The published version the moderator reviewed against (`null`: none); when absent,
    /// the one published when the version was submitted.
    #[serde(default, deserialize_with = "present")]
    pub base_version: Option<Option<i64>>,
    /// A note for the integrator.
    #[serde(default)]
    pub note: Option<String>,
}

/// Distinguishes an explicit `null` from an absent field.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// `POST .../reject` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RejectRequest {
    /// At least one reason, each a rule code and a text.
    pub reasons: Vec<ReasonView>,
    /// A note for the integrator.
    #[serde(default)]
    pub note: Option<String>,
}

/// A moderators' reason code.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReasonCodeView {
    /// Stable code.
    pub code: String,
    /// English title.
    pub title_en: String,
    /// Russian title.
    pub title_ru: String,
}

/// `GET /api/v1/moderation/reasons` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReasonList {
    /// The moderators' own codes; every validator rule code is accepted too.
    pub reasons: Vec<ReasonCodeView>,
}

/// `GET /api/v1/moderation/queue` options.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `in_review` (default: the queue, oldest first) or `decided` (newest first).
    pub state: Option<String>,
}

/// The submissions waiting for a moderator, oldest first.
#[utoipa::path(get, operation_id = "moderation_queue", path = "/api/v1/moderation/queue", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "the queue", body = SubmissionList),
        (status = 403, description = "not a moderator, or the token lacks the `moderate` scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<QueueQuery>,
) -> Result<axum::Json<SubmissionList>, ApiError> {
    let registry = &state.inner.registry;
    let list = match q.state.as_deref() {
        None | Some("in_review") => registry.review_queue(&p).await?,
        Some("decided") => registry.review_history(&p, 200).await?,
        Some(other) => {
            return Err(ApiError::bad_request(
                "request.invalid",
                format!("unknown `state` `{other}`; use `in_review` or `decided`"),
            ));
        }
    };
    Ok(axum::Json(SubmissionList {
        submissions: list.into_iter().map(crate::views::submission).collect(),
    }))
}

/// One submission with its report, files, the diff against the published version and the
/// test data.
#[utoipa::path(get, operation_id = "moderation_submission", path = "/api/v1/moderation/submissions/{sid}", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    params(("sid" = i64, Path, description = "submission id")),
    responses(
        (status = 200, description = "the submission to review", body = ReviewView),
        (status = 403, description = "not a moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such submission", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submission(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sid): Path<SubmissionId>,
) -> Result<axum::Json<ReviewView>, ApiError> {
    let d = state.inner.registry.review_detail(&p, sid).await?;
    Ok(axum::Json(ReviewView {
        submission: crate::views::submission(d.submission),
        integration: crate::views::integration(&d.integration),
        version: d.version.into(),
        base_version: d.base_version.as_ref().map(crate::views::version),
        diff: d.diff.into_iter().map(FileChangeView::from).collect(),
    }))
}

/// A file of the submitted version, for the viewer (served as plain text or its own type,
/// never rendered as a page of this site).
#[utoipa::path(get, operation_id = "moderation_file", path = "/api/v1/moderation/submissions/{sid}/files/{path}", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    params(("sid" = i64, Path, description = "submission id"), ("path" = String, Path, description = "file path inside the package")),
    responses(
        (status = 200, description = "the file's bytes", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 403, description = "not a moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such file", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn file(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((sid, path)): Path<(SubmissionId, String)>,
) -> Result<Response, ApiError> {
    let registry = &state.inner.registry;
    let entry = registry.review_file(&p, sid, &path).await?;
    // Streamed: a large file is never held whole.
    let stream = registry
        .blobs()
        .open(&entry.sha256)
        .await
        .map_err(|e| ApiError::from(widgetry_registry::Error::Blob(e)))?
        .ok_or_else(|| ApiError::internal(&format_args!("blob {} is missing", entry.sha256)))?;
    // Markup is shown as text: a widget's HTML or SVG must not run in the site's origin.
    Ok(crate::files::response::for_review(
        &entry.content_type,
        axum::body::Body::from_stream(stream),
    ))
}

/// Approves a submission: its version is published.
#[utoipa::path(post, operation_id = "moderation_approve", path = "/api/v1/moderation/submissions/{sid}/approve", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    params(("sid" = i64, Path, description = "submission id")),
    request_body = ApproveRequest,
    responses(
        (status = 200, description = "approved and published", body = SubmissionView),
        (status = 403, description = "not a moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such submission", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`submission.decided` (already decided or withdrawn) or `submission.published_changed` (another version was published meanwhile: reload and decide again)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sid): Path<SubmissionId>,
    body: axum::body::Bytes,
) -> Result<axum::Json<SubmissionView>, ApiError> {
    p.require_scope(Scope::Moderate)?;
    // The body is optional: an empty one approves against the base recorded at submission.
    let req: ApproveRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request(
                "request.bad_json",
                format!("the body is not a valid approval: {e}"),
            )
        })?
    };
    let s = state
        .inner
        .registry
        .approve(&p, sid, req.base_version, req.note)
        .await?;
    Ok(axum::Json(crate::views::submission(s)))
}

/// Rejects a submission with reasons; the version stays private.
#[utoipa::path(post, operation_id = "moderation_reject", path = "/api/v1/moderation/submissions/{sid}/reject", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    params(("sid" = i64, Path, description = "submission id")),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "rejected", body = SubmissionView),
        (status = 400, description = "no reason, an unknown code, or a reason without text", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "not a moderator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such submission", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`submission.decided`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reject(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(sid): Path<SubmissionId>,
    Json(req): Json<RejectRequest>,
) -> Result<axum::Json<SubmissionView>, ApiError> {
    let reasons = req
        .reasons
        .into_iter()
        .map(|r| Reason {
            code: r.code,
            text: r.text,
        })
        .collect();
    let s = state
        .inner
        .registry
        .reject(&p, sid, reasons, req.note)
        .await?;
    Ok(axum::Json(crate::views::submission(s)))
}

/// The moderators' own reason codes.
#[utoipa::path(get, operation_id = "moderation_reasons", path = "/api/v1/moderation/reasons", tag = "moderation",
    security(("token" = ["moderate"]), ("session" = [])),
    responses(
        (status = 200, description = "the codes", body = ReasonList),
        (status = 403, description = "not a moderator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reasons(Auth(p): Auth) -> Result<axum::Json<ReasonList>, ApiError> {
    p.require_scope(Scope::Moderate)?;
    Ok(axum::Json(ReasonList {
        reasons: MODERATION_REASONS
            .iter()
            .map(|code| ReasonCodeView {
                code: code.to_string(),
                title_en: crate::web::i18n::reason_title(Lang::En, code).to_string(),
                title_ru: crate::web::i18n::reason_title(Lang::Ru, code).to_string(),
            })
            .collect(),
    }))
}
