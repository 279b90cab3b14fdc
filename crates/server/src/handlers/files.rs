//! `GET /widgets/{code}/{version}/{path}` on the main origin: widget files are not served here
//! (they are untrusted and must never run with this site's cookies); the request is
//! redirected to the same path on the files origin, where public files are served to anyone
//! and everything else is 404 (the owner reaches private versions through the signed base URL
//! the API hands out, never through this route).

use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

/// How long a browser may keep the redirect (the files origin may move).
const REDIRECT_CACHE: &str = "public, max-age=86400";

/// Redirects to the files origin.
#[utoipa::path(get, operation_id = "files_file", path = "/widgets/{code}/{version}/{path}", tag = "widget files",
    description = "Widget files are served on the files origin (`--files-url`), never on this one. This route answers `308 Permanent Redirect` to the same path there, without looking the file up: files of approved versions of public integrations are served there to anyone; every other file is 404 there, since the files origin reads no cookies or tokens. The API gives each caller the base URL it may use (`files_base_url`): a signed one for the owner account's private versions.",
    params(
        ("code" = String, Path, description = "widget code"),
        ("version" = String, Path, description = "the version's `widget.version`"),
        ("path" = String, Path, description = "file path inside the package"),
    ),
    responses(
        (status = 308, description = "`Location`: the same path on the files origin"),
    ))]
pub async fn file(State(state): State<AppState>, uri: Uri) -> Response {
    let rest = uri.path().strip_prefix("/widgets").unwrap_or(uri.path());
    let target = format!("{}{rest}", state.inner.files_origin.base());
    match HeaderValue::from_str(&target) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [
                (header::LOCATION, location),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(REDIRECT_CACHE),
                ),
            ],
        )
            .into_response(),
        Err(_) => crate::ApiError::not_found("file").into_response(),
    }
}
