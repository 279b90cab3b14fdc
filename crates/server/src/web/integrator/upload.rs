//! Uploading `widget.zip` from the integration page.

use super::*;
use crate::service::{self, uploads::UploadRefusal as Refused};

/// Longest `csrf` field read from a multipart body.
pub(super) const MAX_CSRF_BYTES: usize = 256;

/// A refused upload as shown on the page: status, message, findings by file.
pub(super) type UploadRefusal = (StatusCode, String, Vec<Group>);

/// Reads the `csrf` field, which the form puts before the file (browsers send fields in
/// document order), so the token is checked before the package is read.
pub(super) async fn read_csrf(multipart: &mut Multipart) -> Result<Option<String>, MultipartError> {
    let Some(mut field) = multipart.next_field().await? else {
        return Ok(None);
    };
    if field.name() != Some("csrf") {
        return Ok(None);
    }
    read_small(&mut field).await
}

pub(super) async fn read_small(field: &mut Field<'_>) -> Result<Option<String>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_CSRF_BYTES {
            return Ok(None);
        }
    }
    Ok(String::from_utf8(bytes).ok())
}

/// The multipart body with the API's body cap (the upload limit plus slack).
pub(super) async fn limited_multipart(
    state: &AppState,
    req: Request,
) -> Result<Multipart, ApiError> {
    use tower::{Layer, ServiceExt};
    let limit = usize::try_from(state.inner.config.max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(crate::upload::BODY_SLACK);
    let extract = tower::service_fn(|req: Request| async move {
        Ok::<_, std::convert::Infallible>(Multipart::from_request(req, &()).await)
    });
    match DefaultBodyLimit::max(limit)
        .layer(extract)
        .oneshot(req)
        .await
    {
        Ok(result) => result.map_err(ApiError::from),
        Err(never) => match never {},
    }
}

/// The page text for an intake refusal of `crate::upload::receive`.
pub(super) fn intake_refusal(lang: Lang, e: &ApiError, cap: u64) -> (StatusCode, String) {
    let status = e.status();
    let code = e.code();
    let detail = e.detail();
    let text = match code {
        "upload.too_large" => fill(
            lang,
            "integrator-upload-too_large",
            &[("limit", &size_text(cap))],
        ),
        "upload.wrong_file_name" => match e.extra("file_name").and_then(Json::as_str) {
            Some(name) if !name.is_empty() => {
                fill(lang, "integrator-upload-wrong_name", &[("name", &name)])
            }
            _ => text(lang, "integrator-upload-no_file").to_string(),
        },
        "upload.missing_file" => text(lang, "integrator-upload-no_file").to_string(),
        _ => format!("{} {detail}", text(lang, "integrator-upload-unreadable")),
    };
    (status, text)
}

/// Checks the form's CSRF token, then stores the package through the upload use case;
/// `Ok(Err(..))` is the refusal to show on the integration page.
async fn receive_and_store(
    state: &AppState,
    user: &SignedIn,
    id: IntegrationId,
    multipart: Result<Multipart, ApiError>,
) -> Result<Result<widgetry_registry::UploadOutcome, UploadRefusal>, PageError> {
    let (principal, lang) = (&user.principal, user.viewer.lang);
    let cap = state.inner.config.max_upload_bytes;
    let multipart = match multipart {
        Ok(mut m) => match read_csrf(&mut m).await {
            Ok(Some(token)) if csrf_ok(principal, &token) => Ok(m),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::too_large(cap)),
            _ => return Err(PageError::Csrf),
        },
        Err(e) => Err(e),
    };
    let refused = match service::uploads::upload(state, principal, id, multipart, lang).await {
        Ok(outcome) => return Ok(Ok(outcome)),
        Err(r) => r,
    };
    let shown = match refused {
        Refused::Intake(e) => {
            let (status, text) = intake_refusal(lang, &e, cap);
            (status, text, Vec::new())
        }
        Refused::Invalid {
            report,
            received,
            slot,
        } => {
            // The registry took the bytes; the report's snippets read them again.
            let archive = received
                .read()
                .await
                .map_err(|e| PageError::failed("reading an upload back failed", e.detail()))?;
            let message = fill(lang, "integrator-upload-invalid", &[("n", &report.errors)]);
            // Source lines for the findings, off the async threads and within the slot.
            let groups = tokio::task::spawn_blocking(move || {
                let groups = report::group(&report.diagnostics, &report::zip_sources(&archive));
                drop(slot);
                groups
            })
            .await
            .map_err(|e| PageError::failed("grouping an upload's findings failed", e))?;
            (StatusCode::BAD_REQUEST, message, groups)
        }
        Refused::Registry(Error::VersionNotIncreasing {
            given,
            latest,
            next,
        }) => (
            StatusCode::CONFLICT,
            fill(
                lang,
                "integrator-upload-not_increasing",
                &[("given", &given), ("latest", &latest), ("next", &next)],
            ),
            Vec::new(),
        ),
        Refused::Registry(Error::DuplicateArchive {
            number,
            widget_version,
        }) => (
            StatusCode::CONFLICT,
            fill(
                lang,
                "integrator-upload-duplicate",
                &[("number", &number), ("widget_version", &widget_version)],
            ),
            Vec::new(),
        ),
        Refused::Registry(e) => match refusal(lang, &e) {
            Some((status, text)) => (status, text, Vec::new()),
            None => return Err(e.into()),
        },
    };
    Ok(Err(shown))
}

pub(super) async fn upload_version(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    req: Request,
) -> PageResult {
    // Refuse what can be refused before reading the body.
    let id = parse_id(&id)
        .map(IntegrationId)
        .ok_or(PageError::NotFound)?;
    service::uploads::target(&state, &user.principal, id).await?;
    let multipart = limited_multipart(&state, req).await;
    match receive_and_store(&state, &user, id, multipart).await? {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/integrations/{id}?notice=uploaded&version={}",
            outcome.version.number
        ))
        .into_response()),
        Err((status, text, groups)) => {
            // The integration may have got its code meanwhile; show the current state.
            let integration = own(&state, &user, &id.to_string()).await?;
            integration_page(
                &state,
                &user,
                integration,
                Extras {
                    status: Some(status),
                    upload_error: Some(text),
                    upload_report: groups,
                    ..Extras::default()
                },
            )
            .await
        }
    }
}
