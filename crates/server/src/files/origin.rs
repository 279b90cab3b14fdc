//! The files listener (`--files-bind`, reached at `--files-url`): widget files and nothing
//! else, for anyone, with no principal at all. It never reads a cookie or an `Authorization`
//! header: a file is either part of an approved version of a public integration, or reached
//! through a prefix the owner account was handed signed (see [`super::signing`]). Everything
//! else, wrong, expired or tampered signatures included, is 404.
//!
//! `GET|HEAD /{code}/{version}/{path}` and `GET|HEAD /{code}/{version}/~{expires}.{sig}/{path}`;
//! `OPTIONS` answers CORS preflights.

use super::response::{self, Access};
use super::urls::unix_now;
use crate::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use widgetry_registry::FileRef;

/// The files listener's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/{code}/{version}/{*rest}", get(file).options(preflight))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.inner.metrics.clone(),
            crate::metrics::track,
        ))
        .with_state(state)
}

/// 404 with the open headers, so a page's XHR can read it.
fn not_found_response() -> Response {
    let mut r = crate::ApiError::not_found("file").into_response();
    response::open_headers(r.headers_mut());
    r
}

async fn not_found() -> Response {
    not_found_response()
}

/// CORS preflight: reads only, from any origin, with any request headers.
async fn preflight(headers: HeaderMap) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    response::open_headers(h);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    if let Some(asked) = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    r
}

/// Splits `~{expires}.{signature}/{path}` or `{path}` into the access it asks for and the
/// path inside the package; `None` for a prefix that does not verify.
fn access_of<'a>(
    state: &AppState,
    code: &str,
    version: &str,
    rest: &'a str,
    now: u64,
) -> Option<(Access, &'a str)> {
    match rest.strip_prefix('~') {
        None => Some((Access::Public, rest)),
        Some(signed) => {
            let (segment, path) = signed.split_once('/')?;
            let expires = state
                .inner
                .files_origin
                .signer()
                .verify(code, version, segment, now)?;
            Some((Access::Signed { expires }, path))
        }
    }
}

/// Where a file lives: from the cache when it answers the request (any location for a
/// signed request; for a public one only a location cached as public, since a version cached
/// while private may have been published since), else from the database.
async fn locate(
    state: &AppState,
    code: &str,
    version: &str,
    path: &str,
    access: Access,
) -> Result<Option<FileRef>, crate::ApiError> {
    let cache = &state.inner.files;
    if let Some(file) = cache.file_ref(code, version, path)
        && (file.public || access != Access::Public)
    {
        return Ok(Some(file));
    }
    let found = state.inner.registry.file_at(code, version, path).await?;
    if let Some(file) = &found {
        cache.remember_ref(code, version, path, file);
    }
    Ok(found)
}

/// An answer with the error's problem body and the open headers.
fn failure(e: crate::ApiError) -> Response {
    let mut r = e.into_response();
    response::open_headers(r.headers_mut());
    r
}

async fn file(
    State(state): State<AppState>,
    method: Method,
    axum::extract::Path((code, version, rest)): axum::extract::Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let now = unix_now();
    let Some((access, path)) = access_of(&state, &code, &version, &rest, now) else {
        return not_found_response();
    };
    let file = match locate(&state, &code, &version, path, access).await {
        Ok(Some(file)) if file.public || access != Access::Public => file,
        Ok(_) => return not_found_response(),
        Err(e) => return failure(e),
    };
    let status = response::status_for(&headers, &file.sha256);
    let mut file_headers = response::file_headers(&file.sha256, &file.content_type, access, now);
    if status == StatusCode::NOT_MODIFIED {
        return (status, file_headers).into_response();
    }
    file_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    // A HEAD needs the headers only: the store is not read.
    if method == Method::HEAD {
        return (status, file_headers).into_response();
    }
    match body(&state, &file).await {
        Ok(body) => (status, file_headers, body).into_response(),
        Err(e) => failure(e),
    }
}

/// The file's bytes: from the cache; else a small file read whole from the blob store and
/// kept; else streamed from the store, a chunk at a time (no request holds a large file).
async fn body(state: &AppState, file: &FileRef) -> Result<Body, crate::ApiError> {
    let cache = &state.inner.files;
    if let Some(bytes) = cache.blob(&file.sha256) {
        return Ok(Body::from(bytes));
    }
    let blobs = state.inner.registry.blobs();
    let missing = || crate::ApiError::internal(&format_args!("blob {} is missing", file.sha256));
    let failed = |e| crate::ApiError::from(widgetry_registry::Error::Blob(e));
    if u64::try_from(file.size).unwrap_or(u64::MAX) <= super::cache::MAX_CACHED_BLOB {
        let bytes = blobs
            .get(&file.sha256)
            .await
            .map_err(failed)?
            .ok_or_else(missing)?;
        cache.remember_blob(&file.sha256, &bytes);
        return Ok(Body::from(bytes));
    }
    let stream = blobs
        .open(&file.sha256)
        .await
        .map_err(failed)?
        .ok_or_else(missing)?;
    Ok(Body::from_stream(stream))
}
