//! Rendering: one minijinja environment holding every page template (embedded in the
//! binary, HTML auto-escaped), the `t` function for texts in the viewer's language, and the
//! context every page gets (language, the signed-in user, the CSRF token, the path).

use super::i18n;
use super::session::Viewer;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, State, Value, context};
use std::sync::OnceLock;
use widgetry_validator::Lang;

/// A template: its name and source.
pub(crate) type Template = (&'static str, &'static str);

fn templates() -> impl Iterator<Item = &'static Template> {
    [
        super::pages::TEMPLATES,
        super::catalog::TEMPLATES,
        super::integrator::TEMPLATES,
        super::moderation::TEMPLATES,
        super::tokens::TEMPLATES,
        super::preview::TEMPLATES,
    ]
    .into_iter()
    .flatten()
}

fn lang_of(state: &State<'_, '_>) -> Lang {
    match state.lookup("lang").as_ref().and_then(Value::as_str) {
        Some("ru") => Lang::Ru,
        _ => Lang::En,
    }
}

/// `t("key", name=value, ...)`: the text in the page's language with `{name}` filled in.
fn t(state: &State<'_, '_>, key: &str, args: Kwargs) -> Result<String, minijinja::Error> {
    let mut values = Vec::new();
    for name in args.args() {
        let value: Value = args.get(name)?;
        values.push((name, value.to_string()));
    }
    Ok(i18n::fill_values(lang_of(state), key, &values))
}

/// `localized(map)`: a `{"en": ..., "ru": ...}` text in the page's language, else English,
/// else the first one.
fn localized(state: &State<'_, '_>, map: Value) -> String {
    let lang = match lang_of(state) {
        Lang::Ru => "ru",
        _ => "en",
    };
    for key in [lang, "en"] {
        if let Ok(v) = map.get_attr(key)
            && let Some(s) = v.as_str()
            && !s.is_empty()
        {
            return s.to_string();
        }
    }
    map.try_iter()
        .ok()
        .and_then(|mut keys| keys.next())
        .and_then(|k| map.get_item(&k).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `datetime(ms)`: a unix-millisecond time as `2026-11-25 14:03 UTC`.
fn datetime(ms: i64) -> String {
    crate::views::utc_datetime(ms)
}

pub(crate) fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Lenient);
        for (name, source) in templates() {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "a page template does not parse");
            }
        }
        env.add_function("t", t);
        env.add_function("localized", localized);
        env.add_filter("datetime", datetime);
        env
    })
}

/// The pages' content security policy: their own scripts, styles and images, and images
/// from the files origin (widget logos and tour images; never scripts); posts only to this
/// site; never framed.
pub(crate) fn page_csp(files_origin: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' {files_origin}; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// Gives every HTML answer of the pages their content security policy (unless it set a
/// stricter one of its own), and keeps them unframed and their URLs to themselves.
pub(crate) async fn page_headers(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    mut response: Response,
) -> Response {
    let html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return response;
    }
    let headers = response.headers_mut();
    if !headers.contains_key(axum::http::header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            axum::http::header::CONTENT_SECURITY_POLICY,
            state.inner.page_csp.clone(),
        );
    }
    // Framed by nothing, but for the preview's own frame, which says so itself.
    headers
        .entry(axum::http::header::X_FRAME_OPTIONS)
        .or_insert(axum::http::HeaderValue::from_static("DENY"));
    headers
        .entry(axum::http::header::REFERRER_POLICY)
        .or_insert(axum::http::HeaderValue::from_static("same-origin"));
    response
}

/// Renders a page with the viewer's context merged under `data`.
pub(crate) fn page(viewer: &Viewer, template: &str, data: Value) -> Response {
    page_with(StatusCode::OK, viewer, template, data)
}

/// [`page`] with another status (a form shown again with its errors: 400/422).
pub(crate) fn page_with(
    status: StatusCode,
    viewer: &Viewer,
    template: &str,
    data: Value,
) -> Response {
    let me = viewer.principal.as_ref().map(|p| {
        context! {
            email => p.user.email.clone(),
            account => p.account.name.clone(),
            subdomain => p.account.subdomain.clone(),
            role => p.role.as_str(),
            is_admin => p.role == widgetry_registry::Role::Admin,
            is_moderator => p.user.is_moderator,
        }
    });
    let csrf = viewer
        .principal
        .as_ref()
        .and_then(|p| p.csrf_token())
        .unwrap_or_default()
        .to_string();
    let ctx = context! {
        lang => match viewer.lang { Lang::Ru => "ru", _ => "en" },
        me => me,
        csrf => csrf,
        path => viewer.path.clone(),
        ..data
    };
    let rendered = env().get_template(template).and_then(|t| t.render(ctx));
    match rendered {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            let headers = response.headers_mut();
            headers.insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("private, no-store"),
            );
            // The content security policy and framing headers: `page_headers`.
            response
        }
        Err(e) => {
            tracing::error!(template, error = %e, "rendering a page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>The page could not be shown; the failure is logged.</p>"),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_every_text_exists() {
        let env = env();
        for (name, source) in templates() {
            assert!(env.get_template(name).is_ok(), "{name} does not parse");
            // t("key") / t('key') calls name existing texts.
            for quote in ['"', '\''] {
                let open = format!("t({quote}");
                for piece in source.split(open.as_str()).skip(1) {
                    if let Some(end) = piece.find(quote)
                        && matches!(piece[end + 1..].chars().next(), Some(')' | ','))
                    {
                        let key = &piece[..end];
                        assert!(i18n::has(key), "{name}: text `{key}` is not defined");
                    }
                }
            }
        }
    }

    #[test]
    fn datetimes() {
        assert_eq!(datetime(0), "1970-01-01 00:00 UTC");
        assert_eq!(datetime(1_795_000_000_000), "2026-11-18 11:06 UTC");
        assert_eq!(datetime(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
