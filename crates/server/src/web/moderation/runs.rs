//! Preview runs saved with a submission: `POST /moderation/{sid}/preview-runs` (from the
//! preview page, with the events its frame recorded), and the runs as the submission page
//! lists them with their `preview.*` findings.

use super::*;
use widgetry_registry::MAX_RUN_BYTES;
use widgetry_validator::preview::Event as HostEvent;

/// The body a save may have: the events' JSON, form-encoded, is at most three times as long.
pub(super) const MAX_SAVE_BODY: usize = 3 * MAX_RUN_BYTES + 4096;

#[derive(Debug, Deserialize)]
pub(super) struct SaveForm {
    csrf: String,
    area: String,
    lang: String,
    events: String,
}

/// `POST /moderation/{sid}/preview-runs`.
pub(super) async fn save(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Form(f): Form<SaveForm>,
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    moderators_only(&user)?;
    let sid = parse_sid(&sid).ok_or(PageError::NotFound)?;
    // The JSON is bounded before it is parsed; the registry bounds the events again.
    let bad = || {
        PageError::BadInput(
            widgetry_registry::BadInput::new(
                "/events",
                widgetry_registry::InputCode::PreviewEvents,
            )
            .with("max", widgetry_validator::preview::MAX_EVENTS)
            .with("max_bytes", MAX_RUN_BYTES),
        )
    };
    if f.events.len() > MAX_RUN_BYTES {
        return Err(bad());
    }
    let events: Vec<HostEvent> = serde_json::from_str(&f.events).map_err(|_| bad())?;
    state
        .inner
        .registry
        .save_preview_run(&user.principal, sid, &f.area, &f.lang, events)
        .await?;
    Ok(Redirect::to(&format!("/moderation/{sid}?notice=previewed#preview-runs")).into_response())
}

/// The runs of a submission as the page lists them.
pub(super) async fn listed(
    registry: &Registry,
    user: &SignedIn,
    sid: SubmissionId,
) -> Result<Vec<minijinja::Value>, PageError> {
    let runs = registry.preview_runs(&user.principal, sid).await?;
    Ok(runs
        .into_iter()
        .map(|r| {
            context! {
                id => r.id,
                area => r.area,
                lang => r.lang,
                errors => r.errors,
                warnings => r.warnings,
                created_at => r.created_at,
                findings => minijinja::Value::from_serialize(&r.report.diagnostics),
            }
        })
        .collect())
}
