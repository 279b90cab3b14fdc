//! Who is looking at a page, in which language: the session cookie (pages never take API
//! tokens), the `widgetry_lang` cookie or `Accept-Language`, and the CSRF check every form
//! post goes through (the session's token in a hidden `csrf` field).

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use widgetry_registry::Principal;
use widgetry_validator::Lang;

/// The cookie that remembers the language switch.
pub(crate) const LANG_COOKIE: &str = "widgetry_lang";

/// Anyone looking at a page.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    /// The signed-in user, if any.
    pub principal: Option<Principal>,
    /// The page language.
    pub lang: Lang,
    /// The request path and query (for the language switch and `next`).
    pub path: String,
}

/// A signed-in viewer; anyone else is sent to the sign-in page and back.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub viewer: Viewer,
    pub principal: Principal,
}

/// The page language: the switch's cookie, else `Accept-Language`, else English.
pub(crate) fn lang(headers: &HeaderMap) -> Lang {
    match crate::auth::cookie(headers, LANG_COOKIE) {
        Some("ru") => Lang::Ru,
        Some("en") => Lang::En,
        _ => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_tag_list)
            .unwrap_or_default(),
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = match crate::auth::session_cookie(&parts.headers) {
            Some(value) => match state.inner.registry.session(value).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the session");
                    None
                }
            },
            None => None,
        };
        let viewer = Viewer {
            principal,
            lang: lang(&parts.headers),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
        };
        if let Some(slot) = parts.extensions.get::<super::failure::ViewerSlot>() {
            slot.fill(&viewer);
        }
        Ok(viewer)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        match viewer.principal.clone() {
            Some(principal) => Ok(SignedIn { viewer, principal }),
            None => {
                let next = if parts.method == axum::http::Method::GET {
                    viewer.path.clone()
                } else {
                    "/".to_string()
                };
                Err(Redirect::to(&format!("/login?next={}", encode(&next))).into_response())
            }
        }
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Where a redirect goes when the asked target is refused.
const SAFE_DEFAULT: &str = "/catalog";

/// Only a path on this site may be a redirect target: it must start with one `/`, hold no
/// control character (browsers drop tabs and newlines, so `/\t/evil.example` would become
/// `//evil.example`) and no backslash, and still name this origin once parsed as a URL.
/// The answer is the parsed path and query, so what the browser follows is what was checked.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else {
        return SAFE_DEFAULT.to_string();
    };
    if !n.starts_with('/') || n.starts_with("//") || n.chars().any(|c| c.is_control() || c == '\\')
    {
        return SAFE_DEFAULT.to_string();
    }
    let Ok(base) = url::Url::parse("http://widgetry.invalid/") else {
        return SAFE_DEFAULT.to_string();
    };
    match base.join(n) {
        Ok(u) if u.origin() == base.origin() && !u.path().starts_with("//") => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        _ => SAFE_DEFAULT.to_string(),
    }
}

/// Whether a form's `csrf` field is the session's token (constant time).
pub(crate) fn csrf_ok(p: &Principal, given: &str) -> bool {
    crate::auth::same_secret(given, p.csrf_token().unwrap_or_default())
}

/// Refuses a form post without the session's CSRF token.
pub(crate) fn check_csrf(p: &Principal, given: &str) -> Result<(), super::failure::PageError> {
    if csrf_ok(p, given) {
        Ok(())
    } else {
        Err(super::failure::PageError::Csrf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_the_site() {
        assert_eq!(safe_next(Some("/integrations/3")), "/integrations/3");
        assert_eq!(safe_next(Some("//evil.example/")), "/catalog");
        assert_eq!(safe_next(Some("https://evil.example/")), "/catalog");
        assert_eq!(safe_next(Some("/\\evil.example")), "/catalog");
        assert_eq!(safe_next(None), "/catalog");
        // Browsers drop tabs and newlines: `/\t/evil.example/` is `//evil.example/` to them.
        for bad in [
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "\t//evil.example",
            "/ /evil.example",
            "javascript:alert(1)",
            "catalog",
            "",
        ] {
            let got = safe_next(Some(bad));
            assert!(
                got == "/catalog" || (got.starts_with('/') && !got.starts_with("//")),
                "{bad:?} -> {got}"
            );
            assert!(
                !got.contains("evil.example") || got.starts_with("/%20/"),
                "{bad:?} -> {got}"
            );
        }
        assert_eq!(
            safe_next(Some("/catalog?q=a b&page=2")),
            "/catalog?q=a%20b&page=2"
        );
        assert_eq!(safe_next(Some("/a/../integrations")), "/integrations");
    }

    #[test]
    fn language_from_cookie_then_header() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            "ru-RU,ru;q=0.9".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(lang(&h), Lang::Ru);
        h.insert(
            header::COOKIE,
            "widgetry_lang=en"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(lang(&h), Lang::En);
    }
}
