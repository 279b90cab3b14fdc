//! Uploading `widget.zip` from the integration page.

use super::*;

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
) -> Result<Multipart, PageError> {
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
        Ok(Ok(m)) => Ok(m),
        Ok(Err(rejection)) => {
            tracing::info!(%rejection, "an upload form post is not multipart");
            Err(PageError::BadRequest)
        }
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
            "integrator.upload.too_large",
            &[("limit", &size_text(cap))],
        ),
        "upload.wrong_file_name" => match e.extra("file_name").and_then(Json::as_str) {
            Some(name) if !name.is_empty() => {
                fill(lang, "integrator.upload.wrong_name", &[("name", &name)])
            }
            _ => text(lang, "integrator.upload.no_file").to_string(),
        },
        "upload.missing_file" => text(lang, "integrator.upload.no_file").to_string(),
        _ => format!("{} {detail}", text(lang, "integrator.upload.unreadable")),
    };
    (status, text)
}

/// Receives the package after the CSRF check and stores it; `Err` is the refusal to show.
pub(super) async fn receive_and_store(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    mut multipart: Multipart,
) -> Result<Result<widgetry_registry::UploadOutcome, UploadRefusal>, PageError> {
    let (principal, lang) = (&user.principal, user.viewer.lang);
    let cap = state.inner.config.max_upload_bytes;
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            fill(
                lang,
                "integrator.upload.too_large",
                &[("limit", &size_text(cap))],
            ),
            Vec::new(),
        )
    };
    match read_csrf(&mut multipart).await {
        Ok(Some(token)) if csrf_ok(principal, &token) => {}
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(Err(too_large())),
        _ => return Err(PageError::Csrf),
    }
    let received = match crate::upload::receive(multipart, cap, &state.inner.upload_dir, lang).await
    {
        Ok(r) => r,
        Err(e) => {
            state.inner.metrics.upload_refused(e.code());
            let (status, text) = intake_refusal(lang, &e, cap);
            return Ok(Err((status, text, Vec::new())));
        }
    };
    // The slot is held through the refusal report below, which inflates the archive again.
    let slot = state.inner.registry.check_slot().await?;
    let bytes = received.read().await.map_err(read_back)?;
    let outcome = state
        .inner
        .registry
        .upload_version_owned(&slot, principal, id, bytes, lang)
        .await;
    let metrics = &state.inner.metrics;
    let (code, refusal) = match outcome {
        Ok(o) => {
            metrics.upload_accepted();
            metrics.findings(&o.warnings);
            return Ok(Ok(o));
        }
        Err(Error::Invalid(report)) => {
            metrics.findings(&report.diagnostics);
            // The registry took the archive; its text for the snippets is read back from the
            // received file and checked again off the async threads.
            let bytes = received.read().await.map_err(read_back)?;
            let message = fill(lang, "integrator.upload.invalid", &[("n", &report.errors)]);
            let groups = tokio::task::spawn_blocking(move || {
                report::group(&report.diagnostics, &report::zip_sources(&bytes))
            })
            .await
            .map_err(|e| PageError::failed("grouping an upload's findings failed", e))?;
            (
                "validation.failed",
                (StatusCode::BAD_REQUEST, message, groups),
            )
        }
        Err(Error::VersionNotIncreasing {
            given,
            latest,
            next,
        }) => (
            "version.not_increasing",
            (
                StatusCode::CONFLICT,
                fill(
                    lang,
                    "integrator.upload.not_increasing",
                    &[("given", &given), ("latest", &latest), ("next", &next)],
                ),
                Vec::new(),
            ),
        ),
        Err(Error::DuplicateArchive {
            number,
            widget_version,
        }) => (
            "version.duplicate_archive",
            (
                StatusCode::CONFLICT,
                fill(
                    lang,
                    "integrator.upload.duplicate",
                    &[("number", &number), ("widget_version", &widget_version)],
                ),
                Vec::new(),
            ),
        ),
        Err(e) => {
            return match refusal(lang, &e) {
                Some((status, text)) => Ok(Err((status, text, Vec::new()))),
                None => Err(e.into()),
            };
        }
    };
    metrics.upload_refused(code);
    Ok(Err(refusal))
}

pub(super) async fn upload_version(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    req: Request,
) -> PageResult {
    // Refuse what can be refused before reading the body.
    let integration = own(&state, &user, &id).await?;
    let multipart = limited_multipart(&state, req).await?;
    let id = integration.id;
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

/// A received upload that cannot be read back from its temporary file.
fn read_back(e: ApiError) -> PageError {
    PageError::failed("reading an upload back failed", e.detail())
}
