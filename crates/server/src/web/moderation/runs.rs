//! Preview runs saved with a submission: `POST /moderation/{sid}/preview-runs` (from the
//! preview page, with the events its frame recorded and the screenshot it drew), the runs as
//! the submission page lists them with their `preview.*` findings, and
//! `GET /moderation/{sid}/preview-runs/{run}/screenshot.png`.

use super::*;
use widgetry_registry::MAX_RUN_BYTES;
use widgetry_validator::preview::{Event as HostEvent, MAX_SCREENSHOT_BYTES};

/// The body a save may have: the events' JSON and the screenshot's data URL, form-encoded,
/// are at most three times as long as they are.
pub(super) const MAX_SAVE_BODY: usize =
    3 * MAX_RUN_BYTES + 3 * (MAX_SCREENSHOT_BYTES.div_ceil(3) * 4 + 32) + 4096;

#[derive(Debug, Deserialize)]
pub(super) struct SaveForm {
    csrf: String,
    area: String,
    lang: String,
    events: String,
    /// The screenshot as a PNG data URL; empty when the frame drew none.
    #[serde(default)]
    screenshot: String,
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
        .save_preview_run(
            &user.principal,
            sid,
            &f.area,
            &f.lang,
            events,
            Some(f.screenshot.as_str()).filter(|s| !s.is_empty()),
        )
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
                screenshot => r.screenshot_width.zip(r.screenshot_height).map(|(w, h)| context! {
                    href => format!("/moderation/{}/preview-runs/{}/screenshot.png", sid.0, r.id),
                    width => w,
                    height => h,
                }),
                findings => minijinja::Value::from_serialize(&r.report.diagnostics),
            }
        })
        .collect())
}

/// `GET /moderation/{sid}/preview-runs/{run}/screenshot.png`: a saved run's screenshot, for
/// moderators. It is a PNG checked when saved, served like a package's image in the console
/// (`files::response::for_review`), so it runs nothing even when opened on its own.
pub(super) async fn screenshot(
    State(state): State<AppState>,
    user: SignedIn,
    Path((sid, run)): Path<(String, String)>,
) -> PageResult {
    moderators_only(&user)?;
    let sid = parse_sid(&sid).ok_or(PageError::NotFound)?;
    let run: i64 = run
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(PageError::NotFound)?;
    let png = state
        .inner
        .registry
        .preview_screenshot(&user.principal, sid, run)
        .await?;
    // Served as a package's image is to moderators: as itself, sandboxed, `nosniff`.
    Ok(crate::files::response::for_review(
        "image/png",
        axum::body::Body::from(png),
    ))
}
