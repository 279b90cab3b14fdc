//! Every API route of the server, declared once: each handler's `#[utoipa::path]` gives its
//! method, path and documentation, and [`api`] registers it (utoipa-axum), so the router and
//! the OpenAPI document cannot disagree. The two routes ending in a wildcard (`{*path}`, which
//! OpenAPI cannot write) are the exception: registered by hand below and documented through
//! `openapi.rs`; the OpenAPI test requests every documented route to prove it is served.

use crate::handlers::{
    catalog, files, integrations, moderation, ops, session, submissions, tokens, validate,
    versions, webhooks, widgets_v4,
};
use crate::{AppState, error, metrics, upload};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::routing::get;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

/// The API routes and their OpenAPI document; the upload routes accept request bodies up to
/// `upload_limit` bytes.
pub fn api(upload_limit: usize) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let upload = |(schemas, paths, router): UtoipaMethodRouter<AppState>| {
        (
            schemas,
            paths,
            router.layer(DefaultBodyLimit::max(upload_limit)),
        )
    };
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::live))
        .routes(routes!(ops::ready))
        .routes(routes!(metrics::metrics))
        .routes(routes!(ops::openapi))
        .routes(upload(routes!(validate::validate)))
        .routes(routes!(session::login, session::logout))
        .routes(routes!(session::me))
        .routes(routes!(tokens::create, tokens::list))
        .routes(routes!(tokens::revoke))
        .routes(routes!(integrations::create, integrations::list))
        .routes(routes!(integrations::get, integrations::update))
        .routes(routes!(integrations::convert))
        .routes(routes!(integrations::rotate_secret))
        .routes(upload(routes!(versions::upload)))
        .routes(routes!(versions::list))
        .routes(routes!(versions::get))
        .routes(routes!(submissions::submit, submissions::list))
        .routes(routes!(submissions::get))
        .routes(routes!(submissions::withdraw))
        .routes(routes!(submissions::rollback))
        .routes(routes!(submissions::history))
        .routes(routes!(submissions::events))
        .routes(routes!(webhooks::set, webhooks::get, webhooks::delete))
        .routes(routes!(moderation::queue))
        .routes(routes!(moderation::reasons))
        .routes(routes!(moderation::submission))
        .routes(routes!(moderation::approve))
        .routes(routes!(moderation::reject))
        .routes(routes!(catalog::catalog))
        .routes(routes!(widgets_v4::list))
        .routes(routes!(
            widgets_v4::get,
            widgets_v4::install,
            widgets_v4::uninstall
        ))
        // Documented in `openapi.rs` as `.../{path}`.
        .route("/widgets/{code}/{version}/{*path}", get(files::file))
        .route(
            "/api/v1/moderation/submissions/{sid}/files/{*path}",
            get(moderation::file),
        )
        .split_for_parts()
}

/// Every documented route as `(method, path template)`, upper-case methods.
pub fn route_list() -> Vec<(String, String)> {
    let doc = crate::openapi::document();
    let mut routes = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, operation) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
            ("HEAD", &item.head),
            ("OPTIONS", &item.options),
            ("TRACE", &item.trace),
        ] {
            if operation.is_some() {
                routes.push((method.to_string(), path.clone()));
            }
        }
    }
    routes
}

/// The application: every route, the error fallbacks, metrics and request logs.
pub fn app(state: AppState) -> Router {
    let upload_limit = usize::try_from(state.config().max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(upload::BODY_SLACK);
    let (router, _) = api(upload_limit);
    router
        .merge(crate::web::routes(&state))
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.inner.config.connections,
            crate::listener::body_deadline,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.inner.metrics.clone(),
            metrics::track,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let route = request
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    route = %route,
                )
            }),
        )
        .with_state(state)
}
