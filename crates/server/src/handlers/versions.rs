//! Versions: upload a `widget.zip` into an integration, list, show.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Path, ReqLang};
use crate::handlers::validate::WidgetUpload;
use crate::service;
use crate::views::VersionView;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use widgetry_registry::Diagnostic;
use widgetry_registry::IntegrationId;

/// The answer to an accepted upload.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UploadResponse {
    /// The new version.
    pub version: VersionView,
    /// Findings that did not block the upload, in the request's language.
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<Diagnostic>,
}

/// `GET .../versions` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionList {
    /// Newest first.
    pub versions: Vec<VersionView>,
}

/// A file of a version.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileView {
    /// Path inside the package.
    pub path: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Content type served.
    pub content_type: String,
}

/// `GET .../versions/{number}` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionDetailView {
    /// The version.
    #[serde(flatten)]
    pub version: VersionView,
    /// The parsed `manifest.json`.
    #[schema(value_type = Object)]
    pub manifest: serde_json::Value,
    /// The upload's validation report.
    #[schema(value_type = Object)]
    pub report: widgetry_registry::Report,
    /// Every file, by path.
    pub files: Vec<FileView>,
}

/// Uploads `widget.zip` as a new version of an integration.
#[utoipa::path(post, operation_id = "versions_upload", path = "/api/v1/integrations/{id}/versions", tag = "uploads",
    security(("token" = ["upload"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    request_body(content = WidgetUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "stored; live at once for the owner account", body = UploadResponse),
        (status = 400, description = "validation errors (all listed under `errors`; nothing stored), a missing `widget` field, or a file not named `widget.zip`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the token lacks the `upload` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration, or another account's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`widget.version` not higher than the latest (`next_version` says which is), or the same bytes as an existing version (`existing_version`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "larger than the upload limit", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Auth(p): Auth,
    ReqLang(lang): ReqLang,
    Path(id): Path<IntegrationId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    // Refuse before reading the body what can be refused without it.
    let integration = service::uploads::target(&state, &p, id).await?;
    let multipart = multipart.map_err(ApiError::from);
    let outcome = service::uploads::upload(&state, &p, id, multipart, lang).await?;
    // The registry logs the accepted version.
    let location = format!(
        "/api/v1/integrations/{id}/versions/{}",
        outcome.version.number
    );
    let mut response = (
        StatusCode::CREATED,
        axum::Json(UploadResponse {
            version: crate::views::version_for_viewer(
                &outcome.version,
                state.files_origin(),
                p.account.id,
                &integration,
            ),
            warnings: outcome.warnings,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// The versions of an integration the caller may see, newest first.
#[utoipa::path(get, operation_id = "versions_list", path = "/api/v1/integrations/{id}/versions", tag = "uploads",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "the versions", body = VersionList),
        (status = 404, description = "no such integration, or another account's private one", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<VersionList>, ApiError> {
    let registry = &state.inner.registry;
    let versions = registry.list_versions(&p, id).await?;
    let integration = registry.get_integration(&p, id).await?;
    let origin = state.files_origin();
    Ok(axum::Json(VersionList {
        versions: versions
            .iter()
            .map(|v| crate::views::version_for_viewer(v, origin, p.account.id, &integration))
            .collect(),
    }))
}

/// One version with its manifest, report and files.
#[utoipa::path(get, operation_id = "versions_get", path = "/api/v1/integrations/{id}/versions/{number}", tag = "uploads",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id"), ("number" = i64, Path, description = "version sequence number")),
    responses(
        (status = 200, description = "the version", body = VersionDetailView),
        (status = 404, description = "no such version the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path((id, number)): Path<(IntegrationId, i64)>,
) -> Result<axum::Json<VersionDetailView>, ApiError> {
    let registry = &state.inner.registry;
    let d = registry.get_version(&p, id, number).await?;
    let integration = registry.get_integration(&p, id).await?;
    let version = crate::views::version_for_viewer(
        &d.version,
        state.files_origin(),
        p.account.id,
        &integration,
    );
    Ok(axum::Json(VersionDetailView {
        version,
        ..d.into()
    }))
}

impl From<widgetry_registry::VersionDetail> for VersionDetailView {
    fn from(d: widgetry_registry::VersionDetail) -> Self {
        VersionDetailView {
            version: crate::views::version(&d.version),
            manifest: d.manifest,
            report: d.report,
            files: d
                .files
                .into_iter()
                .map(|f| FileView {
                    path: f.path,
                    sha256: f.sha256,
                    size: f.size,
                    content_type: f.content_type,
                })
                .collect(),
        }
    }
}
