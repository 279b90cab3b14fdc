//! (being built) The moderation pages.

use super::render::Template;
use crate::AppState;
use axum::Router;

pub(crate) const TEMPLATES: &[Template] = &[];

pub(crate) const MESSAGES: &[super::i18n::Msg] = &[];

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
