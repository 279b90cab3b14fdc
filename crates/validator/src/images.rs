//! images checks (being written).

use crate::context::Ctx;

/// Runs the images rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
