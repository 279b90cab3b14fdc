//! The integration page.

use super::*;

/// What a rendering of the integration page adds to the stored state.
#[derive(Debug, Default)]
pub(super) struct Extras {
    pub(super) status: Option<StatusCode>,
    pub(super) secret: Option<String>,
    pub(super) notice: Option<String>,
    pub(super) problem: Option<String>,
    /// Why the upload was refused, shown beside the file input.
    pub(super) upload_error: Option<String>,
    /// The refused upload's findings by file.
    pub(super) upload_report: Vec<Group>,
    /// Show the warnings of this version (after an upload).
    pub(super) warnings_of: Option<i64>,
}

/// The notices a redirect may name.
pub(super) const NOTICES: &[&str] = &[
    "edited",
    "submitted",
    "withdrawn",
    "rolled_back",
    "converted",
];

#[derive(Debug, Default, Deserialize)]
pub(super) struct PageQuery {
    pub(super) notice: Option<String>,
    pub(super) version: Option<i64>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let integration = own(&state, &user, &id).await?;
    let lang = user.viewer.lang;
    let mut extras = Extras::default();
    match q.notice.as_deref() {
        Some("uploaded") => extras.warnings_of = q.version,
        Some(key) if NOTICES.contains(&key) => {
            extras.notice = Some(text(lang, &format!("integrator-notice-{key}")).to_string());
        }
        _ => {}
    }
    integration_page(&state, &user, integration, extras).await
}

pub(super) async fn back_to_integration(Path(id): Path<String>) -> Redirect {
    match parse_id(&id) {
        Some(id) => Redirect::to(&page_path(IntegrationId(id))),
        None => Redirect::to("/integrations"),
    }
}

/// The integration page. Also the answer to posts (a refused upload, a new secret key), so
/// the viewer's path is the page's own.
pub(super) async fn integration_page(
    state: &AppState,
    user: &SignedIn,
    integration: Integration,
    mut extras: Extras,
) -> PageResult {
    let viewer = &at(&user.viewer, page_path(integration.id));
    let principal = &user.principal;
    let registry = &state.inner.registry;
    let lang = viewer.lang;
    let id = integration.id;
    let (versions, submissions) = match (
        registry.list_versions(principal, id).await,
        registry.list_submissions(principal, id).await,
    ) {
        (Ok(v), Ok(s)) => (v, s),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    // After an upload: its notice, warnings and bundled libraries, from the stored report.
    let mut warnings = None;
    let mut libraries = Value::from(());
    if let Some(number) = extras.warnings_of
        && let Ok(detail) = registry.get_version(principal, id, number).await
    {
        let found: Vec<Diagnostic> = detail
            .report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .cloned()
            .collect();
        let count = found
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        extras.notice = Some(fill(
            lang,
            "integrator-notice-uploaded",
            &[
                ("number", &number),
                ("widget_version", &detail.version.widget_version),
                ("n", &count),
            ],
        ));
        libraries = Value::from_serialize(&detail.report.libraries);
        if !found.is_empty() {
            let sources =
                report::stored_sources(registry, &detail.files, &found, OWN_SOURCE_BYTES).await;
            warnings = Some(context! {
                number => number,
                groups => Value::from_serialize(report::group(&found, &|p| sources.get(p).cloned())),
            });
        }
    }
    let public = integration.visibility == Visibility::Public;
    let version_rows: Vec<VersionRow> = versions
        .iter()
        .map(|v| VersionRow {
            brief: brief(lang, v),
            created_at: v.created_at.into(),
            can_rollback: public && v.state == VersionState::Superseded,
        })
        .collect();
    let submission_rows: Vec<SubmissionRow> = submissions
        .iter()
        .map(|s| submission_row(lang, s))
        .collect();
    let limit = state.inner.config.max_upload_bytes;
    Ok(page_with(
        extras.status.unwrap_or(StatusCode::OK),
        viewer,
        "integrator/integration.html",
        context! {
            integration => Value::from_serialize(integration_view(lang, &integration, &versions)),
            versions => Value::from_serialize(&version_rows),
            submissions => Value::from_serialize(&submission_rows),
            secret => extras.secret,
            notice => extras.notice,
            problem => extras.problem,
            upload_error => extras.upload_error,
            upload_report => Value::from_serialize(&extras.upload_report),
            warnings => warnings,
            libraries => libraries,
            upload_limit => size_text(limit),
        },
    ))
}
