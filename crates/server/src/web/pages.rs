//! The pages every visitor meets: the start page, sign-in and sign-out, the language switch,
//! and the texts and templates shared by all pages (the layout, the report of findings).

use super::failure::{PageError, PageResult};
use super::render::{Template, page_with};
use super::session::{LANG_COOKIE, SignedIn, Viewer, check_csrf, safe_next};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;
use widgetry_registry::SESSION_TTL;

pub(crate) const TEMPLATES: &[Template] = &[
    ("layout.html", include_str!("../../templates/layout.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("message.html", include_str!("../../templates/message.html")),
    ("report.html", include_str!("../../templates/report.html")),
];

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang", get(switch_lang))
}

async fn home(viewer: Viewer) -> Redirect {
    Redirect::to(if viewer.principal.is_some() {
        "/catalog"
    } else {
        "/login"
    })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

async fn login_form(viewer: Viewer, Query(q): Query<NextQuery>) -> Response {
    if viewer.principal.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    login_page(
        StatusCode::OK,
        &viewer,
        context! { next => safe_next(q.next.as_deref()) },
    )
}

/// The cookie that pairs a sign-in form with the browser that loaded it (double submit):
/// another site cannot post the form and sign a visitor in to an account of its choosing.
const LOGIN_COOKIE: &str = "widgetry_login";

/// The sign-in page with a fresh pairing token in its form and cookie.
fn login_page(status: StatusCode, viewer: &Viewer, data: minijinja::Value) -> Response {
    let token = hex::encode(rand::random::<[u8; 16]>());
    let mut response = page_with(
        status,
        viewer,
        "login.html",
        context! { login_csrf => token.clone(), ..data },
    );
    let cookie = super::cookies::build(LOGIN_COOKIE, &token, "/login", 7200)
        .http_only(true)
        .same_site(cookie::SameSite::Strict);
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Whether the form's pairing token is the one in the browser's cookie (constant time).
fn paired(headers: &axum::http::HeaderMap, given: &str) -> bool {
    crate::auth::cookie(headers, LOGIN_COOKIE).is_some_and(|c| crate::auth::same_secret(given, c))
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    login_csrf: String,
}

async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    client: crate::clients::ClientAddr,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let registry = &state.inner.registry;
    let again_with = |status: StatusCode, key: &str| {
        login_page(
            status,
            &viewer,
            context! {
                next => safe_next(f.next.as_deref()),
                email => f.email.clone(),
                account => f.account.clone(),
                error => super::i18n::text(viewer.lang, key),
            },
        )
    };
    if !paired(&headers, &f.login_csrf) {
        return again_with(StatusCode::FORBIDDEN, "login-expired");
    }
    let again = |key: &str| again_with(StatusCode::UNAUTHORIZED, key);
    let checked =
        crate::handlers::session::check_sign_in(&state, &client, &f.email, &f.password).await;
    let login = match checked {
        Ok(Some(login)) => login,
        Ok(None) => return again("login-failed"),
        Err(e) => {
            let key = match e.code() {
                "auth.too_many_attempts" | "rate.limited" => "login-too_many",
                "busy" => "login-busy",
                _ => return e.into_response(),
            };
            let mut page = again_with(e.status(), key);
            if let Some(wait) = e.into_response().headers().get(header::RETRY_AFTER) {
                page.headers_mut().insert(header::RETRY_AFTER, wait.clone());
            }
            return page;
        }
    };
    let account = f.account.trim();
    let membership = if account.is_empty() {
        login.memberships.first()
    } else {
        login
            .memberships
            .iter()
            .find(|m| m.account.subdomain == account)
    };
    let Some(membership) = membership else {
        return again("login-no_account");
    };
    let session = match registry
        .create_session(login.user.id, membership.account.id)
        .await
    {
        Ok(s) => s,
        Err(e) => return PageError::from(e).into_response(),
    };
    let mut response = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    match crate::handlers::session::cookie(
        &state,
        &session.cookie_value,
        SESSION_TTL.as_secs().try_into().unwrap_or(i64::MAX),
    ) {
        Ok(c) => {
            response.headers_mut().insert(header::SET_COOKIE, c);
        }
        Err(e) => {
            return PageError::failed("building the session cookie failed", e.detail())
                .into_response();
        }
    }
    response
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    user: SignedIn,
    headers: axum::http::HeaderMap,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    if let Some(value) = crate::auth::session_cookie(&headers)
        && let Err(e) = state.inner.registry.delete_session(value).await
    {
        return Err(e.into());
    }
    let mut response = Redirect::to("/login").into_response();
    if let Ok(c) = crate::handlers::session::cookie(&state, "", 0) {
        response.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub(crate) struct LangQuery {
    to: String,
    next: Option<String>,
}

async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = if q.to == "ru" { "ru" } else { "en" };
    let mut response = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    let cookie = super::cookies::build(LANG_COOKIE, lang, "/", 365 * 24 * 3600)
        .same_site(cookie::SameSite::Lax);
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
