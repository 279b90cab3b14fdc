//! Rules for images.

use super::Rule;

/// The images rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
