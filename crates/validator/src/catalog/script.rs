//! Rules for script files.

use super::Rule;

/// The script rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
