//! text checks (being written).

use crate::context::Ctx;

/// Encoding rules.
pub fn check_encoding(_ctx: &mut Ctx<'_>) {}
/// Content rules.
pub fn check_content(_ctx: &mut Ctx<'_>) {}
