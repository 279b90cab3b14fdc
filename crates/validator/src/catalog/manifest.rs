//! Rules for manifest.

use super::Rule;

/// The manifest rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
