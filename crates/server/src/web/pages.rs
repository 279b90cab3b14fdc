//! The pages every visitor meets: the start page, sign-in and sign-out, the language switch,
//! and the texts and templates shared by all pages (the layout, the report of findings).

use super::failure::PageResult;
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
use widgetry_registry::SESSION_TTL_MS;

pub(crate) const TEMPLATES: &[Template] = &[
    ("layout.html", include_str!("../../templates/layout.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("message.html", include_str!("../../templates/message.html")),
    ("report.html", include_str!("../../templates/report.html")),
];

pub(crate) const MESSAGES: &[super::i18n::Msg] = &[
    ("layout.skip", "Skip to content", "Перейти к содержимому"),
    ("layout.nav", "Main", "Главное меню"),
    ("layout.language", "Language", "Язык"),
    ("layout.sign_out", "Sign out", "Выйти"),
    ("nav.catalog", "Catalogue", "Каталог"),
    ("nav.integrations", "My integrations", "Мои интеграции"),
    ("nav.tokens", "API tokens", "API-токены"),
    ("nav.moderation", "Moderation", "Модерация"),
    ("login.title", "Sign in", "Вход"),
    ("login.email", "E-mail", "Эл. почта"),
    ("login.password", "Password", "Пароль"),
    ("login.account", "Account", "Аккаунт"),
    (
        "login.account_hint",
        "subdomain; leave empty for your first account",
        "поддомен; оставьте пустым для первого аккаунта",
    ),
    ("login.submit", "Sign in", "Войти"),
    (
        "login.failed",
        "Wrong e-mail or password.",
        "Неверная эл. почта или пароль.",
    ),
    (
        "login.no_account",
        "You are not a member of that account.",
        "Вы не участник этого аккаунта.",
    ),
    (
        "login.expired",
        "The sign-in form expired or did not come from this site; enter your password again.",
        "Форма входа устарела или пришла не с этого сайта; введите пароль ещё раз.",
    ),
    (
        "login.too_many",
        "Too many sign-in attempts from your address for this e-mail address. Wait a little and try again.",
        "Слишком много попыток входа с вашего адреса для этой почты. Подождите немного и попробуйте снова.",
    ),
    (
        "login.busy",
        "The server is busy checking passwords. Try again in a few seconds.",
        "Сервер занят проверкой паролей. Попробуйте через несколько секунд.",
    ),
    ("message.back", "Back", "Назад"),
    (
        "report.request",
        "The submission form and the package as a whole",
        "Форма заявки и пакет целиком",
    ),
    ("report.general", "The package as a whole", "Пакет целиком"),
    ("report.errors", "errors: {n}", "ошибок: {n}"),
    ("report.warnings", "warnings: {n}", "предупреждений: {n}"),
    ("report.line", "line {line}", "строка {line}"),
    ("report.column", "column {column}", "столбец {column}"),
    ("report.source", "Source lines", "Строки исходного кода"),
    ("report.hint", "How to fix:", "Как исправить:"),
    (
        "report.libraries",
        "Bundled libraries",
        "Библиотеки в пакете",
    ),
    (
        "report.libraries_note",
        "Recognised third-party libraries: their code is not judged as the author's.",
        "Распознанные сторонние библиотеки: их код не проверяется как код автора.",
    ),
    ("report.library_file", "File", "Файл"),
    ("report.library", "Library", "Библиотека"),
    ("report.library_how", "Recognised", "Как распознана"),
    ("report.library_advisories", "Advisories", "Уязвимости"),
    (
        "report.library_how.hash",
        "byte for byte a published release",
        "байт в байт опубликованный выпуск",
    ),
    (
        "report.library_how.normalised_hash",
        "a published release, re-saved",
        "опубликованный выпуск, пересохранённый",
    ),
    (
        "report.library_how.banner",
        "by licence banner and file name",
        "по лицензионному заголовку и имени файла",
    ),
    ("severity.error", "error", "ошибка"),
    ("severity.warning", "warning", "предупреждение"),
    ("severity.info", "note", "заметка"),
    // Pages that cannot be shown (`failure.rs`).
    ("error.not_found.title", "Not found", "Не найдено"),
    (
        "error.not_found.text",
        "There is nothing here, or it belongs to another account.",
        "Здесь ничего нет, или это принадлежит другому аккаунту.",
    ),
    ("error.forbidden.title", "Not allowed", "Не разрешено"),
    (
        "error.forbidden.text",
        "You may not do this.",
        "У вас нет права на это.",
    ),
    (
        "error.forbidden.because",
        "You may not do this:",
        "У вас нет права на это:",
    ),
    ("error.conflict.title", "Not possible now", "Сейчас нельзя"),
    (
        "error.conflict.text",
        "This cannot be done in the current state:",
        "Сейчас это сделать нельзя:",
    ),
    ("error.bad_input.title", "Cannot do this", "Не получилось"),
    ("error.csrf.title", "The form expired", "Форма устарела"),
    (
        "error.csrf.text",
        "This form has expired or did not come from this site. Go back, reload the page and try again.",
        "Эта форма устарела или пришла не с этого сайта. Вернитесь, обновите страницу и попробуйте снова.",
    ),
    (
        "error.unavailable.title",
        "Try again shortly",
        "Попробуйте чуть позже",
    ),
    (
        "error.unavailable.text",
        "The service is busy or its storage does not answer; nothing was changed. Try again in a moment.",
        "Сервис занят или его хранилище не отвечает; ничего не изменилось. Попробуйте через минуту.",
    ),
    (
        "error.too_many.title",
        "Too many attempts",
        "Слишком много попыток",
    ),
    (
        "error.too_many.text",
        "Too many attempts; try again in {minutes} min.",
        "Слишком много попыток; попробуйте через {minutes} мин.",
    ),
    ("error.failed.title", "Something failed", "Произошёл сбой"),
    (
        "error.failed.text",
        "Something failed on the server; the failure is logged. Try again later.",
        "На сервере произошёл сбой; он записан в журнал. Попробуйте позже.",
    ),
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
        return again_with(StatusCode::FORBIDDEN, "login.expired");
    }
    let again = |key: &str| again_with(StatusCode::UNAUTHORIZED, key);
    let checked =
        crate::handlers::session::check_sign_in(&state, &client, &f.email, &f.password).await;
    let login = match checked {
        Ok(Some(login)) => login,
        Ok(None) => return again("login.failed"),
        Err(e) => {
            let key = match e.code() {
                "auth.too_many_attempts" | "rate.limited" => "login.too_many",
                "busy" => "login.busy",
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
        return again("login.no_account");
    };
    let session = match registry
        .create_session(login.user.id, membership.account.id)
        .await
    {
        Ok(s) => s,
        Err(e) => return crate::ApiError::from(e).into_response(),
    };
    let mut response = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    match crate::handlers::session::cookie(&state, &session.cookie_value, SESSION_TTL_MS / 1000) {
        Ok(c) => {
            response.headers_mut().insert(header::SET_COOKIE, c);
        }
        Err(e) => return e.into_response(),
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
        return Ok(crate::ApiError::from(e).into_response());
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
