//! The OpenAPI document at `GET /api/openapi.json`, built from the `#[utoipa::path]`
//! annotations on the handlers.

use crate::handlers::{
    catalog, files, integrations, moderation, ops, session, submissions, tokens, validate,
    versions, webhooks, widgets_v4,
};
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
        ops::live,
        ops::ready,
        ops::openapi,
        crate::metrics::metrics,
        validate::validate,
        session::login,
        session::logout,
        session::me,
        tokens::create,
        tokens::list,
        tokens::revoke,
        integrations::create,
        integrations::list,
        integrations::get,
        integrations::update,
        integrations::convert,
        integrations::rotate_secret,
        versions::upload,
        versions::list,
        versions::get,
        submissions::submit,
        submissions::list,
        submissions::get,
        submissions::withdraw,
        submissions::rollback,
        submissions::history,
        submissions::events,
        webhooks::set,
        webhooks::get,
        webhooks::delete,
        moderation::queue,
        moderation::reasons,
        moderation::submission,
        moderation::file,
        moderation::approve,
        moderation::reject,
        catalog::catalog,
        files::file,
        widgets_v4::list,
        widgets_v4::get,
        widgets_v4::install,
        widgets_v4::uninstall,
    ),
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

/// The document.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
