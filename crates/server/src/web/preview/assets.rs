//! `GET /sandbox/{file}`: the preview host's assets (`widgetry_preview::assets`). The frame
//! is an opaque origin, so these answers say `Cross-Origin-Resource-Policy: cross-origin`;
//! they hold nothing secret.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(super) async fn file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = widgetry_preview::assets::find(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = asset.etag();
    let mut response = if crate::files::response::none_match(&headers, asset.sha256()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.bytes).into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        axum::http::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}
