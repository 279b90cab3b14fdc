//! `POST /api/v1/validate`: validates a package without storing anything.

use crate::error::ApiError;
use crate::extract::{Query, ReqLang};
use crate::{AppState, upload};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use serde::Deserialize;
use widgetry_validator::{Input, Limits, Options, Profile, Report};

/// Query of `POST /api/v1/validate`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValidateQuery {
    /// `upload` (default) or `publication`.
    #[param(value_type = Option<String>, example = "publication")]
    pub profile: Option<Profile>,
}

/// The multipart body of an upload (documentation only).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct WidgetUpload {
    /// The package; the file must be named `widget.zip`.
    #[schema(value_type = String, format = Binary)]
    pub widget: Vec<u8>,
}

/// Runs the validator in a blocking thread, at most `max_concurrent_checks` at once.
pub async fn check(
    state: &AppState,
    received: &upload::Received,
    profile: Profile,
    lang: widgetry_validator::Lang,
) -> Result<Report, ApiError> {
    let _slot = state.inner.registry.check_slot().await?;
    let bytes = received.read().await?;
    let max = state.inner.config.max_upload_bytes;
    tokio::task::spawn_blocking(move || {
        let options = Options {
            profile,
            lang,
            limits: Limits {
                max_archive_bytes: max,
                ..Limits::default()
            },
            ..Options::default()
        };
        widgetry_validator::validate(Input::Zip(&bytes), &options)
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

/// Validates a package and returns the report; stores nothing.
#[utoipa::path(post, operation_id = "validate_validate", path = "/api/v1/validate", tag = "uploads",
    security(("token" = []), ("session" = [])),
    params(ValidateQuery),
    request_body(content = WidgetUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "the validation report (valid or not), in the request's language", body = Object),
        (status = 400, description = "no `widget` field, or a file not named `widget.zip`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than the upload limit", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn validate(
    State(state): State<AppState>,
    client: crate::clients::ClientAddr,
    _auth: crate::auth::Auth,
    ReqLang(lang): ReqLang,
    Query(query): Query<ValidateQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<Report>, ApiError> {
    state
        .inner
        .limits
        .check(crate::clients::Guarded::Validate, &client)?;
    let received = upload::receive(
        multipart?,
        state.inner.config.max_upload_bytes,
        &state.inner.upload_dir,
        lang,
    )
    .await?;
    let report = check(&state, &received, query.profile.unwrap_or_default(), lang).await?;
    Ok(Json(report))
}
