//! An integration's webhook: set it (the signing secret is shown once), read it with its
//! recent deliveries and their attempts, remove it.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path};
use crate::views::webhook as view;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use widgetry_api::webhooks::WebhookView;
use widgetry_registry::IntegrationId;

/// `PUT /api/v1/integrations/{id}/webhook` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct WebhookRequest {
    /// Where status changes are POSTed (`https://`, or `http://`).
    pub url: String,
}

/// Sets the integration's webhook (replacing any earlier one and its secret).
#[utoipa::path(put, operation_id = "webhooks_set", path = "/api/v1/integrations/{id}/webhook", tag = "moderation",
    security(("token" = ["submit"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    request_body = WebhookRequest,
    responses(
        (status = 200, description = "set; `secret` signs every delivery (`X-Widgetry-Signature: sha256=HMAC(secret, timestamp + \".\" + body)`) and is shown only now", body = WebhookView),
        (status = 400, description = "not an http(s) URL", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the token lacks the `submit` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
    Json(req): Json<WebhookRequest>,
) -> Result<axum::Json<WebhookView>, ApiError> {
    let (w, secret) = state.inner.registry.set_webhook(&p, id, &req.url).await?;
    Ok(axum::Json(view(w, Some(secret))))
}

/// The integration's webhook and its recent deliveries.
#[utoipa::path(get, operation_id = "webhooks_get", path = "/api/v1/integrations/{id}/webhook", tag = "moderation",
    security(("token" = []), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 200, description = "the webhook", body = WebhookView),
        (status = 404, description = "no webhook, or no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<axum::Json<WebhookView>, ApiError> {
    let w = state
        .inner
        .registry
        .get_webhook(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    Ok(axum::Json(view(w, None)))
}

/// Removes the integration's webhook; pending deliveries are given up.
#[utoipa::path(delete, operation_id = "webhooks_delete", path = "/api/v1/integrations/{id}/webhook", tag = "moderation",
    security(("token" = ["submit"]), ("session" = [])),
    params(("id" = i64, Path, description = "integration id")),
    responses(
        (status = 204, description = "removed"),
        (status = 403, description = "the token lacks the `submit` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no webhook, or no such integration in the caller's account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<IntegrationId>,
) -> Result<StatusCode, ApiError> {
    state.inner.registry.delete_webhook(&p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
