//! Rules for text.

use super::Rule;

/// The text rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
