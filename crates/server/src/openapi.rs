//! The OpenAPI document at `GET /api/openapi.json`: what is said of the API as a whole here
//! (title, tags, security schemes), every route from the router that registers it
//! (`router::api`, from the handlers' `#[utoipa::path]` annotations).

use crate::handlers::{files, moderation};
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Widgetry",
        description = "The amoCRM / Kommo widget marketplace: integrations, widget uploads, the catalogue, widget files and the amoCRM widgets API. Errors are RFC 9457 `application/problem+json`."
    ),
    // Every other path comes from the router (`router::api`); these two end in a wildcard
    // there, which OpenAPI cannot write.
    paths(files::file, moderation::file),
    components(schemas(crate::error::Problem)),
    modifiers(&Security),
    tags(
        (name = "operations", description = "health, metrics, this document"),
        (name = "auth", description = "sessions, the caller, API tokens"),
        (name = "integrations", description = "integrations of the caller's account"),
        (name = "uploads", description = "widget packages: validation and versions"),
        (name = "moderation", description = "submissions, the moderators' queue and decisions, rollback, history, status events and webhooks"),
        (name = "catalogue", description = "what an account may install"),
        (name = "widget files", description = "files of stored versions, for the CRM front end: served on the files origin (`--files-url`), never here"),
        (name = "amocrm widgets API", description = "the documented amoCRM `/api/v4/widgets` API"),
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

/// What the router's routes are added to.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole document (built once: it is the same for every request and every process).
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| crate::router::api(0).1);
    &DOCUMENT
}
