//! Password login and logout (`/api/v1/session`) and the caller (`/api/v1/me`).

use crate::AppState;
use crate::auth::{Auth, session_cookie};
use crate::clients::{ClientAddr, Guarded};
use crate::error::{ApiError, Problem};
use crate::extract::Json;
use crate::views::{AccountView, MeView, UserView};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use widgetry_registry::{SESSION_COOKIE, SESSION_TTL};

/// `POST /api/v1/session` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// The account to act in, by subdomain (default: the user's first account).
    #[serde(default)]
    pub account: Option<String>,
}

/// `POST /api/v1/session` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// The user.
    pub user: UserView,
    /// The account the session acts in.
    pub account: AccountView,
    /// The user's role in that account: `admin` or `member`.
    pub role: String,
    /// Send this in `X-CSRF-Token` with every cookie request that changes state.
    pub csrf_token: String,
    /// Session expiry, unix ms.
    pub expires_at: i64,
}

/// Checks an e-mail address and password from `client` behind every guard against
/// guessing and floods, for the API and the sign-in page alike: the client's rate limit
/// (429 `rate.limited`), then [`Registry::sign_in`](widgetry_registry::Registry::sign_in):
/// the bounded password hashing (503 `busy`), the client's attempts for this address
/// (429 `auth.too_many_attempts` while it must wait), a slow-down when others guess at the
/// address. `None`: wrong e-mail or password.
pub(crate) async fn check_sign_in(
    state: &AppState,
    client: &ClientAddr,
    email: &str,
    password: &str,
) -> Result<Option<widgetry_registry::Login>, ApiError> {
    state.inner.limits.check(Guarded::SignIn, client)?;
    Ok(state
        .inner
        .registry
        .sign_in(&client.key(), email.trim(), password)
        .await?)
}

fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "auth.bad_credentials",
        "wrong e-mail or password",
        "the e-mail and password do not match a user",
    )
}

/// The `Set-Cookie` value of the session cookie (`max_age_secs` 0 clears it).
pub(crate) fn cookie(
    state: &AppState,
    value: &str,
    max_age_secs: i64,
) -> Result<HeaderValue, ApiError> {
    let cookie = crate::web::cookies::build(SESSION_COOKIE, value, "/", max_age_secs)
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(state.config().secure_cookies);
    HeaderValue::from_str(&cookie.to_string()).map_err(|e| ApiError::internal(&e))
}

/// Signs in with e-mail and password; sets the session cookie.
#[utoipa::path(post, operation_id = "session_login", path = "/api/v1/session", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "signed in; `Set-Cookie: widgetry_session=...`", body = LoginResponse),
        (status = 401, description = "wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`auth.too_many_attempts`: this address used up its attempts for this e-mail address for now (they count before the password is checked; another address is not refused), or `rate.limited`: too many sign-ins from this address; `Retry-After` says when to try again", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`busy`: too many passwords are being checked at once; `Retry-After` says when to try again", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let registry = &state.inner.registry;
    let Some(login) = check_sign_in(&state, &client, &req.email, &req.password).await? else {
        return Err(bad_credentials());
    };
    let membership = match &req.account {
        Some(sub) => login
            .memberships
            .iter()
            .find(|m| &m.account.subdomain == sub)
            .ok_or_else(|| ApiError::not_found("account"))?,
        None => login.memberships.first().ok_or_else(|| {
            ApiError::forbidden("auth.no_account", "the user belongs to no account")
        })?,
    };
    let session = registry
        .create_session(login.user.id, membership.account.id)
        .await?;
    let body = LoginResponse {
        user: crate::views::user(&login.user),
        account: crate::views::account(&membership.account),
        role: membership.role.as_str().to_string(),
        csrf_token: session.csrf_token,
        expires_at: session.expires_at.into(),
    };
    let mut response = axum::Json(body).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookie(
            &state,
            &session.cookie_value,
            SESSION_TTL.as_secs().try_into().unwrap_or(i64::MAX),
        )?,
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, operation_id = "session_logout", path = "/api/v1/session", tag = "auth",
    security(("session" = [])),
    responses(
        (status = 204, description = "signed out"),
        (status = 401, description = "not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    Auth(_): Auth,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(value) = session_cookie(&headers) {
        state.inner.registry.delete_session(value).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, "", 0)?);
    Ok(response)
}

/// The caller: user, account, role, scopes (and the CSRF token for sessions).
#[utoipa::path(get, operation_id = "session_me", path = "/api/v1/me", tag = "auth",
    security(("token" = []), ("session" = [])),
    responses(
        (status = 200, description = "the caller", body = MeView),
        (status = 401, description = "not authenticated", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(Auth(p): Auth) -> axum::Json<MeView> {
    axum::Json(crate::views::me(&p))
}
