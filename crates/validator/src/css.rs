//! TODO-HELPER: filled in by the css rules work.

use crate::context::Ctx;

/// Runs the css rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
