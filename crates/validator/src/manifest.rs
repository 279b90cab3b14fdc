//! manifest checks (being written).

use crate::context::Ctx;

/// Runs the manifest rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
