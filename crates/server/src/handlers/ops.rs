//! Operations endpoints: `/healthz` and the OpenAPI document.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

/// The health answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// `GET /healthz`: 200 when the server can reach its database.
#[utoipa::path(get, operation_id = "ops_healthz", path = "/healthz", tag = "operations",
    responses((status = 200, description = "the server and its database answer", body = Health),
              (status = 503, description = "the database does not answer", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, crate::ApiError> {
    if let Err(e) = state.inner.registry.ping().await {
        tracing::error!(error = %e, "health check: the database does not answer");
        return Err(crate::ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "service unavailable",
            "the database does not answer",
        ));
    }
    Ok(Json(Health { status: "ok" }))
}

/// `GET /api/openapi.json`: the OpenAPI document of every route.
#[utoipa::path(get, operation_id = "ops_openapi", path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "the OpenAPI 3.1 document", body = Object)))]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
