//! The web pages, served by the same binary: amoMarket for accounts (catalogue, widget pages,
//! install and settings), the integrator's pages (integrations, uploads with the report file
//! by file, versions, submissions, rollback, tokens) and the moderators' console. Rendered on
//! the server from minijinja templates embedded in the binary, in English and Russian, with a
//! little JavaScript (`/static/app.js`) for upload progress; every form works without it.
//!
//! Pages authenticate by the session cookie only; every form post carries the session's CSRF
//! token in a hidden `csrf` field.

mod catalog;
pub(crate) mod cookies;
mod failure;
pub(crate) mod i18n;
mod input;
mod integrator;
mod moderation;
mod pages;
mod preview;
mod render;
pub(crate) mod report;
mod session;
mod static_files;
mod tokens;

use crate::AppState;
use axum::Router;

/// Every page route.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(pages::routes())
        .merge(static_files::routes())
        .merge(catalog::routes())
        .merge(integrator::routes())
        .merge(moderation::routes())
        .merge(tokens::routes())
        .merge(preview::routes())
        .layer(axum::middleware::from_fn(failure::render_failures))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            render::page_headers,
        ))
}

/// The pages' content security policy for a files origin (see [`render::page_csp`]).
pub(crate) fn page_csp(files_origin: &str) -> axum::http::HeaderValue {
    axum::http::HeaderValue::from_str(&render::page_csp(files_origin))
        .unwrap_or(axum::http::HeaderValue::from_static("default-src 'none'"))
}
