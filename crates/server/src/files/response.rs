//! The headers of a widget file answered on the files origin: content type from the version's
//! file index, a strong ETag (`"<sha256>"`), `If-None-Match` answered with 304, caching by
//! access, and the headers that keep untrusted bytes from acting as a page.
//!
//! Every answer carries `X-Content-Type-Options: nosniff`, `Cross-Origin-Resource-Policy:
//! cross-origin` and `Access-Control-Allow-Origin: *` (CRM pages load templates and i18n files
//! with XHR from their own origin; the files origin holds no credentials, so nothing is
//! exposed). Anything a browser would render as a document (HTML, XHTML, SVG, XML, PDF,
//! unknown types) also gets `Content-Security-Policy: sandbox; default-src 'none'` and
//! `Content-Disposition: attachment`.
//!
//! A file of a public, published version never changes under its URL (the version is in the
//! URL and versions are immutable), so anyone may cache it for a year. A file reached through
//! a signed prefix is `private, max-age=<seconds until the signature expires>`.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};

/// `Cache-Control` for files of public, published versions.
pub const CACHE_PUBLIC: &str = "public, max-age=31536000, immutable";
/// The policy that keeps a document from running anything or loading anything.
pub const DOCUMENT_CSP: &str = "sandbox; default-src 'none'";

/// How a request reached a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A public, published version: no signature needed.
    Public,
    /// Through a signed prefix valid until `expires` (unix seconds).
    Signed {
        /// When the signature expires.
        expires: u64,
    },
}

/// Media types a browser shows as the bytes they are, never as an active document: scripts
/// and styles (they run only when a page includes them), data, plain text, raster images and
/// fonts. Everything else is sandboxed and sent as an attachment.
const INLINE_TYPES: &[&str] = &[
    "text/javascript",
    "text/css",
    "application/json",
    "text/plain",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/x-icon",
    "font/woff",
    "font/woff2",
    "font/ttf",
    "font/otf",
    "application/vnd.ms-fontobject",
    "application/wasm",
];

/// Whether a browser may show a file of this content type inline (see [`INLINE_TYPES`]).
pub fn is_inline_safe(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    INLINE_TYPES.contains(&essence.as_str())
}

/// The headers every file answer carries, CORS included (also on 404s).
pub fn open_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
}

/// The headers of a file answer (200 or 304): ETag, caching, content type and the document
/// guards. `now` is unix seconds.
pub fn file_headers(sha256: &str, content_type: &str, access: Access, now: u64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    open_headers(&mut headers);
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, v);
    }
    let cache = match access {
        Access::Public => HeaderValue::from_static(CACHE_PUBLIC),
        Access::Signed { expires } => {
            HeaderValue::from_str(&format!("private, max-age={}", expires.saturating_sub(now)))
                .unwrap_or(HeaderValue::from_static("private, no-cache"))
        }
    };
    headers.insert(header::CACHE_CONTROL, cache);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if !is_inline_safe(content_type) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCUMENT_CSP),
        );
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    headers
}

/// Bitmaps a moderator's browser may show as themselves on the main origin.
const REVIEW_IMAGES: &[&str] = &["image/png", "image/jpeg", "image/gif"];

/// Whether a package file is shown to moderators as an image (else as plain text).
pub fn is_review_image(content_type: &str) -> bool {
    REVIEW_IMAGES.iter().any(|t| content_type.starts_with(t))
}

/// A package file read by a moderator on the main origin (the console's raw route and the
/// API's): bitmaps as themselves, everything else as plain text, sandboxed, `nosniff`, never
/// stored, so no markup of a package ever acts as a page of the site.
pub fn for_review(content_type: &str, body: axum::body::Body) -> axum::response::Response {
    use axum::response::IntoResponse;
    let shown = if is_review_image(content_type) {
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("text/plain"))
    } else {
        HeaderValue::from_static("text/plain; charset=utf-8")
    };
    (
        [
            (header::CONTENT_TYPE, shown),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCUMENT_CSP),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Whether `If-None-Match` names this entity (weak comparison, RFC 9110 13.1.2), so the
/// answer is 304 and the blob need not be read.
pub fn none_match(request: &HeaderMap, sha256: &str) -> bool {
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

/// The status for a request with these headers: 304 when the client has the entity.
pub fn status_for(request: &HeaderMap, sha256: &str) -> StatusCode {
    if none_match(request, sha256) {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_file_is_immutable_with_strong_etag_and_open_to_every_origin() {
        let h = file_headers(
            "abc123",
            "text/javascript; charset=utf-8",
            Access::Public,
            0,
        );
        assert_eq!(h[header::ETAG], "\"abc123\"");
        assert_eq!(h[header::CACHE_CONTROL], CACHE_PUBLIC);
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(h["cross-origin-resource-policy"], "cross-origin");
        assert_eq!(h[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
        assert!(h.get(header::CONTENT_SECURITY_POLICY).is_none());
        assert!(h.get(header::CONTENT_DISPOSITION).is_none());
    }

    #[test]
    fn a_signed_file_is_private_until_its_signature_expires() {
        let h = file_headers("abc", "image/png", Access::Signed { expires: 1_500 }, 1_000);
        assert_eq!(h[header::CACHE_CONTROL], "private, max-age=500");
        let h = file_headers("abc", "image/png", Access::Signed { expires: 900 }, 1_000);
        assert_eq!(h[header::CACHE_CONTROL], "private, max-age=0");
    }

    #[test]
    fn documents_are_sandboxed_attachments() {
        for t in [
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "image/svg+xml",
            "application/xml",
            "text/xml",
            "application/pdf",
            "application/octet-stream",
            "application/zip",
            "TEXT/HTML",
            "",
            "text/javascript-but-not-really",
        ] {
            let h = file_headers("abc", t, Access::Public, 0);
            assert_eq!(h[header::CONTENT_SECURITY_POLICY], DOCUMENT_CSP, "{t}");
            assert_eq!(h[header::CONTENT_DISPOSITION], "attachment", "{t}");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{t}");
        }
        for t in [
            "text/javascript; charset=utf-8",
            "text/css; charset=utf-8",
            "application/json",
            "text/plain; charset=utf-8",
            "image/png",
            "image/jpeg",
            "font/woff2",
        ] {
            assert!(is_inline_safe(t), "{t}");
        }
    }

    #[test]
    fn if_none_match_gives_304() {
        for value in ["\"abc123\"", "W/\"abc123\"", "\"x\", \"abc123\"", "*"] {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            assert_eq!(
                status_for(&h, "abc123"),
                StatusCode::NOT_MODIFIED,
                "{value}"
            );
        }
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(status_for(&h, "abc123"), StatusCode::OK);
    }
}
