//! `GET /widgets/{code}/{version}/{path}`: a file of a stored version.

use crate::AppState;
use crate::auth::MaybeAuth;
use crate::error::ApiError;
use crate::files::WidgetFile;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

/// A widget file: public published versions to anyone, others to the owner account only.
#[utoipa::path(get, operation_id = "files_file", path = "/widgets/{code}/{version}/{path}", tag = "widget files",
    params(
        ("code" = String, Path, description = "widget code"),
        ("version" = String, Path, description = "the version's `widget.version`"),
        ("path" = String, Path, description = "file path inside the package"),
    ),
    responses(
        (status = 200, description = "the file, with its content type, a strong ETag and `Cache-Control`", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 304, description = "`If-None-Match` matched"),
        (status = 404, description = "no such file the caller may see", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn file(
    State(state): State<AppState>,
    MaybeAuth(p): MaybeAuth,
    crate::extract::Path((code, version, path)): crate::extract::Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let registry = &state.inner.registry;
    let cache = &state.inner.files;
    let file = match cache.public_ref(&code, &version, &path) {
        Some(file) => file,
        None => {
            let viewer = p.as_ref().map(|p| p.account.id);
            let file = registry
                .resolve_file(viewer, &code, &version, &path)
                .await?
                .ok_or_else(|| ApiError::not_found("file"))?;
            cache.remember_ref(&code, &version, &path, &file);
            file
        }
    };
    if let Some(not_modified) = crate::files::not_modified(&headers, &file.sha256, file.public) {
        return Ok(not_modified);
    }
    let bytes = match cache.blob(&file.sha256) {
        Some(bytes) => bytes,
        None => {
            let bytes: bytes::Bytes = registry
                .blobs()
                .get(&file.sha256)
                .await
                .map_err(|e| {
                    ApiError::internal(&format_args!("reading blob {}: {e}", file.sha256))
                })?
                .ok_or_else(|| {
                    ApiError::internal(&format_args!("blob {} is missing", file.sha256))
                })?
                .into();
            cache.remember_blob(&file.sha256, &bytes);
            bytes
        }
    };
    Ok(WidgetFile {
        bytes,
        content_type: file.content_type,
        sha256: file.sha256,
        public: file.public,
    }
    .respond(&headers))
}
