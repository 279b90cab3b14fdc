//! i18n checks (being written).

use crate::context::Ctx;

/// Runs the i18n rules.
pub fn check(_ctx: &mut Ctx<'_>) {}
