//! listing checks (being written).

use crate::context::Ctx;

/// Runs the listing rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
