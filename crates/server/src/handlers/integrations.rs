//! Integrations: create (the secret key is shown once), list, show, update texts, convert a
//! legacy integration.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path};
use crate::views::IntegrationView;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use widgetry_registry::IntegrationId;
use widgetry_registry::{IntegrationUpdate, NewIntegration};

/// `POST /api/v1/integrations` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewIntegrationRequest {
    /// Name by locale: `{"en": "...", "ru": "..."}`.
    pub name: BTreeMap<String, String>,
    /// Description by locale.
    #[serde(default)]
    pub description: BTreeMap<String, String>,
    /// OAuth redirect URI (`https`; `http` only for localhost).
    pub redirect_uri: String,
}

/// `POST /api/v1/integrations` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewIntegrationResponse {
    /// The integration.
    #[serde(flatten)]
    pub integration: IntegrationView,
    /// The secret key (64 hex characters), shown only now.
    pub secret_key: String,
}

/// `PATCH /api/v1/integrations/{id}` body; absent fields stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IntegrationPatch {
    /// New names by locale (replaces all).
    #[serde(default)]
    pub name: Option<BTreeMap<String, String>>,
    /// New descriptions by locale (replaces all).
    #[serde(default)]
    pub description: Option<BTreeMap<String, String>>,
    /// New redirect URI.
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

/// `GET /api/v1/integrations` and `GET /api/v1/catalog` answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IntegrationList {
    /// The integrations.
    pub integrations: Vec<IntegrationView>,
}

/// Creates an integration in the caller's account.
#[utoipa::path(post, operation_id = "integrations_create", path = "/api/v1/integrations", tag = "integrations",
    security(("token" = ["upload"]), ("session" = [])),
    request_body = NewIntegrationRequest,
    responses(
        (status = 201, description = "created; `secret_key` is shown only now", body = NewIntegrationResponse),
        (status = 400, description = "bad name, description or redirect URI", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the token lacks the `upload` scope", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    Json(req): Json<NewIntegrationRequest>,
) -> Result<(StatusCode, axum::Json<NewIntegrationResponse>), ApiError> {
    let new = NewIntegration {
        name: req.name,
        description: req.description,
        redirect_uri: req.redirect_uri,
    };
    let (integration, secret_key) = state.inner.registry.create_integration(&p, new).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(NewIntegrationResponse {
            integration: crate::views::integration(&integration),
            secret_key,
        }),
    ))
}

/// The caller's account's integrations.
#[utoipa::path(get, operation_id = "integrations_list", path = "/api/v1/integrations", tag = "integrations",
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "the account's integrations", body = IntegrationList)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> Result<axum::Json<IntegrationList>, ApiError> {
    let list = state.inner.registry.list_integrations(&p).await?;
    Ok(axum::Json(IntegrationList {
        integrations: list.iter().map(crate::views::integration).collect(),
    }))
}

/// One integration the caller's account may see.
#[utoipa::path(get, operation_id = "integrations_get", path = "/api/v1/integrations/{id}", tag = "integrations",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "the integration", body = IntegrationView),
        (status = 404, description = "no such integration, or another account's private one", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<IntegrationView>, ApiError> {
    let i = state.inner.registry.get_integration(&p, id).await?;
    Ok(axum::Json(crate::views::integration_for_viewer(
        &i,
        p.account.id,
    )))
}

/// Updates an integration's texts.
#[utoipa::path(patch, operation_id = "integrations_update", path = "/api/v1/integrations/{id}", tag = "integrations",
    security(("token" = ["upload"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    request_body = IntegrationPatch,
    responses(
        (status = 200, description = "the updated integration", body = IntegrationView),
        (status = 400, description = "bad text", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration, or another account's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
    Json(req): Json<IntegrationPatch>,
) -> Result<axum::Json<IntegrationView>, ApiError> {
    let update = IntegrationUpdate {
        name: req.name,
        description: req.description,
        redirect_uri: req.redirect_uri,
    };
    let i = state
        .inner
        .registry
        .update_integration(&p, id, update)
        .await?;
    Ok(axum::Json(crate::views::integration(&i)))
}

/// Converts a legacy integration to the market scheme (account admins; audited).
#[utoipa::path(post, operation_id = "integrations_convert", path = "/api/v1/integrations/{id}/convert", tag = "integrations",
    security(("token" = ["admin"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "converted", body = IntegrationView),
        (status = 403, description = "not an admin, or the token lacks the `admin` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration, or another account's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already a market integration", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn convert(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<IntegrationView>, ApiError> {
    let i = state.inner.registry.convert(&p, id).await?;
    Ok(axum::Json(crate::views::integration(&i)))
}

/// Replaces the integration's secret key; the new key is shown only in this answer and the
/// old one stops matching at once (audited).
#[utoipa::path(post, operation_id = "integrations_rotate_secret", path = "/api/v1/integrations/{id}/secret", tag = "integrations",
    security(("token" = ["upload"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "rotated; `secret_key` is shown only now", body = NewIntegrationResponse),
        (status = 403, description = "the token lacks the `upload` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration, or another account's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<NewIntegrationResponse>, ApiError> {
    let (integration, secret_key) = state.inner.registry.rotate_secret(&p, id).await?;
    Ok(axum::Json(NewIntegrationResponse {
        integration: crate::views::integration(&integration),
        secret_key,
    }))
}
