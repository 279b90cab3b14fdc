//! Responses for widget files: the content type from the version's file index, a strong
//! ETag (`"<sha256>"`), `If-None-Match` answered with 304, and caching by visibility.
//!
//! A file of a public, published version never changes under its URL (the version is in
//! the URL and versions are immutable), so it is cacheable by anyone for a year. A file only
//! the owner account may see is `private, no-cache`: browsers may keep it but must
//! revalidate, and shared caches must not store it.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `Cache-Control` for files of public, published versions.
pub const CACHE_PUBLIC: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` for files only the owner account may fetch.
pub const CACHE_PRIVATE: &str = "private, no-cache";

/// One widget file to answer with.
#[derive(Debug)]
pub struct WidgetFile {
    /// The bytes.
    pub bytes: bytes::Bytes,
    /// The media type from the file index.
    pub content_type: String,
    /// SHA-256 hex of the bytes.
    pub sha256: String,
    /// Whether anyone may fetch it (a public, published version).
    pub public: bool,
}

fn common_headers(sha256: &str, public: bool) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, v);
    }
    let cache = if public { CACHE_PUBLIC } else { CACHE_PRIVATE };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !public {
        // The answer depends on who asks.
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Authorization, Cookie"),
        );
    }
    headers
}

/// The 304 answer when `If-None-Match` names the file, so the blob need not be read.
pub fn not_modified(request: &HeaderMap, sha256: &str, public: bool) -> Option<Response> {
    none_match(request, sha256)
        .then(|| (StatusCode::NOT_MODIFIED, common_headers(sha256, public)).into_response())
}

impl WidgetFile {
    /// The response to a `GET` with the given request headers.
    pub fn respond(self, request: &HeaderMap) -> Response {
        if let Some(r) = not_modified(request, &self.sha256, self.public) {
            return r;
        }
        let mut headers = common_headers(&self.sha256, self.public);
        let content_type = HeaderValue::from_str(&self.content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
        headers.insert(header::CONTENT_TYPE, content_type);
        (StatusCode::OK, headers, Body::from(self.bytes)).into_response()
    }
}

/// Whether `If-None-Match` names this entity (weak comparison, RFC 9110 13.1.2).
fn none_match(request: &HeaderMap, sha256: &str) -> bool {
    request.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        let Ok(value) = value.to_str() else {
            return false;
        };
        value.split(',').any(|tag| {
            let tag = tag.trim();
            if tag == "*" {
                return true;
            }
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag.strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .is_some_and(|t| t == sha256)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(public: bool) -> WidgetFile {
        WidgetFile {
            bytes: bytes::Bytes::from_static(b"define([], function(){});"),
            content_type: "text/javascript; charset=utf-8".into(),
            sha256: "abc123".into(),
            public,
        }
    }

    #[test]
    fn public_file_is_immutable_with_strong_etag() {
        let r = file(true).respond(&HeaderMap::new());
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::ETAG], "\"abc123\"");
        assert_eq!(r.headers()[header::CACHE_CONTROL], CACHE_PUBLIC);
        assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
    }

    #[test]
    fn private_file_must_revalidate() {
        let r = file(false).respond(&HeaderMap::new());
        assert_eq!(r.headers()[header::CACHE_CONTROL], CACHE_PRIVATE);
    }

    #[test]
    fn if_none_match_gives_304() {
        for value in ["\"abc123\"", "W/\"abc123\"", "\"x\", \"abc123\"", "*"] {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            let r = file(true).respond(&h);
            assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{value}");
            assert_eq!(r.headers()[header::ETAG], "\"abc123\"");
        }
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(file(true).respond(&h).status(), StatusCode::OK);
    }
}
