//! API tokens: create (the value is shown once), list, revoke.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path};
use crate::views::TokenView;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use widgetry_registry::{Error, Scope, token_expiry, token_problems};

/// `POST /api/v1/tokens` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewTokenRequest {
    /// Display name.
    pub name: String,
    /// Scopes: `upload`, `submit`, `install`, `moderate`, `admin`.
    #[schema(value_type = Vec<String>)]
    pub scopes: Vec<Scope>,
    /// Lifetime in days (1 to 3650); none means no expiry.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// `POST /api/v1/tokens` answer: the only time the token's value is shown.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewTokenResponse {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The token, `wgt_...`; store it now, it is not shown again.
    pub token: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Expiry, unix ms.
    pub expires_at: Option<i64>,
}

/// `GET /api/v1/tokens` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenList {
    /// The tokens, newest first.
    pub tokens: Vec<TokenView>,
}

/// Creates a token for the caller in the caller's account.
#[utoipa::path(post, operation_id = "tokens_create", path = "/api/v1/tokens", tag = "auth",
    security(("session" = []), ("token" = ["admin"])),
    request_body = NewTokenRequest,
    responses(
        (status = 201, description = "created; the value is in `token`", body = NewTokenResponse),
        (status = 400, description = "bad name, scope or lifetime", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "a scope the caller does not hold", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    client: crate::clients::ClientAddr,
    Auth(p): Auth,
    Json(req): Json<NewTokenRequest>,
) -> Result<(StatusCode, axum::Json<NewTokenResponse>), ApiError> {
    state
        .inner
        .limits
        .check(crate::clients::Guarded::Tokens, &client)?;
    if let Some(first) = token_problems(&req.name, &req.scopes, req.expires_in_days)
        .into_iter()
        .next()
    {
        return Err(Error::BadInput(first).into());
    }
    let expires_at = token_expiry(req.expires_in_days);
    let (token, raw) = state
        .inner
        .registry
        .create_token(&p, &req.name, &req.scopes, expires_at)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(NewTokenResponse {
            id: token.id,
            name: token.name,
            token: raw,
            scopes: token
                .scopes
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            expires_at: token.expires_at.map(i64::from),
        }),
    ))
}

/// Lists the tokens the caller may manage (their own; every token of the account for an admin).
#[utoipa::path(get, operation_id = "tokens_list", path = "/api/v1/tokens", tag = "auth",
    security(("session" = []), ("token" = ["admin"])),
    responses((status = 200, description = "the tokens", body = TokenList)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> Result<axum::Json<TokenList>, ApiError> {
    let tokens = state.inner.registry.list_tokens(&p).await?;
    Ok(axum::Json(TokenList {
        tokens: tokens.iter().map(crate::views::token).collect(),
    }))
}

/// Revokes a token.
#[utoipa::path(delete, operation_id = "tokens_revoke", path = "/api/v1/tokens/{id}", tag = "auth",
    security(("session" = []), ("token" = ["admin"])),
    params(("id" = i64, Path, description = "token id")),
    responses(
        (status = 204, description = "revoked"),
        (status = 404, description = "no such token the caller may manage", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.inner.registry.revoke_token(&p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
