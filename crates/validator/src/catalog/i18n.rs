//! Rules for i18n.

use super::Rule;

/// The i18n rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
