//! A page that cannot be shown as asked: [`PageError`], what every page handler returns on
//! refusal or failure (`?` on any registry call), and the layer that renders it as an HTML
//! page in the viewer's language. A browser never gets a problem+json body from a page.
//!
//! A handler's error knows what went wrong but not who is looking: the layer
//! ([`render_failures`]) gives each request a slot that the [`Viewer`] extractor fills, and
//! renders the error with that viewer (or, before anyone was extracted, an anonymous one in
//! the request's language).

use super::i18n::{fill, text};
use super::input;
use super::render::page_with;
use super::session::{self, Viewer};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use widgetry_registry::{BadInput, Denial, Error, Refusal, Scope};

/// What a page handler answers.
pub(crate) type PageResult = Result<Response, PageError>;

/// Why a page is not shown.
#[derive(Debug, Clone)]
pub(crate) enum PageError {
    /// 404: nothing here, or another account's.
    NotFound,
    /// 403, with why when the registry said why.
    Forbidden(Option<Denial>),
    /// 403: the API token lacks this scope.
    MissingScope(Scope),
    /// A refusal the page explains with its own texts (`heading` and `text` are text keys).
    Refused {
        status: StatusCode,
        heading: &'static str,
        text: &'static str,
    },
    /// 409: the object's state does not allow this (translated by its case).
    State(Refusal),
    /// 400: an argument the registry refused.
    BadInput(BadInput),
    /// 403: a form post without the session's CSRF token.
    Csrf,
    /// 503: storage or the database is busy or down; try again (after the given time).
    Unavailable(Option<Duration>),
    /// 429: too many attempts; try again after the given time.
    TooMany(Duration),
    /// 500: a failure, logged where it happened.
    Failed,
}

impl PageError {
    /// A refusal explained by the page's own texts.
    pub(crate) fn refused(status: StatusCode, heading: &'static str, text: &'static str) -> Self {
        PageError::Refused {
            status,
            heading,
            text,
        }
    }

    /// A failure worth a 500, logged with its cause.
    pub(crate) fn failed(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "{what}");
        PageError::Failed
    }

    fn status(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden(_) | PageError::MissingScope(_) | PageError::Csrf => {
                StatusCode::FORBIDDEN
            }
            PageError::Refused { status, .. } => *status,
            PageError::State(_) => StatusCode::CONFLICT,
            PageError::BadInput(_) => StatusCode::BAD_REQUEST,
            PageError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            PageError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            PageError::Failed => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page for `viewer`, with a link back to `back`.
    fn render(&self, viewer: &Viewer, back: &str) -> Response {
        let lang = viewer.lang;
        let (heading, body) = match self {
            PageError::NotFound => (
                "error-not_found-title",
                text(lang, "error-not_found-text").into(),
            ),
            PageError::Forbidden(detail) => (
                "error-forbidden-title",
                match detail {
                    Some(d) => input::refusal(lang, d),
                    None => text(lang, "error-forbidden-text").to_string(),
                },
            ),
            PageError::MissingScope(scope) => (
                "error-forbidden-title",
                fill(lang, "error-missing_scope", &[("scope", scope.as_str())]).into_owned(),
            ),
            PageError::Refused {
                heading, text: key, ..
            } => (*heading, text(lang, key).to_string()),
            PageError::State(r) => ("error-conflict-title", input::refusal(lang, r)),
            PageError::BadInput(bad) => ("error-bad_input-title", input::bad_input(lang, bad)),
            PageError::Csrf => ("error-csrf-title", text(lang, "error-csrf-text").into()),
            PageError::Unavailable(_) => (
                "error-unavailable-title",
                text(lang, "error-unavailable-text").into(),
            ),
            PageError::TooMany(wait) => (
                "error-too_many-title",
                fill(
                    lang,
                    "error-too_many-text",
                    &[("minutes", &wait.as_secs().div_ceil(60).max(1).to_string())],
                )
                .into_owned(),
            ),
            PageError::Failed => ("error-failed-title", text(lang, "error-failed-text").into()),
        };
        let heading = text(lang, heading);
        let mut response = page_with(
            self.status(),
            viewer,
            "message.html",
            context! { heading => heading, text => body, back => back },
        );
        if let PageError::Unavailable(Some(wait)) | PageError::TooMany(wait) = self
            && let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<Error> for PageError {
    fn from(e: Error) -> PageError {
        match e {
            Error::NotFound => PageError::NotFound,
            Error::Forbidden(detail) => PageError::Forbidden(Some(detail)),
            Error::MissingScope(scope) => PageError::MissingScope(scope),
            Error::StateConflict(r) => PageError::State(r),
            Error::BadInput(bad) => PageError::BadInput(bad),
            Error::Busy(wait) => PageError::Unavailable(Some(wait)),
            Error::TooManyAttempts(wait) => PageError::TooMany(wait),
            Error::Blob(e) => {
                tracing::error!(error = %e, "the blob store failed");
                PageError::Unavailable(None)
            }
            Error::Db(sqlx::Error::PoolTimedOut) => {
                tracing::warn!("database pool exhausted");
                PageError::Unavailable(None)
            }
            other => PageError::failed("a page failed", other),
        }
    }
}

impl IntoResponse for PageError {
    /// The status and the error for [`render_failures`] to render; the plain body is only
    /// seen where that layer is missing.
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            Html("<!doctype html><title>Error</title><p>This page cannot be shown.</p>"),
        )
            .into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The viewer of a request, once the [`Viewer`] extractor has run.
#[derive(Debug, Clone, Default)]
pub(crate) struct ViewerSlot(Arc<OnceLock<Viewer>>);

impl ViewerSlot {
    /// Remembers the request's viewer (the first one extracted).
    pub(crate) fn fill(&self, viewer: &Viewer) {
        let _ = self.0.set(viewer.clone());
    }
}

/// Renders a [`PageError`] left in a response as the HTML page, for the request's viewer.
pub(crate) async fn render_failures(mut request: Request, next: Next) -> Response {
    let slot = ViewerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let lang = session::lang(request.headers());
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<PageError>() else {
        return response;
    };
    let anonymous;
    let viewer = match slot.0.get() {
        Some(v) => v,
        None => {
            anonymous = Viewer {
                principal: None,
                lang,
                path,
            };
            &anonymous
        }
    };
    error.render(viewer, back_link(&viewer.path))
}

/// Where "Back" goes from a failed page: the section the page belongs to.
fn back_link(path: &str) -> &'static str {
    for section in ["/integrations", "/moderation", "/tokens"] {
        if path.starts_with(section) {
            return section;
        }
    }
    "/catalog"
}

#[cfg(test)]
mod tests {
    use super::*;
    use widgetry_registry::{DenialCase, StateCase};

    #[test]
    fn registry_errors_become_pages_with_their_status() {
        let cases = [
            (Error::NotFound, 404),
            (Error::denied(DenialCase::NeedsAdmin), 403),
            (Error::MissingScope(Scope::Install), 403),
            (
                Error::StateConflict(Refusal::new(StateCase::CodeTaken).with("code", "x")),
                409,
            ),
            (Error::Busy(Duration::from_secs(2)), 503),
            (Error::TooManyAttempts(Duration::from_secs(60)), 429),
            (Error::Internal("broken".into()), 500),
        ];
        for (e, status) in cases {
            let page = PageError::from(e);
            assert_eq!(page.status().as_u16(), status, "{page:?}");
            let r = page.into_response();
            assert_eq!(r.status().as_u16(), status);
            assert!(r.extensions().get::<PageError>().is_some());
        }
        assert_eq!(back_link("/integrations/4/edit"), "/integrations");
        assert_eq!(back_link("/w/deal"), "/catalog");
    }
}
