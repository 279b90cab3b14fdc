//! Who is calling: the [`Auth`] extractor resolves `Authorization: Bearer wgt_...` or the
//! `widgetry_session` cookie to a registry [`Principal`].
//!
//! A bearer token wins over a cookie when both are present. Cookie-authenticated requests
//! with a method that changes state (anything but GET, HEAD, OPTIONS) must echo the
//! session's CSRF token in `X-CSRF-Token`; tokens need no CSRF protection (browsers never
//! attach them by themselves).

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use widgetry_registry::{Principal, SESSION_COOKIE};

/// The header a cookie-authenticated, state-changing request must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

/// A caller who may be anonymous (widget files). Credentials that do not resolve count as
/// anonymous here rather than failing the request.
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Principal>);

enum Credentials<'a> {
    Token(&'a str),
    Cookie(&'a str),
    None,
    Malformed,
}

fn credentials(headers: &HeaderMap) -> Credentials<'_> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let Ok(value) = value.to_str() else {
            return Credentials::Malformed;
        };
        let mut parts = value.splitn(2, ' ');
        let scheme = parts.next().unwrap_or_default();
        let token = parts.next().unwrap_or_default().trim();
        if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() {
            return Credentials::Token(token);
        }
        return Credentials::Malformed;
    }
    match session_cookie(headers) {
        Some(c) => Credentials::Cookie(c),
        None => Credentials::None,
    }
}

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// The value of a cookie, if the request carries it (and it is not empty).
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n == name && !value.is_empty()).then_some(value)
        })
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn csrf_ok(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| same_secret(given, expected))
}

/// Whether two secrets are equal, in time that does not depend on where they differ; an
/// empty expected secret never matches.
pub fn same_secret(given: &str, expected: &str) -> bool {
    !expected.is_empty()
        && widgetry_registry::constant_time_eq(given.as_bytes(), expected.as_bytes())
}

async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Principal>, ApiError> {
    let registry = &state.inner.registry;
    match credentials(&parts.headers) {
        Credentials::None => Ok(None),
        Credentials::Malformed => Err(ApiError::unauthorized(
            "the `Authorization` header must be `Bearer wgt_...`",
        )),
        Credentials::Token(raw) => match registry.authenticate_token(raw).await? {
            Some(p) => Ok(Some(p)),
            None => Err(ApiError::unauthorized(
                "the token is unknown, expired or revoked",
            )),
        },
        Credentials::Cookie(value) => match registry.session(value).await? {
            Some(p) => {
                if changes_state(&parts.method)
                    && !csrf_ok(&parts.headers, p.csrf_token().unwrap_or_default())
                {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "auth.csrf",
                        "missing csrf token",
                        "a request authenticated by the session cookie that changes state must carry the session's CSRF token in header `X-CSRF-Token`",
                    ));
                }
                Ok(Some(p))
            }
            None => Err(ApiError::unauthorized(
                "the session expired or was ended; sign in again",
            )),
        },
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match resolve(parts, state).await? {
            Some(p) => Ok(Auth(p)),
            None => Err(ApiError::unauthorized(
                "this request needs `Authorization: Bearer wgt_...` or a session cookie",
            )),
        }
    }
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match resolve(parts, state).await {
            Ok(p) => Ok(MaybeAuth(p)),
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => Ok(MaybeAuth(None)),
            Err(e) if e.code() == "auth.csrf" => Ok(MaybeAuth(None)),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; widgetry_session=abc; b=2"),
        );
        assert_eq!(session_cookie(&h), Some("abc"));
        assert!(matches!(credentials(&h), Credentials::Cookie("abc")));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer wgt_x"),
        );
        assert!(matches!(credentials(&h), Credentials::Token("wgt_x")));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic x"));
        assert!(matches!(credentials(&h), Credentials::Malformed));
    }

    #[test]
    fn csrf_compares_exactly() {
        let mut h = HeaderMap::new();
        assert!(!csrf_ok(&h, "abc"));
        h.insert(CSRF_HEADER, HeaderValue::from_static("abd"));
        assert!(!csrf_ok(&h, "abc"));
        h.insert(CSRF_HEADER, HeaderValue::from_static("abc"));
        assert!(csrf_ok(&h, "abc"));
        assert!(!changes_state(&Method::GET));
        assert!(changes_state(&Method::DELETE));
    }
}
