//! The integrator's side of moderation: submit a version, list and show submissions, withdraw
//! one in review, roll a public integration back, read its history, and follow its status
//! changes as server-sent events.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path, Query, ReqLang};
use crate::views::{EventView, IntegrationView, ListingChangesView, SubmissionView};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::time::Duration;
use widgetry_registry::{IntegrationId, SubmissionId};
use widgetry_registry::{ListingChanges, NewSubmission, Principal, Registry, TestCredentials};

/// `POST /api/v1/integrations/{id}/submissions` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SubmissionRequest {
    /// Sequence number of the version; the latest version when absent.
    #[serde(default)]
    pub version: Option<i64>,
    /// Publication languages, e.g. `["en", "ru"]`.
    #[serde(default)]
    pub languages: Vec<String>,
    /// What the widget does, by language; must contain a support phone and e-mail.
    #[serde(default)]
    pub description: BTreeMap<String, String>,
    /// How to connect and use it, by language.
    #[serde(default)]
    pub instructions: BTreeMap<String, String>,
    /// Test credentials for any third-party system the widget talks to: readable by
    /// moderators only, never logged, never shown back.
    #[serde(default)]
    pub test_credentials: Option<String>,
    /// Support phone.
    #[serde(default)]
    pub support_phone: String,
    /// Support e-mail.
    #[serde(default)]
    pub support_email: String,
    /// Name and description changes to apply to the integration on approval.
    #[serde(default)]
    pub changes: ListingChangesView,
}

impl From<SubmissionRequest> for NewSubmission {
    fn from(r: SubmissionRequest) -> Self {
        NewSubmission {
            version: r.version,
            languages: r.languages,
            description: r.description,
            instructions: r.instructions,
            test_credentials: r.test_credentials.map(TestCredentials),
            support_phone: r.support_phone,
            support_email: r.support_email,
            changes: ListingChanges {
                name: r.changes.name,
                description: r.changes.description,
            },
        }
    }
}

/// A list of submissions.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubmissionList {
    /// The submissions.
    pub submissions: Vec<SubmissionView>,
}

/// `POST /api/v1/integrations/{id}/rollback` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RollbackRequest {
    /// Sequence number of the earlier published version to publish again.
    pub version: i64,
}

/// An integration's history.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventList {
    /// Oldest first.
    pub events: Vec<EventView>,
}

/// `after` for the history and the event stream.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AfterQuery {
    /// Only events after this id (`0` replays the whole history).
    pub after: Option<i64>,
}

/// Submits a version for moderation.
#[utoipa::path(post, operation_id = "submissions_submit", path = "/api/v1/integrations/{id}/submissions", tag = "moderation",
    security(("token" = ["submit"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    request_body = SubmissionRequest,
    responses(
        (status = 201, description = "queued for moderation; the version is `in_review`", body = SubmissionView),
        (status = 400, description = "`submission.blocked`: every publication and submission finding under `errors`; nothing queued", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the token lacks the `submit` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`submission.conflict` (already in review, published, or older than the published version) or `submission.no_version`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Auth(p): Auth,
    ReqLang(lang): ReqLang,
    Path(id): Path<IntegrationId>,
    Json(req): Json<SubmissionRequest>,
) -> Result<Response, ApiError> {
    let submission = state
        .inner
        .registry
        .submit(&p, id, req.into(), lang)
        .await?;
    let location = format!("/api/v1/integrations/{id}/submissions/{}", submission.id);
    let mut response = (
        StatusCode::CREATED,
        axum::Json(crate::views::submission(submission)),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// The submissions of one of the caller's integrations, newest first.
#[utoipa::path(get, operation_id = "submissions_list", path = "/api/v1/integrations/{id}/submissions", tag = "moderation",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "the submissions (never the test credentials)", body = SubmissionList),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<SubmissionList>, ApiError> {
    let list = state.inner.registry.list_submissions(&p, id).await?;
    Ok(axum::Json(SubmissionList {
        submissions: list.into_iter().map(crate::views::submission).collect(),
    }))
}

/// One submission: state, report and, once decided, the moderator's reasons.
#[utoipa::path(get, operation_id = "submissions_get", path = "/api/v1/integrations/{id}/submissions/{sid}", tag = "moderation",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id"), ("sid" = i64, Path, description = "submission id")),
    responses(
        (status = 200, description = "the submission", body = SubmissionView),
        (status = 404, description = "no such submission in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, sid)): Path<(IntegrationId, SubmissionId)>,
) -> Result<axum::Json<SubmissionView>, ApiError> {
    let s = state.inner.registry.get_submission(&p, id, sid).await?;
    Ok(axum::Json(crate::views::submission(s)))
}

/// Withdraws a submission still in review.
#[utoipa::path(post, operation_id = "submissions_withdraw", path = "/api/v1/integrations/{id}/submissions/{sid}/withdraw", tag = "moderation",
    security(("token" = ["submit"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id"), ("sid" = i64, Path, description = "submission id")),
    responses(
        (status = 200, description = "withdrawn; the version is `withdrawn` and may be submitted again", body = SubmissionView),
        (status = 403, description = "the token lacks the `submit` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such submission in the caller's account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`submission.decided`: no longer in review", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, sid)): Path<(IntegrationId, SubmissionId)>,
) -> Result<axum::Json<SubmissionView>, ApiError> {
    let s = state.inner.registry.withdraw(&p, id, sid).await?;
    Ok(axum::Json(crate::views::submission(s)))
}

/// Publishes an earlier published version again, without a new review.
#[utoipa::path(post, operation_id = "submissions_rollback", path = "/api/v1/integrations/{id}/rollback", tag = "moderation",
    security(("token" = ["submit"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    request_body = RollbackRequest,
    responses(
        (status = 200, description = "the integration, now publishing that version", body = IntegrationView),
        (status = 400, description = "no such version", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the token lacks the `submit` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`rollback.not_public`, `rollback.conflict` (already published) or `rollback.not_approved` (never published)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rollback(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
    Json(req): Json<RollbackRequest>,
) -> Result<axum::Json<IntegrationView>, ApiError> {
    let i = state.inner.registry.rollback(&p, id, req.version).await?;
    Ok(axum::Json(crate::views::integration(&i)))
}

/// Every recorded event of one of the caller's integrations, oldest first.
#[utoipa::path(get, operation_id = "submissions_history", path = "/api/v1/integrations/{id}/audit", tag = "moderation",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id"), AfterQuery),
    responses(
        (status = 200, description = "the history: who, when, from, to, why", body = EventList),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
    Query(q): Query<AfterQuery>,
) -> Result<axum::Json<EventList>, ApiError> {
    let events = state
        .inner
        .registry
        .integration_history(&p, id, q.after.unwrap_or(0), false, 10_000)
        .await?;
    Ok(axum::Json(EventList {
        events: events.into_iter().map(crate::views::event).collect(),
    }))
}

/// How often a stream looks for events committed by other server processes when they are not
/// pushed (SQLite).
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How often it looks anyway when they are (PostgreSQL `LISTEN/NOTIFY`): a last resort.
const POLL_PUSHED: Duration = Duration::from_secs(15);
/// Events read per query.
const EVENT_BATCH: i64 = 100;

/// Status changes of one of the caller's integrations as server-sent events.
#[utoipa::path(get, operation_id = "submissions_events", path = "/api/v1/integrations/{id}/events", tag = "moderation",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id"), AfterQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "resume after this event id")),
    responses(
        (status = 200, description = "`text/event-stream`: `id` = event id, `event` = kind, `data` = the event as JSON; without `after` or `Last-Event-ID` only new events", content_type = "text/event-stream", body = String),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
    Query(q): Query<AfterQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let registry = state.inner.registry.clone();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let after = match resume.or(q.after) {
        Some(after) => after,
        // Refuses at once (404) rather than inside the stream.
        None => registry.last_event_id(&p, id).await?,
    };
    if resume.is_some() || q.after.is_some() {
        registry.integration_history(&p, id, after, true, 1).await?;
    }
    let stopping = state.inner.stopping.subscribe();
    Ok(Sse::new(event_stream(registry, p, id, after, stopping)).keep_alive(KeepAlive::default()))
}

/// How often a stream asks again whether its caller's session or token still holds (it also
/// asks before every event it sends).
const RECHECK_EVERY: Duration = Duration::from_secs(30);

struct Follow {
    registry: Registry,
    principal: Principal,
    integration: IntegrationId,
    after: i64,
    pending: VecDeque<widgetry_registry::AuditEvent>,
    wake: tokio::sync::watch::Receiver<u64>,
    /// Turns true when the server shuts down: the stream ends.
    stopping: tokio::sync::watch::Receiver<bool>,
    /// When the caller's credential was last found valid.
    checked: tokio::time::Instant,
}

impl Follow {
    /// Whether the stream may go on: the server is not stopping and the caller's session or
    /// token still holds (asked again when `due`, or at least every [`RECHECK_EVERY`]).
    async fn may_go_on(&mut self, due: bool) -> bool {
        if *self.stopping.borrow() {
            return false;
        }
        if !due && self.checked.elapsed() < RECHECK_EVERY {
            return true;
        }
        match self.registry.still_authenticated(&self.principal).await {
            Ok(true) => {
                self.checked = tokio::time::Instant::now();
                true
            }
            Ok(false) => {
                tracing::info!(
                    integration = %self.integration,
                    "event stream ended: its credential was revoked or expired"
                );
                false
            }
            // A database hiccup does not end the stream; the next check asks again.
            Err(e) => {
                tracing::warn!(error = %e, "cannot re-check an event stream's caller");
                true
            }
        }
    }
}

fn event_stream(
    registry: Registry,
    principal: Principal,
    integration: IntegrationId,
    after: i64,
    stopping: tokio::sync::watch::Receiver<bool>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let wake = registry.subscribe_events();
    let follow = Follow {
        registry,
        principal,
        integration,
        after,
        pending: VecDeque::new(),
        wake,
        stopping,
        checked: tokio::time::Instant::now(),
    };
    futures_util::stream::unfold(follow, |mut f| async move {
        loop {
            if !f.pending.is_empty() && !f.may_go_on(true).await {
                return None;
            }
            if let Some(e) = f.pending.pop_front() {
                f.after = e.id;
                let event = Event::default()
                    .id(e.id.to_string())
                    .event(e.kind.clone())
                    .json_data(crate::views::event(e))
                    .unwrap_or_else(|_| Event::default().comment("unserializable event"));
                return Some((Ok(event), f));
            }
            if !f.may_go_on(false).await {
                return None;
            }
            f.wake.mark_unchanged();
            match f
                .registry
                .integration_history(&f.principal, f.integration, f.after, true, EVENT_BATCH)
                .await
            {
                Ok(events) if !events.is_empty() => f.pending.extend(events),
                Ok(_) => {
                    let poll = if f.registry.events_pushed() {
                        POLL_PUSHED
                    } else {
                        POLL_EVERY
                    };
                    let until_recheck = RECHECK_EVERY.saturating_sub(f.checked.elapsed());
                    let wait = poll.min(until_recheck).max(Duration::from_millis(10));
                    tokio::select! {
                        _ = tokio::time::timeout(wait, f.wake.changed()) => {}
                        _ = f.stopping.changed() => {}
                    }
                }
                Err(widgetry_registry::Error::NotFound) => return None,
                Err(e) => {
                    tracing::warn!(error = %e, integration = %f.integration, "event stream query failed");
                    tokio::time::sleep(POLL_EVERY).await;
                }
            }
        }
    })
}
