//! TODO-HELPER: filled in by the script rules work.

use crate::context::Ctx;

/// Runs the script rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
