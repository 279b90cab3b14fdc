//! `GET /api/v1/catalog`: what the caller's account may install.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::views::{IntegrationView, VersionView};
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// One installable integration.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogItem {
    /// The integration.
    #[serde(flatten)]
    pub integration: IntegrationView,
    /// The version live for the caller's account (latest for the owner, published for others),
    /// with the base URL of its files (`live_version.files_base_url`).
    pub live_version: VersionView,
    /// Installed and active in the caller's account.
    pub installed: bool,
}

/// The catalogue.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Catalog {
    /// The account's own integrations with a version, and public ones, by id.
    pub integrations: Vec<CatalogItem>,
}

/// The account's own private integrations plus public ones.
#[utoipa::path(get, operation_id = "catalog_catalog", path = "/api/v1/catalog", tag = "catalogue",
    security(("token" = []), ("session" = [])),
    responses((status = 200, description = "the catalogue", body = Catalog)))]
pub async fn catalog(
    State(state): State<AppState>,
    Auth(p): Auth,
) -> Result<axum::Json<Catalog>, ApiError> {
    let entries = state.inner.registry.catalog(p.account.id).await?;
    let origin = state.files_origin();
    Ok(axum::Json(Catalog {
        integrations: entries
            .iter()
            .map(|e| CatalogItem {
                integration: crate::views::integration_for_viewer(&e.integration, p.account.id),
                live_version: crate::views::version_for_viewer(
                    &e.live_version,
                    origin,
                    p.account.id,
                    &e.integration,
                ),
                installed: e.installation.as_ref().is_some_and(|i| i.active),
            })
            .collect(),
    }))
}
