//! Rules for css files.

use super::Rule;

/// The css rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
