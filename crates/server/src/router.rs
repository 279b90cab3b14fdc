//! Every route of the server, in one table. The OpenAPI test walks the same table, so a
//! route cannot be added without being documented.

use crate::handlers::{
    catalog, files, integrations, moderation, ops, session, submissions, tokens, validate,
    versions, webhooks, widgets_v4,
};
use crate::{AppState, error, metrics, upload};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Request};
use axum::routing::{MethodFilter, MethodRouter, on};
use tower_http::trace::TraceLayer;

/// One route: method, path template, handler.
pub type Route = (Method, &'static str, MethodRouter<AppState>);

/// Every route as `(method, path template)`.
pub fn route_list() -> Vec<(String, &'static str)> {
    routes(0)
        .into_iter()
        .map(|(m, p, _)| (m.to_string(), p))
        .collect()
}

/// The route table; upload routes accept request bodies up to `upload_limit` bytes.
pub fn routes(upload_limit: usize) -> Vec<Route> {
    let upload_route = |r: MethodRouter<AppState>| r.layer(DefaultBodyLimit::max(upload_limit));
    vec![
        (Method::GET, "/healthz", m(Method::GET, ops::healthz)),
        (Method::GET, "/healthz/live", m(Method::GET, ops::live)),
        (Method::GET, "/healthz/ready", m(Method::GET, ops::ready)),
        (Method::GET, "/metrics", m(Method::GET, metrics::metrics)),
        (
            Method::GET,
            "/api/openapi.json",
            m(Method::GET, ops::openapi),
        ),
        (
            Method::POST,
            "/api/v1/validate",
            upload_route(m(Method::POST, validate::validate)),
        ),
        (
            Method::POST,
            "/api/v1/session",
            m(Method::POST, session::login),
        ),
        (
            Method::DELETE,
            "/api/v1/session",
            m(Method::DELETE, session::logout),
        ),
        (Method::GET, "/api/v1/me", m(Method::GET, session::me)),
        (
            Method::POST,
            "/api/v1/tokens",
            m(Method::POST, tokens::create),
        ),
        (Method::GET, "/api/v1/tokens", m(Method::GET, tokens::list)),
        (
            Method::DELETE,
            "/api/v1/tokens/{id}",
            m(Method::DELETE, tokens::revoke),
        ),
        (
            Method::POST,
            "/api/v1/integrations",
            m(Method::POST, integrations::create),
        ),
        (
            Method::GET,
            "/api/v1/integrations",
            m(Method::GET, integrations::list),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}",
            m(Method::GET, integrations::get),
        ),
        (
            Method::PATCH,
            "/api/v1/integrations/{id}",
            m(Method::PATCH, integrations::update),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/convert",
            m(Method::POST, integrations::convert),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/secret",
            m(Method::POST, integrations::rotate_secret),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/versions",
            upload_route(m(Method::POST, versions::upload)),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/versions",
            m(Method::GET, versions::list),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/versions/{number}",
            m(Method::GET, versions::get),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/submissions",
            m(Method::POST, submissions::submit),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/submissions",
            m(Method::GET, submissions::list),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/submissions/{sid}",
            m(Method::GET, submissions::get),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/submissions/{sid}/withdraw",
            m(Method::POST, submissions::withdraw),
        ),
        (
            Method::POST,
            "/api/v1/integrations/{id}/rollback",
            m(Method::POST, submissions::rollback),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/audit",
            m(Method::GET, submissions::history),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/events",
            m(Method::GET, submissions::events),
        ),
        (
            Method::PUT,
            "/api/v1/integrations/{id}/webhook",
            m(Method::PUT, webhooks::set),
        ),
        (
            Method::GET,
            "/api/v1/integrations/{id}/webhook",
            m(Method::GET, webhooks::get),
        ),
        (
            Method::DELETE,
            "/api/v1/integrations/{id}/webhook",
            m(Method::DELETE, webhooks::delete),
        ),
        (
            Method::GET,
            "/api/v1/moderation/queue",
            m(Method::GET, moderation::queue),
        ),
        (
            Method::GET,
            "/api/v1/moderation/reasons",
            m(Method::GET, moderation::reasons),
        ),
        (
            Method::GET,
            "/api/v1/moderation/submissions/{sid}",
            m(Method::GET, moderation::submission),
        ),
        (
            Method::GET,
            "/api/v1/moderation/submissions/{sid}/files/{*path}",
            m(Method::GET, moderation::file),
        ),
        (
            Method::POST,
            "/api/v1/moderation/submissions/{sid}/approve",
            m(Method::POST, moderation::approve),
        ),
        (
            Method::POST,
            "/api/v1/moderation/submissions/{sid}/reject",
            m(Method::POST, moderation::reject),
        ),
        (
            Method::GET,
            "/api/v1/catalog",
            m(Method::GET, catalog::catalog),
        ),
        (
            Method::GET,
            "/widgets/{code}/{version}/{*path}",
            m(Method::GET, files::file),
        ),
        (
            Method::GET,
            "/api/v4/widgets",
            m(Method::GET, widgets_v4::list),
        ),
        (
            Method::GET,
            "/api/v4/widgets/{code}",
            m(Method::GET, widgets_v4::get),
        ),
        (
            Method::POST,
            "/api/v4/widgets/{code}",
            m(Method::POST, widgets_v4::install),
        ),
        (
            Method::DELETE,
            "/api/v4/widgets/{code}",
            m(Method::DELETE, widgets_v4::uninstall),
        ),
    ]
}

fn m<H, T>(method: Method, handler: H) -> MethodRouter<AppState>
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method).unwrap_or(MethodFilter::GET);
    on(filter, handler)
}

/// The application: every route, the error fallbacks, metrics and request logs.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    let upload_limit = usize::try_from(state.config().max_upload_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(upload::BODY_SLACK);
    for (_, path, method_router) in routes(upload_limit) {
        router = router.route(path, method_router);
    }
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
