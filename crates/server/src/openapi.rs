//! The OpenAPI document at `GET /api/openapi.json`, built from the `#[utoipa::path]`
//! annotations on the handlers.

use crate::handlers::{ops, validate};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Widgetry",
        description = "The amoCRM / Kommo widget marketplace: integrations, widget uploads, the catalogue, widget files and the amoCRM widgets API. Errors are RFC 9457 `application/problem+json`."
    ),
    paths(
        ops::healthz,
        ops::openapi,
        crate::metrics::metrics,
        validate::validate,
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&Security),
    tags(
        (name = "operations", description = "health, metrics, this document"),
        (name = "uploads", description = "widget packages: validation and versions"),
    )
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("an API token, `wgt_...`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "widgetry_session",
                "the session cookie from `POST /api/v1/session`; requests that change state also need header `X-CSRF-Token`",
            ))),
        );
    }
}

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
