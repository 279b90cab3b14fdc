//! The widget preview: a version's `script.js` run in an emulated amoCRM page, for the owner
//! account (any of its versions) and platform moderators (any submitted version).
//!
//! - [`page`]: `GET /preview/{code}/{version}`: a tab per location the manifest declares, a
//!   language switch, the fixture panel and the event log around the frame.
//! - [`frame`]: `GET /preview/{code}/{version}/frame`: the frame's document. It runs the
//!   widget in a sandbox (an opaque origin: no cookie, no storage, nothing of the session),
//!   with the widget's files from the files origin through a signed prefix.
//! - [`assets`]: `GET /sandbox/*`: the host script and the libraries amoCRM's page gives
//!   widgets, embedded in the binary.
//!
//! The host itself, the frame document, the areas and the preview data are
//! `widgetry_preview`'s (the CLI serves them too); this module adds access and HTTP.

mod assets;
mod frame;
mod page;

use crate::AppState;
use crate::web::failure::PageError;
use crate::web::render::Template;
use crate::web::session::SignedIn;
use axum::Router;
use axum::routing::get;
use frame::Asked;
use widgetry_registry::PreviewTarget;

pub(crate) const TEMPLATES: &[Template] = &[(
    "preview/page.html",
    include_str!("../../../templates/preview/page.html"),
)];

/// The preview's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/preview/{code}/{version}", get(page::show))
        .route("/preview/{code}/{version}/frame", get(frame::document))
        .route("/sandbox/{*file}", get(assets::file))
}

/// The version `user` may preview and what the query asks to run.
async fn load(
    state: &AppState,
    user: &SignedIn,
    code: &str,
    version: &str,
    pairs: &[(String, String)],
) -> Result<(PreviewTarget, Asked), PageError> {
    let target = state
        .inner
        .registry
        .preview_target(&user.principal, code, version)
        .await?;
    let asked = Asked::from_query(&target.version.manifest, pairs, user.viewer.lang)?;
    Ok((target, asked))
}
